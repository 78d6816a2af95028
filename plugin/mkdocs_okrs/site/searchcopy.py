"""A lean copy of a generated page for the search plugin to index.

mkdocs-material's search plugin reads every page's HTML with Python's
``html.parser`` and keeps, per section (a heading with an ``id``), the text and
a few tags (``p``, ``li``, ``ul``, ``ol``, ``code``, ``pre``, ``sub``, ``sup``);
elements marked ``data-search-exclude`` are skipped with everything inside.
That parser costs time per *tag*, and a generated OKR page has many tags that
hold no text worth indexing (progress bars, links, table cells, data
attributes) -- reading them was the largest cost of a build.

:func:`search_copy` makes, from our own template's output, the HTML that gives
the search the same sections and the same words with far fewer tags:

- elements marked ``data-search-exclude`` are removed, with their content;
- headings with an ``id`` are kept as they are, and so is every element that
  contains one (tag name only), so the sections and their nesting stay the same;
- every other element is replaced by its text, keeping the bare tags the search
  keeps (``<p>``, ``<li>``...).

The plugin gives this copy to the search plugin and puts the full page back
right after it indexed the page. The contributor's body is not touched: it is
inserted verbatim where :data:`~mkdocs_okrs.site.toc.BODY_MARKER` is. The input
is our template's output, which is well formed; for anything unexpected (a tag
closed out of order in an overridden template, say) :func:`search_copy`
returns None and the search reads the full page.
"""

from __future__ import annotations

import re

from .toc import BODY_MARKER

# The tags the search plugin keeps in its text (material/plugins/search/plugin.py).
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
# Elements with no end tag.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
# Elements whose text the search never reads, and raw-text elements we do not parse.
_UNSAFE = frozenset({"script", "style", "object", "textarea", "title", "svg", "math", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_TOKEN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>", re.S)
_HAS_ID = re.compile(r"\sid\s*=")
_EXCLUDE = re.compile(r"\sdata-search-exclude(?=[\s=/>]|$)")


class _Unreadable(Exception):
    """The markup is not what search_copy can rewrite safely."""


def search_copy(rendered: str) -> str | None:
    """The lean search copy of ``rendered`` (our template's output, body marker included).

    Returns None when ``rendered`` is not markup this function can read safely;
    the caller then lets the search read the full page.
    """
    try:
        return _copy(_unwrap(_drop_excluded(rendered)))
    except _Unreadable:
        return None


# Phrasing elements: HTML does not let them hold a heading, so their tags can go
# (their text stays) without reading the structure around them.
_PHRASING = (
    "span", "em", "strong", "b", "i", "small", "abbr", "time", "mark", "kbd", "s", "u", "q",
    "cite", "var", "samp", "dfn", "bdi", "bdo", "data", "del", "ins", "label",
)
# Containers a template could put a heading in: unwrapped only when none holds one.
_CONTAINERS = {"a": ("a",), "table": ("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
               "dl": ("dl", "dt", "dd")}


def _alternatives(words) -> str:
    """A regular expression for ``words`` as a trie (``a(?:bbr)?|t(?:able|d|r)...``):
    Python's engine tries the branches of a plain ``a|abbr|table|td|...`` one by one."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _tags_re(names, excluded_left: bool) -> re.Pattern[str]:
    # Lower case only (our templates'): an upper-case tag is left to _copy, which reads it right.
    guard = "(?![^>]*data-search-exclude)" if excluded_left else ""
    return re.compile(rf"</?(?:{_alternatives(names)})(?=[\s/>]){guard}[^>]*>")


_UNWRAP: dict[tuple, re.Pattern[str]] = {}  # (container kinds, excluded left) -> one expression for all
_HEADING_WITH_ID = re.compile(r"<h[1-6]\b[^>]*\sid\s*=", re.I)
_HEADING_CONTENT = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)
_OPENING = {key: re.compile(rf"<{key}(?=[\s/>])", re.I) for key in _CONTAINERS}


def _unwrap(html: str) -> str:
    """``html`` without the tags of elements that hold no heading (their text stays):
    the phrasing elements always, links, tables and definition lists when no heading
    with an id (nor the body) is inside one. One C-speed substitution; :func:`_copy`
    then reads far fewer tags."""
    kinds = []
    for key in _CONTAINERS:
        opening = _OPENING[key].search(html)
        if opening is None:
            continue
        first = opening.start()
        last = html.rfind(f"</{key}>")
        region = html[first:last] if last > first else html[first:]
        if BODY_MARKER in region or _HEADING_WITH_ID.search(region):
            continue
        if key == "a" and any("<a" in m.group(2) for m in _HEADING_CONTENT.finditer(html)):
            continue  # a permalink in a heading: the search leaves its text out of the title
        kinds.append(key)
    excluded_left = _EXCLUDE_ATTR.strip() in html  # rare: _drop_excluded removed them all
    pattern = _UNWRAP.get((*kinds, excluded_left))
    if pattern is None:
        names = [*_PHRASING, *(name for key in kinds for name in _CONTAINERS[key])]
        pattern = _UNWRAP[(*kinds, excluded_left)] = _tags_re(names, excluded_left)
    return pattern.sub("", html)


_SAME_TAG: dict[str, re.Pattern[str]] = {}
_EXCLUDE_ATTR = " data-search-exclude"
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def _drop_excluded(html: str) -> str:
    """``html`` without the elements marked ``data-search-exclude`` (the big lists and
    tables of a page), found with plain string search: cheaper than reading their tags.
    :func:`_copy` checks every tag again, so anything left here is still dropped there."""
    if _EXCLUDE_ATTR not in html:
        return html
    out: list[str] = []
    pos = 0  # html[:pos] is dealt with
    look = 0  # where to look for the next attribute
    while (hit := html.find(_EXCLUDE_ATTR, look)) >= 0:
        look = hit + 1
        start = html.rfind("<", pos, hit)
        if start < 0 or ">" in html[start:hit]:
            continue  # words in a text, not an attribute
        tag = _TAG_NAME.match(html, start + 1)
        after = html[hit + len(_EXCLUDE_ATTR):hit + len(_EXCLUDE_ATTR) + 1]
        if tag is None or after not in (" ", "=", ">", "/", "\n", "\t"):
            continue
        name = tag.group(0).lower()
        if name in _HEADINGS or name in _VOID:
            continue  # left to _copy
        same = _SAME_TAG.get(name)
        if same is None:
            same = _SAME_TAG[name] = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", re.I)
        depth = 0
        close_end = -1
        for m in same.finditer(html, start):
            if m.group(1):
                depth -= 1
                if depth == 0:
                    close_end = m.end()
                    break
            elif not m.group(0).endswith("/>"):
                depth += 1
        if close_end < 0:
            raise _Unreadable
        inner = html[start:close_end]
        if BODY_MARKER in inner or _HEADING_WITH_ID.search(inner):
            raise _Unreadable  # a section or the body inside an excluded element
        out.append(html[pos:start])
        pos = look = close_end
    out.append(html[pos:])
    return "".join(out)


# Text, then per tag: a comment, or the end-tag slash, name and attributes of a tag.
_SPLIT = re.compile(r"(<!--.*?-->)|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>", re.S)


def _copy(rendered: str) -> str:
    parts = _SPLIT.split(rendered)  # text, (comment, slash, name, attributes, text)*
    out: list[str | None] = [parts[0]]
    # Open elements: [tag, index of its open tag in ``out``, holds a heading or the body].
    stack: list[list] = []
    skip_to = -1  # inside an excluded element: the stack depth at which it ends
    verbatim_to = -1  # inside a heading with an id: the stack depth at which it ends
    keep, headings = _KEEP, _HEADINGS
    for i in range(1, len(parts), 5):
        tag = parts[i + 2]
        text = parts[i + 4]
        if tag is None:  # a comment: dropped, but for the body's place
            if parts[i] == BODY_MARKER:
                if skip_to >= 0 or verbatim_to >= 0:
                    raise _Unreadable
                for entry in stack:
                    entry[2] = True
                out.append(BODY_MARKER)
            if skip_to < 0:
                out.append(text)
            continue
        tag = tag.lower()
        attrs = parts[i + 3]
        if parts[i + 1]:  # an end tag
            if not stack or stack[-1][0] != tag:
                raise _Unreadable
            name, index, structural = stack.pop()
            if skip_to >= 0:
                if len(stack) == skip_to:
                    skip_to = -1
                    out.append(text)
                continue
            if verbatim_to >= 0:
                out.append(f"</{tag}{attrs}>")
                if len(stack) == verbatim_to:
                    verbatim_to = -1
            elif structural:
                if out[index] is None:
                    out[index] = f"<{name}>"
                out.append(f"</{name}>")
            elif name in keep:
                out.append(f"</{name}>")
            out.append(text)
            continue
        if tag in _UNSAFE:
            raise _Unreadable
        void = tag in _VOID or attrs.endswith("/")
        if skip_to >= 0:
            if tag in headings and _HAS_ID.search(attrs):
                raise _Unreadable  # a section inside an excluded element: the search still opens it
            if not void:
                stack.append([tag, -1, False])
            continue
        if verbatim_to >= 0:
            out.append(f"<{parts[i + 2]}{attrs}>")
            if not void:
                stack.append([tag, -1, False])
        elif void:
            pass
        elif "data-search-exclude" in attrs and _EXCLUDE.search(attrs):
            if tag in headings:
                raise _Unreadable
            skip_to = len(stack)
            stack.append([tag, -1, False])
            continue
        elif tag in headings and _HAS_ID.search(attrs):
            for entry in stack:
                entry[2] = True
            out.append(f"<{parts[i + 2]}{attrs}>")  # the heading and everything in it, as it is
            verbatim_to = len(stack)
            stack.append([tag, len(out) - 1, True])
        else:
            out.append(f"<{tag}>" if tag in keep else None)
            stack.append([tag, len(out) - 1, False])
        out.append(text)
    if stack:
        raise _Unreadable
    return "".join([x for x in out if x])
