"""The OKR domain model: plain, immutable data loaded from the sources.

Loading (:mod:`.loader`) builds these; validation (:mod:`.validate`) checks the
links between them; :mod:`.compute` derives progress and status; the plugin and
the command line only read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Mapping

from .diagnostics import Diagnostic, Location

KrKind = Literal["metric", "milestone", "none"]
Commitment = Literal["committed", "aspirational"]
Visibility = Literal["public", "private"]
Status = Literal["on-track", "at-risk", "off-track", "not-measured", "done", "dropped", "closed"]
Grade = Literal["red", "yellow", "green"]

STATUS_OVERRIDES: tuple[str, ...] = ("on-track", "at-risk", "off-track", "done", "dropped")
COMMITMENTS: tuple[str, ...] = ("committed", "aspirational")
VISIBILITIES: tuple[str, ...] = ("public", "private")


@dataclass(frozen=True, slots=True)
class Period:
    """A planning period: ``2026``, ``2026-H1``, ``2026-Q4`` or ``2026-03``.

    ``start`` and ``end`` are both inclusive. ``kind`` is year, half, quarter or month.
    """

    id: str
    kind: Literal["year", "half", "quarter", "month"]
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` lies in the period."""
        return self.start <= day <= self.end

    def within(self, other: "Period") -> bool:
        """True when this period lies entirely inside ``other``."""
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of the organization (from org.yml, or implied by an owner without org.yml)."""

    id: str
    name: str
    parent: str | None = None
    lead: str | None = None
    description: str | None = None
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class Org:
    """The organization's units. ``defined`` is False when there is no org.yml."""

    units: Mapping[str, Unit]
    defined: bool
    path: str | None = None

    def children(self, unit_id: str) -> list[Unit]:
        """Direct sub-units of ``unit_id``, sorted by id."""
        return sorted((u for u in self.units.values() if u.parent == unit_id), key=lambda u: u.id)

    def ancestors(self, unit_id: str) -> list[Unit]:
        """Parent, grandparent, ... of ``unit_id`` (stops on unknown ids and cycles)."""
        out: list[Unit] = []
        seen = {unit_id}
        cur = self.units.get(unit_id)
        while cur is not None and cur.parent and cur.parent not in seen:
            seen.add(cur.parent)
            cur = self.units.get(cur.parent)
            if cur is not None:
                out.append(cur)
        return out

    def top_units(self) -> list[Unit]:
        """Units with no parent, sorted by id."""
        return sorted((u for u in self.units.values() if not u.parent), key=lambda u: u.id)


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One measurement of a key result."""

    date: dt.date
    value: float | None = None  # required for metric KRs; milestone check-ins may omit it
    confidence: float | None = None
    note: str | None = None
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class KeyResult:
    """A key result. ``kind`` is ``metric`` (start/target), ``milestone`` (done) or ``none``.

    ``current`` is the explicit ``current:``, else the last check-in's value, else
    ``start`` (metric KRs only). ``current_explicit`` tells which. It is the value
    the file states; the value on a given day is :func:`.compute.value_on`.
    ``measure_invalid`` is True when the file gives a measure (start, target or
    done) with an error, which the loader reported; ``kind`` is then ``none``.
    ``done_on`` is the day a milestone was done (milestones with ``done: true`` only).
    """

    id: str
    index: int  # 0-based position in key_results
    title: str
    kind: KrKind
    start: float | None = None
    target: float | None = None
    current: float | None = None
    current_explicit: bool = False
    unit: str | None = None
    weight: float = 1.0
    done: bool | None = None
    checkins: tuple[CheckIn, ...] = ()
    loc: Location | None = None
    field_locs: Mapping[str, Location] = field(default_factory=dict)
    measure_invalid: bool = False
    done_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """One objective file.

    ``parent`` is the parent objective id (without ``#kr``); ``parent_kr`` the KR id
    after ``#`` when the objective aligns to a specific key result.
    ``field_locs`` maps front-matter keys to their location (for diagnostics).
    ``key_results_written`` is the number of items in the file's ``key_results``,
    including those left out for errors (None: as many as ``key_results``).
    ``carried_from`` is the id of the objective this one continues (from an
    earlier period); ``retrospective`` what was learned (free text).
    """

    id: str
    path: str  # path relative to the OKR root, with '/' separators
    objective: str
    owner: str
    period: Period
    key_results: tuple[KeyResult, ...]
    parent: str | None = None
    parent_kr: str | None = None
    commitment: Commitment = "aspirational"
    status_override: Status | None = None
    tags: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    visibility: Visibility = "public"
    review_until: dt.date | None = None
    body: str = ""
    body_line: int = 1  # 1-based line of the body's first line in the file
    loc: Location | None = None  # the file itself (line 1)
    field_locs: Mapping[str, Location] = field(default_factory=dict)
    key_results_written: int | None = None
    carried_from: str | None = None
    retrospective: str | None = None

    @property
    def private(self) -> bool:
        """True for ``visibility: private``."""
        return self.visibility == "private"

    def kr(self, kr_id: str) -> KeyResult | None:
        """The key result with ``kr_id``, or None."""
        for kr in self.key_results:
            if kr.id == kr_id:
                return kr
        return None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a check or build is configured with (plugin options / mkdocs.yml).

    ``today`` None means: ``SOURCE_DATE_EPOCH`` if set, else the machine's date
    (resolved by :func:`mkdocs_okrs.core.config.resolve_today`).
    """

    okrs_dir: str = "okrs"
    org_file: str | None = None  # None: <okrs_dir>/org.yml when it exists
    today: dt.date | None = None
    fiscal_year_start: int = 1
    rules: Mapping[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class OkrSet:
    """Everything loaded from one OKR root, after validation.

    ``objectives`` holds every objective that loaded well enough to be used, keyed
    by id, in id order. ``diagnostics`` holds every problem found, already
    sorted and with the rule severities applied.
    """

    root: str
    org: Org
    objectives: dict[str, Objective]
    periods: dict[str, Period]
    today: dt.date
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source_files: int = 0  # files read: every objective file listed below the root, plus org.yml

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(d.severity.value == "error" for d in self.diagnostics)
