"""The OKR section of MkDocs' navigation: a handful of entries, whatever the number of objectives.

Every page of a MkDocs site embeds the whole navigation, so a navigation that
listed every objective would make each page as large as the organization and the
build quadratic. Objective, unit and tag pages stay out of it; one compact section
(dashboard, periods, units index, tags index) goes in instead.
"""

from __future__ import annotations

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


def _section(title: str, children: list) -> Section:
    section = Section(title, children)
    for child in children:
        child.parent = section
    return section


def _pages_in(items: list):
    for item in items:
        if getattr(item, "is_page", False):
            yield item
        elif getattr(item, "is_section", False):
            yield from _pages_in(item.children)


def with_okr_section(nav: Navigation, *, title: str, position: str | int, dashboard: Page, changes: Page,
                     periods: list[Page], units: Page, outside: list[Page],
                     tags: Page | None = None, periods_title: str = "Periods") -> Navigation:
    """``nav`` with the OKR section ``title`` (``dashboard``, ``changes``, the ``periods``, ``units``
    and, when there is one, the tags index ``tags``); the periods' section is called
    ``periods_title`` (in the site's language).

    If the nav already names the dashboard page, the section takes that place; else
    it goes to ``position`` (``start``, ``end`` or an index into the top level). The
    ``outside`` pages (objectives, units, tags) belong to the section without being listed:
    the theme then opens and highlights it (and shows it in the breadcrumbs) on them.
    """
    ours = {id(dashboard), id(changes), id(units), *map(id, periods)} | ({id(tags)} if tags is not None else set())
    slot: list = []

    def prune(items: list) -> list:
        out: list = []
        for item in items:
            if getattr(item, "is_page", False) and id(item) in ours:
                if item is dashboard and not slot:
                    slot.append((out, len(out), item.parent))
                continue
            if getattr(item, "is_section", False):
                item.children = prune(item.children)
                if not item.children and not (slot and slot[0][0] is item.children):
                    continue
            out.append(item)
        return out

    items = prune(list(nav.items))
    children: list = [dashboard, changes]
    if periods:
        children.append(_section(periods_title, periods))
    children.append(units)
    if tags is not None:
        children.append(tags)
    section = _section(title, children)
    if slot:
        container, pos, parent = slot[0]
        container.insert(pos, section)
        section.parent = parent
    else:
        index = 0 if position == "start" else len(items) if position == "end" else min(position, len(items))
        items.insert(index, section)
    pages = list(_pages_in(items))
    listed = {id(pg) for pg in pages}
    for pg in outside:
        if id(pg) not in listed:
            pg.parent = section
    for pg in pages:
        pg.previous_page = pg.next_page = None
    for prev, cur in zip(pages, pages[1:]):
        prev.next_page, cur.previous_page = cur, prev
    return Navigation(items, pages)
