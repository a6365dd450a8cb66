"""The client SDK against a real devnet: chunking, the gas and calldata limits, per-item results, bad
input, journals, parallel submitters, and the one-by-one property (faults and restarts: test_sdk_faults)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from starknet_py.net.client_models import Call

from ciro_fuzz.chain.client import Chain, selector
from ciro_fuzz.engine.snapshot import read_snapshot
from ciro_fuzz.errors import InvalidItems, JournalError
from ciro_fuzz.model.ops import AMOUNT_MAX, ENTRIES, ClaimItem, RegisterItem, Spec, StakeItem, UnstakeItem, UpdateItem
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles.base import reason_of
from ciro_fuzz.sdk import Client, submit_parallel
from tests.devnet.helpers import job_count, journal_events


def client_for(universe, role: Role) -> Client:
    return Client(Chain(universe.url), universe.actors[role], universe.contracts)


@pytest.mark.parametrize("n", [1, 10, 50, 100, 1000])
def test_chunking_uses_the_fewest_transactions_and_keeps_the_callers_order(sdk_universe, tmp_path, n):
    client = client_for(sdk_universe, Role.CLIENT)
    before = job_count(client)
    builder = client.jobs.batch()
    for i in range(n):
        builder.submit(model_id=7, input_hash=10_000 + i, payment=10**16 + i)
    result = builder.send(journal=tmp_path / "j.jsonl")
    assert result.complete and [i.state for i in result.items] == ["accepted"] * n
    assert result.metrics["transactions"] == math.ceil(n / 50)
    assert result.ids() == list(range(before + 1, before + n + 1))
    assert job_count(client) == before + n
    # the job an item created carries that item's payment: the caller's order is kept end to end
    last = client.chain.call(sdk_universe.jobs, "get_job", [before + n, 0])
    assert last[5] + (last[6] << 128) == 10**16 + n - 1


def test_a_batch_over_the_gas_cap_is_split_to_fit(sdk_universe, tmp_path):
    cap = 12_000_000  # a registration costs about 1.9M L2 gas: 20 of them need several transactions
    client = Client(Chain(sdk_universe.url), sdk_universe.actors[Role.OTHER_OWNER], sdk_universe.contracts)
    builder = client.pool.batch()
    for _ in range(20):
        builder.register(stake=2 * 10**18)
    before = client.chain.call(sdk_universe.pool, "worker_count")[0]
    result = client.submit(builder, journal=tmp_path / "j.jsonl", max_l2_gas=cap)
    assert [i.state for i in result.items] == ["accepted"] * 20
    assert result.ids() == list(range(before + 1, before + 21))
    events = journal_events(result.journal)
    assert any(e["e"] == "split" and "over the cap" in e["why"] for e in events)
    receipts = [e for e in events if e["e"] == "receipt"]
    assert len(receipts) == result.metrics["transactions"] >= 3
    assert all(r["l2_gas"] <= cap for r in receipts)


def test_calldata_limit_is_respected(sdk_universe, tmp_path):
    client = client_for(sdk_universe, Role.CLIENT)
    builder = client.jobs.batch()
    for i in range(30):
        builder.submit(1, 20_000 + i, 10**16)
    result = client.submit(builder, journal=tmp_path / "j.jsonl", max_calldata=60)
    sent = [e for e in journal_events(result.journal) if e["e"] == "sent"]
    assert all(len(e["tx"]["calldata"]) <= 60 for e in sent)
    assert len(sent) == math.ceil(30 / ((60 - 6) // 4)) and result.complete


def test_atomic_isolates_the_bad_item_and_partial_reports_it(sdk_universe, tmp_path):
    owner = Client(Chain(sdk_universe.url), sdk_universe.actors[Role.OWNER], sdk_universe.contracts)
    registered = owner.pool.batch().register(2 * 10**18).register(2 * 10**18).send(journal=tmp_path / "r.jsonl").ids()
    unknown = 10**6
    results = {}
    for mode in ("atomic", "partial"):
        builder = owner.pool.batch(mode=mode)
        for worker in (registered[0], unknown, registered[1], unknown + 1):
            builder.stake(worker, 10**18)
        results[mode] = builder.send(journal=tmp_path / f"{mode}.jsonl")
        assert [(i.state, i.reason) for i in results[mode].items] == [
            ("accepted", ""), ("reverted", "Pool: unknown worker"), ("accepted", ""), ("reverted", "Pool: unknown worker"),
        ], mode
    # atomic: the pre-flight simulation isolated the bad items, so no transaction reverted on chain
    assert [i.where for i in results["atomic"].items if i.state == "reverted"] == ["preflight", "preflight"]
    assert not any(e["e"] == "receipt" and e["reverted"] for e in journal_events(results["atomic"].journal))
    assert results["partial"].metrics["transactions"] == 1


def test_invalid_items_are_named_before_any_transaction(sdk_universe, tmp_path):
    owner = Client(Chain(sdk_universe.url), sdk_universe.actors[Role.OWNER], sdk_universe.contracts)
    nonce = owner.chain.nonce(owner.account.address, refresh=True)
    builder = owner.pool.batch().stake(1, 10**18).stake(1, 0).reputation(1, 5000, 3).register(stake=1, cpu_cores=0)
    with pytest.raises(InvalidItems) as caught:
        builder.send(journal=tmp_path / "j.jsonl")
    message = str(caught.value)
    assert "item 1: Pool: zero amount" in message and "item 2: Rep: delta out of range" in message and "item 3: Pool: bad spec" in message
    assert "\n" not in message
    assert owner.chain.nonce(owner.account.address, refresh=True) == nonce and not (tmp_path / "j.jsonl").exists()


def test_a_journal_of_another_submission_or_a_corrupted_one_is_refused(sdk_universe, tmp_path):
    client = client_for(sdk_universe, Role.CLIENT)
    path = tmp_path / "j.jsonl"
    client.jobs.batch().submit(1, 1, 10**16).send(journal=path)
    with pytest.raises(JournalError, match="another submission"):
        client.jobs.batch().submit(1, 2, 10**16).send(journal=path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2] + ["{not json"] + lines[2:]) + "\n")
    with pytest.raises(JournalError, match="line 3 is not JSON"):
        client.jobs.batch().submit(1, 1, 10**16).send(journal=path)
    path.write_text("hello\n")
    with pytest.raises(JournalError):
        client.jobs.batch().submit(1, 1, 10**16).send(journal=path)


def test_a_finished_journal_is_resumed_without_sending_again(sdk_universe, tmp_path):
    client = client_for(sdk_universe, Role.CLIENT)
    builder = client.jobs.batch()
    for i in range(60):
        builder.submit(1, 30_000 + i, 10**16)
    first = builder.send(journal=tmp_path / "j.jsonl")
    before = job_count(client)
    again = builder.send(journal=tmp_path / "j.jsonl")
    assert job_count(client) == before and again.ids() == first.ids() and again.metrics["transactions"] == 2


def test_parallel_submitters_with_several_accounts_and_one_shared_account(sdk_universe, tmp_path):
    roles = [Role.CLIENT, Role.STRANGER, Role.CLIENT]  # the CLIENT account twice: its nonces race
    work = []
    for k, role in enumerate(roles):
        client = client_for(sdk_universe, role)
        builder = client.jobs.batch()
        for i in range(120):
            builder.submit(2, 1_000_000 * (k + 1) + i, 10**16)
        work.append((client, builder))
    before = job_count(work[0][0])
    results = submit_parallel(work, journal_dir=tmp_path)
    ids = [i for r in results for i in r.ids()]
    assert all(r.complete and r.failed() == [] for r in results)
    assert sorted(ids) == list(range(before + 1, before + 361))  # every item once, none twice
    assert job_count(work[0][0]) == before + 360
    for (client, builder), result in zip(work, results):  # each id is the job of its own item
        job = client.chain.call(sdk_universe.jobs, "get_job", [result.ids()[7], 0])
        assert job[4] == builder.items[7].input_hash


# the property: chunked equals one by one -----------------------------------------------------------
WORKERS = 3
worker_ids = st.integers(1, WORKERS + 2)  # two unknown ids
amounts = st.sampled_from([1, 10**17, 10**18, 3 * 10**18, AMOUNT_MAX])
pool_items = st.one_of(
    st.builds(StakeItem, worker_ids, amounts), st.builds(UnstakeItem, worker_ids, amounts),
    st.builds(ClaimItem, worker_ids), st.builds(UpdateItem, worker_ids, st.just(Spec(2, 48, 16, 128)), st.booleans()),
)


@given(items=st.lists(pool_items, min_size=1, max_size=9), mode=st.sampled_from(["atomic", "partial"]))
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_property_chunked_result_equals_one_by_one(session_world, tmp_path_factory, items, mode):
    """Random item lists: the SDK's per-item results and the resulting state equal sending the items one by
    one (universe 0 through the SDK in chunks of 3, universe 1 item by item, same block)."""
    world = session_world
    world.reset()
    chain = world.chain
    sdk_side, single_side = world.universes
    for universe in (sdk_side, single_side):
        owner = universe.actors[Role.OWNER]
        for _ in range(WORKERS):
            chain.invoke_ok(owner, Call(universe.pool, selector("register_worker"), RegisterItem(Spec(), 2 * 10**18).calldata()))
    world.dirty = True
    client = Client(Chain(chain.url), sdk_side.actors[Role.OWNER], {"jobs": sdk_side.jobs, "pool": sdk_side.pool})
    builder = client.pool.batch(mode=mode)
    for item in items:
        builder.add(item)
    result = client.submit(builder, journal=tmp_path_factory.mktemp("prop") / "j.jsonl", max_batch=3)
    chain.forget_nonces()  # both universes' owner is the same account, and the SDK used it meanwhile
    owner = single_side.actors[Role.OWNER]
    singles = [chain.invoke(owner, Call(single_side.pool, selector(ENTRIES[type(i)].single), i.calldata())) for i in items]
    expected = [("reverted", reason_of(o)) if o.reverted else ("accepted", "") for o in singles]
    assert [(i.state, i.reason) for i in result.items] == expected
    assert read_snapshot(chain, sdk_side) == read_snapshot(chain, single_side)
    world.reset()


def test_packed_calldata_where_the_contract_offers_it(sdk_universe, tmp_path):
    owner = Client(Chain(sdk_universe.url), sdk_universe.actors[Role.OWNER], sdk_universe.contracts)
    worker = owner.pool.batch().register(2 * 10**18).send(journal=tmp_path / "r.jsonl").ids()[0]
    total = lambda: owner.chain.call(sdk_universe.pool, "total_stake")[0]  # noqa: E731
    before = total()
    builder = owner.pool.batch(packed=True)
    for k in range(60):
        builder.stake(worker, 10**15 + k)
    result = builder.send(journal=tmp_path / "p.jsonl")
    plan = [e for e in journal_events(result.journal) if e["e"] == "plan"][0]
    sent = [e for e in journal_events(result.journal) if e["e"] == "sent"]
    assert all(c["packed"] for c in plan["chunks"]) and result.complete and not result.failed()
    assert max(len(e["tx"]["calldata"]) for e in sent) < 50  # 50 stakes in 25 felts, not 150
    assert total() - before == sum(10**15 + k for k in range(60))


def test_a_chunk_the_contract_refuses_whole_is_reported_without_a_transaction(sdk_universe, tmp_path):
    stranger = client_for(sdk_universe, Role.STRANGER)  # reputation updates need the coordinator role
    nonce = stranger.chain.nonce(stranger.account.address, refresh=True)
    result = stranger.pool.batch(mode="partial").reputation(1, 5, 1).reputation(2, -5, 2).send(journal=tmp_path / "j.jsonl")
    assert [(i.state, i.reason, i.where) for i in result.items] == [("reverted", "Access: missing role", "preflight")] * 2
    assert result.metrics["transactions"] == 0 and result.metrics["chunks"]["reverted"] == 1
    assert stranger.chain.nonce(stranger.account.address, refresh=True) == nonce
