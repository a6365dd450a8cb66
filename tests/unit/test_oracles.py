"""The oracles as pure functions over hand-made observations: each holds on a correct observation and
names the violation on a wrong one."""

from dataclasses import replace

from ciro_fuzz.chain.client import Event, Outcome
from ciro_fuzz.engine.executor import BatchObservation
from ciro_fuzz.engine.snapshot import Job, Snapshot, Worker
from ciro_fuzz.model import errors
from ciro_fuzz.model.ops import ATOMIC, PARTIAL, Batch, ClaimItem, StakeItem
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles import check_dos, check_equivalence, check_invariants
from ciro_fuzz.oracles.base import EVENT

POOL, TOKEN = 0x10, 0x20
LABELS = {POOL: "pool", TOKEN: "token", 0x30: "owner"}


def outcome(events=(), reverted=False, felts=(), results=(), storage=None, gas=1000):
    return Outcome(None, reverted, ", ".join(errors.text(f) for f in felts), tuple(felts), tuple(events), gas, 0, 10, tuple(results), storage or {}, {})


def batch_event(ids, codes, mode=ATOMIC):
    ok = sum(1 for c in codes if c == 0)
    first = next((i for i, c in enumerate(codes) if c), len(codes))
    return Event(POOL, (EVENT["BatchExecuted"], 1, 0x30), (mode, len(ids), ok, first, len(ids), *ids, len(codes), *codes))


def staked(worker):
    return Event(POOL, (EVENT["Staked"], worker), (5, 0))


def transfer(amount):
    return Event(TOKEN, (EVENT["Transfer"], 0x30, POOL), (amount, 0))


def observe(step, batched, sequential, final_b=None, final_s=None):
    final_b = final_b or {("pool", 1): 5}
    final_s = final_s or dict(final_b)
    return BatchObservation(step, batched, tuple(sequential), final_b, final_s, 12, LABELS)


STEP = Batch(Role.OWNER, "StakeItem", (StakeItem(1, 5), StakeItem(2, 5)), ATOMIC)


def test_atomic_success_matches():
    b = outcome([batch_event([1, 2], [0, 0]), transfer(10)], results=[(2, 2, 0, 2)])
    seq = [outcome([staked(1), transfer(5)]), outcome([staked(2), transfer(5)])]
    assert check_equivalence(observe(STEP, b, seq)) == []


def test_state_difference_is_named():
    b = outcome([batch_event([1, 2], [0, 0]), transfer(10)], results=[(2, 2, 0, 2)])
    seq = [outcome([staked(1), transfer(5)]), outcome([staked(2), transfer(5)])]
    found = check_equivalence(observe(STEP, b, seq, {("pool", 1): 5}, {("pool", 1): 6}))
    assert found and "final storage differs" in found[0].message


def test_atomic_failure_must_name_the_first_failing_item():
    reason = errors.felt(errors.NOT_WORKER_OWNER)
    seq = [outcome([staked(1), transfer(5)]), outcome(reverted=True, felts=[reason])]
    good = outcome(reverted=True, felts=[errors.felt(errors.BATCH_ITEM_FAILED), 1, reason])
    assert check_equivalence(observe(STEP, good, seq, {("pool", 1): 0}, {("pool", 1): 5})) == []
    wrong = outcome(reverted=True, felts=[errors.felt(errors.BATCH_ITEM_FAILED), 2, reason])
    assert "must revert with" in check_equivalence(observe(STEP, wrong, seq))[0].message
    succeeded = outcome([batch_event([1, 2], [0, 0])], results=[(2, 2, 0, 2)])
    assert "atomic batch succeeded" in check_equivalence(observe(STEP, succeeded, seq))[0].message


def test_refused_batch_must_leave_no_trace():
    reason = errors.felt(errors.NOT_WORKER_OWNER)
    seq = [outcome(reverted=True, felts=[reason]), outcome(reverted=True, felts=[reason])]
    traced = outcome(reverted=True, felts=[errors.felt(errors.BATCH_ITEM_FAILED), 0, reason], storage={POOL: {7: 1}})
    assert "still wrote" in check_equivalence(observe(STEP, traced, seq))[0].message


def test_partial_codes_must_name_exactly_the_failed_items():
    step = replace(STEP, mode=PARTIAL)
    reason = errors.felt(errors.ZERO_AMOUNT)
    seq = [outcome([staked(1), transfer(5)]), outcome(reverted=True, felts=[reason])]
    good = outcome([batch_event([1, 2], [0, reason], PARTIAL), transfer(5)], results=[(2, 1, 1, 1)])
    assert check_equivalence(observe(step, good, seq)) == []
    wrong = outcome([batch_event([1, 2], [0, 0], PARTIAL), transfer(5)], results=[(2, 2, 0, 2)])
    assert "per-item results" in check_equivalence(observe(step, wrong, seq))[0].message


def test_duplicate_claims_are_a_declared_difference():
    step = Batch(Role.OWNER, "ClaimItem", (ClaimItem(1), ClaimItem(1)), PARTIAL)
    nothing = errors.felt(errors.NOTHING_TO_CLAIM)
    seq = [outcome([Event(POOL, (EVENT["RewardsClaimed"], 1), (5, 0)), Event(TOKEN, (EVENT["Transfer"], POOL, 0x30), (5, 0))]), outcome(reverted=True, felts=[nothing])]
    b = outcome([batch_event([1, 1], [0, errors.felt(errors.BATCH_DUPLICATE)], PARTIAL), Event(TOKEN, (EVENT["Transfer"], POOL, 0x30), (5, 0))], results=[(2, 1, 1, 1)])
    assert check_equivalence(observe(step, b, seq)) == []


def test_oversized_batches_must_be_refused():
    step = Batch(Role.OWNER, "StakeItem", tuple(StakeItem(1, 1) for _ in range(51)), PARTIAL)
    ok = outcome([batch_event(list(range(51)), [0] * 51, PARTIAL)])
    assert "must be refused" in check_equivalence(observe(step, ok, [outcome() for _ in range(51)]))[0].message


def test_dos_limits_include_the_calldata_limit_devnet_does_not_enforce():
    obs = replace(observe(STEP, outcome(gas=2_000_000_000), []), calldata_felts=6000)
    messages = " ".join(v.message for v in check_dos(obs))
    assert "execution limit" in messages and "5000-felt" in messages


def _snapshot(**changes):
    base = dict(
        workers=(Worker(1, "owner", 1, 1, 1, 1, 1, 0, 10, 0, 0, 0, 500),), jobs=(Job(1, "client", 1, 1, 7, 0, 1, 0, 0),),
        worker_count=1, job_count=1, total_stake=10, total_pending=0, total_rewards=0, escrow=7, network_offset=0,
        total_supply=100, balances={"pool": 10, "jobs": 7, "owner": 83},
    )
    base.update(changes)
    return Snapshot(**base)


def test_invariants_hold_on_a_consistent_state_and_name_each_break():
    assert check_invariants(_snapshot()) == []
    assert "total_stake" in check_invariants(_snapshot(total_stake=11))[0].message
    assert "conservation" in check_invariants(_snapshot(total_supply=99))[0].message
    assert "escrow" in check_invariants(_snapshot(escrow=8))[0].message
    bad_rep = (Worker(1, "owner", 1, 1, 1, 1, 1, 0, 10, 0, 0, 0, 1001),)
    assert "reputation" in check_invariants(_snapshot(workers=bad_rep))[0].message
