"""Load an OKR root into an :class:`OkrSet`, with every problem as a located diagnostic.

:func:`load_okrs` walks the root, reads each objective file and checks each
field (:mod:`.objective_file`; many files on two cores: :mod:`.parallel`),
loads org.yml (:mod:`.org`), then runs the cross-file checks of :mod:`.validate`.

Choices made here where the contract is silent:

- Only files ending in ``.md`` (lower case) are objectives. A folder named ``x.md``
  or a broken link named ``x.md`` is reported as ``file-unreadable``.
  Folders reached through symbolic links are followed once (no loops).
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
- The body keeps the file's text with line endings turned into LF.
- ``SOURCE_DATE_EPOCH`` that is not an integer is a :class:`SettingsError`
  (the reproducible-builds convention: fail rather than guess).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path
from typing import Callable

from .diagnostics import Diagnostic, Severity, apply_severities, sort_diagnostics
from .ids import id_key
from .model import Objective, OkrSet, Org, Settings
from .org import implied_org, load_org
from .parallel import load_files
from .paths import display_path
from .rules import parse_rule_settings
from .validate import validate

_E = Severity.ERROR


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
    """Every objective file below ``root``: ``(path relative to root with '/', absolute path)``.

    Skips names starting with ``_`` or ``.``; sorted by relative path. Folders
    that cannot be listed and special files (pipes, devices) named ``*.md`` are
    reported in ``diags`` as ``file-unreadable``, shown with ``show(path)``.
    """
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, str, frozenset]] = [(root, "", frozenset())]
    while stack:
        folder, prefix, ancestors = stack.pop()
        try:
            st = os.stat(folder)
            ident = (st.st_dev, st.st_ino)
            if ident in ancestors:
                continue  # a symbolic link loop
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            diags.append(
                Diagnostic(show(folder), 1, 1, _E, f"cannot read the folder: {exc.strerror or exc}", "file-unreadable")
            )
            continue
        inner = ancestors | {ident}
        for e in entries:
            name = e.name
            if name[0] in "_.":
                continue
            if name.endswith(".md"):
                try:
                    special = not e.is_file() and not e.is_dir() and not e.is_symlink()
                except OSError:  # pragma: no cover - reported when reading it
                    special = False
                if special:  # a pipe, socket or device: reading it could block or never end
                    diags.append(
                        Diagnostic(
                            show(e.path), 1, 1, _E,
                            "cannot read the file: it is not a regular file (a pipe, socket or device)",
                            "file-unreadable",
                        )
                    )
                    continue
                out.append((prefix + name, e.path))
                continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((e.path, prefix + name + "/", inner))
    out.sort()
    return out


# --- the whole root --------------------------------------------------------------


def load_okrs(
    root: str | Path,
    settings: Settings = Settings(),
    *,
    org_file: str | Path | None = None,
    display_base: str | Path | None = None,
) -> OkrSet:
    """Read the OKR root ``root`` into an :class:`OkrSet` with every problem found.

    - ``org_file``: the org.yml to use; None means ``<root>/org.yml`` when it exists
      (else there is no org and each owner is a unit). An explicit file that does
      not exist is a ``file-unreadable`` error.
    - ``display_base``: diagnostics show paths relative to it when the file lies
      under it (else absolute), with '/' separators. Default: the current folder.

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
    # still scans them all once (~0.3 s at 10,000 objectives): a short-lived caller
    # that keeps the result to the end, like `okrs check`, may keep it disabled.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, settings, overrides, org_file, display_base)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(root, settings: Settings, overrides, org_file, display_base) -> OkrSet:
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
            org = load_org(default_org, show(default_org), diags)
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
    unloaded: set[str] = set()
    for (rel, _), (obj, id_pos, file_id) in zip(files, load_files(files, prefix, fiscal, diags)):
        path = prefix + rel
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
