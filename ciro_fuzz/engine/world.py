"""A world: one chain with its deployed universes (the plain one, and one with the hostile token), the
base block they were deployed in, and the roll-back that isolates one example from the next."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ciro_fuzz.build import Build
from ciro_fuzz.chain.client import Chain
from ciro_fuzz.chain.universe import Universe, deploy_universe
from ciro_fuzz.engine.executor import Executor
from ciro_fuzz.settings import UniverseConfig


@dataclass
class World:
    chain: Chain
    universes: list[Universe]
    executors: list[Executor]
    base_block: int
    base_time: int
    dirty: bool = False
    resets: int = 0
    retired_transactions: int = 0  # committed on devnets that died and were replaced

    @classmethod
    def deploy(cls, chain: Chain, build: Build, config: UniverseConfig, hostile: bool = True) -> "World":
        configs = [replace(config, hostile_token=False)] + ([replace(config, hostile_token=True)] if hostile else [])
        universes = [deploy_universe(chain, build, c, salt=i + 1) for i, c in enumerate(configs)]
        chain.create_block()  # the base: everything deployed, mined, nothing pending
        block = chain.request("starknet_getBlockWithTxHashes", {"block_id": "latest"})
        world = cls(chain, universes, [Executor(chain, u) for u in universes], int(block["block_number"]), int(block["timestamp"]))  # type: ignore[index]
        world.dirty = True  # the first reset also pins the block time, like every later one
        return world

    def redeploy(self, chain: Chain, build: Build) -> None:
        """Deploy the same universes on a fresh chain (a restarted devnet) into this object, which state
        machines and progress lines hold by reference."""
        fresh = World.deploy(chain, build, self.universes[0].config, hostile=len(self.universes) > 1)
        self.chain.rpc.close()
        self.retired_transactions = self.transactions
        self.chain, self.universes, self.executors = fresh.chain, fresh.universes, fresh.executors
        self.base_block, self.base_time, self.dirty = fresh.base_block, fresh.base_time, fresh.dirty

    def reset(self) -> None:
        """Roll back everything committed since the base block (one devnet_abortBlocks request)."""
        if self.dirty:
            # abortBlocks needs mined blocks: mine whatever is pre-confirmed, then roll back past the base.
            self.chain.create_block()
            self.chain.abort_blocks(self.base_block + 1)
            # Every example starts at the same block time (a mined empty block, rolled back with the rest
            # at the next reset), so replays see the same timestamps.
            self.chain.set_time(self.base_time + 1, generate_block=True)
            self.dirty = False
            self.resets += 1
        self.chain.forget_nonces()

    @property
    def transactions(self) -> int:
        return self.retired_transactions + sum(e.transactions for e in self.executors)
