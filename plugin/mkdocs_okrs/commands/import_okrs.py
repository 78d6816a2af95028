"""``okrs import FILE --format text|csv``: objective files from OKRs kept in notes or a spreadsheet.

The input is read by :mod:`mkdocs_okrs.core.importing` (pure functions); this module
finds the OKR root as ``okrs check`` does, decides owner, period and file of each
objective, checks all new files at once as ``okrs check`` would and writes them all
or none. What is read and how each ambiguity is decided is in docs/cli.md.

- Each objective goes to ``OKR_ROOT/PERIOD/OWNER/SLUG.md``, the slug made from the
  statement (:func:`~mkdocs_okrs.core.importing.slugify`).
- An objective that already exists -- same owner, same period and the same statement
  (case and spacing aside) -- is skipped and reported, so running an import twice
  writes nothing new. Another objective whose slug is taken gets ``-2``, ``-3``...:
  a file is never replaced.
- An objective without key results is skipped and reported (an objective file needs
  at least one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from . import summary
from .common import (EXIT_OK, EXIT_PROBLEMS, UsageError, add_root_options, check_change, print_refusal,
                     workspace, write_whole)

EPILOG = """\
examples:
  okrs import notes.txt --owner marketing --period 2027-Q1 --dry-run
      prints the objective files it would write from notes.txt, and writes nothing
  okrs import okrs.csv
      one row per key result (a header names the columns); .csv files are read as CSV
  pbpaste | okrs import - --owner growth
      reads standard input

text: 'Objective:' lines (also 'O1:', 'Objective 2 -', numbered '1.' with '1.1' under
it), 'Key Result:' / 'KR:' / 'KR 1.2:' lines, or list items under an objective;
'Owner:' / 'Team:' and 'Period:' lines; a period named in the text ('by the end of
Q2 2021', 'H1 2022'). Key results such as 'Increase X from 20 to 26', 'Reduce p95
from 800ms to 200ms' or 'Reach 90% Z (now 80%)' get start, target and unit.

exit status: 0 written (or printed, with --dry-run; warnings are printed on standard
error), 1 nothing written: the input has errors, holds no objective, or a file would
not pass 'okrs check', 2 usage error (no such FILE; no owner or period in the text
and no --owner or --period; an unknown --owner)."""


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help=summary("import"),
        description=(
            "Read OKRs as people write them -- in notes (--format text) or a table with one row per "
            "key result (--format csv) -- and write one objective file per objective at "
            "OKR_ROOT/PERIOD/OWNER/SLUG.md. What could not be read is reported with its line "
            "(FILE:line:col: warning: ... [import-...]) and kept as a key result without a measure. "
            "All files are checked as 'okrs check' would check them and written together, or none."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="the notes or the CSV file; '-' reads standard input")
    p.add_argument("--format", choices=("text", "csv"),
                   help="how FILE is written (default: csv for a .csv or .tsv file, else text)")
    p.add_argument("--owner", metavar="UNIT", help="the owner of objectives whose text names none")
    p.add_argument("--period", metavar="PERIOD",
                   help="the period of objectives whose text names none (2026, 2026-H1, 2026-Q4, 2026-03)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the files it would write (each after a '==> PATH <==' line); write nothing")
    add_root_options(p)
    p.set_defaults(run=run)


def _read(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{file}: is a folder, not a file") from None
    except OSError as exc:
        raise UsageError(f"{file}: cannot be read: {exc.strerror or exc}") from None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _where(shown: str, drafts) -> str:
    first = drafts[0]
    more = f" and {len(drafts) - 1} more" if len(drafts) > 1 else ""
    return f"objective {first.statement!r} ({shown}:{first.line}){more}"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..core import importing
    from ..core.diagnostics import Diagnostic, Severity
    from ..core.ids import id_key, is_valid_segment, split_parent
    from ..core.paths import display_path
    from ..core.periods import ACCEPTED_FORMS, parse_period
    from ..core.suggest import did_you_mean
    from .checkin import load

    shown = "<stdin>" if args.file == "-" else args.file
    data = _read(args.file)
    fmt = args.format or ("csv" if args.file.lower().endswith((".csv", ".tsv")) else "text")
    ws = workspace(args)
    okrs = load(ws)
    fiscal = ws.settings.fiscal_year_start
    units = dict(okrs.org.units) if okrs.org.defined else None
    known_owners = {o.owner for o in okrs.objectives.values()}
    org_shown = okrs.org.path or "org.yml"

    opt_owner = None
    if args.owner is not None:
        opt_owner = importing.resolve_owner(args.owner, units, known_owners) if args.owner.strip() else None
        if opt_owner is None:
            pool = list(units or ())
            raise UsageError(f"--owner: {args.owner!r} is not a unit of {org_shown}{did_you_mean(args.owner, pool)}")
    opt_period = None
    if args.period is not None:
        opt_period = importing.parse_period_text(args.period)
        if opt_period is None or parse_period(opt_period, fiscal) is None:
            raise UsageError(f"--period: {args.period!r} is not a period; use {ACCEPTED_FORMS}")

    text, diags = importing.decode(data, shown)
    if not any(d.severity is Severity.ERROR for d in diags):
        result = importing.parse_csv(text, shown) if fmt == "csv" else importing.parse_text(text, shown)
        diags += result.diagnostics
        drafts = result.objectives
    else:
        drafts = []

    def report(extra: str) -> None:
        for d in sorted(diags, key=lambda d: (d.line, d.col)):
            err.write(d.format_text() + "\n")
        err.write(f"okrs: import: {extra}\n")

    def problem(d, rule: str, message: str, line: int | None = None, warning: bool = False) -> None:
        sev = Severity.WARNING if warning else Severity.ERROR
        diags.append(Diagnostic(shown, line or d.line, d.col if line is None else 1, sev, message, rule))

    if any(d.severity is Severity.ERROR for d in diags):
        report("nothing was written")
        return EXIT_PROBLEMS
    if not drafts:
        hint = ("a header row, then one row per key result" if fmt == "csv"
                else "start each objective with 'Objective:' and its key results with 'KR:'")
        report(f"no objective found in {shown} ({hint}); nothing was written")
        return EXIT_PROBLEMS

    # Owner and period of each objective: the text's, else the options'.
    resolved = []
    no_owner, no_period = [], []
    for d in drafts:
        owner_text, owner_line = d.owner_text()
        owner = None
        if owner_text:
            owner = importing.resolve_owner(owner_text, units, known_owners)
            if owner is None:
                problem(d, "import-owner-unknown", f"owner {owner_text!r} is not a unit of {org_shown}"
                        f"{did_you_mean(owner_text, list(units or ()))}", owner_line)
        elif opt_owner is None:
            no_owner.append(d)
        else:
            owner = opt_owner
        contributors = []
        for c in d.contributors:
            got = importing.resolve_owner(c, units, known_owners)
            if got is None:
                problem(d, "import-owner-unknown", f"contributor {c!r} is not a unit of {org_shown}"
                        f"{did_you_mean(c, list(units or ()))}")
            elif got != owner and got not in contributors:
                contributors.append(got)
        d.contributors = contributors
        period = d.period_text() or opt_period
        if period is None:
            no_period.append(d)
        elif parse_period(period, fiscal) is None:
            problem(d, "import-period", f"period {period!r} is not a period; use {ACCEPTED_FORMS}")
        resolved.append((d, owner, period))
    if no_owner or no_period:
        report("nothing was written")
        needs = []
        if no_owner:
            needs.append(f"{_where(shown, no_owner)} name{'s' if len(no_owner) == 1 else ''} no owner: "
                         "pass --owner UNIT (or write 'Owner: UNIT' in the text)")
        if no_period:
            needs.append(f"{_where(shown, no_period)} name{'s' if len(no_period) == 1 else ''} no period: "
                         "pass --period PERIOD, e.g. --period 2026-Q4 (or write 'Period: 2026-Q4' in the text)")
        raise UsageError("; ".join(needs))
    if any(d.severity is Severity.ERROR for d in diags):
        report("nothing was written")
        return EXIT_PROBLEMS

    # Where each objective goes; what is skipped.
    existing = {}
    for o in okrs.objectives.values():
        existing.setdefault((_norm(o.objective), o.owner, o.period.id), o)
    taken = {id_key(oid) for oid in okrs.objectives}
    source_ids: dict[str, str] = {}  # a CSV id (casefolded) -> the id it has now
    seen: dict[tuple, object] = {}
    planned = []  # (draft, owner, period, objective id, path)
    root = Path(ws.root)
    for d, owner, period in resolved:
        key = (_norm(d.statement), owner, period)
        if not d.statement.strip():
            problem(d, "import-ignored", "an objective without a statement; skipped", warning=True)
            continue
        if key in existing:
            o = existing[key]
            problem(d, "import-exists", f"objective {d.statement!r} of {owner} in {period} already exists "
                    f"({display_path(root / o.path)}); skipped", warning=True)
            if d.source_id:
                source_ids[d.source_id.casefold()] = o.id
            continue
        if key in seen:
            first = seen[key]
            problem(d, "import-duplicate", f"objective {d.statement!r} of {owner} in {period} is also on line "
                    f"{first.line}; skipped", warning=True)
            continue
        if not d.key_results:
            problem(d, "import-no-key-results", f"objective {d.statement!r} has no key results; skipped "
                    "(an objective needs at least one: add 'KR:' lines under it)", warning=True)
            continue
        seen[key] = d
        folder = owner if is_valid_segment(owner) else importing.slugify(owner, 60, "unit")
        base = importing.slugify(d.statement)
        names = set()
        where = root / period / folder
        if where.is_dir():
            names = {p.name.casefold() for p in where.iterdir()}
        n = 1
        while True:
            slug = base if n == 1 else f"{base}-{n}"
            oid = f"{period}/{folder}/{slug}"
            if id_key(oid) not in taken and f"{slug}.md".casefold() not in names:
                break
            n += 1
        taken.add(id_key(oid))
        if d.source_id:
            source_ids[d.source_id.casefold()] = oid
        planned.append((d, owner, period, oid, where / f"{slug}.md"))

    changes: dict[Path, bytes] = {}
    for d, owner, period, oid, path in planned:
        parent = d.parent
        if parent:
            obj, kr = split_parent(parent)
            target = source_ids.get(obj.casefold())
            if target is not None:
                parent = target + (f"#{kr}" if kr is not None else "")
        content = importing.render_objective(d, owner, period, parent=parent, source=shown)
        changes[path] = content.encode("utf-8")

    skipped = len(drafts) - len(planned)
    if not changes:
        report(f"nothing new to write ({skipped} objective{'s' if skipped != 1 else ''} skipped)")
        return EXIT_OK
    refused = check_change(ws, changes, before=okrs)
    if refused:
        report(f"{len(changes)} file{'s' if len(changes) != 1 else ''} would not pass 'okrs check'")
        return print_refusal(refused, err, "import")

    if args.dry_run:
        first = True
        for path, content in changes.items():
            out.write(("" if first else "\n") + f"==> {display_path(path)} <==\n")
            out.write(content.decode("utf-8"))
            first = False
        report(f"dry run: {len(changes)} file{'s' if len(changes) != 1 else ''} would be written"
               + (f", {skipped} objective{'s' if skipped != 1 else ''} skipped" if skipped else "")
               + "; nothing was written")
        return EXIT_OK

    written: list[Path] = []
    new_dirs = sorted({d for path in changes for d in [path.parent, *path.parent.parents]
                       if not d.exists()}, key=lambda d: len(d.parts), reverse=True)
    current = None
    try:
        for current, content in changes.items():
            write_whole(current, content, new=True)
            written.append(current)
    except OSError as exc:
        for path in written:  # all or nothing
            try:
                path.unlink()
            except OSError:
                pass
        for folder in new_dirs:
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(exc, FileExistsError) and exc.filename is None:
            why = "it appeared meanwhile"  # write_whole(new=True) never replaces a file
        else:
            why = f"{exc.strerror or exc}" + (f": {display_path(exc.filename)}" if exc.filename else "")
        report(f"could not write {display_path(current)} ({why}); nothing was written")
        return EXIT_PROBLEMS
    for d, owner, period, oid, path in planned:
        n = len(d.key_results)
        out.write(f"wrote {display_path(path)}: {d.statement} ({n} key result{'s' if n != 1 else ''})\n")
    report(f"wrote {len(written)} file{'s' if len(written) != 1 else ''}"
           + (f", skipped {skipped} objective{'s' if skipped != 1 else ''}" if skipped else ""))
    return EXIT_OK
