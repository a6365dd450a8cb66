"""Actors as roles relative to a universe (admin, coordinator, slasher, a worker's owner, another owner,
a client, a stranger), never raw addresses."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ciro_fuzz.model.roles import Role


def roles() -> st.SearchStrategy[Role]:
    """Any role; shrinks toward ADMIN, the first."""
    return st.sampled_from(list(Role))


def actors(usual: Role, *, others: float = 0.2) -> st.SearchStrategy[Role]:
    """Mostly ``usual`` (the role the entrypoint is meant for), another role with probability about
    ``others`` so access control is exercised; shrinks toward ``usual``."""
    if not isinstance(usual, Role):
        raise InvalidArgument(f"actors: usual must be a Role, got {usual!r}")
    if not 0 <= others <= 1:
        raise InvalidArgument(f"actors: others must be within 0..1, got {others!r}")
    weight = max(1, round((1 - others) * 10))
    return st.sampled_from([usual] * weight + [r for r in Role if r != usual] * (1 if others else 0))
