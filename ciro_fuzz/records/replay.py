"""Replay a failure record on a fresh devnet (new addresses), twice; shrink it; export it as a test."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Chain
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.engine.runner import replay_steps
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.ops import Batch, Step
from ciro_fuzz.oracles import Violation
from ciro_fuzz.records.format import FailureRecord
from ciro_fuzz.toolchain import locate


@contextmanager
def fresh_world(record: FailureRecord, mutant: str | None, seed: int = 7919):
    """A new devnet whose accounts (seed differs from campaigns) give the universe new addresses."""
    built = build(mutant=mutant)
    options = DevnetOptions(seed=seed, block_generation="demand", state_archive="full")
    with Devnet(locate().devnet, options, name="replay") as devnet:
        chain = Chain(devnet.rpc_url)
        world = World.deploy(chain, built, replace(record.universe, hostile_token=False), hostile=True)
        yield world


def universe_index(record: FailureRecord) -> int:
    return 1 if record.universe.hostile_token else 0


@dataclass(frozen=True)
class ReplayVerdict:
    status: str  # reproduced, not reproduced, flaky
    runs: tuple[tuple[int, str], ...]  # (failing step index or -1, first violation or "")
    changed_contracts: tuple[str, ...]


def replay(record: FailureRecord, mutant: str | None) -> ReplayVerdict:
    with fresh_world(record, mutant) as world:
        index = universe_index(record)
        hashes = {name: hex(h) for name, h in world.universes[index].class_hashes.items()}
        changed = tuple(sorted(n for n, h in record.class_hashes.items() if n in hashes and hashes[n] != h))
        runs = []
        for _ in range(2):
            at, violations = replay_steps(world, index, list(record.steps))
            runs.append((at, str(violations[0]) if violations else ""))
    same = runs[0] == runs[1]
    failed = [r for r in runs if r[0] >= 0 and r[1].startswith(f"[{record.failure.oracle}]")]
    status = "flaky" if not same else ("reproduced" if len(failed) == 2 else "not reproduced")
    return ReplayVerdict(status, tuple(runs), changed)


def _still_fails(world: World, index: int, steps: list[Step], oracle: str) -> bool:
    at, violations = replay_steps(world, index, steps)
    return at >= 0 and violations[0].oracle == oracle


def _candidates(steps: list[Step]):
    """Smaller variants, biggest cuts first: drop a step, halve a batch, drop one item."""
    for i in reversed(range(len(steps))):
        yield steps[:i] + steps[i + 1 :]
    for i, step in enumerate(steps):
        if isinstance(step, Batch) and len(step.items) > 1:
            half = len(step.items) // 2
            for items in (step.items[:half], step.items[half:]):
                yield steps[:i] + [replace(step, items=items)] + steps[i + 1 :]
            for j in range(len(step.items)):
                yield steps[:i] + [replace(step, items=step.items[:j] + step.items[j + 1 :])] + steps[i + 1 :]


def shrink(record: FailureRecord, mutant: str | None, budget: float, out=print) -> tuple[FailureRecord, dict]:
    """Greedy delta debugging over steps and items, each attempt replayed from the base block (a roll-back,
    not a redeploy), bounded by ``budget`` seconds."""
    began = time.monotonic()
    size = lambda s: (len(s), sum(len(getattr(x, "items", ())) for x in s))  # noqa: E731
    steps = list(record.steps)
    before = size(steps)
    attempts = 0
    with fresh_world(record, mutant) as world:
        index = universe_index(record)
        if not _still_fails(world, index, steps, record.failure.oracle):
            return record, {"status": "not reproduced", "attempts": 1, "before": before, "after": before, "seconds": round(time.monotonic() - began, 1)}
        improved = True
        while improved and time.monotonic() - began < budget:
            improved = False
            for candidate in _candidates(steps):
                if time.monotonic() - began >= budget:
                    break
                attempts += 1
                if _still_fails(world, index, candidate, record.failure.oracle):
                    steps = candidate
                    improved = True
                    out(f"shrinking: {size(steps)[0]} steps / {size(steps)[1]} items (from {before[0]} / {before[1]}), {attempts} attempts, {time.monotonic() - began:.1f}s")
                    break
        at, violations = replay_steps(world, index, steps)
    failure = violations[0] if violations else Violation(record.failure.oracle, record.failure.message)
    shrunk = replace(record, steps=tuple(steps), shrunk=True, failure=replace(record.failure, message=failure.message, step_index=max(at, 0)))
    stats = {"status": "shrunk", "attempts": attempts, "before": before, "after": size(steps), "seconds": round(time.monotonic() - began, 1)}
    return shrunk, stats
