"""The pure similarity rules: normalisation, bounds, symmetry, identity, MinHash estimates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.routing import similarity as sim

texts = st.text(
    alphabet=st.sampled_from("abcdeiklmnoprstu ,.!0123456789\nYth/BapakIbu-"), max_size=120
)
sentences = st.lists(
    st.sampled_from(["jalan", "rusak", "sudah", "diperbaiki", "petugas", "lampu", "padam", "kami"]),
    max_size=25,
).map(" ".join)


@given(texts, texts)
@settings(max_examples=150, deadline=None)
def test_similarity_is_symmetric_and_bounded(a: str, b: str):
    # given any two texts
    # when they are compared both ways
    forth, back = sim.similarity(a, b), sim.similarity(b, a)
    # then the score is the same and lies in [0, 1]
    assert forth == back
    assert 0.0 <= forth <= 1.0


@given(texts)
@settings(max_examples=100, deadline=None)
def test_a_text_is_identical_to_itself(a: str):
    # given any text
    # when it is compared with itself
    # then the score is 1
    assert sim.similarity(a, a) == 1.0


@given(sentences, sentences)
@settings(max_examples=100, deadline=None)
def test_minhash_estimate_is_near_the_exact_index(a: str, b: str):
    # given two texts over a small vocabulary (so that they share shingles)
    exact = sim.similarity(a, b)
    # when their signatures are compared
    estimate = float(sim.estimated_similarities(sim.signature(a), [sim.signature(b)])[0])
    # then the estimate is within the candidate margin of the exact index
    assert abs(estimate - exact) <= sim.CANDIDATE_MARGIN + 0.15
    if exact == 1.0:
        assert estimate == 1.0


def test_normalise_removes_case_punctuation_digits_and_report_specifics():
    # given an answer with a salutation, a tracking ID, an e-mail, a date and a mask
    text = (
        "Yth. Bapak/Ibu Budi Santoso, laporan 7KQ4M-9XMT3 (tgl 12/05/2022) sudah DITANGANI!  "
        "Hubungi humas@surabaya.go.id atau [NAMA]."
    )
    # when it is normalised
    # then only the words of the answer remain, lower-case and single-spaced
    assert sim.normalise(text) == "laporan tgl sudah ditangani hubungi atau"


@pytest.mark.parametrize(
    "salutation",
    ["Yth. Bapak Agus,", "Kepada Yth. Sdr. Rudi Hartono,", "Yth Ibu Dewi Lestari\n", "Bapak Joko,"],
)
def test_the_name_in_a_salutation_does_not_count(salutation: str):
    # given the same answer addressed to different people
    body = " terima kasih, lampu di jalan tersebut sudah diperbaiki oleh petugas."
    # when it is compared with the answer addressed to someone else
    # then they are identical
    assert sim.similarity(salutation + body, "Yth. Ibu Siti," + body) == 1.0


def test_short_texts_match_only_when_equal():
    # given one-word answers
    # then equal ones are identical and different ones share nothing
    assert sim.shingles("Selesai.") == frozenset({"selesai"})
    assert sim.similarity("Selesai.", "selesai") == 1.0
    assert sim.similarity("Selesai.", "Ditolak.") == 0.0


def test_empty_texts():
    # given texts with no words at all
    # then two of them are identical, and one of them shares nothing with a real answer
    assert sim.similarity("", "123 !!") == 1.0
    assert sim.similarity("", "laporan diterima") == 0.0


def test_find_near_duplicates_orders_by_score_and_applies_the_threshold():
    # given earlier answers: one identical, one edited, one different
    text = "laporan anda sudah kami teruskan ke dinas perhubungan untuk ditindaklanjuti segera"
    earlier = [
        (1, "Pohon tumbang sudah dipotong dan diangkut petugas DLH pagi ini."),
        (2, text + " terima kasih"),
        (3, text.upper()),
    ]
    # when near-duplicates are looked for
    found = sim.find_near_duplicates(text, earlier, threshold=0.5)
    # then the identical comes first, the edited second, the different not at all
    assert [key for key, _score in found] == [3, 2]
    assert found[0][1] == 1.0
    assert 0.5 <= found[1][1] < 1.0
    assert sim.is_templated(text, earlier) is True
    assert sim.is_templated(text, earlier[:1]) is False


def test_signature_round_trips_through_its_stored_form():
    # given a signature as stored in the database
    stored = sim.signature("lampu penerangan jalan sudah diperbaiki")
    # when it is read back
    matrix = sim.signatures_matrix([stored, stored])
    # then it has the fixed size and equals the MinHash of the text
    assert len(stored) == sim.SIGNATURE_SIZE * 8
    assert matrix.shape == (2, sim.SIGNATURE_SIZE)
    assert list(matrix[0]) == list(sim.minhash("lampu penerangan jalan sudah diperbaiki"))
    assert sim.candidate_indexes(stored, []) == []
