"""scripts/build_phases.py, the measuring tool behind the phase tables of docs/performance.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from test_plugin_support import write_site

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_phases.py"


@pytest.mark.slow
def test_it_times_the_plugin_the_theme_and_the_search(tmp_path: Path):
    root = write_site(tmp_path / "site")
    out = subprocess.run([sys.executable, str(SCRIPT), str(root / "mkdocs.yml"), "--site-dir", str(tmp_path / "out"),
                          "--min", "0"],
                         capture_output=True, text=True, cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("configuration ")
    # Each phase is a line "<seconds> s  <label>"; the build really ran.
    assert (tmp_path / "out" / "okrs.json").is_file()
    labels = {line.split(" s  ", 1)[1] for line in out.stdout.splitlines()[1:]}
    assert {"mkdocs_okrs: on_files", "mkdocs_okrs: on_page_content", "mkdocs_okrs: on_post_page",
            "material: on_page_context", "theme: main.html", "MkDocs: writing files"} <= labels, labels
