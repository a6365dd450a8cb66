"""Equivalence: a batch equals its items sent one by one, under contracts/SPEC.md's contract.

Atomic: when every item succeeds one by one, the batch succeeds and the complete state (storage of every
project contract, token balances included), the return values and the events match; otherwise the batch
reverts with [Batch: item failed, k, reason] for the first failing item k and leaves no trace.
Partial: the state matches the one-by-one run with the failing items skipped, and the per-item result
codes name exactly the items that failed and why. A batch over MAX_BATCH_SIZE is refused whole.
Declared differences only: nonces and fees (not compared), event shape (one BatchExecuted instead of one
event per item; token transfers compared as net flows), and a repeated claim or verification failing as
'Batch: duplicate item' where the one-by-one run fails with the state error.
"""

from __future__ import annotations

from collections import Counter

from ciro_fuzz.chain.client import Outcome
from ciro_fuzz.engine.executor import BatchObservation, project_storage
from ciro_fuzz.model import errors
from ciro_fuzz.model.ops import ATOMIC, MAX_BATCH_SIZE, ClaimItem, VerifyItem
from ciro_fuzz.oracles.base import EVENT, Violation, item_failure, reason_of

SINGLE_EVENT = {
    "submit_job": "JobSubmitted", "submit_result": "ResultSubmitted", "verify_result": "ResultVerified",
    "register_worker": "WorkerRegistered", "update_worker": "WorkerUpdated", "stake": "Staked",
    "unstake": "UnstakeRequested", "claim_rewards": "RewardsClaimed", "update_reputation": "ReputationUpdated",
}


def _dup_key(item) -> int | None:
    if isinstance(item, ClaimItem):
        return item.worker_id
    if isinstance(item, VerifyItem):
        return item.job_id
    return None


def duplicates(items: tuple) -> list[bool]:
    """Which items repeat the key of an earlier item of the same batch (claims and verifications)."""
    seen, out = set(), []
    for item in items:
        key = _dup_key(item)
        out.append(key is not None and key in seen)
        if key is not None:
            seen.add(key)
    return out


def check_equivalence(obs: BatchObservation) -> list[Violation]:
    step, b, seq = obs.step, obs.batched, obs.sequential
    v = lambda msg: Violation("equivalence", f"{step.batch_function()} ({'atomic' if step.mode == ATOMIC else 'partial'}, {len(step.items)} items): {msg}")  # noqa: E731
    if len(step.items) > MAX_BATCH_SIZE:
        if not b.reverted or errors.felt(errors.BATCH_TOO_LARGE) not in b.revert_felts:
            return [v(f"a batch over {MAX_BATCH_SIZE} items must be refused with '{errors.BATCH_TOO_LARGE}', got {b.revert_reason or 'success'}")]
        return _no_trace(obs, v)
    ok = [not s.reverted for s in seq]
    reasons = [None if s_ok else reason_of(s) for s, s_ok in zip(seq, ok)]
    dups = duplicates(step.items)
    for i, (is_dup, s_ok) in enumerate(zip(dups, ok)):
        if is_dup and s_ok:
            return [v(f"item {i} repeats an earlier claim or verification yet succeeded one by one")]
    expected = [None if s_ok else (errors.BATCH_DUPLICATE if d else r) for s_ok, d, r in zip(ok, dups, reasons)]
    if b.reverted and item_failure(b) is None:
        # Refused whole (SPEC.md, equivalence contract 6): the caller lacks the role, or a transfer the
        # batch makes after its updates fails (a re-entrant token): every single must fail too, one of
        # them for the same reason.
        whole = reason_of(b)
        if all(not s_ok for s_ok in ok) and (not seq or whole in reasons):
            return _no_trace(obs, v)
        return [v(f"batch refused whole with '{whole}' but one by one the items gave {[r or 'ok' for r in reasons][:8]}")]
    if step.mode == ATOMIC and not all(ok):
        k = ok.index(False)
        if not b.reverted:
            return [v(f"item {k} fails one by one ({reasons[k]}) but the atomic batch succeeded")]
        got = item_failure(b)
        if got != (k, expected[k]):
            return [v(f"atomic batch must revert with [{errors.BATCH_ITEM_FAILED}, {k}, {expected[k]}], got {b.revert_reason}")]
        return _no_trace(obs, v)
    if b.reverted:
        return [v(f"batch reverted ({b.revert_reason}) though {'every item succeeds' if all(ok) else 'partial mode skips failures'} one by one")]
    out = _compare_state(obs, v)
    out += _compare_events(obs, expected, v)
    out += _compare_returns(obs, ok, v)
    return out


def _no_trace(obs: BatchObservation, v) -> list[Violation]:
    """A refused batch writes no storage of any project contract (fees and nonce are not project state)."""
    wrote = sorted(project_storage(obs.batched.storage_diff))
    if wrote:
        labels = [f"{obs.labels.get(a, hex(a))}[{k:#x}]" for a, k in wrote[:3]]
        return [v(f"the refused batch still wrote {len(wrote)} storage slot(s): {', '.join(labels)}")]
    return []


def _compare_state(obs: BatchObservation, v) -> list[Violation]:
    diff = [k for k in obs.final_batched if obs.final_batched[k] != obs.final_sequential.get(k)]
    if not diff:
        return []
    sample = ", ".join(f"{c}[{key:#x}]: batch {obs.final_batched[(c, key)]:#x} vs one-by-one {obs.final_sequential.get((c, key), 0):#x}" for c, key in diff[:3])
    return [v(f"final storage differs in {len(diff)} slot(s): {sample}")]


def _flows(outcomes: list[Outcome], token_label: str, labels: dict[int, str]) -> Counter:
    flows: Counter = Counter()
    for outcome in outcomes:
        for e in outcome.events:
            if labels.get(e.from_address) == token_label and e.keys and e.keys[0] == EVENT["Transfer"]:
                flows[(labels.get(e.keys[1], hex(e.keys[1])), labels.get(e.keys[2], hex(e.keys[2])))] += e.data[0] + (e.data[1] << 128)
    return Counter({k: n for k, n in flows.items() if n})


def _compare_events(obs: BatchObservation, expected: list[str | None], v) -> list[Violation]:
    step, b = obs.step, obs.batched
    out = []
    seq_ok = [s for s in obs.sequential if not s.reverted]
    if _flows([b], "token", obs.labels) != _flows(seq_ok, "token", obs.labels):
        out.append(v(f"token transfers differ: batch {dict(_flows([b], 'token', obs.labels))} vs one-by-one {dict(_flows(seq_ok, 'token', obs.labels))}"))
    batch_events = [e for e in b.events if e.keys and e.keys[0] == EVENT["BatchExecuted"]]
    domain = [e for e in b.events if e.keys and e.keys[0] not in (EVENT["BatchExecuted"], EVENT["Transfer"])]
    if len(batch_events) != 1 or domain:
        return out + [v(f"expected exactly one BatchExecuted and no per-item events, got {len(batch_events)} and {len(domain)}")]
    data = batch_events[0].data
    total = data[1]
    ids = list(data[5 : 5 + data[4]])
    codes = list(data[6 + data[4] : 6 + data[4] + data[5 + data[4]]])
    want_codes = [0 if e is None else errors.felt(e) for e in expected]
    if total != len(step.items) or codes != want_codes:
        got = [errors.text(c) if c else "ok" for c in codes]
        return out + [v(f"per-item results {got} but one by one gave {[e or 'ok' for e in expected]}")]
    single_name = SINGLE_EVENT[step.entry.single]
    for i, s in enumerate(obs.sequential):
        if s.reverted:
            continue
        mine = [e for e in s.events if e.keys and e.keys[0] == EVENT[single_name]]
        if len(mine) != 1 or mine[0].keys[1] != ids[i]:
            out.append(v(f"item {i}: one-by-one {single_name} event {[(e.keys[1:]) for e in mine]} does not map to BatchExecuted id {ids[i]}"))
            break
    return out


def _compare_returns(obs: BatchObservation, ok: list[bool], v) -> list[Violation]:
    step, b = obs.step, obs.batched
    ret = list(b.results[0]) if b.results else []
    function = step.entry.batch
    if function in ("batch_submit_jobs", "batch_register_workers", "batch_verify_results"):
        width = 2 if function == "batch_submit_jobs" else 1
        values = [tuple(ret[1 + i * width : 1 + (i + 1) * width]) for i in range(ret[0] if ret else 0)]
        if function == "batch_verify_results":
            want = [(int(s_ok and item.approved),) for s_ok, item in zip(ok, step.items)]
        else:
            want = [tuple(s.results[0]) if s_ok else (0,) * width for s, s_ok in zip(obs.sequential, ok)]
        if values != want:
            return [v(f"batch returned {values[:6]} but one by one returned {want[:6]}")]
        return []
    first = ok.index(False) if False in ok else len(ok)
    want_result = [len(ok), sum(ok), len(ok) - sum(ok), first]
    if ret != want_result:
        return [v(f"BatchResult {ret} but one by one gives total/succeeded/failed/first_failure {want_result}")]
    return []
