"""Digit-led date patterns rewritten to start with their digits match exactly as the look-behind-first originals."""
from __future__ import annotations

import random
import re

import pytest

from policybrief.extract import named_years
from policybrief.extract.dates import _patterns

# The patterns as first written (look-behind first), kept here as the reference.
ORIGINALS = {
    "year": r"(?<![\d.,/])(?:19|20)\d\d(?![\d%]|[.,]\d)",
    "year_range": r"(?<![\d.,/])(?P<y1>(?:19|20)\d\d)\s*[-/]\s*(?P<y2>(?:19|20)\d\d)(?![\d%]|[.,]\d)",
    "numeric_day": r"(?<![\d.,/-])(?:(?P<d>[0-3]?\d)(?P<sep>[/.-])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)"
                   r"|(?P<y2>(?:19|20)\d\d)-(?P<m2>[01]\d)-(?P<d2>[0-3]\d))(?![\d%]|[.,/-]\d)",
    "year_or_range": r"(?<![\d.,])(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)\d\d)?(?![\d%]|[.,]\d)",
    "version": r"(?<![\d.,])\d{1,2}\.\d(?![\d%]|[.,]\d)",
}


def _current(name: str) -> re.Pattern[str]:
    if name == "year_or_range":
        return named_years._YEAR_OR_RANGE
    if name == "version":
        return named_years._VERSION
    return _patterns()[name]


def _matches(pattern: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("في أفق 2030 و2019-2025، ثم 12/05/2024 و2024-03-07.", id="years-ranges-and-days"),
        pytest.param("بنسبة 2020% و1.2030 و/2021 و,2022 والصناعة 4.0 و3.5.", id="not-years"),
        pytest.param("٢٠٢٤/٠٣/١٢ و١.٥", id="arabic-indic-digits"),
        pytest.param("2025", id="year-alone"),
        pytest.param("1/2/2003-04-05", id="adjacent-candidates"),
    ],
)
@pytest.mark.parametrize("name", list(ORIGINALS))
def test_examples_match_as_the_original(name, text):
    assert _matches(_current(name), text) == _matches(re.compile(ORIGINALS[name]), text)


@pytest.mark.parametrize("name", list(ORIGINALS))
def test_random_digit_texts_match_as_the_original(name):
    rng = random.Random(name)
    pieces = ["19", "20", "0", "1", "2", "3", "5", "9", "٢", ".", ",", "/", "-", "%", " ", "و", "ا"]
    original, current = re.compile(ORIGINALS[name]), _current(name)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        assert _matches(current, text) == _matches(original, text), text
