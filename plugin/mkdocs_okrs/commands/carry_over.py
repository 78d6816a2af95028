"""``okrs carry-over FROM_PERIOD TO_PERIOD``: continue the unfinished objectives of a
period in the next one.

For every objective of FROM_PERIOD (exactly that period; with ``--unit``, exactly that
owner) that is neither done nor dropped (``status:``) and whose score -- its progress
on FROM_PERIOD's last day -- is below its bar (1.0 committed, 0.7 aspirational; an
objective without a measure counts as below it), a copy is written at
``TO_PERIOD/OWNER/SLUG.md`` (SLUG: the source's file name; OWNER's slug when it is no
valid id segment, a free-text owner), changed only where it must be:

- ``period`` is TO_PERIOD; ``carried_from`` names the source;
- ``status``, ``retrospective``, ``review_until`` and ``id`` are left out (the new
  file's id is its path);
- each metric key result starts at its value on FROM_PERIOD's last day; its
  ``current`` and check-ins are left out;
- a key result already met on that day (a metric at or past its target, a milestone
  done) is left out: there is nothing to carry; a key result after it that has no
  ``id:`` gets its old default id (``kr3``), so ids stay what they were;
- a milestone not yet done on that day is ``done: false``, without ``done_on``;
- ``parent`` is kept where it is valid in TO_PERIOD, as the validator says: it is
  left out when the copy would have a parent error or the ``period-outside-parent``
  warning (a parent of FROM_PERIOD rarely contains TO_PERIOD);
- every other byte (comments, ``visibility: private``, tags, the body) is kept.

An objective is skipped, with the reason, when it is done, dropped, met its bar, was
carried over already (an objective names it in ``carried_from``), or when the target
file or id exists. All files are checked together as ``okrs check`` would; if one
would not pass, none is written.
"""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TextIO

from . import summary
from .common import EXIT_OK, EXIT_PROBLEMS, UsageError, add_root_options, check_change, print_refusal, workspace, write_whole

EPILOG = """\
examples:
  okrs carry-over 2026-Q3 2026-Q4 --dry-run      what would be carried, and why not
  okrs carry-over 2026-Q3 2026-Q4                write the files
  okrs carry-over 2026-Q3 2026-Q4 --unit growth  only the objectives growth owns
  okrs carry-over 2026 2027 --dry-run --show     print the files' text too

exit status: 0 written (or shown, with --dry-run; also when nothing is to be
carried), 1 refused (a file would not pass 'okrs check', or could not be written:
then none is written), 2 usage error."""

# A parent that is not valid where the copy lands: these make the copy lose it.
PARENT_RULES = frozenset({"parent-unknown", "parent-kr-unknown", "parent-cycle", "period-outside-parent"})
LEFT_OUT_KEYS = ("status", "retrospective", "review_until", "id")


def register(sub) -> None:
    p = sub.add_parser(
        "carry-over",
        help=summary("carry-over"),
        description=(
            "For every objective of FROM_PERIOD that is neither done nor dropped and whose score is "
            "below its bar (1.0 committed, 0.7 aspirational), write one in TO_PERIOD at "
            "TO_PERIOD/OWNER/SLUG.md with carried_from set, each metric key result starting at its "
            "value on FROM_PERIOD's last day, no check-ins, and the parent kept only where it is "
            "valid. Prints what it wrote and what it skipped, with why."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("from_period", metavar="FROM_PERIOD", help="the period whose objectives are carried over")
    p.add_argument("to_period", metavar="TO_PERIOD", help="the period they are carried into (it starts after FROM_PERIOD)")
    p.add_argument("--unit", metavar="U", help="only the objectives whose owner is U (not its sub-units)")
    p.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    p.add_argument("--show", action="store_true", help="also print the text of each file")
    add_root_options(p)
    p.set_defaults(run=run)


@dataclass
class Carried:
    """One objective to carry: the source, where its copy goes, the copy's bytes and
    what changed on the way."""

    source: object  # the Objective
    data: bytes  # the source file's bytes
    path: Path
    new: bytes = b""
    notes: list[str] = field(default_factory=list)
    why: str = ""


def _shown_number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def carry_text(o, data: bytes, to_period: str, drop_parent: bool) -> tuple[bytes, list[str]]:
    """The bytes of ``o``'s copy in ``to_period`` (``data``: the source file's bytes),
    and notes on what changed. Raises EditError when the file cannot be edited."""
    from ..core.compute import done_on_day, metric_progress, value_on
    from ..core.edit import Document, EditError, scalar_text

    end = o.period.end
    doc = Document(data)
    root = doc.root
    notes: list[str] = []
    period = root.get("period")
    if period is None:
        raise EditError("period: is missing")
    doc.set_scalar(period, to_period)  # a valid period is plain text YAML reads as it is
    doc.set_value(root, "carried_from", scalar_text(o.id), after=("period",))
    left_out = [key for key in LEFT_OUT_KEYS if doc.remove_entry(root, key)]
    if drop_parent and doc.remove_entry(root, "parent"):
        left_out.append("parent")

    krs = root.get("key_results")
    if krs is None or krs.kind != "seq":
        raise EditError("key_results: is not a list")
    removed: set[int] = set()
    for kr in o.key_results:
        if kr.index >= len(krs.values):
            continue
        item = krs.values[kr.index]
        if kr.kind == "metric":
            value = value_on(kr, o.period, end)
            _, raw = metric_progress(kr.start, kr.target, value)
            if round(raw, 12) >= 1:
                removed.add(kr.index)
                notes.append(f"key result {kr.id} left out: met on {end.isoformat()} "
                             f"({_shown_number(value)}, target {_shown_number(kr.target)})")
                continue
            doc.set_scalar(item.get("start"), scalar_text(value))
            doc.remove_entry(item, "current")
            notes.append(f"key result {kr.id} starts at {_shown_number(value)}")
        elif kr.kind == "milestone":
            if done_on_day(kr, end):
                removed.add(kr.index)
                on = f" on {kr.done_on.isoformat()}" if kr.done_on else ""
                notes.append(f"key result {kr.id} left out: done{on}")
                continue
            if kr.done:  # done after FROM_PERIOD's last day: not done on it
                doc.set_scalar(item.get("done"), "false")
                doc.remove_entry(item, "done_on")
                notes.append(f"key result {kr.id}: done: false (it was done after {end.isoformat()})")
        if item.kind == "map":
            doc.remove_entry(item, "checkins")
    if removed:
        if len(removed) == len(krs.values):
            raise EditError("every key result was met")
        for i in sorted(removed):
            doc.remove_item(krs, i)
        # Keep the ids of the key results after a removed one (ids by position shift).
        for kr in o.key_results:
            if kr.index in removed or not any(r < kr.index for r in removed):
                continue
            item = krs.values[kr.index]
            if item.kind == "map" and "id" not in item:
                doc.add_entry(item, "id", scalar_text(kr.id), first=True)
            elif item.kind == "scalar":
                doc.set_scalar(item, "{id: " + scalar_text(kr.id) + ", title: " + scalar_text(kr.title) + "}")
    if left_out:
        notes.append("left out: " + ", ".join(f"{k}:" for k in left_out))
    return doc.render(), notes


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..core.compute import bar_for, progress_on
    from ..core.diagnostics import Severity, escape_text
    from ..core.edit import EditError
    from ..core.ids import id_problem, is_valid_segment
    from ..core.importing import slugify
    from ..core.paths import display_path
    from ..core.periods import ACCEPTED_FORMS, parse_period, period_hint
    from ..core.suggest import did_you_mean
    from .checkin import load

    ws = workspace(args)
    fiscal = ws.settings.fiscal_year_start
    periods = []
    for name, text in (("FROM_PERIOD", args.from_period), ("TO_PERIOD", args.to_period)):
        p = parse_period(text.strip(), fiscal)
        if p is None:
            raise UsageError(f"{name} {text!r} is not a period; write {ACCEPTED_FORMS}{period_hint(text)}")
        periods.append(p)
    src, dst = periods
    if dst.start <= src.end:
        raise UsageError(
            f"TO_PERIOD {dst.id} ({dst.start.isoformat()} to {dst.end.isoformat()}) must start after "
            f"FROM_PERIOD {src.id} ends ({src.end.isoformat()})"
        )
    okrs = load(ws)
    unit = args.unit.strip() if args.unit is not None else None
    if unit is not None:
        if not is_valid_segment(unit):
            raise UsageError(f"--unit {args.unit!r} is not a valid unit id: {id_problem(unit, single_segment=True)}")
        if okrs.org.defined and unit not in okrs.org.units:
            raise UsageError(f"--unit {unit!r} is not a unit of org.yml{did_you_mean(unit, okrs.org.units)}")

    root = Path(ws.root)
    carried_as: dict[str, list[str]] = {}
    for o in okrs.objectives.values():
        if o.carried_from:
            carried_as.setdefault(o.carried_from, []).append(o.id)
    taken = {oid.casefold() for oid in okrs.objectives}
    plan: list[Carried] = []
    skipped: list[tuple[str, str]] = []
    sources = sorted((o for o in okrs.objectives.values() if o.period.id == src.id), key=lambda o: o.id)
    if okrs.today <= src.end:
        err.write(f"okrs: note: {src.id} has not ended (today is {okrs.today.isoformat()}): "
                  "the scores are the progress so far\n")
    for o in sources:
        if unit is not None and o.owner != unit:
            skipped.append((o.id, f"unit filter: its owner is {o.owner}, not {unit}"))
            continue
        if o.status_override in ("done", "dropped"):
            skipped.append((o.id, f"{o.status_override} (status: {o.status_override})"))
            continue
        bar = bar_for(o.commitment)
        score = progress_on(o, src.end)
        if score is not None and round(score, 12) >= bar:
            skipped.append((o.id, f"met its bar: score {score:.2f}, {o.commitment} bar {bar}"))
            continue
        if o.id in carried_as:
            skipped.append((o.id, "already carried over as " + ", ".join(sorted(carried_as[o.id]))))
            continue
        slug = PurePosixPath(o.path).stem
        # Without org.yml an owner is free text: its folder is its slug, as okrs import makes it.
        folder = o.owner if is_valid_segment(o.owner) else slugify(o.owner, 60, "unit")
        target = root / dst.id / folder / f"{slug}.md"
        target_id = f"{dst.id}/{folder}/{slug}"
        if target.exists() or target.is_symlink():
            skipped.append((o.id, f"target exists: {display_path(target)}"))
            continue
        if target_id.casefold() in taken:
            skipped.append((o.id, f"target exists: the id {target_id} is taken"))
            continue
        taken.add(target_id.casefold())
        try:
            data = (root / o.path).read_bytes()
        except OSError as exc:
            err.write(f"okrs: carry-over: cannot read {display_path(root / o.path)}: {exc.strerror or exc}\n")
            return EXIT_PROBLEMS
        # Two decimals rounded down: a score just below the bar must not read as the bar.
        shown = f"{math.floor(round(score, 12) * 100) / 100:.2f}" if score is not None else ""
        why = "no measure, no score" if score is None else f"score {shown}, below its {o.commitment} bar {bar}"
        plan.append(Carried(o, data, target, why=why))

    # The copies, with their parents; then without the parents that are not valid there.
    for c in plan:
        try:
            c.new, c.notes = carry_text(c.source, c.data, dst.id, drop_parent=False)
        except EditError as exc:
            shown = display_path(root / c.source.path)
            err.write(f"{escape_text(shown)}:{exc.line}:{exc.col}: error: cannot carry this file over: "
                      f"{escape_text(exc.message)}\n")
            err.write("okrs: carry-over: refused; nothing was written\n")
            return EXIT_PROBLEMS
    with_parent = [c for c in plan if c.source.parent is not None]
    if with_parent:
        trial = load(ws, {os.path.abspath(c.path): c.new for c in plan})
        by_path: dict[str, list] = {}
        for d in trial.diagnostics:
            if d.rule in PARENT_RULES and d.severity is not Severity.OFF:
                by_path.setdefault(d.path, []).append(d)
        for c in with_parent:
            found = by_path.get(display_path(os.path.abspath(c.path)))
            if not found:
                continue
            parent = c.source.parent + (f"#{c.source.parent_kr}" if c.source.parent_kr else "")
            c.new, c.notes = carry_text(c.source, c.data, dst.id, drop_parent=True)
            d = found[0]
            parent_obj = okrs.objectives.get(c.source.parent)
            if d.rule == "period-outside-parent" and parent_obj is not None:
                reason = f"its period {parent_obj.period.id} does not contain {dst.id}"
            else:
                reason = d.message
            c.notes.insert(0, f"parent {parent} left out: {reason}")

    if plan:
        problems = check_change(ws, {c.path: c.new for c in plan}, before=okrs)
        if problems:
            return print_refusal(problems, err, f"carry-over {src.id} -> {dst.id}")

    verb = "would write" if args.dry_run else "wrote"
    written: list[Path] = []
    if not args.dry_run:
        for c in plan:
            try:
                write_whole(c.path, c.new, new=True)
            except OSError as exc:
                for p in written:  # all or none
                    try:
                        p.unlink()
                    except OSError:
                        pass
                if isinstance(exc, FileExistsError) and (c.path.exists() or c.path.is_symlink()):
                    why = "it exists"
                elif isinstance(exc, FileExistsError):  # a file where a folder of the path should be
                    why = f"{display_path(exc.filename or c.path.parent)} is not a folder"
                else:
                    why = exc.strerror or str(exc)
                err.write(f"okrs: carry-over: cannot write {display_path(c.path)}: {why}; nothing was written\n")
                return EXIT_PROBLEMS
            written.append(c.path)
    for c in plan:
        out.write(f"{verb} {display_path(c.path)}: carried from {c.source.id} ({c.why})\n")
        for note in c.notes:
            out.write(f"  {escape_text(note)}\n")
        if args.show:
            out.write(c.new.decode("utf-8-sig"))
    for oid, why in skipped:
        out.write(f"skipped {oid}: {escape_text(why)}\n")
    summary = f"okrs: carry-over {src.id} -> {dst.id}: {len(plan)} {'to write' if args.dry_run else 'written'}"
    summary += f", {len(skipped)} skipped"
    if not sources:
        summary += f" (no objective has period {src.id})"
    if args.dry_run:
        summary += "; dry run, nothing written"
    err.write(summary + "\n")
    return EXIT_OK
