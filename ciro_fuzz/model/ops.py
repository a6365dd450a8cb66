"""Operations as frozen dataclasses (pure data) and their calldata for the single and batch entrypoints.

An item is one unit of work (a job submission, a stake, ...). ``Batch`` sends many items through one
``batch_*`` entrypoint; ``Single`` sends one item through the single-item entrypoint; ``Action`` is
any other call of the lifecycle (assignment, rewards, slashing, time, roles).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar, Union

from ciro_fuzz.model.roles import Role

FELT_PRIME = 2**251 + 17 * 2**192 + 1
ATOMIC, PARTIAL = 0, 1
MAX_BATCH_SIZE = 50  # mirrors MAX_BATCH_SIZE in contracts/src/utils/batch.cairo
AMOUNT_MAX = 2**88 - 1  # the packing bound of stakes and payments
MAX_DELTA = 1000


def u256(value: int) -> list[int]:
    return [value & (2**128 - 1), value >> 128]


def signed(value: int) -> int:
    return value % FELT_PRIME


@dataclass(frozen=True)
class Spec:
    capabilities: int = 1
    gpu_memory_gb: int = 24
    cpu_cores: int = 8
    ram_gb: int = 64

    def calldata(self) -> list[int]:
        return [self.capabilities, self.gpu_memory_gb, self.cpu_cores, self.ram_gb]


@dataclass(frozen=True)
class JobItem:
    model_id: int
    input_hash: int
    payment: int
    area: ClassVar[str] = "jobs"

    def calldata(self) -> list[int]:
        return [self.model_id, self.input_hash, *u256(self.payment)]


@dataclass(frozen=True)
class ResultItem:
    job_id: int
    result_hash: int
    area: ClassVar[str] = "results"

    def calldata(self) -> list[int]:
        return [*u256(self.job_id), self.result_hash]


@dataclass(frozen=True)
class VerifyItem:
    job_id: int
    approved: bool
    area: ClassVar[str] = "verifications"

    def calldata(self) -> list[int]:
        return [*u256(self.job_id), int(self.approved)]


@dataclass(frozen=True)
class RegisterItem:
    spec: Spec
    stake: int
    area: ClassVar[str] = "registrations"

    def calldata(self) -> list[int]:
        return [*self.spec.calldata(), *u256(self.stake)]


@dataclass(frozen=True)
class UpdateItem:
    worker_id: int
    spec: Spec
    active: bool
    area: ClassVar[str] = "updates"

    def calldata(self) -> list[int]:
        return [self.worker_id, *self.spec.calldata(), int(self.active)]


@dataclass(frozen=True)
class StakeItem:
    worker_id: int
    amount: int
    area: ClassVar[str] = "stakes"

    def calldata(self) -> list[int]:
        return [self.worker_id, *u256(self.amount)]


@dataclass(frozen=True)
class UnstakeItem:
    worker_id: int
    amount: int
    area: ClassVar[str] = "unstakes"

    def calldata(self) -> list[int]:
        return [self.worker_id, *u256(self.amount)]


@dataclass(frozen=True)
class ClaimItem:
    worker_id: int
    area: ClassVar[str] = "claims"

    def calldata(self) -> list[int]:
        return [self.worker_id]


@dataclass(frozen=True)
class ReputationItem:
    worker_id: int
    delta: int
    reason: int
    area: ClassVar[str] = "reputation"

    def calldata(self) -> list[int]:
        return [self.worker_id, signed(self.delta), self.reason]


Item = Union[JobItem, ResultItem, VerifyItem, RegisterItem, UpdateItem, StakeItem, UnstakeItem, ClaimItem, ReputationItem]


@dataclass(frozen=True)
class Entry:
    """Where an item kind goes: contract, single entrypoint, batch entrypoint, packed batch (if any)."""

    contract: str
    single: str
    batch: str
    packed: str | None = None


ENTRIES: dict[type, Entry] = {
    JobItem: Entry("jobs", "submit_job", "batch_submit_jobs"),
    ResultItem: Entry("jobs", "submit_result", "batch_submit_results"),
    VerifyItem: Entry("jobs", "verify_result", "batch_verify_results"),
    RegisterItem: Entry("pool", "register_worker", "batch_register_workers"),
    UpdateItem: Entry("pool", "update_worker", "batch_update_workers"),
    StakeItem: Entry("pool", "stake", "batch_stake", "batch_stake_packed"),
    UnstakeItem: Entry("pool", "unstake", "batch_unstake"),
    ClaimItem: Entry("pool", "claim_rewards", "batch_claim_rewards"),
    ReputationItem: Entry("pool", "update_reputation", "batch_update_reputation", "batch_update_reputation_packed"),
}
ITEM_TYPES = {cls.__name__: cls for cls in ENTRIES}


def pack_stakes(items: list[StakeItem]) -> list[int]:
    """Two stakes per felt, ``worker_id 32 | amount 88``; the contract rejects out-of-range fields."""
    words = []
    for i in range(0, len(items), 2):
        word = 0
        for j, item in enumerate(items[i : i + 2]):
            word |= ((item.worker_id & (2**32 - 1)) | (min(item.amount, AMOUNT_MAX) << 32)) << (120 * j)
        words.append(word)
    return words


def pack_reputation(items: list[ReputationItem]) -> list[int]:
    """Four updates per felt, ``worker_id 32 | delta+1000 16 | reason 8``."""
    words = []
    for i in range(0, len(items), 4):
        word = 0
        for j, item in enumerate(items[i : i + 4]):
            field_ = (item.worker_id & (2**32 - 1)) | (((item.delta + 1000) & 0xFFFF) << 32) | ((item.reason & 0xFF) << 48)
            word |= field_ << (56 * j)
        words.append(word)
    return words


def packable(items: tuple) -> bool:
    """Whether the packed form carries exactly these items (it cannot carry values past the field widths)."""
    for item in items:
        if isinstance(item, StakeItem) and not (0 <= item.worker_id < 2**32 and 0 <= item.amount <= AMOUNT_MAX):
            return False
        if isinstance(item, ReputationItem) and not (0 <= item.worker_id < 2**32 and -1000 <= item.delta <= 1000 and 0 <= item.reason < 256):
            return False
    return True


@dataclass(frozen=True)
class Batch:
    """Items of one kind sent by ``actor`` through the batch entrypoint (or one by one for comparison)."""

    actor: Role
    kind: str  # the item class name, e.g. "StakeItem" (kept even when the batch is empty)
    items: tuple
    mode: int = ATOMIC
    packed: bool = False

    @property
    def entry(self) -> Entry:
        return ENTRIES[ITEM_TYPES[self.kind]]

    def batch_calldata(self) -> list[int]:
        items = list(self.items)
        if self.packed:
            words = pack_stakes(items) if self.entry.batch == "batch_stake" else pack_reputation(items)
            return [len(words), *words, len(items), self.mode]
        flat = [v for item in items for v in item.calldata()]
        return [len(items), *flat, self.mode]

    def batch_function(self) -> str:
        return self.entry.packed if self.packed and self.entry.packed else self.entry.batch


@dataclass(frozen=True)
class Action:
    """A lifecycle call outside the batch comparison: assign, distribute, slash, complete, cancel, adjust,
    roles, time. ``args`` are plain ints (job and worker ids are universe-relative already)."""

    actor: Role
    name: str
    args: tuple[int, ...] = ()


ACTIONS = {
    # name: (contract, entrypoint, calldata builder)
    "assign_job": ("jobs", "assign_job", lambda a: [*u256(a[0]), a[1]]),
    "distribute_rewards": ("pool", "distribute_rewards", lambda a: [a[0], *u256(a[1])]),
    "slash": ("pool", "slash", lambda a: [a[0], a[1]]),
    "complete_unstake": ("pool", "complete_unstake", lambda a: [a[0]]),
    "cancel_job": ("jobs", "cancel_job", lambda a: [*u256(a[0])]),
    "adjust_network_reputation": ("pool", "adjust_network_reputation", lambda a: [signed(a[0])]),
    # These name other actors or contracts, so the executor resolves them against the universe:
    # grant_role/revoke_role args = (contract 0 pool | 1 jobs, role 0 COORDINATOR | 1 SLASHER, holder index
    # in Role); arm_reentry args = (index into engine.machine.REENTRY_TARGETS,).
    "grant_role": ("dynamic", "grant_role", None),
    "revoke_role": ("dynamic", "revoke_role", None),
    "arm_reentry": ("dynamic", "arm", None),
}


@dataclass(frozen=True)
class AdvanceTime:
    seconds: int


Step = Union[Batch, Action, AdvanceTime]


def item_to_json(item: Item) -> dict:
    return {"kind": type(item).__name__, **_plain(asdict(item))}


def item_from_json(raw: dict) -> Item:
    """Inverse of item_to_json; raises ValueError naming the bad item."""
    raw = dict(raw)
    cls = ITEM_TYPES.get(raw.pop("kind", None))
    if cls is None:
        raise ValueError(f"unknown item kind in {raw!r}")
    if "spec" in raw:
        raw["spec"] = Spec(**raw["spec"])
    try:
        return cls(**raw)
    except TypeError as exc:
        raise ValueError(f"bad {cls.__name__} fields {sorted(raw)}: {exc}") from exc


def step_to_json(step: Step) -> dict:
    if isinstance(step, Batch):
        return {
            "type": "batch", "actor": step.actor.value, "kind": step.kind, "mode": step.mode, "packed": step.packed,
            "items": [item_to_json(i) for i in step.items],
        }
    if isinstance(step, Action):
        return {"type": "action", "actor": step.actor.value, "name": step.name, "args": list(step.args)}
    return {"type": "advance_time", "seconds": step.seconds}


def _plain(d: dict) -> dict:
    return {k: (v if not isinstance(v, dict) else dict(v)) for k, v in d.items()}


def step_from_json(data: dict) -> Step:
    """Inverse of step_to_json; raises ValueError naming the bad field."""
    kind = data.get("type")
    if kind == "batch":
        items = [item_from_json(raw) for raw in data["items"]]
        if data.get("kind") not in ITEM_TYPES:
            raise ValueError(f"unknown batch kind {data.get('kind')!r}")
        return Batch(Role(data["actor"]), data["kind"], tuple(items), int(data["mode"]), bool(data.get("packed", False)))
    if kind == "action":
        if data["name"] not in ACTIONS:
            raise ValueError(f"unknown action {data['name']!r}")
        return Action(Role(data["actor"]), data["name"], tuple(int(a) for a in data["args"]))
    if kind == "advance_time":
        return AdvanceTime(int(data["seconds"]))
    raise ValueError(f"unknown step type {kind!r}")
