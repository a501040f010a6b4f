"""Masking personal data in report text shown publicly. Pure: no Django.

What is masked:

* **identity numbers** — exactly 16 digits (NIK, KK number), also written in groups separated by
  single spaces, dots or dashes (``3578 0112 3456 0001``, ``35.78.01.123456.0001``) →
  ``[NIK]``. A run with more or fewer digits is left alone (amounts, years, RT/RW).
* **phone numbers** — Indonesian mobiles ``08…``, ``+62 8…``, ``62-8…``, ``(+62) 8…`` with 9–13
  digits after the country/trunk prefix and any single separators; landlines ``(031) 5312144``,
  ``021-5551234``, ``0274 512345`` — every digit but the last three becomes ``*``, so
  ``0812-3456-7890`` → ``****-****-*890``.
* **e-mail addresses** → first character of the mailbox, then ``***@***.`` and the top-level
  domain: ``budi.santoso@gmail.com`` → ``b***@***.com``.

Dates (``2022-01-17``, ``17-01-2022 10:00``), money (``Rp 1.500.000``), RT/RW (``RT 05/RW 02``),
house numbers and other short numbers are not touched: every number pattern is bounded so that it
cannot start or end inside a longer run of digits.
"""

from __future__ import annotations

import re

_SEP = r"[ .\-]"
# no digit (optionally behind one separator) immediately before / after the match
_START = r"(?<!\d)(?<!\d[ .\-])"
_END = r"(?![ .\-]?\d)"

_NIK = re.compile(_START + r"(?:\d" + _SEP + r"?){15}\d" + _END)

_MOBILE = re.compile(
    _START
    + r"(?:\(?\+62\)?|(?<!\+)62|0)"  # +62, (+62), 62 or the trunk 0
    + _SEP
    + r"?\(?8\)?\d(?:"
    + _SEP
    + r"?\d){7,10}"
    + _END
)
_LANDLINE = re.compile(
    _START
    + r"(?:\(0\d{2,3}\)[ .\-]?\d{3,4}[ .\-]?\d{3,4}"  # (031) 531 2144, (021)5551234
    + r"|(?:\+62[ .\-]?|0)[2-79]\d{1,2}[ \-]\d{5,8})"  # 021-5551234, 0274 512345, +62 21 5551234
    + _END
)
_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.([A-Za-z]{2,24})\b"
)

NIK_MASK = "[NIK]"


def _mask_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    digits_seen = 0
    total = sum(char.isdigit() for char in text)
    out = []
    for char in text:
        if char.isdigit():
            digits_seen += 1
            out.append(char if digits_seen > total - 3 else "*")
        elif char == "+":
            out.append("*")
        else:
            out.append(char)
    return "".join(out)


def _mask_email(match: re.Match[str]) -> str:
    return f"{match.group(1)}***@***.{match.group(2)}"


def mask_personal_data(text: str) -> str:
    """``text`` with phone numbers, e-mail addresses and 16-digit identity numbers masked."""
    if not text:
        return text
    text = _EMAIL.sub(_mask_email, text)
    text = _NIK.sub(NIK_MASK, text)
    text = _MOBILE.sub(_mask_digits, text)
    text = _LANDLINE.sub(_mask_digits, text)
    return text
