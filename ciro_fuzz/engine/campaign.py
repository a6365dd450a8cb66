"""The campaign loop: start a devnet per worker, deploy the universes, sweep the access matrix, run the
state machine (reusing the example database first), save every failure before reporting it, and write
the reports."""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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
from ciro_fuzz.engine.machine import DevnetLost, StepFailed, StopCampaign, build_machine
from ciro_fuzz.engine.runner import Tally
from ciro_fuzz.engine.sweep import access_sweep
from ciro_fuzz.engine.world import World
from ciro_fuzz.errors import CiroFuzzError, ConfigError, DevnetError
from ciro_fuzz.model.roles import ACCOUNTS_NEEDED
from ciro_fuzz.oracles import Violation
from ciro_fuzz.records.format import Failure, FailureRecord, save
from ciro_fuzz.settings import Settings
from ciro_fuzz.toolchain import locate

CHUNK = 25  # examples per Hypothesis run when a --duration bounds the campaign
MAX_RESTARTS = 3  # devnet restarts per worker before the campaign gives up


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
    devnets: list[str] = field(default_factory=list)  # RPC URL of each devnet used, restarts included
    devnet_restarts: int = 0
    error: str | None = None  # why the worker stopped early (its devnet was lost for good)


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
    """One worker's campaign on its own devnet (or the --rpc-url node): the access sweep, then the state machine."""
    result = WorkerResult(started=time.monotonic())
    with ExitStack() as stack:
        devnet = None if settings.rpc_url else stack.enter_context(Devnet(locate().devnet, devnet_options(settings), name=f"worker{index}"))
        worker = _Worker(settings, built, index, devnet, result)
        if worker.sweep():
            worker.run()
        worker.finish()
    return result


def devnet_options(settings: Settings) -> DevnetOptions:
    """How a campaign starts its devnets: enough accounts for every role, blocks on demand, roll-back on."""
    return DevnetOptions(seed=settings.seed, accounts=max(10, ACCOUNTS_NEEDED), block_generation="demand", state_archive="full", log_dir=settings.report_dir / "logs")


class _Worker:
    """The state of one worker's campaign: its world, tally, progress line and example database."""

    def __init__(self, settings: Settings, built: Build, index: int, devnet: Devnet | None, result: WorkerResult):
        self.settings, self.built, self.devnet, self.result = settings, built, devnet, result
        self.failures_dir = settings.report_dir / "failures"
        url = devnet.rpc_url if devnet else str(settings.rpc_url)
        result.devnets.append(url)
        self.world = World.deploy(Chain(url), built, settings.universe, hostile=settings.hostile_share > 0)
        self.tally = Tally()
        self.label = f"[w{index}] " if settings.workers > 1 else ""
        self.progress = Progress(settings, self.tally, result, self.world, label=self.label)
        self.best = None
        # Kill-measuring runs (shrink off) end at the first saved failure: left to itself, Hypothesis's
        # target optimisation keeps running examples after a failure it may not shrink (measured: hundreds).
        self.machine = build_machine(self.world, self.tally, settings.max_batch, self.on_failure, self.progress.example, stop_at_first_failure=not settings.shrink)
        self.database = example_database(settings.database, settings.report_dir)

    def on_failure(self, universe_index: int, steps, violation: Violation) -> None:
        self.best = _save_failure(self.settings, self.built, self.world, self.failures_dir, steps, violation, self.result, universe_index, best=self.best)

    def sweep(self) -> bool:
        """The access sweep, run again on a restarted devnet; False when the devnet is lost for good."""
        while True:
            try:
                found = list(access_sweep(self.world, self.tally))
                break
            except DevnetError as exc:
                if not self.recover(exc):
                    return False
        for violation, steps in found:
            self.result.sweep_violations.append(str(violation))
            _save_failure(self.settings, self.built, self.world, self.failures_dir, steps, violation, self.result, universe_index=0)
        return True

    def run(self) -> None:
        """Hypothesis runs until the examples or the --duration are spent; a dead devnet ends a run early."""
        chunk = 0
        # Kill-measuring runs (`ciro-fuzz mutants`, shrink off) stop at the first finding, the sweep's too.
        while not (self.result.failures and not self.settings.shrink):
            try:
                self.hypothesis_run(chunk)
            except DevnetLost as lost:
                # Failures found before the death are on disk already and stay as saved (a shrink cut short
                # is not marked shrunk); what the next run finds gets records of its own, so none is overwritten.
                self.best = None
                if not self.recover(lost.cause):
                    return
            else:
                if self.best is not None:
                    _mark_shrunk(self.failures_dir, self.best)
                    self.best = None
                if self.progress.deadline is None:
                    return  # one run spends the examples budget
            chunk += 1
            if not self.budget_left():
                return

    def budget_left(self) -> bool:
        deadline = self.progress.deadline
        if deadline is not None and time.monotonic() >= deadline:
            return False
        return self.result.examples < self.settings.examples

    def hypothesis_run(self, chunk: int) -> None:
        settings = self.settings
        left = max(settings.examples - self.result.examples, 1)
        configured = hyp_settings(
            max_examples=left if self.progress.deadline is None else min(CHUNK, left), stateful_step_count=settings.steps,
            deadline=None, database=self.database, suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False,
            verbosity=Verbosity.debug if os.environ.get("CIRO_FUZZ_HYPOTHESIS_DEBUG") else Verbosity.normal,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + ([Phase.shrink] if settings.shrink else []),
        )
        try:
            run_state_machine_as_test(hyp_seed(settings.seed * 1000 + chunk)(self.machine), settings=configured)
        except (StepFailed, StopCampaign):
            pass  # saved by on_failure before it was raised; the final (shrunk) one is marked by run()

    def recover(self, cause: DevnetError) -> bool:
        """Restart a dead devnet this worker started and redeploy the world in place; False (and the error
        recorded) for an external node or after MAX_RESTARTS."""
        saved = f"failures found so far are in {self.failures_dir}"
        if self.devnet is None:
            self.result.error = f"the devnet at {self.settings.rpc_url} stopped answering mid-campaign ({cause.__cause__ or cause}); ciro-fuzz restarts only devnets it started: restart it and rerun; {saved}"
            return False
        while self.result.devnet_restarts < MAX_RESTARTS:
            self.result.devnet_restarts += 1
            print(f"\n{self.label}devnet {self.devnet.name} died mid-campaign; restarting it ({self.result.devnet_restarts}/{MAX_RESTARTS}), redeploying the contracts, going on", flush=True)
            try:
                self.world.redeploy(Chain(self.devnet.restart().rpc_url), self.built)
                self.result.devnets.append(self.devnet.rpc_url)
                return True
            except DevnetError as exc:
                cause = exc
        self.result.error = f"devnet {self.devnet.name} kept dying: {MAX_RESTARTS} restarts spent, giving up (last error: {cause}); see {self.devnet.log_path}; {saved}"
        return False

    def finish(self) -> None:
        print("" if not self.progress.tty else "\n", end="")
        result, tally = self.result, self.tally
        result.steps, result.transactions, result.items_checked = tally.steps, self.world.transactions, tally.items_checked
        result.matrix = tally.matrix.to_json()
        result.gas = tally.gas.summary()
        result.gas_violations = [str(v) for v in tally.gas.violations()]
        result.duration = time.monotonic() - result.started


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
    results = [run_worker(settings, built)] if settings.workers == 1 else _run_workers(settings, built)
    summary = write_reports(settings, built, results, began)
    failures = summary["failures"]
    print(
        f"campaign done: {summary['examples']} examples, {summary['steps']} steps, {summary['items_checked']} items checked, "
        f"{len(failures)} failure(s), access matrix {summary['matrix_covered']}/{summary['matrix_declared']}"
        + (f", {summary['devnet_restarts']} devnet restart(s)" if summary["devnet_restarts"] else "") + f"; reports in {settings.report_dir}"
    )
    for failure in failures:
        print(f"  [{failure['oracle']}] {failure['message']}\n    record: {failure['record']}")
    lost = [r.error for r in results if r.error]
    if lost:  # after the reports: what the campaign found before losing its devnet is kept and shown
        raise DevnetError(lost[0])
    return 1 if failures else 0


def _run_workers(settings: Settings, built: Build) -> list[WorkerResult]:
    """One process per worker (spawned: no devnet handle or lock is inherited), each with its own devnet and seed."""
    # A process pool executor rather than multiprocessing.Pool: a worker that dies (killed, out of memory)
    # breaks its futures at once, where Pool replaces the process and waits for its result forever.
    with ProcessPoolExecutor(settings.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(run_worker, settings.with_(seed=settings.seed + i), built, i) for i in range(settings.workers)]
        try:
            return [job.result() for job in jobs]
        except BrokenProcessPool as exc:
            raise CiroFuzzError(f"a campaign worker process died (killed or out of memory); failures found so far are in {settings.report_dir / 'failures'}; rerun the campaign") from exc


def result_to_json(result: WorkerResult) -> dict:
    return json.loads(json.dumps(asdict(result), default=str))
