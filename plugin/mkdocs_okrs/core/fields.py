"""Typed reads of located YAML values, collecting diagnostics.

:class:`Fields` reads one key of a :class:`~.yamlvalues.YMap` as text, a number,
a boolean, a date, a list of texts or one of a few choices. A value of the
wrong type is reported at its key (or list item) with what YAML read it as
(:func:`describe_value`: ``owner: NO`` is "the boolean false") and how to
write it instead.
"""

from __future__ import annotations

import datetime as dt

from .diagnostics import Diagnostic, Severity
from .suggest import did_you_mean
from .yamlvalues import Pos, YMap, YSeq

MAX_NUMBER = 1e100  # the largest magnitude of a number in an OKR file


def describe_value(value: object, raw: str | None = None) -> str:
    """How YAML read a value that is not text, for a type error message.

    ``NO`` -> "the boolean false", ``2026`` -> "the number 2026".
    """
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"the number {raw if raw is not None else value}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Fields:
    """Typed reads of located YAML values for one file, collecting diagnostics.

    Every read checks the type, reports a problem at the key (or list item) it
    concerns, and returns None when the value cannot be used.
    """

    __slots__ = ("path", "diags")

    def __init__(self, path: str, diags: list) -> None:
        self.path = path
        self.diags = diags

    def report(self, pos: Pos, rule: str, message: str, warning: bool = False) -> None:
        """Add a diagnostic at ``pos`` (an error unless ``warning``)."""
        sev = Severity.WARNING if warning else Severity.ERROR
        self.diags.append(Diagnostic(self.path, pos[0], pos[1], sev, message, rule))

    def unknown_keys(self, m: YMap, known, where: str) -> None:
        """Warn (``unknown-key``) about keys of ``m`` not in ``known``."""
        for key in m:
            if key not in known:
                self.report(
                    m.key_pos[key],
                    "unknown-key",
                    f"unknown key {key!r} in {where}{did_you_mean(key, known)}",
                    warning=True,
                )

    def _type_error(self, m: YMap, key: str, value, wanted: str) -> None:
        raw = m.raw.get(key)
        desc = describe_value(value, raw)
        if raw is not None and not isinstance(value, (list, dict)):
            msg = f'{key}: {raw} is read as {desc}; quote it: {key}: "{raw}"'
            if wanted != "text":
                msg = f"{key}: {raw} is read as {desc}, but {key} must be {wanted}"
        else:
            msg = f"{key} must be {wanted}, not {desc}"
        self.report(m.key_pos[key], "field-type", msg)

    def _missing(self, m: YMap, key: str, where: str | None) -> None:
        """``field-required`` for a missing key, at the start of its mapping."""
        self.report(m.pos, "field-required", f"{key}: is required" + (f" in {where}" if where else ""))

    def text(self, m: YMap, key: str, *, required: bool = False, where: str | None = None) -> str | None:
        """A text field; empty or missing text is ``field-required`` when ``required``."""
        if key not in m:
            if required:
                self._missing(m, key, where)
            return None
        value = m[key]
        if value.__class__ is str:
            if required and not value.strip():
                self.report(m.key_pos[key], "field-required", f"{key}: is empty")
                return None
            return value
        if value is None:
            if required:
                self.report(m.key_pos[key], "field-required", f"{key}: is empty")
            return None
        self._type_error(m, key, value, "text")
        return None

    def number(self, m: YMap, key: str) -> float | int | None:
        """A number (int or float, not a boolean); None when missing or wrong."""
        if key not in m:
            return None
        value = m[key]
        cls = value.__class__
        if cls is int or cls is float:
            if cls is float and (value != value or value in (float("inf"), float("-inf"))):
                self.report(m.key_pos[key], "field-value", f"{key} must be a finite number, not {m.raw.get(key, value)}")
                return None
            if not -MAX_NUMBER <= value <= MAX_NUMBER:  # (progress and charts compute with floats)
                self.report(m.key_pos[key], "field-value",
                            f"{key} is too large: numbers must lie between -1e100 and 1e100")
                return None
            return value
        if value is None:
            self.report(m.key_pos[key], "field-type", f"{key}: is empty; give a number")
            return None
        if isinstance(value, str):
            self.report(m.key_pos[key], "field-type", f"{key} must be a number, not the text {value!r}")
            return None
        self._type_error(m, key, value, "a number")
        return None

    def boolean(self, m: YMap, key: str) -> bool | None:
        """true/false; None when missing or wrong."""
        if key not in m:
            return None
        value = m[key]
        if value is True or value is False:
            return value
        if isinstance(value, str):
            self.report(m.key_pos[key], "field-type", f"{key} must be true or false, not the text {value!r}")
            return None
        self._type_error(m, key, value, "true or false")
        return None

    def date(self, m: YMap, key: str, *, required: bool = False, where: str | None = None) -> dt.date | None:
        """A calendar date (``2026-10-15``, plain or quoted); None when missing or wrong."""
        if key not in m:
            if required:
                self._missing(m, key, where)
            return None
        value = m[key]
        if value.__class__ is dt.date:
            return value
        if isinstance(value, str):
            try:
                if len(value.strip()) == 10:
                    return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
            self.report(
                m.key_pos[key], "field-value", f"{key}: {value!r} is not a valid date; write YYYY-MM-DD, e.g. 2026-10-15"
            )
            return None
        if value is None:
            self.report(m.key_pos[key], "field-required" if required else "field-type", f"{key}: is empty; give a date (YYYY-MM-DD)")
            return None
        if isinstance(value, dt.datetime):
            self.report(m.key_pos[key], "field-type", f"{key} must be a date (YYYY-MM-DD) without a time")
            return None
        self._type_error(m, key, value, "a date (YYYY-MM-DD)")
        return None

    def text_list(self, m: YMap, key: str, what: str) -> tuple[list[str], list[Pos]] | None:
        """A list of texts; bad items are reported and skipped. None when missing or not a list."""
        if key not in m:
            return None
        value = m[key]
        if value is None:
            return [], []
        if not isinstance(value, YSeq):
            if isinstance(value, str):
                self.report(m.key_pos[key], "field-type", f"{key} must be a list, e.g. {key}: [{value}]")
            else:
                self.report(m.key_pos[key], "field-type", f"{key} must be a list of {what}, not {describe_value(value, m.raw.get(key))}")
            return None
        out: list[str] = []
        pos: list[Pos] = []
        for i, item in enumerate(value):
            ipos = value.item_pos[i]
            if item.__class__ is str and item.strip():
                out.append(item)
                pos.append(ipos)
            elif item.__class__ is str or item is None:
                self.report(ipos, "field-required", f"{key}: item {i + 1} is empty")
            else:
                raw = value.raw.get(i)
                if raw is not None and not isinstance(item, (list, dict)):
                    msg = f'{key}: {raw} is read as {describe_value(item, raw)}; quote it: "{raw}"'
                else:
                    msg = f"{key}: item {i + 1} must be text, not {describe_value(item)}"
                self.report(ipos, "field-type", msg)
        return out, pos

    def choice(self, m: YMap, key: str, choices: tuple[str, ...]) -> str | None:
        """One of ``choices``; ``field-value`` otherwise."""
        value = self.text(m, key)
        if value is None:
            return None
        if value not in choices:
            self.report(
                m.key_pos[key],
                "field-value",
                f"{key}: {value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}",
            )
            return None
        return value
