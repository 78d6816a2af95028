"""The ``okrs`` command line, run as a real subprocess on real files.

Covers the output formats (text, github, json), every exit status, settings
read from a mkdocs.yml in the current folder (including !ENV, !!python tags and
INHERIT), and that bad input never produces a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_okrs import __version__
from mkdocs_okrs.core.rules import RULES

OKRS_SCRIPT = Path(sys.executable).parent / "okrs"
TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+) \[(?P<rule>[a-z0-9-]+)\]$")

ORG = """\
units:
  - id: acme
    name: Acme Inc.
  - id: sales
    name: Sales
    parent: acme
"""


def objective(
    owner: str = "acme",
    period: str = "2026-Q1",
    krs: int = 3,
    checkins: str = "",
    extra: str = "",
) -> str:
    """An objective file; clean for ``today`` after its period unless told otherwise."""
    lines = ["---", "objective: Grow online sales", f"owner: {owner}", f"period: {period}"]
    if extra:
        lines.append(extra)
    lines.append("key_results:")
    for i in range(krs):
        lines += [f"  - title: Raise measure {i + 1}", "    start: 10", "    target: 20"]
        if checkins and i == 0:
            lines += ["    checkins:", f"      - {{date: {checkins}, value: 12}}"]
    lines += ["---", "Why it matters.", ""]
    return "\n".join(lines)


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return base


def run(args: list[str], cwd: Path, env: dict | None = None, script: bool = False) -> subprocess.CompletedProcess:
    """Run ``okrs ARGS`` (``python -m mkdocs_okrs`` or the installed script) in ``cwd``."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")}
    full_env.update(env or {})
    cmd = [str(OKRS_SCRIPT)] if script else [sys.executable, "-m", "mkdocs_okrs"]
    return subprocess.run(cmd + args, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120)


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr, r.stderr
    assert "internal error" not in r.stderr, r.stderr


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """A project folder with okrs/ holding an org and one clean objective."""
    return write_tree(tmp_path, {"okrs/org.yml": ORG, "okrs/2026-Q1/acme/grow.md": objective()})


# ------------------------------------------------------------------ exit statuses


@pytest.mark.parametrize("script", [False, True], ids=["python-m", "okrs-script"])
def test_clean_tree_exits_0_with_summary_on_stderr(clean: Path, script: bool):
    r = run(["check", "--today", "2026-11-15"], clean, script=script)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""
    assert r.stderr == "okrs: no problems in 2 files\n"


def test_error_exits_1_and_text_lines_have_the_contract_format(clean: Path):
    write_tree(clean, {"okrs/2026-Q1/acme/typo.md": objective(owner="acmee")})
    r = run(["check", "--today", "2026-11-15"], clean)
    assert r.returncode == 1
    no_traceback(r)
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    m = TEXT_LINE.match(lines[0])
    assert m, lines[0]
    assert (m["path"], m["line"], m["col"], m["sev"], m["rule"]) == (
        "okrs/2026-Q1/acme/typo.md", "3", "1", "error", "owner-unknown"
    )
    assert "'acmee'" in m["msg"] and "did you mean 'acme'" in m["msg"]
    assert r.stderr == "okrs: 1 error, 0 warnings in 3 files\n"


def test_text_lines_match_json_diagnostics_exactly(clean: Path):
    write_tree(
        clean,
        {
            "okrs/2026-Q1/acme/typo.md": objective(owner="acmee", krs=2),
            "okrs/2026-Q1/acme/broken.md": "---\nobjective: [unclosed\n---\n",
        },
    )
    text = run(["check", "--today", "2026-11-15"], clean)
    js = run(["check", "--today", "2026-11-15", "--format", "json"], clean)
    assert text.returncode == js.returncode == 1
    doc = json.loads(js.stdout)
    expected = [
        f"{d['path']}:{d['line']}:{d['col']}: {d['severity']}: {d['message']} [{d['rule']}]"
        for d in doc["diagnostics"]
    ]
    assert text.stdout.splitlines() == expected
    assert {d["rule"] for d in doc["diagnostics"]} >= {"owner-unknown", "kr-count", "yaml-syntax"}


def test_warning_exits_0_and_1_with_strict(clean: Path):
    write_tree(clean, {"okrs/2026-Q1/acme/grow.md": objective(krs=2)})
    r = run(["check", "--today", "2026-11-15"], clean)
    assert r.returncode == 0
    assert r.stdout.count("warning:") == 1 and "[kr-count]" in r.stdout
    assert r.stderr == "okrs: 0 errors, 1 warning in 2 files\n"
    strict = run(["check", "--today", "2026-11-15", "--strict"], clean)
    assert strict.returncode == 1
    assert strict.stdout == r.stdout
    assert strict.stderr == "okrs: 0 errors, 1 warning in 2 files (warnings fail with --strict)\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["check", "missing-folder"], "OKR root 'missing-folder' does not exist"),
        (["check", "--format", "xml"], "invalid choice: 'xml'"),
        (["check", "--today", "2026-02-30"], "is not a date"),
        (["check", "--today", "tomorrow"], "is not a date"),
        (["check", "--fiscal-year-start", "13"], "from 1 to 12"),
        (["check", "--config", "nope.yml"], "--config: nope.yml: no such file"),
        (["check", "--org", "nope.yml"], "--org: 'nope.yml' does not exist"),
        (["check", "--config", "x.yml", "--no-config"], "not allowed with argument"),
        ([], "usage: okrs"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(clean: Path, args: list[str], message: str):
    r = run(args, clean)
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr
    assert r.stdout == ""
    no_traceback(r)


def test_root_that_is_a_file_exits_2(clean: Path):
    r = run(["check", "okrs/org.yml"], clean)
    assert r.returncode == 2
    assert "is not a folder" in r.stderr


def test_missing_default_root_exits_2_with_hint(tmp_path: Path):
    r = run(["check"], tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("okrs: error: OKR root 'okrs' does not exist")
    assert "okrs check PATH" in r.stderr


def test_malformed_source_date_epoch_exits_2(clean: Path):
    r = run(["check"], clean, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert r.returncode == 2
    assert "SOURCE_DATE_EPOCH" in r.stderr
    no_traceback(r)


def test_bad_input_never_gives_a_traceback(clean: Path):
    write_tree(
        clean,
        {
            "okrs/bin.md": b"\x00\xff\xfe binary",
            "okrs/latin1.md": "---\nobjective: Caf\xe9\n---\n".encode("latin-1"),
            "okrs/empty.md": b"",
            "okrs/utf16.md": "---\nobjective: x\n---\n".encode("utf-16"),
            "okrs/deep.md": "---\nobjective: " + "[" * 5000 + "\n---\n",
            "okrs/tags.md": "---\n!!python/object/apply:os.system ['echo hacked']\n---\n",
            "okrs/alias.md": "---\na: &x [1]\nb: *x\n---\n",
            "okrs/dir.md/inner.txt": "a folder named like an objective",
            "okrs/no-fm.md": "# Just markdown\n",
            "okrs/types.md": "---\nobjective: 12\nowner: NO\nperiod: 2026-Q5\nkey_results: 3\n---\n",
        },
    )
    r = run(["check", "--today", "2026-11-15"], clean)
    assert r.returncode == 1
    no_traceback(r)
    assert "hacked" not in r.stdout + r.stderr
    paths = {TEXT_LINE.match(line)["path"] for line in r.stdout.splitlines()}
    for name in ("bin", "latin1", "empty", "utf16", "deep", "tags", "alias", "dir", "no-fm", "types"):
        assert f"okrs/{name}.md" in paths, (name, r.stdout)


def test_terminal_that_cannot_show_a_character_gets_an_escape(tmp_path: Path):
    text = objective().replace("key_results:\n", "key_results:\n  - Écrire le guide\n")
    write_tree(tmp_path, {"okrs/org.yml": ORG, "okrs/a.md": text})
    r = run(["check", "--no-config", "--today", "2026-11-15"], tmp_path, env={"PYTHONIOENCODING": "ascii"})
    no_traceback(r)
    assert r.returncode == 0
    assert r.stdout == (
        "okrs/a.md:6:5: warning: key result 'kr1' ('\\xc9crire le guide') has no measure; give it 'start'"
        " and 'target' (a metric) or 'done: false' (a milestone) [kr-no-measure]\n"
    )


def test_quiet_prints_no_summary(clean: Path):
    r = run(["check", "-q", "--today", "2026-11-15"], clean)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    write_tree(clean, {"okrs/2026-Q1/acme/grow.md": objective(krs=2)})
    r = run(["check", "--quiet", "--today", "2026-11-15"], clean)
    assert r.returncode == 0 and "[kr-count]" in r.stdout and r.stderr == ""


def test_explicit_root_and_paths_relative_to_cwd(tmp_path: Path):
    write_tree(tmp_path, {"data/goals/2026-Q1/x.md": objective(owner="anyone", krs=2)})
    r = run(["check", "data/goals", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 0
    assert r.stdout.startswith("data/goals/2026-Q1/x.md:")
    # Run from inside the root: paths are relative to it.
    r = run(["check", ".", "--today", "2026-11-15"], tmp_path / "data/goals")
    assert r.stdout.startswith("2026-Q1/x.md:")


def test_org_option(tmp_path: Path):
    write_tree(
        tmp_path,
        {"okrs/2026-Q1/grow.md": objective(owner="sales"), "elsewhere/org.yml": ORG},
    )
    # Without an org file, owners are free text: clean.
    assert run(["check", "--today", "2026-11-15"], tmp_path).returncode == 0
    # With it, 'sales' is a known unit but not a top unit: an orphan warning.
    r = run(["check", "--org", "elsewhere/org.yml", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 0
    assert "[orphan-objective]" in r.stdout


# ------------------------------------------------------------------------ formats


def test_json_format_parses_and_counts(clean: Path):
    write_tree(clean, {"okrs/2026-Q1/acme/typo.md": objective(owner="acmee", krs=2)})
    r = run(["check", "--format", "json", "--today", "2026-11-15"], clean)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["errors"] == 1 and doc["warnings"] == 1
    assert len(doc["diagnostics"]) == 2
    assert set(doc["diagnostics"][0]) == {"path", "line", "col", "severity", "message", "rule"}
    assert r.stderr == "okrs: 1 error, 1 warning in 3 files\n"


def test_json_format_when_clean(clean: Path):
    r = run(["check", "--format", "json", "--today", "2026-11-15"], clean)
    assert r.returncode == 0
    assert json.loads(r.stdout) == {"diagnostics": [], "errors": 0, "warnings": 0}


def test_github_format_escapes_properties_and_data(clean: Path):
    weird = "okrs/2026-Q1/acme/a%,:\r\nb.md"
    write_tree(clean, {weird: "no front-matter\n", "okrs/2026-Q1/acme/pct.md": objective(owner="50%")})
    r = run(["check", "--format", "github", "--today", "2026-11-15"], clean)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 2, lines  # no raw CR/LF leaked into a line
    assert all(line.startswith("::error file=") for line in lines)
    by_rule = {re.search(r"title=([a-z-]+)::", line)[1]: line for line in lines}
    assert by_rule["frontmatter-missing"].startswith(
        "::error file=okrs/2026-Q1/acme/a%25%2C%3A%0D%0Ab.md,line=1,col=1,title=frontmatter-missing::"
    )
    owner = by_rule["owner-unknown"]
    assert owner.startswith("::error file=okrs/2026-Q1/acme/pct.md,line=3,col=1,title=owner-unknown::")
    data = owner.split("::", 2)[2]
    assert "'50%25'" in data and "%3A" not in data  # data escapes % only (and CR/LF)
    assert data.endswith(" [owner-unknown]")


def test_github_format_for_warnings(clean: Path):
    write_tree(clean, {"okrs/2026-Q1/acme/grow.md": objective(krs=2)})
    r = run(["check", "--format", "github", "--today", "2026-11-15"], clean)
    assert r.returncode == 0
    assert r.stdout.startswith("::warning file=okrs/2026-Q1/acme/grow.md,line=")
    assert ",title=kr-count::" in r.stdout


def test_github_actions_env_selects_github_format(clean: Path):
    write_tree(clean, {"okrs/2026-Q1/acme/grow.md": objective(krs=2)})
    auto = run(["check", "--today", "2026-11-15"], clean, env={"GITHUB_ACTIONS": "true"})
    assert auto.stdout.startswith("::warning file=")
    explicit = run(["check", "--today", "2026-11-15", "--format", "text"], clean, env={"GITHUB_ACTIONS": "true"})
    assert TEXT_LINE.match(explicit.stdout.splitlines()[0])
    other = run(["check", "--today", "2026-11-15"], clean, env={"GITHUB_ACTIONS": "false"})
    assert TEXT_LINE.match(other.stdout.splitlines()[0])


# ------------------------------------------------------------- settings in mkdocs.yml


def mkdocs_yml(options: str, extra: str = "") -> str:
    return f"site_name: Test\n{extra}plugins:\n  - search\n  - okrs:\n{options}"


def test_okrs_dir_from_mkdocs_yml(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": mkdocs_yml("      okrs_dir: content/goals\n"),
            "content/goals/org.yml": ORG,
            "content/goals/2026-Q1/grow.md": objective(owner="acmee"),
        },
    )
    r = run(["check", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 1
    assert r.stdout.startswith("content/goals/2026-Q1/grow.md:3:1: error: ")
    assert r.stderr == "okrs: 1 error, 0 warnings in 2 files\n"


def test_plugin_listed_without_options_and_as_mapping(tmp_path: Path):
    write_tree(tmp_path, {"okrs/2026-Q1/grow.md": objective(krs=2)})
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - okrs\n")
    assert "[kr-count]" in run(["check", "--today", "2026-11-15"], tmp_path).stdout
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  search: {}\n  okrs:\n    rules: {kr-count: off}\n")
    r = run(["check", "--today", "2026-11-15", "--strict"], tmp_path)
    assert (r.returncode, r.stdout) == (0, "")


@pytest.mark.parametrize(
    "rules, code, marker",
    [
        ("{kr-count: off}", 0, None),
        ("{kr-count: false}", 0, None),
        ("{kr-count: error}", 1, "error: objective has 2 key results"),
        ("{kr-count: warning}", 0, "warning: objective has 2 key results"),
    ],
)
def test_rules_setting_changes_the_outcome(tmp_path: Path, rules: str, code: int, marker: str | None):
    write_tree(
        tmp_path,
        {"mkdocs.yml": mkdocs_yml(f"      rules: {rules}\n"), "okrs/2026-Q1/grow.md": objective(krs=2)},
    )
    r = run(["check", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == code, r.stdout + r.stderr
    if marker is None:
        assert r.stdout == ""
    else:
        assert marker in r.stdout


@pytest.mark.parametrize(
    "options, message",
    [
        ("      rules: {kr-cout: off}\n", "unknown rule id 'kr-cout'; did you mean 'kr-count'?"),
        ("      rules: {owner-unknown: off}\n", "cannot be switched off"),
        ("      rules: {kr-count: loud}\n", "severity must be off, warning or error"),
        ("      rules: [kr-count]\n", "rules: expected a mapping"),
        ("      today: next week\n", "today: 'next week' is not a date"),
        ("      fiscal_year_start: 13\n", "fiscal_year_start: expected a month number from 1 to 12, not 13"),
        ("      fiscal_year_start: April\n", "fiscal_year_start: expected a month number"),
        ("      okrs_dir: 12\n", "okrs_dir: expected a folder or file path"),
    ],
)
def test_bad_settings_in_mkdocs_yml_exit_2(tmp_path: Path, options: str, message: str):
    write_tree(tmp_path, {"mkdocs.yml": mkdocs_yml(options), "okrs/2026-Q1/grow.md": objective()})
    r = run(["check", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.startswith("okrs: error: mkdocs.yml: plugin 'okrs': ")
    assert message in r.stderr
    no_traceback(r)


def test_broken_mkdocs_yml_exits_2_with_location(tmp_path: Path):
    write_tree(tmp_path, {"mkdocs.yml": "site_name: T\nplugins: [okrs\n", "okrs/x.md": objective()})
    r = run(["check"], tmp_path)
    assert r.returncode == 2
    assert re.match(r"okrs: error: mkdocs\.yml:\d+:\d+: invalid YAML", r.stderr), r.stderr


def test_today_from_mkdocs_yml_and_override(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": mkdocs_yml("      today: 2026-10-10\n"),
            "okrs/2026-Q4/grow.md": objective(period="2026-Q4", checkins="2026-10-01"),
        },
    )
    assert run(["check", "--strict"], tmp_path).returncode == 0
    r = run(["check", "--strict", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 1
    assert "[stale-checkin]" in r.stdout and "today is 2026-11-15" in r.stdout


def test_fiscal_year_start_from_mkdocs_yml(tmp_path: Path):
    # 2026-Q1 of a fiscal year starting in October is October to December 2025:
    # running on 2025-11-15, without a check-in, so stale.
    write_tree(tmp_path, {"okrs/2026-Q1/grow.md": objective(period="2026-Q1")})
    assert run(["check", "--strict", "--today", "2025-11-15"], tmp_path).returncode == 0
    (tmp_path / "mkdocs.yml").write_text(mkdocs_yml("      fiscal_year_start: 10\n"))
    r = run(["check", "--strict", "--today", "2025-11-15"], tmp_path)
    assert r.returncode == 1
    assert "2026-Q1 started 45 days ago on 2025-10-01" in r.stdout
    # The command line wins over mkdocs.yml.
    r = run(["check", "--strict", "--today", "2025-11-15", "--fiscal-year-start", "1"], tmp_path)
    assert r.returncode == 0


def test_org_file_from_mkdocs_yml(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": mkdocs_yml("      org_file: people/org.yml\n"),
            "people/org.yml": ORG,
            "okrs/2026-Q1/grow.md": objective(owner="acmee"),
        },
    )
    r = run(["check", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 1
    assert "is not a unit in people/org.yml" in r.stdout
    (tmp_path / "people/org.yml").unlink()
    r = run(["check", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 2 and "org_file: 'people/org.yml' does not exist" in r.stderr


def test_mkdocs_yml_with_env_and_python_tags(tmp_path: Path):
    config = """\
site_name: !ENV [SITE_NAME, Test]
site_url: !ENV SITE_URL
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.snippets:
      base_path: !relative $config_dir
hooks:
  - !!python/object/apply:os.system ["echo hacked > hacked.txt"]
plugins:
  - okrs:
      today: !ENV [OKRS_TODAY, 2026-10-10]
      rules:
        kr-count: !ENV [OKRS_KR_COUNT, warning]
"""
    write_tree(
        tmp_path,
        {"mkdocs.yml": config, "okrs/2026-Q4/grow.md": objective(period="2026-Q4", krs=2, checkins="2026-10-01")},
    )
    r = run(["check"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "[kr-count]" in r.stdout and "[stale-checkin]" not in r.stdout
    r = run(["check"], tmp_path, env={"OKRS_TODAY": "2026-11-15", "OKRS_KR_COUNT": "off"})
    assert r.returncode == 0, r.stderr
    assert "[stale-checkin]" in r.stdout and "[kr-count]" not in r.stdout
    assert not (tmp_path / "hacked.txt").exists()


def test_mkdocs_yml_inherit(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "config/base.yml": "site_name: Base\nplugins:\n  - okrs:\n      okrs_dir: goals\n      rules: {kr-count: off}\n",
            "mkdocs.yml": "INHERIT: config/base.yml\nsite_name: Child\n",
            "goals/2026-Q1/grow.md": objective(krs=2),
        },
    )
    r = run(["check", "--strict", "--today", "2026-11-15"], tmp_path)
    assert (r.returncode, r.stdout) == (0, ""), r.stderr
    assert r.stderr == "okrs: no problems in 1 file\n"


def test_explicit_config_and_no_config(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "site/mkdocs.yml": mkdocs_yml("      okrs_dir: ../goals\n      rules: {kr-count: off}\n"),
            "goals/2026-Q1/grow.md": objective(krs=2),
            "mkdocs.yml": mkdocs_yml("      rules: {kr-count: error}\n"),
            "okrs/2026-Q1/grow.md": objective(krs=2),
        },
    )
    # --config: okrs_dir is relative to that file's folder.
    r = run(["check", "--config", "site/mkdocs.yml", "--strict", "--today", "2026-11-15"], tmp_path)
    assert (r.returncode, r.stdout) == (0, "")
    # The mkdocs.yml of the current folder applies to an explicit root too.
    r = run(["check", "goals", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 1 and "error: objective has 2 key results" in r.stdout
    # --no-config ignores it.
    r = run(["check", "goals", "--no-config", "--today", "2026-11-15"], tmp_path)
    assert r.returncode == 0 and "warning: objective has 2 key results" in r.stdout


# ---------------------------------------------------------------------- other commands


def test_version():
    r = subprocess.run([str(OKRS_SCRIPT), "--version"], capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stdout.strip() == f"okrs (mkdocs-okrs) {__version__}"


def test_rules_command_lists_every_rule(tmp_path: Path):
    r = run(["rules"], tmp_path)
    assert r.returncode == 0
    listed = {line.split()[0]: line.split()[1] for line in r.stdout.splitlines()}
    assert listed == {rid: rule.severity.value for rid, rule in RULES.items()}
    js = json.loads(run(["rules", "--format", "json"], tmp_path).stdout)
    assert [e["id"] for e in js if e["configurable"]] == sorted(r.id for r in RULES.values() if r.configurable)


def test_cli_import_stays_light():
    code = (
        "import sys, mkdocs_okrs.cli, mkdocs_okrs.core.loader, mkdocs_okrs.core.config;"
        "heavy = ('mkdocs', 'jinja2', 'markdown', 'nh3', 'material', 'pygraphviz');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


# ------------------------------------------------------------ docs/rules.md examples

RULES_DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
_SECTION = re.compile(r"^## (\S+)[ \t]*$", re.M)
_BLOCK = re.compile(r'^```(\w+)(?: title="([^"]+)")?\n(.*?)^```[ \t]*$', re.M | re.S)
_KRS = "".join(f"  - {{title: Measure {i}, start: 0, target: 10}}\n" for i in range(3))

def _link_outside(root: Path) -> None:
    """okrs/2026-Q3/sales/plan.md, a symbolic link to private/plan.md beside okrs/."""
    write_tree(root, {"private/plan.md": objective(), "okrs/2026-Q3/sales/.keep": ""})
    try:
        os.symlink("../../../private/plan.md", root / "okrs/2026-Q3/sales/plan.md")
    except (OSError, NotImplementedError) as exc:  # Windows without the symlink privilege
        pytest.skip(f"cannot create a symbolic link here: {exc}")


# Rules whose trigger cannot be written as a text file in the docs: built here.
_SPECIAL_SETUPS = {
    "file-outside-root": _link_outside,
    "file-unreadable": lambda root: (root / "okrs/2026-Q3/ideas.md").mkdir(parents=True),
    "file-encoding": lambda root: write_tree(
        root, {"okrs/2026-Q3/sales/cafe.md": "---\nobjective: Caf\xe9 sales\n---\n".encode("latin-1")}
    ),
    "file-too-large": lambda root: write_tree(root, {"okrs/2026-Q3/sales/dump.md": b"---\n" + b"x" * (2 * 1024 * 1024 - 4)}),
    "objective-count": lambda root: write_tree(
        root,
        {
            f"okrs/2026-Q3/sales/{n}.md": f"---\nobjective: Grow {n}\nowner: sales\nperiod: 2026-Q3\nkey_results:\n{_KRS}---\n"
            for n in "abcdef"
        },
    ),
}


def _doc_sections() -> dict[str, str]:
    parts = _SECTION.split(RULES_DOC.read_text(encoding="utf-8"))
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_rules_doc_has_one_section_per_rule():
    sections = _doc_sections()
    assert set(sections) == set(RULES)
    for rid, rule in RULES.items():
        kind = "Warning, configurable." if rule.configurable else "Error."
        assert kind in sections[rid], rid


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rules_doc_example_prints_what_the_doc_says(tmp_path: Path, rule_id: str):
    body = _doc_sections()[rule_id]
    files: dict[str, str | bytes] = {}
    expected: list[str] | None = None
    for lang, title, content in _BLOCK.findall(body):
        if title:
            files[title] = content
        elif lang == "text" and expected is None:
            expected = content.splitlines()
    assert expected, f"docs/rules.md#{rule_id} shows no output"
    assert any(line.endswith(f"[{rule_id}]") for line in expected)
    if files:
        write_tree(tmp_path, files)
    else:
        _SPECIAL_SETUPS[rule_id](tmp_path)
    r = run(["check", "--no-config", "--today", "2026-11-15"], tmp_path)
    no_traceback(r)
    got = r.stdout.splitlines()
    if files:
        assert got == expected, "docs/rules.md#" + rule_id + " is out of date; okrs check prints:\n" + r.stdout
    else:
        assert set(expected) <= set(got), "docs/rules.md#" + rule_id + " is out of date; okrs check prints:\n" + r.stdout


def test_pre_commit_hook_definition_runs(clean: Path):
    import yaml

    hooks = yaml.safe_load((RULES_DOC.parent.parent / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "okrs-check"]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    exe, *args = hook["entry"].split()
    assert exe == "okrs"
    r = run(args + ["--strict", "--today", "2026-11-15"], clean, script=True)
    assert r.returncode == 0, r.stderr
