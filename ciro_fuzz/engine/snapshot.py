"""Read the complete observable state of a universe in one JSON-RPC batch: every worker, every job,
the pool's and JobMgr's totals and every holder's token balance (addresses replaced by role labels)."""

from __future__ import annotations

from dataclasses import dataclass

from ciro_fuzz.chain.client import Chain, encode_short_string, selector
from ciro_fuzz.chain.rpc import batch_request
from ciro_fuzz.chain.universe import Universe

ROLE_NAMES = ("COORDINATOR", "SLASHER")
PAGE = 100  # MAX_PAGE of contracts/src/utils/batch.cairo
WORKER_FELTS = 16
JOB_FELTS = 11


@dataclass(frozen=True)
class Worker:
    worker_id: int
    owner: str
    capabilities: int
    gpu_memory_gb: int
    cpu_cores: int
    ram_gb: int
    status: int
    registered_at: int
    stake: int
    pending_unstake: int
    unlock_at: int
    rewards: int
    reputation: int


@dataclass(frozen=True)
class Job:
    job_id: int
    client: str
    model_id: int
    input_hash: int
    payment: int
    worker_id: int
    state: int
    submitted_at: int
    result_hash: int


@dataclass(frozen=True)
class Snapshot:
    workers: tuple[Worker, ...]
    jobs: tuple[Job, ...]
    worker_count: int
    job_count: int
    total_stake: int
    total_pending: int
    total_rewards: int
    escrow: int
    network_offset: int
    total_supply: int
    balances: dict[str, int]
    roles: frozenset[tuple[str, str, str]] = frozenset()  # (contract, role, holder label)
    admin: str = "admin"

    def holds(self, contract: str, role: str, label: str) -> bool:
        return (contract, role, label) in self.roles

    def worker(self, worker_id: int) -> Worker | None:
        return self.workers[worker_id - 1] if 1 <= worker_id <= len(self.workers) else None

    def job(self, job_id: int) -> Job | None:
        return self.jobs[job_id - 1] if 1 <= job_id <= len(self.jobs) else None


def _call(universe: Universe, contract: str, function: str, calldata: list[int] = ()) -> tuple[str, dict]:
    request = {"contract_address": hex(universe.contract(contract)), "entry_point_selector": hex(selector(function)), "calldata": [hex(v) for v in calldata]}
    return "starknet_call", {"request": request, "block_id": "pre_confirmed"}


def _signed(value: int) -> int:
    from ciro_fuzz.model.ops import FELT_PRIME

    return value - FELT_PRIME if value > FELT_PRIME // 2 else value


def read_snapshot(chain: Chain, universe: Universe) -> Snapshot:
    labels = universe.labels()
    holders = sorted(labels, key=lambda a: labels[a])
    head = [
        _call(universe, "pool", "worker_count"), _call(universe, "jobs", "job_count"),
        _call(universe, "pool", "total_stake"), _call(universe, "pool", "total_pending_unstake"),
        _call(universe, "pool", "total_rewards"), _call(universe, "jobs", "escrow_total"),
        _call(universe, "pool", "network_offset"), _call(universe, "token", "total_supply"),
    ] + [_call(universe, "token", "balance_of", [a]) for a in holders]
    role_cells = [(c, r, role.value, actor.address) for c in ("pool", "jobs") for r in ROLE_NAMES for role, actor in universe.actors.items()]
    head += [_call(universe, c, "has_role", [encode_short_string(r), a]) for c, r, _, a in role_cells]
    raw = [[int(v, 16) for v in r] for r in batch_request(chain.rpc, head)]  # type: ignore[union-attr]
    n_head = 8 + len(holders)
    held = frozenset((c, r, label) for (c, r, label, _), reply in zip(role_cells, raw[n_head:]) if reply and reply[0])
    worker_count, job_count = raw[0][0], raw[1][0] + (raw[1][1] << 128)
    pages = [_call(universe, "pool", "get_workers_page", [start, PAGE]) for start in range(1, worker_count + 1, PAGE)]
    pages += [_call(universe, "jobs", "get_jobs_page", [start, 0, PAGE]) for start in range(1, job_count + 1, PAGE)]
    page_data = [[int(v, 16) for v in r] for r in batch_request(chain.rpc, pages)]  # type: ignore[union-attr]
    worker_pages, job_pages = page_data[: len(range(1, worker_count + 1, PAGE))], page_data[len(range(1, worker_count + 1, PAGE)) :]
    workers = [_worker(flat, labels) for page in worker_pages for flat in _chunks(page[1:], WORKER_FELTS)]
    jobs = [_job(flat, labels) for page in job_pages for flat in _chunks(page[1:], JOB_FELTS)]
    u = lambda r: r[0] + (r[1] << 128)  # noqa: E731
    return Snapshot(
        workers=tuple(workers), jobs=tuple(jobs), worker_count=worker_count, job_count=job_count,
        total_stake=u(raw[2]), total_pending=u(raw[3]), total_rewards=u(raw[4]), escrow=u(raw[5]),
        network_offset=_signed(raw[6][0]), total_supply=u(raw[7]),
        balances={labels[a]: u(r) for a, r in zip(holders, raw[8:n_head])}, roles=held,
    )


def _chunks(flat: list[int], size: int) -> list[list[int]]:
    return [flat[i : i + size] for i in range(0, len(flat), size)]


def _worker(f: list[int], labels: dict[int, str]) -> Worker:
    return Worker(
        worker_id=f[0], owner=labels.get(f[1], hex(f[1])), capabilities=f[2], gpu_memory_gb=f[3], cpu_cores=f[4],
        ram_gb=f[5], status=f[6], registered_at=f[7], stake=f[8] + (f[9] << 128), pending_unstake=f[10] + (f[11] << 128),
        unlock_at=f[12], rewards=f[13] + (f[14] << 128), reputation=f[15],
    )


def _job(f: list[int], labels: dict[int, str]) -> Job:
    return Job(
        job_id=f[0] + (f[1] << 128), client=labels.get(f[2], hex(f[2])), model_id=f[3], input_hash=f[4],
        payment=f[5] + (f[6] << 128), worker_id=f[7], state=f[8], submitted_at=f[9], result_hash=f[10],
    )
