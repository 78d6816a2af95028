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

from ..core.compute import grade_for
from ..core.model import Objective, Period, Unit
from ..core.publish import CHAIN_FULL, CHAIN_NEAR, PublicOkrs
from . import format as fmt
from .plan import DASHBOARD, UNITS_INDEX, SitePlan, objective_key, period_key, unit_key
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
    # Objective progress by (period, unit) -> averaged values (only objectives with a progress).
    unit_period_progress: dict[tuple[str, str], float | None] = field(default_factory=dict)
    current_period: Period | None = None
    # Objective id -> the part of its objective_ref that is the same on every page
    # (filled on first use: an objective is listed on several pages).
    refs: dict[str, dict] = field(default_factory=dict)


def build_index(view: PublicOkrs, plan: SitePlan, page_urls: dict[str, str]) -> SiteIndex:
    """Precompute the indexes the page contexts share."""
    units = {u.id: u for u in plan.units}
    contributions: dict[str, list[str]] = {}
    by_period_owner: dict[tuple[str, str], list[str]] = {}
    for oid, o in view.objectives.items():
        by_period_owner.setdefault((o.period.id, o.owner), []).append(oid)
        for c in sorted(set(o.contributors)):
            if c != o.owner:
                contributions.setdefault(c, []).append(oid)
    progress: dict[tuple[str, str], float | None] = {}
    for key, oids in by_period_owner.items():
        vals = [view.scores[i].progress for i in oids if view.scores[i].progress is not None]
        progress[key] = fmt.average(vals)  # type: ignore[arg-type]
    return SiteIndex(
        view=view,
        plan=plan,
        page_urls=page_urls,
        units=units,
        contributions=contributions,
        by_period_owner=by_period_owner,
        unit_period_progress=progress,
        current_period=view.current_period(),
    )


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
    """A period as a link target."""
    return {
        "id": period.id,
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "url": link.to(period_key(period.id)),
        "current": index.current_period is not None and index.current_period.id == period.id,
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
        "grade": s.grade,
        "progress": progress_ctx(s.progress, s.expected),
        "parent_kr": o.parent_kr,
        "parent_private": oid in view.parent_private,
    }


def status_counts(index: SiteIndex, oids: list[str]) -> list[dict]:
    """Objectives per status, every status in a fixed order (zeros included)."""
    counts = dict.fromkeys(fmt.STATUS_ORDER, 0)
    for oid in oids:
        status = index.view.scores[oid].status
        counts[status] = counts.get(status, 0) + 1
    return [
        {"status": st, "label": fmt.status_label(st), "count": n} for st, n in counts.items()
    ]


def _avg_progress(index: SiteIndex, oids: list[str]) -> float | None:
    vals = [index.view.scores[i].progress for i in oids]
    return fmt.average([v for v in vals if v is not None])


def _common(index: SiteIndex, link: Linker, kind: str, title: str) -> dict:
    return {
        "kind": kind,
        "title": title,
        "today": index.view.today.isoformat(),
        "links": {
            "dashboard": link.to(DASHBOARD),
            "units": link.to(UNITS_INDEX),
            "json": link.root("okrs.json"),
        },
        "graphs": None,  # filled by the plugin when graphs exist for the page
    }


def _sort_newest(periods: list[Period]) -> list[Period]:
    return sorted(periods, key=lambda p: (p.start, p.end, p.id), reverse=True)


# -------------------------------------------------------------------- dashboard


def dashboard_context(index: SiteIndex) -> dict:
    """The dashboard: the current period's progress by unit, statuses, what needs attention."""
    view = index.view
    link = Linker(index, DASHBOARD)
    ctx = _common(index, link, "dashboard", index.plan.pages[DASHBOARD].title)
    current = index.current_period
    ctx["current"] = None
    if current is not None:
        oids = view.by_period.get(current.id, [])
        attention = [
            objective_ref(index, link, oid)
            for oid in sorted(
                (i for i in oids if view.scores[i].status in fmt.ATTENTION_STATUSES),
                key=lambda i: (fmt.ATTENTION_STATUSES.index(view.scores[i].status), i),
            )
        ]
        by_unit = []
        for u in index.plan.units:
            uo = index.by_period_owner.get((current.id, u.id))
            if not uo:
                continue
            avg = index.unit_period_progress.get((current.id, u.id))
            by_unit.append(
                {
                    "unit": unit_ref(index, link, u.id),
                    "count": len(uo),
                    "progress": progress_ctx(avg, fmt.average([view.scores[i].expected for i in uo])),
                    "grade": grade_for(avg),
                    "statuses": status_counts(index, uo),
                }
            )
        expected = fmt.average([view.scores[i].expected for i in oids])
        ctx["current"] = {
            "period": period_ref(index, link, current),
            "count": len(oids),
            "progress": progress_ctx(_avg_progress(index, oids), expected),
            "statuses": status_counts(index, oids),
            "attention": attention,
            "by_unit": by_unit,
            "contains_today": current.contains(view.today),
        }
    ctx["periods"] = [
        dict(
            period_ref(index, link, p),
            count=len(view.by_period.get(p.id, [])),
            progress=progress_ctx(_avg_progress(index, view.by_period.get(p.id, []))),
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


def period_context(index: SiteIndex, period_id: str) -> dict:
    """A period page: its objectives as an alignment tree, with statuses and progress."""
    view = index.view
    key = period_key(period_id)
    link = Linker(index, key)
    period = view.periods[period_id]
    ctx = _common(index, link, "period", index.plan.pages[key].title)
    oids = view.by_period.get(period_id, [])
    expected = fmt.average([view.scores[i].expected for i in oids])
    ctx["period"] = period_ref(index, link, period)
    ctx["expected"] = progress_ctx(expected)
    ctx["count"] = len(oids)
    ctx["progress"] = progress_ctx(_avg_progress(index, oids), expected)
    ctx["statuses"] = status_counts(index, oids)
    ctx["tree"] = alignment_rows(index, link, oids)
    ctx["by_unit"] = [
        {
            "unit": unit_ref(index, link, u.id),
            "count": len(index.by_period_owner[(period_id, u.id)]),
            "progress": progress_ctx(index.unit_period_progress.get((period_id, u.id))),
        }
        for u in index.plan.units
        if (period_id, u.id) in index.by_period_owner
    ]
    ordered = list(view.periods)
    pos = ordered.index(period_id)
    ctx["previous"] = period_ref(index, link, view.periods[ordered[pos - 1]]) if pos > 0 else None
    ctx["next"] = (
        period_ref(index, link, view.periods[ordered[pos + 1]]) if pos + 1 < len(ordered) else None
    )
    return ctx


# ------------------------------------------------------------------------- units


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
                "grade": grade_for(avg),
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
    krs = []
    checkins = []
    for kr, ks in zip(o.key_results, s.krs):
        krs.append(
            {
                "id": kr.id,
                "anchor": f"okr-kr-{kr.id}",
                "title": kr.title,
                "kind": kr.kind,
                "start": fmt.num(kr.start),
                "target": fmt.num(kr.target),
                "current": fmt.num(kr.current),
                "start_text": fmt.quantity(kr.start, kr.unit),
                "target_text": fmt.quantity(kr.target, kr.unit),
                "current_text": fmt.quantity(kr.current, kr.unit),
                "unit": kr.unit or "",
                "weight": fmt.num(kr.weight),
                "done": kr.done,
                "progress": progress_ctx(ks.progress, None, ks.raw),
                "checkin_count": len(kr.checkins),
                "last_checkin": kr.checkins[-1].date.isoformat() if kr.checkins else None,
            }
        )
        for c in kr.checkins:
            checkins.append(
                {
                    "date": c.date.isoformat(),
                    "kr": {"id": kr.id, "title": kr.title, "anchor": f"okr-kr-{kr.id}"},
                    "kr_index": kr.index,
                    "value": fmt.num(c.value),
                    "value_text": fmt.quantity(c.value, kr.unit),
                    "unit": kr.unit or "",
                    "confidence": c.confidence,
                    "confidence_pct": fmt.pct(c.confidence) if c.confidence is not None else "",
                    "note": c.note or "",
                }
            )
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
        review_until=o.review_until.isoformat() if o.review_until else None,
        status_overridden=o.status_override is not None,
        grade_label=fmt.GRADE_LABELS.get(s.grade or "", None),
    )
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
