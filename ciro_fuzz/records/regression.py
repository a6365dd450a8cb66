"""What an exported regression test calls: replay steps from the base block and assert no oracle fails."""

from __future__ import annotations

from ciro_fuzz.engine.runner import replay_steps
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.ops import step_from_json


def assert_steps_hold(world: World, steps: list[dict], hostile_token: bool = False) -> None:
    parsed = [step_from_json(s) for s in steps]
    at, violations = replay_steps(world, 1 if hostile_token else 0, parsed)
    assert at < 0, f"step {at} ({steps[at]}) violates: {violations[0]}"
