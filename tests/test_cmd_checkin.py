"""``okrs checkin``: a check-in appended to real files, every other byte kept.

Each test writes a realistic objective file, runs the real command line
(:func:`mkdocs_okrs.cli.main`) in its folder and compares the file's bytes after
the command with the expected bytes, written out literally.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mkdocs_okrs.cli import main
from mkdocs_okrs.core.loader import load_okrs
from mkdocs_okrs.core.model import Settings

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-20"
PATH = "okrs/2026-Q4/sales/grow.md"
OID = "2026-Q4/sales/grow"


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A folder with okrs/ (no mkdocs.yml), the current folder for the command."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")
    (tmp_path / "okrs").mkdir()
    return tmp_path


def write(ws: Path, data: str | bytes, rel: str = PATH) -> Path:
    path = ws / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def okrs(capsys, *argv: str, today: str | None = TODAY) -> tuple[int, str, str]:
    args = list(argv) + ["--no-config"]
    if today:
        args += ["--today", today]
    try:
        rc = main(args)
    except SystemExit as exc:  # argparse's own usage errors
        rc = exc.code
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def loaded(ws: Path, today: str = TODAY):
    import datetime as dt

    return load_okrs(ws / "okrs", Settings(today=dt.date.fromisoformat(today)))


BLOCK = """\
---
# Sales objective for Q4
objective: Grow online sales
owner: sales      # the unit
period: 2026-Q4
commitment: 'committed'

key_results:
  - id: leads
    title: Qualified leads per month
    # where we started
    start: 120
    target: 200   # stretch
    unit: leads
    checkins:
      - {date: 2026-10-01, value: 130, confidence: 0.6}
      # halfway
      - {date: 2026-10-29, value: 150, note: "Webinars"}

  - id: churn
    title: Monthly churn
    start: 5.0
    target: 3.5
    current: 4.6
    checkins: [{date: 2026-10-01, value: 4.8}]
  - title: New pricing page live
    done: false   # the milestone
---
The body: *kept* as it is.

- with a list
"""


def test_block_list_with_comments_gets_an_aligned_flow_item(ws, capsys):
    path = write(ws, BLOCK)
    rc, out, err = okrs(capsys, "checkin", f"{OID}#leads", "171", "--confidence", "0.7", "--note", "Partner: Acme")
    assert rc == 0, err
    assert out == f'{PATH}: KR "Qualified leads per month": check-in 2026-11-20 value 171 (confidence 0.7), note \'Partner: Acme\'\n'
    assert path.read_bytes().decode() == BLOCK.replace(
        '      - {date: 2026-10-29, value: 150, note: "Webinars"}\n',
        '      - {date: 2026-10-29, value: 150, note: "Webinars"}\n'
        "      - {date: 2026-11-20, value: 171, confidence: 0.7, note: 'Partner: Acme'}\n",
    )


def test_flow_list_gets_the_item_inside_its_brackets_and_current_follows(ws, capsys):
    path = write(ws, BLOCK)
    rc, out, err = okrs(capsys, "checkin", f"{OID}#churn", "4.2")
    assert rc == 0, err
    assert out.endswith("check-in 2026-11-20 value 4.2, current 4.2\n")
    expected = BLOCK.replace(
        "    current: 4.6\n    checkins: [{date: 2026-10-01, value: 4.8}]\n",
        "    current: 4.2\n    checkins: [{date: 2026-10-01, value: 4.8}, {date: 2026-11-20, value: 4.2}]\n",
    )
    assert path.read_bytes().decode() == expected
    kr = loaded(ws).objectives[OID].kr("churn")
    assert kr.current == 4.2 and [c.value for c in kr.checkins] == [4.8, 4.2]


def test_milestone_done_sets_done_and_done_on_and_adds_a_checkin_without_value(ws, capsys):
    path = write(ws, BLOCK)
    rc, out, err = okrs(capsys, "checkin", f"{OID}#new pricing", "done", "--date", "2026-11-18", "--confidence", "1.0")
    assert rc == 0, err
    assert out == f'{PATH}: KR "New pricing page live": done on 2026-11-18, check-in 2026-11-18 (confidence 1.0)\n'
    expected = BLOCK.replace(
        "    done: false   # the milestone\n",
        "    done: true   # the milestone\n"
        "    done_on: 2026-11-18\n"
        "    checkins:\n"
        "      - {date: 2026-11-18, confidence: 1.0}\n",
    )
    assert path.read_bytes().decode() == expected
    kr = loaded(ws).objectives[OID].key_results[2]
    assert kr.done is True and str(kr.done_on) == "2026-11-18" and kr.checkins[0].value is None
    # Done is done: a second 'done' is refused, the file stays.
    rc, _, err = okrs(capsys, "checkin", f"{OID}#kr3", "done")
    assert rc == 1 and "already done on 2026-11-18" in err
    assert path.read_bytes().decode() == expected


def test_milestone_checkin_without_value(ws, capsys):
    path = write(ws, BLOCK)
    rc, _, err = okrs(capsys, "checkin", f"{OID}#kr3", "-", "--confidence", "0.4", "--note", "Design review done")
    assert rc == 0, err
    assert path.read_bytes().decode() == BLOCK.replace(
        "    done: false   # the milestone\n",
        "    done: false   # the milestone\n"
        "    checkins:\n"
        "      - {date: 2026-11-20, confidence: 0.4, note: Design review done}\n",
    )


NO_CHECKINS = """\
---
objective: Grow online sales
owner: sales
period: 2026-Q4
key_results:
  - title: Qualified leads per month
    start: 120
    target: 200 # per month
  # a comment between key results
  - {title: Repeat buyers, start: 10, target: 20}
---
"""


def test_kr_without_checkins_key_gets_one(ws, capsys):
    path = write(ws, NO_CHECKINS)
    assert okrs(capsys, "checkin", f"{OID}#qualified", "130")[0] == 0
    assert okrs(capsys, "checkin", f"{OID}#REPEAT", "12.5", "--date", "2026-11-19")[0] == 0
    assert path.read_bytes().decode() == """\
---
objective: Grow online sales
owner: sales
period: 2026-Q4
key_results:
  - title: Qualified leads per month
    start: 120
    target: 200 # per month
    checkins:
      - {date: 2026-11-20, value: 130}
  # a comment between key results
  - {title: Repeat buyers, start: 10, target: 20, checkins: [{date: 2026-11-19, value: 12.5}]}
---
"""


BLOCK_ITEMS = """\
---
objective: Grow online sales
owner: sales
period: 2026-Q4
key_results:
  - title: Qualified leads
    start: 120
    target: 200
    checkins:
    - date: 2026-10-01
      value: 130
      note: |
        Two lines
        of note

    # comment after the list
  - title: Other
    start: 1
    target: 2
---
"""


def test_block_mapping_items_get_a_block_mapping_item(ws, capsys):
    path = write(ws, BLOCK_ITEMS)
    rc, _, err = okrs(capsys, "checkin", f"{OID}#kr1", "140", "--note", 'He said: "soon"\nand left')
    assert rc == 0, err
    assert path.read_bytes().decode() == BLOCK_ITEMS.replace(
        "        of note\n",
        "        of note\n"
        "    - date: 2026-11-20\n"
        "      value: 140\n"
        '      note: "He said: \\"soon\\"\\nand left"\n',
    )
    assert loaded(ws).objectives[OID].key_results[0].checkins[-1].note == 'He said: "soon"\nand left'


def test_multiline_flow_list_gets_an_item_on_its_own_line(ws, capsys):
    text = NO_CHECKINS.replace(
        "    target: 200 # per month\n",
        "    target: 200 # per month\n    checkins: [\n      {date: 2026-10-01, value: 121},\n      {date: 2026-10-08, value: 125},\n    ]\n",
    )
    path = write(ws, text)
    assert okrs(capsys, "checkin", f"{OID}#kr1", "130")[0] == 0
    assert path.read_bytes().decode() == text.replace(
        "      {date: 2026-10-08, value: 125},\n",
        "      {date: 2026-10-08, value: 125},\n      {date: 2026-11-20, value: 130},\n",
    )


def test_crlf_and_bom_are_kept(ws, capsys):
    original = "\ufeff" + BLOCK.replace("\n", "\r\n")
    path = write(ws, original)
    rc, _, err = okrs(capsys, "checkin", f"{OID}#leads", "171")
    assert rc == 0, err
    rc, _, err = okrs(capsys, "checkin", f"{OID}#kr3", "done")
    assert rc == 0, err
    expected = "\ufeff" + BLOCK.replace(
        '      - {date: 2026-10-29, value: 150, note: "Webinars"}\n',
        '      - {date: 2026-10-29, value: 150, note: "Webinars"}\n      - {date: 2026-11-20, value: 171}\n',
    ).replace(
        "    done: false   # the milestone\n",
        "    done: true   # the milestone\n    done_on: 2026-11-20\n    checkins:\n      - {date: 2026-11-20}\n",
    ).replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode("utf-8")


def test_mixed_line_endings_are_kept_line_by_line(ws, capsys):
    text = NO_CHECKINS.replace("\n", "\r\n", 6)  # the first six lines CRLF, the rest LF
    path = write(ws, text)
    assert okrs(capsys, "checkin", f"{OID}#kr1", "130")[0] == 0
    assert path.read_bytes().decode() == text.replace(
        "    target: 200 # per month\n", "    target: 200 # per month\n    checkins:\n      - {date: 2026-11-20, value: 130}\n"
    )


@pytest.mark.parametrize(
    ("typed", "written"),
    [("12", "12"), ("12.5", "12.5"), ("-3", "-3"), ("1e3", "1000"), ("12.50", "12.50"), ("+4", "+4"), ("012", "12")],
)
def test_numbers(ws, capsys, typed, written):
    path = write(ws, NO_CHECKINS)
    rc, _, err = okrs(capsys, "checkin", f"{OID}#kr1", typed)
    assert rc == 0, err
    assert f"      - {{date: 2026-11-20, value: {written}}}\n" in path.read_text()
    assert loaded(ws).objectives[OID].key_results[0].checkins[0].value == float(typed)


@pytest.mark.parametrize("note", ['say "hi"', "it's: fine, really", "# not a comment", "Café 日本 ✓", "yes", "- dash", "a\tb", "[x]"])
def test_notes_are_quoted_safely(ws, capsys, note):
    write(ws, BLOCK)
    rc, _, err = okrs(capsys, "checkin", f"{OID}#leads", "160", "--note", note)
    assert rc == 0, err
    assert loaded(ws).objectives[OID].kr("leads").checkins[-1].note == note


def _refused_unchanged(ws, capsys, path, argv, rc_expected, *needles):
    before = path.read_bytes()
    rc, out, err = okrs(capsys, *argv)
    assert rc == rc_expected, (out, err)
    for needle in needles:
        assert needle in err, err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left


def test_date_before_or_on_the_last_checkin_is_refused(ws, capsys):
    path = write(ws, BLOCK)
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "140", "--date", "2026-10-15"], 1,
                       f"{PATH}:18:9: error: a check-in dated 2026-10-15 would come before the last check-in",
                       "strictly ascending")
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "140", "--date", "2026-10-29"], 1,
                       "on the same day as the last check-in")


def test_a_write_that_would_not_pass_check_is_refused_with_diagnostics(ws, capsys):
    path = write(ws, BLOCK)
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "140", "--date", "2026-11-21"], 1,
                       f"{PATH}:19:", "is after today (2026-11-20)", "[date-future]",
                       "refused, the result would not pass 'okrs check' (1 error); nothing was written")
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "1e200"], 1, "[field-value]")


def test_usage_errors(ws, capsys):
    path = write(ws, BLOCK)
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "abc"], 2,
                       "is a metric: VALUE must be a number (12, 12.5, -3, 1e3), not 'abc'")
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#kr3", "42"], 2, "is a milestone: VALUE is 'done'")
    _refused_unchanged(ws, capsys, path, ["checkin", "2026-Q4/sales/grwo#leads", "1"], 2,
                       "no objective '2026-Q4/sales/grwo'; did you mean '2026-Q4/sales/grow'?")
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#nope", "1"], 2,
                       f"{OID} has no key result 'nope'; its key results: leads (Qualified leads per month); "
                       "churn (Monthly churn); kr3 (New pricing page live)")
    _refused_unchanged(ws, capsys, path, ["checkin", OID, "1"], 2, "name the key result as ID#KR")
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "1", "--confidence", "1.5"], 2,
                       "confidence 1.5 is outside 0.0 to 1.0")
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "1", "--date", "2026-13-01"], 2, "--date")


def test_ambiguous_title_prefix_lists_the_candidates(ws, capsys):
    text = NO_CHECKINS.replace("Repeat buyers", "Qualified buyers")
    path = write(ws, text)
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#qualified", "1"], 2,
                       "'qualified' matches 2 key results of 2026-Q4/sales/grow: kr1 (Qualified leads per month); "
                       "kr2 (Qualified buyers); name one by its id")
    # A whole title wins over a longer one that starts with it.
    write(ws, text.replace("Qualified buyers", "Qualified leads"))
    assert okrs(capsys, "checkin", f"{OID}#qualified leads", "130")[0] == 0
    assert "  - {title: Qualified leads, start: 10, target: 20, checkins: [{date: 2026-11-20, value: 130}]}\n" in (
        ws / PATH
    ).read_text()


def test_kr_without_a_measure_is_refused(ws, capsys):
    path = write(ws, NO_CHECKINS.replace("key_results:\n", "key_results:\n  - Publish the budget\n"))
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#publish", "1"], 1, "has no measure")


def test_dry_run_writes_nothing(ws, capsys):
    path = write(ws, BLOCK)
    before = path.read_bytes()
    rc, out, err = okrs(capsys, "checkin", f"{OID}#leads", "171", "--dry-run")
    assert rc == 0 and "check-in 2026-11-20 value 171" in out and "dry run, nothing written" in err
    assert path.read_bytes() == before


def test_interrupted_write_leaves_the_old_file_whole(ws, capsys, monkeypatch):
    path = write(ws, BLOCK)

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    _refused_unchanged(ws, capsys, path, ["checkin", f"{OID}#leads", "171"], 1,
                       f"okrs: checkin: cannot write {PATH}: No space left on device; the file is unchanged")


def test_date_defaults_to_todays_setting_of_mkdocs_yml(ws, capsys):
    path = write(ws, NO_CHECKINS)
    (ws / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - okrs:\n      today: 2026-11-05\n")
    rc = main(["checkin", f"{OID}#kr1", "125"])
    assert rc == 0, capsys.readouterr().err
    assert "{date: 2026-11-05, value: 125}" in path.read_text()


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["checkin", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "okrs checkin 2026-Q4/" in text and "exit status:" in text


def test_demo_checkins_pass_check_strict(tmp_path, capsys, monkeypatch):
    """On a copy of the repository's okrs/ (and its mkdocs.yml, today 2026-11-20)."""
    shutil.copytree(REPO / "okrs", tmp_path / "okrs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "okrs").rglob("*.md")}
    calls = [
        ["2026-Q4/web-platform/fast-and-up-through-peak#shop", "99.93", "--confidence", "0.8"],
        ["2026-Q4/ecommerce/checkout-feels-instant#edge", "done", "--note", "All checkout pages at the edge"],
        ["2026-Q4/finance/faster-month-end-close#chart-of-accounts", "-", "--confidence", "0.5"],
        ["2026/northwind/repair-before-replace#gear repairs", "2950", "--date", "2026-11-19"],  # has current:
    ]
    for argv in calls:
        rc = main(["checkin", *argv])
        cap = capsys.readouterr()
        assert rc == 0, cap.err
    assert main(["check", "--strict"]) == 0, capsys.readouterr()
    changed = {p for p, data in before.items() if p.read_bytes() != data}
    assert {p.relative_to(tmp_path / "okrs").as_posix() for p in changed} == {
        "2026-Q4/web-platform/fast-and-up-through-peak.md",
        "2026-Q4/ecommerce/checkout-feels-instant.md",
        "2026-Q4/finance/faster-month-end-close.md",
        "2026/northwind/repair-before-replace.md",
    }
    # Lines were added, and one changed (done: false -> true); nothing else moved.
    import difflib

    for p in changed:
        diff = list(difflib.ndiff(before[p].decode().splitlines(), p.read_text().splitlines()))
        removed = [line for line in diff if line.startswith("- ")]
        added = [line for line in diff if line.startswith("+ ")]
        if p.name == "checkout-feels-instant.md":
            assert removed == ["-     done: false"] and added[0] == "+     done: true"
        elif p.name == "repair-before-replace.md":
            assert removed == ["-     current: 2865"]
            assert added == ["+     current: 2950", "+       - {date: 2026-11-19, value: 2950}"]
        else:
            assert removed == [] and len(added) in (1, 2)


def test_an_empty_checkins_key_becomes_a_list(ws, capsys):
    text = NO_CHECKINS.replace("    target: 200 # per month\n", "    target: 200 # per month\n    checkins:   # none yet\n")
    path = write(ws, text)
    assert okrs(capsys, "checkin", f"{OID}#kr1", "130")[0] == 0
    assert path.read_bytes().decode() == text.replace(
        "    checkins:   # none yet\n", "    checkins: [{date: 2026-11-20, value: 130}]   # none yet\n"
    )


def test_old_mac_line_endings_are_kept(ws, capsys):
    text = NO_CHECKINS.replace("\n", "\r")
    path = write(ws, text)
    assert okrs(capsys, "checkin", f"{OID}#kr1", "130")[0] == 0
    assert path.read_bytes().decode() == NO_CHECKINS.replace(
        "    target: 200 # per month\n", "    target: 200 # per month\n    checkins:\n      - {date: 2026-11-20, value: 130}\n"
    ).replace("\n", "\r")


# --- review of #14 ----------------------------------------------------------------------


def test_a_tab_after_a_value_that_check_accepts_does_not_stop_a_checkin(ws, capsys):
    text = BLOCK.replace("owner: sales      # the unit", "owner: sales\t")
    path = write(ws, text)
    assert okrs(capsys, "check")[0] == 0  # libyaml, the loader's parser, reads it
    rc, _, err = okrs(capsys, "checkin", f"{OID}#leads", "160")
    assert rc == 0, err
    assert path.read_text() == text.replace(
        '      - {date: 2026-10-29, value: 150, note: "Webinars"}\n',
        '      - {date: 2026-10-29, value: 150, note: "Webinars"}\n      - {date: 2026-11-20, value: 160}\n')


@pytest.mark.parametrize("note", ["one\u2028two", "one\u2029two", "x\n---\nobjective: hacked"])
def test_yaml_line_breaks_in_a_note_are_written_as_escapes(ws, capsys, note):
    path = write(ws, BLOCK)
    before = path.read_text()
    rc, _, err = okrs(capsys, "checkin", f"{OID}#leads", "160", "--note", note)
    assert rc == 0, err
    after = path.read_text()
    assert len(after.split("\n")) == len(before.split("\n")) + 1  # one line added, still one line
    assert after.endswith(before.split("---\n", 2)[2])  # the body as it was
    got = loaded(ws).objectives[OID]
    assert got.kr("leads").checkins[-1].note == note and got.objective == "Grow online sales"


def test_a_file_edited_meanwhile_is_not_overwritten(ws, capsys, monkeypatch):
    """An editor saves the file while the command checks the change: the save wins."""
    import mkdocs_okrs.core.loader as loader

    path = write(ws, BLOCK)
    saved = BLOCK.replace("The body: *kept*", "The body: *edited meanwhile*")
    real = loader.load_okrs

    def load_then_save(*a, **kw):
        result = real(*a, **kw)
        if kw.get("overlay"):
            path.write_text(saved)
        return result

    monkeypatch.setattr(loader, "load_okrs", load_then_save)
    rc, out, err = okrs(capsys, "checkin", f"{OID}#leads", "160")
    assert rc == 1, (out, err)
    assert f"okrs: checkin: {PATH} changed while the check-in was prepared; it was not written" in err
    assert path.read_text() == saved
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_the_files_permissions_are_kept(ws, capsys):
    path = write(ws, BLOCK)
    path.chmod(0o640)
    rc, _, err = okrs(capsys, "checkin", f"{OID}#leads", "160")
    assert rc == 0, err
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_bad_source_date_epoch_is_a_usage_error(ws, capsys, monkeypatch):
    write(ws, BLOCK)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    rc, _, err = okrs(capsys, "checkin", f"{OID}#leads", "160", today=None)
    assert rc == 2 and "okrs: error: SOURCE_DATE_EPOCH" in err, err


def test_through_a_linked_root_the_change_is_checked_and_written(ws, capsys):
    path = write(ws, BLOCK)
    os.symlink(ws / "okrs", ws / "linked")
    rc, out, err = okrs(capsys, "checkin", f"{OID}#leads", "160", "--date", "2026-11-30", "--root", "linked")
    assert rc == 1 and "[date-future]" in err and "[id-duplicate]" not in err, err  # checked
    rc, out, err = okrs(capsys, "checkin", f"{OID}#leads", "160", "--root", "linked")
    assert rc == 0, err
    assert "      - {date: 2026-11-20, value: 160}\n" in path.read_text()


def test_a_file_linked_inside_the_root_is_written_through_its_link(ws, capsys):
    path = write(ws, BLOCK)
    alias = ws / "okrs/2026-Q4/acme/alias.md"
    alias.parent.mkdir(parents=True)
    os.symlink("../sales/grow.md", alias)
    rc, _, err = okrs(capsys, "checkin", "2026-Q4/acme/alias#leads", "160")
    assert rc == 0, err
    assert alias.is_symlink()
    assert "      - {date: 2026-11-20, value: 160}\n" in path.read_text()


def test_a_title_with_a_hash_names_its_key_result(ws, capsys):
    path = write(ws, BLOCK.replace("title: Monthly churn", "title: 'Monthly churn #2 metric'"))
    rc, _, err = okrs(capsys, "checkin", f"{OID}#monthly churn #2", "4.4")
    assert rc == 0, err
    assert "checkins: [{date: 2026-10-01, value: 4.8}, {date: 2026-11-20, value: 4.4}]" in path.read_text()
