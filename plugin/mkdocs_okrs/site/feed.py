"""The Atom feed of the OKR site: recent check-ins and status changes. No MkDocs import.

:func:`atom_feed` writes an Atom 1.0 document (RFC 4287) from :class:`FeedEntry`
records. Entry ids are ``urn:uuid:`` names derived from what the entry is about
(the objective, the key result, the day), so a feed reader sees the same entry as
the same one build after build; the document is the same bytes for the same
sources and ``today``. Links are relative to the feed's own URL (the site root),
which Atom allows and readers resolve. Titles and summaries are in the site's
language (a :class:`~mkdocs_okrs.site.words.Words`); ids are not: a site that changes
its language keeps its entries.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 does not allow in a document (the loader refuses control
# characters in OKR texts already; this keeps the feed well-formed whatever comes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NAMESPACE = uuid.UUID("6c1ee9a5-3d5f-4a0e-9d43-8f4f7c7b0c2a")  # this feed's own namespace


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry: ``key`` names what it is about (stable across builds); ``url`` is
    site-root-relative; ``day`` is when it happened."""

    key: str
    title: str
    url: str
    day: dt.date
    summary: str = ""


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(site: str, key: str) -> str:
    """The stable id of the entry ``key`` of the site ``site`` (its URL, or name)."""
    name = site + "\n" + key
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def atom_feed(*, title: str, site: str, home_url: str, updated: dt.date, entries: list[FeedEntry],
              language: str | None = None) -> str:
    """The Atom document of ``entries`` (newest first, as given).

    ``site`` identifies the site (its ``site_url``, else its name) in the feed's and the
    entries' ids; ``home_url`` is the site-relative URL of the page the feed is about;
    ``language`` (``de``, ``en-GB``) is the feed's ``xml:lang``.
    """
    lang = f" xml:lang={_attr(language.replace('_', '-'))}" if language else ""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="http://www.w3.org/2005/Atom"{lang}>\n',
        f"  <id>{_text(entry_id(site, 'feed'))}</id>\n",
        f"  <title>{_text(title)}</title>\n",
        f"  <updated>{_stamp(updated)}</updated>\n",
        f'  <link rel="alternate" type="text/html" href={_attr(home_url)}/>\n',
        '  <link rel="self" type="application/atom+xml" href="feed.xml"/>\n',
        f"  <author><name>{_text(title)}</name></author>\n",
    ]
    for e in entries:
        out += [
            "  <entry>\n",
            f"    <id>{_text(entry_id(site, e.key))}</id>\n",
            f"    <title>{_text(e.title)}</title>\n",
            f"    <updated>{_stamp(e.day)}</updated>\n",
            f'    <link rel="alternate" type="text/html" href={_attr(e.url)}/>\n',
        ]
        if e.summary:
            out.append(f"    <summary>{_text(e.summary)}</summary>\n")
        out.append("  </entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def feed_entries(view, changes, objective_url, status_label=None, words=None) -> list[FeedEntry]:
    """The entries of a site's feed: each check-in of ``changes`` (a
    :class:`~mkdocs_okrs.core.compute.Changes`) and each status change, dated the day the
    objective took its new status. ``objective_url(id)`` gives an objective page's
    site-relative URL; ``words`` (a :class:`~mkdocs_okrs.site.words.Words`, English when
    None) the language of titles and summaries, ``status_label(status)`` the words for a
    status (by default the status's label in that language). Newest first. The entries'
    keys (their ids) do not depend on the language."""
    from ..core.compute import status_on
    from .format import status_in_sentence
    from .format import status_label as english_label
    from .words import ENGLISH

    words = words or ENGLISH
    if status_label is None:
        def status_label(status: str) -> str:
            return words.gettext(english_label(status))

    out: list[FeedEntry] = []
    for oid, kr_id, c in changes.checkins:
        o = view.objectives[oid]
        kr = o.kr(kr_id)
        kr_title = kr.title if kr else kr_id
        value = words.quantity(c.value, kr.unit if kr else None)
        title = f"{kr_title}: {value}" if value else words.gettext("%(kr)s: checked in", kr=kr_title)
        bits = [words.gettext("Check-in of “%(objective)s”.", objective=o.objective)]
        if c.confidence is not None:
            bits.append(words.gettext("Confidence %(pct)s.", pct=words.pct(c.confidence)))
        if c.note:
            bits.append(c.note)
        out.append(FeedEntry(f"checkin/{oid}/{kr_id}/{c.date.isoformat()}", title,
                             f"{objective_url(oid)}#okr-kr-{kr_id}", c.date, " ".join(bits)))
    for oid, before, after in changes.status_changes:
        o = view.objectives[oid]
        day = changes.today
        while day > changes.since and status_on(o, day - dt.timedelta(days=1)) == after:
            day -= dt.timedelta(days=1)
        summary = words.gettext("“%(objective)s” is %(status)s since %(day)s.", objective=o.objective,
                                status=status_in_sentence(after, words), day=day.isoformat())
        out.append(FeedEntry(f"status/{oid}/{day.isoformat()}/{after}",
                             f"{o.objective}: {status_label(before)} \u2192 {status_label(after)}",
                             objective_url(oid), day, summary))
    out.sort(key=lambda e: (e.day, e.key), reverse=True)
    return out
