"""``okrs export --format csv|json``: the published OKRs, as the site's okrs.json or a table.

- ``json`` is byte for byte the ``okrs.json`` the plugin writes: the same document
  (:func:`mkdocs_okrs.core.export.okrs_json` and ``dumps``), with the same page urls --
  computed from the site plan (:mod:`mkdocs_okrs.site.plan`) with the plugin's
  ``url_prefix`` and MkDocs' ``use_directory_urls`` read from mkdocs.yml.
- ``csv`` has one row per key result, with the columns ``okrs import --format csv``
  reads (:data:`mkdocs_okrs.core.importing.CSV_COLUMNS`), then the computed ones
  (``current``, ``progress``, ``status``), so that an export can be imported again.

Private objectives are never exported (both are made from
:class:`~mkdocs_okrs.core.publish.PublicOkrs`). Like ``mkdocs build``, an export of OKRs
with errors is refused.
"""

from __future__ import annotations

import argparse
import io
import math
from pathlib import Path
from typing import TextIO

from . import summary
from .common import EXIT_OK, EXIT_PROBLEMS, UsageError, add_root_options, workspace, write_whole

EPILOG = """\
examples:
  okrs export > okrs.json
      okrs.json as 'mkdocs build' writes it (urls as in the site)
  okrs export --format csv --output okrs.csv
      one row per key result, with the columns 'okrs import --format csv' reads

exit status: 0 exported, 1 the OKRs have errors (as 'okrs check' prints them) and
nothing was exported, 2 usage error."""


def register(sub) -> None:
    p = sub.add_parser(
        "export",
        help=summary("export"),
        description=(
            "Export the published OKRs (private objectives are left out): --format json is the "
            "okrs.json the site has, --format csv one row per key result with the columns "
            "'okrs import --format csv' reads, then current, progress and status. Values are those "
            "on 'today' (the plugin option, --today, SOURCE_DATE_EPOCH or the machine's date)."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--format", choices=("json", "csv"),
                   help="output format (default: csv when --output ends with .csv, else json)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE (replaced whole) instead of standard output")
    add_root_options(p)
    p.set_defaults(run=run)


# ------------------------------------------------------------------------- site options


def site_options(args: argparse.Namespace) -> tuple[str, bool]:
    """(url_prefix, use_directory_urls) of the site, from the mkdocs.yml that ``okrs
    check`` would read (the defaults ``okrs`` and true without one)."""
    from ..core.config import ConfigError
    from ..mkdocs_yml import config_file_of, load_mkdocs_yml, plugin_options

    path = config_file_of(args)
    if path is None:
        return "okrs", True
    try:
        config = load_mkdocs_yml(path)
        options = plugin_options(config) or {}
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    udu = config.get("use_directory_urls", True)
    if udu is None:
        udu = True
    if not isinstance(udu, bool):
        raise UsageError(f"{path}: use_directory_urls must be true or false, not {udu!r}")
    prefix = options.get("url_prefix", "okrs")
    if not isinstance(prefix, str):
        raise UsageError(f"{path}: plugin 'okrs': url_prefix must be a folder path, not {prefix!r}")
    prefix = prefix.strip().strip("/")
    for seg in prefix.split("/") if prefix else []:
        if not seg or seg.startswith(".") or not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in seg):
            raise UsageError(f"{path}: plugin 'okrs': url_prefix {prefix!r} is not a usable site folder")
    return prefix, udu


# ---------------------------------------------------------------------------- documents


def json_text(view, prefix: str, use_directory_urls: bool) -> str:
    """okrs.json for ``view`` as the plugin writes it."""
    from ..core.export import dumps, okrs_json
    from ..site import plan as planmod

    plan = planmod.plan_site(view, prefix)
    urls = plan.urls(use_directory_urls)
    return dumps(okrs_json(
        view,
        objective_url=lambda oid: urls[planmod.objective_key(oid)],
        unit_url=lambda uid: urls.get(planmod.unit_key(uid)),
        period_url=lambda pid: urls[planmod.period_key(pid)],
    ))


def _number(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


CSV_HEADER = ("id", "objective", "owner", "period", "commitment", "parent", "tags", "contributors",
              "kr_id", "kr", "start", "target", "unit", "weight", "done", "current", "progress", "status")


def csv_text(view) -> str:
    """One row per key result of the public objectives (by id; key results in file order)."""
    import csv

    from ..core.importing import COMPUTED_COLUMNS, CSV_COLUMNS, guard_cell

    assert CSV_HEADER == CSV_COLUMNS + COMPUTED_COLUMNS
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for oid in sorted(view.objectives):
        o = view.objectives[oid]
        s = view.scores[oid]
        parent = ""
        if o.parent:
            parent = o.parent + (f"#{o.parent_kr}" if o.parent_kr else "")
        head = [o.id, guard_cell(o.objective), guard_cell(o.owner), o.period.id, o.commitment, parent,
                guard_cell(", ".join(o.tags)), guard_cell(", ".join(o.contributors))]
        for kr, ks in zip(o.key_results, s.krs):
            w.writerow(head + [
                kr.id, guard_cell(kr.title),
                _number(kr.start) if kr.kind == "metric" else "",
                _number(kr.target) if kr.kind == "metric" else "",
                guard_cell(kr.unit or ""),
                _number(kr.weight),
                ("true" if kr.done else "false") if kr.kind == "milestone" else "",
                _number(ks.value) if kr.kind == "metric" else "",
                _number(ks.progress),
                s.status,
            ])
    return buf.getvalue()


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..core.diagnostics import Severity
    from ..core.publish import public_view
    from .checkin import load

    fmt = args.format or ("csv" if (args.output or "").lower().endswith(".csv") else "json")
    prefix, udu = site_options(args) if fmt == "json" else ("okrs", True)
    ws = workspace(args)
    okrs = load(ws)
    errors = [d for d in okrs.diagnostics if d.severity is Severity.ERROR]
    if errors:
        for d in errors:
            err.write(d.format_text() + "\n")
        err.write(f"okrs: export: the OKRs have {len(errors)} error{'s' if len(errors) != 1 else ''} "
                  "(as 'mkdocs build' would stop on them); nothing was exported\n")
        return EXIT_PROBLEMS
    view = public_view(okrs)
    text = json_text(view, prefix, udu) if fmt == "json" else csv_text(view)
    if args.output and args.output != "-":
        try:
            write_whole(Path(args.output), text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"--output: {args.output}: cannot be written: {exc.strerror or exc}") from None
        n = len(view.objectives)
        err.write(f"okrs: export: wrote {args.output} ({n} objective{'s' if n != 1 else ''}, "
                  f"{len(okrs.objectives) - n} private left out)\n")
    else:
        out.write(text)
    return EXIT_OK
