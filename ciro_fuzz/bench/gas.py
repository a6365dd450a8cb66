"""`ciro-fuzz bench gas`: L2 gas per item of the batch entrypoints at sizes 1, 10, 50 (the maximum) against
separate transactions and against one multicall of single calls; packed against unpacked calldata; the
largest batch of worst-case items against the transaction limits. Measured by simulation (validation and
fee charging included) on a devnet."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starknet_py.net.client_models import Call

from ciro_fuzz.bench import machine
from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Chain, selector
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.engine.world import World
from ciro_fuzz.model.ops import (
    ATOMIC, MAX_BATCH_SIZE, Batch, JobItem, RegisterItem, ReputationItem, ResultItem, Spec, StakeItem, VerifyItem,
)
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles.dos import MAX_CALLDATA, MAX_EVENT_DATA, MAX_EVENTS, MAX_L2_GAS
from ciro_fuzz.settings import UniverseConfig
from ciro_fuzz.toolchain import locate

SIZES = [1, 10, MAX_BATCH_SIZE]
TOKEN = 10**18


def _items(kind: str, n: int) -> tuple:
    if kind == "JobItem":
        return tuple(JobItem(2**32 - 1, 2**251 + i, 10**20 + i) for i in range(n))
    if kind == "StakeItem":
        return tuple(StakeItem(1 + i % MAX_BATCH_SIZE, TOKEN + i) for i in range(n))
    if kind == "ReputationItem":
        return tuple(ReputationItem(1 + i % MAX_BATCH_SIZE, -7 if i % 2 else 9, 1 + i % 7) for i in range(n))
    if kind == "RegisterItem":
        return tuple(RegisterItem(Spec(255, 65535, 65535, 2**32 - 1), 2**80 + i) for i in range(n))
    if kind == "VerifyItem":
        return tuple(VerifyItem(1 + i, True) for i in range(n))
    raise ValueError(kind)


ACTORS = {"JobItem": Role.CLIENT, "StakeItem": Role.OWNER, "ReputationItem": Role.COORDINATOR, "RegisterItem": Role.OTHER_OWNER, "VerifyItem": Role.CLIENT}


class _Meter:
    def __init__(self, world: World):
        self.world, self.chain = world, world.chain
        self.executor = world.executors[0]

    def simulate(self, role: Role, call_groups: list[list[Call]]) -> list:
        actor = self.world.universes[0].actors[role]
        nonce = self.chain.nonce(actor.address)
        txs = [self.chain.invoke_tx(actor, calls, nonce=nonce + i) for i, calls in enumerate(call_groups)]
        outcomes = self.chain.simulate(txs, skip_validate=False, skip_fee=False)
        bad = [o.revert_reason for o in outcomes if o.reverted]
        if bad:
            raise RuntimeError(f"gas bench transaction reverted: {bad[0]}")
        return [(o, len(tx["calldata"])) for o, tx in zip(outcomes, txs)]

    def per_item(self, kind: str, n: int, packed: bool = False) -> dict:
        step = Batch(ACTORS[kind], kind, _items(kind, n), ATOMIC, packed)
        (batch, calldata), = self.simulate(step.actor, [[self.executor.batch_call(step)]])
        singles = self.executor.single_calls(step)
        separate = self.simulate(step.actor, [[c] for c in singles])
        (multi, _), = self.simulate(step.actor, [singles])
        return {
            "batch": round(batch.l2_gas / n), "separate": round(sum(o.l2_gas for o, _ in separate) / n), "multicall": round(multi.l2_gas / n),
            "batch_calldata_felts": calldata, "batch_events": len(batch.events), "batch_total_l2_gas": batch.l2_gas,
            "batch_l1_data_gas": batch.l1_data_gas, "separate_calldata_felts": sum(c for _, c in separate),
        }


def _prepare(world: World) -> None:
    """50 workers (owner), 50 completed jobs of the client assigned to worker 1 (all by multicall)."""
    u, chain = world.universes[0], world.chain
    regs = Batch(Role.OWNER, "RegisterItem", tuple(RegisterItem(Spec(), 2 * TOKEN) for _ in range(MAX_BATCH_SIZE)))
    jobs = Batch(Role.CLIENT, "JobItem", tuple(JobItem(1, i + 1, 10**18) for i in range(MAX_BATCH_SIZE)))
    ex = world.executors[0]
    chain.invoke_ok(u.actors[Role.OWNER], ex.batch_call(regs))
    chain.invoke_ok(u.actors[Role.CLIENT], ex.batch_call(jobs))
    chain.invoke_ok(u.actors[Role.COORDINATOR], [Call(u.jobs, selector("assign_job"), [i + 1, 0, 1]) for i in range(MAX_BATCH_SIZE)])
    results = Batch(Role.OWNER, "ResultItem", tuple(ResultItem(i + 1, 0xFEED) for i in range(MAX_BATCH_SIZE)))
    chain.invoke_ok(u.actors[Role.OWNER], ex.batch_call(results))
    chain.create_block()


def bench_gas() -> dict:
    options = DevnetOptions(block_generation="demand", state_archive="none", log_dir=Path(tempfile.mkdtemp()))
    with Devnet(locate().devnet, options, name="bench-gas") as devnet:
        chain = Chain(devnet.rpc_url)
        world = World.deploy(chain, build(), UniverseConfig(), hostile=False)
        _prepare(world)
        meter = _Meter(world)
        table = {}
        for kind, name in (("JobItem", "batch_submit_jobs"), ("StakeItem", "batch_stake"), ("ReputationItem", "batch_update_reputation")):
            table[name] = {str(n): meter.per_item(kind, n) for n in SIZES}
        packed = {name: {str(n): meter.per_item(kind, n, packed=True) for n in SIZES} for kind, name in (("StakeItem", "batch_stake_packed"), ("ReputationItem", "batch_update_reputation_packed"))}
        worst = {}
        for kind, name in (("RegisterItem", "batch_register_workers"), ("JobItem", "batch_submit_jobs"), ("VerifyItem", "batch_verify_results")):
            step = Batch(ACTORS[kind], kind, _items(kind, MAX_BATCH_SIZE), ATOMIC)
            (outcome, calldata), = meter.simulate(step.actor, [[world.executors[0].batch_call(step)]])
            worst[name] = {
                "items": MAX_BATCH_SIZE, "l2_gas": outcome.l2_gas, "l2_gas_limit": MAX_L2_GAS, "share_of_limit": round(outcome.l2_gas / MAX_L2_GAS, 4),
                "events": len(outcome.events), "events_limit": MAX_EVENTS, "largest_event_data": max((len(e.data) for e in outcome.events), default=0),
                "event_data_limit": MAX_EVENT_DATA, "calldata_felts": calldata, "calldata_limit": MAX_CALLDATA,
            }
    return {"machine": machine(), "per_item_l2_gas": table, "packed": packed, "worst_case_at_max": worst,
            "table": {"per_item_l2_gas": {k: {n: (v["batch"], v["multicall"], v["separate"]) for n, v in t.items()} for k, t in {**table, **packed}.items()}, "worst_case_at_max": worst}}
