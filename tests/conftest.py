"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import pytest


@pytest.fixture
def okr_tree(tmp_path: Path) -> Callable[..., Path]:
    """Write files below ``tmp_path`` and return the folder they were written to.

    ``okr_tree({"2026-Q4/a.md": "---\\n...", "org.yml": "units: []"})`` writes
    ``tmp_path/okrs/2026-Q4/a.md`` and ``tmp_path/okrs/org.yml`` and returns
    ``tmp_path/okrs``. Values may be ``str`` (written as UTF-8, newlines kept
    as given) or ``bytes`` (written as they are). ``root=`` picks another folder
    name below tmp_path ("" for tmp_path itself).
    """

    def write(files: Mapping[str, str | bytes], root: str = "okrs") -> Path:
        base = tmp_path / root if root else tmp_path
        base.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            path.write_bytes(data)
        return base

    return write
