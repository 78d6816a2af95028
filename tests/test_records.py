"""quick_init: the faster __init__ of the records loading builds keeps the dataclass's behaviour."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect

import pytest

from mkdocs_okrs.core.diagnostics import Location
from mkdocs_okrs.core.model import CheckIn, KeyResult, Objective, Period
from mkdocs_okrs.core.records import quick_init

RECORDS = (Location, CheckIn, KeyResult, Objective)


def _params(init) -> list[tuple[str, object]]:
    """(name, default) of each parameter after self; a default factory shows as 'factory'."""
    out = []
    for p in list(inspect.signature(init).parameters.values())[1:]:
        default = p.default
        if default is not inspect.Parameter.empty and type(default).__name__ in ("object", "_HAS_DEFAULT_FACTORY_CLASS"):
            default = "factory"
        out.append((p.name, default))
    return out


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_same_parameters_and_defaults_as_the_dataclass(cls):
    assert cls.__init__ is not cls._dataclass_init
    assert _params(cls.__init__) == _params(cls._dataclass_init)
    assert [name for name, _ in _params(cls.__init__)] == [f.name for f in dataclasses.fields(cls)]


def _built_by_dataclass(cls, *args, **kwargs):
    obj = object.__new__(cls)
    cls._dataclass_init(obj, *args, **kwargs)
    return obj


def test_records_equal_those_the_dataclass_init_builds():
    day = dt.date(2026, 10, 15)
    loc = Location("okrs/a.md", 3, 5)
    assert Location("okrs/a.md", 3, 5) == _built_by_dataclass(Location, "okrs/a.md", 3, 5)
    assert Location("p") == _built_by_dataclass(Location, "p") == Location(path="p", line=1, col=1)
    ci = CheckIn(day, 4, 0.5, "note", loc)
    assert ci == _built_by_dataclass(CheckIn, day, 4, 0.5, "note", loc)
    assert CheckIn(date=day) == _built_by_dataclass(CheckIn, date=day)
    kr = KeyResult("kr1", 0, "Title", "metric", start=1, target=2, checkins=(ci,), loc=loc)
    assert kr == _built_by_dataclass(KeyResult, "kr1", 0, "Title", "metric", start=1, target=2, checkins=(ci,), loc=loc)
    period = Period("2026-Q4", "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    obj = Objective("a", "a.md", "Obj", "team", period, (kr,), parent="p", tags=("x",), body="b")
    assert obj == _built_by_dataclass(Objective, "a", "a.md", "Obj", "team", period, (kr,), parent="p", tags=("x",), body="b")
    assert hash(loc) == hash(Location("okrs/a.md", 3, 5))
    assert repr(ci) == repr(_built_by_dataclass(CheckIn, day, 4, 0.5, "note", loc))


def test_records_stay_frozen_and_factories_give_fresh_values():
    loc = Location("p", 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.line = 2  # type: ignore[misc]
    a, b = KeyResult("kr1", 0, "T", "none"), KeyResult("kr1", 0, "T", "none")
    assert a.field_locs == {} and a.field_locs is not b.field_locs
    given = {"title": loc}
    assert KeyResult("kr1", 0, "T", "none", field_locs=given).field_locs is given
    assert dataclasses.replace(loc, line=9) == Location("p", 9, 1)


def test_missing_and_unknown_arguments_are_refused_like_any_call():
    with pytest.raises(TypeError):
        CheckIn()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Location("p", 1, 1, nope=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Location("p", line=1, path="q")  # type: ignore[misc]


def test_quick_init_refuses_classes_it_cannot_speed_up():
    @dataclasses.dataclass(slots=True)
    class NotFrozen:
        x: int

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        x: int

        def __post_init__(self):
            pass

    @dataclasses.dataclass(frozen=True, slots=True)
    class KeywordOnly:
        x: int = dataclasses.field(kw_only=True)

    for cls in (NotFrozen, NoSlots, PostInit, KeywordOnly):
        with pytest.raises(TypeError):
            quick_init(cls)
