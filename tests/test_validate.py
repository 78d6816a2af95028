"""Cross-file validation (mkdocs_okrs.core.validate).

Two layers: objectives built in code (each rule's logic, edge cases, scale), and
real OKR trees written to tmp_path and loaded with ``load_okrs`` (each rule's
id, line and column as a user sees them) further down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys

import pytest

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.diagnostics import Location, Severity
from mkdocs_okrs.core.model import CheckIn, KeyResult, Objective, Org, Settings, Unit
from mkdocs_okrs.core.periods import parse_period
from mkdocs_okrs.core.validate import activity_count, find_cycles, numeric_target, output_verb, validate

TODAY = dt.date(2026, 11, 22)

# Every front-matter key of an in-code objective sits on its own line, so a test can
# tell which key a diagnostic points at.
LINES = {"objective": 2, "owner": 3, "period": 4, "parent": 5, "contributors": 6, "key_results": 9}


def kr(
    kr_id: str = "kr1",
    title: str = "Weekly active buyers",
    kind: str = "metric",
    index: int = 0,
    *,
    checkins: tuple[dt.date, ...] = (),
    done: bool | None = None,
) -> KeyResult:
    line = 10 + 3 * index
    metric = kind == "metric"
    return KeyResult(
        id=kr_id,
        index=index,
        title=title,
        kind=kind,  # type: ignore[arg-type]
        start=0 if metric else None,
        target=10 if metric else None,
        current=0 if metric else None,
        done=done if kind == "milestone" else None,
        checkins=tuple(CheckIn(date=d, value=1) for d in checkins),
        loc=Location("", line, 5),
        field_locs={"title": Location("", line, 12)} if kind != "none" else {},
    )


def _moved(k: KeyResult, path: str) -> KeyResult:
    """``k`` with its locations in the file ``path``."""
    return dataclasses.replace(
        k,
        loc=dataclasses.replace(k.loc, path=path) if k.loc else None,
        field_locs={key: dataclasses.replace(v, path=path) for key, v in k.field_locs.items()},
    )


def obj(
    oid: str,
    *,
    owner: str = "acme",
    period: str = "2026-Q4",
    parent: str | None = None,
    krs: int | list[KeyResult] = 3,
    statement: str = "Make checkout feel instant",
    locs: bool = True,
    **kw,
) -> Objective:
    path = f"okrs/{oid}.md"
    if isinstance(krs, int):
        krs = [kr(f"kr{i + 1}", index=i) for i in range(krs)]
    krs = [_moved(k, path) for k in krs]
    field_locs = {k: Location(path, line, 1) for k, line in LINES.items()} if locs else {}
    for i in range(len(kw.get("contributors", ()))):
        field_locs[f"contributors[{i}]"] = Location(path, 7 + i, 5) if locs else None
    field_locs = {k: v for k, v in field_locs.items() if v is not None}
    p = parse_period(period)
    assert p is not None
    parent_id, _, parent_kr = (parent or "").partition("#")
    return Objective(
        id=oid,
        path=f"{oid}.md",
        objective=statement,
        owner=owner,
        period=p,
        key_results=tuple(krs),
        parent=parent_id or None,
        parent_kr=parent_kr or None,
        loc=Location(path, 1, 1),
        field_locs=field_locs,
        **kw,
    )


def org(*units: tuple[str, str | None], defined: bool = True) -> Org:
    return Org(
        units={u: Unit(id=u, name=u.title(), parent=p) for u, p in units},
        defined=defined,
        path="okrs/org.yml",
    )


ORG = org(("acme", None), ("marketing", "acme"), ("sales", "acme"), ("platform", "acme"), ("design", "acme"))
NO_ORG = org(defined=False)


def run(*objectives: Objective, units: Org = ORG, today: dt.date = TODAY, **kw):
    return validate({o.id: o for o in objectives}, units, today, **kw)


def only(diags, rule_id):
    return [d for d in diags if d.rule == rule_id]


def where(d):
    return (d.path, d.line, d.col)


# --- owners and contributors ---------------------------------------------------------


def test_owner_unknown_suggests_the_closest_unit():
    [d] = only(run(obj("a", owner="markting")), "owner-unknown")
    assert d.severity is Severity.ERROR
    assert where(d) == ("okrs/a.md", 3, 1)
    assert d.message == "owner 'markting' is not a unit in okrs/org.yml; did you mean 'marketing'?"


def test_owner_unknown_without_a_close_match_lists_the_units():
    [d] = only(run(obj("a", owner="zzz")), "owner-unknown")
    assert d.message == (
        "owner 'zzz' is not a unit in okrs/org.yml; add it to okrs/org.yml or use a known unit"
        " (acme, design, marketing, platform, sales)"
    )


def test_owner_unknown_long_unit_lists_are_cut():
    many = org(*[(f"unit{i:02}", None) for i in range(12)])
    [d] = only(run(obj("a", owner="zzz"), units=many), "owner-unknown")
    assert d.message.endswith("(unit00, unit01, unit02, unit03, unit04, unit05, unit06, unit07 and 4 more)")


def test_owners_and_contributors_are_free_text_without_org_yml():
    diags = run(obj("a", owner="anyone", contributors=("someone",)), units=NO_ORG)
    assert not only(diags, "owner-unknown") and not only(diags, "contributor-unknown")


def test_an_org_yml_without_units_does_not_flag_every_owner():
    # org.yml exists but is empty or broken: its own error is enough.
    broken = Org(units={}, defined=True, path="okrs/org.yml")
    rules = {d.rule for d in run(obj("a", owner="anyone", contributors=("x",)), units=broken)}
    assert rules == {"stale-checkin"}  # no owner-unknown, contributor-unknown or orphan-objective


def test_contributor_unknown_is_located_at_its_list_item():
    o = obj("a", owner="platform", contributors=("design", "desgn", "nobody"))
    ds = only(run(o), "contributor-unknown")
    assert [(d.line, d.col) for d in ds] == [(8, 5), (9, 5)]
    assert ds[0].message == "contributor 'desgn' is not a unit in okrs/org.yml; did you mean 'design'?"
    assert ds[1].message.startswith("contributor 'nobody' is not a unit in okrs/org.yml; add it to")


def test_contributor_unknown_falls_back_to_the_contributors_key_then_the_file():
    o = obj("a", contributors=("nobody",))
    o = dataclasses.replace(o, field_locs={"contributors": Location("okrs/a.md", 6, 1)})
    [d] = only(run(o), "contributor-unknown")
    assert where(d) == ("okrs/a.md", 6, 1)
    bare = obj("b", contributors=("nobody",), locs=False)
    [d] = only(run(bare), "contributor-unknown")
    assert where(d) == ("okrs/b.md", 1, 1)


# --- parents -----------------------------------------------------------------------------


def test_parent_unknown_suggests_an_id_differing_in_case_or_one_segment():
    top = obj("2026-Q4/acme/grow-online-sales")
    a = obj("2026-Q4/marketing/a", owner="marketing", parent="2026-Q4/acme/grow-onlin-sales")
    b = obj("2026-Q4/marketing/b", owner="marketing", parent="2026-q4/ACME/grow-online-sales")
    c = obj("2026-Q4/marketing/c", owner="marketing", parent="something/else/entirely")
    ds = only(run(top, a, b, c), "parent-unknown")
    assert [d.path for d in ds] == ["okrs/2026-Q4/marketing/a.md", "okrs/2026-Q4/marketing/b.md", "okrs/2026-Q4/marketing/c.md"]
    assert all(d.line == 5 and d.severity is Severity.ERROR for d in ds)
    assert ds[0].message == (
        "parent objective '2026-Q4/acme/grow-onlin-sales' does not exist;"
        " did you mean '2026-Q4/acme/grow-online-sales'?"
    )
    assert ds[1].message.endswith("did you mean '2026-Q4/acme/grow-online-sales'?")
    assert ds[2].message == (
        "parent objective 'something/else/entirely' does not exist; use an objective id:"
        " the file's path below the OKR root without '.md', or its 'id:'"
    )


def test_parent_of_a_file_that_failed_to_load_is_not_reported_again():
    child = obj("2026-Q4/marketing/a", owner="marketing", parent="2026-Q4/acme/broken")
    assert len(only(run(child), "parent-unknown")) == 1
    assert only(run(child, unloaded={"2026-Q4/acme/broken"}), "parent-unknown") == []


def test_parent_kr_unknown_lists_the_parents_key_results():
    top = obj("top", krs=[kr("revenue", index=0), kr("p95", index=1), kr("nps", index=2)])
    a = obj("a", owner="marketing", parent="top#p59")
    b = obj("b", owner="marketing", parent="top#zzz")
    ok = obj("c", owner="marketing", parent="top#p95")
    ds = only(run(top, a, b, ok), "parent-kr-unknown")
    assert [where(d) for d in ds] == [("okrs/a.md", 5, 1), ("okrs/b.md", 5, 1)]
    assert ds[0].message == (
        "parent objective 'top' has no key result 'p59'; did you mean 'p95'?;"
        " its key results are revenue, p95, nps"
    )
    assert ds[1].message == "parent objective 'top' has no key result 'zzz'; its key results are revenue, p95, nps"


# --- cycles ----------------------------------------------------------------------------------


def test_parent_cycle_reports_the_whole_cycle_at_each_members_parent_key():
    a = obj("c/a", parent="c/b")
    b = obj("c/b", parent="c/c")
    c = obj("c/c", parent="c/a")
    below = obj("c/below", parent="c/a")  # hangs below the cycle: not its own ancestor
    ds = only(run(c, below, b, a), "parent-cycle")
    assert [where(d) for d in ds] == [("okrs/c/a.md", 5, 1), ("okrs/c/b.md", 5, 1), ("okrs/c/c.md", 5, 1)]
    assert [d.message for d in ds] == [
        "objective is its own ancestor: c/a → c/b → c/c → c/a; change 'parent' in one of these 3 objectives to break the cycle",
        "objective is its own ancestor: c/b → c/c → c/a → c/b; change 'parent' in one of these 3 objectives to break the cycle",
        "objective is its own ancestor: c/c → c/a → c/b → c/c; change 'parent' in one of these 3 objectives to break the cycle",
    ]
    assert all(d.severity is Severity.ERROR for d in ds)


def test_self_parent_is_a_cycle_of_one():
    [d] = only(run(obj("solo", parent="solo")), "parent-cycle")
    assert d.message == "objective is its own parent: solo → solo; remove 'parent' or name another objective"


def test_find_cycles_is_deterministic_and_separates_cycles():
    parents = {"d": "e", "e": "d", "b": "a", "a": "c", "c": "b", "x": "a", "y": None, "z": "unknown"}
    assert find_cycles(parents) == [["a", "c", "b"], ["d", "e"]]
    assert find_cycles(dict(reversed(list(parents.items())))) == [["a", "c", "b"], ["d", "e"]]


def test_deep_chains_need_no_recursion():
    n = sys.getrecursionlimit() * 5
    chain = {f"o{i:06}": (f"o{i + 1:06}" if i + 1 < n else None) for i in range(n)}
    assert find_cycles(chain) == []
    chain[f"o{n - 1:06}"] = "o000000"
    [cycle] = find_cycles(chain)
    assert len(cycle) == n and cycle[0] == "o000000" and cycle[1] == "o000001"


def test_ten_thousand_objectives_with_a_long_cycle_and_many_unknown_parents():
    n = 10_000
    objectives = [obj(f"2026-Q4/t/o{i:05}", parent=f"2026-Q4/t/o{(i + 1) % 3000:05}") for i in range(3000)]
    # Parents in a folder that does not exist: each differs from a real id in one segment.
    objectives += [obj(f"2026-Q4/u/o{i:05}", parent=f"2026-Q4/v/o{i:05}") for i in range(3000, n - 100)]
    # Parents like nothing at all, in a folder of thousands of ids.
    objectives += [obj(f"2026-Q4/u/o{i:05}", parent=f"2026-Q4/u/zz{i:05}") for i in range(n - 100, n)]
    ds = run(*objectives)
    cycle = only(ds, "parent-cycle")
    assert len(cycle) == 3000
    first = cycle[0].message
    assert first.startswith("objective is its own ancestor: 2026-Q4/t/o00000 → 2026-Q4/t/o00001 → ")
    assert first.count(" → ") == 3000 and "→ 2026-Q4/t/o02999 → 2026-Q4/t/o00000; change" in first
    assert cycle[2999].message == (
        "objective is its own ancestor: 2026-Q4/t/o02999 → 2026-Q4/t/o00000 → 2026-Q4/t/o00001 →"
        " 2026-Q4/t/o00002 → 2026-Q4/t/o00003 → …; change 'parent' in one of these 3000 objectives"
        " to break the cycle (the message for '2026-Q4/t/o00000' lists the whole cycle)"
    )
    unknown = only(ds, "parent-unknown")
    assert len(unknown) == n - 3000
    assert unknown[0].message.endswith("did you mean '2026-Q4/u/o03000'?")
    assert unknown[-1].message.endswith("or its 'id:'")


# --- key results --------------------------------------------------------------------------


def test_kr_no_measure_points_at_the_key_result():
    o = obj("a", krs=[kr("kr1", index=0), kr("kr2", index=1), kr("kr3", "Publish the latency budget", "none", 2)])
    [d] = only(run(o), "kr-no-measure")
    assert d.severity is Severity.WARNING
    assert where(d) == ("okrs/a.md", 16, 5)
    assert d.message == (
        "key result 'kr3' ('Publish the latency budget') has no measure; give it 'start' and"
        " 'target' (a metric) or 'done: false' (a milestone)"
    )


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (1, "objective has 1 key result; 3 to 5 show whether it is achieved: add the measures that are missing"),
        (2, "objective has 2 key results; 3 to 5 show whether it is achieved: add the measures that are missing"),
        (3, None),
        (5, None),
        (6, "objective has 6 key results; 3 to 5 keep it focused: keep the ones that matter most or split the objective"),
    ],
)
def test_kr_count(count, message):
    ds = only(run(obj("a", krs=count)), "kr-count")
    assert [d.message for d in ds] == ([message] if message else [])
    assert all(where(d) == ("okrs/a.md", 9, 1) for d in ds)


def test_objective_count_warns_on_every_objective_of_the_crowded_owner_and_period():
    six = [obj(f"2026-Q4/m/o{i}", owner="marketing") for i in range(6)]
    five = [obj(f"2026-Q4/s/o{i}", owner="sales") for i in range(5)]
    other_period = [obj(f"2027-Q1/m/o{i}", owner="marketing", period="2027-Q1") for i in range(5)]
    ds = only(run(*six, *five, *other_period), "objective-count")
    assert [d.path for d in ds] == [f"okrs/2026-Q4/m/o{i}.md" for i in range(6)]
    assert {(d.line, d.col) for d in ds} == {(3, 1)}
    assert {d.message for d in ds} == {
        "owner 'marketing' has 6 objectives in 2026-Q4 (at most 5 keep a team focused): 2026-Q4/m/o0,"
        " 2026-Q4/m/o1, 2026-Q4/m/o2, 2026-Q4/m/o3, 2026-Q4/m/o4, 2026-Q4/m/o5; drop, merge or postpone some"
    }


def test_objective_count_lists_at_most_ten_ids():
    ds = only(run(*[obj(f"m/o{i:02}", owner="marketing") for i in range(13)]), "objective-count")
    assert len(ds) == 13
    assert "m/o08, m/o09 and 3 more; drop" in ds[0].message


@pytest.mark.parametrize(
    ("title", "verb"),
    [
        ("Launch the new pricing page", "Launch"),
        ("launched self-serve onboarding", "launched"),
        ("Shipping v2 of the API", "Shipping"),
        ("Built the data warehouse", "Built"),
        ("WRITE the security whitepaper", "WRITE"),
        ("Hire 3 engineers", "Hire"),
        ("**Deliver** the migration", "Deliver"),
        ("Completed SOC 2 audit", "Completed"),
        ("Releases every week", "Releases"),
        ("Implementing SSO", "Implementing"),
        ("Create a partner program", "Create"),
        ("Written runbooks for on-call", "Written"),
        ("Shipments arrive in 2 days", None),
        ("Launchpad usage", None),
        ("Customers who launch a store", None),
        ("Cut checkout p95 latency", None),
    ],
)
def test_output_verb(title, verb):
    assert output_verb(title) == verb


def test_kr_output_only_without_a_metric():
    o = obj(
        "a",
        krs=[
            kr("kr1", "Launch the pricing page", "metric", 0),  # has a metric: fine
            kr("kr2", "Shipped the new checkout", "milestone", 1, done=False),
            kr("kr3", "Build a partner portal", "none", 2),
        ],
    )
    ds = only(run(o), "kr-output")
    assert [where(d) for d in ds] == [("okrs/a.md", 13, 12), ("okrs/a.md", 16, 5)]
    assert ds[0].message == (
        "key result 'kr2' ('Shipped the new checkout') describes an output ('Shipped') and has no"
        " metric; name the outcome it should change and measure it with 'start' and 'target'"
    )
    assert ds[0].severity is Severity.WARNING


def test_long_titles_are_shortened_in_messages():
    title = "Build " + "a very long title that goes on " * 5
    [d] = only(run(obj("a", krs=[kr("kr1", title, "milestone", 0, done=True)] + [kr(f"k{i}", index=i) for i in (1, 2)])), "kr-output")
    assert "('Build a very long title that goes on a very long title that…')" in d.message


# --- objective statements --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("Grow revenue to $2M", "$2M"),
        ("Reach 40% market share", "40%"),
        ("Delight 10k users", "10k"),
        ("Grow ARR to USD 3.5 million", "USD 3.5 million"),
        ("Double signups (2x)", "2x"),
        ("Cut p95 to 200 ms", "200 ms"),
        ("Grow to 500 paying teams", "to 500"),
        ("Checkout under 200ms", "200ms"),
        ("Reach 2,000 customers", "2,000 customers"),
        ("Reach 2000 customers", "2000 customers"),
        ("Keep NPS above 50.", "above 50"),
        ("Earn 5 € per visit", "5 €"),
        ("Be GDPR compliant by 2027", None),
        ("Make 2026 our best year yet", None),
        ("Own the Q4 holiday season", None),
        ("Make v2 of the API a joy", None),
        ("Become the #1 choice for developers", None),
        ("Keep 24/7 support delightful", None),
        ("Get ISO-27001 certified", None),
        ("Make our top 3 flows delightful", None),
        ("Make checkout feel instant", None),
    ],
)
def test_numeric_target(statement, found):
    assert numeric_target(statement) == found


def test_objective_numeric_is_located_at_the_objective_key():
    [d] = only(run(obj("a", statement="Grow revenue to $2M")), "objective-numeric")
    assert where(d) == ("okrs/a.md", 2, 1)
    assert d.severity is Severity.WARNING
    assert d.message == (
        "objective statement holds a numeric target ('$2M'); keep the objective qualitative and"
        " move the number into a key result"
    )


# --- periods and alignment ---------------------------------------------------------------------


def test_period_outside_parent():
    top = obj("2026-H2/acme/top", period="2026-H2")
    inside = obj("2026-Q4/m/in", owner="marketing", parent="2026-H2/acme/top")
    outside = obj("2027-Q1/m/out", owner="marketing", period="2027-Q1", parent="2026-H2/acme/top")
    wider = obj("2026/m/wide", owner="marketing", period="2026", parent="2026-H2/acme/top")
    ds = only(run(top, inside, outside, wider), "period-outside-parent")
    assert [where(d) for d in ds] == [("okrs/2026/m/wide.md", 4, 1), ("okrs/2027-Q1/m/out.md", 4, 1)]
    assert ds[1].message == (
        "period 2027-Q1 (2027-01-01 to 2027-03-31) lies outside the period 2026-H2 (2026-07-01 to"
        " 2026-12-31) of parent '2026-H2/acme/top'; change the period or align to an objective"
        " whose period contains 2027-Q1"
    )


def test_orphan_objective():
    top = obj("2026/acme/top", period="2026")
    orphan = obj("2026-Q4/m/orphan", owner="marketing")
    aligned = obj("2026-Q4/m/aligned", owner="marketing", parent="2026/acme/top")
    private = obj("2026-Q4/m/secret", owner="marketing", visibility="private")
    top_unit = obj("2026-Q4/acme/other")
    ds = only(run(top, orphan, aligned, private, top_unit), "orphan-objective")
    [d] = ds
    assert where(d) == ("okrs/2026-Q4/m/orphan.md", 3, 1)
    assert d.severity is Severity.WARNING
    assert d.message == (
        "objective has no parent, and its owner 'marketing' is not a top unit (it belongs to"
        " 'acme'); add 'parent:' to align it with an objective above it, for example"
        " '2026-Q4/acme/other' of 'acme'"
    )
    # No example when the units above have nothing in an enclosing period.
    [d] = only(run(obj("2026-Q4/m/orphan", owner="marketing")), "orphan-objective")
    assert d.message.endswith("add 'parent:' to align it with an objective above it")
    # Without org.yml there is no hierarchy to align to.
    assert only(run(orphan, units=NO_ORG), "orphan-objective") == []


# --- check-ins ------------------------------------------------------------------------------------


def _with_checkins(oid: str, *dates: dt.date, **kw) -> Objective:
    return obj(oid, krs=[kr("kr1", index=0, checkins=dates), kr("kr2", index=1), kr("kr3", index=2)], **kw)


def test_stale_checkin_counts_from_the_newest_checkin():
    # today 2026-11-22: 2026-10-31 is 22 days before (stale), 2026-11-01 is 21 (fine).
    stale = _with_checkins("stale", dt.date(2026, 10, 15), dt.date(2026, 10, 31))
    fresh = _with_checkins("fresh", dt.date(2026, 11, 1))
    ds = only(run(stale, fresh), "stale-checkin")
    [d] = ds
    assert where(d) == ("okrs/stale.md", 9, 1)
    assert d.severity is Severity.WARNING
    assert d.message == (
        "no check-in for 22 days (the last is from 2026-10-31, today is 2026-11-22); check in at"
        " least every 21 days while 2026-Q4 runs: add a check-in with the current value to each key result"
    )


def test_stale_checkin_without_any_checkin_counts_from_the_period_start():
    # 2026-Q4 starts 2026-10-01: 2026-10-22 is 21 days later (fine), 2026-10-23 is 22 (stale).
    o = _with_checkins("none")
    assert only(run(o, today=dt.date(2026, 10, 22)), "stale-checkin") == []
    [d] = only(run(o, today=dt.date(2026, 10, 23)), "stale-checkin")
    assert d.message == (
        "no check-in yet, and 2026-Q4 started 22 days ago on 2026-10-01 (today is 2026-10-23);"
        " check in at least every 21 days: add a check-in with the current value to each key result"
    )


def test_stale_checkin_only_while_the_period_itself_runs():
    old = _with_checkins("old", period="2026-Q2")
    future = _with_checkins("future", period="2027-Q1")
    # review_until keeps the progress measured, but the period is over: not stale
    reviewed = _with_checkins("reviewed", period="2026-Q3", review_until=dt.date(2026, 12, 31))
    done = _with_checkins("done", status_override="done")
    dropped = _with_checkins("dropped", status_override="dropped")
    at_risk = _with_checkins("at-risk", status_override="at-risk")
    # Key results without a measure take no value, but a check-in is still due
    unmeasured = obj("unmeasured", krs=[kr(f"k{i}", "Something", "none", i) for i in range(3)])
    ds = only(run(old, future, reviewed, done, dropped, at_risk, unmeasured), "stale-checkin")
    assert [d.path for d in ds] == ["okrs/at-risk.md", "okrs/unmeasured.md"]


def test_stale_checkin_ignores_checkins_dated_after_today():
    # The only check-in is in the future (an error of its own): none has happened yet.
    o = _with_checkins("o", dt.date(2026, 12, 1))
    [d] = only(run(o), "stale-checkin")
    assert d.message.startswith("no check-in yet, and 2026-Q4 started 52 days ago")
    assert [x.rule for x in run(o) if x.severity is Severity.ERROR] == ["date-future"]


def test_messages_fall_back_to_the_file_location():
    o = obj("a", owner="nobody", statement="Reach 40% share", krs=1, locs=False)
    diags = run(o)
    assert {where(d) for d in diags} == {("okrs/a.md", 1, 1)}
    assert {d.rule for d in diags} == {"owner-unknown", "objective-numeric", "kr-count", "stale-checkin"}


def test_output_is_sorted_and_repeatable():
    objectives = [obj(f"o{i}", owner="nobody", parent=f"o{(i + 1) % 4}", krs=2) for i in range(4)]
    first = run(*objectives)
    assert first == run(*reversed(objectives))
    assert first == sorted(first, key=lambda d: d.sort_key())


# =============================================================================================
# Real files: each rule as a user meets it, with its line and column.
# =============================================================================================

ORG_YML = """\
units:
  - id: acme
    name: Acme Inc.
  - id: marketing
    parent: acme
  - id: platform
    parent: acme
  - id: design
    parent: acme
"""

# Three measured key results with a recent check-in: no quality warning of their own.
GOOD_KRS = """\
key_results:
  - title: Cut checkout p95 latency
    start: 800
    target: 200
    checkins:
      - {date: 2026-11-20, value: 500}
  - title: Raise conversion
    start: 2
    target: 3
  - title: Serve every page from the edge
    done: false
"""


def good(owner: str = "acme", period: str = "2026-Q4", extra: str = "", objective: str = "Make checkout feel instant") -> str:
    return f"---\nobjective: {objective}\nowner: {owner}\nperiod: {period}\n{extra}{GOOD_KRS}---\nBody.\n"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """Write ``{relative path: text}`` below tmp_path/okrs and load it; returns the diagnostics."""
    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")

    def load(files: dict[str, str], *, org: bool = True, today: dt.date = TODAY):
        root = tmp_path / "okrs"
        root.mkdir(exist_ok=True)
        if org:
            (root / "org.yml").write_text(ORG_YML, encoding="utf-8")
        else:
            (root / "org.yml").unlink(missing_ok=True)
        for rel, text in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        okrs = load_okrs(root, Settings(today=today), display_base=tmp_path)
        return okrs.diagnostics

    return load


def located(diags, *rules):
    """(rule, path, line, col) of the diagnostics of ``rules`` (all when none given)."""
    return [(d.rule, d.path, d.line, d.col) for d in diags if not rules or d.rule in rules]


def test_file_baseline_is_clean(tree):
    assert located(tree({"2026-Q4/acme/top.md": good()})) == []


def test_file_owner_and_contributor_unknown(tree):
    diags = tree({
        "2026-Q4/acme/top.md": good(),
        "2026-Q4/x/a.md": (
            "---\n"
            "objective: Make checkout feel instant\n"
            "owner: markting\n"  # line 3
            "period: 2026-Q4\n"
            "parent: 2026-Q4/acme/top\n"
            "contributors:\n"
            "  - design\n"
            "  - desgn\n"  # line 8, item at column 5
            + GOOD_KRS + "---\n"
        ),
        "2026-Q4/x/b.md": good(owner="platform", extra="parent: 2026-Q4/acme/top\ncontributors: [design, nobody]\n"),
    })
    assert located(diags) == [
        ("owner-unknown", "okrs/2026-Q4/x/a.md", 3, 1),
        ("contributor-unknown", "okrs/2026-Q4/x/a.md", 8, 5),
        # "contributors: [design, nobody]" on line 6: 'nobody' starts at column 24
        ("contributor-unknown", "okrs/2026-Q4/x/b.md", 6, 24),
    ]
    assert [d.severity for d in diags] == [Severity.ERROR] * 3
    assert diags[0].message == "owner 'markting' is not a unit in okrs/org.yml; did you mean 'marketing'?"
    assert diags[1].message == "contributor 'desgn' is not a unit in okrs/org.yml; did you mean 'design'?"
    assert diags[2].format_text() == (
        "okrs/2026-Q4/x/b.md:6:24: error: contributor 'nobody' is not a unit in okrs/org.yml; add it"
        " to okrs/org.yml or use a known unit (acme, design, marketing, platform) [contributor-unknown]"
    )


def test_file_parent_unknown_and_parent_kr_unknown(tree):
    diags = tree({
        "2026-Q4/acme/top.md": good(),
        "2026-Q4/marketing/a.md": good(owner="marketing", extra="parent: 2026-Q4/acme/tpo\n"),
        "2026-Q4/marketing/b.md": good(owner="marketing", extra="  # aligned to a KR\nparent: 2026-Q4/acme/top#k1\n"),
    })
    assert located(diags) == [
        ("parent-unknown", "okrs/2026-Q4/marketing/a.md", 5, 1),
        ("parent-kr-unknown", "okrs/2026-Q4/marketing/b.md", 6, 1),
    ]
    assert diags[0].message == "parent objective '2026-Q4/acme/tpo' does not exist; did you mean '2026-Q4/acme/top'?"
    assert diags[1].message == (
        "parent objective '2026-Q4/acme/top' has no key result 'k1'; did you mean 'kr1'?;"
        " its key results are kr1, kr2, kr3"
    )


def test_file_parent_cycle(tree):
    diags = tree({
        "2026-Q4/acme/top.md": good(),
        "2026-Q4/marketing/a.md": good(owner="marketing", extra="parent: 2026-Q4/platform/b\n"),
        "2026-Q4/platform/b.md": good(owner="platform", extra="parent: 2026-Q4/marketing/a\n"),
        "2026-Q4/design/self.md": good(owner="design", extra="commitment: committed\nparent:   2026-Q4/design/self\n"),
    })
    assert located(diags) == [
        ("parent-cycle", "okrs/2026-Q4/design/self.md", 6, 1),
        ("parent-cycle", "okrs/2026-Q4/marketing/a.md", 5, 1),
        ("parent-cycle", "okrs/2026-Q4/platform/b.md", 5, 1),
    ]
    assert [d.message for d in diags] == [
        "objective is its own parent: 2026-Q4/design/self → 2026-Q4/design/self; remove 'parent' or name another objective",
        "objective is its own ancestor: 2026-Q4/marketing/a → 2026-Q4/platform/b → 2026-Q4/marketing/a;"
        " change 'parent' in one of these 2 objectives to break the cycle",
        "objective is its own ancestor: 2026-Q4/platform/b → 2026-Q4/marketing/a → 2026-Q4/platform/b;"
        " change 'parent' in one of these 2 objectives to break the cycle",
    ]


def test_file_key_result_rules(tree):
    text = (
        "---\n"
        "objective: Make checkout feel instant\n"
        "owner: acme\n"
        "period: 2026-Q4\n"
        "key_results:\n"  # line 5
        "  - title: Cut checkout p95 latency\n"
        "    start: 800\n"
        "    target: 200\n"
        "    checkins: [{date: 2026-11-20, value: 500}]\n"
        "  - Publish the latency budget\n"  # line 10: no measure
        "  - id: edge\n"  # line 11: milestone, output verb in its title on line 12
        "    title: Shipped the edge cache\n"
        "  - Launching the new checkout\n"  # line 13: no measure and an output
        "    \n"
        "  - title: Launch a faster checkout\n"  # line 15: has a metric, so no kr-output
        "    start: 1\n"
        "    target: 2\n"
        "  - {title: Write the runbook, done: true}\n"  # line 18, title key at column 6
        "---\n"
    )
    text = text.replace("    title: Shipped the edge cache\n", "    title: Shipped the edge cache\n    done: false\n")
    diags = tree({"2026-Q4/acme/top.md": text})
    assert located(diags) == [
        ("kr-count", "okrs/2026-Q4/acme/top.md", 5, 1),
        ("kr-no-measure", "okrs/2026-Q4/acme/top.md", 10, 5),
        ("kr-output", "okrs/2026-Q4/acme/top.md", 12, 5),
        ("kr-no-measure", "okrs/2026-Q4/acme/top.md", 14, 5),
        ("kr-output", "okrs/2026-Q4/acme/top.md", 14, 5),
        ("kr-output", "okrs/2026-Q4/acme/top.md", 19, 6),
    ]
    assert all(d.severity is Severity.WARNING for d in diags)
    messages = {(d.rule, d.line): d.message for d in diags}
    assert messages[("kr-count", 5)] == (
        "objective has 6 key results; 3 to 5 keep it focused: keep the ones that matter most or split the objective"
    )
    assert messages[("kr-no-measure", 10)] == (
        "key result 'kr2' ('Publish the latency budget') has no measure; give it 'start' and 'target'"
        " (a metric) or 'done: false' (a milestone)"
    )
    assert messages[("kr-output", 12)] == (
        "key result 'edge' ('Shipped the edge cache') describes an output ('Shipped') and has no metric;"
        " name the outcome it should change and measure it with 'start' and 'target'"
    )


@pytest.mark.parametrize(
    ("kr", "error"),
    [
        ("{title: Buyers, target: 1800}", "kr-metric-incomplete"),
        ("{title: Buyers, start: 1800, target: 1800}", "kr-target-equals-start"),
        ("{title: Buyers, start: 1, target: 2, done: false}", "kr-metric-incomplete"),
        ("{title: Buyers, start: many, target: 2}", "field-type"),
        ("{title: Buyers, done: maybe}", "field-type"),
    ],
)
def test_file_broken_measure_is_one_error_without_kr_no_measure(tree, kr, error):
    text = good().replace("key_results:\n", f"key_results:\n  - {kr}\n", 1)
    diags = tree({"2026-Q4/acme/top.md": text})
    assert [(rule, line) for rule, _, line, _ in located(diags)] == [(error, 6)]


def test_file_kr_count_counts_the_key_results_as_written(tree):
    three = (
        "---\nobjective: Make checkout feel instant\nowner: acme\nperiod: 2026-Q4\nkey_results:\n"
        "  - {id: a, title: One, start: 0, target: 1, checkins: [{date: 2026-11-20, value: 0}]}\n"
        "  - {id: a, title: Two, start: 0, target: 1}\n"
        "  - 42\n"
        "---\n"
    )
    assert [r for r, *_ in located(tree({"2026-Q4/acme/top.md": three}))] == ["kr-id-duplicate", "field-type"]


def test_file_too_few_key_results(tree):
    text = "---\nobjective: Make checkout feel instant\nowner: acme\nperiod: 2026-Q4\nkey_results:\n  - {title: Cut p95, start: 800, target: 200, checkins: [{date: 2026-11-20, value: 500}]}\n---\n"
    assert located(tree({"2026-Q4/acme/top.md": text})) == [("kr-count", "okrs/2026-Q4/acme/top.md", 5, 1)]


def test_file_objective_count(tree):
    files = {f"2026-Q4/marketing/o{i}.md": good(owner="marketing", extra="parent: 2026-Q4/acme/top\n") for i in range(6)}
    files["2026-Q4/acme/top.md"] = good()
    files["2027-Q1/marketing/next.md"] = good(owner="marketing", period="2027-Q1")
    diags = tree(files)
    assert located(diags, "objective-count") == [
        ("objective-count", f"okrs/2026-Q4/marketing/o{i}.md", 3, 1) for i in range(6)
    ]
    assert diags[0].message == (
        "owner 'marketing' has 6 objectives in 2026-Q4 (at most 5 keep a team focused):"
        " 2026-Q4/marketing/o0, 2026-Q4/marketing/o1, 2026-Q4/marketing/o2, 2026-Q4/marketing/o3,"
        " 2026-Q4/marketing/o4, 2026-Q4/marketing/o5; drop, merge or postpone some"
    )


def test_file_objective_numeric(tree):
    text = "---\nowner: acme\nperiod: 2026-Q4\n\nobjective: Grow online revenue to $2M\n" + GOOD_KRS + "---\n"
    diags = tree({"2026-Q4/acme/top.md": text, "2026-Q4/acme/ok.md": good(objective="Be GDPR compliant by 2027")})
    assert located(diags) == [("objective-numeric", "okrs/2026-Q4/acme/top.md", 5, 1)]
    assert diags[0].message == (
        "objective statement holds a numeric target ('$2M'); keep the objective qualitative and move"
        " the number into a key result"
    )


def test_file_period_outside_parent(tree):
    diags = tree({
        "2026-H2/acme/top.md": good(period="2026-H2"),
        "2027-Q1/marketing/a.md": good(owner="marketing", period="2027-Q1", extra="parent: 2026-H2/acme/top\n"),
        "2026-Q4/marketing/b.md": good(owner="marketing", extra="parent: 2026-H2/acme/top\n"),
    }, today=dt.date(2026, 11, 22))
    assert located(diags, "period-outside-parent") == [("period-outside-parent", "okrs/2027-Q1/marketing/a.md", 4, 1)]
    assert diags[0].message == (
        "period 2027-Q1 (2027-01-01 to 2027-03-31) lies outside the period 2026-H2 (2026-07-01 to"
        " 2026-12-31) of parent '2026-H2/acme/top'; change the period or align to an objective whose"
        " period contains 2027-Q1"
    )


def test_file_orphan_objective(tree):
    diags = tree({
        "2026/acme/top.md": good(period="2026"),
        "2026-Q4/marketing/orphan.md": good(owner="marketing"),
        "2026-Q4/marketing/secret.md": good(owner="marketing", extra="visibility: private\n"),
    })
    assert located(diags) == [("orphan-objective", "okrs/2026-Q4/marketing/orphan.md", 3, 1)]
    assert diags[0].message == (
        "objective has no parent, and its owner 'marketing' is not a top unit (it belongs to 'acme');"
        " add 'parent:' to align it with an objective above it, for example '2026/acme/top' of 'acme'"
    )
    # Without org.yml every owner is a top unit.
    assert located(tree({"2026-Q4/marketing/orphan.md": good(owner="marketing")}, org=False)) == []


def test_file_stale_checkin(tree, tmp_path):
    never = good(extra="commitment: committed\n").replace("    checkins:\n      - {date: 2026-11-20, value: 500}\n", "")
    old = good().replace("2026-11-20", "2026-10-12")
    review = good(period="2026-Q3", extra="review_until: 2026-12-31\n").replace("2026-11-20", "2026-09-30")
    diags = tree({
        "2026-Q4/acme/never.md": never,
        "2026-Q4/acme/old.md": old,
        "2026-Q3/acme/review.md": review,
        "2026-Q4/acme/fresh.md": good(),
    })
    # Located at the key_results key: line 6 after the extra line, else 5.
    assert located(diags) == [
        ("stale-checkin", "okrs/2026-Q4/acme/never.md", 6, 1),
        ("stale-checkin", "okrs/2026-Q4/acme/old.md", 5, 1),
    ]
    assert diags[0].message == (
        "no check-in yet, and 2026-Q4 started 52 days ago on 2026-10-01 (today is 2026-11-22); check in"
        " at least every 21 days: add a check-in with the current value to each key result"
    )
    assert diags[1].message == (
        "no check-in for 41 days (the last is from 2026-10-12, today is 2026-11-22); check in at least"
        " every 21 days while 2026-Q4 runs: add a check-in with the current value to each key result"
    )


def test_file_rules_can_be_switched_off_and_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")
    root = tmp_path / "okrs"
    (root / "2026-Q4").mkdir(parents=True)
    (root / "2026-Q4" / "a.md").write_text(good(objective="Reach 40% market share"), encoding="utf-8")
    settings = Settings(today=TODAY, rules={"objective-numeric": "error"})
    [d] = load_okrs(root, settings, display_base=tmp_path).diagnostics
    assert (d.rule, d.severity, d.line) == ("objective-numeric", Severity.ERROR, 2)
    settings = Settings(today=TODAY, rules={"objective-numeric": "off"})
    assert load_okrs(root, settings, display_base=tmp_path).diagnostics == []


# =============================================================================================
# Over time: dates after today, check-ins outside the period, carried_from, activity counts
# =============================================================================================


@pytest.mark.parametrize(
    ("title", "found"),
    [
        ("Bugs fixed", "Bugs fixed"),
        ("Features shipped per quarter", "Features shipped"),
        ("Blog posts written", "Blog posts written"),
        ("Support tickets closed", "Support tickets closed"),
        ("Customer meetings held", "meetings held"),
        ("Articles published on the blog", "Articles published"),
        ("Number of sales calls made", "sales calls made"),
        ("Lines of code written", "Lines of code written"),
        ("Story points completed", "Story points completed"),
        ("Hours worked on onboarding", "Hours worked"),
        ("Fix 50 bugs", "Fix 50 bugs"),
        ("Publish 12 blog posts", "Publish 12 blog posts"),
        ("Run 10 A/B tests", "Run 10 A/B tests"),
        ("Hold 4 customer workshops", "Hold 4 customer workshops"),
        ("Send 10k emails", "Send 10k emails"),
        # results, not activities
        ("Bugs reported by customers", None),
        ("Support tickets per 1,000 orders", None),
        ("Weekly active buyers", None),
        ("Checkout p95 latency", None),
        ("Make checkout pages load in a second", None),  # no count after the verb
        ("Run experiments", None),
        # shares and speeds are service levels, not counts
        ("Share of tickets closed on first contact", None),
        ("Bugs fixed within the SLA", None),
        ("Close 90% of tickets", None),
        ("Time to first bug fixed", None),
        ("Readers of posts published this year", "posts published"),
    ],
)
def test_activity_count(title, found):
    assert activity_count(title) == found


def test_kr_activity_only_for_metrics():
    o = obj(
        "a",
        krs=[
            kr("kr1", "Bugs fixed", "metric", 0),
            kr("kr2", "Bugs fixed", "milestone", 1, done=False),
            kr("kr3", "Weekly active buyers", "metric", 2),
        ],
    )
    [d] = only(run(o), "kr-activity")
    assert where(d) == ("okrs/a.md", 10, 12)
    assert d.severity is Severity.WARNING
    assert d.message == (
        "key result 'kr1' ('Bugs fixed') counts activities ('Bugs fixed') rather than results;"
        " measure what the work should change (fewer incidents, more returning customers) and keep"
        " the activity as an initiative in the body"
    )


def test_date_future_for_checkins_and_done_on():
    m = dataclasses.replace(kr("kr2", "Edge cache everywhere", "milestone", 1, done=True), done_on=dt.date(2026, 11, 23))
    o = obj("a", krs=[kr("kr1", index=0, checkins=(dt.date(2026, 11, 22), dt.date(2026, 11, 23))), m, kr("kr3", index=2)])
    ds = only(run(o), "date-future")
    assert [d.message for d in ds] == [
        "check-in date 2026-11-23 is after today (2026-11-22); a check-in records a value already"
        " measured: correct the date, or add the check-in on that day",
        "done_on 2026-11-23 is after today (2026-11-22); a milestone is done on the day it is done:"
        " correct the date, or set done: true and done_on once it is",
    ]
    assert {d.severity for d in ds} == {Severity.ERROR}
    # today itself is fine
    assert only(run(o, today=dt.date(2026, 11, 23)), "date-future") == []


def test_checkin_outside_period():
    o = _with_checkins("o", dt.date(2026, 9, 30), dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1))
    ds = only(run(o, today=dt.date(2027, 1, 5)), "checkin-outside-period")
    assert [d.message for d in ds] == [
        "check-in date 2026-09-30 is before period 2026-Q4 (2026-10-01 to 2026-12-31); the value at the"
        " start belongs in 'start': correct the date or remove the check-in",
        "check-in date 2027-01-01 is after period 2026-Q4 (2026-10-01 to 2026-12-31); set review_until"
        " to keep measuring after the period, or check in on the objective of the current period",
    ]
    assert {d.severity for d in ds} == {Severity.WARNING}
    reviewed = _with_checkins("r", dt.date(2027, 1, 31), dt.date(2027, 2, 1), review_until=dt.date(2027, 1, 31))
    [d] = only(run(reviewed, today=dt.date(2027, 2, 5)), "checkin-outside-period")
    assert d.message == (
        "check-in date 2027-02-01 is after review_until 2027-01-31 (period 2026-Q4 ended 2026-12-31);"
        " extend review_until, or check in on the objective of the current period"
    )


def test_a_checkin_after_today_is_date_future_only():
    o = _with_checkins("o", dt.date(2027, 2, 1))
    assert [d.rule for d in run(o) if d.rule in ("date-future", "checkin-outside-period")] == ["date-future"]


def test_carried_from():
    q3 = obj("2026-Q3/acme/grow", period="2026-Q3")
    h2 = obj("2026-H2/acme/grow", period="2026-H2")
    good_one = obj("2026-Q4/acme/ok", carried_from="2026-Q3/acme/grow")
    typo = obj("2026-Q4/acme/typo", carried_from="2026-Q3/acme/grwo")
    overlap = obj("2026-Q4/acme/overlap", carried_from="2026-H2/acme/grow")
    self_ = obj("2026-Q4/acme/self", carried_from="2026-Q4/acme/self")
    later = obj("2026-Q4/acme/later", carried_from="2027-Q1/acme/next")
    nxt = obj("2027-Q1/acme/next", period="2027-Q1")
    unloaded = obj("2026-Q4/acme/broken-source", carried_from="2026-Q3/acme/broken")
    diags = run(q3, h2, good_one, typo, overlap, self_, later, nxt, unloaded, unloaded=["2026-Q3/acme/broken"])
    ds = [d for d in diags if d.rule.startswith("carried-from")]
    assert [(d.rule, d.path) for d in ds] == [
        ("carried-from-period", "okrs/2026-Q4/acme/later.md"),
        ("carried-from-period", "okrs/2026-Q4/acme/overlap.md"),
        ("carried-from-period", "okrs/2026-Q4/acme/self.md"),
        ("carried-from-unknown", "okrs/2026-Q4/acme/typo.md"),
    ]
    msgs = {d.path: d.message for d in ds}
    assert msgs["okrs/2026-Q4/acme/typo.md"] == (
        "carried_from objective '2026-Q3/acme/grwo' does not exist; did you mean '2026-Q3/acme/grow'?"
    )
    assert msgs["okrs/2026-Q4/acme/overlap.md"] == (
        "carried_from '2026-H2/acme/grow' has period 2026-H2 (2026-07-01 to 2026-12-31), which does not"
        " end before this objective's period 2026-Q4 (2026-10-01 to 2026-12-31) starts; carry over from"
        " an objective of an earlier period (use 'parent' to align with one of the same period)"
    )
    assert msgs["okrs/2026-Q4/acme/self.md"] == (
        "carried_from names this objective itself; name the objective of an earlier period that this one continues"
    )
    assert {d.severity for d in ds} == {Severity.ERROR}


# --- the same rules in real files -----------------------------------------------------------------


def test_file_dates_after_today_and_outside_the_period(tree):
    text = (
        "---\n"
        "objective: Make checkout feel instant\n"
        "owner: acme\n"
        "period: 2026-Q4\n"
        "key_results:\n"
        "  - title: Cut checkout p95 latency\n"
        "    start: 800\n"
        "    target: 200\n"
        "    checkins:\n"
        "      - {date: 2026-09-28, value: 790}\n"  # line 10: before the period
        "      - {date: 2026-11-20, value: 500}\n"
        "      - date: 2026-11-29\n"  # line 12: after today (2026-11-22)
        "        value: 450\n"
        "  - title: Raise conversion\n"
        "    start: 2\n"
        "    target: 3\n"
        "  - title: Serve every page from the edge\n"
        "    done: true\n"
        "    done_on: 2026-12-01\n"  # line 19: after today
        "---\n"
    )
    diags = tree({"2026-Q4/acme/top.md": text})
    assert located(diags) == [
        ("checkin-outside-period", "okrs/2026-Q4/acme/top.md", 10, 9),
        ("date-future", "okrs/2026-Q4/acme/top.md", 12, 9),
        ("date-future", "okrs/2026-Q4/acme/top.md", 19, 5),
    ]
    assert diags[1].format_text() == (
        "okrs/2026-Q4/acme/top.md:12:9: error: check-in date 2026-11-29 is after today (2026-11-22);"
        " a check-in records a value already measured: correct the date, or add the check-in on that"
        " day [date-future]"
    )


def test_file_checkin_after_review_until(tree):
    review = good(period="2026-Q3", extra="review_until: 2026-10-31\n").replace(
        "      - {date: 2026-11-20, value: 500}\n",
        "      - {date: 2026-10-31, value: 520}\n      - {date: 2026-11-02, value: 500}\n",
    )
    diags = tree({"2026-Q3/acme/grow.md": review})
    # line 5 review_until, 6 key_results, ..., 11 and 12 the check-ins
    assert located(diags) == [("checkin-outside-period", "okrs/2026-Q3/acme/grow.md", 12, 9)]
    assert diags[0].severity is Severity.WARNING


def test_file_carried_from(tree):
    diags = tree({
        "2026-Q3/acme/grow.md": good(period="2026-Q3").replace("2026-11-20", "2026-09-20"),
        "2026-Q4/acme/grow.md": good(extra="carried_from: 2026-Q3/acme/grow\n"),
        "2026-Q4/acme/typo.md": good(extra="carried_from: 2026-q3/acme/grow\n"),
        "2026-Q4/acme/same.md": good(extra="\ncarried_from: 2026-Q4/acme/grow\n"),
    })
    assert located(diags) == [
        ("carried-from-period", "okrs/2026-Q4/acme/same.md", 6, 1),
        ("carried-from-unknown", "okrs/2026-Q4/acme/typo.md", 5, 1),
    ]
    assert diags[1].message == (
        "carried_from objective '2026-q3/acme/grow' does not exist; did you mean '2026-Q3/acme/grow'?"
    )


def test_file_kr_activity(tree):
    text = good().replace("  - title: Raise conversion\n", "  - title: Blog posts published\n")
    diags = tree({"2026-Q4/acme/top.md": text})
    assert located(diags) == [("kr-activity", "okrs/2026-Q4/acme/top.md", 11, 5)]
    assert diags[0].format_text() == (
        "okrs/2026-Q4/acme/top.md:11:5: warning: key result 'kr2' ('Blog posts published') counts"
        " activities ('Blog posts published') rather than results; measure what the work should change"
        " (fewer incidents, more returning customers) and keep the activity as an initiative in the body"
        " [kr-activity]"
    )
