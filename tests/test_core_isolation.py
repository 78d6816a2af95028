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
