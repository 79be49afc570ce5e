"""Charts drawn on the server as inline SVG: no script, no library, large type for a projector, and
they print. Each bar links to the same list its table row does."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif"
BAR = "#b71c1c"
SECOND = "#9aa5b1"


def bar_chart(title: str, rows: list[tuple[str, int, str]], *, width: int = 760) -> SafeString:
    """Horizontal bars: (label, value, href) per row, value written at the end of the bar."""
    if not rows:
        return mark_safe("")
    label_w, row_h, top = 190, 34, 40
    height = top + row_h * len(rows) + 10
    largest = max(value for _label, value, _href in rows) or 1
    room = width - label_w - 90
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px;{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title>{escape(title)}</title>',
        f'<text x="0" y="24" font-size="20" font-weight="700" fill="#1f2933">{escape(title)}</text>',
    ]
    for i, (label, value, href) in enumerate(rows):
        y = top + i * row_h
        length = round(room * value / largest)
        bar = (f'<text x="{label_w - 8}" y="{y + 22}" font-size="17" text-anchor="end" fill="#1f2933">'
               f'{escape(label[:12])}</text>'
               f'<rect x="{label_w}" y="{y + 5}" width="{max(length, 1)}" height="{row_h - 10}" fill="{BAR}"/>'
               f'<text x="{label_w + length + 8}" y="{y + 23}" font-size="17" font-weight="700" fill="#1f2933">'
               f'{value:,}</text>')
        parts.append(f'<a href="{escape(href)}">{bar}</a>' if href else bar)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(title: str, columns: list[tuple[str, int, int]], legend: tuple[str, str], *,
                 width: int = 760) -> SafeString:
    """Paired columns per period: (label, first value, second value), e.g. cases and grid problems per month."""
    if not columns:
        return mark_safe("")
    height, top, bottom, left = 300, 56, 40, 10
    plot_h = height - top - bottom
    largest = max(max(a, b) for _l, a, b in columns) or 1
    slot = (width - left) / len(columns)
    bar_w = max(4, slot * 0.36)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px;{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title>{escape(title)}</title>',
        f'<text x="0" y="24" font-size="20" font-weight="700" fill="#1f2933">{escape(title)}</text>',
        f'<rect x="{width - 250}" y="10" width="14" height="14" fill="{BAR}"/>'
        f'<text x="{width - 230}" y="23" font-size="15">{escape(legend[0])}</text>'
        f'<rect x="{width - 130}" y="10" width="14" height="14" fill="{SECOND}"/>'
        f'<text x="{width - 110}" y="23" font-size="15">{escape(legend[1])}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#6b7280"/>',
    ]
    for i, (label, first, second) in enumerate(columns):
        x = left + i * slot + slot * 0.1
        for j, (value, colour) in enumerate(((first, BAR), (second, SECOND))):
            h = round(plot_h * value / largest)
            bx = x + j * bar_w
            parts.append(f'<rect x="{bx:.1f}" y="{top + plot_h - h}" width="{bar_w:.1f}" height="{h}" fill="{colour}">'
                         f'<title>{escape(label)}: {value:,}</title></rect>')
        parts.append(f'<text x="{x + bar_w:.1f}" y="{top + plot_h - round(plot_h * first / largest) - 6}" '
                     f'font-size="13" text-anchor="middle">{first:,}</text>')
        parts.append(f'<text x="{x + bar_w:.1f}" y="{height - 14}" font-size="14" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
