"""Cutting an item list into chunks that fit one batch transaction each (pure).

A chunk holds consecutive items of one kind, at most the contract's batch size, within the calldata limit,
and never two items the contract would refuse as duplicates of one batch (so a repeated item fails for the
same state reason it would fail for when sent alone). The L2 gas limit needs the chain: the submitter
splits a chunk whose simulated gas is over the cap with :func:`split_for_gas`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ciro_fuzz.model.ops import ENTRIES, MAX_BATCH_SIZE, Batch, packable
from ciro_fuzz.model.roles import Role
from ciro_fuzz.model.rules import duplicate_key

# Starknet's limit on a transaction's calldata (shared/reference/starknet.md); devnet does not enforce it,
# so the SDK does.
CALLDATA_LIMIT = 5000
# An INVOKE's calldata wraps the batch call: [number of calls, to, selector, calldata length, ...].
CALL_FRAME = 4


@dataclass(frozen=True)
class Chunk:
    """Items ``indexes`` (positions in the caller's list) sent as one batch call."""

    id: int
    kind: str
    indexes: tuple[int, ...]
    packed: bool = False

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "indexes": list(self.indexes), "packed": self.packed}

    @staticmethod
    def from_json(data: dict) -> "Chunk":
        return Chunk(int(data["id"]), str(data["kind"]), tuple(int(i) for i in data["indexes"]), bool(data.get("packed", False)))


def batch_of(chunk: Chunk, items: Sequence, mode: int) -> Batch:
    """The batch call a chunk stands for (the actor is the submitting account, not a role)."""
    return Batch(Role.CLIENT, chunk.kind, tuple(items[i] for i in chunk.indexes), mode, chunk.packed)


def calldata_felts(kind: str, items: Sequence, mode: int, packed: bool) -> int:
    """The transaction calldata of these items as one batch (packed only where it can be)."""
    chunk = _packed_if_fits(Chunk(0, kind, tuple(range(len(items)))), items, packed)
    return CALL_FRAME + len(batch_of(chunk, items, mode).batch_calldata())


def cut(items: Sequence, mode: int, max_size: int = MAX_BATCH_SIZE, max_calldata: int = CALLDATA_LIMIT, packed: bool = False, first_id: int = 0) -> list[Chunk]:
    """Greedy chunks in the caller's order; ``packed`` applies where the entrypoint has a packed form and
    the chunk's values fit its fields."""
    if not 1 <= max_size <= MAX_BATCH_SIZE:
        raise ValueError(f"max_size must be within 1..{MAX_BATCH_SIZE}, got {max_size}")
    chunks: list[Chunk] = []
    current: list[int] = []
    seen: set = set()

    def close() -> None:
        if current:
            kind = type(items[current[0]]).__name__
            chunks.append(_packed_if_fits(Chunk(first_id + len(chunks), kind, tuple(current)), items, packed))
            current.clear()
            seen.clear()

    for index, item in enumerate(items):
        key = duplicate_key(item)
        if current and (
            type(items[current[0]]) is not type(item) or len(current) >= max_size or key in seen
            or calldata_felts(type(item).__name__, [items[i] for i in current] + [item], mode, packed) > max_calldata
        ):
            close()
        if calldata_felts(type(item).__name__, [item], mode, packed) > max_calldata:
            raise ValueError(f"item {index} alone needs more than {max_calldata} calldata felts")
        current.append(index)
        if key is not None:
            seen.add(key)
    close()
    return chunks


def _packed_if_fits(chunk: Chunk, items: Sequence, packed: bool) -> Chunk:
    entry = ENTRIES[type(items[chunk.indexes[0]])]
    fits = packed and entry.packed is not None and packable(tuple(items[i] for i in chunk.indexes))
    return Chunk(chunk.id, chunk.kind, chunk.indexes, fits)


def split_at(chunk: Chunk, position: int, next_id: int) -> tuple[list[Chunk], int]:
    """The chunk without its item at ``position`` (isolated), as the parts before and after it."""
    return _numbered(chunk, [chunk.indexes[:position], chunk.indexes[position + 1 :]], next_id)


def split_for_gas(chunk: Chunk, estimated_gas: int, cap: int, next_id: int) -> tuple[list[Chunk], int]:
    """Parts whose size is scaled down to the gas cap (gas grows about linearly with items, measured by
    `ciro-fuzz bench gas`), at least two, so repeated splitting always ends."""
    n = len(chunk.indexes)
    if n < 2:
        raise ValueError(f"one item needs {estimated_gas} L2 gas, over the cap of {cap}")
    per_item = max(estimated_gas / n, 1)
    size = max(1, min(n - 1, int(cap / per_item)))
    return _numbered(chunk, [chunk.indexes[i : i + size] for i in range(0, n, size)], next_id)


def halves(chunk: Chunk, next_id: int) -> tuple[list[Chunk], int]:
    """Two halves of a chunk that failed with no item named (out of gas)."""
    mid = max(1, len(chunk.indexes) // 2)
    return _numbered(chunk, [chunk.indexes[:mid], chunk.indexes[mid:]], next_id)


def _numbered(chunk: Chunk, parts: list[tuple[int, ...]], next_id: int) -> tuple[list[Chunk], int]:
    """The non-empty parts of a chunk as chunks of its kind numbered from ``next_id``, and the next free id."""
    out = [Chunk(next_id + k, chunk.kind, p, chunk.packed) for k, p in enumerate(p for p in parts if p)]
    return out, next_id + len(out)
