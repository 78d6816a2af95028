"""The settings the ``okrs`` plugin and ``okrs check`` share, validated the same way.

:func:`settings_from_options` turns the plugin's options into a
:class:`~mkdocs_okrs.core.model.Settings`. The command line (which reads them
from mkdocs.yml, see :mod:`mkdocs_okrs.mkdocs_yml`) and the MkDocs plugin (whose
typed config calls the ``parse_*`` functions) use it, so an option means the
same thing everywhere. It only looks at the options it knows (``okrs_dir``,
``org_file``, ``today``, ``fiscal_year_start``, ``rules``); the others belong to
the site generator and are validated by the plugin's own config schema.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Mapping

from .model import Settings
from .rules import RuleSettingError, parse_rule_settings

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConfigError(ValueError):
    """A mkdocs.yml that cannot be read, or an ``okrs`` plugin option with a bad value.

    The message is complete and meant for users (it names the file or option).
    """


# ----------------------------------------------------------------------- settings


def parse_today(value: object, option: str = "today") -> dt.date | None:
    """A ``today`` setting: a date, a datetime (its date), an ISO ``YYYY-MM-DD`` string or None.

    An empty string counts as not set (None), so ``!ENV [OKRS_TODAY, ""]`` works.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None  # e.g. !ENV [OKRS_TODAY, ""]: unset
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        raise ConfigError(f"{option}: {value!r} is not a date; use YYYY-MM-DD, for example 2026-11-15")
    raise ConfigError(f"{option}: expected a date (YYYY-MM-DD), not {_type_name(value)}")


def parse_fiscal_year_start(value: object, option: str = "fiscal_year_start") -> int:
    """A ``fiscal_year_start`` setting: the month the fiscal year starts in, 1 to 12."""
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{option}: expected a month number from 1 to 12, not {_type_name(value)}")
    if not 1 <= value <= 12:
        raise ConfigError(f"{option}: expected a month number from 1 to 12, not {value}")
    return value


def parse_rules(value: object, option: str = "rules") -> dict[str, object]:
    """A ``rules`` setting, validated; returns the raw mapping (a plain dict)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{option}: expected a mapping of rule id to off, warning or error "
            f"(for example {{kr-count: off}}), not {_type_name(value)}"
        )
    try:
        parse_rule_settings(value)
    except RuleSettingError as exc:
        raise ConfigError(f"{option}: {exc}") from None
    return dict(value)


def _path_option(value: object, option: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{option}: expected a folder or file path, not {_type_name(value)}")
    return value


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def settings_from_options(options: Mapping, base_dir: Path) -> tuple[Settings, Path, Path | None]:
    """Validate the ``okrs`` plugin options; return (settings, OKR root, org file).

    - ``okrs_dir`` (default ``okrs``) and ``org_file`` are relative to ``base_dir``
      (the folder of mkdocs.yml); absolute paths are kept. ``org_file`` None
      means ``<okrs_dir>/org.yml`` when that file exists (the loader decides).
    - ``today``: a date or ``YYYY-MM-DD`` string; None to use ``SOURCE_DATE_EPOCH``
      or the machine's date (see :func:`resolve_today`).
    - ``fiscal_year_start``: month 1-12, default 1.
    - ``rules``: ``{rule-id: off|warning|error}``, checked against the catalogue.

    Other options are ignored here. Raises :class:`ConfigError` with a message
    naming the option.
    """
    base_dir = Path(base_dir)
    okrs_dir = _path_option(options.get("okrs_dir", "okrs"), "okrs_dir")
    org_raw = options.get("org_file")
    org_file = None if org_raw is None else _path_option(org_raw, "org_file")
    settings = Settings(
        okrs_dir=okrs_dir,
        org_file=org_file,
        today=parse_today(options.get("today")),
        fiscal_year_start=parse_fiscal_year_start(options.get("fiscal_year_start")),
        rules=parse_rules(options.get("rules")),
    )
    root = base_dir / okrs_dir
    org_path = base_dir / org_file if org_file is not None else None
    return settings, root, org_path


def resolve_today(today: dt.date | None = None) -> dt.date:
    """The ``today`` of the contract: the setting, else ``SOURCE_DATE_EPOCH`` (UTC), else the local date.

    The rule lives in :func:`mkdocs_okrs.core.loader.resolve_today` (which raises
    its ``SettingsError``, a ValueError, for a malformed ``SOURCE_DATE_EPOCH``);
    this is the same function, named where the model's docstring points.
    """
    from .loader import resolve_today as _resolve

    return _resolve(today)
