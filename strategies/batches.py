"""Batches: 0 to MAX_BATCH_SIZE + 1 items of one kind, with duplicates and invalid items mixed in, in
atomic or partial mode, packed where the contract offers a packed form."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ciro_fuzz.model.ops import ATOMIC, ENTRIES, ITEM_TYPES, MAX_BATCH_SIZE, PARTIAL, Batch, packable
from ciro_fuzz.model.roles import Role
from strategies.actors import actors


@st.composite
def _item_lists(draw, items: st.SearchStrategy, max_size: int):
    size = draw(st.one_of(st.integers(0, min(5, max_size)), st.sampled_from([0, 1, max_size - 1, max_size, max_size + 1]), st.integers(0, max_size + 1)))
    size = max(0, size)
    drawn = draw(st.lists(items, min_size=min(size, 1), max_size=max(1, min(size, 6))))
    # Long batches repeat a few drawn items: duplicates on purpose, and cheap to generate and shrink.
    out = [drawn[i % len(drawn)] for i in range(size)] if drawn else []
    return out


def batches(kind: str, items: st.SearchStrategy, usual: Role, *, max_size: int = MAX_BATCH_SIZE, others: float = 0.2) -> st.SearchStrategy[Batch]:
    """Batches of ``items`` sent mostly by ``usual``: sizes 0..max_size+1 (boundary sizes on purpose),
    mode atomic or partial, packed calldata when possible. Shrinks toward an empty atomic batch of the
    usual actor, then toward fewer and simpler items."""
    if kind not in ITEM_TYPES:
        raise InvalidArgument(f"batches: unknown item kind {kind!r}; one of {sorted(ITEM_TYPES)}")
    if not isinstance(max_size, int) or max_size < 1:
        raise InvalidArgument(f"batches: max_size must be a positive int, got {max_size!r}")

    @st.composite
    def build(draw):
        actor = draw(actors(usual, others=others))
        # Packed batches are drawn half the time where the contract has a packed form; their items are
        # then limited to what the packed fields can carry.
        packed = ENTRIES[ITEM_TYPES[kind]].packed is not None and draw(st.booleans())
        source = items.filter(lambda item: packable((item,))) if packed else items
        chosen = tuple(draw(_item_lists(source, max_size)))
        mode = draw(st.sampled_from([ATOMIC, PARTIAL]))
        return Batch(actor, kind, chosen, mode, packed)

    return build()
