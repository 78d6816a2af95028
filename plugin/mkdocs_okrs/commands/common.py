"""What the writing commands share: the OKR root as ``okrs check`` finds it, a change
checked as ``okrs check`` would check it, and a file written whole or not at all."""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, TextIO

from ..cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError  # noqa: F401 - the commands' vocabulary

if TYPE_CHECKING:  # the commands start fast: the core is imported when a command runs
    from ..core.diagnostics import Diagnostic


def add_root_options(parser: argparse.ArgumentParser, root: bool = True) -> None:
    """The options every command that reads the OKRs takes, as ``okrs check`` does:
    ``--root`` (when ``root``), ``--config`` / ``--no-config``, ``--org``, ``--today``."""
    from ..cli import _date_arg

    if root:
        parser.add_argument("--root", metavar="OKR_ROOT",
                            help="the OKR folder (default: okrs_dir of mkdocs.yml, else ./okrs)")
    cfg = parser.add_mutually_exclusive_group()
    cfg.add_argument("--config", metavar="MKDOCS_YML",
                     help="read settings from this mkdocs.yml (default: ./mkdocs.yml when it exists)")
    cfg.add_argument("--no-config", action="store_true", help="ignore mkdocs.yml")
    parser.add_argument("--org", metavar="ORG_YML", help="the org file (default: OKR_ROOT/org.yml)")
    parser.add_argument("--today", type=_date_arg, metavar="YYYY-MM-DD", help="the date to work with (default: today)")


@dataclass(frozen=True)
class Workspace:
    """The OKRs a command works on: settings, root and org file, as ``okrs check`` finds them."""

    settings: object
    root: Path
    org: Path | None

    def load(self, overlay: Mapping[str, bytes] | None = None):
        """The OKR set (:class:`~mkdocs_okrs.core.model.OkrSet`), with ``overlay`` (absolute
        path -> bytes) read instead of the disk."""
        from ..core.loader import load_okrs

        return load_okrs(self.root, self.settings, org_file=self.org, overlay=overlay)


def workspace(args: argparse.Namespace) -> Workspace:
    """The :class:`Workspace` of the command line ``args`` (see :func:`add_root_options`)."""
    from ..cli import _resolve_settings

    ns = argparse.Namespace(
        root=getattr(args, "root", None), config=getattr(args, "config", None),
        no_config=getattr(args, "no_config", False), org=getattr(args, "org", None),
        today=getattr(args, "today", None), fiscal_year_start=getattr(args, "fiscal_year_start", None),
    )
    settings, root, org = _resolve_settings(ns)
    return Workspace(settings, root, org)


def new_problems(before: list[Diagnostic], after: list[Diagnostic], paths: set[str]) -> list[Diagnostic]:
    """The errors of ``after`` in the files ``paths`` (as diagnostics show them) that
    ``before`` did not have: what a change would break. (An error the files already had
    does not stop a command from writing them.)"""
    from ..core.diagnostics import Severity

    seen = {(d.path, d.rule, d.message) for d in before if d.severity is Severity.ERROR}
    return [d for d in after
            if d.severity is Severity.ERROR and d.path in paths and (d.path, d.rule, d.message) not in seen]


def check_change(ws: Workspace, changes: Mapping[Path, bytes], before=None) -> list[Diagnostic]:
    """The errors the files ``changes`` (path -> new bytes) would have, checked with the
    whole OKR set as ``okrs check`` checks it; empty when they may be written.
    ``before``: the set as loaded now, when the caller has it (else it is loaded)."""
    from ..core.diagnostics import Diagnostic, Severity
    from ..core.paths import display_path

    # A file whose path leads out of the OKR root ('..', a symbolic link) would be
    # written outside it, where the loader neither reads nor checks it: refused.
    root_real = os.path.normcase(os.path.realpath(ws.root))

    def inside(p) -> bool:
        try:
            return os.path.commonpath([root_real, os.path.normcase(os.path.realpath(p))]) == root_real
        except ValueError:  # another drive (Windows)
            return False

    outside = [Diagnostic(display_path(os.path.abspath(p)), 1, 1, Severity.ERROR,
                          "this file would be written outside the OKR folder (its path leads to "
                          f"{os.path.realpath(p)}); it is not written", "file-outside-root")
               for p in changes if not inside(p)]
    if outside:
        return outside
    if before is None:
        before = ws.load()
    # Keyed as the loader reads them: a file it lists with its links resolved, a new
    # one below the root as given (which may be reached through a link).
    after = ws.load({os.path.realpath(p) if os.path.lexists(p) else os.path.abspath(p): data
                     for p, data in changes.items()})
    shown = {display_path(os.path.abspath(p)) for p in changes}
    return new_problems(before.diagnostics, after.diagnostics, shown)


def write_whole(path: Path, data: bytes, *, new: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a file beside it, then renamed
    over it (keeping the old file's permissions). With ``new``, refuse to replace a file
    that exists (FileExistsError), also one that appeared meanwhile."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        try:  # the old file's permissions; a new file gets those the umask gives (mkstemp's are 0600)
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        if new:
            try:
                os.link(tmp, path)  # fails if the file exists, atomically
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def print_refusal(problems: list[Diagnostic], err: TextIO, what: str) -> int:
    """Print ``problems`` (the reason a change is refused) and return exit status 1."""
    from ..core.diagnostics import count

    for d in problems:
        err.write(d.format_text() + "\n")
    errors, _ = count(problems)
    err.write(f"okrs: {what}: refused, the result would not pass 'okrs check' ({errors} error"
              f"{'' if errors == 1 else 's'}); nothing was written\n")
    return EXIT_PROBLEMS
