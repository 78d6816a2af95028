"""``okrs generate``: the OKR site as Markdown files for builders that run no plugin.

The generated pages are built with plain MkDocs, ProperDocs and Zensical (skipped when
Zensical is not installed, unless ``OKRS_REQUIRE_ZENSICAL=1``, which CI sets) and
compared with the plugin's pages; the folder is owned (a manifest, refusals), re-runs
are byte-identical, private objectives are in no file, and ``okrs check`` warns when
a ``zensical.toml`` would build a site without the OKR pages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mkdocs_okrs.cli import main
from mkdocs_okrs.site.generate import generated_path, markdown_page, markdown_safe, yaml_string
from mkdocs_okrs.site.plan import PageSpec
from test_plugin_privacy import leaks
from test_plugin_support import ORG, PY, article, build_env, build_ok, objective_file, standard_okrs, write_site

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import check_generated_site as recipe  # noqa: E402

MANIFEST = ".okrs-generated"


def generate(root: Path, out: str = "docs/okrs", *args: str) -> subprocess.CompletedProcess:
    """``okrs generate OUT`` run as a command in ``root``."""
    return subprocess.run([PY, "-m", "mkdocs_okrs", "generate", out, *args], cwd=root, capture_output=True,
                          text=True, env=build_env(), timeout=600)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def zensical_or_skip() -> str:
    """The zensical command; skip without it, fail when OKRS_REQUIRE_ZENSICAL is set."""
    exe = Path(sys.executable).parent / "zensical"
    if importlib.util.find_spec("zensical") is not None and exe.exists():
        return str(exe)
    if os.environ.get("OKRS_REQUIRE_ZENSICAL", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail("zensical is not installed (OKRS_REQUIRE_ZENSICAL=1: the Zensical tests must run)", pytrace=False)
    pytest.skip("zensical is not installed (pip install zensical)")


# What differs, by design, between a plugin page and a generated page as a builder
# writes it (docs/zensical.md, "What differs"):
_SEARCH_ATTR = re.compile(r'\sdata-search-exclude(="[^"]*")?')  # search plugins take these out of page text
_INERT = re.compile(r"&#(96|126|123|9|13);")  # markdown_safe's character references
_FILES = re.compile(r'href="[^"]*?(feed\.xml|okrs\.json)"')  # okrs.json and the feed live in OUT_DIR


def comparable(html: str) -> str:
    """A page's OKR article, with the documented differences taken out."""
    text = _SEARCH_ATTR.sub("", article(html))
    text = _INERT.sub(lambda m: chr(int(m.group(1))), text)
    return _FILES.sub(r'href="\1"', text)


_TOC = re.compile(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', re.S)
_TOC_LINK = re.compile(r'<a href="(#[^"]*)" class="md-nav__link">(.*?)</a>', re.S)


def toc_entries(html: str) -> list[tuple[str, str]]:
    """The page's table of contents as the theme shows it: (link, text)."""
    m = _TOC.search(html)
    return [(href, " ".join(re.sub(r"<[^>]+>", "", label).split())) for href, label in _TOC_LINK.findall(m.group(0))] \
        if m else []


def assert_same_pages(plugin_site: Path, site: Path) -> int:
    """Every OKR page of ``plugin_site`` is in ``site`` with the same article and the same
    table of contents (mkdocs_okrs.generated_toc); returns their number."""
    pages = sorted((plugin_site / "okrs").rglob("*.html"))
    assert pages
    entries = 0
    for page in pages:
        rel = page.relative_to(plugin_site)
        other = site / rel
        assert other.is_file(), f"{rel} was not built from the generated pages"
        theirs, ours = other.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
        assert comparable(theirs) == comparable(ours), rel
        assert toc_entries(theirs) == toc_entries(ours), rel
        entries += len(toc_entries(ours))
    assert entries > len(pages)  # (pages have tables of contents, all the same)
    built = sorted(p.relative_to(site) for p in (site / "okrs").rglob("*.html"))
    assert built == [p.relative_to(plugin_site) for p in pages]
    return len(pages)


# ------------------------------------------------------------------------ a small organization


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The standard organization (a private objective among it) built with the plugin, and
    the same project with its pages generated and the recipe's two configurations."""
    base = tmp_path_factory.mktemp("generate")
    plugin = write_site(base / "plugin", options={"graphs": True, "cache_dir": None})
    plugin_site = build_ok(plugin, "--strict")
    project = base / "generated"
    recipe.prepare(plugin, project)
    r = generate(project)
    assert r.returncode == 0, r.stdout + r.stderr
    return {"plugin": plugin, "plugin_site": plugin_site, "project": project}


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_builds_without_the_plugin_give_the_plugins_pages(sites, tool: str) -> None:
    project = sites["project"]
    site, proc = recipe.build(project, tool)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    assert assert_same_pages(sites["plugin_site"], site) > 10
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    assert recipe.check_site(site, project, config) == []
    assert leaks(site) == []


@pytest.mark.slow
def test_zensical_builds_the_generated_pages(sites) -> None:
    zensical_or_skip()
    project = sites["project"]
    site, proc = recipe.build(project, "zensical")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert assert_same_pages(sites["plugin_site"], site) > 10
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    assert recipe.check_site(site, project, config) == []
    assert leaks(site) == []
    # The page title from the front matter, escaped once (a unit named "Web Team").
    page = (site / "okrs/units/web/index.html").read_text(encoding="utf-8")
    assert "<title>Web Team - Test site</title>" in page


@pytest.mark.slow
def test_generated_folder_layout_and_files(sites) -> None:
    out = sites["project"] / "docs" / "okrs"
    files = files_of(out)
    assert "index.md" in files and "changes/index.md" in files and "units/index.md" in files
    assert "objectives/2026-Q4/acme/grow/index.md" in files  # the plugin's okrs/objectives/2026-Q4/acme/grow.md
    assert "periods/2026-Q4/index.md" in files and "tags/index.md" in files
    assert {"okrs.json", "feed.xml", "assets/okrs/okrs.css", "assets/okrs/okrs-graphs.css",
            "assets/okrs/okrs-graphs.js", "assets/okrs/okrs-filters.js", MANIFEST} <= set(files)
    page = files["objectives/2026-Q4/acme/grow/index.md"].decode()
    assert page.startswith('---\ntitle: "Become the shop people recommend"\nokrs_page: objective\n---\n\n<article ')
    assert page.rstrip().endswith("</article>")
    assert 'class="okr-graph' in page and "<svg" in page and 'class="okr-chart' in page  # graph and charts inline
    # the manifest: every file but itself, with its SHA-256
    listed = {}
    for line in files[MANIFEST].decode().splitlines()[1:]:
        digest, _, rel = line.partition("  ")
        listed[rel] = digest
    assert listed == {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items() if rel != MANIFEST}
    # okrs.json links the pages where they are, under okrs/
    assert '"okrs/objectives/2026-Q4/acme/grow/"' in files["okrs.json"].decode()
    assert leaks(out) == []


@pytest.mark.slow
def test_a_rerun_is_byte_identical_and_replaces_only_its_output(sites, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(sites["project"], project, ignore=shutil.ignore_patterns("site-*"))
    out = project / "docs" / "okrs"
    before = files_of(out)
    r = generate(project)
    assert r.returncode == 0, r.stderr
    assert files_of(out) == before
    # An objective removed from the OKR files: its page goes, the rest of docs/ stays.
    (project / "okrs/2026-Q4/web/fast-site.md").unlink()
    r = generate(project)
    assert r.returncode == 0, r.stderr
    after = files_of(out)
    assert "objectives/2026-Q4/web/fast-site/index.md" in before
    assert "objectives/2026-Q4/web/fast-site/index.md" not in after
    assert (project / "docs/index.md").is_file()
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md", "okrs"]  # no temporary folder left


@pytest.mark.slow
def test_plugin_build_over_generated_pages_says_what_to_do(sites, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(sites["project"], project, ignore=shutil.ignore_patterns("site-*"))
    proc = subprocess.run([PY, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True,
                          env=build_env(), timeout=600)
    assert proc.returncode != 0
    assert "written by 'okrs generate'" in proc.stderr and "enabled: false" in proc.stderr


# ----------------------------------------------------------------------- refusals (no graphs: quick)


def small_project(root: Path, **kw) -> Path:
    return write_site(root, options={"graphs": False}, **kw)


def run_cli(root: Path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    rc = main(list(args))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_refuses_a_folder_with_files_it_did_not_write(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    (root / "docs/okrs").mkdir()
    (root / "docs/okrs/notes.md").write_text("# My notes\n")
    rc, out, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 2
    assert "okrs: error: docs/okrs holds files 'okrs generate' did not write: notes.md" in err
    assert files_of(root / "docs/okrs") == {"notes.md": b"# My notes\n"}
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["index.md", "okrs"]


def test_refuses_a_generated_folder_with_a_changed_or_added_file(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    before = files_of(root / "docs/okrs")
    page = root / "docs/okrs/changes/index.md"
    page.write_text(page.read_text() + "\nMy addition.\n")
    (root / "docs/okrs/units/extra.md").write_text("extra\n")
    changed = files_of(root / "docs/okrs")
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 2
    assert "did not write: units/extra.md" in err and "changed since 'okrs generate' wrote them: changes/index.md" in err
    assert files_of(root / "docs/okrs") == changed != before


def test_writes_into_a_new_or_empty_folder_and_an_empty_one_again(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    (root / "docs/okrs/empty").mkdir(parents=True)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    assert "okrs: generated 17 pages and 4 files for the site folder okrs/ in docs/okrs" in err
    assert "1 private left out" in err and "21 written, 0 unchanged" in err
    assert "extra_css:\n    - okrs/assets/okrs/okrs.css\n" in err  # the lines mkdocs.yml misses
    assert (root / "docs/okrs/index.md").is_file() and not (root / "docs/okrs/empty").exists()
    assert oct((root / "docs/okrs").stat().st_mode & 0o777) == oct(0o777 & ~_umask())
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/goals/okrs")  # a second site folder
    assert rc == 0, err
    assert "for the site folder goals/okrs/" in err
    assert '"goals/okrs/objectives/2026-Q4/acme/grow/"' in (root / "docs/goals/okrs/okrs.json").read_text()


def test_a_rerun_writes_only_what_changed(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    out = root / "docs/okrs"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != MANIFEST}
    for p in stamps:
        os.utime(p, ns=(1, 1))
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0 and "0 written, 21 unchanged" in err, err
    assert all(p.stat().st_mtime_ns == 1 for p in stamps)  # not touched: a watching server rebuilds nothing
    grow = root / "okrs/2026-Q4/acme/grow.md"
    grow.write_text(grow.read_text().replace("Why it matters", "Why it really matters"))
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0 and "1 written, 20 unchanged" in err, err
    assert [p.relative_to(out).as_posix() for p in stamps if p.stat().st_mtime_ns != 1] == [
        "objectives/2026-Q4/acme/grow/index.md"]


def test_an_interrupted_run_leaves_old_or_new_files_and_the_next_run_finishes(tmp_path: Path, monkeypatch,
                                                                               capsys) -> None:
    root = small_project(tmp_path)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    out = root / "docs/okrs"
    old = files_of(out)
    # Every objective changes (its date): most pages change.
    cfg = yaml.safe_load((root / "mkdocs.yml").read_text())
    cfg["plugins"][1]["okrs"]["today"] = "2026-11-25"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg))
    fresh = small_project(tmp_path / "fresh", config={"plugins": cfg["plugins"]})
    rc, _, err = run_cli(fresh, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    new = files_of(fresh / "docs/okrs")
    real_replace, calls = os.replace, []

    def interrupted(src, dst):
        if not str(dst).endswith(MANIFEST) and not str(src).endswith(".tmp"):
            calls.append(dst)
            if len(calls) == 3:
                raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    monkeypatch.setattr(os, "replace", real_replace)
    assert rc == 130 and "interrupted" in err
    mixed = files_of(out)
    assert {rel for rel, data in mixed.items() if rel != MANIFEST and data == new.get(rel) != old.get(rel)}
    for rel, data in mixed.items():  # each file old or new
        assert rel == MANIFEST or data in (old.get(rel), new.get(rel)), rel
    assert not [p for p in (root / "docs").iterdir() if p.name.startswith(".")]  # the new files' folder is gone
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    assert files_of(out) == new


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_okr_errors_write_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/broken.md"] = "---\nobjective: Broken\nowner: acme\n---\n"
    root = small_project(tmp_path, okrs=files)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 1
    assert "broken.md" in err and "error" in err and "nothing was written" in err
    assert not (root / "docs/okrs").exists()
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["index.md"]


@pytest.mark.parametrize("out, message", [
    ("okrs/site", "lies in the OKR folder"),
    (".", "holds the OKR folder"),
    ("docs/.hidden/okrs", "the pages' URLs would hold '.hidden'"),
    ("docs/my okrs", "the pages' URLs would hold 'my okrs'"),
    ("docs/index.md", "is not a folder"),
])
def test_usage_errors(tmp_path: Path, monkeypatch, capsys, out: str, message: str) -> None:
    root = small_project(tmp_path)
    before = files_of(root)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", out)
    assert rc == 2
    assert message in err
    assert files_of(root) == before


def test_refuses_an_okr_folder_inside_the_docs_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path, okrs_dir="docs/okrs-src")
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 2
    assert "lies in the docs folder docs" in err and "private objectives too" in err
    assert not (root / "docs/okrs").exists()


def test_a_folder_outside_the_docs_folder_gets_the_url_prefix(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "build/okr-pages")
    assert rc == 0, err
    assert "is not in docs" in err and "for the site folder okrs/" in err
    assert '"okrs/objectives/2026-Q4/acme/grow/"' in (root / "build/okr-pages/okrs.json").read_text()


def test_without_directory_urls_the_plugins_file_names_are_kept(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path, config={"use_directory_urls": False})
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    assert (root / "docs/okrs/objectives/2026-Q4/acme/grow.md").is_file()
    assert (root / "docs/okrs/periods/2026-Q4.md").is_file()
    assert "objectives/2026-Q4/acme/grow.html" in (root / "docs/okrs/periods/2026-Q4.md").read_text()


def test_private_objective_is_in_no_generated_file(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    assert len(files_of(root / "docs/okrs")) > 20
    assert leaks(root / "docs/okrs") == []
    child = (root / "docs/okrs/objectives/2026-Q4/web/under-private/index.md").read_text()
    assert "aligns to a private objective" in child


# --------------------------------------------------------------------- Markdown that stays inert


@pytest.mark.slow
def test_contributor_text_stays_inert_under_markdown_extensions(tmp_path: Path) -> None:
    """A body whose code shows fences, snippet lines, macros and critic marks renders as the
    plugin renders it, with pymdownx.snippets, superfences and critic on for the site's pages."""
    files = standard_okrs()
    body = """
    Plain text {{ config.site_name }} and {% raw %} and {++added++}.

    ````text
    A code block that shows Markdown:
    ~~~
    <b>not bold</b>
    ~~~
    --8<-- "secret.txt"
    ```
    {{ config }}
    ```
    ````

    ```python
    \tindented = "with a tab"
    ```
    """
    files["2026-Q4/acme/grow.md"] = objective_file("Become the shop people recommend", "acme", "2026-Q4", body=body)
    config = {"markdown_extensions": ["admonition", "tables", {"toc": {"permalink": True}}, "pymdownx.superfences",
                                      "pymdownx.critic", {"pymdownx.snippets": {"base_path": ["."]}}]}
    plugin = write_site(tmp_path / "plugin", files, options={"graphs": False}, config=config)
    (plugin / "secret.txt").write_text("TOPSECRET-LINE\n")
    plugin_site = build_ok(plugin)
    project = tmp_path / "generated"
    recipe.prepare(plugin, project)
    shutil.copy(plugin / "secret.txt", project / "secret.txt")
    r = generate(project)
    assert r.returncode == 0, r.stderr
    site, proc = recipe.build(project, "mkdocs")
    assert proc.returncode == 0, proc.stderr
    assert_same_pages(plugin_site, site)
    page = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    assert "TOPSECRET" not in page
    assert '--8&lt;-- "secret.txt"' in page and "\n&#96;&#96;&#96;\n" in page and "\n&#126;&#126;&#126;\n" in page
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page
    assert "&#123;{ config }}" in page and "&#123;{ config.site_name }}" in page


@pytest.mark.slow
def test_titles_stay_inert_under_a_macros_extension(tmp_path: Path) -> None:
    """A tag, a unit or a statement that holds ``{{ }}`` or ``{% %}`` becomes a page title;
    Zensical's macros extension renders a page title holding them (as mkdocs-macros does),
    so the generated front matter writes them as character references."""
    zensical_or_skip()
    files = standard_okrs()
    files["2026-Q4/acme/grow.md"] = objective_file(
        '"Grow {{ 7*7 }} {% if 1 %}IF-RAN{% endif %}"', "acme", "2026-Q4", tags='["{{ 6*7 }}"]')
    org = ORG.replace("name: Acme Inc.", 'name: "Acme {{ 8*8 }}"')
    plugin = write_site(tmp_path / "plugin", files, org=org, options={"graphs": False})
    project = tmp_path / "generated"
    recipe.prepare(plugin, project)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["markdown_extensions"].append("zensical.extensions.macros")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    r = generate(project)
    assert r.returncode == 0, r.stderr
    head = (project / "docs/okrs/tags").glob("*/index.md")
    assert all("{{" not in p.read_text().split("---")[1] for p in head)
    site, proc = recipe.build(project, "zensical")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    titles = "\n".join(re.findall(r"<title>[^<]*</title>", "".join(pages.values())))
    for rendered in ("49", "42", "64"):  # 7*7, 6*7, 8*8 computed
        assert rendered not in titles, rendered
    assert "<title>Acme &#123;{ 8*8 }} - Test site</title>" in titles
    assert "<title>&#123;{ 6*7 }} - Test site</title>" in titles
    assert "<title>Grow &#123;{ 7*7 }} &#123;% if 1 %}IF-RAN&#123;% endif %} - Test site</title>" in titles


def test_markdown_page_title_holds_no_macro_delimiters() -> None:
    spec = PageSpec("tag:x", "tag", "x", "okrs/tags/x.md", "{{ config }} {% raw %} {# c #} {plain}", False)
    head = markdown_page(spec, "<article></article>").split("---\n")[1]
    assert yaml.safe_load(head)["title"] == "&#123;{ config }} &#123;% raw %} &#123;# c #} {plain}"


# ------------------------------------------------------------------------------------ units


def test_generated_path_gives_each_page_its_url_as_its_folder() -> None:
    assert generated_path("okrs/index.md", True) == "okrs/index.md"
    assert generated_path("okrs/changes.md", True) == "okrs/changes/index.md"
    assert generated_path("okrs/periods/2026-Q4.md", True) == "okrs/periods/2026-Q4/index.md"
    assert generated_path("okrs/periods/2026-Q3/review.md", True) == "okrs/periods/2026-Q3/review/index.md"
    assert generated_path("okrs/objectives/a/_index.md", True) == "okrs/objectives/a/_index/index.md"
    assert generated_path("okrs/units/index.md", True) == "okrs/units/index.md"
    assert generated_path("okrs/changes.md", False) == "okrs/changes.md"


def test_markdown_safe_writes_what_markdown_acts_on_as_references() -> None:
    html = ('<p>```\n~~~\n{{ x }} {% y %} {# z #} {++a++} {!f!} {plain}\n--8<-- "f"\ta\r</p>'
            "<style>a{{b}}</style>")
    out = markdown_safe(html)
    assert out == ("<p>&#96;&#96;&#96;\n&#126;&#126;&#126;\n&#123;{ x }} &#123;% y %} &#123;# z #} &#123;++a++} "
                   '&#123;!f!} {plain}\n--8&lt;-- "f"&#9;a&#13;</p><style>a{{b}}</style>')
    assert markdown_safe("<p>nothing to do</p>") == "<p>nothing to do</p>"


def test_markdown_page_front_matter_reads_back() -> None:
    spec = PageSpec("objective:x", "objective", "x", "okrs/objectives/x.md", 'Say "hi" & <b>\u2028 \\ ok', False)
    text = markdown_page(spec, "<article>\n<p>x</p>\n</article>\n")
    head = text.split("---\n")[1]
    assert yaml.safe_load(head) == {"title": 'Say "hi" &amp; &lt;b&gt;\u2028 \\ ok', "okrs_page": "objective"}
    assert text.endswith("\n\n<article>\n<p>x</p>\n</article>\n")
    assert yaml.safe_load("t: " + yaml_string("\x01\ufeff\U0001F600"))["t"] == "\x01\ufeff\U0001F600"


# ------------------------------------------------------------------------ okrs check's warning


def test_check_warns_when_zensical_would_build_without_the_okr_pages(tmp_path: Path, monkeypatch, capsys) -> None:
    root = small_project(tmp_path)
    rc, out, err = run_cli(root, monkeypatch, capsys, "check")
    assert rc == 0 and "builder-ignores-plugin" not in out
    (root / "zensical.toml").write_text('[project]\nsite_name = "Test site"\n')
    rc, out, err = run_cli(root, monkeypatch, capsys, "check")
    assert rc == 0
    assert out.startswith("zensical.toml:1:1: warning: Zensical builds this site and runs no plugin")
    assert out.rstrip().endswith("[builder-ignores-plugin]")
    rc, out, err = run_cli(root, monkeypatch, capsys, "check", "--strict")
    assert rc == 1
    rc, _, err = run_cli(root, monkeypatch, capsys, "generate", "docs/okrs")
    assert rc == 0, err
    rc, out, err = run_cli(root, monkeypatch, capsys, "check", "--strict")
    assert rc == 0 and out == "", out
    # the docs folder of zensical.toml counts, and the rule can be switched off
    (root / "zensical.toml").write_text('[project]\ndocs_dir = "pages"\n')
    (root / "pages").mkdir()
    rc, out, _ = run_cli(root, monkeypatch, capsys, "check", "--format", "json")
    assert '"rule": "builder-ignores-plugin"' in out and "missing from pages" in out
    cfg = yaml.safe_load((root / "mkdocs.yml").read_text())
    cfg["plugins"][1]["okrs"]["rules"] = {"builder-ignores-plugin": "off"}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg))
    rc, out, _ = run_cli(root, monkeypatch, capsys, "check", "--strict")
    assert rc == 0 and out == ""


def test_generate_help(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "OUT_DIR" in text and "Zensical" in text and "Exit status" in text


# --------------------------------------------------------------------------------- the demo


@pytest.mark.slow
def test_the_demo_builds_without_the_plugin(tmp_path: Path) -> None:
    """The recipe of docs/zensical.md on this repository's demo, with plain MkDocs (and
    Zensical when it is installed; CI runs every builder with scripts/check_generated_site.py)."""
    builders = ["mkdocs"]
    if importlib.util.find_spec("zensical") is not None or os.environ.get("OKRS_REQUIRE_ZENSICAL"):
        zensical_or_skip()
        builders.append("zensical")
    assert recipe.check_project(REPO, builders, tmp_path) == []


@pytest.mark.slow
def test_mkdocs_with_the_plugin_turned_off_builds_the_generated_pages(tmp_path: Path) -> None:
    """The recipe for MkDocs: the plugin's entry stays, with ``enabled: false``; ``okrs
    generate`` reads its options from it (here ``today``: the pages say 2026-11-22)."""
    root = write_site(tmp_path, options={"graphs": False, "enabled": False},
                      config={"extra_css": ["okrs/assets/okrs/okrs.css"],
                              "extra_javascript": ["okrs/assets/okrs/okrs-filters.js"],
                              "markdown_extensions": ["tables", "mkdocs_okrs.generated_toc"]})
    r = generate(root)
    assert r.returncode == 0, r.stderr
    assert "add to mkdocs.yml" not in r.stderr  # nothing missing
    site = build_ok(root, "--strict")
    page = (site / "okrs/index.html").read_text(encoding="utf-8")
    assert "as of 2026-11-22" in page and 'href="../okrs/assets/okrs/okrs.css"' not in page
    assert 'href="assets/okrs/okrs.css"' in page
    assert toc_entries(page)  # the extension's table of contents
    assert leaks(site) == []
