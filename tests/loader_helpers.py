"""Helpers shared by the loader tests: objective files as text, and loading them."""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.diagnostics import Severity
from mkdocs_okrs.core.model import Settings

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def strict_loading(monkeypatch):
    # Unexpected exceptions propagate instead of becoming diagnostics.
    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")


def fm(*lines: str, body: str = "Body text.\n") -> str:
    """An objective file: the given front-matter lines between '---' fences."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


GOOD_KRS = (
    "key_results:",
    "  - title: Cut checkout p95 latency",
    "    start: 800",
    "    target: 200",
    "  - title: Serve every page from the edge",
    "    done: false",
    "  - title: Raise conversion",
    "    start: 2.1",
    "    target: 2.6",
)


def good(*extra: str, owner: str = "platform", period: str = "2026-Q4", body: str = "Body text.\n") -> str:
    return fm(
        "objective: Make checkout feel instant", f"owner: {owner}", f"period: {period}", *extra, *GOOD_KRS, body=body
    )


@pytest.fixture
def load(okr_tree, tmp_path, strict_loading):
    """Write files below tmp_path/okrs and load them (paths shown relative to tmp_path)."""

    def run(files, **kwargs):
        root = okr_tree(files)
        kwargs.setdefault("display_base", tmp_path)
        settings = kwargs.pop("settings", Settings(today=TODAY))
        return load_okrs(root, settings, **kwargs)

    return run


def where(okrs, rule):
    """(path, line, col) of every diagnostic with ``rule``."""
    return [(d.path, d.line, d.col) for d in okrs.diagnostics if d.rule == rule]


def only(okrs, rule):
    found = [d for d in okrs.diagnostics if d.rule == rule]
    assert len(found) == 1, [d.format_text() for d in okrs.diagnostics]
    return found[0]


def errors(okrs):
    return [d.format_text() for d in okrs.diagnostics if d.severity is Severity.ERROR]
