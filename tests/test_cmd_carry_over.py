"""``okrs carry-over FROM_PERIOD TO_PERIOD``: unfinished objectives continued in the
next period, every byte of the source kept but what the contract changes.

Real files in a temporary folder, the real command line; the written files are
compared byte for byte with what they must be.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from mkdocs_okrs.cli import main
from mkdocs_okrs.core.loader import load_okrs
from mkdocs_okrs.core.model import Settings

REPO = Path(__file__).resolve().parents[1]
ORG = """\
units:
  - id: acme
    name: Acme
  - id: sales
    name: Sales
    parent: acme
  - id: support
    name: Support
    parent: acme
"""
YEAR = """\
---
objective: Grow the company
owner: acme
period: 2026
key_results:
  - {id: leads, title: Leads, start: 0, target: 1}
  - {id: revenue, title: Revenue, start: 0, target: 1}
---
"""
SUMMER = """\
---
objective: Win the summer
owner: acme
period: 2026-Q3
key_results:
  - {id: summer, title: Summer sales, start: 0, target: 1, checkins: [{date: 2026-09-30, value: 1}]}
---
"""

SOURCE = """\
---
# Carried work from Q3
id: sales-q3-leads
objective: Win more qualified leads
owner: sales
period: 2026-Q3   # summer
parent: 2026/acme/grow#leads
commitment: committed
status: at-risk
visibility: private
tags: [leads]
review_until: 2026-10-31
retrospective: >-
  Webinars worked;
  events did not.

key_results:
  # a metric with block check-ins and current
  - id: leads
    title: Qualified leads per month
    start: 120
    target: 200   # stretch
    current: 160
    checkins:
      - {date: 2026-07-15, value: 140}
      # mid
      - {date: 2026-09-01, value: 160, note: "Webinars"}
  - title: Demo requests
    start: 10
    target: 20
    checkins: [{date: 2026-09-20, value: 22}]
  - title: Pricing page live
    done: true
    done_on: 2026-10-05
    checkins:
    - date: 2026-10-05
      note: Live
  - title: Partner programme signed
    done: true
    done_on: 2026-08-01
  - Publish the playbook
  - title: Monthly churn
    start: 5
    target: 3
    current: 4.5
---
Why this matters.

- Keep *this* body.
"""

CARRIED = """\
---
# Carried work from Q3
objective: Win more qualified leads
owner: sales
period: 2026-Q4   # summer
carried_from: sales-q3-leads
parent: 2026/acme/grow#leads
commitment: committed
visibility: private
tags: [leads]

key_results:
  # a metric with block check-ins and current
  - id: leads
    title: Qualified leads per month
    start: 160
    target: 200   # stretch
  - id: kr3
    title: Pricing page live
    done: false
  - {id: kr5, title: Publish the playbook}
  - id: kr6
    title: Monthly churn
    start: 4.5
    target: 3
---
Why this matters.

- Keep *this* body.
"""


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")
    write(tmp_path, "okrs/org.yml", ORG)
    write(tmp_path, "okrs/2026/acme/grow.md", YEAR)
    write(tmp_path, "okrs/2026-Q3/acme/summer.md", SUMMER)
    return tmp_path


def write(ws: Path, rel: str, data: str | bytes) -> Path:
    path = ws / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def okrs(capsys, *argv: str, today: str = "2026-11-20") -> tuple[int, str, str]:
    try:
        rc = main([*argv, "--no-config", "--today", today])
    except SystemExit as exc:
        rc = exc.code
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def snapshot(ws: Path) -> dict[str, bytes]:
    return {p.relative_to(ws).as_posix(): p.read_bytes() for p in ws.rglob("*") if p.is_file()}


def test_a_carried_objective_keeps_every_byte_but_what_the_contract_changes(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/leads.md", SOURCE)
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 0, err
    assert (ws / "okrs/2026-Q4/sales/leads.md").read_text() == CARRIED
    assert out == (
        "wrote okrs/2026-Q4/sales/leads.md: carried from sales-q3-leads (score 0.55, below its committed bar 1.0)\n"
        "  key result leads starts at 160\n"
        "  key result kr2 left out: met on 2026-09-30 (22, target 20)\n"
        "  key result kr3: done: false (it was done after 2026-09-30)\n"
        "  key result kr4 left out: done on 2026-08-01\n"
        "  key result kr6 starts at 4.5\n"
        "  left out: status:, retrospective:, review_until:, id:\n"
        "skipped 2026-Q3/acme/summer: met its bar: score 1.00, aspirational bar 0.7\n"
    )
    assert err == "okrs: carry-over 2026-Q3 -> 2026-Q4: 1 written, 1 skipped\n"
    okrs_set = load_okrs(ws / "okrs", Settings(today=dt.date(2026, 11, 20)))
    assert okrs_set.ok, okrs_set.diagnostics
    new = okrs_set.objectives["2026-Q4/sales/leads"]
    assert new.carried_from == "sales-q3-leads" and new.private and new.parent == "2026/acme/grow"
    assert [kr.id for kr in new.key_results] == ["leads", "kr3", "kr5", "kr6"]
    assert all(not kr.checkins for kr in new.key_results)
    # The source is untouched.
    assert (ws / "okrs/2026-Q3/sales/leads.md").read_text() == SOURCE


def test_crlf_and_bom_are_kept(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/leads.md", b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode())
    rc, _, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 0, err
    assert (ws / "okrs/2026-Q4/sales/leads.md").read_bytes() == b"\xef\xbb\xbf" + CARRIED.replace("\n", "\r\n").encode()


FLOW_KRS = """\
---
objective: Answer faster
owner: support
period: 2026-Q3
parent: 2026-Q3/acme/summer#summer   # only valid in Q3
key_results:
  - {title: First reply in minutes, start: 30, target: 5, checkins: [{date: 2026-08-01, value: 20}], unit: min}
  - {checkins: [{date: 2026-08-01, value: 60}], title: Tickets solved on first contact, start: 50, target: 80}
---
"""


def test_flow_key_results_and_a_parent_not_valid_in_the_new_period(ws, capsys):
    write(ws, "okrs/2026-Q3/support/answer.md", FLOW_KRS)
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4", "--unit", "support")
    assert rc == 0, err
    assert (ws / "okrs/2026-Q4/support/answer.md").read_text() == """\
---
objective: Answer faster
owner: support
period: 2026-Q4
carried_from: 2026-Q3/support/answer
key_results:
  - {title: First reply in minutes, start: 20, target: 5, unit: min}
  - {title: Tickets solved on first contact, start: 60, target: 80}
---
"""
    assert out.splitlines()[:2] == [
        "wrote okrs/2026-Q4/support/answer.md: carried from 2026-Q3/support/answer (score 0.36, below its aspirational bar 0.7)",
        "  parent 2026-Q3/acme/summer#summer left out: its period 2026-Q3 does not contain 2026-Q4",
    ]
    assert "skipped 2026-Q3/acme/summer: unit filter: its owner is acme, not support" in out


def _objective(owner: str, commitment: str, value: int, extra: str = "") -> str:
    return (f"---\nobjective: Objective of {owner}\nowner: {owner}\nperiod: 2026-Q3\nparent: 2026/acme/grow\n"
            f"commitment: {commitment}\n{extra}key_results:\n  - title: Measure\n    start: 0\n    target: 10\n"
            f"    checkins:\n      - {{date: 2026-09-01, value: {value}}}\n---\n")


def test_what_is_skipped_and_why(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/done.md", _objective("sales", "aspirational", 1, "status: done\n"))
    write(ws, "okrs/2026-Q3/sales/dropped.md", _objective("sales", "aspirational", 1, "status: dropped\n"))
    write(ws, "okrs/2026-Q3/sales/aspirational-met.md", _objective("sales", "aspirational", 7))
    write(ws, "okrs/2026-Q3/sales/committed-missed.md", _objective("sales", "committed", 9))
    write(ws, "okrs/2026-Q3/sales/carried-already.md", _objective("sales", "aspirational", 1))
    write(ws, "okrs/2026-Q4/sales/continued.md",
          _objective("sales", "aspirational", 1).replace("2026-Q3", "2026-Q4").replace(
              "commitment:", "carried_from: 2026-Q3/sales/carried-already\ncommitment:").replace("2026-09-01", "2026-11-01"))
    write(ws, "okrs/2026-Q3/sales/taken.md", _objective("sales", "aspirational", 1))
    write(ws, "okrs/2026-Q4/sales/taken.md", "not touched")
    write(ws, "okrs/2026-Q3/support/taken-id.md", _objective("support", "aspirational", 1))
    write(ws, "okrs/2026-Q4/support/other.md",
          _objective("support", "aspirational", 1).replace("2026-Q3", "2026-Q4").replace(
              "objective:", "id: 2026-Q4/support/taken-id\nobjective:").replace("2026-09-01", "2026-11-01"))
    before = snapshot(ws)
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4", "--dry-run")
    assert rc == 0, err
    assert out.splitlines() == [
        ("would write okrs/2026-Q4/sales/committed-missed.md: carried from 2026-Q3/sales/committed-missed "
         "(score 0.90, below its committed bar 1.0)"),
        "  key result kr1 starts at 9",
        "skipped 2026-Q3/acme/summer: met its bar: score 1.00, aspirational bar 0.7",
        "skipped 2026-Q3/sales/aspirational-met: met its bar: score 0.70, aspirational bar 0.7",
        "skipped 2026-Q3/sales/carried-already: already carried over as 2026-Q4/sales/continued",
        "skipped 2026-Q3/sales/done: done (status: done)",
        "skipped 2026-Q3/sales/dropped: dropped (status: dropped)",
        "skipped 2026-Q3/sales/taken: target exists: okrs/2026-Q4/sales/taken.md",
        "skipped 2026-Q3/support/taken-id: target exists: the id 2026-Q4/support/taken-id is taken",
    ]
    assert err == "okrs: carry-over 2026-Q3 -> 2026-Q4: 1 to write, 7 skipped; dry run, nothing written\n"
    assert snapshot(ws) == before
    # Without --dry-run: the same report, and the one file.
    rc, out2, _ = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 0 and out2 == out.replace("would write", "wrote")
    assert set(snapshot(ws)) - set(before) == {"okrs/2026-Q4/sales/committed-missed.md"}
    # Run again: now it is carried already.
    rc, out3, _ = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4", "--unit", "sales")
    assert "skipped 2026-Q3/sales/committed-missed: already carried over as 2026-Q4/sales/committed-missed" in out3


def test_one_file_that_would_not_pass_means_none_is_written(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/fine.md", _objective("sales", "committed", 5))
    # The source has an error the copy would have too: an unknown contributor.
    write(ws, "okrs/2026-Q3/support/bad.md",
          _objective("support", "committed", 5).replace("key_results:", "contributors: [nobody]\nkey_results:"))
    before = snapshot(ws)
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 1
    assert "okrs/2026-Q4/support/bad.md:8:16: error: contributor 'nobody' is not a unit" in err and "[contributor-unknown]" in err
    assert "refused, the result would not pass 'okrs check' (1 error); nothing was written" in err
    assert out == ""
    assert snapshot(ws) == before


def test_an_interrupted_write_leaves_none_of_the_files(ws, capsys, monkeypatch):
    write(ws, "okrs/2026-Q3/sales/a.md", _objective("sales", "committed", 5))
    write(ws, "okrs/2026-Q3/sales/b.md", _objective("sales", "committed", 5))
    before = snapshot(ws)
    real_fsync = os.fsync
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    rc, _, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 1
    assert "cannot write okrs/2026-Q4/sales/b.md: No space left on device; nothing was written" in err
    assert snapshot(ws) == before  # a.md removed again, no temp file left


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["2026-Q4", "2026-Q3"], "TO_PERIOD 2026-Q3 (2026-07-01 to 2026-09-30) must start after FROM_PERIOD 2026-Q4 ends"),
        (["2026-Q3", "2026-H2"], "must start after FROM_PERIOD 2026-Q3 ends"),
        (["2026-Q3", "2026-Q5"], "TO_PERIOD '2026-Q5' is not a period"),
        (["Q3", "2026-Q4"], "FROM_PERIOD 'Q3' is not a period"),
        (["2026-Q3", "2026-Q4", "--unit", "sails"], "--unit 'sails' is not a unit of org.yml; did you mean 'sales'?"),
    ],
)
def test_usage_errors(ws, capsys, argv, message):
    before = snapshot(ws)
    rc, _, err = okrs(capsys, "carry-over", *argv)
    assert rc == 2 and message in err, err
    assert snapshot(ws) == before


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["carry-over", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "okrs carry-over 2026-Q3 2026-Q4 --dry-run" in text


DEMO_SAME_DAY = """\
---
objective: Get summer orders out of the door on the day they arrive
owner: fulfilment
period: 2026-Q4
carried_from: 2026-Q3/fulfilment/dispatch-same-day
commitment: committed
tags: [fulfilment, summer]
key_results:
  - id: pick-rate
    title: Items picked per labour hour
    start: 76
    target: 80
    unit: items/h
  - id: mispicks
    title: Orders with a wrong or missing item
    start: 0.5
    target: 0.4
    unit: "%"
---
"""


def test_demo_2026_q3_to_q4(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "okrs", tmp_path / "okrs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    assert main(["carry-over", "2026-Q3", "2026-Q4"]) == 0
    out = capsys.readouterr().out
    written = set(snapshot(tmp_path)) - set(before)
    assert written == {
        "okrs/2026-Q4/customer-care/answer-while-deciding.md",
        "okrs/2026-Q4/ecommerce/quick-mobile-shop.md",
        "okrs/2026-Q4/fulfilment/dispatch-same-day.md",
        "okrs/2026-Q4/operations/painless-returns.md",
    }
    assert all(snapshot(tmp_path)[k] == v for k, v in before.items())  # nothing else changed
    skipped = [line for line in out.splitlines() if line.startswith("skipped")]
    assert skipped == [
        "skipped 2026-Q3/growth/search-finds-gear: already carried over as 2026-Q4/growth/search-speaks-hiker",
        "skipped 2026-Q3/marketing/trail-running-community: dropped (status: dropped)",
        "skipped 2026-Q3/northwind/win-the-summer-season: met its bar: score 0.82, aspirational bar 0.7",
        "skipped 2026-Q3/web-platform/keep-checkout-up: done (status: done)",
    ]
    source = (REPO / "okrs/2026-Q3/fulfilment/dispatch-same-day.md").read_text()
    body = source.split("\n---\n", 1)[1]
    assert (tmp_path / "okrs/2026-Q4/fulfilment/dispatch-same-day.md").read_text() == DEMO_SAME_DAY + body
    # The year's parent is valid in Q4 and kept; the Q3 parents are not.
    returns = (tmp_path / "okrs/2026-Q4/operations/painless-returns.md").read_text().split("\n---\n")[0]
    assert "parent: 2026/northwind/trusted-outfitter-online#return-rate\n" in returns
    assert "review_until" not in returns and "checkins" not in returns
    assert "parent:" not in (tmp_path / "okrs/2026-Q4/customer-care/answer-while-deciding.md").read_text()
    # The result passes okrs check (warnings: no parent yet, two key results left).
    assert main(["check"]) == 0
    assert " error: " not in capsys.readouterr().out


def test_a_score_just_below_the_bar_does_not_read_as_the_bar(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/close.md", _objective("sales", "aspirational", 6.999))
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4", "--unit", "sales", "--dry-run")
    assert rc == 0, err
    assert "carried from 2026-Q3/sales/close (score 0.69, below its aspirational bar 0.7)" in out


def test_a_year_carried_into_the_next_keeps_its_period_plain(ws, capsys):
    write(ws, "okrs/2026/sales/yearly.md", _objective("sales", "aspirational", 1).replace("period: 2026-Q3", "period: 2026"))
    rc, _, err = okrs(capsys, "carry-over", "2026", "2027", today="2027-01-10")
    assert rc == 0, err
    text = (ws / "okrs/2027/sales/yearly.md").read_text()
    assert "period: 2027\ncarried_from: 2026/sales/yearly\n" in text
    assert "parent: 2026/acme/grow" not in text  # a 2026 parent is no parent in 2027


def test_checkins_as_the_first_key_of_a_key_result(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/first.md", """\
---
objective: Sell more
owner: sales
period: 2026-Q3
parent: 2026/acme/grow
key_results:
  - checkins: [{date: 2026-08-01, value: 4}]
    title: Deals
    start: 0
    target: 10
  -   checkins:
        - {date: 2026-08-01, value: 2}
      title: Calls
      start: 0
      target: 10
---
""")
    rc, _, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4", "--unit", "sales")
    assert rc == 0, err
    assert (ws / "okrs/2026-Q4/sales/first.md").read_text() == """\
---
objective: Sell more
owner: sales
period: 2026-Q4
carried_from: 2026-Q3/sales/first
parent: 2026/acme/grow
key_results:
  - title: Deals
    start: 4
    target: 10
  -   title: Calls
      start: 2
      target: 10
---
"""


def test_free_text_owners_go_to_their_slug_folder_never_outside_the_root(tmp_path, capsys, monkeypatch):
    """Without org.yml an owner is free text: 'Team Growth' or '../../escape' name a
    folder by their slug, as okrs import does, inside the OKR root."""
    monkeypatch.chdir(tmp_path)
    for rel, owner in (("okrs/2026-Q3/a/team.md", "Team Growth"), ("okrs/2026-Q3/a/esc.md", "../../../escape")):
        write(tmp_path, rel, f"---\nobjective: Objective of {owner}\nowner: '{owner}'\nperiod: 2026-Q3\n"
                             "key_results:\n  - {title: Sales, start: 0, target: 10}\n---\n")
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 0, (out, err)
    assert "wrote okrs/2026-Q4/team-growth/team.md: carried from 2026-Q3/a/team" in out
    assert "wrote okrs/2026-Q4/escape/esc.md: carried from 2026-Q3/a/esc" in out
    assert not (tmp_path.parent / "escape").exists()  # okrs/2026-Q4/../../../escape
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")) == [
        "okrs/2026-Q3/a/esc.md", "okrs/2026-Q3/a/team.md", "okrs/2026-Q4/escape/esc.md",
        "okrs/2026-Q4/team-growth/team.md"]
    assert okrs(capsys, "check")[0] == 0


def test_a_file_where_the_owners_folder_should_be_is_named(ws, capsys):
    write(ws, "okrs/2026-Q3/sales/leads.md", SOURCE)
    write(ws, "okrs/2026-Q4/sales", "not a folder")
    before = snapshot(ws)
    rc, out, err = okrs(capsys, "carry-over", "2026-Q3", "2026-Q4")
    assert rc == 1, (out, err)
    assert ("okrs: carry-over: cannot write okrs/2026-Q4/sales/leads.md: okrs/2026-Q4/sales is not a folder; "
            "nothing was written") in err
    assert snapshot(ws) == before
