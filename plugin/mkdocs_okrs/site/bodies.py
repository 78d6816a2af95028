"""The Markdown body of an objective, rendered for its page. No MkDocs import.

A body is text anyone with write access to one objective file chose, so the
plugin renders it itself rather than handing it to MkDocs as page Markdown:

- with the site's ``markdown_extensions``, except those that read files or run
  code (:func:`body_extensions`): ``pymdownx.snippets`` (however it is named),
  markdown-include and the like would let a public body pull in a private
  objective's file, or any file of the build machine;
- never through other plugins' Markdown hooks (a macros or include plugin sees
  the generated page, not the body);
- with one converter per build, reset between bodies (building a converter
  loads and configures every extension again: as long as rendering a body);
- with a relative link to another objective's file (``[goal](../company/grow.md)``,
  written from the folder of this objective's file) turned into a link to that
  objective's page.

The HTML is sanitized afterwards (:mod:`.sanitize`); the headings' table of
contents comes from the ``toc`` extension, as MkDocs' does.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

from .sanitize import body_id

# Extensions whose code is known not to read files or run code given in the text:
# Python-Markdown's own, PyMdown Extensions' and mkdocs-material's, but the two that
# read files named in the text.
_SAFE_MODULES = ("markdown.extensions.", "pymdownx.", "material.")
_FILE_READERS = ("pymdownx.snippets", "pymdownx.b64")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

LinkResolver = Callable[[str], "str | None"]


def _module(obj: object) -> str:
    module = getattr(obj, "__module__", None) or type(obj).__module__
    return module or ""


def _is_safe_module(module: str) -> bool:
    return module.startswith(_SAFE_MODULES) and not any(
        module == m or module.startswith(m + ".") for m in _FILE_READERS
    )


def body_extensions(names: Iterable[Any], configs: Mapping[str, Mapping[str, Any]]) -> tuple[list, list[str]]:
    """(the extensions to render bodies with, the names of those left out).

    ``names`` and ``configs`` are MkDocs' ``markdown_extensions`` and ``mdx_configs``.
    Each is built as Python-Markdown builds it, so every way of naming an extension
    (``pymdownx.snippets``, ``pymdownx.snippets:SnippetExtension``, an instance) is
    judged by the code it runs. ``pymdownx.superfences`` custom fences whose formatter
    is not from a trusted package are left out too (``markdown-exec`` runs code).
    """
    probe = markdown.Markdown()
    kept: list = []
    dropped: list[str] = []
    for item in names:
        name = item if isinstance(item, str) else type(item).__name__
        try:
            ext = item if isinstance(item, markdown.extensions.Extension) else probe.build_extension(
                item, dict(configs.get(item, {}) or {})
            )
        except Exception:  # noqa: BLE001 - MkDocs reports a broken extension itself
            dropped.append(name)
            continue
        if not _is_safe_module(_module(ext)):
            dropped.append(name)
            continue
        if _module(ext).startswith("pymdownx.superfences"):
            fences = ext.getConfig("custom_fences") or []
            safe = [f for f in fences if _is_safe_module(_module(f.get("format")))]
            if len(safe) != len(fences):
                dropped += [f"{name} custom fence {f.get('name')!r}" for f in fences if f not in safe]
                ext.setConfig("custom_fences", safe)
        kept.append(ext)
    return kept, dropped


class _Links(Treeprocessor):
    """Rewrites relative ``.md`` links with the resolver of the body being rendered."""

    resolve: LinkResolver | None = None

    def run(self, root: etree.Element) -> None:
        if self.resolve is None:
            return
        for el in root.iter("a"):
            href = el.get("href")
            if href and not _SCHEME.match(href) and not href.startswith(("#", "/")):
                new = self.resolve(href)
                if new is not None:
                    el.set("href", new)


class BodyRenderer:
    """One Markdown converter for every body of a build (see the module docstring)."""

    def __init__(self, names: Iterable[Any], configs: Mapping[str, Mapping[str, Any]]) -> None:
        extensions, self.dropped = body_extensions(names, configs)
        self._md = markdown.Markdown(extensions=extensions)
        self._links = _Links(self._md)
        self._md.treeprocessors.register(self._links, "okrs_links", 1)

    def render(self, text: str, resolve: LinkResolver | None = None) -> tuple[str, list[dict]]:
        """(HTML, toc tokens) of the Markdown ``text``; ``resolve(href)`` gives the new target
        of a relative link (None: keep it)."""
        md = self._md
        md.reset()
        self._links.resolve = resolve
        try:
            return md.convert(text), list(getattr(md, "toc_tokens", []))
        finally:
            self._links.resolve = None


def objective_link_resolver(
    source_path: str, page_url_of: Mapping[str, str], here: str, relative: Callable[[str, str], str]
) -> LinkResolver:
    """A resolver for the body of the objective whose file is ``source_path`` (below the OKR
    root): a link to another objective file goes to that objective's page.

    ``page_url_of`` maps objective file paths (below the root) to page URLs; ``here`` is
    the URL of the page the body is on; ``relative(from_url, to_url)`` makes the link. A
    fragment names a heading of that objective's body (``#why``), so it gets the prefix the
    sanitizer gives body ids; one of our own page sections (``#okr-key-results``) is kept.
    """
    folder = posixpath.dirname(source_path)

    def resolve(href: str) -> str | None:
        path, sep, fragment = href.partition("#")
        if not path.endswith(".md"):
            return None
        target = posixpath.normpath(posixpath.join(folder, path))
        url = page_url_of.get(target)
        if url is None:
            return None
        if fragment and not fragment.startswith("okr-"):
            fragment = body_id(fragment)
        return relative(here, url) + (sep + fragment if sep else "")

    return resolve
