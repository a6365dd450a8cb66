"""Access control: every call and every batch item gets the outcome SPEC.md's table declares for its
caller (an unauthorised caller never succeeds; an authorised one is never refused for access), and a
coverage matrix of (role x entrypoint x outcome) is kept per campaign."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ciro_fuzz.engine.executor import ActionObservation, BatchObservation
from ciro_fuzz.engine.snapshot import Snapshot
from ciro_fuzz.model import errors
from ciro_fuzz.model.access import ACCESS_ERRORS, ENTRYPOINTS, REFUSAL, WHOLE_CALL_RULES
from ciro_fuzz.model.ops import MAX_BATCH_SIZE
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles.base import EVENT, Violation, item_failure, reason_of

JOB_ASSIGNED = 2


def _target(item) -> int | None:
    return getattr(item, "worker_id", None) if hasattr(item, "worker_id") else getattr(item, "job_id", None)


def authorized(rule: str, contract: str, actor: str, target: int | None, snap: Snapshot) -> bool | None:
    """Whether ``actor`` may act on ``target``; None when the target's state decides before access does."""
    if rule == "anyone":
        return True
    if rule in ("coordinator", "slasher"):
        return snap.holds(contract, rule.upper(), actor)
    if rule == "admin":
        return actor == snap.admin
    if rule == "worker_owner":
        worker = snap.worker(target) if target is not None else None
        return None if worker is None else worker.owner == actor
    job = snap.job(target) if target is not None else None
    if job is None:
        return None
    if rule == "assigned_owner":
        if job.state != JOB_ASSIGNED:
            return None
        worker = snap.worker(job.worker_id)
        return worker is not None and worker.owner == actor
    if rule == "client_or_admin":
        return actor in (job.client, snap.admin)
    if rule == "client":
        return actor == job.client
    raise ValueError(f"unknown access rule {rule!r}")


@dataclass
class AccessMatrix:
    """(role, entrypoint) -> Counter of outcomes: allowed, refused (access error), failed (other error)."""

    cells: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))

    def record(self, role: str, entrypoint: str, outcome: str) -> None:
        self.cells[(role, entrypoint)][outcome] += 1

    def declared(self) -> list[tuple[str, str]]:
        return [(r.value, e) for e in ENTRYPOINTS for r in Role]

    def covered(self) -> int:
        return sum(1 for cell in self.declared() if self.cells.get(cell))

    def missing(self) -> list[tuple[str, str]]:
        return [cell for cell in self.declared() if not self.cells.get(cell)]

    def to_json(self) -> dict:
        return {f"{r}|{e}": dict(self.cells.get((r, e), {})) for r, e in self.declared()}

    def merge(self, other: "AccessMatrix") -> None:
        for cell, counts in other.cells.items():
            self.cells[cell].update(counts)


def _judge(rule: str, entrypoint: str, actor: str, allowed: bool | None, failed: str | None) -> Violation | None:
    if allowed is False and failed is None:
        return Violation("access", f"{actor} called {entrypoint} and succeeded, but SPEC.md allows only {rule.replace('_', ' ')}")
    if allowed is True and failed is not None and failed == REFUSAL.get(rule):
        return Violation("access", f"{actor} may call {entrypoint} ({rule.replace('_', ' ')}) yet was refused with '{failed}'")
    if allowed is False and rule in WHOLE_CALL_RULES and failed != REFUSAL[rule]:
        return Violation("access", f"{actor} lacks {rule} for {entrypoint}: expected '{REFUSAL[rule]}', got '{failed}'")
    return None


def _label(failed: str | None) -> str:
    return "allowed" if failed is None else ("refused" if failed in ACCESS_ERRORS else "failed")


def check_access_batch(obs: BatchObservation, snap: Snapshot, matrix: AccessMatrix) -> list[Violation]:
    step = obs.step
    actor = step.actor.value
    out: list[Violation] = []
    single, batch_fn = step.entry.single, step.batch_function()
    contract, rule = ENTRYPOINTS[single]
    for item, s in zip(step.items, obs.sequential):
        failed = reason_of(s) if s.reverted else None
        matrix.record(actor, single, _label(failed))
        violation = _judge(rule, single, actor, authorized(rule, contract, actor, _target(item), snap), failed)
        if violation:
            out.append(violation)
            break
    for i, failed in _batch_item_outcomes(obs):
        matrix.record(actor, batch_fn, _label(failed))
        item = step.items[i] if i is not None and i < len(step.items) else None
        allowed = authorized(rule, contract, actor, _target(item) if item else None, snap) if (item is not None or rule in WHOLE_CALL_RULES) else None
        violation = _judge(rule, batch_fn, actor, allowed, failed)
        if violation:
            out.append(violation)
            break
    return out


def _batch_item_outcomes(obs: BatchObservation) -> list[tuple[int | None, str | None]]:
    """Per-item (index, failure) of the batch replay; (None, reason) when the whole call was refused."""
    b, items = obs.batched, obs.step.items
    if b.reverted:
        got = item_failure(b)
        if got is None or len(items) > MAX_BATCH_SIZE:
            return [(None, reason_of(b))]
        k, reason = got
        if not 0 <= k < len(items):  # a wrong index is the equivalence oracle's finding; judge the call whole
            return [(None, reason)]
        return [(i, None) for i in range(k)] + [(k, reason)]
    events = [e for e in b.events if e.keys and e.keys[0] == EVENT["BatchExecuted"]]
    if not events:
        return []
    data = events[0].data
    codes = data[6 + data[4] : 6 + data[4] + data[5 + data[4]]]
    return [(i, errors.text(c) if c else None) for i, c in enumerate(codes)] or [(None, None)]


def check_access_action(obs: ActionObservation, snap: Snapshot, matrix: AccessMatrix) -> list[Violation]:
    step = obs.step
    if step.name not in ENTRYPOINTS:
        return []
    contract, rule = ENTRYPOINTS[step.name]
    failed = reason_of(obs.outcome) if obs.outcome.reverted else None
    matrix.record(step.actor.value, step.name, _label(failed))
    target = step.args[0] if step.args and rule not in WHOLE_CALL_RULES else None
    violation = _judge(rule, step.name, step.actor.value, authorized(rule, contract, step.actor.value, target, snap), failed)
    return [violation] if violation else []


__all__ = ["AccessMatrix", "authorized", "check_access_action", "check_access_batch"]
