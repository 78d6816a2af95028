"""Settings from mkdocs.yml, read without importing MkDocs.

The ``okrs`` command line reads the ``okrs`` plugin's options from the
``mkdocs.yml`` of the current folder so that ``okrs check`` validates with the
same settings as ``mkdocs build``. MkDocs is not imported (the check must stay
fast and must not depend on a working MkDocs install); instead this module reads
the file the way MkDocs does where it matters:

- ``!ENV VAR`` and ``!ENV [VAR1, VAR2, default]`` resolve from the environment
  exactly like MkDocs (pyyaml-env-tag): the first variable that is set wins, its
  value typed by YAML's implicit rules; else the default (typed), else null.
- ``!!python/name:...``, ``!!python/object/apply:...`` and every other tag this
  module does not know (``!relative`` included) construct as ``None``: nothing
  is ever imported or executed.
- ``INHERIT: path`` loads the parent file (relative to the inheriting file) and
  deep-merges the child over it: mappings merge key by key, everything else
  (lists included) is replaced -- what MkDocs does with mergedeep.

:func:`settings_from_options` turns the plugin options into a
:class:`~mkdocs_okrs.core.model.Settings`. Both the command line and the MkDocs
plugin use it, so an option means the same thing everywhere. It only looks at
the options it knows (``okrs_dir``, ``org_file``, ``today``,
``fiscal_year_start``, ``rules``) and ignores the others, which belong to the
site generator and are validated by the plugin's own config schema.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from .model import Settings
from .paths import display_path
from .rules import RuleSettingError, parse_rule_settings

PLUGIN_NAME = "okrs"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConfigError(ValueError):
    """A mkdocs.yml that cannot be read, or an ``okrs`` plugin option with a bad value.

    The message is complete and meant for users (it names the file or option).
    """


# --------------------------------------------------------------------------- YAML


def _base_loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MkDocsYamlLoader(_base_loader()):  # type: ignore[misc]
    """A safe loader that understands MkDocs' tags well enough to read plugin options."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # Same behaviour as pyyaml-env-tag, which MkDocs uses for !ENV.
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1], deep=True)
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, f"!ENV expects a variable name or a list, not a {node.id}", node.start_mark
        )
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _construct_ignored(loader: yaml.SafeLoader, *args: Any) -> None:
    # !!python/name:..., !relative, and any other unknown tag: never execute, never fail.
    return None


_MkDocsYamlLoader.add_constructor("!ENV", _construct_env)
_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_ignored)
_MkDocsYamlLoader.add_constructor(None, _construct_ignored)


def _deep_merge(parent: dict, child: Mapping) -> dict:
    """``child`` over ``parent``: nested mappings merge, other values are replaced."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def load_mkdocs_yml(path: Path, _seen: tuple[Path, ...] = ()) -> dict:
    """The mapping in ``path`` with ``INHERIT`` resolved (see the module docstring).

    Raises :class:`ConfigError` for a missing file, a YAML error, a top level
    that is not a mapping, a missing inherited file or an ``INHERIT`` cycle.
    """
    path = Path(path)
    resolved = path.resolve()
    if resolved in _seen:
        chain = " → ".join(display_path(p) for p in (*_seen, resolved))
        raise ConfigError(f"{display_path(path)}: INHERIT cycle: {chain}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{display_path(path)}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None
    try:
        result = yaml.load(data, Loader=_MkDocsYamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{display_path(path)}:{mark.line + 1}:{mark.column + 1}" if mark else display_path(path)
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{display_path(path)}: invalid YAML: {exc}") from None
    if result is None:
        return {}
    if not isinstance(result, dict):
        raise ConfigError(f"{display_path(path)}: the top level must be a mapping of settings")
    if "INHERIT" in result:
        rel = result.pop("INHERIT")
        if not isinstance(rel, str) or not rel:
            raise ConfigError(f"{display_path(path)}: INHERIT must be a relative file path")
        parent_path = Path(os.path.normpath(path.parent / rel))
        if not parent_path.is_file():
            raise ConfigError(
                f"{display_path(path)}: inherited config file {rel!r} does not exist at {display_path(parent_path)!r}"
            )
        parent = load_mkdocs_yml(parent_path, (*_seen, resolved))
        result = _deep_merge(parent, result)
    return result


def plugin_options(config: Mapping, source: str = "mkdocs.yml") -> dict | None:
    """The ``okrs`` plugin's options in a loaded mkdocs.yml mapping.

    ``plugins`` may be a list (``- okrs`` or ``- okrs: {...}``) or a mapping
    (``plugins: {okrs: {...}}``). Returns ``{}`` when the plugin is listed
    without options and None when it is not listed.
    """
    plugins = config.get("plugins")
    if plugins is None:
        return None
    if isinstance(plugins, Mapping):
        items = list(plugins.items())
    elif isinstance(plugins, list):
        items = []
        for entry in plugins:
            if isinstance(entry, str):
                items.append((entry, None))
            elif isinstance(entry, Mapping) and len(entry) == 1:
                items.extend(entry.items())
            # Anything else is MkDocs' problem to report; it cannot be our plugin.
    else:
        raise ConfigError(f"{source}: 'plugins' must be a list or a mapping")
    for name, options in items:
        if name != PLUGIN_NAME:
            continue
        if options is None:
            return {}
        if not isinstance(options, Mapping):
            raise ConfigError(f"{source}: the options of the '{PLUGIN_NAME}' plugin must be a mapping")
        return dict(options)
    return None


def find_plugin_options(mkdocs_yml: Path) -> dict | None:
    """Read ``mkdocs_yml`` (without MkDocs) and return the ``okrs`` plugin's options.

    ``{}`` when the plugin is listed without options, None when it is not listed.
    Raises :class:`ConfigError` when the file cannot be read or parsed.
    """
    return plugin_options(load_mkdocs_yml(Path(mkdocs_yml)), display_path(Path(mkdocs_yml)))


def find_config_file(folder: Path) -> Path | None:
    """``mkdocs.yml`` (or ``mkdocs.yaml``) in ``folder``, like MkDocs looks for it."""
    for name in CONFIG_NAMES:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


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
