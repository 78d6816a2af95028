"""The contributor's commands of ``okrs`` (besides ``check`` and ``rules`` in :mod:`mkdocs_okrs.cli`).

Each module registers one subcommand: ``register(sub)`` adds its parser to the
``okrs`` subparsers and sets ``run=`` to a function ``run(args, out, err) -> int``
(exit 0 done, 1 refused with diagnostics, 2 usage error: raise
:class:`~mkdocs_okrs.commands.common.UsageError`). Shared parts -- finding the OKR root
as ``okrs check`` does, checking a change before writing it, writing a file whole or
not at all -- are in :mod:`.common`. No MkDocs import.
"""

from __future__ import annotations

import importlib

# The subcommands, in the order `okrs --help` lists them: name -> (module, one-line help).
# Only the module of the command being run is imported (each imports what it needs):
# `okrs check` in a pre-commit hook starts without loading eight commands it never runs.
COMMANDS = {
    "new": ("new", "create an objective file from the unit's template"),
    "checkin": ("checkin", "append a check-in to a key result"),
    "carry-over": ("carry_over", "carry the unfinished objectives of a period over into another"),
    "import": ("import_okrs", "write objective files from OKRs in notes (text) or a spreadsheet (CSV)"),
    "export": ("export", "print the published OKRs as okrs.json or CSV"),
    "diff": ("diff", "what changed in the OKRs between two git revisions, by meaning"),
    "schema": ("schema", "print the JSON Schema of an objective file's front-matter (for editors)"),
    "generate": ("generate", "write the OKR pages as Markdown files, for Zensical or a build without the plugin"),
}


def summary(name: str) -> str:
    """The one-line help of command ``name`` (what ``okrs --help`` lists)."""
    return COMMANDS[name][1]


def register_all(sub, wanted: str | None = None) -> None:
    """Add the contributor commands to the subparsers ``sub``: command ``wanted`` (the
    one on the command line) with its whole parser, the others by name and help only.
    With ``wanted`` None, every command gets its whole parser."""
    for name, (module_name, help_text) in COMMANDS.items():
        if wanted is None or name == wanted:
            importlib.import_module(f"{__name__}.{module_name}").register(sub)
        else:
            sub.add_parser(name, help=help_text)
