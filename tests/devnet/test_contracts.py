"""The contracts on a real devnet: every declared error, the success path of every entrypoint, batch
sizes 0, 1, max and max + 1, atomic and partial mode, fixed batches equal to their one-by-one runs (the
last through the fuzzer's own oracles)."""

import pytest
from starknet_py.net.client_models import Call

from ciro_fuzz.chain.client import encode_short_string, selector
from ciro_fuzz.engine.sweep import setup_steps
from ciro_fuzz.model import errors as E
from ciro_fuzz.model.ops import (
    ATOMIC, MAX_BATCH_SIZE, PARTIAL, Action, AdvanceTime, Batch, ClaimItem, JobItem, RegisterItem, ReputationItem,
    ResultItem, Spec, StakeItem, UnstakeItem, UpdateItem, VerifyItem, u256,
)
from ciro_fuzz.model.roles import Role
from ciro_fuzz.settings import UniverseConfig
from ciro_fuzz.oracles.base import item_failure
from tests.devnet.helpers import error_of, run_steps, simulate

CFG = UniverseConfig()
T = 10**18
MIN = CFG.min_stake
PAY = 10 * CFG.min_payment
SETUP = setup_steps(CFG.min_stake, CFG.min_payment)  # worker 1 (owner, rewards), worker 2, jobs 1-3


def unstake_pending():
    return [Batch(Role.OWNER, "UnstakeItem", (UnstakeItem(1, MIN),))]


# (id, extra setup steps, role, contract, function, calldata, expected error)
ERROR_CASES = [
    ("missing-role", [], Role.STRANGER, "pool", "distribute_rewards", [1, *u256(T)], E.MISSING_ROLE),
    ("only-admin", [], Role.COORDINATOR, "pool", "adjust_network_reputation", [5], E.ONLY_ADMIN),
    ("too-large", [], Role.OWNER, "pool", "batch_claim_rewards", [51, *([1] * 51), PARTIAL], E.BATCH_TOO_LARGE),
    ("bad-mode", [], Role.OWNER, "pool", "batch_claim_rewards", [1, 1, 2], E.BATCH_BAD_MODE),
    ("item-failed", [], Role.OWNER, "pool", "batch_claim_rewards", [2, 1, 2, ATOMIC], E.BATCH_ITEM_FAILED),
    ("packed-out-of-range", [], Role.OWNER, "pool", "batch_stake_packed", [1, 2**250, 1, ATOMIC], E.PACKED_OUT_OF_RANGE),
    ("packed-delta-range", [], Role.COORDINATOR, "pool", "batch_update_reputation_packed", [1, 1 | (2001 << 32) | (1 << 48), 1, ATOMIC], E.PACKED_OUT_OF_RANGE),
    ("balance", [], Role.STRANGER, "token", "transfer", [0x1234, *u256(CFG.initial_tokens + 1)], E.INSUFFICIENT_BALANCE),
    ("allowance", [], Role.STRANGER, "token", "transfer_from", [0x1234, 0x5678, *u256(1)], E.INSUFFICIENT_ALLOWANCE),
    ("zero-address", [], Role.STRANGER, "token", "transfer", [0, *u256(1)], E.ZERO_ADDRESS),
    ("only-minter", [], Role.STRANGER, "token", "mint", [0x1234, *u256(1)], E.ONLY_MINTER),
    ("below-minimum", [], Role.OWNER, "pool", "register_worker", [*Spec().calldata(), *u256(MIN - 1)], E.STAKE_BELOW_MINIMUM),
    ("too-large-amount", [], Role.OWNER, "pool", "register_worker", [*Spec().calldata(), *u256(2**88)], E.AMOUNT_TOO_LARGE),
    ("zero-amount", [], Role.OWNER, "pool", "stake", [1, *u256(0)], E.ZERO_AMOUNT),
    ("unknown-worker", [], Role.OWNER, "pool", "stake", [99, *u256(T)], E.UNKNOWN_WORKER),
    ("not-owner", [], Role.OTHER_OWNER, "pool", "stake", [1, *u256(T)], E.NOT_WORKER_OWNER),
    ("not-active", [], Role.COORDINATOR, "jobs", "assign_job", [*u256(2), 99], E.WORKER_NOT_ACTIVE),
    ("slashed", [Action(Role.SLASHER, "slash", (1, 100))], Role.OWNER, "pool", "stake", [1, *u256(T)], E.WORKER_SLASHED),
    ("bad-spec", [], Role.OWNER, "pool", "update_worker", [1, 1, 1, 0, 1, 1], E.BAD_SPEC),
    ("insufficient-stake", [], Role.OWNER, "pool", "unstake", [1, *u256(6 * MIN)], E.INSUFFICIENT_STAKE),
    ("remaining-below-minimum", [], Role.OWNER, "pool", "unstake", [1, *u256(5 * MIN - 1)], E.STAKE_BELOW_MINIMUM),
    ("unstake-pending", unstake_pending(), Role.OWNER, "pool", "unstake", [1, *u256(MIN)], E.UNSTAKE_PENDING),
    ("no-unstake", [], Role.OWNER, "pool", "complete_unstake", [1], E.NO_UNSTAKE),
    ("unstake-locked", unstake_pending(), Role.OWNER, "pool", "complete_unstake", [1], E.UNSTAKE_LOCKED),
    ("nothing-to-claim", [], Role.OTHER_OWNER, "pool", "claim_rewards", [2], E.NOTHING_TO_CLAIM),
    ("pool-funds", [], Role.OWNER, "pool", "stake", [1, *u256(CFG.initial_tokens)], E.POOL_FUNDS),
    ("bad-slash", [], Role.SLASHER, "pool", "slash", [1, 10001], E.BAD_SLASH),
    ("rep-unknown", [], Role.COORDINATOR, "pool", "update_reputation", [99, 5, 1], E.REP_UNKNOWN_WORKER),
    ("rep-delta", [], Role.COORDINATOR, "pool", "update_reputation", [1, 1001, 1], E.REP_BAD_DELTA),
    ("rep-reason", [], Role.COORDINATOR, "pool", "update_reputation", [1, 5, 8], E.REP_BAD_REASON),
    ("payment-minimum", [], Role.CLIENT, "jobs", "submit_job", [1, 1, *u256(CFG.min_payment - 1)], E.PAYMENT_BELOW_MINIMUM),
    ("payment-too-large", [], Role.CLIENT, "jobs", "submit_job", [1, 1, *u256(2**88)], E.PAYMENT_TOO_LARGE),
    ("unknown-job", [], Role.CLIENT, "jobs", "cancel_job", [*u256(99)], E.UNKNOWN_JOB),
    ("wrong-state", [], Role.CLIENT, "jobs", "cancel_job", [*u256(1)], E.WRONG_STATE),
    ("not-client", [], Role.STRANGER, "jobs", "cancel_job", [*u256(2)], E.NOT_CLIENT),
    ("not-assigned-worker", [], Role.OTHER_OWNER, "jobs", "submit_result", [*u256(3), 5], E.NOT_ASSIGNED_WORKER),
    ("not-verifier", [], Role.STRANGER, "jobs", "verify_result", [*u256(1), 1], E.NOT_VERIFIER),
    ("zero-result", [], Role.OWNER, "jobs", "submit_result", [*u256(3), 0], E.ZERO_RESULT),
    ("job-funds", [], Role.CLIENT, "jobs", "submit_job", [1, 1, *u256(CFG.initial_tokens)], E.JOB_FUNDS),
    ("duplicate", [], Role.OWNER, "pool", "batch_claim_rewards", [2, 1, 1, ATOMIC], E.BATCH_DUPLICATE),
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_every_declared_error(world, case):
    _, extra, role, contract, function, calldata, expected = case
    run_steps(world, SETUP + extra)
    outcome = simulate(world, role, contract, function, calldata)
    if expected == E.BATCH_DUPLICATE:  # reported inside the atomic item failure
        assert item_failure(outcome) == (1, expected), outcome.revert_reason
    else:
        assert error_of(outcome) == expected, outcome.revert_reason


def test_every_declared_error_is_covered():
    # REENTRANT, BAD_FEE and BAD_PAGE have tests of their own below.
    covered = {c[-1] for c in ERROR_CASES} | {E.REENTRANT, E.BAD_FEE, E.BAD_PAGE}
    assert covered == set(E.ALL.values())


def test_bad_page_from_a_view(world):
    from ciro_fuzz.errors import RevertError

    with pytest.raises(RevertError, match="Batch: bad page"):
        world.chain.call(world.universes[0].pool, "get_workers_page", [1, 101])


def test_atomic_item_failure_names_the_index_and_reason(world):
    run_steps(world, SETUP)
    outcome = simulate(world, Role.OWNER, "pool", "batch_claim_rewards", [3, 1, 2, 1, ATOMIC])
    assert outcome.revert_felts[:3] == (E.felt(E.BATCH_ITEM_FAILED), 1, E.felt(E.NOT_WORKER_OWNER))


def test_reentry_through_the_hostile_token_is_refused(world):
    run_steps(world, [Batch(Role.OWNER, "RegisterItem", (RegisterItem(Spec(), 2 * MIN),))], universe=1)
    run_steps(world, [Action(Role.STRANGER, "arm_reentry", (0,))], universe=1)
    outcome = simulate(world, Role.OWNER, "pool", "stake", [1, *u256(T)], universe=1)
    assert error_of(outcome) == E.REENTRANT


def test_fee_above_100_percent_is_refused_at_deployment(world):
    u = world.universes[0]
    call, _ = world.chain.deploy_call(u.class_hashes["JobManager"], [1, u.token, u.pool, u.treasury, 10001, *u256(1)], 99)
    tx = world.chain.invoke_tx(u.actors[Role.ADMIN], [call], nonce=world.chain.nonce(u.actors[Role.ADMIN].address), sign=False)
    outcome = world.chain.simulate([tx])[0]
    assert outcome.reverted and E.felt(E.BAD_FEE) in outcome.revert_felts


def test_lifecycle_success_paths(world):
    """Every entrypoint's success path, through the oracles (singles are replayed one by one too)."""
    steps = SETUP + [
        Batch(Role.OWNER, "UpdateItem", (UpdateItem(1, Spec(cpu_cores=16), True),)),
        Batch(Role.OWNER, "StakeItem", (StakeItem(1, T),)),
        Batch(Role.OWNER, "StakeItem", (StakeItem(1, T), StakeItem(1, 2**80)), PARTIAL, packed=True),
        Batch(Role.COORDINATOR, "ReputationItem", (ReputationItem(1, 600, 1), ReputationItem(2, -1000, 2))),
        Batch(Role.COORDINATOR, "ReputationItem", (ReputationItem(1, -3, 6),) * 5, ATOMIC, packed=True),
        Action(Role.ADMIN, "adjust_network_reputation", (700,)),
        Batch(Role.CLIENT, "VerifyItem", (VerifyItem(1, True),)),
        Batch(Role.OWNER, "ResultItem", (ResultItem(3, 0xBEEF),)),
        Batch(Role.CLIENT, "VerifyItem", (VerifyItem(3, False),)),
        Action(Role.CLIENT, "cancel_job", (2,)),
        Batch(Role.OWNER, "ClaimItem", (ClaimItem(1),)),
        Batch(Role.OWNER, "UnstakeItem", (UnstakeItem(1, MIN),)),
        AdvanceTime(CFG.unstake_delay),
        Action(Role.OWNER, "complete_unstake", (1,)),
        Action(Role.SLASHER, "slash", (2, 5000)),
        Action(Role.ADMIN, "grant_role", (1, 0, list(Role).index(Role.STRANGER))),
        Action(Role.ADMIN, "revoke_role", (1, 0, list(Role).index(Role.STRANGER))),
    ]
    snapshot, _ = run_steps(world, steps)
    w1, w2 = snapshot.worker(1), snapshot.worker(2)
    assert w1.rewards == 0 and w1.pending_unstake == 0 and w2.status == 3
    assert snapshot.network_offset == 700 and w1.reputation == 1000 and w2.reputation == 700
    assert [j.state for j in snapshot.jobs] == [4, 6, 5]
    fee = 10 * CFG.min_payment * CFG.fee_bps // 10000
    assert snapshot.balances["treasury"] == fee + 5 * MIN // 2  # the fee of job 1 and half of worker 2's stake


@pytest.mark.parametrize("size", [0, 1, MAX_BATCH_SIZE])
@pytest.mark.parametrize("mode", [ATOMIC, PARTIAL])
def test_batch_sizes_match_one_by_one(world, size, mode):
    items = tuple(RegisterItem(Spec(capabilities=i % 256), MIN + i) for i in range(size))
    snapshot, results = run_steps(world, [Batch(Role.OWNER, "RegisterItem", items, mode)])
    assert snapshot.worker_count == size
    assert results[0].observation.batched.results[0][0] == size


def test_batch_over_the_maximum_is_refused_before_any_work(world):
    items = tuple(JobItem(1, i, PAY) for i in range(MAX_BATCH_SIZE + 1))
    snapshot, results = run_steps(world, [Batch(Role.CLIENT, "JobItem", items, PARTIAL)])
    assert snapshot.job_count == 0 and error_of(results[0].observation.batched) == E.BATCH_TOO_LARGE


FIXED_BATCHES = {
    "partial-funds-running-total": [Batch(Role.CLIENT, "JobItem", tuple(JobItem(1, i, 3 * 10**25) for i in range(5)), PARTIAL)],
    "atomic-mixed-owners": SETUP + [Batch(Role.OWNER, "StakeItem", (StakeItem(1, T), StakeItem(2, T)), ATOMIC)],
    "partial-mixed-owners": SETUP + [Batch(Role.OWNER, "StakeItem", (StakeItem(1, T), StakeItem(2, T), StakeItem(99, T), StakeItem(1, 0)), PARTIAL)],
    "claims-with-duplicates": SETUP + [Batch(Role.OWNER, "ClaimItem", (ClaimItem(1), ClaimItem(1), ClaimItem(2)), PARTIAL)],
    "reputation-clamps": SETUP + [Batch(Role.COORDINATOR, "ReputationItem", (ReputationItem(1, 1000, 1), ReputationItem(1, 1000, 1), ReputationItem(1, -1000, 3), ReputationItem(3, 1, 1)), PARTIAL)],
    "verify-duplicates-and-strangers": SETUP + [Batch(Role.CLIENT, "VerifyItem", (VerifyItem(1, True), VerifyItem(1, False), VerifyItem(2, True)), PARTIAL)],
    "unstake-then-second-request": SETUP + [Batch(Role.OWNER, "UnstakeItem", (UnstakeItem(1, MIN), UnstakeItem(1, MIN)), PARTIAL)],
}


@pytest.mark.parametrize("name", list(FIXED_BATCHES))
def test_fixed_batches_equal_their_one_by_one_runs(world, name):
    run_steps(world, FIXED_BATCHES[name])


def test_role_granted_at_run_time_is_honoured(world):
    u = world.universes[0]
    run_steps(world, SETUP + [Action(Role.ADMIN, "grant_role", (0, 0, list(Role).index(Role.STRANGER)))])
    outcome = simulate(world, Role.STRANGER, "pool", "update_reputation", [1, 5, 1])
    assert not outcome.reverted
    assert world.chain.call(u.pool, "has_role", [encode_short_string("COORDINATOR"), u.actors[Role.STRANGER].address]) == [1]
