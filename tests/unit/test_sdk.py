"""The SDK's pure parts: contract rules, builders, chunking, the journal and its fold, operation files,
metrics, accounts, and the `submit` command's bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

import ciro_fuzz.sdk as sdk
from ciro_fuzz.cli import main
from ciro_fuzz.errors import ConfigError, JournalError
from ciro_fuzz.model import errors
from ciro_fuzz.model.ops import AMOUNT_MAX, ClaimItem, JobItem, ReputationItem, ResultItem, Spec, StakeItem, UpdateItem, VerifyItem
from ciro_fuzz.model.rules import Limits, item_problems
from ciro_fuzz.sdk import accounts, metrics, opsfile
from ciro_fuzz.sdk.builders import JobsBatch, PoolBatch
from ciro_fuzz.sdk.chunking import CALL_FRAME, Chunk, calldata_felts, cut, split_at, split_for_gas
from ciro_fuzz.sdk.journal import Journal
from ciro_fuzz.sdk.status import RunState


def test_public_api_is_the_export_list():
    assert set(sdk.__all__) == {name for name in dir(sdk) if not name.startswith("_")} - {
        "accounts", "builders", "chunking", "cli", "client", "journal", "metrics", "opsfile", "status", "submitter",
    }


@pytest.mark.parametrize("item, reason", [
    (JobItem(1, 2, 10), errors.PAYMENT_BELOW_MINIMUM),
    (JobItem(1, 2, AMOUNT_MAX + 1), errors.PAYMENT_TOO_LARGE),
    (ResultItem(0, 5), errors.UNKNOWN_JOB),
    (ResultItem(3, 0), errors.ZERO_RESULT),
    (StakeItem(1, 0), errors.ZERO_AMOUNT),
    (StakeItem(0, 5), errors.UNKNOWN_WORKER),
    (StakeItem(1, AMOUNT_MAX + 1), errors.AMOUNT_TOO_LARGE),
    (ReputationItem(1, 1001, 1), errors.REP_BAD_DELTA),
    (ReputationItem(1, 5, 8), errors.REP_BAD_REASON),
    (ReputationItem(0, 5, 1), errors.REP_UNKNOWN_WORKER),
    (UpdateItem(1, Spec(cpu_cores=0), True), errors.BAD_SPEC),
])
def test_rules_name_the_contracts_own_errors(item, reason):
    assert reason in item_problems(item, Limits(min_payment=100, min_stake=10))


def test_rules_accept_valid_items_and_name_bad_field_widths():
    assert item_problems(JobItem(1, 2, 100), Limits(min_payment=100)) == []
    assert item_problems(VerifyItem(7, False)) == [] and item_problems(ClaimItem(3)) == []
    assert item_problems(JobItem(2**32, 1, 100))[0].startswith("model_id=4294967296 is outside")
    assert "must be an integer" in item_problems(StakeItem("1", 5))[0]  # type: ignore[arg-type]


def test_builders_collect_in_order_and_report_every_bad_item():
    builder = PoolBatch("partial").stake(1, 5).stake(1, 0).reputation(2, 3, 9).claim(4)
    assert builder.mode == 1 and len(builder) == 4
    assert builder.problems() == [(1, errors.ZERO_AMOUNT), (2, errors.REP_BAD_REASON)]
    with pytest.raises(ValueError, match="mode must be"):
        JobsBatch("sometimes")
    with pytest.raises(ValueError, match="not bound to a client"):
        JobsBatch().submit(1, 2, 3).send()


def test_cut_respects_size_kind_runs_calldata_and_duplicates():
    items = [JobItem(1, i, 10) for i in range(120)]
    chunks = cut(items, 0)
    assert [len(c.indexes) for c in chunks] == [50, 50, 20]
    assert [i for c in chunks for i in c.indexes] == list(range(120))
    mixed = [StakeItem(1, 1), StakeItem(2, 1), ClaimItem(1), ClaimItem(1), StakeItem(3, 1)]
    assert [(c.kind, c.indexes) for c in cut(mixed, 1)] == [("StakeItem", (0, 1)), ("ClaimItem", (2,)), ("ClaimItem", (3,)), ("StakeItem", (4,))]
    small = cut(items[:30], 0, max_calldata=60)
    assert all(calldata_felts("JobItem", [items[i] for i in c.indexes], 0, False) <= 60 for c in small)
    with pytest.raises(ValueError, match="max_size"):
        cut(items, 0, max_size=51)


def test_cut_packs_only_where_the_entrypoint_and_the_values_allow():
    stakes = [StakeItem(i + 1, 10**18) for i in range(10)]
    assert cut(stakes, 0, packed=True)[0].packed
    assert not cut([StakeItem(2**33, 1)], 0, packed=True)[0].packed  # worker id past the 32-bit field
    assert not cut([JobItem(1, 1, 10)], 0, packed=True)[0].packed  # jobs have no packed entrypoint
    packed, plain = (calldata_felts("StakeItem", stakes, 0, p) for p in (True, False))
    assert packed < plain and plain == CALL_FRAME + 2 + 3 * 10


@given(n=st.integers(2, 50), gas=st.integers(10**6, 10**9), cap=st.integers(10**6, 10**8))
def test_gas_splits_always_shrink_and_keep_every_item(n, gas, cap):
    chunk = Chunk(0, "JobItem", tuple(range(n)))
    parts, next_id = split_for_gas(chunk, gas, cap, 5)
    assert len(parts) >= 2 and [i for p in parts for i in p.indexes] == list(range(n))
    assert next_id == 5 + len(parts)
    before, _ = split_at(chunk, 1, 9)
    assert [i for p in before for i in p.indexes] == [0] + list(range(2, n))


def _header(n: int = 3, digest: str = "d") -> dict:
    return {"chain_id": "0x1", "contracts": {"jobs": "0x2", "pool": "0x3"}, "account": "0x4", "digest": digest, "mode": 0, "n_items": n}


def test_journal_folds_events_and_reloads_the_same_state(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path, _header())
    journal.append({"e": "plan", "chunks": [Chunk(0, "JobItem", (0, 1, 2)).to_json()]})
    journal.append({"e": "item", "index": 1, "state": "reverted", "reason": errors.JOB_FUNDS, "where": "preflight"})
    journal.append({"e": "split", "chunk": 0, "into": [Chunk(1, "JobItem", (0,)).to_json(), Chunk(2, "JobItem", (2,)).to_json()], "why": "item 1"})
    journal.append({"e": "sent", "chunk": 1, "nonce": 4, "tx_hash": "0xaa", "tx": {}, "estimated_fee": 10, "estimated_gas": 5})
    journal.append({"e": "receipt", "chunk": 1, "reverted": False, "fee": 11, "l2_gas": 5, "latency": 0.1, "items": [[0, True, 7, ""]]})
    state = journal.state
    assert [(i.state, i.id) for i in state.items] == [("accepted", 7), ("reverted", None), ("planned", None)]
    assert [s.chunk.id for s in state.pending("planned")] == [2] and state.transactions == 1
    with pytest.raises(JournalError, match="in use by another running submission"):
        Journal.open(path, _header())
    journal.close()
    again = Journal.open(path, _header())
    again.close()
    assert [i.to_json() for i in again.state.items] == [i.to_json() for i in state.items]
    summary = metrics.summary(again.state, 2.0)
    assert summary["items"]["accepted"] == 1 and summary["fee_estimate_error_mean"] == round(1 / 11, 4)
    text = metrics.prometheus(summary, {"run": "x"})
    assert 'ciro_sdk_items{run="x",state="accepted"} 1' in text and "ciro_sdk_transactions" in text


def test_journal_cuts_a_torn_last_line_but_refuses_corruption_and_strangers(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path, _header())
    journal.append({"e": "plan", "chunks": [Chunk(0, "JobItem", (0, 1, 2)).to_json()]})
    journal.close()
    with open(path, "a") as handle:
        handle.write('{"e":"sent","chunk":0')  # killed mid-write: the send never happened
    resumed = Journal.open(path, _header())
    assert resumed.state.pending("planned") and resumed.resumed
    resumed.append({"e": "done"})  # lands on a line of its own: the torn write was cut
    resumed.close()
    with Journal.open(path, _header()) as reloaded:
        assert reloaded.state.done
    with pytest.raises(JournalError, match="another submission"):
        Journal.open(path, _header(digest="other"))
    path.write_text(path.read_text().replace('{"e":"done"}', '{"e":"sent","chunk":0}'))
    with pytest.raises(JournalError, match="line 3 is not a valid event"):
        Journal.open(path, _header())
    (tmp_path / "x.jsonl").write_text('{"a": 1}\n')
    with pytest.raises(JournalError, match="not a ciro-fuzz submission journal"):
        Journal.open(tmp_path / "x.jsonl", _header())


def test_a_reverted_receipt_replans_its_other_items_in_the_same_line():
    state = RunState.new(3)
    state.apply({"e": "plan", "chunks": [Chunk(0, "StakeItem", (0, 1, 2)).to_json()]})
    state.apply({"e": "sent", "chunk": 0, "nonce": 1, "tx_hash": "0x1", "tx": {}, "estimated_fee": 1, "estimated_gas": 1})
    state.apply({"e": "receipt", "chunk": 0, "reverted": True, "fee": 1, "l2_gas": 1, "latency": 0.0, "reason": "x",
                 "items": [[1, False, None, errors.UNKNOWN_WORKER]], "into": [Chunk(1, "StakeItem", (0,)).to_json(), Chunk(2, "StakeItem", (2,)).to_json()]})
    assert [i.state for i in state.items] == ["retried", "reverted", "retried"] and state.unsettled() == [0, 2]
    assert [c.chunk.indexes for c in state.pending("planned")] == [(0,), (2,)]
    with pytest.raises(ValueError, match="in state split"):
        state.apply({"e": "receipt", "chunk": 0, "reverted": False, "fee": 1, "l2_gas": 1, "latency": 0.0, "items": []})


def test_operation_files_json_and_csv(tmp_path):
    (tmp_path / "ops.json").write_text(json.dumps({"contract": "jobs", "mode": "partial", "operations": [
        {"op": "submit", "model_id": 1, "input_hash": "0x10", "payment": 5}, {"op": "verify", "job_id": 3, "approved": "false"},
    ]}))
    builder = opsfile.load(tmp_path / "ops.json")
    assert builder.items == [JobItem(1, 16, 5), VerifyItem(3, False)] and builder.mode == 1
    (tmp_path / "ops.csv").write_text("op,worker_id,amount,delta,reason\nstake,1,5,,\nreputation,2,,-3,4\n")
    assert opsfile.load(tmp_path / "ops.csv").items == [StakeItem(1, 5), ReputationItem(2, -3, 4)]


@pytest.mark.parametrize("content, words", [
    ("not json", "is not JSON"),
    ('{"operations": [{"op": "fly"}]}', "unknown op 'fly'"),
    ('{"operations": [{"op": "stake", "worker_id": 1, "amount": 1}, {"op": "submit", "model_id": 1, "input_hash": 1, "payment": 1}]}', "one contract per file"),
    ('{"operations": [{"op": "stake", "worker_id": 1}]}', r"operation 0 \(stake\)"),
    ('{"contract": "pool", "operations": [{"op": "submit", "model_id": 1, "input_hash": 1, "payment": 1}]}', "one contract per file"),
    ('{"operations": [{"op": "stake", "worker_id": "one", "amount": 1}]}', "is not an integer"),
    ('{"operations": []}', "has no operations"),
])
def test_operation_files_bad_input_is_one_line(tmp_path, content, words):
    path = tmp_path / "ops.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=words):
        opsfile.load(path)


def test_submit_refuses_invalid_items_before_starting_anything(tmp_path, capsys):
    path = tmp_path / "ops.json"
    path.write_text(json.dumps({"operations": [{"op": "stake", "worker_id": 1, "amount": 0}]}))
    assert main(["submit", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "item 0: Pool: zero amount" in err and len(err.splitlines()) == 1
    assert main(["submit", str(path), "--window", "0"]) == 2
    assert main(["submit", str(tmp_path / "missing.json")]) == 2


def test_accounts_from_environment_and_keystore(tmp_path):
    from eth_keyfile import create_keyfile_json

    assert accounts.from_env({}) is None
    assert accounts.from_env({accounts.ADDRESS_VAR: "0x12", accounts.KEY_VAR: "0x34"}).private_key == 0x34
    with pytest.raises(ConfigError, match="set both"):
        accounts.from_env({accounts.ADDRESS_VAR: "0x12"})
    key = 0x1234567890ABCDEF
    path = tmp_path / "key.json"
    path.write_text(json.dumps(create_keyfile_json(key.to_bytes(32, "big"), b"secret", iterations=2)))
    assert accounts.from_keystore(path, "0x99", "secret").private_key == key
    with pytest.raises(ConfigError, match="wrong password"):
        accounts.from_keystore(path, "0x99", "nope")
    with pytest.raises(ConfigError, match="account address"):
        accounts.from_keystore(path, None, "secret")
