"""The chart kinds as Altair charts: each one Vega-Lite spec whose data are named datasets.

Only `charts.specs()` calls this, and its result is cached on disk, so a build
imports Altair only when this file or Altair's version has changed.
"""

from __future__ import annotations

from typing import Any

import altair as alt

HEIGHT = 220
X = alt.X("utcyearmonth(month):T", title=None,
          axis=alt.Axis(format="%b %Y", labelOverlap="greedy", labelSeparation=8))  # month labels never touch
# Okabe-Ito hues, readable with every common colour-vision deficiency and at 3:1 or more on Material's light and
# dark backgrounds; a second channel (shape, dash) always carries the same difference.
STATUS_DOMAIN = ["on_track", "at_risk", "off_track", "target_met", "target_missed"]
STATUS_COLORS = alt.Scale(domain=STATUS_DOMAIN, range=["#009e73", "#e69f00", "#d55e00", "#009e73", "#d55e00"])
STATUS_SHAPES = alt.Scale(domain=STATUS_DOMAIN, range=["circle", "triangle-up", "cross", "circle", "cross"])
MONEY_COLORS = alt.Scale(domain=["Cost", "Benefit"], range=["#d55e00", "#3a8fd0"])
MONEY_DASHES = alt.Scale(domain=["Cost", "Benefit"], range=[[6, 3], [1, 0]])
PAYBACK = "#009e73"
MONTH_TIP = alt.Tooltip("utcyearmonth(month):T", title="month", format="%b %Y")


# The builders return what alt.layer does: a FacetChart when every layer shares a facet encoding (none here).
def _kpi() -> alt.LayerChart | alt.FacetChart:
    actual = alt.Chart(alt.Data(name="actual")).mark_line().encode(
        x=X, y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False, padding=14)))  # the target never on the edge
    points = alt.Chart(alt.Data(name="actual")).mark_point(size=60, filled=True).encode(
        x=X, y="value:Q", color=alt.Color("status:N", scale=STATUS_COLORS, legend=None),
        shape=alt.Shape("status:N", scale=STATUS_SHAPES, legend=None),
        tooltip=[MONTH_TIP, alt.Tooltip("value:Q", title="actual", format=",.4~f"),
                 alt.Tooltip("status:N", title="status")],
    )
    path = alt.Chart(alt.Data(name="path")).mark_line(strokeDash=[4, 4], opacity=0.7).encode(
        x=X, y="value:Q", tooltip=[MONTH_TIP, alt.Tooltip("value:Q", title="straight path", format=",.4~f")])
    target = alt.Chart(alt.Data(name="target")).mark_rule(strokeDash=[2, 2], color=PAYBACK).encode(
        y="value:Q", tooltip=[alt.Tooltip("value:Q", title="target", format=",.4~f")])
    label = alt.Chart(alt.Data(name="target")).mark_text(align="left", baseline="bottom", x=4, dy=-2, fontSize=10,
                                                        color=PAYBACK).encode(y="value:Q", text="label:N")
    return alt.layer(path, target, label, actual, points)


def _money() -> alt.LayerChart | alt.FacetChart:
    base = alt.Chart(alt.Data(name="money")).transform_fold(["Cost", "Benefit"], as_=["series", "amount"])
    lines = base.mark_line(point=True).encode(
        x=X, y=alt.Y("amount:Q", title=None, axis=alt.Axis(format="~s")),
        color=alt.Color("series:N", scale=MONEY_COLORS, title=None, legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("series:N", scale=MONEY_DASHES, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[MONTH_TIP, alt.Tooltip("series:N", title="cumulative"),
                 alt.Tooltip("amount:Q", title="amount", format=",.0f")],
    )
    payback = alt.Chart(alt.Data(name="payback")).mark_rule(strokeDash=[4, 4], color=PAYBACK).encode(
        x=X, tooltip=[alt.Tooltip("label:N", title="payback")])
    label = alt.Chart(alt.Data(name="payback")).mark_text(align="left", dx=4, dy=-90, color=PAYBACK).encode(
        x=X, text="label:N")
    return alt.layer(lines, payback, label)


def _users() -> alt.LayerChart | alt.FacetChart:
    users = alt.Chart(alt.Data(name="users")).mark_area(
        line=True, point=True, opacity=0.25).encode(
        x=X, y=alt.Y("users:Q", title=None, scale=alt.Scale(zero=True, nice=True), stack=None),
        tooltip=[MONTH_TIP, alt.Tooltip("users:Q", title="users", format=",")],
    )
    levels = alt.Chart(alt.Data(name="levels")).mark_rule(strokeDash=[3, 3], opacity=0.6).encode(
        y="value:Q", tooltip=[alt.Tooltip("label:N", title="level"), alt.Tooltip("value:Q", format=",")])
    text = alt.Chart(alt.Data(name="levels")).mark_text(align="left", x=4, dy=-6, opacity=0.8).encode(
        y="value:Q", text="label:N")
    return alt.layer(levels, text, users)


def _funnel() -> alt.LayerChart | alt.FacetChart:
    y = alt.Y("stage:N", sort=None, title=None)
    offset = alt.YOffset("measure:N", sort=["reached", "there now"])
    parts = ["moved there from another stage", "entered at this stage", "there now"]
    bars = alt.Chart(alt.Data(name="funnel")).mark_bar().encode(
        y=y, yOffset=offset,
        x=alt.X("count:Q", title=None, stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("part:N", sort=parts, title=None, scale=alt.Scale(domain=parts, range=["#9ecae1", "#e69f00", "#0072b2"]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("part_order:Q"),
        tooltip=[alt.Tooltip("stage:N"), alt.Tooltip("part:N", title=" "), alt.Tooltip("count:Q", title="initiatives")],
    ).transform_calculate(part_order="indexof(" + repr(parts).replace("'", '"') + ", datum.part)")
    labels = alt.Chart(alt.Data(name="totals")).mark_text(align="left", dx=3, fontSize=10).encode(
        y=y, yOffset=offset, x="count:Q", text="count:Q")  # the theme's text colour
    return alt.layer(bars, labels)


BUILDERS = {"kpi": _kpi, "money": _money, "users": _users, "funnel": _funnel}



def build_specs() -> dict[str, dict[str, Any]]:
    """Every chart kind as a Vega-Lite spec without data, filling its container's width."""
    out = {}
    for kind, build in BUILDERS.items():
        spec = build().properties(width="container", height=HEIGHT).to_dict()
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
        out[kind] = spec
    return out
