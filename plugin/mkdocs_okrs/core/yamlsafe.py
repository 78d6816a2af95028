"""Safe, strict YAML with a location for every key and list item.

The text is composed into nodes by PyYAML (libyaml's C parser when available)
and turned into Python values here, never by PyYAML's constructors, so:

- nothing runs code: only the standard scalar, list and mapping tags are
  accepted; any other tag (``!x``, ``!!python/...``, ``!!binary``) is refused;
- anchors, aliases and merge keys (``<<``) are refused outright, which also
  rules out "billion laughs" expansion;
- a key given twice in one mapping is an error naming both lines;
- nesting deeper than :data:`MAX_DEPTH` is refused before it can exhaust a stack;
- YAML 1.1 booleans (``yes``/``no``/``on``/``off``/``y``/``n``/``true``/``false``,
  any case) are booleans, so callers can reject ``owner: NO`` where text is expected.

Mappings come back as :class:`YMap` (a ``dict`` that also knows where each key
is), lists as :class:`YSeq` (a ``list`` that knows where each item is). Every
position is a 1-based ``(line, col)`` in the FILE: pass the line where the YAML
text starts.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .diagnostics import Diagnostic, Severity
from .suggest import did_you_mean

try:  # libyaml's C parser: fast. The pure-Python one is the fallback.
    from yaml._yaml import CParser as _BaseParser  # type: ignore[import-not-found]

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAVE_LIBYAML = False
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _BaseParser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_DEPTH = 50
# Both composers recurse: compose directly only when the text cannot nest deeper than
# this (far below a C stack overflow, or Python's recursion limit for the fallback).
_SAFE_COMPOSE_DEPTH = 1000 if HAVE_LIBYAML else 150

_YAML = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    _YAML + "str",
    _YAML + "int",
    _YAML + "float",
    _YAML + "bool",
    _YAML + "null",
    _YAML + "timestamp",
)
SEQ, MAP, MERGE, VALUE = _YAML + "seq", _YAML + "map", _YAML + "merge", _YAML + "value"

TRUE_WORDS = frozenset({"yes", "y", "true", "on"})
FALSE_WORDS = frozenset({"no", "n", "false", "off"})
_BOOL_WORDS = TRUE_WORDS | FALSE_WORDS

Pos = tuple[int, int]


class YMap(dict):
    """A YAML mapping: a dict whose keys are the key texts.

    ``pos`` is where the mapping starts; ``key_pos[key]`` where each key is;
    ``raw[key]`` the source text of a scalar value that is not a plain string
    (``NO``, ``2026``, ``2026-10-15``), for messages.
    """

    __slots__ = ("pos", "key_pos", "raw")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.raw: dict[str, str] = {}


class YSeq(list):
    """A YAML list. ``pos`` is where it starts; ``item_pos[i]`` where item ``i`` starts
    (for a mapping item: its first key; for a scalar: the value); ``raw[i]`` the
    source text of a scalar item that is not a plain string."""

    __slots__ = ("pos", "item_pos", "raw")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []
        self.raw: dict[int, str] = {}


class YamlProblem(Exception):
    """Why a YAML text was refused: a rule id, a message and a 1-based file position."""

    def __init__(self, rule: str, message: str, line: int, col: int) -> None:
        super().__init__(f"{line}:{col}: {message} [{rule}]")
        self.rule = rule
        self.message = message
        self.line = line
        self.col = col


# --- parsing -----------------------------------------------------------------

_RESOLVER = Resolver()
_TAG_CACHE: dict[str, str] = {}
_TAG_CACHE_MAX = 50_000


def _resolve_plain(value: str) -> str:
    """The tag of a plain (unquoted) scalar, YAML 1.1 style, with every casing of booleans."""
    tag = _TAG_CACHE.get(value)
    if tag is None:
        if value.lower() in _BOOL_WORDS:
            tag = BOOL
        else:
            tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        if len(_TAG_CACHE) >= _TAG_CACHE_MAX:
            _TAG_CACHE.clear()
        _TAG_CACHE[value] = tag
    return tag


class _Parser(_BaseParser):  # type: ignore[misc,valid-type]
    """The composer with a fast, cached implicit resolver and no path resolvers."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - called by the composer
        if kind is ScalarNode:
            return _resolve_plain(value) if implicit[0] else STR
        return SEQ if kind is SequenceNode else MAP

    def descend_resolver(self, current_node, current_index):  # noqa: D102
        pass

    def ascend_resolver(self):  # noqa: D102
        pass


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _marked_problem(exc: yaml.MarkedYAMLError, first_line: int, default_rule: str = "yaml-syntax") -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + first_line) if mark is not None else first_line
    col = (mark.column + 1) if mark is not None else 1
    problem = _clean(exc.problem) or "the YAML cannot be parsed"
    context = _clean(exc.context)
    if context and exc.context_mark is not None and exc.context_mark is not mark:
        cline = exc.context_mark.line + first_line
        if cline != line:
            context = f"{context} on line {cline}"
        problem = f"{problem} ({context})"
    elif context:
        problem = f"{problem} ({context})"
    return YamlProblem(default_rule, f"YAML syntax: {problem}", line, col)


def _offset_to_pos(text: str, offset: int, first_line: int) -> Pos:
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + first_line
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _problem_from(exc: Exception, text: str, first_line: int) -> YamlProblem:
    if isinstance(exc, yaml.MarkedYAMLError):
        return _marked_problem(exc, first_line)
    if isinstance(exc, yaml.reader.ReaderError):
        ch = exc.character
        what = f"U+{ch:04X}" if isinstance(ch, int) else repr(ch)
        line, col = _offset_to_pos(text, exc.position, first_line)
        return YamlProblem(
            "yaml-syntax",
            f"YAML syntax: the character {what} is not allowed in YAML ({_clean(exc.reason)})",
            line,
            col,
        )
    return YamlProblem("yaml-syntax", f"YAML syntax: {_clean(str(exc)) or type(exc).__name__}", first_line, 1)


_INDENT = re.compile(r"^[ \t]+", re.M)


def _depth_bound(text: str) -> int:
    """An upper bound on the nesting depth of ``text``, computed without parsing.

    Every level of nesting needs its own ``[``, ``{``, ``?``, block-sequence ``-`` or a
    deeper indentation.
    """
    if len(text) < _SAFE_COMPOSE_DEPTH:
        return len(text)
    bound = (
        text.count("[")
        + text.count("{")
        + text.count("?")
        + text.count("- ")
        + text.count("-\n")
        + text.count("-\t")
        + 2
    )
    if bound >= _SAFE_COMPOSE_DEPTH:
        return bound
    return bound + max((len(m) for m in _INDENT.findall(text)), default=0)


def _scan_events(text: str, first_line: int, check_anchors: bool) -> None:
    """Walk the parser events (an iterative parse: safe at any depth) and refuse
    anchors, aliases and excessive nesting. Raises :class:`YamlProblem`."""
    parser = _Parser(text)
    depth = 0
    try:
        while True:
            ev = parser.get_event()
            if ev is None or isinstance(ev, yaml.StreamEndEvent):
                return
            cls = ev.__class__
            if cls is yaml.AliasEvent:
                m = ev.start_mark
                raise YamlProblem(
                    "yaml-alias",
                    f"YAML aliases (*{ev.anchor}) are not accepted; write the value out",
                    m.line + first_line,
                    m.column + 1,
                )
            if check_anchors and getattr(ev, "anchor", None) is not None:
                m = ev.start_mark
                raise YamlProblem(
                    "yaml-alias",
                    f"YAML anchors (&{ev.anchor}) are not accepted; write the value out",
                    m.line + first_line,
                    m.column + 1,
                )
            if cls is yaml.SequenceStartEvent or cls is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    m = ev.start_mark
                    raise YamlProblem(
                        "yaml-syntax",
                        f"YAML too deeply nested (more than {MAX_DEPTH} levels)",
                        m.line + first_line,
                        m.column + 1,
                    )
            elif cls is yaml.SequenceEndEvent or cls is yaml.MappingEndEvent:
                depth -= 1
    except YamlProblem:
        raise
    except Exception as exc:  # a syntax error: reported by the caller's compose the same way
        raise _problem_from(exc, text, first_line) from None
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


def _compose(text: str, first_line: int):
    """The root node of ``text`` (None for an empty document). Raises :class:`YamlProblem`."""
    anchors = "&" in text or "*" in text
    if anchors or _depth_bound(text) >= _SAFE_COMPOSE_DEPTH:
        _scan_events(text, first_line, anchors)
    parser = _Parser(text)
    try:
        return parser.get_single_node()
    except Exception as exc:
        raise _problem_from(exc, text, first_line) from None
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


# --- construction ------------------------------------------------------------

_CONSTRUCTOR = SafeConstructor()


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def _scalar(node: ScalarNode, first_line: int):
    """The Python value of a scalar node (str, int, float, bool, None, date or datetime)."""
    m = node.start_mark
    return _convert(node.tag, node.value, m.line + first_line, m.column + 1)


def _convert(tag: str, value: str, line: int, col: int):
    """The Python value of a scalar with ``tag``; ``line``/``col`` locate errors."""
    if tag == STR or tag == VALUE or tag == MERGE or tag == "!":
        return value  # '=' and '<<' are only special as keys
    try:
        if tag == INT:
            if value.isdigit() and (value[0] != "0" or value == "0"):
                return int(value)
            return _CONSTRUCTOR.construct_yaml_int(ScalarNode(tag, value))
        if tag == FLOAT:
            return _CONSTRUCTOR.construct_yaml_float(ScalarNode(tag, value))
        if tag == BOOL:
            low = value.lower()
            if low in TRUE_WORDS:
                return True
            if low in FALSE_WORDS:
                return False
            raise ValueError(value)
        if tag == NULL:
            if value in ("", "~") or value.lower() == "null":
                return None
            raise ValueError(value)
        if tag == TIMESTAMP:
            if len(value) == 10:
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    return value  # looks like a date but is none: date fields report it
            try:
                return _CONSTRUCTOR.construct_yaml_timestamp(ScalarNode(tag, value))
            except (ValueError, OverflowError):
                return value
    except (ValueError, OverflowError, TypeError, yaml.YAMLError):
        raise YamlProblem(
            "yaml-syntax", f"YAML syntax: {value!r} cannot be read as {_tag_name(tag)}", line, col
        ) from None
    raise YamlProblem("yaml-alias", f"custom tag {_tag_name(tag)} is not accepted; write a plain value", line, col)


def _refuse_tag(node, first_line: int) -> YamlProblem:
    m = node.start_mark
    return YamlProblem(
        "yaml-alias",
        f"custom tag {_tag_name(node.tag)} is not accepted; write a plain value",
        m.line + first_line,
        m.column + 1,
    )


class _Builder:
    __slots__ = ("first_line", "seen")

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.seen: set[int] = set()

    def build(self, node, depth: int):
        cls = node.__class__
        if cls is ScalarNode:
            return _scalar(node, self.first_line)
        first_line = self.first_line
        m = node.start_mark
        if depth > MAX_DEPTH:
            raise YamlProblem(
                "yaml-syntax",
                f"YAML too deeply nested (more than {MAX_DEPTH} levels)",
                m.line + first_line,
                m.column + 1,
            )
        ident = id(node)
        if ident in self.seen:  # only reachable through an alias
            raise YamlProblem(
                "yaml-alias", "YAML aliases are not accepted; write the value out", m.line + first_line, m.column + 1
            )
        self.seen.add(ident)
        if cls is MappingNode:
            if node.tag != MAP:
                raise _refuse_tag(node, first_line)
            out = YMap((m.line + first_line, m.column + 1))
            key_pos = out.key_pos
            raw = out.raw
            for knode, vnode in node.value:
                km = knode.start_mark
                kpos = (km.line + first_line, km.column + 1)
                if knode.__class__ is not ScalarNode:
                    raise YamlProblem("yaml-syntax", "YAML syntax: a key must be plain text, not a list or mapping", *kpos)
                ktag = knode.tag
                if ktag == MERGE:
                    raise YamlProblem("yaml-alias", "YAML merge keys (<<) are not accepted; write the keys out", *kpos)
                if ktag != STR and ktag != VALUE and ktag not in _KEY_TAGS:
                    raise _refuse_tag(knode, first_line)
                key = knode.value
                if key in key_pos:
                    first = key_pos[key]
                    raise YamlProblem(
                        "yaml-duplicate-key",
                        f"key {key!r} is given twice in one mapping (first on line {first[0]})",
                        *kpos,
                    )
                key_pos[key] = kpos
                vcls = vnode.__class__
                if vcls is ScalarNode:
                    value = _scalar(vnode, first_line)
                    if value.__class__ is not str:
                        raw[key] = vnode.value
                else:
                    value = self.build(vnode, depth + 1)
                out[key] = value
            return out
        if cls is SequenceNode:
            if node.tag != SEQ:
                raise _refuse_tag(node, first_line)
            seq = YSeq((m.line + first_line, m.column + 1))
            item_pos = seq.item_pos
            for i, item in enumerate(node.value):
                im = item.start_mark
                item_pos.append((im.line + first_line, im.column + 1))
                if item.__class__ is ScalarNode:
                    value = _scalar(item, first_line)
                    if value.__class__ is not str:
                        seq.raw[i] = item.value
                else:
                    value = self.build(item, depth + 1)
                seq.append(value)
            return seq
        raise YamlProblem("yaml-syntax", "YAML syntax: unexpected node", m.line + first_line, m.column + 1)  # pragma: no cover


_KEY_TAGS = frozenset({INT, FLOAT, BOOL, NULL, TIMESTAMP})


# --- the fast path ----------------------------------------------------------------
#
# Front-matter is almost always plain block YAML: "key: value" lines, "- item"
# lines and one-line flow lists/mappings of plain or simply quoted scalars.
# For that subset a line-by-line reader is several times faster than building
# PyYAML nodes. It gives exactly the result of the full path (the tests compare
# both on random documents) and gives up (_Bail) on anything outside the subset,
# including every error: the full path then parses it and reports the problem.


class _Bail(Exception):
    """The text is outside the fast path's subset; use the full parser."""


_BAIL = _Bail()

# Characters the fast path accepts anywhere: printable, no tab, no YAML 1.1 line
# breaks (NEL, LS, PS) and no BOM.
_FAST_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*| *)$")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*| *)$')
_PLAIN_START_BAD = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_PLAIN = r"(?:[^\s,\[\]{}#:'\"!&*|>%@`?-]|-[0-9.])[^,\[\]{}#:]*?"
_FLOW_SCALAR = "(?:'((?:[^']|'')*)'|\"([^\"\\\\]*)\"|(" + _FLOW_PLAIN + "))"
_FLOW_SEQ_ITEM = re.compile(" *" + _FLOW_SCALAR + r" *(,|\])")
_FLOW_MAP_ITEM = re.compile(r" *([A-Za-z_][A-Za-z0-9_-]*): +" + _FLOW_SCALAR + r" *(,|\})")
_FLOW_END = re.compile(r"(?: +#.*| *)$")
_FLOW_EMPTY = re.compile(r" *[\]}]")


# First characters for which YAML 1.1 may read a plain scalar as something else
# than text (see Resolver.yaml_implicit_resolvers, plus every casing of booleans).
_SPECIAL_FIRST = frozenset("yYnNtTfFoO~.0123456789+-<=!&*")
_DIGITS = frozenset("0123456789")


_VALUE_CACHE: dict[str, object] = {}
_VALUE_CACHE_MAX = 100_000
_MISS = object()


def _fast_plain(text: str, line: int, col: int):
    """The value of a plain scalar, exactly as resolving and converting it gives,
    remembered (the values are immutable: text, numbers, booleans, dates)."""
    if text[0] not in _SPECIAL_FIRST:
        return text
    value = _VALUE_CACHE.get(text, _MISS)
    if value is _MISS:
        value = _convert(_resolve_plain(text), text, line, col)
        if len(_VALUE_CACHE) >= _VALUE_CACHE_MAX:
            _VALUE_CACHE.clear()
        _VALUE_CACHE[text] = value
    return value


_FLOW_SIMPLE_BAD = re.compile(r"[\[\]{}'\"#]")
_FLOW_ITEM_START_BAD = frozenset("!&*|>%@`?-")


def _fast_flow_simple(val: str, line: int, col: int):
    """A one-line flow list or mapping without quotes or nesting (the usual check-in
    and tag lists), split with string methods; None when it has quotes or nesting."""
    close_char = "]" if val[0] == "[" else "}"
    close = val.find(close_char)
    if close < 0:
        raise _BAIL
    inner = val[1:close]
    if _FLOW_SIMPLE_BAD.search(inner) is not None:
        return None
    rest = val[close + 1 :]
    if rest and not (rest.isspace() or rest[0] == " " and rest.lstrip(" ").startswith("#")):
        return None  # let the exact path decide
    offset = col + 1  # column of inner[0]
    if close_char == "]":
        out = YSeq((line, col))
        if not inner or inner.isspace():
            return out
        if ":" in inner:
            raise _BAIL
        item_pos = out.item_pos
        for part in inner.split(","):
            text = part.strip(" ")
            if not text:
                raise _BAIL
            c = text[0]
            start = offset + part.index(c)
            if c in _SPECIAL_FIRST:
                if c in _FLOW_ITEM_START_BAD and not (c == "-" and len(text) > 1 and text[1] in "0123456789."):
                    raise _BAIL
                value = _fast_plain(text, line, start)
                if value.__class__ is not str:
                    out.raw[len(out)] = text
            elif c in _FLOW_ITEM_START_BAD:
                raise _BAIL
            else:
                value = text
            item_pos.append((line, start))
            out.append(value)
            offset += len(part) + 1
        return out
    out = YMap((line, col))
    if not inner or inner.isspace():
        return out
    key_pos = out.key_pos
    keys_ok = _KEYS_OK
    cache = _VALUE_CACHE
    for part in inner.split(","):
        k, colon, v = part.partition(":")
        if not colon or v[:1] != " " or ":" in v:
            raise _BAIL
        key = k.lstrip(" ")
        if key not in keys_ok:
            if _KEY_RE.fullmatch(key) is None:
                raise _BAIL
            if len(keys_ok) < 10_000:
                keys_ok.add(key)
        if key in key_pos:
            raise _BAIL
        text = v.strip(" ")
        if not text:
            raise _BAIL
        c = text[0]
        key_pos[key] = (line, offset + len(k) - len(key))
        if c in _SPECIAL_FIRST:
            if c in _FLOW_ITEM_START_BAD and not (c == "-" and len(text) > 1 and text[1] in "0123456789."):
                raise _BAIL
            value = cache.get(text, _MISS)
            if value is _MISS:
                value = _fast_plain(text, line, offset + len(k) + 1 + v.index(c))
            if value.__class__ is not str:
                out.raw[key] = text
            out[key] = value
        elif c in _FLOW_ITEM_START_BAD:
            raise _BAIL
        else:
            out[key] = text
        offset += len(part) + 1
    return out


def _fast_flow(val: str, line: int, col: int):
    """A one-line flow list or mapping starting at ``col`` (1-based) of ``line``;
    quoted items are read here, anything nested or unusual bails."""
    simple = _fast_flow_simple(val, line, col)
    if simple is not None:
        return simple
    n = len(val)
    if val[0] == "[":
        out = YSeq((line, col))
        pos = 1
        empty = _FLOW_EMPTY.match(val, pos)
        if empty is not None and val[empty.end() - 1] == "]":
            pos = empty.end()
        else:
            while True:
                m = _FLOW_SEQ_ITEM.match(val, pos)
                if m is None:
                    raise _BAIL
                i = len(out)
                if m.group(3) is not None:
                    text = m.group(3).rstrip(" ")
                    start = m.start(3)
                    value = _fast_plain(text, line, col + start)
                    if value.__class__ is not str:
                        out.raw[i] = text
                elif m.group(1) is not None:
                    start = m.start(1) - 1
                    value = m.group(1).replace("''", "'")
                else:
                    start = m.start(2) - 1
                    value = m.group(2)
                out.item_pos.append((line, col + start))
                out.append(value)
                pos = m.end()
                if m.group(4) == "]":
                    break
    else:
        out = YMap((line, col))
        pos = 1
        empty = _FLOW_EMPTY.match(val, pos)
        if empty is not None and val[empty.end() - 1] == "}":
            pos = empty.end()
        else:
            while True:
                m = _FLOW_MAP_ITEM.match(val, pos)
                if m is None:
                    raise _BAIL
                key = m.group(1)
                if key in out.key_pos:
                    raise _BAIL
                out.key_pos[key] = (line, col + m.start(1))
                if m.group(4) is not None:
                    text = m.group(4).rstrip(" ")
                    value = _fast_plain(text, line, col + m.start(4))
                    if value.__class__ is not str:
                        out.raw[key] = text
                elif m.group(2) is not None:
                    value = m.group(2).replace("''", "'")
                else:
                    value = m.group(3)
                out[key] = value
                pos = m.end()
                if m.group(5) == "}":
                    break
    if pos < n and _FLOW_END.match(val, pos) is None:
        raise _BAIL
    return out


def _fast_value(val: str, line: int, col: int):
    """(value, raw) of the text after "key: " or "- " (``col`` is its 1-based column).

    ``raw`` is the source text for scalars that are not plain strings, else None.
    Returns (_PENDING, None) when the value is empty (a nested block may follow).
    """
    c = val[0]
    if c == "#":
        return _PENDING, None
    if c == "'":
        m = _SINGLE.match(val)
        if m is None:
            raise _BAIL
        return m.group(1).replace("''", "'"), None
    if c == '"':
        m = _DOUBLE.match(val)
        if m is None:
            raise _BAIL
        return m.group(1), None
    if c == "[" or c == "{":
        return _fast_flow(val, line, col), None
    if c in _PLAIN_START_BAD and not (c == "-" and len(val) > 1 and val[1] != " "):
        raise _BAIL
    cut = val.find(" #")
    text = (val if cut < 0 else val[:cut]).rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise _BAIL
    value = _fast_plain(text, line, col)
    return value, (None if value.__class__ is str else text)


_PENDING = object()
# First characters of a value that need more than "plain text": quotes, flow
# collections, comments, indicators and everything YAML may read as non-text.
_VALUE_START_SPECIAL = _PLAIN_START_BAD | _SPECIAL_FIRST | frozenset("'\"[{#")
# ... of which those that start a plain scalar YAML may read as non-text.
_PLAIN_SPECIAL_OK = _SPECIAL_FIRST - _PLAIN_START_BAD


_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_KEYS_OK: set[str] = set()


def _fast_load(text: str, first_line: int):
    """The fast path of :func:`load_yaml`: a YMap, or raises _Bail."""
    if _FAST_UNSAFE.search(text) is not None:
        raise _BAIL
    # Locals: this loop runs once per line of every file.
    ymap, yseq, bail, key_re = YMap, YSeq, _BAIL, _KEY_RE
    start_special, plain_special = _VALUE_START_SPECIAL, _PLAIN_SPECIAL_OK
    keys_ok = _KEYS_OK
    value_cache = _VALUE_CACHE
    miss = _MISS
    stack: list = []  # open block collections: (indent, container); the last is (cur_ind, cur)
    cur_ind = -1
    cur = None
    pending = None  # (mapping, key, indent) of a "key:" whose value may be a nested block
    for line, raw in enumerate(text.split("\n"), first_line):
        s = raw.lstrip(" ")
        if not s or s[0] == "#":
            continue  # blank or comment line
        width = len(raw)
        n = width - len(s)
        # "- " item?
        if s[0] == "-" and (len(s) == 1 or s[1] == " "):
            dash = True
            rest = s[1:].lstrip(" ")
            if not rest or rest[0] == "#":
                raise bail  # "-" alone: rare, left to the full parser
        else:
            dash = False
            rest = s
        # "key:"?
        key = None
        val = rest
        c = rest.find(":")
        if c > 0 and (c + 1 == len(rest) or rest[c + 1] == " "):
            cand = rest[:c]
            if cand in keys_ok:
                key = cand
            elif key_re.fullmatch(cand) is not None:
                key = cand
                if len(keys_ok) < 10_000:
                    keys_ok.add(cand)
            if key is not None:
                kcol = width - len(rest) + 1
                val = rest[c + 1 :].lstrip(" ")

        if pending is not None:
            pmap, pkey, pind = pending
            pending = None
            if n > pind or (n == pind and dash):
                child = yseq((line, n + 1)) if dash else ymap((line, n + 1))
                pmap[pkey] = child
                cur_ind, cur = n, child
                stack.append((n, child))
                if len(stack) > MAX_DEPTH:
                    raise bail
            else:
                pmap[pkey] = None
                pmap.raw[pkey] = ""
        elif cur is None:  # the first line opens the root mapping
            if dash or key is None:
                raise bail
            root = cur = ymap((line, n + 1))
            cur_ind = n
            stack.append((n, root))
        # close deeper collections (and a list whose parent mapping key follows)
        while cur_ind > n or (cur_ind == n and not dash and cur.__class__ is yseq):
            stack.pop()
            if not stack:
                raise bail
            cur_ind, cur = stack[-1]
        if cur_ind != n:
            raise bail
        if dash:
            if cur.__class__ is not yseq:
                raise bail
            if key is None:
                vcol = width - len(val) + 1
                if val[0] == "{" or val[0] == "[":  # "- {date: ..., value: ...}": check-ins
                    value = _fast_flow_simple(val, line, vcol)
                    if value is None:
                        value = _fast_flow(val, line, vcol)
                else:
                    value, rawv = _fast_value(val, line, vcol)
                    if value is _PENDING:
                        raise bail
                    if rawv is not None:
                        cur.raw[len(cur)] = rawv
                cur.item_pos.append((line, vcol))
                cur.append(value)
                continue
            # "- key: value": a mapping item whose first key is on this line
            item = ymap((line, kcol))
            cur.item_pos.append((line, kcol))
            cur.append(item)
            n = kcol - 1
            cur_ind, cur = n, item
            stack.append((n, item))
            if len(stack) > MAX_DEPTH:
                raise bail
        elif key is None or cur.__class__ is not ymap:
            raise bail
        key_pos = cur.key_pos
        if key in key_pos:
            raise bail
        key_pos[key] = (line, kcol)
        if not val:
            cur[key] = None
            pending = (cur, key, n)
            continue
        c0 = val[0]
        if c0 not in start_special or c0 in plain_special:
            # plain: the common case, inlined
            vcol = width - len(val) + 1
            cut = val.find(" #")
            if cut >= 0:
                val = val[:cut]
            if val[-1] == " ":
                val = val.rstrip(" ")
            if ": " in val or val[-1] == ":":
                raise bail
            if c0 not in plain_special:
                cur[key] = val
                continue
            # a number, date, boolean or null: resolved
            value = value_cache.get(val, miss)
            if value is miss:
                value = _fast_plain(val, line, vcol)
            cur[key] = value
            if value.__class__ is not str:
                cur.raw[key] = val
            continue
        value, rawv = _fast_value(val, line, width - len(val) + 1)
        if value is _PENDING:  # only a comment after "key:"
            cur[key] = None
            pending = (cur, key, n)
            continue
        cur[key] = value
        if rawv is not None:
            cur.raw[key] = rawv
    if pending is not None:
        pmap, pkey, _ = pending
        pmap[pkey] = None
        pmap.raw[pkey] = ""
    if cur is None:
        raise bail
    return root




def load_yaml(text: str, first_line: int = 1):
    """Parse one YAML document safely; ``first_line`` is the file line of its first line.

    Returns None (empty document), a scalar, a :class:`YMap` or a :class:`YSeq`.
    Raises :class:`YamlProblem` for anything refused (syntax, duplicate keys,
    anchors/aliases/merge keys/custom tags, excessive nesting).
    """
    try:
        return _fast_load(text, first_line)
    except _Bail:
        pass
    node = _compose(text, first_line)
    if node is None:
        return None
    return _Builder(first_line).build(node, 1)


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


# --- typed field access --------------------------------------------------------


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

    def _type_error(self, m: YMap, key: str, value, wanted: str, quote_hint: bool = True) -> None:
        raw = m.raw.get(key)
        desc = describe_value(value, raw)
        if raw is not None and quote_hint and not isinstance(value, (list, dict)):
            msg = f'{key}: {raw} is read as {desc}; quote it: {key}: "{raw}"'
            if wanted != "text":
                msg = f"{key}: {raw} is read as {desc}, but {key} must be {wanted}"
        else:
            msg = f"{key} must be {wanted}, not {desc}"
        self.report(m.key_pos[key], "field-type", msg)

    def text(self, m: YMap, key: str, *, required: bool = False, where: str | None = None) -> str | None:
        """A text field; empty or missing text is ``field-required`` when ``required``."""
        if key not in m:
            if required:
                self.report(m.pos, "field-required", f"{key}: is required{where and ' in ' + where or ''}")
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
                self.report(m.pos, "field-required", f"{key}: is required{where and ' in ' + where or ''}")
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
