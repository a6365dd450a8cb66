"""Invariants checked on the complete state after every step: token conservation, escrow equal to the
unpaid jobs, pool totals equal to the sums over workers and backed by the pool's balance, reputation
within 0..1000, ids unique and dense."""

from __future__ import annotations

from ciro_fuzz.engine.snapshot import Snapshot
from ciro_fuzz.oracles.base import Violation

UNPAID_STATES = (1, 2, 3)  # Pending, Assigned, Completed


def check_invariants(snap: Snapshot) -> list[Violation]:
    v = lambda msg: Violation("invariants", msg)  # noqa: E731
    out = []
    held = sum(snap.balances.values())
    if held != snap.total_supply:
        out.append(v(f"token conservation: balances sum to {held}, total supply is {snap.total_supply}"))
    unpaid = sum(j.payment for j in snap.jobs if j.state in UNPAID_STATES)
    if snap.escrow != unpaid:
        out.append(v(f"escrow_total {snap.escrow} != sum of unpaid job payments {unpaid}"))
    if snap.balances.get("jobs", 0) != snap.escrow:
        out.append(v(f"JobMgr holds {snap.balances.get('jobs', 0)} tokens but escrow is {snap.escrow}"))
    sums = {
        "total_stake": (snap.total_stake, sum(w.stake for w in snap.workers)),
        "total_pending_unstake": (snap.total_pending, sum(w.pending_unstake for w in snap.workers)),
        "total_rewards": (snap.total_rewards, sum(w.rewards for w in snap.workers)),
    }
    for name, (total, summed) in sums.items():
        if total != summed:
            out.append(v(f"pool {name} {total} != sum over workers {summed}"))
    backing = snap.total_stake + snap.total_pending + snap.total_rewards
    if snap.balances.get("pool", 0) != backing:
        out.append(v(f"pool holds {snap.balances.get('pool', 0)} tokens but owes {backing} (stake + pending + rewards)"))
    for w in snap.workers:
        if not 0 <= w.reputation <= 1000:
            out.append(v(f"worker {w.worker_id} reputation {w.reputation} outside 0..1000"))
            break
    if [w.worker_id for w in snap.workers] != list(range(1, snap.worker_count + 1)) or any(w.status == 0 for w in snap.workers):
        out.append(v(f"worker ids not dense 1..{snap.worker_count} or a listed worker does not exist"))
    if [j.job_id for j in snap.jobs] != list(range(1, snap.job_count + 1)) or any(j.state == 0 for j in snap.jobs):
        out.append(v(f"job ids not dense 1..{snap.job_count} or a listed job does not exist"))
    if not -1000 <= snap.network_offset <= 1000:
        out.append(v(f"network reputation offset {snap.network_offset} outside -1000..1000"))
    return out
