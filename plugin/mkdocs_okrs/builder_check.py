"""``okrs check``'s warning [builder-ignores-plugin]: the site is built by a builder that
runs no plugin (Zensical reads a ``zensical.toml``) and the pages of ``okrs generate`` are
not in its docs folder, so the site would have no OKR pages. No MkDocs import."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

BUILDER_RULE = "builder-ignores-plugin"


def _docs_dir_of(folder: Path, config_path: Path | None) -> Path:
    """The docs folder Zensical builds from: zensical.toml's ``project.docs_dir``, else
    mkdocs.yml's ``docs_dir``, else ``docs``."""
    import tomllib

    try:
        with open(folder / "zensical.toml", "rb") as fh:
            project = tomllib.load(fh).get("project")
        if isinstance(project, dict) and isinstance(project.get("docs_dir"), str):
            return folder / project["docs_dir"]
    except (OSError, ValueError):
        pass
    if config_path is not None:
        from .core.config import ConfigError
        from .mkdocs_yml import load_mkdocs_yml

        try:
            docs = load_mkdocs_yml(config_path).get("docs_dir")
        except ConfigError:
            docs = None
        if isinstance(docs, str):
            return folder / docs
    return folder / "docs"


def has_generated_pages(docs: Path, prefix: str) -> bool:
    """Whether ``okrs generate`` wrote into a folder of ``docs`` (its manifest is there)."""
    from .site.generate import MANIFEST_NAME

    if (docs / prefix / MANIFEST_NAME).is_file():
        return True
    for dirpath, dirnames, filenames in os.walk(docs):
        if MANIFEST_NAME in filenames:
            return True
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
    return False


def builder_diagnostic(args: argparse.Namespace, settings):
    """``okrs check``'s warning [builder-ignores-plugin]: a ``zensical.toml`` beside the
    configuration (mkdocs.yml, else the current folder) and no pages of ``okrs generate``
    in the docs folder. None when there is nothing to say (or the rule is off)."""
    from .core.diagnostics import Diagnostic, Severity
    from .core.paths import display_path
    from .core.rules import parse_rule_settings
    from .mkdocs_yml import config_file_of

    config_path = config_file_of(args)
    folder = config_path.parent if config_path is not None else Path(".")
    toml = folder / "zensical.toml"
    if not toml.is_file():
        return None
    severity = parse_rule_settings(settings.rules).get(BUILDER_RULE, Severity.WARNING)
    if severity is Severity.OFF:
        return None
    docs = _docs_dir_of(folder, config_path)
    if has_generated_pages(docs, "okrs"):
        return None
    target = display_path(docs / "okrs")
    return Diagnostic(
        display_path(toml), 1, 1, severity,
        f"Zensical builds this site and runs no plugin: the OKR pages are missing from {display_path(docs)}. "
        f"Run 'okrs generate {target}' before 'zensical build' (see 'Builders without plugins' in the docs)",
        BUILDER_RULE,
    )
