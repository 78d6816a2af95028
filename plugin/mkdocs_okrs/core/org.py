"""The organization: units from org.yml, or units implied by the owners.

``org.yml`` holds ``units:``, a list of ``{id, name, parent, lead, description}``.
Unit ids follow the id rule as a single segment; ``name`` defaults to the id.
Without org.yml, owners are free text and each distinct owner is a unit with no
parent (:func:`implied_org`).
"""

from __future__ import annotations

from typing import Iterable

from .diagnostics import Diagnostic, Location, Severity
from .frontmatter import SourceError, read_source
from .ids import id_problem
from .model import Org, Unit
from .suggest import did_you_mean
from .fields import Fields, describe_value
from .yamlsafe import YamlProblem, YMap, YSeq, load_yaml

ORG_KEYS: tuple[str, ...] = ("units",)
UNIT_KEYS: tuple[str, ...] = ("id", "name", "parent", "lead", "description")


def implied_org(owners: Iterable[str]) -> Org:
    """The organization without org.yml: one parentless unit per distinct owner."""
    units = {o: Unit(id=o, name=o) for o in sorted(set(owners)) if o}
    return Org(units=units, defined=False)


def load_org(path: str, display: str, diags: list[Diagnostic]) -> Org:
    """Read org.yml at ``path`` (shown as ``display`` in diagnostics).

    Every problem is appended to ``diags``; the units that load well are kept.
    The result always has ``defined=True``: owners are then checked against it.
    """
    text_problems: list[YamlProblem] = []
    try:
        text = read_source(path)
        data = load_yaml(text, 1, text_problems)
    except (SourceError, YamlProblem) as exc:
        diags.append(Diagnostic.at(Location(display, exc.line, exc.col), Severity.ERROR, exc.message, exc.rule))
        return Org(units={}, defined=True, path=display)
    except Exception as exc:  # never a traceback for bad input
        diags.append(
            Diagnostic(display, 1, 1, Severity.ERROR, f"cannot read org.yml: {type(exc).__name__}: {exc}", "file-unreadable")
        )
        return Org(units={}, defined=True, path=display)
    for p in text_problems:
        diags.append(Diagnostic(display, p.line, p.col, Severity.ERROR, p.message, p.rule))
    return parse_org(data, display, diags)


def parse_org(data: object, display: str, diags: list[Diagnostic]) -> Org:
    """Build the :class:`Org` from the parsed org.yml ``data`` (see :func:`load_org`)."""
    f = Fields(display, diags)
    if data is None:
        f.report((1, 1), "field-required", "org.yml is empty; it needs units: (a list of {id, name, parent})")
        return Org(units={}, defined=True, path=display)
    if not isinstance(data, YMap):
        pos = data.pos if isinstance(data, YSeq) else (1, 1)
        f.report(pos, "field-type", f"org.yml must be a mapping with units:, not {describe_value(data)}")
        return Org(units={}, defined=True, path=display)
    f.unknown_keys(data, ORG_KEYS, "org.yml")
    if "units" not in data:
        f.report(data.pos, "field-required", "units: is required in org.yml")
        return Org(units={}, defined=True, path=display)
    raw_units = data["units"]
    if raw_units is None:
        raw_units = YSeq(data.key_pos["units"])
    if not isinstance(raw_units, YSeq):
        f.report(data.key_pos["units"], "field-type", f"units must be a list of units, not {describe_value(raw_units)}")
        return Org(units={}, defined=True, path=display)

    units: dict[str, Unit] = {}
    parent_pos: dict[str, tuple[int, int]] = {}
    seen_at: dict[str, tuple[int, int]] = {}
    for i, item in enumerate(raw_units):
        pos = raw_units.item_pos[i]
        if not isinstance(item, YMap):
            f.report(pos, "field-type", f"units: item {i + 1} must be a mapping with id: and name:, not {describe_value(item)}")
            continue
        f.unknown_keys(item, UNIT_KEYS, "a unit")
        uid = f.text(item, "id", required=True, where="a unit")
        name = f.text(item, "name")
        parent = f.text(item, "parent")
        lead = f.text(item, "lead")
        description = f.text(item, "description")
        if uid is None:
            continue
        problem = id_problem(uid, single_segment=True)
        if problem:
            f.report(item.key_pos["id"], "id-invalid", f"unit id {uid!r} is not valid: {problem}")
            continue
        if uid in seen_at:
            f.report(
                item.key_pos["id"],
                "unit-id-duplicate",
                f"unit id {uid!r} is already used on line {seen_at[uid][0]}",
            )
            continue
        seen_at[uid] = item.key_pos["id"]
        if parent is not None:
            parent_pos[uid] = item.key_pos["parent"]
        units[uid] = Unit(
            id=uid,
            name=name if name is not None and name.strip() else uid,
            parent=parent,
            lead=lead,
            description=description,
            loc=Location(display, *pos),
        )

    # Parents must be units; report unknown ones and drop the link so later
    # code never follows it.
    for uid, unit in list(units.items()):
        if unit.parent is not None and unit.parent not in units:
            f.report(
                parent_pos[uid],
                "unit-parent-unknown",
                f"unit {uid!r} has parent {unit.parent!r}, which is not a unit in {display}"
                + did_you_mean(unit.parent, units),
            )
    _report_cycles(units, parent_pos, f)
    return Org(units=dict(sorted(units.items())), defined=True, path=display)


def _report_cycles(units: dict[str, Unit], parent_pos: dict[str, tuple[int, int]], f: Fields) -> None:
    """One ``unit-cycle`` per cycle, at the parent key of its member listed first in the file."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    order = {uid: i for i, uid in enumerate(units)}
    for start in units:
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in units and state.get(cur) is None:
            state[cur] = 1
            path.append(cur)
            cur = units[cur].parent
        if cur is not None and state.get(cur) == 1:
            cycle = path[path.index(cur) :]
            first = min(cycle, key=order.__getitem__)
            k = cycle.index(first)
            ring = cycle[k:] + cycle[:k] + [first]
            members = " → ".join(f"{u} (line {parent_pos[u][0]})" for u in ring[:-1]) + f" → {first}"
            f.report(parent_pos[first], "unit-cycle", f"unit {first!r} is its own ancestor: {members}")
        for u in path:
            state[u] = 2
