"""``okrs schema``: the JSON Schema of an objective's front-matter agrees with ``okrs check``.

Every demo objective is valid; a table of small bad files is schema-invalid exactly
when ``okrs check`` reports the error of the corresponding rule; warnings (unknown
keys, outputs, activity counts) never make a file schema-invalid. Front-matter is
read as a YAML tool reads it: PyYAML ``safe_load`` (YAML 1.1), dates handed over
as ISO strings (a YAML 1.2 reader, such as the YAML language server, has no date
type). Real CLI runs, real files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from mkdocs_okrs.cli import main
from mkdocs_okrs.core.frontmatter import split_front_matter
from mkdocs_okrs.core.objective_file import CHECKIN_KEYS, KR_KEYS, OBJECTIVE_KEYS
from mkdocs_okrs.core.schema import SCHEMA_ID, objective_schema, schema_json

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-20"


def run_cli(*argv: str) -> tuple[int, str, str]:
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def as_language_server_sees(value):
    """Dates and times as the ISO strings a YAML 1.2 reader hands over."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_language_server_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_language_server_sees(v) for v in value]
    return value


def front_matter(text: str):
    return as_language_server_sees(yaml.safe_load(split_front_matter(text).yaml))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    status, out, err = run_cli("schema")
    assert status == 0 and err == ""
    schema = json.loads(out)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


# ----------------------------------------------------------------------------- the schema


def test_schema_is_draft_2020_12_with_id_and_descriptions(validator) -> None:
    schema = validator.schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID and schema["title"] and schema["description"]
    assert schema["required"] == ["objective", "owner", "period", "key_results"]
    assert schema["additionalProperties"] is True  # unknown keys: a warning in okrs check, not an error
    # Every key of the format, in the loader's order, with a description (hover help).
    levels = [
        (schema["properties"], OBJECTIVE_KEYS),
        (schema["$defs"]["key_result"]["properties"], KR_KEYS),
        (schema["$defs"]["checkin"]["properties"], CHECKIN_KEYS),
    ]
    for props, keys in levels:
        assert tuple(props) == keys
        for key, prop in props.items():
            assert len(prop["description"]) > 20, key
    assert schema["properties"]["commitment"]["enum"] == ["committed", "aspirational", None]
    assert schema["$defs"]["checkin"]["properties"]["confidence"]["maximum"] == 1


def test_output_is_stable_json_and_written_whole(tmp_path: Path) -> None:
    status, out, _ = run_cli("schema")
    assert status == 0 and out == schema_json() and out.endswith("}\n")
    assert json.loads(out) == objective_schema()
    target = tmp_path / "okrs" / "objective.schema.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    status, out, err = run_cli("schema", "--output", str(target))
    assert status == 0 and out == "" and "wrote" in err
    assert target.read_text(encoding="utf-8") == schema_json()
    assert [p.name for p in target.parent.iterdir()] == ["objective.schema.json"]  # no temporary file left


def test_output_errors_are_usage_errors(tmp_path: Path) -> None:
    status, _, err = run_cli("schema", "--output", str(tmp_path))
    assert status == 2 and "is a folder" in err and "Traceback" not in err
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    status, _, err = run_cli("schema", "-o", str(blocker / "schema.json"))
    assert status == 2 and err.startswith("okrs: error: --output: cannot write") and "Traceback" not in err


def test_help(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["schema", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "yaml-language-server: $schema=" in text and "--output" in text


def test_a_schema_file_in_the_okr_root_is_not_an_objective(tmp_path: Path) -> None:
    root = tmp_path / "okrs"
    (root / "2026-Q4").mkdir(parents=True)
    (root / "2026-Q4" / "a.md").write_text(GOOD, encoding="utf-8")
    assert run_cli("schema", "-o", str(root / "objective.schema.json"))[0] == 0
    status, out, err = run_cli("check", str(root), "--no-config", "--today", TODAY)
    assert status == 0 and out == "" and "in 1 file" in err


# ------------------------------------------------------------------------- the demo files


def demo_files() -> list[Path]:
    """The objective files of the demo, as the loader finds them (``_``/``.`` names skipped)."""
    root = REPO / "okrs"
    return sorted(p for p in root.rglob("*.md")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(root).parts))


def test_every_demo_objective_is_valid(validator) -> None:
    files = demo_files()
    assert len(files) > 20
    for path in files:
        data = front_matter(path.read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{path}: {errors}"


def test_the_template_is_valid_too(validator) -> None:
    data = front_matter((REPO / "okrs" / "_template.md").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []


# ------------------------------------------------ the schema agrees with okrs check

GOOD = """\
---
objective: Make checkout feel instant
owner: web
period: 2026-Q4
key_results:
  - id: p95
    title: Checkout p95 latency
    start: 800
    target: 200
    unit: ms
    checkins:
      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}
      - {date: 2026-11-10, value: 450}
  - title: Checkout pages served from the edge
    done: true
    done_on: 2026-11-02
  - title: Share of orders paid in one step
    start: 20
    target: 60
    unit: "%"
---
Body.
"""


def change(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def check(tmp_path: Path, text: str) -> tuple[set[str], set[str]]:
    """(error rules, warning rules) of ``okrs check`` on one file ``text``."""
    root = tmp_path / "okrs"
    path = root / "2026-Q4" / "web" / "fast.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    status, out, _ = run_cli("check", str(root), "--no-config", "--today", TODAY, "--format", "json")
    assert status in (0, 1)
    diags = json.loads(out)["diagnostics"]
    errors = {d["rule"] for d in diags if d["severity"] == "error"}
    warnings = {d["rule"] for d in diags if d["severity"] == "warning"}
    return errors, warnings


# (name, file text, the rule okrs check reports as an error; None: no error at all)
BAD = [
    ("missing objective", change("objective: Make checkout feel instant\n", ""), "field-required"),
    ("empty objective", change("objective: Make checkout feel instant", "objective: '  '"), "field-required"),
    ("objective a number", change("objective: Make checkout feel instant", "objective: 2026"), "field-type"),
    ("owner NO (YAML 1.1 boolean)", change("owner: web", "owner: NO"), "field-type"),
    ("missing period", change("period: 2026-Q4\n", ""), "field-required"),
    ("bad period Q5", change("period: 2026-Q4", "period: 2026-Q5"), "period-invalid"),
    ("bad period lower case", change("period: 2026-Q4", "period: 2026-q4"), "period-invalid"),
    ("bad period month 13", change("period: 2026-Q4", "period: 2026-13"), "period-invalid"),
    ("bad parent", change("period: 2026-Q4\n", "period: 2026-Q4\nparent: 2026-Q4/../company\n"), "id-invalid"),
    ("bad parent kr", change("period: 2026-Q4\n", "period: 2026-Q4\nparent: 2026-Q4/company#a/b\n"), "id-invalid"),
    ("carried_from with a kr", change("period: 2026-Q4\n", "period: 2026-Q4\ncarried_from: 2026-Q3/web/x#k\n"),
     "id-invalid"),
    ("bad id", change("period: 2026-Q4\n", "period: 2026-Q4\nid: web/fast checkout\n"), "id-invalid"),
    ("empty id", change("period: 2026-Q4\n", "period: 2026-Q4\nid:\n"), "field-required"),
    ("bad commitment", change("period: 2026-Q4\n", "period: 2026-Q4\ncommitment: maybe\n"), "field-value"),
    ("bad status", change("period: 2026-Q4\n", "period: 2026-Q4\nstatus: closed\n"), "field-value"),
    ("bad visibility", change("period: 2026-Q4\n", "period: 2026-Q4\nvisibility: secret\n"), "field-value"),
    ("tags not a list", change("period: 2026-Q4\n", "period: 2026-Q4\ntags: checkout\n"), "field-type"),
    ("empty contributor", change("period: 2026-Q4\n", "period: 2026-Q4\ncontributors: [design, '']\n"),
     "field-required"),
    ("review_until not a date", change("period: 2026-Q4\n", "period: 2026-Q4\nreview_until: '2027-02-30'\n"),
     "field-value"),
    ("review_until with a time", change("period: 2026-Q4\n", "period: 2026-Q4\nreview_until: 2027-01-31 10:00:00\n"),
     "field-type"),
    ("no key results", change("key_results:\n", "key_results: []\nold_key_results:\n"), "field-required"),
    ("key result a number", change("  - title: Checkout pages served from the edge\n    done: true\n"
                                   "    done_on: 2026-11-02\n", "  - 42\n"), "field-type"),
    ("key result without title", change("    title: Checkout p95 latency\n", ""), "field-required"),
    ("bad kr id", change("  - id: p95", "  - id: p/95"), "id-invalid"),
    ("start is text", change("    start: 800", "    start: 800ms"), "field-type"),
    ("number too large", change("    target: 200", "    target: 1.0e+101"), "field-value"),
    ("metric without target", change("    target: 200\n", ""), "kr-metric-incomplete"),
    ("metric without start", change("    start: 800\n", ""), "kr-metric-incomplete"),
    ("milestone with start", change("    done: true\n", "    done: true\n    start: 0\n"), "kr-metric-incomplete"),
    ("done not a boolean", change("    done: true", "    done: 'finished'"), "field-type"),
    ("done_on while not done", change("    done: true", "    done: false"), "field-value"),
    ("done_on on a metric", change("    unit: ms\n", "    unit: ms\n    done_on: 2026-11-02\n"), "field-value"),
    ("weight 0", change("    unit: ms\n", "    unit: ms\n    weight: 0\n"), "weight-range"),
    ("weight negative", change("    unit: ms\n", "    unit: ms\n    weight: -1\n"), "weight-range"),
    ("weight text", change("    unit: ms\n", "    unit: ms\n    weight: heavy\n"), "field-type"),
    ("confidence 1.5", change("confidence: 0.6", "confidence: 1.5"), "confidence-range"),
    ("confidence negative", change("confidence: 0.6", "confidence: -0.1"), "confidence-range"),
    ("check-in without date", change("{date: 2026-11-10, value: 450}", "{value: 450}"), "field-required"),
    ("check-in bad date", change("{date: 2026-11-10, value: 450}", "{date: '2026-11-31', value: 450}"),
     "field-value"),
    ("metric check-in without value", change("{date: 2026-11-10, value: 450}", "{date: 2026-11-10}"),
     "field-required"),
    ("check-in not a mapping", change("      - {date: 2026-11-10, value: 450}", "      - 2026-11-10"), "field-type"),
    ("checkins not a list", change("    unit: ms\n", "    unit: ms\n    weight: 1\n").replace(
        "    checkins:\n      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}\n"
        "      - {date: 2026-11-10, value: 450}\n", "    checkins: 620\n"), "field-type"),
    # Valid for both: what okrs check accepts, the schema accepts.
    ("the good file", GOOD, None),
    ("period a year (an integer)", change("period: 2026-Q4", "period: 2026"), None),
    ("period a month", change("period: 2026-Q4", "period: 2026-11"), None),
    ("quoted dates", change("done_on: 2026-11-02", "done_on: '2026-11-02'"), None),
    ("empty optional fields", change("period: 2026-Q4\n", "period: 2026-Q4\nparent:\ncommitment:\ntags:\n"
                                     "retrospective:\n"), None),
    ("done yes (YAML 1.1)", change("    done: true", "    done: yes"), None),
    ("a bare key result", change("key_results:\n", "key_results:\n  - Publish the latency budget\n"), None),
    ("milestone without done_on", change("    done_on: 2026-11-02\n", ""), None),
]
# Warnings only: okrs check reports no error, the schema accepts the file.
WARNINGS = [
    ("unknown key", change("owner: web\n", "owner: web\nownr: web\n"), "unknown-key"),
    ("unknown key in a key result", change("    unit: ms\n", "    unit: ms\n    targte: 100\n"), "unknown-key"),
    ("milestone named Launch", change("Checkout pages served from the edge", "Launch the new app")
     .replace("    done: true\n    done_on: 2026-11-02\n", "    done: false\n"), "kr-output"),
    ("milestone named Ship", change("Checkout pages served from the edge", "Ship the one-step checkout"),
     "kr-output"),
    ("metric counting bugs fixed", change("Share of orders paid in one step", "Bugs fixed"), "kr-activity"),
    ("metric counting posts written", change("Share of orders paid in one step", "Blog posts written"),
     "kr-activity"),
]
# Errors only okrs check can see: they need other files, org.yml or the date.
CHECK_ONLY = [
    ("target equals start", change("    target: 200", "    target: 800"), "kr-target-equals-start"),
    ("check-ins out of order", change("{date: 2026-11-10, value: 450}", "{date: 2026-10-01, value: 450}"),
     "checkin-order"),
    ("check-in after today", change("{date: 2026-11-10, value: 450}", "{date: 2026-11-30, value: 450}"),
     "date-future"),
    ("unknown parent", change("period: 2026-Q4\n", "period: 2026-Q4\nparent: 2026-Q4/company/none\n"),
     "parent-unknown"),
    ("review_until before the period ends", change("period: 2026-Q4\n", "period: 2026-Q4\nreview_until: 2026-12-01\n"),
     "field-value"),
]


@pytest.mark.parametrize("name, text, rule", BAD, ids=[c[0] for c in BAD])
def test_schema_invalid_iff_okrs_check_reports_the_error(tmp_path: Path, validator, name: str, text: str,
                                                         rule: str | None) -> None:
    errors, _ = check(tmp_path, text)
    schema_errors = [e.message for e in validator.iter_errors(front_matter(text))]
    if rule is None:
        assert errors == set() and schema_errors == [], (errors, schema_errors)
    else:
        assert errors == {rule}, errors
        assert schema_errors, f"{name}: okrs check says {rule}, the schema accepts the file"


@pytest.mark.parametrize("name, text, rule", WARNINGS, ids=[c[0] for c in WARNINGS])
def test_warnings_are_not_schema_errors(tmp_path: Path, validator, name: str, text: str, rule: str) -> None:
    errors, warnings = check(tmp_path, text)
    assert errors == set() and rule in warnings, (errors, warnings)
    assert list(validator.iter_errors(front_matter(text))) == []


@pytest.mark.parametrize("name, text, rule", CHECK_ONLY, ids=[c[0] for c in CHECK_ONLY])
def test_what_only_okrs_check_sees(tmp_path: Path, validator, name: str, text: str, rule: str) -> None:
    errors, _ = check(tmp_path, text)
    assert errors == {rule}, errors
    assert list(validator.iter_errors(front_matter(text))) == []


def test_a_yaml_1_2_reader_gets_no_error_on_a_valid_file(validator) -> None:
    """The YAML language server reads YAML 1.2: 'yes' and 'on' are text there, dates are
    strings. What okrs check accepts still passes (``done: yes`` included)."""
    data = front_matter(change("    done: true", "    done: yes"))
    data["key_results"][1]["done"] = "yes"  # as YAML 1.2 reads it
    assert list(validator.iter_errors(data)) == []
    data["key_results"][1]["done"] = "finished"
    assert list(validator.iter_errors(data)) != []
