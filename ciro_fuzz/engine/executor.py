"""Runs one drawn step against a universe and returns observations.

A batch step is simulated twice from the same base state with ``starknet_simulateTransactions`` (the
batch as one transaction, then its items one by one as N transactions of the same sender), so both
replays see the same state and block context and neither commits anything; then the batch transaction
alone is committed to move the universe forward (one transaction per step). Examples are isolated by
``devnet_abortBlocks`` back to the universe's base block (see README, "Isolation design").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starknet_py.net.client_models import Call

from ciro_fuzz.chain.client import Chain, Outcome, encode_short_string, selector
from ciro_fuzz.chain.rpc import batch_request
from ciro_fuzz.chain.universe import Universe
from ciro_fuzz.model.ops import ACTIONS, Action, AdvanceTime, Batch
from ciro_fuzz.model.roles import Role

# Fee tokens of devnet 0.8.1 (STRK and ETH): their storage changes with fees only, which SPEC.md
# declares a by-design difference between a batch and its items sent one by one.
FEE_TOKENS = frozenset({
    0x04718F5A0FC34CC1AF16A1CDEE98FFB20C31F5CD61D6AB07201858F4287C938D,
    0x049D36570D4E46F48E99674BD3FCC84644DDD6B96F7C741B1562B82F9E004DC7,
})


@dataclass(frozen=True)
class BatchObservation:
    """Both replays of one batch step."""

    step: Batch
    batched: Outcome
    sequential: tuple[Outcome, ...]
    # (contract label, storage key) -> value after the replay, over the union of keys either wrote
    final_batched: dict[tuple[str, int], int] = field(default_factory=dict)
    final_sequential: dict[tuple[str, int], int] = field(default_factory=dict)
    calldata_felts: int = 0
    labels: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionObservation:
    step: Action
    outcome: Outcome


class Executor:
    """Turns steps into transactions for one universe; the only place the engine touches the chain."""

    def __init__(self, chain: Chain, universe: Universe):
        self.chain, self.universe = chain, universe
        self.labels = universe.labels()
        self.transactions = 0  # committed
        self.simulated = 0

    def _call_of(self, contract: str, function: str, calldata: list[int]) -> Call:
        return Call(self.universe.contract(contract), selector(function), calldata)

    def batch_call(self, step: Batch) -> Call:
        return self._call_of(step.entry.contract, step.batch_function(), step.batch_calldata())

    def single_calls(self, step: Batch) -> list[Call]:
        return [self._call_of(step.entry.contract, step.entry.single, item.calldata()) for item in step.items]

    def observe_batch(self, step: Batch) -> BatchObservation:
        actor = self.universe.actors[step.actor]
        nonce = self.chain.nonce(actor.address)
        singles = self.single_calls(step)
        batched_tx = self.chain.invoke_tx(actor, [self.batch_call(step)], nonce=nonce, sign=False)
        single_txs = [self.chain.invoke_tx(actor, [c], nonce=nonce + i, sign=False) for i, c in enumerate(singles)]
        batched = self.chain.simulate([batched_tx])[0]
        sequential = tuple(self.chain.simulate(single_txs)) if single_txs else ()
        self.simulated += 1 + len(single_txs)
        final_b, final_s = self._finals(actor, nonce, batched, singles, sequential)
        return BatchObservation(step, batched, sequential, final_b, final_s, len(batched_tx["calldata"]), self.labels)

    def _finals(self, actor, nonce: int, batched: Outcome, singles: list[Call], sequential: tuple[Outcome, ...]):
        """Final values of every slot either replay wrote.

        A simulated transaction's state diff is relative to the state the whole simulation started from,
        and omits a slot a transaction wrote back to that state's value; so per-transaction diffs cannot be
        merged into the one-by-one run's final state. Its final state is instead read from one more
        simulation: the singles that succeeded one by one, as one multicall (the failed ones reverted and
        left nothing, so the rest apply to the same states in the same order).
        """
        merged_b = project_storage(batched.storage_diff)
        succeeded = [call for call, outcome in zip(singles, sequential) if not outcome.reverted]
        merged_s: dict[tuple[int, int], int] = {}
        if succeeded:
            tx = self.chain.invoke_tx(actor, succeeded, nonce=nonce, sign=False)
            combined = self.chain.simulate([tx])[0]
            self.simulated += 1
            if combined.reverted:  # cannot happen for these contracts; keep the oracle honest if it does
                raise RuntimeError(f"the successful singles reverted as one multicall: {combined.revert_reason}")
            merged_s = project_storage(combined.storage_diff)
        keys = sorted(set(merged_b) | set(merged_s))
        missing = [k for k in keys if k not in merged_b or k not in merged_s]
        base = self._base_values(missing)
        final_b = {self._label(k): merged_b.get(k, base.get(k, 0)) for k in keys}
        final_s = {self._label(k): merged_s.get(k, base.get(k, 0)) for k in keys}
        return final_b, final_s

    def _label(self, key: tuple[int, int]) -> tuple[str, int]:
        return (self.labels.get(key[0], hex(key[0])), key[1])

    def _base_values(self, keys: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
        calls = [("starknet_getStorageAt", {"contract_address": hex(a), "key": hex(k), "block_id": "pre_confirmed"}) for a, k in keys]
        return {key: int(str(v), 16) for key, v in zip(keys, batch_request(self.chain.rpc, calls))}

    def commit_batch(self, step: Batch) -> int:
        """Send the batch transaction for real (the state moves forward as its simulation showed)."""
        actor = self.universe.actors[step.actor]
        tx_hash = self.chain.send(self.chain.invoke_tx(actor, [self.batch_call(step)]))
        self.transactions += 1
        return tx_hash

    def action_call(self, action: Action) -> Call:
        contract, function, build = ACTIONS[action.name]
        if action.name in ("grant_role", "revoke_role"):
            where, role, holder = action.args
            address = self.universe.actors[list(Role)[holder]].address
            role_name = encode_short_string(("COORDINATOR", "SLASHER")[role])
            return self._call_of(("pool", "jobs")[where], function, [role_name, address])
        if action.name == "arm_reentry":
            from ciro_fuzz.engine.machine import REENTRY_TARGETS

            where, entry, calldata = REENTRY_TARGETS[action.args[0]]
            return self._call_of("token", "arm", [self.universe.contract(where), selector(entry), len(calldata), *calldata])
        return self._call_of(contract, function, build(action.args))

    def run_action(self, action: Action) -> ActionObservation:
        """Simulate the action (its outcome is the observation), then commit it when it succeeds."""
        actor = self.universe.actors[action.actor]
        call = self.action_call(action)
        tx = self.chain.invoke_tx(actor, [call], nonce=self.chain.nonce(actor.address), sign=False)
        outcome = self.chain.simulate([tx])[0]
        self.simulated += 1
        if not outcome.reverted:
            self.chain.send(self.chain.invoke_tx(actor, [call]))
            self.transactions += 1
        return ActionObservation(action, outcome)

    def advance_time(self, step: AdvanceTime) -> None:
        self.chain.increase_time(step.seconds)


def project_storage(diff: dict[int, dict[int, int]]) -> dict[tuple[int, int], int]:
    return {(address, key): value for address, slots in diff.items() if address not in FEE_TOKENS for key, value in slots.items()}
