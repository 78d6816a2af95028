"""Editing an objective file's front-matter while keeping every other byte.

The writing commands (``okrs checkin``, ``okrs carry-over``, ``okrs new``) change a
value, add a key or a list item, or remove one, and nothing else: comments, key
order, quoting, blank lines, the body, CRLF line endings and a leading BOM stay as
they were. There is no YAML writer here. :class:`Document` reads the file's
front-matter with PyYAML's parser events (the pure-Python parser, whose marks are
character offsets), keeps where each key, value and list item starts and ends, and
records edits as "replace these characters with this text". :meth:`Document.render`
applies them to the file's own text: offsets of the LF-normalized text (the one the
loader reads, see :mod:`.frontmatter`) are mapped back to the original, and every
line break an edit inserts is written as the file writes its line breaks there.

What is inserted follows the file: a new block list item is aligned with its
siblings and written in their style (``- {date: ..., value: ...}`` or a block
mapping), a new item of a flow list (``[a, b]``) goes inside its brackets, a new key
of a block mapping goes on its own line at the mapping's indentation. Scalars are
written by PyYAML's emitter (:func:`scalar_text`), so a note with quotes, colons,
line breaks or any language is quoted safely.

Only the loader says whether the result is a valid objective: the commands check
every change as ``okrs check`` would before they write it.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Sequence

import yaml

from .frontmatter import BOM, SourceError, split_front_matter

__all__ = [
    "Document", "EditError", "Node", "Raw", "block_mapping", "flow_mapping", "number_text", "parse_number", "scalar_text",
]


class EditError(Exception):
    """The file cannot be edited as asked (not UTF-8, no front-matter, YAML the
    editor does not handle); ``line``/``col`` locate it in the file (1-based)."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass(eq=False)
class Node:
    """A YAML node of the front-matter, with offsets into the document's
    LF-normalized text.

    ``kind`` is ``map``, ``seq`` or ``scalar``. ``start`` is where the node's text
    starts (a block sequence: its first ``-``; a block mapping: its first key);
    ``end`` is just after its last character (a block collection: the end of its
    last child; a block scalar: the end of its last line that is not blank, unless
    it keeps them with ``+``). ``close`` is the offset of a flow collection's
    closing bracket. A mapping has ``keys`` and ``values`` side by side; a sequence
    its items in ``values``.
    """

    kind: str
    start: int
    end: int = 0
    flow: bool = False
    close: int = -1
    value: str | None = None
    style: str | None = None
    keys: list["Node"] = field(default_factory=list)
    values: list["Node"] = field(default_factory=list)

    def index(self, key: str) -> int:
        """The position of ``key`` in this mapping, or -1."""
        for i, k in enumerate(self.keys):
            if k.value == key:
                return i
        return -1

    def get(self, key: str) -> "Node | None":
        """The value node of ``key`` in this mapping, or None."""
        i = self.index(key)
        return self.values[i] if i >= 0 else None

    def __contains__(self, key: str) -> bool:
        return self.index(key) >= 0


# --- scalars as YAML text -----------------------------------------------------------------


def scalar_text(value: object) -> str:
    """``value`` (text, number, bool, date or None) as YAML text that can stand
    anywhere: as a plain or block value and inside a flow collection. One line
    always: text with a line break is written double-quoted with escapes."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a number an OKR file can hold")
    dumped = yaml.safe_dump(
        {"v": value}, default_flow_style=True, sort_keys=False, width=float("inf"), allow_unicode=True
    )
    text = dumped.strip()
    assert text.startswith("{v: ") and text.endswith("}"), dumped
    text = text[4:-1]
    if any(c in text for c in "\n\x85\u2028\u2029"):  # YAML line breaks: written as escapes
        text = yaml.safe_dump(value, default_style='"', width=float("inf"), allow_unicode=True).strip()
        text = text.removesuffix("\n...").strip()
    return text


_INT_TEXT = re.compile(r"[-+]?[0-9]+")
_FLOAT_TEXT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def parse_number(text: str) -> int | float:
    """A number as a person types it: ``12``, ``-3``, ``12.5``, ``.5``, ``1e3``.
    ValueError for anything else (``abc``, ``nan``, ``inf``, ``1_000``)."""
    t = text.strip()
    if _INT_TEXT.fullmatch(t):
        return int(t)
    if not _FLOAT_TEXT.fullmatch(t):
        raise ValueError(f"{text!r} is not a number")
    number = float(t)
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is too large")
    if "." not in t and number.is_integer() and abs(number) < 2**53:
        return int(number)  # 1e3 is 1000
    return number


def number_text(text: str, number: int | float) -> str:
    """How to write ``number`` (read from ``text`` by :func:`parse_number`): as the
    person typed it when YAML reads that text as the same number (``12.50``, ``-3``),
    else as PyYAML writes it (``1e3`` becomes ``1000``, ``012`` becomes ``12``)."""
    t = text.strip()
    try:
        read = yaml.safe_load(f"v: {t}\n")["v"]
    except yaml.YAMLError:
        read = None
    if type(read) is type(number) and read == number:
        return t
    return scalar_text(number)


# --- reading the front-matter into nodes ----------------------------------------------------


def _parser(text: str):
    """The events of ``text`` (with character offsets in their marks): PyYAML's
    pure-Python parser's, else, when it refuses what the loader's libyaml parser
    reads (a tab after a value), libyaml's; both mark the same offsets."""
    from .yamlsafe import HAVE_LIBYAML, PurePythonParser, _Parser

    def events(parser):
        out = []
        while True:
            out.append(parser.get_event())
            if isinstance(out[-1], yaml.StreamEndEvent):
                return out

    try:
        found = events(PurePythonParser(text))
    except yaml.YAMLError:
        if not HAVE_LIBYAML:
            raise
        found = events(_Parser(text))
    return iter(found)


def _build(yaml_text: str, offset: int, full: str, first_line: int = 2) -> Node | None:
    """The node tree of ``yaml_text``, which starts at ``offset`` of ``full`` (on
    line ``first_line`` of the file)."""
    stack: list[Node] = []
    root: Node | None = None
    pending_key: list[bool] = []  # per open mapping: the next scalar/collection is a key
    try:
        events = _parser(yaml_text)
        while True:
            ev = next(events)
            if isinstance(ev, (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(ev, yaml.StreamEndEvent):
                break
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
                mark = ev.start_mark
                raise EditError("YAML anchors and aliases are not accepted", mark.line + first_line, mark.column + 1)
            start = offset + ev.start_mark.index
            end = offset + ev.end_mark.index
            if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node = stack.pop()
                if node.kind == "map":
                    pending_key.pop()
                if node.flow:
                    node.close, node.end = start, end
                else:
                    node.end = node.values[-1].end if node.values else start
                _attach(stack, pending_key, node)
                if not stack:
                    root = node
                continue
            if isinstance(ev, yaml.ScalarEvent):
                node = Node("scalar", start, end, value=ev.value, style=ev.style)
                if ev.style in ("|", ">"):
                    node.end = _block_scalar_end(full, start, end)
                if not stack:
                    root = node
                else:
                    _attach(stack, pending_key, node)
                continue
            kind = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
            node = Node(kind, start, start, flow=bool(ev.flow_style))
            if stack and stack[-1].kind == "map" and pending_key[-1]:
                raise EditError("a key must be plain text, not a list or mapping",
                                ev.start_mark.line + first_line, ev.start_mark.column + 1)
            stack.append(node)
            if kind == "map":
                pending_key.append(True)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + first_line, mark.column + 1) if mark is not None else (first_line, 1)
        raise EditError(f"YAML syntax: {exc.problem or exc}", *where) from None
    except yaml.YAMLError as exc:
        raise EditError(f"YAML syntax: {exc}", first_line) from None
    return root


def _attach(stack: list[Node], pending_key: list[bool], node: Node) -> None:
    if not stack:
        return
    parent = stack[-1]
    if parent.kind == "seq":
        parent.values.append(node)
    elif pending_key[-1]:
        parent.keys.append(node)
        pending_key[-1] = False
    else:
        parent.values.append(node)
        pending_key[-1] = True


def _block_scalar_end(text: str, start: int, end: int) -> int:
    """Where a block scalar (``|``, ``>``) really ends: PyYAML's mark includes the
    blank lines after it, which belong to the file, not to the value, unless its
    header keeps them (``|+``)."""
    header_end = text.find("\n", start)
    header = text[start: header_end if header_end >= 0 else end]
    if "+" in header.split("#", 1)[0]:
        return end
    while end > start and text[end - 1] == "\n":
        prev_start = text.rfind("\n", 0, end - 1) + 1
        if prev_start <= start or text[prev_start: end - 1].strip(" \t"):
            break
        end = prev_start
    return end


# --- the document -----------------------------------------------------------------------------


class Document:
    """An objective file (its bytes) with edits to its front-matter.

    Offsets are those of :attr:`text`, the file's text decoded, without BOM and
    with LF line endings. ``root`` is the front-matter's top mapping.
    """

    def __init__(self, data: bytes) -> None:
        self.bom = data.startswith(BOM)
        try:
            self.raw = (data[len(BOM):] if self.bom else data).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise EditError("the file is not UTF-8 text", line) from None
        raw = self.raw
        # The LF-normalized text, and where each CRLF pair's '\n' lies in it.
        self._crlf: list[int] = []
        if "\r" in raw:
            shift = 0
            for m in re.finditer(r"\r\n", raw):
                self._crlf.append(m.start() - shift)
                shift += 1
            self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        else:
            self.text = raw
        try:
            fm = split_front_matter(self.text)
        except SourceError as exc:
            raise EditError(exc.message, exc.line, exc.col) from None
        self.yaml_start = self.text.find("\n") + 1
        self.yaml_end = self.yaml_start + len(fm.yaml)
        root = _build(fm.yaml, self.yaml_start, self.text)
        if root is None or root.kind != "map":
            raise EditError("the front-matter is not a mapping of keys (objective:, owner:, ...)", 2)
        self.root = root
        self._edits: list[tuple[int, int, int, str]] = []

    # --- positions ---------------------------------------------------------------------

    def line_start(self, pos: int) -> int:
        """The offset of the first character of the line holding ``pos``."""
        return self.text.rfind("\n", 0, pos) + 1

    def col(self, pos: int) -> int:
        """The 0-based column of ``pos``."""
        return pos - self.line_start(pos)

    def line_no(self, pos: int) -> int:
        """The 1-based line number of ``pos`` in the file."""
        return self.text.count("\n", 0, pos) + 1

    def after_line(self, end: int) -> int:
        """The offset just after the line break of the line on which something
        ending at ``end`` ends (``end`` itself when it is at the start of a line)."""
        if end > 0 and self.text[end - 1] == "\n":
            return end
        i = self.text.find("\n", end)
        return len(self.text) if i < 0 else i + 1

    def alone_on_line(self, pos: int) -> bool:
        """True when only blanks stand before ``pos`` on its line."""
        return not self.text[self.line_start(pos): pos].strip(" \t")

    # --- edits -------------------------------------------------------------------------

    def replace(self, start: int, end: int, text: str) -> None:
        """Replace the characters ``start:end`` with ``text`` ('\\n' for line breaks)."""
        if not self.yaml_start <= start <= end <= self.yaml_end:
            raise EditError("an edit outside the front-matter", self.line_no(start))
        self._edits.append((start, end, len(self._edits), text))

    def insert(self, pos: int, text: str) -> None:
        """Insert ``text`` at ``pos``; several inserts at one place keep their order."""
        self.replace(pos, pos, text)

    def set_scalar(self, node: Node, text: str) -> None:
        """Write ``text`` (YAML text of a scalar or flow collection) in place of the
        value ``node``."""
        if node.kind != "scalar" and not node.flow:
            raise EditError("a block list or mapping cannot be replaced by a value", self.line_no(node.start))
        if node.start == node.end:  # an empty value (null)
            before = self.text[node.start - 1] if node.start > 0 else ""
            self.insert(node.start, (" " if before == ":" else "") + text)
        else:
            self.replace(node.start, node.end, text)

    def set_value(self, mapping: Node, key: str, text: str, *, after: Sequence[str] = ()) -> bool:
        """Set ``key`` of ``mapping`` to ``text``: its value replaced when the key is
        there, else a new entry after the first key of ``after`` that is there (else
        after the last entry). Returns True when the key was added."""
        value = mapping.get(key)
        if value is not None:
            self.set_scalar(value, text)
            return False
        anchor = next((k for k in after if k in mapping), None)
        self.add_entry(mapping, key, text, after=anchor)
        return True

    def add_entry(
        self,
        mapping: Node,
        key: str,
        text: str | None,
        *,
        after: str | None = None,
        first: bool = False,
        block: Sequence[str] = (),
        block_indent: int = 2,
    ) -> None:
        """Add ``key: text`` to ``mapping``: after the entry ``after`` (default: the
        last one), or before the first with ``first``. ``block`` lines (a block
        mapping only, ``text`` then None) are the value, written on the lines below,
        ``block_indent`` columns right of the key."""
        k = scalar_text(key) if _needs_quotes(key) else key
        if mapping.flow:
            if block:
                raise EditError("a block value cannot go into a flow mapping", self.line_no(mapping.start))
            entry = f"{k}: {text}"
            if not mapping.keys:
                self.insert(mapping.close, entry)
            elif first:
                self.insert(mapping.keys[0].start, entry + ", ")
            else:
                i = mapping.index(after) if after is not None else len(mapping.keys) - 1
                self.insert(mapping.values[i].end, ", " + entry)
            return
        indent = " " * self.col(mapping.keys[0].start)
        line = f"{k}:" + (f" {text}" if text is not None else "")
        lines = [line] + [" " * block_indent + b for b in block]
        if first:
            self.insert(mapping.keys[0].start, "\n".join(lines) + "\n" + indent)
            return
        i = mapping.index(after) if after is not None else len(mapping.keys) - 1
        pos = self.after_line(mapping.values[i].end)
        self.insert(pos, "".join(indent + ln + "\n" for ln in lines))

    def remove_entry(self, mapping: Node, key: str) -> bool:
        """Remove ``key`` and its value from ``mapping`` (with the line(s) they stand
        on, and a comment on the value's last line). False when there is no such key."""
        i = mapping.index(key)
        if i < 0:
            return False
        k, v = mapping.keys[i], mapping.values[i]
        n = len(mapping.keys)
        if mapping.flow:
            if i > 0:
                self.replace(mapping.values[i - 1].end, v.end, "")
            elif n > 1:
                self.replace(k.start, mapping.keys[1].start, "")
            else:
                self.replace(k.start, v.end, "")
            return True
        if self.alone_on_line(k.start):
            self.replace(self.line_start(k.start), self.after_line(v.end), "")
        elif i + 1 < n:  # the first key, after "- ": the next key moves up
            self.replace(k.start, mapping.keys[i + 1].start, "")
        else:
            raise EditError(f"cannot remove {key}:, the only key of its mapping", self.line_no(k.start))
        return True

    def append_item(self, seq: Node, flow_text: str, block_lines: Sequence[str] | None = None) -> None:
        """Append an item to ``seq``: ``flow_text`` (one line of YAML) inside a flow
        list's brackets; in a block list, a new ``-`` line aligned with the others,
        written as ``block_lines`` (a block mapping) when the last item is a block
        mapping and they are given."""
        if seq.flow:
            if not seq.values:
                self.insert(seq.close, flow_text)
                return
            last = seq.values[-1]
            if self.line_no(last.start) != self.line_no(seq.start):  # one item per line
                self.insert(last.end, ",\n" + " " * self.col(last.start) + flow_text)
            else:
                self.insert(last.end, ", " + flow_text)
            return
        dash = self.col(seq.start)
        last = seq.values[-1]
        prefix = self.text[self.line_start(last.start): last.start]
        content = self.col(last.start) if prefix.strip(" \t") == "-" else dash + 2
        gap = max(1, content - dash - 1)
        if last.kind == "map" and not last.flow and block_lines:
            lines = list(block_lines)
        else:
            lines = [flow_text]
        text = " " * dash + "-" + " " * gap + lines[0] + "\n"
        text += "".join(" " * (dash + 1 + gap) + ln + "\n" for ln in lines[1:])
        self.insert(self.after_line(last.end), text)

    def remove_item(self, seq: Node, i: int) -> None:
        """Remove item ``i`` of ``seq`` (a block item with its lines)."""
        item = seq.values[i]
        n = len(seq.values)
        if seq.flow:
            if i > 0:
                self.replace(seq.values[i - 1].end, item.end, "")
            elif n > 1:
                self.replace(item.start, seq.values[1].start, "")
            else:
                self.replace(item.start, item.end, "")
            return
        start = self.line_start(item.start)
        if self.text[start: item.start].strip(" \t-") or self.text[start: item.start].count("-") != 1:
            raise EditError("a list item that does not start its own line", self.line_no(item.start))
        self.replace(start, self.after_line(item.end), "")

    # --- the result --------------------------------------------------------------------

    def _raw_pos(self, pos: int) -> int:
        return pos + bisect.bisect_left(self._crlf, pos)

    def _newline_at(self, raw_pos: int) -> str:
        """The line break the file uses at ``raw_pos``: the one ending the line before
        when ``raw_pos`` starts a line, else the one ending its line, else the file's
        last one, else LF."""
        raw = self.raw
        if raw_pos > 0 and raw[raw_pos - 1] == "\n":
            return "\r\n" if raw_pos > 1 and raw[raw_pos - 2] == "\r" else "\n"
        if raw_pos > 0 and raw[raw_pos - 1] == "\r":
            return "\r"
        m = _BREAK.search(raw, raw_pos)
        if m is None:
            found = _BREAK.findall(raw)
            return found[-1] if found else "\n"
        return m.group()

    @property
    def changed(self) -> bool:
        """True when an edit was recorded."""
        return bool(self._edits)

    def render(self) -> bytes:
        """The file's bytes with the edits applied (the same bytes without edits)."""
        edits = sorted(self._edits)
        for a, b in zip(edits, edits[1:]):
            if b[0] < a[1]:
                raise EditError("two edits overlap", self.line_no(b[0]))
        out = self.raw
        for start, end, _, text in reversed(edits):
            rs, re_ = self._raw_pos(start), self._raw_pos(end)
            if "\n" in text:
                text = text.replace("\n", self._newline_at(rs))
            out = out[:rs] + text + out[re_:]
        data = out.encode("utf-8")
        return BOM + data if self.bom else data


_BREAK = re.compile(r"\r\n|\r|\n")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _needs_quotes(key: str) -> bool:
    return not _PLAIN_KEY.fullmatch(key)


def flow_mapping(items: Sequence[tuple[str, object]]) -> str:
    """``{date: 2026-11-20, value: 42}``: a one-line flow mapping of ``items``; a
    value that is a :class:`Raw` is written as it is."""
    return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in items) + "}"


def block_mapping(items: Sequence[tuple[str, object]]) -> list[str]:
    """The lines ``key: value`` of a block mapping of ``items`` (not indented)."""
    return [f"{k}: {_text(v)}" for k, v in items]


class Raw(str):
    """YAML text written as it is (a number as the person typed it)."""


def _text(value: object) -> str:
    return str(value) if isinstance(value, Raw) else scalar_text(value)
