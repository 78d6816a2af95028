"""What changed between two sets of OKRs, by meaning (``okrs diff``).

:func:`diff_okrs` compares two :class:`Side` s (each an :class:`~.model.OkrSet` as the
loader made it, so both are read exactly as ``okrs check`` reads them) and returns an
:class:`OkrDiff`: one :class:`ObjectiveDiff` per objective that changed, each with its
:class:`Change` s. No I/O, no git: :mod:`mkdocs_okrs.commands.diff` reads the
revisions and prints the result.

How objectives and key results are matched (where the contract is silent):

- The same objective ``id`` on both sides is the same objective (also when its file
  moved: a ``path`` change).
- An objective present on one side only is *added* or *removed*, except that a
  removed and an added objective with the same statement and owner, or else from the
  same file, are one objective *moved* (its id changed: a file renamed or moved to
  another folder, or an ``id:`` added), compared like any other pair.
- A file that exists on a side but could not be loaded there (broken YAML, a missing
  field, a duplicate id: the loader's errors) makes no objective there. Its objective
  is then *unreadable* on that side, with the errors, instead of removed or added.
- Key results are matched by id and title both, then by title alone, then by id
  (ids default to ``kr1``, ``kr2``... by position, so removing the first key result
  renames the others; the title follows it). Check-ins are matched by date (dates are
  strictly ascending within a key result).

Flags, the changes a reviewer should look at twice (``Change.flag``):

- ``checkin-edited`` / ``checkin-removed``: a check-in of BASE differs or is gone
  in HEAD (history rewritten).
- ``target-moved`` / ``start-moved``: a key result's target or start changed, or its
  measure changed kind (metric, milestone, none), while the objective's period
  (on either side) contains ``today``.
- ``commitment-changed``: committed <-> aspirational.
- ``made-private``: ``visibility`` became private.

Private objectives are compared and reported like the others, marked private: the
diff is for reviewers of the repository, who can read the files anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .diagnostics import Diagnostic, Severity
from .model import CheckIn, KeyResult, Objective, OkrSet

# The flag kinds, in the order they are listed, with what they say.
FLAGS: dict[str, str] = {
    "checkin-edited": "past check-in edited",
    "checkin-removed": "past check-in removed",
    "target-moved": "target moved while the period runs",
    "start-moved": "start moved while the period runs",
    "commitment-changed": "commitment changed",
    "made-private": "made private",
}

# What happened to an objective, in the order they are counted.
OBJECTIVE_CHANGES = ("changed", "added", "removed", "moved", "unreadable")


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: the objectives loaded, and the objective files that exist but
    could not be loaded (path relative to the OKR root -> their errors).

    ``label`` names the side for people (``main (1a2b3c4)``, ``the working tree``)."""

    objectives: Mapping[str, Objective]
    failed: Mapping[str, tuple[Diagnostic, ...]]
    errors: Mapping[str, tuple[Diagnostic, ...]]  # every objective file with an error -> its errors
    label: str = ""


def side_of(okrs: OkrSet, prefix: str, label: str = "") -> Side:
    """The :class:`Side` of a loaded set. ``prefix`` is how the loader showed the root in
    its diagnostics (``okrs/``, or ``""`` when paths are relative to the root itself):
    diagnostic paths are ``prefix + path below the root``."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in okrs.diagnostics:
        if d.severity is not Severity.ERROR or not d.path.startswith(prefix) or not d.path.endswith(".md"):
            continue
        by_file.setdefault(d.path[len(prefix):], []).append(d)
    loaded = {o.path for o in okrs.objectives.values()}
    errors = {rel: tuple(ds) for rel, ds in by_file.items()}
    failed = {rel: ds for rel, ds in errors.items() if rel not in loaded}
    return Side(okrs.objectives, failed, errors, label)


@dataclass(frozen=True, slots=True)
class Change:
    """One change of an objective or of one of its key results.

    ``kind`` is one of :data:`CHANGE_KINDS`; ``old`` and ``new`` are JSON-ready values
    (text, numbers, ISO dates, lists, mappings for check-ins and key results; None
    where a side has none). ``kr`` / ``kr_title`` name the key result (HEAD's id and
    title when it has one, else BASE's) and ``unit`` its unit; ``flag`` is a
    :data:`FLAGS` kind or None."""

    kind: str
    old: Any = None
    new: Any = None
    kr: str | None = None
    kr_title: str | None = None
    flag: str | None = None
    unit: str | None = None  # the key result's unit (HEAD's), for showing values

    def as_dict(self) -> dict:
        return {"kind": self.kind, "kr": self.kr, "kr_title": self.kr_title, "unit": self.unit,
                "old": self.old, "new": self.new, "flag": self.flag}


# Every change kind: objective fields, then key results, then check-ins.
CHANGE_KINDS = (
    "statement", "owner", "period", "parent", "commitment", "visibility", "status", "tags",
    "contributors", "review_until", "carried_from", "retrospective", "body", "path",
    "kr-added", "kr-removed", "kr-title", "kr-id", "kr-measure", "kr-start", "kr-target", "kr-unit",
    "kr-weight", "kr-current", "kr-done", "kr-done-on",
    "checkin-added", "checkin-edited", "checkin-removed",
)


@dataclass(frozen=True, slots=True)
class ObjectiveDiff:
    """What happened to one objective.

    ``change``: ``changed``, ``added``, ``removed``, ``moved`` or ``unreadable``.
    ``id``, ``title``, ``owner``, ``period``, ``path`` (below the OKR root) are HEAD's
    (BASE's for a removed objective, or one unreadable in HEAD); ``old_id`` and
    ``old_path`` BASE's where they differ. ``private`` is True when it is private on
    either side. ``problems``: for ``unreadable``, the errors that stop the file from
    loading on ``unreadable_in`` (``base`` or ``head``); otherwise HEAD's errors in the
    file (it loaded, with problems ``okrs check`` reports). ``key_results`` summarises
    an added objective's key results (as in ``kr-added``)."""

    change: str
    id: str
    title: str
    owner: str
    period: str
    path: str
    private: bool = False
    old_id: str | None = None
    old_path: str | None = None
    changes: tuple[Change, ...] = ()
    problems: tuple[Diagnostic, ...] = ()
    unreadable_in: str | None = None
    key_results: tuple[dict, ...] = ()

    @property
    def flags(self) -> list[Change]:
        return [c for c in self.changes if c.flag]

    def as_dict(self) -> dict:
        return {
            "change": self.change, "id": self.id, "old_id": self.old_id, "title": self.title,
            "owner": self.owner, "period": self.period, "path": self.path, "old_path": self.old_path,
            "private": self.private, "unreadable_in": self.unreadable_in,
            "problems": [d.as_dict() for d in self.problems],
            "key_results": list(self.key_results),
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class OkrDiff:
    """The result of :func:`diff_okrs`: the objectives that changed, in id order."""

    today: dt.date
    objectives: tuple[ObjectiveDiff, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def flags(self) -> list[tuple[ObjectiveDiff, Change]]:
        """Every flagged change with its objective, flags in :data:`FLAGS` order."""
        order = {k: i for i, k in enumerate(FLAGS)}
        pairs = [(o, c) for o in self.objectives for c in o.changes if c.flag]
        return sorted(pairs, key=lambda p: order.get(p[1].flag, len(order)))

    @property
    def empty(self) -> bool:
        return not self.objectives


# --- values as JSON ----------------------------------------------------------------------


def num(value: float | None) -> float | int | None:
    """A number as JSON should show it: ``800`` rather than ``800.0``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def checkin_dict(c: CheckIn) -> dict:
    """A check-in as JSON: date, value, confidence, note (absent ones None)."""
    return {"date": c.date.isoformat(), "value": num(c.value), "confidence": num(c.confidence), "note": c.note}


def kr_dict(kr: KeyResult) -> dict:
    """A key result's measure as JSON (what ``kr-added``, ``kr-removed`` and
    ``kr-measure`` show)."""
    return {"id": kr.id, "title": kr.title, "kind": kr.kind, "start": num(kr.start),
            "target": num(kr.target), "unit": kr.unit, "done": kr.done, "weight": num(kr.weight),
            "checkins": len(kr.checkins)}


def _measure(kr: KeyResult) -> dict:
    if kr.kind == "metric":
        return {"kind": "metric", "start": num(kr.start), "target": num(kr.target), "unit": kr.unit}
    if kr.kind == "milestone":
        return {"kind": "milestone", "done": kr.done}
    return {"kind": "none"}


def _parent(o: Objective) -> str | None:
    if o.parent is None:
        return None
    return f"{o.parent}#{o.parent_kr}" if o.parent_kr else o.parent


# --- comparing ---------------------------------------------------------------------------


def _running(today: dt.date, *objectives: Objective) -> bool:
    return any(o.period.contains(today) for o in objectives)


def _match_krs(old: tuple[KeyResult, ...], new: tuple[KeyResult, ...]):
    """Pairs (old, new) of the same key result, then the removed and the added ones."""
    pairs: list[tuple[KeyResult, KeyResult]] = []
    left_old = list(old)
    left_new = list(new)

    def take(same) -> None:
        for a in list(left_old):
            for b in left_new:
                if same(a, b):
                    pairs.append((a, b))
                    left_old.remove(a)
                    left_new.remove(b)
                    break

    take(lambda a, b: a.id == b.id and a.title == b.title)
    # by title, only where it is unique on both sides
    old_titles = [k.title for k in left_old]
    new_titles = [k.title for k in left_new]
    take(lambda a, b: a.title == b.title and old_titles.count(a.title) == 1 and new_titles.count(b.title) == 1)
    take(lambda a, b: a.id == b.id)
    pairs.sort(key=lambda p: p[1].index)
    return pairs, left_old, left_new


def _compare_kr(a: KeyResult, b: KeyResult, running: bool) -> list[Change]:
    out: list[Change] = []

    def add(kind: str, old, new, flag: str | None = None) -> None:
        out.append(Change(kind, old, new, b.id, b.title, flag, b.unit))

    if a.title != b.title:
        add("kr-title", a.title, b.title)
    if a.id != b.id and ("id" in a.field_locs or "id" in b.field_locs):
        add("kr-id", a.id, b.id)  # (default ids, kr1, kr2..., follow the position: not a change)
    if a.kind != b.kind:
        add("kr-measure", _measure(a), _measure(b), "target-moved" if running else None)
    else:
        if a.kind == "metric":
            if a.start != b.start:
                add("kr-start", num(a.start), num(b.start), "start-moved" if running else None)
            if a.target != b.target:
                add("kr-target", num(a.target), num(b.target), "target-moved" if running else None)
        if a.kind == "milestone":
            if a.done != b.done:
                add("kr-done", a.done, b.done)
            if a.done_on != b.done_on:
                add("kr-done-on", _iso(a.done_on), _iso(b.done_on))
    if a.unit != b.unit:
        add("kr-unit", a.unit, b.unit)
    if a.weight != b.weight:
        add("kr-weight", num(a.weight), num(b.weight))
    old_current = a.current if a.current_explicit else None
    new_current = b.current if b.current_explicit else None
    if old_current != new_current:
        add("kr-current", num(old_current), num(new_current))

    old_ci = {c.date: c for c in a.checkins}
    new_ci = {c.date: c for c in b.checkins}
    gone = [old_ci[d] for d in sorted(old_ci.keys() - new_ci.keys())]
    came = [new_ci[d] for d in sorted(new_ci.keys() - old_ci.keys())]
    # A check-in gone from one date and one that says the same on another: re-dated.
    redated: dict[dt.date, CheckIn] = {}  # new date -> the old check-in
    for c in list(gone):
        for n in came:
            if n.date not in redated and (n.value, n.confidence, n.note) == (c.value, c.confidence, c.note):
                redated[n.date] = c
                gone.remove(c)
                break
    gone_dates = {c.date for c in gone}
    for day in sorted(old_ci.keys() | new_ci.keys()):
        before, after = old_ci.get(day), new_ci.get(day)
        if before is None:
            if day in redated:
                add("checkin-edited", checkin_dict(redated[day]), checkin_dict(after), "checkin-edited")
            else:
                add("checkin-added", None, checkin_dict(after))
        elif after is None:
            if day in gone_dates:
                add("checkin-removed", checkin_dict(before), None, "checkin-removed")
        elif (before.value, before.confidence, before.note) != (after.value, after.confidence, after.note):
            add("checkin-edited", checkin_dict(before), checkin_dict(after), "checkin-edited")
    return out


def compare_objectives(a: Objective, b: Objective, today: dt.date) -> list[Change]:
    """The changes from objective ``a`` (BASE) to ``b`` (HEAD)."""
    out: list[Change] = []
    if a.objective != b.objective:
        out.append(Change("statement", a.objective, b.objective))
    if a.owner != b.owner:
        out.append(Change("owner", a.owner, b.owner))
    if a.period.id != b.period.id:
        out.append(Change("period", a.period.id, b.period.id))
    if _parent(a) != _parent(b):
        out.append(Change("parent", _parent(a), _parent(b)))
    if a.commitment != b.commitment:
        out.append(Change("commitment", a.commitment, b.commitment, flag="commitment-changed"))
    if a.visibility != b.visibility:
        out.append(Change("visibility", a.visibility, b.visibility,
                          flag="made-private" if b.private else None))
    if a.status_override != b.status_override:
        out.append(Change("status", a.status_override, b.status_override))
    if a.tags != b.tags:
        out.append(Change("tags", list(a.tags), list(b.tags)))
    if a.contributors != b.contributors:
        out.append(Change("contributors", list(a.contributors), list(b.contributors)))
    if a.review_until != b.review_until:
        out.append(Change("review_until", _iso(a.review_until), _iso(b.review_until)))
    if a.carried_from != b.carried_from:
        out.append(Change("carried_from", a.carried_from, b.carried_from))
    if a.retrospective != b.retrospective:
        out.append(Change("retrospective", a.retrospective, b.retrospective))
    if a.body.strip() != b.body.strip():
        out.append(Change("body"))
    if a.path != b.path and a.id == b.id:
        out.append(Change("path", a.path, b.path))

    running = _running(today, a, b)
    pairs, removed, added = _match_krs(a.key_results, b.key_results)
    for kr in removed:
        out.append(Change("kr-removed", kr_dict(kr), None, kr.id, kr.title, unit=kr.unit))
    for kr in added:
        out.append(Change("kr-added", None, kr_dict(kr), kr.id, kr.title, unit=kr.unit))
    for x, y in pairs:
        out.extend(_compare_kr(x, y, running))
    return out


def _entry(change: str, o: Objective, **kw) -> ObjectiveDiff:
    return ObjectiveDiff(change, o.id, o.objective, o.owner, o.period.id, o.path,
                         private=kw.pop("private", o.private), **kw)


def _pair_moves(removed: list[Objective], added: list[Objective]):
    """(old, new) pairs of removed and added objectives that are one objective moved:
    the same statement and owner, else the same file; the rest stay as they are."""
    moves: list[tuple[Objective, Objective]] = []
    for key in (lambda o: (o.objective, o.owner), lambda o: o.path):
        by_key: dict = {}
        for o in added:
            by_key.setdefault(key(o), []).append(o)
        for o in list(removed):
            candidates = by_key.get(key(o))
            if candidates:
                new = candidates.pop(0)
                moves.append((o, new))
                removed.remove(o)
                added.remove(new)
    return moves


def diff_okrs(base: Side, head: Side, today: dt.date) -> OkrDiff:
    """What changed from ``base`` to ``head``, by meaning; ``today`` decides which
    periods run (for the ``target-moved`` and ``start-moved`` flags)."""
    entries: list[ObjectiveDiff] = []
    removed: list[Objective] = []
    added: list[Objective] = []

    for oid, a in base.objectives.items():
        b = head.objectives.get(oid)
        if b is not None:
            changes = compare_objectives(a, b, today)
            if changes:
                entries.append(_entry("changed", b, private=a.private or b.private,
                                      old_path=a.path if a.path != b.path else None,
                                      changes=tuple(changes), problems=head.errors.get(b.path, ())))
        elif a.path in head.failed:
            entries.append(_entry("unreadable", a, problems=head.failed[a.path], unreadable_in="head"))
        else:
            removed.append(a)
    for oid, b in head.objectives.items():
        if oid not in base.objectives:
            added.append(b)
    # a file that could not be read in BASE and now can: reported with BASE's errors
    repaired = [b for b in added if b.path in base.failed]
    added = [b for b in added if b.path not in base.failed]

    for a, b in _pair_moves(removed, added):
        entries.append(_entry("moved", b, private=a.private or b.private, old_id=a.id,
                              old_path=a.path if a.path != b.path else None,
                              changes=tuple(compare_objectives(a, b, today)),
                              problems=head.errors.get(b.path, ())))
    for a in removed:
        entries.append(_entry("removed", a, key_results=tuple(kr_dict(k) for k in a.key_results)))
    for b in added:
        entries.append(_entry("added", b, key_results=tuple(kr_dict(k) for k in b.key_results),
                              problems=head.errors.get(b.path, ())))
    for b in repaired:
        entries.append(_entry("unreadable", b, problems=base.failed[b.path], unreadable_in="base",
                              key_results=tuple(kr_dict(k) for k in b.key_results)))

    # files unreadable in HEAD that no objective of BASE came from (new, or broken on both
    # sides in another way)
    claimed = {e.path for e in entries if e.unreadable_in == "head"}
    for rel, problems in head.failed.items():
        if rel in claimed:
            continue
        before = base.failed.get(rel)
        if before is not None and [(d.rule, d.message) for d in before] == [(d.rule, d.message) for d in problems]:
            continue  # broken the same way on both sides: nothing changed that can be told
        fid = rel.removesuffix(".md")
        entries.append(ObjectiveDiff("unreadable", fid, "", "", "", rel, problems=problems, unreadable_in="head"))

    entries.sort(key=lambda e: (e.id, e.change))
    counts = {k: 0 for k in OBJECTIVE_CHANGES}
    for e in entries:
        counts[e.change] += 1
    counts["flags"] = sum(len(e.flags) for e in entries)
    return OkrDiff(today, tuple(entries), counts)

