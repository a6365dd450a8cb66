"""`ciro-fuzz bench throughput`: verified operations per second (batch items checked by the equivalence
oracle) of a ci campaign, against a naive harness on the same kind of devnet that commits one
transaction per item, reads the state back with a getter after each, and restarts devnet per example."""

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


def _naive_example(chain: Chain, built, items: int, salt: int) -> None:
    """One example of the naive harness: deploy, register a worker, one committed transaction and one
    getter per item (what a harness without simulation or roll-back does)."""
    universe = deploy_universe(chain, built, UniverseConfig(), salt=salt)  # a new address on a reused devnet
    owner = universe.actors[Role.OWNER]
    chain.invoke_ok(owner, Call(universe.pool, selector("register_worker"), RegisterItem(Spec(), 10**18).calldata()))
    for _ in range(items):
        chain.invoke_ok(owner, Call(universe.pool, selector("stake"), StakeItem(1, 10**18).calldata()))
        chain.call(universe.pool, "get_worker", [1])


def naive_rate(examples: int, items_per_example: int, restart: bool) -> float:
    """Items/s of the naive harness (transaction mode, wait for each receipt); with ``restart`` a fresh
    devnet per example, as the issue's baseline isolates examples, else one devnet for all of them."""
    options = DevnetOptions(block_generation="transaction", log_dir=Path(tempfile.mkdtemp()))
    built = build()
    began = time.perf_counter()
    devnet = Devnet(locate().devnet, options, name="naive").start()
    try:
        for example in range(examples):
            if restart and example:
                devnet.restart()
            _naive_example(Chain(devnet.rpc_url), built, items_per_example, salt=example + 1)
    finally:
        devnet.stop()
    return examples * items_per_example / (time.perf_counter() - began)


def fuzzer_rate(examples: int, seed: int) -> dict:
    settings = profile("ci", seed=seed, examples=examples, report_dir=Path(tempfile.mkdtemp()) / "campaign").with_(shrink=False)
    settings.report_dir.mkdir(parents=True)
    began = time.perf_counter()
    result = run_worker(settings, build())
    seconds = time.perf_counter() - began
    return {"items_checked": result.items_checked, "steps": result.steps, "transactions": result.transactions, "seconds": round(seconds, 2), "items_per_s": result.items_checked / seconds}


def bench_throughput(runs: int) -> dict:
    ours = [fuzzer_rate(12, seed) for seed in range(runs)]
    rate = median([o["items_per_s"] for o in ours])
    # the naive harness checks as many items per example as the campaign did
    per_example = max(1, round(median([o["items_checked"] for o in ours]) / 12))
    naive = median([naive_rate(4, per_example, restart=True) for _ in range(runs)])
    warm = median([naive_rate(4, per_example, restart=False) for _ in range(runs)])
    return {
        "machine": machine(), "runs": runs, "items_per_example": per_example,
        "naive_items_per_s": naive, "naive_one_devnet_items_per_s": warm, "ciro_fuzz_items_per_s": rate,
        "ratio": round(rate / naive, 2), "ratio_vs_one_devnet": round(rate / warm, 2), "fuzzer_runs": ours,
        "notes": "naive: one committed transaction and one getter per item, a devnet restart and redeploy per "
                 "example, verifying nothing; naive_one_devnet: the same without restarts (a lower bound no "
                 "isolating harness reaches). ciro-fuzz: verified items (equivalence oracle) of a 12-example ci "
                 "campaign, including devnet start, deployment and the access sweep.",
        "table": {"naive items/s (restart per example)": naive, "naive items/s (one devnet)": warm, "ciro-fuzz verified items/s": rate,
                  "ratio": round(rate / naive, 2), "ratio vs one devnet": round(rate / warm, 2)},
    }
