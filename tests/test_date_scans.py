"""The faster scans of extract.dates find exactly what the scans they replace found.

Texts are random sequences of words of the gold articles mixed with month names, digits, separators and
punctuation, so that month names, numeric days and datelines turn up next to every kind of character.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from policybrief.dates import month_lookup, month_pattern
from policybrief.extract import dates, named_years
from policybrief.textnorm import match_key

_ARTICLES = Path(__file__).parent / "gold" / "articles"
_PIECES = ["مارس", "ماي", "ومايو", "آب", "أوت", "يوليوز", "تشرين الأول", "كانون الثاني", "أبريل/نيسان",
           "أبريل (نيسان)", "ابريل /نيسان ", "(", ")", "/", "-", ".", ",", "،", '"', "«", "\n", "\n\n", " ",
           "  ", "و", "ف", "ب", "_", "x", "ً", "3", "12", "05", "2025", "1999", "الـ", "فاتح", "شهر", "من",
           "الرباط – ", "طنجة - ", "في "]


@pytest.fixture(scope="module")
def words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(_ARTICLES.glob("*.txt")))
    return text.split()


def _random_keys(words: list[str], seed: int, n: int = 1500):
    rng = random.Random(seed)
    for _ in range(n):
        parts = [rng.choice(_PIECES) if rng.random() < 0.6 else rng.choice(words) for _ in range(rng.randrange(1, 16))]
        yield match_key("".join(part + rng.choice(["", " ", " ", "\n", "، "]) for part in parts))


def _dateline_date_by_finditer(key: str) -> dt.date | None:
    """``dates._dateline_date`` as it was: the ``day`` pattern scanned over the first lines."""
    lines = dates._dateline_lines(key)
    if not lines:
        return None
    for m in dates._patterns()["day"].finditer(key, 0, lines[-1][1]):
        if m["y"] and dates._is_dateline(key, m.start(), m.end(), lines):
            iso = dates._iso(int(m["y"]), month_lookup()[m["m"]], dates._day_number(m["d"]))
            return dt.date.fromisoformat(iso) if iso else None
    return None


def test_month_scan_tries_the_names_of_month_pattern_in_its_order():
    names = sorted(month_lookup(), key=len, reverse=True)
    assert "|".join(re.escape(n) for n in names) == month_pattern()


@pytest.mark.parametrize(
    "key, expected",
    [
        pytest.param("مارس 2025", [(0, 4)], id="at-the-start"),
        pytest.param("ومارس", [(1, 5)], id="after-waw-at-the-start"),
        pytest.param("في مارس وابريل", [(3, 7), (9, 14)], id="second-after-waw"),
        pytest.param("ابريل / نيسان مارس", [(0, 14), (14, 18)], id="next-right-after-an-other-spelling"),
        pytest.param("عمارس ومارسه بمارس", [], id="inside-words"),
    ],
)
def test_month_spans_examples(key, expected):
    assert dates._month_spans(key) == expected
    assert [m.span() for m in dates._patterns()["month_at"].finditer(key)] == expected


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(3)])
def test_month_spans_equal_the_month_at_scan(words, seed):
    month_at = dates._patterns()["month_at"]
    for key in _random_keys(words, seed):
        assert dates._month_spans(key) == [m.span() for m in month_at.finditer(key)], key


def test_numeric_days_equal_the_full_scan():
    rng = random.Random(7)
    pieces = ["19", "20", "0", "1", "2", "3", "5", "12", ".", ",", "/", "-", "%", " ", "و", "ا", "\n"]
    numeric_day = dates._patterns()["numeric_day"]
    for _ in range(6000):
        key = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        assert [m.span() for m in dates._numeric_days(key)] == [m.span() for m in numeric_day.finditer(key)], key


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("الرباط – 22 يوليوز 2025\nنص", dt.date(2025, 7, 22), id="first-line"),
        pytest.param("أ\nب\nالرباط - 22 يوليوز\n2025", None, id="year-past-the-third-line"),
        pytest.param("أ\nب\nج\nالرباط - 22 يوليوز 2025", None, id="fourth-line"),
    ],
)
def test_dateline_date_examples(text, expected):
    key = match_key(text)
    starts = [start for start, _ in dates._month_spans(key)]
    assert dates._dateline_date(key, starts) == expected == _dateline_date_by_finditer(key)


def _dateline_keys(words: list[str], seed: int, n: int = 1500):
    """Keys opening with dateline-like lines: a place, a separator, a day, a month and a year, each maybe."""
    rng = random.Random(seed)
    maybe = lambda options: rng.choice(options + [""])
    for _ in range(n):
        lines = []
        for _ in range(rng.randrange(1, 5)):
            lines.append(maybe(["الرباط", "الدار البيضاء", "مدينة طنجة الكبرى", rng.choice(words)])
                         + maybe([" – ", " - ", ": ", "، ", " في ", " (ومع) - ", " "])
                         + maybe(["الاثنين ", "يوم "]) + maybe(["22 ", "3 ", "الـ3 من ", "فاتح ", "31 ", "12 و13 "])
                         + maybe(["يوليوز", "شهر مارس", "فبراير", "ماي"]) + maybe([" 2025", "، 2024", " سنة 2023"])
                         + maybe([" - ", " أعلنت الوزارة", " " + " ".join(rng.choices(words, k=8))]))
        yield match_key(rng.choice(["", "\n"]) + "\n".join(lines))


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(3)])
def test_dateline_date_equals_the_full_scan(words, seed):
    found = 0
    for key in [*_random_keys(words, 100 + seed, 500), *_dateline_keys(words, 200 + seed)]:
        expected = _dateline_date_by_finditer(key)
        found += expected is not None
        starts = [start for start, _ in dates._month_spans(key)]
        assert dates._dateline_date(key, starts) == expected, key
    assert found > 100  # the keys do exercise datelines


@pytest.mark.parametrize("name", ["day", "day_range"])
def test_day_led_matches_equal_the_full_scan(words, name):
    pieces = ["12", "3", "31", "05", "2025", "الـ3", "ال", "فاتح", "و13", "-", "الى", "حتى", "من", "شهر", "مارس",
              "يوليوز", "ماي", "تشرين الأول", "أبريل/نيسان", "الماضي", "المقبل", "،", ".", "سنة", "۳", "١٢", "2.5",
              "12 و13", "3 - 5", "۳ الى ۵", "فاتح و2", "३", "１२"]
    pattern, rng = dates._patterns()[name], random.Random(name)
    found = 0
    for _ in range(3000):
        parts = [rng.choice(pieces) if rng.random() < 0.8 else rng.choice(words) for _ in range(rng.randrange(1, 14))]
        key = match_key("".join(part + rng.choice(["", " ", " ", "  ", "\n"]) for part in parts))
        starts = [start for start, _ in dates._month_spans(key)]
        expected = [m.span() for m in pattern.finditer(key)]
        assert [m.span() for m in dates._day_led_matches(key, name, starts)] == expected, key
        found += len(expected)
    assert found > 100


def test_str_split_finds_the_words_of_the_old_cue_chain_regex():
    """dates._cue_chain now splits its window with str.split, which it did with findall of [^\\s]+."""
    spaces = [c for c in map(chr, range(0x3001)) if c.isspace()] + ["\u200b", "\u200f", "\ufeff", "\u0640"]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(spaces + ["في", "أفق", "2030", "،", "-", "x"]) for _ in range(rng.randrange(0, 12)))
        assert text.split() == re.findall(r"[^\s]+", text), repr(text)


def test_version_spans_equal_the_version_scan():
    rng = random.Random(9)
    pieces = ["0", "1", "4", "12", "123", "٣", "३", ".", ".", ",", "%", " ", "Web ", "الصناعة ", "و", "/"]
    found = 0
    for _ in range(20000):
        key = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        expected = [m.span() for m in named_years._VERSION.finditer(key)]
        assert named_years._version_spans(key) == expected, key
        found += len(expected)
    assert found > 300


@pytest.mark.parametrize("name", ["this_month_relative", "year_relative", "weekday_dir", "relative", "weekday_bare"])
def test_relative_matches_equal_the_full_scan(words, name):
    pieces = ["الشهر", "للشهر", "شهر", "العام", "عام", "السنة", "سنة", "الماضي", "المقبل", "الجاري", "الفارط", "الأخير",
              "الخميس", "يوم الجمعة", "الاحد", "اليوم", "أمس", "أول أمس", "غدا", "بعد غد", "بالأمس", "يوم غد", "،", ","]
    pattern, rng = dates._patterns()[name], random.Random(name)
    found = 0
    for _ in range(3000):
        parts = [rng.choice(pieces) if rng.random() < 0.8 else rng.choice(words) for _ in range(rng.randrange(1, 12))]
        key = match_key("".join(part + rng.choice(["", " ", " ", " ", "\n", "، "]) for part in parts))
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(key)]
        assert [(m.span(), m.groupdict()) for m in dates._relative_matches(key, name)] == expected, key
        found += len(expected)
    assert found > 50
