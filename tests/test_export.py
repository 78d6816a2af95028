"""The okrs.json export (mkdocs_okrs.core.export)."""

from __future__ import annotations

import datetime as dt
import json

from mkdocs_okrs.core.export import dumps, okrs_json
from mkdocs_okrs.core.model import CheckIn, KeyResult, Objective, OkrSet, Org, Unit
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


def _kr(kr_id, title, kind, start=None, target=None, current=None, unit=None, weight=1, done=None,
        progress=None, done_on=None, last_checkin=None, confidence=None, checkins=()):
    """A key result as okrs.json writes it, fields in the document's order."""
    return {"id": kr_id, "title": title, "kind": kind, "start": start, "target": target,
            "current": current, "unit": unit, "weight": weight, "done": done, "done_on": done_on,
            "progress": progress, "last_checkin": last_checkin, "confidence": confidence,
            "checkins": list(checkins)}


def test_the_document_has_the_contract_shape():
    # expected for 2026-Q4 at 2026-11-22: 53 of 92 days; the period runs: score and grade null
    # grow:    (2.0 - 1.5) / (2.5 - 1.5) = 0.5; aspirational: 0.5 - 0.7 * 53/92 = 0.0967 -> on-track
    # instant: p95 (450 - 800) / (200 - 800) = 0.58333 (weight 2), edge not done 0 (weight 1),
    #          budget unmeasured -> (0.58333 * 2 + 0) / 3 = 0.38888; committed:
    #          0.38888 - 53/92 = -0.18720 -> at-risk
    # leads:   milestone done 1.0, status overridden to done
    # No check-ins anywhere, and 2026-10-01 is 52 days before today: stale, except leads (done)
    common = {"score": None, "grade": None, "in_review": False, "last_checkin": None, "carried_from": None}
    assert doc() == {
        "schema_version": 2,
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
                "status": "on-track", **common, "stale": True,
                "key_results": [
                    _kr("kr1", "Revenue", "metric", 1.5, 2.5, 2.0, progress=0.5),
                ],
            },
            {
                "id": "2026-Q4/marketing/leads", "objective": "Objective 2026-Q4/marketing/leads",
                "owner": "marketing", "period": "2026-Q4", "parent": None, "parent_kr": None,
                "url": "okrs/2026-Q4/marketing/leads/", "commitment": "aspirational",
                "progress": 1.0, "expected": 53 / 92, "status": "done", **common, "stale": False,
                "parent_private": True,
                "key_results": [
                    _kr("kr2", "Every checkout page served from the edge", "milestone", done=True, progress=1.0),
                ],
            },
            {
                "id": "2026-Q4/platform/instant", "objective": "Objective 2026-Q4/platform/instant",
                "owner": "platform", "period": "2026-Q4", "parent": "2026-Q4/acme/grow", "parent_kr": "kr1",
                "url": "okrs/2026-Q4/platform/instant/", "commitment": "committed",
                "progress": (350 / 600 * 2 + 0) / 3, "expected": 53 / 92, "status": "at-risk",
                **common, "stale": True,
                "key_results": [
                    _kr("p95", "Cut checkout p95 latency", "metric", 800, 200, 450, "ms", 2, progress=350 / 600),
                    _kr("kr2", "Every checkout page served from the edge", "milestone", done=False, progress=0.0),
                    _kr("kr3", "Publish the latency budget", "none"),
                ],
            },
        ],
    }


def test_objective_fields_are_in_the_contract_order():
    [o, *_] = doc()["objectives"]
    assert list(o) == [
        "id", "objective", "owner", "period", "parent", "parent_kr", "url", "commitment", "progress",
        "expected", "status", "score", "grade", "in_review", "stale", "last_checkin", "carried_from",
        "key_results",
    ]
    assert list(o["key_results"][0]) == [
        "id", "title", "kind", "start", "target", "current", "unit", "weight", "done", "done_on",
        "progress", "last_checkin", "confidence", "checkins",
    ]


def test_a_past_period_is_closed_with_its_score_and_grade():
    # Q3 ended 2026-09-30. KR: 0 -> 10, check-ins 3 (08-01, confidence 0.5) and 6 (09-15),
    # then 9 on 10-10 during the review: score = progress on 09-30 = 6 / 10 = 0.6 -> yellow;
    # progress today (in review) = 9 / 10 = 0.9
    kr = KeyResult(id="kr1", index=0, title="Buyers", kind="metric", start=0, target=10, current=9,
                   checkins=(CheckIn(dt.date(2026, 8, 1), 3, 0.5, "first"), CheckIn(dt.date(2026, 9, 15), 6),
                             CheckIn(dt.date(2026, 10, 10), 9, None, "late orders")))
    o = obj("2026-Q3/acme/grow", period="2026-Q3", krs=[kr], review_until=dt.date(2026, 11, 30))
    okrs = OkrSet(root="okrs", org=ORG, objectives={o.id: o}, periods={}, today=TODAY)
    [out] = okrs_json(public_view(okrs), objective_url, unit_url)["objectives"]
    assert (out["status"], out["progress"], out["score"], out["grade"]) == ("closed", 0.9, 0.6, "yellow")
    assert (out["in_review"], out["stale"], out["last_checkin"], out["expected"]) == (True, False, "2026-10-10", 1.0)
    k = out["key_results"][0]
    assert (k["current"], k["last_checkin"], k["confidence"]) == (9, "2026-10-10", 0.5)
    assert k["checkins"] == [
        {"date": "2026-08-01", "value": 3, "confidence": 0.5, "note": "first"},
        {"date": "2026-09-15", "value": 6, "confidence": None, "note": None},
        {"date": "2026-10-10", "value": 9, "confidence": None, "note": "late orders"},
    ]


def test_carried_from_and_carried_from_private():
    q3_public = obj("2026-Q3/acme/public", period="2026-Q3")
    q3_secret = obj("2026-Q3/acme/secret", period="2026-Q3", visibility="private")
    a = obj("2026-Q4/acme/a", carried_from="2026-Q3/acme/public")
    b = obj("2026-Q4/acme/b", carried_from="2026-Q3/acme/secret")
    okrs = OkrSet(root="okrs", org=ORG, objectives={o.id: o for o in (q3_public, q3_secret, a, b)},
                  periods={}, today=TODAY)
    text = dumps(okrs_json(public_view(okrs), objective_url, unit_url))
    assert "secret" not in text
    out = {o["id"]: o for o in json.loads(text)["objectives"]}
    assert out["2026-Q4/acme/a"]["carried_from"] == "2026-Q3/acme/public"
    assert "carried_from_private" not in out["2026-Q4/acme/a"]
    assert out["2026-Q4/acme/b"]["carried_from"] is None
    assert out["2026-Q4/acme/b"]["carried_from_private"] is True
    assert list(out["2026-Q4/acme/b"])[-2:] == ["carried_from_private", "key_results"]


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
    """The contract's example objective file, loaded from disk, exported in the contract's shape."""
    from mkdocs_okrs.core import load_okrs
    from mkdocs_okrs.core.model import Settings

    monkeypatch.setenv("MKDOCS_OKRS_DEBUG", "1")
    root = tmp_path / "okrs"
    (root / "2026-Q4" / "platform").mkdir(parents=True)
    (root / "2026-Q4" / "company").mkdir(parents=True)
    (root / "2026-Q3" / "platform").mkdir(parents=True)
    krs = "key_results:\n  - {title: Online revenue, start: 1, target: 2}\n"
    (root / "2026-Q4" / "company" / "grow-online-sales.md").write_text(
        f"---\nobjective: Grow online sales\nowner: company\nperiod: 2026-Q4\n{krs}---\n", encoding="utf-8")
    (root / "2026-Q3" / "platform" / "fast-pages.md").write_text(
        f"---\nobjective: Fast pages\nowner: platform\nperiod: 2026-Q3\n{krs}---\n", encoding="utf-8")
    (root / "2026-Q4" / "platform" / "checkout.md").write_text(
        "---\n"
        "objective: Make checkout feel instant          # required: the qualitative goal\n"
        "owner: platform                                # required: a unit id from org.yml\n"
        "period: 2026-Q4                                # required\n"
        "parent: 2026-Q4/company/grow-online-sales      # optional: an objective id, or <id>#<kr-id>\n"
        "commitment: aspirational                       # optional: committed | aspirational (default)\n"
        "status: at-risk                                # optional override, see Status\n"
        "tags: [performance]                            # optional\n"
        "contributors: [design]                         # optional: other unit ids\n"
        "visibility: public                             # optional: public (default) | private\n"
        "review_until: 2027-03-31                       # optional: keep measuring after the period\n"
        "carried_from: 2026-Q3/platform/fast-pages      # optional: the objective this one continues\n"
        "retrospective: Edge caching paid off; ...     # optional: what was learned\n"
        "key_results:                                   # required: at least one\n"
        "  - id: p95                                    # optional: default kr1, kr2, ... by position\n"
        "    title: Cut checkout p95 latency            # required\n"
        "    start: 800                                 # metric KR: start and target\n"
        "    target: 200\n"
        "    current: 450                               # optional: default the last check-in's value, else start\n"
        "    unit: ms                                   # optional\n"
        "    weight: 2                                  # optional, > 0, default 1\n"
        "    checkins:                                  # optional, dates strictly ascending\n"
        "      - {date: 2026-10-15, value: 620, confidence: 0.6, note: Cache warmed}\n"
        "  - title: Every checkout page served from the edge\n"
        "    done: true                                 # milestone KR: done true/false, no start/target\n"
        "    done_on: 2026-11-02                        # optional: the day it was done\n"
        "  - Publish the latency budget                 # a bare string: a KR with no measure yet\n"
        "---\n"
        "Markdown body: why it matters, initiatives, links. Rendered on the objective page.\n",
        encoding="utf-8",
    )
    # 2026-11-05: 21 days after the check-in (not stale), 3 days after done_on
    okrs = load_okrs(root, Settings(today=dt.date(2026, 11, 5)), display_base=tmp_path)
    assert okrs.ok, [d.format_text() for d in okrs.diagnostics]
    text = dumps(okrs_json(public_view(okrs), objective_url, unit_url))
    d = json.loads(text)
    assert (d["schema_version"], d["today"]) == (2, "2026-11-05")
    o = next(o for o in d["objectives"] if o["id"] == "2026-Q4/platform/checkout")
    # p95: current 450 from the check-in's date on -> (450 - 800) / (200 - 800) = 0.58333, weight 2;
    # the milestone was done on 2026-11-02 -> 1; the bare string has no measure.
    # (0.58333 * 2 + 1) / 3 = 0.72222; expected (31 + 5) / 92; status: the override
    assert o == {
        "id": "2026-Q4/platform/checkout", "objective": "Make checkout feel instant", "owner": "platform",
        "period": "2026-Q4", "parent": "2026-Q4/company/grow-online-sales", "parent_kr": None,
        "url": "okrs/2026-Q4/platform/checkout/", "commitment": "aspirational",
        "progress": (350 / 600 * 2 + 1) / 3, "expected": 36 / 92, "status": "at-risk",
        "score": None, "grade": None, "in_review": False, "stale": False, "last_checkin": "2026-10-15",
        "carried_from": "2026-Q3/platform/fast-pages",
        "key_results": [
            _kr("p95", "Cut checkout p95 latency", "metric", 800, 200, 450, "ms", 2, progress=350 / 600,
                last_checkin="2026-10-15", confidence=0.6,
                checkins=[{"date": "2026-10-15", "value": 620, "confidence": 0.6, "note": "Cache warmed"}]),
            _kr("kr2", "Every checkout page served from the edge", "milestone", done=True,
                done_on="2026-11-02", progress=1.0),
            _kr("kr3", "Publish the latency budget", "none"),
        ],
    }
    assert '"start": 800, "target": 200, "current": 450, ' in text  # integers stay integers
    # Before done_on, the milestone is not done yet; the same file a day before it:
    okrs = load_okrs(root, Settings(today=dt.date(2026, 11, 1)), display_base=tmp_path)
    doc1 = okrs_json(public_view(okrs), objective_url, unit_url)
    o = next(o for o in doc1["objectives"] if o["id"] == "2026-Q4/platform/checkout")
    assert [k["progress"] for k in o["key_results"]] == [350 / 600, 0.0, None]
    # And once the period has ended: a score and its grade, the status override still stands
    okrs = load_okrs(root, Settings(today=dt.date(2027, 1, 10)), display_base=tmp_path)
    doc2 = okrs_json(public_view(okrs), objective_url, unit_url)
    o = next(o for o in doc2["objectives"] if o["id"] == "2026-Q4/platform/checkout")
    assert (o["score"], o["grade"], o["status"], o["in_review"]) == ((350 / 600 * 2 + 1) / 3, "green", "at-risk", True)
