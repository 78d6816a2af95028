"""``okrs import``: OKRs from notes and spreadsheets, as files that pass ``okrs check``.

Real notes (a Google Docs paste, a Notion/Obsidian export with front-matter, bulleted
and numbered lists, mis-decoded UTF-8, CRLF), every key result pattern, located
warnings, --dry-run, collisions, the refusal of a result that would not pass, CSV
with quoted commas and bad numbers, standard input. The command runs for real
(in-process through ``mkdocs_okrs.cli.main``, and once as a subprocess) on real
folders; the files it writes are loaded back with the real loader.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_okrs.cli import main
from mkdocs_okrs.core.importing import (decode, find_period, parse_csv, parse_period_text, parse_text,
                                        read_measure, render_objective, repair_mojibake, slugify)
from mkdocs_okrs.core.loader import load_okrs
from mkdocs_okrs.core.model import Settings

TODAY = "2026-11-20"
ORG = """\
units:
  - id: acme
    name: Acme Inc.
  - id: marketing
    name: Marketing
    parent: acme
  - id: growth
    name: Search & Discovery
    parent: acme
"""
WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): warning: (?P<msg>.+) \[(?P<rule>import-[a-z-]+)\]$")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder (the current folder) with okrs/org.yml and nothing else."""
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "org.yml").write_text(ORG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def okrs(capsys, *args: str) -> tuple[int, str, str]:
    status = main([*args, "--today", TODAY] if args and args[0] in ("import", "check", "export") else list(args))
    cap = capsys.readouterr()
    return status, cap.out, cap.err


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def loaded(project: Path):
    okrs_set = load_okrs(project / "okrs", Settings(today=__import__("datetime").date(2026, 11, 20)))
    errors = [d.format_text() for d in okrs_set.diagnostics if d.severity.value == "error"]
    assert errors == []
    return okrs_set


def warnings_of(err: str) -> list[re.Match]:
    return [m for m in map(WARNING.match, err.splitlines()) if m]


# ------------------------------------------------------------------ notes as people write them

GDOC = """\
Marketing OKRs \u2013 Q2 2021
Team:\u00a0Marketing

Objective 1: Become the obvious choice for small teams (committed)
Key Result 1.1: Increase trial-to-paid conversion from 20% to 26%
Key Result 1.2: Grow newsletter subscribers from 1,200 to 2,000 customers
Key Result 1.3: Reach 90% brand recall
Key Result 1.4: Something we will figure out

Initiatives:
\u25cf Webinar series
\u25cf Partner program

Objective 2: Make onboarding effortless by the end of Q3 2021
KR1: Cut time to first value from 3 days to 1 day
KR2: Reduce p95 signup latency from 800ms to 200ms
KR3: Hit 95% on-time delivery (now 80%)
"""

GDOC_FIRST = """\
---
objective: Become the obvious choice for small teams
owner: marketing
period: 2021-Q2
commitment: committed
key_results:
  - id: kr1
    title: Increase trial-to-paid conversion
    start: 20
    target: 26
    unit: '%'
  - id: kr2
    title: Grow newsletter subscribers
    start: 1200
    target: 2000
    unit: customers
  - id: kr3
    title: Reach 90% brand recall
    # okrs import read a target but no start (gdoc.txt:7): fill in start, then remove the '# '
    # start:
    # target: 90
    # unit: '%'
  - id: kr4
    title: Something we will figure out
---
Initiatives:
- Webinar series
- Partner program
"""


def test_google_docs_paste(project: Path, capsys) -> None:
    (project / "gdoc.txt").write_text(GDOC, encoding="utf-8")
    status, out, err = okrs(capsys, "import", "gdoc.txt")
    assert status == 0, err
    first = project / "okrs/2021-Q2/marketing/become-the-obvious-choice-for-small-teams.md"
    second = project / "okrs/2021-Q3/marketing/make-onboarding-effortless.md"
    assert first.read_text(encoding="utf-8") == GDOC_FIRST
    assert out.splitlines() == [
        "wrote okrs/2021-Q2/marketing/become-the-obvious-choice-for-small-teams.md: "
        "Become the obvious choice for small teams (4 key results)",
        "wrote okrs/2021-Q3/marketing/make-onboarding-effortless.md: Make onboarding effortless (3 key results)",
    ]
    # What it could not read, with its line: the target without a start, the line without a measure.
    found = [(m["path"], int(m["line"]), m["rule"]) for m in warnings_of(err)]
    assert found == [("gdoc.txt", 7, "import-kr-no-start"), ("gdoc.txt", 8, "import-kr-no-measure")]
    # The files pass okrs check; the second objective took its period from its own line.
    o = loaded(project).objectives["2021-Q3/marketing/make-onboarding-effortless"]
    assert o.objective == "Make onboarding effortless" and o.owner == "marketing" and o.commitment == "aspirational"
    assert [(k.title, k.start, k.target, k.unit) for k in o.key_results] == [
        ("Cut time to first value", 3, 1, "days"),
        ("Reduce p95 signup latency", 800, 200, "ms"),
        ("Hit 95% on-time delivery", 80, 95, "%"),
    ]
    assert second.is_file()


NOTION = """\
---
title: "Search OKRs Q3 2026"
tags: [okrs, search]
date: 2026-06-28
---
# Search OKRs

## Objective: Help shoppers find the right gear
Owner: Search & Discovery

### Key results
- [ ] Searches that end in a product view from 41% to 55%
- Zero-result searches: 6% \u2192 2%
- Reach 4.5 stars for search in the app survey (baseline 3.9)
- [x] Synonyms for every category

### Notes
We index the synonyms hikers use first.

## Objective: Make recommendations worth clicking
Owner: growth
- KR: Raise recommendation click-through from 2.1% to 3.5%
- KR: Grow revenue from recommendations from \u20ac40k to \u20ac55k
"""


def test_notion_export_with_front_matter(project: Path, capsys) -> None:
    (project / "Search OKRs.md").write_text(NOTION, encoding="utf-8")
    status, out, err = okrs(capsys, "import", "Search OKRs.md")
    assert status == 0, err
    assert warnings_of(err) == []
    objectives = loaded(project).objectives
    a = objectives["2026-Q3/growth/help-shoppers-find-the-right-gear"]
    # The period comes from the front-matter's title, the owner from the unit's name.
    assert (a.owner, a.period.id, a.tags) == ("growth", "2026-Q3", ("search",))
    assert [(k.kind, k.title, k.start, k.target, k.unit, k.done) for k in a.key_results] == [
        ("metric", "Searches that end in a product view", 41, 55, "%", None),
        ("metric", "Zero-result searches", 6, 2, "%", None),
        ("metric", "Reach 4.5 stars for search in the app survey", 3.9, 4.5, "stars", None),
        ("milestone", "Synonyms for every category", None, None, None, True),
    ]
    assert a.body.strip() == "### Notes\nWe index the synonyms hikers use first."
    b = objectives["2026-Q3/growth/make-recommendations-worth-clicking"]
    assert [(k.start, k.target, k.unit) for k in b.key_results] == [(2.1, 3.5, "%"), (40000, 55000, "\u20ac")]


BULLETED = """\
OKRs for the web platform team, 2026-Q4

- Objective: Keep the shop fast through the peak
  - Reduce checkout p95 from 800 ms to 350 ms
    - the payment page is the slow one
  - Cut 5xx errors from 0.8% to 0.1%
  * Grow deploys from 4 to 10 deploys per week
\u2022 Objective: Make every change safe to roll out
  \u2022 KR: Reach 100% of services behind feature flags (now 60%)
  \u2022 KR: Halve the time to roll back
"""


def test_bulleted_list(project: Path, capsys) -> None:
    (project / "notes.md").write_text(BULLETED, encoding="utf-8")
    (project / "okrs/org.yml").write_text(ORG + "  - id: web-platform\n    name: Web Platform\n    parent: acme\n")
    status, out, err = okrs(capsys, "import", "notes.md", "--owner", "web-platform")
    assert status == 0, err
    objectives = loaded(project).objectives
    fast = objectives["2026-Q4/web-platform/keep-the-shop-fast-through-the-peak"]
    assert [(k.title, k.start, k.target, k.unit) for k in fast.key_results] == [
        ("Reduce checkout p95", 800, 350, "ms"),
        ("Cut 5xx errors", 0.8, 0.1, "%"),
        ("Grow deploys", 4, 10, "deploys per week"),
    ]
    assert fast.body.strip() == "- the payment page is the slow one"  # a note under a key result
    safe = objectives["2026-Q4/web-platform/make-every-change-safe-to-roll-out"]
    assert [(k.kind, k.start, k.target) for k in safe.key_results] == [("metric", 60, 100), ("none", None, None)]
    (m,) = warnings_of(err)
    assert (int(m["line"]), m["rule"]) == (10, "import-kr-no-measure") and "Halve the time to roll back" in m["msg"]


NUMBERED = """\
1. Make onboarding effortless
   1.1 Increase activation from 40% to 55%
   1.2) Cut time to first value from 3 days to 1 day
2. Keep customers longer
   2.1 Cut monthly churn from 5% to 3%
   2.2 Grow net revenue retention from 98% to 105%
   2.3 Reduce cancellations by 20%
"""


def test_numbered_list_with_sub_numbers(project: Path, capsys) -> None:
    (project / "plan.txt").write_text(NUMBERED, encoding="utf-8")
    status, out, err = okrs(capsys, "import", "plan.txt", "--owner", "Marketing", "--period", "2026 q4")
    assert status == 0, err
    objectives = loaded(project).objectives
    assert sorted(objectives) == ["2026-Q4/marketing/keep-customers-longer", "2026-Q4/marketing/make-onboarding-effortless"]
    keep = objectives["2026-Q4/marketing/keep-customers-longer"]
    assert [(k.id, k.start, k.target) for k in keep.key_results] == [("kr1", 5, 3), ("kr2", 98, 105), ("kr3", None, None)]
    (m,) = warnings_of(err)
    assert int(m["line"]) == 7 and "'by 20%' needs the value it starts from" in m["msg"]


def _mis_decode(text: str) -> str:
    """What a program that read UTF-8 as Windows-1252 shows (Latin-1 where it has no character)."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


MEANT = """\
Objective: Make our customers\u2019 first week effortless
Owner: growth
Period: 2026-Q4
- KR: Raise \u201cday-7 activation\u201d from 40% to 55%
- KR: Reach 90% caf\u00e9 partners signed (now 70%)
- KR: Grow na\u00efve Z\u00fcrich sign-ups \u2014 from 1 to 2
"""


@pytest.mark.parametrize("how", ["once", "twice", "quote dropped", "cp1252 file"])
def test_mojibake_is_repaired(project: Path, capsys, how: str) -> None:
    if how == "cp1252 file":
        data = MEANT.encode("cp1252")
    elif how == "twice":
        data = _mis_decode(_mis_decode(MEANT)).encode("utf-8")
    else:
        text = _mis_decode(MEANT)
        assert "customers\u00e2\u20ac\u2122" in text and "caf\u00c3\u00a9" in text
        if how == "quote dropped":  # the invisible third byte of \u201d lost on the way
            text = text.replace("\u00e2\u20ac\u009d", "\u00e2\u20ac")
        data = text.encode("utf-8")
    (project / "moji.txt").write_bytes(data)
    status, out, err = okrs(capsys, "import", "moji.txt")
    assert status == 0, err
    o = loaded(project).objectives["2026-Q4/growth/make-our-customers-first-week-effortless"]
    assert o.objective == "Make our customers\u2019 first week effortless"
    assert [k.title for k in o.key_results] == [
        "Raise \u201cday-7 activation\u201d", "Reach 90% caf\u00e9 partners signed", "Grow na\u00efve Z\u00fcrich sign-ups"]
    rule = "import-encoding" if how == "cp1252 file" else "import-mojibake"
    assert [m["rule"] for m in warnings_of(err)] == [rule]


def test_repair_leaves_right_text_alone() -> None:
    text = "Caf\u00e9 na\u00efve \u00c9lys\u00e9e Gr\u00f6\u00dfe \u2019quoted\u2019 \u00a9 2026 \u2014 \u00bd \u00e0 la carte"
    assert repair_mojibake(text) == (text, None)


def test_crlf_and_lf_give_the_same_files(project: Path, capsys, tmp_path: Path) -> None:
    (project / "lf.txt").write_text(GDOC, encoding="utf-8", newline="\n")
    okrs(capsys, "import", "lf.txt", "--dry-run")
    (project / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + GDOC.replace("\n", "\r\n").encode("utf-8"))
    s1, out_lf, err_lf = okrs(capsys, "import", "lf.txt", "--dry-run")
    s2, out_crlf, err_crlf = okrs(capsys, "import", "crlf.txt", "--dry-run")
    assert s1 == s2 == 0
    assert out_crlf == out_lf.replace("(lf.txt:", "(crlf.txt:")
    assert err_crlf == err_lf.replace("lf.txt", "crlf.txt")


# ---------------------------------------------------------------------------- key result lines


@pytest.mark.parametrize("line, expected", [
    ("Increase X from 20 to 26", ("metric", "Increase X", 20, 26, None)),
    ("Reduce Y from 800ms to 200ms", ("metric", "Reduce Y", 800, 200, "ms")),
    ("Reduce p95 latency from 800 to 200 ms", ("metric", "Reduce p95 latency", 800, 200, "ms")),
    ("Grow Z from 1,200 to 2,000 customers", ("metric", "Grow Z", 1200, 2000, "customers")),
    ("Grow Z from 1,200 customers to 2,000", ("metric", "Grow Z", 1200, 2000, "customers")),
    ("Cut churn from 5% to 3%", ("metric", "Cut churn", 5, 3, "%")),
    ("Raise conversion from 2.5% to 3.1%", ("metric", "Raise conversion", 2.5, 3.1, "%")),
    ("Grow MRR from $40k to $60k", ("metric", "Grow MRR", 40000, 60000, "$")),
    ("Grow ARR from \u20ac1.5m to \u20ac2m", ("metric", "Grow ARR", 1500000, 2000000, "\u20ac")),
    ("Grow bookings from 40k\u20ac to 52k\u20ac", ("metric", "Grow bookings", 40000, 52000, "\u20ac")),
    ("Cut page weight from 1.2 MB to 900 KB", ("none", "Cut page weight from 1.2 MB to 900 KB", None, None, None)),
    ("Move p95 from 1.2s to 800ms", ("none", "Move p95 from 1.2s to 800ms", None, None, None)),
    ("NPS: 20 \u2192 26", ("metric", "NPS", 20, 26, None)),
    ("Grow orders from newsletter links from 300 to 500 per month",
     ("metric", "Grow orders from newsletter links", 300, 500, "per month")),
    ("Cut tickets from 40 to 20 tickets/day", ("metric", "Cut tickets", 40, 20, "tickets/day")),
    ("Deploys per week 4 -> 10", ("metric", "Deploys per week", 4, 10, None)),
    ("Grow weekly actives from 1.2k to 2k users by the end of Q2 2021",
     ("metric", "Grow weekly actives", 1200, 2000, "users")),
    ("Reach 90% Z", ("target", "Reach 90% Z", None, 90, "%")),
    ("Hit 95% on-time delivery", ("target", "Hit 95% on-time delivery", None, 95, "%")),
    ("Hit 95% on-time delivery (now 80%)", ("metric", "Hit 95% on-time delivery", 80, 95, "%")),
    ("Reach 4.5 stars (baseline: 3.9)", ("metric", "Reach 4.5 stars", 3.9, 4.5, "stars")),
    ("Get to 2,000 paying customers by June", ("target", "Get to 2,000 paying customers by June", None, 2000,
                                               "paying customers")),
    ("Increase revenue by 20%", ("none", "Increase revenue by 20%", None, None, None)),
    ("Launch the new checkout", ("none", "Launch the new checkout", None, None, None)),
    ("[x] Launch the new checkout", ("milestone", "Launch the new checkout", None, None, None)),
    ("[ ] Launch the new checkout", ("milestone", "Launch the new checkout", None, None, None)),
    ("Grow signups from 20 to 20", ("none", "Grow signups from 20 to 20", None, None, None)),
    ("Ship 3 of 5 features", ("none", "Ship 3 of 5 features", None, None, None)),
])
def test_key_result_patterns(line: str, expected: tuple) -> None:
    m = read_measure(line)
    assert (m.kind, m.title, m.start, m.target, m.unit) == expected
    assert (m.problem is None) == (m.kind in ("metric", "milestone"))


def test_key_result_notes() -> None:
    m = read_measure("Increase NPS from 20 to 26 (now 22)")
    assert (m.start, m.target, m.current, m.title) == (20, 26, 22, "Increase NPS")
    assert read_measure("[x] Launch the new checkout").done is True
    assert read_measure("[ ] Launch the new checkout").done is False
    m = read_measure("Reduce churn from 3% to 5%")  # a direction that contradicts the verb: kept, reported
    assert (m.kind, m.start, m.target, m.problem[0]) == ("metric", 3, 5, "import-direction")


@pytest.mark.parametrize("text, period", [
    ("Win the SMB market by the end of Q2 2021", "2021-Q2"),
    ("Ship it in 2021-Q2", "2021-Q2"),
    ("Plan for H1 2022", "2022-H1"),
    ("Close the books (Q4 '25)", "2025-Q4"),
    ("Q3 FY27 goals", "2027-Q3"),
    ("Targets for 2H26", "2026-H2"),
    ("FY2027", "2027"),
    ("Do better this quarter", None),
    ("Grow from 2021 to 2022 customers", None),
])
def test_period_named_in_text(text: str, period: str | None) -> None:
    found = find_period(text)
    assert (found[0] if found else None) == period


def test_period_lines_and_slugs() -> None:
    assert [parse_period_text(t) for t in ("2021-q2", "Q2 2021", "June 2021", "2021", "2021-06", "soon")] == [
        "2021-Q2", "2021-Q2", "2021-06", "2021", "2021-06", None]
    assert slugify("Make checkout feel instant!") == "make-checkout-feel-instant"
    assert slugify("Caf\u00e9s f\u00fcr Gr\u00f6\u00dfe & \u00d8rsted\u2019s") == "cafes-fur-grosse-and-orsteds"
    assert slugify("\u8ba9\u7ed3\u8d26\u66f4\u5feb") == "objective"
    long = slugify("Make the month-end close quick and ready for multiple entities across regions")
    assert long == "make-the-month-end-close-quick-and-ready-for-multiple" and len(long) <= 60


# ------------------------------------------------------------------------- what it refuses, skips


def test_unreadable_lines_are_reported_with_their_line(project: Path, capsys) -> None:
    notes = "Owner: growth\nPeriod: 2026-Q4\n\nObjective: Help shoppers find gear\n" \
            "KR: Grow search conversion from 3% to 5%\nKR: Make search better, somehow\n" \
            "KR: Grow the thing from 1.2s to 800ms\nKR: Answer in 2 or 3 minutes\n"
    (project / "n.txt").write_text(notes)
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 0
    assert [(m["path"], int(m["line"]), int(m["col"]), m["rule"]) for m in warnings_of(err)] == [
        ("n.txt", 6, 1, "import-kr-no-measure"), ("n.txt", 7, 1, "import-kr-no-measure"),
        ("n.txt", 8, 1, "import-kr-no-measure")]
    o = loaded(project).objectives["2026-Q4/growth/help-shoppers-find-gear"]
    assert [(k.title, k.kind) for k in o.key_results] == [
        ("Grow search conversion", "metric"), ("Make search better, somehow", "none"),
        ("Grow the thing from 1.2s to 800ms", "none"), ("Answer in 2 or 3 minutes", "none")]


def test_a_target_without_start_becomes_a_metric_once_the_start_is_filled_in(project: Path, capsys) -> None:
    (project / "n.txt").write_text("Objective: Deliver on time\nKR: Hit 95% on-time delivery\n")
    status, out, err = okrs(capsys, "import", "n.txt", "--owner", "growth", "--period", "2026-Q4")
    assert status == 0
    path = project / "okrs/2026-Q4/growth/deliver-on-time.md"
    text = path.read_text()
    fixed = text.replace("    # start:", "    start: 88").replace("    # target:", "    target:") \
        .replace("    # unit:", "    unit:")
    path.write_text(fixed)
    kr = loaded(project).objectives["2026-Q4/growth/deliver-on-time"].key_results[0]
    assert (kr.kind, kr.start, kr.target, kr.unit) == ("metric", 88, 95, "%")


def test_dry_run_writes_nothing(project: Path, capsys) -> None:
    (project / "gdoc.txt").write_text(GDOC, encoding="utf-8")
    before = tree(project)
    status, out, err = okrs(capsys, "import", "gdoc.txt", "--dry-run")
    assert status == 0
    assert tree(project) == before
    headers = [line for line in out.splitlines() if line.startswith("==> ")]
    assert headers == ["==> okrs/2021-Q2/marketing/become-the-obvious-choice-for-small-teams.md <==",
                       "==> okrs/2021-Q3/marketing/make-onboarding-effortless.md <=="]
    assert GDOC_FIRST in out
    assert "dry run: 2 files would be written; nothing was written" in err


def test_collisions_never_replace_a_file(project: Path, capsys) -> None:
    other = "---\nobjective: Make checkout fast\nowner: marketing\nperiod: 2026-Q4\nkey_results:\n  - Something\n---\n"
    same = "---\nobjective: Grow  the   newsletter\nowner: marketing\nperiod: 2026-Q4\nkey_results:\n  - Else\n---\n"
    taken = project / "okrs/2026-Q4/marketing/make-checkout-fast.md"
    taken.parent.mkdir(parents=True)
    taken.write_text("---\n# a different statement that slugs the same\n" + other[4:].replace("fast", "fast!"))
    (project / "okrs/2026-Q4/marketing/newsletter.md").write_text(same)
    before = tree(project / "okrs")
    notes = ("Owner: marketing\nPeriod: 2026-Q4\nObjective: Make checkout fast\nKR: Cut p95 from 800ms to 300ms\n"
             "Objective: grow the newsletter\nKR: Grow subscribers from 100 to 200\n"
             "Objective: Make checkout fast?\nKR: Cut p99 from 2s to 1s\n")
    (project / "n.txt").write_text(notes)
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 0, err
    after = tree(project / "okrs")
    assert {k: after[k] for k in before} == before  # nothing replaced
    assert sorted(set(after) - set(before)) == ["2026-Q4/marketing/make-checkout-fast-2.md",
                                                 "2026-Q4/marketing/make-checkout-fast-3.md"]
    rules = [(int(m["line"]), m["rule"]) for m in warnings_of(err)]
    assert rules == [(5, "import-exists")]  # the same objective (case and spacing aside) is not imported twice
    # Running the import again writes nothing new.
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 0 and out == "" and "nothing new to write (3 objectives skipped)" in err
    assert tree(project / "okrs") == after


def test_a_result_that_would_not_pass_is_refused_whole(project: Path, capsys) -> None:
    csv_text = ("objective,owner,period,kr,kr_id,start,target,parent\n"
                "Grow the newsletter,marketing,2026-Q4,Subscribers,subs,100,200,\n"
                "Keep readers,marketing,2026-Q4,Open rate,open,20,30,2026-Q4/acme/no-such-objective\n")
    (project / "okrs.csv").write_text(csv_text)
    before = tree(project)
    status, out, err = okrs(capsys, "import", "okrs.csv")
    assert status == 1
    assert tree(project) == before
    assert re.search(r"^okrs/2026-Q4/marketing/keep-readers\.md:\d+:\d+: error: .*no-such-objective.* \[parent-unknown\]$",
                     err, re.M), err
    assert "refused, the result would not pass 'okrs check'" in err and "nothing was written" in err


def test_owner_and_period_needed(project: Path, capsys) -> None:
    (project / "n.txt").write_text("Objective: Grow\nKR: Grow signups from 1 to 2\n")
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 2
    assert "no owner: pass --owner UNIT" in err and "no period: pass --period PERIOD" in err
    status, out, err = okrs(capsys, "import", "n.txt", "--owner", "growth")
    assert status == 2 and "--owner" not in err.split("okrs: error:")[1] and "--period" in err
    status, out, err = okrs(capsys, "import", "n.txt", "--period", "2026-Q4")
    assert status == 2 and "--owner" in err.split("okrs: error:")[1]
    assert not (project / "okrs/2026-Q4").exists()
    status, out, err = okrs(capsys, "import", "n.txt", "--period", "2026-Q5", "--owner", "growth")
    assert status == 2 and "--period: '2026-Q5' is not a period" in err
    status, out, err = okrs(capsys, "import", "n.txt", "--period", "2026-Q4", "--owner", "growht")
    assert status == 2 and "did you mean 'growth'?" in err
    status, out, err = okrs(capsys, "import", "missing.txt")
    assert status == 2 and "missing.txt: no such file" in err


def test_an_owner_the_org_does_not_know(project: Path, capsys) -> None:
    (project / "n.txt").write_text("Period: 2026-Q4\n\nObjective: Grow\nOwner: Marketting\nKR: Grow signups from 1 to 2\n")
    status, out, err = okrs(capsys, "import", "n.txt", "--owner", "growth")
    assert status == 1
    assert re.search(r"^n\.txt:4:1: error: owner 'Marketting' is not a unit of .*did you mean 'marketing'\? "
                     r"\[import-owner-unknown\]$", err, re.M), err
    assert not (project / "okrs/2026-Q4").exists()


def test_without_org_yml_owners_are_free_text(project: Path, capsys) -> None:
    (project / "okrs/org.yml").unlink()
    (project / "n.txt").write_text("Team: Customer Care\nPeriod: 2026-Q4\nObjective: Answer fast\n"
                                   "KR: Cut first reply time from 4h to 1h\n")
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 0, err
    o = loaded(project).objectives["2026-Q4/customer-care/answer-fast"]
    assert o.owner == "Customer Care" and o.key_results[0].unit == "h"


def test_yaml_is_quoted_where_it_must_be(project: Path, capsys) -> None:
    notes = ("Owner: growth\nPeriod: 2026-Q4\n"
             "Objective: Yes: make \"search\" #1 \u2014 with 'quotes' & a: colon\n"
             "KR: no\nKR: Grow 'NPS': score from 20 to 26 %\nKR: - [x] @mentions in every reply\n")
    (project / "n.txt").write_text(notes)
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 0, err
    (o,) = loaded(project).objectives.values()
    assert o.objective == "Yes: make \"search\" #1 \u2014 with 'quotes' & a: colon"
    assert [k.title for k in o.key_results] == ["no", "Grow 'NPS': score", "- [x] @mentions in every reply"]


def test_no_objective_in_the_input(project: Path, capsys) -> None:
    (project / "n.txt").write_text("Just some thoughts about Q3 2026.\n- faster search\n")
    status, out, err = okrs(capsys, "import", "n.txt", "--owner", "growth")
    assert status == 1
    assert "n.txt:2:1: warning: a list item before any objective; ignored" in err
    assert "no objective found in n.txt" in err


def test_objective_without_key_results_is_skipped(project: Path, capsys) -> None:
    (project / "n.txt").write_text("Objective: Empty one\n\nObjective: Full one\nKR: Grow signups from 1 to 2\n")
    status, out, err = okrs(capsys, "import", "n.txt", "--owner", "growth", "--period", "2026-Q4")
    assert status == 0
    assert [int(m["line"]) for m in warnings_of(err) if m["rule"] == "import-no-key-results"] == [1]
    assert sorted(loaded(project).objectives) == ["2026-Q4/growth/full-one"]


# ------------------------------------------------------------------------------------ CSV

CSV = """\
objective,owner,period,kr,start,target,unit,commitment,tags
"Grow, then keep, our readers",marketing,2026-Q4,Newsletter subscribers,"1,200","2,000",,committed,"email, growth"
,,,Open rate,22%,35%,,,
,,,Unsubscribes per issue,0.5,0.2,%,,
Make search speak hiker,Search & Discovery,Q4 2026,Zero-result searches,6,2 %,,,
Make search speak hiker,Search & Discovery,Q4 2026,Searches that end in a view,41,fifty-five,%,,
Make search speak hiker,Search & Discovery,Q4 2026,"Synonyms for ""trail"" words",,,,,
"""


def test_csv_with_quoted_commas_and_bad_numbers(project: Path, capsys) -> None:
    (project / "okrs.csv").write_text(CSV)
    status, out, err = okrs(capsys, "import", "okrs.csv")
    assert status == 0, err
    objectives = loaded(project).objectives
    readers = objectives["2026-Q4/marketing/grow-then-keep-our-readers"]
    assert (readers.objective, readers.commitment, readers.tags) == (
        "Grow, then keep, our readers", "committed", ("email", "growth"))
    assert [(k.title, k.start, k.target, k.unit) for k in readers.key_results] == [
        ("Newsletter subscribers", 1200, 2000, None), ("Open rate", 22, 35, "%"),
        ("Unsubscribes per issue", 0.5, 0.2, "%")]
    search = objectives["2026-Q4/growth/make-search-speak-hiker"]
    assert [(k.title, k.kind) for k in search.key_results] == [
        ("Zero-result searches", "metric"), ("Searches that end in a view", "none"),
        ('Synonyms for "trail" words', "none")]
    found = [(int(m["line"]), int(m["col"]), m["rule"]) for m in warnings_of(err)]
    # Each at the cell it is about: the bad number, the title of the key result without a measure.
    lines = CSV.splitlines()
    assert found == [(6, lines[5].index("fifty-five") + 1, "import-number"),
                     (7, lines[6].index('"Synonyms') + 1, "import-kr-no-measure")]


def test_csv_semicolons_decimal_commas_and_header_problems(project: Path, capsys) -> None:
    (project / "export.csv").write_text(
        "Objective;Owner;Period;Key Result;Start;Target;Unit;Confidence\r\n"
        "Answer fast;growth;2026-Q4;First reply;4,5;1,5;h;0.7\r\n", encoding="utf-8")
    status, out, err = okrs(capsys, "import", "export.csv")
    assert status == 0, err
    kr = loaded(project).objectives["2026-Q4/growth/answer-fast"].key_results[0]
    assert (kr.start, kr.target, kr.unit) == (4.5, 1.5, "h")
    # "Confidence" is not a column okrs import reads: reported at its cell.
    assert [(int(m["line"]), int(m["col"]), m["rule"]) for m in warnings_of(err)] == [(1, 53, "import-csv")]
    (project / "bad.csv").write_text("name,value\nx,1\n")
    status, out, err = okrs(capsys, "import", "bad.csv", "--owner", "growth", "--period", "2026-Q4")
    assert status == 1 and "error: the header has no 'objective' and no 'kr' column" in err
    (project / "open.csv").write_text('objective,kr\n"Grow,Signups\n')
    status, out, err = okrs(capsys, "import", "open.csv", "--owner", "growth", "--period", "2026-Q4")
    assert status == 1 and "open.csv:2:1: error: a quoted cell is not closed" in err


def test_standard_input(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs_okrs", "import", "-", "--owner", "growth", "--period", "2026-Q4",
         "--today", TODAY],
        input="Objective: Faster search\r\nKR: Cut search p95 from 900ms to 300ms\r\nKR: Mystery\r\n".encode(),
        capture_output=True, cwd=project, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "wrote okrs/2026-Q4/growth/faster-search.md: Faster search (2 key results)\n"
    assert "<stdin>:3:1: warning: key result 'Mystery'" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


def test_help_names_the_options(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for word in ("--format {text,csv}", "--owner UNIT", "--period PERIOD", "--dry-run", "exit status"):
        assert word in text


def test_control_characters_are_dropped_and_reported(project: Path, capsys) -> None:
    (project / "n.txt").write_bytes("Owner: growth\nPeriod: 2026-Q4\nObjective: Faster\x00 search\u2028now\n"
                                    "KR: Cut p95 from 900ms to 300ms\x07\n".encode("utf-8"))
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 0, err
    (m,) = warnings_of(err)
    assert (m["line"], m["col"], m["rule"]) == ("3", "18", "import-control")
    (o,) = loaded(project).objectives.values()
    assert o.objective == "Faster search now" and o.key_results[0].title == "Cut p95"


_PIECES = st.sampled_from(["Objective:", "KR:", "Key Result 1.2:", "O1:", "Owner:", "Period:", "Q2 2021", "from",
                           "to", "20", "26%", "$40k", "(now 80%)", "- ", "1.", "1.1", "[x]", "---", "by", "\n",
                           "\r\n", '"', ",", ";", "\u00e2\u20ac\u2122", "\u00c3\u00a9", "\x00", "\u2028", ":", "#"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40))
def test_any_input_reads_without_a_crash_and_renders_valid_yaml(parts: list[str]) -> None:
    import yaml

    text, _ = decode("".join(parts).encode("utf-8", "surrogatepass"), "x")
    for result in (parse_text(text, "x"), parse_csv(text, "x")):
        for d in result.objectives:
            if not d.key_results:
                continue
            rendered = render_objective(d, "growth", "2026-Q4")
            front = yaml.safe_load(rendered.split("\n---\n", 1)[0].removeprefix("---\n"))
            assert front["objective"] == d.statement.strip() or not d.statement.strip()
            assert [k["title"] for k in front["key_results"]] == [k.title for k in d.key_results]


def test_csv_saved_by_excel_as_unicode_text(project: Path, capsys) -> None:
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated, CRLF.
    table = "Objective\tOwner\tPeriod\tKR\tStart\tTarget\tUnit\r\n" \
            "Caf\u00e9s love our beans\tmarketing\t2026-Q4\tRepeat orders\t1,200\t1,500\tbags\r\n"
    (project / "okrs.tsv").write_bytes(table.encode("utf-16"))
    status, out, err = okrs(capsys, "import", "okrs.tsv")
    assert status == 0, err
    kr = loaded(project).objectives["2026-Q4/marketing/cafes-love-our-beans"].key_results[0]
    assert (kr.title, kr.start, kr.target, kr.unit) == ("Repeat orders", 1200, 1500, "bags")


def test_a_write_that_fails_midway_leaves_nothing(project: Path, capsys) -> None:
    # The second file's folder cannot be made: a file is in the way. The first file,
    # already written, is removed again.
    (project / "okrs/2026-Q4").mkdir()
    (project / "okrs/2026-Q4/marketing").write_text("not a folder")
    notes = ("Period: 2026-Q4\nObjective: First one\nOwner: growth\nKR: Grow a from 1 to 2\n\n"
             "Objective: Second one\nOwner: marketing\nKR: Grow b from 1 to 2\n")
    (project / "n.txt").write_text(notes)
    before = tree(project)
    status, out, err = okrs(capsys, "import", "n.txt")
    assert status == 1 and out == ""
    assert "could not write okrs/2026-Q4/marketing/second-one.md" in err and "nothing was written" in err
    assert tree(project) == before
    assert not (project / "okrs/2026-Q4/growth").exists()


def test_a_file_name_with_a_line_break_stays_in_its_comment(project: Path, capsys) -> None:
    name = "notes\nvisibility: private\n#.txt"
    (project / name).write_text("Objective: Be known\nOwner: marketing\nPeriod: 2026-Q4\nKR: Reach 90% recall\n",
                                encoding="utf-8")
    status, out, err = okrs(capsys, "import", name)
    assert status == 0, err
    text = (project / "okrs/2026-Q4/marketing/be-known.md").read_text(encoding="utf-8")
    assert "    # okrs import read a target but no start (notes?visibility: private?#.txt:4)" in text
    assert "\nvisibility:" not in text
    assert loaded(project).objectives["2026-Q4/marketing/be-known"].visibility == "public"


def test_a_bad_source_date_epoch_is_a_usage_error(project: Path, capsys, monkeypatch) -> None:
    (project / "notes.txt").write_text("Objective: Be known\nKR: Reach 90% recall\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    status = main(["import", "notes.txt", "--owner", "marketing", "--period", "2026-Q4", "--no-config"])
    err = capsys.readouterr().err
    assert status == 2 and "okrs: error: SOURCE_DATE_EPOCH" in err, err
