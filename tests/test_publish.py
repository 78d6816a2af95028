"""The publishable view (mkdocs_okrs.core.publish): private objectives removed, indexes, periods."""

from __future__ import annotations

import datetime as dt

from mkdocs_okrs.core.model import KeyResult, Objective, OkrSet, Org, Unit
from mkdocs_okrs.core.periods import parse_period
from mkdocs_okrs.core.publish import public_view

TODAY = dt.date(2026, 11, 22)
ORG = Org(
    units={
        "acme": Unit("acme", "Acme Inc."),
        "marketing": Unit("marketing", "Marketing", parent="acme"),
        "sales": Unit("sales", "Sales", parent="acme"),
    },
    defined=True,
)


def obj(oid: str, owner: str = "acme", period: str = "2026-Q4", parent: str | None = None,
        parent_kr: str | None = None, private: bool = False, **kw) -> Objective:
    return Objective(
        id=oid,
        path=f"{oid}.md",
        objective=f"Objective {oid}",
        owner=owner,
        period=parse_period(period),
        key_results=(
            KeyResult(id="kr1", index=0, title="Revenue", kind="metric", start=0, target=10, current=5),
        ),
        parent=parent,
        parent_kr=parent_kr,
        visibility="private" if private else "public",
        **kw,
    )


def okr_set(*objectives: Objective, today: dt.date = TODAY) -> OkrSet:
    periods = {o.period.id: o.period for o in objectives}
    return OkrSet(root="okrs", org=ORG, objectives={o.id: o for o in objectives},
                  periods=periods, today=today)


def sample() -> OkrSet:
    # Inserted out of order on purpose: the view must sort.
    return okr_set(
        obj("q4/sales/win", owner="sales", parent="q4/acme/secret", parent_kr="kr1"),
        obj("q4/marketing/leads", owner="marketing", parent="q4/acme/grow", parent_kr="kr1"),
        obj("q4/acme/secret", private=True),
        obj("q4/acme/grow"),
        obj("q4/marketing/brand", owner="marketing", parent="q4/acme/grow"),
        obj("q3/acme/hidden", period="2026-Q3", private=True),
        obj("2027/acme/next", period="2027"),
    )


def test_private_objectives_are_removed_everywhere():
    view = public_view(sample())
    for index in (view.objectives, view.scores, view.children):
        assert "q4/acme/secret" not in index and "q3/acme/hidden" not in index
    assert all("q4/acme/secret" not in ids for ids in view.children.values())
    by_period = sorted(i for ids in view.by_period.values() for i in ids)
    by_owner = sorted(i for ids in view.by_owner.values() for i in ids)
    assert by_period == by_owner == list(view.objectives) == [
        "2027/acme/next", "q4/acme/grow", "q4/marketing/brand", "q4/marketing/leads", "q4/sales/win"
    ]
    # A period with only private objectives is not published.
    assert list(view.periods) == ["2026-Q4", "2027"]


def test_public_child_of_a_private_parent_only_says_so():
    view = public_view(sample())
    win = view.objectives["q4/sales/win"]
    assert (win.parent, win.parent_kr) == (None, None)
    assert view.parent_private == {"q4/sales/win"}
    # Other links are untouched.
    leads = view.objectives["q4/marketing/leads"]
    assert (leads.parent, leads.parent_kr) == ("q4/acme/grow", "kr1")
    assert view.ancestors("q4/sales/win") == []
    assert [o.id for o in view.ancestors("q4/marketing/leads")] == ["q4/acme/grow"]


def test_indexes_are_sorted():
    view = public_view(sample())
    assert list(view.objectives) == sorted(view.objectives)
    assert view.children == {"q4/acme/grow": ["q4/marketing/brand", "q4/marketing/leads"]}
    assert view.by_owner == {
        "acme": ["2027/acme/next", "q4/acme/grow"],
        "marketing": ["q4/marketing/brand", "q4/marketing/leads"],
        "sales": ["q4/sales/win"],
    }
    assert list(view.by_owner) == sorted(view.by_owner)
    # Periods by start date: 2026-Q4 (October 2026) before 2027.
    assert view.by_period == {
        "2026-Q4": ["q4/acme/grow", "q4/marketing/brand", "q4/marketing/leads", "q4/sales/win"],
        "2027": ["2027/acme/next"],
    }


def test_scores_are_computed_at_today():
    view = public_view(sample())
    s = view.scores["q4/acme/grow"]
    # progress (5 - 0) / (10 - 0) = 0.5; expected 53 / 92 (31 days of October + 22)
    assert s.progress == 0.5
    assert s.expected == 53 / 92


def test_current_period_contains_today():
    view = public_view(sample())
    assert view.current_period().id == "2026-Q4"


def test_current_period_prefers_the_shortest_containing_period():
    view = public_view(okr_set(obj("y", period="2026"), obj("h", period="2026-H2"),
                               obj("q", period="2026-Q4"), obj("m", period="2026-11")))
    assert view.current_period().id == "2026-11"
    view = public_view(okr_set(obj("y", period="2026"), obj("q", period="2026-Q3")))
    assert view.current_period().id == "2026"


def test_current_period_falls_back_to_the_latest():
    view = public_view(okr_set(obj("a", period="2025-Q1"), obj("b", period="2025-Q3"),
                               obj("c", period="2025-H1")))
    assert view.current_period().id == "2025-Q3"
    # Same end: the later start (shorter period) wins, as it is the most specific.
    view = public_view(okr_set(obj("a", period="2025"), obj("b", period="2025-Q4")))
    assert view.current_period().id == "2025-Q4"


def test_current_period_ignores_private_periods_and_may_be_none():
    view = public_view(okr_set(obj("s", period="2026-Q4", private=True), obj("old", period="2025-Q1")))
    assert view.current_period().id == "2025-Q1"
    assert public_view(okr_set(obj("s", private=True))).current_period() is None


def test_scores_of_a_past_period_are_closed_with_a_score():
    view = public_view(okr_set(obj("q3/acme/done", period="2026-Q3")))
    s = view.scores["q3/acme/done"]
    # Q3 ended 2026-09-30; progress 5 / 10 = 0.5 on its last day -> score 0.5, yellow
    assert (s.status, s.progress, s.score, s.grade) == ("closed", 0.5, 0.5, "yellow")


def test_carried_into_and_carried_from_private():
    view = public_view(okr_set(
        obj("q3/acme/grow", period="2026-Q3"),
        obj("q3/acme/secret", period="2026-Q3", private=True),
        obj("q4/sales/b", owner="sales", carried_from="q3/acme/grow"),
        obj("q4/marketing/a", owner="marketing", carried_from="q3/acme/grow"),
        obj("q4/acme/hidden", carried_from="q3/acme/grow", private=True),
        obj("q4/acme/from-secret", carried_from="q3/acme/secret"),
    ))
    # Sorted, public objectives only, on both ends
    assert view.carried_into == {"q3/acme/grow": ["q4/marketing/a", "q4/sales/b"]}
    assert view.objectives["q4/acme/from-secret"].carried_from is None
    assert view.carried_from_private == {"q4/acme/from-secret"}
    assert view.objectives["q4/sales/b"].carried_from == "q3/acme/grow"


def test_counted_leaves_out_dropped_objectives():
    view = public_view(okr_set(
        obj("q4/acme/a"), obj("q4/acme/b", status_override="dropped"), obj("q4/acme/c", status_override="done"),
    ))
    assert view.counted(view.by_period["2026-Q4"]) == ["q4/acme/a", "q4/acme/c"]
    assert view.counted(["q4/acme/c", "q4/acme/b", "q4/acme/a"]) == ["q4/acme/c", "q4/acme/a"]
