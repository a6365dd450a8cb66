"""`ciro-fuzz bench devnet`: the figures that decide the fuzz engine's isolation design."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path

from starknet_py.net.client_models import Call

from ciro_fuzz.bench import machine, median
from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Chain, selector
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.chain.universe import deploy_universe
from ciro_fuzz.model.roles import Role
from ciro_fuzz.settings import UniverseConfig
from ciro_fuzz.toolchain import cache_root, locate, versions

REPO = Path(__file__).resolve().parents[2]


def _devnet(mode: str, archive: str = "none") -> Devnet:
    return Devnet(locate().devnet, DevnetOptions(block_generation=mode, state_archive=archive, log_dir=Path(tempfile.mkdtemp())), name=f"bench-{mode}")


def _approve_call(universe, i: int) -> Call:
    return Call(universe.token, selector("approve"), [universe.pool, i + 1, 0])


def _setup(mode: str, archive: str = "none"):
    devnet = _devnet(mode, archive).start()
    chain = Chain(devnet.rpc_url)
    universe = deploy_universe(chain, build(), UniverseConfig())
    if mode == "demand":
        chain.create_block()
    return devnet, chain, universe


def sequential_rate(n: int) -> float:
    devnet, chain, universe = _setup("transaction")
    try:
        actor = universe.actors[Role.STRANGER]
        began = time.perf_counter()
        for i in range(n):
            chain.receipt(chain.send(chain.invoke_tx(actor, [_approve_call(universe, i)])))
        return n / (time.perf_counter() - began)
    finally:
        devnet.stop()


def pipelined_rate(n: int) -> float:
    devnet, chain, universe = _setup("demand")
    try:
        actor = universe.actors[Role.STRANGER]
        txs = [chain.invoke_tx(actor, [_approve_call(universe, i)]) for i in range(n)]  # signed beforehand
        began = time.perf_counter()
        hashes = [chain.send(tx) for tx in txs]
        chain.create_block()
        for h in hashes:
            chain.receipt(h)
        return n / (time.perf_counter() - began)
    finally:
        devnet.stop()


def simulate_rates(sizes: list[int]) -> dict[int, float]:
    devnet, chain, universe = _setup("demand")
    try:
        actor = universe.actors[Role.STRANGER]
        out = {}
        for n in sizes:
            nonce = chain.nonce(actor.address)
            txs = [chain.invoke_tx(actor, [_approve_call(universe, i)], nonce=nonce + i, sign=False) for i in range(n)]
            began = time.perf_counter()
            chain.simulate(txs)
            out[n] = n / (time.perf_counter() - began)
        return out
    finally:
        devnet.stop()


def abort_times(block_counts: list[int]) -> dict[int, float]:
    devnet, chain, universe = _setup("transaction", archive="full")
    try:
        actor = universe.actors[Role.STRANGER]
        out = {}
        for n in block_counts:
            base = chain.block_number()
            for i in range(n):  # transaction mode: one block per invoke
                chain.receipt(chain.send(chain.invoke_tx(actor, [_approve_call(universe, i)])))
            began = time.perf_counter()
            chain.abort_blocks(base + 1)
            out[n] = time.perf_counter() - began
            assert chain.block_number() == base
        return out
    finally:
        devnet.stop()


def start_to_ready() -> float:
    with _devnet("transaction") as devnet:
        return devnet.started_in or 0.0


def warm_setup_seconds() -> float:
    began = time.perf_counter()
    subprocess.run(["make", "setup"], cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - began


def cold_build_record() -> dict:
    path = cache_root() / "build-times.json"
    return json.loads(path.read_text()) if path.is_file() else {"note": "no cold build recorded in this cache (toolchain reused or built by hand)"}


def bench_devnet(runs: int) -> dict:
    samples: dict[str, list] = {k: [] for k in ("start_to_ready_s", "warm_setup_s", "sequential_invokes_per_s", "pipelined_demand_invokes_per_s", "simulate_1", "simulate_10", "simulate_100", "abort_1", "abort_10", "abort_50")}
    for _ in range(runs):
        samples["start_to_ready_s"].append(start_to_ready())
        samples["warm_setup_s"].append(warm_setup_seconds())
        samples["sequential_invokes_per_s"].append(sequential_rate(40))
        samples["pipelined_demand_invokes_per_s"].append(pipelined_rate(100))
        for n, rate in simulate_rates([1, 10, 100]).items():
            samples[f"simulate_{n}"].append(rate)
        for n, seconds in abort_times([1, 10, 50]).items():
            samples[f"abort_{n}"].append(seconds)
    table = {key: median(values) for key, values in samples.items()}
    return {
        "machine": machine(), "versions": {"starknet-devnet": versions.DEVNET.version, "starknet-compile": versions.COMPILER.version},
        "runs": runs, "table": table, "samples": samples, "cold_build": cold_build_record(),
        "units": {"start_to_ready_s": "s", "warm_setup_s": "s", "simulate_N": "invokes/s inside one starknet_simulateTransactions call of N", "abort_N": "s to abort N blocks"},
    }
