"""Load an OKR root into an :class:`OkrSet`, with every problem as a located diagnostic.

:func:`load_okrs` walks the root, reads each objective file (see
:mod:`.frontmatter` and :mod:`.yamlsafe`), checks each field, loads org.yml
(:mod:`.org`), then runs the cross-file checks of :mod:`.validate`.

Choices made here where the contract is silent:

- Only files ending in ``.md`` (lower case) are objectives. A folder named ``x.md``
  or a broken link named ``x.md`` is reported as ``file-unreadable``.
  Folders reached through symbolic links are followed once (no loops).
- A problem with a missing key is reported where the mapping that should hold it
  starts (the first key of the front-matter, of the key result, ...). A problem
  with a list item (a key result, a check-in, a contributor) is reported where the
  item's content starts: its first key for a mapping, the value for a text item.
- An objective is kept (so links to it still resolve) when its id is valid and
  unique and its owner and period are usable, even if other fields have errors.
  A key result with an error is kept with what could be read; if its measure
  (start/target/done) is broken it becomes a key result with no measure.
- ``tags`` and ``contributors`` must be lists (``tags: [a]``), not a single text.
- A key in YAML 1.1 boolean form (``on:``, ``yes:``) is the key text itself.
- A check-in whose date is not after the previous one is reported and left out
  (so ``current`` never comes from it); a key result whose id repeats an earlier
  one is reported and left out.
- The body keeps the file's text with line endings turned into LF.
- ``SOURCE_DATE_EPOCH`` that is not an integer is a :class:`SettingsError`
  (the reproducible-builds convention: fail rather than guess).
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator, Mapping

from .diagnostics import Diagnostic, Location, Severity, apply_severities, sort_diagnostics
from .frontmatter import SourceError, read_source, split_front_matter
from .ids import id_key, id_problem, is_valid_id, is_valid_segment, split_parent
from .model import (
    COMMITMENTS,
    STATUS_OVERRIDES,
    VISIBILITIES,
    CheckIn,
    KeyResult,
    Objective,
    OkrSet,
    Org,
    Period,
    Settings,
)
from .org import implied_org, load_org
from .periods import ACCEPTED_FORMS, parse_period, period_hint
from .rules import parse_rule_settings
from .yamlsafe import Fields, Pos, YamlProblem, YMap, YSeq, describe_value, load_yaml

try:
    from .validate import validate
except ImportError:  # pragma: no cover - written by another helper; guard removed later
    validate = None  # type: ignore[assignment]

OBJECTIVE_KEYS: tuple[str, ...] = (
    "objective",
    "owner",
    "period",
    "parent",
    "commitment",
    "status",
    "tags",
    "contributors",
    "visibility",
    "review_until",
    "id",
    "key_results",
)
KR_KEYS: tuple[str, ...] = ("id", "title", "start", "target", "current", "unit", "weight", "done", "checkins")
CHECKIN_KEYS: tuple[str, ...] = ("date", "value", "confidence", "note")
OBJECTIVE_KEY_SET = frozenset(OBJECTIVE_KEYS)
KR_KEY_SET = frozenset(KR_KEYS)
CHECKIN_KEY_SET = frozenset(CHECKIN_KEYS)

_E = Severity.ERROR


def _debug() -> bool:
    """True when unexpected exceptions must propagate (``MKDOCS_OKRS_DEBUG=1``; the tests set it)."""
    return os.environ.get("MKDOCS_OKRS_DEBUG", "") not in ("", "0")


class SettingsError(ValueError):
    """A setting (not a source file) is wrong: ``fiscal_year_start`` or ``SOURCE_DATE_EPOCH``."""


def resolve_today(settings_today: dt.date | None) -> dt.date:
    """The ``today`` of a run: the setting, else ``SOURCE_DATE_EPOCH`` (UTC), else the machine's date.

    Raises :class:`SettingsError` when ``SOURCE_DATE_EPOCH`` is set but not an integer.
    """
    if settings_today is not None:
        if isinstance(settings_today, dt.datetime):
            return settings_today.date()
        return settings_today
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise SettingsError(
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not {epoch!r}"
            ) from None
    return dt.date.today()


class LocMap(Mapping[str, Location]):
    """``field_locs``: key -> :class:`Location`, built on access from ``(line, col)`` pairs."""

    __slots__ = ("_path", "_pos")

    def __init__(self, path: str, pos: Mapping[str, Pos]) -> None:
        self._path = path
        self._pos = pos

    def __getitem__(self, key: str) -> Location:
        line, col = self._pos[key]
        return Location(self._path, line, col)

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, key: object) -> bool:
        return key in self._pos

    def __repr__(self) -> str:
        return f"LocMap({self._path!r}, {dict(self._pos)!r})"


# --- files -----------------------------------------------------------------------


def _to_display(path: str, base: str) -> str:
    """``path`` relative to ``base`` when under it, else absolute; '/' separators."""
    try:
        common = os.path.commonpath([path, base])
    except ValueError:  # different drives
        common = ""
    shown = os.path.relpath(path, base) if common == base else path
    return shown.replace(os.sep, "/")


def list_objective_files(
    root: str, diags: list[Diagnostic], show: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Every objective file below ``root``: ``(path relative to root with '/', absolute path)``.

    Skips names starting with ``_`` or ``.``; sorted by relative path. Folders
    that cannot be listed and special files (pipes, devices) named ``*.md`` are
    reported in ``diags`` as ``file-unreadable``, shown with ``show(path)``.
    """
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, str, frozenset]] = [(root, "", frozenset())]
    while stack:
        folder, prefix, ancestors = stack.pop()
        try:
            st = os.stat(folder)
            ident = (st.st_dev, st.st_ino)
            if ident in ancestors:
                continue  # a symbolic link loop
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            diags.append(
                Diagnostic(show(folder), 1, 1, _E, f"cannot read the folder: {exc.strerror or exc}", "file-unreadable")
            )
            continue
        inner = ancestors | {ident}
        for e in entries:
            name = e.name
            if name[0] in "_.":
                continue
            if name.endswith(".md"):
                try:
                    special = not e.is_file() and not e.is_dir() and not e.is_symlink()
                except OSError:  # pragma: no cover - reported when reading it
                    special = False
                if special:  # a pipe, socket or device: reading it could block or never end
                    diags.append(
                        Diagnostic(
                            show(e.path), 1, 1, _E,
                            "cannot read the file: it is not a regular file (a pipe, socket or device)",
                            "file-unreadable",
                        )
                    )
                    continue
                out.append((prefix + name, e.path))
                continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((e.path, prefix + name + "/", inner))
    out.sort()
    return out


# --- fields ----------------------------------------------------------------------


def _read_id(f: Fields, m: YMap, key: str, what: str) -> str | None:
    value = f.text(m, key)
    if value is None:
        return None
    problem = id_problem(value, single_segment=(what == "key result"))
    if problem:
        f.report(m.key_pos[key], "id-invalid", f"{what} id {value!r} is not valid: {problem}")
        return None
    return value


_MISSING = object()
_INF = float("inf")


def _num(f: Fields, m: YMap, key: str):
    """A number field (None when absent or wrong; wrong ones are reported)."""
    v = m.get(key, _MISSING)
    if v is _MISSING:
        return None
    c = v.__class__
    if c is int or (c is float and v == v and v != _INF and v != -_INF):
        return v
    return f.number(m, key)


def _text(f: Fields, m: YMap, key: str):
    """An optional text field (None when absent or wrong; wrong ones are reported)."""
    v = m.get(key, _MISSING)
    if v is _MISSING:
        return None
    if v.__class__ is str:
        return v
    return f.text(m, key)


def _checkins(f: Fields, m: YMap, path: str) -> list[CheckIn]:
    raw = m["checkins"]
    if raw is None:
        return []
    if raw.__class__ is not YSeq:
        f.report(
            m.key_pos["checkins"],
            "field-type",
            f"checkins must be a list of {{date, value, confidence, note}}, not {describe_value(raw, m.raw.get('checkins'))}",
        )
        return []
    out: list[CheckIn] = []
    prev: tuple[dt.date, int] | None = None
    known = CHECKIN_KEY_SET
    for i, item in enumerate(raw):
        pos = raw.item_pos[i]
        if item.__class__ is not YMap:
            f.report(
                pos,
                "field-type",
                f"check-in {i + 1} must be a mapping like {{date: 2026-10-15, value: 42}}, "
                f"not {describe_value(item, raw.raw.get(i))}",
            )
            continue
        if not item.keys() <= known:
            f.unknown_keys(item, CHECKIN_KEYS, "a check-in")
        day = item.get("date")
        if day.__class__ is not dt.date:
            day = f.date(item, "date", required=True, where="a check-in")
        value = _num(f, item, "value")
        confidence = _num(f, item, "confidence")
        if confidence is not None and not 0 <= confidence <= 1:
            f.report(
                item.key_pos["confidence"],
                "confidence-range",
                f"confidence {item.raw.get('confidence', confidence)} is outside 0.0 to 1.0",
            )
            confidence = None
        note = _text(f, item, "note")
        if day is None:
            continue
        if prev is not None and day <= prev[0]:
            f.report(
                pos,
                "checkin-order",
                f"check-in dates must be strictly ascending: {day.isoformat()} is not after "
                f"{prev[0].isoformat()} (line {prev[1]})",
            )
            continue
        prev = (day, pos[0])
        out.append(CheckIn(date=day, value=value, confidence=confidence, note=note, loc=Location(path, pos[0], pos[1])))
    return out


def _key_result(f: Fields, item: object, pos: Pos, index: int, raw_text: str | None, path: str) -> KeyResult | None:
    default_id = f"kr{index + 1}"
    if item.__class__ is str:
        if not item.strip():
            f.report(pos, "field-required", f"key result {index + 1} is empty")
            return None
        return KeyResult(id=default_id, index=index, title=item.strip(), kind="none", weight=1, loc=Location(path, *pos))
    if item.__class__ is not YMap:
        if raw_text is not None and not isinstance(item, (list, dict)) and item is not None:
            msg = f'key result {index + 1}: {raw_text} is read as {describe_value(item, raw_text)}; quote it: - "{raw_text}"'
        else:
            msg = f"key result {index + 1} must be a title or a mapping with title:, not {describe_value(item)}"
        f.report(pos, "field-type" if item is not None else "field-required", msg)
        return None
    m: YMap = item  # type: ignore[assignment]
    if not m.keys() <= KR_KEY_SET:
        f.unknown_keys(m, KR_KEYS, "a key result")
    kr_id = None
    if "id" in m:
        kr_id = m["id"]
        if kr_id.__class__ is not str or not is_valid_segment(kr_id):
            kr_id = _read_id(f, m, "id", "key result")
    title = m.get("title")
    if title.__class__ is not str or not title.strip():
        title = f.text(m, "title", required=True, where="a key result")
    start = _num(f, m, "start")
    target = _num(f, m, "target")
    current = _num(f, m, "current")
    unit = _text(f, m, "unit")
    weight = _num(f, m, "weight")
    if weight is not None and not weight > 0:
        f.report(m.key_pos["weight"], "weight-range", f"weight {m.raw.get('weight', weight)} must be greater than 0")
        weight = None
    done = m.get("done")
    if done is not True and done is not False:
        done = f.boolean(m, "done")
    checkins = _checkins(f, m, path) if "checkins" in m else []

    has_start, has_target, has_done = "start" in m, "target" in m, "done" in m
    kind = "none"
    if has_done:
        if has_start or has_target:
            f.report(
                m.key_pos["done"],
                "kr-metric-incomplete",
                "a key result is either a metric (start and target) or a milestone (done); "
                "this one mixes done with start/target",
            )
        elif done is not None:
            kind = "milestone"
    elif has_start or has_target:
        if not (has_start and has_target):
            missing = "target" if has_start else "start"
            present = "start" if has_start else "target"
            f.report(
                m.key_pos[present],
                "kr-metric-incomplete",
                f"a metric key result needs both start and target; {missing}: is missing",
            )
        elif start is not None and target is not None:
            if start == target:
                f.report(
                    m.key_pos["target"],
                    "kr-target-equals-start",
                    f"target {m.raw.get('target', target)} equals start; progress cannot be measured",
                )
            else:
                kind = "metric"
    if kind == "metric":
        for c in checkins:
            if c.value is None:
                f.report((c.loc.line, c.loc.col), "field-required", "a check-in of a metric key result needs value:")
    else:
        start = target = None

    current_explicit = current is not None
    if current is None:
        for c in reversed(checkins):
            if c.value is not None:
                current = c.value
                break
        else:
            current = start
    return KeyResult(
        id=kr_id if kr_id is not None else default_id,
        index=index,
        title=title.strip() if title else "",
        kind=kind,  # type: ignore[arg-type]
        start=start,
        target=target,
        current=current,
        current_explicit=current_explicit,
        unit=unit,
        weight=weight if weight is not None else 1,
        done=done if kind == "milestone" else None,
        checkins=tuple(checkins),
        loc=Location(path, pos[0], pos[1]),
        field_locs=LocMap(path, m.key_pos),
    )


def _key_results(f: Fields, m: YMap, path: str) -> list[KeyResult]:
    if "key_results" not in m:
        f.report(m.pos, "field-required", "key_results: is required (a list of at least one key result)")
        return []
    raw = m["key_results"]
    if raw is None or (isinstance(raw, YSeq) and not raw):
        f.report(m.key_pos["key_results"], "field-required", "key_results: needs at least one key result")
        return []
    if not isinstance(raw, YSeq):
        f.report(
            m.key_pos["key_results"],
            "field-type",
            f"key_results must be a list of key results, not {describe_value(raw, m.raw.get('key_results'))}",
        )
        return []
    out: list[KeyResult] = []
    seen: dict[str, tuple[int, int]] = {}
    for i, item in enumerate(raw):
        pos = raw.item_pos[i]
        kr = _key_result(f, item, pos, i, raw.raw.get(i), path)
        if kr is None:
            continue
        if kr.id in seen:
            where = (
                item.key_pos["id"] if isinstance(item, YMap) and "id" in item.key_pos else pos
            )
            first_line, first_index = seen[kr.id]
            implicit = "" if isinstance(item, YMap) and "id" in item else " (its default id by position)"
            f.report(
                where,
                "kr-id-duplicate",
                f"key result id {kr.id!r}{implicit} is already used by key result {first_index + 1} (line {first_line})",
            )
            continue
        seen[kr.id] = (pos[0], i)
        out.append(kr)
    return out


def _objective(
    f: Fields, m: YMap, rel: str, path: str, body: str, body_line: int, fiscal: int
) -> tuple[Objective | None, Pos | None]:
    """Read one objective's front-matter. Returns the objective (or None when it
    cannot be used) and the position of an explicit ``id:`` key."""
    if not m.keys() <= OBJECTIVE_KEY_SET:
        f.unknown_keys(m, OBJECTIVE_KEYS, "an objective")
    # id
    id_pos: Pos | None = None
    if "id" in m:
        id_pos = m.key_pos["id"]
        oid = _read_id(f, m, "id", "objective")
        if oid is None and m.get("id") is None:
            f.report(id_pos, "field-required", "id: is empty; remove it to use the file path as the id")
    else:
        oid = rel[:-3]
        problem = None if is_valid_id(oid) else id_problem(oid)
        if problem:
            f.report(
                (1, 1),
                "id-invalid",
                f"the file path gives the objective id {oid!r}, which is not valid: {problem}; "
                "rename the file or set id:",
            )
            oid = None
    objective = m.get("objective")
    if objective.__class__ is not str or not objective.strip():
        objective = f.text(m, "objective", required=True)
    owner = m.get("owner")
    if owner.__class__ is not str or not owner.strip():
        owner = f.text(m, "owner", required=True)
    # period
    period: Period | None = None
    if "period" not in m:
        f.report(m.pos, "field-required", "period: is required (" + ACCEPTED_FORMS + ")")
    else:
        pv = m["period"]
        if pv.__class__ is int:
            pv = m.raw.get("period", str(pv))
        if pv is None:
            f.report(m.key_pos["period"], "field-required", "period: is empty (" + ACCEPTED_FORMS + ")")
        elif pv.__class__ is not str:
            f.report(
                m.key_pos["period"],
                "period-invalid",
                f"period {m.raw.get('period', pv)} is {describe_value(pv, m.raw.get('period'))}, not a period; "
                f"write {ACCEPTED_FORMS}",
            )
        else:
            period = parse_period(pv.strip(), fiscal)
            if period is None:
                f.report(
                    m.key_pos["period"],
                    "period-invalid",
                    f"period {pv!r} is not valid; write {ACCEPTED_FORMS}{period_hint(pv)}",
                )
    # parent
    parent = parent_kr = None
    ptext = _text(f, m, "parent")
    if ptext is not None:
        p_obj, p_kr = split_parent(ptext.strip())
        problem = None if is_valid_id(p_obj) else id_problem(p_obj)
        kr_problem = None
        if p_kr is not None and not is_valid_segment(p_kr):
            kr_problem = id_problem(p_kr, single_segment=True)
        if problem:
            f.report(m.key_pos["parent"], "id-invalid", f"parent {ptext!r} is not a valid objective id: {problem}")
        elif kr_problem:
            f.report(m.key_pos["parent"], "id-invalid", f"parent {ptext!r} names a key result id that is not valid: {kr_problem}")
        else:
            parent, parent_kr = p_obj, p_kr
    commitment = f.choice(m, "commitment", COMMITMENTS) if "commitment" in m else None
    status = f.choice(m, "status", STATUS_OVERRIDES) if "status" in m else None
    visibility = f.choice(m, "visibility", VISIBILITIES) if "visibility" in m else None
    pos_map: Mapping[str, Pos] = m.key_pos
    tags_read = f.text_list(m, "tags", "tags") if "tags" in m else None
    tags = tuple(tags_read[0]) if tags_read else ()
    contrib_read = f.text_list(m, "contributors", "unit ids") if "contributors" in m else None
    contributors: tuple[str, ...] = ()
    if contrib_read:
        contributors = tuple(contrib_read[0])
        pos_map = dict(m.key_pos)
        for i, p in enumerate(contrib_read[1]):
            pos_map[f"contributors[{i}]"] = p
    review_until = f.date(m, "review_until") if "review_until" in m else None
    if review_until is not None and period is not None and review_until < period.end:
        f.report(
            m.key_pos["review_until"],
            "field-value",
            f"review_until {review_until.isoformat()} is before the end of period {period.id} "
            f"({period.end.isoformat()}); it can only extend the period",
        )
        review_until = None
    key_results = _key_results(f, m, path)

    if oid is None or owner is None or period is None:
        return None, id_pos
    return (
        Objective(
            id=oid,
            path=rel,
            objective=(objective or "").strip(),
            owner=owner.strip(),
            period=period,
            key_results=tuple(key_results),
            parent=parent,
            parent_kr=parent_kr,
            commitment=commitment or "aspirational",  # type: ignore[arg-type]
            status_override=status,  # type: ignore[arg-type]
            tags=tags,
            contributors=contributors,
            visibility=visibility or "public",  # type: ignore[arg-type]
            review_until=review_until,
            body=body,
            body_line=body_line,
            loc=Location(path, 1, 1),
            field_locs=LocMap(path, pos_map),
        ),
        id_pos,
    )


def load_objective_file(abs_path: str, rel: str, path: str, fiscal: int, diags: list[Diagnostic]) -> tuple[Objective | None, Pos | None]:
    """Load one objective file; problems go to ``diags`` (shown with ``path``).

    Returns the objective (None when it cannot be used) and the position of its
    explicit ``id:`` key, if any.
    """
    f = Fields(path, diags)
    try:
        text = read_source(abs_path)
        fm = split_front_matter(text)
        data = load_yaml(fm.yaml, fm.yaml_line)
    except (SourceError, YamlProblem) as exc:
        diags.append(Diagnostic(path, exc.line, exc.col, _E, exc.message, exc.rule))
        return None, None
    if data is None:
        f.report(
            (1, 1),
            "field-required",
            "the front-matter is empty; it needs objective:, owner:, period: and key_results:",
        )
        return None, None
    if not isinstance(data, YMap):
        at = data.pos if isinstance(data, YSeq) else (fm.yaml_line, 1)
        f.report(
            at,
            "field-type",
            f"the front-matter must be a mapping of keys (objective:, owner:, ...), not {describe_value(data)}",
        )
        return None, None
    return _objective(f, data, rel, path, fm.body, fm.body_line, fiscal)


def _load_one(abs_path: str, rel: str, path: str, fiscal: int, diags: list[Diagnostic]):
    """:func:`load_objective_file`, with an unexpected exception turned into a diagnostic."""
    try:
        return load_objective_file(abs_path, rel, path, fiscal, diags)
    except Exception as exc:  # never a traceback for bad input (tests re-raise: see _debug)
        if _debug():
            raise
        diags.append(
            Diagnostic(
                path, 1, 1, _E,
                f"cannot read the file: internal error ({type(exc).__name__}: {exc}); please report it",
                "file-unreadable",
            )
        )
        return None, None


# --- loading many files on two cores --------------------------------------------
#
# Reading 10,000 objective files is CPU-bound Python. On Linux, when the process
# has no other thread, a forked child loads the second part of the files while
# this process loads the first, and sends its results back as plain tuples
# (marshal): cheaper to rebuild than pickled dataclasses. Any failure in the child
# falls back to loading its part here, so the result is always the same as a
# sequential load. MKDOCS_OKRS_JOBS=1 turns it off.

PARALLEL_MIN_FILES = 2000
_PARENT_SHARE = 0.48  # the parent also rebuilds the child's results


def _can_fork() -> bool:
    if os.environ.get("MKDOCS_OKRS_JOBS", "").strip() == "1":
        return False
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1  # forking a threaded process can deadlock the child
    )


def _load_files(files: list[tuple[str, str]], prefix: str, fiscal: int, diags: list[Diagnostic]):
    """(objective or None, explicit id position) for each of ``files``, in order."""
    if len(files) >= PARALLEL_MIN_FILES and _can_fork():
        return _load_files_forked(files, prefix, fiscal, diags)
    return [_load_one(a, rel, prefix + rel, fiscal, diags) for rel, a in files]


def _load_files_forked(files, prefix, fiscal, diags):
    split = int(len(files) * _PARENT_SHARE)
    mine, theirs = files[:split], files[split:]
    try:
        rfd, wfd = os.pipe()
    except OSError:  # pragma: no cover - out of file descriptors
        return [_load_one(a, rel, prefix + rel, fiscal, diags) for rel, a in files]
    try:
        pid = os.fork()
    except OSError:  # pragma: no cover - out of processes or memory
        os.close(rfd)
        os.close(wfd)
        return [_load_one(a, rel, prefix + rel, fiscal, diags) for rel, a in files]
    if pid == 0:  # the child: load, send, and leave without running any cleanup
        code = 1
        try:
            os.close(rfd)
            child_diags: list[Diagnostic] = []
            packed = []
            for rel, a in theirs:
                obj, id_pos = _load_one(a, rel, prefix + rel, fiscal, child_diags)
                packed.append((None if obj is None else _pack_objective(obj), id_pos))
            payload = memoryview(
                marshal.dumps(
                    (packed, [(d.path, d.line, d.col, d.severity.value, d.message, d.rule) for d in child_diags]),
                    2,  # version 2 (no object sharing) dumps twice as fast here
                )
            )
            while payload:
                payload = payload[os.write(wfd, payload) :]
            code = 0
        except BaseException:  # noqa: BLE001 - the parent redoes this part
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)
    done = False
    try:
        results = [_load_one(a, rel, prefix + rel, fiscal, diags) for rel, a in mine]
        with os.fdopen(rfd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        done = True
        if status == 0 and data:
            packed, child_diags = marshal.loads(data)
            if len(packed) == len(theirs):
                for (rel, _), (pobj, id_pos) in zip(theirs, packed):
                    results.append((None if pobj is None else _unpack_objective(pobj, prefix + rel, fiscal), id_pos))
                diags.extend(Diagnostic(p, ln, c, Severity(sev), m, r) for p, ln, c, sev, m, r in child_diags)
                return results
        # The child failed: load its part here (an exception then surfaces as usual).
        results.extend(_load_one(a, rel, prefix + rel, fiscal, diags) for rel, a in theirs)
        return results
    finally:
        if not done:
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:  # pragma: no cover
                pass


def _locs_of(m: Mapping[str, Location]) -> dict[str, Pos]:
    if isinstance(m, LocMap):
        return dict(m._pos)
    return {k: (v.line, v.col) for k, v in m.items()}


def _pack_objective(o: Objective) -> tuple:
    krs = tuple(
        (
            k.id, k.index, k.title, k.kind, k.start, k.target, k.current, k.current_explicit, k.unit, k.weight,
            k.done,
            tuple(
                (c.date.toordinal(), c.value, c.confidence, c.note, c.loc.line, c.loc.col)  # type: ignore[union-attr]
                for c in k.checkins
            ),
            (k.loc.line, k.loc.col),  # type: ignore[union-attr]
            _locs_of(k.field_locs),
        )
        for k in o.key_results
    )
    return (
        o.id, o.path, o.objective, o.owner, o.period.id, o.parent, o.parent_kr, o.commitment, o.status_override,
        o.tags, o.contributors, o.visibility, o.review_until.toordinal() if o.review_until else None,
        o.body, o.body_line, _locs_of(o.field_locs), krs,
    )


def _unpack_objective(t: tuple, path: str, fiscal: int) -> Objective:
    (oid, rel, objective, owner, period, parent, parent_kr, commitment, status, tags, contributors, visibility,
     review_until, body, body_line, field_pos, krs) = t
    from_ordinal = dt.date.fromordinal
    key_results = tuple(
        KeyResult(
            id=k[0], index=k[1], title=k[2], kind=k[3], start=k[4], target=k[5], current=k[6],
            current_explicit=k[7], unit=k[8], weight=k[9], done=k[10],
            checkins=tuple(
                CheckIn(date=from_ordinal(c[0]), value=c[1], confidence=c[2], note=c[3], loc=Location(path, c[4], c[5]))
                for c in k[11]
            ),
            loc=Location(path, *k[12]),
            field_locs=LocMap(path, k[13]) if k[13] else {},
        )
        for k in krs
    )
    return Objective(
        id=oid, path=rel, objective=objective, owner=owner, period=parse_period(period, fiscal),  # type: ignore[arg-type]
        key_results=key_results, parent=parent, parent_kr=parent_kr, commitment=commitment,
        status_override=status, tags=tags, contributors=contributors, visibility=visibility,
        review_until=from_ordinal(review_until) if review_until is not None else None,
        body=body, body_line=body_line, loc=Location(path, 1, 1), field_locs=LocMap(path, field_pos),
    )


# --- the whole root --------------------------------------------------------------


def load_okrs(
    root: str | Path,
    settings: Settings = Settings(),
    *,
    org_file: str | Path | None = None,
    display_base: str | Path | None = None,
) -> OkrSet:
    """Read the OKR root ``root`` into an :class:`OkrSet` with every problem found.

    - ``org_file``: the org.yml to use; None means ``<root>/org.yml`` when it exists
      (else there is no org and each owner is a unit). An explicit file that does
      not exist is a ``file-unreadable`` error.
    - ``display_base``: diagnostics show paths relative to it when the file lies
      under it (else absolute), with '/' separators. Default: the current folder.

    Objectives that load well enough are kept even when the set has errors, so
    the cross-file checks still run. Diagnostics come back sorted, with the
    ``settings.rules`` severities applied. Raises
    :class:`~mkdocs_okrs.core.rules.RuleSettingError` for invalid ``settings.rules``
    and :class:`SettingsError` for an invalid ``fiscal_year_start`` or
    ``SOURCE_DATE_EPOCH``.
    """
    overrides = parse_rule_settings(settings.rules)
    # Loading allocates many small objects that all stay alive: the cyclic garbage
    # collector would rescan them again and again (doubling the time on large roots).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, settings, overrides, org_file, display_base)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(root, settings: Settings, overrides, org_file, display_base) -> OkrSet:
    fiscal = settings.fiscal_year_start
    if isinstance(fiscal, bool) or not isinstance(fiscal, int) or not 1 <= fiscal <= 12:
        raise SettingsError(f"fiscal_year_start must be a month number 1-12, not {fiscal!r}")
    today = resolve_today(settings.today)

    root_abs = os.path.abspath(os.fspath(root))
    base = os.path.abspath(os.fspath(display_base)) if display_base is not None else os.getcwd()

    def show(p: str) -> str:
        return _to_display(p, base)

    root_shown = show(root_abs)
    prefix = "" if root_shown == "." else root_shown.rstrip("/") + "/"
    diags: list[Diagnostic] = []

    # org.yml
    org: Org | None = None
    org_read = False
    if org_file is not None:
        org_abs = os.path.abspath(os.fspath(org_file))
        if not os.path.exists(org_abs):
            diags.append(
                Diagnostic(show(org_abs), 1, 1, _E, "cannot read the org file: it does not exist", "file-unreadable")
            )
            org = Org(units={}, defined=True, path=show(org_abs))
        else:
            org = load_org(org_abs, show(org_abs), diags)
            org_read = True
    else:
        default_org = os.path.join(root_abs, "org.yml")
        if os.path.lexists(default_org):
            org = load_org(default_org, show(default_org), diags)
            org_read = True

    # objective files
    objectives: dict[str, Objective] = {}
    first_by_key: dict[str, Objective] = {}
    if not os.path.isdir(root_abs):
        what = "does not exist" if not os.path.lexists(root_abs) else "is not a folder"
        diags.append(Diagnostic(root_shown, 1, 1, _E, f"the OKR folder {what}", "file-unreadable"))
        files: list[tuple[str, str]] = []
    else:
        files = list_objective_files(root_abs, diags, show)
    for (rel, _), (obj, id_pos) in zip(files, _load_files(files, prefix, fiscal, diags)):
        path = prefix + rel
        if obj is None:
            continue
        key = id_key(obj.id)
        first = first_by_key.get(key)
        if first is not None:
            at = id_pos or (1, 1)
            same = "" if first.id == obj.id else f" ({first.id!r} differs only in case)"
            diags.append(
                Diagnostic(
                    path,
                    at[0],
                    at[1],
                    _E,
                    f"objective id {obj.id!r} is already used by {prefix + first.path}{same}",
                    "id-duplicate",
                )
            )
            continue
        first_by_key[key] = obj
        objectives[obj.id] = obj

    objectives = dict(sorted(objectives.items()))
    if org is None:
        org = implied_org(o.owner for o in objectives.values())
    periods = {
        p.id: p
        for p in sorted({o.period for o in objectives.values()}, key=lambda p: (p.start, p.end, p.id))
    }

    if validate is not None:
        diags.extend(validate(objectives, org, today))

    diags = sort_diagnostics(apply_severities(diags, overrides))
    return OkrSet(
        root=root_abs,
        org=org,
        objectives=objectives,
        periods=periods,
        today=today,
        diagnostics=diags,
        source_files=len(files) + (1 if org_read else 0),
    )
