"""A fast reader for ordinary front-matter YAML, exact or not at all.

Front-matter is almost always plain block YAML: ``key: value`` lines, ``- item``
lines and one-line flow lists and mappings of plain or simply quoted scalars
(``tags: [a, b]``, ``- {date: 2026-10-15, value: 620}``). For that subset this
line-by-line reader is several times faster than building PyYAML nodes.

:func:`load_fast` gives exactly what the strict parser
(:func:`mkdocs_okrs.core.yamlsafe.load_strict`) gives for the same text,
positions and raw texts included (the tests compare both on random documents),
and raises :class:`Unsupported` for anything outside the subset, including
every error: the strict parser then reads the text and reports the problem.
"""

from __future__ import annotations

import re
import sys

from .yamlvalues import MAX_DEPTH, YMap, YSeq, convert_scalar, resolve_plain


class Unsupported(Exception):
    """The text is outside the fast reader's subset; use the strict parser."""


_BAIL = Unsupported()

# Characters the fast path accepts anywhere: printable, no tab, no YAML 1.1 line
# breaks (NEL, LS, PS) and no BOM.
_FAST_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _fast_safe(text: str) -> bool:
    """True when every character of ``text`` is one the fast reader accepts."""
    if text.isascii():  # the usual case, checked by C loops ~3x faster than the pattern
        return text.replace("\n", "").isprintable()  # ASCII printable: exactly \x20-\x7e
    return _FAST_UNSAFE.search(text) is None


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


# Keys and short plain texts (kinds, owners, periods, units) are interned: the same few
# words come back in every file, and the records keep them (10,000 objectives held some
# 420,000 copies of a few dozen keys, 27 MB, in every process that loaded or got them;
# core.parallel interns them again after the hand-over, which does not keep them).
SHORT_TEXT = 24
_intern = sys.intern

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
        value = convert_scalar(resolve_plain(text), text, line, col)
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
    # Only spaces count as white space in YAML: "\xa0" after the collection is an error.
    if rest and not (rest.strip(" ") == "" or rest[0] == " " and rest.lstrip(" ").startswith("#")):
        return None  # let the exact path decide
    offset = col + 1  # column of inner[0]
    if close_char == "]":
        out = YSeq((line, col))
        if not inner.strip(" "):
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
    if not inner.strip(" "):
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
    """A one-line flow list or mapping starting at ``col`` (1-based) of ``line``."""
    value = _fast_flow_simple(val, line, col)
    return value if value is not None else _fast_flow_quoted(val, line, col)


def _fast_flow_quoted(val: str, line: int, col: int):
    """:func:`_fast_flow` for items that may be quoted; anything nested or unusual bails."""
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


# One line of block YAML, split by the regular expression engine (one call per file):
# indentation, "- " (or a lone "-"), a "key:" with the spaces after it, and the rest.
# (Possessive quantifiers: nothing here needs backtracking, and they make it faster.)
_LINE = re.compile(r"^( *+)(-(?: ++|$))?(?:([A-Za-z_][A-Za-z0-9_-]*+)(:(?: ++|$)))?(.*)", re.M)


def load_fast(text: str, first_line: int) -> YMap:
    """The mapping in ``text`` (its first line is line ``first_line`` of the file).

    Raises :class:`Unsupported` when the text is not a mapping in the subset this
    reader handles (see the module docstring).
    """
    if not _fast_safe(text):
        raise _BAIL
    # Locals: this loop runs once per line of every file.
    ymap, yseq, bail = YMap, YSeq, _BAIL
    start_special, plain_special = _VALUE_START_SPECIAL, _PLAIN_SPECIAL_OK
    value_cache = _VALUE_CACHE
    miss = _MISS
    intern, short = _intern, SHORT_TEXT
    stack: list = []  # open block collections: (indent, container); the last is (cur_ind, cur)
    cur_ind = -1
    cur = None
    pending = None  # (mapping, key, indent) of a "key:" whose value may be a nested block
    line = first_line - 1
    for indent, dash, key, colon, val in _LINE.findall(text):
        line += 1
        n = len(indent)
        if dash:
            kcol = n + len(dash) + 1  # where the item's content starts
            if not key and (not val or val[0] == "#"):
                raise bail  # "-" alone: rare, left to the full parser
        elif key:
            kcol = n + 1
        elif not val or val[0] == "#":
            continue  # blank or comment line
        else:
            raise bail  # neither "key:" nor "- ": a continued scalar, a flow key, ...

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
            if dash:
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
            if not key:
                if val[0] == "{" or val[0] == "[":  # "- {date: ..., value: ...}": check-ins
                    value = _fast_flow(val, line, kcol)
                else:
                    value, rawv = _fast_value(val, line, kcol)
                    if value is _PENDING:
                        raise bail
                    if rawv is not None:
                        cur.raw[len(cur)] = rawv
                cur.item_pos.append((line, kcol))
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
        elif cur.__class__ is not ymap:
            raise bail
        key_pos = cur.key_pos
        if key in key_pos:
            raise bail
        key = intern(key)
        key_pos[key] = (line, kcol)
        if not val:
            cur[key] = None
            pending = (cur, key, n)
            continue
        c0 = val[0]
        if c0 not in start_special or c0 in plain_special:
            # plain: the common case, inlined
            cut = val.find(" #")
            if cut >= 0:
                val = val[:cut]
            if val[-1] == " ":
                val = val.rstrip(" ")
            if ": " in val or val[-1] == ":":
                raise bail
            if c0 not in plain_special:
                cur[key] = intern(val) if len(val) <= short else val
                continue
            # a number, date, boolean or null: resolved
            value = value_cache.get(val, miss)
            if value is miss:
                value = _fast_plain(val, line, kcol + len(key) + len(colon))
            cur[key] = value
            if value.__class__ is not str:
                cur.raw[key] = val
            continue
        value, rawv = _fast_value(val, line, kcol + len(key) + len(colon))
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
