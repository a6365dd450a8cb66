"""The campaign loop: start a devnet per worker, deploy the universes, sweep the access matrix, run the
state machine (reusing the example database first), save every failure before reporting it, and write
the reports."""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

import os

from hypothesis import HealthCheck, Phase, Verbosity, seed as hyp_seed, settings as hyp_settings
from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase
from hypothesis.stateful import run_state_machine_as_test

from ciro_fuzz.build import Build, build
from ciro_fuzz.chain.client import Chain
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.engine.machine import StepFailed, StopCampaign, build_machine
from ciro_fuzz.engine.runner import Tally
from ciro_fuzz.engine.sweep import access_sweep
from ciro_fuzz.engine.world import World
from ciro_fuzz.errors import ConfigError
from ciro_fuzz.model.roles import ACCOUNTS_NEEDED
from ciro_fuzz.oracles import Violation
from ciro_fuzz.records.format import Failure, FailureRecord, save
from ciro_fuzz.settings import Settings
from ciro_fuzz.toolchain import locate

CHUNK = 25  # examples per Hypothesis run when a --duration bounds the campaign




@dataclass
class WorkerResult:
    examples: int = 0
    steps: int = 0
    transactions: int = 0
    items_checked: int = 0
    failures: list[dict] = field(default_factory=list)
    matrix: dict = field(default_factory=dict)
    gas: dict = field(default_factory=dict)
    gas_violations: list[str] = field(default_factory=list)
    sweep_violations: list[str] = field(default_factory=list)
    started: float = 0.0
    duration: float = 0.0
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (seconds, examples, failures)


def example_database(spec: str | None, report_dir: Path) -> ExampleDatabase:
    """A directory database by default; Hypothesis's own Redis backend for campaigns across machines."""
    if spec and spec.startswith("redis://"):
        from ciro_fuzz.records.shared import redis_database

        return redis_database(spec)
    return DirectoryBasedExampleDatabase(str(Path(spec) if spec else report_dir / "examples"))


class Progress:
    def __init__(self, settings: Settings, tally: Tally, result: WorkerResult, world: World, label: str = ""):
        self.settings, self.tally, self.result, self.world, self.label = settings, tally, result, world, label
        self.tty = sys.stdout.isatty()
        self.last = 0.0
        self.deadline = None if settings.duration is None else result.started + settings.duration

    def example(self) -> None:
        # The --duration budget is checked between Hypothesis runs of CHUNK examples, never by stopping an
        # example at its start: that makes Hypothesis see data drawn inconsistently (FlakyStrategyDefinition,
        # seen here) when it replays that example.
        self.result.examples += 1
        now = time.monotonic()
        elapsed = now - self.result.started
        self.result.timeline.append((round(elapsed, 2), self.result.examples, len(self.result.failures)))
        if now - self.last < (0.5 if self.tty else 10.0):
            return
        self.last = now
        matrix = self.tally.matrix
        line = (
            f"{self.label}examples {self.result.examples} steps {self.tally.steps} "
            f"({self.result.examples / max(elapsed, 1e-9):.2f} ex/s, {self.tally.items_checked / max(elapsed, 1e-9):.1f} items/s) "
            f"tx {self.world.transactions} failures {len(self.result.failures)} matrix {matrix.covered()}/{len(matrix.declared())} "
            f"{elapsed:.0f}s"
        )
        print(f"\r{line:<120}" if self.tty else line, end="" if self.tty else "\n", flush=True)


def run_worker(settings: Settings, built: Build, index: int = 0) -> WorkerResult:
    result = WorkerResult(started=time.monotonic())
    failures_dir = settings.report_dir / "failures"
    with ExitStack() as stack:
        if settings.rpc_url:
            chain = Chain(settings.rpc_url)
        else:
            options = DevnetOptions(seed=settings.seed, accounts=max(10, ACCOUNTS_NEEDED), block_generation="demand", state_archive="full", log_dir=settings.report_dir / "logs")
            devnet = stack.enter_context(Devnet(locate().devnet, options, name=f"worker{index}"))
            chain = Chain(devnet.rpc_url)
        world = World.deploy(chain, built, settings.universe, hostile=settings.hostile_share > 0)
        tally = Tally()
        for violation, steps in access_sweep(world, tally):
            result.sweep_violations.append(str(violation))
            _save_failure(settings, built, world, failures_dir, steps, violation, result, universe_index=0)
        progress = Progress(settings, tally, result, world, label=f"[w{index}] " if settings.workers > 1 else "")
        state = {"best": None}

        def on_failure(universe_index: int, steps, violation: Violation) -> None:
            state["best"] = _save_failure(settings, built, world, failures_dir, steps, violation, result, universe_index, best=state["best"])

        # Kill-measuring runs (shrink off) end at the first saved failure: left to itself, Hypothesis's
        # target optimisation keeps running examples after a failure it may not shrink (measured: hundreds).
        machine = build_machine(world, tally, settings.max_batch, on_failure, progress.example, stop_at_first_failure=not settings.shrink)
        database = example_database(settings.database, settings.report_dir)
        deadline = progress.deadline
        chunk = 0
        # Kill-measuring runs (`ciro-fuzz mutants`, shrink off) stop at the first finding.
        while not (result.failures and not settings.shrink):
            examples = settings.examples if deadline is None else min(CHUNK, settings.examples)
            configured = hyp_settings(
                max_examples=examples, stateful_step_count=settings.steps, deadline=None, database=database,
                suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False, verbosity=Verbosity.debug if os.environ.get("CIRO_FUZZ_HYPOTHESIS_DEBUG") else Verbosity.normal,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + ([Phase.shrink] if settings.shrink else []),
            )
            try:
                run_state_machine_as_test(hyp_seed(settings.seed * 1000 + chunk)(machine), settings=configured)
            except StepFailed:
                pass  # saved by on_failure before it was raised; the final (shrunk) one is marked below
            except StopCampaign:
                pass
            chunk += 1
            if state["best"] is not None:
                _mark_shrunk(failures_dir, state["best"])
                state["best"] = None
            if deadline is None or time.monotonic() >= deadline or result.examples >= settings.examples:
                break
            if result.failures and not settings.shrink:
                break
        print("" if not progress.tty else "\n", end="")
        result.steps, result.transactions, result.items_checked = tally.steps, world.transactions, tally.items_checked
        result.matrix = tally.matrix.to_json()
        result.gas = tally.gas.summary()
        result.gas_violations = [str(v) for v in tally.gas.violations()]
        result.duration = time.monotonic() - result.started
    return result


def _save_failure(settings, built, world, folder, steps, violation, result, universe_index, best=None):
    record = FailureRecord(
        steps=tuple(steps), failure=Failure(violation.oracle, violation.message, max(len(steps) - 1, 0)),
        seed=settings.seed, profile=settings.profile, mutant=settings.mutant,
        universe=world.universes[universe_index].config,
        class_hashes={name: hex(h) for name, h in world.universes[universe_index].class_hashes.items()},
    )
    if best is None or _size(record) < _size(best[1]):
        name = f"{record.id}" if best is None else best[0]
        path = save(record, folder, name=name)  # on disk before anything is printed
        if best is None:
            result.failures.append({"record": str(path), "oracle": violation.oracle, "message": violation.message, "steps": len(steps), "found_at": round(time.monotonic() - result.started, 2), "example": result.examples})
            print(f"\nFAILURE [{violation.oracle}] {violation.message}\n  saved {path}", flush=True)
        else:
            result.failures[-1].update({"steps": len(steps), "shrunk_message": violation.message})
        return (name, record)
    return best


def _size(record: FailureRecord) -> tuple[int, int]:
    items = sum(len(getattr(s, "items", ())) for s in record.steps)
    return (len(record.steps), items)


def _mark_shrunk(folder: Path, best) -> None:
    name, record = best
    from dataclasses import replace

    save(replace(record, shrunk=True), folder, name=name)


def run_campaign(settings: Settings) -> int:
    from ciro_fuzz.report import write_reports

    if settings.workers > 1 and settings.rpc_url:
        raise ConfigError("--workers > 1 needs one devnet per worker; drop --rpc-url or use --workers 1")
    settings.report_dir.mkdir(parents=True, exist_ok=True)
    built = build(mutant=settings.mutant)
    began = time.time()
    if settings.workers == 1:
        results = [run_worker(settings, built)]
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(settings.workers) as pool:
            jobs = [pool.apply_async(run_worker, (settings.with_(seed=settings.seed + i), built, i)) for i in range(settings.workers)]
            results = [job.get() for job in jobs]
    summary = write_reports(settings, built, results, began)
    failures = summary["failures"]
    print(
        f"campaign done: {summary['examples']} examples, {summary['steps']} steps, {summary['items_checked']} items checked, "
        f"{len(failures)} failure(s), access matrix {summary['matrix_covered']}/{summary['matrix_declared']}; reports in {settings.report_dir}"
    )
    for failure in failures:
        print(f"  [{failure['oracle']}] {failure['message']}\n    record: {failure['record']}")
    return 1 if failures else 0


def result_to_json(result: WorkerResult) -> dict:
    return json.loads(json.dumps(asdict(result), default=str))
