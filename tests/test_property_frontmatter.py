"""Property: whatever an objective file or org.yml holds, load_okrs reports it and never raises.

MKDOCS_OKRS_DEBUG=1 makes the loader re-raise unexpected exceptions instead of
turning them into diagnostics, so a bug anywhere in loading or validation fails
these tests.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.objective_file import CHECKIN_KEYS, KR_KEYS, OBJECTIVE_KEYS
from mkdocs_okrs.core.model import Settings
from mkdocs_okrs.core.org import UNIT_KEYS



@pytest.fixture(autouse=True, scope="module")
def _strict():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MKDOCS_OKRS_DEBUG", "1")
        yield

TODAY = dt.date(2026, 11, 15)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.sampled_from(["", "a", "platform", "2026-Q4", "2026", "2026-Q5", "kr1", "a/b", "a/b#kr1", "../x", "#",
                     "committed", "aspirational", "public", "private", "on-track", "done", "NO", "yes", "x y",
                     "2026-10-15", "2027-02-30", "0.5", "1e400"]),
    st.text(max_size=15),
)
VALUES = st.recursive(SCALARS, lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(st.text(max_size=6), c, max_size=4)), max_leaves=10)


def field_dict(keys, value_for=None):
    """A mapping drawing mostly from ``keys`` (plus an odd one), with values of any type."""
    key = st.one_of(st.sampled_from(keys), st.text(max_size=8))
    return st.dictionaries(key, VALUES if value_for is None else value_for, max_size=len(keys) + 1)


CHECKIN = field_dict(CHECKIN_KEYS)
KR = st.one_of(SCALARS, field_dict(KR_KEYS, st.one_of(VALUES, st.lists(CHECKIN, max_size=4))))
OBJECTIVE = st.fixed_dictionaries(
    {},
    optional={
        "objective": VALUES, "owner": st.one_of(st.sampled_from(["a", "b", "acme"]), VALUES),
        "period": st.one_of(st.sampled_from(["2026-Q4", "2026", "2026-H2", "2026-11", 2026]), VALUES),
        "parent": st.one_of(st.sampled_from(["o0", "o1", "o1#kr1", "o2#kr9", "o0#p95"]), VALUES),
        "key_results": st.one_of(st.lists(KR, max_size=6), VALUES), "id": st.one_of(st.sampled_from(["o1", "O1", "x/y"]), VALUES),
        "contributors": VALUES, "tags": VALUES, "review_until": VALUES, "status": VALUES,
        "commitment": VALUES, "visibility": VALUES,
    },
).flatmap(lambda d: field_dict(OBJECTIVE_KEYS).map(lambda extra: {**extra, **d}))
UNIT = field_dict(UNIT_KEYS, st.one_of(st.sampled_from(["acme", "a", "b", "c"]), VALUES))
ORG = st.one_of(st.fixed_dictionaries({"units": st.lists(UNIT, max_size=5)}), VALUES)

# Text pieces that are meaningful (or dangerous) in YAML and front-matter.
PIECES = ["---", "...", "\n", "\r\n", "\r", "\ufeff", "objective: x", "owner: a", "period: 2026-Q4", "key_results:",
          "  - ", "- title: t", "  start: 1", "  target: 1", "  done: yes", "checkins:", "{date: 2026-10-01}",
          "&a", "*a", "<<: ", "!!python/object:os.system", "!x", "[", "]", "{", "}", ": ", "#", "'", '"', "\t",
          "\x00", "\x07", "|", ">", "?", "%YAML 1.1", "é", "😀", "NO", "~", " " * 4]


def dump(data, flow: bool) -> str:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)


def check(files: dict[str, bytes | str], org_file: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "okrs"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        root.mkdir(exist_ok=True)
        okrs = load_okrs(root, Settings(today=TODAY), display_base=tmp,
                         org_file=(Path(tmp) / org_file) if org_file else None)
        # Everything reported is well-formed and sorted.
        for d in okrs.diagnostics:
            assert d.line >= 1 and d.col >= 1 and d.message and d.rule
            d.format_text()
        assert okrs.diagnostics == sorted(okrs.diagnostics, key=lambda d: d.sort_key())


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(st.lists(OBJECTIVE, min_size=1, max_size=3), st.booleans(), st.one_of(st.none(), ORG), st.booleans())
def test_structured_front_matter_never_raises(objectives, flow, org, crlf):
    files: dict[str, bytes | str] = {}
    for i, data in enumerate(objectives):
        text = "---\n" + dump(data, flow) + "---\nBody\n"
        files[f"o{i}.md"] = text.replace("\n", "\r\n") if crlf else text
    if org is not None:
        files["org.yml"] = dump(org, flow)
    check(files)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.booleans())
def test_yamlish_front_matter_never_raises(pieces, bom):
    text = "---\n" + "".join(pieces) + "\n---\n"
    data = ("\ufeff" if bom else "") + text
    check({"a.md": data, "org.yml": "".join(reversed(pieces))})


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data):
    check({"a.md": data, "b.md": b"---\n" + data + b"\n---\n", "org.yml": data}, org_file="okrs/org.yml")


@SETTINGS
@given(st.text(max_size=200))
def test_random_text_never_raises(text):
    check({"a.md": "---\n" + text + "\n---\n", "b.md": text})
