"""The SDK's entry point: a client bound to an RPC endpoint, an account and the deployed contracts, whose
builders submit through a journal and return where every item stands."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ciro_fuzz.chain.client import Actor, Chain
from ciro_fuzz.errors import ConfigError, InvalidItems, JournalError
from ciro_fuzz.model.ops import item_to_json
from ciro_fuzz.model.rules import Limits
from ciro_fuzz.sdk import metrics
from ciro_fuzz.sdk.builders import BUILDERS, Builder, JobsBatch, PoolBatch
from ciro_fuzz.sdk.journal import Journal, digest
from ciro_fuzz.sdk.status import ItemStatus, RunState
from ciro_fuzz.sdk.submitter import SubmitOptions, Submitter

DEFAULT_JOURNALS = Path("reports") / "sdk"


@dataclass(frozen=True)
class Submission:
    """The outcome of one submission: per item state in the caller's order, metrics, the journal."""

    items: tuple[ItemStatus, ...]
    metrics: dict
    journal: Path

    def ids(self) -> list[int | None]:
        """New job or worker ids per item (None for items that created nothing)."""
        return [item.id for item in self.items]

    def failed(self) -> list[tuple[int, str]]:
        return [(item.index, item.reason) for item in self.items if item.state == "reverted"]

    @property
    def complete(self) -> bool:
        return all(item.state in ("accepted", "reverted") for item in self.items)


class _Contract:
    def __init__(self, client: "Client", name: str):
        self.client, self.name = client, name

    def batch(self, mode: str | int = "atomic", packed: bool = False) -> Builder:
        return BUILDERS[self.name](mode, packed, client=self.client)


class Client:
    """Submits builders' items for one account; several clients may run at once (one per thread)."""

    def __init__(self, chain: Chain, account: Actor, contracts: dict[str, int], options: SubmitOptions = SubmitOptions()):
        missing = [name for name in ("jobs", "pool") if not contracts.get(name)]
        if missing:
            raise ConfigError(f"missing contract address(es): {', '.join(missing)}; give --jobs and --pool")
        self.chain, self.account, self.contracts, self.options = chain, account, dict(contracts), options
        self._limits: Limits | None = None

    @classmethod
    def connect(cls, rpc_url: str, account: Actor, jobs: int, pool: int, timeout: float = 30.0, **options) -> "Client":
        return cls(Chain(rpc_url, timeout=timeout), account, {"jobs": jobs, "pool": pool}, SubmitOptions(**options))

    @property
    def jobs(self) -> _Contract:
        return _Contract(self, "jobs")

    @property
    def pool(self) -> _Contract:
        return _Contract(self, "pool")

    def limits(self) -> Limits:
        """The deployment's minimum payment and stake, read once from the contracts' config()."""
        if self._limits is None:
            jobs = self.chain.call(self.contracts["jobs"], "config")
            pool = self.chain.call(self.contracts["pool"], "config")
            self._limits = Limits(min_payment=jobs[4] + (jobs[5] << 128), min_stake=pool[2] + (pool[3] << 128))
        return self._limits

    def submit(
        self, builder: Builder | JobsBatch | PoolBatch, journal: Path | str | None = None, on_progress: Callable[[RunState], None] | None = None,
        journal_dir: Path | str = DEFAULT_JOURNALS, journal_prefix: str = "journal", **overrides,
    ) -> Submission:
        """Validate every item, then chunk, send and settle them; an existing journal of the same
        submission is resumed (nothing it sent is sent again). Without ``journal`` the journal is named
        after the items and the account in ``journal_dir``."""
        problems = builder.problems(self.limits())
        if problems:
            raise InvalidItems(problems)
        options = replace(self.options, mode=builder.mode, packed=builder.packed, **overrides)
        items_json = [item_to_json(i) for i in builder.items]
        header = {
            "chain_id": hex(self.chain.chain_id), "contracts": {k: hex(v) for k, v in sorted(self.contracts.items())},
            "account": hex(self.account.address), "digest": digest(items_json), "mode": options.mode, "n_items": len(items_json),
        }
        path = Path(journal) if journal else Path(journal_dir) / journal_name(header, journal_prefix)
        log = Journal.open(path, header)
        try:
            if log.resumed:
                self._check_same_chain(log)
            began = time.monotonic()
            progress = (lambda: on_progress(log.state)) if on_progress else None
            Submitter(self.chain, self.account, self.contracts, builder.items, options, log, progress).run()
            summary = metrics.summary(log.state, time.monotonic() - began)
            return Submission(tuple(log.state.items), summary, path)
        finally:
            log.close()

    def _check_same_chain(self, log: Journal) -> None:
        """A journal's settled transactions must be on this chain: a fresh devnet has the same chain id,
        addresses and accounts as the one a journal was written on, but none of its transactions."""
        settled = [c for c in log.state.chunks.values() if c.tx_hash and c.state in ("accepted", "reverted", "split")]
        if settled and self.chain.find_receipt(int(settled[-1].tx_hash, 16)) is None:  # type: ignore[arg-type]
            raise JournalError(
                f"journal {log.path} records transaction {settled[-1].tx_hash}, which this chain does not know "
                "(a restarted devnet without its dump?); give another --journal to submit again"
            )


def journal_name(header: dict, prefix: str = "journal") -> str:
    """A journal file name of its own per item list and account: the same submission finds its journal
    again (and resumes), another one never collides with it."""
    return f"{prefix}-{header['digest'][:16]}-{header['account'][2:]}.jsonl"


def submit_parallel(work: list[tuple[Client, Builder]], journal_dir: Path | str = DEFAULT_JOURNALS, **overrides) -> list[Submission]:
    """Submit independent builders at once, one thread and one RPC connection each (the same account may
    appear twice: its nonce races are retried). Results in the order of ``work``."""
    results: list[Submission | BaseException | None] = [None] * len(work)

    def one(k: int, client: Client, builder: Builder) -> None:
        own = Client(Chain(client.chain.url, timeout=client.chain.timeout), client.account, client.contracts, client.options)
        try:
            results[k] = own.submit(builder, journal_dir=journal_dir, journal_prefix=f"parallel-{k}", **overrides)
        except BaseException as exc:  # re-raised in the caller's thread below
            results[k] = exc

    threads = [threading.Thread(target=one, args=(k, c, b), name=f"submitter-{k}") for k, (c, b) in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]
