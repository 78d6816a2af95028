"""Real ``mkdocs build`` runs: every page kind, links in both URL modes, okrs.json, errors, options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_plugin_support import (
    TODAY,
    article,
    build_ok,
    generated_pages,
    objective_file,
    parse_page,
    resolve_link,
    run_build,
    standard_okrs,
    write_site,
)

pytestmark = pytest.mark.slow


def check_links(site: Path, pages: list[Path]) -> int:
    """Every relative link on ``pages`` reaches a file of the site, and its #fragment an id there."""
    checked = 0
    ids: dict[Path, set[str]] = {}
    for page in pages:
        for href in parse_page(page).links:
            target, fragment = resolve_link(site, page, href)
            if target is None:
                continue
            assert target.is_file(), f"{page.relative_to(site)}: broken link {href!r} -> {target}"
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse_page(target).ids
                assert fragment in ids[target], f"{page.relative_to(site)}: no #{fragment} in {target}"
            checked += 1
    return checked


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_every_page_kind_and_every_link(tmp_path: Path, use_directory_urls: bool) -> None:
    write_site(tmp_path, config={"use_directory_urls": use_directory_urls}, options={"graphs": True})
    site = build_ok(tmp_path)

    def page(src: str) -> Path:
        stem = src[:-3]
        if stem.endswith("index"):
            return site / (stem + ".html")
        return site / (stem + "/index.html" if use_directory_urls else stem + ".html")

    dashboard = page("okrs/index.md")
    period = page("okrs/periods/2026-Q4.md")
    units = page("okrs/units/index.md")
    unit = page("okrs/units/sales.md")
    objective = page("okrs/objectives/2026-Q4/sales/more-leads.md")
    for p in (dashboard, period, units, unit, objective):
        assert p.is_file(), p
    kinds = {p: re.search(r'data-okr-kind="(\w+)"', p.read_text()).group(1) for p in (dashboard, period, units, unit, objective)}
    assert list(kinds.values()) == ["dashboard", "period", "units", "unit", "objective"]

    pages = generated_pages(site) + [site / "index.html"]
    assert check_links(site, pages) > 100

    obj = article(objective.read_text())
    assert 'data-okr-status="' in obj and 'data-okr-progress="' in obj
    assert "Fill the pipeline with qualified leads" in obj
    assert "Key results" in obj and "Check-ins" in obj and "Alignment" in obj
    assert "Reach the measured level 1" in obj and "Step 2" in obj  # KR title, check-in note
    assert 'data-okr-unit="web"' in obj  # contributor linked
    top = article(page("okrs/objectives/2026-Q4/acme/grow.md").read_text())
    assert "<table>" in top and "Referral programme" in top  # the Markdown body, rendered
    assert 'data-okr-tag="growth"' in top
    assert "<em>word of mouth</em>" in top
    u = article(unit.read_text())
    assert "Sam Seller" in u and 'data-okr-unit="acme"' in u and 'data-okr-unit="web"' in u


def test_titles_toc_and_search(tmp_path: Path) -> None:
    write_site(tmp_path)
    site = build_ok(tmp_path)
    html = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    assert "<title>Become the shop people recommend - Test site</title>" in html
    toc = html[html.index('data-md-component="toc"'):]
    for anchor in ("#okr-body-initiatives", "#okr-key-results", "#okr-trends", "#okr-alignment"):
        assert f'href="{anchor}"' in toc
    index = json.loads((site / "search/search_index.json").read_text())
    locations = {d["location"] for d in index["docs"]}
    assert "okrs/objectives/2026-Q4/acme/grow/" in locations
    assert "okrs/objectives/2026-Q4/acme/grow/#okr-body-initiatives" in locations
    text = " ".join(d["text"] for d in index["docs"])
    assert "Referral programme" in text and "Reach the measured level 1" in text
    sitemap = (site / "sitemap.xml").read_text()
    assert "okrs/objectives/2026-Q4/acme/grow/" in sitemap
    assert f"<lastmod>{TODAY}</lastmod>" in sitemap


def test_okrs_json_matches_the_contract(tmp_path: Path) -> None:
    write_site(tmp_path)
    site = build_ok(tmp_path)
    doc = json.loads((site / "okrs.json").read_text(encoding="utf-8"))
    assert list(doc) == ["schema_version", "today", "periods", "units", "objectives"]
    assert doc["schema_version"] == 2 and doc["today"] == TODAY
    assert [p["id"] for p in doc["periods"]] == ["2026-Q3", "2026-Q4"]
    assert {"id", "start", "end"} <= set(doc["periods"][0])
    assert doc["units"][1] == {
        "id": "sales", "name": "Sales", "parent": "acme", "url": "okrs/units/sales/", "lead": "Sam Seller",
    }
    objs = {o["id"]: o for o in doc["objectives"]}
    assert "2026-Q4/acme/zeppelin-quokka" not in objs
    o = objs["2026-Q4/sales/more-leads"]
    for key in ("id", "objective", "owner", "period", "parent", "parent_kr", "url", "commitment",
                "progress", "expected", "status", "score", "grade", "in_review", "stale", "last_checkin",
                "carried_from", "key_results"):
        assert key in o
    assert o["parent"] == "2026-Q4/acme/grow" and o["parent_kr"] == "k1"
    assert o["url"] == "okrs/objectives/2026-Q4/sales/more-leads/"
    assert (site / o["url"] / "index.html").is_file()
    kr = o["key_results"][0]
    assert {"id", "title", "start", "target", "current", "unit", "weight", "progress", "last_checkin",
            "confidence", "checkins"} <= set(kr)
    assert isinstance(o["progress"], float)
    under = objs["2026-Q4/web/under-private"]
    assert under["parent"] is None and under["parent_private"] is True
    for unit in doc["units"]:
        assert (site / unit["url"] / "index.html").is_file()


def test_errors_stop_the_build_all_listed_and_located(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/bad-period.md"] = objective_file("Be good", "acme", "2026-Q9")
    files["2026-Q4/acme/bad-parent.md"] = objective_file("Be linked", "acme", "2026-Q4", parent="2026-Q4/nope")
    files["2026-Q4/acme/bad-owner.md"] = objective_file("Be owned", "nobody", "2026-Q4")
    write_site(tmp_path, files)
    proc = run_build(tmp_path)
    assert proc.returncode == 1
    err = proc.stderr
    assert "Traceback" not in err
    assert "the OKR sources have 3 errors" in err
    assert re.search(r"okrs/2026-Q4/acme/bad-period\.md:\d+:\d+: error: .*\[period-invalid\]", err)
    assert re.search(r"okrs/2026-Q4/acme/bad-parent\.md:\d+:\d+: error: .*\[parent-unknown\]", err)
    assert re.search(r"okrs/2026-Q4/acme/bad-owner\.md:\d+:\d+: error: .*\[owner-unknown\]", err)
    assert not (tmp_path / "site" / "okrs").exists()


def test_broken_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/broken.md"] = "---\nobjective: [unclosed\n"
    write_site(tmp_path, files)
    (tmp_path / "okrs/2026-Q4/acme/latin1.md").write_bytes(b"---\nobjective: caf\xe9\n---\n")
    proc = run_build(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "okrs/2026-Q4/acme/broken.md:1:1: error:" in proc.stderr
    assert "okrs/2026-Q4/acme/latin1.md:" in proc.stderr and "[file-encoding]" in proc.stderr


def test_warnings_are_logged_and_strict_fails(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/two-krs.md"] = objective_file(
        "Be lean", "acme", "2026-Q4",
        key_results="key_results:\n  - {title: One measure, start: 0, target: 1, checkins: [{date: 2026-11-20, value: 0.5}]}\n"
        "  - {title: Two measure, done: false}",
    )
    write_site(tmp_path, files)
    proc = run_build(tmp_path)
    assert proc.returncode == 0
    assert re.search(r"WARNING\s+-\s+mkdocs_okrs: okrs/2026-Q4/acme/two-krs\.md:\d+:\d+: warning: .*\[kr-count\]", proc.stderr)
    strict = run_build(tmp_path, "--strict")
    assert strict.returncode == 1
    assert "Aborted with 1 warnings in strict mode" in strict.stdout + strict.stderr


def test_rules_option_switches_off_or_raises(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/two-krs.md"] = objective_file(
        "Be lean", "acme", "2026-Q4",
        key_results="key_results:\n  - {title: One measure, start: 0, target: 1, checkins: [{date: 2026-11-20, value: 0.5}]}\n"
        "  - {title: Two measure, done: false}",
    )
    write_site(tmp_path, files, options={"rules": {"kr-count": "off"}})
    assert run_build(tmp_path, "--strict").returncode == 0
    write_site(tmp_path, files, options={"rules": {"kr-count": "error"}})
    proc = run_build(tmp_path)
    assert proc.returncode == 1
    assert re.search(r"two-krs\.md:\d+:\d+: error: .*\[kr-count\]", proc.stderr)


@pytest.mark.parametrize(
    "options,message",
    [
        ({"rules": {"kr-cuont": "off"}}, "did you mean 'kr-count'"),
        ({"rules": {"parent-unknown": "off"}}, "cannot be switched off"),
        ({"rules": {"kr-count": "loud"}}, "off, warning or error"),
        ({"today": "22/11/2026"}, "YYYY-MM-DD"),
        ({"fiscal_year_start": 13}, "1 to 12"),
        ({"fiscal_year_start": True}, "1 to 12"),
        ({"nav_position": "middle"}, "'start', 'end'"),
        ({"url_prefix": "../out"}, "not a usable site folder"),
        ({"renderer": "neato"}, "renderer"),
        ({"graph_timeout": 0}, "positive"),
    ],
)
def test_bad_options_are_config_errors(tmp_path: Path, options: dict, message: str) -> None:
    write_site(tmp_path, options=options)
    proc = run_build(tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "okrs" in proc.stderr and message in proc.stderr


def test_missing_okrs_dir_is_a_located_error(tmp_path: Path) -> None:
    write_site(tmp_path, {}, org=None, options={"okrs_dir": "nowhere"})
    proc = run_build(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "nowhere:1:1: error:" in proc.stderr


def test_options_okrs_dir_org_file_url_prefix_fiscal(tmp_path: Path) -> None:
    files = {
        "FY27-H1/acme/grow.md": objective_file("Grow in the first half", "acme", "2027-H1", status="on-track"),
    }
    write_site(tmp_path, files, org=None, okrs_dir="goals",
               options={"org_file": "company/org.yml", "url_prefix": "company/okrs", "fiscal_year_start": 4})
    (tmp_path / "company").mkdir()
    (tmp_path / "company/org.yml").write_text("units:\n  - id: acme\n    name: Acme Inc.\n")
    site = build_ok(tmp_path)
    assert (site / "company/okrs/index.html").is_file()
    assert (site / "company/okrs/objectives/FY27-H1/acme/grow/index.html").is_file()
    doc = json.loads((site / "okrs.json").read_text())
    # With the fiscal year starting in April, 2027-H1 is April to September 2026.
    assert doc["periods"] == [{"id": "2027-H1", "start": "2026-04-01", "end": "2026-09-30",
                               "url": "company/okrs/periods/2027-H1/"}]
    assert doc["units"][0]["name"] == "Acme Inc."


def test_today_from_source_date_epoch(tmp_path: Path) -> None:
    write_site(tmp_path, options={"today": None})
    site = build_ok(tmp_path, env={"SOURCE_DATE_EPOCH": "1795262400"})  # 2026-11-21, 12:00 UTC
    assert json.loads((site / "okrs.json").read_text())["today"] == "2026-11-21"


def test_no_org_yml_free_text_owners(tmp_path: Path) -> None:
    files = {"2026-Q4/a.md": objective_file("Serve hikers well", "Dana's team / Growth", "2026-Q4")}
    write_site(tmp_path, files, org=None)
    site = build_ok(tmp_path)
    doc = json.loads((site / "okrs.json").read_text())
    url = doc["units"][0]["url"]
    assert url.startswith("okrs/units/dana-s-team-growth-") and (site / url / "index.html").is_file()
    assert "Dana&#39;s team / Growth" in (site / url / "index.html").read_text()


def test_ids_named_index_or_readme(tmp_path: Path) -> None:
    files = {
        "2026-Q4/team.md": objective_file("Be the team objective", "acme", "2026-Q4"),
        "2026-Q4/team/index.md": objective_file("Be the index objective", "acme", "2026-Q4", parent="2026-Q4/team"),
        "2026-Q4/team/README.md": objective_file("Be the readme objective", "acme", "2026-Q4", parent="2026-Q4/team"),
    }
    org = "units:\n  - id: acme\n    name: Acme\n  - id: index\n    name: Index Unit\n    parent: acme\n"
    for mode in (True, False):
        write_site(tmp_path, files, org=org, config={"use_directory_urls": mode})
        site = build_ok(tmp_path)
        doc = json.loads((site / "okrs.json").read_text())
        urls = [o["url"] for o in doc["objectives"]] + [u["url"] for u in doc["units"]]
        assert len(set(urls)) == len(urls)
        for url in urls:
            target = site / url / "index.html" if url.endswith("/") else site / url
            assert target.is_file(), url
        titles = {re.search(r'<h1 id="okr-title">(.*?)</h1>', (site / u / "index.html" if u.endswith("/") else site / u).read_text()).group(1) for u in urls[:3]}
        assert titles == {"Be the team objective", "Be the index objective", "Be the readme objective"}
        assert (site / "okrs/units/index.html").read_text().count('data-okr-kind="units"') == 1


def test_empty_okrs_folder_builds(tmp_path: Path) -> None:
    write_site(tmp_path, {}, org=None)
    site = build_ok(tmp_path, "--strict")
    assert "There are no published objectives yet." in (site / "okrs/index.html").read_text()
    assert json.loads((site / "okrs.json").read_text())["objectives"] == []


def test_generated_page_clashing_with_a_docs_file(tmp_path: Path) -> None:
    write_site(tmp_path, docs={"index.md": "# Home\n", "okrs/index.md": "# Mine\n"})
    proc = run_build(tmp_path)
    assert proc.returncode == 1
    assert "okrs/index.md" in proc.stderr and "url_prefix" in proc.stderr


def test_disabled_plugin_builds_nothing(tmp_path: Path) -> None:
    write_site(tmp_path, options={"enabled": False})
    site = build_ok(tmp_path)
    assert not (site / "okrs").exists() and not (site / "okrs.json").exists()


def test_plain_mkdocs_theme(tmp_path: Path) -> None:
    write_site(tmp_path, config={"theme": {"name": "mkdocs"}})
    site = build_ok(tmp_path, "--strict")
    html = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    assert 'data-okr-kind="objective"' in html and "assets/okrs/okrs.css" in html
    assert check_links(site, generated_pages(site)) > 50


def test_docs_can_link_to_generated_pages_and_their_sections(tmp_path: Path) -> None:
    docs = {
        "index.md": "# Home\n\nSee [our KRs](okrs/objectives/2026-Q4/acme/grow.md#okr-key-results), "
        "[the dashboard](okrs/index.md) and [sales](okrs/units/sales.md).\n",
    }
    cfg = {"validation": {"anchors": "warn", "links": {"not_found": "warn"}}}
    write_site(tmp_path, docs=docs, config=cfg)
    site = build_ok(tmp_path, "--strict")
    assert check_links(site, [site / "index.html"]) >= 3
    docs["index.md"] += "\n[bad](okrs/objectives/2026-Q4/acme/grow.md#no-such-section)\n"
    write_site(tmp_path, docs=docs, config=cfg)
    proc = run_build(tmp_path, "--strict")
    assert proc.returncode == 1 and "no-such-section" in proc.stderr


def test_site_of_only_okrs_with_empty_url_prefix(tmp_path: Path) -> None:
    write_site(tmp_path, docs={"guide.md": "# Guide\n"}, options={"url_prefix": ""})
    site = build_ok(tmp_path, "--strict")
    assert 'data-okr-kind="dashboard"' in (site / "index.html").read_text()
    assert (site / "objectives/2026-Q4/acme/grow/index.html").is_file()
    doc = json.loads((site / "okrs.json").read_text())
    assert doc["units"][0]["url"] == "units/acme/"
    pages = generated_pages(site, prefix="")
    assert check_links(site, pages) > 100
