"""`ciro-fuzz bench sdk`: committed job submissions per second and transactions used by the SDK's batches
against one transaction per item (10, 100 and 1,000 items), latency per batch size, and 1, 2 and 4
parallel submitters, each run on its own devnet in transaction block-generation mode."""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
from pathlib import Path
from typing import Iterator

from starknet_py.net.client_models import Call

from ciro_fuzz.bench import machine, median
from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Actor, Chain, selector
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.chain.universe import deploy_universe
from ciro_fuzz.errors import SubmitError
from ciro_fuzz.model.ops import Batch, JobItem
from ciro_fuzz.model.roles import Role
from ciro_fuzz.records.format import tool_versions
from ciro_fuzz.sdk import Client, JobsBatch, submit_parallel
from ciro_fuzz.settings import UniverseConfig
from ciro_fuzz.toolchain import locate

SIZES = (10, 100, 1000)
BATCH_SIZES = (1, 10, 25, 50)
LATENCY_REPEATS = 3  # direct batch transactions per size and run
PARALLEL = (1, 2, 4)
PARALLEL_ITEMS = 1000
# Four actors that hold tokens and approved the job manager (ciro_fuzz.chain.universe), one per submitter.
SUBMITTERS = (Role.CLIENT, Role.STRANGER, Role.OWNER, Role.OTHER_OWNER)
PAYMENT = 10**16
MODEL_ID = 1


def _jobs(hashes: Iterator[int], n: int) -> list[JobItem]:
    return [JobItem(MODEL_ID, next(hashes), PAYMENT) for _ in range(n)]


def _builder(client: Client, hashes: Iterator[int], n: int) -> JobsBatch:
    """An atomic jobs batch of ``n`` submissions, built with the SDK's fluent API."""
    batch = client.jobs.batch()
    for item in _jobs(hashes, n):
        batch.submit(item.model_id, item.input_hash, item.payment)
    return batch


def _checked(submission, n: int) -> dict:
    """The submission's metrics, refusing a run where any item was not committed (its rate would lie)."""
    accepted = submission.metrics["items"]["accepted"]
    if accepted != n:
        raise SubmitError(f"bench sdk: {accepted} of {n} items accepted ({submission.failed()[:3]}); see {submission.journal}")
    return submission.metrics


def sdk_rate(client: Client, hashes: Iterator[int], n: int, journal: Path) -> dict:
    """One submitter sends ``n`` job submissions through the SDK; wall time from build to settled."""
    began = time.perf_counter()
    metrics = _checked(_builder(client, hashes, n).send(journal=journal), n)
    seconds = time.perf_counter() - began
    return {"items_per_s": n / seconds, "transactions": metrics["transactions"], "elapsed_s": seconds, "latency_by_chunk_size": metrics["latency_by_chunk_size"]}


def one_by_one_rate(chain: Chain, actor: Actor, jobs: int, hashes: Iterator[int], n: int) -> dict:
    """The same items as single `submit_job` transactions, each sent and its receipt awaited."""
    chain.forget_nonces()  # the SDK's clients sent for this account through other connections
    began = time.perf_counter()
    for item in _jobs(hashes, n):
        chain.invoke_ok(actor, Call(jobs, selector("submit_job"), item.calldata()))
    seconds = time.perf_counter() - began
    return {"items_per_s": n / seconds, "transactions": n, "elapsed_s": seconds}


def batch_latency(chain: Chain, actor: Actor, jobs: int, hashes: Iterator[int], size: int) -> float:
    """Seconds from sending one signed atomic `batch_submit_jobs` of ``size`` items to its receipt."""
    batch = Batch(Role.CLIENT, "JobItem", tuple(_jobs(hashes, size)))
    chain.forget_nonces()
    tx = chain.invoke_tx(actor, [Call(jobs, selector(batch.batch_function()), batch.batch_calldata())])
    began = time.perf_counter()
    outcome = chain.receipt(chain.send(tx))
    seconds = time.perf_counter() - began
    if outcome.reverted:
        raise SubmitError(f"bench sdk: a batch of {size} job submissions reverted: {outcome.revert_reason}")
    return seconds


def parallel_rate(clients: list[Client], hashes: Iterator[int], k: int, journal_dir: Path) -> dict:
    """``PARALLEL_ITEMS`` job submissions split evenly over ``k`` submitters, each its own account."""
    share = PARALLEL_ITEMS // k
    work = [(client, _builder(client, hashes, share)) for client in clients[:k]]
    began = time.perf_counter()
    results = submit_parallel(work, journal_dir=journal_dir)
    seconds = time.perf_counter() - began
    transactions = sum(_checked(r, share)["transactions"] for r in results)
    return {"items_per_s": share * k / seconds, "transactions": transactions, "elapsed_s": seconds}


def one_run() -> dict:
    """Every measure once, on a fresh devnet and universe (fresh input hashes throughout)."""
    options = DevnetOptions(block_generation="transaction", log_dir=Path(tempfile.mkdtemp()))
    with tempfile.TemporaryDirectory(prefix="ciro-bench-sdk-") as tmp, Devnet(locate().devnet, options, name="bench-sdk") as devnet:
        journals = Path(tmp)
        chain = Chain(devnet.rpc_url)
        universe = deploy_universe(chain, build(), UniverseConfig())
        contracts = {"jobs": universe.jobs, "pool": universe.pool}
        clients = [Client(Chain(devnet.rpc_url), universe.actors[role], contracts) for role in SUBMITTERS]
        actor, jobs, hashes = universe.actors[Role.CLIENT], universe.jobs, itertools.count(1)
        sizes = {
            str(n): {"sdk": sdk_rate(clients[0], hashes, n, journals / f"sdk-{n}.jsonl"), "one_by_one": one_by_one_rate(chain, actor, jobs, hashes, n)}
            for n in SIZES
        }
        latency = {str(size): [batch_latency(chain, actor, jobs, hashes, size) for _ in range(LATENCY_REPEATS)] for size in BATCH_SIZES}
        parallel = {str(k): parallel_rate(clients, hashes, k, journals / f"parallel-{k}") for k in PARALLEL}
        return {"sizes": sizes, "batch_latency_s": latency, "parallel": parallel}


def _sizes_table(samples: list[dict]) -> dict:
    """Per item count: medians of the SDK against one transaction per item, and their ratios."""
    out = {}
    for n in SIZES:
        pick = lambda side, key: median([s["sizes"][str(n)][side][key] for s in samples])  # noqa: E731
        sdk, single, transactions = pick("sdk", "items_per_s"), pick("one_by_one", "items_per_s"), pick("sdk", "transactions")
        out[str(n)] = {
            "sdk items/s": round(sdk, 1), "sdk tx": transactions, "one-by-one items/s": round(single, 1), "one-by-one tx": n,
            "speedup": round(sdk / single, 1), "tx ratio": round(n / transactions, 1), "sdk elapsed s": round(pick("sdk", "elapsed_s"), 2),
        }
    return out


def _latency_tables(samples: list[dict]) -> tuple[dict, dict]:
    """Median seconds per batch size: one batch sent directly, and the SDK's own per-chunk figure."""
    direct = {str(k): round(statistics.median([t for s in samples for t in s["batch_latency_s"][str(k)]]), 3) for k in BATCH_SIZES}
    by_chunk: dict[int, list[float]] = {}
    for s in samples:
        for side in s["sizes"].values():
            for size, seconds in side["sdk"]["latency_by_chunk_size"].items():
                by_chunk.setdefault(int(size), []).append(seconds)
    return direct, {str(k): round(statistics.median(v), 3) for k, v in sorted(by_chunk.items())}


def bench_sdk(runs: int) -> dict:
    """Medians over ``runs`` devnets of every measure, with the machine, the versions and a table to print."""
    samples = [one_run() for _ in range(runs)]
    sizes = _sizes_table(samples)
    direct, by_chunk = _latency_tables(samples)
    parallel = {
        str(k): {key: round(median([s["parallel"][str(k)][field] for s in samples]), digits) for key, field, digits in (("items/s", "items_per_s", 1), ("tx", "transactions", 1), ("elapsed s", "elapsed_s", 2))}
        for k in PARALLEL
    }
    return {
        "machine": machine(), "versions": tool_versions(), "runs": runs,
        "table": {
            "sdk vs one tx per item": sizes, "batch latency s (one batch, send to receipt)": direct,
            "sdk chunk latency s (metrics)": by_chunk, f"parallel submitters, {PARALLEL_ITEMS} items": parallel,
        },
        "samples": samples,
        "notes": {
            "items": "job submissions (model 1, payment 1e16, fresh input hashes), all committed (accepted) or the run fails",
            "devnet": "one starknet-devnet per run, transaction block-generation mode (one block per transaction)",
            "sdk": "one Client, default SubmitOptions (atomic, window 4, pre-flight simulation); wall time includes validation and journal",
            "one-by-one": "single submit_job transactions, each signed, sent and its receipt awaited before the next",
            "sdk chunk latency": "the SDK's latency_by_chunk_size: from a chunk's send to its receipt being read; chunks of one window are sent back to back and settled in turn, so later ones include waiting",
            "parallel": "submit_parallel with one account per submitter (client, stranger, owner, other_owner), items split evenly",
        },
    }
