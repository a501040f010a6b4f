"""Tracking IDs: short, unguessable, safe to read over the phone, with a check character.

Pure: no Django. The format is ten characters from a 29-character alphabet, written as two
groups of five joined by a dash, e.g. ``7KQ4M-9XMT3``:

* the alphabet is the digits ``2``–``9`` and the capital letters without ``I``, ``L``, ``O``,
  ``U`` and ``S`` (``0/O``, ``1/I/L``, ``U/V`` and ``5/S`` are easily confused, by eye or by ear);
  its size, 29, is a prime, which is what makes the check character work;
* the first nine characters are random (``secrets``): 29⁹ ≈ 1.45·10¹³ ≈ 2⁴³·⁷ values;
* the tenth is a check character chosen so that ``Σ i·v(cᵢ) ≡ 0 (mod 29)`` over positions
  ``i = 1 … 10`` (``v`` is the index in the alphabet). Because 29 is prime and every weight
  ``1 … 10`` is non-zero and differs from its neighbour by 1, every single-character substitution
  changes the sum by ``i·(a−b) ≢ 0`` and every swap of two adjacent different characters by
  ``±(a−b) ≢ 0``: both are always detected (also when the check character is involved).

Input is normalised before checking: case, spaces, dashes, dots and underscores are ignored, and
``S`` is read as ``5`` (the only excluded letter that stands for one allowed character).
A wrong length or a character outside the alphabet is *malformed*; a well-formed ID whose check
fails is *mistyped* — so the API can say "check the ID" instead of "no such report".

Reports imported from the earlier system keep their old numeric IDs (see ``import_history``);
they never pass :func:`parse_tracking_id`, so a lookup falls back to the raw text for them.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRTVWXYZ"
BASE = len(ALPHABET)  # 29, prime
BODY_LENGTH = 9
LENGTH = BODY_LENGTH + 1
GROUP = 5
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -._\t")
_READ_AS = str.maketrans({"S": "5"})

assert BASE == 29 and len(set(ALPHABET)) == BASE


class MalformedTrackingId(ValueError):
    """The text cannot be a tracking ID: wrong length or characters."""


class MistypedTrackingId(ValueError):
    """The text looks like a tracking ID but its check character fails: a typing mistake."""


def _weighted_sum(chars: str) -> int:
    return sum((position + 1) * _VALUES[char] for position, char in enumerate(chars))


def check_character(body: str) -> str:
    """The character that completes ``body`` (nine alphabet characters) to a valid ID."""
    if len(body) != BODY_LENGTH or any(char not in _VALUES for char in body):
        raise MalformedTrackingId(body)
    # LENGTH·c ≡ −Σ (mod 29)  ⇒  c ≡ −Σ · LENGTH⁻¹
    inverse = pow(LENGTH, -1, BASE)
    return ALPHABET[(-_weighted_sum(body) * inverse) % BASE]


def is_valid_compact(chars: str) -> bool:
    """Whether ten alphabet characters (no separators) carry a correct check character."""
    return _weighted_sum(chars) % BASE == 0


def format_tracking_id(compact: str) -> str:
    """``7KQ4M9XMT3`` → ``7KQ4M-9XMT3``."""
    return f"{compact[:GROUP]}-{compact[GROUP:]}"


def new_tracking_id() -> str:
    """A fresh random tracking ID in canonical form: five characters, a dash, five more (``7KQ4M-9XMT3``)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_tracking_id(body + check_character(body))


def normalise(text: str) -> str:
    """Upper-case, without separators, ``S`` read as ``5``."""
    return text.strip().upper().translate(_SEPARATORS).translate(_READ_AS)


def parse_tracking_id(text: str) -> str:
    """The canonical form of a typed tracking ID.

    Raises :class:`MalformedTrackingId` for a wrong length or a character outside the alphabet,
    :class:`MistypedTrackingId` when the check character does not match.
    """
    compact = normalise(text)
    if len(compact) != LENGTH:
        raise MalformedTrackingId(f"expected {LENGTH} characters, got {len(compact)}")
    bad = sorted({char for char in compact if char not in _VALUES})
    if bad:
        raise MalformedTrackingId(f"characters not used in tracking IDs: {''.join(bad)}")
    if not is_valid_compact(compact):
        raise MistypedTrackingId(f"check character of {format_tracking_id(compact)} fails")
    return format_tracking_id(compact)
