"""Diagnostics: one located problem in an OKR source file, and how to print them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping



class Severity(str, Enum):
    """How serious a diagnostic is. ``off`` is only used in rule settings."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


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
        """``path:line:col: error: message [rule-id]``, always one line.

        The path and the message may hold what a file name or a contributor says:
        control characters in them are shown as escapes (see :func:`escape_text`),
        so a file name cannot print a line that reads like another problem.
        """
        return (
            f"{escape_text(self.path)}:{self.line}:{self.col}: {self.severity.value}: "
            f"{escape_text(self.message)} [{escape_text(self.rule)}]"
        )

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


# Characters that end a line, move the cursor or reorder what a terminal or a log
# viewer shows: C0 controls (newline, CR, tab, ESC, ...), DEL, C1 controls (U+0085
# NEXT LINE, ...), the Unicode line and paragraph separators, and the bidirectional
# embedding, override and isolate controls ("Trojan source").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match) -> str:
    c = m.group()
    named = _NAMED.get(c)
    if named is not None:
        return named
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_text(text: str) -> str:
    """``text`` made safe to print as part of one line: control characters are shown
    as escapes (``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\x85``, ``\\u2028``, ``\\u202e``).

    Escaped: C0 controls, DEL, C1 controls, U+2028 and U+2029, and the
    bidirectional embedding, override and isolate controls. Everything else
    (accents, CJK, emoji, backslashes) is kept as it is.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape_char, text)


def _gh_escape_data(value: str) -> str:
    # Same escaping as @actions/core's escapeData (GitHub decodes %25, %0D, %0A);
    # other control characters, which it would pass on as they are, are shown as
    # escapes so that one diagnostic stays one workflow command line.
    return escape_text(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


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
