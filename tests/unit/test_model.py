"""The error mirror, calldata encoding and packing, step (de)serialisation."""

import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from ciro_fuzz.model import errors
from ciro_fuzz.model.ops import (
    AMOUNT_MAX, ATOMIC, PARTIAL, Action, AdvanceTime, Batch, ReputationItem, StakeItem, pack_reputation, pack_stakes,
    packable, step_from_json, step_to_json,
)
from ciro_fuzz.model.roles import Role
import strategies as S

ROOT = Path(__file__).resolve().parents[2]


def test_errors_mirror_the_cairo_declarations_exactly():
    cairo = (ROOT / "contracts/src/errors.cairo").read_text()
    declared = dict(re.findall(r"pub const (\w+): felt252 = '([^']*)';", cairo))
    assert declared == errors.ALL
    assert all(len(v) <= 31 for v in declared.values())


def _unpack_stakes(words, count):
    out = []
    for i in range(count):
        field = (words[i // 2] >> (120 * (i % 2))) & (2**120 - 1)
        out.append(StakeItem(field & (2**32 - 1), field >> 32))
    return out


def _unpack_reputation(words, count):
    out = []
    for i in range(count):
        field = (words[i // 4] >> (56 * (i % 4))) & (2**56 - 1)
        out.append(ReputationItem(field & (2**32 - 1), ((field >> 32) & 0xFFFF) - 1000, field >> 48))
    return out


@given(st.lists(st.builds(StakeItem, st.integers(0, 2**32 - 1), st.integers(0, AMOUNT_MAX)), max_size=51))
def test_stake_packing_is_lossless_inside_the_field_widths(items):
    words = pack_stakes(items)
    assert len(words) == (len(items) + 1) // 2
    assert all(w < 2**240 for w in words)
    assert _unpack_stakes(words, len(items)) == items


@given(st.lists(st.builds(ReputationItem, st.integers(0, 2**32 - 1), st.integers(-1000, 1000), st.integers(0, 255)), max_size=51))
def test_reputation_packing_is_lossless_inside_the_field_widths(items):
    words = pack_reputation(items)
    assert len(words) == (len(items) + 3) // 4
    assert _unpack_reputation(words, len(items)) == items


def test_packable_refuses_values_the_packed_form_cannot_carry():
    assert packable((StakeItem(1, AMOUNT_MAX),))
    assert not packable((StakeItem(1, AMOUNT_MAX + 1),))
    assert not packable((StakeItem(2**32, 1),))
    assert not packable((ReputationItem(1, 1001, 1),))


def test_batch_calldata_is_length_prefixed_items_then_mode():
    step = Batch(Role.OWNER, "StakeItem", (StakeItem(1, 5), StakeItem(2, 2**128)), PARTIAL)
    assert step.batch_function() == "batch_stake"
    assert step.batch_calldata() == [2, 1, 5, 0, 2, 0, 1, PARTIAL]
    packed = Batch(Role.OWNER, "StakeItem", (StakeItem(1, 5),), ATOMIC, packed=True)
    assert packed.batch_function() == "batch_stake_packed"
    assert packed.batch_calldata() == [1, 1 | (5 << 32), 1, ATOMIC]


@given(st.data())
def test_steps_round_trip_through_json(data):
    batch = data.draw(S.batches("ReputationItem", S.reputation_items(3), Role.COORDINATOR))
    for step in (batch, Action(Role.SLASHER, "slash", (1, 100)), AdvanceTime(5)):
        assert step_from_json(step_to_json(step)) == step


@pytest.mark.parametrize("bad", [{"type": "nope"}, {"type": "action", "actor": "admin", "name": "drain", "args": []},
                                 {"type": "batch", "actor": "admin", "kind": "Nope", "items": [], "mode": 0}])
def test_unknown_steps_are_refused_with_a_reason(bad):
    with pytest.raises(ValueError):
        step_from_json(bad)
