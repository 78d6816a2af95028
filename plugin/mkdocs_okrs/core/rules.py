"""The catalogue of rule ids: every problem the toolkit reports has one stable id.

Errors are structural (the site cannot be built correctly); they cannot be
switched off. Warnings are quality rules from OKR practice; each can be switched
off or raised to an error with the ``rules:`` setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its id, default severity and a one-line summary (for docs and ``--help``)."""

    id: str
    severity: Severity
    summary: str

    @property
    def configurable(self) -> bool:
        """Quality rules (warnings by default) can be re-levelled; errors cannot."""
        return self.severity is Severity.WARNING


E, W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        # --- files and YAML -------------------------------------------------
        Rule("file-unreadable", E, "A file or folder cannot be read."),
        Rule("file-outside-root", E, "A symbolic link below the OKR root leads outside it; it is not read."),
        Rule("file-encoding", E, "A file is not UTF-8 text."),
        Rule("file-too-large", E, "A file is larger than 1 MiB."),
        Rule("frontmatter-missing", E, "An objective file does not start with a '---' front-matter block."),
        Rule("frontmatter-unclosed", E, "The front-matter block has no closing '---' line."),
        Rule("yaml-syntax", E, "The YAML cannot be parsed."),
        Rule("yaml-duplicate-key", E, "A key is given twice in one mapping."),
        Rule("yaml-alias", E, "YAML anchors, aliases, merge keys and custom tags are not accepted."),
        Rule("text-control", E, "A text a person writes holds a control character (an escape such as \\e or \\0)."),
        # --- fields ----------------------------------------------------------
        Rule("field-required", E, "A required field is missing or empty."),
        Rule("field-type", E, "A field has the wrong type (YAML 1.1 booleans such as NO included)."),
        Rule("field-value", E, "A field has a value outside what it accepts."),
        Rule("id-invalid", E, "An objective, key result or unit id breaks the id rule."),
        Rule("id-duplicate", E, "Two objectives have the same id (case-insensitively)."),
        Rule("kr-id-duplicate", E, "Two key results of one objective have the same id."),
        Rule("unit-id-duplicate", E, "Two units in org.yml have the same id."),
        Rule("period-invalid", E, "A period is not a year, half, quarter or month."),
        Rule("kr-metric-incomplete", E, "A metric key result lacks its start or its target, or mixes in 'done'."),
        Rule("kr-target-equals-start", E, "A metric key result's target equals its start."),
        Rule("checkin-order", E, "Check-in dates are not strictly ascending."),
        Rule("confidence-range", E, "A check-in confidence is outside 0.0 to 1.0."),
        Rule("weight-range", E, "A key result weight is not greater than 0."),
        Rule("date-future", E, "A check-in or a milestone's done_on is dated after today."),
        # --- references ------------------------------------------------------
        Rule("owner-unknown", E, "An objective's owner is not a unit in org.yml."),
        Rule("contributor-unknown", E, "A contributor is not a unit in org.yml."),
        Rule("unit-parent-unknown", E, "A unit's parent is not a unit in org.yml."),
        Rule("unit-cycle", E, "A unit is its own ancestor in org.yml."),
        Rule("parent-unknown", E, "An objective's parent is not a known objective."),
        Rule("parent-kr-unknown", E, "A parent '<id>#<kr-id>' names a key result the parent does not have."),
        Rule("parent-cycle", E, "An objective is its own ancestor."),
        Rule("carried-from-unknown", E, "An objective's carried_from is not a known objective."),
        Rule("carried-from-period", E, "carried_from names an objective whose period does not end before this one starts."),
        # --- quality warnings ------------------------------------------------
        Rule("unknown-key", W, "A front-matter or org.yml key the format does not know."),
        Rule("kr-no-measure", W, "A key result has no measure (no start/target and no done)."),
        Rule("kr-count", W, "An objective has fewer than 3 or more than 5 key results."),
        Rule("objective-count", W, "An owner has more than 5 objectives in one period."),
        Rule("kr-output", W, "A key result describes an output (launch, ship, ...) and has no metric."),
        Rule("kr-activity", W, "A metric key result counts activities (bugs fixed, posts written, ...) rather than results."),
        Rule("objective-numeric", W, "An objective statement holds a numeric target; it reads like a key result."),
        Rule("period-outside-parent", W, "A child objective's period lies outside its parent's."),
        Rule("orphan-objective", W, "A public objective with no parent whose owner is not a top unit."),
        Rule("stale-checkin", W, "No check-in for more than 21 days in the running period."),
        Rule("checkin-outside-period", W, "A check-in is dated before its period or after it (or after review_until)."),
        # --- the site ----------------------------------------------------------
        Rule("builder-ignores-plugin", W, "A zensical.toml stands beside the configuration and the OKR pages "
                                          "were not written with 'okrs generate': Zensical runs no plugin."),
    ]
}


class RuleSettingError(ValueError):
    """A ``rules:`` setting names an unknown rule or severity, or re-levels an error rule."""


def parse_rule_settings(raw: Mapping[str, object] | None) -> dict[str, Severity]:
    """Validate a ``rules: {kr-count: off, kr-output: error}`` mapping.

    Accepts ``off``/``warning``/``error`` (and YAML's ``false`` for ``off``).
    Raises :class:`RuleSettingError` with a helpful message for anything else.
    """
    from .suggest import closest

    out: dict[str, Severity] = {}
    for key, value in (raw or {}).items():
        if key not in RULES:
            hint = closest(str(key), RULES)
            raise RuleSettingError(
                f"unknown rule id {key!r}" + (f"; did you mean {hint!r}?" if hint else "")
            )
        if value is False:
            value = "off"
        try:
            sev = Severity(str(value).lower())
        except ValueError:
            raise RuleSettingError(
                f"rule {key!r}: severity must be off, warning or error, not {value!r}"
            ) from None
        if not RULES[key].configurable and sev is not Severity.ERROR:
            raise RuleSettingError(f"rule {key!r} is an error and cannot be switched off or lowered")
        out[key] = sev
    return out
