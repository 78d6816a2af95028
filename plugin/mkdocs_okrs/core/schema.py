"""The JSON Schema (draft 2020-12) of an objective file's front-matter, for editors.

``okrs schema`` prints :func:`objective_schema`. Editors use it through the YAML
language server: completion, hover help (every property has a ``description``)
and the problems a schema can see while typing. ``okrs check`` stays the
authority; the schema is built from the same definitions so that the two agree:

- the keys are :data:`~.objective_file.OBJECTIVE_KEYS`, ``KR_KEYS`` and
  ``CHECKIN_KEYS`` (a key added there without a description here fails at
  import, in the tests);
- the choices are :data:`~.model.COMMITMENTS`, ``STATUS_OVERRIDES`` and
  ``VISIBILITIES``; the id and period patterns are those of :mod:`.ids` and
  :mod:`.periods`; the number range is :data:`~.fields.MAX_NUMBER`;
- a file ``okrs check`` accepts is valid, whether its YAML is read as YAML 1.1
  (as ``okrs check`` reads it) or as YAML 1.2 (as the YAML language server
  does by default): dates are ISO strings (a YAML 1.2 reader has no date type),
  and ``done`` also accepts the YAML 1.1 spellings of a boolean (``yes``, ``on``
  ...), which YAML 1.2 reads as text (numbers in YAML 1.1-only spellings,
  ``1_000`` or ``1:30``, are the exception: text to a YAML 1.2 reader);
- what the schema rejects, read as YAML 1.1, ``okrs check`` reports as an error
  (the tests hold a table of such files);
- unknown keys are allowed (``additionalProperties: true``): ``okrs check``
  only warns about them (``unknown-key``, with the closest known key), so the
  schema does not reject a file the check lets through.

What needs more than one file's front-matter, or the date, is left to ``okrs
check``: owners and parents that exist, cycles, a target equal to its start,
check-in order, dates after today, ``review_until`` before the period's end, and
the quality warnings.
"""

from __future__ import annotations

import json

from .fields import MAX_NUMBER
from .ids import MAX_ID_LENGTH, SEGMENT_RULE
from .model import COMMITMENTS, STATUS_OVERRIDES, VISIBILITIES
from .objective_file import CHECKIN_KEYS, KR_KEYS, OBJECTIVE_KEYS
from .periods import ACCEPTED_FORMS
from .yamlvalues import FALSE_WORDS, TRUE_WORDS

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:mkdocs-okrs:schema:objective"
"""The schema's ``$id``: a name, not a place (nothing is downloaded from it)."""

# --- patterns (ECMA-262 and Python alike) -----------------------------------------
_SEGMENT = "[A-Za-z0-9][A-Za-z0-9._-]*"  # the id rule of .ids
_ID = f"{_SEGMENT}(?:/{_SEGMENT})*"
_NO_DOTDOT = r"(?!.*\.\.)"
_LIMIT = f"{{1,{MAX_ID_LENGTH}}}"
NONBLANK = r"\S"
OBJECTIVE_ID = f"^{_NO_DOTDOT}{_ID}$"  # id: is read as written
KR_ID = f"^{_NO_DOTDOT}{_SEGMENT}$"
# parent and carried_from are read with surrounding spaces stripped.
CARRIED_FROM = rf"^\s*{_NO_DOTDOT}(?=[^\s]{_LIMIT}\s*$){_ID}\s*$"
PARENT = rf"^\s*{_NO_DOTDOT}(?=[^#\s]{_LIMIT}(?:#|\s*$)){_ID}(?:#(?=[^\s]{_LIMIT}\s*$){_SEGMENT})?\s*$"
# 2026, 2026-H1, 2026-Q4, 2026-03 (.periods); year 0000 is outside the calendar.
PERIOD = r"^\s*(?!0000)[0-9]{4}(?:-(?:H[12]|Q[1-4]|0[1-9]|1[0-2]))?\s*$"
DATE = "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


# YAML 1.1 booleans in any case (.yamlvalues), as a YAML 1.2 reader hands them over: text.
BOOLEAN_WORDS = "^(?:" + "|".join(_any_case(w) for w in sorted(TRUE_WORDS | FALSE_WORDS)) + ")$"
TRUE_WORD = "^(?:" + "|".join(_any_case(w) for w in sorted(TRUE_WORDS)) + ")$"

# --- what each key means (hover help) ----------------------------------------------
OBJECTIVE_HELP: dict[str, str] = {
    "objective": "Required. The qualitative goal, in words people remember: inspiring, without numbers "
                 "(numbers belong in the key results).",
    "owner": "Required. The unit that owns the objective: a unit id from org.yml (free text without org.yml).",
    "period": "Required. The period the objective is for: 2026 (year), 2026-H1/2026-H2 (half), "
              "2026-Q1..2026-Q4 (quarter) or 2026-01..2026-12 (month).",
    "parent": "Optional. The objective this one supports: an objective id (its path below the OKR root "
              "without .md, e.g. 2026-Q4/company/grow-online-sales), or <id>#<kr-id> to align to one of "
              "its key results.",
    "commitment": "Optional. committed (every key result is to be reached in full: the bar is 100 %) or "
                  "aspirational (the default: 70 % is a good result).",
    "status": "Optional. Overrides the computed status: on-track, at-risk, off-track, done or dropped. "
              "Leave it out to let the check-ins decide.",
    "tags": "Optional. A list of tags, e.g. [performance, checkout]; each tag gets a page.",
    "contributors": "Optional. Other units that contribute: a list of unit ids from org.yml.",
    "visibility": "Optional. public (the default) or private: a private objective appears nowhere in the "
                  "built site.",
    "review_until": "Optional. A date (YYYY-MM-DD) after the period's end until which the key results are "
                    "still measured (in review).",
    "carried_from": "Optional. The id of the objective this one continues (okrs carry-over sets it); its "
                    "period must end before this one starts.",
    "retrospective": "Optional. What was learned, shown once the period has ended.",
    "id": "Optional. The objective's id, instead of its path below the OKR root without .md, so that the "
          "file can move without breaking links: /-separated segments of letters, digits, '.', '_' and "
          "'-', each starting with a letter or digit.",
    "key_results": "Required. At least one key result (3 to 5 are best): a metric (start and target), a "
                   "milestone (done), or a bare title for a key result with no measure yet.",
}
KR_HELP: dict[str, str] = {
    "id": "Optional. The key result's id within the objective (default kr1, kr2, ... by position); "
          "used in parent: <objective-id>#<kr-id> and in okrs checkin.",
    "title": "Required. What is measured: an outcome (a change in behaviour or results), not an activity "
             "or an output.",
    "start": "Metric key result: the value at the start of the period (a number). Needs target.",
    "target": "Metric key result: the value to reach by the end of the period (a number, different from "
              "start; below start for a decrease). Needs start.",
    "current": "Optional. The value now; by default the last check-in's value, else start.",
    "unit": "Optional. The unit of the values, e.g. ms, %, EUR, customers.",
    "weight": "Optional. The key result's weight in the objective's progress: a number greater than 0 "
              "(default 1).",
    "done": "Milestone key result: true once done, else false. A milestone has no start or target.",
    "done_on": "Optional, for a milestone with done: true: the day it was done (YYYY-MM-DD).",
    "checkins": "Optional. The check-ins, dates strictly ascending, e.g. "
                "- {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}",
}
CHECKIN_HELP: dict[str, str] = {
    "date": "Required. The day of the check-in (YYYY-MM-DD), after the previous one and not after today.",
    "value": "The value measured that day (a number); required for a metric key result.",
    "confidence": "Optional. How likely the key result is to be reached, from 0.0 to 1.0.",
    "note": "Optional. What happened, in a sentence.",
}


def _described(help_: dict[str, str], keys: tuple[str, ...], props: dict[str, dict]) -> dict[str, dict]:
    """``props`` in the order of ``keys``, each with its description (a key of the
    format without one is a bug: KeyError)."""
    out = {}
    for key in keys:
        out[key] = {"description": help_[key], **props[key]}
    return out


def objective_schema() -> dict:
    """The JSON Schema (draft 2020-12) of an objective file's front-matter."""
    number = {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}
    text = {"type": "string", "pattern": NONBLANK, "patternErrorMessage": "must not be empty"}
    optional_text = {"type": ["string", "null"]}
    date = {"type": "string", "format": "date", "pattern": DATE, "examples": ["2026-10-15"],
            "patternErrorMessage": "a date is written YYYY-MM-DD, e.g. 2026-10-15"}
    text_list = {"type": ["array", "null"], "items": text}

    def choice(options: tuple[str, ...], default: str | None = None) -> dict:
        out: dict = {"type": ["string", "null"], "enum": [*options, None]}
        if default is not None:
            out["default"] = default
        return out

    checkin = {
        "type": "object",
        "required": ["date"],
        "properties": _described(CHECKIN_HELP, CHECKIN_KEYS, {
            "date": date,
            "value": number,
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "note": optional_text,
        }),
        "additionalProperties": True,
    }
    key_result = {
        "type": "object",
        "required": ["title"],
        "properties": _described(KR_HELP, KR_KEYS, {
            "id": {"type": ["string", "null"], "pattern": KR_ID, "maxLength": MAX_ID_LENGTH,
                   "patternErrorMessage": "a key result id is one segment: " + SEGMENT_RULE},
            "title": text,
            "start": number,
            "target": number,
            "current": number,
            "unit": optional_text,
            "weight": {**number, "exclusiveMinimum": 0, "default": 1},
            "done": {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": BOOLEAN_WORDS,
                                                      "patternErrorMessage": "write true or false"}]},
            "done_on": date,
            "checkins": {"type": ["array", "null"], "items": {"$ref": "#/$defs/checkin"}},
        }),
        "additionalProperties": True,
        "allOf": [
            {"$comment": "A metric key result has both start and target.",
             "if": {"required": ["start"]}, "then": {"required": ["target"]}},
            {"if": {"required": ["target"]}, "then": {"required": ["start"]}},
            {"$comment": "A milestone (done) has no start or target.",
             "if": {"required": ["done"]},
             "then": {"properties": {"start": False, "target": False}}},
            {"$comment": "done_on belongs to a milestone that is done.",
             "if": {"required": ["done_on"]},
             "then": {"required": ["done"], "properties": {"done": {
                 "anyOf": [{"const": True}, {"type": "string", "pattern": TRUE_WORD}]}}}},
            {"$comment": "Every check-in of a metric key result has a value.",
             "if": {"required": ["start", "target"]},
             "then": {"properties": {"checkins": {"items": {"required": ["value"]}}}}},
        ],
    }
    properties = _described(OBJECTIVE_HELP, OBJECTIVE_KEYS, {
        "objective": text,
        "owner": text,
        "period": {"anyOf": [{"type": "string", "pattern": PERIOD, "patternErrorMessage": "write " + ACCEPTED_FORMS},
                             {"type": "integer", "minimum": 1000, "maximum": 9999}],
                   "examples": ["2026-Q4", "2026-H1", "2026", "2026-03"]},
        "parent": {"type": ["string", "null"], "pattern": PARENT,
                   "patternErrorMessage": "an objective id, or <id>#<kr-id>; each segment: " + SEGMENT_RULE},
        "commitment": choice(COMMITMENTS, "aspirational"),
        "status": choice(STATUS_OVERRIDES),
        "tags": text_list,
        "contributors": text_list,
        "visibility": choice(VISIBILITIES, "public"),
        "review_until": date,
        "carried_from": {"type": ["string", "null"], "pattern": CARRIED_FROM,
                         "patternErrorMessage": "an objective id (no #kr-id); each segment: " + SEGMENT_RULE},
        "retrospective": optional_text,
        "id": {"type": "string", "pattern": OBJECTIVE_ID, "maxLength": MAX_ID_LENGTH,
               "patternErrorMessage": "/-separated segments; each segment: " + SEGMENT_RULE},
        "key_results": {
            "type": "array",
            "minItems": 1,
            "items": {"anyOf": [
                {"type": "string", "pattern": NONBLANK,
                 "description": "A key result with no measure yet: its title."},
                {"$ref": "#/$defs/key_result"},
            ]},
        },
    })
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": SCHEMA_ID,
        "title": "OKR objective (front-matter of an mkdocs-okrs objective file)",
        "description": "The YAML front-matter of one objective file below the OKR root: the objective, its "
                       "owner and period, and its key results with their check-ins. okrs check has the "
                       "last word; see the format reference of mkdocs-okrs.",
        "$comment": "Generated by 'okrs schema'; regenerate it after upgrading mkdocs-okrs. Unknown keys "
                    "are allowed, as okrs check only warns about them (unknown-key). What needs other "
                    "files or the date (owners and parents that exist, a target equal to its start, "
                    "check-in order, dates after today) is checked by okrs check alone.",
        "type": "object",
        "required": ["objective", "owner", "period", "key_results"],
        "properties": properties,
        "additionalProperties": True,
        "$defs": {"key_result": key_result, "checkin": checkin},
    }


def schema_json() -> str:
    """:func:`objective_schema` as the text ``okrs schema`` prints (ends with a newline)."""
    return json.dumps(objective_schema(), indent=2, ensure_ascii=False) + "\n"
