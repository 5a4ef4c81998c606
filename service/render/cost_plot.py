"""The cost curve of a descent, as SVG text drawn by matplotlib.

A `Figure` is made directly rather than through pyplot, so no global state is shared between
requests and no GUI backend is ever chosen. Text is written as SVG text, not as glyph outlines: the
picture stays small and its words can be read and searched.
"""

import io

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

DECADES_FOR_LOG_SCALE = 2


def cost_plot_svg(costs):
    """Cost against step: costs[0] is before the first step. The cost axis is logarithmic when the
    finite costs are all positive and span at least DECADES_FOR_LOG_SCALE decades. Steps where the
    cost is not finite are left out of the line and named in the title."""
    costs = np.asarray(costs, dtype=np.float64)
    steps = np.arange(len(costs))
    finite = np.isfinite(costs)
    figure = Figure(figsize=(6, 3.6), layout="constrained")
    axes = figure.add_subplot()
    logarithmic = _spans_decades(costs[finite])
    shown = np.log10(costs[finite]) if logarithmic else costs[finite]
    axes.plot(steps[finite], shown, color="#1d4ed8", marker="o" if len(costs) <= 50 else None,
              markersize=3, linewidth=1.5)
    axes.set_xlabel("step")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, which="major", color="#e5e7eb")
    if logarithmic:
        # the exponents on a linear axis, labelled as powers of ten: matplotlib's own log axis
        # overflows placing its ticks when costs come near the float64 maximum
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda exponent, _: f"$10^{{{exponent:.0f}}}$"))
        axes.set_ylabel("cost J (log scale)")
    else:
        axes.set_ylabel("cost J")
    axes.set_title(_title(costs, finite), fontsize=10)
    svg = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(svg, format="svg", metadata={"Date": None})
    return svg.getvalue()


def _spans_decades(costs):
    return len(costs) > 1 and bool(np.all(costs > 0)) and np.log10(costs.max() / costs.min()) >= DECADES_FOR_LOG_SCALE


def _title(costs, finite):
    title = f"cost over {len(costs) - 1} steps: {_number(costs[0])} → {_number(costs[-1])}"
    if not finite.all():
        title += f" (not finite from step {int(np.argmin(finite))})"
    return title


def _number(cost):
    return f"{cost:.4g}"
