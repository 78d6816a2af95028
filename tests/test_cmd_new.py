"""``okrs new PERIOD UNIT SLUG``: a new objective file from the unit's template.

Real files in a temporary folder, the real command line; the new files are
compared byte for byte with what they must be.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mkdocs_okrs.cli import main

REPO = Path(__file__).resolve().parents[1]
ORG = """\
units:
  - id: acme
    name: Acme
  - id: sales
    name: Sales
    parent: acme
"""


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "org.yml").write_text(ORG)
    return tmp_path


def okrs(capsys, *argv: str, today: str = "2026-11-20") -> tuple[int, str, str]:
    try:
        rc = main([*argv, "--no-config", "--today", today])
    except SystemExit as exc:
        rc = exc.code
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def files(ws: Path) -> set[str]:
    return {p.relative_to(ws).as_posix() for p in ws.rglob("*") if p.is_file()}


BUILTIN = """\
---
# Created by `okrs new`. Write the objective as a qualitative goal, without numbers,
# and give it three to five key results; run `okrs check` before the pull request.
objective: More qualified leads
owner: sales
period: 2027-Q1
# parent: <objective id>           # the objective this one supports, or <id>#<kr-id>
# commitment: committed            # or aspirational (the default: 70 % is a good result)
key_results:
  # Each key result is an outcome you can measure: a metric with start and target,
  #   - title: Checkout p95 latency
  #     start: 800
  #     target: 200
  #     unit: ms
  # or a milestone (done: false). Record progress with `okrs checkin`.
  - title: The first result that shows the objective is reached
  - title: The second result
  - title: The third result
---
Why this objective matters, and the initiatives that should move its key results.
"""


def test_builtin_template_passes_check(ws, capsys):
    rc, out, err = okrs(capsys, "new", "2027-Q1", "sales", "more-qualified-leads")
    assert rc == 0, err
    assert out == "created okrs/2027-Q1/sales/more-qualified-leads.md from the built-in template\n"
    assert (ws / "okrs/2027-Q1/sales/more-qualified-leads.md").read_text() == BUILTIN
    rc, out, err = okrs(capsys, "check")
    assert rc == 0, out  # warnings only: no measure yet, no parent
    assert " error: " not in out
    assert {line.rsplit("[", 1)[1] for line in out.splitlines()} == {"kr-no-measure]", "orphan-objective]"}


TEMPLATE = """\
---
# Our team's template: fill in everything marked TODO.
objective: "TODO: the goal"
owner: OWNER   # the team
period: PERIOD

commitment: aspirational
key_results:
  - title: Qualified leads per month
    start: 0
    target: 100
---
## Why

TODO
"""


def test_default_template_keeps_every_byte_but_period_and_owner(ws, capsys):
    (ws / "okrs/_templates").mkdir()
    (ws / "okrs/_templates/default.md").write_bytes(b"\xef\xbb\xbf" + TEMPLATE.replace("\n", "\r\n").encode())
    rc, out, err = okrs(capsys, "new", "2026-Q4", "sales", "leads.md")  # '.md' is not doubled
    assert rc == 0, err
    assert out == "created okrs/2026-Q4/sales/leads.md from okrs/_templates/default.md\n"
    expected = TEMPLATE.replace("owner: OWNER   #", "owner: sales   #").replace("period: PERIOD", "period: 2026-Q4")
    assert (ws / "okrs/2026-Q4/sales/leads.md").read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_the_units_template_comes_first_and_missing_keys_are_added(ws, capsys):
    (ws / "okrs/_templates").mkdir()
    (ws / "okrs/_templates/default.md").write_text(TEMPLATE)
    (ws / "okrs/_templates/acme.md").write_text(
        "---\nobjective: Acme wins  # top\nkey_results:\n  - {title: Revenue, start: 1, target: 2}\n---\n"
    )
    rc, out, err = okrs(capsys, "new", "2026", "acme", "wins", "--show")
    assert rc == 0, err
    text = "---\nobjective: Acme wins  # top\nowner: acme\nperiod: 2026\nkey_results:\n  - {title: Revenue, start: 1, target: 2}\n---\n"
    assert out == "created okrs/2026/acme/wins.md from okrs/_templates/acme.md\n" + text
    assert (ws / "okrs/2026/acme/wins.md").read_text() == text
    assert okrs(capsys, "check")[0] == 0


def test_a_template_that_would_not_pass_is_refused_with_diagnostics(ws, capsys):
    (ws / "okrs/_templates").mkdir()
    (ws / "okrs/_templates/default.md").write_text(TEMPLATE.replace("period: PERIOD\n", "period: PERIOD\nparent: TODO/parent\n"))
    before = files(ws)
    rc, _, err = okrs(capsys, "new", "2026-Q4", "sales", "leads")
    assert rc == 1
    assert "okrs: new: the file made from okrs/_templates/default.md would not pass 'okrs check':" in err
    assert "okrs/2026-Q4/sales/leads.md:6:1: error: parent objective 'TODO/parent' does not exist" in err
    assert "[parent-unknown]" in err and "nothing was written" in err
    assert files(ws) == before


def test_never_over_an_existing_file(ws, capsys):
    path = ws / "okrs/2026-Q4/sales/leads.md"
    path.parent.mkdir(parents=True)
    path.write_text("whatever, not even an objective")
    rc, _, err = okrs(capsys, "new", "2026-Q4", "sales", "leads")
    assert rc == 1 and "okrs/2026-Q4/sales/leads.md exists; okrs new never replaces a file" in err
    assert path.read_text() == "whatever, not even an objective"


def test_the_id_taken_by_another_file_is_refused(ws, capsys):
    other = ws / "okrs/2026-Q4/sales/other.md"
    other.parent.mkdir(parents=True)
    other.write_text("---\nid: 2026-Q4/sales/leads\nobjective: X\nowner: sales\nperiod: 2026-Q4\nparent: 2026/acme/y\n"
                     "key_results:\n  - {title: A, start: 0, target: 1}\n---\n")
    rc, _, err = okrs(capsys, "new", "2026-Q4", "sales", "leads")
    assert rc == 1 and "[id-duplicate]" in err
    assert not (ws / "okrs/2026-Q4/sales/leads.md").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["2026-Q5", "sales", "x"], "PERIOD '2026-Q5' is not a period"),
        (["2026-q4", "sales", "x"], "did you mean '2026-Q4'?"),
        (["2026-Q4", "sails", "x"], "UNIT 'sails' is not a unit of okrs/org.yml; did you mean 'sales'?"),
        (["2026-Q4", "sales", "_draft"], "SLUG '_draft' cannot be a file name"),
        (["2026-Q4", "sales", "a/b"], "SLUG 'a/b' cannot be a file name"),
        (["2026-Q4", "sa les", "x"], "UNIT 'sa les' is not a valid unit id"),
    ],
)
def test_usage_errors(ws, capsys, argv, message):
    before = files(ws)
    rc, _, err = okrs(capsys, "new", *argv)
    assert rc == 2 and message in err, err
    assert files(ws) == before


def test_without_org_yml_any_unit_will_do(ws, capsys):
    (ws / "okrs/org.yml").unlink()
    rc, _, err = okrs(capsys, "new", "2026-Q4", "whoever", "x")
    assert rc == 0, err


def test_dry_run_writes_nothing(ws, capsys):
    before = files(ws)
    rc, out, err = okrs(capsys, "new", "2027-Q1", "sales", "more-qualified-leads", "--dry-run", "--show")
    assert rc == 0
    assert out == "would create okrs/2027-Q1/sales/more-qualified-leads.md from the built-in template\n" + BUILTIN
    assert "dry run, nothing written" in err
    assert files(ws) == before


def test_interrupted_write_leaves_nothing(ws, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    before = files(ws)
    rc, _, err = okrs(capsys, "new", "2027-Q1", "sales", "x")
    assert rc == 1 and "cannot write okrs/2027-Q1/sales/x.md: No space left on device" in err
    assert files(ws) == before  # no file, no temp file


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["new", "--help"])
    assert exc.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_demo(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "okrs", tmp_path / "okrs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    assert main(["new", "2026-Q4", "marketing", "trail-shoe-fit"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0  # warnings (no measure yet), no error
    assert "error:" not in capsys.readouterr().out


# --- review of #14: paths, links, permissions ------------------------------------------


def test_a_folder_linked_outside_the_root_is_not_written_through(ws, capsys):
    outside = ws / "outside"
    outside.mkdir()
    os.symlink(outside, ws / "okrs" / "2027-Q1")
    rc, out, err = okrs(capsys, "new", "2027-Q1", "sales", "leads")
    assert rc == 1, (out, err)
    assert "okrs/2027-Q1/sales/leads.md:1:1: error: this file would be written outside the OKR folder" in err
    assert "[file-outside-root]" in err
    assert list(outside.iterdir()) == []


def test_the_check_runs_when_the_root_is_reached_through_a_link(ws, capsys):
    os.symlink(ws / "okrs", ws / "linked")
    (ws / "okrs/_templates").mkdir()
    (ws / "okrs/_templates/default.md").write_text(TEMPLATE.replace("start: 0\n", "start: zero\n"))
    rc, out, err = okrs(capsys, "new", "2026-Q4", "sales", "leads", "--root", "linked")
    assert rc == 1, (out, err)
    assert "linked/2026-Q4/sales/leads.md:10:" in err and "[field-type]" in err, err
    assert not (ws / "okrs/2026-Q4").exists()


def test_a_new_file_has_the_permissions_the_umask_gives(ws, capsys):
    old = os.umask(0o027)
    try:
        rc, _, err = okrs(capsys, "new", "2027-Q1", "sales", "leads")
    finally:
        os.umask(old)
    assert rc == 0, err
    assert (ws / "okrs/2027-Q1/sales/leads.md").stat().st_mode & 0o777 == 0o640


def test_a_file_where_the_units_folder_should_be_is_named(ws, capsys):
    (ws / "okrs/2027-Q1").mkdir()
    (ws / "okrs/2027-Q1/sales").write_text("not a folder")
    rc, out, err = okrs(capsys, "new", "2027-Q1", "sales", "leads")
    assert rc == 1, (out, err)
    assert err == ("okrs: new: cannot write okrs/2027-Q1/sales/leads.md: okrs/2027-Q1/sales is not a folder; "
                   "nothing was written\n")
