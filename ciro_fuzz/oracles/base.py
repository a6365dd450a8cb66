"""What an oracle reports, and the event and revert decoding the oracles share."""

from __future__ import annotations

from dataclasses import dataclass

from starknet_py.hash.selector import get_selector_from_name

from ciro_fuzz.chain.client import Outcome
from ciro_fuzz.model import errors


@dataclass(frozen=True)
class Violation:
    oracle: str  # "equivalence", "access", "dos", "invariants"
    message: str

    def __str__(self) -> str:
        return f"[{self.oracle}] {self.message}"


EVENT = {name: get_selector_from_name(name) for name in (
    "Transfer", "Approval", "BatchExecuted", "JobSubmitted", "JobAssigned", "ResultSubmitted", "ResultVerified",
    "JobCancelled", "WorkerRegistered", "WorkerUpdated", "Staked", "UnstakeRequested", "UnstakeCompleted",
    "RewardsDistributed", "RewardsClaimed", "Slashed", "ReputationUpdated", "NetworkAdjusted", "RoleChanged",
)}
EVENT_NAME = {v: k for k, v in EVENT.items()}


def reason_of(outcome: Outcome) -> str:
    """The declared error a reverted outcome failed with (the first declared one), else its raw text."""
    for felt in outcome.revert_felts:
        if felt in errors.BY_FELT:
            return errors.BY_FELT[felt]
    return outcome.revert_reason or "(no reason)"


def item_failure(outcome: Outcome) -> tuple[int, str] | None:
    """For an atomic batch revert [Batch: item failed, index, reason]: (index, reason)."""
    felts = list(outcome.revert_felts)
    marker = errors.felt(errors.BATCH_ITEM_FAILED)
    if marker in felts:
        i = felts.index(marker)
        if i + 2 < len(felts):
            return felts[i + 1], errors.text(felts[i + 2])
    return None
