"""The OKR core: load, validate and compute OKRs. Imports nothing from MkDocs.

Public API:

- :func:`load_okrs` — read an OKR root into an :class:`OkrSet` with every diagnostic.
- :mod:`.compute` — progress, expected progress, status and grade (pure functions).
- :func:`public_view` — the publishable view (private objectives removed).
"""

from .diagnostics import Diagnostic, Location, Severity
from .model import CheckIn, KeyResult, Objective, OkrSet, Org, Period, Settings, Unit
from .publish import PublicOkrs, public_view

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
    # load_okrs lives in .loader, which pulls in YAML; import it lazily.
    if name == "load_okrs":
        from .loader import load_okrs

        return load_okrs
    raise AttributeError(name)
