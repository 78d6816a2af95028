#!/usr/bin/env python3
"""Generate a realistic synthetic organization's OKRs, for benchmarks and tests.

    python scripts/gen_org.py OUT_DIR --objectives 10000 [--seed 1] [--today 2026-11-15]

OUT_DIR becomes an OKR root: ``org.yml`` (one company, up to eight departments,
groups and teams below them) and one Markdown file per objective in
``<quarter>/<unit>/<slug>.md``. The output is deterministic for a seed and is
meant to pass ``okrs check --today <today>`` without any error or warning:

- every unit has at most 5 objectives per quarter; objectives have 3 to 5 key
  results (metrics going up or down, and milestones), at least two of them metrics;
- every objective but the company's is aligned to an objective of the nearest
  unit above it in the same quarter, sometimes to one of its key results
  (``parent: <id>#<kr-id>``); a few objectives are private, a few set ``id:``;
- objective statements hold no numbers, milestone titles start with no output
  verb (launch, ship, ...);
- running quarters have a check-in less than 21 days before ``today``; no
  check-in is dated after ``today``.

Importable: :func:`generate` returns a :class:`GenStats`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
DEFAULT_TODAY = dt.date(2026, 11, 15)
MAX_PER_QUARTER = 5  # the objective-count rule


@dataclass
class GenStats:
    """What :func:`generate` wrote."""

    objectives: int = 0
    key_results: int = 0
    checkins: int = 0
    units: int = 0
    private: int = 0
    aligned_to_kr: int = 0
    files: int = 0
    bytes: int = 0
    by_quarter: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------- vocabulary

COMPANY = ("acme", "Acme Inc.")
DEPARTMENTS = [
    ("engineering", "Engineering", ["Platform", "Payments", "Mobile", "Search", "Data", "Security", "Infrastructure", "Web"]),
    ("marketing", "Marketing", ["Growth", "Brand", "Content", "Events", "Lifecycle", "Partnerships"]),
    ("sales", "Sales", ["Enterprise", "Mid-Market", "Inside Sales", "Channel", "Solutions", "Renewals"]),
    ("product", "Product", ["Checkout", "Onboarding", "Insights", "Design", "Research", "Pricing"]),
    ("customer-success", "Customer Success", ["Support", "Onboarding Services", "Community", "Training", "Success"]),
    ("finance", "Finance", ["Billing", "Planning", "Procurement", "Tax", "Treasury"]),
    ("people", "People", ["Recruiting", "Learning", "Workplace", "Total Rewards", "Culture"]),
    ("operations", "Operations", ["Logistics", "Fulfilment", "Quality", "Vendor Management", "Facilities"]),
]
TEAM_NOUNS = ["Core", "Experience", "Tooling", "Reliability", "Automation", "Insights", "Foundations",
              "Studio", "Squad", "Guild", "Crew", "Lab", "Desk", "Works", "Hub", "Pod"]
FIRST_NAMES = ["Dana", "Alex", "Priya", "Jonas", "Mei", "Omar", "Lena", "Carlos", "Aisha", "Tomasz",
               "Yuki", "Sofia", "Kwame", "Ingrid", "Rafael", "Noor", "Elena", "Hiro", "Fatima", "Liam"]
LAST_NAMES = ["Reyes", "Okafor", "Lindqvist", "Nakamura", "Haddad", "Novak", "Schmidt", "Fernandes",
              "Kowalski", "Chen", "Mensah", "Rossi", "Dubois", "Patel", "Andersen", "Moreau"]

OBJECTIVE_TEMPLATES = [
    "Make {thing} feel effortless for {audience}",
    "Win the trust of {audience}",
    "Turn {thing} into a growth engine",
    "Delight {audience} with {thing}",
    "Become the obvious choice for {audience}",
    "Make {thing} rock solid",
    "Give {audience} a reason to come back every week",
    "Make {thing} fast enough that nobody notices it",
    "Offer {thing} that {audience} recommend",
    "Earn a reputation for {thing} done right",
    "Make {thing} simple to understand",
    "Grow a loyal community around {thing}",
]
THINGS = ["checkout", "onboarding", "the mobile app", "search", "billing", "the partner program",
          "support", "the data platform", "release engineering", "our pricing", "the help center",
          "account security", "the developer API", "order tracking", "reporting", "team hiring"]
AUDIENCES = ["small businesses", "enterprise buyers", "new customers", "developers", "our partners",
             "first-time visitors", "power users", "finance teams", "new hires", "every customer"]

# (title, unit, start range, relative change range, decimals); change < 0 is a decrease.
METRICS = [
    ("Raise weekly active users", "users", (2000, 60000), (0.15, 0.6), 0),
    ("Grow net revenue retention", "%", (92, 104), (0.04, 0.12), 1),
    ("Increase NPS", None, (12, 40), (0.2, 0.8), 0),
    ("Lift trial-to-paid conversion", "%", (4, 12), (0.15, 0.5), 1),
    ("Increase qualified leads per month", "leads", (150, 2500), (0.2, 0.7), 0),
    ("Grow monthly recurring revenue", "kEUR", (300, 5000), (0.08, 0.3), 0),
    ("Raise share of self-serve upgrades", "%", (15, 45), (0.1, 0.4), 1),
    ("Increase test coverage of critical paths", "%", (40, 70), (0.1, 0.3), 0),
    ("Cut checkout p95 latency", "ms", (400, 1500), (-0.6, -0.25), 0),
    ("Reduce monthly churn", "%", (2.0, 6.0), (-0.4, -0.15), 1),
    ("Lower cost per lead", "EUR", (40, 200), (-0.35, -0.1), 0),
    ("Bring first response time down", "h", (6, 30), (-0.7, -0.3), 1),
    ("Reduce open P1 incidents", "incidents", (8, 40), (-0.7, -0.3), 0),
    ("Cut time to hire", "days", (35, 80), (-0.4, -0.15), 0),
    ("Reduce infrastructure cost per order", "EUR", (0.5, 3.0), (-0.3, -0.1), 2),
    ("Shorten onboarding time", "days", (10, 45), (-0.6, -0.2), 0),
]
METRIC_IDS = ["wau", "nrr", "nps", "conversion", "leads", "mrr", "self-serve", "coverage", "p95",
              "churn", "cpl", "frt", "p1", "time-to-hire", "unit-cost", "onboarding"]
MILESTONES = [
    "Partner portal live in every EU market",
    "SOC 2 type II report signed off",
    "Every checkout page served from the edge",
    "Data retention policy approved by legal",
    "On-call rotation covers all services",
    "Single sign-on available on every plan",
    "Pricing page experiment concluded",
    "Quarterly business reviews held with top accounts",
    "Design system adopted by all product teams",
    "Disaster recovery drill passed",
    "Self-serve refunds available to every customer",
    "Career ladder published for every role",
]
TAGS = ["growth", "retention", "reliability", "efficiency", "security", "customer", "people",
        "quality", "revenue", "platform"]
NOTES = ["On track after the last release", "Blocked by a vendor: escalated",
         "Holiday season slowed us down", "Experiment results are in", "New dashboard confirms the trend",
         "Better than expected", "Needs a second iteration", "Measured from the new pipeline"]
INITIATIVES = ["Run weekly experiments on the funnel", "Pair with the data team on tracking",
               "Interview customers every sprint", "Automate the manual review steps",
               "Retire the legacy service", "Publish a playbook for the field teams"]


# --------------------------------------------------------------------------- helpers

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,'()/&.+-]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}


def _q(text: str) -> str:
    """A YAML scalar for ``text``: plain when unambiguous, else double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML11_WORDS and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _slug(text: str, words: int = 6) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:words]) or "x"


def _num(value: float, decimals: int) -> str:
    if decimals == 0:
        return str(int(round(value)))
    text = f"{value:.{decimals}f}"
    return text


def _quarter_bounds(period: str) -> tuple[dt.date, dt.date]:
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if not m:
        raise ValueError(f"not a quarter: {period!r}")
    year, q = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


@dataclass
class _Unit:
    id: str
    name: str
    parent: str | None
    depth: int
    lead: str


@dataclass
class _Obj:
    id: str
    unit: str
    quarter: str
    private: bool
    kr_ids: list[str]


# ------------------------------------------------------------------------------ org


def _make_units(rng: random.Random, count: int) -> list[_Unit]:
    """A unit tree of ``count`` units: company, departments, groups (for big orgs), teams."""
    def lead() -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    units = [_Unit(COMPANY[0], COMPANY[1], None, 0, lead())]
    used = {COMPANY[0]}

    def new_id(name: str) -> str:
        base = _slug(name, 4)
        uid, n = base, 2
        while uid in used:
            uid, n = f"{base}-{n}", n + 1
        used.add(uid)
        return uid

    n_depts = max(1, min(len(DEPARTMENTS), count - 1))
    depts = []
    for did, dname, _areas in DEPARTMENTS[:n_depts]:
        used.add(did)
        u = _Unit(did, dname, COMPANY[0], 1, lead())
        units.append(u)
        depts.append(u)
    remaining = count - 1 - n_depts
    if remaining <= 0:
        return units[:count]
    # Big organizations get a group level between departments and teams (~10 teams a group).
    n_groups = remaining // 11 if remaining >= 40 else 0
    groups: list[_Unit] = []
    areas = {d.id: list(DEPARTMENTS[i][2]) for i, d in enumerate(depts)}
    for i in range(n_groups):
        dept = depts[i % len(depts)]
        area_list = areas[dept.id]
        area = area_list[(i // len(depts)) % len(area_list)]
        round_no = i // (len(depts) * len(area_list))
        name = f"{dept.name} {area}" + (f" {round_no + 1}" if round_no else "")
        g = _Unit(new_id(name), name, dept.id, 2, lead())
        units.append(g)
        groups.append(g)
    parents = groups or depts
    for i in range(remaining - n_groups):
        parent = parents[i % len(parents)]
        dept_index = next(k for k, d in enumerate(depts) if d.id in (parent.id, parent.parent))
        area = rng.choice(DEPARTMENTS[dept_index][2])
        name = f"{area} {rng.choice(TEAM_NOUNS)}"
        units.append(_Unit(new_id(name), name, parent.id, parent.depth + 1, lead()))
    return units


def _org_yaml(units: list[_Unit]) -> str:
    lines = ["# Generated by scripts/gen_org.py: a synthetic organization.", "units:"]
    for u in units:
        lines.append(f"  - id: {u.id}")
        lines.append(f"    name: {_q(u.name)}")
        if u.parent:
            lines.append(f"    parent: {u.parent}")
        lines.append(f"    lead: {_q(u.lead)}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------ objectives


def _allocate(rng: random.Random, units: list[_Unit], total: int) -> dict[str, int]:
    """Objectives per unit for one quarter: sums to ``total`` (capped at 5 a unit)."""
    counts = {u.id: 0 for u in units}
    capacity = MAX_PER_QUARTER * len(units)
    total = min(total, capacity)
    order = list(units)  # top-down: upper units first so alignment targets exist
    # The company and departments first get a handful, then every unit gets one.
    for u in order:
        if total <= 0:
            break
        want = 3 if u.depth == 0 else (2 if u.depth == 1 else 1)
        give = min(want, total)
        counts[u.id] += give
        total -= give
    open_units = [u.id for u in order if counts[u.id] < MAX_PER_QUARTER]
    while total > 0 and open_units:
        k = rng.randrange(len(open_units))
        uid = open_units[k]
        counts[uid] += 1
        total -= 1
        if counts[uid] >= MAX_PER_QUARTER:
            open_units[k] = open_units[-1]
            open_units.pop()
    return counts


def _checkin_dates(rng: random.Random, start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """Check-in dates every two to four weeks, none after ``today`` or the period end.

    In the running period the last one is at most a week old (no stale-checkin).
    """
    last = min(end, today - dt.timedelta(days=1))
    dates = []
    d = start + dt.timedelta(days=rng.randint(7, 21))
    while d <= last:
        dates.append(d)
        d += dt.timedelta(days=rng.randint(14, 28))
    if start <= today <= end and (not dates or (today - dates[-1]).days > 7) and last >= start:
        recent = max(start, today - dt.timedelta(days=rng.randint(1, 7)))
        if dates and recent <= dates[-1]:
            recent = dates[-1]
        if not dates or recent > dates[-1]:
            dates.append(recent)
    return dates


def _metric_kr(rng: random.Random, idx: int, with_id: bool, dates: list[dt.date], period_share: float) -> tuple[list[str], str, int]:
    mi = rng.randrange(len(METRICS))
    title, unit, (lo, hi), (clo, chi), dec = METRICS[mi]
    start = rng.uniform(lo, hi)
    change = rng.uniform(clo, chi)
    target = start * (1 + change)
    start_s, target_s = _num(start, dec), _num(target, dec)
    if start_s == target_s:  # rounding made them equal: move the target one step
        step = 10 ** -dec
        target_s = _num(float(target_s) + (step if change > 0 else -step), dec)
    s, t = float(start_s), float(target_s)
    kr_id = METRIC_IDS[mi] if with_id else f"kr{idx + 1}"
    lines = []
    lines.append(f"  - id: {kr_id}" if with_id else f"  - title: {_q(title)}")
    if with_id:
        lines.append(f"    title: {_q(title)}")
    lines.append(f"    start: {start_s}")
    lines.append(f"    target: {target_s}")
    if unit:
        lines.append(f"    unit: {_q(unit)}")
    if rng.random() < 0.15:
        lines.append(f"    weight: {rng.choice([2, 3, 0.5])}")
    checkins = 0
    if dates:
        reach = period_share * rng.uniform(0.3, 1.3)
        lines.append("    checkins:")
        n = len(dates)
        for i, d in enumerate(dates):
            frac = reach * (i + 1) / n + rng.uniform(-0.05, 0.05)
            value = _num(s + (t - s) * frac, dec)
            parts = [f"date: {d.isoformat()}", f"value: {value}"]
            if rng.random() < 0.7:
                parts.append(f"confidence: {rng.randint(3, 9) / 10}")
            if rng.random() < 0.2:
                parts.append(f"note: {_q(rng.choice(NOTES))}")
            lines.append("      - {" + ", ".join(parts) + "}")
            checkins += 1
        if rng.random() < 0.1:
            lines.insert(-n - 1, f"    current: {_num(s + (t - s) * reach, dec)}")
    return lines, kr_id, checkins


def _milestone_kr(rng: random.Random, idx: int, done_share: float, dates: list[dt.date]) -> tuple[list[str], str, int]:
    title = rng.choice(MILESTONES)
    done = rng.random() < done_share
    lines = [f"  - title: {_q(title)}", f"    done: {'true' if done else 'false'}"]
    checkins = 0
    if dates and rng.random() < 0.3:
        lines.append("    checkins:")
        for d in dates[-2:]:
            lines.append(f"      - {{date: {d.isoformat()}, confidence: {rng.randint(4, 9) / 10}}}")
            checkins += 1
    return lines, f"kr{idx + 1}", checkins


def _body(rng: random.Random, thing: str, audience: str) -> str:
    paras = [
        f"Why it matters: {audience} tell us that {thing} is where they lose the most time. "
        "Fixing it frees them to do the work they came for, and it shows in renewals.",
    ]
    if rng.random() < 0.7:
        picks = rng.sample(INITIATIVES, 3)
        paras.append("## Initiatives\n\n" + "\n".join(f"- {p}" for p in picks))
    if rng.random() < 0.4:
        paras.append("See the [planning notes](https://example.com/planning) for the background.")
    return "\n\n".join(paras) + "\n"


def generate(
    root: Path,
    objectives: int,
    seed: int = 1,
    quarters: tuple[str, ...] = DEFAULT_QUARTERS,
    today: dt.date = DEFAULT_TODAY,
) -> GenStats:
    """Write an organization with ``objectives`` objectives into the OKR root ``root``.

    ``root`` is created; existing files with the same names are overwritten.
    Deterministic for (objectives, seed, quarters, today). Units scale with the
    size (about one per ten objectives, at least twelve) so that no unit needs
    more than five objectives a quarter.
    """
    if objectives < 1:
        raise ValueError("objectives must be at least 1")
    rng = random.Random(seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    stats = GenStats()

    per_quarter = [objectives // len(quarters) + (1 if i < objectives % len(quarters) else 0) for i in range(len(quarters))]
    n_units = max(12, math.ceil(max(per_quarter) / 2.5))
    units = _make_units(rng, n_units)
    by_id = {u.id: u for u in units}
    org_text = _org_yaml(units)
    (root / "org.yml").write_text(org_text, encoding="utf-8")
    stats.units = len(units)
    stats.files += 1
    stats.bytes += len(org_text.encode())
    children: dict[str, list[str]] = {}
    for u in units:
        if u.parent:
            children.setdefault(u.parent, []).append(u.id)

    seq = 0
    for qi, quarter in enumerate(quarters):
        q_start, q_end = _quarter_bounds(quarter)
        if today < q_start:
            share, done_share = 0.0, 0.0
        elif today > q_end:
            share, done_share = 1.0, 0.7
        else:
            share = ((today - q_start).days + 1) / ((q_end - q_start).days + 1)
            done_share = 0.25
        counts = _allocate(rng, units, per_quarter[qi])
        made: dict[str, list[_Obj]] = {}
        slugs: set[str] = set()
        for u in units:  # top-down order
            for _ in range(counts[u.id]):
                seq += 1
                thing, audience = rng.choice(THINGS), rng.choice(AUDIENCES)
                statement = rng.choice(OBJECTIVE_TEMPLATES).format(thing=thing, audience=audience)
                statement = statement[0].upper() + statement[1:]
                base = f"{quarter}/{u.id}/{_slug(statement)}"
                rel, n = base, 2
                while rel.casefold() in slugs:
                    rel, n = f"{base}-{n}", n + 1
                slugs.add(rel.casefold())
                explicit_id = rng.random() < 0.03
                oid = f"okr-{seed}-{seq:06d}" if explicit_id else rel
                private = u.depth > 0 and rng.random() < 0.03

                # Parent: an objective of the nearest unit above that has one this quarter.
                parent_line = None
                anc = u.parent
                while anc is not None and not made.get(anc):
                    anc = by_id[anc].parent
                if anc is not None:
                    pobj = rng.choice(made[anc])
                    if rng.random() < 0.25:
                        parent_line = f"{pobj.id}#{rng.choice(pobj.kr_ids)}"
                        stats.aligned_to_kr += 1
                    else:
                        parent_line = pobj.id

                dates = _checkin_dates(rng, q_start, q_end, today)
                n_krs = rng.randint(3, 5)
                n_milestones = rng.randint(0, n_krs - 2)
                kinds = ["metric"] * (n_krs - n_milestones) + ["milestone"] * n_milestones
                rng.shuffle(kinds)
                kr_lines: list[str] = []
                kr_ids: list[str] = []
                used_ids: set[str] = set()
                for idx, kind in enumerate(kinds):
                    if kind == "metric":
                        with_id = rng.random() < 0.2
                        lines, kid, ci = _metric_kr(rng, idx, with_id, dates, share)
                        if kid in used_ids:  # the same metric twice: the second keeps its default id
                            lines, kid, ci = _metric_kr(rng, idx, False, dates, share)
                    else:
                        lines, kid, ci = _milestone_kr(rng, idx, done_share, dates)
                    used_ids.add(kid)
                    kr_ids.append(kid)
                    kr_lines += lines
                    stats.checkins += ci
                stats.key_results += len(kinds)

                fm = ["---"]
                if explicit_id:
                    fm.append(f"id: {oid}")
                fm.append(f"objective: {_q(statement)}")
                fm.append(f"owner: {u.id}")
                fm.append(f"period: {quarter}")
                if parent_line:
                    fm.append(f"parent: {parent_line}")
                if rng.random() < 0.25:
                    fm.append("commitment: committed")
                if today > q_end and rng.random() < 0.02:
                    fm.append("status: done")
                elif rng.random() < 0.01:
                    fm.append("status: dropped")
                if rng.random() < 0.6:
                    tags = sorted(rng.sample(TAGS, rng.randint(1, 2)))
                    fm.append(f"tags: [{', '.join(tags)}]")
                sibs = [s for s in children.get(u.parent or "", []) if s != u.id]
                if sibs and rng.random() < 0.15:
                    fm.append(f"contributors: [{rng.choice(sibs)}]")
                if private:
                    fm.append("visibility: private")
                    stats.private += 1
                fm.append("key_results:")
                fm += kr_lines
                fm.append("---")
                text = "\n".join(fm) + "\n" + _body(rng, thing, audience)

                path = root / (rel + ".md")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                stats.files += 1
                stats.bytes += len(text.encode())
                stats.objectives += 1
                stats.by_quarter[quarter] = stats.by_quarter.get(quarter, 0) + 1
                made.setdefault(u.id, []).append(_Obj(oid, u.id, quarter, private, kr_ids))
    return stats


# ------------------------------------------------------------------------- shapes

SHAPES = ("wide", "deep", "deep-wide")
SHAPE_QUARTER = "2026-Q4"
# Statuses at DEFAULT_TODAY (half of 2026-Q4 gone, aspirational bar 0.7: expected 0.35),
# by the share of the way to the target the check-ins reach: a mix like a real period's.
_SHAPE_REACH = (0.45, 0.5, 0.4, 0.6, 0.3, 0.55, 0.15, 0.2, 0.12, 0.05)  # 6 on track, 3 at risk, 1 off track


def _shape_objective(oid: str, statement: str, owner: str, parent: str | None, seq: int,
                     quarter: str, today: dt.date) -> str:
    """A warning-free objective file: three metric KRs with a recent check-in."""
    q_start, _ = _quarter_bounds(quarter)
    reach = _SHAPE_REACH[seq % len(_SHAPE_REACH)]
    checkin = max(q_start, today - dt.timedelta(days=3)).isoformat()
    lines = ["---", f"id: {oid}", f"objective: {_q(statement)}", f"owner: {owner}", f"period: {quarter}"]
    if parent:
        lines.append(f"parent: {parent}")
    lines.append("key_results:")
    for k, (title, unit) in enumerate((("Raise weekly active usage", "%"), ("Cut the median wait", "min"),
                                       ("Lift the satisfaction score", "points"))):
        start, target = (10, 90) if k != 1 else (60, 20)
        value = start + (target - start) * reach
        lines += [f"  - title: {title}", f"    start: {start}", f"    target: {target}", f"    unit: {_q(unit)}",
                  "    checkins:", f"      - {{date: {checkin}, value: {value:g}, confidence: 0.7}}"]
    lines.append("---")
    return "\n".join(lines) + "\nA generated objective of a pathological alignment shape.\n"


def _words(n: int) -> str:
    """``n`` (from 1) as letters, A, B, ..., Z, AA, AB ... (statements hold no numbers:
    the objective-numeric rule)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = letters[r] + out
    return out.upper()


def generate_shape(
    root: Path,
    shape: str,
    *,
    children: int = 2000,
    depth: int = 500,
    per_unit: int = MAX_PER_QUARTER,
    quarter: str = SHAPE_QUARTER,
    today: dt.date = DEFAULT_TODAY,
) -> GenStats:
    """Write a pathological alignment shape into the OKR root ``root`` (one quarter):

    - ``wide``: one company objective ``<quarter>/acme/north-star`` with ``children``
      objectives aligned to it (``<quarter>/teams/c0001`` ...);
    - ``deep``: a chain of ``depth`` objectives ``<quarter>/chain/d0001`` (the root)
      <- ``d0002`` <- ... each the parent of the next;
    - ``deep-wide``: a chain of ``depth`` objectives, each with ``children`` leaf
      objectives aligned to it (``<quarter>/teams/d0001-c01`` ...).

    Units: the company ``acme`` (owner of the top objective) and flat teams below
    it, each owning ``per_unit`` consecutive objectives (5: no objective-count
    warning). The result passes ``okrs check --today <today>`` cleanly.
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    stats = GenStats()
    files: list[tuple[str, str, str | None]] = []  # (id, statement, parent); owners assigned below
    if shape == "wide":
        top = f"{quarter}/acme/north-star"
        files.append((top, "Become the company everyone recommends", None))
        files += [(f"{quarter}/teams/c{i:04d}", f"Help the company goal along, team part {_words(i)}", top)
                  for i in range(1, children + 1)]
    else:
        parent = None
        for d in range(1, depth + 1):
            oid = f"{quarter}/chain/d{d:04d}"
            files.append((oid, f"Carry the goal one level further, level {_words(d)}", parent))
            if shape == "deep-wide":
                files += [(f"{quarter}/teams/d{d:04d}-c{c:02d}", f"Support level {_words(d)}, part {_words(c)}", oid)
                          for c in range(1, children + 1)]
            parent = oid
    units = ["acme"]
    owners: dict[str, str] = {}
    owned = per_unit  # objectives of the last team so far
    for oid, _, parent in files:
        if parent is None:
            owners[oid] = "acme"
            continue
        if owned >= per_unit:
            units.append(f"team-{len(units):04d}")
            owned = 0
        owners[oid] = units[-1]
        owned += 1
    org = ["units:", "  - id: acme", "    name: Acme Inc."]
    for u in units[1:]:
        org += [f"  - id: {u}", f"    name: Team {u[5:]}", "    parent: acme"]
    org_text = "\n".join(org) + "\n"
    (root / "org.yml").write_text(org_text, encoding="utf-8")
    stats.units, stats.files, stats.bytes = len(units), 1, len(org_text.encode())
    for seq, (oid, statement, parent) in enumerate(files):
        text = _shape_objective(oid, statement, owners[oid], parent, seq, quarter, today)
        path = root / (oid + ".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        stats.files += 1
        stats.bytes += len(text.encode())
        stats.objectives += 1
        stats.key_results += 3
        stats.checkins += 3
    stats.by_quarter[quarter] = stats.objectives
    return stats


# ------------------------------------------------------------------------------ CLI


def main(argv: list[str] | None = None) -> int:
    """``python scripts/gen_org.py OUT_DIR --objectives N``."""
    parser = argparse.ArgumentParser(description="Generate a synthetic organization's OKRs.")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="the OKR root to create (must be empty or new)")
    parser.add_argument("--objectives", "-n", type=int, default=1000, help="number of objectives (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--quarters", default=",".join(DEFAULT_QUARTERS), help="comma-separated quarters")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY,
                        help=f"the date check-ins lead up to (default {DEFAULT_TODAY})")
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        parser.error(f"{out} exists and is not an empty folder")
    if args.objectives < 1:
        parser.error("--objectives must be at least 1")
    quarters = tuple(q.strip() for q in args.quarters.split(",") if q.strip())
    try:
        stats = generate(out, args.objectives, args.seed, quarters, args.today)
    except ValueError as exc:
        parser.error(str(exc))
    print(
        f"wrote {stats.objectives} objectives ({stats.key_results} key results, {stats.checkins} check-ins, "
        f"{stats.private} private) for {stats.units} units in {stats.files} files, "
        f"{stats.bytes / 1e6:.1f} MB, to {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
