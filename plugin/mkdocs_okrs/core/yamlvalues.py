"""What the YAML loader (:mod:`.yamlsafe`) builds: located mappings and lists, and plain scalars.

- mappings as :class:`YMap` (a ``dict`` that also knows where each key is),
  lists as :class:`YSeq` (a ``list`` that knows where each item is); every
  position is a 1-based ``(line, col)`` in the FILE;
- scalars resolved YAML 1.1 style (:func:`resolve_plain`) and converted by
  :func:`convert_scalar` to str, int, float, bool, None, date or datetime, with
  every casing of the YAML 1.1 booleans (``yes``/``no``/``on``/``off``/``y``/``n``)
  read as a boolean, so callers can reject ``owner: NO`` where text is expected;
- every refusal as a :class:`YamlProblem`.
"""

from __future__ import annotations

import datetime as dt

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

MAX_DEPTH = 50  # nesting deeper than this is refused

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


# --- scalars -------------------------------------------------------------------

_RESOLVER = Resolver()
TAG_CACHE: dict[str, str] = {}
TAG_CACHE_MAX = 50_000


def resolve_plain(value: str) -> str:
    """The tag of a plain (unquoted) scalar, YAML 1.1 style, with every casing of booleans."""
    tag = TAG_CACHE.get(value)
    if tag is None:
        if value.lower() in _BOOL_WORDS:
            tag = BOOL
        else:
            tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        if len(TAG_CACHE) >= TAG_CACHE_MAX:
            TAG_CACHE.clear()
        TAG_CACHE[value] = tag
    return tag


_CONSTRUCTOR = SafeConstructor()


def tag_name(tag: str) -> str:
    """``tag:yaml.org,2002:int`` -> ``!!int``; other tags as written."""
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def convert_scalar(tag: str, value: str, line: int, col: int):
    """The Python value of a scalar with ``tag``; ``line``/``col`` locate errors.

    Raises :class:`YamlProblem` for a value its explicit tag cannot read
    (``!!int twelve``) and for any tag that is not a standard scalar tag.
    """
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
            "yaml-syntax", f"YAML syntax: {value!r} cannot be read as {tag_name(tag)}", line, col
        ) from None
    raise refused_tag(tag, line, col)


def refused_tag(tag: str, line: int, col: int) -> YamlProblem:
    """The problem with a tag that is not a standard one (``!x``, ``!!python/...``)."""
    return YamlProblem("yaml-alias", f"custom tag {tag_name(tag)} is not accepted; write a plain value", line, col)
