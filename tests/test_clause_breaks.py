"""figures._Breaks answers exactly as the clause-break regex searched over the same windows."""
from __future__ import annotations

import random

import pytest

from policybrief.extract import figures
from policybrief.extract.figures import _CLAUSE_BREAK, _Breaks


def _regex_clause(key: str, start: int, end: int) -> tuple[int, int]:
    """The clause by the regex, as figures computed it before ``_Breaks``."""
    lo = max(0, start - 300)
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(key, lo, start)]
    m = _CLAUSE_BREAK.search(key, end, end + 300)
    return (breaks[-1] if breaks else lo), (m.start() if m else min(len(key), end + 300))


@pytest.mark.parametrize(
    "key, start, end, expected",
    [
        pytest.param("بلغ 10.8 مليار، وقال", 4, 8, (0, 14), id="decimal-point-is-not-a-break"),
        pytest.param("في أفق 2030: 500 منصب. ثم", 13, 20, (12, 21), id="colon-and-point"),
        pytest.param("أ.5 مليون", 2, 3, (2, 9), id="point-right-before-the-window-end"),
        pytest.param("بدون فواصل", 0, 4, (0, 10), id="no-break"),
    ],
)
def test_clause_examples(key, start, end, expected):
    assert figures._clause(key, start, end) == expected == _regex_clause(key, start, end)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(6)])
def test_breaks_equal_the_regex_on_random_keys(seed):
    rng = random.Random(seed)
    alphabet = "بلغ 0123456789.,:;!?\n\u060c\u061b\u061f٣"
    for _ in range(60):
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 700)))
        breaks = _Breaks(key)
        for _ in range(20):
            lo, hi = sorted(rng.randint(0, len(key)) for _ in range(2))
            first = _CLAUSE_BREAK.search(key, lo, hi)
            assert breaks.first_start(lo, hi) == (first.start() if first else None)
            every = [m.end() for m in _CLAUSE_BREAK.finditer(key, lo, hi)]
            assert breaks.last_end(lo, hi) == (every[-1] if every else None)
            assert figures._clause(key, lo, hi, breaks) == _regex_clause(key, lo, hi)
