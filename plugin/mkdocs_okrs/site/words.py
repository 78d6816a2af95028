"""The words and numbers of the OKR pages, in the site's language. No MkDocs import.

Every text a reader sees is written in English in the templates (``{{ _("On track") }}``,
``ngettext``) and in the few Python parts that draw text (charts, graphs, page titles),
and goes through one :class:`Words` object per build. A catalogue in
``locales/<language>.po`` (a standard gettext file, read with Babel) translates it; a
language without a catalogue reads English. Numbers, percentages and month names follow
the language's conventions (Babel's CLDR data): ``40,000`` and ``58%`` in English,
``40.000`` and ``58 %`` in German.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DASH = "\u2013"


def catalogue_languages() -> list[str]:
    """The languages that have a catalogue (English needs none)."""
    return sorted(p.stem for p in LOCALES_DIR.glob("*.po"))


@lru_cache(maxsize=8)
def _translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` (``de``, ``de_CH`` falls back to ``de``), else none."""
    for name in (language, language.split("_")[0]):
        path = LOCALES_DIR / f"{name}.po"
        if path.is_file():
            with path.open("rb") as fp:
                catalog = read_po(fp, locale=name)
            buf = io.BytesIO()
            write_mo(buf, catalog)
            buf.seek(0)
            return Translations(fp=buf)
    return NullTranslations()


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


class Words:
    """Translations and number formats of one language (``en`` when unset or unknown)."""

    def __init__(self, language: str | None = None) -> None:
        self.language = (language or "en").replace("-", "_")
        if not re.fullmatch(r"[A-Za-z]{2,3}(_[A-Za-z0-9]{1,8})*", self.language):
            self.language = "en"  # not a language tag (and never a path to a catalogue)
        self.locale = _locale(self.language)
        self.translations = _translations(self.language)
        # Most languages group digits by three: Python's own formatting then does the work,
        # with the language's symbols (Babel is slower, and numbers are many on a page).
        self._symbols = str.maketrans({",": get_group_symbol(self.locale), ".": get_decimal_symbol(self.locale)})
        self._by_three = False
        self._by_three = all(
            self.num(v) == format_decimal(v, format="#,##0.######", locale=self.locale)
            for v in (1234.0, -1234567.25, 0.5, 12345678.0)
        )
        pattern = self.locale.percent_formats[None].pattern
        # How the language writes a percent sign after a number ("58%", "58 %").
        self._percent_gap = "\u00a0" if ("\u00a0%" in pattern or " %" in pattern) else ""

    # ---------------------------------------------------------------- words

    def gettext(self, message: str, **values: object) -> str:
        """``message`` in the site's language, ``%(name)s`` filled from ``values``."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The singular or plural form for ``n``; ``%(num)s`` is ``n`` formatted (a
        literal ``%`` is written ``%%``)."""
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": self.num(n), **values}

    # -------------------------------------------------------------- numbers

    def num(self, value: float | int | None) -> str:
        """A quantity as the language writes it: ``40,000``, ``0.25`` (``40.000``,
        ``0,25`` in German), at most six decimals; empty for None."""
        if value is None or isinstance(value, bool):
            return "" if value is None else str(value).lower()
        value = float(value)
        if not math.isfinite(value):
            return ""
        if value == 0:
            value = 0.0  # no "-0"
        if not self._by_three:
            return format_decimal(value, format="#,##0.######", locale=self.locale)
        if value.is_integer() and abs(value) < 1e15:
            text = f"{int(value):,}"
        else:
            text = f"{value:,.6f}".rstrip("0").rstrip(".")
            if text in ("-0", ""):
                return "0"
        return text.translate(self._symbols)

    def pct(self, share: float | None) -> str:
        """A share as a whole percentage (``0.583`` -> ``58%``, ``58 %`` in German); an
        en dash for None."""
        if share is None or not math.isfinite(share):
            return DASH
        return self.num(round(share * 100)) + self._percent_gap + "%"

    def quantity(self, value: float | int | None, unit: str | None) -> str:
        """A key result's quantity with its unit: ``800 ms``; a ``%`` unit is written as
        the language writes a percentage (``12%``, ``12 %``); empty for None."""
        text = self.num(value)
        if not text or not unit:
            return text
        if unit == "%":
            return text + self._percent_gap + "%"
        return f"{text} {unit}"

    def month(self, day: dt.date) -> str:
        """A month's name and year (``March 2026``, ``März 2026``)."""
        return format_date(day, "LLLL y", locale=self.locale)

    def period_title(self, period_id: str, kind: str, start: dt.date) -> str:
        """How people name a period: ``Q4 2026``, ``H1 2026``, ``March 2026``, ``2026``."""
        year = period_id[:4]
        if kind == "quarter":
            return self.gettext("Q%(n)s %(year)s", n=period_id[-1], year=year)
        if kind in ("half", "half-year"):
            return self.gettext("H%(n)s %(year)s", n=period_id[-1], year=year)
        if kind == "month":
            return self.month(start)
        return period_id


ENGLISH = Words("en")
