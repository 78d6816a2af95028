"""The Markdown source of each generated page.

A generated page starts with a front-matter block of our own (so a body that
itself begins with ``---`` cannot set MkDocs page metadata such as
``template:``), followed, for an objective page, by the contributor's Markdown
body. MkDocs then renders the body with the site's own ``markdown_extensions``,
so its headings join the page's table of contents and search. Everything else
on the page comes from our templates.
"""

from __future__ import annotations

import re

# pymdownx.snippets includes files (or URLs) named in the Markdown: in an
# untrusted body that could pull any file of the build machine -- a private
# objective's file included -- into the site. Its markers are neutralised by
# replacing '<' with the entity '&lt;', which displays the same in text.
_SNIPPET_MARKER = re.compile(r"-{1,}8<-{1,}")


def page_source(kind: str, body: str | None = None) -> str:
    """The Markdown MkDocs reads for a generated page of ``kind``."""
    head = f"---\nokrs_page: {kind}\n---\n\n"
    if not body:
        return head
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    return head + text + ("" if text.endswith("\n") else "\n")


def neutralize_snippets(markdown: str) -> str:
    """``markdown`` with pymdownx.snippets include markers (``--8<--``) disarmed."""
    return _SNIPPET_MARKER.sub(lambda m: m.group(0).replace("<", "&lt;"), markdown)
