"""The "edit this objective" link: where an objective's source file is edited in its repository.

MkDocs gives a hand-written page ``page.edit_url = repo_url + edit_uri + <path
below docs_dir>`` (``edit_uri`` defaults to ``edit/master/docs/`` for GitHub and
GitLab). An objective file lies below the OKR root, outside ``docs_dir``, so its
link is ``repo_url + <edit root> + <path below the repository root>``, where

- the path below the repository root is the file's path relative to the folder
  of ``mkdocs.yml``: **mkdocs.yml is assumed to be at the repository root** (a
  file outside that folder gets no link);
- the edit root is the plugin option ``edit_uri`` when it is set
  (``edit/main/``), else MkDocs' ``edit_uri`` with its trailing ``docs_dir``
  part taken off (``edit/main/docs/`` -> ``edit/main/``). When neither works
  (``edit_uri`` does not end with the docs folder, or only ``edit_uri_template``
  is set) there is no link.

The link is made as MkDocs makes ``page.edit_url`` (``urljoin``), its path
percent-encoded, and it is kept only when it is an absolute ``http(s)`` URL: like
the links of a sanitized body, nothing else (``javascript:``) can become one.
Pure functions, no MkDocs import.
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import quote, urljoin, urlsplit

# Kept as they are in the configured part of a link; anything else (a space, a quote,
# '<', '>', a backslash, a control character) is percent-encoded.
_URL_KEEP = ":/?#[]@!$&'()*+,;=%~-._"


def edit_root(repo_url: str | None, mkdocs_edit_uri: str | None, option: str | None,
              docs_dir_rel: str | None) -> str | None:
    """The URL (or path, joined to ``repo_url`` later) below which the repository's files
    are edited, ending with ``/``; None when it cannot be known.

    ``mkdocs_edit_uri``: MkDocs' ``edit_uri`` (after its defaults); ``option``: the
    plugin's ``edit_uri``; ``docs_dir_rel``: ``docs_dir`` relative to the folder of
    mkdocs.yml (``/``-separated), None when it lies outside it.
    """
    if option is not None:
        root = option.strip()
        if root and not root.endswith("/"):
            root += "/"
    elif mkdocs_edit_uri and docs_dir_rel:
        docs = posixpath.normpath(docs_dir_rel).strip("/")
        head = mkdocs_edit_uri.rstrip("/")
        if docs in ("", ".", "..") or docs.startswith("../"):
            return None
        if head == docs:
            root = ""
        elif head.endswith("/" + docs):
            root = head[: -len(docs)]
        else:
            return None  # an edit_uri that does not end with the docs folder: say so with the option
    else:
        return None
    return _join(repo_url, root)


def _join(repo_url: str | None, path: str) -> str | None:
    """``path`` joined to ``repo_url`` as MkDocs joins a page's edit URI; None unless the
    result is an absolute http(s) URL."""
    if repo_url and not path.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    url = quote(urljoin(repo_url or "", path), safe=_URL_KEEP)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def edit_url(root: str | None, repo_path: str | None) -> str | None:
    """The edit link of the file at ``repo_path`` (``/``-separated, below the repository
    root), or None: without a root, or for a file outside the repository root."""
    if root is None or repo_path is None:
        return None
    path = posixpath.normpath(repo_path)
    if path.startswith(("../", "/")) or path in (".", ".."):
        return None
    return root + quote(path, safe="/")


def objective_edit_urls(objectives, okrs_root: str, base_dir: str, docs_dir: str, repo_url: str | None,
                        mkdocs_edit_uri: str | None, mkdocs_edit_uri_template: str | None,
                        option: str | None) -> dict[str, str]:
    """Objective id -> its edit link, for ``objectives`` (id -> objective with ``.path``
    below ``okrs_root``); empty when the site has no edit links (see the module's
    docstring). Paths are absolute or relative to the current folder; ``base_dir`` is the
    folder of mkdocs.yml, taken for the repository root."""
    docs = os.path.relpath(os.path.abspath(docs_dir), os.path.abspath(base_dir)).replace(os.sep, "/")
    # With edit_uri_template MkDocs ignores edit_uri (which may be its default): only the option counts.
    from_mkdocs = None if mkdocs_edit_uri_template else mkdocs_edit_uri
    root = edit_root(repo_url, from_mkdocs, option, None if docs.startswith("..") else docs)
    if root is None:
        return {}
    okrs = os.path.relpath(os.path.abspath(okrs_root), os.path.abspath(base_dir)).replace(os.sep, "/")
    out = {}
    for oid, o in objectives.items():
        url = edit_url(root, posixpath.join(okrs, o.path.replace(os.sep, "/")))
        if url is not None:
            out[oid] = url
    return out
