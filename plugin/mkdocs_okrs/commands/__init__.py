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

# The subcommands, in the order `okrs --help` lists them.
COMMANDS = ("new", "checkin", "carry_over", "import_okrs", "export", "diff", "schema", "generate")


def register_all(sub) -> None:
    """Add every contributor command that exists to the subparsers ``sub``."""
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue  # not written yet
        module.register(sub)
