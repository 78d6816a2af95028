"""The list filters (assets/okrs/okrs-filters.js) and the unit page's roll-up, in a real browser.

The test organization of conftest.py, 2026-Q4 (today 2026-11-20):

- grow-revenue: acme, aspirational, on track, root of the tree
- win-enterprise: sales, committed, off track, tag ``enterprise``, below grow-revenue
- fast-pages: platform, aspirational, on track, below win-enterprise (depth 2)
- quiet-migration: platform, aspirational, at risk, below the private objective (a root)
- (project-halcyon: private, tag ``halcyon``: no tag page)

and 2026-Q3's lay-groundwork (acme). The page of acme rolls up its sub-units: 5
objectives. Rows are read as a reader sees them (``:visible``).
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from conftest import Site

pytestmark = pytest.mark.browser

GROW = "2026-Q4/acme/grow-revenue"
WIN = "2026-Q4/sales/win-enterprise"
FAST = "2026-Q4/platform/fast-pages"
QUIET = "2026-Q4/platform/quiet-migration"
EARLIER = "2026-Q3/acme/lay-groundwork"
ALL_Q4 = [GROW, WIN, FAST, QUIET]


def visible_ids(page) -> list[str]:
    """The objectives of the page's filtered lists a reader sees, in order."""
    return page.locator("[data-okr-filter-item]:visible").evaluate_all(
        "els => els.map(e => e.getAttribute('data-okr-id'))"
    )


def count_text(page) -> str:
    return " ".join(page.locator("[data-okr-filter-count]").inner_text().split())


def ready(page) -> None:
    """Wait until the script has shown the form."""
    page.locator("form[data-okr-filters]").wait_for(state="visible")


def query(page) -> dict[str, list[str]]:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(page.url).query)


def test_choosing_a_status_shows_only_its_rows_and_counts_them(acme: Site, page, page_log) -> None:
    page.goto(acme.page("okrs/periods/2026-Q4"))
    ready(page)
    assert visible_ids(page) == ALL_Q4
    assert count_text(page) == "Showing 4 of 4"
    page.get_by_label("At risk").check()
    assert visible_ids(page) == [QUIET]
    assert count_text(page) == "Showing 1 of 4"
    assert query(page) == {"status": ["at-risk"]}
    # Two statuses: either matches. The tree is flat while filtered (a note says so).
    page.get_by_label("On track").check()
    assert visible_ids(page) == [GROW, FAST, QUIET]
    assert count_text(page) == "Showing 3 of 4"
    fast = page.locator(f'[data-okr-filter-item][data-okr-id="{FAST}"]')
    assert fast.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") == 0
    assert page.locator("[data-okr-filter-note]").is_visible()
    # "Show all" clears the filters, the query and the flattening.
    page.get_by_role("button", name="Show all").click()
    assert visible_ids(page) == ALL_Q4 and count_text(page) == "Showing 4 of 4"
    assert query(page) == {}
    assert fast.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") > 20
    assert not page.locator("[data-okr-filter-note]").is_visible()
    assert page_log.errors == [] and page_log.console_errors == []


def test_commitment_owner_and_tag_filters_combine(acme: Site, page) -> None:
    page.goto(acme.page("okrs/periods/2026-Q4"))
    ready(page)
    page.get_by_label("Owner").select_option("platform")
    assert visible_ids(page) == [FAST, QUIET]
    page.get_by_label("Commitment").select_option("committed")
    assert visible_ids(page) == [] and count_text(page) == "Showing 0 of 4"
    assert page.get_by_text("No objective matches these filters.").is_visible()
    page.get_by_label("Owner").select_option("")
    page.get_by_label("Commitment").select_option("")
    page.get_by_label("Tag").select_option("enterprise")
    assert visible_ids(page) == [WIN]
    assert query(page) == {"tag": ["enterprise"]}


@pytest.mark.parametrize("site_name", ["acme", "acme_file_urls"])
def test_the_query_preselects_the_filters(request, site_name: str, page) -> None:
    site: Site = request.getfixturevalue(site_name)
    page.goto(site.page("okrs/periods/2026-Q4") + "?status=on-track&commitment=aspirational#okr-tree")
    ready(page)
    assert page.get_by_label("On track").is_checked() and not page.get_by_label("At risk").is_checked()
    assert page.get_by_label("Commitment").input_value() == "aspirational"
    assert visible_ids(page) == [GROW, FAST]
    assert count_text(page) == "Showing 2 of 4"
    # Comma-separated values, as a hand-written link may have them.
    page.goto(site.page("okrs/periods/2026-Q4") + "?status=at-risk,off-track")
    ready(page)
    assert visible_ids(page) == [WIN, QUIET]


def test_without_the_script_the_whole_list_is_there(browser, acme: Site) -> None:
    url = acme.page("okrs/periods/2026-Q4") + "?status=at-risk"
    # JavaScript off.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        assert visible_ids(page) == ALL_Q4
        assert page.locator("form[data-okr-filters]").count() == 1
        assert not page.locator("form[data-okr-filters]").is_visible()
    finally:
        context.close()
    # The script does not load (or has not run yet): the same.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("**/okrs-filters.js", lambda route: route.abort())
        page.goto(url)
        page.wait_for_load_state("load")
        assert visible_ids(page) == ALL_Q4
        assert not page.locator("form[data-okr-filters]").is_visible()
    finally:
        context.close()


def test_a_unit_page_rolls_up_its_sub_units_and_filters_them(acme: Site, page) -> None:
    page.goto(acme.unit("acme"))
    ready(page)
    # Own first, then each sub-unit in the order of the organization chart (siblings by id).
    assert visible_ids(page) == [GROW, FAST, QUIET, WIN, EARLIER]
    q4 = page.locator('section[data-okr-period="2026-Q4"]')
    assert [" ".join(t.split()) for t in q4.locator("h4").all_inner_texts()] == ["Platform Team", "Sales"]
    assert "4 objectives (1 own, 3 of the units below)" in " ".join(q4.locator("[data-okr-rollup]").inner_text().split())
    assert count_text(page) == "Showing 5 of 5"
    page.get_by_label("Owner").select_option("platform")
    assert visible_ids(page) == [FAST, QUIET]
    assert count_text(page) == "Showing 2 of 5"
    # The groups left without a row go: the sales heading, the whole of 2026-Q3.
    assert not q4.locator('[data-okr-subunit="sales"]').is_visible()
    assert q4.locator('[data-okr-subunit="platform"]').is_visible()
    assert not page.locator('section[data-okr-period="2026-Q3"]').is_visible()
    assert query(page) == {"owner": ["platform"]}


def test_tags_are_links_to_pages_that_leave_out_private_objectives(acme: Site, page) -> None:
    page.goto(acme.objective(WIN))
    tag = page.locator("a.okr-tag", has_text="enterprise")
    tag.click()
    page.wait_for_url(re.compile(r"/okrs/tags/enterprise/$"))
    assert page.locator("h1").inner_text().strip() == "enterprise"
    assert visible_ids(page) == [WIN]
    assert "Halcyon" not in page.content()
    response = page.goto(acme.page("okrs/tags/halcyon"))
    assert response is not None and response.status == 404
    page.goto(acme.page("okrs/tags/index"))
    assert [t.strip() for t in page.locator('table[data-okr-table="tags"] td:first-child').all_inner_texts()] == [
        "enterprise"]


# ------------------------------------------------------------- instant navigation


def _conftest(request):
    for plugin in request.config.pluginmanager.get_plugins():
        if hasattr(plugin, "write_acme_project") and hasattr(plugin, "Build") and hasattr(plugin, "Site"):
            return plugin
    raise LookupError("the browser tests' conftest is not loaded")


@pytest.fixture(scope="module")
def instant_site(request, browser_requirements, tmp_path_factory) -> Iterator[Site]:
    """The test organization with mkdocs-material's instant navigation on.

    Material navigates instantly only to the pages of its sitemap, whose addresses it
    takes with the reader's host name but not its port: the site's ``site_url`` is the
    address it is served from (the server's port is chosen before the build)."""
    c = _conftest(request)
    root = c.write_acme_project(tmp_path_factory.mktemp("acme-instant"))
    site_dir = root / "site-instant"
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = root / "mkdocs-dir.yml"
    text = config.read_text(encoding="utf-8")
    assert "  font: false\n" in text and "site_url: https://okrs.example.test/\n" in text
    text = text.replace("  font: false\n", "  font: false\n  features: [navigation.instant]\n")
    config.write_text(text.replace("site_url: https://okrs.example.test/\n", f"site_url: {base}\n"), encoding="utf-8")
    job = c.Build("instant", config, site_dir)
    job.start()
    problem = job.wait()
    if problem:
        server.server_close()
        pytest.fail(problem, pytrace=False)
    thread = threading.Thread(target=server.serve_forever, name="http-instant", daemon=True)
    thread.start()
    site = c.Site("instant", site_dir, True, base_url=base)
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_filters_work_after_an_instant_navigation(instant_site: Site, page, page_log) -> None:
    page.goto(instant_site.dashboard())
    # Material navigates instantly to the pages of its sitemap once it has read it.
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    page.evaluate("() => { window.__okrsSamePage = true; }")
    # A link to a filtered list, as the dashboard's cards make them.
    page.evaluate("""() => {
        const a = document.createElement('a');
        a.href = 'periods/2026-Q4/?status=at-risk#okr-tree';
        a.id = 'okr-test-link';
        a.textContent = 'at risk';
        document.querySelector('article').prepend(a);
    }""")
    page.locator("#okr-test-link").click()
    page.wait_for_url(re.compile(r"/okrs/periods/2026-Q4/\?status=at-risk#okr-tree$"))
    ready(page)
    assert page.evaluate("() => window.__okrsSamePage === true"), "the page was loaded, not navigated instantly"
    assert visible_ids(page) == [QUIET]
    assert count_text(page) == "Showing 1 of 4"
    # On to a unit page, again without a page load: its own form works.
    page.locator('table[data-okr-table="by-unit"] a', has_text="Acme Rockets").click()
    page.wait_for_url(re.compile(r"/okrs/units/acme/$"))
    ready(page)
    assert page.evaluate("() => window.__okrsSamePage === true")
    assert count_text(page) == "Showing 5 of 5"
    page.get_by_label("At risk").check()
    assert visible_ids(page) == [QUIET]
    assert page_log.errors == []


def test_a_hostile_query_is_shown_as_text_and_runs_nothing(acme: Site, page, page_log) -> None:
    """Values of the query the form offers no choice for become <option> text, never markup."""
    from urllib.parse import quote

    hostile = {
        "tag": '"><img src=x onerror="window.__okrsXss=1">',
        "owner": "</option><svg onload=window.__okrsXss=2>",
        "status": "<script>window.__okrsXss=3</script>",
    }
    query_text = "&".join(f"{k}={quote(v)}" for k, v in hostile.items())
    page.goto(acme.page("okrs/periods/2026-Q4") + "?" + query_text)
    ready(page)
    assert page.evaluate("window.__okrsXss") is None
    assert page.locator("article img[src='x'], article svg[onload], article option script").count() == 0
    # The unknown tag and owner are options whose text is the value; nothing matches them.
    assert page.get_by_label("Tag").input_value() == hostile["tag"]
    assert page.get_by_label("Owner").input_value() == hostile["owner"]
    assert page.locator("select[name=tag] option").evaluate_all(
        "os => os.map(o => o.textContent)")[-1] == hostile["tag"]
    assert visible_ids(page) == []
    assert page_log.errors == []
