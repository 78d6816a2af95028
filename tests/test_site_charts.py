"""Trend charts (mkdocs_okrs.site.charts): geometry read back from the SVG, escaping,
determinism, ids, colours (contrast from Material's palette) and speed.

The scales are inverted from the output only, as a browser test would: x from the
axis line (x1 is the figure's data-period-start, x2 its data-axis-end), y from the
start and target gridlines (their data-value and y1).
"""

from __future__ import annotations

import math
import re
import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from mkdocs_okrs.site import charts
from mkdocs_okrs.site.charts import (
    compact_number,
    metric_chart,
    milestone_chart,
    progress_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
Q4_START, Q4_END = date(2026, 10, 1), date(2026, 12, 31)
TOL = 0.06  # coordinates are written with one decimal
ALLOWED_TAGS = {"figure", "figcaption", "span", "svg", "title", "desc", "g", "rect", "line",
                "path", "circle", "text"}
CSS = Path(charts.__file__).resolve().parent.parent / "assets" / "okrs.css"


def _metric(**kw):
    args = dict(
        id_prefix="okrc-abc123-0", title="Checkout p95 latency", unit="ms", start=800, target=200,
        bar=0.7, period_start=Q4_START, period_end=Q4_END, today=date(2026, 11, 22),
        review_until=None,
        points=[(date(2026, 10, 15), 620), (date(2026, 11, 18), 450)],
    )
    args.update(kw)
    return metric_chart(**args)


def _progress(**kw):
    args = dict(
        id_prefix="okrc-abc123", title="Make checkout feel instant", bar=0.7, period_start=Q4_START,
        period_end=Q4_END, today=date(2026, 11, 22), review_until=None,
        points=[(date(2026, 10, 15), 0.2), (date(2026, 11, 18), 0.45)],
    )
    args.update(kw)
    return progress_chart(**args)


# ------------------------------------------------------------------ helpers
def local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


class Chart:
    """A parsed chart with its scales inverted from the SVG."""

    def __init__(self, html: str):
        self.html = html
        self.root = ET.fromstring(html)
        assert local(self.root) == "figure"
        self.svg = self.root.find(f"{SVG}svg")
        axis = self.one("okr-chart__axis")
        self.left, self.right = float(axis.get("x1")), float(axis.get("x2"))
        self.bottom = float(axis.get("y1"))
        self.d0 = date.fromisoformat(self.root.get("data-period-start"))
        self.d1 = date.fromisoformat(self.root.get("data-axis-end"))
        start, target = self.one("okr-chart__grid--start"), self.one("okr-chart__grid--target")
        self.v0, self.y0 = float(start.get("data-value")), float(start.get("y1"))
        self.v1, self.y1 = float(target.get("data-value")), float(target.get("y1"))

    def x(self, d: date) -> float:
        span = (self.d1 - self.d0).days or 1
        return self.left + (d - self.d0).days * (self.right - self.left) / span

    def y(self, v: float) -> float:
        return self.y0 + (v - self.v0) * (self.y1 - self.y0) / (self.v1 - self.v0)

    def value_at(self, y: float) -> float:
        return self.v0 + (y - self.y0) * (self.v1 - self.v0) / (self.y1 - self.y0)

    def all(self, cls: str) -> list[ET.Element]:
        return [el for el in self.root.iter() if cls in (el.get("class") or "").split()]

    def one(self, cls: str) -> ET.Element:
        found = self.all(cls)
        assert len(found) == 1, (cls, len(found))
        return found[0]

    def has(self, cls: str) -> bool:
        return bool(self.all(cls))

    def desc(self) -> str:
        return self.svg.find(f"{SVG}desc").text

    def points(self) -> list[tuple[date, float, float, float]]:
        return [(date.fromisoformat(c.get("data-date")), float(c.get("data-value")),
                 float(c.get("cx")), float(c.get("cy"))) for c in self.all("okr-chart__point")]

    def path(self, cls: str) -> list[tuple[float, float]]:
        return path_vertices(self.one(cls).get("d"))


def path_vertices(d: str) -> list[tuple[float, float]]:
    """The vertices of a path made of M, L, H and V commands (absolute)."""
    out: list[tuple[float, float]] = []
    x = y = 0.0
    for cmd, args in re.findall(r"([MLHV])([^MLHV]*)", d):
        nums = [float(n) for n in re.split(r"[ ,]+", args.strip()) if n]
        if cmd in "ML":
            x, y = nums
        elif cmd == "H":
            (x,) = nums
        else:
            (y,) = nums
        out.append((x, y))
    return out


def close(a: float, b: float, tol: float = TOL) -> bool:
    return abs(a - b) <= tol


# ---------------------------------------------------------------- geometry
def test_each_point_sits_at_its_date_and_value():
    pts = [(date(2026, 10, 1), 790), (date(2026, 10, 15), 620), (date(2026, 11, 5), 540),
           (date(2026, 11, 18), 450)]
    c = Chart(_metric(points=pts))
    got = c.points()
    assert [(d, v) for d, v, _, _ in got] == [(d, float(v)) for d, v in pts]
    for d, v, cx, cy in got:
        assert close(cx, c.x(d)), (d, cx, c.x(d))
        assert close(cy, c.y(v)), (v, cy, c.y(v))
        assert abs(c.value_at(cy) - v) < 0.5
    # Each dot has a tooltip with its date and value.
    tips = [el.find(f"{SVG}title").text for el in c.all("okr-chart__point")]
    assert tips == ["1 October 2026: 790 ms", "15 October 2026: 620 ms", "5 November 2026: 540 ms",
                    "18 November 2026: 450 ms"]


def test_first_day_is_the_left_edge_and_labels_carry_their_dates():
    c = Chart(_metric())
    first = c.one("okr-chart__tick--first")
    assert first.text == "1 Oct" and first.get("data-date") == "2026-10-01"
    assert close(float(first.get("x")), c.left)
    last = c.one("okr-chart__tick--last")
    assert last.text == "31 Dec" and close(float(last.get("x")), c.x(Q4_END)) and close(c.right, c.x(Q4_END))
    months = {el.text: el.get("data-date") for el in c.all("okr-chart__tick--month")}
    assert months == {"Nov": "2026-11-01", "Dec": "2026-12-01"}
    for el in c.all("okr-chart__tick--month"):
        assert close(float(el.get("x")), c.x(date.fromisoformat(el.get("data-date"))))


def test_value_is_a_step_line_from_start_through_every_point_to_today():
    today = date(2026, 11, 22)
    c = Chart(_metric(today=today))
    v = c.path("okr-chart__value")
    assert close(v[0][0], c.left) and close(v[0][1], c.y(800))  # start, from the first day
    assert close(v[-1][0], c.x(today)) and close(v[-1][1], c.y(450))  # last value held to today
    # A step line: every segment horizontal or vertical, x never going back.
    for (xa, ya), (xb, yb) in pairwise(v):
        assert close(xa, xb) or close(ya, yb)
        assert xb >= xa - TOL
    # Each dot is a corner of the line, where its value starts.
    for _, _, cx, cy in c.points():
        assert any(close(cx, x) and close(cy, y) for x, y in v)
    # Before the first check-in the line holds the start value.
    first_dot = c.points()[0]
    assert all(close(y, c.y(800)) for x, y in v if x < first_dot[2] - TOL)


def test_target_line_runs_from_start_on_the_first_day_to_target_on_the_last():
    c = Chart(_metric())
    t = c.one("okr-chart__target")
    assert close(float(t.get("x1")), c.x(Q4_START)) and close(float(t.get("y1")), c.y(800))
    assert close(float(t.get("x2")), c.x(Q4_END)) and close(float(t.get("y2")), c.y(200))
    assert t.get("data-date") == "2026-12-31" and float(t.get("data-value")) == 200


def test_pace_line_reaches_bar_of_the_way_at_the_period_end_and_is_explained():
    c = Chart(_metric(bar=0.7))
    p = c.path("okr-chart__pace")
    assert close(p[0][0], c.left) and close(p[0][1], c.y(800))
    assert close(p[-1][0], c.x(Q4_END)) and close(p[-1][1], c.y(800 + 0.7 * (200 - 800)))
    key = c.one("okr-chart__key--pace").text
    assert "70% of the way to the target by 31 December" in key
    # Committed: the pace is the start-to-target line, drawn once and named so.
    c1 = Chart(_metric(bar=1.0))
    assert not c1.has("okr-chart__pace")
    assert "expected pace" in c1.one("okr-chart__key--target").text


def test_today_line_and_the_expected_value_by_today():
    today = date(2026, 11, 22)
    c = Chart(_metric(today=today))
    line = c.one("okr-chart__today")
    assert line.get("data-date") == "2026-11-22"
    assert close(float(line.get("x1")), c.x(today)) and close(float(line.get("x2")), c.x(today))
    # The contract's expected share: days passed, today counted.
    share = ((today - Q4_START).days + 1) / ((Q4_END - Q4_START).days + 1)
    expected = 800 + 0.7 * (200 - 800) * share
    marker = c.one("okr-chart__expected")
    assert math.isclose(float(marker.get("data-value")), expected)
    assert close(float(marker.get("cx")), c.x(today)) and close(float(marker.get("cy")), c.y(expected))
    assert c.desc() == ("Checkout p95 latency, in ms: 800 on 1 October, 620 on 15 October, "
                        "450 on 18 November; target 200 by 31 December; expected by today 558.")
    assert c.one("okr-chart__today-label").text == "Today"


def test_review_window_spans_period_end_to_review_until():
    review = date(2027, 3, 31)
    today = date(2027, 1, 20)
    c = Chart(_metric(review_until=review, today=today,
                      points=[(date(2026, 10, 15), 620), (date(2027, 1, 10), 300)]))
    assert c.d1 == review and close(c.x(review), c.right)
    r = c.one("okr-chart__review")
    assert r.get("data-from") == "2026-12-31" and r.get("data-until") == "2027-03-31"
    x = float(r.get("x"))
    assert close(x, c.x(Q4_END)) and close(x + float(r.get("width")), c.x(review), 0.12)
    end = c.one("okr-chart__end")
    assert end.get("data-date") == "2026-12-31" and close(float(end.get("x1")), c.x(Q4_END))
    assert c.one("okr-chart__tick--review").text == "31 Mar"
    # The target line still ends at the period's end; the pace holds level after it.
    assert close(float(c.one("okr-chart__target").get("x2")), c.x(Q4_END))
    pace = c.path("okr-chart__pace")
    assert close(pace[-1][0], c.right) and close(pace[-1][1], pace[-2][1])
    # Today lies in the review window: drawn; a check-in in the window is drawn.
    assert close(float(c.one("okr-chart__today").get("x1")), c.x(today))
    assert [d for d, *_ in c.points()] == [date(2026, 10, 15), date(2027, 1, 10)]
    assert "review until 31 March 2027" in c.desc()
    assert "expected 380 by 31 December 2026" in c.desc()  # years said: the axis spans two
    assert "Review until 31 March 2027" in c.one("okr-chart__key--review").text


def test_review_until_not_after_the_period_end_draws_no_window():
    c = Chart(_metric(review_until=date(2026, 12, 1)))
    assert c.d1 == Q4_END and not c.has("okr-chart__review")
    end = c.one("okr-chart__end")  # the period end is the right edge
    assert end.get("data-date") == "2026-12-31" and close(float(end.get("x1")), c.right)


def test_decreasing_metric_with_values_beyond_the_target_and_worse_than_the_start():
    pts = [(date(2026, 10, 10), 900), (date(2026, 11, 1), 150), (date(2026, 11, 20), 120)]
    c = Chart(_metric(points=pts, today=date(2026, 12, 5)))
    assert "okr-chart--decrease" in c.root.get("class")
    assert c.y(800) < c.y(200)  # bigger values higher up: the line goes down to the target
    top = float(c.one("okr-chart__grid--start").get("y1"))
    for d, v, cx, cy in c.points():
        assert c.y(900) - TOL <= cy <= c.y(120) + TOL
        assert close(cy, c.y(v))
    # Every point inside the plot, with headroom above the highest and below the lowest.
    ys = [cy for *_, cy in c.points()]
    assert min(ys) > charts.PAD_TOP + 3 and max(ys) < c.bottom - 3
    assert charts.PAD_TOP < top < c.bottom
    # An increase is not marked as a decrease.
    assert "okr-chart--decrease" not in Chart(_metric(start=10, target=50, points=[])).root.get("class")


def test_no_checkins_holds_the_start_value_to_today():
    today = date(2026, 11, 22)
    c = Chart(_metric(points=[], today=today))
    assert not c.has("okr-chart__point") and not c.has("okr-chart__points")
    v = c.path("okr-chart__value")
    assert all(close(y, c.y(800)) for _, y in v)
    assert close(v[-1][0], c.x(today))
    assert c.desc().startswith("Checkout p95 latency, in ms: 800 on 1 October; target 200 by 31 December")


def test_one_checkin():
    c = Chart(_metric(points=[(date(2026, 11, 2), 500)], today=date(2026, 11, 2)))
    ((d, _, cx, cy),) = c.points()
    assert d == date(2026, 11, 2) and close(cx, c.x(d)) and close(cy, c.y(500))
    v_path = c.path("okr-chart__value")
    assert close(v_path[-1][0], cx) and close(v_path[-1][1], cy)  # today is the check-in's day


def test_checkin_on_the_first_day_replaces_the_start_value_there():
    c = Chart(_metric(points=[(Q4_START, 700)]))
    assert c.desc().startswith("Checkout p95 latency, in ms: 700 on 1 October; target")
    ((_, _, cx, _),) = c.points()
    assert close(cx, c.left)


def test_today_before_the_period_draws_no_today_line_and_no_value():
    c = Chart(_metric(points=[], today=date(2026, 9, 20)))
    assert not c.has("okr-chart__today") and not c.has("okr-chart__value")
    assert not c.has("okr-chart__expected") and not c.has("okr-chart__key--today")
    assert c.has("okr-chart__target") and c.has("okr-chart__pace")  # the plan is shown
    assert c.desc() == ("Checkout p95 latency, in ms: the period starts on 1 October; "
                        "target 200 by 31 December.")


def test_today_after_the_period_end_draws_no_today_line_and_the_value_to_the_edge():
    c = Chart(_metric(today=date(2027, 2, 1)))
    assert not c.has("okr-chart__today") and not c.has("okr-chart__today-label")
    v = c.path("okr-chart__value")
    assert close(v[-1][0], c.right) and close(v[-1][0], c.x(Q4_END))
    assert "; expected 380 by 31 December." in c.desc()
    # After the review window too.
    c2 = Chart(_metric(today=date(2027, 5, 1), review_until=date(2027, 3, 31)))
    assert not c2.has("okr-chart__today") and close(c2.path("okr-chart__value")[-1][0], c2.right)


def test_today_on_the_first_and_last_day_is_on_the_axis():
    first = Chart(_metric(points=[], today=Q4_START))
    assert close(float(first.one("okr-chart__today").get("x1")), first.left)
    last = Chart(_metric(today=Q4_END))
    assert close(float(last.one("okr-chart__today").get("x1")), last.right)


def test_points_before_the_axis_set_the_initial_value_and_later_ones_are_left_out():
    pts = [(date(2026, 11, 5), 500), (date(2026, 9, 20), 760), (date(2026, 11, 5), 480),
           (date(2026, 10, 20), float("nan")), (date(2026, 12, 1), 300)]
    c = Chart(_metric(points=pts, today=date(2026, 11, 22)))
    # Sorted, one per day (the later wins), NaN skipped, after today not drawn.
    assert [(d, v) for d, v, *_ in c.points()] == [(date(2026, 11, 5), 480.0)]
    v = c.path("okr-chart__value")
    assert close(v[0][1], c.y(760))
    assert c.desc() == ("Checkout p95 latency, in ms: 760 on 1 October, 480 on 5 November; "
                        "target 200 by 31 December; expected by today 558; 1 later value not shown.")


def test_start_and_target_labels_never_overlap():
    # Values far beyond both squeeze start and target together.
    c = Chart(_metric(start=100, target=101, points=[(date(2026, 10, 5), 10_000)]))
    a = float(c.one("okr-chart__tick--start").get("y"))
    b = float(c.one("okr-chart__tick--target").get("y"))
    assert abs(a - b) >= charts.FONT_SIZE - TOL
    assert b < a  # the target (bigger) label above the start's
    ys = sorted(float(t.get("y")) for t in c.all("okr-chart__tick") if t.get("data-value"))
    assert all(b - a >= charts.FONT_SIZE - TOL for a, b in pairwise(ys))


def test_x_labels_do_not_overlap_on_a_long_axis():
    c = Chart(_metric(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                      review_until=date(2027, 3, 31), today=date(2026, 6, 1), points=[]))
    spans = []
    for t in c.all("okr-chart__tick"):
        if not t.get("data-date"):
            continue
        w = len(t.text) * charts.CHAR_W
        x = float(t.get("x"))
        a = {"start": x, "end": x - w, "middle": x - w / 2}[t.get("text-anchor")]
        spans.append((a, a + w))
        assert 0 <= a and a + w <= charts.VIEW_W
    spans.sort()
    assert all(b[0] >= a[1] for a, b in pairwise(spans))
    assert len(spans) >= 6  # first, last, review end and some months
    # A tick mark for every month, labelled or not.
    assert c.one("okr-chart__tick-mark").get("d").count("M") == 3 + 14  # first, end, review end, months


def test_y_tick_labels_use_label_and_unit():
    c = Chart(_metric(start=12_500, target=40_000, unit="users", points=[]))
    assert c.one("okr-chart__tick--start").text == "12.5k users"
    assert c.one("okr-chart__tick--target").text == "40k users"
    pct = Chart(_metric(start=99.5, target=99.95, unit="%", points=[(date(2026, 10, 3), 99.61)]))
    assert pct.one("okr-chart__tick--start").text == "99.5%"
    assert pct.one("okr-chart__tick--target").text == "99.95%"
    assert pct.all("okr-chart__point")[0].find(f"{SVG}title").text == "3 October 2026: 99.61%"
    eur = Chart(_metric(start=1000, target=5000, unit="EUR", points=[(date(2026, 10, 3), 2500)],
                        label=lambda v: f"{v:,.0f}"))
    assert eur.one("okr-chart__tick--target").text == "5,000 EUR"
    assert "2,500 on 3 October" in eur.desc()
    # A long unit is said once, in the caption, not on every tick.
    long = Chart(_metric(unit="customers per week", points=[]))
    assert long.one("okr-chart__tick--start").text == "800"
    assert long.one("okr-chart__note").text == "In customers per week."
    assert long.desc().startswith("Checkout p95 latency, in customers per week: 800 on")


def test_compact_number():
    assert [compact_number(v) for v in (0, 800, -3, 0.25, 99.95, 1234.5, 9999)] == \
        ["0", "800", "-3", "0.25", "99.95", "1,234.5", "9,999"]
    assert [compact_number(v) for v in (12_500, 40_000, 999_999, 1_500_000, -2_340_000, 7e9, 3e12)] == \
        ["12.5k", "40k", "1M", "1.5M", "-2.34M", "7B", "3T"]
    assert compact_number(float("inf")) == "" and compact_number(-0.0) == "0"


# ------------------------------------------------------- progress, milestones
def test_progress_chart():
    today = date(2026, 11, 22)
    c = Chart(_progress(today=today))
    assert "okr-chart--progress" in c.root.get("class")
    assert (c.v0, c.v1) == (0.0, 1.0)
    assert [t.text for t in c.all("okr-chart__tick") if t.get("data-value")] == ["0%", "100%", "50%"]
    for d, v, cx, cy in c.points():
        assert close(cx, c.x(d)) and close(cy, c.y(v))
    assert [el.find(f"{SVG}title").text for el in c.all("okr-chart__point")] == \
        ["15 October 2026: 20%", "18 November 2026: 45%"]
    pace = c.path("okr-chart__pace")
    assert close(pace[0][1], c.y(0)) and close(pace[-1][0], c.x(Q4_END)) and close(pace[-1][1], c.y(0.7))
    share = ((today - Q4_START).days + 1) / 92
    assert math.isclose(float(c.one("okr-chart__expected").get("data-value")), 0.7 * share)
    assert c.desc() == ("Make checkout feel instant: 0% on 1 October, 20% on 15 October, "
                        "45% on 18 November; expected by today 40%.")
    assert not c.has("okr-chart__target")


def test_progress_chart_start_value_and_over_achievement():
    c = Chart(_progress(start=0.1, points=[(date(2026, 11, 1), 1.3)]))
    v = c.path("okr-chart__value")
    assert close(v[0][1], c.y(0.1))
    ((_, _, _, cy),) = c.points()
    assert close(cy, c.y(1.3)) and cy > charts.PAD_TOP  # the axis grew, headroom kept


def test_milestone_chart_steps_to_100_percent_on_the_day_done():
    done_on = date(2026, 11, 2)
    c = Chart(milestone_chart(id_prefix="m1", title="Every checkout page served from the edge",
                              done=True, done_on=done_on, bar=1.0, period_start=Q4_START,
                              period_end=Q4_END, today=date(2026, 11, 22), review_until=None))
    assert "okr-chart--milestone" in c.root.get("class")
    ((d, v, cx, cy),) = c.points()
    assert d == done_on and v == 1.0 and close(cx, c.x(done_on)) and close(cy, c.y(1))
    path = c.path("okr-chart__value")
    assert close(path[0][1], c.y(0)) and close(path[-1][1], c.y(1))
    assert c.desc().startswith("Every checkout page served from the edge: done on 2 November; 0% on 1 October, "
                               "100% on 2 November; expected by today")


def test_milestone_done_without_a_date_and_not_done():
    kw = dict(id_prefix="m1", title="Edge", bar=0.7, period_start=Q4_START, period_end=Q4_END,
              today=date(2026, 11, 22), review_until=None)
    done = Chart(milestone_chart(done=True, done_on=None, **kw))
    assert not done.has("okr-chart__point")
    assert all(close(y, done.y(1)) for _, y in done.path("okr-chart__value"))
    assert done.desc().startswith("Edge: done; 100% on 1 October;")
    todo = Chart(milestone_chart(done=False, done_on=None, **kw))
    assert all(close(y, todo.y(0)) for _, y in todo.path("okr-chart__value"))
    assert todo.desc().startswith("Edge: not done; 0% on 1 October;")


# ------------------------------------------------------------- safety, ids
HOSTILE = [
    "</text><script>alert(1)</script>",
    '"><a href=javascript:alert(1)>x</a>',
    "' onload='alert(1)",
    "]]><!-- &amp; &nbsp; &#0; <![CDATA[",
    "bidi \u202egnp.exe\u202c and \x00\x07\x1b controls\ud800 \ufffe",
    "<svg onload=alert(1)><foreignObject><iframe src=x></iframe></foreignObject>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_comes_out_as_text(hostile):
    html = _metric(title=hostile, unit=hostile, label=lambda v: hostile + str(v),
                   review_until=date(2027, 2, 1))
    html += _progress(title=hostile)
    html += milestone_chart(id_prefix="m", title=hostile, done=True, done_on=date(2026, 11, 2), bar=1,
                            period_start=Q4_START, period_end=Q4_END, today=date(2026, 11, 22),
                            review_until=None)
    root = ET.fromstring(f"<div>{html}</div>")  # well-formed XML, no named entities
    tags = {local(el) for el in root.iter()} - {"div"}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name not in ("href", "src", "style") and "javascript" not in value.lower()
    cleaned = charts._esc(hostile)
    for fig in root:
        title = fig.find(f"{SVG}svg/{SVG}title")
        assert title.text == ET.fromstring(f"<t>{cleaned}</t>").text
        assert fig.find("figcaption/span").text == title.text
    # Control characters, bidi overrides, surrogates and noncharacters are dropped.
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\ud800-\udfff\ufffe]", html)


def test_text_cleaning_fast_path_misses_nothing():
    # Plain text skips the cleaning regexes when it is printable: every character the
    # cleaning drops must therefore be unprintable.
    dropped = [chr(c) for c in range(0x10000) if charts._DROP.match(chr(c))]
    assert len(dropped) > 2000 and not any(c.isprintable() for c in dropped)
    assert charts._esc("  a\tb\u2028c  ") == "a b c"
    assert charts._esc("<é & \"ü\" 's'>") == "&lt;é &amp; &quot;ü&quot; &#39;s&#39;&gt;"


def test_svg_names_no_colour_and_every_element_has_a_class():
    html = _metric(review_until=date(2027, 2, 1), today=date(2027, 1, 10))
    root = ET.fromstring(html)
    for el in root.iter():
        for attr in ("fill", "stroke"):
            assert el.get(attr) in (None, "none", "currentColor"), (local(el), attr, el.get(attr))
        assert el.get("style") is None
        if local(el) not in ("title", "desc", "svg", "figure", "figcaption"):
            assert (el.get("class") or "").startswith("okr-chart__"), local(el)


def test_deterministic():
    a = _metric(review_until=date(2027, 3, 31))
    _progress()  # other charts in between (caches) change nothing
    _metric(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    b = _metric(review_until=date(2027, 3, 31))
    assert a == b
    pts = [(date(2026, 10, 15), 620), (date(2026, 11, 18), 450)]
    assert _metric(points=pts) == _metric(points=list(reversed(pts))) == _metric(points=tuple(pts))


@pytest.mark.parametrize("bad", ["", "1abc", "-a", "a b", 'a"b', "a<b", "okr:1", "é", "a\n", None, 3])
def test_id_prefix_is_validated(bad):
    with pytest.raises(ValueError):
        _metric(id_prefix=bad)
    with pytest.raises(ValueError):
        _progress(id_prefix=bad)


def test_ids_come_from_the_prefix_and_name_the_svg():
    c = Chart(_metric(id_prefix="okrc-9f2a_1-3"))
    assert c.svg.get("role") == "img"
    assert c.svg.get("aria-labelledby") == "okrc-9f2a_1-3-title okrc-9f2a_1-3-desc"
    ids = [el.get("id") for el in c.root.iter() if el.get("id")]
    assert ids == ["okrc-9f2a_1-3-title", "okrc-9f2a_1-3-desc"]
    assert c.svg.find(f"{SVG}title").get("id") == "okrc-9f2a_1-3-title"


def test_other_bad_arguments():
    with pytest.raises(ValueError):
        _metric(start=float("nan"))
    with pytest.raises(ValueError):
        _metric(target=float("inf"))
    with pytest.raises(ValueError):
        _metric(bar=float("nan"))
    with pytest.raises(ValueError):
        _metric(period_start=Q4_END, period_end=Q4_START)


def test_degenerate_axes_do_not_crash():
    one_day = Chart(_metric(period_start=Q4_START, period_end=Q4_START, today=Q4_START, points=[]))
    assert one_day.has("okr-chart__today")
    flat = Chart(_metric(start=5, target=5, points=[], unit=None))  # start == target (an error upstream)
    assert flat.has("okr-chart__value")
    zero = Chart(_metric(start=0, target=0, points=[]))
    assert zero.has("okr-chart__value")


# ----------------------------------------------------------- look and size
def _section() -> str:
    css = CSS.read_text(encoding="utf-8")
    begin, end = css.index("Trend charts (site/charts.py) -- BEGIN"), css.index("Trend charts -- END")
    return css[begin:end]


def test_text_is_readable_on_a_phone_and_not_oversized_on_a_wide_screen():
    section = _section()
    max_em = float(re.search(r"figure\.okr-chart \{[^}]*max-width: ([0-9.]+)em", section).group(1))
    phone_column = 390 - 2 * 16  # Material: 0.8rem margins at 20px per rem
    widest = max_em * 16  # the typeset font is 0.8rem = 16px
    assert charts.FONT_SIZE * phone_column / charts.VIEW_W >= 11
    assert charts.FONT_SIZE * widest / charts.VIEW_W <= 16.5
    html = _metric()
    assert f'viewBox="0 0 {charts.VIEW_W} {charts.VIEW_H}"' in html and 'width="100%"' in html
    assert 'font-size="15"' in html and re.search(r"\.okr-chart__svg \{[^}]*max-height", section)
    # Dots stay visible: at least 6px across on the phone.
    assert 2 * charts.DOT_R * phone_column / charts.VIEW_W >= 6


# Contrast: Material's palette (teal primary) and the colours of the CSS section.
_MATERIAL = Path(__import__("material").__file__).resolve().parent / "templates/assets/stylesheets"


def _block(css: str, selector: str) -> dict[str, str]:
    """The custom properties of the rule whose whole selector is ``selector``."""
    body = re.search(r"(?:^|(?<=[{}]))" + re.escape(selector) + r"\{([^}]*)\}", css).group(1)
    return {k.strip(): v.strip() for k, v in re.findall(r"(--[\w-]+):([^;]+)", body)}


def _material_schemes() -> dict[str, dict[str, str]]:
    main = (next(_MATERIAL.glob("main.*.min.css"))).read_text(encoding="utf-8")
    palette = (next(_MATERIAL.glob("palette.*.min.css"))).read_text(encoding="utf-8")
    default = _block(main, ":root,[data-md-color-scheme=default]")
    teal = _block(palette, "[data-md-color-primary=teal]")
    slate = {**default, **_block(palette, "[data-md-color-scheme=slate]"), **teal,
             **_block(palette, "[data-md-color-scheme=slate][data-md-color-primary=teal]")}
    default = {**default, **teal}
    return {"default": default, "slate": slate}


def _rgba(value: str, scheme: dict[str, str]) -> tuple[float, float, float, float]:
    value = value.strip()
    m = re.fullmatch(r"var\((--[\w-]+)(?:,.*)?\)", value)
    if m:
        return _rgba(scheme[m.group(1)], scheme)
    if value.startswith("#"):
        h = value[1:]
        if len(h) in (3, 4):
            h = "".join(ch * 2 for ch in h)
        r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
        a = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        return r, g, b, a
    m = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    if m:
        parts = [float(p) for p in re.split(r"[ ,]+", m.group(1).strip())]
        return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0
    m = re.fullmatch(r"hsla?\((.*)\)", value)
    if m:
        hue = scheme["--md-hue"].removesuffix("deg")
        parts = [p.strip() for p in m.group(1).replace("var(--md-hue)", hue).split(",")]
        h, s, lum = float(parts[0].removesuffix("deg")) / 360, float(parts[1][:-1]) / 100, float(parts[2][:-1]) / 100
        a = float(parts[3]) if len(parts) > 3 else 1.0
        import colorsys
        r, g, b = colorsys.hls_to_rgb(h, lum, s)
        return r * 255, g * 255, b * 255, a
    raise AssertionError(f"colour not understood: {value}")


def _over(fg, bg):
    a = fg[3]
    return tuple(fg[i] * a + bg[i] * (1 - a) for i in range(3))


def _luminance(rgb) -> float:
    def ch(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg) -> float:
    la, lb = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _chart_vars(section: str, selector: str) -> dict[str, str]:
    body = re.search(re.escape(selector) + r" \{([^}]*)\}", section).group(1)
    return {k: v.strip() for k, v in re.findall(r"(--okr-chart-[\w-]+):([^;]+);", body)}


# What carries meaning, by class and the property that colours it: text 4.5:1, graphics 3:1.
_TEXT = {"okr-chart__tick": "fill", "okr-chart__today-label": "fill", "okr-chart__review-label": "fill"}
_GRAPHICS = {"okr-chart__value": "stroke", "okr-chart__point": "fill", "okr-chart__target": "stroke",
             "okr-chart__pace": "stroke", "okr-chart__today": "stroke", "okr-chart__end": "stroke",
             "okr-chart__axis": "stroke", "okr-chart__expected": "stroke"}


def _colour_var(section: str, cls: str, prop: str) -> str:
    for selectors, body in re.findall(r"([^{};/]+)\{([^}]*)\}", section.split("@media (forced-colors")[0]):
        names = [s.strip() for s in selectors.split(",")]
        if f".{cls}" in names:
            m = re.search(rf"(?:^|[;\s]){prop}: var\((--okr-chart-[\w-]+)\)", body)
            if m:
                return m.group(1)
    raise AssertionError(f"no {prop} for .{cls}")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_contrast_with_materials_palette(scheme):
    section = _section()
    schemes = _material_schemes()
    palette = schemes[scheme]
    ours = _chart_vars(section, '[data-md-color-scheme="slate"]' if scheme == "slate"
                       else ':root,\n[data-md-color-scheme],\n[data-md-color-scheme="default"]')
    bg = _rgba(palette["--md-default-bg-color"], palette)[:3]
    results = {}
    for table, minimum in ((_TEXT, 4.5), (_GRAPHICS, 3.0)):
        for cls, prop in table.items():
            var = _colour_var(section, cls, prop)
            colour = _over(_rgba(ours[var], palette), bg)
            results[cls] = round(contrast(colour, bg), 2)
            assert results[cls] >= minimum, (scheme, cls, var, results[cls])
    print(f"\n{scheme}: {results}")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_contrast_of_the_fallbacks_without_material(scheme):
    section = _section()
    ours = _chart_vars(section, '[data-md-color-scheme="slate"]' if scheme == "slate"
                       else ':root,\n[data-md-color-scheme],\n[data-md-color-scheme="default"]')
    fallback = {k: re.fullmatch(r"var\(--[\w-]+, (.+)\)", v).group(1) for k, v in ours.items()}
    bg = _rgba(fallback["--okr-chart-bg"], {})[:3]
    for table, minimum in ((_TEXT, 4.5), (_GRAPHICS, 3.0)):
        for cls, prop in table.items():
            colour = _over(_rgba(fallback[_colour_var(section, cls, prop)], {}), bg)
            assert contrast(colour, bg) >= minimum, (scheme, cls)


# ------------------------------------------------------------------- speed
def test_timing_of_10000_charts(capsys):
    """A print, not an assertion: how long 10,000 charts take (a large site's worth)."""
    pts = [(Q4_START + timedelta(days=9 * i), 800 - 40 * i) for i in range(8)]
    metric = dict(id_prefix="okrc-abc-1", title="Checkout p95 latency", unit="ms", start=800, target=200,
                  bar=0.7, period_start=Q4_START, period_end=Q4_END, today=date(2026, 11, 22),
                  review_until=None, points=pts)
    progress = dict(id_prefix="okrc-abc", title="Make checkout feel instant", bar=0.7,
                    period_start=Q4_START, period_end=Q4_END, today=date(2026, 11, 22),
                    review_until=date(2027, 3, 31), points=[(d, (800 - v) / 600) for d, v in pts])
    n = 10_000
    t0 = time.perf_counter()
    for i in range(n):
        metric_chart(**metric)
    t1 = time.perf_counter()
    for i in range(n):
        progress_chart(**progress)
    t2 = time.perf_counter()
    size = len(metric_chart(**metric))
    with capsys.disabled():
        print(f"\n{n} metric charts (8 check-ins): {t1 - t0:.3f}s, {(t1 - t0) / n * 1e6:.1f} us each, "
              f"{size} bytes each; {n} progress charts (review window): {t2 - t1:.3f}s, "
              f"{(t2 - t1) / n * 1e6:.1f} us each")


def test_an_axis_that_ends_in_the_last_year_there_is():
    # review_until: 9999-12-31 ("measure for ever") and a period of 9999 are valid dates.
    html = _metric(period_start=date(9999, 10, 1), period_end=date(9999, 12, 31), today=date(9999, 11, 2),
                   points=[(date(9999, 10, 15), 620)])
    assert Chart(html).d1 == date(9999, 12, 31)
    html = _metric(review_until=date(9999, 12, 31))
    assert Chart(html).d1 == date(9999, 12, 31)


# ------------------------------------------------------------------ language
GERMAN_MONTHS = {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"}
ENGLISH_WORDS = re.compile(r"\b(Today|Review|Value|Start to target|Expected|expected|target|on|by|until|"
                           r"October|November|December|March|Oct|Dec|Mar|done|Progress)\b")


def _texts(c: Chart) -> list[str]:
    """Every text of a chart a reader sees or hears."""
    return [t for el in c.root.iter() for t in (el.text, el.tail) if t and t.strip()]


def test_a_chart_in_german_speaks_german_and_stays_valid():
    from mkdocs_okrs.site.words import Words

    de = Words("de")
    review, today = date(2027, 3, 31), date(2027, 1, 20)
    html = _metric(words=de, start=1234.5, target=5000, unit="€", review_until=review, today=today,
                   points=[(date(2026, 10, 15), 2345.5), (date(2027, 1, 10), 4321), (date(2027, 2, 1), 4500)])
    c = Chart(html)
    root = ET.fromstring(f"<div>{html}</div>")
    assert {local(el) for el in root.iter()} - {"div"} <= ALLOWED_TAGS
    # Month names and day-month order as German writes them; German numbers and units.
    assert c.one("okr-chart__tick--first").text == "1. Okt."
    assert c.one("okr-chart__tick--review").text == "31. März"
    months = [el.text for el in c.all("okr-chart__tick--month")]
    assert months and set(months) <= GERMAN_MONTHS | {"2027"}, months
    assert c.one("okr-chart__tick--start").text == "1.234,5 €"
    assert c.one("okr-chart__tick--target").text == "5.000 €"
    tips = [el.find(f"{SVG}title").text for el in c.all("okr-chart__point")]
    assert tips == ["15. Oktober 2026: 2.345,5 €", "10. Januar 2027: 4.321 €"]
    assert c.desc() == ("Checkout p95 latency, in €: 1.234,5 am 1. Oktober 2026, 2.345,5 am 15. Oktober 2026, "
                        "4.321 am 10. Januar 2027; Ziel 5.000 bis 31. Dezember 2026; erwartet 3.870 bis "
                        "31. Dezember 2026; Nachbeobachtung bis 31. März 2027; 1 späterer Wert nicht gezeigt.")
    # The legend, the labels above the plot, the expected value's tooltip.
    keys = {el.get("class").split("--")[-1]: el.text for el in c.all("okr-chart__key")}
    assert keys == {"value": "Wert", "target": "Start bis Ziel",
                    "pace": "Erwartetes Tempo: 70\u00a0% des Wegs zum Ziel bis 31. Dezember 2026",
                    "today": "Heute", "review": "Nachbeobachtung bis 31. März 2027"}
    assert c.one("okr-chart__today-label").text == "Heute"
    # (today's label sits where the review window's would: a label that would overlap is left out)
    assert not c.has("okr-chart__review-label")
    earlier = Chart(_metric(words=de, review_until=review, today=date(2026, 11, 22)))
    assert earlier.one("okr-chart__review-label").text == "Nachbeobachtung"
    assert c.one("okr-chart__expected").find(f"{SVG}title").text == "Bis heute erwartet: 3.870 €"
    assert [t for t in _texts(c) if ENGLISH_WORDS.search(t.replace("Checkout p95 latency", ""))] == []
    # A long unit is said in German in the caption; the geometry does not depend on the language.
    long = Chart(_metric(words=de, unit="Kunden pro Woche", points=[]))
    assert long.one("okr-chart__note").text == "In Kunden pro Woche."
    en = Chart(_metric(start=1234.5, target=5000, unit="€", review_until=review, today=today,
                       points=[(date(2026, 10, 15), 2345.5), (date(2027, 1, 10), 4321), (date(2027, 2, 1), 4500)]))
    assert [p[2:] for p in en.points()] == [p[2:] for p in c.points()]
    assert en.path("okr-chart__value") == c.path("okr-chart__value")


def test_progress_and_milestone_charts_in_german():
    from mkdocs_okrs.site.words import Words

    de = Words("de")
    c = Chart(_progress(words=de))
    assert [t.text for t in c.all("okr-chart__tick") if t.get("data-value")] == ["0\u00a0%", "100\u00a0%", "50\u00a0%"]
    assert c.desc() == ("Make checkout feel instant: 0\u00a0% am 1. Oktober, 20\u00a0% am 15. Oktober, "
                        "45\u00a0% am 18. November; bis heute erwartet 40\u00a0%.")
    assert c.one("okr-chart__key--value").text == "Fortschritt"
    assert c.one("okr-chart__key--pace").text == "Erwartet: 70\u00a0% bis 31. Dezember, bei gleichmäßigem Tempo"
    m = Chart(milestone_chart(id_prefix="m1", title="Edge", done=True, done_on=date(2026, 11, 2), bar=1.0,
                              period_start=Q4_START, period_end=Q4_END, today=date(2026, 11, 22),
                              review_until=None, words=de))
    assert m.desc().startswith("Edge: erledigt am 2. November; 0\u00a0% am 1. Oktober, 100\u00a0% am 2. November;")
    assert m.one("okr-chart__key--value").text == "Erledigt"
    todo = Chart(milestone_chart(id_prefix="m1", title="Edge", done=False, done_on=None, bar=1.0,
                                 period_start=Q4_START, period_end=Q4_END, today=date(2026, 9, 2),
                                 review_until=None, words=de))
    assert todo.desc() == "Edge: nicht erledigt; der Zeitraum beginnt am 1. Oktober."


def test_english_is_the_default_and_compact_numbers_follow_the_language():
    from mkdocs_okrs.site.words import Words

    assert _metric(words=Words("en"), review_until=date(2027, 3, 31)) == _metric(review_until=date(2027, 3, 31))
    assert _progress(words=Words("en")) == _progress()
    de = Words("de")
    assert [compact_number(v, de) for v in (1234.5, 12_500, -2_340_000, 7e9)] == ["1.234,5", "12,5k", "-2,34M", "7B"]
    # The y ticks of a German chart too (k, M, B, T: short and known).
    assert Chart(_metric(words=de, start=12_500, target=40_000, unit="users", points=[])).one(
        "okr-chart__tick--start").text == "12,5k users"
    # A language without a catalogue keeps English words with its own numbers and dates.
    fr = Chart(_metric(words=Words("fr"), start=1234.5, points=[]))
    assert fr.one("okr-chart__tick--first").text == "1 oct."
    assert fr.one("okr-chart__today-label").text == "Today"
    # Interleaving languages changes no chart (the caches are per language).
    a = _metric(review_until=date(2027, 3, 31))
    _metric(words=de, review_until=date(2027, 3, 31))
    assert _metric(review_until=date(2027, 3, 31)) == a
