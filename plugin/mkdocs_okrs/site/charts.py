"""Trend charts of key results and objectives, drawn at build time as inline SVG.

Pure functions, no MkDocs, no XML library: each returns one HTML string, a
``<figure class="okr-chart ...">`` holding an inline ``<svg>`` and a
``<figcaption>``. The same arguments always give the same bytes.

- :func:`metric_chart` -- a metric key result's value over the period's days;
- :func:`progress_chart` -- an objective's progress (0..1, shown in %);
- :func:`milestone_chart` -- a milestone key result: 0% until the day it was done, then 100%.

The x axis
    runs from the period's first day to its last day, or to ``review_until`` when
    that is later (the review window, shaded); a vertical line marks the period's
    last day (the right edge when there is no review window). Days are points: day D sits at
    ``x0 + (D - period_start) * width / (axis days - 1)``, so the first day is the
    left edge and the axis's last day the right edge. Labelled: the period's first
    and last day, ``review_until``, and the first of each month between them
    (month labels that would overlap another label are left out, their tick mark stays).

The value line
    is a step line: the value of a point holds until the next point. Left of the
    first point drawn it is the *initial value*: the value of the last point dated
    before the period's first day when there is one (such points are not drawn:
    they are before the axis), else ``start``. It ends at ``today``, or at the
    axis's last day when today is later. Points dated after ``today`` or after the
    axis's last day are not drawn (both are warnings or errors of the contract);
    the description says how many were left out. Points are sorted by date; of two
    points on one day the later in ``points`` wins.

``today``
    A vertical line marks it when it lies on the axis (period_start <= today <=
    axis end). Before the period: no today line and no value line (nothing has
    been measured yet; the plan lines are drawn). After the axis's last day: no
    today line, the value line runs to the right edge.

Expected pace
    ``start + bar * (target - start) * share``: the straight line from
    (period_start, start) to (period_end, start + bar * (target - start)), then level
    through the review window (the contract's expected share is 1 after the period).
    For ``bar == 1`` (committed) it is the start-to-target line, drawn once. A
    marker on it at today gives the contract's "expected by today" value (the share
    of the period's days passed, today counted: at most one day's pace from the line).

Text
    Every string from contributors (title, unit, what ``label`` returns) is
    cleaned (control characters, bidi overrides, lone surrogates and
    noncharacters dropped; whitespace runs become one space) and escaped for
    both text and attribute values. The output is well-formed XML as well as HTML
    (no named entities), and holds only the elements ``figure``, ``figcaption``,
    ``span``, ``svg``, ``title``, ``desc``, ``g``, ``rect``, ``line``, ``path``,
    ``circle`` and ``text``.

Language
    Every function takes ``words`` (a :class:`~mkdocs_okrs.site.words.Words`, the
    build's; English when None): the labels, legend, tooltips and description are its
    messages (catalogue ``locales/<language>.po``), numbers its ``num`` and ``pct``, a
    unit follows a number as its ``quantity`` writes it (``800 ms``, ``12%``;
    ``12 %`` in German), dates its month names in its order (``15 October 2026``,
    ``15. Oktober 2026``; x labels ``15 Oct``, ``15. Okt.``; CLDR's patterns, English
    keeping the site's day-first order). Texts, numbers and dates are kept per
    language once made: drawing a point calls neither Babel nor the catalogue. The
    geometry does not depend on the language.

Colours
    None in the SVG but ``currentColor`` fallbacks (presentation attributes, which
    any CSS rule outweighs); every element has an ``okr-chart__*`` class coloured
    by the "Trend charts" section of assets/okrs.css. Do not pass the result through
    the body sanitizer (site.sanitize): it would strip the chart's elements.

Accessibility and ids
    The ``<svg>`` has ``role="img"`` and ``aria-labelledby`` naming its ``<title>``
    (``{id_prefix}-title``) and ``<desc>`` (``{id_prefix}-desc``), which says in
    words what the chart shows; these are the only ids, so ``id_prefix`` must be
    unique on the page (``[A-Za-z][A-Za-z0-9_-]*``, else ValueError). Each dot has a
    ``<title>`` tooltip (date and value). The figure carries ``data-search-exclude``
    (Material's search leaves the chart's numbers out of the index; it drops the
    attribute from the page).

Reading a chart back (tests, browser tests)
    The figure has ``data-period-start``, ``data-period-end``, ``data-axis-end`` and
    ``data-today``; the x axis line (``okr-chart__axis``) runs from x1 (the first
    day) to x2 (the axis's last day). Gridlines (``okr-chart__grid``, ``--start`` and
    ``--target`` among them) and y tick labels carry ``data-value``; x tick labels,
    the today and period end lines ``data-date``; each dot (``okr-chart__point``)
    ``data-date`` and ``data-value`` (the value as given, shortest repr).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache

from babel.dates import format_date, match_skeleton
from babel.numbers import get_decimal_symbol

from .format import data_number
from .words import ENGLISH
from .words import Words

__all__ = [
    "FONT_SIZE",
    "VIEW_H",
    "VIEW_W",
    "compact_number",
    "metric_chart",
    "milestone_chart",
    "progress_chart",
]

# ---------------------------------------------------------------- geometry
# The viewBox. The SVG is 100% wide (at most 32em, see okrs.css): on a 390px
# phone Material's column is 358px (16px margins), so a 15-unit font shows at
# 15 * 358 / 480 = 11.2px; at the 32em (512px) maximum it shows at 16px, the
# size of the text around it.
VIEW_W = 480
VIEW_H = 220
FONT_SIZE = 15
CHAR_W = 0.6 * FONT_SIZE  # estimated advance of one character (digits, lowercase)
PAD_TOP = 22  # the "Today" / "Review" labels sit above the plot
PAD_BOTTOM = 24  # the x axis labels
PAD_RIGHT = 6
MIN_LEFT = 28
MAX_LEFT = 150
HEADROOM = 0.08  # of the values' span, above and below
DOT_R = 4.5
SHORT_UNIT = 6  # longer units are said once, in the caption, not on every tick

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")

# ------------------------------------------------------------------- text
_WHITESPACE = re.compile(r"[\s\u2028\u2029]+")
_DROP = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")


def _esc(text: object) -> str:
    """Untrusted ``text`` as one line, escaped for XML/HTML text and attribute values."""
    s = text if type(text) is str else str(text)
    # Every character _DROP removes is unprintable (Cc, Cf, Cs, Cn); whitespace other
    # than the space is too.
    if not s.isprintable() or "  " in s or s[:1] == " " or s[-1:] == " ":
        s = _WHITESPACE.sub(" ", _DROP.sub("", _WHITESPACE.sub(" ", s))).strip()
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if '"' in s:
        s = s.replace('"', "&quot;")
    if "'" in s:
        s = s.replace("'", "&#39;")
    return s


def _xml(text: str) -> str:
    """Trusted ``text`` (the catalogue's, Babel's) escaped for XML/HTML text and attribute values."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


class _Text:
    """The words, numbers and dates of the charts in one language (a
    :class:`~mkdocs_okrs.site.words.Words`): messages escaped once, day and month names
    cached, so that drawing a point calls neither Babel nor the catalogue.

    Dates follow the language's CLDR patterns (``15 October 2026``, ``15. Oktober
    2026``, the short ``15 Oct``, ``15. Okt.``); English keeps the site's day-first
    order (CLDR's plain ``en`` is American: ``October 15``)."""

    def __init__(self, words: Words) -> None:
        self.words = words
        locale = words.locale
        self.decimal = get_decimal_symbol(locale)
        if locale.language == "en" and not locale.territory:
            patterns = ("d MMMM y", "d MMMM", "d MMM")
        else:
            skeletons = locale.datetime_skeletons
            patterns = tuple(
                skeletons[m].pattern if (m := match_skeleton(k, skeletons)) else fallback
                for k, fallback in (("yMMMMd", "d MMMM y"), ("MMMMd", "d MMMM"), ("MMMd", "d MMM"))
            )
        self._patterns = patterns
        self.months = ("",) + tuple(_xml(format_date(date(2000, m, 1), "LLL", locale=locale)) for m in range(1, 13))
        self._messages: dict[str, str] = {}
        self._nums: dict[float, str] = {}
        self._pcts: dict[float, str] = {}
        self._days: dict[date, tuple[str, str, str]] = {}
        self._short: dict[date, str] = {}
        self._suffixes: dict[str, str] = {}

    def num(self, value: float) -> str:
        """:meth:`Words.num`, remembered (charts say the same values again and again)."""
        text = self._nums.get(value)
        if text is None:
            if len(self._nums) > 8192:
                self._nums.clear()
            text = self._nums[value] = self.words.num(value)
        return text

    def pct(self, share: float) -> str:
        """:meth:`Words.pct`, remembered."""
        text = self._pcts.get(share)
        if text is None:
            if len(self._pcts) > 8192:
                self._pcts.clear()
            text = self._pcts[share] = self.words.pct(share)
        return text

    def gettext(self, message: str, **values: object) -> str:
        """``message`` translated and escaped, ``%(name)s`` filled from ``values`` (which
        must be escaped already); as :meth:`Words.gettext`."""
        text = self._messages.get(message)
        if text is None:
            text = self._messages[message] = _xml(self.words.gettext(message))
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _xml(self.words.ngettext(singular, plural, n))

    def dates(self, d: date) -> tuple[str, str, str]:
        """``d`` as ``2026-10-15``, ``15 October 2026`` and ``15 October`` (escaped)."""
        out = self._days.get(d)
        if out is None:
            if len(self._days) > 8192:
                self._days.clear()
            loc = self.words.locale
            out = self._days[d] = (d.isoformat(), _xml(format_date(d, self._patterns[0], locale=loc)),
                                   _xml(format_date(d, self._patterns[1], locale=loc)))
        return out

    def day(self, d: date, year: bool) -> str:
        return self.dates(d)[1 if year else 2]

    def short_day(self, d: date) -> str:
        """``d`` as an x axis label: ``15 Oct``."""
        out = self._short.get(d)
        if out is None:
            if len(self._short) > 8192:
                self._short.clear()
            out = self._short[d] = _xml(format_date(d, self._patterns[2], locale=self.words.locale))
        return out

    def with_unit(self, text: str, unit: str) -> str:
        """A number's ``text`` with ``unit`` (escaped) as :meth:`Words.quantity` writes
        it: ``800 ms``, ``12%`` (``12 %`` in German)."""
        if not unit or not text:
            return text
        suffix = self._suffixes.get(unit)
        if suffix is None:
            if len(self._suffixes) > 8192:
                self._suffixes.clear()
            one = self.num(1)
            suffix = self._suffixes[unit] = self.words.quantity(1, unit)[len(one):]
        return text + suffix

    def compact(self, value: float) -> str:
        """See :func:`compact_number`."""
        if not math.isfinite(value):
            return ""
        if abs(value) < 10_000:
            return self.num(value)
        for div, suffix in ((1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")):
            text = f"{value / div:.3g}"
            if "e" not in text and abs(float(text)) < 1000:
                return text.replace(".", self.decimal) + suffix
        return self.num(round(value / 1e12)) + "T"


_TEXTS: dict[str, _Text] = {}


def _text(words: Words | None) -> _Text:
    """The :class:`_Text` of ``words`` (English when None), one per language."""
    words = words or ENGLISH
    tx = _TEXTS.get(words.language)
    if tx is None:
        tx = _TEXTS[words.language] = _Text(words)
    return tx


def compact_number(value: float, words: Words | None = None) -> str:
    """A tick label: the number as written below 10,000 (``800``, ``99.95``, ``1,234.5``;
    ``1.234,5`` in German), else three significant digits and k, M, B or T (``12.3k``,
    ``1.5M``); empty when not finite. ``words`` gives the language (English when None)."""
    return _text(words).compact(value)


def _nice_step(span: float, count: int = 4) -> float:
    raw = span / count
    if raw <= 0 or not math.isfinite(raw):
        return 0.0
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * mag >= raw * 0.999999:
            return m * mag
    return 10.0 * mag


# ------------------------------------------------------------------ checks
def _check_common(id_prefix: str, bar: float, period_start: date, period_end: date) -> None:
    if type(id_prefix) is not str or not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must match [A-Za-z][A-Za-z0-9_-]*, not {id_prefix!r}")
    if not isinstance(bar, (int, float)) or not math.isfinite(bar):
        raise ValueError(f"bar must be a finite number, not {bar!r}")
    if period_end < period_start:
        raise ValueError(f"period_end {period_end} is before period_start {period_start}")


def _finite(name: str, value: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return float(value)


# ------------------------------------------------------------------ drawing
def _split_points(points: Sequence[tuple[date, float]], initial: float, period_start: date,
                  last_day: date) -> tuple[float, list[tuple[date, float]], int]:
    """(initial value, the points drawn, how many were left out after ``last_day``).

    Points are sorted by date (stable), non-finite values skipped, one point per
    day (the later in ``points`` wins)."""
    ordered = sorted(points, key=_first) if len(points) > 1 else list(points)
    shown: list[tuple[date, float]] = []
    later = 0
    for d, v in ordered:
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            continue
        if d < period_start:
            initial = float(v)
        elif d > last_day:
            later += 1
        elif shown and shown[-1][0] == d:
            shown[-1] = (d, float(v))
        else:
            shown.append((d, float(v)))
    return initial, shown, later


def _first(item: tuple[date, float]) -> date:
    return item[0]


def _chart(
    *,
    kind: str,
    extra_class: str,
    id_prefix: str,
    title: str,
    period_start: date,
    period_end: date,
    today: date,
    review_until: date | None,
    initial: float,
    shown: list[tuple[date, float]],
    left_out: int,
    lo: float,
    hi: float,
    y_ticks: list[tuple[float, str, str]],
    plan_start: float,
    target: float | None,
    pace_end: float | None,
    expected_today: float | None,
    expected_said: float | None,
    unit: str,
    say: Callable[[float], str],
    desc_head: str,
    desc_first: str | None,
    desc_target: str | None,
    legend: list[tuple[str, str]],
    note: str,
    tx: _Text,
) -> str:
    """The figure. ``y_ticks`` are (value, label text (escaped), modifier class) with
    the start and target ticks first; ``target`` draws the start-to-target line,
    ``pace_end`` (the expected value at the period's end) the pace line. The
    description is ``desc_head: clause; clause; ...``: ``desc_first``, the values
    (or when the period starts), ``desc_target``, what is expected, the review
    window, how many values were left out. Every text is escaped already."""
    p = id_prefix
    axis_end = review_until if review_until is not None and review_until > period_end else period_end
    s0 = period_start.toordinal()
    n_days = axis_end.toordinal() - s0
    same_year = period_start.year == axis_end.year

    # Left margin from the longest y label.
    longest = max((len(t[1]) for t in y_ticks), default=1)
    left = min(MAX_LEFT, max(MIN_LEFT, int(longest * CHAR_W) + 10))
    right = VIEW_W - PAD_RIGHT
    top = PAD_TOP
    bottom = VIEW_H - PAD_BOTTOM
    kx = (right - left) / (n_days if n_days > 0 else 1)
    if hi <= lo:
        hi = lo + 1.0
    ky = (bottom - top) / (hi - lo)

    def X(d: date) -> float:
        return left + (d.toordinal() - s0) * kx

    def Y(v: float) -> float:
        return top + (hi - v) * ky

    out: list[str] = []
    add = out.append

    # Review window (behind everything).
    x_end = X(period_end)
    if axis_end > period_end:
        add(f'<rect class="okr-chart__review" x="{x_end:.1f}" y="{top}" width="{right - x_end:.1f}" '
            f'height="{bottom - top}" fill="currentColor" fill-opacity="0.07" stroke="none" '
            f'data-from="{period_end.isoformat()}" data-until="{axis_end.isoformat()}"/>')

    # Y gridlines and labels: start and target always (their labels moved apart when
    # they would touch), other round values only where their label has room.
    placed: list[list] = []  # [value, text, modifier, y of the line, y of the label]
    for value, text, mod in y_ticks[:2]:
        y = Y(value)
        placed.append([value, text, mod, y, y + FONT_SIZE * 0.35])
    if len(placed) == 2 and abs(placed[0][4] - placed[1][4]) < FONT_SIZE:
        a, b = placed
        mid = (a[4] + b[4]) / 2
        sign = 1.0 if b[3] >= a[3] else -1.0
        a[4], b[4] = mid - sign * FONT_SIZE / 2, mid + sign * FONT_SIZE / 2
    for value, text, mod in y_ticks[2:]:
        y = Y(value)
        ty = y + FONT_SIZE * 0.35
        if all(abs(ty - other[4]) >= FONT_SIZE * 1.4 for other in placed):
            placed.append([value, text, mod, y, ty])
    grid: list[str] = []
    labels: list[str] = []
    for value, text, mod, y, ty in placed:
        dv = data_number(value)
        sfx = f" okr-chart__grid--{mod}" if mod else ""
        grid.append(f'<line class="okr-chart__grid{sfx}" x1="{left}" y1="{y:.1f}" x2="{right}" '
                    f'y2="{y:.1f}" data-value="{dv}"/>')
        sfx = f" okr-chart__tick--{mod}" if mod else ""
        labels.append(f'<text class="okr-chart__tick{sfx}" x="{left - 6}" y="{ty:.1f}" '
                      f'text-anchor="end" data-value="{dv}">{text}</text>')
    add('<g class="okr-chart__grids" stroke-opacity="0.15">' + "".join(grid) + "</g>")

    # X axis: baseline, tick marks, labels (the same for every chart of a period).
    axis, xlabels = _x_axis(period_start, period_end, axis_end, left, tx)
    add(axis)
    add('<g class="okr-chart__labels" fill="currentColor" stroke="none">' + "".join(labels)
        + xlabels + "</g>")

    # Period end (the right edge when there is no review window).
    if n_days > 0:
        add(f'<line class="okr-chart__end" x1="{x_end:.1f}" y1="{top}" x2="{x_end:.1f}" y2="{bottom}" '
            f'data-date="{period_end.isoformat()}"/>')

    # Plan lines: start to target, expected pace.
    y_start = f"{Y(plan_start):.1f}"
    if target is not None:
        add(f'<line class="okr-chart__target" x1="{left}" y1="{y_start}" x2="{x_end:.1f}" '
            f'y2="{Y(target):.1f}" stroke-dasharray="6 4" data-date="{period_end.isoformat()}" '
            f'data-value="{data_number(target)}"/>')
    if pace_end is not None:
        d = f"M{left},{y_start}L{x_end:.1f},{Y(pace_end):.1f}"
        if axis_end > period_end:
            d += f"H{right}"
        add(f'<path class="okr-chart__pace" d="{d}" stroke-dasharray="2 3" '
            f'data-value="{data_number(pace_end)}"/>')

    # The value line and its points.
    on_axis = period_start <= today <= axis_end
    # Per point: its date as text (ISO, with and without the year), value text, x, y.
    xy = [(tx.dates(d), v, say(v), f"{X(d):.1f}", f"{Y(v):.1f}") for d, v in shown]
    if today >= period_start:
        last = min(today, axis_end)
        steps = "".join([f"H{x}V{y}" for *_, x, y in xy])
        add(f'<path class="okr-chart__value" d="M{left},{Y(initial):.1f}{steps}H{X(last):.1f}" '
            'stroke-width="2.5"/>')
    if on_axis:
        xt = f"{X(today):.1f}"
        add(f'<line class="okr-chart__today" x1="{xt}" y1="{top - 4}" x2="{xt}" y2="{bottom}" '
            f'data-date="{today.isoformat()}"/>')
        if expected_today is not None:
            tip = tx.gettext("Expected by today: %(value)s", value=tx.with_unit(say(expected_said), unit))
            add(f'<circle class="okr-chart__expected" cx="{xt}" cy="{Y(expected_today):.1f}" r="3.5" '
                f'fill="none" data-date="{today.isoformat()}" data-value="{data_number(expected_today)}">'
                f"<title>{tip}</title></circle>")
    if xy:
        dots = [
            f'<circle class="okr-chart__point" cx="{x}" cy="{y}" r="{DOT_R}" '
            f'data-date="{ds[0]}" data-value="{data_number(v)}">'
            f"<title>{ds[1]}: {tx.with_unit(text, unit)}</title></circle>"
            for ds, v, text, x, y in xy
        ]
        add('<g class="okr-chart__points" fill="currentColor" stroke="none">' + "".join(dots) + "</g>")

    # Labels above the plot: today, the review window.
    top_labels = '<g class="okr-chart__markers" fill="currentColor" stroke="none">'
    taken: tuple[float, float] | None = None
    today_text = tx.gettext("Today")
    if on_axis:
        w = len(today_text) * CHAR_W
        x = min(max(X(today), left + w / 2), VIEW_W - w / 2)
        taken = (x - w / 2, x + w / 2)
        top_labels += (f'<text class="okr-chart__today-label" x="{x:.1f}" y="{top - 7}" '
                       f'text-anchor="middle">{today_text}</text>')
    if axis_end > period_end:
        review_text = tx.gettext("Review")
        w = len(review_text) * CHAR_W
        a = x_end + 4
        if a + w <= VIEW_W and (taken is None or a > taken[1] + 6 or a + w < taken[0] - 6):
            top_labels += (f'<text class="okr-chart__review-label" x="{a:.1f}" y="{top - 7}">'
                           f"{review_text}</text>")
    add(top_labels + "</g>")

    # Description: in words what the chart shows.
    with_year = not same_year
    clauses = [desc_first] if desc_first else []
    if today < period_start:
        clauses.append(tx.gettext("the period starts on %(day)s", day=tx.day(period_start, with_year)))
    else:
        on = tx.gettext("%(value)s on %(day)s")
        said = [on % {"value": text, "day": ds[1] if with_year else ds[2]} for ds, _, text, _, _ in xy]
        if not shown or shown[0][0] != period_start:
            said.insert(0, on % {"value": say(initial), "day": tx.day(period_start, with_year)})
        clauses.append(", ".join(said))
    if desc_target:
        clauses.append(desc_target)
    if expected_today is not None and today >= period_start:
        if today <= period_end:
            clauses.append(tx.gettext("expected by today %(value)s", value=say(expected_said)))
        else:
            clauses.append(tx.gettext("expected %(value)s by %(day)s", value=say(expected_said),
                                      day=tx.day(period_end, with_year)))
    if axis_end > period_end:
        clauses.append(tx.gettext("review until %(day)s", day=tx.day(axis_end, with_year)))
    if left_out:
        clauses.append(tx.ngettext("%(num)s later value not shown", "%(num)s later values not shown", left_out))
    desc = f"{desc_head}: " + "; ".join(clauses) + "."

    keys = "".join(f'<span class="okr-chart__key okr-chart__key--{k}">{t}</span>' for k, t in legend)
    if on_axis:
        keys += f'<span class="okr-chart__key okr-chart__key--today">{today_text}</span>'
    if axis_end > period_end:
        keys += (f'<span class="okr-chart__key okr-chart__key--review">'
                 f'{tx.gettext("Review until %(day)s", day=tx.day(axis_end, not same_year))}</span>')
    note_html = f' <span class="okr-chart__note">{note}</span>' if note else ""
    return (
        f'<figure class="okr-chart okr-chart--{kind}{extra_class}" data-period-start="{period_start.isoformat()}" '
        f'data-period-end="{period_end.isoformat()}" data-axis-end="{axis_end.isoformat()}" '
        f'data-today="{today.isoformat()}" data-search-exclude="chart">'
        f'<svg class="okr-chart__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_W} {VIEW_H}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{p}-title {p}-desc" fill="none" stroke="currentColor" stroke-width="1.5" '
        f'font-size="{FONT_SIZE}">'
        f'<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>'
        + "".join(out)
        + "</svg>"
        f'<figcaption class="okr-chart__caption"><span class="okr-chart__title">{title}</span>'
        f'{note_html} <span class="okr-chart__legend">{keys}</span></figcaption></figure>'
    )


@lru_cache(maxsize=1024)
def _x_axis(period_start: date, period_end: date, axis_end: date, left: int, tx: _Text) -> tuple[str, str]:
    """The x axis (baseline and tick marks) and its labels: the period's first and
    last day, the review window's last day and the first of each month, each label
    left out when it would overlap one placed before it (in that order)."""
    s0 = period_start.toordinal()
    n_days = axis_end.toordinal() - s0
    right = VIEW_W - PAD_RIGHT
    bottom = VIEW_H - PAD_BOTTOM
    kx = (right - left) / (n_days if n_days > 0 else 1)
    x_end = left + (period_end.toordinal() - s0) * kx
    marks = [f"M{left:.1f},{bottom}v5"]
    taken: list[tuple[float, float]] = []
    labels: list[str] = []

    def x_label(x: float, anchor: str, text: str, d: date, cls: str) -> None:
        w = len(text) * CHAR_W
        a = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        b = a + w
        if a < 0 or b > VIEW_W:
            return
        for oa, ob in taken:
            if a < ob + 8 and oa < b + 8:
                return
        taken.append((a, b))
        labels.append(f'<text class="okr-chart__tick okr-chart__tick--{cls}" x="{x:.1f}" '
                      f'y="{bottom + FONT_SIZE + 4}" text-anchor="{anchor}" '
                      f'data-date="{d.isoformat()}">{text}</text>')

    x_label(left, "start", tx.short_day(period_start), period_start, "first")
    if axis_end > period_end:
        marks.append(f"M{x_end:.1f},{bottom}v5")
        marks.append(f"M{right:.1f},{bottom}v5")
        x_label(x_end, "middle", tx.short_day(period_end), period_end, "last")
        x_label(right, "end", tx.short_day(axis_end), axis_end, "review")
    elif n_days > 0:
        marks.append(f"M{right:.1f},{bottom}v5")
        x_label(right, "end", tx.short_day(period_end), period_end, "last")
    same_year = period_start.year == axis_end.year
    year, month = period_start.year, period_start.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        if year > date.max.year:  # an axis that ends in December 9999
            break
        first = date(year, month, 1)
        if first > axis_end:
            break
        x = left + (first.toordinal() - s0) * kx
        marks.append(f"M{x:.1f},{bottom}v5")
        x_label(x, "middle", tx.months[month] if month != 1 or same_year else str(year), first, "month")
    axis = (f'<g class="okr-chart__axis-group"><line class="okr-chart__axis" x1="{left}" y1="{bottom}" '
            f'x2="{right}" y2="{bottom}"/><path class="okr-chart__tick-mark" d="{"".join(marks)}"/></g>')
    return axis, "".join(labels)


def _span(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
    pad = span * HEADROOM
    return lo - pad, hi + pad


def _rounded(value: float, scale: float) -> float:
    """``value`` rounded for reading: three significant digits of ``scale`` (the
    distance from start to target), ``558.04`` -> ``558`` for a 600 span."""
    if not scale or not math.isfinite(scale):
        return value
    decimals = 2 - math.floor(math.log10(abs(scale)))
    return round(value, decimals) if decimals > 0 else round(value, decimals) + 0.0


def _share(period_start: date, period_end: date, today: date) -> float:
    """The contract's expected share: days passed, today counted; 0 before, 1 after."""
    if today < period_start:
        return 0.0
    if today > period_end:
        return 1.0
    return ((today - period_start).days + 1) / ((period_end - period_start).days + 1)


# ------------------------------------------------------------------ public
def metric_chart(
    *,
    id_prefix: str,
    title: str,
    unit: str | None,
    start: float,
    target: float,
    bar: float,
    period_start: date,
    period_end: date,
    today: date,
    review_until: date | None,
    points: Sequence[tuple[date, float]],
    label: Callable[[float], str] | None = None,
    words: Words | None = None,
    compact_ticks: bool = True,
) -> str:
    """A metric key result's trend chart (see the module docstring).

    ``points`` are the days the value changes, each with its value on that day (the
    core's ``value_on``): the check-ins, and the day an explicit ``current`` takes
    effect. ``label`` formats every number shown (its result is escaped); without
    it the ticks use :func:`compact_number` (the number as written with
    ``compact_ticks=False``) and the tooltips and description the number as written
    (``words.num``, remembered: no formatting per point). A unit of up to 6 characters follows each
    number (``800 ms``, ``12%``, as ``words.quantity`` writes it); a longer one is said
    once, in the caption. ``words`` gives the language of every text (English when None).
    Draws: y gridlines labelled at start, target and round values between; the
    start-to-target line (dashed, ends at (period_end, target)); the expected pace
    (dotted, unless ``bar`` is 1); the value as a step line with a dot per point;
    today; the period end; the review window when ``review_until`` is later.
    Raises ValueError for a bad ``id_prefix``, a non-finite start, target or bar,
    or a period that ends before it starts.
    """
    _check_common(id_prefix, bar, period_start, period_end)
    start = _finite("start", start)
    target = _finite("target", target)
    tx = _text(words)
    unit_text = _esc(unit) if unit else ""
    short_unit = unit_text if len(unit_text) <= SHORT_UNIT else ""
    axis_end = review_until if review_until is not None and review_until > period_end else period_end
    same_year = period_start.year == axis_end.year
    last_day = min(today, axis_end)
    initial, shown, left_out = _split_points(points, start, period_start, last_day)
    if label is None:
        def tick(v: float) -> str:
            return tx.with_unit(tx.compact(v) if compact_ticks else tx.num(v), short_unit)

        plain = tx.num
    else:
        def tick(v: float) -> str:
            return tx.with_unit(_esc(label(v)), short_unit)

        def plain(v: float) -> str:
            return _esc(label(v))

    pace_end = start + bar * (target - start)
    values = [start, target, initial, pace_end]
    values += [v for _, v in shown]
    lo, hi = _span(values)
    ticks: list[tuple[float, str, str]] = [(start, tick(start), "start"), (target, tick(target), "target")]
    step = _nice_step(hi - lo)
    if step:
        k = math.ceil(lo / step)
        while k * step <= hi and len(ticks) < 12:
            v = k * step
            if abs(v - start) > step * 1e-6 and abs(v - target) > step * 1e-6:
                ticks.append((v, tick(v), ""))
            k += 1
    expected = start + bar * (target - start) * _share(period_start, period_end, today)
    t = _esc(title)
    head = tx.gettext("%(title)s, in %(unit)s", title=t, unit=unit_text) if unit_text else t
    end_day = tx.day(period_end, not same_year)
    legend = [("value", tx.gettext("Value")),
              ("target", tx.gettext("Start to target (expected pace)") if bar == 1 else tx.gettext("Start to target"))]
    if bar != 1:
        legend.append(("pace", tx.gettext("Expected pace: %(pct)s of the way to the target by %(day)s",
                                          pct=tx.pct(bar), day=end_day)))
    note = tx.gettext("In %(unit)s.", unit=unit_text) if unit_text and not short_unit else ""
    return _chart(
        kind="metric",
        extra_class=" okr-chart--decrease" if target < start else "",
        id_prefix=id_prefix, title=t, period_start=period_start, period_end=period_end, today=today,
        review_until=review_until, initial=initial, shown=shown, left_out=left_out, lo=lo, hi=hi,
        y_ticks=ticks, plan_start=start, target=target, pace_end=None if bar == 1 else pace_end,
        expected_today=expected, expected_said=_rounded(expected, target - start), unit=unit_text,
        say=plain, desc_head=head, desc_first=None,
        desc_target=tx.gettext("target %(value)s by %(day)s", value=plain(target), day=end_day),
        legend=legend, note=note, tx=tx,
    )


def progress_chart(
    *,
    id_prefix: str,
    title: str,
    bar: float,
    period_start: date,
    period_end: date,
    today: date,
    review_until: date | None,
    points: Sequence[tuple[date, float]],
    start: float = 0.0,
    words: Words | None = None,
) -> str:
    """An objective's progress over the period (0..1, shown in %).

    ``points`` are the days the progress changes, each with the progress on that
    day (the core's ``progress_on``): the days of its key results' check-ins and
    ``done_on`` dates. ``start`` is the progress before the first point (a point
    dated before the period sets it too). Draws gridlines at 0%, 50% and 100%
    (the axis grows for values outside 0..1), the expected line ``bar * share``
    (dotted; level at ``bar`` through the review window), the progress as a step
    line with a dot per point, today, the period end and the review window.
    ``words`` gives the language of every text (English when None).
    """
    return _share_chart(kind="progress", id_prefix=id_prefix, title=title, bar=bar,
                        period_start=period_start, period_end=period_end, today=today,
                        review_until=review_until, points=points, start=start, head=None, tx=_text(words))


def milestone_chart(
    *,
    id_prefix: str,
    title: str,
    done: bool,
    done_on: date | None,
    bar: float,
    period_start: date,
    period_end: date,
    today: date,
    review_until: date | None,
    words: Words | None = None,
) -> str:
    """A milestone key result: 0% until the day it was done, then 100%.

    ``done`` without ``done_on`` is done on every day (the contract): 100% from the
    period's first day, with no dot. Otherwise one dot on ``done_on`` (none when it
    lies before the period: 100% from its first day). Same lines as
    :func:`progress_chart`. ``words`` gives the language (English when None).
    """
    tx = _text(words)
    if done and done_on is None:
        points: list[tuple[date, float]] = []
        first = 1.0
    elif done and done_on is not None:
        points = [(done_on, 1.0)]
        first = 0.0
    else:
        points = []
        first = 0.0
    if not done:
        head = tx.gettext("not done")
    elif done_on is None:
        head = tx.gettext("done")
    else:
        axis_end = review_until if review_until is not None and review_until > period_end else period_end
        year = period_start.year != axis_end.year or done_on.year != period_start.year
        head = tx.gettext("done on %(day)s", day=tx.day(done_on, year))
    return _share_chart(kind="milestone", id_prefix=id_prefix, title=title, bar=bar,
                        period_start=period_start, period_end=period_end, today=today,
                        review_until=review_until, points=points, start=first, head=head, tx=tx)


def _share_chart(*, kind: str, id_prefix: str, title: str, bar: float, period_start: date,
                 period_end: date, today: date, review_until: date | None,
                 points: Sequence[tuple[date, float]], start: float, head: str | None, tx: _Text) -> str:
    _check_common(id_prefix, bar, period_start, period_end)
    start = _finite("start", start)
    axis_end = review_until if review_until is not None and review_until > period_end else period_end
    same_year = period_start.year == axis_end.year
    last_day = min(today, axis_end)
    initial, shown, left_out = _split_points(points, start, period_start, last_day)
    lo = min(0.0, initial, bar, *(v for _, v in shown)) if shown else min(0.0, initial, bar)
    hi = max(1.0, initial, bar, *(v for _, v in shown)) if shown else max(1.0, initial, bar)
    pad = (hi - lo) * HEADROOM
    lo, hi = (lo - pad if lo < 0 else lo - pad / 2), hi + pad
    ticks = [(0.0, tx.pct(0.0), "start"), (1.0, tx.pct(1.0), "target"), (0.5, tx.pct(0.5), "")]
    t = _esc(title)
    expected = bar * _share(period_start, period_end, today)
    legend = [("value", tx.gettext("Progress") if kind == "progress" else tx.gettext("Done")),
              ("pace", tx.gettext("Expected: %(pct)s by %(day)s, at an even pace", pct=tx.pct(bar),
                                  day=tx.day(period_end, not same_year)))]
    return _chart(
        kind=kind, extra_class="", id_prefix=id_prefix, title=t, period_start=period_start,
        period_end=period_end, today=today, review_until=review_until, initial=initial, shown=shown,
        left_out=left_out, lo=lo, hi=hi, y_ticks=ticks, plan_start=0.0, target=None, pace_end=bar,
        expected_today=expected, expected_said=expected, unit="", say=tx.pct, desc_head=t,
        desc_first=head, desc_target=None, legend=legend, note="", tx=tx,
    )
