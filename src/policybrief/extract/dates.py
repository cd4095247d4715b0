"""Calendar references in Arabic press text -> the DATES table (iso, precision, quote, offsets, what).

Everything is matched on the match key of the text (``textnorm``: Arabic-Indic digits, alef / ya /
ta-marbuta variants, dashes and quotes folded; diacritics and tatweel dropped) and mapped back, so
``text[start:end] == quote`` always holds. Month names come from ``data/months.yml`` (Moroccan,
Mashriq, Algerian / Tunisian spellings), weekdays from ``data/weekdays.yml``, cue words from
``data/date_markers.yml``.

Rules, in priority order (a later rule never overlaps an earlier match):

0. Numeric days ``22/07/2025``, ``22-07-2025``, ``2025-07-22`` (day first, as in Moroccan usage).
1. Day ranges ``12 و13 يوليوز 2025``, ``من 12 إلى 14 مارس 2024``: two rows (day).
2. Day-month(-year) ``22 يوليوز 2025``, ``الاثنين 12 يناير 2026``, ``الـ3 من شهر مارس سنة 2024``,
   ``فاتح مارس 2026`` (the first of the month).
   A day and month with no year borrow the year of a full date joined to it by a range word
   (``من 28 يونيو إلى 2 يوليوز 2025``), else take the year of ``published`` (or, when it is empty,
   of the document's dateline), moved back a year when ``الماضي`` follows and the day would
   otherwise be after publication (``30 أكتوبر الماضي``); with no reference the mention is skipped.
3. Month ranges ``بين يناير ومارس 2025`` (two rows) and month-year ``سبتمبر 2025``, ``شهر يوليوز 2025``.
4. Relative references, only when ``published`` is a valid ISO date (otherwise skipped):
   ``اليوم الاثنين``, ``أمس``, ``غدا``, ``أول أمس``, ``يوم الخميس الماضي``, ``الخميس المقبل``, a bare
   ``يوم الخميس`` (the latest Thursday on or before publication), ``يوليوز الماضي`` (month),
   ``العام الماضي`` (year). ``اليوم`` before a definite word (``اليوم العالمي``) is not a date.
5. Year ranges ``2025-2030``, ``2024/2025`` (two rows, year) and listed years ``بين 2025 و2030``.
6. A bare 4-digit number 1900-2099 is a year only after a time cue (possibly chained:
   ``في أفق سنة 2029``). Strong cues (``سنة``، ``عام``، ``أفق``، ``بحلول``، ``مطلع``...) always make a year;
   weak cues (``في``، ``خلال``، ``منذ``، ``بين``...) only when the number is not followed by a percent, a
   counted noun from ``counted_nouns`` or an indefinite accusative noun (``في 2000 مقاولة``,
   ``إلى 2025 مستفيدا``, ``بين 2000 و3000 منصب`` are counts). A number with no cue is never a year
   (``2030 منصب`` is a count). Years that belong to a name (``named_year_spans``: ``المغرب الرقمي 2030``,
   ``Maroc IA 2030``) are never dates.

``what``: ``dateline`` for a day date at the head of one of the first three lines (``الرباط –22 يوليوز
2025``), ``relative`` for rule 4, ``target`` when a horizon cue (``في أفق``، ``بحلول``، ``حتى``، ``مع نهاية``,
``إلى غاية``، ``قبل متم``) leads to the date and its year is not before the publication (or dateline)
year, ``event`` otherwise.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..dates import month_lookup, month_pattern, weekday_lookup
from ..rules import load
from ..schemas import empty_frame, validate
from ..segment import sentence_spans, sentence_window
from ..textnorm import NormalizedText, match_key, normalize
from .named_years import _named_spans, century_starts, finditer_at, in_spans


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date found in the match key (offsets into the key, mapped back at the end)."""

    iso: str
    precision: str
    start: int
    end: int
    what: str
    rule: str


def _alt(words) -> str:
    keys = sorted({match_key(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(k) for k in keys)


def _alt_by_first_letter(names: list[str]) -> str:
    """``names`` as an alternation grouped by first letter, each group in the order of ``names``.

    Only names starting with the letter at hand can match, and they are tried in the same order, so it
    matches as ``"|".join(names)``; the regex engine tests one letter per group instead of every name.

    >>> _alt_by_first_letter(["مايو", "يناير", "ماي"])
    'م(?:ايو|اي)|ي(?:ناير)'
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    return "|".join(re.escape(first) + "(?:" + "|".join(re.escape(rest) for rest in tails) + ")"
                    for first, tails in groups.items())


@lru_cache(maxsize=1)
def _markers() -> dict:
    rules = load("date_markers")
    keys = lambda name: frozenset(match_key(w) for w in rules[name])
    strong, weak, target = keys("year_cues_strong"), keys("year_cues_weak"), keys("target_cues")
    return {
        "strong": strong,
        "weak": weak,
        "target": target,
        "cues": strong | weak | target,
        "target_pairs": frozenset(tuple(match_key(w) for w in pair) for pair in rules["target_pairs"]),
        "after_ok": keys("after_year_ok"),
        "counted": keys("counted_nouns"),
        "today_not_after": keys("today_not_after"),
    }


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = load("date_markers")
    month = r"(?:" + month_pattern() + r")"
    other_spelling = r"(?:\s*[/(]\s*" + month + r"\s*\)?)?"  # أبريل/نيسان, أبريل (نيسان)
    month_g = lambda g: r"(?:(?<!\w)|(?<=(?<!\w)و))(?P<" + g + r">" + month_pattern() + r")(?!\w)" + other_spelling
    weekday = r"(?:" + _alt(weekday_lookup()) + r")"
    first_day = _alt(rules["first_day_words"])
    day = lambda g: r"(?<![\d.,/])(?:ال)?(?P<" + g + r">[0-3]?\d|" + first_day + r")(?![\d.,]\d)"
    of, year_word, month_word = _alt(rules["of_words"]), _alt(rules["year_words"]), _alt(rules["month_words"])
    year = r"(?:\s*[،,]?\s*(?:(?:(?:" + of + r")\s+)?(?:" + year_word + r")\s+)?(?P<y>(?:19|20)\d\d)(?!\d))"
    of_month = r"\s*(?:(?:" + of + r")\s+)?(?:(?:" + month_word + r")\s+)?"
    joiner = r"\s*(?:-|و|" + _alt(rules["range_joiners"]) + r")\s*"
    past = _alt(rules["past_words"])
    past_month_year = past + "|" + _alt(rules["past_words_month_year"])
    nxt = _alt(rules["next_words"])
    cur = _alt(rules["current_words"])
    rel_word = _alt(
        rules["relative_day_before_yesterday"] + rules["relative_day_after_tomorrow"]
        + rules["relative_today"] + rules["relative_yesterday"] + rules["relative_tomorrow"]
        + rules["relative_day_phrases"]
    )
    return {
        # Day patterns start at the digit (fast to scan); a weekday or يوم before it is added by
        # "day_prefix". Month patterns are tried only where "month_at" found a month name.
        "day_prefix": re.compile(r"(?:(?<!\w)" + weekday + r"\s*[،,]?\s*)?(?:(?<!\w)يوم\s+)?$"),
        "month_prefix": re.compile(r"(?<!\w)شهري?\s+$"),
        "month_at": re.compile(month_g("m")),
        # "month_at" with its look-behind turned into a leading non-word character (and the text given one
        # in front, see _month_spans): the engine then skips to such characters instead of testing the
        # look-behind at every position (~3x faster). A month right after it is tried before one after و,
        # as "month_at" tries positions from left to right.
        "month_scan": re.compile(
            r"[^\w](?:|و)(?P<m>" + _alt_by_first_letter(sorted(month_lookup(), key=len, reverse=True)) + r")(?!\w)" + other_spelling
        ),
        "day_range": re.compile(
            day("d1") + joiner + day("d2") + of_month + month_g("m") + r"(?:" + year + r"|\s+(?:(?P<past>"
            + past + r")|(?P<next>" + nxt + r"))ه?(?!\w))?"
        ),
        "day": re.compile(
            day("d")
            + of_month + month_g("m") + r"(?:" + year + r"|\s+(?:(?P<past>" + past + r")|(?P<next>" + nxt
            + r"))ه?(?!\w))?"
        ),
        "month_range": re.compile(month_g("m1") + joiner + month_g("m2") + year),
        "month": re.compile(month_g("m") + year),
        "month_relative": re.compile(
            month_g("m") + r"\s+(?:(?P<past>" + past + r")|(?P<next>" + nxt
            + r")|(?P<cur>" + cur + r"))(?!\w)"
        ),
        "this_month_relative": re.compile(
            r"(?<!\w)(?:[وفب]?ال|لل)(?:" + month_word + r")\s+(?:(?P<past>" + past_month_year + r")|(?P<next>" + nxt
            + r")|(?P<cur>" + cur + r"))(?!\w)"
        ),
        # Digit-led patterns start with their digits and look behind past them ((?<![\d.,/]..) after "20"
        # is (?<![\d.,/]) before it): a pattern that starts with a character or literal lets the regex
        # engine skip to candidate positions, about 4x faster than testing a look-behind everywhere.
        "numeric_day": re.compile(
            r"(?:(?P<d>[0-3](?<![\d.,/-].)\d|\d(?<![\d.,/-].))(?P<sep>[/.-])(?P<m>[01]?\d)(?P=sep)"
            r"(?P<y>(?:19|20)\d\d)"
            r"|(?P<y2>(?:19|20)(?<![\d.,/-]..)\d\d)-(?P<m2>[01]\d)-(?P<d2>[0-3]\d))(?![\d%]|[.,/-]\d)"
        ),
        # Every "numeric_day" match contains one of these (a separator, the month, the separator again and
        # the year or the day); most texts have none, and this scan is several times cheaper.
        "numeric_day_hint": re.compile(r"[/.-](?:[01]?\d[/.-](?:19|20)\d\d|[01]\d-[0-3]\d)"),
        "year_relative": re.compile(
            r"(?<!\w)(?:ال|[وفب]ال|لل)?(?:" + year_word + r")\s+(?:(?P<past>" + past_month_year + r")|(?P<next>" + nxt
            + r")|(?P<cur>" + cur + r"))ه?(?!\w)"
        ),
        "relative": re.compile(
            r"(?<!\w)(?:[وف])?(?P<rel>" + rel_word + r")(?!\w)(?:\s*[،,]?\s*(?P<wd>" + weekday + r")(?!\w))?"
        ),
        "weekday_dir": re.compile(
            r"(?<!\w)(?:[وف]?يوم\s+)?(?P<wd>" + weekday + r")\s+(?:(?P<past>" + past + r")|(?P<next>"
            + nxt + r"))ه?(?!\w)"
        ),
        "weekday_bare": re.compile(
            r"(?:(?<!\w)[وفل]?يوم\s+(?P<wd>" + weekday + r")(?!\w))|(?:[،,]\s*(?P<wd2>" + weekday
            + r")\s*(?=[،,]))"
        ),
        "year_range": re.compile(
            r"(?P<y1>(?:19|20)(?<![\d.,/]..)\d\d)\s*[-/]\s*(?P<y2>(?:19|20)\d\d)(?![\d%]|[.,]\d)"
        ),
        "year": re.compile(r"(?:19|20)(?<![\d.,/]..)\d\d(?![\d%]|[.,]\d)"),
        "rel_keys": re.compile("|".join(
            f"(?P<{name}>^(?:{_alt(rules['relative_' + name])})$)"
            for name in ("day_before_yesterday", "day_after_tomorrow", "today", "yesterday", "tomorrow")
        ) + r"|(?P<yesterday2>^(?:يوم امس|بالامس)$)|(?P<tomorrow2>^يوم غد$)"),
    }


_GLUED = re.compile(r"(\S+)$")
_PERCENT_AFTER = re.compile(r"\s*(?:%|في الما[يئ]ه|بالما[يئ]ه)")
_NUMBER_AFTER = re.compile(r"\s*[وف]?\s*\d+")
_LIST_GAP = re.compile(r"\s*(?:و|-|/|،|,|او|الي|حتي|ثم)\s*")
_STRIP = "\"'()«»[]،,.:;!?؛؟"
_DAY_SEPARATORS = ("/", ".", "-")


def _cue_chain(key: str, start: int) -> list[str]:
    """The run of time-cue words right before ``start`` (nearest last): ``في أفق سنة`` -> 3 words."""
    markers = _markers()
    window = key[max(0, start - 60):start]
    if window and not window[-1].isspace() and window[-1] != "-":
        # A letter glued to the number: only a one-letter proclitic (ب2030) counts, as a weak cue.
        m = _GLUED.search(window)
        glued = m.group(1) if m else ""
        return ["في"] if glued in ("ب", "وب", "فب") else []
    chain: list[str] = []
    for token in reversed(window.split()):  # str.split and \s agree on what is a space
        word = token.strip(_STRIP)
        if token != word and chain:
            break
        if word not in markers["cues"] and word[:1] in "وف" and word[1:] in markers["cues"]:
            word = word[1:]
        if word not in markers["cues"]:
            break
        chain.append(word)
        if token != token.lstrip(_STRIP):
            break
    return chain[::-1]


def _is_target(chain: list[str]) -> bool:
    markers = _markers()
    if any(w in markers["target"] for w in chain):
        return True
    return any(pair in markers["target_pairs"] for pair in zip(chain, chain[1:]))


def _next_word(key: str, end: int) -> str:
    """The token after ``end`` ('' at a punctuation mark or the end of the line)."""
    rest = key[end:end + 40]
    stripped = rest.lstrip(" \t")
    if not stripped or stripped[0] in _STRIP + "\n-":
        return ""
    return stripped.split(None, 1)[0].strip(_STRIP)


def _looks_like_count(key: str, end: int) -> bool:
    """After a weak cue: is the number followed by a percent sign or a counted noun (``2000 مشروع``)?

    Any other word (a verb, a preposition, a definite noun) leaves the number a year.
    """
    markers = _markers()
    if _PERCENT_AFTER.match(key[end:end + 15]):
        return True
    word = _next_word(key, end)
    if not word or word == "م" or word in markers["after_ok"]:
        return False
    listed = _NUMBER_AFTER.match(key[end:end + 20])
    if listed and word.lstrip("وف").isdigit():
        # "بين 2000 و3000 منصب": the next number's noun decides for both
        return _looks_like_count(key, end + listed.end())
    if word in markers["counted"] or (word[:1] in "وف" and word[1:] in markers["counted"]):
        return True
    # an indefinite accusative noun (tanwin alif) is a counted noun: 2025 مستفيدا
    return len(word) >= 4 and word.endswith("ا") and not word.startswith(("ال", "لل"))


def _iso(year: int, month: int = 0, day: int = 0) -> str | None:
    """ISO string of a year, a month or a day; None when the date does not exist."""
    if not 1900 <= year <= 2099:
        return None
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _published(published: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published.strip()[:10]) if published else None
    except ValueError:
        return None


def _weekday_on_or_before(ref: dt.date, weekday: int) -> dt.date:
    """The latest date with ISO ``weekday`` on or before ``ref``.

    >>> _weekday_on_or_before(dt.date(2025, 7, 24), 1).isoformat()  # Thursday -> Monday
    '2025-07-21'
    """
    return ref - dt.timedelta(days=(ref.isoweekday() - weekday) % 7)


def _weekday_on_or_after(ref: dt.date, weekday: int) -> dt.date:
    return ref + dt.timedelta(days=(weekday - ref.isoweekday()) % 7)


class _Collector:
    """Accepts mentions whose key span does not overlap an accepted one or a name."""

    def __init__(self, norm: NormalizedText, named: list[tuple[int, int]]) -> None:
        self.norm = norm
        self.named = named
        self.taken: list[tuple[int, int]] = []
        self.mentions: list[DateMention] = []

    def free(self, start: int, end: int) -> bool:
        if in_spans(start, end, self.taken):
            return False
        return not self.named or not in_spans(*self.norm.to_original(start, end), self.named)

    def add(self, mention: DateMention | None, span: tuple[int, int] | None = None) -> None:
        if mention is None:
            return
        self.mentions.append(mention)
        self.taken.append(span or (mention.start, mention.end))


def _what(key: str, start: int, default: str = "event") -> str:
    return "target" if _is_target(_cue_chain(key, start)) else default


def _dateline_lines(key: str) -> list[tuple[int, int]]:
    """Spans of the first three non-empty lines of the key."""
    lines, pos = [], 0
    while pos < len(key) and len(lines) < 3:
        end = key.find("\n", pos)
        end = len(key) if end < 0 else end
        if key[pos:end].strip():
            lines.append((pos, end))
        pos = end + 1
    return lines


_DATELINE_HEAD = re.compile(r"(?P<place>[^\d\n.!?؟]{0,50}?)\s*(?P<sep>[-:،,]|(?<=\s)في)?\s*")
_NAME_TOKEN = re.compile(r"\w{2,}")


def _is_dateline(key: str, start: int, end: int, lines: list[tuple[int, int]]) -> bool:
    """A day date at the head of one of the first lines, after at most a short place name."""
    for line_start, line_end in lines:
        if line_start <= start < line_end:
            head = _DATELINE_HEAD.fullmatch(key[line_start:start])
            if head is None:
                return False
            n_words, tail = len(_NAME_TOKEN.findall(head["place"])), key[end:line_end].strip()
            if head["sep"] in ("-", ":"):
                return n_words <= 4  # الرباط – / الرباط - (ومع) - / حرر في:
            return n_words <= 2 and (len(tail) <= 15 or tail[0] in "-:(")
    return False


def _year_of_day_month(ref: dt.date, month: int, day: int, past: bool, upcoming: bool) -> tuple[int, str]:
    """Year of a day-month with no year: the reference year, moved so that ``الماضي`` lies before it.

    >>> _year_of_day_month(dt.date(2025, 3, 1), 10, 30, True, False)
    (2024, 'day-month-past')
    """
    if past:
        return (ref.year - 1 if (month, day) >= (ref.month, ref.day) else ref.year), "day-month-past"
    if upcoming:
        return (ref.year + 1 if (month, day) <= (ref.month, ref.day) else ref.year), "day-month-next"
    return ref.year, "day-month-published-year"


def _dateline_date(key: str, month_starts: list[int]) -> dt.date | None:
    """The date of the dateline (first lines) of the key, if any (``month_starts`` as in ``_find_days``)."""
    lines = _dateline_lines(key)
    if not lines:
        return None
    end = lines[-1][1]
    for m in _day_led_matches(key, "day", [h for h in month_starts if h < end], end):
        if m["y"] and _is_dateline(key, m.start(), m.end(), lines):
            iso = _iso(int(m["y"]), month_lookup()[m["m"]], _day_number(m["d"]))
            return dt.date.fromisoformat(iso) if iso else None
    return None


def _day_number(day: str) -> int:
    """The day of the month of a matched day: digits, or 1 for فاتح (the first).

    >>> _day_number("22"), _day_number("فاتح")
    (22, 1)
    """
    return int(day) if day.isdigit() else 1


def _with_prefix(key: str, start: int, prefix: re.Pattern[str]) -> int:
    """``start`` moved back over a prefix that ends right at it (a weekday, يوم, شهر)."""
    m = prefix.search(key, max(0, start - 30), start)
    return m.start() if m and m.start() < start else start


def _month_matches(key: str, name: str, hits: list[int]) -> list[re.Match[str]]:
    """Matches of the month-led pattern ``name`` at each month-name position, without overlaps."""
    pattern, out, last_end = _patterns()[name], [], -1
    for pos in hits:
        if pos < last_end:
            continue
        m = pattern.match(key, pos)
        if m:
            out.append(m)
            last_end = m.end()
    return out


def _skip_back(key: str, pos: int, chars: str) -> int:
    """``pos`` moved back over whitespace and ``chars``."""
    while pos > 0 and (key[pos - 1].isspace() or key[pos - 1] in chars):
        pos -= 1
    return pos


@lru_cache(maxsize=1)
def _day_length() -> int:
    """Longest day of a day pattern: ``ال`` plus two digits or a first-day word (فاتح)."""
    return 2 + max([2] + [len(match_key(w)) for w in load("date_markers")["first_day_words"]])


@lru_cache(maxsize=1)
def _day_first_letters() -> frozenset[str]:
    """The letters a day of a day pattern can start with (besides digits): ``ال`` or a first-day word."""
    return frozenset("\u0627" + "".join(match_key(w)[0] for w in load("date_markers")["first_day_words"]))


def _day_led_matches(key: str, name: str, month_starts: list[int], endpos: int | None = None) -> list[re.Match[str]]:
    """``finditer`` of a day-led pattern (``day`` or ``day_range``), trying only the positions a match can
    start at: the day (and range) right before a month name, whose text is digits, a first-day word and the
    joiner / ``من`` / ``شهر`` characters. Much cheaper than scanning every position; the same matches.
    ``endpos`` is finditer's (then ``month_starts`` are those before it).
    """
    pattern, day, letters = _patterns()[name], _day_length(), _day_first_letters()
    out: list[re.Match[str]] = []
    done = 0  # every position before this was tried or lies inside a match
    for h in month_starts:
        lo = _skip_back(key, h, "\u0645\u0646\u0634\u0647\u0631") - day  # of_month: من / شهر
        if name == "day_range":
            lo = _skip_back(key, max(lo, 0), "-\u0648\u0627\u0644\u064a\u062d\u062a") - day  # - و الي حتي
        for start in range(max(lo, done, 0), h + 1):
            if key[start] not in letters and not key[start].isdecimal():
                continue  # a match starts with its day: a digit (\d), ال or a first-day word
            m = pattern.match(key, start, len(key) if endpos is None else endpos)
            if m:
                out.append(m)
                done = m.end()
                break
        else:
            done = max(done, h + 1)
    return out


def _numeric_days(key: str, centuries: list[int] | None = None) -> list[re.Match[str]]:
    """``numeric_day`` matches, after cheaper tests for hints that most texts do not have.

    Every match has a year, which starts at one of ``centuries`` (``century_starts``): right after a
    separator (``12/05/2024``) or before a dash (``2024-03-07``). Years seldom stand so, and looking at
    the few year starts spares most of the hint's scan of every character.
    """
    centuries = century_starts(key) if centuries is None else centuries
    if not any(key[c - 1:c] in _DAY_SEPARATORS or key[c + 4:c + 5] == "-" for c in centuries):
        return []
    pats = _patterns()
    return list(pats["numeric_day"].finditer(key)) if pats["numeric_day_hint"].search(key) else []


def _month_spans(key: str) -> list[tuple[int, int]]:
    """Spans of the ``month_at`` matches, as its finditer finds them (through the faster ``month_scan``)."""
    scan, padded = _patterns()["month_scan"], "\n" + key  # the newline stands for the start of the text
    spans, pos = [], 0
    while (m := scan.search(padded, pos)) is not None:
        spans.append((m.start("m") - 1, m.end() - 1))
        pos = m.end() - 1  # the last character of a match can be the non-word character before the next
    return spans


def _find_days(key: str, col: _Collector, ref: dt.date | None, month_starts: list[int],
               centuries: list[int]) -> None:
    pats, months = _patterns(), month_lookup()
    lines = _dateline_lines(key)
    for m in _numeric_days(key, centuries):
        if m["y"]:
            iso, rule = _iso(int(m["y"]), int(m["m"]), int(m["d"])), "numeric-dmy"
        else:
            iso, rule = _iso(int(m["y2"]), int(m["m2"]), int(m["d2"])), "numeric-iso"
        if iso and "-" in iso and col.free(m.start(), m.end()):
            what = "dateline" if _is_dateline(key, m.start(), m.end(), lines) else _what(key, m.start())
            col.add(DateMention(iso, "day", m.start(), m.end(), what, "dateline" if what == "dateline" else rule))
    for m in _day_led_matches(key, "day_range", month_starts):
        start = _with_prefix(key, m.start(), pats["day_prefix"])
        if not m["y"] and ref is None or not col.free(start, m.end()):
            continue
        month = months[m["m"]]
        if m["y"]:
            year, rule = int(m["y"]), "day-range"
        else:
            year, rule = _year_of_day_month(ref, month, _day_number(m["d2"]), bool(m["past"]), bool(m["next"]))
            rule = rule.replace("day-month", "day-range")
        first, second = _iso(year, month, _day_number(m["d1"])), _iso(year, month, _day_number(m["d2"]))
        if first and second and _day_number(m["d1"]) < _day_number(m["d2"]):
            what = _what(key, start)
            col.add(DateMention(first, "day", start, m.end(), what, rule))
            col.add(DateMention(second, "day", m.start("d2"), m.end(), what, rule), (0, 0))
    found = [m for m in _day_led_matches(key, "day", month_starts) if col.free(m.start(), m.end())]
    for i, m in enumerate(found):
        start = _with_prefix(key, m.start(), pats["day_prefix"])
        if start < m.start() and not col.free(start, m.start()):
            start = m.start()
        month, day = months[m["m"]], _day_number(m["d"])
        if m["y"]:
            year, rule = int(m["y"]), "day-month-year"
        else:
            later = found[i + 1] if i + 1 < len(found) else None
            if later is not None and later["y"] and _LIST_GAP.fullmatch(key[m.end():later.start()]):
                year, rule = int(later["y"]), "day-month-range"
            elif ref is not None:
                year, rule = _year_of_day_month(ref, month, day, bool(m["past"]), bool(m["next"]))
            else:
                continue
        iso = _iso(year, month, day)
        if iso is None:
            col.taken.append((start, m.end()))  # an impossible day: not a month either
            continue
        if m["y"] and _is_dateline(key, start, m.end(), lines):
            what, rule = "dateline", "dateline"
        else:
            what = _what(key, start)
        col.add(DateMention(iso, "day", start, m.end(), what, rule))


def _find_months(key: str, col: _Collector, ref: dt.date | None, month_spans: list[tuple[int, int]]) -> None:
    pats, months = _patterns(), month_lookup()
    hits = [start for start, end in month_spans if col.free(start, end)]
    if not hits:
        return
    for m in _month_matches(key, "month_range", hits):
        start = _with_prefix(key, m.start(), pats["month_prefix"])
        m1, m2, year = months[m["m1"]], months[m["m2"]], int(m["y"])
        if m1 < m2 and col.free(start, m.end()) and _iso(year, m1):
            what = _what(key, start)
            col.add(DateMention(_iso(year, m1), "month", start, m.end(), what, "month-range"))
            col.add(DateMention(_iso(year, m2), "month", m.start("m2"), m.end(), what, "month-range"), (0, 0))
    for m in _month_matches(key, "month", hits):
        start = _with_prefix(key, m.start(), pats["month_prefix"])
        iso = _iso(int(m["y"]), months[m["m"]])
        if _next_word(key, m.end()) in _markers()["counted"]:
            continue  # "مارس 2000 شخص": the verb مارس and a count, not a month
        if iso and col.free(start, m.end()):
            col.add(DateMention(iso, "month", start, m.end(), _what(key, start), "month-year"))
    if ref is None:
        return
    for m in _month_matches(key, "month_relative", hits):
        month = months[m["m"]]
        if m["past"]:
            year = ref.year if month < ref.month else ref.year - 1
        elif m["next"]:
            year = ref.year if month > ref.month else ref.year + 1
        else:
            year = ref.year
        start = _with_prefix(key, m.start(), pats["month_prefix"])
        if col.free(start, m.end()):
            col.add(DateMention(_iso(year, month), "month", start, m.end(), "relative", "month-relative"))


@lru_cache(maxsize=1)
def _relative_words() -> dict[str, list[frozenset[str]]]:
    """For each relative pattern, word sets such that every match contains a word of each set (verbatim)."""
    rules = load("date_markers")
    keys = lambda *names: frozenset(match_key(w) for name in names for w in rules[name])
    directions = keys("past_words", "next_words", "current_words", "past_words_month_year")
    weekdays = frozenset(weekday_lookup())
    relative = keys(*("relative_" + kind for kind in ("day_before_yesterday", "day_after_tomorrow", "today",
                                                      "yesterday", "tomorrow")))
    return {
        "this_month_relative": [keys("month_words"), directions],
        "year_relative": [keys("year_words"), directions],
        "weekday_dir": [weekdays, directions],
        "relative": [relative | keys("relative_day_phrases")],
        "weekday_bare": [weekdays],
    }


def _relative_matches(key: str, name: str) -> Iterator[re.Match[str]]:
    """``finditer`` of a relative pattern, skipped when the text lacks words all its matches contain.

    These patterns test a look-behind at every position; a few substring checks are much cheaper, and
    most texts name no weekday and no ``الشهر الماضي``.
    """
    if all(any(word in key for word in words) for words in _relative_words()[name]):
        return _patterns()[name].finditer(key)
    return iter(())


def _find_relative(key: str, col: _Collector, ref: dt.date | None) -> None:
    if ref is None:
        return
    pats, weekdays, markers = _patterns(), weekday_lookup(), _markers()
    for m in _relative_matches(key, "this_month_relative"):
        month_index = ref.year * 12 + ref.month - 1 + (-1 if m["past"] else 1 if m["next"] else 0)
        iso = _iso(month_index // 12, month_index % 12 + 1)
        if iso and col.free(m.start(), m.end()):
            col.add(DateMention(iso, "month", m.start(), m.end(), "relative", "month-relative"))
    for m in _relative_matches(key, "year_relative"):
        year = ref.year - 1 if m["past"] else ref.year + 1 if m["next"] else ref.year
        if col.free(m.start(), m.end()):
            col.add(DateMention(_iso(year), "year", m.start(), m.end(), "relative", "year-relative"))
    for m in _relative_matches(key, "weekday_dir"):
        wd = weekdays[m["wd"]]
        if m["past"]:
            day = _weekday_on_or_before(ref - dt.timedelta(days=1), wd)
        else:
            day = _weekday_on_or_after(ref + dt.timedelta(days=1), wd)
        if col.free(m.start(), m.end()):
            col.add(DateMention(day.isoformat(), "day", m.start(), m.end(), "relative", "weekday-relative"))
    for m in _relative_matches(key, "relative"):
        kind = pats["rel_keys"].match(m["rel"]).lastgroup.rstrip("2")
        if kind in ("today", "tomorrow") and not m["wd"]:
            following = _next_word(key, m.end())
            before = key[max(0, m.start() - 20):m.start()].split()
            if (following.startswith(("ال", "لل")) or (following[:1].isdigit())
                    or (before and before[-1].strip(_STRIP) in markers["today_not_after"])):
                continue
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1,
                  "day_before_yesterday": -2, "day_after_tomorrow": 2}[kind]
        day = ref + dt.timedelta(days=offset)
        if m["wd"]:
            wd = weekdays[m["wd"]]
            day = _weekday_on_or_after(day, wd) if offset > 0 else _weekday_on_or_before(day, wd)
        if col.free(m.start(), m.end()):
            col.add(DateMention(day.isoformat(), "day", m.start(), m.end(), "relative", f"relative-{kind}"))
    for m in _relative_matches(key, "weekday_bare"):
        group = "wd" if m["wd"] else "wd2"
        day = _weekday_on_or_before(ref, weekdays[m[group]])
        start, end = (m.start(), m.end()) if group == "wd" else (m.start(group), m.end(group))
        if col.free(start, end):
            col.add(DateMention(day.isoformat(), "day", start, end, "relative", "weekday-bare"))


def _find_years(key: str, col: _Collector, centuries: list[int]) -> None:
    pats, markers = _patterns(), _markers()
    for m in finditer_at(pats["year_range"], key, centuries):
        y1, y2 = int(m["y1"]), int(m["y2"])
        if y1 < y2 <= y1 + 50 and col.free(m.start(), m.end()):
            what = _what(key, m.start())
            col.add(DateMention(_iso(y1), "year", m.start("y1"), m.end("y1"), what, "year-range"), m.span())
            col.add(DateMention(_iso(y2), "year", m.start("y2"), m.end("y2"), what, "year-range"), (0, 0))
    last: DateMention | None = None
    for m in finditer_at(pats["year"], key, centuries):
        start, end = m.span()
        if not col.free(start, end):
            continue
        chain = _cue_chain(key, start)
        if chain:
            strong = any(w in markers["strong"] or w in markers["target"] for w in chain)
            if not strong and _looks_like_count(key, end):
                continue
            what, rule = ("target" if _is_target(chain) else "event"), "year-after-" + chain[-1]
        elif last is not None and last.end <= start and _LIST_GAP.fullmatch(key[last.end:start]) \
                and not _looks_like_count(key, end):
            what, rule = last.what, "year-list"
        else:
            continue
        last = DateMention(m.group(), "year", start, end, what, rule)
        col.add(last)


def find_dates(text: str, published: str = "", norm: NormalizedText | None = None) -> list[DateMention]:
    """Date mentions of ``text`` with offsets into ``text`` (see the module docstring for the rules).

    ``norm`` is ``normalize(text)`` when the caller already has it.

    >>> [(d.iso, d.what) for d in find_dates("وقعت الاتفاقية في ٣ مارس ٢٠٢٤ لبلوغ الهدف في أفق سنة 2029")]
    [('2024-03-03', 'event'), ('2029', 'target')]
    """
    norm = normalize(text) if norm is None else norm
    key, ref = norm.text, _published(published)
    month_spans = _month_spans(key)  # every span names a month
    month_starts = [start for start, _ in month_spans]
    year_ref = ref or _dateline_date(key, month_starts)
    centuries = century_starts(key)  # every year starts at one: the year scans try only those places
    col = _Collector(norm, _named_spans(norm, centuries))
    _find_days(key, col, year_ref, month_starts, centuries)
    _find_months(key, col, ref, month_spans)
    _find_relative(key, col, ref)
    _find_years(key, col, centuries)
    out = []
    for d in col.mentions:
        start, end = norm.to_original(d.start, d.end)
        what = d.what
        if what == "target" and year_ref is not None and int(d.iso[:4]) < year_ref.year:
            what = "event"  # a horizon already past at publication is a reported fact
        out.append(DateMention(d.iso, d.precision, start, end, what, d.rule))
    return sorted(out, key=lambda d: (d.start, d.end))


def _sentence(text: str, start: int, cache: dict[int, list[tuple[int, int]]]) -> tuple[int, int]:
    """The span of the sentence of ``text`` containing ``start`` ((start, start) if none), segmenting only its line."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start not in cache:
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        cache[line_start] = [(s + line_start, e + line_start)
                             for s, e in sentence_spans(text[line_start:line_end])]
    for s, e in cache[line_start]:
        if s <= start < e:
            return s, e
    return start, start


class DateRow(NamedTuple):
    """One row of the DATES table, fields in schema column order (``schemas`` registry; ``id`` is derived)."""

    doc_id: str
    iso: str
    precision: str
    quote: str
    start: int
    end: int
    what: str
    sentence: str
    rule: str
    initiative_id: str
    sentence_start: int
    sentence_end: int


def date_records(doc_id: str, text: str, published: str = "", norm: NormalizedText | None = None,
                 spans: list[tuple[int, int]] | None = None) -> list[DateRow]:
    """DATES rows of one document as named records: no DataFrame work.

    ``norm`` (``normalize(text)``) and ``spans`` (``sentence_spans(text)``: sentences never cross a line,
    so they are the sentences of each line) can be passed in when the caller already has them.

    >>> [r[1:4] for r in date_records("d", "افتتح المركز في 3 مارس 2024.")]
    [('2024-03-03', 'day', '3 مارس 2024')]
    """
    found = find_dates(text, published, norm)
    if spans is None:
        cache: dict[int, list[tuple[int, int]]] = {}
        sentences = [_sentence(text, d.start, cache) for d in found]
    else:
        starts = [s for s, _ in spans]
        sentences = []
        for d in found:
            i = bisect_right(starts, d.start) - 1
            sentences.append(spans[i] if i >= 0 and d.start < spans[i][1] else (d.start, d.start))
    return [DateRow(doc_id, d.iso, d.precision, text[d.start:d.end], d.start, d.end, d.what,
                    sentence_window(text, sentence, (d.start, d.end)), d.rule, "",  # initiative_id: build_initiatives
                    sentence[0], sentence[1])
            for d, sentence in zip(found, sentences)]


def dates_frame(rows: list[DateRow]) -> pd.DataFrame:
    """The DATES table of rows from ``date_records`` (any number of documents)."""
    if not rows:
        return empty_frame("dates")
    columns = dict(zip(DateRow._fields, (list(c) for c in zip(*rows))))
    for name in ("start", "end", "sentence_start", "sentence_end"):
        columns[name] = np.array(columns[name], dtype=np.int64)
    return validate(pd.DataFrame(columns, copy=False), "dates")


def extract_dates(doc_id: str, text: str, published: str = "") -> pd.DataFrame:
    """The DATES table of one document; ``published`` (ISO) resolves relative days and bare day-months.

    >>> df = extract_dates("d1", "الرباط –22 يوليوز 2025\\nأعلن الوزير اليوم الثلاثاء عن خطة.", "2025-07-22")
    >>> df[["iso", "precision", "quote", "what"]].values.tolist()
    [['2025-07-22', 'day', '22 يوليوز 2025', 'dateline'], ['2025-07-22', 'day', 'اليوم الثلاثاء', 'relative']]
    """
    return dates_frame(date_records(doc_id, text, published))
