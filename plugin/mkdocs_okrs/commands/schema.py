"""``okrs schema``: the JSON Schema of an objective file's front-matter, for editors.

The schema itself is :mod:`mkdocs_okrs.core.schema`; this prints it, or writes it
to a file whole (written beside it, then renamed).
"""

from __future__ import annotations

import argparse
import textwrap
from typing import TextIO

from . import summary

DESCRIPTION = (
    "Print the JSON Schema (draft 2020-12) of an objective file's front-matter: every key of "
    "the format with its type, choices, pattern and a description that editors show as hover "
    "help. Editors use it through the YAML language server. Unknown keys pass, as 'okrs check' "
    "only warns about them; what needs other files or the date stays with 'okrs check'."
)
EPILOG = """\
examples:
  okrs schema > okrs/objective.schema.json
  okrs schema --output okrs/objective.schema.json

Then add this line to the top of an objective's front-matter (the path is relative to the file):
  # yaml-language-server: $schema=../../objective.schema.json

Exit status: 0 printed or written, 2 usage error (the file cannot be written).
"""


def register(sub) -> None:
    """Add ``okrs schema`` to the ``okrs`` subparsers ``sub``."""
    parser = sub.add_parser(
        "schema",
        help=summary("schema"),
        description=textwrap.fill(DESCRIPTION, 79),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the schema to FILE (replaced whole) instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print or write the schema; 0, or 2 (UsageError) when the file cannot be written."""
    from ..core.schema import schema_json
    from .common import EXIT_OK, UsageError

    text = schema_json()
    if args.output is None:
        out.write(text)
        return EXIT_OK
    from pathlib import Path

    from ..core.paths import display_path
    from .common import write_whole

    path = Path(args.output)
    if path.is_dir():
        raise UsageError(f"--output: {display_path(path)!r} is a folder; name a file, e.g. objective.schema.json")
    try:
        write_whole(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"--output: cannot write {display_path(path)!r}: {exc.strerror or exc}") from None
    err.write(f"okrs: wrote {display_path(path)}\n")
    return EXIT_OK
