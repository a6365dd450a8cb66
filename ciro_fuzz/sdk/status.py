"""Where every chunk and item stands, folded from the journal's events (pure).

Item states: planned (not sent yet), sent (in a transaction not yet settled), accepted (the contract applied
it), reverted (the contract refused it: on chain, or in the pre-flight simulation of the chunk, with the
reason), retried (its transaction was lost, out of gas or refused for another item; it waits in a new
chunk). Chunk states: planned, sent, accepted, reverted, split (replaced by smaller chunks), dropped (its
transaction can never run: its nonce went to another transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ciro_fuzz.sdk.chunking import Chunk

ITEM_STATES = ("planned", "sent", "accepted", "reverted", "retried")
CHUNK_STATES = ("planned", "sent", "accepted", "reverted", "split", "dropped")


@dataclass
class ItemStatus:
    index: int
    state: str = "planned"
    reason: str = ""
    id: int | None = None  # the new job or worker id, for creations
    chunk: int | None = None
    tx_hash: str | None = None
    where: str = ""  # "chain" or "preflight" for a reverted item
    attempts: int = 0

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class ChunkStatus:
    chunk: Chunk
    state: str = "planned"
    nonce: int | None = None
    tx_hash: str | None = None
    tx: dict | None = None
    estimated_fee: int = 0
    estimated_gas: int = 0
    fee: int = 0
    l2_gas: int = 0
    latency: float = 0.0
    attempts: int = 0
    reason: str = ""


@dataclass
class RunState:
    """The fold of a journal: apply events in order."""

    items: list[ItemStatus]
    chunks: dict[int, ChunkStatus] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)  # chunk ids in sending order
    transactions: int = 0
    done: bool = False

    @staticmethod
    def new(n_items: int) -> "RunState":
        return RunState([ItemStatus(i) for i in range(n_items)])

    @property
    def next_chunk_id(self) -> int:
        return max(self.chunks, default=-1) + 1

    def pending(self, state: str) -> list[ChunkStatus]:
        return [self.chunks[c] for c in self.order if self.chunks[c].state == state]

    def apply(self, event: dict) -> None:
        getattr(self, f"_on_{event['e']}")(event)

    def _on_plan(self, event: dict) -> None:
        self._insert(None, [Chunk.from_json(c) for c in event["chunks"]])

    def _insert(self, after: int | None, chunks: list[Chunk]) -> None:
        at = len(self.order) if after is None else self.order.index(after) + 1
        for offset, chunk in enumerate(chunks):
            self.chunks[chunk.id] = ChunkStatus(chunk)
            self.order.insert(at + offset, chunk.id)
            for i in chunk.indexes:
                self.items[i].chunk = chunk.id

    def _on_split(self, event: dict) -> None:
        old = self.chunks[event["chunk"]]
        old.state, old.reason = "split", event.get("why", "")
        was_sent = old.tx_hash is not None
        self._insert(old.chunk.id, [Chunk.from_json(c) for c in event["into"]])
        for i in old.chunk.indexes:
            if self.items[i].state not in ("reverted", "accepted"):
                self.items[i].state = "retried" if was_sent else "planned"

    def unsettled(self) -> list[int]:
        """Items neither accepted nor reverted (after a finished run: none, or the fold is wrong)."""
        return [item.index for item in self.items if item.state not in ("accepted", "reverted")]

    def _on_item(self, event: dict) -> None:
        item = self.items[event["index"]]
        item.state, item.reason, item.where = event["state"], event.get("reason", ""), event.get("where", "")
        if "id" in event:
            item.id = event["id"]

    def _on_sent(self, event: dict) -> None:
        status = self.chunks[event["chunk"]]
        status.state, status.nonce, status.tx_hash, status.tx = "sent", event["nonce"], event["tx_hash"], event["tx"]
        status.estimated_fee, status.estimated_gas = event["estimated_fee"], event["estimated_gas"]
        status.attempts += 1
        self.transactions += 1
        for i in status.chunk.indexes:
            item = self.items[i]
            item.state, item.tx_hash, item.chunk = "sent", event["tx_hash"], status.chunk.id
            item.attempts += 1

    def _on_dropped(self, event: dict) -> None:
        """The chunk's nonce went to another transaction: its items wait for a new chunk."""
        status = self.chunks[event["chunk"]]
        status.state, status.reason = "dropped", event.get("why", "")
        self.transactions -= 1  # it never ran
        self._insert(status.chunk.id, [Chunk.from_json(event["replacement"])])
        for i in status.chunk.indexes:
            self.items[i].state = "retried"

    def _on_receipt(self, event: dict) -> None:
        """A settled transaction; a reverted one may carry its re-planned chunks (``into``) in the same
        line, so no kill between two writes can leave its other items unplanned."""
        status = self.chunks[event["chunk"]]
        if status.state != "sent":
            raise ValueError(f"receipt for chunk {status.chunk.id} in state {status.state}")
        status.state = "reverted" if event["reverted"] else "accepted"
        status.fee, status.l2_gas, status.latency, status.reason = event["fee"], event["l2_gas"], event["latency"], event.get("reason", "")
        for index, ok, new_id, reason in event["items"]:
            item = self.items[index]
            item.state, item.reason, item.where = ("accepted", "", "") if ok else ("reverted", reason, "chain")
            if new_id is not None:
                item.id = new_id
        if "into" in event:
            self._on_split({"chunk": status.chunk.id, "into": event["into"], "why": event.get("why", "")})

    def _on_refused(self, event: dict) -> None:
        """The pre-flight simulation reverted the whole chunk for a reason no split can avoid."""
        status = self.chunks[event["chunk"]]
        status.state, status.reason = "reverted", event["reason"]
        for i in status.chunk.indexes:
            item = self.items[i]
            item.state, item.reason, item.where = "reverted", event["reason"], "preflight"

    def _on_done(self, event: dict) -> None:
        self.done = True

    def counts(self) -> dict[str, dict[str, int]]:
        items = {s: 0 for s in ITEM_STATES}
        for item in self.items:
            items[item.state] += 1
        chunks = {s: 0 for s in CHUNK_STATES}
        for status in self.chunks.values():
            chunks[status.state] += 1
        return {"items": items, "chunks": chunks}
