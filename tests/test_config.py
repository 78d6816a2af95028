"""Reading the okrs plugin's settings from mkdocs.yml with MkDocs' own loading (mkdocs_okrs.mkdocs_yml),
and validating them (mkdocs_okrs.core.config)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_okrs.core.config import ConfigError, parse_today, resolve_today, settings_from_options
from mkdocs_okrs.mkdocs_yml import find_config_file, find_plugin_options, load_mkdocs_yml, plugin_options
from mkdocs_okrs.core.model import Settings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- finding the plugin


@pytest.mark.parametrize(
    "plugins, expected",
    [
        ("plugins:\n  - search\n  - okrs\n", {}),
        ("plugins:\n  - okrs:\n", {}),
        ("plugins:\n  - search\n  - okrs:\n      okrs_dir: goals\n", {"okrs_dir": "goals"}),
        ("plugins:\n  search: {}\n  okrs:\n    today: 2026-01-02\n", {"today": dt.date(2026, 1, 2)}),
        ("plugins:\n  okrs:\n", {}),
        ("plugins:\n  - search\n", None),
        ("plugins: []\n", None),
        ("site_name: x\n", None),
        ("plugins:\n  - okrs-extra\n  - {okrs_dir: x}\n", None),
    ],
)
def test_plugin_forms(tmp_path: Path, plugins: str, expected):
    path = write(tmp_path / "mkdocs.yml", "site_name: T\n" + plugins)
    assert find_plugin_options(path) == expected


def test_plugin_options_of_the_wrong_shape():
    with pytest.raises(ConfigError, match="must be a mapping"):
        plugin_options({"plugins": [{"okrs": ["a"]}]})
    with pytest.raises(ConfigError, match="'plugins' must be a list or a mapping"):
        plugin_options({"plugins": "okrs"})


def test_env_tag_like_mkdocs(tmp_path: Path, monkeypatch):
    path = write(
        tmp_path / "mkdocs.yml",
        "a: !ENV A\n"
        "b: !ENV [B1, B2, fallback]\n"
        "c: !ENV [C, 3]\n"
        "d: !ENV [D]\n"
        "e: !ENV [E, 2026-01-02]\n",
    )
    for name in ("A", "B1", "B2", "C", "D", "E"):
        monkeypatch.delenv(name, raising=False)
    assert load_mkdocs_yml(path) == {"a": None, "b": "fallback", "c": 3, "d": None, "e": dt.date(2026, 1, 2)}
    monkeypatch.setenv("A", "hello")
    monkeypatch.setenv("B2", "true")  # typed like YAML: a boolean
    monkeypatch.setenv("C", "12")
    assert load_mkdocs_yml(path)["a"] == "hello"
    assert load_mkdocs_yml(path)["b"] is True
    assert load_mkdocs_yml(path)["c"] == 12
    monkeypatch.setenv("B1", "first")
    assert load_mkdocs_yml(path)["b"] == "first"


def test_python_and_unknown_tags_are_ignored_never_run(tmp_path: Path):
    marker = tmp_path / "ran.txt"
    path = write(
        tmp_path / "mkdocs.yml",
        "a: !!python/name:os.system\n"
        f"b: !!python/object/apply:os.system ['touch {marker}']\n"
        "c: !relative $config_dir\n"
        "d: !custom {x: 1}\n"
        "e: !!binary aGVsbG8=\n"
        "f: [!foo 1, 2]\n",
    )
    data = load_mkdocs_yml(path)
    assert data == {"a": None, "b": None, "c": None, "d": None, "e": b"hello", "f": [None, 2]}
    assert not marker.exists()


def test_inherit_deep_merges_like_mkdocs(tmp_path: Path):
    write(
        tmp_path / "base/base.yml",
        "site_name: Base\ntheme: {name: material, features: [a, b], palette: {primary: red}}\n"
        "plugins:\n  - search\n  - okrs: {okrs_dir: goals}\nextra: {x: 1}\n",
    )
    write(tmp_path / "base/top.yml", "INHERIT: base.yml\nextra: {y: 2}\n")
    child = write(
        tmp_path / "site/mkdocs.yml",
        "INHERIT: ../base/top.yml\nsite_name: Child\ntheme: {features: [c], palette: {accent: blue}}\n",
    )
    data = load_mkdocs_yml(child)
    assert data["site_name"] == "Child"
    # Mappings merge key by key; lists are replaced.
    assert data["theme"] == {"name": "material", "features": ["c"], "palette": {"primary": "red", "accent": "blue"}}
    assert data["extra"] == {"x": 1, "y": 2}
    assert "INHERIT" not in data
    assert find_plugin_options(child) == {"okrs_dir": "goals"}


def test_inherit_child_plugins_replace_parent_plugins(tmp_path: Path):
    write(tmp_path / "base.yml", "plugins:\n  - okrs: {okrs_dir: goals}\n")
    child = write(tmp_path / "mkdocs.yml", "INHERIT: base.yml\nplugins:\n  - search\n")
    assert find_plugin_options(child) is None  # lists are replaced, as in MkDocs


def test_inherit_problems(tmp_path: Path):
    missing = write(tmp_path / "a.yml", "INHERIT: nope.yml\n")
    with pytest.raises(ConfigError, match="(?i)inherited config file 'nope.yml' does not exist"):  # MkDocs' words
        load_mkdocs_yml(missing)
    write(tmp_path / "x.yml", "INHERIT: y.yml\n")
    write(tmp_path / "y.yml", "INHERIT: x.yml\n")
    with pytest.raises(ConfigError, match="INHERIT cycle"):
        load_mkdocs_yml(tmp_path / "x.yml")
    bad = write(tmp_path / "b.yml", "INHERIT: [a]\n")
    with pytest.raises(ConfigError, match="cannot be read as a MkDocs configuration"):
        load_mkdocs_yml(bad)


@pytest.mark.parametrize(
    "text, message",
    [
        ("plugins: [okrs\n", r"mkdocs\.yml:2:1: invalid YAML"),
        ("a: b: c\n", r"mkdocs\.yml:1:5: invalid YAML"),
        ("- a\n- b\n", "the top level must be a mapping"),
        ("\tplugins: x\n", r"mkdocs\.yml:1:1: invalid YAML"),
    ],
)
def test_bad_files(tmp_path: Path, monkeypatch, text: str, message: str):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mkdocs.yml", text)
    with pytest.raises(ConfigError, match=message):
        load_mkdocs_yml(Path("mkdocs.yml"))


def test_missing_and_empty_files(tmp_path: Path):
    with pytest.raises(ConfigError, match="no such file"):
        load_mkdocs_yml(tmp_path / "mkdocs.yml")
    assert load_mkdocs_yml(write(tmp_path / "mkdocs.yml", "# nothing\n")) == {}
    (tmp_path / "x.yml").write_bytes(b"site_name: caf\xe9\n")  # latin-1, not UTF-8
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_mkdocs_yml(tmp_path / "x.yml")


def test_paths_outside_the_current_folder_are_shown_absolute(tmp_path: Path, monkeypatch):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    with pytest.raises(ConfigError) as info:
        load_mkdocs_yml(write(tmp_path / "other/mkdocs.yml", "- a\n"))
    assert str(info.value).startswith(f"{tmp_path / 'other/mkdocs.yml'}: ")


def test_find_config_file(tmp_path: Path):
    assert find_config_file(tmp_path) is None
    write(tmp_path / "mkdocs.yaml", "site_name: x\n")
    assert find_config_file(tmp_path) == tmp_path / "mkdocs.yaml"
    write(tmp_path / "mkdocs.yml", "site_name: x\n")
    assert find_config_file(tmp_path) == tmp_path / "mkdocs.yml"


# ---------------------------------------------------------------------- settings


def test_settings_defaults(tmp_path: Path):
    settings, root, org = settings_from_options({}, tmp_path)
    assert settings == Settings()
    assert root == tmp_path / "okrs"
    assert org is None


def test_settings_values(tmp_path: Path):
    settings, root, org = settings_from_options(
        {
            "okrs_dir": "content/okrs",
            "org_file": "people/org.yml",
            "today": "2026-11-15",
            "fiscal_year_start": 4,
            "rules": {"kr-count": False, "kr-output": "error"},
            "some_site_option": True,  # belongs to the plugin's site options: ignored here
        },
        tmp_path,
    )
    assert settings == Settings(
        okrs_dir="content/okrs",
        org_file="people/org.yml",
        today=dt.date(2026, 11, 15),
        fiscal_year_start=4,
        rules={"kr-count": False, "kr-output": "error"},
    )
    assert root == tmp_path / "content/okrs"
    assert org == tmp_path / "people/org.yml"


def test_absolute_paths_are_kept(tmp_path: Path):
    _, root, org = settings_from_options({"okrs_dir": "/srv/okrs", "org_file": "/srv/org.yml"}, tmp_path)
    assert root == Path("/srv/okrs") and org == Path("/srv/org.yml")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"okrs_dir": ""}, "okrs_dir: expected a folder or file path, not the string ''"),
        ({"okrs_dir": None}, "okrs_dir: expected a folder or file path, not null"),
        ({"okrs_dir": ["a"]}, "okrs_dir: expected a folder or file path, not a list"),
        ({"org_file": True}, "org_file: expected a folder or file path, not the boolean true"),
        ({"today": "2026-13-01"}, "today: '2026-13-01' is not a date"),
        ({"today": "15.11.2026"}, "today: '15.11.2026' is not a date; use YYYY-MM-DD"),
        ({"today": 20261115}, "today: expected a date"),
        ({"fiscal_year_start": 0}, "fiscal_year_start: expected a month number from 1 to 12, not 0"),
        ({"fiscal_year_start": "4"}, "fiscal_year_start: expected a month number from 1 to 12, not the string '4'"),
        ({"fiscal_year_start": True}, "not the boolean true"),
        ({"fiscal_year_start": 4.0}, "not the number 4.0"),
        ({"rules": "kr-count"}, "rules: expected a mapping of rule id"),
        ({"rules": {"kr-cont": "off"}}, "rules: unknown rule id 'kr-cont'; did you mean 'kr-count'?"),
        ({"rules": {"yaml-syntax": "warning"}}, "cannot be switched off or lowered"),
        ({"rules": {"kr-count": "silent"}}, "severity must be off, warning or error"),
    ],
)
def test_settings_errors(tmp_path: Path, options: dict, message: str):
    with pytest.raises(ConfigError) as info:
        settings_from_options(options, tmp_path)
    assert message in str(info.value)


def test_parse_today_forms():
    assert parse_today(None) is None
    assert parse_today(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert parse_today(dt.datetime(2026, 1, 2, 23, 59)) == dt.date(2026, 1, 2)
    assert parse_today(" 2026-01-02 ") == dt.date(2026, 1, 2)
    assert parse_today("") is None and parse_today("  ") is None


def test_resolve_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21 UTC
    assert resolve_today(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert resolve_today(None) == dt.date(2026, 9, 21)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        resolve_today(None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert resolve_today(None) == dt.date.today()


def test_config_module_does_not_import_mkdocs():
    code = "import sys, mkdocs_okrs.core.config; print(sorted(m for m in sys.modules if m.startswith('mkdocs.') or m in ('mkdocs', 'mergedeep', 'yaml_env_tag')))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
