"""The ``okrs`` plugin's options in a ``mkdocs.yml``, read with MkDocs' own YAML loading.

``okrs check`` validates with the settings ``mkdocs build`` uses: it reads the
``mkdocs.yml`` of the current folder with MkDocs' loader
(:func:`mkdocs.utils.yaml.yaml_load`: ``!ENV`` and ``INHERIT`` as MkDocs has
them) over a safe YAML loader on which ``!!python/...`` and other tags the check
does not need (``!relative``) read as null: the check imports and runs nothing a
configuration names. Only the plugin's options are looked at; the rest of the
configuration belongs to MkDocs, which validates it when it builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import yaml

from .core.config import ConfigError
from .core.paths import display_path

PLUGIN_NAME = "okrs"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader on which tags other than YAML's own and ``!ENV`` read as null."""


def _ignored(loader: Any, *args: Any) -> None:
    return None


_SafeLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignored)
_SafeLoader.add_constructor(None, _ignored)


def load_mkdocs_yml(path: Path, loader: type | None = None) -> dict:
    """The mapping in ``path``, ``INHERIT`` resolved and ``!ENV`` read, as MkDocs reads it
    (over ``loader``, a subclass of the safe loader above, when given).

    Raises :class:`~mkdocs_okrs.core.config.ConfigError` naming the file for a missing
    file, a YAML error, a top level that is not a mapping or a problem with ``INHERIT``.
    """
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    shown = display_path(Path(path))
    try:
        with open(path, "rb") as fd:
            data = yaml_load(fd, get_yaml_loader(loader or _SafeLoader))
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    except ConfigurationError as exc:
        cause = exc.__context__  # MkDocs' own message names the file; the YAML error has the place
        if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
            mark = cause.problem_mark
            problem = " ".join(str(p) for p in (cause.context, cause.problem) if p)
            raise ConfigError(f"{shown}:{mark.line + 1}:{mark.column + 1}: invalid YAML: {problem}") from None
        if isinstance(cause, yaml.YAMLError):
            raise ConfigError(f"{shown}: invalid YAML: {' '.join(str(cause).split())}") from None
        raise ConfigError(f"{shown}: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ConfigError(f"{shown}: INHERIT cycle: the inherited files inherit from each other") from None
    except (TypeError, ValueError, UnicodeDecodeError) as exc:  # INHERIT: [a], bad bytes
        raise ConfigError(f"{shown}: cannot be read as a MkDocs configuration: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}: the top level must be a mapping of settings")
    return data


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
    """The ``okrs`` plugin's options in ``mkdocs_yml``: ``{}`` when it is listed without
    options, None when it is not listed. Raises ConfigError when the file cannot be read."""
    return plugin_options(load_mkdocs_yml(Path(mkdocs_yml)), display_path(Path(mkdocs_yml)))


def config_file_of(args) -> Path | None:
    """The mkdocs.yml a command reads, as ``okrs check`` finds it: ``--config``, else
    none with ``--no-config``, else the one in the current folder (if any)."""
    if getattr(args, "config", None):
        return Path(args.config)
    if getattr(args, "no_config", False):
        return None
    return find_config_file(Path.cwd())


def find_config_file(folder: Path) -> Path | None:
    """``mkdocs.yml`` (or ``mkdocs.yaml``) in ``folder``, like MkDocs looks for it."""
    for name in CONFIG_NAMES:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None
