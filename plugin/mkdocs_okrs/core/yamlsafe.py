"""Safe, strict YAML with a location for every key and list item.

:func:`load_yaml` is the one entry point. Ordinary front-matter is read by the
fast reader (:mod:`.yamlfast`); anything else, every error included, by the
strict parser here (:func:`load_strict`). Both give the same values
(:mod:`.yamlvalues`): :class:`YMap` and :class:`YSeq` that know where each key
and item is, as 1-based ``(line, col)`` positions in the FILE (pass the line
where the YAML text starts).

The strict parser composes the text into nodes with PyYAML (libyaml's C parser
when available) and turns them into Python values here, never with PyYAML's
constructors, so:

- nothing runs code: only the standard scalar, list and mapping tags are
  accepted; any other tag (``!x``, ``!!python/...``, ``!!binary``) is refused;
- anchors, aliases and merge keys (``<<``) are refused outright, which also
  rules out "billion laughs" expansion;
- a key given twice in one mapping is an error naming both lines;
- nesting deeper than :data:`MAX_DEPTH` is refused before it can exhaust a stack;
- YAML 1.1 booleans (``yes``/``no``/``on``/``off``/``y``/``n``/``true``/``false``,
  any case) are booleans, so callers can reject ``owner: NO`` where text is expected.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .yamlfast import Unsupported, load_fast
from .yamlvalues import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MAX_DEPTH,
    MERGE,
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
    refused_tag,
    resolve_plain,
)

__all__ = ["MAX_DEPTH", "Pos", "YMap", "YSeq", "YamlProblem", "load_strict", "load_yaml"]

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


# Both composers recurse: compose directly only when the text cannot nest deeper than
# this (far below a C stack overflow, or Python's recursion limit for the fallback).
_SAFE_COMPOSE_DEPTH = 1000 if HAVE_LIBYAML else 150


_TOO_DEEP = f"YAML too deeply nested (more than {MAX_DEPTH} levels)"


def _pos(mark, first_line: int) -> Pos:
    """A PyYAML mark (0-based, in the YAML text) as a 1-based position in the file."""
    return mark.line + first_line, mark.column + 1


# --- parsing -----------------------------------------------------------------

class _Parser(_BaseParser):  # type: ignore[misc,valid-type]
    """The composer with a fast, cached implicit resolver and no path resolvers."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - called by the composer
        if kind is ScalarNode:
            return resolve_plain(value) if implicit[0] else STR
        return SEQ if kind is SequenceNode else MAP

    def descend_resolver(self, current_node, current_index):  # noqa: D102
        pass

    def ascend_resolver(self):  # noqa: D102
        pass


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _marked_problem(exc: yaml.MarkedYAMLError, first_line: int) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark, first_line) if mark is not None else (first_line, 1)
    problem = _clean(exc.problem) or "the YAML cannot be parsed"
    if "maximum nesting depth" in problem:
        # libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 levels while scanning ahead,
        # before the parser reaches our own, lower limit: the same problem.
        return YamlProblem("yaml-syntax", _TOO_DEEP, line, col)
    context = _clean(exc.context)
    if context:
        cmark = exc.context_mark
        if cmark is not None and cmark is not mark and cmark.line + first_line != line:
            context = f"{context} on line {cmark.line + first_line}"
        problem = f"{problem} ({context})"
    return YamlProblem("yaml-syntax", f"YAML syntax: {problem}", line, col)


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
                msg = f"YAML aliases (*{ev.anchor}) are not accepted; write the value out"
                raise YamlProblem("yaml-alias", msg, *_pos(ev.start_mark, first_line))
            if check_anchors and getattr(ev, "anchor", None) is not None:
                msg = f"YAML anchors (&{ev.anchor}) are not accepted; write the value out"
                raise YamlProblem("yaml-alias", msg, *_pos(ev.start_mark, first_line))
            if cls is yaml.SequenceStartEvent or cls is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem("yaml-syntax", _TOO_DEEP, *_pos(ev.start_mark, first_line))
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


def _scalar(node: ScalarNode, first_line: int):
    """The Python value of a scalar node (str, int, float, bool, None, date or datetime)."""
    return convert_scalar(node.tag, node.value, *_pos(node.start_mark, first_line))


def _refuse_tag(node, first_line: int) -> YamlProblem:
    return refused_tag(node.tag, *_pos(node.start_mark, first_line))


# Scalar keys other than text keep their text: 'on:', '2026:' are the keys 'on', '2026'.
_KEY_TAGS = frozenset({INT, FLOAT, BOOL, NULL, TIMESTAMP})


class _Builder:
    """Turns composed nodes into :class:`YMap`/:class:`YSeq`/scalars, refusing what is not plain data."""

    __slots__ = ("first_line", "seen")

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.seen: set[int] = set()

    def build(self, node, depth: int):
        cls = node.__class__
        if cls is ScalarNode:
            return _scalar(node, self.first_line)
        first_line = self.first_line
        pos = _pos(node.start_mark, first_line)
        if depth > MAX_DEPTH:
            raise YamlProblem("yaml-syntax", _TOO_DEEP, *pos)
        ident = id(node)
        if ident in self.seen:  # only reachable through an alias
            raise YamlProblem("yaml-alias", "YAML aliases are not accepted; write the value out", *pos)
        self.seen.add(ident)
        if cls is MappingNode:
            if node.tag != MAP:
                raise _refuse_tag(node, first_line)
            out = YMap(pos)
            key_pos = out.key_pos
            raw = out.raw
            for knode, vnode in node.value:
                kpos = _pos(knode.start_mark, first_line)
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
            seq = YSeq(pos)
            item_pos = seq.item_pos
            for i, item in enumerate(node.value):
                item_pos.append(_pos(item.start_mark, first_line))
                if item.__class__ is ScalarNode:
                    value = _scalar(item, first_line)
                    if value.__class__ is not str:
                        seq.raw[i] = item.value
                else:
                    value = self.build(item, depth + 1)
                seq.append(value)
            return seq
        raise YamlProblem("yaml-syntax", "YAML syntax: unexpected node", *pos)  # pragma: no cover



# --- the public entry points ----------------------------------------------------


def load_strict(text: str, first_line: int = 1):
    """:func:`load_yaml` without the fast reader: every text goes through the parser."""
    node = _compose(text, first_line)
    if node is None:
        return None
    return _Builder(first_line).build(node, 1)


def load_yaml(text: str, first_line: int = 1):
    """Parse one YAML document safely; ``first_line`` is the file line of its first line.

    Returns None (empty document), a scalar, a :class:`YMap` or a :class:`YSeq`.
    Raises :class:`YamlProblem` for anything refused (syntax, duplicate keys,
    anchors/aliases/merge keys/custom tags, excessive nesting).
    """
    try:
        return load_fast(text, first_line)
    except Unsupported:
        return load_strict(text, first_line)
