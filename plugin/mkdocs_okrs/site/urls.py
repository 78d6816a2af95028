"""Where generated pages live: source paths, site URLs and relative links.

Pure functions, no MkDocs import. They reproduce how MkDocs turns a source path
(``okrs/objectives/a/b.md``) into a URL, in both ``use_directory_urls`` modes,
so that links between generated pages can be computed before MkDocs renders
anything (and are checked against MkDocs' own ``File.url`` in the tests).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import quote

# Names MkDocs treats as a folder's index page. A generated page whose last
# path segment is one of these (case-insensitively, to be safe on
# case-insensitive file systems) would take over its folder's URL, so it gets a
# leading underscore -- which no id can start with, so the mapping is injective.
_INDEX_NAMES = frozenset({"index", "readme"})
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def safe_segment(segment: str) -> str:
    """``segment`` as a file name stem that MkDocs will not treat as an index page."""
    if segment.lower() in _INDEX_NAMES:
        return "_" + segment
    return segment


def objective_src(prefix: str, objective_id: str) -> str:
    """Source path of an objective page: ``<prefix>/objectives/<id>.md`` (last segment made safe)."""
    head, _, last = objective_id.rpartition("/")
    path = (head + "/" if head else "") + safe_segment(last)
    return join(prefix, "objectives", path + ".md")


def period_src(prefix: str, period_id: str) -> str:
    """Source path of a period page: ``<prefix>/periods/<period>.md``."""
    return join(prefix, "periods", safe_segment(period_id) + ".md")


def review_src(prefix: str, period_id: str) -> str:
    """Source path of a period's review page: ``<prefix>/periods/<period>/review.md``."""
    return join(prefix, "periods", safe_segment(period_id), "review.md")


def changes_src(prefix: str) -> str:
    """Source path of the "what changed" page: ``<prefix>/changes.md``."""
    return join(prefix, "changes.md")


def unit_src(prefix: str, slug: str) -> str:
    """Source path of a unit page: ``<prefix>/units/<slug>.md``."""
    return join(prefix, "units", slug + ".md")


def tag_src(prefix: str, slug: str) -> str:
    """Source path of a tag page: ``<prefix>/tags/<slug>.md``."""
    return join(prefix, "tags", slug + ".md")


def tags_index_src(prefix: str) -> str:
    """Source path of the tags index: ``<prefix>/tags/index.md``."""
    return join(prefix, "tags", "index.md")


def dashboard_src(prefix: str) -> str:
    """Source path of the dashboard: ``<prefix>/index.md``."""
    return join(prefix, "index.md")


def units_index_src(prefix: str) -> str:
    """Source path of the units index: ``<prefix>/units/index.md``."""
    return join(prefix, "units", "index.md")


def join(*parts: str) -> str:
    """Join non-empty path parts with ``/``."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))


def unit_slugs(unit_ids: list[str]) -> dict[str, str]:
    """A file-name-safe, unique slug for each unit id.

    Ids that already follow the id rule keep their spelling (made index-safe).
    Free-text owners (no org.yml) are slugified; when a slug is taken
    (case-insensitively) or had to be changed, a short hash of the id is appended
    so that the result is stable from build to build and never collides.
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    plain = [u for u in sorted(unit_ids) if _is_plain(u)]
    other = [u for u in sorted(unit_ids) if not _is_plain(u)]
    for uid in plain + other:
        if _is_plain(uid):
            slug = safe_segment(uid)
        else:
            base = re.sub(r"[^a-z0-9._-]+", "-", uid.lower()).strip("-._")
            base = re.sub(r"\.{2,}", ".", base)[:60].strip("-._") or "unit"
            slug = f"{base}-{_short_hash(uid)}"
        if slug.lower() in taken:
            slug = f"{slug}-{_short_hash(uid)}"
        taken.add(slug.lower())
        out[uid] = slug
    return out


def tag_slugs(tags: list[str]) -> dict[str, str]:
    """A file-name-safe, unique slug for each tag, made as :func:`unit_slugs` makes a
    unit's: a tag that is a plain word (``performance``, ``re-gear``) keeps its spelling,
    any other (``Customer love``) is slugified with a short hash of the tag appended."""
    return unit_slugs(tags)


def _is_plain(uid: str) -> bool:
    return len(uid) <= 200 and _SAFE_SEGMENT.fullmatch(uid) is not None and ".." not in uid


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The site-root-relative URL MkDocs gives the page at ``src_uri`` (as ``File.url``).

    ``a/b.md`` -> ``a/b/`` (directory URLs) or ``a/b.html``; ``a/index.md`` ->
    ``a/`` or ``a/index.html``; the root ``index.md`` -> ``./`` or ``index.html``.
    """
    dirname, filename = posixpath.split(src_uri)
    stem, ext = posixpath.splitext(filename)
    if ext.lower() not in (".md", ".markdown"):
        return src_uri
    name = "index" if stem in ("index", "README") else stem
    if name == "index" or not use_directory_urls:
        dest = posixpath.join(dirname, name + ".html")
    else:
        dest = posixpath.join(dirname, name, "index.html")
    if use_directory_urls:
        ddir, dfile = posixpath.split(dest)
        if dfile == "index.html":
            return (ddir or ".") + "/"
    return dest


def page_dest(src_uri: str, use_directory_urls: bool) -> str:
    """The output file (site-relative) of the page at ``src_uri``."""
    url = page_url(src_uri, use_directory_urls)
    if url == "./":
        return "index.html"
    if url.endswith("/"):
        return url + "index.html"
    return url


def _dir_of(url: str) -> str:
    """The folder a browser resolves relative links against, for a page URL."""
    if url in ("", ".", "./"):
        return ""
    if url.endswith("/"):
        return url.rstrip("/")
    return posixpath.dirname(url)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page (or file) at ``from_url`` to ``to_url``, both site-root-relative.

    The one URL helper of the package: page links, graph nodes, separate graph files.
    Keeps a trailing ``/`` (directory URLs) and a ``#fragment``. A link to the
    page's own folder is ``./``. Both are URLs the site generates (no ``.`` or
    ``..`` segments), so a common-prefix walk is enough -- and much cheaper
    than ``posixpath.relpath`` for the tens of thousands of links of a large site.
    """
    to, sep, fragment = to_url.partition("#")
    to_path = "" if to in ("", ".", "./") else to
    trailing = to_path == "" or to_path.endswith("/")
    src = [p for p in _dir_of(from_url).split("/") if p]
    dst = [p for p in to_path.split("/") if p]
    common = 0
    for a, b in zip(src, dst):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(src) - common) + dst[common:])
    if not rel:
        rel = "./"
    elif trailing:
        rel += "/"
    return rel + (sep + fragment if sep else "")


# Characters kept as they are in a link we write; everything else (":" included,
# so a link can never become "javascript:...") is percent-encoded.
_URL_SAFE = "/#.-_~%"
_PLAIN_URL = re.compile(r"[A-Za-z0-9/#._~%-]*")


def safe_href(url: str) -> str:
    """``url`` percent-encoded so that only path characters, ``#`` and ``%`` remain."""
    if _PLAIN_URL.fullmatch(url):
        return url
    return quote(url, safe=_URL_SAFE)
