"""``python -m mkdocs_okrs check ...``: the same as the ``okrs`` command."""

import sys

from .cli import main

sys.exit(main())
