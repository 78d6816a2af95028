"""The OKR core: load, validate and compute OKRs. Imports nothing from MkDocs.

Public API:

- :func:`load_okrs` — read an OKR root into an :class:`OkrSet` with every diagnostic.
- :mod:`.compute` — progress, expected progress, status, score and grade, as of any
  day, and the changes between two days (pure functions).
- :func:`public_view` — the publishable view (private objectives removed).
"""

from .diagnostics import Diagnostic, Location, Severity
from .model import CheckIn, KeyResult, Objective, OkrSet, Org, Period, Settings, Unit

__all__ = [
    "CheckIn",
    "Diagnostic",
    "KeyResult",
    "Location",
    "Objective",
    "OkrSet",
    "Org",
    "Period",
    "PublicOkrs",
    "Settings",
    "Severity",
    "Unit",
    "load_okrs",
    "public_view",
]


def __getattr__(name: str):
    # Imported on first use, so that `okrs check` loads neither the publishing code
    # nor (for `okrs rules`) the YAML readers.
    if name == "load_okrs":
        from .loader import load_okrs

        return load_okrs
    if name in ("PublicOkrs", "public_view"):
        from . import publish

        return getattr(publish, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
