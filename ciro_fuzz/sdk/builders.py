"""Fluent builders of a submission's items, one per contract (pure): ``jobs.batch().submit(...).submit(...)``.

A builder only collects items in the caller's order; :meth:`Builder.problems` checks them with the
contracts' own rules (ciro_fuzz.model.rules) and the client refuses the whole submission, naming every bad
item by index and reason, before anything is sent.
"""

from __future__ import annotations

from ciro_fuzz.model.ops import (
    ATOMIC, PARTIAL, ClaimItem, JobItem, RegisterItem, ReputationItem, ResultItem, Spec, StakeItem, UnstakeItem,
    UpdateItem, VerifyItem,
)
from ciro_fuzz.model.rules import Limits, item_problems

MODES = {"atomic": ATOMIC, "partial": PARTIAL, ATOMIC: ATOMIC, PARTIAL: PARTIAL}


def mode_of(mode: str | int) -> int:
    if mode not in MODES:
        raise ValueError(f"mode must be 'atomic' or 'partial', got {mode!r}")
    return MODES[mode]


class Builder:
    """Items for one contract; ``send()`` submits them through the client that made the builder."""

    contract = ""

    def __init__(self, mode: str | int = "atomic", packed: bool = False, client=None):
        self.mode, self.packed, self.items, self._client = mode_of(mode), packed, [], client

    def add(self, item) -> "Builder":
        self.items.append(item)
        return self

    def problems(self, limits: Limits = Limits()) -> list[tuple[int, str]]:
        """(index, reason) of every item the contracts would refuse whatever the chain's state."""
        return [(i, p) for i, item in enumerate(self.items) for p in item_problems(item, limits)]

    def send(self, journal=None, **options):
        if self._client is None:
            raise ValueError("this builder is not bound to a client; use client.submit(builder)")
        return self._client.submit(self, journal=journal, **options)

    def __len__(self) -> int:
        return len(self.items)


class JobsBatch(Builder):
    """Job manager items: job submissions (client), results (a worker's owner), verifications (client)."""

    contract = "jobs"

    def submit(self, model_id: int, input_hash: int, payment: int) -> "JobsBatch":
        return self.add(JobItem(model_id, input_hash, payment))  # type: ignore[return-value]

    def result(self, job_id: int, result_hash: int) -> "JobsBatch":
        return self.add(ResultItem(job_id, result_hash))  # type: ignore[return-value]

    def verify(self, job_id: int, approved: bool = True) -> "JobsBatch":
        return self.add(VerifyItem(job_id, approved))  # type: ignore[return-value]


class PoolBatch(Builder):
    """CDC pool items: registrations, updates, stakes, unstakes, claims, reputation updates."""

    contract = "pool"

    def register(self, stake: int, capabilities: int = 1, gpu_memory_gb: int = 24, cpu_cores: int = 8, ram_gb: int = 64) -> "PoolBatch":
        return self.add(RegisterItem(Spec(capabilities, gpu_memory_gb, cpu_cores, ram_gb), stake))  # type: ignore[return-value]

    def update(self, worker_id: int, active: bool = True, capabilities: int = 1, gpu_memory_gb: int = 24, cpu_cores: int = 8, ram_gb: int = 64) -> "PoolBatch":
        return self.add(UpdateItem(worker_id, Spec(capabilities, gpu_memory_gb, cpu_cores, ram_gb), active))  # type: ignore[return-value]

    def stake(self, worker_id: int, amount: int) -> "PoolBatch":
        return self.add(StakeItem(worker_id, amount))  # type: ignore[return-value]

    def unstake(self, worker_id: int, amount: int) -> "PoolBatch":
        return self.add(UnstakeItem(worker_id, amount))  # type: ignore[return-value]

    def claim(self, worker_id: int) -> "PoolBatch":
        return self.add(ClaimItem(worker_id))  # type: ignore[return-value]

    def reputation(self, worker_id: int, delta: int, reason: int) -> "PoolBatch":
        return self.add(ReputationItem(worker_id, delta, reason))  # type: ignore[return-value]


BUILDERS = {"jobs": JobsBatch, "pool": PoolBatch}
