"""The okrs.json export (mkdocs_okrs.core.export)."""

from __future__ import annotations

import datetime as dt
import json

from mkdocs_okrs.core.export import dumps, okrs_json
from mkdocs_okrs.core.model import KeyResult, Objective, OkrSet, Org, Unit
from mkdocs_okrs.core.periods import parse_period
from mkdocs_okrs.core.publish import public_view

TODAY = dt.date(2026, 11, 22)
ORG = Org(
    units={
        "marketing": Unit("marketing", "Marketing", parent="acme", lead="Dana Reyes"),
        "acme": Unit("acme", "Acme Inc."),
        "platform": Unit("platform", "Platform", parent="acme"),
    },
    defined=True,
    path="okrs/org.yml",
)


def objective_url(oid: str) -> str:
    return f"okrs/{oid}/"


def unit_url(uid: str) -> str:
    return f"units/{uid}/"


def p95(current=450) -> KeyResult:
    return KeyResult(id="p95", index=0, title="Cut checkout p95 latency", kind="metric",
                     start=800, target=200, current=current, unit="ms", weight=2)


def edge(done=False) -> KeyResult:
    return KeyResult(id="kr2", index=1, title="Every checkout page served from the edge",
                     kind="milestone", done=done)


def budget() -> KeyResult:
    return KeyResult(id="kr3", index=2, title="Publish the latency budget", kind="none")


def obj(oid, owner="acme", period="2026-Q4", krs=None, **kw) -> Objective:
    return Objective(id=oid, path=f"{oid}.md", objective=f"Objective {oid}", owner=owner,
                     period=parse_period(period), key_results=tuple(krs or (p95(),)), **kw)


def sample(reverse: bool = False, org: Org = ORG) -> OkrSet:
    objectives = [
        obj("2026-Q4/acme/grow", krs=[KeyResult(id="kr1", index=0, title="Revenue", kind="metric",
                                                 start=1.5, target=2.5, current=2.0)]),
        obj("2026-Q4/acme/secret", visibility="private",
            krs=[KeyResult(id="kr1", index=0, title="Secret merger talks", kind="none")]),
        obj("2026-Q4/platform/instant", owner="platform", parent="2026-Q4/acme/grow", parent_kr="kr1",
            commitment="committed", krs=[p95(), edge(), budget()]),
        obj("2026-Q4/marketing/leads", owner="marketing", parent="2026-Q4/acme/secret",
            parent_kr="kr1", status_override="done", krs=[edge(done=True)]),
        obj("2026-Q1/acme/only-private", owner="ghost", period="2026-Q1", visibility="private"),
    ]
    if reverse:
        objectives.reverse()
    return OkrSet(root="okrs", org=org, objectives={o.id: o for o in objectives},
                  periods={o.period.id: o.period for o in objectives}, today=TODAY)


def doc(**kw) -> dict:
    return okrs_json(public_view(sample(**kw)), objective_url, unit_url)


def test_the_document_has_the_contract_shape():
    # expected for 2026-Q4 at 2026-11-22: 53 of 92 days
    # grow:    (2.0 - 1.5) / (2.5 - 1.5) = 0.5; aspirational: 0.5 - 0.7 * 53/92 = 0.0967 -> on-track
    # instant: p95 (450 - 800) / (200 - 800) = 0.58333 (weight 2), edge not done 0 (weight 1),
    #          budget unmeasured -> (0.58333 * 2 + 0) / 3 = 0.38888; committed:
    #          0.38888 - 53/92 = -0.18720 -> at-risk; grade red (< 0.4)
    # leads:   milestone done 1.0, status overridden to done
    assert doc() == {
        "schema_version": 1,
        "today": "2026-11-22",
        "periods": [{"id": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31"}],
        "units": [
            {"id": "acme", "name": "Acme Inc.", "parent": None, "url": "units/acme/"},
            {"id": "marketing", "name": "Marketing", "parent": "acme", "url": "units/marketing/",
             "lead": "Dana Reyes"},
            {"id": "platform", "name": "Platform", "parent": "acme", "url": "units/platform/"},
        ],
        "objectives": [
            {
                "id": "2026-Q4/acme/grow", "objective": "Objective 2026-Q4/acme/grow", "owner": "acme",
                "period": "2026-Q4", "parent": None, "parent_kr": None, "url": "okrs/2026-Q4/acme/grow/",
                "commitment": "aspirational", "progress": 0.5, "expected": 53 / 92,
                "status": "on-track", "grade": "yellow",
                "key_results": [
                    {"id": "kr1", "title": "Revenue", "kind": "metric", "start": 1.5, "target": 2.5,
                     "current": 2, "unit": None, "weight": 1, "done": None, "progress": 0.5},
                ],
            },
            {
                "id": "2026-Q4/marketing/leads", "objective": "Objective 2026-Q4/marketing/leads",
                "owner": "marketing", "period": "2026-Q4", "parent": None, "parent_kr": None,
                "url": "okrs/2026-Q4/marketing/leads/", "commitment": "aspirational",
                "progress": 1.0, "expected": 53 / 92, "status": "done", "grade": "green",
                "parent_private": True,
                "key_results": [
                    {"id": "kr2", "title": "Every checkout page served from the edge", "kind": "milestone",
                     "start": None, "target": None, "current": None, "unit": None, "weight": 1,
                     "done": True, "progress": 1.0},
                ],
            },
            {
                "id": "2026-Q4/platform/instant", "objective": "Objective 2026-Q4/platform/instant",
                "owner": "platform", "period": "2026-Q4", "parent": "2026-Q4/acme/grow", "parent_kr": "kr1",
                "url": "okrs/2026-Q4/platform/instant/", "commitment": "committed",
                "progress": (350 / 600 * 2 + 0) / 3, "expected": 53 / 92, "status": "at-risk", "grade": "red",
                "key_results": [
                    {"id": "p95", "title": "Cut checkout p95 latency", "kind": "metric", "start": 800,
                     "target": 200, "current": 450, "unit": "ms", "weight": 2, "done": None,
                     "progress": 350 / 600},
                    {"id": "kr2", "title": "Every checkout page served from the edge", "kind": "milestone",
                     "start": None, "target": None, "current": None, "unit": None, "weight": 1,
                     "done": False, "progress": 0.0},
                    {"id": "kr3", "title": "Publish the latency budget", "kind": "none", "start": None,
                     "target": None, "current": None, "unit": None, "weight": 1, "done": None,
                     "progress": None},
                ],
            },
        ],
    }


def test_private_objectives_are_absent_from_the_text():
    text = dumps(doc())
    for leak in ("secret", "Secret merger", "only-private", "2026-Q1"):
        assert leak not in text


def test_parent_private_only_where_the_parent_is_private():
    flagged = {o["id"]: o.get("parent_private") for o in doc()["objectives"]}
    assert flagged == {"2026-Q4/acme/grow": None, "2026-Q4/marketing/leads": True,
                       "2026-Q4/platform/instant": None}


def test_numbers_keep_the_type_of_the_source():
    text = dumps(doc())
    # ints stay ints (p95 was built with start=800, target=200, current=450, weight=2) ...
    assert '"start": 800,' in text and '"target": 200,' in text and '"current": 450,' in text
    assert '"weight": 2,' in text
    # ... and floats stay floats (Revenue: start=1.5, current=2.0; the model's default weight 1.0)
    assert '"start": 1.5,' in text and '"current": 2.0,' in text and '"weight": 1.0,' in text
    assert '"progress": 0.5,' in text and '"progress": 1.0' in text and '"progress": null' in text


def test_dumps_is_deterministic_and_round_trips():
    first = dumps(doc())
    assert first == dumps(doc())
    assert first == dumps(doc(reverse=True))  # insertion order of the sources does not matter
    assert first.endswith("}\n") and not first.endswith("\n\n")
    assert json.loads(first) == doc()


def test_non_ascii_text_is_written_as_is():
    o = obj("2026-Q4/acme/élan", krs=[KeyResult(id="kr1", index=0, title="Zufriedenheit ≥ 90 % 🚀",
                                                  kind="none")])
    okrs = OkrSet(root="okrs", org=ORG, objectives={o.id: o}, periods={}, today=TODAY)
    text = dumps(okrs_json(public_view(okrs), objective_url, unit_url))
    assert "Zufriedenheit ≥ 90 % 🚀" in text and "2026-Q4/acme/élan" in text
    assert json.loads(text)["objectives"][0]["key_results"][0]["title"] == "Zufriedenheit ≥ 90 % 🚀"


def test_period_urls_when_asked():
    d = okrs_json(public_view(sample()), objective_url, unit_url, period_url=lambda p: f"periods/{p}/")
    assert d["periods"] == [{"id": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31",
                             "url": "periods/2026-Q4/"}]


def test_without_org_yml_units_are_the_owners_of_public_objectives():
    # Without org.yml each owner is a unit; "ghost" owns only a private objective.
    implied = Org(units={u: Unit(u, u) for u in ("acme", "ghost", "marketing", "platform")}, defined=False)
    d = doc(org=implied)
    assert [u["id"] for u in d["units"]] == ["acme", "marketing", "platform"]
    assert d["units"][0] == {"id": "acme", "name": "acme", "parent": None, "url": "units/acme/"}
    assert "ghost" not in dumps(d)


def test_non_finite_numbers_become_null():
    weird = KeyResult(id="kr1", index=0, title="t", kind="metric", start=0, target=float("inf"),
                      current=float("nan"))
    o = obj("o", krs=[weird])
    okrs = OkrSet(root="okrs", org=ORG, objectives={o.id: o}, periods={}, today=TODAY)
    d = okrs_json(public_view(okrs), objective_url, unit_url)
    kr = d["objectives"][0]["key_results"][0]
    assert (kr["target"], kr["current"]) == (None, None)
    assert json.loads(dumps(d)) == json.loads(dumps(d))


def test_export_of_a_real_file_matches_the_contract_example(tmp_path, monkeypatch):
    """The contract's example objective, loaded from disk, exported as the contract shows."""
    from mkdocs_okrs.core import load_okrs
    from mkdocs_okrs.core.model import Settings

    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")
    root = tmp_path / "okrs"
    (root / "2026-Q4" / "platform").mkdir(parents=True)
    (root / "org.yml").write_text(
        "units:\n  - id: acme\n    name: Acme Inc.\n  - id: platform\n    name: Platform\n"
        "    parent: acme\n    lead: Dana Reyes\n",
        encoding="utf-8",
    )
    (root / "2026-Q4" / "platform" / "instant.md").write_text(
        "---\n"
        "objective: Make checkout feel instant\n"
        "owner: platform\n"
        "period: 2026-Q4\n"
        "key_results:\n"
        "  - id: p95\n"
        "    title: Cut checkout p95 latency\n"
        "    start: 800\n"
        "    target: 200\n"
        "    current: 450\n"
        "    unit: ms\n"
        "    checkins:\n"
        "      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}\n"
        "  - title: Conversion rate\n"
        "    start: 2.5\n"
        "    target: 3.0\n"
        "    weight: 0.5\n"
        "  - title: Every checkout page served from the edge\n"
        "    done: true\n"
        "  - Publish the latency budget\n"
        "---\nWhy it matters.\n",
        encoding="utf-8",
    )
    okrs = load_okrs(root, Settings(today=TODAY), display_base=tmp_path)
    assert okrs.ok
    text = dumps(okrs_json(public_view(okrs), objective_url, unit_url))
    d = json.loads(text)
    assert d["units"] == [
        {"id": "acme", "name": "Acme Inc.", "parent": None, "url": "units/acme/"},
        {"id": "platform", "name": "Platform", "parent": "acme", "url": "units/platform/", "lead": "Dana Reyes"},
    ]
    [o] = d["objectives"]
    assert o["id"] == "2026-Q4/platform/instant" and o["url"] == "okrs/2026-Q4/platform/instant/"
    assert '"start": 800, ' in text and '"target": 200, ' in text and '"current": 450, ' in text
    assert '"start": 2.5, ' in text and '"target": 3.0, ' in text and '"weight": 0.5, ' in text
    krs = o["key_results"]
    assert [k["id"] for k in krs] == ["p95", "kr2", "kr3", "kr4"]
    assert [k["kind"] for k in krs] == ["metric", "metric", "milestone", "none"]
    assert krs[0]["weight"] == 1 and isinstance(krs[0]["weight"], int)
    # p95: (450 - 800) / (200 - 800) = 0.58333; conversion at start: 0; milestone done: 1; none: null
    # objective: (0.58333 * 1 + 0 * 0.5 + 1 * 1) / 2.5 = 1.58333 / 2.5 = 0.63333
    assert [k["progress"] for k in krs] == [350 / 600, 0.0, 1.0, None]
    assert o["progress"] == (350 / 600 + 1.0) / 2.5
    assert o["expected"] == 53 / 92 and o["grade"] == "yellow"
