"""The ``okrs`` command line: ``okrs check`` validates OKR sources without building a site.

Output contract (documented for users in docs/cli.md):

- Diagnostics go to **stdout**, one per line (``--format text``), as GitHub
  workflow commands (``--format github``) or as one JSON document
  (``--format json``). The summary line (``okrs: 2 errors, 1 warning in 24
  files``) and usage errors go to **stderr**, so stdout stays machine-readable.
- Exit status: 0 clean (warnings allowed), 1 errors (or warnings with
  ``--strict``), 2 usage or configuration error, 3 internal error (a bug).

Only :mod:`mkdocs_okrs.core` is imported (no MkDocs, Jinja, Markdown or nh3),
so the command starts fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

FORMATS = ("text", "github", "json")


class UsageError(Exception):
    """A bad command line or configuration: printed as ``okrs: error: ...``, exit 2."""


# ----------------------------------------------------------------------------- parser


def _date_arg(text: str) -> dt.date:
    from .core.config import ConfigError, parse_today

    try:
        value = parse_today(text, "--today")
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--today: ")) from None
    assert value is not None
    return value


def _month_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a month number from 1 to 12, not {text!r}") from None
    if not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(f"expected a month number from 1 to 12, not {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, with what the user typed shown escaped in its usage errors (one line)."""

    def error(self, message: str):
        from .core.diagnostics import escape_text

        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {escape_text(message)}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``okrs`` argument parser (exposed for documentation and tests). With ``command``
    (the command a command line runs), the other contributor commands are there by name
    and help only, and their modules are not imported."""
    parser = _Parser(
        prog="okrs",
        description="Check and edit OKRs kept as Markdown files with YAML front-matter.",
        epilog="Run 'okrs COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"okrs (mkdocs-okrs) {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="validate the OKR sources and print every problem",
        description=(
            "Validate every objective file below OKR_ROOT and the org file, and print every "
            "problem as 'path:line:col: error|warning: message [rule-id]'. Settings (okrs_dir, "
            "org_file, today, fiscal_year_start, rules) come from the 'okrs' plugin in "
            "mkdocs.yml of the current folder unless --config or --no-config says otherwise; "
            "command-line options override them."
        ),
        epilog=(
            "Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with --strict), "
            "2 usage or configuration error."
        ),
    )
    check.add_argument(
        "root",
        nargs="?",
        metavar="OKR_ROOT",
        help="the OKR folder (default: okrs_dir of mkdocs.yml, else ./okrs)",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: github when GITHUB_ACTIONS=true, else text)",
    )
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    cfg = check.add_mutually_exclusive_group()
    cfg.add_argument(
        "--config",
        metavar="MKDOCS_YML",
        help="read settings from this mkdocs.yml (default: ./mkdocs.yml when it exists)",
    )
    cfg.add_argument("--no-config", action="store_true", help="ignore mkdocs.yml; use defaults and options")
    check.add_argument("--org", metavar="ORG_YML", help="the org file (default: OKR_ROOT/org.yml when it exists)")
    check.add_argument(
        "--today", type=_date_arg, metavar="YYYY-MM-DD", help="the date to check against (stale check-ins)"
    )
    check.add_argument(
        "--fiscal-year-start", type=_month_arg, metavar="MONTH", help="month (1-12) the fiscal year starts in"
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="print the diagnostics only, no summary line"
    )

    rules = sub.add_parser(
        "rules",
        help="list the rule ids with their default severity",
        description="List every rule id, its default severity and what it catches.",
    )
    rules.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    from .commands import register_all  # the contributor's commands: new, checkin, ...

    register_all(sub, command)
    return parser


# ------------------------------------------------------------------------------ check


def _resolve_settings(args: argparse.Namespace):
    """(settings, root, org file) from mkdocs.yml and the options; raises UsageError."""
    from dataclasses import replace

    from .core.config import ConfigError, settings_from_options
    from .mkdocs_yml import config_file_of, find_plugin_options
    from .core.paths import display_path

    config_path = config_file_of(args)
    if args.config and not config_path.is_file():
        raise UsageError(f"--config: {args.config}: no such file")

    options: dict = {}
    base_dir = Path(".")
    if config_path is not None:
        try:
            found = find_plugin_options(config_path)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        options = found or {}
        base_dir = config_path.parent
    try:
        settings, root, org = settings_from_options(options, base_dir)
    except ConfigError as exc:
        where = display_path(config_path) if config_path is not None else "settings"
        raise UsageError(f"{where}: plugin 'okrs': {exc}") from None

    if args.root is not None:
        root = Path(args.root)
    if args.org is not None:
        org = Path(args.org)
        settings = replace(settings, org_file=args.org)
    if args.today is not None:
        settings = replace(settings, today=args.today)
    if args.fiscal_year_start is not None:
        settings = replace(settings, fiscal_year_start=args.fiscal_year_start)

    if not root.exists():
        hint = "" if args.root is not None else " (set okrs_dir in mkdocs.yml or pass the folder: okrs check PATH)"
        raise UsageError(f"OKR root {display_path(root)!r} does not exist{hint}")
    if not root.is_dir():
        raise UsageError(f"OKR root {display_path(root)!r} is not a folder")
    if org is not None and not org.is_file():
        from .core.frontmatter import file_kind

        source = "--org" if args.org is not None else "org_file"
        try:
            kind = file_kind(os.stat(org).st_mode)
        except OSError:
            raise UsageError(f"{source}: {display_path(org)!r} does not exist") from None
        raise UsageError(f"{source}: {display_path(org)!r} is {kind or 'not a file'}, not a regular file")
    return settings, root, org


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(errors: int, warnings: int, files: int, strict: bool) -> str:
    """``okrs: 2 errors, 1 warning in 24 files`` (``no problems`` when clean)."""
    where = f"in {_plural(files, 'file')}"
    if not errors and not warnings:
        return f"okrs: no problems {where}"
    text = f"okrs: {_plural(errors, 'error')}, {_plural(warnings, 'warning')} {where}"
    if strict and warnings and not errors:
        text += " (warnings fail with --strict)"
    return text


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``okrs check``: load, print, and return the exit status."""
    settings, root, org = _resolve_settings(args)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    # The check builds one large, acyclic structure, freed by reference counting when
    # it is done: the cyclic garbage collector would only scan it, in vain.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _check(args, settings, root, org, fmt, out, err)
    finally:
        if gc_was_enabled:
            gc.enable()


def _check(args: argparse.Namespace, settings, root: Path, org: Path | None, fmt: str, out: TextIO, err: TextIO) -> int:
    from .core.config import ConfigError
    from .core.diagnostics import count, format_json
    from .core.loader import SettingsError, load_okrs
    from .core.rules import RuleSettingError

    try:
        # Paths in diagnostics are relative to the current folder (clickable, and what
        # GitHub annotations expect when run from the repository root).
        okrs = load_okrs(root, settings, org_file=org)
    except RuleSettingError as exc:
        raise UsageError(f"rules: {exc}") from None
    except (SettingsError, ConfigError) as exc:  # e.g. a malformed SOURCE_DATE_EPOCH
        raise UsageError(str(exc)) from None
    if _KEEP_UNTIL_EXIT is not None:
        _KEEP_UNTIL_EXIT.append(okrs)  # freed by os._exit, not object by object (see main)
    from .builder_check import builder_diagnostic  # a zensical.toml, and no generated pages

    builder = builder_diagnostic(args, settings)
    diags = okrs.diagnostics + [builder] if builder is not None else okrs.diagnostics
    errors, warnings = count(diags)

    if fmt == "json":
        out.write(format_json(diags) + "\n")
    elif fmt == "github":
        out.writelines(d.format_github() + "\n" for d in diags)
    else:
        out.writelines(d.format_text() + "\n" for d in diags)
    out.flush()
    if not args.quiet:
        err.write(summary_line(errors, warnings, okrs.source_files, args.strict) + "\n")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


# ------------------------------------------------------------------------------ rules


def run_rules(args: argparse.Namespace, out: TextIO) -> int:
    """``okrs rules``: the rule catalogue."""
    from .core.rules import RULES

    rules = sorted(RULES.values(), key=lambda r: (r.severity.value != "error", r.id))
    if args.format == "json":
        import json

        doc = [
            {"id": r.id, "severity": r.severity.value, "configurable": r.configurable, "summary": r.summary}
            for r in rules
        ]
        out.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    from .core.diagnostics import escape_text  # the catalogue is ours, but one rule is one line, always

    width = max(len(r.id) for r in rules)
    for r in rules:
        out.write(f"{escape_text(r.id):<{width}}  {r.severity.value:<7}  {escape_text(r.summary)}\n")
    return EXIT_OK


# ------------------------------------------------------------------------------- main


_KEEP_UNTIL_EXIT: list | None = None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``okrs`` console script; returns the exit status.

    Run as the command (``argv`` None), it ends the process itself once the output
    is flushed: freeing what a check of a large root built, object by object, and
    tearing the interpreter down take longer than reporting.
    """
    global _KEEP_UNTIL_EXIT
    if argv is None:
        _KEEP_UNTIL_EXIT = []
    status = _main(argv)
    if argv is not None:
        return status
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or stdout was closed
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(status)


def _main(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(next((w for w in words if not w.startswith("-")), ""))
    args = parser.parse_args(argv)  # exits 2 on a bad command line
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        # Messages quote what contributors wrote (any language) and use '→' and '…': on a
        # terminal that cannot show a character, print an escape rather than fail.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        if args.command == "check":
            return run_check(args, out, err)
        if args.command == "rules":
            return run_rules(args, out)
        if getattr(args, "run", None) is not None:
            return args.run(args, out, err)
        parser.print_help(err)
        return EXIT_USAGE
    except UsageError as exc:
        from .core.diagnostics import escape_text  # paths and settings as typed: one line, visibly

        err.write(f"okrs: error: {escape_text(str(exc))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("okrs: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (okrs check | head): stay quiet, also at interpreter exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS
    except Exception:  # a bug, not bad input: show it, with a distinct status
        import traceback

        traceback.print_exc(file=err)
        err.write("okrs: internal error: this is a bug in mkdocs-okrs; please report it with the output above\n")
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
