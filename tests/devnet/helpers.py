"""Helpers for devnet tests: simulate one call as a role, run steps through every oracle."""

from __future__ import annotations

from starknet_py.net.client_models import Call

from ciro_fuzz.chain.client import Outcome, selector
from ciro_fuzz.engine.runner import Tally, run_step
from ciro_fuzz.engine.snapshot import read_snapshot
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles.base import reason_of


def simulate(world: World, role: Role, contract: str, function: str, calldata: list[int], universe: int = 0) -> Outcome:
    u = world.universes[universe]
    actor = u.actors[role]
    address = u.contract(contract) if isinstance(contract, str) else contract
    tx = world.chain.invoke_tx(actor, [Call(address, selector(function), calldata)], nonce=world.chain.nonce(actor.address), sign=False)
    return world.chain.simulate([tx])[0]


def error_of(outcome: Outcome) -> str | None:
    return reason_of(outcome) if outcome.reverted else None


def run_steps(world: World, steps: list, universe: int = 0, tally: Tally | None = None):
    """Commit steps through the oracles; fails the test on the first violation. Returns the last snapshot."""
    tally = tally or Tally()
    snapshot = read_snapshot(world.chain, world.universes[universe])
    results = []
    for step in steps:
        result = run_step(world, universe, step, snapshot, tally)
        assert not result.violations, f"{step}: {result.violations[0]}"
        snapshot = result.snapshot
        results.append(result)
    return snapshot, results


def job_count(client) -> int:
    """The JobMgr's job count as seen by an SDK client."""
    raw = client.chain.call(client.contracts["jobs"], "job_count")
    return raw[0] + (raw[1] << 128)


def journal_events(path) -> list[dict]:
    """The events of an SDK journal (its header line left out)."""
    import json
    from pathlib import Path

    return [json.loads(line) for line in Path(path).read_text().splitlines()[1:]]
