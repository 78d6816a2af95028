"""``okrs checkin ID#KR VALUE``: append a check-in to a key result, keeping every
other byte of the objective file.

The objective is found by its id, the key result by its id or by a unique prefix of
its title (case-insensitive). The check-in is dated ``--date``, else today (``--today``
or mkdocs.yml's ``today``, else the real date), and must come after the key result's
last check-in: the contract wants check-in dates strictly ascending. A metric key
result takes a number (and its ``current:``, when it has one, becomes that number); a
milestone takes ``done`` (``done: true``, ``done_on`` and a check-in) or ``-`` (a
check-in with only a confidence and a note, as milestone check-ins are: see
docs/decisions.md). The changed file is checked as ``okrs check`` would check it and
written whole, or not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TextIO

from . import summary
from .common import EXIT_OK, EXIT_PROBLEMS, UsageError, add_root_options, check_change, print_refusal, workspace, write_whole

EPILOG = """\
examples:
  okrs checkin 2026-Q4/ecommerce/checkout-feels-instant#p95 420
  okrs checkin "2026-Q4/ecommerce/checkout-feels-instant#baskets aband" 21.5 \\
      --confidence 0.7 --note "Guest checkout live"   (KR by the start of its title)
  okrs checkin 2026-Q4/ecommerce/checkout-feels-instant#edge done --date 2026-11-19
  okrs checkin 2026-Q4/ecommerce/checkout-feels-instant#edge - --confidence 0.6
  okrs checkin 2026-Q4/fulfilment/pack-every-order-right#damaged -- -1e3
      (after --, a value that starts with - and is not a plain number)

VALUE is a number for a metric key result (12, 12.5, -3, 1e3); for a milestone,
'done' (sets done: true and done_on: DATE, and adds a check-in) or '-' (a check-in
without a value: confidence and note only).

exit status: 0 written (or shown, with --dry-run), 1 refused (the diagnostics say
why; the file is unchanged), 2 usage error (unknown objective or key result, a
value the key result cannot take)."""


def _confidence(text: str) -> str:
    from ..core.edit import parse_number

    try:
        value = parse_number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0.0 to 1.0, not {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"confidence {text} is outside 0.0 to 1.0")
    return text


def register(sub) -> None:
    from ..cli import _date_arg

    p = sub.add_parser(
        "checkin",
        help=summary("checkin"),
        description=(
            "Append a check-in to the key result ID#KR (KR: its id, or the start of its title) "
            "and set its current: to VALUE when it has one. Every other byte of the objective "
            "file stays as it was. The result is checked as 'okrs check' would check it; a "
            "file that would not pass is not written."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("kr", metavar="ID#KR", help="the objective id, '#', and the key result's id or the start of its title")
    p.add_argument("value", metavar="VALUE", help="a number (metric key result), or done or - (milestone)")
    p.add_argument("--date", type=_date_arg, metavar="YYYY-MM-DD",
                   help="the check-in's date (default: today: --today, else mkdocs.yml's today, else the real date)")
    p.add_argument("--confidence", type=_confidence, metavar="C", help="confidence from 0.0 to 1.0")
    p.add_argument("--note", metavar="TEXT", help="a note (any text; it is quoted as YAML needs)")
    p.add_argument("--dry-run", action="store_true", help="check and print what would be written; write nothing")
    add_root_options(p)
    p.set_defaults(run=run)


def load(ws, overlay=None):
    """The OKR set of ``ws``; a bad setting is a usage error (as for ``okrs check``)."""
    from ..core.config import ConfigError
    from ..core.loader import SettingsError
    from ..core.rules import RuleSettingError

    try:
        return ws.load(overlay)
    except RuleSettingError as exc:
        raise UsageError(f"rules: {exc}") from None
    except (SettingsError, ConfigError) as exc:
        raise UsageError(str(exc)) from None


def _describe(kr) -> str:
    return f"{kr.id} ({kr.title})"


def find_objective(okrs, oid: str, root: Path):
    """The objective ``oid`` (case-insensitively), else a usage error that says why."""
    from ..core.suggest import did_you_mean

    obj = okrs.objectives.get(oid)
    if obj is None:
        folded = [o for o in okrs.objectives.values() if o.id.casefold() == oid.casefold()]
        obj = folded[0] if len(folded) == 1 else None
    if obj is not None:
        return obj
    if (root / f"{oid}.md").is_file():
        raise UsageError(f"objective {oid!r} cannot be read: its file has errors; run 'okrs check'")
    raise UsageError(f"no objective {oid!r}{did_you_mean(oid, okrs.objectives)}")


def find_kr(obj, spec: str):
    """The key result of ``obj`` named ``spec``: its id; else the one whose title is
    ``spec`` or, failing that, the only one whose title starts with it (case and
    spacing ignored). A usage error lists the candidates when none or several match."""
    for kr in obj.key_results:
        if kr.id == spec:
            return kr
    want = " ".join(spec.split()).casefold()
    if want:
        titles = [(" ".join(kr.title.split()).casefold(), kr) for kr in obj.key_results]
        exact = [kr for t, kr in titles if t == want]
        if len(exact) == 1:
            return exact[0]
        prefixed = [kr for t, kr in titles if t.startswith(want)]
        if len(prefixed) == 1:
            return prefixed[0]
        if len(prefixed) > 1:
            listed = "; ".join(_describe(kr) for kr in prefixed)
            raise UsageError(
                f"{spec!r} matches {len(prefixed)} key results of {obj.id}: {listed}; name one by its id"
            )
    listed = "; ".join(_describe(kr) for kr in obj.key_results) or "none"
    raise UsageError(f"{obj.id} has no key result {spec!r}; its key results: {listed}")


def _checkins_indent(doc) -> int:
    """How far right of its key a block ``checkins:`` list stands in this file (2
    when the file has none to copy)."""
    krs = doc.root.get("key_results")
    for item in (krs.values if krs is not None and krs.kind == "seq" else ()):
        if item.kind != "map":
            continue
        i = item.index("checkins")
        if i >= 0 and item.values[i].kind == "seq" and not item.values[i].flow and not item.flow:
            return max(0, doc.col(item.values[i].start) - doc.col(item.keys[i].start))
    return 2


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..core.diagnostics import escape_text
    from ..core.edit import (
        Document, EditError, Raw, block_mapping, flow_mapping, number_text, parse_number, scalar_text,
    )
    from ..core.paths import display_path

    ws = workspace(args)
    oid, sep, kr_spec = args.kr.partition("#")  # an id holds no "#", a title may
    if not sep or not oid or not kr_spec:
        raise UsageError(f"name the key result as ID#KR (objective id, '#', key result id or title), not {args.kr!r}")
    okrs = load(ws)
    obj = find_objective(okrs, oid.strip(), ws.root)
    kr = find_kr(obj, kr_spec.strip())
    day: dt.date = args.date or okrs.today
    path = Path(ws.root) / obj.path
    shown = display_path(path)
    title = escape_text(kr.title)

    # What the value means for this key result.
    value_raw: Raw | None = None
    done = False
    if kr.kind == "metric":
        try:
            number = parse_number(args.value)
        except ValueError:
            raise UsageError(
                f"key result {kr.id} of {obj.id} is a metric: VALUE must be a number (12, 12.5, -3, 1e3), "
                f"not {args.value!r}"
            ) from None
        value_raw = Raw(number_text(args.value, number))
    elif kr.kind == "milestone":
        word = args.value.strip().lower()
        if word == "done":
            done = True
        elif word != "-":
            raise UsageError(
                f"key result {kr.id} of {obj.id} is a milestone: VALUE is 'done' (it is done) or '-' "
                f"(a check-in without a value), not {args.value!r}"
            )
    else:
        err.write(
            f"{shown}:{kr.loc.line}:{kr.loc.col}: error: key result {kr.id} ({title}) has no measure: give it "
            "start: and target: (a metric) or done: false (a milestone) before checking in\n"
        )
        err.write(f"okrs: checkin: refused; {shown} was not changed\n")
        return EXIT_PROBLEMS
    if done and kr.done:
        since = f" on {kr.done_on.isoformat()}" if kr.done_on else ""
        err.write(f"{shown}:{kr.loc.line}:{kr.loc.col}: error: key result {kr.id} ({title}) is already done{since}\n")
        err.write(f"okrs: checkin: refused; {shown} was not changed\n")
        return EXIT_PROBLEMS
    if kr.checkins and day <= kr.checkins[-1].date:
        last = kr.checkins[-1]
        where = last.loc or kr.loc
        relation = "on the same day as" if day == last.date else "before"
        err.write(
            f"{shown}:{where.line}:{where.col}: error: a check-in dated {day.isoformat()} would come {relation} "
            f"the last check-in of key result {kr.id} ({last.date.isoformat()}); check-in dates must be "
            "strictly ascending: pass a later --date [checkin-order]\n"
        )
        err.write(f"okrs: checkin: refused; {shown} was not changed\n")
        return EXIT_PROBLEMS

    try:
        data = path.read_bytes()
    except OSError as exc:
        err.write(f"okrs: checkin: cannot read {shown}: {exc.strerror or exc}\n")
        return EXIT_PROBLEMS
    try:
        doc = Document(data)
        krs = doc.root.get("key_results")
        if krs is None or krs.kind != "seq" or kr.index >= len(krs.values) or krs.values[kr.index].kind != "map":
            raise EditError(f"key result {kr.id} is not a mapping in the file", kr.loc.line, kr.loc.col)
        item = krs.values[kr.index]
        entry: list[tuple[str, object]] = [("date", day)]
        if value_raw is not None:
            entry.append(("value", value_raw))
        if args.confidence is not None:
            entry.append(("confidence", Raw(number_text(args.confidence, parse_number(args.confidence)))))
        if args.note is not None:
            entry.append(("note", args.note))
        flow = flow_mapping(entry)
        changes: list[str] = []
        if done:
            done_node = item.get("done")
            doc.set_scalar(done_node, "true")
            doc.set_value(item, "done_on", day.isoformat(), after=("done",))
            changes.append(f"done on {day.isoformat()}")
        current = item.get("current")
        if value_raw is not None and current is not None:
            doc.set_scalar(current, value_raw)
        checkins = item.get("checkins")
        if checkins is None:
            if item.flow:
                doc.add_entry(item, "checkins", f"[{flow}]")
            else:
                doc.add_entry(item, "checkins", None, block=[f"- {flow}"], block_indent=_checkins_indent(doc))
        elif checkins.kind == "scalar" and checkins.style is None and checkins.value in ("", "~", "null", "Null", "NULL"):
            doc.set_scalar(checkins, f"[{flow}]")
        elif checkins.kind == "seq":
            doc.append_item(checkins, flow, block_mapping(entry))
        else:
            raise EditError("checkins: is not a list", doc.line_no(checkins.start), doc.col(checkins.start) + 1)
        new = doc.render()
    except EditError as exc:
        err.write(f"{shown}:{exc.line}:{exc.col}: error: {escape_text(exc.message)}\n")
        err.write(f"okrs: checkin: refused; {shown} was not changed\n")
        return EXIT_PROBLEMS

    problems = check_change(ws, {path: new}, before=okrs)
    if problems:
        return print_refusal(problems, err, f"checkin {shown}")

    what = f"check-in {day.isoformat()}"
    if value_raw is not None:
        what += f" value {value_raw}"
    if args.confidence is not None:
        what += f" (confidence {args.confidence})"
    if args.note is not None:
        what += f", note {escape_text(scalar_text(args.note))}"
    changes.append(what)
    if value_raw is not None and current is not None:
        changes.append(f"current {value_raw}")
    line = f'{shown}: KR "{title}": ' + ", ".join(changes)
    if args.dry_run:
        out.write(line + "\n")
        err.write("okrs: checkin: dry run, nothing written\n")
        return EXIT_OK
    try:
        # Edited meanwhile (an editor saved it while the set was checked): not overwritten.
        if path.read_bytes() != data:
            err.write(f"okrs: checkin: {shown} changed while the check-in was prepared; it was not "
                      "written: run the command again\n")
            return EXIT_PROBLEMS
        write_whole(Path(os.path.realpath(path)), new)  # through a link (inside the root): its file
    except OSError as exc:
        err.write(f"okrs: checkin: cannot write {shown}: {exc.strerror or exc}; the file is unchanged\n")
        return EXIT_PROBLEMS
    out.write(line + "\n")
    return EXIT_OK
