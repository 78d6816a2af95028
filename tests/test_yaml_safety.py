"""YAML safety and exactness: no code execution, no alias bombs, strict keys, positions
from the parser's marks, and values that agree with PyYAML's own composer."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_okrs.core.fields import describe_value
import yaml

from mkdocs_okrs.core import yamlsafe
from mkdocs_okrs.core.yamlsafe import YamlProblem, YMap, YSeq, load_yaml
from mkdocs_okrs.core.yamlvalues import MAP, SEQ, convert_scalar, resolve_plain


def composed(text: str, first_line: int = 2):
    """The test's oracle: PyYAML's own composer read into the same shapes.

    Only for texts the loader accepts: it knows nothing of our refusals.
    """

    def build(node):
        pos = (node.start_mark.line + first_line, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            tag = node.tag
            return node.value if tag == "tag:yaml.org,2002:str" else convert_scalar(tag, node.value, *pos), node.value
        if isinstance(node, yaml.MappingNode):
            out = YMap(pos)
            for k, v in node.value:
                out.key_pos[k.value] = (k.start_mark.line + first_line, k.start_mark.column + 1)
                out[k.value], raw = build(v)
                if not isinstance(out[k.value], (str, list, dict)):
                    out.raw[k.value] = raw
            return out, None
        out = YSeq(pos)
        for i, item in enumerate(node.value):
            out.item_pos.append((item.start_mark.line + first_line, item.start_mark.column + 1))
            value, raw = build(item)
            out.append(value)
            if not isinstance(value, (str, list, dict)):
                out.raw[i] = raw
        return out, None

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the parser the loader uses
        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode:
                return resolve_plain(value) if implicit[0] else "tag:yaml.org,2002:str"
            return SEQ if kind is yaml.SequenceNode else MAP

    node = yaml.compose(text, Loader=Loader)
    return None if node is None else build(node)[0]


def shape(value):
    """Everything the loader can observe of a loaded value, positions included."""
    if isinstance(value, YMap):
        return ("map", value.pos, list(value.key_pos.items()), sorted(value.raw.items()),
                [(k, shape(v)) for k, v in value.items()])
    if isinstance(value, YSeq):
        return ("seq", value.pos, list(value.item_pos), sorted(value.raw.items()), [shape(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def outcome(fn, text):
    try:
        return ("ok", shape(fn(text, 2)))
    except YamlProblem as exc:
        return ("problem", exc.rule, exc.line, exc.col)


# --- safety ----------------------------------------------------------------------


def test_python_tags_never_run(tmp_path):
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(YamlProblem) as exc:
        load_yaml(text)
    assert exc.value.rule == "yaml-alias" and not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/name:os.system\n",
        "a: !!python/object/new:os.system [echo]\n",
        "!!python/object/apply:os.system\nargs: [echo]\n",
        "a: !custom x\n",
        "a: !!set {x: null}\n",
        "a: !!omap [{x: 1}]\n",
        "? !!python/tuple [1, 2]\n: x\n",
    ],
)
def test_non_standard_tags_are_refused(text):
    with pytest.raises(YamlProblem) as exc:
        load_yaml(text)
    assert exc.value.rule in ("yaml-alias", "yaml-syntax")


def test_standard_explicit_tags_are_accepted():
    v = load_yaml("a: !!str 2026\nb: !!int '7'\nc: !!float 1\nd: !!bool yes\ne: !!null ''\n")
    assert v == {"a": "2026", "b": 7, "c": 1.0, "d": True, "e": None}


def test_bad_explicit_scalar_is_a_syntax_problem():
    with pytest.raises(YamlProblem) as exc:
        load_yaml("x: 1\nn: !!int twelve\n", first_line=10)
    assert (exc.value.rule, exc.value.line, exc.value.col) == ("yaml-syntax", 11, 4)


def test_billion_laughs_refused_at_the_first_anchor():
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join(["*a" if i == 1 else f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    with pytest.raises(YamlProblem) as exc:
        load_yaml("\n".join(lines), first_line=2)
    assert (exc.value.rule, exc.value.line, exc.value.col) == ("yaml-alias", 2, 4)


def test_alias_without_text_anchor_marker_is_refused():
    # '*' alone in the text triggers the event scan; an alias to an undefined anchor is a syntax error.
    with pytest.raises(YamlProblem) as exc:
        load_yaml("a: *nothing\n")
    assert exc.value.rule in ("yaml-alias", "yaml-syntax")


def test_ampersand_and_star_inside_text_are_fine():
    assert load_yaml("title: R&D * 2\nnote: 'a &b *c'\n") == {"title": "R&D * 2", "note": "a &b *c"}


def test_merge_key_refused():
    with pytest.raises(YamlProblem) as exc:
        load_yaml("a: {x: 1}\nb:\n  <<: {x: 1}\n")
    assert (exc.value.rule, exc.value.line, exc.value.col) == ("yaml-alias", 3, 3)


def test_merge_and_value_words_as_values_are_text():
    assert load_yaml("a: <<\nb: =\n") == {"a": "<<", "b": "="}


@pytest.mark.parametrize("depth", [51, 400, 20000])
def test_deep_flow_nesting_refused(depth):
    with pytest.raises(YamlProblem) as exc:
        load_yaml("a: " + "[" * depth + "]" * depth + "\n")
    assert exc.value.rule == "yaml-syntax" and "nested" in exc.value.message


def test_deep_block_nesting_refused():
    text = "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "x: 1\n"
    with pytest.raises(YamlProblem) as exc:
        load_yaml(text)
    assert "nested" in exc.value.message


def test_nesting_at_the_limit_is_fine():
    v = load_yaml("a: " + "[" * 49 + "]" * 49 + "\n")
    for _ in range(49):
        v = v["a"] if isinstance(v, dict) else v[0] if v else v
    assert v == []


# --- values ----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "Yes", "YES", "yEs", "y", "Y", "true", "True", "on", "ON"])
def test_yaml11_true(word):
    assert load_yaml(f"a: {word}\n") == {"a": True}


@pytest.mark.parametrize("word", ["no", "No", "NO", "n", "N", "false", "FALSE", "off", "Off"])
def test_yaml11_false(word):
    assert load_yaml(f"a: {word}\n") == {"a": False}


def test_scalars():
    v = load_yaml(
        "i: 12\nneg: -3\nf: 0.25\ne: 1.5e+3\nd: 2026-10-15\nbad_date: 2026-02-30\nt: 2026-10-15 10:00:00\n"
        "n: ~\nempty:\ns: '0.25'\nq: \"yes\"\noct: 010\nsexa: 1:30\nu: 1_000\n"
    )
    assert v == {
        "i": 12, "neg": -3, "f": 0.25, "e": 1500.0, "d": dt.date(2026, 10, 15), "bad_date": "2026-02-30",
        "t": dt.datetime(2026, 10, 15, 10, 0), "n": None, "empty": None, "s": "0.25", "q": "yes",
        "oct": 8, "sexa": 90, "u": 1000,
    }
    assert v.raw["i"] == "12" and "s" not in v.raw


def test_positions_include_the_first_line_offset():
    v = load_yaml("a: 1\nlist:\n  - x\n  - {k: v}\n", first_line=2)
    assert v.pos == (2, 1) and v.key_pos == {"a": (2, 1), "list": (3, 1)}
    assert v["list"].pos == (4, 3) and v["list"].item_pos == [(4, 5), (5, 5)]
    assert v["list"][1].key_pos == {"k": (5, 6)}


def test_duplicate_key_reports_both_lines():
    with pytest.raises(YamlProblem) as exc:
        load_yaml("a: 1\nb: 2\n'a': 3\n", first_line=2)
    assert (exc.value.rule, exc.value.line, exc.value.col) == ("yaml-duplicate-key", 4, 1)
    assert "line 2" in exc.value.message


def test_non_text_keys_keep_their_text():
    v = load_yaml("on: 1\n2026: x\n")
    assert list(v) == ["on", "2026"]


def test_complex_key_refused():
    with pytest.raises(YamlProblem) as exc:
        load_yaml("? [a, b]\n: c\n")
    assert exc.value.rule == "yaml-syntax"


def test_describe_value():
    d = describe_value
    assert d(False) == "the boolean false" and d(3, "003") == "the number 003"
    assert d(dt.date(2026, 1, 1)) == "a date" and d(dt.datetime(2026, 1, 1)) == "a date and time"
    assert d(None) == "empty" and d([1]) == "a list" and d({}) == "a mapping"


# --- typical front-matter, unusual syntax and line breaks -----------------------------

TYPICAL = [
    "objective: Make checkout feel instant   # the goal\nowner: platform\nperiod: 2026-Q4\n"
    "parent: 2026-Q4/company/grow#kr1\ntags: [performance, 'fast: yes']\ncontributors: []\n"
    "key_results:\n  - id: p95\n    title: Cut p95 latency\n    start: 800\n    target: 200\n"
    "    checkins:\n      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}\n"
    "      - date: 2026-11-01\n        value: 600\n"
    "  - title: 'It''s done'\n    done: false\n  - Publish the budget\n",
    "objective: \"Quoted: with colon\"\nowner: a\nperiod: 2026\nkey_results:\n- title: x\n  done: yes\n"
    "- Bare # comment\n\n# a comment line\nreview_until: 2027-03-31\n",
    "units:\n  - id: acme\n    name: Acme Inc.\n  - id: marketing\n    parent: acme\n    lead: Dana Reyes\n",
    "a: |\n  block\n", "a: >\n  folded\n", "a: multi\n  line\n", "a: 'multi\n  line'\n", '"quoted key": 1\n',
    "a:\n- x\n-\n  - y\n", "a: \"esc\\n\"\n", "- a\n- b\n", "a: [x, [y]]\n", "a: {b: {c: 1}}\n",
    "%YAML 1.1\n---\na: 1\n",
]


@pytest.mark.parametrize("text", TYPICAL)
def test_typical_and_unusual_yaml_reads_as_pyyaml_composes_it(text):
    assert shape(load_yaml(text, 2)) == shape(composed(text))


@pytest.fixture
def pure_python_parser(monkeypatch):
    """The loader with PyYAML's pure-Python parser (what it uses where PyYAML has no libyaml)."""
    monkeypatch.setattr(yamlsafe, "_Parser", yamlsafe.PurePythonParser)


@pytest.mark.parametrize("text", TYPICAL)
def test_the_pure_python_parser_reads_the_same(text, pure_python_parser):
    assert shape(load_yaml(text, 2)) == shape(composed(text))


@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [("a: 1\na: 2\n", "yaml-duplicate-key", 3), ("a: &x 1\n", "yaml-alias", 2), ("a: [\n", "yaml-syntax", 3),
     ("a: " + "[" * 60 + "]" * 60 + "\n", "yaml-syntax", 2), ("a: !!python/name:os.system\n", "yaml-alias", 2)],
)
def test_the_pure_python_parser_refuses_the_same(text, rule, line, pure_python_parser):
    with pytest.raises(YamlProblem) as exc:
        load_yaml(text, 2)
    assert (exc.value.rule, exc.value.line) == (rule, line)


@pytest.mark.parametrize(
    "text",
    # Only spaces are white space in YAML: these were once read as empty or complete.
    ["a: [\xa0]\n", "a: {\xa0}\n", "a: {b: 1}\xa0\n", "a:\n  - {b: 1}\u3000\n", "a: [x]\xa0# c\n"],
)
def test_unicode_spaces_are_not_yaml_white_space(text):
    agrees_with_pyyaml(text)


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("text", ["a: 1\nobjective: Fast{c}pages\nb: 2\n", "a: 1\nobjective: \"Fast{c}pages\"\nb: [\n"])
def test_invisible_line_breaks_are_named_where_they_stand(text, char):
    with pytest.raises(YamlProblem) as exc:
        load_yaml(text.format(c=char), first_line=2)
    assert (exc.value.rule, exc.value.line, exc.value.col) == ("yaml-syntax", 3, 17 if '"' in text else 16)
    assert f"U+{ord(char):04X}" in exc.value.message and "line break" in exc.value.message


def test_a_second_document_is_refused():
    with pytest.raises(YamlProblem) as exc:
        load_yaml("a: 1\n--- b\n", first_line=2)
    assert (exc.value.rule, exc.value.line) == ("yaml-syntax", 3)


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('title: "a\\eb"\n', (2, 1), "title contains the control character U+001B (ESCAPE)"),
        ('x: 1\nnote: "\\0"\n', (3, 1), "note contains the control character U+0000 (NUL)"),
        ('tags: [ok, "b\\x7f"]\n', (2, 12), "tags: item 2 contains the control character U+007F (DELETE)"),
        ('unit: "\\x9b"\n', (2, 1), "unit contains the control character U+009B"),
    ],
)
def test_escaped_control_characters_are_reported_at_their_key(text, where, what):
    problems: list[YamlProblem] = []
    value = load_yaml(text, 2, problems)
    assert value is not None
    assert [(p.rule, (p.line, p.col)) for p in problems] == [("text-control", where)]
    assert problems[0].message.startswith(what)


def test_tab_and_newline_escapes_are_text():
    problems: list[YamlProblem] = []
    assert load_yaml('note: "a\\tb\\nc"\n', 2, problems) == {"note": "a\tb\nc"} and problems == []


# Fragments that make YAML-ish text: structure, scalars of every kind, and the
# characters that change meaning in YAML.
FRAGMENTS = [
    "a", "title", "key_results", "x-y", "_k", "2026", "2026-10-15", "2026-13-01", "0.6", "-3", "1_0", "07", "1:30",
    ".inf", "~", "null", "yes", "No", "on", "y", "<<", "=", "R&D", "a*b", "é", "日本", "😀",
    ": ", ":", "- ", "-", "  ", " ", "\n", "\n  ", "\n    ", "\n- ", "\n  - ", "#", " #", " # c",
    "'", "''", '"', "[", "]", "{", "}", ", ", ",", "&a ", "*a", "!x ", "!!str ", "|", ">", "?", "%", "@", "`",
    "\t", "\x07", "\u2028", "\ufeff", "\r", "\xa0", "\u3000",
]


SCALARS = st.one_of(
    st.sampled_from(["x", "Make it so", "yes", "NO", "2026-10-15", "0.5", "12", "-7", "~", "", "R&D", "a: b", "it's",
                     'say "hi"', "#tag", "- dash", "[x]", "{y}", "café", " lead", "trail ", "1:30", "on"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
KEYS = st.sampled_from(["a", "title", "start", "target", "key_results", "x_y", "k-2", "Z"])


def render(value, indent: int, style: int) -> list[str]:
    """Block YAML lines for a mapping or list, in one of several equivalent styles."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v and style % 3:
                lines.append(f"{pad}{k}:")
                child_indent = indent if (isinstance(v, list) and style % 2) else indent + 2
                lines += render(v, child_indent, style // 3 + 1)
            else:
                lines.append(f"{pad}{k}: {inline(v, style)}")
    else:
        for v in value:
            if isinstance(v, dict) and v and style % 2:
                sub = render(v, indent + 2, style // 2 + 1)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                lines += sub
            else:
                lines.append(f"{pad}- {inline(v, style)}")
    return lines


def inline(v, style: int) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {inline(x, style)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(inline(x, style) for x in v) + "]"
    s = str(v)
    if style % 4 == 1:
        return "'" + s.replace("'", "''") + "'"
    if style % 4 == 2 and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    return s


TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)


def render_text(tree, style: int, comment: str) -> str:
    lines = render(tree, 0, style)
    return "\n".join(line + (comment if i % 3 == 1 else "") for i, line in enumerate(lines)) + "\n"


@st.composite
def yamlish(draw):
    """Fragment soup, or a valid rendered document with a few random edits."""
    if draw(st.integers(0, 3)) == 0:
        return "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=40)))
    tree = draw(st.dictionaries(KEYS, TREES, min_size=1, max_size=4))
    text = render_text(tree, draw(st.integers(0, 40)), draw(st.sampled_from(["", "  # note"])))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 2))
        text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at + cut:]
    return text


def agrees_with_pyyaml(text: str) -> None:
    """What the loader accepts, PyYAML's composer reads the same, positions included; what
    PyYAML cannot parse, the loader refuses too."""
    try:
        ours = load_yaml(text, 2)
    except YamlProblem:
        return  # (it refuses more than PyYAML: anchors, tags, duplicates, depth, line breaks)
    assert shape(ours) == shape(composed(text))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish())
def test_loader_agrees_with_pyyaml_on_yamlish_text(text):
    agrees_with_pyyaml(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, TREES, min_size=1, max_size=5), st.integers(0, 40), st.sampled_from(["", "  # note"]))
def test_loader_agrees_with_pyyaml_on_rendered_trees(tree, style, comment):
    agrees_with_pyyaml(render_text(tree, style, comment))
