"""The contracts' revert reasons, mirrored once from contracts/src/errors.cairo (a test keeps them equal)."""

from __future__ import annotations

MISSING_ROLE = "Access: missing role"
ONLY_ADMIN = "Access: only admin"
BATCH_TOO_LARGE = "Batch: too large"
BATCH_BAD_MODE = "Batch: bad mode"
BATCH_ITEM_FAILED = "Batch: item failed"
BATCH_DUPLICATE = "Batch: duplicate item"
REENTRANT = "Batch: reentrant call"
BAD_PAGE = "Batch: bad page"
PACKED_OUT_OF_RANGE = "Packed: field out of range"
INSUFFICIENT_BALANCE = "ERC20: insufficient balance"
INSUFFICIENT_ALLOWANCE = "ERC20: insufficient allowance"
ZERO_ADDRESS = "ERC20: zero address"
ONLY_MINTER = "ERC20: only minter"
STAKE_BELOW_MINIMUM = "Pool: stake below minimum"
AMOUNT_TOO_LARGE = "Pool: amount too large"
ZERO_AMOUNT = "Pool: zero amount"
UNKNOWN_WORKER = "Pool: unknown worker"
NOT_WORKER_OWNER = "Pool: not worker owner"
WORKER_NOT_ACTIVE = "Pool: worker not active"
WORKER_SLASHED = "Pool: worker slashed"
BAD_SPEC = "Pool: bad spec"
INSUFFICIENT_STAKE = "Pool: insufficient stake"
UNSTAKE_PENDING = "Pool: unstake pending"
NO_UNSTAKE = "Pool: no unstake pending"
UNSTAKE_LOCKED = "Pool: unstake locked"
NOTHING_TO_CLAIM = "Pool: nothing to claim"
POOL_FUNDS = "Pool: insufficient funds"
BAD_SLASH = "Pool: bad slash"
REP_UNKNOWN_WORKER = "Rep: unknown worker"
REP_BAD_DELTA = "Rep: delta out of range"
REP_BAD_REASON = "Rep: bad reason"
PAYMENT_BELOW_MINIMUM = "Job: payment below minimum"
PAYMENT_TOO_LARGE = "Job: payment too large"
UNKNOWN_JOB = "Job: unknown job"
WRONG_STATE = "Job: wrong state"
NOT_CLIENT = "Job: not client"
NOT_ASSIGNED_WORKER = "Job: not assigned worker"
NOT_VERIFIER = "Job: not verifier"
ZERO_RESULT = "Job: zero result"
JOB_FUNDS = "Job: insufficient funds"
BAD_FEE = "Job: bad fee"

ALL = {name: value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)}
BY_FELT = {int.from_bytes(v.encode(), "big"): v for v in ALL.values()}


def felt(reason: str) -> int:
    """The felt252 short string the contracts panic with."""
    return int.from_bytes(reason.encode("ascii"), "big")


def text(value: int) -> str:
    """The reason for a felt, or its hex when it is not a declared reason."""
    return BY_FELT.get(value, hex(value))
