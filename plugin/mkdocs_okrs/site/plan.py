"""Which pages the OKR site has, where they live and what they are called.

:func:`plan_site` looks at a :class:`~mkdocs_okrs.core.publish.PublicOkrs` (never
the raw model, so private objectives cannot get a page) and returns a
:class:`SitePlan`: one :class:`PageSpec` per generated page, keyed by a page key

- ``dashboard``, ``changes`` (what changed lately), ``units`` (the units index) and
  ``tags`` (the tags index, when a public objective has a tag),
- ``period:<period id>``, ``review:<period id>`` (a period that has ended),
  ``unit:<unit id>``, ``objective:<objective id>``, ``tag:<tag>`` (a tag of a public
  objective)

-- the same keys the graphs package uses. No MkDocs import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..core.model import Unit
from ..core.publish import PublicOkrs
from . import urls
from .words import Words

DASHBOARD = "dashboard"
CHANGES = "changes"
UNITS_INDEX = "units"
TAGS_INDEX = "tags"
JSON_PATH = "okrs.json"
FEED_PATH = "feed.xml"
CSS_PATH = "assets/okrs/okrs.css"
GRAPHS_CSS_PATH = "assets/okrs/okrs-graphs.css"
GRAPHS_JS_PATH = "assets/okrs/okrs-graphs.js"
FILTERS_JS_PATH = "assets/okrs/okrs-filters.js"


def objective_key(objective_id: str) -> str:
    """Page key of an objective page."""
    return f"objective:{objective_id}"


def period_key(period_id: str) -> str:
    """Page key of a period page."""
    return f"period:{period_id}"


def review_key(period_id: str) -> str:
    """Page key of a period's review page."""
    return f"review:{period_id}"


def unit_key(unit_id: str) -> str:
    """Page key of a unit page."""
    return f"unit:{unit_id}"


def tag_key(tag: str) -> str:
    """Page key of a tag page."""
    return f"tag:{tag}"


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One generated page.

    ``kind`` is dashboard, changes, units, period, review, unit, objective, tags or
    tag; ``ref`` the id of the period, unit or objective, or the tag (None for the
    dashboard, the changes page and the units and tags indexes);
    ``title`` plain text (not HTML); ``in_nav`` whether the page belongs to the
    compact OKR section of the navigation.
    """

    key: str
    kind: str
    ref: str | None
    src_uri: str
    title: str
    in_nav: bool


@dataclass(slots=True)
class SitePlan:
    """Every generated page of a build, in a stable order (dashboard, periods, units, objectives)."""

    prefix: str
    pages: dict[str, PageSpec]
    units: list[Unit]  # published units, in tree order (parents before children)
    unit_slugs: dict[str, str]
    by_src: dict[str, str] = field(default_factory=dict)  # src_uri -> page key
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tags of public objectives -> slug

    def urls(self, use_directory_urls: bool) -> dict[str, str]:
        """Page key -> site-root-relative URL, for the given URL mode."""
        return {k: urls.page_url(p.src_uri, use_directory_urls) for k, p in self.pages.items()}

    def build_order(self) -> list[str]:
        """The page keys in the order the build reads and writes them: objective pages,
        then unit pages, then the rest (periods, the indexes, the dashboard).

        Their graphs are drawn in the background (:mod:`.graphjob`) while the build
        writes pages in this order: an objective's graph is small and quick to draw, a
        unit's or a period's much larger, so the large ones are needed last, when the
        drawing is furthest ahead. The site is the same whatever the order."""
        rank = {"objective": 0, "unit": 1}
        return sorted(self.pages, key=lambda k: rank.get(self.pages[k].kind, 2))  # stable: plan order within

    def nav_periods(self) -> list[PageSpec]:
        """The period pages, newest first (for the navigation)."""
        return [p for p in self.pages.values() if p.kind == "period"][::-1]


def published_units(view: PublicOkrs) -> list[Unit]:
    """The units that get a page, parents before children, siblings by id.

    With org.yml: every unit in it (the organization chart is not private).
    Without: the owners of public objectives only -- an owner named only on
    private objectives must not appear anywhere.
    """
    if view.org.defined:
        pool = dict(view.org.units)
        for owner in view.by_owner:  # cannot happen in a valid set; be safe
            pool.setdefault(owner, Unit(id=owner, name=owner))
    else:
        pool = {k: view.org.units.get(k) or Unit(id=k, name=k) for k in view.by_owner}
    return tree_order(pool.values())


def tree_order(units: Iterable[Unit]) -> list[Unit]:
    """Depth-first order from the top units (no parent, or a parent not in ``units``)."""
    pool = {u.id: u for u in units}
    kids: dict[str, list[str]] = {}
    roots: list[str] = []
    for uid in sorted(pool):
        parent = pool[uid].parent
        if parent and parent in pool and parent != uid:
            kids.setdefault(parent, []).append(uid)
        else:
            roots.append(uid)
    out: list[Unit] = []
    seen: set[str] = set()
    stack = list(reversed(roots))
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        out.append(pool[uid])
        stack.extend(reversed(kids.get(uid, [])))
    # Units caught in a parent cycle (an error upstream) still get listed.
    out.extend(pool[uid] for uid in sorted(pool) if uid not in seen)
    return out


def plan_site(view: PublicOkrs, prefix: str, *, dashboard_title: str = "OKRs", words: Words | None = None) -> SitePlan:
    """Plan every page for ``view`` under the site folder ``prefix`` (may be empty); page
    titles in the language of ``words`` (periods named as people say them: ``Q4 2026``)."""
    words = words or Words()
    _ = words.gettext
    pages: dict[str, PageSpec] = {}

    def add(spec: PageSpec) -> None:
        pages[spec.key] = spec

    add(PageSpec(DASHBOARD, "dashboard", None, urls.dashboard_src(prefix), dashboard_title, True))
    add(PageSpec(CHANGES, "changes", None, urls.changes_src(prefix), _("What changed"), True))
    for pid, period in view.periods.items():
        title = words.period_title(pid, period.kind, period.start)
        add(PageSpec(period_key(pid), "period", pid, urls.period_src(prefix, pid), title, True))
        if period.end < view.today:
            add(PageSpec(review_key(pid), "review", pid, urls.review_src(prefix, pid),
                         _("Review of %(period)s", period=title), False))
    add(PageSpec(UNITS_INDEX, "units", None, urls.units_index_src(prefix), _("Units"), True))
    units = published_units(view)
    slugs = urls.unit_slugs([u.id for u in units])
    for u in units:
        add(PageSpec(unit_key(u.id), "unit", u.id, urls.unit_src(prefix, slugs[u.id]), u.name or u.id, False))
    for oid, o in view.objectives.items():
        add(PageSpec(objective_key(oid), "objective", oid, urls.objective_src(prefix, oid), o.objective, False))
    # Tags: only those of public objectives (``view`` has no other), each a page out of the
    # navigation; their index is one entry in it.
    tags = sorted({t for o in view.objectives.values() for t in o.tags}, key=tag_sort_key)
    tag_slugs = urls.tag_slugs(tags)
    if tags:
        add(PageSpec(TAGS_INDEX, "tags", None, urls.tags_index_src(prefix), _("Tags"), True))
    for t in tags:
        add(PageSpec(tag_key(t), "tag", t, urls.tag_src(prefix, tag_slugs[t]), t, False))
    by_src = {p.src_uri: p.key for p in pages.values()}
    return SitePlan(prefix=prefix, pages=pages, units=units, unit_slugs=slugs, by_src=by_src,
                    tag_slugs={t: tag_slugs[t] for t in tags})


def tag_sort_key(tag: str) -> tuple[str, str]:
    """Tags in the order people look them up: case-insensitively, then as written."""
    return (tag.casefold(), tag)
