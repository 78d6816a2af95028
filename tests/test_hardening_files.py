"""Hardening: what may be read below the OKR root, and what file names may print.

- Nothing outside the OKR root is read: a symbolic link (file or folder, at any
  depth, or a chain of links) leading outside is ``file-outside-root``; links
  that stay inside keep working.
- What is not a regular file (a device, a named pipe, a socket) is named as such
  and never read, and nothing blocks.
- A file name or a contributor's text cannot forge a diagnostic: every text
  output keeps one problem on one line, with control characters escaped.

Everything runs on real files, links, pipes and devices; the command line as a
real subprocess, with a timeout.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.diagnostics import Diagnostic, Severity, escape_text
from mkdocs_okrs.core.frontmatter import SourceError, read_source
from mkdocs_okrs.core.model import Settings
from mkdocs_okrs.core.rules import RULES

from loader_helpers import TODAY, errors, good, load, only, strict_loading, where  # noqa: F401  (load, strict_loading: fixtures)

pytestmark = pytest.mark.usefixtures("strict_loading")

ORG = "units:\n  - id: platform\n    name: Platform\n"


def link(target: str | os.PathLike, at: Path, directory: bool = False) -> None:
    """A real symbolic link ``at`` -> ``target`` (the test is skipped where links cannot be made).

    ``directory``: the target is a folder (Windows makes folder links apart)."""
    at.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.symlink(target, at, target_is_directory=directory)
    except (OSError, NotImplementedError) as exc:  # Windows without the symlink privilege
        pytest.skip(f"cannot create a symbolic link here: {exc}")


def run_okrs(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """``okrs ARGS`` as a subprocess in ``cwd``; a hang fails the test (TimeoutExpired)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_okrs", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr


# --- symbolic links leaving the root ----------------------------------------------------


def test_rule_is_a_registered_error():
    assert RULES["file-outside-root"].severity is Severity.ERROR
    assert not RULES["file-outside-root"].configurable


def test_file_link_out_of_the_root_is_reported_and_not_read(load, tmp_path):
    (tmp_path / "secret.md").write_text(good(body="Salary bands.\n"))
    link(tmp_path / "secret.md", tmp_path / "okrs" / "leak.md")
    okrs = load({"a.md": good()})
    d = only(okrs, "file-outside-root")
    assert (d.path, d.line, d.col, d.severity) == ("okrs/leak.md", 1, 1, Severity.ERROR)
    assert d.message == (
        f"the symbolic link to {str(tmp_path / 'secret.md')!r} leads outside the OKR folder; "
        "it is not read: only what lies inside the OKR folder is checked and published"
    )
    assert list(okrs.objectives) == ["a"]
    assert okrs.source_files == 1  # leak.md was not read


def test_relative_link_out_of_the_root_names_what_it_points_to(load, tmp_path):
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "plan.md").write_text(good())
    link("../../private/plan.md", tmp_path / "okrs" / "2026-Q4" / "plan.md")
    d = only(load({"a.md": good()}), "file-outside-root")
    assert d.path == "okrs/2026-Q4/plan.md"
    assert "to '../../private/plan.md' leads outside the OKR folder;" in d.message


def test_folder_link_out_of_the_root_at_depth_is_not_followed(load, tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "deeper").mkdir(parents=True)
    (outside / "x.md").write_text(good())
    (outside / "deeper" / "y.md").write_text("not even an objective\n")
    link(outside, tmp_path / "okrs" / "2026-Q4" / "team" / "shared", directory=True)
    okrs = load({"a.md": good()})
    assert where(okrs, "file-outside-root") == [("okrs/2026-Q4/team/shared", 1, 1)]
    assert list(okrs.objectives) == ["a"]
    assert [d.rule for d in okrs.diagnostics if d.severity is Severity.ERROR] == ["file-outside-root"]


def test_chain_of_links_leaving_the_root_names_every_link(load, tmp_path):
    (tmp_path / "secret.md").write_text(good())
    root = tmp_path / "okrs"
    link(tmp_path / "secret.md", root / "_hop.md")  # skipped by name, but a hop of the chain
    link("_hop.md", root / "one.md")
    link("one.md", root / "two.md")
    okrs = load({"a.md": good()})
    by_path = {d.path: d.message for d in okrs.diagnostics if d.rule == "file-outside-root"}
    assert set(by_path) == {"okrs/one.md", "okrs/two.md"}
    assert by_path["okrs/one.md"].startswith(
        "the symbolic link to '_hop.md' leads outside the OKR folder (through other links, to secret.md);"
    )
    assert by_path["okrs/two.md"].startswith("the symbolic link to 'one.md' leads outside the OKR folder (through")
    assert list(okrs.objectives) == ["a"]


def test_chain_of_folder_links_leaving_the_root(load, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.md").write_text(good())
    root = tmp_path / "okrs"
    link(tmp_path / "outside", root / "_door", directory=True)
    link("_door", root / "room", directory=True)
    okrs = load({"a.md": good()})
    assert where(okrs, "file-outside-root") == [("okrs/room", 1, 1)]
    assert list(okrs.objectives) == ["a"]


def test_default_org_yml_linked_out_of_the_root(load, tmp_path):
    (tmp_path / "company.yml").write_text(ORG)
    link(tmp_path / "company.yml", tmp_path / "okrs" / "org.yml")
    okrs = load({"a.md": good()})
    d = only(okrs, "file-outside-root")
    assert d.path == "okrs/org.yml"
    assert repr(str(tmp_path / "company.yml")) in d.message
    assert okrs.org.defined and okrs.org.units == {}  # not read
    assert where(okrs, "owner-unknown") == []  # no flood of follow-up errors
    assert okrs.source_files == 1


def test_explicit_org_file_may_be_a_link_out_of_the_root(load, tmp_path):
    (tmp_path / "company.yml").write_text(ORG)
    link(tmp_path / "company.yml", tmp_path / "config" / "org.yml")
    okrs = load({"a.md": good()}, org_file=tmp_path / "config" / "org.yml")
    assert errors(okrs) == [] and list(okrs.org.units) == ["platform"]


def test_default_org_yml_linked_within_the_root(load, tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    (root / "_org").mkdir()
    (root / "_org" / "units.yml").write_text(ORG)
    link("_org/units.yml", root / "org.yml")
    okrs = load({"a.md": good(owner="nobody")})
    assert okrs.org.defined and list(okrs.org.units) == ["platform"]
    assert where(okrs, "owner-unknown") == [("okrs/a.md", 3, 1)]


# --- symbolic links that stay inside ------------------------------------------------------


def test_link_to_a_sibling_file_is_read(load, tmp_path):
    link("a.md", tmp_path / "okrs" / "b.md")
    okrs = load({"a.md": good()})
    assert errors(okrs) == [] and list(okrs.objectives) == ["a", "b"]


def test_folder_linked_twice_is_read_twice(load, tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    link("2026-Q4", root / "x", directory=True)
    link(root / "2026-Q4", root / "y", directory=True)  # absolute, and inside
    okrs = load({"2026-Q4/a.md": good()})
    assert errors(okrs) == []
    assert list(okrs.objectives) == ["2026-Q4/a", "x/a", "y/a"]


def test_link_loop_within_the_root_ends(load, tmp_path):
    root = tmp_path / "okrs"
    (root / "sub").mkdir(parents=True)
    link("..", root / "sub" / "up", directory=True)
    link("loop-b.md", root / "loop-a.md")
    link("loop-a.md", root / "loop-b.md")
    okrs = load({"sub/a.md": good()})
    assert "sub/a" in okrs.objectives
    assert where(okrs, "file-outside-root") == []
    assert {p for p, _, _ in where(okrs, "file-unreadable")} == {"okrs/loop-a.md", "okrs/loop-b.md"}


def test_chain_passing_outside_and_back_in_reads_the_file_inside(load, tmp_path):
    # Only where the chain ends is read: that lies inside the root.
    link(tmp_path / "okrs" / "a.md", tmp_path / "hub" / "a.md")
    link(tmp_path / "hub" / "a.md", tmp_path / "okrs" / "back.md")
    okrs = load({"a.md": good()})
    assert errors(okrs) == [] and list(okrs.objectives) == ["a", "back"]


def test_root_reached_through_a_link(tmp_path, okr_tree):
    okr_tree({"a.md": good(), "org.yml": ORG})
    link("okrs", tmp_path / "current", directory=True)
    link("a.md", tmp_path / "okrs" / "b.md")
    okrs = load_okrs(tmp_path / "current", Settings(today=TODAY), display_base=tmp_path)
    assert errors(okrs) == [] and list(okrs.objectives) == ["a", "b"]
    assert list(okrs.org.units) == ["platform"]
    # paths are shown as reached, through the link
    (tmp_path / "okrs" / "broken.md").write_text("no front-matter\n")
    bad = load_okrs(tmp_path / "current", Settings(today=TODAY), display_base=tmp_path)
    assert where(bad, "frontmatter-missing") == [("current/broken.md", 1, 1)]


def test_root_reached_through_a_link_still_refuses_links_out(tmp_path, okr_tree):
    okr_tree({"a.md": good()})
    (tmp_path / "secret.md").write_text(good())
    link("okrs", tmp_path / "current", directory=True)
    link("../secret.md", tmp_path / "okrs" / "leak.md")
    okrs = load_okrs(tmp_path / "current", Settings(today=TODAY), display_base=tmp_path)
    assert where(okrs, "file-outside-root") == [("current/leak.md", 1, 1)]
    assert list(okrs.objectives) == ["a"]


# --- devices, pipes, sockets ------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_read_source_refuses_a_character_device_without_reading():
    with pytest.raises(SourceError) as info:
        read_source("/dev/zero")
    assert info.value.rule == "file-unreadable"
    assert info.value.message == "cannot read the file: it is a character device, not a regular file"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_link_to_dev_zero_is_outside_the_root_and_named_a_device(load, tmp_path):
    link("/dev/zero", tmp_path / "okrs" / "zero.md")
    okrs = load({"a.md": good()})
    d = only(okrs, "file-outside-root")
    assert d.path == "okrs/zero.md"
    assert "to '/dev/zero' leads outside the OKR folder (a character device);" in d.message
    assert "bytes" not in d.message and "1 MiB" not in d.message


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_org_file_that_is_a_device(load):
    okrs = load({"a.md": good()}, org_file="/dev/zero")
    d = only(okrs, "file-unreadable")
    assert d.path == "/dev/zero"
    assert d.message == "cannot read the file: it is a character device, not a regular file"


def test_character_device_inside_the_root(load, tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    try:
        os.mknod(root / "tty.md", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero
    except (AttributeError, OSError) as exc:
        pytest.skip(f"cannot create a device here: {exc}")
    d = only(load({"a.md": good()}), "file-unreadable")
    assert (d.path, d.message) == ("okrs/tty.md", "cannot read the file: it is a character device, not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_link_within_the_root_to_a_named_pipe(load, tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    os.mkfifo(root / "_pipe")
    link("_pipe", root / "p.md")
    d = only(load({"a.md": good()}), "file-unreadable")
    assert (d.path, d.message) == ("okrs/p.md", "cannot read the file: it is a named pipe (FIFO), not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_default_org_yml_that_is_a_named_pipe(load, tmp_path):
    (tmp_path / "okrs").mkdir()
    os.mkfifo(tmp_path / "okrs" / "org.yml")
    d = only(load({"a.md": good()}), "file-unreadable")
    assert (d.path, d.message) == ("okrs/org.yml", "cannot read the file: it is a named pipe (FIFO), not a regular file")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_socket_named_like_an_objective(load, tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    s = socket.socket(socket.AF_UNIX)
    try:
        try:
            s.bind(str(root / "s.md"))
        except OSError as exc:  # path too long for a socket address
            pytest.skip(f"cannot bind a socket here: {exc}")
        d = only(load({"a.md": good()}), "file-unreadable")
    finally:
        s.close()
    assert (d.path, d.message) == ("okrs/s.md", "cannot read the file: it is a socket, not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="no pipes or /dev/zero")
def test_cli_on_a_fifo_and_a_dev_zero_link_does_not_block(tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    (root / "org.yml").write_text(ORG)
    (root / "a.md").write_text(good())
    os.mkfifo(root / "x.md")
    link("/dev/zero", root / "zero.md")
    r = run_okrs(["check", "--no-config", "--format", "json", "--today", "2026-11-15", "okrs"], tmp_path, timeout=30)
    no_traceback(r)
    assert r.returncode == 1
    got = {(d["path"], d["rule"]): d["message"] for d in json.loads(r.stdout)["diagnostics"] if d["severity"] == "error"}
    assert got == {
        ("okrs/x.md", "file-unreadable"): "cannot read the file: it is a named pipe (FIFO), not a regular file",
        ("okrs/zero.md", "file-outside-root"): (
            "the symbolic link to '/dev/zero' leads outside the OKR folder (a character device); "
            "it is not read: only what lies inside the OKR folder is checked and published"
        ),
    }


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_cli_org_option_naming_a_device_is_a_usage_error(tmp_path):
    (tmp_path / "okrs").mkdir()
    r = run_okrs(["check", "--no-config", "--org", "/dev/zero", "okrs"], tmp_path, timeout=30)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "okrs: error: --org: '/dev/zero' is a character device, not a regular file\n"


# --- file names and text that could forge a diagnostic --------------------------------------


def test_escape_text_escapes_controls_and_keeps_ordinary_text():
    assert escape_text("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert escape_text("\x1b[31mred\x1b[0m\x00\x7f") == "\\x1b[31mred\\x1b[0m\\x00\\x7f"
    assert escape_text("next\x85line\u2028sep\u2029para") == "next\\x85line\\u2028sep\\u2029para"
    assert escape_text("abc\u202edcba") == "abc\\u202edcba"  # a right-to-left override
    ordinary = "Café größer 東京 😀 a\\b 50% ‘quoted’ → …"
    assert escape_text(ordinary) is ordinary


def test_format_text_is_one_line_whatever_the_path_and_message():
    d = Diagnostic("okrs/a\nokrs/b.md:1:1: error: forged [x]\u2028.md", 2, 3, Severity.ERROR, "bad\r\x1b[2Jvalue\x85", "yaml-syntax")
    text = d.format_text()
    assert text.splitlines() == [text] and "\n" not in text
    assert text == (
        "okrs/a\\nokrs/b.md:1:1: error: forged [x]\\u2028.md:2:3: error: bad\\r\\x1b[2Jvalue\\x85 [yaml-syntax]"
    )


def test_format_github_escapes_every_control_character():
    d = Diagnostic("okrs/a\x1b[2J\u2028,b.md", 1, 1, Severity.WARNING, "50% \x1b]8;;x\x07\n\x85done", "kr-count")
    line = d.format_github()
    assert line.splitlines() == [line]
    assert line == "::warning file=okrs/a\\x1b[2J\\u2028%2Cb.md,line=1,col=1,title=kr-count::50%25 \\x1b]8;;x\\x07%0A\\x85done [kr-count]"


def _forged_tree(tmp_path: Path) -> dict[str, str]:
    """A real OKR root with files whose names hold a newline, an ESC sequence and U+2028."""
    root = tmp_path / "okrs"
    root.mkdir()
    (root / "org.yml").write_text(ORG)
    names = {
        "newline": "a\nforged.md:1:1: error: this line is forged [yaml-syntax]\nb.md",
        "esc": "\x1b[2K\x1b[1Gclear.md",
        "separator": "c\u2028d\x85e.md",
    }
    for name in names.values():
        try:
            (root / name).write_text("no front-matter here\n", encoding="utf-8")
        except (OSError, ValueError, UnicodeEncodeError) as exc:  # Windows refuses these names
            pytest.skip(f"cannot create such a file name here: {exc}")
    return names


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_cli_prints_one_line_per_problem_for_forged_file_names(tmp_path, fmt):
    names = _forged_tree(tmp_path)
    base = ["check", "--no-config", "--today", "2026-11-15", "okrs"]
    js = run_okrs([*base, "--format", "json"], tmp_path)
    no_traceback(js)
    diags = json.loads(js.stdout)["diagnostics"]
    assert {d["path"] for d in diags} == {"okrs/" + n for n in names.values()}  # JSON keeps the names exact
    r = run_okrs([*base, "--format", fmt], tmp_path)
    no_traceback(r)
    assert r.returncode == 1
    lines = r.stdout.split("\n")
    assert lines[-1] == "" and len(lines[:-1]) == len(diags) == 3
    assert r.stdout.splitlines() == lines[:-1]  # no other line break (CR, U+0085, U+2028) either
    assert all("\x1b" not in line and "\r" not in line for line in lines)
    out = r.stdout
    if fmt == "text":
        assert "okrs/a\\nforged.md:1:1: error: this line is forged [yaml-syntax]\\nb.md:1:1: error: " in out
        assert "okrs/\\x1b[2K\\x1b[1Gclear.md:1:1: error: " in out
        assert "okrs/c\\u2028d\\x85e.md:1:1: error: " in out
        assert not any(line.startswith("forged.md") for line in lines)
    else:
        assert all(line.startswith("::error file=okrs/") for line in lines[:-1])
        assert "file=okrs/a%0Aforged.md%3A1%3A1%3A error%3A this line is forged [yaml-syntax]%0Ab.md," in out
        assert "file=okrs/\\x1b[2K\\x1b[1Gclear.md," in out
        assert "file=okrs/c\\u2028d\\x85e.md," in out
    assert r.stderr == "okrs: 3 errors, 0 warnings in 4 files\n"


def test_cli_usage_error_with_a_newline_in_the_root_is_one_line(tmp_path):
    r = run_okrs(["check", "--no-config", "no\nsuch\x1b[2Jroot"], tmp_path, timeout=30)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [r.stderr.rstrip("\n")]
    assert "\x1b" not in r.stderr and "such" in r.stderr


def test_cli_argparse_error_escapes_what_was_typed(tmp_path):
    r = run_okrs(["check", "--no-config", "okrs", "extra\nokrs/a.md:1:1: error: forged [x]"], tmp_path, timeout=30)
    assert r.returncode == 2
    err = r.stderr.splitlines()
    assert err[-1] == "okrs: error: unrecognized arguments: extra\\nokrs/a.md:1:1: error: forged [x]"
    assert not any(line.startswith("okrs/a.md") for line in err)


def test_cli_rules_prints_one_line_per_rule(tmp_path):
    r = run_okrs(["rules"], tmp_path, timeout=30)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert len(lines) == len(RULES)
    assert any(line.startswith("file-outside-root ") and " error " in line for line in lines)
