"""Computed values of the contract, checked against hand-worked examples.

Each case shows its arithmetic in a comment; the expected values are written
out by hand, not recomputed with the formula under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_okrs.core.compute import (
    Changes,
    KrScore,
    changes_since,
    counted,
    done_on_day,
    expected_progress,
    grade_for,
    in_review,
    is_counted,
    kr_confidence,
    kr_last_checkin,
    kr_score_on,
    last_checkin,
    metric_progress,
    progress_on,
    score,
    score_of,
    stale,
    status_for,
    status_on,
    value_on,
    weighted_progress,
)
from mkdocs_okrs.core.model import CheckIn, KeyResult, Objective
from mkdocs_okrs.core.periods import parse_period

D = dt.date
Q4 = parse_period("2026-Q4")  # 2026-10-01 .. 2026-12-31: 31 + 30 + 31 = 92 days


def kr_now(kr: KeyResult) -> KrScore:
    """A key result's values on a day of Q4 (it has no check-ins: its file's values)."""
    return kr_score_on(kr, Q4, D(2026, 11, 15))


def metric(start, target, current=None, weight=1.0, kr_id="kr1") -> KeyResult:
    return KeyResult(id=kr_id, index=0, title="t", kind="metric", start=start, target=target,
                     current=current, weight=weight)


def milestone(done, weight=1.0) -> KeyResult:
    return KeyResult(id="m", index=0, title="t", kind="milestone", done=done, weight=weight)


def unmeasured(weight=1.0) -> KeyResult:
    return KeyResult(id="n", index=0, title="t", kind="none", weight=weight)


def objective(*krs: KeyResult, commitment="aspirational", override=None, period=Q4) -> Objective:
    return Objective(id="o", path="o.md", objective="x", owner="acme", period=period,
                     key_results=krs, commitment=commitment, status_override=override)


# --- metric key results ----------------------------------------------------------------


def test_increasing_metric():
    # (50 - 0) / (200 - 0) = 50 / 200 = 0.25
    assert metric_progress(0, 200, 50) == (0.25, 0.25)


def test_decreasing_metric():
    # p95 from 800 ms to 200 ms, now 450: (450 - 800) / (200 - 800) = -350 / -600 = 0.58333...
    clamped, raw = metric_progress(800, 200, 450)
    assert clamped == pytest.approx(7 / 12) and raw == pytest.approx(7 / 12)
    assert kr_now(metric(800, 200, 450)).progress == pytest.approx(0.5833333333)


def test_over_achievement_keeps_the_raw_value():
    # (250 - 100) / (200 - 100) = 150 / 100 = 1.5 -> clamped to 1.0, raw stays 1.5
    assert metric_progress(100, 200, 250) == (1.0, 1.5)
    s = kr_now(metric(100, 200, 250))
    assert (s.progress, s.raw) == (1.0, 1.5)
    # Decreasing and beaten: (100 - 800) / (200 - 800) = -700 / -600 = 1.1666...
    s = kr_now(metric(800, 200, 100))
    assert s.progress == 1.0 and s.raw == pytest.approx(7 / 6)


def test_below_start_clamps_to_zero():
    # (80 - 100) / (200 - 100) = -20 / 100 = -0.2 -> clamped to 0.0
    assert metric_progress(100, 200, 80) == (0.0, -0.2)
    # Decreasing metric that got worse: (900 - 800) / (200 - 800) = 100 / -600 = -0.1666...
    clamped, raw = metric_progress(800, 200, 900)
    assert clamped == 0.0 and raw == pytest.approx(-1 / 6)


def test_metric_without_current_counts_as_at_start():
    # current defaults to start: (0 - 0) / (10 - 0) = 0
    s = kr_now(metric(0, 10))
    assert (s.progress, s.raw) == (0.0, 0.0)


def test_decimal_metric():
    # (0.6 - 0) / (1.5 - 0) = 0.4 (in binary floating point 0.39999999999999997)
    assert kr_now(metric(0, 1.5, 0.6)).progress == pytest.approx(0.4)


# --- milestones and unmeasured key results -------------------------------------------------


def test_milestone_is_one_when_done_else_zero():
    assert (kr_now(milestone(True)).progress, kr_now(milestone(True)).raw) == (1.0, 1.0)
    assert kr_now(milestone(False)).progress == 0.0
    assert kr_now(milestone(None)).progress == 0.0


def test_unmeasured_key_result_has_no_progress():
    s = kr_now(unmeasured())
    assert (s.progress, s.raw) == (None, None)


# --- objective progress ----------------------------------------------------------------------


def test_weighted_average():
    # (0.5 * 2 + 1.0 * 1) / (2 + 1) = 2 / 3 = 0.6666...
    assert weighted_progress([(0.5, 2), (1.0, 1)]) == pytest.approx(2 / 3)
    # unmeasured pairs are skipped, whatever their weight: same 2 / 3
    assert weighted_progress([(0.5, 2), (None, 5), (1.0, 1)]) == pytest.approx(2 / 3)
    assert weighted_progress([]) is None
    assert weighted_progress([(None, 1), (None, 3)]) is None


def test_objective_progress_skips_unmeasured_krs_and_uses_weights():
    # metric: (30 - 0) / (100 - 0) = 0.3, weight 2
    # milestone done: 1.0, weight 1
    # unmeasured: skipped (its weight 10 does not count)
    # (0.3 * 2 + 1.0 * 1) / (2 + 1) = 1.6 / 3 = 0.5333...
    o = objective(metric(0, 100, 30, weight=2), milestone(True), unmeasured(weight=10))
    s = score(o, D(2026, 11, 22))
    assert s.progress == pytest.approx(1.6 / 3)
    assert [k.progress for k in s.krs] == [pytest.approx(0.3), 1.0, None]


def test_over_achievement_is_clamped_in_the_average():
    # KR 1: raw 1.5 counts as 1.0; KR 2: (0 - 0) / (10 - 0) = 0 -> (1.0 + 0.0) / 2 = 0.5
    s = score(objective(metric(100, 200, 250), metric(0, 10, 0)), D(2026, 11, 22))
    assert s.progress == 0.5
    assert s.krs[0].raw == 1.5


def test_objective_without_measured_krs():
    s = score(objective(unmeasured(), unmeasured()), D(2026, 11, 22))
    assert (s.progress, s.status, s.grade) == (None, "not-measured", None)
    # 2026-11-22 is day 31 + 22 = 53 of 92
    assert s.expected == pytest.approx(53 / 92)


# --- expected progress ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 9, 30), 0.0),  # the day before the period
        (D(2026, 1, 1), 0.0),  # long before
        (D(2026, 10, 1), 1 / 92),  # first day counts: 1 of 92 days
        (D(2026, 11, 22), 53 / 92),  # 31 (October) + 22 = 53 of 92 = 0.576...
        (D(2026, 12, 30), 91 / 92),
        (D(2026, 12, 31), 1.0),  # last day: 92 of 92
        (D(2027, 1, 1), 1.0),  # after the period
        (D(2030, 6, 1), 1.0),
    ],
)
def test_expected_progress_in_a_quarter(today, expected):
    assert expected_progress(Q4, today) == pytest.approx(expected)


def test_expected_progress_at_the_edges_is_exact():
    assert expected_progress(Q4, D(2026, 9, 30)) == 0.0
    assert expected_progress(Q4, D(2026, 12, 31)) == 1.0
    assert expected_progress(Q4, D(2027, 1, 1)) == 1.0


def test_expected_progress_in_february_of_a_leap_year():
    feb = parse_period("2028-02")  # 2028 is a leap year: 29 days
    assert feb.days == 29
    assert expected_progress(feb, D(2028, 2, 1)) == pytest.approx(1 / 29)
    assert expected_progress(feb, D(2028, 2, 14)) == pytest.approx(14 / 29)
    assert expected_progress(feb, D(2028, 2, 28)) == pytest.approx(28 / 29)  # not yet done
    assert expected_progress(feb, D(2028, 2, 29)) == 1.0
    assert expected_progress(feb, D(2028, 3, 1)) == 1.0
    # 2026 is not: 14 of 28 days = 0.5
    assert expected_progress(parse_period("2026-02"), D(2026, 2, 14)) == 0.5
    # The whole leap year 2028 has 366 days; 2028-02-29 is day 31 + 29 = 60
    assert expected_progress(parse_period("2028"), D(2028, 2, 29)) == pytest.approx(60 / 366)


# --- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "expected", "commitment", "status"),
    [
        # committed, bar 1.0, expected 0.5 -> gap = progress - 0.5
        (0.50, 0.5, "committed", "on-track"),  # gap 0
        (0.40, 0.5, "committed", "on-track"),  # gap -0.10 exactly: still on track
        (0.39, 0.5, "committed", "at-risk"),  # gap -0.11
        (0.25, 0.5, "committed", "at-risk"),  # gap -0.25 exactly: still at risk
        (0.24, 0.5, "committed", "off-track"),  # gap -0.26
        (0.00, 0.0, "committed", "on-track"),  # before the period: gap 0
        (1.00, 1.0, "committed", "on-track"),
        (0.90, 1.0, "committed", "on-track"),  # gap -0.10 at the end
        (0.75, 1.0, "committed", "at-risk"),  # gap -0.25 at the end
        # aspirational, bar 0.7, expected 0.5 -> gap = progress - 0.35
        (0.25, 0.5, "aspirational", "on-track"),  # gap -0.10 exactly
        (0.24, 0.5, "aspirational", "at-risk"),  # gap -0.11
        (0.10, 0.5, "aspirational", "at-risk"),  # gap -0.25 exactly
        (0.09, 0.5, "aspirational", "off-track"),  # gap -0.26
        # aspirational at the end, expected 1.0 -> gap = progress - 0.7
        (0.60, 1.0, "aspirational", "on-track"),  # gap -0.10 exactly
        (0.45, 1.0, "aspirational", "at-risk"),  # gap -0.25 exactly
        (0.44, 1.0, "aspirational", "off-track"),  # gap -0.26
    ],
)
def test_status_thresholds(progress, expected, commitment, status):
    assert status_for(progress, expected, commitment) == status


def test_the_same_progress_reads_differently_for_committed_and_aspirational():
    # progress 0.3 at expected 0.5:
    #   committed:    0.3 - 1.0 * 0.5  = -0.20 -> at-risk
    #   aspirational: 0.3 - 0.7 * 0.5  = -0.05 -> on-track
    assert status_for(0.3, 0.5, "committed") == "at-risk"
    assert status_for(0.3, 0.5, "aspirational") == "on-track"
    # progress 0.2 at expected 1.0:
    #   committed:    0.2 - 1.0 = -0.80 -> off-track
    #   aspirational: 0.2 - 0.7 = -0.50 -> off-track
    assert status_for(0.2, 1.0, "committed") == status_for(0.2, 1.0, "aspirational") == "off-track"


def test_status_from_real_key_results_on_a_boundary():
    # 2026-Q4 on its last day: expected 1.0, committed -> bar 1.0
    # KRs: (90 - 0) / (100 - 0) = 0.9 and milestone done = 1.0 -> (0.9 + 1.0) / 2 = 0.95
    # gap = 0.95 - 1.0 = -0.05 -> on-track
    assert score(objective(metric(0, 100, 90), milestone(True), commitment="committed"), D(2026, 12, 31)).status == "on-track"
    # Decreasing KR: (260 - 800) / (200 - 800) = -540 / -600 = 0.9 -> gap = 0.9 - 1.0 = -0.10 exactly
    assert score(objective(metric(800, 200, 260), commitment="committed"), D(2026, 12, 31)).status == "on-track"
    # (270 - 800) / (200 - 800) = -530 / -600 = 0.8833... -> gap -0.1166... -> at-risk
    assert score(objective(metric(800, 200, 270), commitment="committed"), D(2026, 12, 31)).status == "at-risk"


@pytest.mark.parametrize("override", ["on-track", "at-risk", "off-track", "done", "dropped"])
def test_overrides_win(override):
    # Without the override this objective is off-track: 0 - 1.0 * 1.0 = -1.0
    assert status_for(0.0, 1.0, "committed", override) == override
    assert status_for(None, 1.0, "committed", override) == override
    s = score(objective(metric(0, 10, 0), commitment="committed", override=override), D(2027, 1, 15))
    assert s.status == override
    assert s.grade == "red"  # the grade reads the score (progress 0.0 on 2026-12-31), whatever the override
    assert s.score == 0.0


def test_not_measured_without_progress():
    assert status_for(None, 0.5, "committed") == "not-measured"


# --- grade ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "grade"),
    [
        (None, None),
        (0.0, "red"),
        (0.39, "red"),
        (0.3999, "red"),
        (0.4, "yellow"),  # exactly 0.4 is yellow
        (0.55, "yellow"),
        (0.6999, "yellow"),
        (0.7, "green"),  # exactly 0.7 is green
        (1.0, "green"),
    ],
)
def test_grade_thresholds(progress, grade):
    assert grade_for(progress) == grade


def test_grade_boundaries_survive_binary_noise():
    # (0.6 - 0) / (1.5 - 0) is 0.39999999999999997 in floating point, but it is 0.4: yellow
    assert kr_now(metric(0, 1.5, 0.6)).progress < 0.4
    # (the grade reads the score, so the day is after the period: 2027-01-05)
    assert score(objective(metric(0, 1.5, 0.6)), D(2027, 1, 5)).grade == "yellow"
    # (2.3 - 0.2) / (3.2 - 0.2) = 2.1 / 3 = 0.7, computed as 0.6999999999999998: green
    assert kr_now(metric(0.2, 3.2, 2.3)).progress < 0.7
    assert score(objective(metric(0.2, 3.2, 2.3)), D(2027, 1, 5)).grade == "green"


def test_status_boundaries_survive_binary_noise():
    # committed, progress 0.3 at expected 0.4: gap = 0.3 - 0.4 = -0.10, computed as
    # -0.10000000000000003; it is on the boundary, so on-track
    assert 0.3 - 1.0 * 0.4 < -0.10
    assert status_for(0.3, 0.4, "committed") == "on-track"


# =============================================================================================
# Over time: every value as of a day D
# =============================================================================================

Q3 = parse_period("2026-Q3")  # 2026-07-01 .. 2026-09-30: 31 + 31 + 30 = 92 days


def ci(day: dt.date, value=None, confidence=None, note=None) -> CheckIn:
    return CheckIn(date=day, value=value, confidence=confidence, note=note)


def tracked(start, target, *checkins: CheckIn, current=None, kr_id="kr1", index=0, weight=1.0) -> KeyResult:
    """A metric as the loader builds it: ``current`` is the explicit value, else the
    last check-in's, else ``start``."""
    explicit = current is not None
    if current is None:
        values = [c.value for c in checkins if c.value is not None]
        current = values[-1] if values else start
    return KeyResult(id=kr_id, index=index, title="t", kind="metric", start=start, target=target,
                     current=current, current_explicit=explicit, checkins=checkins, weight=weight)


def done_milestone(done=True, done_on=None, *checkins: CheckIn, kr_id="m", index=0) -> KeyResult:
    return KeyResult(id=kr_id, index=index, title="t", kind="milestone", done=done, done_on=done_on,
                     checkins=checkins)


def obj(*krs, oid="o", period=Q4, commitment="aspirational", override=None, review_until=None) -> Objective:
    return Objective(id=oid, path=f"{oid}.md", objective="x", owner="acme", period=period,
                     key_results=krs, commitment=commitment, status_override=override,
                     review_until=review_until)


# --- a metric's value on a day -----------------------------------------------------------------


def test_value_on_follows_the_checkins():
    kr = tracked(800, 200, ci(D(2026, 10, 15), 620), ci(D(2026, 11, 1), 500))
    assert value_on(kr, Q4, D(2026, 9, 1)) == 800  # before the period: start
    assert value_on(kr, Q4, D(2026, 10, 14)) == 800  # before the first check-in: start
    assert value_on(kr, Q4, D(2026, 10, 15)) == 620  # the day of a check-in counts
    assert value_on(kr, Q4, D(2026, 10, 31)) == 620
    assert value_on(kr, Q4, D(2026, 11, 1)) == 500
    assert value_on(kr, Q4, D(2027, 6, 1)) == 500  # long after: the last one


def test_value_on_skips_checkins_without_a_value():
    # A metric check-in without value is an error the loader reports; the value ignores it.
    kr = tracked(0, 10, ci(D(2026, 10, 5), 3), ci(D(2026, 10, 20)))
    assert value_on(kr, Q4, D(2026, 10, 25)) == 3


def test_an_explicit_current_holds_from_the_last_checkin_on():
    kr = tracked(800, 200, ci(D(2026, 10, 15), 620), ci(D(2026, 11, 1), 500), current=450)
    assert value_on(kr, Q4, D(2026, 10, 1)) == 800
    assert value_on(kr, Q4, D(2026, 10, 20)) == 620  # the check-ins tell before the last one
    assert value_on(kr, Q4, D(2026, 10, 31)) == 620
    assert value_on(kr, Q4, D(2026, 11, 1)) == 450  # from the last check-in's date on: current
    assert value_on(kr, Q4, D(2026, 12, 31)) == 450


def test_an_explicit_current_without_checkins_holds_from_the_periods_first_day():
    kr = tracked(800, 200, current=450)
    assert value_on(kr, Q4, D(2026, 9, 30)) == 800
    assert value_on(kr, Q4, D(2026, 10, 1)) == 450
    assert value_on(kr, Q4, D(2027, 2, 1)) == 450


def test_value_on_is_none_without_a_metric():
    assert value_on(done_milestone(), Q4, D(2026, 11, 1)) is None
    assert value_on(unmeasured(), Q4, D(2026, 11, 1)) is None


# --- a milestone on a day --------------------------------------------------------------------


def test_done_on_day():
    assert done_on_day(done_milestone(True), D(2020, 1, 1))  # no done_on: done on every day
    dated = done_milestone(True, D(2026, 11, 2))
    assert not done_on_day(dated, D(2026, 11, 1))
    assert done_on_day(dated, D(2026, 11, 2))  # the day itself
    assert done_on_day(dated, D(2027, 1, 1))
    assert not done_on_day(done_milestone(False), D(2026, 11, 2))
    assert not done_on_day(done_milestone(None), D(2026, 11, 2))
    assert not done_on_day(tracked(0, 10), D(2026, 11, 2))


# --- a key result on a day -----------------------------------------------------------------------


def test_kr_score_on_a_day():
    kr = tracked(800, 200, ci(D(2026, 10, 15), 620, 0.6), ci(D(2026, 11, 1), 500), ci(D(2026, 11, 20), 350, 0.8))
    # On 2026-11-10: value 500 -> (500 - 800) / (200 - 800) = -300 / -600 = 0.5;
    # last check-in 2026-11-01; confidence from the latest one that has it: 0.6 (2026-10-15)
    assert kr_score_on(kr, Q4, D(2026, 11, 10)) == KrScore(0.5, 0.5, 500, D(2026, 11, 1), 0.6)
    # On 2026-11-20: value 350 -> -450 / -600 = 0.75; confidence 0.8
    assert kr_score_on(kr, Q4, D(2026, 11, 20)) == KrScore(0.75, 0.75, 350, D(2026, 11, 20), 0.8)
    # Before any check-in: at start, nothing checked in
    assert kr_score_on(kr, Q4, D(2026, 10, 1)) == KrScore(0.0, 0.0, 800, None, None)


def test_kr_score_on_a_day_over_achieved():
    # (250 - 100) / (200 - 100) = 1.5: clamped 1.0, raw 1.5
    kr = tracked(100, 200, ci(D(2026, 10, 15), 250))
    assert kr_score_on(kr, Q4, D(2026, 10, 15)) == KrScore(1.0, 1.5, 250, D(2026, 10, 15), None)


def test_kr_score_on_a_day_for_milestones_and_unmeasured():
    m = done_milestone(True, D(2026, 11, 2), ci(D(2026, 10, 20), confidence=0.9))
    assert kr_score_on(m, Q4, D(2026, 11, 1)) == KrScore(0.0, 0.0, None, D(2026, 10, 20), 0.9)
    assert kr_score_on(m, Q4, D(2026, 11, 2)) == KrScore(1.0, 1.0, None, D(2026, 10, 20), 0.9)
    assert kr_score_on(unmeasured(), Q4, D(2026, 11, 2)) == KrScore(None, None, None, None, None)


def test_last_checkin_and_confidence_ignore_later_checkins():
    kr = tracked(0, 10, ci(D(2026, 10, 5), 1, 0.5), ci(D(2026, 10, 25), 2), ci(D(2026, 12, 1), 3, 0.9))
    assert kr_last_checkin(kr, D(2026, 10, 4)) is None
    assert kr_last_checkin(kr, D(2026, 11, 15)) == D(2026, 10, 25)
    assert kr_confidence(kr, D(2026, 10, 4)) is None
    assert kr_confidence(kr, D(2026, 11, 15)) == 0.5  # 2026-10-25 gives none: the one before
    assert kr_confidence(kr, D(2026, 12, 1)) == 0.9


# --- an objective on a day ---------------------------------------------------------------------


def test_progress_and_status_on_a_day():
    # committed; KR a: 0 -> 100 (check-ins 20 on 10-15, 60 on 11-20), weight 1;
    # milestone b done on 2026-11-10, weight 1
    o = obj(
        tracked(0, 100, ci(D(2026, 10, 15), 20), ci(D(2026, 11, 20), 60), kr_id="a"),
        done_milestone(True, D(2026, 11, 10), kr_id="b", index=1),
        commitment="committed",
    )
    # 2026-10-31: a = 0.2, b = 0 -> 0.1; expected 31/92 = 0.33696; gap = 0.1 - 0.33696 = -0.237 -> at-risk
    assert progress_on(o, D(2026, 10, 31)) == pytest.approx(0.1)
    assert status_on(o, D(2026, 10, 31)) == "at-risk"
    # 2026-11-15: a = 0.2, b = 1 -> 0.6; expected 46/92 = 0.5; gap +0.1 -> on-track
    assert progress_on(o, D(2026, 11, 15)) == pytest.approx(0.6)
    assert status_on(o, D(2026, 11, 15)) == "on-track"
    # 2026-10-10: a = 0 (no check-in yet), b = 0 -> 0.0; expected 10/92 = 0.1087; gap -0.1087 -> at-risk
    assert progress_on(o, D(2026, 10, 10)) == 0.0
    assert status_on(o, D(2026, 10, 10)) == "at-risk"
    # Before the period: expected 0, progress 0 -> on-track
    assert status_on(o, D(2026, 9, 1)) == "on-track"
    # The period's last day still has a computed status; the day after it is closed
    # 2026-12-31: a = 0.6, b = 1 -> 0.8; expected 1; gap -0.2 -> at-risk
    assert status_on(o, D(2026, 12, 31)) == "at-risk"
    assert status_on(o, D(2027, 1, 1)) == "closed"


def test_status_on_an_unmeasured_objective():
    o = obj(unmeasured())
    assert progress_on(o, D(2026, 11, 1)) is None
    assert status_on(o, D(2026, 11, 1)) == "not-measured"
    assert status_on(o, D(2027, 1, 1)) == "closed"


@pytest.mark.parametrize("override", ["on-track", "at-risk", "off-track", "done", "dropped"])
def test_an_override_stands_on_every_day(override):
    o = obj(tracked(0, 10), override=override)
    assert status_on(o, D(2026, 9, 1)) == status_on(o, D(2026, 11, 1)) == status_on(o, D(2027, 5, 1)) == override


# --- score and grade -----------------------------------------------------------------------------


def test_score_is_the_progress_on_the_last_day_and_none_while_the_period_runs():
    # Check-ins: 30 on 2026-12-15, 90 on 2027-01-20 (in review, after the period)
    o = obj(tracked(0, 100, ci(D(2026, 12, 15), 30), ci(D(2027, 1, 20), 90)), review_until=D(2027, 2, 28))
    assert score_of(o, D(2026, 12, 31)) is None  # the last day: still running
    # From 2027-01-01: progress on 2026-12-31 = 30 / 100 = 0.3, whatever comes later
    assert score_of(o, D(2027, 1, 1)) == pytest.approx(0.3)
    assert score_of(o, D(2027, 2, 1)) == pytest.approx(0.3)
    s = score(o, D(2027, 2, 1))
    # ... while the progress keeps following the check-ins (in review): 90 / 100 = 0.9
    assert (s.progress, s.score, s.grade) == (pytest.approx(0.9), pytest.approx(0.3), "red")
    assert (s.status, s.in_review, s.expected) == ("closed", True, 1.0)


def test_score_ignores_the_status_override():
    # 45 of 0 -> 100 on the last day: 0.45 -> yellow, even though the objective was dropped
    o = obj(tracked(0, 100, ci(D(2026, 11, 1), 45)), override="dropped")
    s = score(o, D(2027, 1, 2))
    assert (s.status, s.score, s.grade) == ("dropped", pytest.approx(0.45), "yellow")


def test_score_of_an_unmeasured_objective_is_none():
    s = score(obj(unmeasured()), D(2027, 1, 2))
    assert (s.score, s.grade, s.status) == (None, None, "closed")


def test_grade_is_none_while_the_period_runs():
    s = score(obj(tracked(0, 10, ci(D(2026, 10, 10), 10))), D(2026, 12, 31))
    assert (s.progress, s.score, s.grade) == (1.0, None, None)


# --- review, last check-in, stale ---------------------------------------------------------------


def test_in_review():
    o = obj(tracked(0, 10), review_until=D(2027, 1, 31))
    assert not in_review(o, D(2026, 12, 31))  # the period still runs
    assert in_review(o, D(2027, 1, 1))
    assert in_review(o, D(2027, 1, 31))  # review_until itself
    assert not in_review(o, D(2027, 2, 1))
    assert not in_review(obj(tracked(0, 10)), D(2027, 1, 1))  # no review_until


def test_last_checkin_of_an_objective_is_the_latest_of_its_krs():
    o = obj(
        tracked(0, 10, ci(D(2026, 10, 5), 1), ci(D(2026, 11, 30), 2), kr_id="a"),
        done_milestone(True, None, ci(D(2026, 11, 3)), kr_id="b", index=1),
        unmeasured(),
    )
    assert last_checkin(o, D(2026, 10, 4)) is None
    assert last_checkin(o, D(2026, 11, 10)) == D(2026, 11, 3)
    assert last_checkin(o, D(2026, 12, 1)) == D(2026, 11, 30)


def test_stale_counts_more_than_21_days_from_the_last_checkin():
    o = obj(tracked(0, 10, ci(D(2026, 10, 10), 1)))
    assert not stale(o, D(2026, 10, 31))  # 21 days after 2026-10-10
    assert stale(o, D(2026, 11, 1))  # 22 days


def test_stale_without_a_checkin_counts_from_the_first_day():
    o = obj(tracked(0, 10))
    assert not stale(o, D(2026, 10, 22))  # 21 days after 2026-10-01
    assert stale(o, D(2026, 10, 23))
    # A check-in dated after today does not count (it has not happened yet)
    later = obj(tracked(0, 10, ci(D(2026, 11, 30), 1)))
    assert stale(later, D(2026, 10, 23))


def test_stale_only_within_the_period_itself():
    o = obj(tracked(0, 10), review_until=D(2027, 3, 31))
    assert stale(o, D(2026, 12, 31))
    assert not stale(o, D(2027, 1, 1))  # review_until does not extend it
    assert not stale(o, D(2026, 9, 30))  # before the period


@pytest.mark.parametrize(("override", "is_stale"), [("done", False), ("dropped", False), ("at-risk", True)])
def test_stale_and_overrides(override, is_stale):
    assert stale(obj(tracked(0, 10), override=override), D(2026, 12, 1)) is is_stale


# --- score(): everything published for today ----------------------------------------------------


def test_score_gathers_the_values_of_today():
    o = obj(
        tracked(800, 200, ci(D(2026, 10, 15), 620, 0.6), current=450, kr_id="p95", weight=2),
        done_milestone(True, D(2026, 11, 30), kr_id="edge", index=1),
        unmeasured(),
    )
    s = score(o, D(2026, 11, 22))
    # p95: current 450 from 2026-10-15 on -> (450 - 800) / (200 - 800) = 0.58333 (weight 2);
    # edge: done on 2026-11-30, not yet -> 0; unmeasured: left out
    # (0.58333 * 2 + 0) / 3 = 0.38889; expected 53/92 = 0.57609; 0.38889 - 0.7 * 0.57609 = -0.0144 -> on-track
    assert s.progress == pytest.approx(350 / 600 * 2 / 3)
    assert s.expected == pytest.approx(53 / 92)
    assert (s.status, s.score, s.grade, s.in_review) == ("on-track", None, None, False)
    # last check-in 2026-10-15: 38 days before 2026-11-22 -> stale
    assert (s.last_checkin, s.stale) == (D(2026, 10, 15), True)
    assert s.krs[0] == KrScore(pytest.approx(350 / 600), pytest.approx(350 / 600), 450, D(2026, 10, 15), 0.6)
    assert s.krs[1] == KrScore(0.0, 0.0, None, None, None)
    assert s.krs[2] == KrScore(None, None, None, None, None)


def test_score_after_the_period():
    o = obj(
        tracked(800, 200, ci(D(2026, 10, 15), 620, 0.6), current=450, kr_id="p95", weight=2),
        done_milestone(True, D(2026, 11, 30), kr_id="edge", index=1),
    )
    s = score(o, D(2027, 1, 10))
    # (0.58333 * 2 + 1) / 3 = 2.16667 / 3 = 0.72222 -> green
    assert s.score == pytest.approx((350 / 600 * 2 + 1) / 3)
    assert s.progress == s.score
    assert (s.status, s.grade, s.stale, s.in_review, s.expected) == ("closed", "green", False, False, 1.0)


# --- aggregates ------------------------------------------------------------------------------------


def test_counted_leaves_out_dropped_objectives():
    a, b, c = obj(oid="a"), obj(oid="b", override="dropped"), obj(oid="c", override="done")
    assert counted([a, b, c]) == [a, c]
    scores = [score(o, D(2026, 11, 1)) for o in (a, b, c)]
    assert counted(scores) == [scores[0], scores[2]]
    assert [is_counted(x) for x in (a, b, c)] == [True, False, True]


# --- changes since a day ---------------------------------------------------------------------------


def test_changes_since():
    since, today = D(2026, 11, 1), D(2026, 11, 15)
    a = obj(
        tracked(0, 100, ci(D(2026, 11, 1), 10), ci(D(2026, 11, 10), 80), kr_id="x"),  # 11-01 is not after since
        tracked(0, 100, ci(D(2026, 11, 10), 5), ci(D(2026, 11, 16), 9), kr_id="y", index=1),  # 11-16: after today
        oid="b/a", commitment="committed",
    )
    b = obj(tracked(0, 10, ci(D(2026, 11, 10), 1), ci(D(2026, 11, 15), 5)), oid="a/b")
    month = obj(tracked(0, 10), oid="c/nov", period=parse_period("2026-11"))  # starts 11-01: not after since
    oct_ = obj(tracked(0, 10), oid="c/oct", period=parse_period("2026-10"))  # ended 10-31: before since
    dec = obj(tracked(0, 10), oid="c/dec", period=parse_period("2026-12"))  # starts after today
    w1 = obj(tracked(0, 10), oid="w/1", period=parse_period("2026-11"), override="dropped")
    ch = changes_since({o.id: o for o in (a, b, month, oct_, dec, w1)}, since, today)
    assert isinstance(ch, Changes) and (ch.since, ch.today) == (since, today)
    # Newest first; on 11-10 by objective id (a/b before b/a), then KR position (x before y)
    assert [(c.objective, c.kr, c.checkin.date) for c in ch.checkins] == [
        ("a/b", "kr1", D(2026, 11, 15)),
        ("a/b", "kr1", D(2026, 11, 10)),
        ("b/a", "x", D(2026, 11, 10)),
        ("b/a", "y", D(2026, 11, 10)),
    ]
    # b/a (committed) on 11-01: x = 0.1, y = 0 -> 0.05; expected 32/92 = 0.348; gap -0.298 -> off-track
    #        on 11-15: x = 0.8, y = 0.05 -> 0.425; expected 46/92 = 0.5; gap -0.075 -> on-track
    # a/b (aspirational) on 11-01: 0; expected 0.348 * 0.7 = 0.243 -> gap -0.243 -> at-risk
    #        on 11-15: 0.5; 0.5 - 0.35 = 0.15 -> on-track
    # c/nov on 11-01: 0 - 0.7 * 1/30 = -0.023 -> on-track; on 11-15: 0 - 0.7 * 15/30 = -0.35 -> off-track
    # c/oct: closed on both days; c/dec: 0 before its start on both days; w/1 dropped on both
    assert ch.status_changes == (
        ("a/b", "at-risk", "on-track"),
        ("b/a", "off-track", "on-track"),
        ("c/nov", "on-track", "off-track"),
    )
    assert ch.started == ()  # c/nov started on since itself, c/dec after today
    assert ch.ended == ()  # c/oct ended the day before since
    assert ch


def test_changes_since_started_and_ended_boundaries():
    oct_ = obj(tracked(0, 10), oid="oct", period=parse_period("2026-10"))  # 10-01 .. 10-31
    nov = obj(tracked(0, 10), oid="nov", period=parse_period("2026-11"))  # 11-01 .. 11-30
    both = [nov, oct_]
    # (since, today] for starts, [since, today) for ends
    ch = changes_since(both, D(2026, 10, 31), D(2026, 11, 1))
    assert (ch.started, ch.ended) == (("nov",), ("oct",))
    # oct on its last day: 0 - 0.7 * 1.0 = -0.7 -> off-track; then closed.
    # nov: before its period 0 - 0 = 0 -> on-track; on 11-01 0 - 0.7 / 30 = -0.023 -> on-track
    assert ch.status_changes == (("oct", "off-track", "closed"),)
    ch = changes_since(both, D(2026, 11, 1), D(2026, 11, 1))
    assert (ch.started, ch.ended, ch.checkins, ch.status_changes) == ((), (), (), ())
    assert not ch
    ch = changes_since(both, D(2026, 9, 1), D(2026, 12, 1))
    assert (ch.started, ch.ended) == (("nov", "oct"), ("nov", "oct"))
