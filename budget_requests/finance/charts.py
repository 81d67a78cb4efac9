"""Server-side SVG charts (no JavaScript, no outside network): bars, grouped columns.

Each bar can carry a link (the drill-down behind the figure) and a tooltip (``<title>``). The SVG scales to
the width of its container (``viewBox`` + ``width=100%``), so it works at 390 px.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0d5c63", "#f2a541", "#7a9e7e", "#c8553d", "#5b7db1")


@dataclass
class Bar:
    value: int | float
    title: str = ""
    href: str = ""


def _bar(x: float, y: float, w: float, h: float, color: str, bar: Bar) -> str:
    rect = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" fill="{color}">'
            f'<title>{escape(bar.title)}</title></rect>')
    if bar.href:
        return f'<a href="{escape(bar.href)}">{rect}</a>'
    return rect


def _legend(series: Sequence[str], y: float) -> str:
    parts, x = [], 0.0
    for i, name in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{x + 16:.1f}" y="{y + 10:.1f}" font-size="12">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    return "".join(parts)


def hbar_chart(groups: Sequence[tuple[str, Sequence[Bar]]], series: Sequence[str], *, label: str,
               width: int = 640) -> SafeString:
    """Horizontal grouped bars: one group per row (e.g. an envelope: pagu / terikat / terbayar)."""
    if not groups:
        return mark_safe("")
    top = max((b.value for _g, bars in groups for b in bars), default=0) or 1
    label_w, bar_h, gap = 170, 9, 8
    group_h = bar_h * len(series) + gap
    height = 28 + group_h * len(groups)
    plot_w = width - label_w - 10
    out = [f'<svg class="pamong-chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
           f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
           _legend(series, 2)]
    y = 24.0
    for name, bars in groups:
        out.append(f'<text x="0" y="{y + bar_h - 1:.1f}" font-size="11">{escape(name[:28])}</text>')
        for i, b in enumerate(bars):
            out.append(_bar(label_w, y + i * bar_h, plot_w * b.value / top, bar_h - 1, PALETTE[i % len(PALETTE)], b))
        y += group_h
    out.append("</svg>")
    return mark_safe("".join(out))


def column_chart(groups: Sequence[tuple[str, Sequence[Bar]]], series: Sequence[str], *, label: str,
                 width: int = 640, height: int = 220) -> SafeString:
    """Vertical grouped columns: one group per x value (a histogram bin, a month)."""
    if not groups:
        return mark_safe("")
    top = max((b.value for _g, bars in groups for b in bars), default=0) or 1
    base_y, top_y, left = height - 22, 24, 4
    plot_h = base_y - top_y
    group_w = (width - left) / len(groups)
    bar_w = max((group_w - 6) / max(len(series), 1), 1)
    out = [f'<svg class="pamong-chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
           f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
           _legend(series, 2),
           f'<line x1="{left}" y1="{base_y}" x2="{width}" y2="{base_y}" stroke="#999" stroke-width="1"/>']
    for gi, (name, bars) in enumerate(groups):
        x0 = left + gi * group_w + 3
        for i, b in enumerate(bars):
            h = plot_h * b.value / top
            out.append(_bar(x0 + i * bar_w, base_y - h, bar_w - 1, h, PALETTE[i % len(PALETTE)], b))
        out.append(f'<text x="{x0 + (group_w - 6) / 2:.1f}" y="{height - 6}" font-size="11" '
                   f'text-anchor="middle">{escape(name)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
