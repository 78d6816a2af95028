"""The template environment's fast attribute lookup, and narrow_html (site/render.py)."""

from __future__ import annotations

import sys

import jinja2
import pytest

from mkdocs_okrs.site.render import make_environment, narrow_html


def test_dotted_names_on_dicts_behave_as_in_jinja() -> None:
    env = make_environment()
    template = env.from_string("{{ d.title }}|{{ d.items is callable }}|{{ d['items'] }}|{{ n.real }}")
    assert template.render(d={"title": "<b>", "items": "x"}, n=3) == "&lt;b&gt;|True|x|3"
    with pytest.raises(jinja2.UndefinedError):  # strict: a misspelt name is an error
        env.from_string("{{ d.titel }}").render(d={"title": "t"})


def test_narrow_html_keeps_the_text_in_one_byte_a_character() -> None:
    page = "<p>OKRs › 2026-Q4 – “Grow” é</p>" + "<p>plain words</p>" * 20
    out = narrow_html(page)
    assert out.isascii() is False and max(out) <= "\xff"  # Latin-1 at most: one byte a character
    assert "&#8250;" in out and "&#8211;" in out and "&#8220;Grow&#8221;" in out and "é" in out
    assert sys.getsizeof(out) < sys.getsizeof(page)
    assert narrow_html("plain") == "plain"
    chinese = "<p>" + "增长收入" * 50 + "</p>"
    assert narrow_html(chinese) == chinese  # references would take more room than they save
