"""Page planning and template contexts, from real OKR files (no MkDocs involved)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mkdocs_okrs.core.loader import load_okrs
from mkdocs_okrs.core.model import Settings
from mkdocs_okrs.core.publish import public_view
from mkdocs_okrs.site import context as cx
from mkdocs_okrs.site import plan as pl
from mkdocs_okrs.site.render import make_environment, render_page
from test_plugin_support import ORG, objective_file, standard_okrs, write_site


def load(root: Path, today: str = "2026-11-22"):
    okrs = load_okrs(root / "okrs", Settings(today=dt.date.fromisoformat(today)), display_base=root)
    assert okrs.ok, [d.format_text() for d in okrs.diagnostics]
    return public_view(okrs)


@pytest.fixture()
def view(tmp_path: Path):
    write_site(tmp_path)
    return load(tmp_path)


def make_index(view, use_directory_urls: bool = True, prefix: str = "okrs"):
    plan = pl.plan_site(view, prefix)
    return cx.build_index(view, plan, plan.urls(use_directory_urls))


def test_plan_has_every_page_and_no_private_one(view) -> None:
    plan = pl.plan_site(view, "okrs")
    kinds = sorted({p.kind for p in plan.pages.values()})
    assert kinds == ["changes", "dashboard", "objective", "period", "review", "tag", "tags", "unit", "units"]
    # A review for the period that has ended (2026-Q3), none for the running one.
    assert "review:2026-Q3" in plan.pages and "review:2026-Q4" not in plan.pages
    assert "objective:2026-Q4/acme/zeppelin-quokka" not in plan.pages
    assert len(plan.by_src) == len(plan.pages)  # no two pages share a source path
    assert [p.ref for p in plan.nav_periods()] == ["2026-Q4", "2026-Q3"]
    assert [u.id for u in plan.units] == ["acme", "sales", "web"]  # tree order
    in_nav = {p.key for p in plan.pages.values() if p.in_nav}
    assert in_nav == {"dashboard", "changes", "units", "tags", "period:2026-Q3", "period:2026-Q4"}
    # The tags of public objectives only, A to Z, each a page out of the navigation.
    assert [p.ref for p in plan.pages.values() if p.kind == "tag"] == ["brand", "growth"]


def test_dashboard_context(view) -> None:
    ctx = cx.dashboard_context(make_index(view))
    cur = ctx["current"]
    assert cur["period"]["id"] == "2026-Q4" and cur["contains_today"]
    assert cur["count"] == 4
    assert sum(s["count"] for s in cur["statuses"]) == 4
    assert [s["status"] for s in cur["statuses"]][:3] == ["on-track", "at-risk", "off-track"]
    # The org tree: every unit with its depth, lead and own objectives of the period.
    tree = [(r["unit"]["id"], r["depth"], r["count"]) for r in cur["units"]]
    assert [(u, d, c) for u, d, c in tree] == [("acme", 0, 1), ("sales", 1, 1), ("web", 2, 2)]
    assert all(s["url"].startswith("periods/2026-Q4/?status=") for s in cur["statuses"])
    assert [p["id"] for p in ctx["periods"]] == ["2026-Q4", "2026-Q3"]
    assert ctx["periods"][0]["url"] == "periods/2026-Q4/"
    assert ctx["links"]["json"] == "../okrs.json"


def test_dashboard_lists_off_track_then_at_risk(tmp_path: Path) -> None:
    files = {
        "2026-Q4/acme/z-slow.md": objective_file("Be the slow one", "acme", "2026-Q4", status="off-track"),
        "2026-Q4/acme/b-risky.md": objective_file("Be the risky one", "acme", "2026-Q4", status="at-risk"),
        "2026-Q4/acme/c-fine.md": objective_file("Be the fine one", "acme", "2026-Q4", status="on-track"),
    }
    write_site(tmp_path, files)
    ctx = cx.dashboard_context(make_index(load(tmp_path)))
    assert [(o["id"], o["status"]) for o in ctx["current"]["attention"]] == [
        ("2026-Q4/acme/z-slow", "off-track"),
        ("2026-Q4/acme/b-risky", "at-risk"),
    ]


def test_current_period_falls_back_to_latest(tmp_path: Path) -> None:
    write_site(tmp_path)
    ctx = cx.dashboard_context(make_index(load(tmp_path, today="2027-03-01")))
    assert ctx["current"]["period"]["id"] == "2026-Q4"
    assert not ctx["current"]["contains_today"]


def test_period_tree_roots_and_depths(view) -> None:
    ctx = cx.period_context(make_index(view), "2026-Q4")
    rows = [(r["id"], r["depth"], r["parent_private"]) for r in ctx["tree"]]
    assert rows == [
        ("2026-Q4/acme/grow", 0, False),
        ("2026-Q4/sales/more-leads", 1, False),
        ("2026-Q4/web/fast-site", 2, False),
        ("2026-Q4/web/under-private", 0, True),
    ]
    assert ctx["tree"][1]["parent_kr"] == "k1"


def test_period_tree_root_aligned_to_other_period(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/web/follow-up.md"] = objective_file(
        "Carry the friendly service online", "web", "2026-Q4", parent="2026-Q3/acme/earlier"
    )
    write_site(tmp_path, files)
    ctx = cx.period_context(make_index(load(tmp_path)), "2026-Q4")
    row = next(r for r in ctx["tree"] if r["id"] == "2026-Q4/web/follow-up")
    assert row["depth"] == 0
    assert row["aligns_elsewhere"]["id"] == "2026-Q3/acme/earlier"
    assert row["aligns_elsewhere"]["url"] == "../../objectives/2026-Q3/acme/earlier/"


def test_deep_chain_does_not_recurse(tmp_path: Path) -> None:
    files = {"2026-Q4/acme/o0.md": objective_file("Level zero", "acme", "2026-Q4")}
    for i in range(1, 400):
        files[f"2026-Q4/acme/o{i}.md"] = objective_file(
            f"Level {i}", "acme", "2026-Q4", parent=f"2026-Q4/acme/o{i - 1}"
        )
    write_site(tmp_path, files)
    okrs = load_okrs(tmp_path / "okrs", Settings(today=dt.date(2026, 11, 22)), display_base=tmp_path)
    view = public_view(okrs)
    index = make_index(view)
    ctx = cx.period_context(index, "2026-Q4")
    assert max(r["depth"] for r in ctx["tree"]) == 399
    html = render_page(make_environment(), "period", ctx)
    assert html.count('data-okr-depth="') == 400


def test_unit_context(view) -> None:
    ctx = cx.unit_context(make_index(view), "sales")
    u = ctx["unit"]
    assert u["lead"] == "Sam Seller"
    assert u["parent"]["id"] == "acme" and u["parent"]["url"] == "../acme/"
    assert [c["id"] for c in u["children"]] == ["web"]
    assert [a["id"] for a in u["ancestors"]] == ["acme"]
    acme = cx.unit_context(make_index(view), "acme")
    assert [g["period"]["id"] for g in acme["groups"]] == ["2026-Q4", "2026-Q3"]
    assert [h["period"]["id"] for h in acme["history"]] == ["2026-Q4", "2026-Q3"]
    # A grade (of the average score) for the period that has ended; none while one runs.
    assert [h["grade"] in ("red", "yellow", "green") for h in acme["history"]] == [False, True]
    # acme's private objective is not among its objectives
    assert [o["id"] for g in acme["groups"] for o in g["objectives"]] == [
        "2026-Q4/acme/grow",
        "2026-Q3/acme/earlier",
    ]
    web = cx.unit_context(make_index(view), "web")
    assert [o["id"] for o in web["contributions"]] == ["2026-Q4/sales/more-leads"]


def test_objective_context(view) -> None:
    index = make_index(view)
    ctx = cx.objective_context(index, "2026-Q4/web/fast-site")
    assert [a["id"] for a in ctx["chain"]] == ["2026-Q4/acme/grow", "2026-Q4/sales/more-leads"]
    assert not ctx["chain_private"]
    assert ctx["objective"]["owner"]["url"] == "../../../../units/web/"
    kr = ctx["key_results"][0]
    assert (kr["start"], kr["target"], kr["current"], kr["unit"]) == ("0", "100", "20", "points")
    assert [c["date"] for c in ctx["checkins"]][:3] == ["2026-11-15"] * 3
    child = cx.objective_context(index, "2026-Q4/sales/more-leads")
    assert child["parent_kr"]["url"] == "../../acme/grow/#okr-kr-k1"
    assert [c["id"] for c in child["children"]] == ["2026-Q4/web/fast-site"]
    assert child["objective"]["contributors"][0]["id"] == "web"
    top = cx.objective_context(index, "2026-Q4/acme/grow")
    assert top["children"][0]["parent_kr_title"] == "Reach the measured level 1"


def test_private_parent_is_only_mentioned(view) -> None:
    ctx = cx.objective_context(make_index(view), "2026-Q4/web/under-private")
    assert ctx["chain"] == [] and ctx["chain_private"]
    html = render_page(make_environment(), "objective", ctx)
    assert "aligns to a private objective" in html
    assert "zeppelin" not in html.lower()


def test_links_in_non_directory_mode(view) -> None:
    index = make_index(view, use_directory_urls=False)
    ctx = cx.objective_context(index, "2026-Q4/web/fast-site")
    assert ctx["objective"]["owner"]["url"] == "../../../units/web.html"
    assert ctx["links"]["dashboard"] == "../../../index.html"


def test_units_without_org_are_public_owners_only(tmp_path: Path) -> None:
    files = {
        "2026-Q4/a.md": objective_file("Serve hikers well", "Dana's team / Growth", "2026-Q4"),
        "2026-Q4/b.md": objective_file("Quietly build the thing", "Secret Skunkworks", "2026-Q4", visibility="private"),
    }
    write_site(tmp_path, files, org=None)
    okrs = load_okrs(tmp_path / "okrs", Settings(today=dt.date(2026, 11, 22)), display_base=tmp_path)
    view = public_view(okrs)
    plan = pl.plan_site(view, "okrs")
    assert [u.id for u in plan.units] == ["Dana's team / Growth"]
    slug = plan.unit_slugs["Dana's team / Growth"]
    assert slug.startswith("dana-s-team-growth-")
    assert "Skunkworks" not in repr(plan)


def test_templates_escape_contributor_text(tmp_path: Path) -> None:
    files = {
        "2026-Q4/acme/x.md": objective_file(
            '"<img src=x onerror=alert(1)> & </title><script>alert(2)</script>"', "acme", "2026-Q4",
            tags='["<b>tag</b>"]',
        )
    }
    write_site(tmp_path, files, org=ORG.replace("Ada Lovelace", "<script>alert(3)</script>"))
    okrs = load_okrs(tmp_path / "okrs", Settings(today=dt.date(2026, 11, 22)), display_base=tmp_path)
    view = public_view(okrs)
    index = make_index(view)
    env = make_environment()
    pages = [
        render_page(env, "objective", cx.objective_context(index, "2026-Q4/acme/x")),
        render_page(env, "unit", cx.unit_context(index, "acme")),
        render_page(env, "units", cx.units_index_context(index)),
        render_page(env, "dashboard", cx.dashboard_context(index)),
        render_page(env, "period", cx.period_context(index, "2026-Q4")),
    ]
    for html in pages:
        assert "<script>" not in html and "<img" not in html and "<b>tag" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0]


def test_the_changes_window_stops_at_the_first_day_there_is() -> None:
    import datetime as dt

    assert cx.changes_window_start(dt.date(2026, 11, 22), 7) == dt.date(2026, 11, 15)
    assert cx.changes_window_start(dt.date(1, 1, 3), 7) == dt.date(1, 1, 1)
    assert cx.changes_window_start(dt.date(2026, 11, 22), 10**12) == dt.date(1, 1, 1)
