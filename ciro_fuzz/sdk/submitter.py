"""Sending a submission's chunks: pre-flight simulation, gas bounds, journalled sends, retries, receipts.

Each round simulates the next ``window`` chunks in one ``starknet_simulateTransactions`` call from the
current state (no transaction): a chunk over the L2 gas cap is split to fit, an atomic chunk that would
revert on an item has that item reported with its reason and the rest re-chunked, and a chunk that would
revert whole is reported without sending it. The chunks that would succeed are signed with bounds from
their simulated gas plus a margin, journalled with their hash, and sent with consecutive nonces, each
settled from its receipt before the next is sent (a chunk reverting on chain must not let later chunks,
simulated on the state after it, overtake its re-planned items; ``pipeline`` sends them back to back).

Never twice: a retry resends the same signed bytes (same nonce and hash), so the chain runs it at most
once. A transaction the node does not know is resent while its nonce is free; when its nonce went to
another transaction it can never run, and its items move to a new chunk.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from starknet_py.net.client_models import Call, ResourceBounds, ResourceBoundsMapping

from ciro_fuzz.chain.client import MAX_L2_GAS, Actor, Chain, Event, Outcome, selector
from ciro_fuzz.chain.rpc import RpcError
from ciro_fuzz.errors import ChainError, DevnetError, RevertError, SubmitError
from ciro_fuzz.model import errors
from ciro_fuzz.model.ops import ATOMIC, MAX_BATCH_SIZE, JobItem, RegisterItem
from ciro_fuzz.oracles.base import item_failure, reason_of
from ciro_fuzz.sdk.chunking import CALLDATA_LIMIT, Chunk, batch_of, cut, halves, split_at, split_for_gas
from ciro_fuzz.sdk.journal import Journal
from ciro_fuzz.sdk.status import ChunkStatus

BATCH_EXECUTED = selector("BatchExecuted")
CREATIONS = (JobItem, RegisterItem)  # kinds whose per-item result is a new id
NONCE_CODES = (52, 59)  # invalid nonce; a transaction with this hash already exists
TRANSIENT_CODES = (63, -32603, -32005)  # unexpected node error, internal error, provider rate limit
MAX_REPLANS = 3  # re-simulations of the same items after their transaction fell short on chain


@dataclass(frozen=True)
class SubmitOptions:
    """How a submission is chunked and sent."""

    mode: int = ATOMIC
    packed: bool = False  # packed calldata where the entrypoint offers it (fewer felts, more L2 gas)
    max_batch: int = MAX_BATCH_SIZE
    max_calldata: int = CALLDATA_LIMIT
    max_l2_gas: int = MAX_L2_GAS  # per transaction, including the margin below
    # Simulated L2 gas is multiplied by this margin for the bounds and the cap: pre-flight runs on the
    # state before the chunk is sent, and other senders may change it (measured estimate error: README).
    gas_margin: float = 0.2
    window: int = 4  # chunks simulated in one call
    pipeline: bool = False  # send a window's chunks back to back instead of settling each first
    retries: int = 8  # attempts of one RPC request on transient errors
    backoff: float = 0.1  # seconds, doubled per attempt with jitter
    max_backoff: float = 5.0
    resend_after: float = 3.0  # seconds a sent transaction may stay unknown to the node before a resend
    drop_grace: float = 1.0  # seconds its nonce must stay taken by another transaction before a re-plan
    settle_timeout: float = 300.0


class Submitter:
    """Sends one journal's items for one account to the contracts, resuming whatever the journal holds."""

    def __init__(self, chain: Chain, account: Actor, contracts: dict[str, int], items: Sequence, options: SubmitOptions, journal: Journal, on_progress: Callable[[], None] | None = None):
        self.chain, self.account, self.contracts, self.items = chain, account, contracts, list(items)
        self.options, self.journal, self.state = options, journal, journal.state
        self.on_progress = on_progress or (lambda: None)
        self._sent_at: dict[int, float] = {}
        self._replans: dict[tuple[int, ...], int] = {}
        self._refusals = 0

    def run(self) -> None:
        if not self.state.chunks:
            chunks = cut(self.items, self.options.mode, self.options.max_batch, self.options.max_calldata, self.options.packed)
            self.journal.append({"e": "plan", "chunks": [c.to_json() for c in chunks]})
        for status in self.state.pending("sent"):  # a previous run was stopped after sending these
            self._settle(status)
        while todo := self.state.pending("planned")[: self.options.window]:
            self._round(todo)
            self.on_progress()
        if unsettled := self.state.unsettled():
            raise SubmitError(f"items {unsettled[:10]} neither accepted nor reverted after the run; rerun to resume from {self.journal.path}")
        if not self.state.done:
            self.journal.append({"e": "done"})

    # one round -------------------------------------------------------------------------------------
    def _round(self, todo: list[ChunkStatus]) -> None:
        nonce = self._chain_nonce()
        self._retry(lambda: self.chain.resource_bounds(refresh=True), "reading gas prices")  # prices move
        txs = [self.chain.invoke_tx(self.account, [self._call(s.chunk)], nonce=nonce + k) for k, s in enumerate(todo)]
        # Validation and the fee transfer run too: both add L2 gas and state diff (L1 data gas) that a
        # simulation skipping them under-counts (measured: bounds too low for L1 data gas without them).
        try:
            sims = self._retry(lambda: self.chain.simulate(txs, skip_validate=False, skip_fee=False), "simulating the chunks")
        except ChainError as exc:  # validation refused: a nonce race with another sender of this account?
            if self._chain_nonce() != nonce:
                return  # the next round reads the new nonce
            raise SubmitError(f"the node refused to simulate chunk(s) {[s.chunk.id for s in todo]}: {exc}") from exc
        ready: list[tuple[ChunkStatus, Outcome]] = []
        for status, sim in zip(todo, sims):
            if sim.reverted or self._over_cap(sim):
                if not ready:  # later chunks were simulated on the state after this one: re-plan first
                    self._preflight_failure(status, sim)
                break
            ready.append((status, sim))
        for k, (status, sim) in enumerate(ready):
            if not self._send(status, nonce + k, sim):
                break  # a nonce race: the rest are still planned and go next round with fresh nonces
            if not self.options.pipeline:
                self._settle(status)
                if status.state != "accepted":
                    break  # re-planned or refused: the rest were simulated on the state after its success
        for status, _ in ready:
            if status.state == "sent":
                self._settle(status)

    def _call(self, chunk: Chunk) -> Call:
        batch = batch_of(chunk, self.items, self.options.mode)
        return Call(self.contracts[batch.entry.contract], selector(batch.batch_function()), batch.batch_calldata())

    def _over_cap(self, sim: Outcome) -> bool:
        return not sim.reverted and sim.l2_gas * (1 + self.options.gas_margin) > self.options.max_l2_gas

    def _preflight_failure(self, status: ChunkStatus, sim: Outcome) -> None:
        chunk, next_id = status.chunk, self.state.next_chunk_id
        if not sim.reverted:
            cap = int(self.options.max_l2_gas / (1 + self.options.gas_margin))
            try:
                parts, _ = split_for_gas(chunk, sim.l2_gas, cap, next_id)
            except ValueError as exc:
                raise SubmitError(f"item {chunk.indexes[0]}: {exc}; raise --max-l2-gas or drop the item") from exc
            self._split(chunk, parts, f"simulated {sim.l2_gas} L2 gas over the cap {cap}")
        elif (failure := item_failure(sim)) is not None and failure[0] < len(chunk.indexes):
            position, reason = failure
            index = chunk.indexes[position]
            self.journal.append({"e": "item", "index": index, "state": "reverted", "reason": reason, "where": "preflight"})
            self._split(chunk, split_at(chunk, position, next_id)[0], f"item {index}: {reason}")
        elif _out_of_gas(sim) and len(chunk.indexes) > 1:
            self._split(chunk, halves(chunk, next_id)[0], "out of gas")
        else:
            self.journal.append({"e": "refused", "chunk": chunk.id, "reason": reason_of(sim)})

    def _split(self, chunk: Chunk, parts: list[Chunk], why: str) -> None:
        self.journal.append({"e": "split", "chunk": chunk.id, "into": [p.to_json() for p in parts], "why": why})

    # sending ---------------------------------------------------------------------------------------
    def _bounds(self, sim: Outcome) -> ResourceBoundsMapping:
        base = self.chain.resource_bounds()
        grow = lambda amount, floor: int(math.ceil(amount * (1 + self.options.gas_margin))) + floor  # noqa: E731
        return ResourceBoundsMapping(
            l1_gas=ResourceBounds(max_amount=0, max_price_per_unit=base.l1_gas.max_price_per_unit),
            l1_data_gas=ResourceBounds(max_amount=grow(max(sim.bound_l1_data_gas, sim.l1_data_gas), 128), max_price_per_unit=base.l1_data_gas.max_price_per_unit),
            l2_gas=ResourceBounds(max_amount=min(grow(max(sim.bound_l2_gas, sim.l2_gas), 0), MAX_L2_GAS), max_price_per_unit=base.l2_gas.max_price_per_unit),
        )

    def _send(self, status: ChunkStatus, nonce: int, sim: Outcome) -> bool:
        """Journal the signed transaction, then deliver it; False when its nonce was taken meanwhile."""
        tx, tx_hash = self.chain.signed_invoke(self.account, [self._call(status.chunk)], nonce=nonce, bounds=self._bounds(sim))
        self.journal.append({
            "e": "sent", "chunk": status.chunk.id, "nonce": nonce, "tx_hash": hex(tx_hash), "tx": tx,
            "estimated_fee": sim.fee, "estimated_gas": sim.l2_gas,
        })
        self._sent_at[status.chunk.id] = time.monotonic()
        if self._deliver(status):
            return True
        self._settle(status)  # the nonce was used: by this very transaction (a lost reply) or another one
        return status.state != "dropped"

    def _deliver(self, status: ChunkStatus) -> bool:
        """Send the journalled bytes; False when the node refused the nonce (settling tells why)."""
        tx_hash = int(status.tx_hash, 16)  # type: ignore[arg-type]
        for attempt in range(self.options.retries + 1):
            try:
                self.chain.request("starknet_addInvokeTransaction", {"invoke_transaction": status.tx})
                return True
            except RpcError as exc:
                if exc.code in NONCE_CODES:
                    return False
                if exc.code not in TRANSIENT_CODES:
                    return self._refused(status, exc)
                if attempt == self.options.retries:
                    raise SubmitError(f"sending chunk {status.chunk.id} failed {attempt + 1} times ({exc}); rerun to resume from {self.journal.path}") from exc
                self._sleep(attempt)
            except (DevnetError, ChainError) as exc:  # transport: the node may have taken it before failing
                if attempt == self.options.retries:
                    raise SubmitError(f"sending chunk {status.chunk.id} failed {attempt + 1} times ({exc}); rerun to resume from {self.journal.path}") from exc
                self._sleep(attempt)
                if self._known(tx_hash):
                    return True
        return True

    def _refused(self, status: ChunkStatus, exc: RpcError) -> bool:
        """The node refused the bytes for good (fee bounds under a new price, a validation failure): while
        the transaction is unknown and its nonce free, a new one at the same nonce replaces it, so at most
        one of the two can ever run. Refusals in a row stop the run."""
        self._refusals += 1
        if self._refusals > MAX_REPLANS or self._known(int(status.tx_hash, 16)):  # type: ignore[arg-type]
            raise SubmitError(f"the node refused chunk {status.chunk.id} ({exc.rpc_message}); fix the cause and rerun to resume from {self.journal.path}") from exc
        self._drop(status, f"refused by the node: {exc.rpc_message}")
        return False

    def _known(self, tx_hash: int) -> bool:
        try:
            return self.chain.tx_known(tx_hash)
        except (DevnetError, ChainError):
            return False

    # settling --------------------------------------------------------------------------------------
    def _settle(self, status: ChunkStatus) -> None:
        """Wait for the chunk's receipt; resend while the node does not know it and its nonce is free."""
        tx_hash = int(status.tx_hash, 16)  # type: ignore[arg-type]
        began = last_send = time.monotonic()
        taken_since: float | None = None  # when the nonce was first seen used by another transaction
        polls = 0
        while status.state == "sent":
            outcome = self._retry(lambda: self.chain.find_receipt(tx_hash), f"reading the receipt of chunk {status.chunk.id}")
            if outcome is not None:
                return self._record(status, outcome)
            if not self._known(tx_hash):
                if self._chain_nonce() > status.nonce:  # type: ignore[operator]
                    # Dropped only when it stays so for a while: a load-balanced node may answer the nonce
                    # from a backend ahead of the one that will show the receipt.
                    taken_since = taken_since if taken_since is not None else time.monotonic()
                    if time.monotonic() - taken_since >= self.options.drop_grace:
                        return self._drop(status, f"nonce {status.nonce} went to another transaction")
                else:
                    taken_since = None
                    if time.monotonic() - last_send > self.options.resend_after or polls == 0:
                        self._deliver(status)
                        last_send = time.monotonic()
            if time.monotonic() - began > self.options.settle_timeout:
                raise SubmitError(f"chunk {status.chunk.id} ({status.tx_hash}) unsettled after {self.options.settle_timeout:.0f} s; rerun to resume from {self.journal.path}")
            polls += 1
            time.sleep(min(0.02 * polls, 0.5))

    def _drop(self, status: ChunkStatus, why: str) -> None:
        replacement = Chunk(self.state.next_chunk_id, status.chunk.kind, status.chunk.indexes, status.chunk.packed)
        self.journal.append({"e": "dropped", "chunk": status.chunk.id, "why": why, "replacement": replacement.to_json()})

    def _record(self, status: ChunkStatus, outcome: Outcome) -> None:
        chunk = status.chunk
        event = {
            "e": "receipt", "chunk": chunk.id, "reverted": outcome.reverted, "fee": outcome.fee, "l2_gas": outcome.l2_gas,
            "latency": round(time.monotonic() - self._sent_at.get(chunk.id, time.monotonic()), 4),
        }
        if not outcome.reverted:
            self.journal.append({**event, "items": self._item_results(chunk, outcome.events)})
            return
        reason = reason_of(outcome)
        failure = item_failure(outcome)
        next_id = self.state.next_chunk_id
        if failure is not None and failure[0] < len(chunk.indexes):
            position, item_reason = failure
            parts, _ = split_at(chunk, position, next_id)
            index = chunk.indexes[position]
            self.journal.append({**event, "reason": reason, "items": [[index, False, None, item_reason]], "into": [p.to_json() for p in parts], "why": f"item {index}: {item_reason}"})
        elif _bounds_too_low(outcome) or (_out_of_gas(outcome) and len(chunk.indexes) == 1):
            # the state moved since pre-flight: simulate the same items again, a few times at most
            count = self._replans[chunk.indexes] = self._replans.get(chunk.indexes, 0) + 1
            if count > MAX_REPLANS:
                raise SubmitError(f"chunk {chunk.id}: resource bounds fell short {count} times ({reason}); raise --gas-margin and rerun to resume from {self.journal.path}")
            again = Chunk(next_id, chunk.kind, chunk.indexes, chunk.packed)
            self.journal.append({**event, "reason": reason, "items": [], "into": [again.to_json()], "why": f"simulated again: {reason}"})
        elif _out_of_gas(outcome):
            self.journal.append({**event, "reason": reason, "items": [], "into": [p.to_json() for p in halves(chunk, next_id)[0]], "why": "out of gas on chain"})
        else:
            self.journal.append({**event, "reason": reason, "items": [[i, False, None, reason] for i in chunk.indexes]})

    def _item_results(self, chunk: Chunk, events: tuple[Event, ...]) -> list[list]:
        """Per item (index, ok, new id, reason) from the batch's one BatchExecuted event."""
        contract = self.contracts[batch_of(chunk, self.items, self.options.mode).entry.contract]
        found = [e for e in events if e.from_address == contract and e.keys and e.keys[0] == BATCH_EXECUTED]
        if len(found) != 1:
            raise SubmitError(f"chunk {chunk.id}: expected one BatchExecuted event from {contract:#x}, got {len(found)}; is the contract address right?")
        data = found[0].data
        n = data[4]
        if n != len(chunk.indexes):
            raise SubmitError(f"chunk {chunk.id}: its BatchExecuted event covers {n} items, the chunk has {len(chunk.indexes)}; is the contract address right?")
        ids, codes = data[5 : 5 + n], data[6 + n : 6 + 2 * n]
        creates = isinstance(self.items[chunk.indexes[0]], CREATIONS)
        return [
            [index, code == 0, (ids[k] if creates and code == 0 else None), "" if code == 0 else errors.text(code)]
            for k, (index, code) in enumerate(zip(chunk.indexes, codes))
        ]

    # transient failures ----------------------------------------------------------------------------
    def _retry(self, action: Callable, what: str):
        for attempt in range(self.options.retries + 1):
            try:
                return action()
            except (RpcError, RevertError) as exc:
                if getattr(exc, "code", None) not in TRANSIENT_CODES or attempt == self.options.retries:
                    raise
                self._sleep(attempt)
            except (DevnetError, ChainError) as exc:
                if attempt == self.options.retries:
                    raise SubmitError(f"{what} failed {attempt + 1} times ({exc}); rerun to resume from {self.journal.path}") from exc
                self._sleep(attempt)

    def _chain_nonce(self) -> int:
        return self._retry(lambda: self.chain.nonce(self.account.address, refresh=True), "reading the nonce")

    def _sleep(self, attempt: int) -> None:
        delay = min(self.options.max_backoff, self.options.backoff * 2**attempt)
        time.sleep(delay * (0.5 + random.random() / 2))


def _out_of_gas(outcome: Outcome) -> bool:
    return "out of gas" in outcome.revert_reason.lower()


def _bounds_too_low(outcome: Outcome) -> bool:
    return "insufficient max" in outcome.revert_reason.lower()
