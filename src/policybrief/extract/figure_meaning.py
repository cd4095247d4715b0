"""What a figure means: its measure, its subject, its time role and year, and how sure the extractor is.

All functions work on the document's match key (``textnorm.normalize``) and its offsets; the figures
extractor maps spans back to the original text. Word lists are in ``data/units.yml`` (the section "what a
figure means").

* ``measure``: the noun phrase of what is measured, from the figure's clause: the words before the number
  after the last verb of stating or reaching (``بلغت الإيرادات غير النفطية (120) مليار``), a change verb
  written as its noun (``ارتفعت الصادرات`` -> ``ارتفاع الصادرات``), the ``من``/``في`` phrase after a share
  (``40 في المائة من ميزانية …``), a frequency adverb after it (``سنويا``); for a count with nothing
  before it, the counted noun phrase.
* ``subject``: the initiative, organisation or place named in the clause, after any reporting verb's
  ``أن``/``إن`` (the speaker is the source, not the subject); none in a clause about the world market.
* ``time_role``: ``target`` (a goal or projection for a period not over), ``historical`` (a past value
  given as background or as the base of a comparison), ``reported`` (the current or just-achieved value).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..numerals import parse_number
from ..rules import load
from ..textnorm import match_key
from .clauses import CLAUSE_BREAK

_WORD = re.compile(r"\S+")
_PUNCT = "«»\"“”'()[]،,.:;؛!?؟"
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?:[ ]?/[ ]?((?:19|20)?[0-9]{2}))?(?![0-9])")
SUBJECT_KINDS = ("initiative", "organization", "place")


def _keys(words) -> frozenset[str]:
    return frozenset(match_key(str(w)) for w in words)


@dataclass(frozen=True)
class MeaningRules:
    relative_years: dict[str, int]
    decade_end: tuple[str, ...]
    relative_phrases: re.Pattern[str]  # every relative year and decade end, longest first
    relative_pairs: frozenset[str]  # their first two words
    relative_first: frozenset[str]  # their first words
    time_fillers: frozenset[str]  # the other words of a time phrase ("من نفس الفترة من السنة الماضية")
    next_years: re.Pattern[str]
    goal_cues: re.Pattern[str]
    now_words: re.Pattern[str]
    achieved_cues: re.Pattern[str]
    comparison_cues: re.Pattern[str]
    cut_after: frozenset[str]
    allocation: frozenset[str]
    complementizers: frozenset[str]
    trailing: frozenset[str]
    change_noun: dict[str, str]
    change_nouns: frozenset[str]
    after_adverbs: tuple[str, ...]
    global_markers: re.Pattern[str]
    source_cues: re.Pattern[str]
    time_words: frozenset[str]
    scope_adverbs: frozenset[str]
    prepositions: frozenset[str]
    count_heads: frozenset[str]
    light_verbs: frozenset[str]


def _phrases(words) -> re.Pattern[str]:
    alternation = "|".join(re.escape(match_key(w)) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<!\w)[وف]?(?:" + alternation + r")(?!\w)")


@lru_cache(maxsize=1)
def rules() -> MeaningRules:
    data = load("units")
    numbers = load("numbers")
    quals = [w for ws in data["qualifiers"].values() for w in ws]
    head = "|".join(re.escape(match_key(w)) for w in data["next_years_head"])
    tail = "|".join(re.escape(match_key(w)) for w in data["next_years_tail"])
    change = {match_key(form): noun for noun, forms in data["change_verbs"].items() for form in forms}
    months = [w for ws in load("months").values() for w in ws]
    return MeaningRules(
        relative_years={match_key(k): int(v) for k, v in data["relative_years"].items()},
        decade_end=tuple(match_key(w) for w in data["decade_end"]),
        relative_pairs=frozenset(" ".join(match_key(w).split()[:2]) for w in [*data["relative_years"],
                                                                           *data["decade_end"]]),
        relative_first=frozenset(match_key(w).split()[0] for w in [*data["relative_years"], *data["decade_end"]]),
        time_fillers=_keys(data["time_fillers"]) | frozenset(w for p in _keys(data["relative_years"]) for w in p.split()),
        relative_phrases=re.compile("|".join(re.escape(match_key(w)) for w in sorted(
            [*data["relative_years"], *data["decade_end"]], key=len, reverse=True))),
        next_years=re.compile(r"(?:" + head + r")\s+(?:ال)?(?P<n>[^\s]+)\s+(?:" + tail + r")"
                              r"|(?P<n2>[0-9]+|[^\s]+)\s+(?:سنوات|اعوام)\s+(?:" + tail + r")"),
        goal_cues=re.compile(_phrases(data["goal_cues"]).pattern + "|" + _phrases(data["goal_before_verb"]).pattern
                             + r"(?=\s+(?:[يت]\w{2,}|[^\s]+\s+[يت]\w{2,}))"),
        now_words=_phrases(data["now_words"]),
        achieved_cues=_phrases(data["achieved_cues"]),
        comparison_cues=_phrases(data["comparison_cues"]),
        cut_after=_keys(data["measure_cut_after"]) | _keys(data["goal_cues"]) | _keys(data["allocation_verbs"])
        | _keys(data["light_verbs"]),
        allocation=_keys(data["allocation_verbs"]),
        complementizers=_keys(["أن", "إن", "بأن"]),
        trailing=_keys(data["measure_trailing"]) | _keys(quals) | {w for q in _keys(quals) for w in q.split()},
        change_noun=change,
        change_nouns=frozenset(change.values()),
        after_adverbs=tuple(match_key(w) for w in data["measure_after_adverbs"]),
        global_markers=_phrases(data["global_markers"]),
        source_cues=re.compile(r"(?<!\w)[وف]?(?:" + "|".join(re.escape(match_key(w)) for w in sorted(
            data["source_cues"], key=len, reverse=True)) + r")\s+(?:[^\s]+\s+){0,1}$"),
        time_words=_keys([*data["time_words"], *months]),
        scope_adverbs=_keys(data["scope_adverbs"]),
        count_heads=_keys(data["count_heads"]),
        light_verbs=_keys(data["light_verbs"]),
        prepositions=_keys(["في", "خلال", "منذ", "حتى", "من", "عن", "على", "إلى", "بين", "مع"]),
    )


# ---------------------------------------------------------------------------------------------- time


@lru_cache(maxsize=64)  # the figures of one clause ask for the same window
def resolve_years(key: str, lo: int, hi: int, published_year: int | None) -> list[tuple[int, str, int]]:
    """(position, year, offset) of every year a relative phrase names in ``key[lo:hi]`` (offset: vs publication).

    >>> resolve_years("بحلول نهايه العقد", 0, 17, 2026)
    [(6, '2030', 4)]
    >>> resolve_years("خلال السنوات الخمس المقبله", 0, 26, 2026)
    [(5, '2031', 5)]
    """
    r = rules()
    window = key[lo:hi]
    found = []
    for m in r.relative_phrases.finditer(window):
        phrase, i = m.group(), m.start()
        if phrase in r.relative_years:
            offset = r.relative_years[phrase]
            found.append((lo + i, str(published_year + offset) if published_year else "", offset))
        elif published_year:  # the end of the decade
            end = ((published_year - 1) // 10 + 1) * 10
            found.append((lo + i, str(end), end - published_year))
        else:
            found.append((lo + i, "", 1))
    if "سنوات" not in window and "اعوام" not in window and "سنين" not in window:
        return sorted(found)
    for m in r.next_years.finditer(window):
        word = m.group("n") or m.group("n2")
        n = parse_number(word) if not word.isdigit() else int(word)
        if n is None and word.startswith("ال"):
            n = parse_number(word[2:])
        if n and 0 < n <= 30:
            found.append((lo + m.start(), str(published_year + int(n)) if published_year else "", int(n)))
    return sorted(found)


def stated_years(key: str, lo: int, hi: int, years: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(position, year) of the dated years (``years``: start, end, iso from the dates table) in ``key[lo:hi]``;
    a fiscal year ``2024/2025`` is kept whole."""
    out = [(m.start(1), m.group(1) + (f"/{m.group(2)}" if m.group(2) else "")) for m in _CUED_YEAR.finditer(key, lo, hi)]
    first = bisect_left(years, (lo,))  # years are sorted by start
    for start, end, iso in years[first:]:
        if start >= hi:
            break
        if lo <= start:
            m = _YEAR.search(key, start, min(len(key), end + 8))
            if m and m.group(2):
                second = m.group(2) if len(m.group(2)) == 4 else m.group(1)[:2] + m.group(2)
                out.append((start, f"{m.group(1)}/{second}"))
            else:
                out.append((start, iso[:4]))
    return sorted(set(out))


# A year after a time or budget word, also a fiscal year: "في العام المالي 2025", "موازنة 2025/2026".
_CUED_YEAR = re.compile(r"(?<!\w)(?:[وفبل]?(?:سنه|عام|العام|المالي|موازنه|ميزانيه|خلال|في|منذ))\s+"
                        r"((?:19|20)[0-9]{2})(?:[ ]?/[ ]?((?:19|20)[0-9]{2}))?(?![0-9])")


def _nearest(items: list[tuple[int, str]], start: int, end: int) -> str:
    """The year of the item nearest the span, one after the span winning a tie."""
    if not items:
        return ""
    return min(items, key=lambda item: (abs(item[0] - start) if item[0] < start else abs(item[0] - end)))[1]


def time_role(key: str, start: int, end: int, clause: tuple[int, int], sentence_start: int,
              horizon: tuple[bool, str], years: list[tuple[int, int, str]],
              published_year: int | None) -> tuple[str, str]:
    """(time_role, year) of the figure at ``key[start:end]``.

    ``horizon`` is what the horizon words of the clause say (``في أفق 2030``: (True, "2030"));
    ``years``: (start, end, iso) of the event and target years the dates extractor found.
    """
    r = rules()
    c_lo, c_hi = clause
    relative = resolve_years(key, c_lo, c_hi, published_year)
    stated = stated_years(key, c_lo, c_hi, years)
    goal = _find(r.goal_cues, key, c_lo, start) or (_continues(key, c_lo) and _find(r.goal_cues, key, sentence_start, c_lo))
    if goal and _find(_RELATIVE, key, goal[1], start):
        goal = None  # "تهدف ... إلى كسب 40 نقطة في تقرير المنظمة التي وضعت المغرب في المرتبة 71": not the goal
    is_target, target_year = horizon
    own = _own_year(key, end, stated)
    if is_target and own and own != target_year and (not goal or (target_year and own < target_year)):
        is_target, target_year = False, ""  # "من 443 مليون دولار عام 2013 إلى 560.7 مليون بحلول 2016"
    now = _find(r.now_words, key, c_lo, start)
    if is_target and now and start - now[1] < 40:
        # "حجم السوق اليوم بنحو مليار دولار ويتوقعون نموه ... بحلول 2018": today's value, not the goal
        return "reported", str(published_year) if published_year else ""
    if is_target and not goal and _find(r.achieved_cues, key, c_lo, start) and _find(_END_OF, key, c_lo, c_hi):
        is_target, target_year = False, ""  # "بلغت ... بنهاية 2014": the value at the end of a past period
    future = [(p, y) for p, y, offset in relative if offset > 0]
    if is_target and not target_year:
        target_year = _nearest(future, start, end)
        if not target_year and not goal and not future:
            is_target = False  # "بلغ الدين ... في نهاية العام": the end of a year already reported
    if not is_target and future:
        is_target, target_year = True, _nearest(future, start, end)
    if not is_target and goal and not (own and published_year and int(own[-4:]) < published_year) \
            and not (own and horizon[1] and own < horizon[1]):
        later = [(p, y) for p, y in stated if (published_year is None or int(y[-4:]) >= published_year)
                 and not (p > end and _find(_RELATIVE, key, end, p))]  # not a year of a relative clause after it
        later += [(p, y) for p, y, offset in relative if offset >= 0 and y]
        if later or not stated:
            is_target = True
            target_year = _nearest(later, start, end) or _sentence_target_year(key, sentence_start, c_hi, years)
    if is_target:
        return "target", target_year
    past = [(p, y) for p, y, offset in relative if offset <= 0]
    year = _nearest(stated + past, start, end)
    if year and published_year is not None:
        y = int(year[-4:])  # a fiscal year 2024/2025 is over when its second year is
        compared = _find(r.comparison_cues, key, c_lo, start)
        if y <= published_year - 2 or (y < published_year and compared):
            return "historical", year
    return "reported", year


_END_OF = re.compile(r"(?<!\w)[وفب]?(?:نهايه|متم|بنهايه|مطلع|بدايه)(?!\w)")


def _own_year(key: str, end: int, stated: list[tuple[int, str]]) -> str:
    """A year written right after the figure (``443 مليون دولار عام 2013``): the figure's own year."""
    for position, year in stated:
        if end <= position <= end + 12 and not re.search(r"[0-9]", key[end:position - 1]):
            return year
    return ""


_RELATIVE = re.compile(r"(?<!\w)(?:التي|الذي|الذين|اللتين|اللذين)(?!\w)")


@lru_cache(maxsize=32)
def _spans(pattern: re.Pattern[str], key: str) -> list[tuple[int, int]]:
    """Every match of ``pattern`` in a document's key, found once for all its figures."""
    return [m.span() for m in pattern.finditer(key)]


def _find(pattern: re.Pattern[str], key: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The first match of ``pattern`` in the document lying within ``key[lo:hi]``, or None."""
    spans = _spans(pattern, key)
    i = bisect_left(spans, (lo,))
    return spans[i] if i < len(spans) and spans[i][1] <= hi else None


def _continues(key: str, clause_start: int) -> bool:
    """Whether a clause continues the one before it with و (``وعلى جعل ...``), so the sentence's goal covers it."""
    word = key[clause_start:clause_start + 12].split(None, 1)
    return bool(word) and word[0].startswith("و") and len(word[0]) > 2 and word[0] not in ("وفي", "وهو", "وهي")


def _sentence_target_year(key: str, lo: int, hi: int, years: list[tuple[int, int, str]]) -> str:
    """The year of the last target date of the sentence before ``hi`` ("في أفق 2030، وعلى جعل ...")."""
    found = [(s, iso[:4]) for s, _e, iso in years if lo <= s < hi]
    return found[-1][1] if found else ""


# ---------------------------------------------------------------------------------------------- measure


def _bare(word: str) -> str:
    return word.strip(_PUNCT)


def _in(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` (or it without a conjunction or preposition glued before it) is one of ``words``."""
    w = _bare(word)
    return w in words or (len(w) > 2 and w[0] in "وفبل" and (w[1:] in words or (w[1] in "بل" and w[2:] in words)))


def _is_year(word: str) -> bool:
    w = _bare(word)
    return bool(_YEAR.fullmatch(w[-4:])) and (len(w) == 4 or not w[:-4].isdigit())


def _clean(key: str, phrase: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A phrase without fillers at its ends and without the time phrase it may end with (``في العام 2025``).

    It stops at a time phrase (a time word, a year or a relative year, with the preposition that leads it),
    or starts after one that opens it (``فخلال السنة الماضية انخفضت مبيعات …``).
    """
    r = rules()
    words = [_bare(key[a:b]) for a, b in phrase]
    for i, word in enumerate(words):
        if _is_time(word, words, i):
            if i <= 1:  # "فخلال السنة الماضية انخفضت مبيعات ...": the time opens the phrase, what follows it counts
                j = i + 1
                while j < len(words) and j - i <= 5 and (_is_time(words[j], words, j) or words[j] in r.time_fillers):
                    j += 1
                phrase, words = phrase[j:], words[j:]
                if any(_is_time(w, words, k) for k, w in enumerate(words)):
                    return _clean(key, phrase)
                break
            j = i
            while j > 0 and i - j < 3 and words[j - 1] in r.time_fillers:
                j -= 1
            phrase = phrase[:j - 1] if j > 0 and words[j - 1] in r.prepositions else phrase[:i]
            break
    # Fillers and lone punctuation ("(", the ")" closing a conversion before it) go from both ends.
    while phrase and (_in(key[slice(*phrase[-1])], r.trailing) or not _bare(key[slice(*phrase[-1])])):
        phrase = phrase[:-1]
    while phrase and (_in(key[slice(*phrase[0])], r.trailing) or not _bare(key[slice(*phrase[0])])):
        phrase = phrase[1:]
    return phrase


def is_change_noun(word: str) -> bool:
    """Whether ``word`` is the noun of a change verb (``ارتفاع``, ``تراجع`` …)."""
    return match_key(word) in rules().change_nouns


def _is_time(word: str, words: list[str], i: int) -> bool:
    """Whether ``words[i]`` opens or continues a time phrase (a time word, a year, a relative year)."""
    r = rules()
    return bool(word[:1].isdigit() and _is_year(word) or _in(word, r.time_words) or (
        word in r.relative_first and " ".join(words[i:i + 2]) in r.relative_pairs))


def _change_verb(word: str) -> str:
    """The noun of a change verb (``ترتفع`` -> ``ارتفاع``), with or without a glued conjunction, else ""."""
    change = rules().change_noun
    w = _bare(word)
    return change.get(w) or (change.get(w[1:], "") if len(w) > 3 and w[0] in "وفلب" else "")


def measure_span(key: str, start: int, end: int, clause: tuple[int, int], unit: str,
                 what_span: tuple[int, int] | None) -> tuple[list[tuple[int, int]], str]:
    """The pieces of the key that make the measure of a figure, and a noun to put first (a change verb's).

    The phrase is the last stretch of words before the number between two cut words (verbs of stating
    and reaching, complementizers …), going back over one cut word when the stretch next to the number is
    empty (``إجمالي الإيرادات في العام المالي 2025 بلغ ...``) but never back over a speaker's ``أن``.
    No pieces and no noun: the caller reuses the measure of the sentence's previous figure.

    >>> key = "وتراهن على ان تنمو السوق العالميه بنحو 37 في المائه سنويا"
    >>> pieces, noun = measure_span(key, 39, 51, (0, len(key)), "percent", None)
    >>> noun, " ".join(key[a:b] for a, b in pieces)
    ('نمو', 'السوق العالميه سنويا')
    """
    r = rules()
    c_lo, c_hi = clause
    # The phrase is at most eight words over two or three stretches: the last 30 words are plenty.
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(key, max(c_lo, start - 220), start)][-30:]
    cuts = [i for i, (a, b) in enumerate(tokens) if _in(key[a:b], r.cut_after)]
    bounds = [-1, *cuts]
    phrase: list[tuple[int, int]] = []
    noun = ""
    allocation = False
    for k in range(len(bounds) - 1, max(-1, len(bounds) - 3), -1):
        lo = bounds[k] + 1
        hi = bounds[k + 1] if k + 1 < len(bounds) else len(tokens)
        if k + 1 < len(bounds) and _bare(key[slice(*tokens[bounds[k + 1]])]) in r.complementizers:
            break  # the words before a speaker's "أن" are the speaker
        phrase = _clean(key, tokens[lo:hi])
        cut_word = key[slice(*tokens[bounds[k]])] if bounds[k] >= 0 else ""
        allocation = allocation or (hi == len(tokens) and _in(cut_word, r.allocation))
        if not noun and cut_word and _change_verb(cut_word):
            noun = _change_verb(cut_word)
        if phrase and _change_verb(key[slice(*phrase[0])]) and _bare(cut_word) in r.light_verbs and k > 0:
            # "سوق عالمي يعرف نموا سنويا يقدر بنحو 37": the change of what stands before the light verb
            noun = _change_verb(key[slice(*phrase[0])])
            subject = _clean(key, tokens[bounds[k - 1] + 1:bounds[k]])
            phrase = subject or phrase[1:]
            break
        if len(phrase) == 1 and _change_verb(key[slice(*phrase[0])]):
            noun, phrase = noun or _change_verb(key[slice(*phrase[0])]), []  # "الأسر قد ارتفعت بنسبة": go on back
            continue
        if phrase:
            break
    inner = [i for i, (a, b) in enumerate(phrase[:-1]) if i and _change_verb(key[a:b]) in r.change_nouns
             and _bare(key[a:b]).lstrip("وفب") in r.change_nouns]  # a change noun inside, not a verb at the end
    if inner and unit in ("percent", "pp", "points"):
        phrase = phrase[inner[-1]:]  # "أشار المصدر إلى انخفاض النفقات": the change and what changes
    if phrase and _change_verb(key[slice(*phrase[0])]):
        noun, phrase = _change_verb(key[slice(*phrase[0])]), phrase[1:]
    elif phrase and _change_verb(key[slice(*phrase[-1])]):
        noun, phrase = _change_verb(key[slice(*phrase[-1])]), phrase[:-1]  # "الإيرادات ترتفع 5ر22 بالمائة"
    phrase = phrase[-8:]
    if unit == "rank":
        phrase = []  # before a rank stands who ranks (its subject); what is ranked comes after it
    pieces = [(phrase[0][0], phrase[-1][1])] if phrase else []
    if unit == "count" and what_span:
        head = phrase and _bare(key[slice(*phrase[0])]).removeprefix("و") in r.count_heads
        pieces = [*(pieces if head else []), _noun_phrase(key, what_span, c_hi)]
        noun = "" if not head else noun
    elif unit != "count":
        tail = _after_phrase(key, end, c_hi)
        if tail and (allocation or unit in ("percent", "pp", "rank") or len(phrase) <= 2):
            pieces = [tail] if allocation else [*pieces, tail]
            if unit == "percent" and len(pieces) == 1 and not noun and key[tail[0]:tail[0] + 3] == "من ":
                noun = "حصة"  # "40 في المائة من ميزانية ...": a share of it
    if unit == "rank":
        noun = "الترتيب"
    if not pieces and noun != "الترتيب":
        return [], noun  # the caller borrows the sentence's previous measure
    adverb = _adverb_after(key, pieces[-1][1] if pieces and pieces[-1][1] > end else end, c_hi)
    if adverb:
        pieces.append(adverb)
    return pieces, noun


def _noun_phrase(key: str, what_span: tuple[int, int], hi: int) -> tuple[int, int]:
    """The counted noun and up to two adjectives after it, before any preposition, time word or number."""
    r = rules()
    end = what_span[1]
    for m in list(_WORD.finditer(key, what_span[1], hi))[:2]:
        w, bare = m.group(), _bare(m.group())
        # An adjective or a genitive: "فرصة شغل عالية التأهيل"; not a preposition, a verb-like word or a number.
        if not bare or w[0] in _PUNCT or _in(bare, r.trailing) or _in(bare, r.cut_after) or _in(bare, r.time_words) \
                or bare[0].isdigit() or (not bare.startswith("ال") and bare[0] in "يتنس") or key[end:m.start()].strip():
            break
        end = m.start() + len(w.rstrip(_PUNCT))
        if w != w.rstrip(_PUNCT):
            break
    return what_span[0], end


def _after_phrase(key: str, end: int, hi: int) -> tuple[int, int] | None:
    """A ``من``/``في``/``ل`` phrase right after a quantity (``من الناتج المحلي الإجمالي``), up to five words."""
    r = rules()
    words = list(_WORD.finditer(key, end, hi))[:9]
    if words and _bare(words[0].group()) in r.scope_adverbs:
        rest = _after_phrase(key, words[0].end(), hi)
        return (words[0].start(), rest[1]) if rest else (words[0].start(), words[0].end())
    if not words:
        return None
    lead = _bare(words[0].group())
    glued = lead.startswith("ل") and len(lead) > 3 and lead not in ("لكن", "لدي", "لها", "لهم")
    if lead not in ("من", "في") and not glued:
        return None
    first_noun = words[0] if glued else words[1] if len(words) > 1 else None
    if first_noun is None:
        return None
    if _in(first_noun.group(), r.time_words) or first_noun.group()[0].isdigit() or _in(first_noun.group(), r.trailing):
        return None
    last = words[0]
    for w in words[1:]:
        if _in(w.group(), r.cut_after) or _in(w.group(), r.time_words) or w.group().lstrip("«“\"")[:1].isdigit() \
                and w is first_noun:
            break
        last = w
        if w.group()[-1] in _PUNCT and w.group()[-1] not in "”»\")":
            break
    while last is not words[0] and _bare(last.group()) in r.prepositions:
        last = words[[w.start() for w in words].index(last.start()) - 1]
    if last is words[0] and not glued:
        return None
    return words[0].start(), last.end()


def _adverb_after(key: str, pos: int, hi: int) -> tuple[int, int] | None:
    """A frequency adverb (``سنويا``) right after ``pos``."""
    rest = key[pos:hi]
    stripped = rest.lstrip()
    for adverb in rules().after_adverbs:
        if stripped.startswith(adverb):
            a = pos + len(rest) - len(stripped)
            return a, a + len(adverb)
    return None


# ---------------------------------------------------------------------------------------------- subject


def subject_window(key: str, start: int, clause: tuple[int, int]) -> int:
    """Where the figure's subject may start: the clause, after the ``أن``/``إن`` of a reporting verb."""
    lo = clause[0]
    for m in re.finditer(r"(?<!\w)(?:ب|و)?(?:ان|إن|أن)(?!\w)", key[lo:start]):
        lo_candidate = clause[0] + m.end()
        lo = max(lo, lo_candidate)
    return lo


def about_the_world(row) -> bool:
    """True for a figure with no subject in a clause about the world or a global market ("سوق عالمي")."""
    if row.subject:
        return False
    at = row.sentence.find(row.quote)
    return at >= 0 and speaks_of_the_world(match_key(row.sentence), at)


def unlink_world_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """The FIGURES table with no initiative on figures about the world (a paragraph's initiative is not theirs)."""
    world = [bool(iid) and about_the_world(row) for iid, row in zip(figures["initiative_id"], figures.itertuples())]
    if not any(world):
        return figures
    return figures.assign(initiative_id=figures["initiative_id"].where(~np.array(world), ""))




def speaks_of_the_world(sentence_key: str, at: int) -> bool:
    """Whether the clause around offset ``at`` of a sentence (match key) speaks of the world as a whole.

    >>> speaks_of_the_world("في ظل سوق عالمي للذكاء الاصطناعي يعرف نموا بنحو 37 في المائه، ما يعزز", 50)
    True
    """
    lo = max((m.end() for m in CLAUSE_BREAK.finditer(sentence_key, 0, at)), default=0)
    hi = next((m.start() for m in CLAUSE_BREAK.finditer(sentence_key, at)), len(sentence_key))
    return bool(_WORLD.search(sentence_key, lo, hi))


_WORLD = re.compile(r"(?<!\w)(?:[وفبل]|لل)?(?:ال)?(?:عالمي|عالميه|عالم)(?!\w)")


def choose_subject(key: str, start: int, end: int, clause: tuple[int, int],
                   entities: list[tuple[str, str, int, int]], sentence_start: int | None = None) -> str:
    """The name of the initiative, organisation or place the figure is about, or "".

    ``entities``: (kind, name, start, end) in key offsets, sorted by start. With no name in the clause, a
    clause continuing its sentence (``، بعدما جاءت في المرتبة 95``) takes the sentence's nearest name
    before it, unless it speaks of the world.
    """
    found = _subject_in(key, start, end, clause, entities)
    if found is not None or sentence_start is None or sentence_start >= clause[0]:
        return found or ""
    if _find(rules().global_markers, key, clause[0], clause[1]) or not _CONTINUES.match(key, clause[0]):
        return ""
    return _subject_in(key, start, end, (sentence_start, clause[0]), entities, before_only=True) or ""


# A clause that carries on the sentence before it: a conjunction, "بعدما", "حيث", "مما", a verb of following.
_CONTINUES = re.compile(r"\s*(?:و|ف|بعدما|بعد ان|حيث|مما|ما|لي|لت|تلتها|يليه|يليها|منها|مقابل)")


def _subject_in(key: str, start: int, end: int, clause: tuple[int, int],
                entities: list[tuple[str, str, int, int]], before_only: bool = False) -> str | None:
    """The subject named in ``clause`` ("" when only a place of a world-wide clause), None when it names none."""
    lo, hi = subject_window(key, start, clause), clause[1]
    if _RELATIVE.match(key[lo:hi].lstrip()):
        lo = max(0, lo - 60)  # "خارطة “Maroc IA 2030”، التي تستهدف ...": the name the relative clause is about
    starts = [e[2] for e in entities]
    r = rules()
    candidates = [e for e in entities[bisect_left(starts, lo):bisect_left(starts, hi)]
                  if e[0] in SUBJECT_KINDS and e[3] <= hi and not (e[2] < end and start < e[3])
                  and not r.source_cues.search(key, max(lo, e[2] - 30), e[2]) and (not before_only or e[3] <= start)]
    if not candidates:
        return None
    if _find(r.global_markers, key, lo, hi):
        candidates = [e for e in candidates if e[0] != "place"]
    if not candidates:
        return ""
    # The nearest name before the number (Arabic states the subject first), else the first one after it.
    best = min(candidates, key=lambda e: start - e[3] if e[3] <= start else 1000 + e[2] - end)
    return best[1]


# ---------------------------------------------------------------------------------------------- confidence

# How sure a figure is, from the rule that found it (before currency, measure and subject adjust it).
_RULE_CONFIDENCE = {
    "percent": 0.9, "pp": 0.9, "money": 0.9, "measure": 0.9, "points": 0.75, "count-noun": 0.85,
    "count-general": 0.65, "ellipsis": 0.5, "rank-head": 0.9, "rank-ordinal": 0.9, "rank-best": 0.8, "top-n": 0.8,
}
_CURRENCY_CONFIDENCE = {"named": 1.0, "sentence": 0.95, "dateline": 0.95, "article": 0.85, "ambiguous": 0.5}


def confidence(rule: str, currency_how: str, measure: str, subject: str) -> float:
    """How sure the figure is, in [0, 1]: the rule that found it, how its currency was decided, whether a
    measure and a subject were found in its clause."""
    base = _RULE_CONFIDENCE.get(rule.removesuffix("+range"), 0.6)
    if currency_how:
        base *= _CURRENCY_CONFIDENCE[currency_how]
    base += 0.05 if measure else -0.1
    base += 0.05 if subject else 0.0
    return round(min(1.0, max(0.0, base)), 2)
