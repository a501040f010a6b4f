"""Near-identical answers: normalisation, word shingles, Jaccard and MinHash signatures.

Pure: no Django (an import-linter contract checks it). See docs/routing.md.

An officer's answer is compared with the organisation's earlier answers after a normalisation
that removes what differs from one report to the next even in a templated answer — letter case,
punctuation, digits (dates, numbers, RT/RW), tracking IDs, e-mail addresses, URLs, the personal-data
masks (``[NAMA]``) and the name in a salutation (``Yth. Bapak Budi Santoso,``). What is
left is cut into overlapping word *shingles* (``SHINGLE_SIZE`` words) and two texts are compared
by the Jaccard index of their shingle sets: ``|A ∩ B| / |A ∪ B|``, 1.0 for the same text and
0.0 for texts that share no run of words.

Comparing one draft with thousands of earlier answers uses *MinHash*: a fixed-size signature
(``SIGNATURE_SIZE`` 32-bit values) per text, stored with the answer; the share of equal positions
of two signatures estimates their Jaccard index (standard error ≤ 0.5/√size ≈ 0.06). Signatures
only pre-select candidates (with a margin); the score reported is always the exact Jaccard index
on the texts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np

SHINGLE_SIZE = 2
"""Words per shingle. 2 (word bigrams) tolerates the one-word substitutions of a filled-in
template better than 3 while still ignoring shared vocabulary; measured in docs/routing.md."""

DEFAULT_THRESHOLD = 0.5
"""Jaccard index (on word bigrams after normalisation) from which two answers count as
near-identical, i.e. templated. Chosen from the measurement in docs/routing.md."""

SIGNATURE_SIZE = 64
CANDIDATE_MARGIN = 0.2
"""Signatures estimating at least `threshold - CANDIDATE_MARGIN` are checked on the text."""

_TRACKING_ID = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_HONORIFIC = r"(?:bapak|ibu|bpk|bp|pak|bu|sdr|sdri|saudara|saudari|sdr\(i\)|kak|mas|mbak)\.?"
# "Yth. Bapak/Ibu Budi Santoso," or "Kepada Yth. Sdr. Budi" or "Bapak Budi," at the start
_SALUTATION = re.compile(
    r"(?:\b(?:kepada\s+)?yth\b\.?|^\s*(?:halo|hai|selamat\s+\w+)?\s*,?\s*(?="
    + _HONORIFIC
    + r"\s))\s*(?:"
    + _HONORIFIC
    + r"\s*(?:/\s*"
    + _HONORIFIC
    + r"\s*)?)?[^,\n:;.!?]{0,60}",
    re.IGNORECASE,
)
_NOT_LETTER = re.compile(r"[^\w\s]|[\d_]", re.UNICODE)
_SPACES = re.compile(r"\s+")

# MinHash: multiply-shift hashing of a 64-bit shingle hash by odd 64-bit multipliers, keeping
# the high 32 bits. Fixed seed: signatures stored in the database must stay comparable.
_rng = np.random.default_rng(20240611)
_MULTIPLIERS = _rng.integers(1, 2**63, size=SIGNATURE_SIZE, dtype=np.uint64) * np.uint64(2) + (
    np.uint64(1)
)
_ADDENDS = _rng.integers(0, 2**63, size=SIGNATURE_SIZE, dtype=np.uint64)
_EMPTY = np.full(SIGNATURE_SIZE, 0xFFFFFFFF, dtype=np.uint32)

Id = TypeVar("Id")


def normalise(text: str, *, strip_specifics: bool = True) -> str:
    """Lower-case words only, single-spaced. With `strip_specifics`, the report-specific parts
    (salutation name, tracking ID, e-mail, URL, masks such as [NAMA]) are removed first."""
    if strip_specifics:
        text = _URL.sub(" ", text)
        text = _EMAIL.sub(" ", text)
        text = _TRACKING_ID.sub(" ", text)
        text = _PLACEHOLDER.sub(" ", text)
        text = _SALUTATION.sub(" ", text)
    text = _NOT_LETTER.sub(" ", text.lower())
    return _SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    normalised = normalise(text)
    return normalised.split(" ") if normalised else []


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """The set of runs of `size` consecutive words; a shorter text is one shingle of all its
    words (so two short texts match only when equal); an empty text has none."""
    tokens = words(text)
    if len(tokens) <= size:
        return frozenset({" ".join(tokens)}) if tokens else frozenset()
    return frozenset(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are identical (1.0)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """How near-identical two answers are, in [0, 1] (1.0: the same after normalisation)."""
    return jaccard(shingles(a), shingles(b))


def find_near_duplicates(
    text: str,
    earlier: Iterable[tuple[Id, str]],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[tuple[Id, float]]:
    """The earlier `(id, text)` pairs at least `threshold` similar to `text`, most similar
    first (ties keep the input order)."""
    mine = shingles(text)
    scored = [(key, jaccard(mine, shingles(other))) for key, other in earlier]
    found = [(key, score) for key, score in scored if score >= threshold]
    found.sort(key=lambda pair: -pair[1])
    return found


def is_templated(
    text: str, earlier: Iterable[tuple[Id, str]], threshold: float = DEFAULT_THRESHOLD
) -> bool:
    """Is `text` near-identical to at least one earlier answer?"""
    return bool(find_near_duplicates(text, earlier, threshold))


# --- MinHash ------------------------------------------------------------------------------------


def _shingle_hashes(items: Iterable[str]) -> np.ndarray:
    values = [
        int.from_bytes(hashlib.blake2b(item.encode(), digest_size=8).digest(), "big")
        for item in items
    ]
    return np.array(values, dtype=np.uint64)


def minhash(text: str) -> np.ndarray:
    """The MinHash signature of `text`: `SIGNATURE_SIZE` unsigned 32-bit values."""
    hashes = _shingle_hashes(sorted(shingles(text)))
    if hashes.size == 0:
        return _EMPTY.copy()
    with np.errstate(over="ignore"):
        mixed = _MULTIPLIERS[:, None] * hashes[None, :] + _ADDENDS[:, None]
    return (mixed >> np.uint64(32)).astype(np.uint32).min(axis=1)


def signature(text: str) -> str:
    """`minhash(text)` as compact hex text (8 characters per value) for storage."""
    return minhash(text).astype(">u4").tobytes().hex()


def signatures_matrix(stored: Sequence[str]) -> np.ndarray:
    """Stored hex signatures as one (n, SIGNATURE_SIZE) array."""
    if not stored:
        return np.zeros((0, SIGNATURE_SIZE), dtype=np.uint32)
    raw = bytes.fromhex("".join(stored))
    return np.frombuffer(raw, dtype=">u4").reshape(len(stored), SIGNATURE_SIZE)


def estimated_similarities(text_signature: str, stored: Sequence[str]) -> np.ndarray:
    """The estimated Jaccard index of one signature with each stored one."""
    mine = signatures_matrix([text_signature])[0]
    matrix = signatures_matrix(stored)
    if matrix.shape[0] == 0:
        return np.zeros(0)
    return np.asarray((matrix == mine).mean(axis=1), dtype=float)


def candidate_indexes(
    text_signature: str, stored: Sequence[str], threshold: float = DEFAULT_THRESHOLD
) -> list[int]:
    """Positions in `stored` worth an exact comparison (estimate ≥ threshold − margin)."""
    estimates = estimated_similarities(text_signature, stored)
    return [int(i) for i in np.nonzero(estimates >= threshold - CANDIDATE_MARGIN)[0]]
