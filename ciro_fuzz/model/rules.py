"""The contracts' item rules that hold whatever the chain's state: field widths and the checks
contracts/src makes before touching storage, named by the contracts' own error strings (model.errors).

The client SDK refuses an item these rules reject before sending anything; an item they accept may still
fail on chain for a reason that depends on state (an unknown worker, insufficient funds), which the
contract reports per item.
"""

from __future__ import annotations

from dataclasses import dataclass

from ciro_fuzz.model import errors
from ciro_fuzz.model.ops import (
    AMOUNT_MAX, FELT_PRIME, MAX_DELTA, ClaimItem, JobItem, RegisterItem, ReputationItem, ResultItem, Spec,
    StakeItem, UnstakeItem, UpdateItem, VerifyItem,
)

MAX_REASON = 7  # mirrors MAX_REASON in contracts/src/reputation.cairo: reasons are 1..7
U8, U16, U32, U256 = 2**8, 2**16, 2**32, 2**256
JOB_ID_MAX = 2**64 - 1  # job ids are u64 storage keys behind a u256 argument (job_manager.cairo, load)


@dataclass(frozen=True)
class Limits:
    """The deployment's constructor values the rules need (read from the contracts' ``config()``)."""

    min_payment: int = 0
    min_stake: int = 0


def _width(name: str, value: object, bound: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{name} must be an integer, got {value!r}"
    if not 0 <= value < bound:
        return f"{name}={value} is outside 0..{bound - 1}"
    return None


def _spec(spec: Spec) -> list[str]:
    found = [
        _width("capabilities", spec.capabilities, U8), _width("gpu_memory_gb", spec.gpu_memory_gb, U16),
        _width("cpu_cores", spec.cpu_cores, U16), _width("ram_gb", spec.ram_gb, U32),
    ]
    problems = [p for p in found if p]
    if not problems and (spec.cpu_cores == 0 or spec.ram_gb == 0):
        problems.append(errors.BAD_SPEC)  # spec_valid: cpu_cores > 0 and ram_gb > 0
    return problems


def _amount(name: str, value: int, too_large: str) -> list[str]:
    problem = _width(name, value, U256)
    if problem:
        return [problem]
    return [too_large] if value > AMOUNT_MAX else []


def item_problems(item: object, limits: Limits = Limits()) -> list[str]:
    """Why the contracts would refuse ``item`` whatever the state: error strings or field messages."""
    if isinstance(item, JobItem):
        problems = [p for p in (_width("model_id", item.model_id, U32), _width("input_hash", item.input_hash, FELT_PRIME)) if p]
        problems += _amount("payment", item.payment, errors.PAYMENT_TOO_LARGE)
        if not problems and item.payment < limits.min_payment:
            problems.append(errors.PAYMENT_BELOW_MINIMUM)
        return problems
    if isinstance(item, (ResultItem, VerifyItem)):
        problems = [p for p in (_width("job_id", item.job_id, U256),) if p]
        if not problems and not 1 <= item.job_id <= JOB_ID_MAX:
            problems.append(errors.UNKNOWN_JOB)
        if isinstance(item, ResultItem):
            problems += [p for p in (_width("result_hash", item.result_hash, FELT_PRIME),) if p]
            if item.result_hash == 0:
                problems.append(errors.ZERO_RESULT)
        return problems
    if isinstance(item, RegisterItem):
        problems = _spec(item.spec) + _amount("stake", item.stake, errors.AMOUNT_TOO_LARGE)
        if not problems and item.stake < limits.min_stake:
            problems.append(errors.STAKE_BELOW_MINIMUM)
        return problems
    return _worker_item_problems(item)


def _worker_item_problems(item: object) -> list[str]:
    worker_id = getattr(item, "worker_id", None)
    problems = [p for p in (_width("worker_id", worker_id, FELT_PRIME),) if p]
    if problems:
        return problems
    unknown = errors.REP_UNKNOWN_WORKER if isinstance(item, ReputationItem) else errors.UNKNOWN_WORKER
    if worker_id == 0:  # worker ids start at 1
        problems.append(unknown)
    if isinstance(item, UpdateItem):
        problems += _spec(item.spec)
    elif isinstance(item, (StakeItem, UnstakeItem)):
        problems += _amount("amount", item.amount, errors.AMOUNT_TOO_LARGE) if isinstance(item, StakeItem) else [p for p in (_width("amount", item.amount, U256),) if p]
        if item.amount == 0:
            problems.append(errors.ZERO_AMOUNT)
    elif isinstance(item, ReputationItem):
        if isinstance(item.delta, bool) or not isinstance(item.delta, int) or not -MAX_DELTA <= item.delta <= MAX_DELTA:
            problems.append(errors.REP_BAD_DELTA)
        if isinstance(item.reason, bool) or not isinstance(item.reason, int) or not 1 <= item.reason <= MAX_REASON:
            problems.append(errors.REP_BAD_REASON)
    elif not isinstance(item, ClaimItem):
        problems.append(f"not an item of the contracts: {item!r}")
    return problems


def duplicate_key(item: object) -> tuple | None:
    """The key under which the contracts refuse an item listed twice in one batch (Batch: duplicate item):
    verifications by job id, claims by worker id; other kinds may repeat."""
    if isinstance(item, VerifyItem):
        return ("verify", item.job_id)
    if isinstance(item, ClaimItem):
        return ("claim", item.worker_id)
    return None
