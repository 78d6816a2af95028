"""The table of contents of the pages ``okrs generate`` writes: a Python-Markdown extension.

A generated page (:func:`~mkdocs_okrs.site.generate.markdown_page`) is its HTML as one
raw HTML block, which Python-Markdown passes through untouched. MkDocs, ProperDocs and
Zensical take a page's table of contents ("On this page") from the headings the
``toc`` extension finds in the Markdown, and it finds none in raw HTML. With this
extension in the site's ``markdown_extensions``::

    markdown_extensions:
      - mkdocs_okrs.generated_toc

a page whose raw HTML is an OKR page (``<article class="okr-page ...">``) gets the
headings of that HTML that have an id -- the template's and the objective body's, in
order, nested by level as the plugin nests them -- as its table of contents. Nothing
else on any page changes. It is a Markdown extension, not a plugin: every builder that
renders Markdown with Python-Markdown runs it. No MkDocs import.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .site.toc import Heading, nest, template_headings

_OKR_PAGE = re.compile(r'\s*<article class="okr-page[\s"]')
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)  # (the toc extension's, on body headings)


def toc_tokens(headings: list[Heading]) -> list[dict]:
    """Nested headings as Python-Markdown's toc tokens (``name`` is escaped HTML text, as
    the toc extension gives it: themes print it as HTML)."""
    return [
        {"level": h.level, "id": h.id, "name": h.title, "html": h.title, "data-toc-label": "",
         "children": toc_tokens(h.children)}
        for h in headings
    ]


def page_toc(page_html: str) -> list[dict]:
    """The toc tokens of an OKR page's HTML (empty for any other HTML)."""
    if not _OKR_PAGE.match(page_html):
        return []
    return toc_tokens(nest(template_headings(_PERMALINK.sub("", page_html))))


class _OkrHeadings(Treeprocessor):
    """Adds the headings of the OKR page in the document's raw HTML to its toc tokens."""

    def run(self, root: etree.Element) -> None:
        found: list[dict] = []
        for block in self.md.htmlStash.rawHtmlBlocks:
            found += page_toc(str(block))
        if found:
            self.md.toc_tokens = list(getattr(self.md, "toc_tokens", None) or []) + found  # type: ignore[attr-defined]


class GeneratedTocExtension(Extension):
    """``mkdocs_okrs.generated_toc`` (see the module docstring)."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After the toc extension (priority 5), which sets toc_tokens from the Markdown's headings.
        md.treeprocessors.register(_OkrHeadings(md), "okrs_generated_toc", 4)


def makeExtension(**kwargs) -> GeneratedTocExtension:  # noqa: N802 - Python-Markdown's name
    """The extension, as Python-Markdown loads it by its module name."""
    return GeneratedTocExtension(**kwargs)
