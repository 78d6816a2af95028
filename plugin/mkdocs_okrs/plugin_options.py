"""The options of the ``okrs`` plugin (``plugins: [okrs: {...}]`` in mkdocs.yml), as a typed MkDocs config.

The values ``okrs check`` reads too (``okrs_dir``, ``org_file``, ``today``,
``fiscal_year_start``, ``rules``) are validated by the parsers of
:mod:`mkdocs_okrs.core.config`, so the command line and the plugin accept exactly
the same values. See docs/plugin.md for what each option does.
"""

from __future__ import annotations

from typing import Any, Callable

from mkdocs.config import base
from mkdocs.config import config_options as c

from .core.config import ConfigError, parse_fiscal_year_start, parse_rules, parse_today
from .site.graphworker import MODES as GRAPH_WORKERS

RENDERERS = ("auto", "dot", "pygraphviz", "graphviz-pure")



# ---------------------------------------------------------------------- options


class _Parsed(c.BaseConfigOption):
    """An option validated by a parser of :mod:`mkdocs_okrs.core.config`, so that
    ``okrs check`` and the plugin accept exactly the same values."""

    def __init__(self, parse: Callable[[Any], Any], default: Any = None) -> None:
        super().__init__()
        self._parse = parse
        self.default = default

    def run_validation(self, value: object) -> Any:
        try:
            return self._parse(value)
        except ConfigError as exc:
            message = str(exc)
            head, sep, rest = message.partition(": ")
            raise base.ValidationError(rest if sep and " " not in head else message) from None


class _NavPosition(c.BaseConfigOption):
    """``start``, ``end`` or a 0-based index into the top level of the navigation."""

    def __init__(self, default: str | int = "end") -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str | int:
        if value in ("start", "end"):
            return value  # type: ignore[return-value]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise base.ValidationError(
            f"expected 'start', 'end' or a position (0, 1, ...) in the top level of the nav, not {value!r}"
        )


class _ChoiceOrOff(c.Choice):
    """A choice that includes ``off``, which YAML 1.1 reads as ``false`` when unquoted."""

    def run_validation(self, value: object) -> str:
        return super().run_validation("off" if value is False else value)


class _SitePath(c.BaseConfigOption):
    """A folder inside the built site: '/'-separated segments of letters, digits, '.', '_', '-'."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise base.ValidationError(f"expected a folder path inside the site, not {value!r}")
        text = value.strip().strip("/")
        for seg in text.split("/") if text else []:
            if not seg or seg in (".", "..") or seg.startswith(".") or not all(
                ch.isascii() and (ch.isalnum() or ch in "._-") for ch in seg
            ):
                raise base.ValidationError(
                    f"{value!r} is not a usable site folder; use letters, digits, '.', '_' and '-' "
                    "separated by '/', for example 'okrs' or 'goals/okrs'"
                )
        return text


class _IntAtLeast(c.BaseConfigOption):
    def __init__(self, minimum: int, default: int) -> None:
        super().__init__()
        self.minimum = minimum
        self.default = default

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise base.ValidationError(f"expected a whole number of at least {self.minimum}, not {value!r}")
        return value


class _PositiveNumber(c.BaseConfigOption):
    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise base.ValidationError(f"expected a positive number of seconds, not {value!r}")
        return float(value)


def _parse_path(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"expected a path, not {value!r}")
    return value


def _parse_optional_path(value: object) -> str | None:
    if value is None or value is False or value == "":
        return None
    return _parse_path(value)


class OkrsConfig(base.Config):
    """The plugin's options (``plugins: [okrs: {...}]`` in mkdocs.yml)."""

    enabled = c.Type(bool, default=True)
    okrs_dir = _Parsed(_parse_path, "okrs")
    org_file = _Parsed(_parse_optional_path, None)
    today = _Parsed(parse_today, None)
    fiscal_year_start = _Parsed(parse_fiscal_year_start, 1)
    rules = _Parsed(parse_rules, {})
    url_prefix = _SitePath("okrs")
    nav_title = c.Type(str, default="OKRs")
    nav_position = _NavPosition("end")
    graphs = c.Type(bool, default=True)
    renderer = c.Choice(RENDERERS, default="auto")
    graph_timeout = _PositiveNumber(60.0)
    graph_max_nodes = _IntAtLeast(2, 150)
    cache_dir = _Parsed(_parse_optional_path, ".cache/okrs")
    graph_worker = _ChoiceOrOff(GRAPH_WORKERS, default="auto")
    changes_days = _IntAtLeast(1, 7)
    # The language of the OKR pages (a catalogue in locales/, else English); by default
    # the theme's `language` (mkdocs-material's, "en" unless set).
    language = c.Optional(c.Type(str))
    # Where the repository's files are edited, relative to repo_url (e.g. edit/main/), for the
    # "edit this objective" link; by default MkDocs' edit_uri without its docs folder.
    edit_uri = c.Optional(c.Type(str))
