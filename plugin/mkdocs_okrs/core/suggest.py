"""'Did you mean ...?' suggestions for unknown ids and keys."""

from __future__ import annotations

import difflib
from typing import Iterable


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word``, or None when nothing is close enough.

    Case-insensitive; ties resolve to the alphabetically first candidate so the
    message is deterministic. Ids are paths, so when no whole id is close the
    last segments are compared too.
    """
    pool = sorted(set(candidates))
    if not pool:
        return None
    hit = _best(word.lower(), [(c.lower(), c) for c in pool], cutoff)
    if hit is None:
        tail = word.rsplit("/", 1)[-1].lower()
        hit = _best(tail, [(c.rsplit("/", 1)[-1].lower(), c) for c in pool], 0.75)
    return hit


def _best(word: str, keyed: list[tuple[str, str]], cutoff: float) -> str | None:
    """The candidate whose key is most similar to ``word`` (first in order on ties)."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for key, original in keyed:
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff and (best is None or ratio > best[0]):
            best = (ratio, original)
    return best[1] if best else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` or the empty string."""
    hint = closest(word, candidates)
    return f"; did you mean {hint!r}?" if hint else ""
