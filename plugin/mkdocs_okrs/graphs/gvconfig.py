"""Run the system Graphviz without its text-layout plugins.

Graphviz loads its plugins from the configuration file ``dot -c`` wrote at
install time (``config6``, ``config6a``, ``config8``... in its plugin folder),
or from the folder named by the ``GVBINDIR`` environment variable. With no
text-layout plugin (Pango or GD) it measures text with built-in Arial metrics:
about 40% less layout time for our graphs (measured, docs/performance.md), the
same drawing whatever fonts the build machine has, and no fontconfig start-up.

:func:`text_free_bindir` writes a copy of the installed configuration without
the libraries that provide text layout into a private folder, every library
path made absolute, then checks that ``dot`` run with ``GVBINDIR`` set to it
loads that copy, lists no text-layout plugin and draws a graph. On any
surprise (another configuration format, a path Graphviz cannot parse, a
failing run) it returns None and the caller keeps the usual Graphviz.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from multiprocessing.util import Finalize
from pathlib import Path

_TIMEOUT = 10  # seconds for each check run (a 1-node graph: some 30 ms)
_PROBE = b'digraph { a [label=<<B>okrs</B><BR/><FONT POINT-SIZE="9">probe</FONT>>] }\n'
_CONFIG_LINE = re.compile(r"The plugin configuration file:\s*\n\s*(\S[^\n]*?)\s*\n\s*was successfully loaded")
_TEXTLAYOUT_LISTED = re.compile(r"^[ \t]*textlayout[ \t]*:[ \t]*\S", re.MULTILINE)
_TEXTLAYOUT_API = re.compile(r"^\s*textlayout\s*\{", re.MULTILINE)


def _verbose(executable: str, env: dict[str, str] | None) -> str | None:
    """What ``dot -v`` prints (stderr) while drawing the probe graph, None if it fails."""
    try:
        proc = subprocess.run(
            [executable, "-v", "-Kdot", "-Tsvg"], input=_PROBE, capture_output=True,
            timeout=_TIMEOUT, env=env, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0 or b"</svg>" not in proc.stdout:
        return None
    return proc.stderr.decode("utf-8", "replace")


def config_path(verbose: str) -> Path | None:
    """The configuration file ``dot -v`` says it loaded."""
    match = _CONFIG_LINE.search(verbose)
    return Path(match.group(1)) if match else None


def without_text_layout(config: str, folder: Path) -> str | None:
    """The plugin configuration ``config`` (read from ``folder``) minus the libraries
    that provide a text-layout API, library paths made absolute; None if it cannot
    be read as one."""
    kept: list[str] = []
    block: list[str] = []
    depth = 0
    for line in config.splitlines():
        code = line.split("#", 1)[0]
        if depth == 0:
            if not code.strip():
                continue
            parts = code.split()
            if len(parts) != 3 or parts[2] != "{":
                return None
            path = Path(parts[0])
            block = [f"{path if path.is_absolute() else folder / path} {parts[1]} {{"]
            depth = 1
            continue
        depth += code.count("{") - code.count("}")
        block.append(line)
        if depth < 0:
            return None
        if depth == 0:
            text = "\n".join(block)
            if not _TEXTLAYOUT_API.search(text):
                kept.append(text)
    if depth != 0 or not kept:
        return None
    return "\n".join(kept) + "\n"


def text_free_bindir(executable: str) -> str | None:
    """A folder for ``GVBINDIR`` under which ``executable`` (Graphviz ``dot``) has no
    text-layout plugin and still draws SVG, or None (see the module docstring).
    The folder is removed when this process ends normally: a ``multiprocessing``
    finalizer runs only in the process that made it, and a forked child (the
    build's graph job) drops the ones it inherits and runs its own."""
    verbose = _verbose(executable, None)
    source = config_path(verbose) if verbose else None
    if source is None or not _TEXTLAYOUT_LISTED.search(verbose or ""):
        return None  # no configuration found, or already no text layout to turn off
    try:
        config = without_text_layout(source.read_text(encoding="utf-8"), source.parent)
    except (OSError, UnicodeDecodeError):
        return None
    if config is None:
        return None
    try:
        folder = Path(tempfile.mkdtemp(prefix="mkdocs-okrs-graphviz-"))
    except OSError:  # no writable temporary folder
        return None
    Finalize(None, shutil.rmtree, args=(str(folder),), kwargs={"ignore_errors": True}, exitpriority=0)
    try:
        (folder / source.name).write_text(config, encoding="utf-8")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    check = _verbose(executable, dict(os.environ, GVBINDIR=str(folder)))
    loaded = config_path(check) if check else None
    if loaded is None or loaded.resolve() != (folder / source.name).resolve() or _TEXTLAYOUT_LISTED.search(check or ""):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return str(folder)
