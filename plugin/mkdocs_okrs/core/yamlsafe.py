"""Safe, strict YAML with a location for every key and list item.

:func:`load_yaml` is the one entry point. It reads the parser events of PyYAML
(libyaml's C parser when PyYAML was built with it, PyYAML's pure-Python parser
otherwise) and builds the values itself (:mod:`.yamlvalues`): :class:`YMap` and
:class:`YSeq` that know where each key and item is, as 1-based ``(line, col)``
positions in the FILE (pass the line where the YAML text starts), taken from the
parser's marks. PyYAML's composer and constructors are never used, so:

- nothing runs code: only the standard scalar, list and mapping tags are
  accepted; any other tag (``!x``, ``!!python/...``, ``!!binary``) is refused;
- anchors, aliases and merge keys (``<<``) are refused outright, which also
  rules out "billion laughs" expansion;
- a key given twice in one mapping is an error naming both lines;
- nesting deeper than :data:`MAX_DEPTH` is refused; the events are read in a
  loop, so no depth can exhaust a stack;
- YAML 1.1 booleans (``yes``/``no``/``on``/``off``/``y``/``n``/``true``/``false``,
  any case) are booleans, so callers can reject ``owner: NO`` where text is expected;
- the invisible characters YAML reads as line breaks (U+0085, U+2028, U+2029) are
  refused where they stand, before they can split a line under the writer's eyes;
- a control character written as an escape in a double-quoted string (``"\\e"``)
  is reported as a ``text-control`` problem naming its key, when the caller
  collects such problems.
"""

from __future__ import annotations

import re
from datetime import date

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .yamlvalues import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MAX_DEPTH,
    NULL,
    SEQ,
    STR,
    TIMESTAMP,
    VALUE,
    Pos,
    YamlProblem,
    YMap,
    YSeq,
    convert_scalar,
    TAG_CACHE,
    refused_tag,
    resolve_plain,
)

__all__ = ["MAX_DEPTH", "Pos", "YMap", "YSeq", "YamlProblem", "control_problem", "load_yaml"]



class PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python parser: the events without a composer or constructor."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:  # libyaml's C parser: fast. The pure-Python one is the fallback.
    from yaml._yaml import CParser as _Parser  # type: ignore[import-not-found]

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAVE_LIBYAML = False
    _Parser = PurePythonParser


_date = date.fromisoformat
_TOO_DEEP = f"YAML too deeply nested (more than {MAX_DEPTH} levels)"
# Explicit tags a key may carry: its text is the key ('!!int 3: x' is the key '3').
_KEY_TAGS = frozenset({STR, VALUE, INT, FLOAT, BOOL, NULL, TIMESTAMP})
_SCALAR_CLASS = yaml.ScalarEvent
_MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOC_START, _STREAM_END, _ALIAS = yaml.DocumentStartEvent, yaml.StreamEndEvent, yaml.AliasEvent

_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}

# C0 controls but tab and newline, DEL, and C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    "\x00": "NUL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB", "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE",
}


def control_problem(what: str, char: str, line: int, col: int) -> YamlProblem:
    """The ``text-control`` problem of a control character ``char`` found in ``what``."""
    name = _CONTROL_NAMES.get(char, "a control character")
    return YamlProblem(
        "text-control",
        f"{what} contains the control character U+{ord(char):04X} ({name}), which cannot be shown; remove it",
        line,
        col,
    )


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _offset_pos(text: str, offset: int, first_line: int) -> Pos:
    """The file position of character ``offset`` of ``text``, lines counted at '\\n' only."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + first_line
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _problem_from(exc: Exception, text: str, first_line: int) -> YamlProblem:
    """A parser exception as a located ``yaml-syntax`` problem."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + first_line, mark.column + 1) if mark is not None else (first_line, 1)
        problem = _clean(exc.problem) or "the YAML cannot be parsed"
        if "maximum nesting depth" in problem:
            # libyaml 0.2.6 stops at 1,000 levels while scanning ahead, before our own, lower limit.
            return YamlProblem("yaml-syntax", _TOO_DEEP, line, col)
        context = _clean(exc.context)
        if context:
            cmark = exc.context_mark
            if cmark is not None and cmark is not mark and cmark.line + first_line != line:
                context = f"{context} on line {cmark.line + first_line}"
            problem = f"{problem} ({context})"
        return YamlProblem("yaml-syntax", f"YAML syntax: {problem}", line, col)
    if isinstance(exc, yaml.reader.ReaderError):
        ch = exc.character
        what = f"U+{ch:04X}" if isinstance(ch, int) else repr(ch)
        line, col = _offset_pos(text, exc.position, first_line)
        return YamlProblem(
            "yaml-syntax",
            f"YAML syntax: the character {what} is not allowed in YAML ({_clean(exc.reason)})",
            line,
            col,
        )
    return YamlProblem("yaml-syntax", f"YAML syntax: {_clean(str(exc)) or type(exc).__name__}", first_line, 1)


def _scalar_value(ev, first_line: int):
    """The Python value of a scalar event (str, int, float, bool, None, date or datetime)."""
    value = ev.value
    tag = ev.tag
    if ev.implicit[0] and (tag is None or tag == "!"):
        tag = resolve_plain(value)
    elif tag is None or tag == "!":
        return value
    if tag == STR:
        return value
    # The usual numbers without PyYAML's constructor: plain digits, and floats
    # without YAML 1.1's '_' separators, sexagesimal ':' or .inf/.nan.
    if tag == INT and value.isdigit() and (value[0] != "0" or value == "0"):
        return int(value)
    if tag == FLOAT and "_" not in value and ":" not in value and "n" not in value and "N" not in value:
        return float(value)
    mark = ev.start_mark
    return convert_scalar(tag, value, mark.line + first_line, mark.column + 1)


def _start_pos(ev, first_line: int) -> Pos:
    mark = ev.start_mark
    return mark.line + first_line, mark.column + 1


def load_yaml(text: str, first_line: int = 1, problems: list[YamlProblem] | None = None):
    """Parse one YAML document safely; ``first_line`` is the file line of its first line.

    Returns None (empty document), a scalar, a :class:`YMap` or a :class:`YSeq`.
    Raises :class:`YamlProblem` for anything refused (syntax, duplicate keys,
    anchors/aliases/merge keys/custom tags, excessive nesting, invisible line
    breaks). With ``problems``, each control character escaped in a double-quoted
    string is appended to it as a ``text-control`` problem at its key or item
    (the value is kept as it is).
    """
    found = _LINE_BREAKS.search(text)
    if found is not None:
        char = found.group()
        raise YamlProblem(
            "yaml-syntax",
            f"YAML syntax: the invisible character U+{ord(char):04X} ({_BREAK_NAMES[char]}) is a line break "
            "in YAML and splits this line; delete it",
            *_offset_pos(text, found.start(), first_line),
        )
    parser = _Parser(text)
    try:
        # A control character reaches a value only through an escape ("\\e"): the reader
        # refuses them written raw, tab and newline aside.
        return _build(parser, first_line, problems, problems is not None and "\\" in text)
    except YamlProblem:
        raise
    except Exception as exc:  # a syntax error of the parser
        raise _problem_from(exc, text, first_line) from None
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


def _build(parser, first_line: int, problems: list[YamlProblem] | None, escapes: bool):
    """Read the events of ``parser`` into values (see :func:`load_yaml`).

    One loop with the common cases written out: it runs for every event of every file.
    """
    get_event = parser.get_event
    resolve = resolve_plain
    tag_cache = TAG_CACHE
    root = None
    top: YMap | YSeq | None = None  # the collection being filled
    in_map = False  # top is a YMap
    key: str | None = None  # in a mapping: the key whose value comes next
    key_event = None  # ... and its event (the key's place, for problems in the value)
    outer: list[tuple] = []  # the enclosing collections with their pending key
    documents = 0
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is _SCALAR_CLASS:
            if ev.anchor is not None:
                raise YamlProblem("yaml-alias", f"YAML anchors (&{ev.anchor}) are not accepted; write the value out",
                                  *_start_pos(ev, first_line))
            text = ev.value
            if in_map and key is None:  # a key
                if text == "<<" and ev.implicit[0]:
                    raise YamlProblem("yaml-alias", "YAML merge keys (<<) are not accepted; write the keys out",
                                      *_start_pos(ev, first_line))
                tag = ev.tag
                if tag is not None and tag != "!" and tag not in _KEY_TAGS:
                    raise refused_tag(tag, *_start_pos(ev, first_line))
                mark = ev.start_mark
                if text in top.key_pos:
                    raise YamlProblem(
                        "yaml-duplicate-key",
                        f"key {text!r} is given twice in one mapping (first on line {top.key_pos[text][0]})",
                        mark.line + first_line, mark.column + 1,
                    )
                top.key_pos[text] = (mark.line + first_line, mark.column + 1)
                key, key_event = text, ev
                continue
            # The value: plain text, then the usual numbers, without PyYAML's constructors.
            tag = ev.tag
            if tag is None and ev.implicit[0]:
                tag = tag_cache.get(text) or resolve(text)
            if tag is None or tag == STR or tag == "!":
                value = text
            elif tag == INT and text.isdigit() and (text[0] != "0" or text == "0"):
                value = int(text)
            elif tag == FLOAT and "_" not in text and ":" not in text and "n" not in text and "N" not in text:
                value = float(text)  # (no YAML 1.1 separators, sexagesimal or .inf/.nan)
            elif tag == TIMESTAMP and len(text) == 10 and text[4] == "-" and text[7] == "-":
                try:
                    value = _date(text)
                except ValueError:
                    value = text  # looks like a date but is none: date fields report it
            else:
                value = _scalar_value(ev, first_line)
            if escapes and ev.style == '"' and value.__class__ is str and CONTROL.search(value):
                _report_control(problems, value, key if in_map else None, key_event if in_map else ev,
                                outer, top, first_line)
            if in_map:
                top[key] = value
                if value.__class__ is not str:
                    top.raw[key] = text
                key = None
            elif top is not None:
                if value.__class__ is not str:
                    top.raw[len(top)] = text
                mark = ev.start_mark
                top.item_pos.append((mark.line + first_line, mark.column + 1))
                top.append(value)
            else:
                root = value
        elif cls is _MAP_START or cls is _SEQ_START:
            pos = _start_pos(ev, first_line)
            if ev.anchor is not None:
                raise YamlProblem("yaml-alias", f"YAML anchors (&{ev.anchor}) are not accepted; write the value out", *pos)
            tag = ev.tag
            if tag is not None and tag != "!" and tag != (MAP if cls is _MAP_START else SEQ):
                raise refused_tag(tag, *pos)
            if in_map and key is None:
                raise YamlProblem("yaml-syntax", "YAML syntax: a key must be plain text, not a list or mapping", *pos)
            if len(outer) >= MAX_DEPTH:
                raise YamlProblem("yaml-syntax", _TOO_DEEP, *pos)
            new = YMap(pos) if cls is _MAP_START else YSeq(pos)
            if in_map:
                top[key] = new
            elif top is not None:
                top.item_pos.append(pos)
                top.append(new)
            else:
                root = new
            outer.append((top, key, key_event))
            top, key, key_event = new, None, None
            in_map = cls is _MAP_START
        elif cls is _MAP_END or cls is _SEQ_END:
            top, key, key_event = outer.pop()
            in_map = top.__class__ is YMap
            key = None
        elif cls is _ALIAS:
            raise YamlProblem("yaml-alias", f"YAML aliases (*{ev.anchor}) are not accepted; write the value out",
                              *_start_pos(ev, first_line))
        elif cls is _DOC_START:
            documents += 1
            if documents > 1:
                raise YamlProblem("yaml-syntax", "YAML syntax: expected a single document, but found another one",
                                  *_start_pos(ev, first_line))
        elif cls is _STREAM_END:
            return root


def _report_control(problems, value: str, key, where_event, outer: list, top, first_line: int) -> None:
    """Add the ``text-control`` problem of ``value``: at its key in a mapping, else at the item."""
    if key is not None:
        what = key
    else:
        parent_key = outer[-1][1] if outer else None
        what = f"{parent_key}: item {len(top) + 1}" if parent_key and top is not None else "the text"
    problems.append(control_problem(what, CONTROL.search(value).group(), *_start_pos(where_event, first_line)))
