"""Reading one objective file into an :class:`~.model.Objective`, every problem located.

:func:`load_objective_file` reads the file (:mod:`.frontmatter`), parses its
front-matter (:mod:`.yamlsafe`) and checks every field (:mod:`.fields`): the
objective, its key results and their check-ins. The choices it makes where the
contract is silent are listed in :mod:`.loader`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Iterator, Mapping, NamedTuple

from .diagnostics import Diagnostic, Location, Severity
from .fields import MAX_NUMBER, Fields, describe_value
from .frontmatter import SourceError, decode_source, read_source, split_front_matter
from .ids import id_problem, is_valid_id, is_valid_segment, split_parent
from .model import COMMITMENTS, STATUS_OVERRIDES, VISIBILITIES, CheckIn, KeyResult, Objective, Period
from .periods import ACCEPTED_FORMS, parse_period, period_hint
from .yamlsafe import CONTROL, Pos, YamlProblem, YMap, YSeq, control_problem, load_yaml

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
    "carried_from",
    "retrospective",
    "id",
    "key_results",
)
KR_KEYS: tuple[str, ...] = (
    "id", "title", "start", "target", "current", "unit", "weight", "done", "done_on", "checkins"
)
CHECKIN_KEYS: tuple[str, ...] = ("date", "value", "confidence", "note")
OBJECTIVE_KEY_SET = frozenset(OBJECTIVE_KEYS)
KR_KEY_SET = frozenset(KR_KEYS)
CHECKIN_KEY_SET = frozenset(CHECKIN_KEYS)

_E = Severity.ERROR


def _debug() -> bool:
    """True when unexpected exceptions must propagate (``MKDOCS_OKRS_DEBUG=1``; the tests set it)."""
    return os.environ.get("MKDOCS_OKRS_DEBUG", "") not in ("", "0")


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


class FileResult(NamedTuple):
    """What :func:`load_objective_file` made of one file.

    ``objective`` is None when the file cannot be used (its problems are
    reported). ``id_pos`` is where its explicit ``id:`` key is, if any.
    ``file_id`` is the id the file claims even when it failed to load: its
    ``id:`` when that is valid, else its path below the root without ``.md``.
    """

    objective: Objective | None
    id_pos: Pos | None
    file_id: str


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


def _num(f: Fields, m: YMap, key: str):
    """A number field (None when absent or wrong; wrong ones are reported)."""
    v = m.get(key, _MISSING)
    if v is _MISSING:
        return None
    if (v.__class__ is int or v.__class__ is float) and -MAX_NUMBER <= v <= MAX_NUMBER:  # (not NaN)
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


def _checkins(f: Fields, m: YMap, path: str) -> tuple[CheckIn, ...]:
    raw = m["checkins"]
    if raw is None:
        return ()
    if raw.__class__ is not YSeq:
        f.report(
            m.key_pos["checkins"],
            "field-type",
            f"checkins must be a list of {{date, value, confidence, note}}, not {describe_value(raw, m.raw.get('checkins'))}",
        )
        return ()
    out: list[CheckIn] = []
    prev: tuple[dt.date, int] | None = None
    known = CHECKIN_KEY_SET
    for i, (item, pos) in enumerate(zip(raw, raw.item_pos)):
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
        # Inline tests for the usual values; _num reads (and reports) the others.
        value = item.get("value")
        if value.__class__ is not int:
            value = _num(f, item, "value")
        confidence = item.get("confidence")
        if confidence.__class__ is not float or not 0 <= confidence <= 1:
            confidence = _num(f, item, "confidence")
            if confidence is not None and not 0 <= confidence <= 1:
                f.report(
                    item.key_pos["confidence"],
                    "confidence-range",
                    f"confidence {item.raw.get('confidence', confidence)} is outside 0.0 to 1.0",
                )
                confidence = None
        note = item.get("note")
        if note is not None and note.__class__ is not str:
            note = f.text(item, "note")
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
        out.append(CheckIn(day, value, confidence, note, Location(path, pos[0], pos[1])))
    return tuple(out)


_KR_IDS = tuple(sys.intern(f"kr{n}") for n in range(1, 21))  # the default ids: one string each for every objective


def _key_result(f: Fields, item: object, pos: Pos, index: int, raw_text: str | None, path: str) -> KeyResult | None:
    default_id = _KR_IDS[index] if index < len(_KR_IDS) else f"kr{index + 1}"
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
    done_on = m.get("done_on", None)
    if done_on is not None and done_on.__class__ is not dt.date:
        done_on = f.date(m, "done_on")
    elif done_on is None and "done_on" in m:
        done_on = f.date(m, "done_on")  # empty: reported as such
    checkins = _checkins(f, m, path) if "checkins" in m else ()

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
    if done_on is not None:
        done_on = _check_done_on(f, m, done_on, kind, done, has_done, has_start or has_target)
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
        checkins=checkins,
        loc=Location(path, pos[0], pos[1]),
        field_locs=LocMap(path, m.key_pos),
        measure_invalid=kind == "none" and (has_done or has_start or has_target),
        done_on=done_on,
    )


def _check_done_on(f: Fields, m: YMap, done_on: dt.date, kind: str, done, has_done: bool, has_metric: bool):
    """``done_on`` when it belongs to a milestone with ``done: true``, else None (reported
    as ``field-value`` at the ``done_on`` key, saying why). Nothing more is said when the
    measure itself has an error (reported already)."""
    day = done_on.isoformat()
    if has_metric and not has_done:
        why = (
            f"done_on: {day} is only for milestones (done: true), and this key result is a metric"
            " (start and target): remove done_on; a metric's check-ins date its progress"
        )
    elif kind == "milestone" and done is False:
        why = f"done_on: {day} is set but done is false: set done: true, or remove done_on while it is not done"
    elif kind == "milestone":
        return done_on
    elif not has_done and not has_metric:
        why = (
            f"done_on: {day} is only for milestones, and this key result has no measure:"
            " add done: true, or remove done_on"
        )
    else:
        return None  # the measure has an error of its own
    f.report(m.key_pos["done_on"], "field-value", why)
    return None


def _key_results(f: Fields, m: YMap, path: str) -> tuple[list[KeyResult], int]:
    """The key results that could be read, and the number of items written."""
    if "key_results" not in m:
        f.report(m.pos, "field-required", "key_results: is required (a list of at least one key result)")
        return [], 0
    raw = m["key_results"]
    if raw is None or (isinstance(raw, YSeq) and not raw):
        f.report(m.key_pos["key_results"], "field-required", "key_results: needs at least one key result")
        return [], 0
    if not isinstance(raw, YSeq):
        f.report(
            m.key_pos["key_results"],
            "field-type",
            f"key_results must be a list of key results, not {describe_value(raw, m.raw.get('key_results'))}",
        )
        return [], 0
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
    return out, len(raw)


def _objective(f: Fields, m: YMap, rel: str, path: str, body: str, body_line: int, fiscal: int) -> FileResult:
    """Read one objective's front-matter (see :class:`FileResult`)."""
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
    carried_from = None
    ctext = _text(f, m, "carried_from")
    if ctext is not None:
        c_id = ctext.strip()
        if "#" in c_id:
            f.report(
                m.key_pos["carried_from"],
                "id-invalid",
                f"carried_from {ctext!r} names a key result; carried_from names an objective:"
                f" remove '#{c_id.partition('#')[2]}'",
            )
        else:
            problem = None if is_valid_id(c_id) else id_problem(c_id)
            if problem:
                f.report(
                    m.key_pos["carried_from"], "id-invalid", f"carried_from {ctext!r} is not a valid objective id: {problem}"
                )
            else:
                carried_from = c_id
    retrospective = _text(f, m, "retrospective")
    if retrospective is not None:
        retrospective = retrospective.strip() or None
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
    key_results, written = _key_results(f, m, path)

    if oid is None or owner is None or period is None:
        return FileResult(None, id_pos, oid if oid is not None else rel[:-3])
    return FileResult(
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
            key_results_written=written,
            carried_from=carried_from,
            retrospective=retrospective,
        ),
        id_pos,
        oid,
    )


def load_objective_file(abs_path: str, rel: str, path: str, fiscal: int, diags: list[Diagnostic],
                        content: bytes | None = None) -> FileResult:
    """Load the objective file ``abs_path`` (``rel`` below the root); problems go to
    ``diags``, shown with ``path``. ``fiscal`` is the fiscal year's first month.
    ``content``: the file's bytes as they would be written (a command checks a file
    before it writes it), instead of what is on disk."""
    f = Fields(path, diags)
    text_problems: list[YamlProblem] = []
    try:
        text = read_source(abs_path) if content is None else decode_source(content)
        fm = split_front_matter(text)
        data = load_yaml(fm.yaml, fm.yaml_line, text_problems)
    except (SourceError, YamlProblem) as exc:
        diags.append(Diagnostic(path, exc.line, exc.col, _E, exc.message, exc.rule))
        return FileResult(None, None, rel[:-3])
    for p in text_problems:
        diags.append(Diagnostic(path, p.line, p.col, _E, p.message, p.rule))
    bad = CONTROL.search(fm.body)
    if bad is not None:
        line = fm.body_line + fm.body.count("\n", 0, bad.start())
        col = bad.start() - (fm.body.rfind("\n", 0, bad.start()) + 1) + 1
        p = control_problem("the body", bad.group(), line, col)
        diags.append(Diagnostic(path, p.line, p.col, _E, p.message, p.rule))
    if data is None:
        f.report(
            (1, 1),
            "field-required",
            "the front-matter is empty; it needs objective:, owner:, period: and key_results:",
        )
        return FileResult(None, None, rel[:-3])
    if not isinstance(data, YMap):
        at = data.pos if isinstance(data, YSeq) else (fm.yaml_line, 1)
        f.report(
            at,
            "field-type",
            f"the front-matter must be a mapping of keys (objective:, owner:, ...), not {describe_value(data)}",
        )
        return FileResult(None, None, rel[:-3])
    return _objective(f, data, rel, path, fm.body, fm.body_line, fiscal)


def load_one(abs_path: str, rel: str, path: str, fiscal: int, diags: list[Diagnostic],
             content: bytes | None = None) -> FileResult:
    """:func:`load_objective_file`, with an unexpected exception turned into a diagnostic
    (a bug, but never a traceback for a user; ``MKDOCS_OKRS_DEBUG=1`` re-raises it)."""
    try:
        return load_objective_file(abs_path, rel, path, fiscal, diags, content)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        if _debug():
            raise
        diags.append(
            Diagnostic(
                path, 1, 1, _E,
                f"cannot read the file: internal error ({type(exc).__name__}: {exc}); please report it",
                "file-unreadable",
            )
        )
        return FileResult(None, None, rel[:-3])
