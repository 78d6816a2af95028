"""Template context for every generated page: plain dicts built from the public view.

Everything a template shows is computed here (relative links, percentages,
labels), so templates stay simple and an override in ``custom_dir`` only
decides the markup. Contributor text is passed as plain strings; the templates
autoescape it. No MkDocs import.

:class:`SiteIndex` holds what several pages need, computed once per build, so
each page costs time in proportion to what it shows (a 10,000-objective site
stays linear).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import datetime as dt

from ..core.compute import Changes, bar_for, changes_since, grade_for, on_track_line, status_for
from ..core.model import Objective, Period, Unit
from ..core.publish import CHAIN_FULL, CHAIN_NEAR, PublicOkrs
from . import format as fmt
from .plan import (CHANGES, DASHBOARD, FEED_PATH, JSON_PATH, TAGS_INDEX, UNITS_INDEX, SitePlan, objective_key,
                   period_key, review_key, tag_key, tag_sort_key, unit_key)
from .urls import join as join_path
from .urls import relative_url
from .words import Words

# The period page's tree is indented at most this many levels (deeper rows say their level).
MAX_INDENT = 12

@dataclass(slots=True)
class SiteIndex:
    """Indexes computed once per build."""

    view: PublicOkrs
    plan: SitePlan
    page_urls: dict[str, str]  # page key -> site-root-relative URL
    units: dict[str, Unit]  # published units by id
    contributions: dict[str, list[str]] = field(default_factory=dict)  # unit -> objective ids
    by_period_owner: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # (period, unit) -> the average progress (today) and score (an ended period) of the
    # unit's objectives, dropped ones left out (only objectives that have a value count).
    unit_period_progress: dict[tuple[str, str], float | None] = field(default_factory=dict)
    unit_period_score: dict[tuple[str, str], float | None] = field(default_factory=dict)
    changes_days: int = 7
    changes: Changes | None = None  # what changed in the last changes_days days
    current_period: Period | None = None
    # Objective id -> the part of its objective_ref that is the same on every page
    # (filled on first use: an objective is listed on several pages).
    refs: dict[str, dict] = field(default_factory=dict)
    words: Words = field(default_factory=Words)  # the site's language
    # Tag -> the public objectives that carry it, in id order (filled on first use).
    by_tag: dict[str, list[str]] | None = None
    # Objective id -> its rendered row on the unit pages (see :func:`row_cache`).
    unit_rows: dict[str, object] = field(default_factory=dict)
    edit_urls: dict[str, str] = field(default_factory=dict)  # objective id -> "edit this objective" link
    files_prefix: str = ""  # the site folder of okrs.json and feed.xml (the site root under the plugin)


def build_index(view: PublicOkrs, plan: SitePlan, page_urls: dict[str, str], changes_days: int = 7,
                words: Words | None = None, files_prefix: str = "") -> SiteIndex:
    """Precompute the indexes the page contexts share. ``changes_days``: the window of
    the "what changed" page (days before today); ``words``: the site's language."""
    units = {u.id: u for u in plan.units}
    contributions: dict[str, list[str]] = {}
    by_period_owner: dict[tuple[str, str], list[str]] = {}
    for oid, o in view.objectives.items():
        by_period_owner.setdefault((o.period.id, o.owner), []).append(oid)
        for c in sorted(set(o.contributors)):
            if c != o.owner:
                contributions.setdefault(c, []).append(oid)
    progress: dict[tuple[str, str], float | None] = {}
    scores: dict[tuple[str, str], float | None] = {}
    for key, oids in by_period_owner.items():
        progress[key] = _average(view, oids, "progress")
        scores[key] = _average(view, oids, "score")
    return SiteIndex(
        view=view,
        plan=plan,
        page_urls=page_urls,
        units=units,
        contributions=contributions,
        by_period_owner=by_period_owner,
        unit_period_progress=progress,
        unit_period_score=scores,
        current_period=view.current_period(),
        changes_days=changes_days,
        changes=changes_since(view.objectives, changes_window_start(view.today, changes_days), view.today),
        words=words or Words(),
        files_prefix=files_prefix,
    )


def _average(view: PublicOkrs, oids: list[str], attr: str) -> float | None:
    """The mean of ``attr`` (progress, score, expected) over ``oids``, dropped objectives
    left out, and those without a value."""
    values = [getattr(view.scores[i], attr) for i in view.counted(oids)]
    return fmt.average([v for v in values if v is not None])


def period_state(period: Period, today: dt.date) -> str:
    """``upcoming``, ``running`` (today within it, both ends included) or ``ended``."""
    if today < period.start:
        return "upcoming"
    return "running" if today <= period.end else "ended"


class Linker:
    """Relative links from one page to the others."""

    def __init__(self, index: SiteIndex, here_key: str) -> None:
        self._urls = index.page_urls
        self.here = self._urls[here_key]

    def to(self, key: str, fragment: str | None = None) -> str | None:
        """The relative URL of the page ``key`` (None when it has no page)."""
        target = self._urls.get(key)
        if target is None:
            return None
        return relative_url(self.here, target + ("#" + fragment if fragment else ""))

    def root(self, site_path: str) -> str:
        """A relative link to a site-root-relative path (e.g. ``okrs.json``)."""
        return relative_url(self.here, site_path)


# ------------------------------------------------------------------ small parts


def progress_ctx(words: Words, progress: float | None, expected: float | None = None, raw: float | None = None,
                 status: str | None = None) -> dict:
    """What a progress bar needs: values, percentages, widths, and the status that colours it.

    ``expected`` is what the status is measured against (the objective's bar times the
    expected progress: 0.7 of it for an aspirational objective), where the tick sits.
    """
    return {
        "value": progress,
        "expected": expected,
        "raw": raw,
        "status": status,
        "pct": words.pct(progress),
        "raw_pct": words.pct(raw) if raw is not None else words.pct(progress),
        "expected_pct": words.pct(expected) if expected is not None else None,
        "width": fmt.bar_width(progress),
        "expected_width": fmt.bar_width(expected) if expected is not None else None,
        "expected_frac": fmt.fraction(expected) if expected is not None else None,
        "data": fmt.data_number(progress),
        "data_expected": fmt.data_number(expected),
        "over": raw is not None and raw > 1.0,
    }


def pace_ctx(index: SiteIndex, oids: list[str]) -> dict:
    """The bar of an average over objectives of a running period: the tick at the average
    of their bars times their expected progress, less the on-track margin, and the colour
    of the status the objectives' own rule gives the average
    (:func:`~mkdocs_okrs.core.compute.status_for`)."""
    view = index.view
    counted = [i for i in view.counted(oids) if view.scores[i].progress is not None]
    progress = _average(view, oids, "progress")
    if not counted or progress is None:
        return progress_ctx(index.words, progress)
    bar_expected = fmt.average(
        [bar_for(view.objectives[i].commitment) * view.scores[i].expected for i in counted]
    )
    status = status_for(progress, bar_expected, "committed")
    return progress_ctx(index.words, progress, on_track_line(bar_expected, "committed"), status=status)


def score_ctx(words: Words, score: float | None) -> dict | None:
    """A bar for a score (an ended period), coloured by its grade; None without a score."""
    if score is None:
        return None
    return progress_ctx(words, score, status="grade-" + (grade_for(score) or "none"))


def unit_ref(index: SiteIndex, link: Linker, unit_id: str) -> dict:
    """A unit as a link target: id, name and URL (None if it has no page)."""
    unit = index.units.get(unit_id)
    return {
        "id": unit_id,
        "name": (unit.name if unit and unit.name else unit_id),
        "url": link.to(unit_key(unit_id)) if unit is not None else None,
    }


def period_ref(index: SiteIndex, link: Linker, period: Period) -> dict:
    """A period as a link target, with its state (``running``, ``ended``, ``upcoming``)
    and, once it has ended, the link to its review page."""
    state = period_state(period, index.view.today)
    return {
        "id": period.id,
        "title": index.words.period_title(period.id, period.kind, period.start),
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "url": link.to(period_key(period.id)),
        "current": index.current_period is not None and index.current_period.id == period.id,
        "state": state,
        "ended": state == "ended",
        "review_url": link.to(review_key(period.id)) if state == "ended" else None,
    }


def objective_ref(index: SiteIndex, link: Linker, oid: str) -> dict:
    """An objective in a list: statement, link, owner, status and progress."""
    o = index.view.objectives[oid]
    base = index.refs.get(oid)
    if base is None:
        base = index.refs[oid] = _objective_base(index, oid)
    ref = dict(base)
    ref["url"] = link.to(objective_key(oid))
    ref["owner"] = unit_ref(index, link, o.owner)
    ref["period"] = period_ref(index, link, o.period)
    return ref


def _objective_base(index: SiteIndex, oid: str) -> dict:
    """What :func:`objective_ref` shows that does not depend on the page (no links)."""
    view = index.view
    o = view.objectives[oid]
    s = view.scores[oid]
    ended = period_state(o.period, view.today) == "ended"
    return {
        "id": oid,
        "title": o.objective,
        "url": None,
        "owner": None,
        "period": None,
        "commitment": o.commitment,
        "commitment_label": index.words.gettext(fmt.COMMITMENT_LABELS.get(o.commitment, o.commitment)),
        "status": s.status,
        "status_label": index.words.gettext(fmt.status_label(s.status)),
        # A running period's objectives have a status against the pace; an ended one's a
        # score (its progress on the last day) and its grade; in review, also progress now.
        "ended": ended,
        "score": score_ctx(index.words, s.score),
        "grade": s.grade,
        "grade_label": index.words.gettext(fmt.GRADE_LABELS[s.grade]) if s.grade else None,
        "in_review": s.in_review,
        "review_until": o.review_until.isoformat() if o.review_until else None,
        "stale": s.stale,
        "last_checkin": s.last_checkin.isoformat() if s.last_checkin else None,
        "progress": progress_ctx(
            index.words, s.progress, None if ended else on_track_line(s.expected, o.commitment),
            status=None if ended else s.status,
        ),
        "parent_kr": o.parent_kr,
        "parent_private": oid in view.parent_private,
        # For the list filters (data-okr-tags): the slugs of its tags, as in ?tag=<slug>.
        "tag_slugs": list(dict.fromkeys(index.plan.tag_slugs[t] for t in o.tags if t in index.plan.tag_slugs)),
    }


def status_counts(index: SiteIndex, oids: list[str]) -> list[dict]:
    """Objectives per status, every status in a fixed order (zeros included); dropped
    objectives are left out, as from every aggregate."""
    counts = dict.fromkeys(fmt.STATUS_ORDER, 0)
    for oid in index.view.counted(oids):
        status = index.view.scores[oid].status
        counts[status] = counts.get(status, 0) + 1
    return [
        {"status": st, "label": index.words.gettext(fmt.status_label(st)), "count": n}
        for st, n in counts.items() if st != "dropped"
    ]


def grade_counts(index: SiteIndex, oids: list[str]) -> list[dict]:
    """Objectives per grade (green, yellow, red, then those without a score), dropped ones
    left out; with each grade's share of the graded objectives."""
    counts = {"green": 0, "yellow": 0, "red": 0, None: 0}
    for oid in index.view.counted(oids):
        counts[index.view.scores[oid].grade] += 1
    graded = sum(n for g, n in counts.items() if g is not None)
    return [
        {"grade": g or "none", "label": index.words.gettext(fmt.GRADE_LABELS.get(g or "", "No score")), "count": n,
         "share": index.words.pct(n / graded) if graded and g is not None else ""}
        for g, n in counts.items()
    ]


def _common(index: SiteIndex, link: Linker, kind: str, title: str) -> dict:
    return {
        "kind": kind,
        "title": title,
        "today": index.view.today.isoformat(),
        "links": {
            "dashboard": link.to(DASHBOARD),
            "changes": link.to(CHANGES),
            "units": link.to(UNITS_INDEX),
            "tags": link.to(TAGS_INDEX),  # None when no public objective has a tag
            "json": link.root(join_path(index.files_prefix, JSON_PATH)),
            "feed": link.root(join_path(index.files_prefix, FEED_PATH)),
        },
        "graphs": None,  # filled by the plugin when graphs exist for the page
    }


def _bar(index: SiteIndex, period: Period | None, oids: list[str]) -> dict:
    """The bar of objectives ``oids`` of ``period``: their average score once the period
    has ended, else their average progress against the pace."""
    if period is not None and period_state(period, index.view.today) == "ended":
        score = _average(index.view, oids, "score")
        if score is not None:
            return score_ctx(index.words, score)
    return pace_ctx(index, oids)


def _sort_newest(periods: list[Period]) -> list[Period]:
    return sorted(periods, key=lambda p: (p.start, p.end, p.id), reverse=True)


# -------------------------------------------------------------------- dashboard


def dashboard_context(index: SiteIndex) -> dict:
    """The dashboard: the current period (the one running today, else the latest) by unit,
    its statuses or, once it has ended, its grades; what needs attention; the objectives
    still measured after their period (in review); every period."""
    view = index.view
    link = Linker(index, DASHBOARD)
    ctx = _common(index, link, "dashboard", index.plan.pages[DASHBOARD].title)
    current = index.current_period
    ctx["current"] = None
    if current is not None:
        oids = view.by_period.get(current.id, [])
        ended = period_state(current, view.today) == "ended"
        attention = [] if ended else [
            objective_ref(index, link, oid)
            for oid in sorted(
                (i for i in oids if view.scores[i].status in fmt.ATTENTION_STATUSES),
                key=lambda i: (fmt.ATTENTION_STATUSES.index(view.scores[i].status), i),
            )
        ]
        period_url = link.to(period_key(current.id))
        score = _average(view, oids, "score") if ended else None
        ctx["current"] = {
            "period": period_ref(index, link, current),
            "ended": ended,
            "count": len(oids),
            "progress": progress_ctx(index.words, _average(view, oids, "progress")) if ended else pace_ctx(index, oids),
            "score": score_ctx(index.words, score),
            "grade": grade_for(score),
            # Each count links to the period's list, filtered to what it counts.
            "statuses": [
                dict(st, url=f"{period_url}?status={st['status']}#okr-tree") for st in status_counts(index, oids)
            ],
            "grades": grade_counts(index, oids),
            "attention": attention,
            "units": unit_tree(index, link, current),
            "contains_today": current.contains(view.today),
        }
    ctx["in_review"] = [objective_ref(index, link, oid) for oid, s in view.scores.items() if s.in_review]
    ctx["periods"] = [
        dict(
            period_ref(index, link, p),
            count=len(view.by_period.get(p.id, [])),
            progress=_bar(index, p, view.by_period.get(p.id, [])),
        )
        for p in _sort_newest(list(view.periods.values()))
    ]
    ctx["objective_count"] = len(view.objectives)
    ctx["unit_count"] = len(index.plan.units)
    return ctx


def unit_tree(index: SiteIndex, link: Linker, period: Period) -> list[dict]:
    """Every published unit in the org tree's order with its ``depth``, lead and its own
    objectives in ``period``: their count, counts by status (those that occur) and bar."""
    view = index.view
    ended = period_state(period, view.today) == "ended"
    depth: dict[str, int] = {}
    rows = []
    for u in index.plan.units:
        depth[u.id] = depth[u.parent] + 1 if u.parent in depth else 0
        owned = index.by_period_owner.get((period.id, u.id), [])
        rows.append({
            "unit": unit_ref(index, link, u.id),
            "lead": u.lead,
            "depth": depth[u.id],
            "count": len(owned),
            "statuses": [st for st in status_counts(index, owned) if st["count"]],
            "progress": _bar(index, period, owned) if owned else None,
            "grade": grade_for(_average(view, owned, "score")) if ended and owned else None,
        })
    return rows


# ----------------------------------------------------------------------- period


def alignment_rows(index: SiteIndex, link: Linker, oids: list[str]) -> list[dict]:
    """The alignment tree of a set of objectives, flattened depth-first with a ``depth``.

    Roots are the objectives whose parent is not in the set (none, private, or in
    another period); children follow their parent, by id. Iterative, so a deep
    chain cannot exhaust the stack.
    """
    view = index.view
    members = set(oids)
    roots = [oid for oid in oids if view.objectives[oid].parent not in members]
    rows: list[dict] = []
    seen: set[str] = set()
    stack: list[tuple[str, int]] = [(oid, 0) for oid in reversed(roots)]
    while stack:
        oid, depth = stack.pop()
        if oid in seen:
            continue
        seen.add(oid)
        o = view.objectives[oid]
        row = objective_ref(index, link, oid)
        row["depth"] = depth
        row["indent"] = min(depth, MAX_INDENT)
        row["aligns_elsewhere"] = None
        if depth == 0 and o.parent and o.parent in view.objectives:
            parent = view.objectives[o.parent]
            row["aligns_elsewhere"] = {
                "id": parent.id,
                "title": parent.objective,
                "url": link.to(objective_key(parent.id)),
                "period": parent.period.id,
                "period_title": index.words.period_title(parent.period.id, parent.period.kind, parent.period.start),
            }
        rows.append(row)
        kids = [c for c in view.children.get(oid, []) if c in members]
        stack.extend((c, depth + 1) for c in reversed(kids))
    return rows


def period_units(index: SiteIndex, link: Linker, period_id: str, ended: bool) -> list[dict]:
    """Each unit with objectives in the period (tree order): ``unit``, ``count``, its
    average ``progress`` (against the pace while the period runs) and, once the period
    has ended, its average ``score`` and ``grade``."""
    rows = []
    for u in index.plan.units:
        owned = index.by_period_owner.get((period_id, u.id))
        if not owned:
            continue
        score = index.unit_period_score.get((period_id, u.id)) if ended else None
        rows.append({
            "unit": unit_ref(index, link, u.id),
            "count": len(owned),
            "progress": progress_ctx(index.words, index.unit_period_progress.get((period_id, u.id)))
            if ended else pace_ctx(index, owned),
            "score": score_ctx(index.words, score),
            "grade": grade_for(score),
        })
    return rows


def period_context(index: SiteIndex, period_id: str) -> dict:
    """A period page: its objectives as an alignment tree. While it runs: statuses,
    progress against the pace and the key results' confidence; once it has ended:
    scores and grades, and a link to its review."""
    view = index.view
    key = period_key(period_id)
    link = Linker(index, key)
    period = view.periods[period_id]
    ctx = _common(index, link, "period", index.plan.pages[key].title)
    oids = view.by_period.get(period_id, [])
    ended = period_state(period, view.today) == "ended"
    expected = None if ended else _average(view, oids, "expected")
    ctx["period"] = period_ref(index, link, period)
    ctx["ended"] = ended
    ctx["expected"] = progress_ctx(index.words, expected)
    ctx["count"] = len(oids)
    ctx["progress"] = pace_ctx(index, oids) if not ended else progress_ctx(index.words, _average(view, oids, "progress"))
    score = _average(view, oids, "score") if ended else None
    ctx["score"] = score_ctx(index.words, score)
    ctx["grade"] = grade_for(score)
    ctx["grade_label"] = index.words.gettext(fmt.GRADE_LABELS[ctx["grade"]]) if ctx["grade"] else None
    ctx["statuses"] = status_counts(index, oids)
    ctx["grades"] = grade_counts(index, oids)
    confidences = [k.confidence for i in view.counted(oids) for k in view.scores[i].krs if k.confidence is not None]
    ctx["confidence"] = index.words.pct(fmt.average(confidences)) if confidences and not ended else None
    ctx["tree"] = alignment_rows(index, link, oids)
    ctx["filters"] = filters_ctx(index, link, oids)
    ctx["by_unit"] = period_units(index, link, period_id, ended)
    ordered = list(view.periods)
    pos = ordered.index(period_id)
    ctx["previous"] = period_ref(index, link, view.periods[ordered[pos - 1]]) if pos > 0 else None
    ctx["next"] = (
        period_ref(index, link, view.periods[ordered[pos + 1]]) if pos + 1 < len(ordered) else None
    )
    return ctx


def units_index_context(index: SiteIndex) -> dict:
    """The units index: every published unit in tree order with its current objectives."""
    view = index.view
    link = Linker(index, UNITS_INDEX)
    ctx = _common(index, link, "units", index.plan.pages[UNITS_INDEX].title)
    depth: dict[str, int] = {}
    current = index.current_period
    rows = []
    for u in index.plan.units:
        d = depth[u.parent] + 1 if u.parent in depth else 0
        depth[u.id] = d
        oids = index.by_period_owner.get((current.id, u.id), []) if current else []
        rows.append(
            {
                "unit": unit_ref(index, link, u.id),
                "lead": u.lead,
                "depth": d,
                "count": len(oids),
                "total": len(view.by_owner.get(u.id, [])),
                "progress": _bar(index, current, oids),
            }
        )
    ctx["units"] = rows
    ctx["current_period"] = period_ref(index, link, current) if current else None
    return ctx


def unit_context(index: SiteIndex, unit_id: str) -> dict:
    """A unit page: lead, parent, sub-units, objectives per period (newest first), history."""
    view = index.view
    key = unit_key(unit_id)
    link = Linker(index, key)
    unit = index.units[unit_id]
    ctx = _common(index, link, "unit", index.plan.pages[key].title)
    org = view.org
    ancestors = [a for a in org.ancestors(unit_id) if a.id in index.units] if org.defined else []
    ctx["unit"] = {
        "id": unit.id,
        "name": unit.name or unit.id,
        "lead": unit.lead,
        "description": unit.description,
        "parent": unit_ref(index, link, unit.parent) if unit.parent else None,
        "ancestors": [unit_ref(index, link, a.id) for a in reversed(ancestors)],
        "children": [
            unit_ref(index, link, c.id) for c in org.children(unit_id) if c.id in index.units
        ]
        if org.defined
        else [],
    }
    # The unit's objectives and, below them, those of each unit under it (at any depth,
    # in the order of the organization chart), per period, newest first. The newest
    # period lists every one; an earlier period lists the unit's own and sums up each
    # unit below (its count and figures, a link to its page): the page of a company
    # stays the size of one period, not of its whole history.
    family = _unit_family(index, unit_id)
    period_ids = {view.objectives[oid].period.id for uid, _ in family for oid in view.by_owner.get(uid, [])}
    groups = []
    for n, p in enumerate(_sort_newest([view.periods[pid] for pid in period_ids])):
        own = index.by_period_owner.get((p.id, unit_id), [])
        ended = period_state(p, view.today) == "ended"
        subunits = []
        for uid, depth in family[1:]:
            owned = index.by_period_owner.get((p.id, uid))
            if owned:
                parent = index.units[uid].parent
                subunits.append({
                    "unit": unit_ref(index, link, uid),
                    "depth": depth,
                    "parent": unit_ref(index, link, parent) if depth > 1 and parent else None,
                    "id_suffix": f"{p.id}-{index.plan.unit_slugs.get(uid, uid)}",  # its heading: okr-period-...
                    "count": len(owned),
                    "ids": owned,
                    "listed": n == 0,
                    "objectives": [objective_ref(index, link, oid) for oid in owned] if n == 0 else [],
                    "bar": None if n == 0 else _bar(index, p, owned),
                    "statuses": [] if n == 0 or ended else [st for st in status_counts(index, owned) if st["count"]],
                    "grade": grade_for(_average(view, owned, "score")) if n and ended else None,
                    "link": link.to(unit_key(uid), f"okr-period-{p.id}"),
                })
        members = own + [oid for s in subunits for oid in s.pop("ids")]
        score = _average(view, members, "score") if ended else None
        groups.append(
            {
                "period": period_ref(index, link, p),
                "count": len(members),
                "own_count": len(own),
                "objectives": [objective_ref(index, link, oid) for oid in own],
                "subunits": subunits,
                # Totals of the roll-up: average progress against the pace while the period
                # runs; once it has ended, the average score and its grade.
                "progress": progress_ctx(index.words, _average(view, members, "progress")) if ended
                else pace_ctx(index, members),
                "score": score_ctx(index.words, score),
                "grade": grade_for(score),
                "statuses": status_counts(index, members),
                "ids": members,
            }
        )
    ctx["groups"] = groups
    # One row per period: the totals of its group (the unit with the units under it).
    ctx["history"] = [
        {k: g[k] for k in ("period", "count", "own_count", "progress", "score", "grade", "statuses")} for g in groups
    ]
    ctx["rolls_up"] = len(family) > 1
    ctx["row"] = row_cache(index.unit_rows)
    # The filters offer what the page lists (an earlier period's units below are summed up).
    listed = [oid for g in groups for oid in [o["id"] for o in g["objectives"]]
              + [o["id"] for s in g["subunits"] for o in s["objectives"]]]
    for g in groups:
        del g["ids"]
    ctx["filters"] = filters_ctx(index, link, listed)
    ctx["contributions"] = [
        objective_ref(index, link, oid)
        for oid in sorted(
            index.contributions.get(unit_id, []),
            key=lambda i: (-view.objectives[i].period.start.toordinal(), i),
        )
    ]
    return ctx


# -------------------------------------------------------------------- objective


def objective_context(index: SiteIndex, objective_id: str, body_html: str = "") -> dict:
    """An objective page: statement, owner, period, status, progress, KRs, check-ins,
    parent chain, aligned children, contributors, tags. ``body_html`` must already
    be sanitized; the template marks it safe.
    """
    view = index.view
    key = objective_key(objective_id)
    link = Linker(index, key)
    o: Objective = view.objectives[objective_id]
    s = view.scores[objective_id]
    ctx = _common(index, link, "objective", index.plan.pages[key].title)
    ended = period_state(o.period, view.today) == "ended"
    krs = []
    checkins = []
    for kr, ks in zip(o.key_results, s.krs):
        history = [
            {
                "date": c.date.isoformat(),
                "value": index.words.num(c.value),
                "value_text": index.words.quantity(c.value, kr.unit),
                "confidence": c.confidence,
                "confidence_pct": index.words.pct(c.confidence) if c.confidence is not None else "",
                "note": c.note or "",
            }
            for c in reversed(kr.checkins)  # newest first
        ]
        now = ks.value if kr.kind == "metric" else None
        krs.append(
            {
                "id": kr.id,
                "index": kr.index,
                "anchor": f"okr-kr-{kr.id}",
                "title": kr.title,
                "kind": kr.kind,
                "start": index.words.num(kr.start),
                "target": index.words.num(kr.target),
                "current": index.words.num(now),
                "start_text": index.words.quantity(kr.start, kr.unit),
                "target_text": index.words.quantity(kr.target, kr.unit),
                "current_text": index.words.quantity(now, kr.unit),
                "unit": kr.unit or "",
                "weight": index.words.num(kr.weight),
                "done": bool(ks.progress),  # a milestone: done today (done, and done_on reached)
                "done_on": kr.done_on.isoformat() if kr.done_on else None,
                "progress": progress_ctx(index.words, ks.progress, None, ks.raw),
                "checkin_count": len(kr.checkins),
                "last_checkin": ks.last_checkin.isoformat() if ks.last_checkin else None,
                "confidence": ks.confidence,
                "confidence_pct": index.words.pct(ks.confidence) if ks.confidence is not None else None,
                "checkins": history,
                "chart": None,  # filled by the page (see mkdocs_okrs.site.charts)
            }
        )
        checkins += [dict(c, kr={"id": kr.id, "title": kr.title, "anchor": f"okr-kr-{kr.id}"}, kr_index=kr.index)
                     for c in history]
    checkins.sort(key=lambda c: (c["date"], c["kr_index"]), reverse=True)

    # Bounded as in the objective's graph: the whole chain up to CHAIN_FULL ancestors,
    # else the top one and the CHAIN_NEAR nearest, ``hidden`` lying between them.
    shown, hidden = view.ancestor_chain(objective_id, CHAIN_NEAR, CHAIN_FULL)
    chain = [objective_ref(index, link, a.id) for a in shown]
    top = shown[0].id if shown else objective_id
    parent_kr = None
    if o.parent and o.parent_kr and o.parent in view.objectives:
        pkr = view.objectives[o.parent].kr(o.parent_kr)
        parent_kr = {
            "id": o.parent_kr,
            "title": pkr.title if pkr else o.parent_kr,
            "url": link.to(objective_key(o.parent), f"okr-kr-{o.parent_kr}"),
        }

    ctx["objective"] = dict(
        objective_ref(index, link, objective_id),
        path=o.path,
        tags=[tag_ref(index, link, t) for t in dict.fromkeys(o.tags)],  # name, slug, url
        contributors=[unit_ref(index, link, c) for c in o.contributors],
        status_overridden=o.status_override is not None,
        # Shown once the period is over: what was learned.
        retrospective=o.retrospective if ended and o.retrospective else None,
        chart=None,  # filled by the page (see mkdocs_okrs.site.charts)
    )
    ctx["carried_from"] = objective_ref(index, link, o.carried_from) if o.carried_from in view.objectives else None
    ctx["carried_from_private"] = objective_id in view.carried_from_private
    ctx["carried_into"] = [objective_ref(index, link, c) for c in view.carried_into.get(objective_id, [])]
    ctx["key_results"] = krs
    ctx["checkins"] = checkins
    ctx["chain"] = chain
    ctx["chain_gap"] = None
    if hidden:
        next_up = view.objectives[shown[1].id].parent  # the nearest of those left out
        ctx["chain_gap"] = {
            "count": hidden,
            "label": index.words.ngettext("%(num)s objective", "%(num)s objectives", hidden),
            "id": next_up,
            "url": link.to(objective_key(next_up)) if next_up else None,
        }
    ctx["chain_private"] = top in view.parent_private
    ctx["parent_kr"] = parent_kr
    ctx["children"] = [
        dict(objective_ref(index, link, c), parent_kr_title=_kr_title(o, view.objectives[c].parent_kr))
        for c in view.children.get(objective_id, [])
    ]
    ctx["body_html"] = body_html
    ctx["edit_url"] = index.edit_urls.get(objective_id)  # None: the site has no edit links
    return ctx


def _kr_title(objective: Objective, kr_id: str | None) -> str | None:
    if not kr_id:
        return None
    kr = objective.kr(kr_id)
    return kr.title if kr else kr_id


# ----------------------------------------------------------------------- review


def _met(index: SiteIndex, oid: str) -> bool:
    """True when the objective's score reached its bar (1.0 committed, 0.7 aspirational)."""
    o = index.view.objectives[oid]
    score = index.view.scores[oid].score
    return score is not None and round(score - bar_for(o.commitment), 9) >= 0


def review_context(index: SiteIndex, period_id: str) -> dict:
    """The review of an ended period: the grade distribution, committed objectives met or
    missed, every objective by score with its retrospective, what was carried over and
    into which objective, and the objectives still measured (in review): their score at
    the end against their progress now."""
    view = index.view
    key = review_key(period_id)
    link = Linker(index, key)
    period = view.periods[period_id]
    ctx = _common(index, link, "review", index.plan.pages[key].title)
    oids = view.by_period.get(period_id, [])
    counted = view.counted(oids)
    score = _average(view, oids, "score")
    ctx["period"] = period_ref(index, link, period)
    ctx["count"] = len(oids)
    ctx["score"] = score_ctx(index.words, score)
    ctx["grade"] = grade_for(score)
    ctx["grade_label"] = index.words.gettext(fmt.GRADE_LABELS[ctx["grade"]]) if ctx["grade"] else None
    grades = grade_counts(index, oids)
    most = max((g["count"] for g in grades), default=0) or 1
    for g in grades:
        g["width"] = fmt.bar_width(g["count"] / most)
    ctx["grades"] = grades
    ctx["dropped"] = len(oids) - len(counted)
    ctx["by_unit"] = period_units(index, link, period_id, ended=True)

    def ranked(ids: list[str]) -> list[dict]:
        order = sorted(ids, key=lambda i: (-(view.scores[i].score if view.scores[i].score is not None else -1), i))
        out = []
        for oid in order:
            o = view.objectives[oid]
            row = objective_ref(index, link, oid)
            row["met"] = _met(index, oid)
            row["retrospective"] = o.retrospective or ""
            row["carried_into"] = [objective_ref(index, link, c) for c in view.carried_into.get(oid, [])]
            out.append(row)
        return out

    committed = ranked([i for i in counted if view.objectives[i].commitment == "committed"])
    ctx["committed_met"] = [r for r in committed if r["met"]]
    ctx["committed_missed"] = [r for r in committed if not r["met"]]
    ctx["objectives"] = ranked(list(oids))
    ctx["carried"] = [r for r in ctx["objectives"] if r["carried_into"]]
    ctx["unfinished"] = [
        r for r in ctx["objectives"]
        if not r["met"] and not r["carried_into"] and r["status"] not in ("done", "dropped")
    ]
    ctx["in_review"] = [r for r in ctx["objectives"] if r["in_review"]]
    return ctx


# ---------------------------------------------------------------------- changes


def changes_window_start(today: dt.date, days: int) -> dt.date:
    """The day D of "changes since D": ``days`` before ``today``, but not before 1 January 1."""
    return today - dt.timedelta(days=min(days, today.toordinal() - 1))


def changes_context(index: SiteIndex) -> dict:
    """What changed in the last ``index.changes_days`` days (the contract's "changes
    since D"): new check-ins, status changes, objectives whose period started or ended."""
    view = index.view
    link = Linker(index, CHANGES)
    ctx = _common(index, link, "changes", index.plan.pages[CHANGES].title)
    changes = index.changes
    since = changes.since
    ctx["days"] = index.changes_days
    ctx["since"] = since.isoformat()
    checkins = []
    for oid, kr_id, c in changes.checkins:
        o = view.objectives[oid]
        kr = o.kr(kr_id)
        checkins.append({
            "date": c.date.isoformat(),
            "objective": objective_ref(index, link, oid),
            "kr": {"id": kr_id, "title": kr.title if kr else kr_id,
                   "url": link.to(objective_key(oid), f"okr-kr-{kr_id}")},
            "value_text": index.words.quantity(c.value, kr.unit if kr else None),
            "confidence_pct": index.words.pct(c.confidence) if c.confidence is not None else "",
            "note": c.note or "",
        })
    ctx["checkins"] = checkins
    # The same check-ins grouped by objective: the objective with the newest first.
    groups: dict[str, dict] = {}
    for c in checkins:
        groups.setdefault(c["objective"]["id"], {"objective": c["objective"], "checkins": []})["checkins"].append(c)
    ctx["checkin_groups"] = sorted(groups.values(), key=lambda g: g["checkins"][0]["date"], reverse=True)
    ctx["status_changes"] = [
        dict(objective_ref(index, link, oid), before=before, before_label=index.words.gettext(fmt.status_label(before)),
             after=after, after_label=index.words.gettext(fmt.status_label(after)))
        for oid, before, after in changes.status_changes
    ]
    ctx["started"] = [objective_ref(index, link, oid) for oid in changes.started]
    ctx["ended"] = [objective_ref(index, link, oid) for oid in changes.ended]
    return ctx


# ------------------------------------------------------------ roll-ups and filters


def _unit_family(index: SiteIndex, unit_id: str) -> list[tuple[str, int]]:
    """``unit_id`` and every published unit below it, at any depth, in the order of the
    organization chart (a unit's sub-units right after it), each with its depth below
    ``unit_id`` (0 for the unit itself)."""
    depth = {unit_id: 0}
    out = [(unit_id, 0)]
    for u in index.plan.units:  # tree order: a parent comes before its children
        if u.id not in depth and u.parent in depth:
            depth[u.id] = depth[u.parent] + 1
            out.append((u.id, depth[u.id]))
    return out


def row_cache(cache: dict):
    """``row(key, macro, *args)``: ``macro(*args)`` rendered once per ``key`` and build.

    An objective is listed on the page of its unit and of every unit above it (the
    roll-up); its row is the same on each: every unit page lies at
    ``<prefix>/units/<slug>``, so its links, relative, read the same. The unit template
    renders each row once (``row(o.id, m.objective_row, o, show_owner=false)``).
    """

    def row(key, macro, *args, **kwargs):
        html = cache.get(key)
        if html is None:
            html = cache[key] = macro(*args, **kwargs)
        return html

    return row


def _unit_order(index: SiteIndex) -> dict[str, int]:
    return {u.id: n for n, u in enumerate(index.plan.units)}


def filters_ctx(index: SiteIndex, link: Linker, oids: list[str]) -> dict | None:
    """What the filters of a list of objectives ``oids`` offer (``okrs/_filters.html``):
    the statuses, commitments and owners found in it (when there are two or more, else
    choosing one would change nothing) and its tags, each with ``value`` (as in the
    page's query: ``?status=at-risk&tag=<slug>``), ``label`` and ``count``; and ``total``.
    None for a list of fewer than two objectives."""
    if len(oids) < 2:
        return None
    view, words = index.view, index.words
    statuses: dict[str, int] = {}
    commitments: dict[str, int] = {}
    owners: dict[str, int] = {}
    tags: dict[str, int] = {}
    for oid in oids:
        o = view.objectives[oid]
        st = view.scores[oid].status
        statuses[st] = statuses.get(st, 0) + 1
        commitments[o.commitment] = commitments.get(o.commitment, 0) + 1
        owners[o.owner] = owners.get(o.owner, 0) + 1
        for t in dict.fromkeys(o.tags):
            tags[t] = tags.get(t, 0) + 1
    rank = {st: n for n, st in enumerate(fmt.STATUS_ORDER)}
    units = _unit_order(index)
    return {
        "total": len(oids),
        "statuses": [
            {"value": st, "label": words.gettext(fmt.status_label(st)), "count": statuses[st]}
            for st in sorted(statuses, key=lambda st: (rank.get(st, len(rank)), st))
        ] if len(statuses) > 1 else [],
        "commitments": [
            {"value": c, "label": words.gettext(fmt.COMMITMENT_LABELS.get(c, c)), "count": commitments[c]}
            for c in sorted(commitments, key=lambda c: (c != "committed", c))
        ] if len(commitments) > 1 else [],
        "owners": [
            {"value": uid, "label": unit_ref(index, link, uid)["name"], "count": owners[uid]}
            for uid in sorted(owners, key=lambda u: (units.get(u, len(units)), u))
        ] if len(owners) > 1 else [],
        "tags": [
            {"value": index.plan.tag_slugs[t], "label": t, "count": tags[t]}
            for t in sorted(tags, key=tag_sort_key) if t in index.plan.tag_slugs
        ],
    }


# ------------------------------------------------------------------------ tags


def _by_tag(index: SiteIndex) -> dict[str, list[str]]:
    """Tag -> the ids of the public objectives that carry it (id order)."""
    if index.by_tag is None:
        by_tag: dict[str, list[str]] = {}
        for oid, o in index.view.objectives.items():
            for t in dict.fromkeys(o.tags):
                by_tag.setdefault(t, []).append(oid)
        index.by_tag = by_tag
    return index.by_tag


def tag_ref(index: SiteIndex, link: Linker, tag: str) -> dict:
    """A tag as a link target: ``name`` (as written), ``slug`` (as in ``?tag=``) and
    ``url`` (None when it has no page)."""
    return {"name": tag, "slug": index.plan.tag_slugs.get(tag), "url": link.to(tag_key(tag))}


def _by_period(index: SiteIndex, oids: list[str]) -> list[tuple[Period, list[str]]]:
    """``oids`` grouped by period, newest first; within a period by owner (in the order
    of the organization chart), then by id."""
    view = index.view
    units = _unit_order(index)
    groups: dict[str, list[str]] = {}
    for oid in oids:
        groups.setdefault(view.objectives[oid].period.id, []).append(oid)
    return [
        (p, sorted(groups[p.id], key=lambda i: (units.get(view.objectives[i].owner, len(units)), i)))
        for p in _sort_newest([view.periods[pid] for pid in groups])
    ]


def tags_index_context(index: SiteIndex) -> dict:
    """The tags index: every tag of a public objective (as people look it up: A to Z,
    case-insensitively) with its number of objectives and their periods, newest first."""
    link = Linker(index, TAGS_INDEX)
    ctx = _common(index, link, "tags", index.plan.pages[TAGS_INDEX].title)
    by_tag = _by_tag(index)
    ctx["tags"] = [
        dict(tag_ref(index, link, t), count=len(by_tag[t]),
             periods=[period_ref(index, link, p) for p, _ in _by_period(index, by_tag[t])])
        for t in index.plan.tag_slugs
    ]
    return ctx


def tag_context(index: SiteIndex, tag: str) -> dict:
    """A tag's page: its public objectives grouped by period, newest first."""
    key = tag_key(tag)
    link = Linker(index, key)
    ctx = _common(index, link, "tag", index.plan.pages[key].title)
    groups = _by_period(index, _by_tag(index).get(tag, []))
    ctx["tag"] = tag_ref(index, link, tag)
    ctx["count"] = sum(len(oids) for _, oids in groups)
    ctx["groups"] = [
        {"period": period_ref(index, link, p), "count": len(oids),
         "objectives": [objective_ref(index, link, oid) for oid in oids]}
        for p, oids in groups
    ]
    ctx["filters"] = filters_ctx(index, link, [oid for _, oids in groups for oid in oids])
    return ctx
