"""Load an OKR root into an :class:`OkrSet`, with every problem as a located diagnostic.

:func:`load_okrs` walks the root, reads each objective file and checks each
field (:mod:`.objective_file`),
loads org.yml (:mod:`.org`), then runs the cross-file checks of :mod:`.validate`.

Choices made here where the contract is silent:

- Only files ending in ``.md`` (lower case) are objectives. A folder named ``x.md``,
  a broken link, a pipe, socket or device named ``x.md`` is reported as
  ``file-unreadable`` (never opened when it is not a regular file).
- Nothing outside the OKR root is read: a symbolic link below it (to a file or a
  folder, directly or through a chain of links) that leads outside is reported as
  ``file-outside-root`` and not followed; so is ``<root>/org.yml``. Links that stay
  inside are followed; a folder reached through links is walked once per path
  (no loops). The root itself may be reached through links. An ``org_file`` set
  explicitly may lie anywhere.
- A problem with a missing key is reported where the mapping that should hold it
  starts (the first key of the front-matter, of the key result, ...). A problem
  with a list item (a key result, a check-in, a contributor) is reported where the
  item's content starts: its first key for a mapping, the value for a text item.
- An objective is kept (so links to it still resolve) when its id is valid and
  unique and its owner and period are usable, even if other fields have errors.
  A key result with an error is kept with what could be read; if its measure
  (start/target/done) is broken it becomes a key result with no measure.
- ``tags`` and ``contributors`` must be lists (``tags: [a]``), not a single text.
- A key in YAML 1.1 boolean form (``on:``, ``yes:``) is the key text itself.
- A check-in whose date is not after the previous one is reported and left out
  (so ``current`` never comes from it); a key result whose id repeats an earlier
  one is reported and left out.
- ``done_on`` belongs to a milestone with ``done: true``. On a metric, on a key
  result with no measure or with ``done: false`` it is a ``field-value`` error
  at the ``done_on`` key saying which, and it is dropped; when the measure
  itself has an error (``done: maybe``), only that error is reported.
- ``carried_from`` is read like ``parent``'s objective id (``id-invalid`` when it
  breaks the id rule); ``<id>#<kr-id>`` is refused with a message that says it
  names an objective, not a key result. ``retrospective`` is text, trimmed; an
  empty one is none.
- The body keeps the file's text with line endings turned into LF.
- ``SOURCE_DATE_EPOCH`` that is not an integer is a :class:`SettingsError`
  (the reproducible-builds convention: fail rather than guess).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import stat
from pathlib import Path
from typing import Callable, Mapping

from .diagnostics import Diagnostic, Severity, apply_severities, sort_diagnostics
from .frontmatter import file_kind, not_regular_message
from .ids import id_key
from .model import Objective, OkrSet, Org, Settings
from .org import implied_org, load_org
from .objective_file import load_one
from .paths import display_path
from .rules import parse_rule_settings
from .validate import validate

_E = Severity.ERROR
_WINDOWS = os.name == "nt"


class SettingsError(ValueError):
    """A setting (not a source file) is wrong: ``fiscal_year_start`` or ``SOURCE_DATE_EPOCH``."""


def resolve_today(settings_today: dt.date | None) -> dt.date:
    """The ``today`` of a run: the setting, else ``SOURCE_DATE_EPOCH`` (UTC), else the machine's date.

    Raises :class:`SettingsError` when ``SOURCE_DATE_EPOCH`` is set but not an integer.
    """
    if settings_today is not None:
        if isinstance(settings_today, dt.datetime):
            return settings_today.date()
        return settings_today
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise SettingsError(
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not {epoch!r}"
            ) from None
    return dt.date.today()



# --- files -----------------------------------------------------------------------


def list_objective_files(
    root: str, diags: list[Diagnostic], show: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Every objective file below ``root``: ``(path relative to root with '/', path to open)``.

    Skips names starting with ``_`` or ``.``; sorted by relative path. The root
    itself may be reached through symbolic links; below it, a symbolic link (to a
    file or a folder, directly or through other links) that leads outside the
    root is reported as ``file-outside-root`` and neither read nor followed.
    Links that stay inside are followed (a folder once per path from the root:
    no loops). The path to open has every symbolic link resolved, as checked.
    Folders that cannot be listed and what is not a regular file (pipes, sockets,
    devices) named ``*.md`` are reported as ``file-unreadable``. Every path in
    ``diags`` is shown with ``show(path)``, the path as reached from ``root``.
    """
    root_abs = os.path.abspath(root)
    root_real = os.path.realpath(root_abs)
    try:
        st = os.stat(root_real)
        root_id = (st.st_dev, st.st_ino)
    except OSError:
        root_id = None
    out: list[tuple[str, str]] = []
    # (folder with no symbolic link in its path, its path below the root, ancestors' identities)
    stack: list[tuple[str, str, frozenset]] = [(root_real, "", frozenset())]
    while stack:
        folder, prefix, ancestors = stack.pop()
        shown_folder = os.path.join(root_abs, prefix) if prefix else root_abs
        try:
            st = os.stat(folder)
            ident = (st.st_dev, st.st_ino)
            if ident in ancestors:
                continue  # a symbolic link loop
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            diags.append(
                Diagnostic(
                    show(shown_folder), 1, 1, _E, f"cannot read the folder: {exc.strerror or exc}", "file-unreadable"
                )
            )
            continue
        inner = ancestors | {ident}
        for e in entries:
            name = e.name
            if name[0] in "_.":
                continue
            is_md = name.endswith(".md")
            is_link = _is_link(e)
            if is_link:
                shown = os.path.join(root_abs, prefix + name)
                real = os.path.realpath(e.path)
                if not _within(real, root_real, root_id):
                    if is_md or _is_dir(real):
                        diags.append(_outside(show(shown), e.path, real, show))
                    continue
                target = real
            else:
                target = e.path
            if is_md:
                rel = prefix + name
                if not is_link and _entry_is_file(e):  # the folder listing tells: no system call
                    out.append((rel, target))
                    continue
                try:
                    kind = file_kind(os.stat(target).st_mode)
                except OSError:  # a broken link, a loop, no permission: reported when read
                    out.append((rel, e.path))
                    continue
                if kind is None:
                    out.append((rel, target))
                elif kind == "a folder":  # reported when read, as it was listed
                    out.append((rel, e.path))
                else:  # a pipe, socket or device: reading it could block or never end
                    diags.append(
                        Diagnostic(
                            show(os.path.join(root_abs, rel)), 1, 1, _E, not_regular_message(kind), "file-unreadable"
                        )
                    )
                continue
            if (_is_dir(target) if is_link else _entry_is_dir(e)):
                stack.append((target, prefix + name + "/", inner))
    out.sort()
    return out


def _is_link(e: os.DirEntry) -> bool:
    """Whether ``e`` is a symbolic link (on Windows also a junction or another reparse point)."""
    try:
        if e.is_symlink():
            return True
        if _WINDOWS:
            attrs = getattr(e.stat(follow_symlinks=False), "st_file_attributes", 0)
            return bool(attrs & stat.FILE_ATTRIBUTE_REPARSE_POINT)
    except OSError:  # pragma: no cover - reported when reading it
        pass
    return False


def _entry_is_dir(e: os.DirEntry) -> bool:
    try:
        return e.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _entry_is_file(e: os.DirEntry) -> bool:
    try:
        return e.is_file(follow_symlinks=False)
    except OSError:  # pragma: no cover
        return False


def _within(real: str, root_real: str, root_id: tuple[int, int] | None) -> bool:
    """Whether ``real`` (a path with its links resolved) is ``root_real`` or lies below it.

    Compared by name first; else by identity, so that another spelling of the root
    (letter case on macOS and Windows, another mount of the same folder) still counts.
    """
    a, b = os.path.normcase(real), os.path.normcase(root_real)
    try:
        if os.path.commonpath([a, b]) == b:
            return True
    except ValueError:  # another drive (Windows)
        pass
    if root_id is None:
        return False
    p = real
    while True:
        try:
            st = os.stat(p)
            if (st.st_dev, st.st_ino) == root_id:
                return True
        except OSError:
            pass
        parent = os.path.dirname(p)
        if parent == p:
            return False
        p = parent


def _default_org_inside(path: str) -> str | None:
    """``<root>/org.yml`` at ``path`` with its links resolved (the path to open), or None
    when a symbolic link (of its own or of the root's) takes it outside the OKR root."""
    real = os.path.realpath(path)
    root_real = os.path.realpath(os.path.dirname(path))
    try:
        st = os.stat(root_real)
        root_id = (st.st_dev, st.st_ino)
    except OSError:
        root_id = None
    if os.path.normcase(real) == os.path.normcase(os.path.join(root_real, "org.yml")):
        return real  # not a link: the folder's own org.yml
    return real if _within(real, root_real, root_id) else None


def _outside(shown: str, link: str, real: str, show: Callable[[str], str]) -> Diagnostic:
    """The ``file-outside-root`` problem for the symbolic link ``link`` (shown as ``shown``),
    whose links lead to ``real``, outside the OKR root. Nothing is read, only looked at."""
    try:
        points_to = os.readlink(link)
    except OSError:  # pragma: no cover - a junction, or it changed a moment ago
        points_to = real
    direct = os.path.normpath(os.path.join(os.path.realpath(os.path.dirname(link)), points_to))
    details = []
    if os.path.normcase(direct) != os.path.normcase(real):
        details.append(f"through other links, to {show(real)}")
    try:
        kind = file_kind(os.stat(real).st_mode)
    except OSError:
        kind = None
    if kind is not None and kind != "a folder":
        details.append(kind)
    extra = f" ({', '.join(details)})" if details else ""
    return Diagnostic(
        shown, 1, 1, _E,
        f"the symbolic link to {points_to!r} leads outside the OKR folder{extra}; it is not read: "
        "only what lies inside the OKR folder is checked and published",
        "file-outside-root",
    )


# --- the whole root --------------------------------------------------------------


def load_okrs(
    root: str | Path,
    settings: Settings = Settings(),
    *,
    org_file: str | Path | None = None,
    display_base: str | Path | None = None,
    overlay: Mapping[str, bytes] | None = None,
) -> OkrSet:
    """Read the OKR root ``root`` into an :class:`OkrSet` with every problem found.

    - ``org_file``: the org.yml to use; None means ``<root>/org.yml`` when it exists
      (else there is no org and each owner is a unit); a symbolic link there that
      leads outside the root is a ``file-outside-root`` error and is not read. An
      explicit file may lie anywhere; one that does not exist is a
      ``file-unreadable`` error.
    - ``display_base``: diagnostics show paths relative to it when the file lies
      under it (else absolute), with '/' separators. Default: the current folder.
    - ``overlay``: objective files as a command would write them (absolute path ->
      bytes), read instead of the disk; a path not on disk is added. A command checks
      the whole set with its change before it writes anything.

    Objectives that load well enough are kept even when the set has errors, so
    the cross-file checks still run. Diagnostics come back sorted, with the
    ``settings.rules`` severities applied. Raises
    :class:`~mkdocs_okrs.core.rules.RuleSettingError` for invalid ``settings.rules``
    and :class:`SettingsError` for an invalid ``fiscal_year_start`` or
    ``SOURCE_DATE_EPOCH``.
    """
    overrides = parse_rule_settings(settings.rules)
    # Loading allocates many small objects that all stay alive (about 75 per
    # objective): the cyclic garbage collector would rescan them again and again
    # (doubling the time on large roots). Once it is enabled again, its next pass
    # still scans them all once: a short-lived caller
    # that keeps the result to the end, like `okrs check`, may keep it disabled.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, settings, overrides, org_file, display_base,
                     {os.path.abspath(os.fspath(k)): v for k, v in (overlay or {}).items()})
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(root, settings: Settings, overrides, org_file, display_base, overlay: Mapping[str, bytes]) -> OkrSet:
    fiscal = settings.fiscal_year_start
    if isinstance(fiscal, bool) or not isinstance(fiscal, int) or not 1 <= fiscal <= 12:
        raise SettingsError(f"fiscal_year_start must be a month number 1-12, not {fiscal!r}")
    today = resolve_today(settings.today)

    root_abs = os.path.abspath(os.fspath(root))
    base = os.path.abspath(os.fspath(display_base)) if display_base is not None else os.getcwd()

    def show(p: str) -> str:
        return display_path(p, base)

    root_shown = show(root_abs)
    prefix = "" if root_shown == "." else root_shown.rstrip("/") + "/"
    diags: list[Diagnostic] = []

    # org.yml
    org: Org | None = None
    org_read = False
    if org_file is not None:
        org_abs = os.path.abspath(os.fspath(org_file))
        if not os.path.exists(org_abs):
            diags.append(
                Diagnostic(show(org_abs), 1, 1, _E, "cannot read the org file: it does not exist", "file-unreadable")
            )
            org = Org(units={}, defined=True, path=show(org_abs))
        else:
            org = load_org(org_abs, show(org_abs), diags)
            org_read = True
    else:
        default_org = os.path.join(root_abs, "org.yml")
        if os.path.lexists(default_org):
            org_shown = show(default_org)
            real = _default_org_inside(default_org)
            if real is None:
                diags.append(_outside(org_shown, default_org, os.path.realpath(default_org), show))
                org = Org(units={}, defined=True, path=org_shown)
            else:
                # a broken link is read as listed, to be reported as one
                org = load_org(real if os.path.exists(real) else default_org, org_shown, diags)
                org_read = True

    # objective files
    objectives: dict[str, Objective] = {}
    first_by_key: dict[str, Objective] = {}
    if not os.path.isdir(root_abs):
        what = "does not exist" if not os.path.lexists(root_abs) else "is not a folder"
        diags.append(Diagnostic(root_shown, 1, 1, _E, f"the OKR folder {what}", "file-unreadable"))
        files: list[tuple[str, str]] = []
    else:
        files = list_objective_files(root_abs, diags, show)
    if overlay:
        listed = {os.path.abspath(a) for _, a in files}
        for abs_path in sorted(overlay):
            if abs_path not in listed and abs_path.startswith(root_abs + os.sep):
                files.append((os.path.relpath(abs_path, root_abs).replace(os.sep, "/"), abs_path))
    unloaded: set[str] = set()
    for rel, abs_path in files:
        path = prefix + rel
        obj, id_pos, file_id = load_one(abs_path, rel, path, fiscal, diags, overlay.get(abs_path))
        if obj is None:
            unloaded.add(file_id)
            continue
        key = id_key(obj.id)
        first = first_by_key.get(key)
        if first is not None:
            at = id_pos or (1, 1)
            same = "" if first.id == obj.id else f" ({first.id!r} differs only in case)"
            diags.append(
                Diagnostic(
                    path,
                    at[0],
                    at[1],
                    _E,
                    f"objective id {obj.id!r} is already used by {prefix + first.path}{same}",
                    "id-duplicate",
                )
            )
            continue
        first_by_key[key] = obj
        objectives[obj.id] = obj

    objectives = dict(sorted(objectives.items()))
    if org is None:
        org = implied_org(o.owner for o in objectives.values())
    periods = {
        p.id: p
        for p in sorted({o.period for o in objectives.values()}, key=lambda p: (p.start, p.end, p.id))
    }

    diags.extend(validate(objectives, org, today, unloaded=unloaded))

    diags = sort_diagnostics(apply_severities(diags, overrides))
    return OkrSet(
        root=root_abs,
        org=org,
        objectives=objectives,
        periods=periods,
        today=today,
        diagnostics=diags,
        source_files=len(files) + (1 if org_read else 0),
    )
