"""The MkDocs page class of the generated OKR pages: their Markdown through one shared converter.

MkDocs makes a new ``markdown.Markdown`` for every page it renders, loading and
configuring every extension of the site again: about 0.6 ms a page, 6 s of a
10,000-objective build, for pages whose only Markdown is the contributor's body.
:class:`OkrPage` renders that body with one converter per build
(:class:`SharedMarkdown`), reset between pages, with MkDocs' own per-page
processors registered for the page (relative links and their validation, anchors,
raw HTML ids), so the result is what MkDocs would have made. A page without a
body skips Markdown altogether.

MkDocs allows a plugin to set ``File.page`` to a subclass of ``Page``
(mkdocs-material's blog plugin does). If MkDocs' per-page processors cannot be
imported (another engine), pages render the way MkDocs renders any page.
"""

from __future__ import annotations

import logging
import zlib

import markdown
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

try:  # MkDocs 1.6's own per-page processors (private names, frozen with the 1.x line)
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )
except ImportError:  # pragma: no cover - another MkDocs-compatible engine
    _RawHTMLPreprocessor = None  # type: ignore[assignment,misc]

_mkdocs_log = logging.getLogger("mkdocs.structure.pages")


class SharedMarkdown:
    """One ``markdown.Markdown`` with the site's extensions, made on first use."""

    def __init__(self, config) -> None:
        self._config = config
        self._md: markdown.Markdown | None = None

    def get(self) -> markdown.Markdown:
        """The converter, reset: no state of the previous page is left in it."""
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=self._config["markdown_extensions"],
                extension_configs=self._config["mdx_configs"] or {},
            )
        else:
            self._md.reset()
        return self._md


def nav_titles(nav) -> dict[str, str]:
    """The titles the ``nav`` setting gives its pages (``{"Our OKRs": "okrs/index.md"}``), by
    path: MkDocs gives a page the title of its first nav entry when it makes the page, and
    an :class:`OkrPage` exists before that."""
    out: dict[str, str] = {}
    stack = [nav] if nav else []
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            for title, value in reversed(list(item.items())):
                if isinstance(value, str):
                    if title is not None:
                        out.setdefault(value.lstrip("/"), str(title))
                else:
                    stack.append(value)
    return out


class OkrPage(Page):
    """A generated OKR page (see the module docstring).

    Its ``content`` can be *parked*: kept zlib-compressed while MkDocs holds it
    between reading the page and writing it (MkDocs keeps every page's HTML until
    the build ends). Reading ``content`` always gives the HTML, parked or not;
    :meth:`unpark` keeps it as a string again while the page is being written.
    """

    def __init__(self, file, config, converter: SharedMarkdown | None, has_body: bool,
                 title: str | None = None) -> None:
        self._content: str | None = None
        self._packed: bytes | None = None  # the content, compressed, while parked
        self._unparked: tuple[str, bytes] | None = None  # (string, compressed) of the last unpark
        self.content_version = 0  # counts assignments to content
        super().__init__(title, file, config)
        self._converter = converter
        self._has_body = has_body

    @property
    def content(self) -> str | None:  # type: ignore[override]
        """The page's HTML (decompressed on each read while parked)."""
        if self._content is None and self._packed is not None:
            return zlib.decompress(self._packed).decode("utf-8")
        return self._content

    @content.setter
    def content(self, value: str | None) -> None:
        self._content = value
        self._packed = None
        self.content_version += 1

    def park(self) -> None:
        """Keep the content compressed (until :meth:`unpark` or an assignment)."""
        if self._content is None:
            return
        if self._unparked is not None and self._content is self._unparked[0]:
            self._packed = self._unparked[1]  # unchanged since unpark: no need to compress again
        else:
            self._packed = zlib.compress(self._content.encode("utf-8"), 1)
        self._content = self._unparked = None

    def swap_content(self, value: str) -> None:
        """Show ``value`` as the content for a moment (the lean copy the search reads) and
        back, without counting an assignment. Once the string :meth:`unpark` made is back
        (even after a plugin assigned the content in between), parking costs nothing."""
        self._content = value

    def unpark(self) -> None:
        """Keep the content as a string again (the compressed copy is kept for the next park)."""
        if self._content is None and self._packed is not None:
            self._content = zlib.decompress(self._packed).decode("utf-8")
            self._unparked = (self._content, self._packed)

    def render(self, config, files) -> None:
        """Convert the page's Markdown as :meth:`Page.render` does, with the shared converter."""
        if self._converter is None or _RawHTMLPreprocessor is None:
            return super().render(config, files)
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if not self._has_body:  # only our front-matter: nothing to convert
            self.content = ""
            self.toc = get_toc([])
            self._title_from_render = None
            self.present_anchor_ids = set()
            if _mkdocs_log.getEffectiveLevel() > logging.DEBUG:
                self.links_to_anchors = {}
            return
        md = self._converter.get()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(self.file, files, config)
        anchors._register(md)
        relative = _RelativePathTreeprocessor(self.file, files, config)
        relative._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = title.title
        self.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if _mkdocs_log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative.links_to_anchors
