"""The words and numbers of the OKR pages: one place for every text, an English and a German catalogue.

Unit tests of :class:`~mkdocs_okrs.site.words.Words`; a check that every message the
templates and the site's Python use has a German translation with the same placeholders;
real ``mkdocs build`` runs in English and in German (the theme's ``language``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from mkdocs_okrs.site import format as fmt
from mkdocs_okrs.site.render import TEMPLATES_DIR, make_environment
from mkdocs_okrs.site.words import LOCALES_DIR, Words, catalogue_languages
from test_plugin_support import article, build_ok, write_site

PACKAGE = Path(fmt.__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_english_numbers_percentages_and_units() -> None:
    w = Words("en")
    assert [w.num(v) for v in (0, -0.0, 800, 0.25, 1234.5, 40000, -2_340_000.125, None)] == \
        ["0", "0", "800", "0.25", "1,234.5", "40,000", "-2,340,000.125", ""]
    assert [w.pct(v) for v in (0.583, 1.0, 0, None)] == ["58%", "100%", "0%", "\u2013"]
    # One rule: a "%" unit is written as the language writes a percentage, other units after a space.
    assert w.quantity(12.5, "%") == "12.5%" and w.quantity(800, "ms") == "800 ms" and w.quantity(None, "ms") == ""


def test_german_numbers_percentages_and_units() -> None:
    w = Words("de")
    assert [w.num(v) for v in (1234.5, 40000, 0.25)] == ["1.234,5", "40.000", "0,25"]
    assert w.pct(0.583) == "58\u00a0%" and w.quantity(12.5, "%") == "12,5\u00a0%"
    assert w.quantity(40000, "€") == "40.000 €"


def test_period_titles_are_what_people_say() -> None:
    en, de = Words("en"), Words("de")
    assert en.period_title("2026-Q4", "quarter", dt.date(2026, 10, 1)) == "Q4 2026"
    assert en.period_title("2026-H1", "half", dt.date(2026, 1, 1)) == "H1 2026"
    assert en.period_title("2026-03", "month", dt.date(2026, 3, 1)) == "March 2026"
    assert de.period_title("2026-03", "month", dt.date(2026, 3, 1)) == "März 2026"
    assert en.period_title("2026", "year", dt.date(2026, 1, 1)) == "2026"


def test_unknown_language_reads_english() -> None:
    for language in ("xx", "", None, "en-GB", "../../de", "de/../de"):
        w = Words(language)
        assert w.gettext("On track") == "On track" and w.pct(0.5) == "50%"
    assert Words("de-CH").gettext("On track") == "Im Plan"  # falls back to the language's catalogue


def used_messages() -> dict[str, str | None]:
    """Every message of the templates and of the package's Python: msgid -> plural (or None)."""
    env = make_environment()
    out: dict[str, str | None] = {}
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        for _, _, msg in env.extract_translations(path.read_text(encoding="utf-8")):
            parts = [m for m in (msg if isinstance(msg, tuple) else (msg,)) if m]
            if parts:
                out.setdefault(parts[0], parts[1] if len(parts) > 1 else None)
    from mkdocs_okrs.graphs.site import VIEWER_TEXT

    for table in (fmt.STATUS_LABELS, fmt.GRADE_LABELS, fmt.COMMITMENT_LABELS, fmt.STATUS_WORDS, fmt.GRADE_WORDS,
                  VIEWER_TEXT):
        for label in table.values():
            out.setdefault(label, None)
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r'ngettext\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"', text):
            out.setdefault(m.group(1), m.group(2))
        for m in re.finditer(r'(?<![n\w])(?:_|gettext)\(\s*"((?:[^"\\]|\\.)*)"', text):
            out.setdefault(m.group(1), None)
    return out


def test_german_catalogue_translates_every_message_with_the_same_placeholders() -> None:
    assert catalogue_languages() == ["de"]
    with (LOCALES_DIR / "de.po").open("rb") as fp:
        catalogue = read_po(fp, locale="de")
    used = used_messages()
    assert len(used) > 150  # the templates really go through the catalogue
    missing, wrong = [], []
    for msgid, plural in used.items():
        entry = catalogue.get(msgid)
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(msgid)
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
        for form in forms:
            if not set(PLACEHOLDER.findall(form)) <= wanted | {"num"}:
                wrong.append((msgid, form))
            # A literal % is %% wherever the message is formatted.
            if form.replace("%%", "").count("%") != len(PLACEHOLDER.findall(form)):
                wrong.append((msgid, form))
    assert missing == [] and wrong == []


def test_a_site_in_german(tmp_path: Path) -> None:
    root = write_site(tmp_path / "de", options={"graphs": True, "cache_dir": None},
                      config={"theme": {"name": "material", "language": "de"}})
    site = build_ok(root)
    dashboard = article((site / "okrs" / "index.html").read_text(encoding="utf-8"))
    assert "Gefährdet oder nicht im Plan" in dashboard or "In Q4 2026 ist nichts gefährdet" in dashboard
    assert "Einheiten in Q4 2026" in dashboard and "Aktueller Zeitraum" in dashboard
    assert "Off track or at risk" not in dashboard and "Current period" not in dashboard
    assert re.search(r"\d+&nbsp;%|\d+\u00a0%", dashboard), "German percentages have a space before %"
    page = (site / "okrs" / "objectives" / "2026-Q4" / "acme" / "grow" / "index.html").read_text(encoding="utf-8")
    assert "Schlüsselergebnisse" in article(page) and "Key results" not in article(page)
    # The navigation and the page titles too.
    flat = re.sub(r"\s+", " ", page)
    assert "Übersicht" in page and re.search(r"> ?Q4 2026 ?<", flat)
    assert re.search(r"> ?Zeiträume ?<", flat) and not re.search(r"> ?Periods ?<", flat)  # the nav's section
    # The graph: its caption, legend, node lines and viewer.
    graph = article(page)[article(page).index('<figure class="okr-graph'):]
    assert "Ausrichtung: worauf dieses Ziel ausgerichtet ist" in graph and ">Vollbild</button>" in graph
    assert "im Plan" in graph and "on track" not in graph and "Full screen" not in graph


def test_plugin_language_option_wins_over_the_theme(tmp_path: Path) -> None:
    root = write_site(tmp_path / "en", options={"language": "en"},
                      config={"theme": {"name": "material", "language": "de"}})
    site = build_ok(root)
    dashboard = article((site / "okrs" / "index.html").read_text(encoding="utf-8"))
    assert "Current period" in dashboard and "Aktueller Zeitraum" not in dashboard


@pytest.mark.parametrize("template", sorted(p.name for p in (TEMPLATES_DIR / "okrs").glob("*.html")))
def test_templates_write_no_bare_english_sentence(template: str) -> None:
    """Text between tags is a translated message, a value or punctuation: no English words
    written straight into the markup (a quick check, not a parser: Jinja blocks are removed first)."""
    text = (TEMPLATES_DIR / "okrs" / template).read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "\x00", text, flags=re.S)
    bare = [t.strip() for t in re.findall(r">([^<>]+)<", text) if re.search(r"[A-Za-z]{3,}", t.replace("\x00", ""))]
    assert [b for b in bare if b not in ("OKRs", "okrs.json")] == []
