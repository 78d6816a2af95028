"""``okrs new PERIOD UNIT SLUG``: a new objective file at ``OKR_ROOT/PERIOD/UNIT/SLUG.md``.

The file is a copy of the unit's template: ``_templates/UNIT.md`` below the OKR root,
else ``_templates/default.md``, else a built-in one. (The ``_`` keeps the folder out
of the site and the checks, as for every file or folder whose name starts with it.)
The copy keeps every byte of the template but the values of ``period:`` and
``owner:``, which become PERIOD and UNIT (added after ``objective:`` when the
template lacks them). The result is checked as ``okrs check`` would check it: a
template whose copy would not pass (a placeholder that is no valid value, an ``id:``
that two files cannot share) is refused with the diagnostics. An existing file is
never replaced.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from . import summary
from .common import EXIT_OK, EXIT_PROBLEMS, UsageError, add_root_options, check_change, print_refusal, workspace, write_whole

EPILOG = """\
examples:
  okrs new 2027-Q1 marketing more-qualified-leads
      writes okrs/2027-Q1/marketing/more-qualified-leads.md from
      okrs/_templates/marketing.md, else okrs/_templates/default.md,
      else the built-in template
  okrs new 2027-Q1 marketing more-qualified-leads --dry-run --show
      prints the file it would write, and writes nothing

exit status: 0 written (or shown, with --dry-run), 1 refused (the file exists, or
the new file would not pass 'okrs check': the diagnostics say why), 2 usage error
(a period, unit or slug that is not valid)."""

TEMPLATES_DIR = "_templates"


def register(sub) -> None:
    p = sub.add_parser(
        "new",
        help=summary("new"),
        description=(
            "Create OKR_ROOT/PERIOD/UNIT/SLUG.md from the unit's template (OKR_ROOT/_templates/UNIT.md, "
            "else OKR_ROOT/_templates/default.md, else a built-in one), with period: and owner: set. "
            "The new file must pass 'okrs check'; an existing file is never replaced."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("period", metavar="PERIOD", help="2026, 2026-H1, 2026-Q4 or 2026-03")
    p.add_argument("unit", metavar="UNIT", help="the owning unit (a unit id of org.yml when there is one)")
    p.add_argument("slug", metavar="SLUG", help="the file name without .md, e.g. more-qualified-leads")
    p.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    p.add_argument("--show", action="store_true", help="also print the new file's text")
    add_root_options(p)
    p.set_defaults(run=run)


def statement_from_slug(slug: str) -> str:
    """``more-qualified-leads`` -> ``More qualified leads``: a first objective statement."""
    words = slug.replace("-", " ").replace("_", " ").replace(".", " ").split()
    text = " ".join(words) or slug
    return text[:1].upper() + text[1:]


def builtin_template(period: str, unit: str, slug: str) -> str:
    """The template used when the OKR root has none: it passes ``okrs check`` (with
    warnings that say what to fill in: key results without a measure)."""
    from ..core.edit import scalar_text

    return f"""\
---
# Created by `okrs new`. Write the objective as a qualitative goal, without numbers,
# and give it three to five key results; run `okrs check` before the pull request.
objective: {scalar_text(statement_from_slug(slug))}
owner: {scalar_text(unit)}
period: {period}
# parent: <objective id>           # the objective this one supports, or <id>#<kr-id>
# commitment: committed            # or aspirational (the default: 70 % is a good result)
key_results:
  # Each key result is an outcome you can measure: a metric with start and target,
  #   - title: Checkout p95 latency
  #     start: 800
  #     target: 200
  #     unit: ms
  # or a milestone (done: false). Record progress with `okrs checkin`.
  - title: The first result that shows the objective is reached
  - title: The second result
  - title: The third result
---
Why this objective matters, and the initiatives that should move its key results.
"""


def find_template(root: Path, unit: str) -> Path | None:
    """``_templates/UNIT.md``, else ``_templates/default.md`` below ``root``, else None."""
    for name in (f"{unit}.md", "default.md"):
        candidate = root / TEMPLATES_DIR / name
        if candidate.is_file():
            return candidate
    return None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..core.diagnostics import escape_text
    from ..core.edit import Document, EditError, scalar_text
    from ..core.ids import id_problem, is_valid_segment
    from ..core.paths import display_path
    from ..core.periods import ACCEPTED_FORMS, parse_period, period_hint
    from ..core.suggest import did_you_mean
    from .checkin import load

    ws = workspace(args)
    period_text, unit, slug = args.period.strip(), args.unit.strip(), args.slug.strip().removesuffix(".md")
    if parse_period(period_text, ws.settings.fiscal_year_start) is None:
        raise UsageError(f"PERIOD {args.period!r} is not a period; write {ACCEPTED_FORMS}{period_hint(args.period)}")
    if not is_valid_segment(unit):
        raise UsageError(f"UNIT {args.unit!r} is not a valid unit id: {id_problem(unit, single_segment=True)}")
    if not is_valid_segment(slug):
        raise UsageError(f"SLUG {args.slug!r} cannot be a file name: {id_problem(slug, single_segment=True)}")

    okrs = load(ws)
    if okrs.org.defined and unit not in okrs.org.units:
        where = display_path(okrs.org.path) if okrs.org.path else "org.yml"
        raise UsageError(f"UNIT {unit!r} is not a unit of {where}{did_you_mean(unit, okrs.org.units)}")

    path = Path(ws.root) / period_text / unit / f"{slug}.md"
    shown = display_path(path)
    if path.exists() or path.is_symlink():
        err.write(f"okrs: new: {shown} exists; okrs new never replaces a file: choose another SLUG\n")
        return EXIT_PROBLEMS

    template = find_template(Path(ws.root), unit)
    if template is None:
        source = "the built-in template"
        new = builtin_template(period_text, unit, slug).encode("utf-8")
    else:
        source = display_path(template)
        try:
            data = template.read_bytes()
        except OSError as exc:
            err.write(f"okrs: new: cannot read the template {source}: {exc.strerror or exc}\n")
            return EXIT_PROBLEMS
        try:
            doc = Document(data)
            doc.set_value(doc.root, "owner", scalar_text(unit), after=("objective",))
            # A valid period is plain text that YAML reads as it is (2026 as a year).
            doc.set_value(doc.root, "period", period_text, after=("owner", "objective"))
            new = doc.render()
        except EditError as exc:
            err.write(f"{escape_text(source)}:{exc.line}:{exc.col}: error: the template cannot be used: "
                      f"{escape_text(exc.message)}\n")
            err.write("okrs: new: refused; nothing was written\n")
            return EXIT_PROBLEMS

    problems = check_change(ws, {path: new}, before=okrs)
    if problems:
        err.write(f"okrs: new: the file made from {escape_text(source)} would not pass 'okrs check':\n")
        return print_refusal(problems, err, f"new {shown}")

    if args.dry_run:
        out.write(f"would create {shown} from {escape_text(source)}\n")
        if args.show:
            out.write(new.decode("utf-8-sig"))
        err.write("okrs: new: dry run, nothing written\n")
        return EXIT_OK
    try:
        write_whole(path, new, new=True)
    except FileExistsError as exc:
        if not (path.exists() or path.is_symlink()):  # a file where a folder of the path should be
            err.write(f"okrs: new: cannot write {shown}: {display_path(exc.filename or path.parent)} is not a "
                      "folder; nothing was written\n")
            return EXIT_PROBLEMS
        err.write(f"okrs: new: {shown} exists; okrs new never replaces a file: choose another SLUG\n")
        return EXIT_PROBLEMS
    except OSError as exc:
        err.write(f"okrs: new: cannot write {shown}: {exc.strerror or exc}; nothing was written\n")
        return EXIT_PROBLEMS
    out.write(f"created {shown} from {escape_text(source)}\n")
    if args.show:
        out.write(new.decode("utf-8-sig"))
    return EXIT_OK
