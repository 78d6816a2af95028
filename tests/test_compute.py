"""Computed values of the contract, checked against hand-worked examples.

Each case shows its arithmetic in a comment; the expected values are written
out by hand, not recomputed with the formula under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_okrs.core.compute import (
    expected_progress,
    grade_for,
    kr_score,
    metric_progress,
    score,
    status_for,
    weighted_progress,
)
from mkdocs_okrs.core.model import KeyResult, Objective
from mkdocs_okrs.core.periods import parse_period

D = dt.date
Q4 = parse_period("2026-Q4")  # 2026-10-01 .. 2026-12-31: 31 + 30 + 31 = 92 days


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
    assert kr_score(metric(800, 200, 450)).progress == pytest.approx(0.5833333333)


def test_over_achievement_keeps_the_raw_value():
    # (250 - 100) / (200 - 100) = 150 / 100 = 1.5 -> clamped to 1.0, raw stays 1.5
    assert metric_progress(100, 200, 250) == (1.0, 1.5)
    s = kr_score(metric(100, 200, 250))
    assert (s.progress, s.raw) == (1.0, 1.5)
    # Decreasing and beaten: (100 - 800) / (200 - 800) = -700 / -600 = 1.1666...
    s = kr_score(metric(800, 200, 100))
    assert s.progress == 1.0 and s.raw == pytest.approx(7 / 6)


def test_below_start_clamps_to_zero():
    # (80 - 100) / (200 - 100) = -20 / 100 = -0.2 -> clamped to 0.0
    assert metric_progress(100, 200, 80) == (0.0, -0.2)
    # Decreasing metric that got worse: (900 - 800) / (200 - 800) = 100 / -600 = -0.1666...
    clamped, raw = metric_progress(800, 200, 900)
    assert clamped == 0.0 and raw == pytest.approx(-1 / 6)


def test_metric_without_current_counts_as_at_start():
    # current defaults to start: (0 - 0) / (10 - 0) = 0
    s = kr_score(metric(0, 10))
    assert (s.progress, s.raw) == (0.0, 0.0)


def test_decimal_metric():
    # (0.6 - 0) / (1.5 - 0) = 0.4 (in binary floating point 0.39999999999999997)
    assert kr_score(metric(0, 1.5, 0.6)).progress == pytest.approx(0.4)


# --- milestones and unmeasured key results -------------------------------------------------


def test_milestone_is_one_when_done_else_zero():
    assert (kr_score(milestone(True)).progress, kr_score(milestone(True)).raw) == (1.0, 1.0)
    assert kr_score(milestone(False)).progress == 0.0
    assert kr_score(milestone(None)).progress == 0.0


def test_unmeasured_key_result_has_no_progress():
    s = kr_score(unmeasured())
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
    assert s.grade == "red"  # the grade still reads the progress (0.0)


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
    assert kr_score(metric(0, 1.5, 0.6)).progress < 0.4
    assert score(objective(metric(0, 1.5, 0.6)), D(2026, 11, 22)).grade == "yellow"
    # (2.3 - 0.2) / (3.2 - 0.2) = 2.1 / 3 = 0.7, computed as 0.6999999999999998: green
    assert kr_score(metric(0.2, 3.2, 2.3)).progress < 0.7
    assert score(objective(metric(0.2, 3.2, 2.3)), D(2026, 11, 22)).grade == "green"


def test_status_boundaries_survive_binary_noise():
    # committed, progress 0.3 at expected 0.4: gap = 0.3 - 0.4 = -0.10, computed as
    # -0.10000000000000003; it is on the boundary, so on-track
    assert 0.3 - 1.0 * 0.4 < -0.10
    assert status_for(0.3, 0.4, "committed") == "on-track"
