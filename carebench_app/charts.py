"""The workbench's charts, all in Altair (interactive: tooltips, zoom and pan on the time axes).

Pure functions from tables to ``alt.Chart`` objects, so they are tested without a browser. Time axes of the
simulator count hours from the measured window's start, a Monday 00:00, and are labelled with the weekday and
the hour (and the week, past the first), never as "day 0-14".
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

__all__ = ["score_histogram", "share_flagged", "level_scores", "hour_label", "volume_capacity", "service_level",
           "backlog", "differences", "agreement_over_time", "week_lines", "HOUR_LABEL_EXPR", "TOP_LEVELS"]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TOP_LEVELS = 30  # bars in a per-agent/brand chart; the table below it lists every level
# Vega expression of hour_label(): the axis labels of every simulator chart
HOUR_LABEL_EXPR = ("(floor(datum.value / 168) > 0 ? 'w' + (floor(datum.value / 168) + 1) + ' ' : '') + "
                   "['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][floor(datum.value / 24) % 7] + ' ' + "
                   "format(datum.value % 24, '02d') + ':00'")


def hour_label(hour: float) -> str:
    """``Mon 08:00`` for an hour of the measured window (``w2 Mon 08:00`` in its second week)."""
    h = int(hour)
    week = h // 168
    return f"{'w' + str(week + 1) + ' ' if week else ''}{WEEKDAYS[(h // 24) % 7]} {h % 24:02d}:00"


def _hour_axis(hours: int) -> alt.X:
    step = 3 if hours <= 24 else 6 if hours <= 72 else 12 if hours <= 168 else 24
    ticks = list(range(0, max(int(hours), 1) + 1, step))
    return alt.X("hour:Q", title="hour of the measured window (weekday and time)",
                 axis=alt.Axis(values=ticks, labelExpr=HOUR_LABEL_EXPR, labelAngle=-40, labelOverlap=True),
                 scale=alt.Scale(domain=[0, max(int(hours), 1)], nice=False))


def score_histogram(scores: pd.Series) -> alt.Chart:
    counts, edges = np.histogram(scores.astype(float).dropna(), bins=20, range=(0, 100))
    data = pd.DataFrame({"from": edges[:-1], "to": edges[1:], "replies": counts})
    return alt.Chart(data, height=260).mark_bar().encode(
        x=alt.X("from:Q", bin="binned", title="score", scale=alt.Scale(domain=[0, 100])), x2="to:Q",
        y=alt.Y("replies:Q", title="replies"), tooltip=["from", "to", "replies"])


def share_flagged(shares: pd.DataFrame) -> alt.Chart:
    """Bars of ``share`` per ``check`` (label), most flagged first."""
    return alt.Chart(shares, height=alt.Step(22)).mark_bar().encode(
        y=alt.Y("check:N", sort="-x", title=None),
        x=alt.X("share:Q", title="share of replies flagged", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=["check", alt.Tooltip("share:Q", format=".1%"), "replies"])


def level_scores(table: pd.DataFrame, level: str, top: int = TOP_LEVELS) -> alt.Chart:
    """Mean score per level (agent, channel, brand), lowest first; at most ``top`` bars."""
    data = table.sort_values("mean_score", kind="stable").head(top).copy()
    data[level] = data[level].astype(str)
    return alt.Chart(data, height=alt.Step(20)).mark_bar().encode(
        y=alt.Y(f"{level}:N", sort="x", title=None),
        x=alt.X("mean_score:Q", title="mean score", scale=alt.Scale(domain=[0, 100])),
        tooltip=[level, "replies", "mean_score", "p10_score"])


def _mean_hours(hours: pd.DataFrame, capacity_per_slot: float) -> pd.DataFrame:
    mean = hours.groupby("hour", as_index=False).mean(numeric_only=True)
    mean["when"] = mean["hour"].map(hour_label)
    mean["capacity"] = mean["staffed_slots"] * capacity_per_slot
    return mean


def volume_capacity(hours: pd.DataFrame, mean_handle_minutes: float) -> alt.Chart:
    """Mentions arriving per hour against staffed capacity (slots x 60 / mean handle time), mean over reps."""
    mean = _mean_hours(hours, 60.0 / mean_handle_minutes)
    long = mean.melt(id_vars=["hour", "when"], value_vars=["arrivals", "capacity"], var_name="series",
                     value_name="per hour")
    long["series"] = long["series"].map({"arrivals": "mentions arriving", "capacity": "staffed capacity"})
    return alt.Chart(long, height=280).mark_line(interpolate="step-after").encode(
        x=_hour_axis(int(mean["hour"].max()) + 1), y=alt.Y("per hour:Q", title="mentions per hour"),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=["when", "series", alt.Tooltip("per hour:Q", format=",.1f")]).interactive(bind_y=False)


def service_level(hours: pd.DataFrame, goal: float, target_minutes: float) -> alt.LayerChart:
    """Share answered within the target per arrival hour, with the SLA goal as a line."""
    mean = _mean_hours(hours, 0.0)
    x = _hour_axis(int(mean["hour"].max()) + 1)
    line = alt.Chart(mean).mark_line().encode(
        x=x, y=alt.Y("service_level:Q", title=f"share answered within {target_minutes:g} min",
                     axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=["when", alt.Tooltip("service_level:Q", format=".1%", title="service level")])
    return alt.layer(line, *_goal_line(goal), height=280).interactive(bind_y=False)


def _goal_line(goal: float) -> list[alt.Chart]:
    """The SLA goal as a dashed red line with its label, for a chart of shares."""
    rule_data = pd.DataFrame({"goal": [goal], "label": [f"SLA goal {goal:.0%}"]})
    rule = alt.Chart(rule_data).mark_rule(color="#d62728", strokeDash=[6, 4]).encode(y="goal:Q")
    text = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-6, color="#d62728").encode(
        y="goal:Q", x=alt.value(0), text="label:N")
    return [rule, text]


def week_lines(frame: pd.DataFrame, series: dict[str, str], title: str, goal: float | None = None,
               band: tuple[str, str] | None = None) -> alt.LayerChart:
    """Step lines over the intervals of a week (``start_minute``, and ``interval`` as its label, as the
    staffing tables have them), one per column of ``series`` (column -> legend name), on the weekday and hour
    axis. With ``goal`` the values are shares (0-100%) and the goal is drawn; ``band`` names the columns of an
    interval drawn around the first series."""
    data = frame.assign(hour=frame["start_minute"] / 60.0, when=frame["interval"].astype(str))
    long = data.melt(id_vars=["hour", "when"], value_vars=list(series), var_name="series", value_name="value")
    long = long.dropna(subset=["value"]).assign(series=lambda d: d["series"].map(series))
    share = goal is not None
    x = _hour_axis(int(np.ceil(data["hour"].max())) + 1)
    y = alt.Y("value:Q", title=title, axis=alt.Axis(format="%" if share else ",d"),
              scale=alt.Scale(domain=[0, 1]) if share else alt.Scale(zero=True))
    lines = alt.Chart(long).mark_line(interpolate="step-after").encode(
        x=x, y=y, color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=["when", "series", alt.Tooltip("value:Q", format=".1%" if share else ",.0f", title=title)])
    layers: list[alt.Chart] = []
    if band is not None:
        lo_hi = data.dropna(subset=list(band))
        layers.append(alt.Chart(lo_hi).mark_area(opacity=0.2, interpolate="step-after").encode(
            x=x, y=alt.Y(f"{band[0]}:Q", title=title), y2=f"{band[1]}:Q"))
    layers.append(lines)
    if share:
        layers += _goal_line(goal)
    return alt.layer(*layers, height=240).interactive(bind_y=False)


def backlog(hours: pd.DataFrame) -> alt.VConcatChart:
    """Mentions waiting at the end of each hour, and the age of the oldest open mention (hours or minutes)."""
    mean = _mean_hours(hours, 0.0)
    in_hours = mean["oldest_open_minutes"].max() >= 120
    unit, scale = ("hours", 60.0) if in_hours else ("minutes", 1.0)
    mean["oldest"] = mean["oldest_open_minutes"] / scale
    x = _hour_axis(int(mean["hour"].max()) + 1)
    waiting = alt.Chart(mean, height=200).mark_line(color="#d62728").encode(
        x=x, y=alt.Y("backlog:Q", title="mentions waiting"), tooltip=["when", "backlog"])
    oldest = alt.Chart(mean, height=160).mark_line(color="#7f7f7f").encode(
        x=x, y=alt.Y("oldest:Q", title=f"oldest open ({unit})"),
        tooltip=["when", alt.Tooltip("oldest:Q", format=",.1f", title=f"oldest open ({unit})")])
    zoom = alt.selection_interval(bind="scales", encodings=["x"], name="backlog_zoom")
    return alt.vconcat(waiting.add_params(zoom), oldest).resolve_scale(x="shared")


def differences(table: pd.DataFrame, unit: str) -> alt.LayerChart:
    """B - A of each KPI of one unit with its interval, and the zero line (one chart per unit: shares and
    minutes never share an axis)."""
    data = table.copy()
    fmt = ".1%" if unit == "share" else ",.2f"
    points = alt.Chart(data).mark_point(filled=True, size=60).encode(
        y=alt.Y("kpi:N", title=None), x=alt.X("difference:Q", title=f"B - A ({unit})",
                                               axis=alt.Axis(format="%" if unit == "share" else ",")),
        tooltip=["kpi", alt.Tooltip("difference:Q", format=fmt), alt.Tooltip("ci_low:Q", format=fmt),
                 alt.Tooltip("ci_high:Q", format=fmt)])
    bars = alt.Chart(data).mark_rule().encode(y="kpi:N", x="ci_low:Q", x2="ci_high:Q")
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#7f7f7f", strokeDash=[3, 3]).encode(x="zero:Q")
    return alt.layer(bars, points, zero, height=alt.Step(30))


def agreement_over_time(table: pd.DataFrame) -> alt.LayerChart:
    """Agreement with the reviewers per period (``calibration.agreement_over_time``), a line per series with
    its 95% interval; periods with too few reviews have no point (the table beside it says so)."""
    shown = table.dropna(subset=["agreement"])
    x = alt.X("period:T", title="reviewed in the period starting", axis=alt.Axis(format="%Y-%m-%d", labelAngle=-30))
    colour = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=400))
    tips = [alt.Tooltip("period:T", format="%Y-%m-%d"), "series:N", "reviews:Q", "agreed:Q",
            alt.Tooltip("agreement:Q", format=".0%"), alt.Tooltip("low:Q", format=".0%", title="95% from"),
            alt.Tooltip("high:Q", format=".0%", title="95% to")]
    y = alt.Y("agreement:Q", title="share agreeing with the reviewers", axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    line = alt.Chart(shown).mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=tips)
    band = alt.Chart(shown).mark_errorbar(ticks=True).encode(x=x, y=alt.Y("low:Q", title=""), y2="high:Q",
                                                             color=colour)
    return (band + line).properties(height=260).interactive(bind_y=False)
