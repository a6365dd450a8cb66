"""Runs one step of a scenario through the executor and every oracle; shared by the stateful machine,
replay and shrinking so a record fails the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from ciro_fuzz.engine.executor import BatchObservation
from ciro_fuzz.engine.snapshot import Snapshot, read_snapshot
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.ops import Action, AdvanceTime, Batch, Step
from ciro_fuzz.oracles import (
    AccessMatrix, GasModel, Violation, check_access_action, check_access_batch, check_dos, check_equivalence,
    check_invariants,
)


@dataclass
class Tally:
    """What a campaign accumulates across steps: the access matrix, gas samples, counts."""

    matrix: AccessMatrix = field(default_factory=AccessMatrix)
    gas: GasModel = field(default_factory=GasModel)
    steps: int = 0
    items_checked: int = 0  # batch items compared by the equivalence oracle


@dataclass
class StepResult:
    violations: list[Violation]
    snapshot: Snapshot
    observation: BatchObservation | None = None


def judge_batch(observation: BatchObservation, before: Snapshot, tally: Tally) -> list[Violation]:
    """The equivalence, access and DoS oracles on one batch observation (nothing is committed)."""
    violations = check_equivalence(observation)
    violations += check_access_batch(observation, before, tally.matrix)
    violations += check_dos(observation)
    tally.gas.add(observation)
    tally.items_checked += len(observation.step.items)
    return violations


def run_step(world: World, universe_index: int, step: Step, before: Snapshot, tally: Tally) -> StepResult:
    executor = world.executors[universe_index]
    universe = world.universes[universe_index]
    violations: list[Violation] = []
    observation = None
    tally.steps += 1
    if isinstance(step, Batch):
        observation = executor.observe_batch(step)
        violations += judge_batch(observation, before, tally)
        if not observation.batched.reverted:
            executor.commit_batch(step)
            world.dirty = True
    elif isinstance(step, Action):
        result = executor.run_action(step)
        violations += check_access_action(result, before, tally.matrix)
        world.dirty = world.dirty or not result.outcome.reverted
    elif isinstance(step, AdvanceTime):
        executor.advance_time(step)
        world.dirty = True
    after = read_snapshot(world.chain, universe) if world.dirty or isinstance(step, Batch) else before
    violations += check_invariants(after)
    return StepResult(violations, after, observation)


def replay_steps(world: World, universe_index: int, steps: list[Step], tally: Tally | None = None) -> tuple[int, list[Violation]]:
    """Run steps from the base state until the first violation: (index of the failing step or -1, violations)."""
    tally = tally or Tally()
    world.reset()
    snapshot = read_snapshot(world.chain, world.universes[universe_index])
    for index, step in enumerate(steps):
        result = run_step(world, universe_index, step, snapshot, tally)
        if result.violations:
            return index, result.violations
        snapshot = result.snapshot
    return -1, []
