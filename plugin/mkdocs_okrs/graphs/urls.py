"""Relative links between site URLs, the way a browser resolves them (pure posixpath-style logic)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

# Characters kept as they are in a link we write; everything else (":" included,
# so a link can never become "javascript:...") is percent-encoded.
_URL_SAFE = "/#.-_~%"
_PLAIN_URL = re.compile(r"[A-Za-z0-9/#._~%-]*")


@lru_cache(maxsize=1 << 14)
def _parts(path: str) -> tuple[str, ...]:
    """Normalized segments of a slash-separated path ('.' dropped, '..' applied, never above the root)."""
    out: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    return tuple(out)


def page_dir(page_url: str) -> str:
    """The folder a browser resolves relative links against: everything up to the last '/'."""
    return page_url.rpartition("/")[0] if "/" in page_url else ""


def relative_url(target: str, from_page: str) -> str:
    """``target`` (a site-relative URL) as a link written on the page at ``from_page``.

    Both are site-relative URLs as the browser sees them: ``a/b/`` (a folder
    URL, ``use_directory_urls: true``), ``a/b.html``, or ``""`` for the site root.
    A trailing slash on ``target`` is kept; the same folder is ``./`` or ``.``.
    """
    base = _parts(page_dir(from_page))
    dest = _parts(target)
    common = 0
    for a, b in zip(base, dest):
        if a != b:
            break
        common += 1
    rel = "/".join((("..",) * (len(base) - common)) + dest[common:]) or "."
    return rel + "/" if target.endswith("/") else rel


def safe_href(url: str) -> str:
    """``url`` percent-encoded so that only path characters, ``#`` and ``%`` remain."""
    if _PLAIN_URL.fullmatch(url):
        return url
    return quote(url, safe=_URL_SAFE)
