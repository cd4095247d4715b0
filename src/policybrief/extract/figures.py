"""Figures: every stated quantity of a document (money, percent, counts, ranks, points, SI measures).

A number (``numerals.find_numbers`` on the match key) becomes a figure when a unit follows it (percent,
percentage points, currency, measure, points), a counted noun follows it (a listed noun, or any indefinite
noun after a digit number that is not a year), or a rank head, a "best" word or a "first N" phrase marks
it (``المرتبة 87``; ``ضمن أفضل 20 دولة`` and ``العشرة الأوائل`` are top-N thresholds: qualifier ``top_n``).
Qualifier words, ranges (``بين 3 و5 ملايين``), a minus sign after the number (``1.3 – في المائة``) and
bracketed numbers are read here; currencies are resolved in ``currencies.py``; what the figure measures,
its subject and time role come from ``figure_meaning.py``. Rules are in ``data/units.yml`` and
``data/currencies.yml``; offsets point into the original text and ``quote == text[start:end]``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..dates import month_lookup, weekday_lookup
from ..numerals import (
    NumberSpan,
    find_numbers,
    ordinal_regex,
    ordinal_value,
    parse_number,
    to_number,
    trie_regex,
    uses_decimal_point,
    word_table,
)
from ..rules import load
from ..schemas import column_names, empty_frame, validate
from ..segment import sentence_spans, sentence_window
from ..textnorm import NormalizedText, match_key, normalize
from . import currencies, figure_meaning
from .clauses import CLAUSE_BREAK as _CLAUSE_BREAK  # noqa: F401 (tests compare against it)
from .clauses import Breaks as _Breaks
from .clauses import clause as _clause
from .dates import date_records

_DTYPES = {"value": "float64", "start": "int64", "end": "int64", "is_target": "bool", "confidence": "float64",
           "sentence_start": "int64", "sentence_end": "int64"}
_CLITIC = r"(?:[وفبلك]|وب|ول|فب)?"


class FigureRow(NamedTuple):
    """One row of the FIGURES table, fields in schema column order (``schemas.FIGURES``)."""

    doc_id: str
    value: float
    unit: str
    what: str
    quote: str
    start: int
    end: int
    sentence: str
    qualifier: str
    is_target: bool
    target_year: str
    initiative_id: str
    bound: str
    rule: str
    measure: str
    subject: str
    time_role: str
    year: str
    confidence: float
    sentence_start: int
    sentence_end: int




def _alt(words) -> str:
    """Regex alternation (a prefix tree) of match keys; spaces match any run of spaces."""
    return trie_regex(sorted({match_key(w).casefold() for w in words}))


def _first_words(words) -> tuple[str, ...]:
    """The first word of each match key of ``words``: a match of ``_alt(words)`` starts with one of them."""
    return tuple(sorted({match_key(w).casefold().split()[0] for w in words}))


def _last_words(words) -> tuple[str, ...]:
    """The last word of each match key of ``words``: a match of ``_alt(words)`` ends with one of them."""
    return tuple(sorted({match_key(w).casefold().split()[-1] for w in words}))


def _arabic_endings(words) -> tuple[str, ...]:
    """The Arabic letters that end each match key of ``words`` (none for a word ending in another script)."""
    endings = set()
    for w in words:
        key = match_key(w).casefold()
        n = len(key)
        while n and "\u0600" <= key[n - 1] <= "\u06ff":
            n -= 1
        if n < len(key):
            endings.add(key[n:])
    return tuple(sorted(endings))


@dataclass(frozen=True)
class _Rules:
    unit: re.Pattern[str]
    measure_of: dict[str, tuple[str, float]]
    noun: re.Pattern[str]
    general_noun: re.Pattern[str]
    not_counted: frozenset[str]
    label_before: re.Pattern[str]
    label_endings: tuple[str, ...]
    qualifier_before: re.Pattern[str]
    qualifier_of: dict[str, str]
    qualifier_endings: tuple[str, ...]
    qualifier_after: re.Pattern[str]
    qualifier_after_of: dict[str, str]
    rank_head_before: re.Pattern[str]
    rank_head_ordinal: re.Pattern[str]
    rank_head_pieces: tuple[str, ...]  # the first word of each rank head, as it appears in every match
    rank_best_before: re.Pattern[str]
    rank_best_pieces: tuple[str, ...]
    range_join: re.Pattern[str]
    range_before: re.Pattern[str]
    target: re.Pattern[str]
    top_n: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The compiled rules of ``data/units.yml`` (built once per process)."""
    data = load("units")
    measure_of = {match_key(w).casefold(): (sym, float(f)) for w, (sym, f) in data["measures"].items()}
    minus = "".join(re.escape(c) for c in data["minus_signs"])
    unit = re.compile(
        r"[ \t\u00a0]*(?P<minus>[" + minus + r"][ \t\u00a0]*)?(?:"
        r"(?P<percent>" + _alt(data["percent"]) + r")"
        r"|(?P<pp>" + _alt(data["percentage_points"]) + r")"
        r"|(?P<currency>" + _alt(currencies.currency_words()) + r")"
        r"|(?P<measure>" + _alt(measure_of) + r")"
        r"|(?P<points>" + _alt(data["points"]) + r")"
        r")(?![^\W\d_])",
        re.IGNORECASE,
    )
    cardinals = [w for w, spec in word_table().items() if spec.kind in ("unit", "ten", "hundred")]
    # Only after "among" (ضمن، من بين): "الأشهر الثلاثة الأولى" is a period, not a top-N.
    top_n = re.compile(r"(?<!\w)(?:ضمن|بين)\s+(?:[وفبل]?ال)(?P<num>(?:" + trie_regex(sorted(cardinals)) + r")"
                       r"(?:\s+(?:عشر|عشره))?)\s+(?:" + _alt(data["top_n_after"]) + r")(?!\w)")
    noun = re.compile(r"[ \t\u00a0]+(?P<noun>" + _alt(data["counted_nouns"]) + r")(?!\w)")
    # Not a word with a conjunction and a preposition or article glued before it ("وبنسبة", "والعدد").
    general_noun = re.compile(r"[ \t\u00a0]+(?!ال|وب|ول|وال|فب|بال|لل)(?P<noun>[\u0621-\u064a]{2,})(?!\w)")
    quals = {match_key(w): kind for kind, ws in data["qualifiers"].items() for w in ws}
    quals_after = {match_key(w): kind for kind, ws in data["qualifiers_after"].items() for w in ws}
    stop = {match_key(w) for w in data["not_counted"]} | set(month_lookup()) | set(weekday_lookup())
    return _Rules(
        unit=unit,
        measure_of=measure_of,
        noun=noun,
        general_noun=general_noun,
        not_counted=frozenset(stop),
        label_before=re.compile(r"(?<!\w)" + _CLITIC + r"(?:" + _alt(data["label_before"]) + r")[ \t]*$",
                                re.IGNORECASE),
        label_endings=_arabic_endings(data["label_before"]),
        qualifier_before=re.compile(r"(?<!\w)[وفب]?(?P<q>" + _alt(quals) + r")\s*$"),
        qualifier_of=quals,
        qualifier_endings=_last_words(quals),
        qualifier_after=re.compile(r"\s*(?P<q>" + _alt(quals_after) + r")(?!\w)"),
        qualifier_after_of=quals_after,
        rank_head_before=re.compile(r"(?<!\w)" + _CLITIC + r"(?P<head>" + _alt(data["rank_heads"]) + r")[ \t]*$"),
        rank_head_ordinal=re.compile(r"(?<!\w)" + _CLITIC + r"(?P<head>" + _alt(data["rank_heads"]) + r")[ \t]+"),
        rank_head_pieces=_first_words(data["rank_heads"]),
        rank_best_before=re.compile(r"(?<!\w)" + _CLITIC + r"(?P<head>" + _alt(data["rank_best"]) + r")[ \t]*$"),
        rank_best_pieces=_first_words(data["rank_best"]),
        range_join=re.compile(r"\s*(?:" + _alt(data["range_join"]) + r")\s*"),
        range_before=re.compile(r"(?<!\w)(?:" + _alt(data["range_before"]) + r")\s*$"),
        target=re.compile(r"(?<!\w)[وف]?(?:" + _alt(data["targets"]) + r")(?!\w)"),
        top_n=top_n,
    )


_SENTENCE_STOP = re.compile(r"[!?\u061f\n]|\.(?![0-9])")
_YEAR_AFTER = re.compile(
    r"[ \t]*(?:(?:ال)?(?:سنه|عام)[ \t]+|(?:ال)?(?:نهايه|متم|بدايه)[ \t]+(?:(?:ال)?(?:سنه|عام)[ \t]+)?)?"
    r"(?P<y1>(?:19|20)[0-9]{2})(?![0-9])(?:[ \t]*(?:-|/|الي|و|حتي)[ \t]*(?P<y2>(?:19|20)[0-9]{2})(?![0-9]))?"
)
# A year a few words after the horizon word: "في أفق تنظيم كأس العالم 2030".
_YEAR_NEAR = re.compile(r"(?:[ \t]+[^\s0-9]+){1,4}?[ \t]+(?P<y1>(?:19|20)[0-9]{2})(?![0-9])(?P<y2>)")
_DIGITS_CONTEXT_BEFORE = re.compile(r"[0-9][/:\-]$|[/:]$")
_DIGITS_CONTEXT_AFTER = re.compile(r"[/:][0-9]")
_SPACES = re.compile(r"\s+")
_TRAILING_CLITIC = re.compile(r"(?<=\s)[وفبلك]{1,2}$")
_YEAR_WORDS = ("عام", "العام", "سنه", "السنه")
_ORDINAL_DIGITS = re.compile(r"(?<!\w)ال[ \-]?$")
_PART_OF = re.compile(r"(?<!\w)[وف]?(?:منها|منه|منهما|منهم)(?:\s+\S+)?\s*\(?$")


@dataclass(slots=True)
class _Found:
    """A figure on the match key before offsets are mapped back."""

    number: NumberSpan
    value: Decimal
    unit: str
    what: str
    start: int
    end: int  # end of the quote (unit or noun included)
    rule: str
    qualifier: str = ""
    bound: str = ""


def _bracketed(key: str, n: NumberSpan) -> bool:
    """True when the number is written in brackets: ``(120) مليار`` or ``(45) في المائة``."""
    return n.start > 0 and key[n.start - 1] == "(" and ")" in key[n.start:n.end + 1]


def _unit_after(key: str, n: NumberSpan, r: _Rules) -> tuple[str, Decimal, int, str, str] | None:
    """(unit, factor, quote end, what, rule) of the unit or counted noun right after number ``n``.

    A currency comes back as its token (``SAR``, ``family:riyal``, ``sub:سنتيم``), resolved per sentence
    by ``figure_records``; a minus sign between the number and its unit gives the factor -1.
    """
    pos = n.end + 1 if key[n.end:n.end + 1] == ")" and _bracketed(key, n) else n.end
    m = r.unit.match(key, pos)
    if m:
        sign = Decimal(-1) if m.group("minus") else Decimal(1)
        if m.group("percent"):
            return "percent", sign, m.end(), "", "percent"
        if m.group("pp"):
            return "pp", sign, m.end(), "", "pp"
        if m.group("minus"):
            return None  # a dash before another unit is a range or a break, not a sign
        if m.group("currency"):
            return currencies.token(m.group("currency")), Decimal(1), m.end(), "", "money"
        if m.group("measure"):
            symbol, factor = r.measure_of[_SPACES.sub(" ", m.group("measure")).casefold()]
            return symbol, Decimal(str(factor)), m.end(), "", "measure"
        return "points", Decimal(1), m.end(), "", "points"
    m = r.noun.match(key, pos)
    if m:
        return "count", Decimal(1), m.end(), m.group("noun"), "count-noun"
    if n.value != n.value.to_integral_value():
        return None  # a count is whole
    if not (n.plain_digits or n.scaled) and (n.value < 2 or (n.start and key[n.start - 1].isalpha())):
        return None  # "واحد" and number words glued to a clitic ("لست") need a listed noun
    if n.plain_digits and (n.digits.startswith("0") or (len(n.digits) == 4 and 1900 <= n.value <= 2100)):
        return None  # a year, or a reference number such as 09.08
    m = r.general_noun.match(key, n.end)
    if m and m.group("noun") not in r.not_counted and m.group("noun")[:-1] not in r.not_counted:
        return "count", Decimal(1), m.end(), m.group("noun"), "count-general"
    return None


def _elliptic_unit(key: str, n: NumberSpan, found: list[_Found]) -> tuple[str, Decimal, int, str, str]:
    """A bare number with a scale word takes the unit of the previous figure of its sentence, else count."""
    lo = max(0, n.start - 200)
    stop = max((m.end() for m in _SENTENCE_STOP.finditer(key, lo, n.start)), default=lo)
    for f in reversed(found):
        if stop <= f.start < n.start and f.unit not in ("rank", "points", "percent", "pp"):
            return f.unit, Decimal(1), n.end, "", "ellipsis"
    return "count", Decimal(1), n.end, "", "ellipsis"


def _is_label(key: str, n: NumberSpan, r: _Rules) -> bool:
    """True when the number is a law, article, edition or date number, a time or a phone number."""
    before = key[max(0, n.start - 28):n.start]
    # A match is two characters at most, before a final newline at worst: only the last three can start one.
    if _DIGITS_CONTEXT_BEFORE.search(before, max(0, len(before) - 3)) or _DIGITS_CONTEXT_AFTER.match(key, n.end):
        return True
    if n.plain_digits and _ORDINAL_DIGITS.search(before):
        return True  # "تقريرها السنوي الـ30": the 30th, an ordinal
    if not (_may_end_with_label(before, r) and r.label_before.search(before)):
        return False
    # "الدين العام 65 في المائة": after a year word, a number with a unit is a quantity, not a year.
    return not (before.rstrip().endswith(_YEAR_WORDS) and (n.value < 1900 or n.value > 2100) and r.unit.match(key, n.end))


def _may_end_with_label(before: str, r: _Rules) -> bool:
    """False when ``r.label_before`` cannot match ``before``: a cheap test that spares most searches.

    A match ends with a label word, then spaces or tabs, then the end (or a final newline). When the
    letter before those is Arabic, the word is one ending in Arabic letters, which have no case: the
    text must end with its Arabic ending exactly.
    """
    text = before.removesuffix("\n").rstrip(" \t")
    return bool(text) and (not "\u0600" <= text[-1] <= "\u06ff" or text.endswith(r.label_endings))


def _qualifier(key: str, start: int, end: int, r: _Rules) -> str:
    """approx / more_than / less_than / up_to from the words right before ``start`` (or after ``end``)."""
    before = key[max(0, start - 28):start]
    # A match ends with a clitic letter, at the end or before a final newline: test that letter first.
    if before.rstrip("\n")[-1:] in "وفبلك":
        before = _TRAILING_CLITIC.sub("", before)
    # A match is a qualifier word and then only white space: without such an ending there is none.
    m = before.rstrip().endswith(r.qualifier_endings) and r.qualifier_before.search(before)
    if m:
        return r.qualifier_of[_SPACES.sub(" ", m.group("q"))]
    m = r.qualifier_after.match(key, end)
    if m:
        return r.qualifier_after_of[_SPACES.sub(" ", m.group("q"))]
    return ""


def _target(key: str, start: int, end: int, sentence: tuple[int, int], r: _Rules,
            breaks: _Breaks | None = None) -> tuple[bool, str]:
    """(is_target, target_year) from a horizon in the figure's clause or opening its sentence."""
    breaks = _Breaks(key) if breaks is None else breaks
    c_start, c_end = _clause(key, start, end, breaks)
    windows = [(c_start, c_end)]
    s_start, _ = sentence
    if s_start < c_start:
        first = breaks.first_start(s_start, c_start)
        if first is not None and first - s_start < 40:
            windows.append((s_start, first + 1))  # "في أفق 2030، سيتم ..."
    for lo, hi in windows:
        for m in r.target.finditer(key, lo, hi):
            if lo <= m.start() < start or m.start() >= end:
                y = _YEAR_AFTER.match(key, m.end()) or _YEAR_NEAR.match(key, m.end(), min(hi, m.end() + 40))
                return True, (y.group("y2") or y.group("y1")) if y else ""
    return False, ""


def _contains_any(text: str, pieces: tuple[str, ...]) -> bool:
    for piece in pieces:
        if piece in text:
            return True
    return False


def _occurrences(key: str, pieces: tuple[str, ...]) -> list[int]:
    """The start of every occurrence of each of ``pieces`` in ``key``, in text order."""
    found = []
    for piece in pieces:
        i = key.find(piece)
        while i >= 0:
            found.append(i)
            i = key.find(piece, i + 1)
    found.sort()
    return found


def _rank_heads(key: str, r: _Rules) -> list[re.Match[str]]:
    """The matches of ``r.rank_head_ordinal.finditer(key)``, trying the pattern only near head words.

    A match is at most two clitic letters (``_CLITIC``) and then a head word, so it starts 0 to 2
    characters before an occurrence of a head's first word: trying those positions in text order finds
    the same matches as the regex trying every position of the document, at a fraction of the cost.
    """
    starts = {i - back for i in _occurrences(key, r.rank_head_pieces) for back in (0, 1, 2)}
    matches, pos = [], 0
    for s in sorted(starts):
        if s >= pos:
            m = r.rank_head_ordinal.match(key, s)
            if m:
                matches.append(m)
                pos = m.end()
    return matches


def _find(key: str) -> list[_Found]:
    """All figures of a match key, in text order."""
    r = rules()
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    # Top-N thresholds written as a definite cardinal before "first": من بين العشرة الأوائل.
    if "الاوائل" in key or "الاولي" in key:
        for m in r.top_n.finditer(key):
            value = parse_number(m.group("num"))
            if value:
                n = NumberSpan(Decimal(str(value)), m.start("num") - 2, m.end(), True, False, False, "")
                found.append(_Found(n, n.value, "rank", "", n.start, m.end(), "top-n", "top_n"))
                taken.append((m.start(), m.end()))
    # Ranks written as ordinals: المرتبة الثامنة.
    for head in _rank_heads(key, r):
        m = ordinal_regex().match(key, head.end())
        if m:
            n = NumberSpan(Decimal(ordinal_value(m)), m.start(), m.end(), True, False, False, "")
            found.append(_Found(n, n.value, "rank", "", head.start("head"), m.end(), "rank-ordinal"))
            taken.append((head.start(), m.end()))
    numbers = find_numbers(key, comma_groups=uses_decimal_point(key))
    if taken:
        numbers = [n for n in numbers if not any(s < n.end and n.start < e for s, e in taken)]
    used: set[int] = set()
    for i, n in enumerate(numbers):
        if i in used:
            continue
        before = key[max(0, n.start - 28):n.start]
        # The searches need the head word in the window: a substring test rules most numbers out cheaply.
        head = n.plain_digits and _contains_any(before, r.rank_head_pieces) and r.rank_head_before.search(before)
        if head:
            start = n.start - len(before) + head.start("head")
            found.append(_Found(n, n.value, "rank", "", start, n.end, "rank-head"))
            continue
        if _is_label(key, n, r):
            continue
        # A range: بين 3 و5 ملايين / من 10 إلى 15 في المائة; the high end's unit and scale apply to both.
        if i + 1 < len(numbers):
            high = numbers[i + 1]
            join = r.range_join.fullmatch(key, n.end, high.start)
            joined_by_dash = join and "-" in key[n.end:high.start]
            if join and (r.range_before.search(before) or (joined_by_dash and n.plain_digits)):
                unit = _unit_after(key, high, r)
                if unit and not _is_label(key, high, r):
                    name, factor, end, what, rule = unit
                    low_value = n.value * (high.scale if not n.scaled else 1)
                    found.append(_Found(n, low_value * factor, name, what, n.start, n.end, rule + "+range", "", "low"))
                    found.append(_Found(high, high.value * factor, name, what, high.start, end, rule + "+range",
                                        "", "high"))
                    used.add(i + 1)
                    continue
        best = n.plain_digits and _contains_any(before, r.rank_best_pieces) and r.rank_best_before.search(before)
        if best:
            start = n.start - len(before) + best.start("head")
            noun = r.general_noun.match(key, n.end)
            end, what = (noun.end(), noun.group("noun")) if noun else (n.end, "")
            found.append(_Found(n, n.value, "rank", what, start, end, "rank-best", "top_n"))
            continue
        unit = _unit_after(key, n, r)
        if unit is None and n.scaled and n.value >= 1000:
            unit = _elliptic_unit(key, n, found)  # "... 4 آلاف شاب، على أن يرتفع العدد إلى 15 ألفا"
        elif unit and unit[4] == "count-general" and n.scaled and _PART_OF.search(before):
            # "نحو (7.3) تريليونات دولار، منها (4.2) تريليونات تخص ...": a part of the amount before it
            elliptic = _elliptic_unit(key, n, found)
            unit = elliptic if elliptic[0] != "count" else unit
        if unit is None:
            continue
        name, factor, end, what, rule = unit
        start, value = n.start, n.value * factor
        if _bracketed(key, n):
            start -= 1
        elif start > 1 and key[start - 1] in "-–−" and not key[start - 2].isalnum():
            start, value = start - 1, -value  # a sign before the number: "-1.3 في المائة"
        found.append(_Found(n, value, name, what, start, end, rule, _qualifier(key, n.start, end, r)))
    found.sort(key=lambda f: f.start)
    return found


def figure_records(doc_id: str, text: str, published: str = "", norm: NormalizedText | None = None,
                   spans: list[tuple[int, int]] | None = None, entities: list[dict] | None = None,
                   dates: list[tuple] | None = None) -> list[FigureRow]:
    """FIGURES rows of one document (``FigureRow`` tuples in schema column order): no DataFrame work.

    ``norm`` (``normalize(text)``), ``spans`` (``sentence_spans(text)``) and ``dates`` (``date_records``
    of the document) and ``entities`` (its entity rows as dicts, which give each figure its ``subject``)
    can be passed in when the caller already has them.

    >>> [r[1:4] for r in figure_records("d", "بلغ الاستثمار 10.8 مليار درهم بالرباط.")]
    [(10800000000.0, 'MAD', '')]
    """
    norm = normalize(text) if norm is None else norm
    key = norm.text
    found = _find(key)
    if not found:
        return []
    spans = sentence_spans(text) if spans is None else spans
    dates = date_records(doc_id, text, published, norm, spans) if dates is None else dates
    if entities is None:
        from .entities import find_entity_records  # the pipeline passes them: found once for every extractor

        entities = find_entity_records(doc_id, text)
    span_starts = [s for s, _ in spans]
    published_year = int(published[:4]) if published[:4].isdigit() else None
    origin = norm.origin
    r = rules()
    breaks = _Breaks(key)
    countries = currencies.document_countries(key)
    years = sorted((bisect_left(origin, d.start), bisect_left(origin, d.end), d.iso) for d in dates
                   if d.what in ("event", "target") and d.iso[:4].isdigit())
    named = sorted((e["kind"], e["name"] or e["text"], bisect_left(origin, e["start"]), bisect_left(origin, e["end"]))
                   for e in entities or () if e["kind"] in figure_meaning.SUBJECT_KINDS)
    quote_starts = [f.start for f in found]  # sorted, and quotes do not overlap
    named = [e for e in named if not _inside_a_quote(e[2], e[3], found, quote_starts)]  # "بليون" holds no place
    named.sort(key=lambda e: e[2])
    rows = []
    earlier: dict[tuple[int, str], str] = {}  # (sentence, unit) -> measure of its last figure
    previous_end = 0  # end of the previous figure in the key: the next measure starts after it
    for f in found:
        start, end = norm.to_original(f.start, f.end)
        s_start, s_end = _sentence_of(spans, span_starts, start, len(text))
        sentence_key = (bisect_left(origin, s_start), bisect_left(origin, s_end))
        unit, value, how = f.unit, f.value, ""
        if f.unit.startswith((currencies.FAMILY, currencies.SUBUNIT)) or f.rule.startswith("money"):
            unit, factor, how = currencies.resolve(f.unit, key[sentence_key[0]:sentence_key[1]], countries)
            if not unit:
                continue
            value = f.value * factor
        horizon = _target(key, f.start, f.end, (sentence_key[0], 0), r, breaks)
        if horizon[0] and horizon[1] and published_year and int(horizon[1]) < published_year:
            horizon = (False, "")
        clause = _clause(key, f.start, f.end, breaks)
        role, year = figure_meaning.time_role(key, f.start, f.end, clause, sentence_key[0], horizon, years,
                                              published_year)
        what = ""
        what_span = None
        if f.what:
            what_span = (f.end - len(f.what), f.end)
            ws, we = norm.to_original(*what_span)
            what = text[ws:we]
        measure = _measure(text, norm, key, f, (max(clause[0], previous_end), clause[1]), unit, what_span,
                           earlier, s_start)
        previous_end = max(previous_end, f.end)
        subject = figure_meaning.choose_subject(key, f.start, f.end, clause, named, sentence_key[0])
        confidence = figure_meaning.confidence(f.rule, how, measure, subject)
        rows.append(FigureRow(doc_id, to_number(value), unit, what, text[start:end], start, end,
                              sentence_window(text, (s_start, s_end), (start, end)),
                              f.qualifier, role == "target", year if role == "target" else "", "", f.bound, f.rule,
                              measure, subject, role, year, confidence, s_start, s_end))
    return rows


def _inside_a_quote(start: int, end: int, found: list[_Found], starts: list[int]) -> bool:
    """Whether ``[start, end)`` overlaps the quote of a found figure (``starts``: their sorted starts)."""
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and found[i].end > start


def _measure(text: str, norm: NormalizedText, key: str, f: _Found, clause: tuple[int, int], unit: str,
             what_span: tuple[int, int] | None, earlier: dict[tuple[int, str], str], sentence: int) -> str:
    """The measure of a found figure, in the words of the original text.

    A figure with no words of its own takes the measure of the previous figure of its sentence in the
    same unit (``938 مليار ريال`` after ``مقابل``); a bare change (``بارتفاع نسبته 5ر22 بالمائة``) is a
    change of the previous figure's measure.
    """
    if _equivalent(key, f):
        return earlier.get((sentence, ""), "")  # "452.5 مليار درهم (45.2 مليار دولار)": the same amount
    pieces, noun = figure_meaning.measure_span(key, f.start, f.end, clause, unit, what_span)
    words = [noun] if noun else []
    for lo, hi in pieces:
        a, b = norm.to_original(lo, hi)
        words.append(text[a:b].strip(" \t\n،,.:؛;"))
    measure = " ".join(w for w in words if w)
    if not pieces:
        # "يتراجع 8 % إلى 44 مليار دولار": the amount the change led to, without the change
        before = (not noun and earlier.get((sentence, unit))) or earlier.get((sentence, ""), "")
        if before:
            first, _, rest = before.partition(" ")
            measure = f"{noun} {rest if figure_meaning.is_change_noun(first) else before}".strip()
    if measure:
        earlier[(sentence, unit)] = earlier[(sentence, "")] = measure
    return measure


def _equivalent(key: str, f: _Found) -> bool:
    """True for an amount in brackets right after another one: its conversion, ``(45.2 مليار دولار)``."""
    before = key[max(0, f.start - 3):f.start].rstrip()
    return before.endswith("(") and not (f.start > 0 and key[f.start] == "(") and ")" in key[f.end:f.end + 3]


def figures_frame(rows: list[FigureRow]) -> pd.DataFrame:
    """The FIGURES table of rows from ``figure_records`` (any number of documents)."""
    if not rows:
        return empty_frame("figures")
    columns = zip(*rows)
    df = pd.DataFrame({name: np.array(values, dtype=_DTYPES.get(name, object))
                       for name, values in zip(column_names("figures"), columns)}, copy=False)
    return validate(df, "figures")


def extract_figures(doc_id: str, text: str, published: str = "") -> pd.DataFrame:
    """One row per quantity stated in ``text`` (FIGURES schema); ``published`` (YYYY-MM-DD) drops past targets.

    >>> df = extract_figures("d", "يستهدف البرنامج خلق أكثر من 500 فرصة شغل في أفق سنة 2029.")
    >>> df[["value", "unit", "what", "quote", "qualifier", "time_role", "year"]].values.tolist()
    [[500.0, 'count', 'فرصة شغل', '500 فرصة شغل', 'more_than', 'target', '2029']]
    """
    return figures_frame(figure_records(doc_id, text, published))


def _sentence_of(spans: list[tuple[int, int]], starts: list[int], offset: int, length: int) -> tuple[int, int]:
    """``segment.sentence_at`` by bisection over the sorted, non-overlapping sentence spans."""
    i = bisect_right(starts, offset) - 1
    if i >= 0 and offset < spans[i][1]:
        return spans[i]
    return 0, length
