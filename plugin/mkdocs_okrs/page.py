"""The MkDocs page class of the generated OKR pages, and their table of contents.

A generated page's Markdown source is only a front-matter block: the plugin
writes the page's HTML in ``on_page_content``. MkDocs would still build a
Markdown converter for it -- every extension of the site loaded and configured
again -- to convert nothing, which costs about as much as rendering a small page.
:class:`OkrPage` renders an empty Markdown source to what converting it gives (no
content, no table of contents) without a converter; as soon as there is Markdown
to convert (another plugin added some in ``on_page_markdown``), MkDocs renders it
as usual. MkDocs lets a plugin give a file its page (``File.page``), as
mkdocs-material's blog plugin does.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from .site.sanitize import body_id
from .site.toc import BODY, Heading


class OkrPage(Page):
    """A generated OKR page (see the module docstring)."""

    def render(self, config, files) -> None:
        """Convert the page's Markdown, unless there is none."""
        if self.markdown is not None and not self.markdown.strip():
            self.content = ""
            self.toc = get_toc([])
            self.present_anchor_ids = set()
            self.links_to_anchors = {}
            return
        super().render(config, files)


def nav_titles(nav) -> dict[str, str]:
    """The titles the ``nav`` setting gives pages (``{"Our OKRs": "okrs/index.md"}``), by path.

    MkDocs gives a page the title of its nav entry when it makes the page; an
    :class:`OkrPage` is made before that, by the plugin, so it gets its title here.
    """
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


def _walk(links: list[AnchorLink]):
    for link in links:
        yield link
        yield from _walk(link.children)


def prefixed_toc(links: list[AnchorLink]) -> list[AnchorLink]:
    """A body's table of contents with the ids the sanitizer gave its headings (``okr-body-``)."""
    for link in _walk(links):
        link.id = body_id(link.id)
    return list(links)


def merge_toc(headings: list[Heading], body_toc: list[AnchorLink]) -> TableOfContents:
    """Our template's headings as AnchorLinks, with the body's own entries where the body is."""

    def convert(nodes: list[Heading]) -> list[AnchorLink]:
        out: list[AnchorLink] = []
        for node in nodes:
            if node is BODY:
                out.extend(body_toc)
                continue
            link = AnchorLink(node.title, node.id, node.level)
            link.children = convert(node.children)
            out.append(link)
        return out

    return TableOfContents(convert(headings))
