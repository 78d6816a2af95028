"""The loader: real OKR trees on disk -> OkrSet, with located diagnostics.

Every rule the loader owns is checked on a real file for its rule id, line and
column. File-level rules are in test_file_rules.py; cross-file rules (owners,
parents, quality warnings) in test_validate.py.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.diagnostics import Location, Severity
from mkdocs_okrs.core.loader import SettingsError, resolve_today
from mkdocs_okrs.core.model import Settings
from mkdocs_okrs.core.rules import RULES, RuleSettingError

from loader_helpers import TODAY, errors, fm, good, load, only, strict_loading, where  # noqa: F401  (load, strict_loading: fixtures)

# Unexpected exceptions propagate instead of becoming diagnostics, in every test here.
pytestmark = pytest.mark.usefixtures("strict_loading")


# --- the happy path ------------------------------------------------------------


def test_contract_example_loads_completely(load):
    text = fm(
        "objective: Make checkout feel instant          # required: the qualitative goal",
        "owner: platform",
        "period: 2026-Q4",
        "parent: 2026-Q4/company/grow-online-sales#kr1",
        "commitment: committed",
        "status: at-risk",
        "tags: [performance]",
        "contributors: [design, ops]",
        "visibility: private",
        "review_until: 2027-03-31",
        "key_results:",
        "  - id: p95",
        "    title: Cut checkout p95 latency",
        "    start: 800",
        "    target: 200",
        "    current: 450",
        "    unit: ms",
        "    weight: 2",
        "    checkins:",
        "      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}",
        "      - {date: 2026-11-01, value: 500}",
        "  - title: Every checkout page served from the edge",
        "    done: true",
        "  - Publish the latency budget",
        body="# Why\n\nBecause.\n",
    )
    okrs = load({"2026-Q4/platform/checkout.md": text, "2026-Q4/company/grow-online-sales.md": good(owner="company")})
    assert errors(okrs) == []
    o = okrs.objectives["2026-Q4/platform/checkout"]
    assert o.path == "2026-Q4/platform/checkout.md"
    assert (o.objective, o.owner, o.period.id, o.commitment, o.status_override, o.visibility) == (
        "Make checkout feel instant", "platform", "2026-Q4", "committed", "at-risk", "private",
    )
    assert (o.parent, o.parent_kr) == ("2026-Q4/company/grow-online-sales", "kr1")
    assert o.tags == ("performance",) and o.contributors == ("design", "ops")
    assert o.review_until == dt.date(2027, 3, 31)
    assert o.body == "# Why\n\nBecause.\n" and o.body_line == 27
    assert o.loc == Location("okrs/2026-Q4/platform/checkout.md", 1, 1)
    assert o.field_locs["owner"] == Location("okrs/2026-Q4/platform/checkout.md", 3, 1)
    assert o.field_locs["contributors[1]"] == Location("okrs/2026-Q4/platform/checkout.md", 9, 24)
    p95, edge, budget = o.key_results
    assert (p95.id, p95.kind, p95.start, p95.target, p95.current, p95.current_explicit, p95.unit, p95.weight) == (
        "p95", "metric", 800, 200, 450, True, "ms", 2,
    )
    assert [c.date for c in p95.checkins] == [dt.date(2026, 10, 15), dt.date(2026, 11, 1)]
    assert p95.checkins[0].confidence == 0.6 and p95.checkins[0].note == "Cache warmed"
    assert p95.checkins[0].loc == Location("okrs/2026-Q4/platform/checkout.md", 21, 9)
    assert p95.loc.line == 13 and p95.field_locs["target"].line == 16
    assert (edge.id, edge.kind, edge.done, edge.index) == ("kr2", "milestone", True, 1)
    assert (budget.id, budget.kind, budget.title, budget.weight) == ("kr3", "none", "Publish the latency budget", 1)
    assert budget.loc == Location("okrs/2026-Q4/platform/checkout.md", 25, 5)
    assert list(okrs.periods) == ["2026-Q4"]
    assert okrs.today == TODAY


def test_current_defaults_to_last_checkin_value_else_start(load):
    text = fm(
        "objective: O", "owner: a", "period: 2026-Q4", "key_results:",
        "  - {title: A, start: 0, target: 10, checkins: [{date: 2026-10-01, value: 3}, {date: 2026-10-08, value: 4}]}",
        "  - {title: B, start: 5, target: 10}",
    )
    a, b = load({"o.md": text}).objectives["o"].key_results
    assert (a.current, a.current_explicit) == (4, False)
    assert (b.current, b.current_explicit) == (5, False)


def test_walk_skips_underscore_and_dot_names_and_org_yml(load):
    okrs = load({
        "a.md": good(),
        "_template.md": "not even front-matter",
        ".hidden.md": "nope",
        "_drafts/b.md": "nope",
        ".git/c.md": "nope",
        "deep/er/still/d.md": good(),
        "notes.txt": "ignored",
        "org.yml": "units:\n  - id: platform\n",
    })
    assert errors(okrs) == []
    assert list(okrs.objectives) == ["a", "deep/er/still/d"]
    assert okrs.org.defined and list(okrs.org.units) == ["platform"]


def test_without_org_each_owner_is_a_unit(load):
    okrs = load({"a.md": good(owner="Team Blue"), "b.md": good(owner="growth"), "c.md": good(owner="growth")})
    assert not okrs.org.defined
    assert list(okrs.org.units) == ["Team Blue", "growth"]
    assert okrs.org.units["growth"].name == "growth" and okrs.org.units["growth"].parent is None


def test_explicit_id_overrides_the_path(load):
    okrs = load({"some/where.md": good("id: company/renamed")})
    assert list(okrs.objectives) == ["company/renamed"]
    assert okrs.objectives["company/renamed"].path == "some/where.md"


def test_year_period_given_as_a_number(load):
    okrs = load({"a.md": good(period="2026")})
    assert okrs.objectives["a"].period.id == "2026" and errors(okrs) == []


def test_fiscal_year_start_setting_shifts_periods(load):
    okrs = load({"a.md": good(period="2026-Q1")}, settings=Settings(today=TODAY, fiscal_year_start=7))
    assert okrs.objectives["a"].period.start == dt.date(2025, 7, 1)


def test_display_base_outside_gives_absolute_paths(okr_tree, tmp_path):
    root = okr_tree({"a.md": good("colour: red")})
    base = tmp_path / "elsewhere"
    base.mkdir()
    [d] = [d for d in load_okrs(root, Settings(today=TODAY), display_base=base).diagnostics if d.rule == "unknown-key"]
    assert d.path == (root / "a.md").as_posix()
    # default display base: the current directory
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        [d] = [d for d in load_okrs(root, Settings(today=TODAY)).diagnostics if d.rule == "unknown-key"]
    finally:
        os.chdir(cwd)
    assert d.path == "okrs/a.md"


def test_rule_settings_are_applied_and_validated(load):
    files = {"a.md": good("colour: red")}
    assert where(load(files), "unknown-key") == [("okrs/a.md", 5, 1)]
    raised = load(files, settings=Settings(today=TODAY, rules={"unknown-key": "error"}))
    assert only(raised, "unknown-key").severity is Severity.ERROR
    assert where(load(files, settings=Settings(today=TODAY, rules={"unknown-key": "off"})), "unknown-key") == []
    with pytest.raises(RuleSettingError):
        load(files, settings=Settings(today=TODAY, rules={"no-such-rule": "off"}))


def test_bad_fiscal_year_start_is_a_settings_error(load):
    with pytest.raises(SettingsError):
        load({"a.md": good()}, settings=Settings(today=TODAY, fiscal_year_start=13))


def test_diagnostics_are_sorted_and_deterministic(load):
    files = {"b.md": good("colour: red", "flavour: x"), "a.md": good("zzz: 1")}
    first = load(files).diagnostics
    assert first == sorted(first, key=lambda d: d.sort_key())
    assert [d.path for d in first if d.rule == "unknown-key"] == ["okrs/a.md", "okrs/b.md", "okrs/b.md"]


# --- today ----------------------------------------------------------------------


def test_resolve_today(monkeypatch):
    assert resolve_today(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21T14:13:20Z
    assert resolve_today(None) == dt.date(2026, 9, 21)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1789948799")  # 2026-09-20T23:59:59Z, any local time zone
    assert resolve_today(None) == dt.date(2026, 9, 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(SettingsError):
        resolve_today(None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert resolve_today(None) == dt.date.today()


# --- YAML safety ------------------------------------------------------------------


def test_yaml_syntax_error_is_located(load):
    text = good().replace("owner: platform", "owner: [platform")
    d = only(load({"a.md": text}), "yaml-syntax")
    assert d.path == "okrs/a.md" and d.line in (3, 4) and d.col >= 1
    assert "Traceback" not in d.message and d.message.startswith("YAML syntax:")


def test_yaml_syntax_mapping_value_in_plain_text(load):
    text = good().replace("objective: Make checkout feel instant", "objective: Ratio: 3 to 1")
    d = only(load({"a.md": text}), "yaml-syntax")
    assert (d.line, d.col) == (2, 17)


def test_yaml_syntax_tab_indentation(load):
    text = good().replace("    start: 800", "\tstart: 800")
    d = only(load({"a.md": text}), "yaml-syntax")
    assert (d.line, d.col) == (7, 1) and "tab" in d.message


def test_duplicate_key_names_the_first_line(load):
    text = good().replace("period: 2026-Q4", "period: 2026-Q4\nowner: other")
    d = only(load({"a.md": text}), "yaml-duplicate-key")
    assert (d.line, d.col) == (5, 1) and "line 3" in d.message


def test_duplicate_key_in_a_key_result(load):
    text = good().replace("    target: 200", "    target: 200\n    start: 700")
    d = only(load({"a.md": text}), "yaml-duplicate-key")
    assert (d.line, d.col) == (9, 5) and "line 7" in d.message


@pytest.mark.parametrize(
    ("replacement", "line", "col", "needle"),
    [
        ("owner: &who platform", 3, 8, "anchors"),
        ("owner: !!python/object/apply:os.system ['true']", 3, 8, "!!python/object/apply:os.system"),
        ("owner: !shout platform", 3, 8, "custom tag !shout"),
        ("owner: !!binary cGxhdGZvcm0=", 3, 8, "!!binary"),
    ],
)
def test_refused_yaml_features(load, replacement, line, col, needle):
    text = good().replace("owner: platform", replacement)
    d = only(load({"a.md": text}), "yaml-alias")
    assert (d.line, d.col) == (line, col) and needle in d.message


def test_alias_is_refused(load):
    text = good("parent: &p company/x", "tags: [*p]")
    d = only(load({"a.md": text}), "yaml-alias")
    assert (d.line, d.col) == (5, 9)


def test_merge_key_is_refused(load):
    text = fm(
        "objective: O", "owner: a", "period: 2026-Q4", "key_results:",
        "  - {title: A, start: 0, target: 1}",
        "  - <<: {title: A, start: 0, target: 1}",
    )
    d = only(load({"a.md": text}), "yaml-alias")
    assert (d.line, d.col) == (7, 5) and "merge" in d.message


def test_billion_laughs_is_refused_quickly(load):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    d = only(load({"a.md": fm(*lines)}), "yaml-alias")
    assert (d.line, d.col) == (2, 5)


def test_deep_nesting_is_refused(load):
    okrs = load({"flow.md": fm("objective: " + "[" * 5000 + "]" * 5000), "block.md": fm("x:", "- " * 3000 + "y")})
    assert sorted(p for p, _, _ in where(okrs, "yaml-syntax")) == ["okrs/block.md", "okrs/flow.md"]
    assert all("nested" in d.message for d in okrs.diagnostics if d.rule == "yaml-syntax")


def test_control_character_is_a_syntax_error(load):
    d = only(load({"a.md": good().replace("platform", "plat\x07form")}), "yaml-syntax")
    assert d.line == 3


# --- fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ("owner: NO", 'owner: NO is read as the boolean false; quote it: owner: "NO"'),
        ("owner: yes", 'owner: yes is read as the boolean true; quote it: owner: "yes"'),
        ("owner: Off", 'owner: Off is read as the boolean false; quote it: owner: "Off"'),
        ("owner: y", 'owner: y is read as the boolean true; quote it: owner: "y"'),
        ("owner: 42", 'owner: 42 is read as the number 42; quote it: owner: "42"'),
        ("owner: 2026-01-01", 'owner: 2026-01-01 is read as a date; quote it: owner: "2026-01-01"'),
        ("owner: [a, b]", "owner must be text, not a list"),
    ],
)
def test_owner_must_be_text(load, replacement, message):
    d = only(load({"a.md": good().replace("owner: platform", replacement)}), "field-type")
    assert (d.line, d.col) == (3, 1)
    assert d.message == message


def test_quoted_no_is_text(load):
    okrs = load({"a.md": good().replace("owner: platform", 'owner: "NO"')})
    assert okrs.objectives["a"].owner == "NO" and errors(okrs) == []


@pytest.mark.parametrize("missing", ["objective", "owner", "period", "key_results"])
def test_required_fields(load, missing):
    text = good()
    lines = text.split("\n")
    if missing == "key_results":
        lines = lines[:4] + lines[13:]
    else:
        lines = [line for line in lines if not line.startswith(missing + ":")]
    text = "\n".join(lines)
    assert text.count("---") == 2
    d = only(load({"a.md": text}), "field-required")
    assert (d.line, d.col) == (2, 1) and missing in d.message


def test_empty_required_field_is_reported_at_its_key(load):
    d = only(load({"a.md": good().replace("owner: platform", "owner:   ")}), "field-required")
    assert (d.line, d.col) == (3, 1)


def test_empty_key_results(load):
    text = fm("objective: O", "owner: a", "period: 2026-Q4", "key_results: []")
    d = only(load({"a.md": text}), "field-required")
    assert (d.line, d.col) == (5, 1)


def test_frontmatter_must_be_a_mapping(load):
    okrs = load({"list.md": fm("- a", "- b"), "empty.md": fm("# nothing here")})
    assert where(okrs, "field-type") == [("okrs/list.md", 2, 1)]
    assert where(okrs, "field-required") == [("okrs/empty.md", 1, 1)]


@pytest.mark.parametrize(
    ("line", "rule", "col"),
    [
        ("commitment: committd", "field-value", 1),
        ("status: late", "field-value", 1),
        ("visibility: secret", "field-value", 1),
        ("tags: performance", "field-type", 1),
        ("tags: [fast, no]", "field-type", 14),
        ("contributors: [design, 7]", "field-type", 24),
        ("review_until: 2026-12-30", "field-value", 1),
        ("review_until: soon", "field-value", 1),
        ("review_until: 2027-02-30", "field-value", 1),
        ("review_until: 2027-01-01 10:00:00", "field-type", 1),
        ("parent: 42", "field-type", 1),
    ],
)
def test_field_values_and_types(load, line, rule, col):
    d = only(load({"a.md": good(line)}), rule)
    assert (d.line, d.col) == (5, col)


def test_commitment_suggests_closest(load):
    d = only(load({"a.md": good("commitment: committd")}), "field-value")
    assert "did you mean 'committed'" in d.message


def test_review_until_on_the_period_end_and_quoted(load):
    okrs = load({"a.md": good('review_until: "2026-12-31"')})
    assert errors(okrs) == [] and okrs.objectives["a"].review_until == dt.date(2026, 12, 31)


# --- ids -------------------------------------------------------------------------


def test_path_with_space_gives_invalid_id(load):
    okrs = load({"my objective.md": good()})
    assert where(okrs, "id-invalid") == [("okrs/my objective.md", 1, 1)]
    assert okrs.objectives == {}


def test_path_with_space_rescued_by_explicit_id(load):
    okrs = load({"my objective.md": good("id: my-objective")})
    assert errors(okrs) == [] and list(okrs.objectives) == ["my-objective"]


@pytest.mark.parametrize("bad", ["a//b", "../up", "a/..b", "-dash", "a b", "é", "x" * 201, "a/", "'.'"])
def test_explicit_id_invalid(load, bad):
    d = only(load({"a.md": good(f"id: {bad}")}), "id-invalid")
    assert (d.line, d.col) == (5, 1)


@pytest.mark.parametrize("bad", ["company//x", "company/x#", "company/x#a/b", "company/x#-1"])
def test_parent_invalid(load, bad):
    d = only(load({"a.md": good(f"parent: '{bad}'")}), "id-invalid")
    assert (d.line, d.col) == (5, 1)


def test_duplicate_ids_case_insensitive(load):
    okrs = load({"Team/a.md": good(), "team/A.md": good(), "z.md": good("id: TEAM/a")})
    assert where(okrs, "id-duplicate") == [("okrs/team/A.md", 1, 1), ("okrs/z.md", 5, 1)]
    d = [d for d in okrs.diagnostics if d.rule == "id-duplicate"][0]
    assert "okrs/Team/a.md" in d.message
    assert list(okrs.objectives) == ["Team/a"]


# --- key results -----------------------------------------------------------------


def kr_file(*kr_lines: str) -> str:
    return fm("objective: O", "owner: a", "period: 2026-Q4", "key_results:", *kr_lines)


def test_kr_id_duplicate_with_default_id(load):
    text = kr_file("  - title: A", "    done: false", "  - id: kr1", "    title: B", "    done: true")
    d = only(load({"a.md": text}), "kr-id-duplicate")
    assert (d.line, d.col) == (8, 5) and "line 6" in d.message


def test_kr_default_id_collides_with_earlier_explicit(load):
    text = kr_file("  - id: kr2", "    title: A", "    done: false", "  - B")
    d = only(load({"a.md": text}), "kr-id-duplicate")
    assert (d.line, d.col) == (9, 5) and "default" in d.message


def test_kr_id_invalid(load):
    d = only(load({"a.md": kr_file("  - id: a/b", "    title: A", "    done: true")}), "id-invalid")
    assert (d.line, d.col) == (6, 5)


def test_kr_metric_incomplete(load):
    okrs = load({"a.md": kr_file("  - title: A", "    start: 1", "  - title: B", "    target: 5", "    start: 1", "    done: false")})
    assert where(okrs, "kr-metric-incomplete") == [("okrs/a.md", 7, 5), ("okrs/a.md", 11, 5)]


def test_kr_target_equals_start(load):
    d = only(load({"a.md": kr_file("  - title: A", "    start: 5", "    target: 5.0")}), "kr-target-equals-start")
    assert (d.line, d.col) == (8, 5)


def test_kr_weight_range(load):
    okrs = load({"a.md": kr_file("  - {title: A, done: false, weight: 0}", "  - {title: B, done: false, weight: -1.5}")})
    assert where(okrs, "weight-range") == [("okrs/a.md", 6, 29), ("okrs/a.md", 7, 29)]


def test_kr_numbers_must_be_numbers(load):
    okrs = load({"a.md": kr_file("  - title: A", "    start: '1'", "    target: yes", "    current: .nan")})
    assert where(okrs, "field-type") == [("okrs/a.md", 7, 5), ("okrs/a.md", 8, 5)]
    assert where(okrs, "field-value") == [("okrs/a.md", 9, 5)]


def test_kr_numbers_too_large_for_the_arithmetic(load):
    big = "1" + "0" * 400  # an integer YAML reads exactly, and no float can hold
    okrs = load({"a.md": kr_file("  - title: A", "    start: -1.0e+308", "    target: 1.0e+308",
                                 "  - title: B", "    start: 0", f"    target: {big}",
                                 "  - title: C", "    start: 0", "    target: 1.0e+99", "    weight: 2.0e+101")})
    assert where(okrs, "field-value") == [("okrs/a.md", 7, 5), ("okrs/a.md", 8, 5), ("okrs/a.md", 11, 5),
                                          ("okrs/a.md", 15, 5)]
    assert all("numbers must lie between -1e100 and 1e100" in d.message
               for d in okrs.diagnostics if d.rule == "field-value")
    kr = okrs.objectives["a"].key_results[2]
    assert kr.target == 1.0e99


def test_kr_item_of_wrong_type(load):
    okrs = load({"a.md": kr_file("  - 42", "  - [a, b]", "  - title: ok", "    done: no")})
    assert where(okrs, "field-type") == [("okrs/a.md", 6, 5), ("okrs/a.md", 7, 5)]
    assert [kr.id for kr in okrs.objectives["a"].key_results] == ["kr3"]


def test_kr_title_required(load):
    d = only(load({"a.md": kr_file("  - start: 1", "    target: 2")}), "field-required")
    assert (d.line, d.col) == (6, 5)


def test_kr_done_must_be_boolean(load):
    d = only(load({"a.md": kr_file("  - title: A", "    done: 'yes'")}), "field-type")
    assert (d.line, d.col) == (7, 5)


def test_checkin_order(load):
    text = kr_file(
        "  - title: A", "    start: 0", "    target: 10", "    checkins:",
        "      - {date: 2026-10-15, value: 1}",
        "      - {date: 2026-10-15, value: 2}",
        "      - date: 2026-10-01",
        "        value: 3",
        "      - {date: 2026-10-20, value: 4}",
    )
    okrs = load({"a.md": text})
    assert where(okrs, "checkin-order") == [("okrs/a.md", 11, 9), ("okrs/a.md", 12, 9)]
    kr = okrs.objectives["a"].key_results[0]
    assert [c.value for c in kr.checkins] == [1, 4] and kr.current == 4


def test_checkin_confidence_range(load):
    line = "  - {title: A, start: 0, target: 1, checkins: [{date: 2026-10-01, value: 0, confidence: 1.5}]}"
    d = only(load({"a.md": kr_file(line)}), "confidence-range")
    assert (d.line, d.col) == (6, line.index("confidence") + 1)


def test_checkin_needs_date_and_metric_needs_value(load):
    text = kr_file(
        "  - title: A", "    start: 0", "    target: 10", "    checkins:",
        "      - value: 1",
        "      - date: 2026-10-02",
    )
    okrs = load({"a.md": text})
    assert where(okrs, "field-required") == [("okrs/a.md", 10, 9), ("okrs/a.md", 11, 9)]


def test_milestone_checkins_may_omit_value(load):
    text = kr_file("  - title: A", "    done: false", "    checkins: [{date: 2026-10-02, note: started}]")
    assert errors(load({"a.md": text})) == []


def test_checkins_wrong_shapes(load):
    okrs = load({"a.md": kr_file("  - title: A", "    done: false", "    checkins: [2026-10-01]", "  - title: B", "    done: true", "    checkins: soon")})
    assert where(okrs, "field-type") == [("okrs/a.md", 8, 16), ("okrs/a.md", 11, 5)]


# --- unknown keys ------------------------------------------------------------------


def test_unknown_keys_at_every_level_suggest_the_closest(load):
    text = kr_file(
        "  - titel: A",
        "    title: A",
        "    start: 0",
        "    target: 1",
        "    checkins:",
        "      - {date: 2026-10-01, valeu: 1, value: 1}",
    ).replace("owner: a", "owner: a\nowners: b")
    okrs = load({"a.md": text, "org.yml": "units:\n  - id: a\n    nmae: A\nteams: []\n"})
    found = {(d.path, d.line, d.col): d.message for d in okrs.diagnostics if d.rule == "unknown-key"}
    assert found == {
        ("okrs/a.md", 4, 1): "unknown key 'owners' in an objective; did you mean 'owner'?",
        ("okrs/a.md", 7, 5): "unknown key 'titel' in a key result; did you mean 'title'?",
        ("okrs/a.md", 12, 28): "unknown key 'valeu' in a check-in; did you mean 'value'?",
        ("okrs/org.yml", 3, 5): "unknown key 'nmae' in a unit; did you mean 'name'?",
        ("okrs/org.yml", 4, 1): "unknown key 'teams' in org.yml",
    }
    assert all(d.severity is Severity.WARNING for d in okrs.diagnostics if d.rule == "unknown-key")


# --- org.yml -------------------------------------------------------------------------


def test_org_units(load):
    org = "units:\n  - id: acme\n    name: Acme Inc.\n  - id: marketing\n    parent: acme\n    lead: Dana Reyes\n"
    okrs = load({"a.md": good(owner="marketing"), "org.yml": org})
    assert errors(okrs) == []
    m = okrs.org.units["marketing"]
    assert (m.name, m.parent, m.lead, m.loc) == ("marketing", "acme", "Dana Reyes", Location("okrs/org.yml", 4, 5))
    assert okrs.org.path == "okrs/org.yml"


def test_org_unit_errors(load):
    org = (
        "units:\n"
        "  - id: acme\n"          # 2
        "  - id: acme\n"          # 3 duplicate
        "  - id: bad id\n"        # 4 invalid
        "  - id: a/b\n"           # 5 invalid (one segment)
        "  - id: team\n"          # 6
        "    parent: acm\n"       # 7 unknown, suggest acme
        "  - name: No id\n"       # 8 id required
        "  - id: p\n"             # 9
        "    parent: q\n"         # 10
        "  - id: q\n"             # 11
        "    parent: r\n"         # 12
        "  - id: r\n"             # 13
        "    parent: p\n"         # 14
        "  - id: NO\n"            # 15 boolean
    )
    okrs = load({"org.yml": org})
    got = sorted((d.rule, d.line, d.col) for d in okrs.diagnostics)
    assert got == [
        ("field-required", 8, 5),
        ("field-type", 15, 5),
        ("id-invalid", 4, 5),
        ("id-invalid", 5, 5),
        ("unit-cycle", 10, 5),
        ("unit-id-duplicate", 3, 5),
        ("unit-parent-unknown", 7, 5),
    ]
    msgs = {d.rule: d.message for d in okrs.diagnostics}
    assert msgs["unit-parent-unknown"] == (
        "unit 'team' has parent 'acm', which is not a unit in okrs/org.yml; did you mean 'acme'?"
    )
    assert msgs["unit-cycle"] == "unit 'p' is its own ancestor: p (line 10) → q (line 12) → r (line 14) → p"


def test_org_yml_syntax_and_shape_errors(load):
    assert where(load({"org.yml": "units: [a\n"}), "yaml-syntax")[0][0] == "okrs/org.yml"
    assert where(load({"org.yml": "- a\n"}), "field-type") == [("okrs/org.yml", 1, 1)]
    assert where(load({"org.yml": "teams: []\n"}), "field-required") == [("okrs/org.yml", 1, 1)]
    assert where(load({"org.yml": ""}), "field-required") == [("okrs/org.yml", 1, 1)]
    assert where(load({"org.yml": "units: 3\n"}), "field-type") == [("okrs/org.yml", 1, 1)]
    assert where(load({"org.yml": "units:\n  - acme\n"}), "field-type") == [("okrs/org.yml", 2, 5)]
    assert where(load({"org.yml": "units:\n  - id: a\n  - id: a\n"}), "unit-id-duplicate") == [("okrs/org.yml", 3, 5)]
    assert where(load({"org.yml": b"units: \xff\n"}), "file-encoding") == [("okrs/org.yml", 1, 8)]


# --- robustness: objectives that load well enough are kept --------------------------


def test_objective_with_a_bad_kr_is_kept(load):
    text = kr_file("  - title: A", "    start: 1", "    target: 1", "  - title: B", "    done: true")
    okrs = load({"a.md": text})
    assert "a" in okrs.objectives
    a, b = okrs.objectives["a"].key_results
    assert (a.id, a.kind, b.id, b.kind) == ("kr1", "none", "kr2", "milestone")


def test_every_problem_in_one_run(load):
    okrs = load({
        "a.md": good().replace("owner: platform", "owner: NO"),
        "b.md": "no front-matter",
        "c.md": good("id: ../x"),
        "d.md": good(period="2026-Q5"),
    })
    rules = sorted((d.path, d.rule) for d in okrs.diagnostics if d.severity is Severity.ERROR)
    assert rules == [
        ("okrs/a.md", "field-type"),
        ("okrs/b.md", "frontmatter-missing"),
        ("okrs/c.md", "id-invalid"),
        ("okrs/d.md", "period-invalid"),
    ]


def test_period_invalid_messages(load):
    okrs = load({"a.md": good(period="2026-q4"), "b.md": good(period="Q4"), "c.md": good(period="2026-10-01")})
    found = {d.path: d for d in okrs.diagnostics if d.rule == "period-invalid"}
    assert {p: (d.line, d.col) for p, d in found.items()} == {
        "okrs/a.md": (4, 1), "okrs/b.md": (4, 1), "okrs/c.md": (4, 1),
    }
    assert "did you mean '2026-Q4'" in found["okrs/a.md"].message
    assert "2026-H1" in found["okrs/b.md"].message


def test_every_rule_used_here_is_in_the_catalogue():
    owned = [
        "file-unreadable", "file-encoding", "file-too-large", "frontmatter-missing", "frontmatter-unclosed",
        "yaml-syntax", "yaml-duplicate-key", "yaml-alias", "field-required", "field-type", "field-value",
        "id-invalid", "id-duplicate", "kr-id-duplicate", "unit-id-duplicate", "period-invalid",
        "kr-metric-incomplete", "kr-target-equals-start", "checkin-order", "confidence-range", "weight-range",
        "unit-parent-unknown", "unit-cycle", "unknown-key",
    ]
    assert all(r in RULES for r in owned)


# --- counts --------------------------------------------------------------------------


def test_source_files_counts_objective_files_and_org(load):
    assert load({"a.md": good(), "b/c.md": "broken", "_skip.md": "x", "org.yml": "units:\n  - id: platform\n"}).source_files == 3


def test_source_files_without_org(load):
    assert load({"a.md": good()}).source_files == 1


# --- a parent whose file failed to load --------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [
        "no front-matter",  # unreadable as an objective: known by its path
        good().replace("key_results:", "key_results: [\n"),  # YAML syntax
        good().replace("owner: platform", "owner: NO"),  # loads, but cannot be used
    ],
    ids=["frontmatter", "yaml", "owner"],
)
def test_parent_in_a_broken_file_is_not_also_unknown(load, broken):
    okrs = load({"top/goal.md": broken, "child.md": good("parent: top/goal")})
    assert where(okrs, "parent-unknown") == []
    assert errors(okrs) and all("okrs/top/goal.md" in e for e in errors(okrs))


def test_parent_named_by_the_broken_files_id_is_not_unknown(load):
    broken = good("id: company/goal").replace("owner: platform", "owner: NO")
    okrs = load({"x.md": broken, "a.md": good("parent: company/goal"), "b.md": good("parent: company/gaol")})
    assert where(okrs, "parent-unknown") == [("okrs/b.md", 5, 1)]
    assert "did you mean 'company/goal'?" in only(okrs, "parent-unknown").message


def test_broken_file_does_not_hide_a_loaded_parent_with_the_same_id(load):
    okrs = load({
        "goal.md": good(),
        "old.md": good("id: goal").replace("owner: platform", "owner: NO"),
        "child.md": good("parent: goal#nope"),
    })
    assert where(okrs, "parent-kr-unknown") == [("okrs/child.md", 5, 1)]


# --- control characters and invisible line breaks --------------------------------------


def test_control_characters_in_texts_are_errors_naming_the_field(load):
    okrs = load({
        "a.md": good('tags: [fine, "bad\\e"]').replace(
            "objective: Make checkout feel instant", 'objective: "Make checkout\\a feel instant"'
        ).replace("    unit: ms", "    unit: ms"),
        "org.yml": 'units:\n  - id: platform\n    name: "Plat\\x7fform"\n',
    })
    found = sorted((d.path, d.line, d.col, d.message.split(" contains")[0]) for d in okrs.diagnostics
                   if d.rule == "text-control")
    assert found == [
        ("okrs/a.md", 2, 1, "objective"),
        ("okrs/a.md", 5, 14, "tags: item 2"),
        ("okrs/org.yml", 3, 5, "name"),
    ]


def test_a_control_character_in_the_body_is_an_error_at_its_place(load):
    okrs = load({"a.md": good(body="Why it matters.\n\nSee \x1b[31mred\x1b[0m.\n")})
    d = only(okrs, "text-control")
    assert (d.line, d.col) == (17, 5) and "the body contains the control character U+001B (ESCAPE)" in d.message


def test_tab_in_the_body_and_escaped_newlines_are_fine(load):
    okrs = load({"a.md": good('tags: ["two\\nlines"]', body="Col\tumn\n")})
    assert where(okrs, "text-control") == []


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_an_invisible_line_break_is_named_and_later_lines_stay_right(load, char):
    okrs = load({
        "a.md": good().replace("objective: Make checkout feel instant", f"objective: Make checkout{char} feel instant"),
        "b.md": good("owner: twice"),
    })
    d = only(okrs, "yaml-syntax")
    assert (d.path, d.line, d.col) == ("okrs/a.md", 2, 25) and f"U+{ord(char):04X}" in d.message
    assert where(okrs, "yaml-duplicate-key") == [("okrs/b.md", 5, 1)]


# --- over time: done_on, carried_from, retrospective -------------------------------------


def test_done_on_carried_from_and_retrospective_load(load):
    text = fm(
        "objective: Make checkout feel instant",
        "owner: platform",
        "period: 2026-Q4",
        "carried_from: 2026-Q3/platform/fast-pages",
        "retrospective: |",
        "  Edge caching paid off;",
        "  the payment page did not.",
        "key_results:",
        "  - title: Every checkout page served from the edge",
        "    done: true",
        "    done_on: 2026-11-02",
        "  - title: Payment page pre-rendered",
        "    done: true",
        "  - {title: Express wallets, done: true, done_on: '2026-10-20'}",
    )
    q3 = good(period="2026-Q3")
    okrs = load({"2026-Q4/platform/checkout.md": text, "2026-Q3/platform/fast-pages.md": q3})
    assert errors(okrs) == []
    o = okrs.objectives["2026-Q4/platform/checkout"]
    assert o.carried_from == "2026-Q3/platform/fast-pages"
    assert o.retrospective == "Edge caching paid off;\nthe payment page did not."
    assert [kr.done_on for kr in o.key_results] == [dt.date(2026, 11, 2), None, dt.date(2026, 10, 20)]
    assert o.key_results[0].field_locs["done_on"] == Location("okrs/2026-Q4/platform/checkout.md", 12, 5)
    assert okrs.objectives["2026-Q3/platform/fast-pages"].carried_from is None


@pytest.mark.parametrize(
    ("kr_lines", "line", "col", "message"),
    [
        (
            ("  - title: A", "    start: 0", "    target: 10", "    done_on: 2026-11-02"),
            9, 5,
            "done_on: 2026-11-02 is only for milestones (done: true), and this key result is a metric"
            " (start and target): remove done_on; a metric's check-ins date its progress",
        ),
        (
            ("  - title: A", "    done: false", "    done_on: 2026-11-02"),
            8, 5,
            "done_on: 2026-11-02 is set but done is false: set done: true, or remove done_on while it is not done",
        ),
        (
            ("  - title: A", "    done_on: 2026-11-02"),
            7, 5,
            "done_on: 2026-11-02 is only for milestones, and this key result has no measure:"
            " add done: true, or remove done_on",
        ),
        (
            ("  - {title: A, done: true, done_on: 2026-11-31}",),
            6, 28,
            "done_on: '2026-11-31' is not a valid date; write YYYY-MM-DD, e.g. 2026-10-15",
        ),
    ],
)
def test_done_on_errors(load, kr_lines, line, col, message):
    okrs = load({"a.md": kr_file(*kr_lines)})
    d = only(okrs, "field-value")
    assert (d.line, d.col, d.message) == (line, col, message)
    assert okrs.objectives["a"].key_results[0].done_on is None


@pytest.mark.parametrize(
    ("value", "rule"),
    [("", "field-type"), ("soon", "field-value"), ("2026-11-02 10:00:00", "field-type"), ("[2026-11-02]", "field-type")],
)
def test_done_on_must_be_a_date(load, value, rule):
    okrs = load({"a.md": kr_file("  - title: A", "    done: true", f"    done_on: {value}")})
    d = only(okrs, rule)
    assert (d.line, d.col) == (8, 5)


def test_done_on_is_not_reported_again_when_the_measure_is_broken(load):
    # done: maybe is the error; done_on says nothing more
    okrs = load({"a.md": kr_file("  - title: A", "    done: maybe", "    done_on: 2026-11-02")})
    assert [d.rule for d in okrs.diagnostics if d.severity is Severity.ERROR] == ["field-type"]


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("'2026-Q3//x'", "is not a valid objective id: it has an empty segment"),
        ("'2026-Q3/x#kr1'", "names a key result; carried_from names an objective: remove '#kr1'"),
        ("42", "carried_from: 42 is read as the number 42"),
    ],
)
def test_carried_from_invalid(load, value, needle):
    okrs = load({"a.md": good(f"carried_from: {value}")})
    [d] = [d for d in okrs.diagnostics if d.severity is Severity.ERROR]
    assert (d.line, d.col) == (5, 1) and needle in d.message
    assert okrs.objectives["a"].carried_from is None


def test_retrospective_must_be_text(load):
    d = only(load({"a.md": good("retrospective: [a, b]")}), "field-type")
    assert (d.line, d.col) == (5, 1)
    assert "retrospective must be text" in d.message


def test_new_keys_are_known_and_suggested(load):
    okrs = load({"a.md": good("carried_form: 2026-Q3/x", "retrospectve: Fine").replace(
        "    done: false", "    done: true\n    doneon: 2026-11-02")})
    found = sorted(d.message for d in okrs.diagnostics if d.rule == "unknown-key")
    assert found == [
        "unknown key 'carried_form' in an objective; did you mean 'carried_from'?",
        "unknown key 'doneon' in a key result; did you mean 'done_on'?",
        "unknown key 'retrospectve' in an objective; did you mean 'retrospective'?",
    ]
