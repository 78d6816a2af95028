"""File-level rules: unreadable files, encodings, size, BOM/CRLF and front-matter fences.

Each rule is checked on a real file for its rule id, line and column.
"""

from __future__ import annotations

import os

import pytest

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.diagnostics import Location
from mkdocs_okrs.core.model import Settings

from loader_helpers import TODAY, errors, good, load, only, strict_loading, where  # noqa: F401  (load, strict_loading: fixtures)

# Unexpected exceptions propagate instead of becoming diagnostics, in every test here.
pytestmark = pytest.mark.usefixtures("strict_loading")


# --- files ------------------------------------------------------------------------


def test_file_encoding_names_the_first_bad_byte(load):
    data = good().encode().replace(b"owner: platform", b"owner: plat\xffform")
    d = only(load({"a.md": data}), "file-encoding")
    assert (d.path, d.line, d.col) == ("okrs/a.md", 3, 12)
    assert "0xff" in d.message


def test_file_encoding_utf16(load):
    d = only(load({"a.md": good().encode("utf-16")}), "file-encoding")
    assert (d.line, d.col) == (1, 1) and "UTF-16" in d.message


def test_file_too_large(load):
    big = good(body="x" * (1024 * 1024))
    d = only(load({"big.md": big}), "file-too-large")
    assert (d.path, d.line, d.col) == ("okrs/big.md", 1, 1)
    assert str(len(big.encode())) in d.message


def test_folder_named_like_an_objective_is_unreadable(load, tmp_path):
    (tmp_path / "okrs" / "odd.md").mkdir(parents=True)
    d = only(load({"a.md": good()}), "file-unreadable")
    assert (d.path, d.line, d.col) == ("okrs/odd.md", 1, 1)
    assert "folder" in d.message


def test_broken_symlink_is_unreadable(load, tmp_path):
    (tmp_path / "okrs").mkdir()
    os.symlink(tmp_path / "okrs" / "nowhere.md", tmp_path / "okrs" / "gone.md")
    d = only(load({"a.md": good()}), "file-unreadable")
    assert (d.path, d.line, d.col) == ("okrs/gone.md", 1, 1)
    assert "broken" in d.message


def test_broken_symlink_leading_outside_is_outside_root(load, tmp_path):
    (tmp_path / "okrs").mkdir()
    os.symlink(tmp_path / "nowhere.md", tmp_path / "okrs" / "gone.md")
    okrs = load({"a.md": good()})
    d = only(okrs, "file-outside-root")
    assert (d.path, d.line, d.col) == ("okrs/gone.md", 1, 1)
    assert repr(str(tmp_path / "nowhere.md")) in d.message
    assert where(okrs, "file-unreadable") == []


def test_symlink_loop_is_walked_once(load, tmp_path):
    (tmp_path / "okrs" / "sub").mkdir(parents=True)
    os.symlink(tmp_path / "okrs", tmp_path / "okrs" / "sub" / "loop")
    okrs = load({"sub/a.md": good()})
    assert "sub/a" in okrs.objectives and errors(okrs) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_unreadable_and_does_not_hang(load, tmp_path):
    (tmp_path / "okrs").mkdir()
    os.mkfifo(tmp_path / "okrs" / "pipe.md")
    d = only(load({"a.md": good()}), "file-unreadable")
    assert (d.path, d.line, d.col) == ("okrs/pipe.md", 1, 1)
    assert d.message == "cannot read the file: it is a named pipe (FIFO), not a regular file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_is_unreadable(load, tmp_path):
    root = tmp_path / "okrs"
    root.mkdir()
    (root / "secret.md").write_text(good())
    (root / "secret.md").chmod(0)
    try:
        d = only(load({"a.md": good()}), "file-unreadable")
    finally:
        (root / "secret.md").chmod(0o644)
    assert (d.path, d.line, d.col) == ("okrs/secret.md", 1, 1)


def test_missing_root_is_unreadable(tmp_path):
    okrs = load_okrs(tmp_path / "nothing", Settings(today=TODAY), display_base=tmp_path)
    assert where(okrs, "file-unreadable") == [("nothing", 1, 1)]
    assert okrs.objectives == {}


def test_explicit_org_file_missing_is_unreadable(load, tmp_path):
    okrs = load({"a.md": good()}, org_file=tmp_path / "org.yml")
    assert where(okrs, "file-unreadable") == [("org.yml", 1, 1)]
    assert okrs.org.defined


def test_explicit_org_file_elsewhere(load, tmp_path):
    (tmp_path / "company.yml").write_text("units:\n  - id: platform\n    name: Platform team\n")
    okrs = load({"a.md": good()}, org_file=tmp_path / "company.yml")
    assert errors(okrs) == [] and okrs.org.units["platform"].name == "Platform team"
    assert okrs.org.path == "company.yml"


# --- front-matter -------------------------------------------------------------------


def test_frontmatter_missing(load):
    okrs = load({"a.md": "# Just markdown\n\nobjective: x\n", "empty.md": ""})
    assert where(okrs, "frontmatter-missing") == [("okrs/a.md", 1, 1), ("okrs/empty.md", 1, 1)]


def test_frontmatter_unclosed(load):
    okrs = load({"a.md": "---\nobjective: x\nowner: y\n", "b.md": "---"})
    assert where(okrs, "frontmatter-unclosed") == [("okrs/a.md", 1, 1), ("okrs/b.md", 1, 1)]


def test_frontmatter_closed_by_dots_and_trailing_spaces(load):
    text = good().replace("---\nBody", "...   \nBody")
    assert errors(load({"a.md": text})) == []


def test_bom_and_crlf_keep_lines_and_columns(load):
    text = good("colour: red").replace("owner: platform", "owner: NO")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    okrs = load({"a.md": data})
    assert where(okrs, "field-type") == [("okrs/a.md", 3, 1)]
    assert where(okrs, "unknown-key") == [("okrs/a.md", 5, 1)]


def test_bom_before_frontmatter_is_accepted(load):
    okrs = load({"a.md": b"\xef\xbb\xbf" + good().encode()})
    assert errors(okrs) == [] and okrs.objectives["a"].body == "Body text.\n"
    assert okrs.objectives["a"].field_locs["period"] == Location("okrs/a.md", 4, 1)


def test_crlf_body_and_body_line(load):
    okrs = load({"a.md": good(body="line one\r\nline two\r\n").replace("\n", "\r\n").replace("\r\r", "\r").encode()})
    o = okrs.objectives["a"]
    assert o.body == "line one\nline two\n" and o.body_line == 15


