"""Boundary values drawn on purpose: 0, 1, limits minus one, limits, u256 limb edges at 2^128, felt edges
and packing-field maxima, mixed with ordinary values. Boundaries come first in each ``sampled_from`` so
Hypothesis shrinks toward the simplest of them (0 or the lowest limit)."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ciro_fuzz.model.ops import AMOUNT_MAX, FELT_PRIME

U128 = 2**128
U256_MAX = 2**256 - 1
FELT_MAX = FELT_PRIME - 1


def _check_range(name: str, low: int, high: int) -> None:
    if not (isinstance(low, int) and isinstance(high, int)) or low > high or low < 0:
        raise InvalidArgument(f"{name}: need integers 0 <= low <= high, got low={low!r}, high={high!r}")


def amounts(*, minimum: int = 0, typical: int = 10**18, bound: int = AMOUNT_MAX, balance: int | None = None) -> st.SearchStrategy[int]:
    """Token amounts: 0, 1, minimum-1, minimum, typical multiples, 2^64 +- 1 (a common truncation width),
    bound/8 and bound/4 (two or three of them exceed an actor's 10^26 tokens: running totals), bound-1,
    bound, bound+1 (just past the 2^88 packing bound) and the u256 limb edges 2^128-1, 2^128. Shrinks
    toward 0. With ``balance`` (what the payer holds), also balance/2 + 1 (two items together exceed it)
    and balance + 1. Two draws in three are boundary values."""
    _check_range("amounts", minimum, bound)
    edges = {0, 1, max(minimum - 1, 0), minimum, 2**64 - 1, 2**64 + 1, bound // 8, bound // 4, bound - 1, bound, bound + 1, U128 - 1, U128}
    if balance is not None:
        if not isinstance(balance, int) or balance < 0:
            raise InvalidArgument(f"amounts: balance must be a non-negative int, got {balance!r}")
        edges |= {balance // 2 + 1, balance + 1}
    edges = sorted(edges)
    return st.one_of(
        st.sampled_from(edges),
        st.sampled_from(edges),
        st.integers(1, 50).map(lambda k: k * typical),
        st.integers(minimum, max(minimum, 100 * typical)),
    )


def u256s() -> st.SearchStrategy[int]:
    """Any u256 with weight on the limb edges: 0, 1, 2^128-1, 2^128, 2^128+1, 2^256-1."""
    return st.one_of(st.sampled_from([0, 1, U128 - 1, U128, U128 + 1, U256_MAX]), st.integers(0, U256_MAX))


def felts() -> st.SearchStrategy[int]:
    """Felts with weight on the edges: 0, 1, 2^128, 2^251, P-1; shrinks toward 0."""
    return st.one_of(st.sampled_from([0, 1, U128, 2**251, FELT_MAX]), st.integers(0, FELT_MAX))


def ids(count: int, *, invalid: bool = True, preferred: tuple[int, ...] = ()) -> st.SearchStrategy[int]:
    """Entity ids for a universe holding ``count`` of them (dense from 1): mostly existing ids (about half
    of them from ``preferred``, e.g. the workers the sender owns, when given), and when ``invalid`` also 0,
    count+1, 2^32 (past the packed width) and 2^128. Shrinks toward the first preferred id, or id 1."""
    if not isinstance(count, int) or count < 0:
        raise InvalidArgument(f"ids: count must be a non-negative int, got {count!r}")
    if any(not isinstance(i, int) or not 1 <= i <= count for i in preferred):
        raise InvalidArgument(f"ids: preferred ids must exist (1..{count}), got {preferred!r}")
    existing = st.integers(1, count) if count else st.nothing()
    if preferred:
        existing = st.one_of(st.sampled_from(sorted(preferred)), existing)
    wrong = st.sampled_from([0, count + 1, 2**32, U128])
    if not invalid:
        return existing if count else st.just(1)
    return st.one_of(existing, wrong) if count else wrong
