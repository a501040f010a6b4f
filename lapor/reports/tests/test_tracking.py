"""Tracking IDs: format, normalisation, and the check character's guarantees (Hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapor.reports.tracking import (
    ALPHABET,
    BODY_LENGTH,
    LENGTH,
    MalformedTrackingId,
    MistypedTrackingId,
    check_character,
    format_tracking_id,
    is_valid_compact,
    new_tracking_id,
    parse_tracking_id,
)

bodies = st.text(alphabet=ALPHABET, min_size=BODY_LENGTH, max_size=BODY_LENGTH)


def _compact(body: str) -> str:
    return body + check_character(body)


def test_new_ids_are_canonical_unambiguous_and_valid():
    # given / when
    ids = {new_tracking_id() for _ in range(500)}
    # then
    assert len(ids) == 500
    for tracking_id in ids:
        assert re.fullmatch(r"[2-9A-HJKMNPQRTV-Z]{5}-[2-9A-HJKMNPQRTV-Z]{5}", tracking_id)
        assert not set(tracking_id) & set("01OILUS")
        assert parse_tracking_id(tracking_id) == tracking_id
        assert len(tracking_id) <= 16  # fits Report.tracking_id


def test_alphabet_excludes_ambiguous_characters_and_is_prime_sized():
    # then
    assert not set(ALPHABET) & set("01OILUS")
    assert len(ALPHABET) == 29
    assert all(len(ALPHABET) % d for d in range(2, len(ALPHABET)))


@given(body=bodies)
def test_check_character_makes_a_valid_id(body):
    # when
    compact = _compact(body)
    # then
    assert is_valid_compact(compact)
    assert parse_tracking_id(compact) == format_tracking_id(compact)


@given(body=bodies, position=st.integers(0, LENGTH - 1), replacement=st.sampled_from(ALPHABET))
def test_every_single_substitution_is_detected(body, position, replacement):
    # given
    compact = _compact(body)
    if compact[position] == replacement:
        return
    typed = compact[:position] + replacement + compact[position + 1 :]
    # when / then
    with pytest.raises(MistypedTrackingId):
        parse_tracking_id(typed)


@given(body=bodies, position=st.integers(0, LENGTH - 2))
def test_every_adjacent_transposition_is_detected(body, position):
    # given
    compact = _compact(body)
    a, b = compact[position], compact[position + 1]
    if a == b:
        return
    typed = compact[:position] + b + a + compact[position + 2 :]
    # when / then
    with pytest.raises(MistypedTrackingId):
        parse_tracking_id(typed)


def test_exhaustive_substitutions_and_transpositions_for_one_id():
    # given
    compact = _compact("7KQ4M9XMT")
    # when
    variants = set()
    for i in range(LENGTH):
        for char in ALPHABET:
            variants.add(compact[:i] + char + compact[i + 1 :])
        if i < LENGTH - 1:
            variants.add(compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :])
    variants.discard(compact)
    # then
    assert variants
    assert not any(is_valid_compact(v) for v in variants)


@pytest.mark.parametrize(
    "typed",
    ["{lower}", " {spaced} ", "{dotted}", "{dashed}"],
)
def test_input_is_normalised(typed):
    # given
    canonical = new_tracking_id()
    compact = canonical.replace("-", "")
    text = typed.format(
        lower=canonical.lower(),
        spaced=" ".join([compact[:3], compact[3:6], compact[6:]]),
        dotted=".".join([compact[:5], compact[5:]]),
        dashed="-".join(compact),
    )
    # when / then
    assert parse_tracking_id(text) == canonical


def test_s_is_read_as_five():
    # given
    body = "5ABCD5EFG"
    canonical = format_tracking_id(_compact(body))
    # when / then
    assert parse_tracking_id(canonical.replace("5", "s")) == canonical


@pytest.mark.parametrize(
    "text", ["", "ABC", "7KQ4M-9XMT3-2", "914423", "7KQ4M-9XMT0", "7KQ4M-9XMTI"]
)
def test_malformed_ids_are_told_apart(text):
    # when / then
    with pytest.raises(MalformedTrackingId):
        parse_tracking_id(text)


def test_errors_are_value_errors():
    # then
    assert issubclass(MalformedTrackingId, ValueError)
    assert issubclass(MistypedTrackingId, ValueError)
    assert not issubclass(MistypedTrackingId, MalformedTrackingId)
