"""``okrs diff BASE [HEAD]``: what changed in the OKRs between two git revisions, by meaning.

Each side is read as ``okrs check`` reads it: a revision's OKR root (and its org file)
is taken from git (``git ls-tree`` and one ``git cat-file --batch``) into a temporary
folder and loaded with :func:`~mkdocs_okrs.core.loader.load_okrs`; the working tree
(the default HEAD) is loaded from the disk. :mod:`mkdocs_okrs.core.okrdiff` compares
them; this module prints the result as text, Markdown (a pull-request comment) or JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, TextIO

from . import summary
from .common import EXIT_OK, EXIT_PROBLEMS, UsageError, add_root_options, workspace

# GitHub refuses a comment longer than 65,536 characters; the Markdown stays below
# this, leaving room for a marker line or a heading a workflow adds.
MARKDOWN_LIMIT = 64_000
SCHEMA_VERSION = 1
_INLINE_CHECKINS = 3  # more check-ins added to one objective go into <details>


def register(sub) -> None:
    parser = sub.add_parser(
        "diff",
        help=summary("diff"),
        description=(
            "Compare the OKRs at git revision BASE with HEAD (default: the working tree, the "
            "files on disk) and report what changed by meaning: objectives added, removed, "
            "moved; statement, owner, period, parent, commitment, visibility changed; key "
            "results added or removed, their target, start or unit changed; check-ins added, "
            "edited or removed. Both sides are read as 'okrs check' reads them, each with its "
            "own org file. Flagged: past check-ins edited or removed, a target or start moved "
            "while the period runs, a commitment changed, an objective made private."
        ),
        epilog=(
            "Examples: 'okrs diff main' (main against the working tree), "
            "'okrs diff origin/main HEAD --format markdown' (a pull-request comment), "
            "'okrs diff v1 v2 --format json'. Exit status: 0 the diff was printed (changes or "
            "not), 1 a flag was raised and --fail-on-flags is given, 2 usage error (not in a "
            "git repository, an unknown revision)."
        ),
    )
    parser.add_argument("base", metavar="BASE", help="the git revision to compare from (a branch, tag or commit)")
    parser.add_argument("head", metavar="HEAD", nargs="?",
                        help="the git revision to compare to (default: the working tree)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--fail-on-flags", action="store_true",
                        help="exit 1 when a change is flagged (for CI)")
    add_root_options(parser)
    parser.set_defaults(run=run)


# ----------------------------------------------------------------------------------- git


class _Git:
    """The git repository the OKR root lies in, read with the ``git`` command."""

    def __init__(self, root: Path):
        try:
            top = self._run(["-C", str(root), "rev-parse", "--show-toplevel"])
            prefix = self._run(["-C", str(root), "rev-parse", "--show-prefix"])
        except _GitFailed as exc:
            if "not a git repository" in exc.stderr:
                raise UsageError(
                    f"{root}: not in a git repository ('okrs diff' compares git revisions)") from None
            raise UsageError(f"{root}: git: {exc.message}") from None
        self.top = Path(os.fsdecode(top.removesuffix(b"\n")))
        # the OKR root below the top, '/'-separated ('' for the top)
        self.prefix = os.fsdecode(prefix.removesuffix(b"\n")).rstrip("/")

    @staticmethod
    def _run(argv: list[str], data: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(["git", *argv], input=data, capture_output=True, check=False)
        except FileNotFoundError:
            raise UsageError("git is not installed or not on PATH ('okrs diff' reads git revisions)") from None
        if done.returncode != 0:
            raise _GitFailed(os.fsdecode(done.stderr))
        return done.stdout

    def git(self, *argv: str, data: bytes | None = None) -> bytes:
        return self._run(["--literal-pathspecs", "-C", str(self.top), *argv], data)

    def commit(self, rev: str) -> str:
        """The commit id ``rev`` names; UsageError when it names none."""
        if not rev or "\n" in rev or "\0" in rev:
            raise UsageError(f"unknown revision {rev!r}")
        try:
            sha = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except _GitFailed:
            raise UsageError(
                f"unknown revision {rev!r} in {self.top}: no branch, tag or commit has this name "
                "(in a shallow clone, as CI checks out, fetch it first: 'git fetch origin main', "
                "or actions/checkout with 'fetch-depth: 0')") from None
        return sha.decode("ascii").strip()

    def extract(self, commit: str, into: Path, extra: list[str]) -> dict[str, bytes]:
        """The OKR root at ``commit``, placed below ``into`` at its path below the top.

        Returns the objective files (absolute path below ``into`` -> bytes: every
        ``*.md`` file the loader would list) for the loader's ``overlay``; the root's
        ``org.yml`` and the files ``extra`` (paths below the top) are written to the
        disk. When the root holds symbolic links (which the loader follows when they
        stay inside it), every file is written to the disk instead, links last, and
        the overlay is empty."""
        paths = [p for p in [self.prefix, *extra] if p]
        listing = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths)
        below = self.prefix + "/" if self.prefix else ""
        wanted: list[tuple[str, str, str]] = []  # (mode, object, path)
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, raw_path = entry.partition(b"\t")
            mode, kind, obj = meta.decode("ascii").split(" ")
            path = os.fsdecode(raw_path)
            if kind != "blob":
                continue  # a submodule
            if path in extra or (
                path.startswith(below) and (path.endswith(".md") or mode == "120000" or path == below + "org.yml")
            ):
                wanted.append((mode, obj, path))
        blobs = _cat_blobs(self, sorted({obj for _, obj, _ in wanted}))
        into_abs = os.path.abspath(into)
        on_disk = any(mode == "120000" for mode, _, _ in wanted)
        overlay: dict[str, bytes] = {}
        links: list[tuple[str, bytes]] = []
        folders: set[str] = set()
        for mode, obj, path in wanted:
            dest = os.path.abspath(os.path.join(into_abs, *path.split("/")))
            if not dest.startswith(into_abs + os.sep):
                continue  # git never stores such a path; never write outside the folder
            if mode == "120000":
                links.append((dest, blobs[obj]))
                continue
            if not on_disk and path not in extra and path.endswith(".md"):
                if _listed(path[len(below):]):
                    overlay[dest] = blobs[obj]
                continue
            folder = os.path.dirname(dest)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            with open(dest, "wb") as fp:
                fp.write(blobs[obj])
        # Links last, so that no file above is written through one. A link keeps its
        # target as git stores it: the loader follows it when it stays inside the root.
        for dest, target in links:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            try:
                os.symlink(os.fsdecode(target), dest)
            except OSError:
                pass  # a system without symbolic links: the file is absent on this side
        return overlay


def _listed(rel: str) -> bool:
    """Whether the loader lists the file ``rel`` (below the root) as an objective: no
    part of its path starts with ``_`` or ``.``, and it ends in ``.md``."""
    return rel.endswith(".md") and not any(part[:1] in ("_", ".") for part in rel.split("/"))


class _GitFailed(Exception):
    def __init__(self, stderr: str):
        super().__init__(stderr)
        self.stderr = stderr
        lines = stderr.strip().splitlines()
        fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
        self.message = (fatal or lines or ["failed"])[0]


def _cat_blobs(repo: _Git, objects: list[str]) -> dict[str, bytes]:
    """The contents of the blobs ``objects``, read with one ``git cat-file --batch``."""
    if not objects:
        return {}
    data = repo.git("cat-file", "--batch", data="".join(o + "\n" for o in objects).encode("ascii"))
    out: dict[str, bytes] = {}
    pos = 0
    for obj in objects:
        end = data.index(b"\n", pos)
        header = data[pos:end].split(b" ")
        pos = end + 1
        if len(header) != 3:  # "<object> missing"
            out[obj] = b""
            continue
        size = int(header[2])
        out[obj] = data[pos:pos + size]
        pos += size + 1
    return out


# --------------------------------------------------------------------------------- sides


def _load_side(ws, repo: _Git, rev: str | None, tmp: str, label: str):
    """A :class:`~mkdocs_okrs.core.okrdiff.Side`: the working tree (``rev`` None) or the
    revision ``rev``, loaded like ``okrs check`` with paths shown from the repository top."""
    from ..core.okrdiff import side_of

    top = str(repo.top)
    org = ws.org
    org_rel = None
    if org is not None:
        real = os.path.realpath(org)
        rel = os.path.relpath(real, os.path.realpath(top))
        if not rel.startswith(os.pardir + os.sep) and rel != os.pardir and not os.path.isabs(rel):
            org_rel = rel.replace(os.sep, "/")  # in the repository: read it at the revision
    if rev is None:
        base, root_abs, org_file = top, os.path.join(top, repo.prefix), org
    else:
        base = tempfile.mkdtemp(dir=tmp)
        overlay = repo.extract(rev, Path(base), [org_rel] if org_rel else [])
        root_abs = os.path.join(base, repo.prefix)
        os.makedirs(root_abs, exist_ok=True)  # no OKR root at that revision: no objectives
        org_file = os.path.join(base, org_rel) if org_rel else org
    okrs = _load(root_abs, ws.settings, org_file, base, overlay if rev is not None else None)
    prefix = repo.prefix + "/" if repo.prefix else ""
    return side_of(okrs, prefix, label), okrs


def _load(root, settings, org_file, display_base, overlay=None):
    from ..core.config import ConfigError
    from ..core.loader import SettingsError, load_okrs
    from ..core.rules import RuleSettingError

    try:
        return load_okrs(root, settings, org_file=org_file, display_base=display_base, overlay=overlay)
    except RuleSettingError as exc:
        raise UsageError(f"rules: {exc}") from None
    except (SettingsError, ConfigError) as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..core.okrdiff import diff_okrs

    ws = workspace(args)
    repo = _Git(ws.root)
    base_commit = repo.commit(args.base)
    head_commit = repo.commit(args.head) if args.head is not None else None
    base_label = _label(args.base, base_commit)
    head_label = _label(args.head, head_commit) if head_commit else "the working tree"
    try:
        with tempfile.TemporaryDirectory(prefix="okrs-diff-") as tmp:
            base, base_set = _load_side(ws, repo, base_commit, tmp, base_label)
            head, head_set = _load_side(ws, repo, head_commit, tmp, head_label)
    except _GitFailed as exc:  # a repository git cannot read (corrupt, objects missing)
        raise UsageError(f"git: {exc.message}") from None
    diff = diff_okrs(base, head, head_set.today)
    meta = {
        "base": {"rev": args.base, "commit": base_commit, "label": base_label, "errors": _errors(base_set)},
        "head": {"rev": args.head, "commit": head_commit, "label": head_label, "errors": _errors(head_set)},
        "root": repo.prefix or ".",
    }
    if args.format == "json":
        # ASCII with \u escapes: valid JSON whatever the output's encoding
        out.write(json.dumps(as_json(diff, meta), indent=2) + "\n")
    elif args.format == "markdown":
        out.write(markdown(diff, meta))
    else:
        out.write(text(diff, meta))
    if args.fail_on_flags and diff.counts.get("flags"):
        return EXIT_PROBLEMS
    return EXIT_OK


def _errors(okrs) -> int:
    from ..core.diagnostics import count

    return count(okrs.diagnostics)[0]


def _errors_note(meta: dict) -> str | None:
    """``HEAD has 3 errors ...`` when it has more than BASE, else None."""
    before, after = meta["base"]["errors"], meta["head"]["errors"]
    if after <= before:
        return None
    return f"HEAD has {_plural(after, 'error')} (BASE {before}): run 'okrs check'"


def _label(rev: str, commit: str) -> str:
    return rev if commit.startswith(rev) else f"{rev} ({commit[:7]})"


# ----------------------------------------------------------------------------- wording


class _Style:
    """How contributor text, titles and ids are shown in one output format."""

    def __init__(self, text: Callable[[str], str], title: Callable[[str], str], code: Callable[[str], str]):
        self.text, self.title, self.code = text, title, code


_WS = re.compile(r"\s+")


def _one_line(s: str, limit: int = 200) -> str:
    s = _WS.sub(" ", s).strip()
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _plain_text(s: str) -> str:
    from ..core.diagnostics import escape_text

    return escape_text(_one_line(s))


TEXT = _Style(_plain_text, lambda s: f'"{_plain_text(s)}"', lambda s: f"[{_plain_text(s)}]")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~!#$])")
_MENTION = re.compile(r"@(?=\w)|#(?=\d)")  # @someone, @org/team; #123


def md_text(s: str, limit: int = 200) -> str:
    """Contributor text made inert in GitHub Markdown: one line, HTML as text, Markdown
    punctuation escaped, ``@mentions`` and ``#123`` references broken with a zero-width
    space (nobody is notified, no issue is linked), control characters escaped."""
    from ..core.diagnostics import escape_text

    s = escape_text(_one_line(s, limit))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _MENTION.sub(lambda m: m.group() + "&#8203;", s)


def md_code(s: str) -> str:
    """An id as inline code (no Markdown, HTML or mention inside), fenced with more
    backticks than it holds."""
    from ..core.diagnostics import escape_text

    s = escape_text(_one_line(s))
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    return f"{fence}{pad}{s}{pad}{fence}"


MARKDOWN = _Style(md_text, lambda s: f"*{md_text(s)}*", md_code)


def _num(v, unit: str | None = None, st: _Style = TEXT) -> str:
    if v is None:
        return "none"
    shown = repr(v) if isinstance(v, float) else str(v)
    if not unit:
        return shown
    return f"{shown}{st.text(unit)}" if unit == "%" else f"{shown} {st.text(unit)}"


def _value(v, st: _Style) -> str:
    if v is None:
        return "none"
    if isinstance(v, list):
        return ", ".join(st.code(x) for x in v) if v else "none"
    return st.text(str(v))


def _measure(m: dict, st: _Style) -> str:
    if m.get("kind") == "metric":
        return f"{_num(m.get('start'))} → {_num(m.get('target'), m.get('unit'), st)}"
    if m.get("kind") == "milestone":
        return "milestone (done)" if m.get("done") else "milestone"
    return "no measure"


def _checkin(c: dict, unit: str | None, st: _Style, date: bool = True) -> str:
    parts = [c["date"] + ":"] if date else []
    if c.get("value") is not None:
        parts.append(_num(c["value"], unit, st))
    if c.get("confidence") is not None:
        parts.append(f"(confidence {_num(c['confidence'])})")
    if c.get("note"):
        parts.append("“" + st.text(c["note"]) + "”")
    if len(parts) == (1 if date else 0):
        parts.append("(no value)")
    return " ".join(parts)


def _checkin_edit(old: dict, new: dict, unit: str | None, st: _Style) -> str:
    parts = []
    if old.get("date") != new.get("date"):
        parts.append(f"re-dated to {new['date']}")
    if old.get("value") != new.get("value"):
        parts.append(f"value {_num(old.get('value'), unit, st)} → {_num(new.get('value'), unit, st)}")
    if old.get("confidence") != new.get("confidence"):
        parts.append(f"confidence {_num(old.get('confidence'))} → {_num(new.get('confidence'))}")
    if old.get("note") != new.get("note"):
        a = "“" + st.text(old["note"]) + "”" if old.get("note") else "none"
        b = "“" + st.text(new["note"]) + "”" if new.get("note") else "none"
        parts.append(f"note {a} → {b}")
    return "; ".join(parts)


_FIELD_NAMES = {"owner": "owner", "period": "period", "parent": "parent", "status": "status override",
                "tags": "tags", "contributors": "contributors", "review_until": "review until",
                "carried_from": "carried from"}


def describe(c, st: _Style, units: dict[str, str | None]) -> str:
    """One change in words (without the objective's name)."""
    k, old, new = c.kind, c.old, c.new
    unit = c.unit if c.unit is not None else units.get(c.kr or "")
    kr = f"key result {st.title(c.kr_title or '')} {st.code(c.kr or '')}" if c.kr is not None else ""
    if k == "statement":
        return f"statement: {st.title(old)} → {st.title(new)}"
    if k in ("owner", "period", "parent", "carried_from"):
        return f"{_FIELD_NAMES[k]}: {st.code(old) if old else 'none'} → {st.code(new) if new else 'none'}"
    if k == "commitment":
        return f"commitment: {old} → {new}"
    if k == "visibility":
        return "made private" if new == "private" else "made public"
    if k in _FIELD_NAMES:
        return f"{_FIELD_NAMES[k]}: {_value(old, st)} → {_value(new, st)}"
    if k == "retrospective":
        if old is None:
            return f"retrospective written: “{st.text(new)}”"
        if new is None:
            return "retrospective removed"
        return f"retrospective changed: “{st.text(new)}”"
    if k == "body":
        return "description changed (the text below the front-matter)"
    if k == "path":
        return f"file moved: {st.code(old)} → {st.code(new)} (same id)"
    if k == "kr-added":
        n = new.get("checkins", 0)
        extra = f", {_plural(n, 'check-in')}" if n else ""
        return f"{kr} added: {_measure({**new}, st)}{extra}"
    if k == "kr-removed":
        n = old.get("checkins", 0)
        extra = f" (it had {_plural(n, 'check-in')})" if n else ""
        return f"{kr} removed{extra}"
    if k == "kr-title":
        return f"{kr}: title was {st.title(old)}"
    if k == "kr-id":
        return f"{kr}: id {st.code(old)} → {st.code(new)}"
    if k == "kr-measure":
        return f"{kr}: measure {_measure(old, st)} ⇒ {_measure(new, st)}"
    if k in ("kr-start", "kr-target", "kr-current"):
        return f"{kr}: {k[3:]} {_num(old, unit, st)} → {_num(new, unit, st)}"
    if k == "kr-unit":
        return f"{kr}: unit {st.text(old) if old else 'none'} → {st.text(new) if new else 'none'}"
    if k == "kr-weight":
        return f"{kr}: weight {_num(old)} → {_num(new)}"
    if k == "kr-done":
        return f"{kr}: {'done' if new else 'no longer done'}"
    if k == "kr-done-on":
        return f"{kr}: done on {old or 'none'} → {new or 'none'}"
    if k == "checkin-added":
        return f"{kr}: check-in {_checkin(new, unit, st)}"
    if k == "checkin-edited":
        return f"{kr}: check-in of {old['date']} edited: {_checkin_edit(old, new, unit, st)}"
    if k == "checkin-removed":
        return f"{kr}: check-in of {old['date']} removed (it said {_checkin(old, unit, st, date=False)})"
    return f"{k}: {_value(old, st)} → {_value(new, st)}"


def _units(entry) -> dict[str, str | None]:
    """KR id -> unit, from what the changes and summaries carry."""
    units: dict[str, str | None] = {}
    for kr in entry.key_results:
        units[kr["id"]] = kr.get("unit")
    for c in entry.changes:
        for side in (c.old, c.new):
            if isinstance(side, dict) and "unit" in side and c.kr:
                units[c.kr] = side.get("unit")
    return units


def _flag_name(flag: str, entry) -> str:
    from ..core.okrdiff import FLAGS

    name = FLAGS.get(flag, flag)
    if flag in ("target-moved", "start-moved"):
        name = name.replace("the period", entry.period)
    return name


def _counts_line(counts: dict) -> str:
    parts = [f"{counts[k]} {k}" for k in ("changed", "added", "removed", "moved", "unreadable") if counts.get(k)]
    return ", ".join(parts) if parts else "no changes"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -------------------------------------------------------------------------------- text

_MARK = {"changed": "~", "added": "+", "removed": "-", "moved": ">", "unreadable": "?"}


def text(diff, meta: dict) -> str:
    st = TEXT
    flags = diff.counts.get("flags", 0)
    lines = [(f"okrs diff: {_plain_text(meta['base']['label'])} → {_plain_text(meta['head']['label'])}: "
              f"{_counts_line(diff.counts)}; {_plural(flags, 'flag')}")]
    note = _errors_note(meta)
    if note:
        lines.append(note)
    if diff.flags:
        lines += ["", "Flags:"]
        for entry, c in diff.flags:
            lines.append(f"  ! {_flag_name(c.flag, entry)}: {st.title(entry.title)} {st.code(entry.id)}: "
                         f"{describe(c, st, _units(entry))}")
    for entry in diff.objectives:
        lines.append("")
        lines.append(_heading_text(entry))
        units = _units(entry)
        if entry.change in ("added", "removed") or (entry.change == "unreadable" and entry.unreadable_in == "base"):
            what = "added" if entry.change != "removed" else "removed"
            lines.append(f"    {what}: owner {st.code(entry.owner)}, period {entry.period}, "
                         f"{_plural(len(entry.key_results), 'key result')}")
            for kr in entry.key_results:
                lines.append(f"      {st.title(kr['title'])} {st.code(kr['id'])}: {_measure(kr, st)}")
        for c in entry.changes:
            mark = "! " if c.flag else ""
            lines.append(f"    {mark}{describe(c, st, units)}")
        if entry.problems:
            where = "HEAD" if entry.unreadable_in != "base" else "BASE"
            if entry.change == "unreadable":
                lines.append(f"    cannot be read in {where} ({meta[where.lower()]['label']}):")
            else:
                lines.append(f"    {_plural(len(entry.problems), 'error')} in HEAD (run 'okrs check'):")
            lines += [f"      {d.format_text()}" for d in entry.problems[:5]]
            if len(entry.problems) > 5:
                lines.append(f"      … and {len(entry.problems) - 5} more")
    if diff.empty:
        lines += ["", "No OKR changed."]
    return "\n".join(lines) + "\n"


def _file(entry) -> str:
    """The file of an entry as diagnostics show it (from the repository top)."""
    return entry.problems[0].path if entry.problems else entry.path


def _heading_text(entry) -> str:
    st = TEXT
    private = " (private)" if entry.private else ""
    if entry.change == "unreadable" and not entry.title:
        return f"? {st.code(_file(entry))}: a file that cannot be read{private}"
    ident = st.code(entry.id)
    if entry.change == "moved":
        ident = f"[{_plain_text(entry.old_id or '')} → {_plain_text(entry.id)}]"
    label = entry.change
    if entry.change == "unreadable":
        label = "cannot be read in HEAD" if entry.unreadable_in == "head" else "could not be read in BASE"
    return f"{_MARK[entry.change]} {st.title(entry.title)} {ident}{private} ({label})"


# ---------------------------------------------------------------------------- markdown

_ICON = {"changed": "✏️", "added": "➕", "removed": "➖", "moved": "🚚", "unreadable": "❗"}
_FLAG_TITLE = {
    "checkin-edited": "Past check-in edited",
    "checkin-removed": "Past check-in removed",
    "target-moved": "Target moved while {period} runs",
    "start-moved": "Start moved while {period} runs",
    "commitment-changed": "Commitment changed",
    "made-private": "Made private",
}


def markdown(diff, meta: dict, limit: int = MARKDOWN_LIMIT) -> str:
    """The diff as a pull-request comment, at most ``limit`` characters."""
    st = MARKDOWN
    flags = diff.counts.get("flags", 0)
    title = f"### OKR changes: {_counts_line(diff.counts)}"
    if flags:
        title += f" · ⚠️ {_plural(flags, 'flag')}"
    head = [title, "",
            f"Comparing {md_code(meta['base']['label'])} with "
            + (md_code(meta["head"]["label"]) if meta["head"]["commit"] else "the working tree") + ".", ""]
    note = _errors_note(meta)
    if note:
        head += ["❗ " + note.replace("'okrs check'", "`okrs check`"), ""]
    if diff.empty:
        head.append("No OKR changed.")
        return "\n".join(head) + "\n"

    out = "\n".join(head) + "\n"
    cut_note = ("\n> ✂️ The comment stops here to stay under GitHub's comment limit, with "
                "{n} not shown. Run `okrs diff` for the whole list.\n")
    reserve = len(cut_note) + 40
    if diff.flags:
        block = ["**⚠️ Flags: look at these twice**", ""]
        shown = 0
        budget = limit // 2
        for entry, c in diff.flags:
            name = _FLAG_TITLE.get(c.flag, c.flag).format(period=md_text(entry.period))
            line = f"- ⚠️ **{name}**: {st.title(entry.title)} — {describe(c, st, _units(entry))}"
            if sum(len(x) + 1 for x in block) + len(line) > budget:
                break
            block.append(line)
            shown += 1
        if shown < len(diff.flags):
            block.append(f"- … and {_plural(len(diff.flags) - shown, 'more flag')}")
        out += "\n".join(block) + "\n\n"
    for i, entry in enumerate(diff.objectives):
        part = _markdown_entry(entry, meta)
        if len(out) + len(part) + reserve > limit:
            out += cut_note.format(n=_plural(len(diff.objectives) - i, "more objective"))
            return out
        out += part
    return out


def _markdown_entry(entry, meta: dict) -> str:
    st = MARKDOWN
    private = " · 🔒 private" if entry.private else ""
    icon = _ICON[entry.change]
    if entry.change == "unreadable" and not entry.title:
        lines = [f"**{icon} Cannot be read in HEAD**: {md_code(_file(entry))}{private}"]
    else:
        ident = md_code(entry.id)
        if entry.change == "moved":
            ident = f"{md_code(entry.old_id or '')} → {md_code(entry.id)}"
        what = {"changed": "", "added": " (new)", "removed": " (removed)", "moved": " (moved)",
                "unreadable": " (cannot be read in HEAD)" if entry.unreadable_in == "head"
                else " (could not be read in BASE)"}[entry.change]
        lines = [f"**{icon} {md_text(entry.title)}**{what} · {ident}{private}"]
    lines.append("")
    units = _units(entry)
    if entry.change in ("added", "removed") or (entry.change == "unreadable" and entry.unreadable_in == "base"):
        lines.append(f"- owner {md_code(entry.owner)}, {md_text(entry.period)}, "
                     f"{_plural(len(entry.key_results), 'key result')}")
        for kr in entry.key_results[:10]:
            lines.append(f"  - {st.title(kr['title'])}: {_measure(kr, st)}")
        if len(entry.key_results) > 10:
            lines.append(f"  - … and {len(entry.key_results) - 10} more")
    added = [c for c in entry.changes if c.kind == "checkin-added"]
    for c in entry.changes:
        if c.kind == "checkin-added" and len(added) > _INLINE_CHECKINS:
            continue
        mark = "⚠️ " if c.flag else ""
        lines.append(f"- {mark}{describe(c, st, units)}")
    if entry.problems:
        if entry.change == "unreadable":
            side = "head" if entry.unreadable_in == "head" else "base"
            where = md_code(meta[side]["label"]) if meta[side]["commit"] else "the working tree"
            lines.append(f"- ❗ {md_code(_file(entry))} cannot be read in {where}:")
        else:
            lines.append(f"- ❗ {_plural(len(entry.problems), 'error')} in HEAD (run `okrs check`):")
        for d in entry.problems[:5]:
            lines.append(f"  - line {d.line}: {md_text(d.message, 300)} {md_code(d.rule)}")
        if len(entry.problems) > 5:
            lines.append(f"  - … and {len(entry.problems) - 5} more")
    if len(added) > _INLINE_CHECKINS:
        lines += ["", f"<details><summary>{len(added)} check-ins added</summary>", ""]
        lines += [f"- {describe(c, st, units)}" for c in added]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n\n"


# -------------------------------------------------------------------------------- json


def as_json(diff, meta: dict) -> dict:
    """The stable JSON document (``schema_version`` 1, documented in docs/cli.md)."""
    st = TEXT
    return {
        "schema_version": SCHEMA_VERSION,
        **meta,
        "today": diff.today.isoformat(),
        "counts": dict(diff.counts),
        "flags": [
            {"flag": c.flag, "objective": e.id, "kr": c.kr, "kind": c.kind,
             "message": f"{_flag_name(c.flag, e)}: {describe(c, st, _units(e))}"}
            for e, c in diff.flags
        ],
        "objectives": [e.as_dict() for e in diff.objectives],
    }
