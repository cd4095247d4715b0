"""Month and weekday names of the Moroccan, Mashriq and Maghreb press; datelines."""
from __future__ import annotations

import re
from functools import lru_cache

from .rules import load
from .textnorm import match_key, normalize


@lru_cache(maxsize=1)
def month_lookup() -> dict[str, int]:
    """Match key of every month spelling -> month number."""
    return {match_key(name): int(num) for num, names in load("months").items() for name in names}


@lru_cache(maxsize=1)
def weekday_lookup() -> dict[str, int]:
    """Match key of every weekday name -> ISO weekday (Monday = 1)."""
    return {match_key(name): int(num) for num, names in load("weekdays").items() for name in names}


def month_number(word: str) -> int | None:
    """The month a name stands for, in any of the regional spellings.

    >>> month_number("يوليوز"), month_number("أغسطس"), month_number("جويلية"), month_number("قمر")
    (7, 8, 7, None)
    """
    return month_lookup().get(match_key(word.strip()))


@lru_cache(maxsize=1)
def month_pattern() -> str:
    """A regex alternation of every month spelling, on match keys, longest first."""
    names = sorted(month_lookup(), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


_ANY_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _dateline_regex() -> re.Pattern[str]:
    # "الرباط –22 يوليوز 2025" / "الدار البيضاء - 3 مارس 2024" / "الرباط في 5 ماي 2025", alone on its
    # line or opening the first paragraph and followed by a dash or colon.
    return re.compile(
        r"^\s*(?P<place>[^\d\n\-–—:،,()]{2,40}?)\s*(?:[-–—:،,]|\sفي\s)\s*"
        r"(?P<day>\d{1,2})\s+(?P<month>" + month_pattern() + r")\s+(?P<year>\d{4})\s*(?:$|[-–—:(])"
    )


def parse_dateline(line: str) -> tuple[str, str] | None:
    """Place and ISO date of a press dateline, or None when the line does not start with one.

    >>> parse_dateline("الرباط –22 يوليوز 2025")
    ('الرباط', '2025-07-22')
    >>> parse_dateline("الدار البيضاء - ٣ مارس ٢٠٢٤")
    ('الدار البيضاء', '2024-03-03')
    >>> parse_dateline("طنجة - 5 غشت 2024 - أعلنت الوكالة عن برنامج جديد")
    ('طنجة', '2024-08-05')
    >>> parse_dateline("وقال الوزير إن 22 مشروعا انطلق") is None
    True
    """
    if not _ANY_DIGIT.search(line):  # the day needs a digit, and folding never makes one
        return None
    norm = normalize(line)
    m = _dateline_regex().match(norm.text)
    if not m:
        return None
    day, month, year = int(m["day"]), month_lookup()[m["month"]], int(m["year"])
    if not 1 <= day <= 31 or not 1900 <= year <= 2100:
        return None
    start, end = norm.to_original(m.start("place"), m.end("place"))
    return line[start:end].strip(), f"{year:04d}-{month:02d}-{day:02d}"
