"""Diagnostics: one located problem in an OKR source file, and how to print them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from .records import quick_init


class Severity(str, Enum):
    """How serious a diagnostic is. ``off`` is only used in rule settings."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@quick_init
@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file: ``path`` as shown to users, 1-based ``line`` and ``col``."""

    path: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the OKR sources."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    rule: str

    @classmethod
    def at(cls, loc: Location, severity: Severity, message: str, rule: str) -> "Diagnostic":
        """Build a diagnostic at ``loc``."""
        return cls(loc.path, loc.line, loc.col, severity, message, rule)

    def sort_key(self) -> tuple:
        """Order by path, line, column, then rule id and message, for stable output."""
        return (self.path, self.line, self.col, self.rule, self.message)

    def format_text(self) -> str:
        """``path:line:col: error: message [rule-id]``."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message} [{self.rule}]"

    def format_github(self) -> str:
        """A GitHub Actions workflow command (``::error file=...``) with its escaping."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        props = ",".join(
            f"{k}={_gh_escape_property(str(v))}"
            for k, v in (
                ("file", self.path),
                ("line", self.line),
                ("col", self.col),
                ("title", self.rule),
            )
        )
        return f"::{level} {props}::{_gh_escape_data(self.message + ' [' + self.rule + ']')}"

    def as_dict(self) -> dict:
        """A JSON-ready mapping."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule,
        }


def _gh_escape_data(value: str) -> str:
    # Same escaping as @actions/core's escapeData.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(value: str) -> str:
    # Same escaping as @actions/core's escapeProperty.
    return _gh_escape_data(value).replace(":", "%3A").replace(",", "%2C")


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by path and line, duplicates removed."""
    return sorted(set(diags), key=Diagnostic.sort_key)


def apply_severities(
    diags: Iterable[Diagnostic], overrides: Mapping[str, Severity]
) -> list[Diagnostic]:
    """Apply per-rule severity settings: ``off`` drops, ``error``/``warning`` re-levels.

    Only rules whose catalogue entry is configurable are affected; the caller
    validates the settings (see :func:`mkdocs_okrs.core.rules.parse_rule_settings`).
    """
    out: list[Diagnostic] = []
    for d in diags:
        sev = overrides.get(d.rule)
        if sev is None:
            out.append(d)
        elif sev is Severity.OFF:
            continue
        elif sev is d.severity:
            out.append(d)
        else:
            out.append(Diagnostic(d.path, d.line, d.col, sev, d.message, d.rule))
    return out


def count(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for d in diags:
        if d.severity is Severity.ERROR:
            errors += 1
        elif d.severity is Severity.WARNING:
            warnings += 1
    return errors, warnings


def format_json(diags: Iterable[Diagnostic]) -> str:
    """The ``--format json`` document: ``{"diagnostics": [...], "errors": n, "warnings": n}``."""
    items = list(diags)
    errors, warnings = count(items)
    return json.dumps(
        {"diagnostics": [d.as_dict() for d in items], "errors": errors, "warnings": warnings},
        indent=2,
        ensure_ascii=False,
    )
