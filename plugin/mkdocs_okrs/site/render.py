"""Render the OKR templates: our own autoescaping Jinja environment.

Templates are looked up first in the theme's ``custom_dir`` (so
``overrides/okrs/objective.html`` replaces ours), then in the package's
``templates/`` folder. Autoescaping is always on: contributor text in the
context is escaped wherever a template prints it; only the sanitized body and
the graph placeholder are marked safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import jinja2
from markupsafe import Markup

from . import format as fmt
from .toc import LATER_CLOSE, LATER_OPEN
from .words import Words

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

TEMPLATE_NAMES = {
    "dashboard": "okrs/dashboard.html",
    "period": "okrs/period.html",
    "units": "okrs/units.html",
    "unit": "okrs/unit.html",
    "objective": "okrs/objective.html",
    "review": "okrs/review.html",
    "changes": "okrs/changes.html",
    "tags": "okrs/tags.html",
    "tag": "okrs/tag.html",
}


def make_environment(override_dirs: Iterable[str | Path] = (), words: Words | None = None) -> jinja2.Environment:
    """A Jinja environment over ``override_dirs`` (first) and our package templates.

    Templates are compiled once per environment (the plugin makes one per build)
    and not checked for changes on every page (``auto_reload`` off). Their text is
    translated by ``words``: ``{{ _("On track") }}``, ``{{ _("as of %(day)s", day=d) }}``,
    ``{{ ngettext("%(num)s objective", "%(num)s objectives", n) }}`` (Jinja's i18n
    extension reads these calls out of the templates for the catalogue; a literal ``%``
    is ``%%``), and the ``pct`` and ``num`` filters write numbers as its language does.
    """
    words = words or Words()
    search = [str(Path(d)) for d in override_dirs if d] + [str(TEMPLATES_DIR)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    # ``_()`` and ``ngettext()`` call the catalogue directly (Jinja's "new style" wrappers
    # cost a context call per message, and a page has dozens). The result is a plain
    # string, so autoescaping escapes it whole, the values put into it included.
    translate = words.translations.gettext
    env.globals["_"] = env.globals["gettext"] = lambda message, **values: translate(message) % values
    env.globals["ngettext"] = words.ngettext
    env.filters["pct"] = words.pct
    env.filters["num"] = words.num
    env.filters["later"] = lambda html: Markup(LATER_OPEN + str(html) + LATER_CLOSE)  # ({% filter later %})
    env.globals["status_order"] = fmt.STATUS_ORDER
    return env


def narrow_html(html: str) -> str:
    """``html`` with every character above U+00FF written as a character reference (``&#8250;``).

    The page reads the same, and Python stores the string in one byte a character
    instead of two or four. A page whose text is mostly outside Latin-1 (Chinese,
    say) is returned as it is, where references would take more room than they save.
    """
    if html.isascii():
        return html
    out = html.encode("latin-1", "xmlcharrefreplace").decode("latin-1")
    return out if len(out) < 2 * len(html) else html


def render_page(env: jinja2.Environment, kind: str, ctx: dict) -> str:
    """Render the template of page ``kind`` with ``ctx``.

    ``ctx['body_html']`` (sanitized) and ``ctx['graphs']`` (our own markup) are
    marked safe; everything else is escaped by the template.
    """
    data = dict(ctx)
    if data.get("body_html"):
        data["body_html"] = Markup(data["body_html"])
    if data.get("graphs"):
        data["graphs"] = Markup(data["graphs"])
    return env.get_template(TEMPLATE_NAMES[kind]).render(data)
