"""`ciro-fuzz smoke`: compile the contracts, deploy a universe, invoke and read back."""

from __future__ import annotations

import time

from starknet_py.net.client_models import Call

from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Chain, selector
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.ops import RegisterItem, Spec
from ciro_fuzz.model.roles import Role
from ciro_fuzz.settings import UniverseConfig
from ciro_fuzz.toolchain import locate


def smoke() -> int:
    began = time.monotonic()
    built = build()
    print(f"smoke check: compiled {len(built.artifacts)} contracts ({built.source_hash})")
    with Devnet(locate().devnet, DevnetOptions(block_generation="demand", state_archive="full"), name="smoke") as devnet:
        chain = Chain(devnet.rpc_url)
        world = World.deploy(chain, built, UniverseConfig(), hostile=False)
        universe = world.universes[0]
        owner = universe.actors[Role.OWNER]
        item = RegisterItem(Spec(), 2 * 10**18)
        chain.invoke_ok(owner, Call(universe.pool, selector("register_worker"), item.calldata()))
        count = chain.call(universe.pool, "worker_count")[0]
        print(f"smoke check: deployed at pool {universe.pool:#x}, registered a worker, read back worker_count = {count}")
    ok = count == 1
    print(f"smoke check {'passed' if ok else 'FAILED'} in {time.monotonic() - began:.1f}s")
    return 0 if ok else 1
