"""``okrs export``: okrs.json exactly as ``mkdocs build`` writes it, and CSV that ``okrs import`` reads back.

The JSON is compared byte for byte with the okrs.json of real builds: the repository's
demo (a copy of mkdocs.yml and okrs/), and a site with ``use_directory_urls: false``,
another ``url_prefix``, free-text owners and a private objective. The CSV goes through
a real round trip: exported from a copy of the demo, imported into an empty OKR root,
loaded again and compared with the demo objective by objective.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from mkdocs_okrs.cli import main
from mkdocs_okrs.core.importing import COMPUTED_COLUMNS, CSV_COLUMNS
from mkdocs_okrs.core.loader import load_okrs
from mkdocs_okrs.core.model import Settings
from mkdocs_okrs.core.publish import public_view
from test_plugin_support import PRIVATE_WORDS, build_ok, objective_file, standard_okrs, write_site

REPO = Path(__file__).resolve().parent.parent
DEMO_TODAY = dt.date(2026, 11, 20)  # pinned in the demo's mkdocs.yml
PRIVATE = "2026-Q4/northwind/project-halcyon"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the repository's demo (mkdocs.yml, docs/, okrs/), as the current folder."""
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "okrs", root / "okrs")
    shutil.copytree(REPO / "docs", root / "docs")
    monkeypatch.chdir(root)
    return root


def okrs(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    cap = capsys.readouterr()
    return status, cap.out, cap.err


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ----------------------------------------------------------------------------------- JSON


@pytest.mark.slow
def test_json_is_the_okrs_json_of_the_demo_build(demo: Path, capsys) -> None:
    site = build_ok(demo, "-d", str(demo.parent / "site"))  # NO_MKDOCS_2_WARNING=1, as the build runs
    built = (demo.parent / "site" / "okrs.json").read_text(encoding="utf-8")
    status, out, err = okrs(capsys, "export", "--format", "json")
    assert status == 0, err
    assert out == built
    doc = json.loads(out)
    assert PRIVATE not in {o["id"] for o in doc["objectives"]}
    assert "Halcyon" not in out
    assert site is not None


@pytest.mark.slow
def test_json_follows_the_sites_url_options(tmp_path: Path, monkeypatch, capsys) -> None:
    # Free-text owners (no org.yml: unit pages get hashed slugs), urls without folders,
    # another url_prefix, and a private objective with a public child.
    files = standard_okrs()
    files["2026-Q4/customer-care/answer.md"] = objective_file("Answer within the hour", "Customer Care", "2026-Q4")
    root = write_site(tmp_path / "site-src", files, org=None,
                      options={"url_prefix": "goals/okrs"}, config={"use_directory_urls": False})
    build_ok(root)
    built = (root / "site" / "okrs.json").read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    status, out, err = okrs(capsys, "export")
    assert status == 0, err
    assert out == built
    assert '"url": "goals/okrs/objectives/2026-Q4/acme/grow.html"' in out
    for word in PRIVATE_WORDS:
        assert word not in out


# ------------------------------------------------------------------------------------ CSV


def test_csv_has_one_row_per_key_result_of_the_public_objectives(demo: Path, capsys) -> None:
    status, out, err = okrs(capsys, "export", "--format", "csv")
    assert status == 0, err
    header = out.splitlines()[0].split(",")
    assert tuple(header) == CSV_COLUMNS + COMPUTED_COLUMNS
    rows = csv_rows(out)
    loaded = load_okrs(demo / "okrs", Settings(today=DEMO_TODAY, rules={"stale-checkin": "off"}))
    view = public_view(loaded)
    assert len(rows) == sum(len(o.key_results) for o in view.objectives.values())
    assert PRIVATE in loaded.objectives and PRIVATE not in {r["id"] for r in rows}
    assert "Halcyon" not in out
    # The computed columns are those of okrs.json.
    doc = {o["id"]: o for o in json.loads(okrs(capsys, "export")[1])["objectives"]}
    for r in rows:
        o = doc[r["id"]]
        kr = next(k for k in o["key_results"] if k["id"] == r["kr_id"])
        assert r["status"] == o["status"]
        assert (float(r["progress"]) if r["progress"] else None) == kr["progress"]
        assert (float(r["current"]) if r["current"] else None) == kr["current"]
    # A public objective under the private one: its parent is not exported.
    hidden = [o.id for o in view.objectives.values() if o.id in view.parent_private]
    assert hidden and all(r["parent"] == "" for r in rows if r["id"] in hidden)
    checkout = [r for r in rows if r["id"] == "2026-Q4/ecommerce/checkout-feels-instant"]
    assert [(r["kr_id"], r["start"], r["target"], r["unit"], r["weight"], r["done"]) for r in checkout] == [
        ("p95", "800", "200", "ms", "2", ""), ("abandonment", "24", "18", "%", "1", ""),
        ("wallets", "", "", "", "1", "true"), ("edge", "", "", "", "1", "false")]
    assert checkout[0]["tags"] == "performance, checkout"


def test_export_then_import_round_trips(demo: Path, tmp_path: Path, capsys) -> None:
    status, out, err = okrs(capsys, "export", "--format", "csv", "--output", "demo.csv")
    assert status == 0 and out == "" and "wrote demo.csv" in err
    fresh = tmp_path / "fresh"
    (fresh / "okrs").mkdir(parents=True)
    shutil.copy(demo / "okrs" / "org.yml", fresh / "okrs" / "org.yml")
    status, out, err = okrs(capsys, "import", str(demo / "demo.csv"), "--root", str(fresh / "okrs"),
                            "--no-config", "--today", DEMO_TODAY.isoformat())
    assert status == 0, err
    assert "warning" not in err

    settings = Settings(today=DEMO_TODAY)
    before = public_view(load_okrs(demo / "okrs", settings))
    after = load_okrs(fresh / "okrs", settings)
    assert [d for d in after.diagnostics if d.severity.value == "error"] == []
    new_id = {}
    for o in after.objectives.values():
        (match,) = [b for b in before.objectives.values()
                    if (b.objective, b.owner, b.period.id) == (o.objective, o.owner, o.period.id)]
        new_id[match.id] = o.id
    assert sorted(new_id) == sorted(before.objectives)  # every public objective, and only those

    def parent(o, ids) -> str | None:
        if not o.parent:
            return None
        return ids.get(o.parent, o.parent) + (f"#{o.parent_kr}" if o.parent_kr else "")

    for old_id, fresh_id in new_id.items():
        b, a = before.objectives[old_id], after.objectives[fresh_id]
        assert (a.commitment, a.tags, a.contributors) == (b.commitment, b.tags, b.contributors)
        assert parent(a, {}) == parent(b, new_id)  # parents point at the imported objectives
        assert [(k.id, k.title, k.kind, k.start, k.target, k.unit, k.weight, k.done) for k in a.key_results] == \
            [(k.id, k.title, k.kind, k.start, k.target, k.unit, k.weight, k.done) for k in b.key_results]
        assert fresh_id.startswith(f"{b.period.id}/{b.owner}/")

    # Imported again into the demo itself: every objective is there already, nothing is written.
    files = sorted(p.read_bytes() for p in (demo / "okrs").rglob("*.md"))
    status, out, err = okrs(capsys, "import", "demo.csv")
    assert status == 0 and out == ""
    assert f"nothing new to write ({len(new_id)} objectives skipped)" in err
    assert sorted(p.read_bytes() for p in (demo / "okrs").rglob("*.md")) == files


# ---------------------------------------------------------------------------------- status


def test_errors_refuse_the_export(tmp_path: Path, monkeypatch, capsys) -> None:
    root = tmp_path / "okrs"
    (root / "2026-Q4").mkdir(parents=True)
    (root / "2026-Q4" / "broken.md").write_text("---\nobjective: X\nowner: a\nperiod: 2026-Q9\nkey_results: [a]\n---\n")
    monkeypatch.chdir(tmp_path)
    status, out, err = okrs(capsys, "export", "--today", "2026-11-20")
    assert status == 1 and out == ""
    assert "okrs/2026-Q4/broken.md:4:" in err and "nothing was exported" in err
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "xml"])
    assert exc.value.code == 2


def test_output_file_and_format_from_its_name(demo: Path, capsys) -> None:
    (demo / "out.csv").write_text("old")
    status, out, err = okrs(capsys, "export", "-o", "out.csv")
    assert status == 0 and out == ""
    assert (demo / "out.csv").read_text().startswith("id,objective,owner,period,")
    status, out, err = okrs(capsys, "export", "-o", "okrs.json")
    assert status == 0
    assert json.loads((demo / "okrs.json").read_text())["schema_version"] == 2
    status, out, err = okrs(capsys, "export", "-o", "out.csv/x.json")  # a file where a folder should be
    assert status == 2 and "--output: out.csv/x.json: cannot be written" in err


def test_a_bad_source_date_epoch_is_a_usage_error(demo: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    status, out, err = okrs(capsys, "export", "--no-config")
    assert status == 2 and out == "" and "okrs: error: SOURCE_DATE_EPOCH" in err, err


def test_a_text_cell_a_spreadsheet_would_run_is_guarded_and_imports_back(tmp_path: Path, monkeypatch,
                                                                          capsys) -> None:
    """A statement or title starting with =, +, -, @ is written with a leading apostrophe
    (a spreadsheet shows it as text instead of running it), and the import takes it off."""
    root = tmp_path / "okrs"
    (root / "2026-Q4" / "acme").mkdir(parents=True)
    kr = ("key_results:\n"
          "  - {id: a, title: '=HYPERLINK(\"http://x.example\",\"click\")', start: 1, target: 2}\n"
          "  - {id: b, title: '-20% churn, measured monthly', start: 5, target: 3, unit: '%'}\n"
          "  - {id: c, title: Orders shipped the same day, start: 10, target: 20}\n")
    (root / "2026-Q4" / "acme" / "f.md").write_text(
        f"---\nobjective: '@team make support feel personal'\nowner: acme\nperiod: 2026-Q4\n{kr}---\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = okrs(capsys, "export", "--format", "csv", "--root", str(root), "--no-config",
                            "--today", "2026-11-20")
    assert status == 0, err
    rows = csv_rows(out)
    assert rows[0]["objective"] == "'@team make support feel personal"
    assert [r["kr"] for r in rows] == ["'=HYPERLINK(\"http://x.example\",\"click\")", "'-20% churn, measured monthly",
                                       "Orders shipped the same day"]
    assert rows[1]["start"] == "5"  # numbers are not text: never guarded
    (tmp_path / "out.csv").write_text(out, encoding="utf-8")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    status, _, err = okrs(capsys, "import", str(tmp_path / "out.csv"), "--format", "csv", "--root", str(fresh),
                          "--no-config", "--today", "2026-11-20")
    assert status == 0, err
    (o,) = load_okrs(fresh, Settings(today=dt.date(2026, 11, 20))).objectives.values()
    assert o.objective == "@team make support feel personal"
    assert [k.title for k in o.key_results] == ['=HYPERLINK("http://x.example","click")',
                                               "-20% churn, measured monthly", "Orders shipped the same day"]
