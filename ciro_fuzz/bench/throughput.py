"""`ciro-fuzz bench throughput`: verified operations per second (batch items checked by the equivalence
oracle) of a ci campaign, against a naive harness on the same kind of devnet that commits one
transaction per item and reads the state back with a getter after each."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from starknet_py.net.client_models import Call

from ciro_fuzz.bench import machine, median
from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Chain, selector
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.chain.universe import deploy_universe
from ciro_fuzz.engine.campaign import run_worker
from ciro_fuzz.model.ops import RegisterItem, Spec, StakeItem
from ciro_fuzz.model.roles import Role
from ciro_fuzz.settings import UniverseConfig, profile
from ciro_fuzz.toolchain import locate


def naive_rate(items: int = 40) -> float:
    """One committed transaction per item (transaction mode, wait for the receipt), then a getter."""
    options = DevnetOptions(block_generation="transaction", log_dir=Path(tempfile.mkdtemp()))
    with Devnet(locate().devnet, options, name="naive") as devnet:
        chain = Chain(devnet.rpc_url)
        universe = deploy_universe(chain, build(), UniverseConfig())
        owner = universe.actors[Role.OWNER]
        chain.invoke_ok(owner, Call(universe.pool, selector("register_worker"), RegisterItem(Spec(), 10**18).calldata()))
        began = time.perf_counter()
        for _ in range(items):
            chain.invoke_ok(owner, Call(universe.pool, selector("stake"), StakeItem(1, 10**18).calldata()))
            chain.call(universe.pool, "get_worker", [1])
        return items / (time.perf_counter() - began)


def fuzzer_rate(examples: int, seed: int) -> dict:
    settings = profile("ci", seed=seed, examples=examples, report_dir=Path(tempfile.mkdtemp()) / "campaign").with_(shrink=False)
    settings.report_dir.mkdir(parents=True)
    began = time.perf_counter()
    result = run_worker(settings, build())
    seconds = time.perf_counter() - began
    return {"items_checked": result.items_checked, "steps": result.steps, "transactions": result.transactions, "seconds": round(seconds, 2), "items_per_s": result.items_checked / seconds}


def bench_throughput(runs: int) -> dict:
    naive = [naive_rate() for _ in range(runs)]
    ours = [fuzzer_rate(12, seed) for seed in range(runs)]
    rate = median([o["items_per_s"] for o in ours])
    return {
        "machine": machine(), "runs": runs, "naive_items_per_s": median(naive), "ciro_fuzz_items_per_s": rate,
        "ratio": round(rate / median(naive), 2), "fuzzer_runs": ours,
        "table": {"naive items/s": median(naive), "ciro-fuzz verified items/s": rate, "ratio": round(rate / median(naive), 2)},
    }
