"""The bandwidth trend as inline SVG (no JavaScript, prints and screenshots as is)."""

from __future__ import annotations

from html import escape

W, H, LEFT, RIGHT, TOP, BOTTOM = 720, 240, 56, 16, 16, 40
COLOURS = {"download": "#1f6feb", "upload": "#d97706"}


def _nice_max(value: float) -> float:
    for step in (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000):
        if value <= step:
            return float(step)
    return float(value)


def trend_svg(points: list[tuple[str, float | None, float | None]], labels: dict[str, str]) -> str:
    """``points`` = (when, download Mbit/s, upload Mbit/s), oldest first; empty string when nothing was measured."""
    values = [v for _, d, u in points for v in (d, u) if v is not None]
    if not values:
        return ""
    top = _nice_max(max(values))
    n = len(points)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" style="max-width: 860px" '
        f'role="img" '
        f'aria-label="{escape(labels.get("title", ""))}" class="trend">'
    ]
    for k in range(5):
        v = top * k / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{v:g}</text>'
        )
    step = max(1, n // 6)
    for i, (when, _, _) in enumerate(points):
        if i % step == 0 or i == n - 1:
            anchor = "end" if i == n - 1 and n > 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{H - BOTTOM + 16}" text-anchor="{anchor}" font-size="11" '
                f'fill="#555">{escape(when[:10])}</text>'
            )
    for series, col in ((1, "download"), (2, "upload")):
        pts = [
            (x(i), y(value), when, value)
            for i, (when, *values) in enumerate(points)
            if (value := values[series - 1]) is not None
        ]
        if not pts:
            continue
        colour = COLOURS[col]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in pts)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for px, py, when, v in pts:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(labels.get(col, col))} {escape(when)}: {v:g} Mbit/s</title></circle>"
            )
    lx = LEFT
    for col in ("download", "upload"):
        parts.append(
            f'<rect x="{lx}" y="{H - 14}" width="12" height="4" fill="{COLOURS[col]}"/>'
            f'<text x="{lx + 16}" y="{H - 9}" font-size="11" fill="#333">{escape(labels.get(col, col))}</text>'
        )
        lx += 140
    parts.append("</svg>")
    return "".join(parts)
