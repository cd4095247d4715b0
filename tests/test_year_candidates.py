"""Year patterns tried only where "19" or "20" starts find exactly what their finditer over the text finds."""
from __future__ import annotations

import random

import pytest

from policybrief.extract import named_years
from policybrief.extract.dates import _patterns
from policybrief.extract.named_years import century_starts, finditer_at
from policybrief.textnorm import match_key

DIGIT_BITS = ["19", "20", "2019", "2030", "1920", "202020", "0", "1", "2", "9", "12", "٢٠٢٤", ".", ",", "/", "-", " - ",
              "%", "5.2", ""]
JOINS = ["", " ", " ", "  ", "\n", "، ", "-", "/", "و", " و"]


def _patterns_under_test():
    return {"year": _patterns()["year"], "year_range": _patterns()["year_range"],
            "year_or_range": named_years._YEAR_OR_RANGE}


def _matches(matches) -> list:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize(
    "key, expected",
    [
        pytest.param("", [], id="empty"),
        pytest.param("2020", [0, 2], id="twenty-twice"),
        pytest.param("1919 و1920", [0, 2, 6, 8], id="both-centuries"),
        pytest.param("في افق 2030", [7], id="one-year"),
        pytest.param("120019", [1, 4], id="inside-longer-numbers"),
    ],
)
def test_century_starts_examples(key, expected):
    assert century_starts(key) == expected


@pytest.mark.parametrize("name", ["year", "year_range", "year_or_range"])
@pytest.mark.parametrize(
    "key",
    [
        pytest.param("في أفق 2030 و2019-2025، ثم 2024/2025 و1.2030 و/2021", id="years-and-ranges"),
        pytest.param("20192020 و2020-2019-2030 و2030%", id="glued-and-chained"),
        pytest.param("بدون سنوات", id="no-digits"),
    ],
)
def test_examples_match_as_finditer(name, key):
    pattern = _patterns_under_test()[name]
    assert _matches(finditer_at(pattern, key, century_starts(key))) == _matches(pattern.finditer(key))


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_random_sentences_match_as_finditer(seed, gold_key_words):
    rng = random.Random(seed)
    gold = gold_key_words
    patterns = _patterns_under_test()
    found = 0
    for _ in range(1500):
        parts = [(rng.choice(DIGIT_BITS) if rng.random() < 0.5 else rng.choice(gold)) + rng.choice(JOINS)
                 for _ in range(rng.randint(1, 14))]
        key = match_key("".join(parts))
        starts = century_starts(key)
        assert starts == sorted(i for i in range(len(key)) if key.startswith(("19", "20"), i)), key
        for pattern in patterns.values():
            expected = _matches(pattern.finditer(key))
            assert _matches(finditer_at(pattern, key, starts)) == expected, key
            found += len(expected)
    assert found > 1000  # the texts hold years, not only misses


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(3)])
def test_numeric_days_from_year_starts_match_the_full_scan(seed, gold_key_words):
    """The numeric-day shortcut (a year after a separator or before a dash) never misses a match."""
    from policybrief.extract import dates

    rng = random.Random(seed)
    gold = gold_key_words
    bits = ["12/05/2024", "2024-03-07", "1.2.1999", "03-2020", "2030-", "/2021", "7/11", *DIGIT_BITS]
    numeric_day = _patterns()["numeric_day"]
    found = 0
    for _ in range(1500):
        parts = [(rng.choice(bits) if rng.random() < 0.5 else rng.choice(gold)) + rng.choice(JOINS)
                 for _ in range(rng.randint(1, 10))]
        key = match_key("".join(parts))
        expected = [m.span() for m in numeric_day.finditer(key)]
        assert [m.span() for m in dates._numeric_days(key, century_starts(key))] == expected, key
        found += len(expected)
    assert found > 300


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(2)])
def test_in_spans_answers_as_any(seed):
    rng = random.Random(seed)
    for _ in range(3000):
        spans = [tuple(sorted(rng.sample(range(30), 2))) for _ in range(rng.randint(0, 4))]
        start, end = sorted(rng.sample(range(30), 2))
        expected = any(s < end and start < e for s, e in spans)
        assert named_years.in_spans(start, end, spans) == expected, (start, end, spans)


def _reference_previous_words(key: str, pos: int, n: int) -> list[str]:
    """``named_years._previous_words`` as first written: every clause break listed, the window cut at the last."""
    window = key[max(0, pos - 120):pos]
    breaks = list(named_years._CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return named_years._WORD.findall(window)[-n:]


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(3)])
def test_previous_words_as_first_written(seed, gold_key_words):
    rng = random.Random(seed)
    gold = gold_key_words
    joins = [*JOINS, ". ", "\n", "(", ") ", "؟ ", '"', "- "]
    for _ in range(600):
        key = "".join(rng.choice(gold) + rng.choice(joins) for _ in range(rng.randint(1, 40)))
        for _ in range(10):
            pos, n = rng.randint(0, len(key)), rng.choice([1, 2, 6])
            assert named_years._previous_words(key, pos, n) == _reference_previous_words(key, pos, n), (key, pos)
