"""Reputation items: signed deltas with a reason, and network-wide adjustments."""

from __future__ import annotations

from hypothesis import strategies as st

from ciro_fuzz.model.ops import MAX_DELTA, ReputationItem
from strategies.boundaries import ids


def deltas() -> st.SearchStrategy[int]:
    """Deltas at the clamp edges (+-1000, +-1001 invalid, +-500) and in between; shrinks toward 0."""
    edges = [0, 1, -1, MAX_DELTA, -MAX_DELTA, MAX_DELTA + 1, -MAX_DELTA - 1, 500, -500]
    return st.sampled_from(edges) | st.integers(-MAX_DELTA, MAX_DELTA)


def reputation_items(worker_count: int) -> st.SearchStrategy[ReputationItem]:
    """Updates with reasons 1..7 valid and 0, 8 invalid."""
    return st.builds(ReputationItem, worker_id=ids(worker_count), delta=deltas(), reason=st.sampled_from([1, 2, 7, 0, 8]) | st.integers(1, 7))


def network_deltas() -> st.SearchStrategy[int]:
    return deltas()
