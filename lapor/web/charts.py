"""Charts drawn on the server as inline SVG (no chart library, no CDN, no inline script or
style: presentation attributes only, so the CSP holds). Each chart has a title and a text
table next to it in the template for screen readers."""

from __future__ import annotations

from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe


def month_range(first: date, last: date) -> list[date]:
    """The first day of every month from `first` to `last`, inclusive."""
    months = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def bar_chart(
    data: list[tuple[str, int | float]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    colour: str = "#8a1c12",
) -> SafeString:
    """A vertical bar chart with value labels; labels and title are escaped."""
    pad_left, pad_bottom, pad_top = 8, 28, 24
    n = max(len(data), 1)
    peak = max((float(v) for _, v in data), default=0.0) or 1.0
    slot = (width - pad_left) / n
    bar = max(slot * 0.7, 2)
    plot = height - pad_bottom - pad_top
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{height - pad_bottom}" x2="{width}" y2="{height - pad_bottom}"'
        ' stroke="#4a4a4a" stroke-width="1"/>',
    ]
    for i, (label, value) in enumerate(data):
        h = plot * float(value) / peak
        x = pad_left + i * slot + (slot - bar) / 2
        y = height - pad_bottom - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {escape(str(value))}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{escape(str(value))}</text>"
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - pad_bottom + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
