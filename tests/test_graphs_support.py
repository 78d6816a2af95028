"""Shared helpers for the graph tests (and scripts/bench_graphs.py): OKR models built in memory,
renderer selection honouring OKRS_REQUIRE_RENDERERS. The tests at the end check the helpers."""

from __future__ import annotations

import datetime as dt
import os
import random

import pytest

from mkdocs_okrs.core.model import KeyResult, Objective, OkrSet, Org, Period, Unit
from mkdocs_okrs.core.periods import parse_period
from mkdocs_okrs.core.publish import PublicOkrs, public_view
from mkdocs_okrs.graphs.renderers import find_renderer

TODAY = dt.date(2026, 11, 15)
RENDERERS = ("dot", "graphviz-pure", "pygraphviz")

def period(pid: str) -> Period:
    """The calendar period ``pid`` (``2026``, ``2026-Q4``...)."""
    parsed = parse_period(pid)
    assert parsed is not None, pid
    return parsed


def objective(
    oid: str,
    owner: str,
    pid: str = "2026-Q4",
    *,
    parent: str | None = None,
    statement: str | None = None,
    krs: tuple[KeyResult, ...] | None = None,
    status: str | None = None,
    private: bool = False,
    commitment: str = "aspirational",
) -> Objective:
    """An objective; ``parent`` may be ``<id>#<kr>``. Default: one metric KR at 50%."""
    parent_id, _, parent_kr = (parent or "").partition("#")
    if krs is None:
        krs = (
            KeyResult(id="kr1", index=0, title="Cut checkout p95 latency", kind="metric", start=800, target=200, current=500),
            KeyResult(id="kr2", index=1, title="Every page from the edge", kind="milestone", done=False),
        )
    return Objective(
        id=oid,
        path=oid + ".md",
        objective=statement if statement is not None else f"Objective {oid}",
        owner=owner,
        period=period(pid),
        key_results=krs,
        parent=parent_id or None,
        parent_kr=parent_kr or None,
        commitment=commitment,  # type: ignore[arg-type]
        status_override=status,  # type: ignore[arg-type]
        visibility="private" if private else "public",
    )


def org(*units: tuple[str, str, str | None]) -> Org:
    """An org.yml-style organization from (id, name, parent) triples."""
    return Org({u[0]: Unit(u[0], u[1], u[2]) for u in units}, defined=True)


def view_of(objectives: list[Objective], the_org: Org | None = None, today: dt.date = TODAY) -> PublicOkrs:
    """The public view of these objectives."""
    if the_org is None:
        owners = sorted({o.owner for o in objectives})
        the_org = Org({u: Unit(u, u) for u in owners}, defined=False)
    okrs = OkrSet(
        root="okrs",
        org=the_org,
        objectives={o.id: o for o in sorted(objectives, key=lambda o: o.id)},
        periods={o.period.id: o.period for o in objectives},
        today=today,
    )
    return public_view(okrs)


def pages_for(view: PublicOkrs, directory_urls: bool = True, prefix: str = "okrs") -> dict[str, str]:
    """Page key -> site URL, in the layout the plugin uses."""

    def url(path: str) -> str:
        return f"{prefix}/{path}/" if directory_urls else f"{prefix}/{path}.html"

    pages = {f"objective:{oid}": url(f"objectives/{oid}") for oid in view.objectives}
    pages.update({f"period:{pid}": url(f"periods/{pid}") for pid in view.by_period})
    pages.update({f"unit:{uid}": url(f"units/{uid}") for uid in view.by_owner})
    return pages


def synthetic_view(
    count: int = 1000,
    seed: int = 1,
    quarters: tuple[str, ...] = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"),
    private_share: float = 0.02,
) -> PublicOkrs:
    """A realistic organization: a company, 8 departments, 6 teams each; ``count`` objectives
    spread over ``quarters``, each aligned to an objective of the unit above (a third to a KR);
    about ``private_share`` of them private."""
    rng = random.Random(seed)
    units = [("acme", "Acme Inc.", None)]
    depts = [f"dept{d}" for d in range(8)]
    units += [(d, f"Department {d[4:]}", "acme") for d in depts]
    teams = {d: [f"{d}-team{t}" for t in range(6)] for d in depts}
    units += [(t, f"Team {t}", d) for d in depts for t in teams[d]]
    words = "grow delight customers faster checkout reliable platform trusted brand every market quality".split()
    objectives: list[Objective] = []
    per_quarter = count // len(quarters)
    for qi, q in enumerate(quarters):
        n = per_quarter if qi < len(quarters) - 1 else count - per_quarter * (len(quarters) - 1)
        company = [f"{q}/acme/o{i}" for i in range(min(3, n))]
        dept_objs: dict[str, list[str]] = {}
        made = 0
        for oid in company:
            objectives.append(objective(oid, "acme", q, statement=" ".join(rng.choices(words, k=8)).capitalize()))
            made += 1
        plan = [(d, None) for d in depts] * 3 + [(t, d) for d in depts for t in teams[d]] * 5
        for owner, dept in plan:
            if made >= n:
                break
            parents = company if dept is None else dept_objs.get(dept) or company
            parent = rng.choice(parents)
            if rng.random() < 0.33:
                parent += f"#kr{rng.randint(1, 2)}"
            oid = f"{q}/{owner}/o{made}"
            objectives.append(
                objective(
                    oid, owner, q, parent=parent, statement=" ".join(rng.choices(words, k=rng.randint(4, 14))).capitalize(),
                    krs=(KeyResult(id="kr1", index=0, title="Raise the metric", kind="metric", start=0, target=100, current=rng.randint(0, 100)),
                         KeyResult(id="kr2", index=1, title="Ship it", kind="milestone", done=rng.random() < 0.5)),
                    private=rng.random() < private_share,
                )
            )
            if dept is None:
                dept_objs.setdefault(owner, []).append(oid)
            made += 1
    return view_of(objectives, org(*units))


def require(name: str) -> bool:
    """True when CI requires the renderer ``name`` (env OKRS_REQUIRE_RENDERERS=dot,graphviz-pure,...)."""
    wanted = os.environ.get("OKRS_REQUIRE_RENDERERS", "")
    return name in {w.strip() for w in wanted.split(",")}


def renderer_or_skip(name: str) -> str:
    """``name`` if installed; skip the test if not, fail if CI requires it."""
    if find_renderer(name) is None:
        if require(name):
            pytest.fail(f"renderer {name} is required (OKRS_REQUIRE_RENDERERS) but not installed")
        pytest.skip(f"renderer {name} is not installed")
    return name


# -- checks of the helpers themselves ------------------------------------------------


def test_synthetic_view_has_the_asked_size_and_alignment():
    view = synthetic_view(200, quarters=("2026-Q4",))
    total = 200
    private = total - len(view.objectives)
    assert 0 <= private < 20
    aligned = [o for o in view.objectives.values() if o.parent]
    assert len(aligned) > 150
    assert any(o.parent_kr for o in aligned)


def test_period_helper():
    assert period("2026-Q4").end == dt.date(2026, 12, 31)
    assert period("2026").days == 365


HOSTILE = (
    'Say "hello" and \'bye\'',
    "back\\slash \\ and a trailing backslash\\",
    "\\N \\G \\E \\T \\H \\L \\n \\l \\r \\\\N",
    "<b>bold</b> <i>x</i> <BR/> <TABLE>",
    "</text><script>alert(1)</script>",
    '"];n0 [URL="javascript:alert(1)" label="pwn',
    '> label=<<b>x</b>> URL="javascript:alert(1)" href="https://evil.example"',
    "line1\nline2\r\nline3\tend",
    "ctrl\x00\x01\x07\x1b[31m\x7f\x85 end",
    "A" * 5000,
    "שלום עולם \u202e evil \u202c مرحبا بالعالم",
    "&amp; &lt; &#60;script&#62; &#x3c; &nbsp; & alone",
    "%s %n {0} ${x} $(rm -rf /) `id`",
    '\\"];\\\\',
    "🚀 launch 👩‍💻 ünïcödé",
    "]]> <![CDATA[ x ]]> <!-- comment --> <?xml ?>",
    "onload=alert(1) style=x:expression(1)",
)


def small_view(statement_of: dict[str, str] | None = None, unit_names: dict[str, str] | None = None) -> PublicOkrs:
    """A small organization over two periods: a yearly company objective, quarterly
    objectives aligned down three levels (one to a KR), a private objective with a
    public child, a done and a dropped objective."""
    names = {"acme": "Acme Inc.", "web": "Web Platform", "perf": "Performance", "search": "Search"}
    names.update(unit_names or {})
    the_org = org(
        ("acme", names["acme"], None),
        ("web", names["web"], "acme"),
        ("perf", names["perf"], "web"),
        ("search", names["search"], "acme"),
    )
    text = {
        "2026/acme/trusted": "Be the most trusted outdoor shop online",
        "2026-Q4/acme/grow": "Grow online sales in the winter season",
        "2026-Q4/web/fast": "Make checkout feel instant",
        "2026-Q4/perf/edge": "Serve every page from the edge",
        "2026-Q4/search/find": "Shoppers find the right gear",
        "2026-Q4/search/secret": "A private objective",
        "2026-Q4/search/under-secret": "Aligned to a private objective",
        "2026-Q4/web/done": "Move the shop to the new platform",
    }
    text.update(statement_of or {})
    krs = (
        KeyResult(id="p95", index=0, title="Cut checkout p95 latency", kind="metric", start=800, target=200, current=450),
        KeyResult(id="kr2", index=1, title="Every checkout page served from the edge", kind="milestone", done=False),
    )
    objectives = [
        objective("2026/acme/trusted", "acme", "2026", statement=text["2026/acme/trusted"]),
        objective("2026-Q4/acme/grow", "acme", parent="2026/acme/trusted", statement=text["2026-Q4/acme/grow"], krs=krs),
        objective("2026-Q4/web/fast", "web", parent="2026-Q4/acme/grow#p95", statement=text["2026-Q4/web/fast"], status="at-risk"),
        objective("2026-Q4/perf/edge", "perf", parent="2026-Q4/web/fast", statement=text["2026-Q4/perf/edge"]),
        objective("2026-Q4/search/find", "search", parent="2026-Q4/acme/grow", statement=text["2026-Q4/search/find"], status="off-track"),
        objective("2026-Q4/search/secret", "search", parent="2026-Q4/acme/grow", statement=text["2026-Q4/search/secret"], private=True),
        objective("2026-Q4/search/under-secret", "search", parent="2026-Q4/search/secret", statement=text["2026-Q4/search/under-secret"]),
        objective("2026-Q4/web/done", "web", parent="2026-Q4/acme/grow", statement=text["2026-Q4/web/done"], status="done"),
    ]
    return view_of(objectives, the_org)
