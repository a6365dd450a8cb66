"""Fixtures of the SDK tests: a devnet of their own in transaction mode (the SDK's default setting, one
block per transaction, as on a public network), with the contracts deployed once per xdist worker."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from ciro_fuzz.chain.client import Actor, Chain
from ciro_fuzz.model.roles import Role


@dataclass(frozen=True)
class SdkUniverse:
    url: str
    jobs: int
    pool: int
    actors: dict[Role, Actor]

    @property
    def contracts(self) -> dict[str, int]:
        return {"jobs": self.jobs, "pool": self.pool}


@pytest.fixture(scope="session")
def sdk_universe(toolchain, built, tmp_path_factory):
    from ciro_fuzz.chain.pool import Devnet, DevnetOptions
    from ciro_fuzz.chain.universe import deploy_universe
    from ciro_fuzz.settings import UniverseConfig

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    options = DevnetOptions(accounts=10, log_dir=Path(tmp_path_factory.mktemp(f"sdk-devnet-{worker}")))
    with Devnet(toolchain.devnet, options, name=f"sdk-{worker}") as node:
        universe = deploy_universe(Chain(node.rpc_url), built, UniverseConfig())
        yield SdkUniverse(node.rpc_url, universe.jobs, universe.pool, universe.actors)
