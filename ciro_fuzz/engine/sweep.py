"""The access sweep: every (role x entrypoint) cell of SPEC.md's table, called once from a prepared state
by simulation (nothing committed), judged by the access oracle. It guarantees the coverage matrix is
complete in every campaign, whatever the random search reaches."""

from __future__ import annotations

from ciro_fuzz.engine.runner import Tally, judge_batch, run_step
from ciro_fuzz.engine.snapshot import read_snapshot
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.access import ENTRYPOINTS
from ciro_fuzz.model.ops import (
    ATOMIC, PARTIAL, Action, Batch, ClaimItem, JobItem, RegisterItem, ReputationItem, ResultItem, Spec, StakeItem,
    UnstakeItem, UpdateItem, VerifyItem,
)
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles import Violation, check_access_action

TOKEN = 10**18


def setup_steps(min_stake: int, min_payment: int) -> list:
    """Worker 1 (owner) with rewards, worker 2 (other owner), job 1 assigned to worker 1 with a result
    submitted, job 2 pending, job 3 assigned to worker 1."""
    return [
        Batch(Role.OWNER, "RegisterItem", (RegisterItem(Spec(), 5 * min_stake),)),
        Batch(Role.OTHER_OWNER, "RegisterItem", (RegisterItem(Spec(), 5 * min_stake),)),
        Batch(Role.CLIENT, "JobItem", (JobItem(1, 11, 10 * min_payment), JobItem(2, 12, 10 * min_payment), JobItem(3, 13, 10 * min_payment))),
        Action(Role.COORDINATOR, "assign_job", (1, 1)),
        Action(Role.COORDINATOR, "assign_job", (3, 1)),
        Batch(Role.OWNER, "ResultItem", (ResultItem(1, 0xABC),)),
        Action(Role.COORDINATOR, "distribute_rewards", (1, TOKEN)),
    ]


def _probe(entrypoint: str, actor: Role, min_stake: int, min_payment: int):
    """The one call that exercises ``entrypoint`` for ``actor`` against the prepared state."""
    items = {
        "register_worker": ("RegisterItem", RegisterItem(Spec(), 2 * min_stake)),
        "update_worker": ("UpdateItem", UpdateItem(1, Spec(cpu_cores=4), True)),
        "stake": ("StakeItem", StakeItem(1, TOKEN)),
        "unstake": ("UnstakeItem", UnstakeItem(1, min_stake)),
        "claim_rewards": ("ClaimItem", ClaimItem(1)),
        "update_reputation": ("ReputationItem", ReputationItem(1, 10, 1)),
        "submit_job": ("JobItem", JobItem(4, 14, 2 * min_payment)),
        "submit_result": ("ResultItem", ResultItem(3, 0xDEF)),
        "verify_result": ("VerifyItem", VerifyItem(1, True)),
    }
    batch_of = {
        "batch_register_workers": "register_worker", "batch_update_workers": "update_worker", "batch_stake": "stake",
        "batch_stake_packed": "stake", "batch_unstake": "unstake", "batch_claim_rewards": "claim_rewards",
        "batch_update_reputation": "update_reputation", "batch_update_reputation_packed": "update_reputation",
        "batch_submit_jobs": "submit_job", "batch_submit_results": "submit_result", "batch_verify_results": "verify_result",
    }
    if entrypoint in batch_of:
        kind, item = items[batch_of[entrypoint]]
        return Batch(actor, kind, (item,), ATOMIC, packed=entrypoint.endswith("_packed"))
    if entrypoint in items:  # single entrypoints go through the batch observation's one-by-one replay
        kind, item = items[entrypoint]
        return Batch(actor, kind, (item,), ATOMIC)
    actions = {
        "complete_unstake": (1,), "distribute_rewards": (1, TOKEN), "slash": (2, 100), "adjust_network_reputation": (-5,),
        "assign_job": (2, 1), "cancel_job": (2,), "grant_role": (0, 0, list(Role).index(Role.STRANGER)),
        "revoke_role": (0, 0, list(Role).index(Role.COORDINATOR)),
    }
    return Action(actor, entrypoint, actions[entrypoint])


def edge_probes(min_stake: int, balance: int) -> list[Batch]:
    """Batch shapes tried in every campaign, whatever the random search reaches (users of other fuzzers
    ask for edge values always tried): each sits on a boundary of the batch framework."""
    return [
        Batch(Role.OWNER, "StakeItem", (StakeItem(1, 2**64 + 1), StakeItem(1, TOKEN)), ATOMIC, packed=True),  # packed field widths
        Batch(Role.COORDINATOR, "ReputationItem", (ReputationItem(1, -7, 1), ReputationItem(1, 1000, 7)), ATOMIC, packed=True),
        Batch(Role.OWNER, "StakeItem", (StakeItem(99, TOKEN), StakeItem(1, TOKEN)), PARTIAL),  # skip, then go on
        Batch(Role.CLIENT, "JobItem", (JobItem(1, 1, balance // 2 + 1), JobItem(1, 2, balance // 2 + 1)), PARTIAL),  # running total
        Batch(Role.OWNER, "RegisterItem", (RegisterItem(Spec(), min_stake), RegisterItem(Spec(), min_stake - 1)), PARTIAL),
        Batch(Role.OWNER, "ClaimItem", (ClaimItem(1),) * 51, PARTIAL),  # MAX_BATCH_SIZE + 1
        Batch(Role.OWNER, "ClaimItem", (ClaimItem(1), ClaimItem(2)), ATOMIC),  # atomic failure index
        Batch(Role.OWNER, "ClaimItem", (ClaimItem(2), ClaimItem(1)), PARTIAL),
        Batch(Role.CLIENT, "VerifyItem", (VerifyItem(1, True), VerifyItem(1, False)), PARTIAL),  # fee, duplicate
        Batch(Role.OTHER_OWNER, "UnstakeItem", (UnstakeItem(1, min_stake),), PARTIAL),
    ]


def access_sweep(world: World, tally: Tally) -> list[tuple[Violation, list]]:
    """Simulate every declared cell once (filling the matrix); returns each violation with the steps that
    reproduce it (the setup, then the probe)."""
    universe = world.universes[0]
    config = universe.config
    world.reset()
    snapshot = read_snapshot(world.chain, universe)
    setup = setup_steps(config.min_stake, config.min_payment)
    for i, step in enumerate(setup):
        result = run_step(world, 0, step, snapshot, Tally())
        if result.violations:
            world.reset()
            return [(result.violations[0], setup[: i + 1])]
        snapshot = result.snapshot
    executor = world.executors[0]
    found: list[tuple[Violation, list]] = []
    singles = {"register_worker", "update_worker", "stake", "unstake", "claim_rewards", "update_reputation", "submit_job", "submit_result", "verify_result"}
    for entrypoint in ENTRYPOINTS:
        if entrypoint in singles:
            continue  # a batch probe replays its item through the single entrypoint too, filling that cell
        for actor in Role:
            probe = _probe(entrypoint, actor, config.min_stake, config.min_payment)
            if isinstance(probe, Batch):
                violations = judge_batch(executor.observe_batch(probe), snapshot, tally)
            else:
                violations = _simulate_action(executor, probe, snapshot, tally)
            if violations:
                found.append((violations[0], setup + [probe]))
    for probe in edge_probes(config.min_stake, config.initial_tokens):
        violations = judge_batch(executor.observe_batch(probe), snapshot, tally)
        if violations:
            found.append((violations[0], setup + [probe]))
    world.reset()
    return found


def _simulate_action(executor, action: Action, snapshot, tally: Tally) -> list[Violation]:
    from ciro_fuzz.engine.executor import ActionObservation

    actor = executor.universe.actors[action.actor]
    tx = executor.chain.invoke_tx(actor, [executor.action_call(action)], nonce=executor.chain.nonce(actor.address), sign=False)
    outcome = executor.chain.simulate([tx])[0]
    return check_access_action(ActionObservation(action, outcome), snapshot, tally.matrix)
