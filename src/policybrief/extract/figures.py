"""Figures: every stated quantity of a document (money, percent, counts, ranks, points, SI measures).

A number (``numerals.find_numbers`` on the match key) becomes a figure when a unit follows it (percent,
currency, measure, points), a counted noun follows it (a listed noun, or any indefinite noun after a digit
number that is not a year), or a rank head or "best" word precedes it. Qualifier words before it, ranges
(``بين 3 و5 ملايين``) and target horizons in its clause (``في أفق سنة 2029``) are recorded. Rules are in
``data/units.yml``; offsets point into the original text and ``quote == text[start:end]``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from ..dates import month_lookup, weekday_lookup
from ..numerals import (
    NumberSpan,
    find_numbers,
    ordinal_regex,
    ordinal_value,
    to_number,
    trie_regex,
)
from ..rules import load
from ..schemas import column_names, empty_frame, validate
from ..segment import sentence_spans, sentence_window
from ..textnorm import NormalizedText, match_key, normalize

_DTYPES = {"value": "float64", "start": "int64", "end": "int64", "is_target": "bool",
           "sentence_start": "int64", "sentence_end": "int64"}
_CLITIC = r"(?:[وفبلك]|وب|ول|فب)?"


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
    currency_of: dict[str, str]
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


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The compiled rules of ``data/units.yml`` (built once per process)."""
    data = load("units")
    currency_of = {match_key(w).casefold(): code for code, ws in data["currencies"].items() for w in ws}
    measure_of = {match_key(w).casefold(): (sym, float(f)) for w, (sym, f) in data["measures"].items()}
    unit = re.compile(
        r"[ \t\u00a0]*(?:"
        r"(?P<percent>" + _alt(data["percent"]) + r")"
        r"|(?P<currency>" + _alt(currency_of) + r")(?:[ \t]+(?:" + _alt(data["currency_adjectives"]) + r"))?"
        r"|(?P<measure>" + _alt(measure_of) + r")"
        r"|(?P<points>" + _alt(data["points"]) + r")"
        r")(?![^\W\d_])",
        re.IGNORECASE,
    )
    noun = re.compile(r"[ \t\u00a0]+(?P<noun>" + _alt(data["counted_nouns"]) + r")(?!\w)")
    general_noun = re.compile(r"[ \t\u00a0]+(?!ال)(?P<noun>[\u0621-\u064a]{2,})(?!\w)")
    quals = {match_key(w): kind for kind, ws in data["qualifiers"].items() for w in ws}
    quals_after = {match_key(w): kind for kind, ws in data["qualifiers_after"].items() for w in ws}
    stop = {match_key(w) for w in data["not_counted"]} | set(month_lookup()) | set(weekday_lookup())
    return _Rules(
        unit=unit,
        currency_of=currency_of,
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
    )


_SENTENCE_STOP = re.compile(r"[!?\u061f\n]|\.(?![0-9])")
_CLAUSE_BREAK = re.compile(r"[\u060c\u061b;!?\u061f\n]|[.,:](?![0-9])")
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


def _unit_after(key: str, n: NumberSpan, r: _Rules) -> tuple[str, Decimal, int, str, str] | None:
    """(unit, factor, quote end, what, rule) of the unit or counted noun right after number ``n``."""
    m = r.unit.match(key, n.end)
    if m:
        if m.group("percent"):
            return "percent", Decimal(1), m.end(), "", "percent"
        if m.group("currency"):
            word = _SPACES.sub(" ", m.group("currency")).casefold()
            return r.currency_of[word], Decimal(1), m.end(), "", "money"
        if m.group("measure"):
            symbol, factor = r.measure_of[_SPACES.sub(" ", m.group("measure")).casefold()]
            return symbol, Decimal(str(factor)), m.end(), "", "measure"
        return "points", Decimal(1), m.end(), "", "points"
    m = r.noun.match(key, n.end)
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
        if stop <= f.start < n.start and f.unit not in ("rank", "points", "percent"):
            return f.unit, Decimal(1), n.end, "", "ellipsis"
    return "count", Decimal(1), n.end, "", "ellipsis"


def _is_label(key: str, n: NumberSpan, r: _Rules) -> bool:
    """True when the number is a law, article, edition or date number, a time or a phone number."""
    before = key[max(0, n.start - 28):n.start]
    # A match is two characters at most, before a final newline at worst: only the last three can start one.
    if _DIGITS_CONTEXT_BEFORE.search(before, max(0, len(before) - 3)) or _DIGITS_CONTEXT_AFTER.match(key, n.end):
        return True
    return _may_end_with_label(before, r) and bool(r.label_before.search(before))


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


class _Breaks:
    """The clause breaks of a match key found once, for the many ``_CLAUSE_BREAK`` look-ups of its figures.

    Every break is one character; a point, comma or colon before a digit is not one (10.8), except at
    the end of a searched window, where the regex's look-ahead sees no digit: the methods keep that rule
    so that they answer exactly as ``_CLAUSE_BREAK.finditer`` / ``search`` with the same window.
    """

    _CHARS = "\u060c\u061b;!?\u061f\n.,:"

    def __init__(self, key: str) -> None:
        # A string search per character skips along fast; a character class is tested at every position.
        self.positions: list[int] = []
        self.weak: set[int] = set()  # a break only at the end of a window: [.,:] followed by a digit
        for c in self._CHARS:
            i = key.find(c)
            while i >= 0:
                self.positions.append(i)
                if c in ".,:" and "0" <= key[i + 1:i + 2] <= "9":
                    self.weak.add(i)
                i = key.find(c, i + 1)
        self.positions.sort()

    def last_end(self, lo: int, hi: int) -> int | None:
        """``m.end()`` of the last ``_CLAUSE_BREAK.finditer(key, lo, hi)`` match, or None."""
        positions, weak = self.positions, self.weak
        i = bisect_left(positions, hi) - 1
        while i >= 0 and positions[i] >= lo:
            if positions[i] not in weak or positions[i] + 1 == hi:
                return positions[i] + 1
            i -= 1
        return None

    def first_start(self, lo: int, hi: int) -> int | None:
        """``m.start()`` of ``_CLAUSE_BREAK.search(key, lo, hi)``, or None."""
        positions, weak = self.positions, self.weak
        i = bisect_left(positions, lo)
        while i < len(positions) and positions[i] < hi:
            if positions[i] not in weak or positions[i] + 1 == hi:
                return positions[i]
            i += 1
        return None


def _clause(key: str, start: int, end: int, breaks: _Breaks | None = None) -> tuple[int, int]:
    """The clause around ``[start, end)``: from the last break before it to the next break after it."""
    breaks = _Breaks(key) if breaks is None else breaks
    lo = max(0, start - 300)
    last = breaks.last_end(lo, start)
    clause_start = lo if last is None else last
    hi = min(len(key), end + 300)
    first = breaks.first_start(end, hi)
    return clause_start, hi if first is None else first


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
    # Ranks written as ordinals: المرتبة الثامنة.
    for head in _rank_heads(key, r):
        m = ordinal_regex().match(key, head.end())
        if m:
            n = NumberSpan(Decimal(ordinal_value(m)), m.start(), m.end(), True, False, False, "")
            found.append(_Found(n, n.value, "rank", "", head.start("head"), m.end(), "rank-ordinal"))
            taken.append((head.start(), m.end()))
    numbers = find_numbers(key)
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
            found.append(_Found(n, n.value, "rank", what, start, end, "rank-best"))
            continue
        unit = _unit_after(key, n, r)
        if unit is None and n.scaled and n.value >= 1000:
            unit = _elliptic_unit(key, n, found)  # "... 4 آلاف شاب، على أن يرتفع العدد إلى 15 ألفا"
        if unit is None:
            continue
        name, factor, end, what, rule = unit
        found.append(_Found(n, n.value * factor, name, what, n.start, end, rule,
                            _qualifier(key, n.start, end, r)))
    found.sort(key=lambda f: f.start)
    return found


def figure_records(doc_id: str, text: str, published: str = "", norm: NormalizedText | None = None,
                   spans: list[tuple[int, int]] | None = None) -> list[tuple]:
    """FIGURES rows of one document as tuples in schema column order: no DataFrame work.

    ``norm`` (``normalize(text)``) and ``spans`` (``sentence_spans(text)``) can be passed in when the
    caller already has them, so a document is normalised and segmented once for every extractor.

    >>> [r[1:4] for r in figure_records("d", "بلغ الاستثمار 10.8 مليار درهم.")]
    [(10800000000.0, 'MAD', '')]
    """
    norm = normalize(text) if norm is None else norm
    key = norm.text
    found = _find(key)
    if not found:
        return []
    spans = sentence_spans(text) if spans is None else spans
    span_starts = [s for s, _ in spans]
    published_year = int(published[:4]) if published[:4].isdigit() else None
    origin = norm.origin
    r = rules()
    breaks = _Breaks(key)
    rows = []
    for f in found:
        start, end = norm.to_original(f.start, f.end)
        s_start, s_end = _sentence_of(spans, span_starts, start, len(text))
        is_target, year = _target(key, f.start, f.end, (bisect_left(origin, s_start), 0), r, breaks)
        if is_target and year and published_year and int(year) < published_year:
            is_target, year = False, ""
        what = ""
        if f.what:
            ws, we = norm.to_original(f.end - len(f.what), f.end)
            what = text[ws:we]
        rows.append((doc_id, to_number(f.value), f.unit, what, text[start:end], start, end,
                     sentence_window(text, (s_start, s_end), (start, end)),
                     f.qualifier, is_target, year, "", f.bound, f.rule, s_start, s_end))
    return rows


def figures_frame(rows: list[tuple]) -> pd.DataFrame:
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
    >>> df[["value", "unit", "what", "quote", "qualifier", "is_target", "target_year"]].values.tolist()
    [[500.0, 'count', 'فرصة شغل', '500 فرصة شغل', 'more_than', True, '2029']]
    """
    return figures_frame(figure_records(doc_id, text, published))


def _sentence_of(spans: list[tuple[int, int]], starts: list[int], offset: int, length: int) -> tuple[int, int]:
    """``segment.sentence_at`` by bisection over the sorted, non-overlapping sentence spans."""
    i = bisect_right(starts, offset) - 1
    if i >= 0 and offset < spans[i][1]:
        return spans[i]
    return 0, length
