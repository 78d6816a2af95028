"""``okrs diff``: real git repositories in temporary folders, real OKR files, the real CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_okrs.cli import main
from mkdocs_okrs.commands.diff import MARKDOWN_LIMIT

TODAY = "2026-11-20"  # 2026-Q4 runs, 2026-Q3 has ended

ORG = """\
units:
  - id: acme
    name: Acme
  - id: sales
    name: Sales
    parent: acme
  - id: platform
    name: Platform
    parent: acme
"""

CHECKOUT = """\
---
objective: Make checkout feel instant
owner: platform
period: 2026-Q4
parent: 2026-Q4/acme/grow
key_results:
  - id: p95
    title: Cut checkout p95 latency
    start: 800
    target: 200
    unit: ms
    checkins:
      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}
      - {date: 2026-11-01, value: 500, confidence: 0.7}
  - id: edge
    title: Serve every checkout page from the edge
    done: false
  - id: conv
    title: Raise checkout conversion
    start: 2.1
    target: 2.6
    unit: "%"
---
Why it matters.
"""

GROW = """\
---
objective: Grow online sales
owner: acme
period: 2026-Q4
key_results:
  - id: revenue
    title: Raise online revenue
    start: 10
    target: 14
    unit: M
  - title: Raise repeat orders
    start: 20
    target: 30
  - title: Raise the app rating
    start: 4.1
    target: 4.5
---
"""

SUMMER = """\
---
objective: Win the summer season
owner: sales
period: 2026-Q3
key_results:
  - id: orders
    title: Raise summer orders
    start: 100
    target: 150
    checkins:
      - {date: 2026-08-01, value: 120}
  - title: Raise summer conversion
    start: 2
    target: 3
  - title: Raise summer basket size
    start: 40
    target: 50
---
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
         *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def write(repo: Path, files: dict[str, str | None]) -> None:
    for rel, content in files.items():
        path = repo / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def commit(repo: Path, files: dict[str, str | None], message: str = "change") -> str:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A git repository with okrs/org.yml and three objectives committed (tag: base)."""
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q")
    commit(r, {
        "okrs/org.yml": ORG,
        "okrs/2026-Q4/acme/grow.md": GROW,
        "okrs/2026-Q4/platform/checkout.md": CHECKOUT,
        "okrs/2026-Q3/sales/summer.md": SUMMER,
    }, "base")
    git(r, "tag", "base")
    monkeypatch.chdir(r)
    return r


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["diff", *args, "--no-config", "--today", TODAY])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def diff_json(capsys, *args: str) -> dict:
    status, out, err = run(capsys, *args, "--format", "json")
    assert status == 0, err
    return json.loads(out)


def changes(doc: dict, objective_id: str) -> list[dict]:
    (entry,) = [o for o in doc["objectives"] if o["id"] == objective_id]
    return entry["changes"]


def kinds(doc: dict, objective_id: str) -> list[str]:
    return [c["kind"] for c in changes(doc, objective_id)]


CHECKOUT_ID = "2026-Q4/platform/checkout"


# --- nothing changed, the working tree, revisions ---------------------------------------


def test_no_change_is_exit_0_and_says_so(repo, capsys):
    status, out, err = run(capsys, "base")
    assert status == 0, err
    assert "no changes; 0 flags" in out
    assert "No OKR changed." in out
    doc = diff_json(capsys, "base")
    assert doc["objectives"] == [] and doc["counts"]["flags"] == 0


def test_working_tree_is_the_default_head(repo, capsys):
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("feel instant", "feel instant again")})
    doc = diff_json(capsys, "base")
    assert doc["head"] == {"rev": None, "commit": None, "label": "the working tree", "errors": 0}
    assert changes(doc, CHECKOUT_ID)[0] == {
        "kind": "statement", "kr": None, "kr_title": None, "unit": None, "old": "Make checkout feel instant",
        "new": "Make checkout feel instant again", "flag": None}
    # with HEAD named, the committed state is compared: nothing changed yet
    assert diff_json(capsys, "base", "HEAD")["objectives"] == []


def test_head_may_be_a_revision(repo, capsys):
    second = commit(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("owner: platform", "owner: sales")})
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT})  # the working tree is back to base
    doc = diff_json(capsys, "base", second[:10])
    assert doc["head"]["commit"] == second
    assert changes(doc, CHECKOUT_ID)[0]["kind"] == "owner"
    assert diff_json(capsys, "base")["objectives"] == []


# --- every kind of change ----------------------------------------------------------------


def test_objective_fields(repo, capsys):
    changed = (CHECKOUT
               .replace("objective: Make checkout feel instant", "objective: Make checkout fast")
               .replace("owner: platform", "owner: sales")
               .replace("period: 2026-Q4\n", "period: 2026-Q4\ncommitment: committed\nstatus: at-risk\n"
                        "tags: [speed]\ncontributors: [acme]\nreview_until: 2027-01-31\n"
                        "retrospective: We learned a lot\n")
               .replace("parent: 2026-Q4/acme/grow", "parent: 2026-Q4/acme/grow#revenue")
               .replace("Why it matters.", "Why it matters now."))
    write(repo, {"okrs/2026-Q4/platform/checkout.md": changed})
    doc = diff_json(capsys, "base")
    got = {c["kind"]: (c["old"], c["new"], c["flag"]) for c in changes(doc, CHECKOUT_ID)}
    assert got["statement"] == ("Make checkout feel instant", "Make checkout fast", None)
    assert got["owner"] == ("platform", "sales", None)
    assert got["parent"] == ("2026-Q4/acme/grow", "2026-Q4/acme/grow#revenue", None)
    assert got["commitment"] == ("aspirational", "committed", "commitment-changed")
    assert got["status"] == (None, "at-risk", None)
    assert got["tags"] == ([], ["speed"], None)
    assert got["contributors"] == ([], ["acme"], None)
    assert got["review_until"] == (None, "2027-01-31", None)
    assert got["retrospective"] == (None, "We learned a lot", None)
    assert got["body"] == (None, None, None)
    assert doc["counts"] == {"changed": 1, "added": 0, "removed": 0, "moved": 0, "unreadable": 0, "flags": 1}
    assert doc["flags"][0]["flag"] == "commitment-changed"


def test_period_change(repo, capsys):
    write(repo, {"okrs/2026-Q4/acme/grow.md": GROW.replace("period: 2026-Q4", "period: 2026")})
    doc = diff_json(capsys, "base")
    assert changes(doc, "2026-Q4/acme/grow")[0] == {
        "kind": "period", "kr": None, "kr_title": None, "unit": None, "old": "2026-Q4", "new": "2026", "flag": None}


def test_key_result_changes(repo, capsys):
    changed = (CHECKOUT
               .replace("    title: Cut checkout p95 latency\n", "    title: Cut checkout p95 latency\n    weight: 2\n    current: 480\n")
               .replace("unit: ms", "unit: milliseconds")
               .replace("    done: false", "    done: true\n    done_on: 2026-11-10")
               .replace("    title: Raise checkout conversion\n    start: 2.1\n    target: 2.6\n    unit: \"%\"\n",
                        "    title: Raise checkout conversion rate\n    done: false\n")
               + "")
    changed = changed.replace("---\nWhy", "  - id: wallets\n    title: Offer express wallets\n    done: false\n---\nWhy")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": changed})
    doc = diff_json(capsys, "base")
    got = {(c["kind"], c["kr"]): c for c in changes(doc, CHECKOUT_ID)}
    assert got[("kr-unit", "p95")]["old"] == "ms" and got[("kr-unit", "p95")]["new"] == "milliseconds"
    assert (got[("kr-weight", "p95")]["old"], got[("kr-weight", "p95")]["new"]) == (1, 2)
    assert (got[("kr-current", "p95")]["old"], got[("kr-current", "p95")]["new"]) == (None, 480)
    assert (got[("kr-done", "edge")]["old"], got[("kr-done", "edge")]["new"]) == (False, True)
    assert got[("kr-done-on", "edge")]["new"] == "2026-11-10"
    assert got[("kr-title", "conv")]["old"] == "Raise checkout conversion"
    assert got[("kr-title", "conv")]["kr_title"] == "Raise checkout conversion rate"
    measure = got[("kr-measure", "conv")]
    assert measure["old"] == {"kind": "metric", "start": 2.1, "target": 2.6, "unit": "%"}
    assert measure["new"] == {"kind": "milestone", "done": False}
    assert measure["flag"] == "target-moved"  # 2026-Q4 runs
    added = got[("kr-added", "wallets")]
    assert added["new"]["title"] == "Offer express wallets" and added["old"] is None


def test_key_result_removed_and_positional_ids_follow_the_title(repo, capsys):
    # removing the first key result of GROW renumbers kr2 -> kr1 ... (default ids): they
    # are matched by title, so only the removal is reported
    shorter = GROW.replace("  - id: revenue\n    title: Raise online revenue\n    start: 10\n    target: 14\n    unit: M\n", "")
    write(repo, {"okrs/2026-Q4/acme/grow.md": shorter})
    doc = diff_json(capsys, "base")
    got = changes(doc, "2026-Q4/acme/grow")
    assert [(c["kind"], c["kr"]) for c in got] == [("kr-removed", "revenue")]


def test_explicit_kr_id_renamed(repo, capsys):
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("id: p95", "id: latency")})
    doc = diff_json(capsys, "base")
    assert [(c["kind"], c["old"], c["new"]) for c in changes(doc, CHECKOUT_ID)] == [("kr-id", "p95", "latency")]


def test_checkins_added_edited_removed_and_redated(repo, capsys):
    changed = CHECKOUT.replace(
        "      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}\n"
        "      - {date: 2026-11-01, value: 500, confidence: 0.7}\n",
        "      - {date: 2026-10-15, value: 600, confidence: 0.6, note: Cache warmed up}\n"
        "      - {date: 2026-11-15, value: 450}\n",
    ).replace("    unit: \"%\"\n", "    unit: \"%\"\n    checkins:\n      - {date: 2026-11-02, value: 2.2}\n")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": changed})
    doc = diff_json(capsys, "base")
    got = [(c["kind"], c["kr"], c["flag"]) for c in changes(doc, CHECKOUT_ID)]
    assert got == [
        ("checkin-edited", "p95", "checkin-edited"),
        ("checkin-removed", "p95", "checkin-removed"),
        ("checkin-added", "p95", None),
        ("checkin-added", "conv", None),
    ]
    edited = changes(doc, CHECKOUT_ID)[0]
    assert edited["old"] == {"date": "2026-10-15", "value": 620, "confidence": 0.6, "note": "Cache warmed"}
    assert edited["new"] == {"date": "2026-10-15", "value": 600, "confidence": 0.6, "note": "Cache warmed up"}
    assert doc["counts"]["flags"] == 2
    _, out, _ = run(capsys, "base")
    assert "past check-in edited" in out and "past check-in removed" in out
    assert "value 620 ms → 600 ms" in out
    # a check-in moved to another date with the same content is one edited check-in
    redated = CHECKOUT.replace("{date: 2026-11-01, value: 500", "{date: 2026-11-03, value: 500")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": redated})
    doc = diff_json(capsys, "base")
    (c,) = changes(doc, CHECKOUT_ID)
    assert (c["kind"], c["old"]["date"], c["new"]["date"], c["flag"]) == (
        "checkin-edited", "2026-11-01", "2026-11-03", "checkin-edited")


def test_new_checkins_only_raise_no_flag(repo, capsys):
    weekly = CHECKOUT.replace("      - {date: 2026-11-01, value: 500, confidence: 0.7}\n",
                              "      - {date: 2026-11-01, value: 500, confidence: 0.7}\n"
                              "      - {date: 2026-11-15, value: 430, confidence: 0.7}\n")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": weekly})
    status, out, err = run(capsys, "base", "--fail-on-flags")
    assert status == 0, err
    assert "0 flags" in out and "check-in 2026-11-15: 430 ms (confidence 0.7)" in out


def test_target_moved_flagged_while_the_period_runs_only(repo, capsys):
    write(repo, {
        "okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("target: 200", "target: 300").replace("start: 800", "start: 900"),
        "okrs/2026-Q3/sales/summer.md": SUMMER.replace("target: 150", "target: 130"),
    })
    doc = diff_json(capsys, "base")
    running = {c["kind"]: c for c in changes(doc, CHECKOUT_ID)}
    assert running["kr-target"]["old"] == 200 and running["kr-target"]["new"] == 300
    assert running["kr-target"]["flag"] == "target-moved"
    assert running["kr-start"]["flag"] == "start-moved"
    (ended,) = changes(doc, "2026-Q3/sales/summer")
    assert ended["kind"] == "kr-target" and ended["flag"] is None
    assert sorted(f["flag"] for f in doc["flags"]) == ["start-moved", "target-moved"]
    status, out, _ = run(capsys, "base", "--fail-on-flags")
    assert status == 1
    assert "target moved while 2026-Q4 runs" in out
    # the same change seen on a day after 2026-Q4: no flag
    status = main(["diff", "base", "--no-config", "--today", "2027-01-15", "--format", "json", "--fail-on-flags"])
    assert status == 0
    assert json.loads(capsys.readouterr().out)["counts"]["flags"] == 0


def test_made_private_is_flagged_and_made_public_is_not(repo, capsys):
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("period: 2026-Q4\n", "period: 2026-Q4\nvisibility: private\n")})
    doc = diff_json(capsys, "base")
    (c,) = changes(doc, CHECKOUT_ID)
    assert (c["kind"], c["old"], c["new"], c["flag"]) == ("visibility", "public", "private", "made-private")
    assert doc["objectives"][0]["private"] is True
    _, out, _ = run(capsys, "base", "--format", "markdown")
    assert "**Made private**" in out and "🔒 private" in out
    commit(repo, {})
    git(repo, "tag", "private")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT})
    doc = diff_json(capsys, "private")
    (c,) = changes(doc, CHECKOUT_ID)
    assert (c["kind"], c["new"], c["flag"]) == ("visibility", "public", None)


def test_private_objectives_are_included_and_marked(repo, capsys):
    secret = GROW.replace("objective: Grow online sales", "objective: Prepare the acquisition").replace(
        "period: 2026-Q4\n", "period: 2026-Q4\nvisibility: private\n")
    write(repo, {"okrs/2026-Q4/acme/secret.md": secret})
    doc = diff_json(capsys, "base")
    (entry,) = doc["objectives"]
    assert (entry["change"], entry["private"], entry["title"]) == ("added", True, "Prepare the acquisition")
    _, out, _ = run(capsys, "base")
    assert '"Prepare the acquisition" [2026-Q4/acme/secret] (private) (added)' in out


def test_objective_added_removed(repo, capsys):
    new = GROW.replace("objective: Grow online sales", "objective: Delight returning customers")
    write(repo, {"okrs/2026-Q4/acme/delight.md": new, "okrs/2026-Q3/sales/summer.md": None})
    doc = diff_json(capsys, "base")
    by_id = {o["id"]: o for o in doc["objectives"]}
    assert by_id["2026-Q4/acme/delight"]["change"] == "added"
    assert [k["title"] for k in by_id["2026-Q4/acme/delight"]["key_results"]] == [
        "Raise online revenue", "Raise repeat orders", "Raise the app rating"]
    assert by_id["2026-Q3/sales/summer"]["change"] == "removed"
    assert doc["counts"]["added"] == 1 and doc["counts"]["removed"] == 1
    _, out, _ = run(capsys, "base", "--format", "markdown")
    assert "**➕ Delight returning customers** (new)" in out
    assert "**➖ Win the summer season** (removed)" in out


def test_file_moved_to_another_folder_is_moved_not_removed_and_added(repo, capsys):
    (repo / "okrs/2026-Q4/sales").mkdir()
    git(repo, "mv", "okrs/2026-Q4/platform/checkout.md", "okrs/2026-Q4/sales/checkout-speed.md")
    moved = (repo / "okrs/2026-Q4/sales/checkout-speed.md").read_text().replace("target: 200", "target: 250")
    write(repo, {"okrs/2026-Q4/sales/checkout-speed.md": moved})
    doc = diff_json(capsys, "base")
    (entry,) = doc["objectives"]
    assert entry["change"] == "moved"
    assert (entry["old_id"], entry["id"]) == (CHECKOUT_ID, "2026-Q4/sales/checkout-speed")
    assert (entry["old_path"], entry["path"]) == ("2026-Q4/platform/checkout.md", "2026-Q4/sales/checkout-speed.md")
    assert [c["kind"] for c in entry["changes"]] == ["kr-target"]
    assert doc["counts"]["moved"] == 1 and doc["counts"]["removed"] == 0
    _, out, _ = run(capsys, "base")
    assert f"[{CHECKOUT_ID} → 2026-Q4/sales/checkout-speed]" in out


def test_file_moved_with_its_id_kept_is_a_path_change(repo, capsys):
    commit(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("---\nobjective", f"---\nid: {CHECKOUT_ID}\nobjective", 1)})
    git(repo, "tag", "with-id")
    git(repo, "mv", "okrs/2026-Q4/platform/checkout.md", "okrs/2026-Q4/platform/fast.md")
    doc = diff_json(capsys, "with-id")
    (entry,) = doc["objectives"]
    assert entry["change"] == "changed"
    assert entry["changes"] == [{"kind": "path", "kr": None, "kr_title": None, "unit": None,
                                 "old": "2026-Q4/platform/checkout.md", "new": "2026-Q4/platform/fast.md",
                                 "flag": None}]


# --- files that cannot be read ------------------------------------------------------------


def test_a_file_broken_on_one_side_is_reported_not_removed(repo, capsys):
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("owner: platform\n", "owner: [platform\n")})
    status, out, err = run(capsys, "base")
    assert status == 0, err
    assert "Traceback" not in out + err
    assert "cannot be read in HEAD" in out
    assert "HEAD has 1 error (BASE 0): run 'okrs check'" in out.splitlines()[1]
    assert re.search(r"okrs/2026-Q4/platform/checkout\.md:\d+:\d+: error: .*\[yaml-syntax\]", out), out
    doc = diff_json(capsys, "base")
    (entry,) = doc["objectives"]
    assert (entry["change"], entry["unreadable_in"], entry["id"]) == ("unreadable", "head", CHECKOUT_ID)
    assert entry["problems"][0]["path"] == "okrs/2026-Q4/platform/checkout.md"
    assert doc["counts"]["removed"] == 0 and doc["counts"]["unreadable"] == 1
    # committed broken, then repaired: readable again, reported with BASE's errors
    commit(repo, {})
    git(repo, "tag", "broken")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT})
    doc = diff_json(capsys, "broken")
    (entry,) = doc["objectives"]
    assert (entry["change"], entry["unreadable_in"], entry["title"]) == ("unreadable", "base", "Make checkout feel instant")


def test_a_new_broken_file_is_reported(repo, capsys):
    write(repo, {"okrs/2026-Q4/sales/draft.md": "---\nobjective: [unclosed\n"})
    doc = diff_json(capsys, "base")
    (entry,) = doc["objectives"]
    assert (entry["change"], entry["path"], entry["unreadable_in"]) == ("unreadable", "2026-Q4/sales/draft.md", "head")
    assert entry["problems"]
    _, out, _ = run(capsys, "base", "--format", "markdown")
    assert "**❗ Cannot be read in HEAD**: `okrs/2026-Q4/sales/draft.md`" in out


def test_each_side_uses_its_own_org_file(repo, capsys):
    write(repo, {
        "okrs/org.yml": ORG.replace("id: sales\n    name: Sales", "id: sales-team\n    name: Sales"),
        "okrs/2026-Q3/sales/summer.md": SUMMER.replace("owner: sales", "owner: sales-team"),
    })
    doc = diff_json(capsys, "base")
    (entry,) = doc["objectives"]
    assert entry["problems"] == []  # HEAD's owner is checked against HEAD's org.yml
    assert entry["changes"][0]["kind"] == "owner"
    assert doc["base"]["errors"] == 0 and doc["head"]["errors"] == 0  # and BASE's against BASE's


# --- output ------------------------------------------------------------------------------


HOSTILE = "<script>alert(1)</script> | `rm -rf` @team *bold* [x](http://e.vil) #12 ![i](http://e.vil/p.png)"


def test_markdown_escapes_contributor_text(repo, capsys):
    hostile = (CHECKOUT.replace("objective: Make checkout feel instant", f"objective: '{HOSTILE}'")
               .replace("title: Cut checkout p95 latency", f"title: '{HOSTILE}'")
               .replace("target: 200", "target: 300")
               .replace("note: Cache warmed}", "note: '@org/admins <img src=x onerror=alert(1)>'}")
               .replace("value: 620", "value: 610"))
    write(repo, {"okrs/2026-Q4/platform/checkout.md": hostile})
    status, out, err = run(capsys, "base", "--format", "markdown")
    assert status == 0, err
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out
    # no @mention, no issue reference, no link or image, no code span from the text
    assert re.search(r"@(?!&#8203;)\w", out) is None
    assert "@&#8203;team" in out and "@&#8203;org" in out
    assert re.search(r"(?<![\\&])#\d", out) is None and "\\#&#8203;12" in out
    assert "\\[x\\](http://e.vil)" in out and "\\!\\[i\\]" in out
    assert "\\`rm -rf\\`" in out
    assert "\\|" in out and re.search(r"(?<!\\)\|", out.replace("\\|", "")) is None
    assert "\\*bold\\*" in out
    # the only HTML is our own <details>, none here
    assert re.findall(r"<(?!/?details|/?summary)[a-z]", out) == []


def test_text_output_escapes_control_characters(repo, capsys):
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace(
        "objective: Make checkout feel instant", 'objective: "Fast\\e[31m checkout\\u202e"')})
    _, out, _ = run(capsys, "base")
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[31m" in out


def test_markdown_layout_flags_first_and_details_for_long_checkin_lists(repo, capsys):
    many = "".join(f"      - {{date: 2026-11-{d:02d}, value: {500 - d}}}\n" for d in range(2, 12))
    changed = (CHECKOUT.replace("      - {date: 2026-11-01, value: 500, confidence: 0.7}\n",
                                "      - {date: 2026-11-01, value: 500, confidence: 0.7}\n" + many)
               .replace("commitment", "commitment")
               .replace("period: 2026-Q4\n", "period: 2026-Q4\ncommitment: committed\n"))
    write(repo, {"okrs/2026-Q4/platform/checkout.md": changed})
    _, out, _ = run(capsys, "base", "--format", "markdown")
    lines = out.splitlines()
    assert lines[0] == "### OKR changes: 1 changed · ⚠️ 1 flag"
    assert out.index("**⚠️ Flags") < out.index("**✏️ Make checkout feel instant**")
    assert "- ⚠️ **Commitment changed**: *Make checkout feel instant*" in out
    assert "<details><summary>10 check-ins added</summary>" in out and "</details>" in out
    assert out.count("check-in 2026-11-") == 10  # inside the details only


def test_markdown_stays_under_the_comment_limit(repo, capsys):
    long_title = "Raise the number of very happy and returning customers in every single region " * 3
    files = {}
    for i in range(400):
        files[f"okrs/2026-Q4/sales/o{i:03d}.md"] = GROW.replace(
            "objective: Grow online sales", f"objective: {long_title} number {i}").replace("owner: acme", "owner: sales")
    write(repo, files)
    status, out, _ = run(capsys, "base", "--format", "markdown")
    assert status == 0
    assert len(out) <= MARKDOWN_LIMIT < 65536
    assert "The comment stops here" in out and "more objectives not shown. Run `okrs diff`" in out
    assert out.count("**➕") < 400


def test_json_shape(repo, capsys):
    base_commit = git(repo, "rev-parse", "base")
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("target: 200", "target: 250")})
    doc = diff_json(capsys, "base")
    assert list(doc) == ["schema_version", "base", "head", "root", "today", "counts", "flags", "objectives"]
    assert doc["schema_version"] == 1
    assert doc["base"] == {"rev": "base", "commit": base_commit, "label": f"base ({base_commit[:7]})", "errors": 0}
    assert doc["root"] == "okrs" and doc["today"] == TODAY
    assert doc["flags"] == [{"flag": "target-moved", "objective": CHECKOUT_ID, "kr": "p95", "kind": "kr-target",
                             "message": 'target moved while 2026-Q4 runs: key result "Cut checkout p95 latency" '
                                        '[p95]: target 200 ms → 250 ms'}]
    (entry,) = doc["objectives"]
    assert list(entry) == ["change", "id", "old_id", "title", "owner", "period", "path", "old_path", "private",
                           "unreadable_in", "problems", "key_results", "changes"]
    assert entry["changes"] == [{"kind": "kr-target", "kr": "p95", "kr_title": "Cut checkout p95 latency", "unit": "ms",
                                 "old": 200, "new": 250, "flag": "target-moved"}]


# --- usage errors -------------------------------------------------------------------------


def test_outside_a_git_repository_is_exit_2(tmp_path, monkeypatch, capsys):
    plain = tmp_path / "plain"
    write(plain, {"okrs/org.yml": ORG, "okrs/2026-Q4/acme/grow.md": GROW})
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    status, out, err = run(capsys, "main")
    assert status == 2
    assert "not in a git repository" in err and err.startswith("okrs: error:")
    assert out == ""


def test_unknown_revision_is_exit_2(repo, capsys):
    status, out, err = run(capsys, "no-such-branch")
    assert status == 2 and out == ""
    assert "unknown revision 'no-such-branch'" in err
    status, _, err = run(capsys, "base", "nope")
    assert status == 2 and "unknown revision 'nope'" in err
    status = main(["diff", "--no-config", "--", "--output=/tmp/x"])
    assert status == 2 and "unknown revision '--output=/tmp/x'" in capsys.readouterr().err
    assert not Path("/tmp/x").exists() or Path("/tmp/x").stat().st_size >= 0


def test_root_missing_at_base_means_everything_is_added(tmp_path, monkeypatch, capsys):
    r = tmp_path / "r"
    r.mkdir()
    git(r, "init", "-q")
    commit(r, {"README.md": "hello\n"}, "first")
    git(r, "tag", "first")
    write(r, {"okrs/org.yml": ORG, "okrs/2026-Q4/acme/grow.md": GROW})
    monkeypatch.chdir(r)
    doc = diff_json(capsys, "first")
    assert [(o["change"], o["id"]) for o in doc["objectives"]] == [("added", "2026-Q4/acme/grow")]


def test_command_line_help_and_subprocess(repo):
    done = subprocess.run([sys.executable, "-m", "mkdocs_okrs", "diff", "--help"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and "--fail-on-flags" in done.stdout
    write(repo, {"okrs/2026-Q4/platform/checkout.md": CHECKOUT.replace("target: 200", "target: 250")})
    done = subprocess.run([sys.executable, "-m", "mkdocs_okrs", "diff", "base", "--no-config", "--today", TODAY,
                           "--fail-on-flags"], capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    assert "1 changed; 1 flag" in done.stdout


def test_revision_read_as_okrs_check_reads_the_disk(repo, capsys):
    # skipped names (_templates, dot files), a symbolic link that stays inside the root
    # and one that leads outside: BASE (from git) and the working tree read the same
    commit(repo, {
        "okrs/_templates/default.md": "---\nnot: an objective\n---\n",
        "okrs/.draft.md": "---\nobjective: [broken\n---\n",
        "outside.md": GROW,
    })
    os.symlink("acme/grow.md", repo / "okrs/2026-Q4/grow-link.md")
    os.symlink("../../outside.md", repo / "okrs/2026-Q4/escape.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "links")
    assert diff_json(capsys, "HEAD")["objectives"] == []
    doc = diff_json(capsys, "base")
    assert {(o["change"], o["id"]) for o in doc["objectives"]} == {
        ("unreadable", "2026-Q4/escape"),  # file-outside-root, on both sides alike
        ("added", "2026-Q4/grow-link"),
    }
    (escape,) = [o for o in doc["objectives"] if o["id"] == "2026-Q4/escape"]
    assert escape["problems"][0]["rule"] == "file-outside-root"


def test_an_org_file_named_with_org_is_read_at_each_revision(repo, capsys):
    commit(repo, {"units.yml": ORG, "okrs/org.yml": None})
    git(repo, "tag", "units")
    write(repo, {
        "units.yml": ORG.replace("id: sales\n    name: Sales", "id: sales-team\n    name: Sales"),
        "okrs/2026-Q3/sales/summer.md": SUMMER.replace("owner: sales", "owner: sales-team"),
    })
    status = main(["diff", "units", "--no-config", "--org", "units.yml", "--today", TODAY, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 0
    (entry,) = doc["objectives"]
    assert entry["problems"] == [] and entry["changes"][0]["kind"] == "owner"
    # each side checked against its own units.yml: no error on either side
    assert doc["base"]["errors"] == 0 and doc["head"]["errors"] == 0
