"""The OKR core must import nothing from MkDocs (it also has to run under other engines)."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "mkdocs_okrs.core",
        "mkdocs_okrs.core.loader",
        "mkdocs_okrs.core.validate",
        "mkdocs_okrs.core.export",
        "mkdocs_okrs.cli",
        "mkdocs_okrs.graphs",
    ],
)
def test_module_does_not_import_mkdocs(module):
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'properdocs', 'material')));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"


def test_okrs_check_imports_no_contributor_command(tmp_path):
    """`okrs check` (a pre-commit hook runs it on every commit) imports only what it runs:
    none of the contributor commands' modules, and no template or graph code."""
    (tmp_path / "okrs").mkdir()
    code = (
        "import sys\n"
        "from mkdocs_okrs import cli\n"
        "status = cli.main(['check', '--no-config', '-q', 'okrs'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('mkdocs_okrs.commands.', 'mkdocs_okrs.site',"
        " 'mkdocs_okrs.graphs', 'jinja2')))\n"
        "print(status, ','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.split() == ["0"], out.stdout + out.stderr


def test_help_lists_every_command_and_a_command_gets_its_whole_parser():
    from mkdocs_okrs.cli import build_parser
    from mkdocs_okrs.commands import COMMANDS

    text = build_parser().format_help()
    for name in ["check", "rules", *COMMANDS]:
        assert f"    {name}" in text, name
    # The command being run has its options; another is there by name only.
    sub = build_parser("checkin")._subparsers._group_actions[0].choices
    assert "--confidence" in sub["checkin"].format_help()
    assert "--dry-run" not in sub["new"].format_help()
