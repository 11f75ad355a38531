"""Small SVG charts for the dataset card: written by hand, so the same figures give the same bytes."""
from __future__ import annotations

from html import escape

WIDTH, BAR_H, GAP, LABEL_W = 640, 16, 4, 220


def bar_chart(title: str, rows: list[tuple[str, int]], unit: str = "") -> str:
    """Horizontal bars, one per (label, value), largest value full width."""
    top = max((v for _, v in rows), default=0) or 1
    height = 40 + len(rows) * (BAR_H + GAP)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="4" y="18" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(rows):
        y = 30 + i * (BAR_H + GAP)
        w = int((WIDTH - LABEL_W - 80) * value / top)
        out.append(f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1)}" height="{BAR_H}" fill="#4a7ab7"/>')
        out.append(f'<text x="{LABEL_W + w + 4}" y="{y + 12}">{value:,}{escape(unit)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def paired_histogram(title: str, bins: list[str], a: list[int], b: list[int], labels: tuple[str, str]) -> str:
    """Two series over the same bins, as side-by-side vertical bars."""
    top = max(a + b, default=0) or 1
    plot_h, left, bottom = 200, 50, 250
    step = (WIDTH - left - 20) / max(len(bins), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="300" font-family="sans-serif" font-size="11">',
           f'<text x="4" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
           f'<rect x="{left}" y="26" width="10" height="10" fill="#b0b0b0"/><text x="{left + 14}" y="35">{escape(labels[0])}</text>',
           f'<rect x="{left + 160}" y="26" width="10" height="10" fill="#4a7ab7"/><text x="{left + 174}" y="35">{escape(labels[1])}</text>']
    for i, name in enumerate(bins):
        x = left + i * step
        for j, (series, colour) in enumerate(((a, "#b0b0b0"), (b, "#4a7ab7"))):
            h = int(plot_h * series[i] / top)
            bx = x + 2 + j * (step - 4) / 2
            out.append(f'<rect x="{bx:.1f}" y="{bottom - h}" width="{(step - 4) / 2:.1f}" height="{h}" fill="{colour}"/>')
            if series[i]:
                out.append(f'<text x="{bx + (step - 4) / 4:.1f}" y="{bottom - h - 3}" text-anchor="middle" font-size="9">{series[i]:,}</text>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{bottom + 14}" text-anchor="middle">{escape(name)}</text>')
    out.append(f'<text x="{WIDTH / 2:.0f}" y="{bottom + 32}" text-anchor="middle">characters per document '
               f'(bars: documents)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
