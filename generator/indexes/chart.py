"""The cables-per-year bar chart, drawn at build time as inline SVG (no script, no library).

Sized for reading on a phone: the drawing is 400 units wide, so that shown at a phone's width
(about 350 px) its 12-unit labels are about 10 px, and CSS caps its width on wide screens so
that they do not grow past ~17 px. Both axes are labelled (years below, cable counts at a few
round gridlines on the left), and every year has its slot, so gaps in the archive show.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

WIDTH, HEIGHT = 400, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 12, 48  # margins: y labels, x labels and the axis titles
MAX_X_LABELS = 8  # year labels of 4 digits, 12 units high, fit 8 to the 346-unit plot


def nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most ``ticks`` gridlines up to ``top``."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, int(factor * power))
    return int(10 * power)


def year_chart(years: Counter[str]) -> dict[str, Any]:
    """Geometry of the chart: bars (with their year, count and link), gridlines and labels."""
    numeric = sorted(int(year) for year in years)
    span = [f"{y:04d}" for y in range(numeric[0], numeric[-1] + 1)] if numeric else []
    ordered = [(year, years.get(year, 0)) for year in span]
    top = max(years.values(), default=1)
    step = nice_step(top)
    scale_top = max(step, -(-top // step) * step)  # the highest gridline, at or above the tallest bar
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / max(1, len(ordered))
    label_every = max(1, -(-len(ordered) // MAX_X_LABELS))
    bars = []
    for index, (year, count) in enumerate(ordered):
        bar_height = max(plot_h * count / scale_top, 1.0) if count else 0.0
        bars.append({"year": year, "count": count, "url": f"date/{year}.html" if count else None,
                     "x": round(LEFT + index * slot + slot * 0.1, 1), "width": round(max(slot * 0.8, 0.5), 1),
                     "y": round(base - bar_height, 1), "height": round(bar_height, 1),
                     "label_x": round(LEFT + index * slot + slot / 2, 1), "label": index % label_every == 0})
    grid = [{"value": f"{value:,}", "y": round(base - plot_h * value / scale_top, 1)}
            for value in range(0, scale_top + 1, step)]
    return {"bars": bars, "grid": grid, "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "base": base, "label_y": base + 16, "title_y": HEIGHT - 6, "title_x": LEFT + plot_w / 2,
            "y_title_x": 12, "y_title_y": TOP + plot_h / 2, "total": sum(years.values()),
            "first": span[0] if span else None, "last": span[-1] if span else None}
