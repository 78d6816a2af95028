"""Cross-file checks on loaded objectives: references, parent cycles and quality rules.

The loader reports everything that can be seen in one file (syntax, fields,
types, ids). :func:`validate` runs afterwards on the objectives that loaded and
reports what needs several files or the organization to see:

Errors
    ``owner-unknown``, ``contributor-unknown`` (only with an org.yml),
    ``parent-unknown``, ``parent-kr-unknown``, ``parent-cycle``,
    ``carried-from-unknown``, ``carried-from-period``, ``date-future``.
Warnings (quality rules)
    ``kr-no-measure``, ``kr-count``, ``objective-count``, ``kr-output``,
    ``kr-activity``, ``objective-numeric``, ``period-outside-parent``,
    ``orphan-objective`` (only with an org.yml), ``stale-checkin``,
    ``checkin-outside-period``.

Diagnostics carry the rule's default severity; the caller applies the
``rules:`` settings. Every check is linear in the number of objectives (plus
sorting), so 10,000 objectives and parent chains thousands deep are fine.

Choices where the contract is silent (documented for users in docs/):

- ``parent-cycle`` is reported once per member of a cycle, at its ``parent``
  key; each message shows the whole cycle starting from that member, e.g.
  ``a → b → c → a``. In a cycle of more than 20 objectives only the message for
  its smallest id lists the whole cycle; the others show 5 steps and point to
  it. Objectives that merely hang below a cycle are not reported.
- ``objective-count`` warns on *every* objective of an owner that has more than
  5 in one period (at the ``owner`` key): which ones to drop is a human choice,
  so no file is singled out by its name's sort order. Private objectives count.
- ``kr-output`` looks at the first word of the title, in any inflection
  (``Launch``, ``launched``, ``Shipping``, ``built``, ``wrote`` ...). Metric KRs
  are exempt; milestone KRs and KRs with no measure are not.
- ``objective-numeric`` flags a number with a percent sign, a currency, a
  magnitude (``10k``, ``$2M``, ``3 million``), a multiplier (``2x``), a number
  after a target word (``to 500``, ``under 200``, ``at least 30``) or before a
  countable metric noun (``500 customers``, ``200 ms``, ``200ms``). A bare
  year (1900-2199) is not a target (``by 2027``, ``to 2030``) unless a metric
  noun follows (``Reach 2000 customers``), and numbers glued to letters are
  names, not targets (``Q4``, ``v2``, ``p95``, ``ISO-27001``, ``24/7``, ``#1``).
  Plain counts without any of these (``Top 3 products``) are not flagged.
- ``stale-checkin`` is :func:`.compute.stale`, the contract's definition, so the
  warning and the published ``stale`` flag always agree: today within the
  period itself (``review_until`` does not extend it), status not overridden to
  ``done`` or ``dropped``, the last check-in on or before today (else the
  period's first day) more than 21 days ago. Check-ins dated after today do not
  count. Objectives whose key results all lack a measure are checked too (a
  check-in is due whatever the measure).
- ``date-future`` covers check-ins (at the check-in's list item) and a
  milestone's ``done_on`` (at its key). A check-in dated after today is not
  also ``checkin-outside-period``.
- ``checkin-outside-period`` flags a check-in dated before the period's first
  day, or after its last day, or after ``review_until`` when that is later. A
  milestone's ``done_on`` is not checked against the period: done before the
  period started, it counts as done from its first day.
- ``carried-from-unknown`` suggests ids as ``parent-unknown`` does and skips ids
  of files that failed to load. ``carried-from-period`` is reported when the
  objective named ends on or after this one's first day, including an objective
  naming itself (with its own message). Both are at the ``carried_from`` key.
- ``kr-activity`` flags metric key results only (see :func:`activity_count`):
  milestones and unmeasured key results are ``kr-output``'s business.
- ``owner-unknown`` and ``contributor-unknown`` are not reported when org.yml
  holds no unit at all (it is empty or failed to load, and says so itself):
  flagging every objective would bury the one real error.
- ``orphan-objective`` is located at the ``owner`` key and, when it can, names
  objectives of the nearest unit above whose period contains the orphan's.
- ``period-outside-parent`` is located at the child's ``period`` key.
- Locations: ``kr-no-measure`` at the key result's list item, ``kr-output`` at
  its ``title`` key (the item for a bare-text KR), ``kr-count`` and
  ``stale-checkin`` at ``key_results``, ``objective-numeric`` at ``objective``,
  the reference errors at the key that holds the bad value (each contributor at
  its own list item). A missing key falls back to the file's first line.
- ``kr-count`` counts the key results as written, including those the loader
  left out for an error (a repeated id, an empty item); it is silent for an
  objective with none (the loader reports the missing field).
- ``kr-no-measure`` is not reported for a key result whose measure has an
  error (``kr-metric-incomplete``, ``kr-target-equals-start``, a start, target
  or done of the wrong type): the error already covers it.
- ``parent-unknown`` suggests a case-insensitive match, else the closest id
  among those differing in one segment (a moved folder, a typo in the file
  name), else the closest id overall when there are at most 2,000. Private
  objectives may be suggested: diagnostics go to the check's or build's log,
  read by people who can read the private files anyway, never to the site.
  A parent named in ``unloaded`` (a file that exists but failed to load) is
  not reported.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Collection, Iterable, Mapping

from .compute import STALE_DAYS, last_checkin, stale
from .diagnostics import Diagnostic, Location
from .model import KeyResult, Objective, Org, Period
from .rules import RULES
from .suggest import closest, did_you_mean

KR_MIN, KR_MAX = 3, 5
MAX_OBJECTIVES_PER_OWNER = 5
_LIST_LIMIT = 10  # ids listed in one message before "and N more"
_FULL_SUGGEST_LIMIT = 2000  # never fuzzy-match against more ids than this at once
_CYCLE_IN_FULL = 20  # cycles up to this long are spelled out in every member's message
_CYCLE_PREFIX = 5  # longer ones show this many steps from the member
_SUGGEST_BUDGET = 50_000  # fuzzy comparisons per run (difflib is ~50 µs per comparison)

# The output verbs of the contract, in every inflection a title may start with.
_OUTPUT_WORDS: dict[str, str] = {}
for _base, _forms in {
    "launch": ("launch", "launches", "launched", "launching"),
    "ship": ("ship", "ships", "shipped", "shipping"),
    "release": ("release", "releases", "released", "releasing"),
    "implement": ("implement", "implements", "implemented", "implementing"),
    "build": ("build", "builds", "built", "building"),
    "create": ("create", "creates", "created", "creating"),
    "complete": ("complete", "completes", "completed", "completing"),
    "deliver": ("deliver", "delivers", "delivered", "delivering"),
    "hire": ("hire", "hires", "hired", "hiring"),
    "write": ("write", "writes", "wrote", "written", "writing"),
}.items():
    for _form in _forms:
        _OUTPUT_WORDS[_form] = _base

_FIRST_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# --- numeric targets in objective statements -----------------------------------
_CURRENCY_SYMBOLS = "$€£¥₹"
_CURRENCY_CODES = r"(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|INR|CNY)"
_NUMBER = re.compile(
    r"(?<![\w/#.])(?<![^\W\d_]-)"  # not glued to a word: Q4, v2, p95, ISO-27001, #1, 24/7
    r"(?P<pre>[" + _CURRENCY_SYMBOLS + r"]\s?|" + _CURRENCY_CODES + r"\s?)?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?P<suf>\s?(?:%|‰|percent\b|pp\b|bn\b|mn\b|mm\b|[kKmMbB]\b|thousand\b|million\b|billion\b"
    r"|trillion\b|[xX×](?![\w])|(?:ms|s|secs?|mins?|h|hrs?|kg|km|KB|MB|GB|TB)\b))?"
    r"(?P<post>\s?(?:[" + _CURRENCY_SYMBOLS + r"]|" + _CURRENCY_CODES + r"\b))?"
    r"(?![\w/]|\.\d)"
)
_TARGET_WORDS = frozenset(
    "to reach reaching reached hit exceed exceeding over under below above than least most "
    "within only".split()
)
_METRIC_NOUNS = frozenset(
    """users customers clients signups sign-ups leads deals downloads installs subscribers
    visitors members orders sales hires employees people accounts partners markets countries
    stores tickets incidents bugs reviews stars points ms milliseconds seconds secs minutes mins
    hours hrs days weeks nps mau dau arr mrr requests transactions units""".split()
)
_YEAR = re.compile(r"(?:19|20|21)\d\d")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W*$")
_WORD_AFTER = re.compile(r"^\s*([^\W\d_][\w-]*)")


def numeric_target(statement: str) -> str | None:
    """The first numeric target in an objective statement (as written), or None.

    See the module docstring for what counts as a target.
    """
    for m in _NUMBER.finditer(statement):
        text = m.group(0).strip()
        if m.group("pre") or m.group("suf") or m.group("post"):
            return text
        after = _WORD_AFTER.match(statement[m.end():])
        if after and after.group(1).lower() in _METRIC_NOUNS:
            return f"{text} {after.group(1)}"
        if _YEAR.fullmatch(m.group("num")):
            continue  # a year: "by 2027", "to 2030"
        before = _WORD_BEFORE.search(statement[: m.start()])
        if before and before.group(1).lower() in _TARGET_WORDS:
            return f"{before.group(1)} {text}"
    return None


def output_verb(title: str) -> str | None:
    """The title's first word when it is an output verb (launch, ship, ...), else None."""
    m = _FIRST_WORD.search(title)
    if m is None or title[: m.start()].strip(" \t*_`[]()\"'-") != "":
        return None
    word = m.group(0)
    return word if word.lower() in _OUTPUT_WORDS else None


# --- activity counts in metric key results -------------------------------------------
# A metric counts activities when its title pairs a piece of work (a noun) with a verb
# saying it was done: "bugs fixed", "Blog posts published per month", or starts with
# the verb and a count: "Fix 50 bugs", "Hold 4 customer meetings". The noun alone is
# not enough ("Bugs reported by customers", "Support tickets per 1,000 orders" measure
# results), and a title that measures a share or a speed is a service level, not a
# count ("Share of tickets closed within a day", "Time to first bug fixed").
_ACTIVITY_NOUNS = (
    r"bugs?|defects?|features?|(?:blog\s+)?posts?|articles?|(?:support\s+)?tickets?|issues?"
    r"|meetings?|(?:sales\s+)?calls?|e-?mails?|newsletters?|demos?|workshops?|webinars?"
    r"|trainings?|training\s+sessions?|sessions?|talks?|presentations?|events?|campaigns?"
    r"|experiments?|(?:a/b\s+)?tests?|interviews?|releases?|deployments?|deploys?"
    r"|pull\s+requests?|prs?|commits?|(?:user\s+)?stories|story\s+points?|tasks?|pages?"
    r"|videos?|tweets?|reports?|documents?|docs|projects?|initiatives?|tutorials?|guides?"
    r"|courses?|lines\s+of\s+code|hours"
)
_DONE_WORDS = (
    "fixed resolved closed shipped released launched deployed merged written published posted"
    " sent made held hosted run conducted completed finished delivered given attended created"
    " built implemented produced submitted done organized organised scheduled booked recorded"
    " logged worked answered"
)
_DO_VERBS = (
    "fix resolve close ship release launch deploy merge write publish post send hold host"
    " run conduct complete finish deliver give attend create build implement produce submit"
    " organize organise schedule answer"
)
_NOUN_DONE = re.compile(
    r"\b(?:" + _ACTIVITY_NOUNS + r")\s+(?:" + "|".join(_DONE_WORDS.split()) + r")\b", re.IGNORECASE
)
_LINKING = "of per within in on by for to from at with than under below above over"
_DO_NOUN = re.compile(
    r"^\W*(?:" + "|".join(_DO_VERBS.split()) + r")\s+"  # the title starts with the verb
    r"\d[\d,.]*\s*[kK]?\s+"  # a count
    r"(?:(?!(?:" + "|".join(_LINKING.split()) + r")\b)[^\W\d_][\w-]*\s+){0,2}?"  # up to 2 words: "new", "customer"
    r"(?:" + _ACTIVITY_NOUNS + r")\b",
    re.IGNORECASE,
)
_RATE = re.compile(r"%|‰|\b(?:share|rate|ratio|percent|percentage|proportion|within|time)\b", re.IGNORECASE)


def activity_count(title: str) -> str | None:
    """The words of a metric key result's title that count activities rather than
    results (``"bugs fixed"``, ``"Publish 12 blog posts"``), as written, or None.

    See the comment above for what counts.
    """
    if _RATE.search(title):
        return None
    m = _NOUN_DONE.search(title) or _DO_NOUN.search(title)
    if m is None:
        return None
    return " ".join(m.group(0).strip(" \t*_`[]()\"'-").split())


# --- helpers ------------------------------------------------------------------------


def _diag(rule_id: str, loc: Location, message: str) -> Diagnostic:
    return Diagnostic.at(loc, RULES[rule_id].severity, message, rule_id)


def _file_loc(o: Objective) -> Location:
    return o.loc if o.loc is not None else Location(o.path, 1, 1)


def _loc(o: Objective, *keys: str) -> Location:
    """Location of the first of ``keys`` that the file has, else the file itself."""
    for key in keys:
        loc = o.field_locs.get(key)
        if loc is not None:
            return loc
    return _file_loc(o)


def _kr_loc(o: Objective, kr: KeyResult, key: str | None = None) -> Location:
    if key is not None and key in kr.field_locs:
        return kr.field_locs[key]
    if kr.loc is not None:
        return kr.loc
    return _loc(o, "key_results")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _id_list(ids: list[str], limit: int = _LIST_LIMIT) -> str:
    shown = ", ".join(ids[:limit])
    if len(ids) > limit:
        shown += f" and {len(ids) - limit} more"
    return shown


def _period_text(p: Period) -> str:
    return f"{p.id} ({p.start.isoformat()} to {p.end.isoformat()})"


def _kr_name(kr: KeyResult) -> str:
    return f"key result {kr.id!r} ({_short(kr.title)!r})"


class _IdSuggester:
    """'Did you mean' for objective ids that stays fast with thousands of ids.

    Tries a case-insensitive exact match, then the ids that differ in exactly one
    segment, then (for small sets) every id. Fuzzy matching is costly, so a run
    compares at most ``budget`` candidates in all; after that only exact
    case-insensitive matches are suggested. Results are cached per word, and the
    callers ask in sorted order, so the output stays deterministic.
    """

    def __init__(self, ids: Iterable[str], budget: int = _SUGGEST_BUDGET):
        self._ids = sorted(ids)
        self._budget = budget
        self._folded: dict[str, str] = {}
        self._near: dict[str, list[str]] = {}
        for oid in self._ids:
            self._folded.setdefault(oid.casefold(), oid)
            for key in self._keys(oid):
                self._near.setdefault(key, []).append(oid)
        self._cache: dict[str, str | None] = {}

    @staticmethod
    def _keys(oid: str) -> list[str]:
        segs = oid.casefold().split("/")
        return ["/".join(segs[:i] + ["\0"] + segs[i + 1:]) for i in range(len(segs))]

    def _fuzzy(self, word: str, pool: list[str]) -> str | None:
        if not pool or len(pool) > _FULL_SUGGEST_LIMIT or len(pool) > self._budget:
            return None
        self._budget -= len(pool)
        return closest(word, pool)

    def suggest(self, word: str) -> str | None:
        """The known id most like ``word``, or None."""
        if word in self._cache:
            return self._cache[word]
        hint = self._folded.get(word.casefold())
        if hint is None:
            near = {c for key in self._keys(word) for c in self._near.get(key, ())}
            if len(near) <= _FULL_SUGGEST_LIMIT:
                hint = self._fuzzy(word, sorted(near))
        if hint is None:
            hint = self._fuzzy(word, self._ids)
        self._cache[word] = hint
        return hint


def _unit_hint(word: str, org: Org) -> str:
    hint = did_you_mean(word, org.units)
    if hint:
        return hint
    where = org.path or "org.yml"
    return f"; add it to {where} or use a known unit ({_id_list(sorted(org.units), 8)})"


# --- the checks -----------------------------------------------------------------------


def validate(
    objectives: Mapping[str, Objective],
    org: Org,
    today: dt.date,
    *,
    unloaded: Collection[str] = (),
) -> list[Diagnostic]:
    """Cross-file diagnostics for ``objectives`` (already loaded), sorted by location.

    ``unloaded`` names objective ids whose files exist but failed to load; a
    ``parent`` pointing at one of them is not reported as unknown (the file's own
    errors already say what is wrong).
    """
    diags: list[Diagnostic] = []
    ordered = [objectives[k] for k in sorted(objectives)]
    diags += _check_units(ordered, org)
    diags += _check_parents(ordered, objectives, set(unloaded))
    diags += _check_carried_from(ordered, objectives, set(unloaded))
    diags += _check_cycles(objectives)
    diags += _check_key_results(ordered)
    diags += _check_objective_count(ordered)
    diags += _check_statements(ordered)
    diags += _check_periods(ordered, objectives)
    diags += _check_orphans(ordered, org)
    diags += _check_stale(ordered, today)
    diags += _check_dates(ordered, today)
    return sorted(diags, key=Diagnostic.sort_key)


def _check_units(ordered: list[Objective], org: Org) -> list[Diagnostic]:
    if not org.defined or not org.units:
        return []  # no org.yml, or one that failed to load (its own errors say why)
    out: list[Diagnostic] = []
    hints: dict[str, str] = {}

    def hint(word: str) -> str:
        if word not in hints:
            hints[word] = _unit_hint(word, org)
        return hints[word]

    for o in ordered:
        if o.owner not in org.units:
            out.append(
                _diag(
                    "owner-unknown",
                    _loc(o, "owner"),
                    f"owner {o.owner!r} is not a unit in {org.path or 'org.yml'}{hint(o.owner)}",
                )
            )
        for i, c in enumerate(o.contributors):
            if c not in org.units:
                out.append(
                    _diag(
                        "contributor-unknown",
                        _loc(o, f"contributors[{i}]", "contributors"),
                        f"contributor {c!r} is not a unit in {org.path or 'org.yml'}{hint(c)}",
                    )
                )
    return out


class _UnknownIdHint:
    """The end of a message about an objective id that does not exist: "did you mean"
    the closest id (an :class:`_IdSuggester` built on the first ask), else ``otherwise``."""

    def __init__(self, objectives: Mapping[str, Objective], unloaded: set[str]):
        self._ids = (objectives, unloaded)
        self._suggester: _IdSuggester | None = None

    def tail(self, ref: str, otherwise: str) -> str:
        if self._suggester is None:
            objectives, unloaded = self._ids
            self._suggester = _IdSuggester(list(objectives) + sorted(unloaded))
        hint = self._suggester.suggest(ref)
        return f"; did you mean {hint!r}?" if hint else otherwise


def _check_parents(
    ordered: list[Objective], objectives: Mapping[str, Objective], unloaded: set[str]
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    hints = _UnknownIdHint(objectives, unloaded)
    for o in ordered:
        if not o.parent:
            continue
        parent = objectives.get(o.parent)
        if parent is None:
            if o.parent in unloaded:
                continue  # the parent's file exists; its own errors say what is wrong
            tail = hints.tail(o.parent, "; use an objective id: the file's path below the OKR root without"
                                        " '.md', or its 'id:'")
            out.append(
                _diag("parent-unknown", _loc(o, "parent"), f"parent objective {o.parent!r} does not exist{tail}")
            )
            continue
        if o.parent_kr is not None and parent.kr(o.parent_kr) is None:
            kr_ids = [kr.id for kr in parent.key_results]
            if kr_ids:
                tail = did_you_mean(o.parent_kr, kr_ids) + f"; its key results are {', '.join(kr_ids)}"
            else:
                tail = "; it has no key results"
            out.append(
                _diag(
                    "parent-kr-unknown",
                    _loc(o, "parent"),
                    f"parent objective {o.parent!r} has no key result {o.parent_kr!r}{tail}",
                )
            )
    return out


def find_cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle of the ``id -> parent id`` graph, each starting at its smallest id.

    Iterative and linear: each id is walked once. Cycles are listed by their
    first id; within a cycle, ids follow the parent links.
    """
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    cycles: list[list[str]] = []
    for start in sorted(parents):
        if start in state:
            continue
        walk: list[str] = []
        pos: dict[str, int] = {}
        cur: str | None = start
        while cur is not None and cur in parents and cur not in state:
            state[cur] = 1
            pos[cur] = len(walk)
            walk.append(cur)
            cur = parents[cur]
        if cur is not None and state.get(cur) == 1:
            cycle = walk[pos[cur]:]
            k = cycle.index(min(cycle))
            cycles.append(cycle[k:] + cycle[:k])
        for node in walk:
            state[node] = 2
    return sorted(cycles, key=lambda c: c[0])


def _check_cycles(objectives: Mapping[str, Objective]) -> list[Diagnostic]:
    parents = {oid: o.parent for oid, o in objectives.items()}
    out: list[Diagnostic] = []
    for cycle in find_cycles(parents):
        n = len(cycle)
        fix = f"change 'parent' in one of these {n} objectives to break the cycle"
        for i, member in enumerate(cycle):
            if n == 1:
                msg = f"objective is its own parent: {member} → {member}; remove 'parent' or name another objective"
            elif n <= _CYCLE_IN_FULL or i == 0:
                chain = " → ".join(cycle[i:] + cycle[:i] + [member])
                msg = f"objective is its own ancestor: {chain}; {fix}"
            else:
                # Listing a long cycle in every member's message would be quadratic:
                # the first member's message has it all, the others point there.
                steps = [cycle[(i + k) % n] for k in range(_CYCLE_PREFIX)]
                msg = (
                    f"objective is its own ancestor: {' → '.join(steps)} → …; {fix}"
                    f" (the message for {cycle[0]!r} lists the whole cycle)"
                )
            out.append(_diag("parent-cycle", _loc(objectives[member], "parent"), msg))
    return out


def _check_key_results(ordered: list[Objective]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for o in ordered:
        n = o.key_results_written if o.key_results_written is not None else len(o.key_results)
        if 0 < n < KR_MIN:
            out.append(
                _diag(
                    "kr-count",
                    _loc(o, "key_results"),
                    f"objective has {n} key result{'s' if n != 1 else ''}; {KR_MIN} to {KR_MAX}"
                    " show whether it is achieved: add the measures that are missing",
                )
            )
        elif n > KR_MAX:
            out.append(
                _diag(
                    "kr-count",
                    _loc(o, "key_results"),
                    f"objective has {n} key results; {KR_MIN} to {KR_MAX} keep it focused:"
                    " keep the ones that matter most or split the objective",
                )
            )
        for kr in o.key_results:
            if kr.kind == "none" and not kr.measure_invalid:
                out.append(
                    _diag(
                        "kr-no-measure",
                        _kr_loc(o, kr),
                        f"{_kr_name(kr)} has no measure; give it 'start' and 'target' (a metric)"
                        " or 'done: false' (a milestone)",
                    )
                )
            if kr.kind == "metric":
                counted = activity_count(kr.title)
                if counted is not None:
                    out.append(
                        _diag(
                            "kr-activity",
                            _kr_loc(o, kr, "title"),
                            f"{_kr_name(kr)} counts activities ({counted!r}) rather than results;"
                            " measure what the work should change (fewer incidents, more returning"
                            " customers) and keep the activity as an initiative in the body",
                        )
                    )
            else:
                verb = output_verb(kr.title)
                if verb is not None:
                    out.append(
                        _diag(
                            "kr-output",
                            _kr_loc(o, kr, "title"),
                            f"{_kr_name(kr)} describes an output ({verb!r}) and has no metric;"
                            " name the outcome it should change and measure it with 'start' and 'target'",
                        )
                    )
    return out


def _check_objective_count(ordered: list[Objective]) -> list[Diagnostic]:
    groups: dict[tuple[str, str], list[Objective]] = {}
    for o in ordered:
        groups.setdefault((o.owner, o.period.id), []).append(o)
    out: list[Diagnostic] = []
    for (owner, period), members in sorted(groups.items()):
        if len(members) <= MAX_OBJECTIVES_PER_OWNER:
            continue
        ids = [m.id for m in members]
        msg = (
            f"owner {owner!r} has {len(members)} objectives in {period}"
            f" (at most {MAX_OBJECTIVES_PER_OWNER} keep a team focused): {_id_list(ids)};"
            " drop, merge or postpone some"
        )
        out += [_diag("objective-count", _loc(m, "owner"), msg) for m in members]
    return out


def _check_statements(ordered: list[Objective]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for o in ordered:
        found = numeric_target(o.objective)
        if found is not None:
            out.append(
                _diag(
                    "objective-numeric",
                    _loc(o, "objective"),
                    f"objective statement holds a numeric target ({found!r}); keep the objective"
                    " qualitative and move the number into a key result",
                )
            )
    return out


def _check_periods(ordered: list[Objective], objectives: Mapping[str, Objective]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for o in ordered:
        parent = objectives.get(o.parent) if o.parent else None
        if parent is None or parent is o or o.period.within(parent.period):
            continue
        out.append(
            _diag(
                "period-outside-parent",
                _loc(o, "period"),
                f"period {_period_text(o.period)} lies outside the period"
                f" {_period_text(parent.period)} of parent {parent.id!r}; change the period or"
                f" align to an objective whose period contains {o.period.id}",
            )
        )
    return out


def _check_orphans(ordered: list[Objective], org: Org) -> list[Diagnostic]:
    if not org.defined:
        return []
    by_owner: dict[str, list[Objective]] = {}
    for o in ordered:
        by_owner.setdefault(o.owner, []).append(o)
    out: list[Diagnostic] = []
    for o in ordered:
        if o.private or o.parent:
            continue
        unit = org.units.get(o.owner)
        if unit is None or not unit.parent:
            continue  # unknown owners are owner-unknown; top units need no parent
        example = ""
        for above in org.ancestors(o.owner):
            candidates = [
                c.id for c in by_owner.get(above.id, ()) if not c.private and o.period.within(c.period)
            ]
            if candidates:
                example = f", for example {candidates[0]!r} of {above.id!r}"
                break
        out.append(
            _diag(
                "orphan-objective",
                _loc(o, "owner"),
                f"objective has no parent, and its owner {o.owner!r} is not a top unit (it belongs"
                f" to {unit.parent!r}); add 'parent:' to align it with an objective above it{example}",
            )
        )
    return out


def _check_stale(ordered: list[Objective], today: dt.date) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for o in ordered:
        if not stale(o, today):
            continue
        newest = last_checkin(o, today)
        if newest is not None:
            days = (today - newest).days
            msg = (
                f"no check-in for {days} days (the last is from {newest.isoformat()}, today is"
                f" {today.isoformat()}); check in at least every {STALE_DAYS} days while"
                f" {o.period.id} runs: add a check-in with the current value to each key result"
            )
        else:
            days = (today - o.period.start).days
            msg = (
                f"no check-in yet, and {o.period.id} started {days} days ago on"
                f" {o.period.start.isoformat()} (today is {today.isoformat()}); check in at least"
                f" every {STALE_DAYS} days: add a check-in with the current value to each key result"
            )
        out.append(_diag("stale-checkin", _loc(o, "key_results"), msg))
    return out


def _checkin_loc(o: Objective, kr: KeyResult, c) -> Location:
    return c.loc if c.loc is not None else _kr_loc(o, kr, "checkins")


def _check_dates(ordered: list[Objective], today: dt.date) -> list[Diagnostic]:
    """``date-future`` (check-ins and done_on after today) and ``checkin-outside-period``."""
    out: list[Diagnostic] = []
    for o in ordered:
        p = o.period
        last_day = o.review_until if o.review_until is not None and o.review_until > p.end else p.end
        for kr in o.key_results:
            if kr.done_on is not None and kr.done_on > today:
                out.append(
                    _diag(
                        "date-future",
                        _kr_loc(o, kr, "done_on"),
                        f"done_on {kr.done_on.isoformat()} is after today ({today.isoformat()});"
                        " a milestone is done on the day it is done: correct the date, or set"
                        " done: true and done_on once it is",
                    )
                )
            for c in kr.checkins:
                day = c.date
                if day > today:
                    out.append(
                        _diag(
                            "date-future",
                            _checkin_loc(o, kr, c),
                            f"check-in date {day.isoformat()} is after today ({today.isoformat()});"
                            " a check-in records a value already measured: correct the date, or add"
                            " the check-in on that day",
                        )
                    )
                elif day < p.start:
                    out.append(
                        _diag(
                            "checkin-outside-period",
                            _checkin_loc(o, kr, c),
                            f"check-in date {day.isoformat()} is before period {_period_text(p)};"
                            " the value at the start belongs in 'start': correct the date or remove"
                            " the check-in",
                        )
                    )
                elif day > last_day:
                    if last_day == p.end:
                        where = f"after period {_period_text(p)}"
                        fix = (
                            "set review_until to keep measuring after the period, or check in on the"
                            " objective of the current period"
                        )
                    else:
                        where = (
                            f"after review_until {last_day.isoformat()} (period {p.id} ended"
                            f" {p.end.isoformat()})"
                        )
                        fix = "extend review_until, or check in on the objective of the current period"
                    out.append(
                        _diag(
                            "checkin-outside-period",
                            _checkin_loc(o, kr, c),
                            f"check-in date {day.isoformat()} is {where}; {fix}",
                        )
                    )
    return out


def _check_carried_from(
    ordered: list[Objective], objectives: Mapping[str, Objective], unloaded: set[str]
) -> list[Diagnostic]:
    """``carried-from-unknown`` and ``carried-from-period``, at the ``carried_from`` key."""
    out: list[Diagnostic] = []
    hints = _UnknownIdHint(objectives, unloaded)
    for o in ordered:
        cf = o.carried_from
        if not cf:
            continue
        source = objectives.get(cf)
        if source is None:
            if cf in unloaded:
                continue  # the file exists; its own errors say what is wrong
            tail = hints.tail(cf, "; use the id of the objective this one continues: its file's path below the"
                                  " OKR root without '.md', or its 'id:'")
            out.append(
                _diag("carried-from-unknown", _loc(o, "carried_from"), f"carried_from objective {cf!r} does not exist{tail}")
            )
        elif source is o:
            out.append(
                _diag(
                    "carried-from-period",
                    _loc(o, "carried_from"),
                    "carried_from names this objective itself; name the objective of an earlier"
                    " period that this one continues",
                )
            )
        elif source.period.end >= o.period.start:
            out.append(
                _diag(
                    "carried-from-period",
                    _loc(o, "carried_from"),
                    f"carried_from {cf!r} has period {_period_text(source.period)}, which does not end"
                    f" before this objective's period {_period_text(o.period)} starts; carry over"
                    " from an objective of an earlier period (use 'parent' to align with one of the same period)",
                )
            )
    return out
