"""Reading OKRs as people write them -- notes (plain text, Markdown) or a spreadsheet (CSV) --
into objective drafts, with every line it could not read reported. Pure functions, no I/O:
``okrs import`` (:mod:`mkdocs_okrs.commands.import_okrs`) reads the file, decides where
the drafts go and writes them.

- :func:`decode` turns the bytes into text: UTF-8 (BOM or not), UTF-16 with a BOM,
  else Windows-1252 (reported); then :func:`repair_mojibake` mends UTF-8 that was
  read as Windows-1252 on the way (``â€™`` -> ``’``, ``Ã©`` -> ``é``).
- :func:`parse_text` reads ``Objective:`` / ``Key Result:`` notes,
  :func:`parse_csv` a table with one row per key result.
- :func:`read_measure` reads a key result line: ``Increase X from 20 to 26``,
  ``Reduce p95 from 800ms to 200ms``, ``Reach 90% Z (now 80%)``.
- :func:`find_period` finds a period named in text (``by the end of Q2 2021``).
- :func:`slugify`, :func:`resolve_owner` and :func:`render_objective` make the file.

What is read, and how every ambiguity is decided, is documented for users in
docs/cli.md ("okrs import").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Mapping

from .diagnostics import Diagnostic, Severity

Number = int | float


# ------------------------------------------------------------------------------ drafts


@dataclass
class KrDraft:
    """A key result as read. ``kind``: metric (start and target), milestone (done),
    target (a target but no start: written without a measure, the target kept in a
    comment) or none (no measure)."""

    title: str
    line: int
    col: int = 1
    kind: str = "none"
    id: str | None = None
    start: Number | None = None
    target: Number | None = None
    unit: str | None = None
    current: Number | None = None
    weight: Number | None = None
    done: bool | None = None


@dataclass
class ObjectiveDraft:
    """An objective as read. ``owner``/``period`` are what its own lines say,
    ``doc_owner``/``doc_period`` what the document said where it began (a heading,
    an ``Owner:`` line, the front-matter), ``kr_period`` a period its key results name.
    ``source_id`` is the CSV ``id`` column (another file's id: parents naming it are
    pointed at the new file)."""

    statement: str
    line: int
    col: int = 1
    owner: str | None = None
    owner_line: int | None = None
    period: str | None = None
    doc_owner: str | None = None
    doc_owner_line: int | None = None
    doc_period: str | None = None
    kr_period: str | None = None
    commitment: str | None = None
    parent: str | None = None
    tags: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    source_id: str | None = None
    key_results: list[KrDraft] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    def owner_text(self) -> tuple[str | None, int | None]:
        """The owner the text gives (its own, else the document's) and its line."""
        if self.owner:
            return self.owner, self.owner_line or self.line
        return self.doc_owner, self.doc_owner_line

    def period_text(self) -> str | None:
        """The period the text gives: its own, else the document's, else one its key results name."""
        return self.period or self.doc_period or self.kr_period


@dataclass
class ImportResult:
    objectives: list[ObjectiveDraft]
    diagnostics: list[Diagnostic]


class _Report:
    """Diagnostics about one input file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []

    def warn(self, line: int, col: int, rule: str, message: str) -> None:
        self.diags.append(Diagnostic(self.path, line, col, Severity.WARNING, message, rule))

    def error(self, line: int, col: int, rule: str, message: str) -> None:
        self.diags.append(Diagnostic(self.path, line, col, Severity.ERROR, message, rule))


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """``data`` as text, mis-decoded UTF-8 repaired; what was done is reported.

    UTF-8 (a BOM is dropped) is read as it is; UTF-16 needs its BOM (Excel's
    "Unicode text"); anything else that is not UTF-8 is read as Windows-1252 (what
    Excel and Notepad write on Windows) with a warning."""
    rep = _Report(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            rep.error(1, 1, "import-encoding", f"starts like UTF-16 but is not: {exc.reason}")
            return "", rep.diags
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            text = data.decode("latin-1").translate(_LATIN1_TO_CP1252)
            rep.warn(line, col, "import-encoding",
                     "the file is not UTF-8; it was read as Windows-1252 (save it as UTF-8 to be sure)")
    text = text.lstrip("\ufeff")
    text, fixed = repair_mojibake(text)
    if fixed:
        line, sample, mended, n = fixed
        rep.warn(line, 1, "import-mojibake",
                 f"mis-decoded UTF-8 repaired ({sample!r} read as {mended!r}"
                 + (f", and {n - 1} more" if n > 1 else "") + ")")
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        n = len(_CONTROL.findall(text))
        rep.warn(line, col, "import-control",
                 f"{n} control character{'s' if n != 1 else ''} (first U+{ord(bad.group()):04X}) removed: "
                 "an OKR file cannot hold them")
        text = clean_text(text)
    return text, rep.diags


# Control characters an OKR file may not hold (tab, LF and CR aside), and the
# characters YAML reads as line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters an OKR file cannot hold: control characters are
    dropped, line and paragraph separators (and form feeds) become spaces."""
    return _CONTROL.sub(lambda m: " " if m.group() in "\x0b\x0c\x85\u2028\u2029" else "", text)


# Windows-1252 (and Latin-1 for its five holes) as bytes: the character a byte became.
_CP1252: dict[str, int] = {}
for _b in range(0x80, 0x100):
    try:
        _CP1252[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        pass
for _b in range(0x80, 0xA0):
    _CP1252.setdefault(chr(_b), _b)
_LATIN1_TO_CP1252 = {b: c for c, b in _CP1252.items() if b < 0xA0 and ord(c) != b}
_MOJI_RUN = re.compile("[" + "".join(re.escape(c) for c in sorted(_CP1252)) + "]{2,}")
# The right double quote is E2 80 9D; 0x9D has no Windows-1252 character, so copying
# often drops it and leaves "â€" alone.
_LONE_RDQUO = re.compile("\u00e2\u20ac(?![" + "".join(re.escape(c) for c in sorted(_CP1252)) + "])")


def repair_mojibake(text: str) -> tuple[str, tuple[int, str, str, int] | None]:
    """``text`` with UTF-8 that was read as Windows-1252 or Latin-1 read again as UTF-8.

    Only runs of two or more such characters whose bytes are valid UTF-8 are changed
    (``â€™`` -> ``’``, ``Ã©`` -> ``é``), so text in any language that was decoded
    right stays as it is. Returns the text and (line, first sample, its repair,
    number of repairs), or None when nothing was repaired."""
    first: list = []
    n = 0

    def fix(m: re.Match) -> str:
        nonlocal n
        run = m.group()
        raw = bytes(_CP1252[c] for c in run)
        try:
            good = raw.decode("utf-8")
        except UnicodeDecodeError:
            # A run may hold a repairable part next to a real accented letter: mend
            # each valid UTF-8 sequence on its own.
            good = _mend_partly(raw, run)
            if good == run:
                return run
        n += 1
        if not first:
            first.extend((m.string.count("\n", 0, m.start()) + 1, run, good))
        return good

    out = text
    for _ in range(3):  # text mis-decoded twice is repaired twice
        again = _MOJI_RUN.sub(fix, out)
        if again == out:
            break
        out = again
    if "\u00e2\u20ac" in out:
        def quote(m: re.Match) -> str:
            nonlocal n
            n += 1
            if not first:
                first.extend((out.count("\n", 0, m.start()) + 1, m.group(), "\u201d"))
            return "\u201d"

        out = _LONE_RDQUO.sub(quote, out)
    if not n:
        return text, None
    line, run, good = first
    return out, (line, run, good, n)


def _mend_partly(raw: bytes, run: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        b = raw[i]
        size = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if size and i + size <= len(raw):
            try:
                out.append(raw[i:i + size].decode("utf-8"))
                i += size
                continue
            except UnicodeDecodeError:
                pass
        out.append(run[i])
        i += 1
    return "".join(out)


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them: LF, CRLF or CR."""
    return re.split(r"\r\n|\r|\n", text)


# ----------------------------------------------------------------------------- periods

_Y4 = r"(?:19|20|21)\d\d"
_PERIOD_PATTERNS: list[tuple[re.Pattern, str]] = [
    # Q2 2021, Q2/2021, Q2-2021, Q2 '21, Q2 FY22, Q2 FY2022
    (re.compile(rf"(?i)\bQ([1-4])\s*(?:[/\-]\s*|\s)?\s*(?:({_Y4})|(?:['’]|FY\s?)(\d\d))(?![\w])"), "Q"),
    # 2021-Q2, 2021 Q2, 2021Q2, 2021/Q2
    (re.compile(rf"(?i)(?<![\w-])({_Y4})\s*[-/ ]?\s*Q([1-4])\b"), "YQ"),
    # FY22 Q2, FY2022-Q2
    (re.compile(r"(?i)\bFY\s?(\d\d|\d{4})\s*[-/ ]?\s*Q([1-4])\b"), "FYQ"),
    # H1 2022, H2/2022, H1 '22, H1 FY22
    (re.compile(rf"(?i)\bH([12])\s*(?:[/\-]\s*|\s)?\s*(?:({_Y4})|(?:['’]|FY\s?)(\d\d))(?![\w])"), "H"),
    # 2022-H1, 2022 H1
    (re.compile(rf"(?i)(?<![\w-])({_Y4})\s*[-/ ]?\s*H([12])\b"), "YH"),
    # 1H22, 2H 2022
    (re.compile(rf"(?i)\b([12])H\s?(?:({_Y4})|(\d\d))\b"), "NH"),
    # FY2022, FY22
    (re.compile(r"(?i)\bFY\s?(\d{4}|\d\d)\b"), "FY"),
]
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTH_RE = re.compile(r"(?i)^(" + "|".join(m for m in _MONTHS) + r"|" + "|".join(m[:3] for m in _MONTHS)
                       + rf")\.?\s+({_Y4})$")
# What leads into a period named in a sentence: "by the end of", "in", "for", "(".
_LEAD_IN = re.compile(
    r"(?i)(?:^|\s*[(\[,;:\u2013\u2014-]\s*|\s+)(?:(?:by|before|until|till|through|thru|in|for|during|within|at|"
    r"over|throughout)\s+(?:the\s+)?(?:(?:end|close|start|beginning)\s+of\s+(?:the\s+)?)?)?$")


def _year(four: str | None, two: str | None) -> int:
    return int(four) if four else 2000 + int(two or 0)


def find_period(text: str) -> tuple[str, int, int] | None:
    """The first period named in ``text`` as a period id (``Q2 2021`` -> ``2021-Q2``),
    with the span of the words that name it, lead-in included (``by the end of Q2
    2021``), or None. Years alone (``2021``), months and words like "this quarter" are
    not taken from running text; see :func:`parse_period_text` for a ``Period:`` line."""
    best: tuple[int, int, str] | None = None
    for rx, kind in _PERIOD_PATTERNS:
        m = rx.search(text)
        if m is None or (best is not None and m.start() >= best[0]):
            continue
        g = m.groups()
        if kind == "Q":
            pid = f"{_year(g[1], g[2])}-Q{g[0]}"
        elif kind == "YQ":
            pid = f"{g[0]}-Q{g[1]}"
        elif kind == "FYQ":
            pid = f"{_year(g[0] if len(g[0]) == 4 else None, g[0] if len(g[0]) == 2 else None)}-Q{g[1]}"
        elif kind == "H":
            pid = f"{_year(g[1], g[2])}-H{g[0]}"
        elif kind == "YH":
            pid = f"{g[0]}-H{g[1]}"
        elif kind == "NH":
            pid = f"{_year(g[1], g[2])}-H{g[0]}"
        else:
            pid = str(_year(g[0] if len(g[0]) == 4 else None, g[0] if len(g[0]) == 2 else None))
        best = (m.start(), m.end(), pid)
    if best is None:
        return None
    start, end, pid = best
    lead = _LEAD_IN.search(text, 0, start) if start else None
    if lead is not None and lead.end() == start:
        start = lead.start()
    opened = "(" in text[start:best[0]] or "[" in text[start:best[0]]
    if opened:
        close = re.match(r"\s*[)\]]", text[end:])
        if close:
            end += close.end()
    return pid, start, end


def parse_period_text(value: str) -> str | None:
    """The period id a ``Period:`` line (or front-matter value) names: any form
    :func:`find_period` reads, a period id in any case (``2021-q2``), a year
    (``2021``), a month (``2021-06``, ``June 2021``); None when none."""
    text = " ".join(value.split()).strip(" .")
    if re.fullmatch(rf"{_Y4}(?:-(?:[HhQq][1-4]|0[1-9]|1[0-2]))?", text):
        pid = text.upper()
        if re.fullmatch(r"\d{4}-H[3-4]", pid):
            return None
        return pid
    m = _MONTH_RE.match(text)
    if m:
        word = m.group(1).lower()
        month = _MONTHS.get(word) or next(i for w, i in _MONTHS.items() if w.startswith(word))
        return f"{m.group(2)}-{month:02d}"
    found = find_period(text)
    return found[0] if found else None


def strip_span(text: str, start: int, end: int) -> str:
    """``text`` without ``[start:end]``, its spaces and dangling punctuation tidied."""
    out = (text[:start].rstrip() + " " + text[end:].lstrip()).strip()
    out = re.sub(r"\(\s*\)|\[\s*\]", "", out)
    out = re.sub(r"\s+([,.;:!?])", r"\1", out)
    out = " ".join(out.split())
    return out.strip(" ,;:\u2013\u2014-")


# ---------------------------------------------------------------------------- measures

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_QTY = re.compile(
    r"(?<![\w.,])(?P<sign>[-+\u2212](?=[$€£¥]?\s?\d))?(?P<cur>[$€£¥])?\s?(?P<num>" + _NUM + r")"
    r"(?P<mult>(?:k|K|M|m|mn|bn|B)(?![A-Za-z0-9]))?"
    r"(?P<unit>\s?(?:%|‰|[$€£¥])|\s?(?:ms|secs?|mins?|hrs?|pp|pts?)(?![A-Za-z])|(?:s|h|d|x)(?![A-Za-z]))?"
)
_MULT = {"k": 1000, "K": 1000, "M": 10**6, "m": 10**6, "mn": 10**6, "bn": 10**9, "B": 10**9}
_UNIT_NAMES = {"sec": "s", "secs": "s", "mins": "min", "hr": "h", "hrs": "h", "pt": "pts"}
_STOP = frozenset("""by in until till before after within for at on from to and or while with without through
    during so across than vs versus the a an of when since""".split())
_INCREASE = re.compile(r"(?i)^\W*(increase|grow|raise|boost|lift|double|expand)\b")
_DECREASE = re.compile(r"(?i)^\W*(reduce|cut|decrease|lower|drop|shrink|halve|bring down|minimi[sz]e)\b")
_QTY_TEXT = r"[-+\u2212$€£¥]?\s?\d[^()\[\]]*?"
_NOW = re.compile(
    r"(?i)\s*[(\[]\s*(?:(?:now|currently|current|today|baseline|base|was|from|start(?:ing)?(?:\s+at)?)"
    r"\s*[:=]?\s*(?P<a>QTY)|(?P<b>QTY)\s+(?:now|today|currently|at\s+start))\s*[)\]]"
    r"|\s*[,;\u2013\u2014]\s*(?:now|currently|today)\s*[:=]?\s*(?P<c>QTY)\s*$".replace("QTY", _QTY_TEXT))
_ARROW = re.compile(r"\s*(?:->|→|⇒|=>|-->|\u2013>|\u2014>)\s*")


@dataclass
class Quantity:
    value: Number
    unit: str | None
    start: int
    end: int


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _as_number(d: Decimal) -> Number:
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def quantity_at(text: str, pos: int = 0, *, search: bool = False) -> Quantity | None:
    """The quantity (``$40k``, ``800ms``, ``1,200``, ``-3.5%``) at ``pos`` (or the
    first after it with ``search``): its value and unit. ``k``/``M``/``bn`` multiply
    (``$40k`` is 40000 with unit ``$``); a lone lowercase ``m`` multiplies only after
    a currency (``$1.5m``), else it is the unit ``m``."""
    m = _QTY.search(text, pos) if search else _QTY.match(text, pos)
    if m is None:
        return None
    value = _number(m.group("num"))
    mult = (m.group("mult") or "").strip()
    unit = (m.group("unit") or "").strip() or None
    cur = m.group("cur")
    end = m.end()
    if mult == "m" and not cur:
        if unit is None:
            unit = "m"
        else:  # "5m%": not a quantity we understand
            return None
        mult = ""
    if mult:
        value *= _MULT[mult]
    if m.group("sign") in ("-", "\u2212"):
        value = -value
    if cur:
        if unit is not None and unit != cur:
            return None
        unit = cur
    if unit is not None:
        unit = _UNIT_NAMES.get(unit.lower(), unit)
    return Quantity(_as_number(value), unit, m.start(), end)


def _tail_unit(text: str, pos: int) -> tuple[str | None, int]:
    """The word(s) right after a target that name its unit (``2,000 customers``,
    ``10 deploys per week``, ``500 per month``, ``20 tickets/day``): (unit, end), or
    (None, pos) when the words go on (then they are the rest of a sentence)."""
    tokens: list[tuple[str, int]] = []  # ("word" or "/word", end offset in text)
    at = pos
    for m in re.finditer(r"\s*/\s*([^\W\d_][\w'’-]*)|\s+([^\W\d_][\w'’-]*)", text[pos:]):
        if pos + m.start() != at:
            break
        tokens.append(("/" + m.group(1) if m.group(1) else m.group(2), pos + m.end()))
        at = pos + m.end()
    words: list[str] = []
    end = pos
    i = 0
    while i < len(tokens):
        tok = tokens[i][0]
        low = tok.lower()
        if tok.startswith("/"):  # "tickets/day", "/day"
            if words:
                words[-1] += tok
            else:
                words.append(tok)
            end = tokens[i][1]
            i += 1
            break
        if low == "per" and i + 1 < len(tokens) and not tokens[i + 1][0].startswith("/") \
                and tokens[i + 1][0].lower() not in _STOP:
            words += [tok, tokens[i + 1][0]]
            end = tokens[i + 1][1]
            i += 2
            break
        if low in _STOP or low == "per" or len(words) >= 2:
            break
        words.append(tok)
        end = tokens[i][1]
        i += 1
    if not words:
        return None, pos
    # The unit must end the phrase: the end of the line, punctuation or a stop word.
    if i < len(tokens) and (tokens[i][0].startswith("/") or tokens[i][0].lower() not in _STOP):
        return None, pos
    return " ".join(words), end


@dataclass
class Measure:
    """What a key result line says: ``kind`` metric, target, milestone or none; the
    title to write; and, when it could not be read in full, why (a warning)."""

    kind: str
    title: str
    start: Number | None = None
    target: Number | None = None
    unit: str | None = None
    current: Number | None = None
    done: bool | None = None
    period: str | None = None
    problem: tuple[str, str] | None = None  # (rule, message)


def _hint(text: str) -> tuple[str, Quantity | None]:
    """``text`` without a "(now 80%)" note, and the quantity the note gives (None
    when there is no such note, or its value is not a number: then it stays)."""
    m = _NOW.search(text)
    if m is None:
        return text, None
    raw = (m.group("a") or m.group("b") or m.group("c")).strip()
    q = quantity_at(raw)
    if q is None or q.end != len(raw):
        return text, None
    return strip_span(text, m.start(), m.end()), q


def _shown(value: Number, unit: str | None) -> str:
    if unit is None:
        return str(value)
    if unit in "$€£¥":
        return f"{unit}{value}"
    return f"{value}{unit}" if unit in ("%", "‰") else f"{value} {unit}"


def _same_unit(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def read_measure(text: str) -> Measure:
    """Read a key result as people write it.

    - ``VERB X from A to B`` or ``X: A → B``: a metric, start A, target B; the unit is
      the one written with either number (``%``, ``ms``, ``$``...) or the word(s)
      after B (``to 2,000 customers``). The title is the line without ``from A to B``.
    - one quantity (``Reach 90% Z``, ``Hit 95% on-time delivery``): a target without
      a start; with ``(now 80%)``/``(baseline 80%)``/``(currently 80%)`` the start.
      A "(now N)" note on a from/to line is ``current``.
    - ``[x]`` / ``[ ]`` (a task list) without numbers: a milestone, done or not.
    - anything else: no measure, reported.
    """
    text = " ".join(text.split())
    done: bool | None = None
    box = re.match(r"^\[([ xX✓✔])\]\s*", text)
    if box:
        done = box.group(1) != " "
        text = text[box.end():]
    period = None
    found = find_period(text)
    if found:
        period = found[0]
        text = strip_span(text, found[1], found[2])
    text, hint = _hint(text)

    # from A to B
    pair = None
    for m in re.finditer(r"(?i)\bfrom\s+", text):
        a = quantity_at(text, m.end())
        if a is None:
            continue
        pos = a.end
        word = re.match(r"\s+([^\W\d_][\w'’-]*)(?=\s+to\b)", text[pos:])
        a_word = None
        if word and word.group(1).lower() not in _STOP:
            a_word = word.group(1)
            pos += word.end()
        to = re.match(r"(?i)\s+to\s+|\s*(?:->|→|⇒|=>)\s*", text[pos:])
        if not to:
            continue
        b = quantity_at(text, pos + to.end())
        if b is None:
            continue
        pair = (m.start(), a, b, a_word)
        break
    if pair is None:
        for m in _QTY.finditer(text):
            a = quantity_at(text, m.start())
            if a is None:
                continue
            arrow = _ARROW.match(text, a.end)
            if arrow:
                b = quantity_at(text, arrow.end())
                if b is not None:
                    pair = (a.start, a, b, None)
                    break
    if pair is not None:
        begin, a, b, a_word = pair
        end = b.end
        unit = a.unit or b.unit
        if not _same_unit(a.unit, b.unit):
            return Measure("none", text, period=period, problem=(
                "import-kr-no-measure",
                f"the start and the target have different units ({a.unit!r}, {b.unit!r}); "
                "written without a measure"))
        if unit is None:
            unit, end = _tail_unit(text, b.end)
            if a_word and unit and a_word.casefold().rstrip("s") != unit.casefold().rstrip("s"):
                return Measure("none", text, period=period, problem=(
                    "import-kr-no-measure",
                    f"the start and the target have different units ({a_word!r}, {unit!r}); "
                    "written without a measure"))
            if a_word:  # "from 3 days to 1 day": the start's word
                unit = a_word
        title = strip_span(text, begin, end) or text
        if a.value == b.value:
            return Measure("none", text, period=period, problem=(
                "import-kr-no-measure", f"the start and the target are the same ({a.value}); written without a measure"))
        problem = None
        if _INCREASE.match(title) and b.value < a.value:
            problem = ("import-direction", f"says {_INCREASE.match(title).group(1)!r} but the target ({b.value}) is "
                       f"below the start ({a.value}); written as given")
        elif _DECREASE.match(title) and b.value > a.value:
            problem = ("import-direction", f"says {_DECREASE.match(title).group(1)!r} but the target ({b.value}) is "
                       f"above the start ({a.value}); written as given")
        current = None
        if hint is not None:
            if not _same_unit(hint.unit, unit):
                problem = ("import-value",
                           f"the current value's unit {hint.unit!r} is not the target's {unit!r}; it is left out")
            else:
                current = hint.value
        return Measure("metric", title, a.value, b.value, unit, current, period=period, problem=problem)

    relative = re.search(r"(?i)\bby\s+(?=[$€£¥]?\d)", text)
    if relative:
        q = quantity_at(text, relative.end())
        shown = text[relative.start():q.end] if q else "by ..."
        return Measure("none", text, period=period, problem=(
            "import-kr-no-measure",
            f"a change {shown!r} needs the value it starts from; write 'from A to B' "
            "(written without a measure)"))

    found_q = []
    pos = 0
    while True:
        q = quantity_at(text, pos, search=True)
        if q is None:
            break
        found_q.append(q)
        pos = q.end
    if len(found_q) == 1:
        q = found_q[0]
        unit = q.unit
        if unit is None:
            unit, _ = _tail_unit(text, q.end)
        if hint is not None:
            if not _same_unit(hint.unit, unit):
                return Measure("target", text, target=q.value, unit=unit, period=period, problem=(
                    "import-kr-no-start",
                    f"the start's unit {hint.unit!r} is not the target's {unit!r}; "
                    "written without a measure, the target kept in a comment"))
            if hint.value == q.value:
                return Measure("none", text, period=period, problem=(
                    "import-kr-no-measure", f"the start and the target are the same ({q.value}); "
                    "written without a measure"))
            return Measure("metric", text, hint.value, q.value, unit, period=period)
        return Measure("target", text, target=q.value, unit=unit, period=period, problem=(
            "import-kr-no-start",
            f"a target ({_shown(q.value, unit)}) but no start; written without a measure, "
            "the target kept in a comment: add the start, or write the line as "
            "'... from START to TARGET' or '... (now START)'"))
    if len(found_q) > 1:
        return Measure("none", text, period=period, problem=(
            "import-kr-no-measure",
            "could not tell the start from the target; write 'from START to TARGET' (written without a measure)"))
    if done is not None:
        return Measure("milestone", text, done=done, period=period)
    if re.search(r"(?i)\((?:done|completed?)\)\s*$|[✅✔]\s*$", text):
        title = re.sub(r"(?i)\s*(?:\((?:done|completed?)\)|[✅✔])\s*$", "", text)
        return Measure("milestone", title, done=True, period=period)
    return Measure("none", text, period=period, problem=(
        "import-kr-no-measure", "no start and target; written as a key result without a measure"))


# ------------------------------------------------------------------------------- text

_BULLETS = "-*+•●○◦▪▫■□►▸‣⁃–—·➢➤✓✔"
_MARKER = re.compile(
    r"^(?:(?P<bullet>[" + re.escape(_BULLETS) + r"])|(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:[.)]|(?<=\d\.\d)|(?<=\d\.\d\d)"
    r"|(?<=\d\.\d\d\d))|\((?P<pnum>\d{1,3})\)|(?P<letter>[a-zA-Z])[.)])\s+")
_KEYWORD = re.compile(
    r"(?i)^(?P<kw>objectives?|obj|key[\s-]*results?|krs?|o)(?![a-z])[ \t]*(?:[#-][ \t]*)?"
    r"(?P<num>\d{1,3}(?:\.\d{1,3})*)?[ \t]*(?P<sep>[:.)\]\u2013\u2014-]|$)?[ \t]*(?P<rest>.*)$")
_SETTING = re.compile(
    r"(?i)^(?P<key>owners?|owned by|team|department|dept|squad|period|quarter|time\s?frame|cycle|"
    r"horizon|commitment|type|tags?|contributors?)\s*(?:[:\u2013\u2014]|\s-)\s*(?P<value>\S.*)$")
_OWNER_KEYS = {"owner", "owners", "owned by", "team", "department", "dept", "squad"}
_PERIOD_KEYS = {"period", "quarter", "timeframe", "time frame", "cycle", "horizon"}
_COMMITMENTS = {"committed": "committed", "commit": "committed", "aspirational": "aspirational",
                "stretch": "aspirational", "moonshot": "aspirational", "roofshot": "aspirational",
                "roof-shot": "aspirational"}
_COMMIT_MARK = re.compile(r"(?i)\s*[(\[](committed|aspirational|stretch|moonshot)[)\]]\s*")
_SPACES = re.compile("[\u00a0\u2007\u202f\u2000-\u200a\u3000\t]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_RULE_LINE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")


@dataclass
class _Line:
    no: int
    raw: str
    indent: int
    col: int
    heading: bool
    marker: str | None  # bullet, number or None
    numbers: tuple[int, ...]
    text: str  # content without heading marks, list marker and bold marks


def _clean(raw: str) -> _Line | None:
    line = _INVISIBLE.sub("", _SPACES.sub(" ", raw)).rstrip()
    stripped = line.lstrip()
    if not stripped:
        return None
    indent = len(line) - len(stripped)
    col = indent + 1
    heading = False
    m = re.match(r"^(#{1,6})\s+", stripped)
    if m:
        heading = True
        stripped = stripped[m.end():].rstrip("# ").strip()
    while stripped.startswith(">"):
        stripped = stripped[1:].lstrip()
    stripped = re.sub(r"\*\*|__", "", stripped).strip()
    marker = None
    numbers: tuple[int, ...] = ()
    mm = _MARKER.match(stripped + " ")
    if mm and stripped[mm.end() - 1:].strip():
        if mm.group("bullet"):
            marker = "bullet"
        elif mm.group("letter"):
            marker = "bullet"
        else:
            marker = "number"
            numbers = tuple(int(x) for x in (mm.group("num") or mm.group("pnum")).split("."))
        stripped = stripped[mm.end():].strip()
    if heading and not stripped:
        return None
    return _Line(0, raw, indent, col, heading, marker, numbers, stripped)


def _split_tags(value: str) -> list[str]:
    return [t.strip().lstrip("#") for t in re.split(r"[,;]", value) if t.strip().lstrip("#")]


def _front_matter(lines: list[str], rep: _Report) -> tuple[int, dict]:
    """The number of lines a leading ``---`` YAML block takes, and its mapping."""
    if not lines or lines[0].strip() != "---":
        return 0, {}
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            import yaml

            block = "\n".join(lines[1:i])
            try:
                data = yaml.safe_load(block)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = 2 + (mark.line if mark else 0)
                rep.warn(line, 1, "import-front-matter",
                         f"the front-matter could not be read ({getattr(exc, 'problem', None) or exc}); it is skipped")
                return i + 1, {}
            return i + 1, data if isinstance(data, dict) else {}
    return 0, {}


def _fm_text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, dt.date):
        return None
    return str(value).strip() or None


def parse_text(text: str, path: str) -> ImportResult:
    """Read OKR notes (plain text or Markdown, as typed, pasted from a document or
    exported from a notes app) into drafts. See docs/cli.md for what is read."""
    rep = _Report(path)
    raw_lines = split_lines(text)
    skip, fm = _front_matter(raw_lines, rep)
    doc_owner: str | None = None
    doc_owner_line: int | None = None
    doc_period: str | None = None
    doc_tags: list[str] = []
    if fm:
        keys = {str(k).strip().lower(): v for k, v in fm.items()}
        for key in ("owner", "team", "unit", "department"):
            value = _fm_text(keys.get(key))
            if value:
                doc_owner, doc_owner_line = value, 1 + next(
                    (n for n, ln in enumerate(raw_lines[1:skip], 1) if ln.lower().startswith(key)), 0)
                break
        for key in ("period", "quarter", "cycle"):
            value = _fm_text(keys.get(key))
            if value:
                doc_period = parse_period_text(value)
                break
        if doc_period is None and _fm_text(keys.get("title")):
            found = find_period(_fm_text(keys.get("title")) or "")
            doc_period = found[0] if found else None
        tags = keys.get("tags")
        if isinstance(tags, list):
            doc_tags = [str(t).strip().lstrip("#") for t in tags if str(t).strip().lstrip("#")]
        elif isinstance(tags, str):
            doc_tags = _split_tags(tags)
        # A tag that marks the note as OKRs says nothing about an objective.
        doc_tags = [t for t in doc_tags if t.casefold() not in ("okr", "okrs")]

    lines: list[_Line] = []
    for i, raw in enumerate(raw_lines[skip:], skip + 1):
        if _RULE_LINE.match(raw):
            lines.append(_Line(i, raw, 0, 1, False, None, (), ""))  # a separator ends a body paragraph
            continue
        ln = _clean(raw)
        if ln is None:
            lines.append(_Line(i, raw, 0, 1, False, None, (), ""))
            continue
        ln.no = i
        lines.append(ln)

    def keyword(ln: _Line):
        m = _KEYWORD.match(ln.text)
        if not m:
            return None
        kw = re.sub(r"[\s-]+", " ", m.group("kw").lower())
        num, sep, rest = m.group("num"), m.group("sep"), m.group("rest").strip()
        if kw == "o" and not num:
            return None
        if not num and sep is None:
            return None
        if not num and sep in (".", ")") and kw not in ("kr", "krs", "obj"):
            return None
        kind = "objective" if kw.startswith("o") else "kr"
        plural = kw in ("objectives", "key results", "krs")
        return kind, plural, rest

    uses_keywords = any((k := keyword(ln)) and k[0] == "objective" for ln in lines if ln.text)
    parents_by_number = {ln.numbers[0] for ln in lines if ln.text and len(ln.numbers) >= 2}

    drafts: list[ObjectiveDraft] = []
    cur: ObjectiveDraft | None = None
    mode = "kr"  # what list items under an objective are: kr or body
    explicit_kr = False  # a "Key results:" header came: plain lines are key results too
    kr_indent: int | None = None
    pending: _Line | None = None  # "Objective:" with the statement on the next line
    blank = False

    def start_objective(statement: str, ln: _Line) -> None:
        nonlocal cur, mode, explicit_kr, kr_indent
        commitment = None
        cm = _COMMIT_MARK.search(statement)
        if cm:
            commitment = _COMMITMENTS[cm.group(1).lower()]
            statement = strip_span(statement, cm.start(), cm.end())
        period = None
        found = find_period(statement)
        if found:
            period = found[0]
            statement = strip_span(statement, found[1], found[2]) or statement
        cur = ObjectiveDraft(statement=" ".join(statement.split()).strip(), line=ln.no, col=ln.col,
                             period=period, doc_owner=doc_owner, doc_owner_line=doc_owner_line,
                             doc_period=doc_period, commitment=commitment, tags=list(doc_tags))
        drafts.append(cur)
        mode, explicit_kr, kr_indent = "kr", False, None

    def add_kr(content: str, ln: _Line) -> None:
        nonlocal kr_indent
        assert cur is not None
        if kr_indent is None:
            kr_indent = ln.indent
        meas = read_measure(content)
        kr = KrDraft(title=meas.title, line=ln.no, col=ln.col, kind=meas.kind, start=meas.start,
                     target=meas.target, unit=meas.unit, current=meas.current, done=meas.done)
        if not kr.title.strip():
            rep.warn(ln.no, ln.col, "import-kr-no-measure", "an empty key result; skipped")
            return
        if meas.period and not cur.kr_period:
            cur.kr_period = meas.period
        if meas.problem:
            rep.warn(ln.no, ln.col, meas.problem[0], f"key result {kr.title!r}: {meas.problem[1]}")
        cur.key_results.append(kr)

    def add_body(ln: _Line) -> None:
        assert cur is not None
        if blank and cur.body and cur.body[-1] != "":
            cur.body.append("")
        raw = ln.raw.rstrip()
        if ln.marker == "bullet":
            # "● Webinars" (a word processor's bullet) as Markdown: "- Webinars"
            body = _SPACES.sub(" ", raw)
            lead = len(body) - len(body.lstrip())
            rest = body.lstrip()
            if rest[:1] in _BULLETS and rest[:1] not in "-*+":
                raw = body[:lead] + "- " + rest[1:].lstrip()
        cur.body.append(raw)

    for ln in lines:
        if not ln.text:
            blank = True
            continue
        if pending is not None:
            start_objective(ln.text, pending)
            pending = None
            blank = False
            continue
        kw = keyword(ln)
        setting = None if kw else _SETTING.match(ln.text)
        if setting and cur is not None and kr_indent is not None and ln.indent > kr_indent:
            setting = None  # "- Owner: Bob" under a key result: a note
        if kw and kw[0] == "objective":
            if kw[2]:
                start_objective(kw[2], ln)
            elif not kw[1]:
                pending = ln
            else:  # "Objectives:" alone: a header
                pass
        elif kw and kw[0] == "kr":
            if not kw[2]:
                mode, explicit_kr = "kr", True  # "Key results:" header
            elif cur is None:
                rep.warn(ln.no, ln.col, "import-ignored", "a key result before any objective; ignored")
            else:
                add_kr(kw[2], ln)
        elif setting:
            key = " ".join(setting.group("key").lower().split())
            value = setting.group("value").strip()
            inside = cur is not None and not cur.key_results
            if key in _OWNER_KEYS:
                if inside:
                    cur.owner, cur.owner_line = value, ln.no
                else:
                    doc_owner, doc_owner_line = value, ln.no
            elif key in _PERIOD_KEYS:
                pid = parse_period_text(value)
                if pid is None:
                    rep.warn(ln.no, ln.col, "import-period",
                             f"could not read {value!r} as a period (write it like 2021-Q2, Q2 2021, H1 2022 "
                             "or 2022); ignored")
                elif inside:
                    cur.period = pid
                else:
                    doc_period = pid
            elif key in ("commitment", "type"):
                c = _COMMITMENTS.get(value.lower().strip(" ."))
                if c is None:
                    if key == "commitment":
                        rep.warn(ln.no, ln.col, "import-value",
                                 f"commitment {value!r} is neither committed nor aspirational; ignored")
                    elif cur is not None:
                        add_body(ln)
                elif cur is not None:
                    cur.commitment = c
            elif key in ("tag", "tags"):
                if cur is not None and inside:
                    cur.tags += [t for t in _split_tags(value) if t not in cur.tags]
                else:
                    doc_tags = _split_tags(value)
            elif key in ("contributor", "contributors") and cur is not None:
                cur.contributors += _split_tags(value)
        elif not uses_keywords and ln.marker == "number" and len(ln.numbers) == 1 \
                and ln.numbers[0] in parents_by_number:
            start_objective(ln.text, ln)
        elif not uses_keywords and ln.marker == "number" and len(ln.numbers) >= 2:
            if cur is None:
                rep.warn(ln.no, ln.col, "import-ignored", "a key result before any objective; ignored")
            else:
                add_kr(ln.text, ln)
        elif ln.heading:
            found = find_period(ln.text)
            if cur is None:
                if found:
                    doc_period = found[0]
            elif re.fullmatch(r"(?i)key[\s-]*results?|krs?", ln.text.rstrip(":").strip()):
                mode, explicit_kr = "kr", True
            elif found and len(ln.text) <= 80 and (cur.key_results or not cur.body):
                doc_period = found[0]
                mode = "body"
            else:
                mode, explicit_kr = "body", False
                add_body(ln)
        elif cur is None:
            if ln.marker:
                rep.warn(ln.no, ln.col, "import-ignored",
                         "a list item before any objective; ignored (start objectives with 'Objective:')")
            else:
                found = find_period(ln.text)
                if found and len(ln.text) <= 120:
                    doc_period = found[0]
        elif re.fullmatch(r"[^\W\d][\w &/'’-]{0,40}:", ln.text) and not ln.marker:
            mode, explicit_kr = "body", False  # "Initiatives:", "Why:"
            add_body(ln)
        elif ln.marker and mode == "kr":
            if kr_indent is not None and ln.indent > kr_indent:
                add_body(ln)  # a note under a key result
            else:
                add_kr(ln.text, ln)
        elif mode == "kr" and explicit_kr:
            if kr_indent is not None and ln.indent > kr_indent:
                add_body(ln)
            else:
                add_kr(ln.text, ln)
        else:
            add_body(ln)
        blank = False
    if pending is not None:
        rep.warn(pending.no, pending.col, "import-ignored", "'Objective:' without a statement; ignored")
    for d in drafts:
        _tidy_body(d)
    return ImportResult(drafts, rep.diags)


def _tidy_body(d: ObjectiveDraft) -> None:
    lines = d.body
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    indents = [len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()]
    cut = min(indents) if indents else 0
    d.body = [ln[cut:] if ln.strip() else "" for ln in lines]


# -------------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("id", "objective", "owner", "period", "commitment", "parent", "tags", "contributors",
               "kr_id", "kr", "start", "target", "unit", "weight", "done")
COMPUTED_COLUMNS = ("current", "progress", "status")
_ALIASES = {
    "objective": "objective", "objective_statement": "objective", "objective_title": "objective",
    "kr": "kr", "key_result": "kr", "key_results": "kr", "keyresult": "kr", "kr_title": "kr",
    "key_result_title": "kr", "owner": "owner", "team": "owner", "unit_id": "owner",
    "period": "period", "quarter": "period", "start": "start", "baseline": "start", "start_value": "start",
    "from": "start", "target": "target", "target_value": "target", "goal": "target", "to": "target",
    "unit": "unit", "units": "unit", "commitment": "commitment", "parent": "parent", "aligns_to": "parent",
    "tags": "tags", "tag": "tags", "contributors": "contributors", "id": "id", "objective_id": "id",
    "kr_id": "kr_id", "key_result_id": "kr_id", "weight": "weight", "done": "done",
}
_TRUE = {"true", "yes", "y", "x", "1", "done", "✓", "✔", "✅"}
_FALSE = {"false", "no", "n", "0", "", "not done", "open"}


@dataclass
class _Cell:
    text: str
    line: int
    col: int


def read_csv_records(text: str, delimiter: str) -> tuple[list[list[_Cell]], list[tuple[int, int, str]]]:
    """RFC 4180 records, each cell with the line and column it starts at; and problems
    (line, col, message). Quotes are doubled inside quoted cells; line breaks inside
    them belong to the cell; CRLF, LF and CR end records."""
    records: list[list[_Cell]] = []
    problems: list[tuple[int, int, str]] = []
    i, n = 0, len(text)
    line, col = 1, 1
    while i < n:
        row: list[_Cell] = []
        while True:
            cell_line, cell_col = line, col
            buf: list[str] = []
            if i < n and text[i] == '"':
                i += 1
                col += 1
                closed = False
                while i < n:
                    c = text[i]
                    if c == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            buf.append('"')
                            i += 2
                            col += 2
                            continue
                        i += 1
                        col += 1
                        closed = True
                        break
                    if c == "\r" or c == "\n":
                        if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                            i += 1
                        buf.append("\n")
                        i += 1
                        line, col = line + 1, 1
                        continue
                    buf.append(c)
                    i += 1
                    col += 1
                if not closed:
                    problems.append((cell_line, cell_col, "a quoted cell is not closed (a '\"' is missing)"))
                # Text after the closing quote, up to the delimiter, is kept (as spreadsheets do).
                while i < n and text[i] not in (delimiter, "\r", "\n"):
                    buf.append(text[i])
                    i += 1
                    col += 1
            else:
                while i < n and text[i] not in (delimiter, "\r", "\n"):
                    buf.append(text[i])
                    i += 1
                    col += 1
            row.append(_Cell("".join(buf), cell_line, cell_col))
            if i < n and text[i] == delimiter:
                i += 1
                col += 1
                continue
            break
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        line, col = line + 1, 1
        records.append(row)
    return records, problems


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"):
# `okrs export` writes such a text cell with a leading apostrophe, which spreadsheets show
# as text, and the import takes it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(text: str) -> str:
    """``text`` for a CSV text cell that a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unguard_cell(text: str) -> str:
    """The text of a cell written by :func:`guard_cell` (others are returned as they are)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def parse_csv_number(text: str, decimal_comma: bool = False) -> Quantity | None:
    """A number cell: ``1200``, ``1,200``, ``12.5``, ``-3``, ``800ms``, ``20%``, ``$40k``;
    ``12,5`` too when the file is separated by ``;`` (a decimal comma). None when the
    cell is not a number."""
    t = " ".join(text.split())
    if decimal_comma and re.fullmatch(r"[-+\u2212]?[$€£¥]?\s?\d+,\d+\s?\S*", t) and not re.search(r"\d,\d{3}(?!\d)", t):
        t = t.replace(",", ".")
    q = quantity_at(t)
    if q is None or q.end != len(t):
        return None
    return q


def _column_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower()).strip("_")


def parse_csv(text: str, path: str) -> ImportResult:
    """Read a table with one row per key result (see :data:`CSV_COLUMNS`)."""
    rep = _Report(path)
    first = split_lines(text)[0] if text else ""
    delimiter = _sniff_delimiter(first)
    records, problems = read_csv_records(text, delimiter)
    for line, col, msg in problems:
        rep.error(line, col, "import-csv", msg)
    records = [r for r in records if any(c.text.strip() for c in r)]
    if not records:
        rep.error(1, 1, "import-csv", "the file is empty; expected a header row, then one row per key result")
        return ImportResult([], rep.diags)
    header, rows = records[0], records[1:]
    columns: dict[str, int] = {}
    for idx, cell in enumerate(header):
        key = _column_key(cell.text)
        name = _ALIASES.get(key)
        if name is None:
            if key not in COMPUTED_COLUMNS and key:
                rep.warn(cell.line, cell.col, "import-csv", f"column {cell.text.strip()!r} is not read "
                         f"(the columns read are {', '.join(CSV_COLUMNS)})")
            continue
        if name in columns:
            rep.warn(cell.line, cell.col, "import-csv", f"column {cell.text.strip()!r} is given twice; "
                     "the first is read")
            continue
        columns[name] = idx
    missing = [c for c in ("objective", "kr") if c not in columns]
    if missing:
        rep.error(header[0].line, header[0].col, "import-csv",
                  f"the header has no {' and no '.join(repr(m) for m in missing)} column "
                  f"(the columns read are {', '.join(CSV_COLUMNS)}; the first row must name them)")
        return ImportResult([], rep.diags)

    decimal_comma = delimiter == ";"
    drafts: list[ObjectiveDraft] = []
    by_key: dict[tuple, ObjectiveDraft] = {}
    prev: ObjectiveDraft | None = None
    first_line: dict[tuple[int, str], int] = {}

    def cell(row: list[_Cell], name: str) -> _Cell | None:
        idx = columns.get(name)
        if idx is None or idx >= len(row):
            return None
        return row[idx]

    def value(row: list[_Cell], name: str) -> str:
        c = cell(row, name)
        return unguard_cell(" ".join(c.text.split())) if c is not None else ""

    for row in rows:
        line, col = row[0].line, row[0].col
        if len(row) > len(header) and any(c.text.strip() for c in row[len(header):]):
            extra = row[len(header)]
            rep.warn(extra.line, extra.col, "import-csv",
                     f"this row has {len(row)} cells, the header {len(header)}; the extra cells are not read "
                     "(a cell with the separator in it must be quoted)")
        statement = value(row, "objective")
        owner, period, source_id = value(row, "owner"), value(row, "period"), value(row, "id")
        if not statement:
            if prev is None:
                rep.warn(line, col, "import-ignored", "a row without an objective, and none above it; ignored")
                continue
            d = prev
        else:
            pid = None
            if period:
                pid = parse_period_text(period)
                if pid is None:
                    c = cell(row, "period")
                    rep.warn(c.line, c.col, "import-period",
                             f"could not read {period!r} as a period (write it like 2021-Q2); ignored")
            key = ("id", source_id.casefold()) if source_id else \
                ("text", " ".join(statement.casefold().split()), owner.casefold(), pid)
            d = by_key.get(key)
            if d is None:
                c = cell(row, "objective")
                d = ObjectiveDraft(statement=statement, line=c.line, col=c.col, owner=owner or None,
                                   owner_line=(cell(row, "owner").line if owner else None), period=pid,
                                   source_id=source_id or None)
                by_key[key] = d
                drafts.append(d)
        prev = d
        _csv_objective_fields(d, row, cell, value, rep, first_line)
        title = value(row, "kr")
        kr_cell = cell(row, "kr")
        if not title:
            for name in ("start", "target", "unit", "done", "weight", "kr_id"):
                if value(row, name):
                    c = cell(row, name)
                    rep.warn(c.line, c.col, "import-ignored",
                             f"{name} {value(row, name)!r} in a row without a key result title; ignored")
                    break
            continue
        kr = KrDraft(title=title, line=kr_cell.line, col=kr_cell.col, id=value(row, "kr_id") or None)
        _csv_measure(kr, row, cell, value, rep, decimal_comma)
        d.key_results.append(kr)
    return ImportResult(drafts, rep.diags)


def _csv_objective_fields(d: ObjectiveDraft, row, cell, value, rep: _Report, first_line: dict) -> None:
    """Commitment, parent, tags and contributors of ``d`` from ``row`` (the first row
    that gives one decides; a later row that says otherwise is reported)."""
    for name in ("commitment", "parent", "tags", "contributors"):
        text = value(row, name)
        if not text:
            continue
        c = cell(row, name)
        if name == "commitment":
            got = _COMMITMENTS.get(text.lower())
            if got is None:
                rep.warn(c.line, c.col, "import-value",
                         f"commitment {text!r} is neither committed nor aspirational; ignored")
                continue
            new: object = got
        elif name in ("tags", "contributors"):
            new = _split_tags(text)
        else:
            new = text
        old = getattr(d, name)
        if not old:
            setattr(d, name, new)
            first_line[(id(d), name)] = c.line
        elif old != new:
            rep.warn(c.line, c.col, "import-conflict",
                     f"{name} {text!r} differs from line {first_line.get((id(d), name), d.line)} of the same "
                     "objective; the first is kept")


def _csv_measure(kr: KrDraft, row, cell, value, rep: _Report, decimal_comma: bool) -> None:
    nums: dict[str, Quantity | None] = {}
    for name in ("start", "target"):
        text = value(row, name)
        if not text:
            nums[name] = None
            continue
        q = parse_csv_number(text, decimal_comma)
        if q is None:
            c = cell(row, name)
            rep.warn(c.line, c.col, "import-number",
                     f"{name} {text!r} is not a number (write it like 1200, 1,200, 12.5, 20% or 800ms); "
                     f"key result {kr.title!r} is written without a measure")
            kr.kind = "none"
            return
        nums[name] = q
    unit = value(row, "unit") or None
    for name in ("start", "target"):
        q = nums[name]
        if q is not None and q.unit is not None:
            if unit is None:
                unit = q.unit
            elif unit != q.unit:
                c = cell(row, name)
                rep.warn(c.line, c.col, "import-number",
                         f"{name} {value(row, name)!r} has the unit {q.unit!r}, the unit column says {unit!r}; "
                         f"key result {kr.title!r} is written without a measure")
                kr.kind = "none"
                return
    kr.unit = unit
    weight = value(row, "weight")
    if weight:
        w = parse_csv_number(weight, decimal_comma)
        if w is None or w.unit is not None or not w.value > 0:
            c = cell(row, "weight")
            rep.warn(c.line, c.col, "import-number", f"weight {weight!r} is not a number above 0; ignored")
        elif w.value != 1:
            kr.weight = w.value
    done_text = value(row, "done")
    done = None
    if done_text:
        low = done_text.lower()
        if low in _TRUE:
            done = True
        elif low in _FALSE:
            done = False
        else:
            c = cell(row, "done")
            rep.warn(c.line, c.col, "import-value", f"done {done_text!r} is neither true nor false; ignored")
    start, target = nums["start"], nums["target"]
    c = cell(row, "kr")
    if start is not None and target is not None:
        if start.value == target.value:
            rep.warn(c.line, c.col, "import-kr-no-measure",
                     f"key result {kr.title!r}: the start and the target are the same ({start.value}); "
                     "written without a measure")
            return
        kr.kind, kr.start, kr.target = "metric", start.value, target.value
    elif target is not None:
        kr.kind, kr.target = "target", target.value
        rep.warn(c.line, c.col, "import-kr-no-start",
                 f"key result {kr.title!r}: a target but no start; written without a measure, the target kept "
                 "in a comment")
    elif start is not None:
        rep.warn(c.line, c.col, "import-kr-no-measure",
                 f"key result {kr.title!r}: a start but no target; written without a measure")
    elif done is not None:
        kr.kind, kr.done = "milestone", done
    else:
        rep.warn(c.line, c.col, "import-kr-no-measure",
                 f"key result {kr.title!r}: no start and target (nor done); written without a measure")


# ------------------------------------------------------------------------------ files

_TRANSLIT = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i",
             "&": " and ", "+": " plus ", "%": " percent "}
MAX_SLUG = 60


def slugify(text: str, max_length: int = MAX_SLUG, fallback: str = "objective") -> str:
    """Lowercase ASCII words joined by ``-``, at most ``max_length`` characters, cut
    between words: ``Make checkout feel instant!`` -> ``make-checkout-feel-instant``.
    Accents are dropped (``Café`` -> ``cafe``); text without a Latin letter or digit
    gives ``fallback``."""
    t = text.lower()
    t = "".join(_TRANSLIT.get(c, c) for c in t)
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"['’]", "", t)
    words = re.findall(r"[a-z0-9]+", t)
    out = ""
    for w in words:
        candidate = f"{out}-{w}" if out else w
        if len(candidate) > max_length:
            if not out:
                out = w[:max_length]
            break
        out = candidate
    return out or fallback


def resolve_owner(text: str, units: Mapping[str, object] | None, known: Iterable[str] = ()) -> str | None:
    """The owner to write for ``text``: with an org file (``units``: id -> Unit), the
    unit whose id or name is ``text`` (case and spacing aside; also its slug), else
    None; without one, an owner already used that is spelled the same but for case
    (or has the same slug), else ``text`` as written."""
    wanted = " ".join(text.split())
    key = wanted.casefold()
    slug = slugify(wanted, 200, "")
    if units is not None:
        for uid in units:
            if uid.casefold() == key:
                return uid
        for uid, unit in units.items():
            name = getattr(unit, "name", None)
            if name and " ".join(name.split()).casefold() == key:
                return uid
        for uid in units:
            if slug and uid.casefold() == slug:
                return uid
        return None
    pool = sorted(set(known))
    for owner in pool:
        if owner.casefold() == key:
            return owner
    for owner in pool:
        if slug and slugify(owner, 200, "") == slug:
            return owner
    return wanted


def yaml_scalar(value: object) -> str:
    """``value`` as one YAML scalar, quoted where YAML would read it as something else
    (``yes``, ``y``, ``2026``, ``a: b``); control characters are dropped."""
    import yaml

    from .yamlvalues import STR, resolve_plain

    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, (int, float)):
        return format_number(value)
    text = clean_text(str(value))
    out = yaml.safe_dump({"k": text}, allow_unicode=True, width=1 << 30, sort_keys=False,
                         default_flow_style=False)
    out = out[len("k: "):].rstrip("\n")
    if "\n" in out or (out[:1] not in ("'", '"') and resolve_plain(out) != STR):
        out = json.dumps(text, ensure_ascii=False)
    return out


_PLAIN_ITEM = re.compile(r"[A-Za-z0-9][\w.&/+-]*(?: [\w.&/+-]+)*")


def yaml_list(values: list[str]) -> str:
    """A flow list (``[a, "b, c"]``): plain words as they are, anything else double-quoted."""
    from .yamlvalues import STR, resolve_plain

    items = []
    for v in values:
        v = clean_text(v)
        items.append(v if _PLAIN_ITEM.fullmatch(v) and resolve_plain(v) == STR else json.dumps(v, ensure_ascii=False))
    return "[" + ", ".join(items) + "]"


def format_number(value: Number) -> str:
    """A number as YAML reads it back: ``1200``, ``12.5``, ``0.00001`` (never ``1e-05``)."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return str(value)
    d = Decimal(repr(value))
    if d == d.to_integral_value() and abs(d) < 10**16:
        return f"{d.quantize(Decimal(1))}.0"
    out = format(d, "f")
    return out


def render_objective(d: ObjectiveDraft, owner: str, period: str, *, parent: str | None = None,
                     source: str | None = None) -> str:
    """The objective file for ``d`` (front-matter in the contract's key order, then the body).

    Key results get ids ``kr1``, ``kr2``... by position unless the source gave one. A
    key result with a target but no start is written without a measure, the target
    and unit in comments ready to be uncommented once the start is known."""
    out = ["---", f"objective: {yaml_scalar(d.statement)}", f"owner: {yaml_scalar(owner)}",
           f"period: {yaml_scalar(period)}"]
    if parent:
        out.append(f"parent: {yaml_scalar(parent)}")
    if d.commitment:
        out.append(f"commitment: {d.commitment}")
    if d.tags:
        out.append(f"tags: {yaml_list(d.tags)}")
    if d.contributors:
        out.append(f"contributors: {yaml_list(d.contributors)}")
    out.append("key_results:")
    for i, kr in enumerate(d.key_results, 1):
        out.append(f"  - id: {yaml_scalar(kr.id or f'kr{i}')}")
        out.append(f"    title: {yaml_scalar(kr.title)}")
        if kr.kind == "metric":
            out.append(f"    start: {format_number(kr.start)}")
            out.append(f"    target: {format_number(kr.target)}")
            if kr.current is not None:
                out.append(f"    current: {format_number(kr.current)}")
        if kr.kind in ("metric",) and kr.unit:
            out.append(f"    unit: {yaml_scalar(kr.unit)}")
        if kr.kind == "milestone":
            out.append(f"    done: {'true' if kr.done else 'false'}")
        if kr.weight is not None:
            out.append(f"    weight: {format_number(kr.weight)}")
        if kr.kind == "target":
            # One comment line, whatever the file's name holds (a line break would end it).
            shown = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", source) if source else None
            where = f"{shown}:{kr.line}" if shown else f"line {kr.line}"
            out.append(f"    # okrs import read a target but no start ({where}): fill in start, then remove the '# '")
            out.append("    # start:")
            out.append(f"    # target: {format_number(kr.target)}")
            if kr.unit:
                out.append(f"    # unit: {yaml_scalar(kr.unit)}")
    out.append("---")
    text = "\n".join(out) + "\n"
    if d.body:
        text += "\n".join(d.body) + "\n"
    return text
