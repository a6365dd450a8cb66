"""Strategies: argument validation, what they generate."""

import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

import strategies as S
from ciro_fuzz.model.ops import MAX_BATCH_SIZE, ITEM_TYPES
from ciro_fuzz.model.roles import Role


@pytest.mark.parametrize("build", [
    lambda: S.amounts(minimum=5, bound=1),
    lambda: S.ids(-1),
    lambda: S.actors("admin"),
    lambda: S.actors(Role.ADMIN, others=2),
    lambda: S.batches("Nope", S.claim_items(1), Role.OWNER),
    lambda: S.batches("ClaimItem", S.claim_items(1), Role.OWNER, max_size=0),
])
def test_bad_arguments_raise_invalid_argument(build):
    with pytest.raises(InvalidArgument):
        build().example()


@settings(max_examples=200)
@given(S.batches("StakeItem", S.stake_items(4), Role.OWNER))
def test_batches_stay_within_zero_to_max_plus_one(batch):
    assert 0 <= len(batch.items) <= MAX_BATCH_SIZE + 1
    assert all(isinstance(i, ITEM_TYPES["StakeItem"]) for i in batch.items)
    assert batch.kind == "StakeItem"


def test_boundary_values_are_reachable():
    from hypothesis import find

    assert find(S.amounts(minimum=10), lambda a: a == 2**128) == 2**128
    assert find(S.ids(3), lambda i: i == 0) == 0
    assert len(find(S.batches("ClaimItem", S.claim_items(2), Role.OWNER), lambda b: len(b.items) == MAX_BATCH_SIZE + 1).items) == MAX_BATCH_SIZE + 1
