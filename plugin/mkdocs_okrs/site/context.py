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

from ..core.compute import BAR, Changes, changes_since, grade_for
from ..core.model import Objective, Period, Unit
from ..core.publish import CHAIN_FULL, CHAIN_NEAR, PublicOkrs
from . import format as fmt
from .plan import CHANGES, DASHBOARD, UNITS_INDEX, SitePlan, objective_key, period_key, review_key, unit_key
from .urls import relative_url

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


def build_index(view: PublicOkrs, plan: SitePlan, page_urls: dict[str, str], changes_days: int = 7) -> SiteIndex:
    """Precompute the indexes the page contexts share. ``changes_days``: the window of
    the "what changed" page (days before today)."""
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


def progress_ctx(progress: float | None, expected: float | None = None, raw: float | None = None) -> dict:
    """What a progress bar needs: values, percentages, widths."""
    return {
        "value": progress,
        "expected": expected,
        "raw": raw,
        "pct": fmt.pct(progress),
        "raw_pct": fmt.pct(raw) if raw is not None else fmt.pct(progress),
        "expected_pct": fmt.pct(expected) if expected is not None else None,
        "width": fmt.bar_width(progress),
        "expected_width": fmt.bar_width(expected) if expected is not None else None,
        "expected_frac": fmt.fraction(expected) if expected is not None else None,
        "data": fmt.data_number(progress),
        "data_expected": fmt.data_number(expected),
        "over": raw is not None and raw > 1.0,
    }


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
        "commitment_label": fmt.COMMITMENT_LABELS.get(o.commitment, o.commitment),
        "status": s.status,
        "status_label": fmt.status_label(s.status),
        # A running period's objectives have a status against the pace; an ended one's a
        # score (its progress on the last day) and its grade; in review, also progress now.
        "ended": ended,
        "score": progress_ctx(s.score) if s.score is not None else None,
        "grade": s.grade,
        "grade_label": fmt.GRADE_LABELS.get(s.grade or "", None),
        "in_review": s.in_review,
        "review_until": o.review_until.isoformat() if o.review_until else None,
        "stale": s.stale,
        "last_checkin": s.last_checkin.isoformat() if s.last_checkin else None,
        "progress": progress_ctx(s.progress, None if ended else s.expected),
        "parent_kr": o.parent_kr,
        "parent_private": oid in view.parent_private,
    }


def status_counts(index: SiteIndex, oids: list[str]) -> list[dict]:
    """Objectives per status, every status in a fixed order (zeros included); dropped
    objectives are left out, as from every aggregate."""
    counts = dict.fromkeys(fmt.STATUS_ORDER, 0)
    for oid in index.view.counted(oids):
        status = index.view.scores[oid].status
        counts[status] = counts.get(status, 0) + 1
    return [
        {"status": st, "label": fmt.status_label(st), "count": n} for st, n in counts.items() if st != "dropped"
    ]


def grade_counts(index: SiteIndex, oids: list[str]) -> list[dict]:
    """Objectives per grade (green, yellow, red, then those without a score), dropped ones
    left out; with each grade's share of the graded objectives."""
    counts = {"green": 0, "yellow": 0, "red": 0, None: 0}
    for oid in index.view.counted(oids):
        counts[index.view.scores[oid].grade] += 1
    graded = sum(n for g, n in counts.items() if g is not None)
    return [
        {"grade": g or "none", "label": fmt.GRADE_LABELS.get(g or "", "No score"), "count": n,
         "share": fmt.pct(n / graded) if graded and g is not None else ""}
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
            "json": link.root("okrs.json"),
            "feed": link.root("feed.xml"),
        },
        "graphs": None,  # filled by the plugin when graphs exist for the page
    }


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
        by_unit = period_units(index, link, current.id, ended, pace=True)
        score = _average(view, oids, "score") if ended else None
        ctx["current"] = {
            "period": period_ref(index, link, current),
            "ended": ended,
            "count": len(oids),
            "progress": progress_ctx(_average(view, oids, "progress"), None if ended else _average(view, oids, "expected")),
            "score": progress_ctx(score) if score is not None else None,
            "grade": grade_for(score),
            "statuses": status_counts(index, oids),
            "grades": grade_counts(index, oids),
            "attention": attention,
            "by_unit": by_unit,
            "contains_today": current.contains(view.today),
        }
    ctx["in_review"] = [objective_ref(index, link, oid) for oid, s in view.scores.items() if s.in_review]
    ctx["periods"] = [
        dict(
            period_ref(index, link, p),
            count=len(view.by_period.get(p.id, [])),
            progress=progress_ctx(_average(view, view.by_period.get(p.id, []), "progress")),
        )
        for p in _sort_newest(list(view.periods.values()))
    ]
    ctx["objective_count"] = len(view.objectives)
    ctx["unit_count"] = len(index.plan.units)
    return ctx


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
            }
        rows.append(row)
        kids = [c for c in view.children.get(oid, []) if c in members]
        stack.extend((c, depth + 1) for c in reversed(kids))
    return rows


def period_units(index: SiteIndex, link: Linker, period_id: str, ended: bool, pace: bool = False) -> list[dict]:
    """Each unit with objectives in the period (tree order): ``unit``, ``count``, its
    average ``progress`` and, once the period has ended, its average ``score`` and
    ``grade``. With ``pace`` (the dashboard): the progress carries the average expected
    progress while the period runs, and each row its ``statuses``."""
    rows = []
    for u in index.plan.units:
        owned = index.by_period_owner.get((period_id, u.id))
        if not owned:
            continue
        score = index.unit_period_score.get((period_id, u.id)) if ended else None
        expected = _average(index.view, owned, "expected") if pace and not ended else None
        row = {
            "unit": unit_ref(index, link, u.id),
            "count": len(owned),
            "progress": progress_ctx(index.unit_period_progress.get((period_id, u.id)), expected),
            "score": progress_ctx(score) if score is not None else None,
            "grade": grade_for(score),
        }
        if pace:
            row["statuses"] = status_counts(index, owned)
        rows.append(row)
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
    ctx["expected"] = progress_ctx(expected)
    ctx["count"] = len(oids)
    ctx["progress"] = progress_ctx(_average(view, oids, "progress"), expected)
    score = _average(view, oids, "score") if ended else None
    ctx["score"] = progress_ctx(score) if score is not None else None
    ctx["grade"] = grade_for(score)
    ctx["grade_label"] = fmt.GRADE_LABELS.get(grade_for(score) or "", None)
    ctx["statuses"] = status_counts(index, oids)
    ctx["grades"] = grade_counts(index, oids)
    confidences = [k.confidence for i in view.counted(oids) for k in view.scores[i].krs if k.confidence is not None]
    ctx["confidence"] = fmt.pct(fmt.average(confidences)) if confidences and not ended else None
    ctx["tree"] = alignment_rows(index, link, oids)
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
                "progress": progress_ctx(
                    index.unit_period_progress.get((current.id, u.id)) if current else None
                ),
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
    oids = view.by_owner.get(unit_id, [])
    periods: dict[str, list[str]] = {}
    for oid in oids:
        periods.setdefault(view.objectives[oid].period.id, []).append(oid)
    groups = []
    history = []
    for p in _sort_newest([view.periods[pid] for pid in periods]):
        members = periods[p.id]
        avg = index.unit_period_progress.get((p.id, unit_id))
        score = index.unit_period_score.get((p.id, unit_id)) if period_state(p, view.today) == "ended" else None
        groups.append(
            {
                "period": period_ref(index, link, p),
                "objectives": [objective_ref(index, link, oid) for oid in members],
            }
        )
        history.append(
            {
                "period": period_ref(index, link, p),
                "count": len(members),
                "progress": progress_ctx(avg),
                "score": progress_ctx(score) if score is not None else None,
                "grade": grade_for(score),
                "statuses": status_counts(index, members),
            }
        )
    ctx["groups"] = groups
    ctx["history"] = history
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
                "value": fmt.num(c.value),
                "value_text": fmt.quantity(c.value, kr.unit),
                "confidence": c.confidence,
                "confidence_pct": fmt.pct(c.confidence) if c.confidence is not None else "",
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
                "start": fmt.num(kr.start),
                "target": fmt.num(kr.target),
                "current": fmt.num(now),
                "start_text": fmt.quantity(kr.start, kr.unit),
                "target_text": fmt.quantity(kr.target, kr.unit),
                "current_text": fmt.quantity(now, kr.unit),
                "unit": kr.unit or "",
                "weight": fmt.num(kr.weight),
                "done": bool(ks.progress),  # a milestone: done today (done, and done_on reached)
                "done_on": kr.done_on.isoformat() if kr.done_on else None,
                "progress": progress_ctx(ks.progress, None, ks.raw),
                "checkin_count": len(kr.checkins),
                "last_checkin": ks.last_checkin.isoformat() if ks.last_checkin else None,
                "confidence": ks.confidence,
                "confidence_pct": fmt.pct(ks.confidence) if ks.confidence is not None else None,
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
        tags=list(o.tags),
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
            "label": f"{hidden:,} objective{'s' if hidden != 1 else ''}",
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
    return score is not None and round(score - BAR.get(o.commitment, BAR["aspirational"]), 9) >= 0


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
    ctx["score"] = progress_ctx(score) if score is not None else None
    ctx["grade"] = grade_for(score)
    ctx["grade_label"] = fmt.GRADE_LABELS.get(grade_for(score) or "", None)
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
            "value_text": fmt.quantity(c.value, kr.unit if kr else None),
            "confidence_pct": fmt.pct(c.confidence) if c.confidence is not None else "",
            "note": c.note or "",
        })
    ctx["checkins"] = checkins
    ctx["status_changes"] = [
        dict(objective_ref(index, link, oid), before=before, before_label=fmt.status_label(before),
             after=after, after_label=fmt.status_label(after))
        for oid, before, after in changes.status_changes
    ]
    ctx["started"] = [objective_ref(index, link, oid) for oid in changes.started]
    ctx["ended"] = [objective_ref(index, link, oid) for oid in changes.ended]
    return ctx
