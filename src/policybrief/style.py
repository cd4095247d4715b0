"""The house style of a corpus: month names, the plural of مليار, counted nouns, dates and lists in Arabic.

A brief about Egyptian articles writes سبتمبر and مليارات; one about Moroccan articles شتنبر and ملايير.
``detect_house_style`` reads the style from the articles themselves (``data/house_styles.yml``); an
analyst's ``brief.yml`` may force it. Every date, amount and counted noun of the brief and the charts goes
through this module, so they agree with each other and with the quotes.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from . import rules
from .formatting import format_value_ar
from .textnorm import match_key


@dataclass(frozen=True)
class HouseStyle:
    """Month names (January first) and the plurals used after 3-10 for مليار and مليون."""

    name: str
    months: tuple[str, ...]
    billions_few: str
    millions_few: str


def _styles() -> dict:
    return rules.load("house_styles")


def house_style(name: str = "", billions_few: str = "") -> HouseStyle:
    """The named style (the default one when unknown), optionally with another plural of مليار.

    >>> house_style("maghreb").months[8], house_style("mashriq").billions_few
    ('شتنبر', 'مليارات')
    """
    data = _styles()
    name = name if name in data["styles"] else data["default"]
    style = data["styles"][name]
    return HouseStyle(name, tuple(style["months"]), billions_few or style["billions_few"], style["millions_few"])


def _distinctive_months() -> dict[str, str]:
    """Match key of a month name -> the one style that uses it (names shared by styles are left out)."""
    owners: dict[str, set[str]] = {}
    for name, style in _styles()["styles"].items():
        for month in style["months"]:
            owners.setdefault(match_key(month), set()).add(name)
    return {key: next(iter(names)) for key, names in owners.items() if len(names) == 1}


def _alternatives(words: Iterable[str]) -> tuple[dict[str, str], str]:
    keys = {match_key(w): w for w in words}
    return keys, "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(keys, key=len, reverse=True))


def _word_counts(texts: Iterable[str], words: Iterable[str]) -> Counter:
    keys, body = _alternatives(words)
    pattern = re.compile(r"(?<![\w])(?:[وبل]|ال)?(" + body + r")(?![\w])")
    counts: Counter = Counter()
    for text in texts:
        for match in pattern.finditer(match_key(str(text or ""))):
            counts[keys[" ".join(match.group(1).split())]] += 1
    return counts


def _month_counts(text: str, months: Iterable[str]) -> Counter:
    """Month names used as dates (a day before, a year after, or شهر before): «نيسان» the brand is no month."""
    keys, body = _alternatives(months)
    pattern = re.compile(r"(?:(?<=\d)\s+|(?<!\w)شهر\s+)(" + body + r")(?!\w)|(?<![\w])(" + body
                         + r")(?=\s+(?:(?:عام|سنه)\s+)?\d{4})")
    counts: Counter = Counter()
    for match in pattern.finditer(match_key(text)):
        counts[keys[" ".join((match.group(1) or match.group(2)).split())]] += 1
    return counts


_GLOSS = re.compile(r"\([^()\n]{1,20}\)")


def detect_house_style(texts: Iterable[str]) -> HouseStyle:
    """The style most articles use (each votes with its distinctive month names; a name glossed in
    parentheses, as pan-Arab papers write «مايو (أيار)», does not vote); the plural of مليار used most.

    >>> detect_house_style(["القاهرة - 3 سبتمبر 2025: استثمارات بقيمة 3 مليارات دولار"]).name
    'mashriq'
    >>> style = detect_house_style(["الرباط 22 يوليوز 2025", "5 ملايير درهم"])
    >>> style.name, style.billions_few
    ('maghreb', 'ملايير')
    """
    texts = [str(t or "") for t in texts]
    distinctive = _distinctive_months()
    votes: Counter = Counter()
    for text in texts:
        unglossed = _GLOSS.sub(" ", text)
        by_style: Counter = Counter()
        for key, n in _month_counts(unglossed, distinctive).items():
            by_style[distinctive[match_key(key)]] += n
        if by_style:
            votes[by_style.most_common(1)[0][0]] += 1
    ranked = votes.most_common(2)
    name = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else ""  # a tie: default
    plurals = _styles()["plural_words"]["billions_few"]
    used = _word_counts(texts, plurals)
    billions = used.most_common(1)[0][0] if used else ""
    return house_style(name, billions)


def date_text(iso: object, style: HouseStyle | None = None) -> str:
    """An ISO date (day, month or year) written with the style's month name.

    >>> date_text("2025-07-22", house_style("maghreb")), date_text("2025-09", house_style("mashriq"))
    ('22 يوليوز 2025', 'سبتمبر 2025')
    >>> date_text("2030"), date_text("")
    ('2030', '')
    """
    style = style or house_style()
    parts = str(iso or "").strip().split("-")
    if not parts[0]:
        return ""
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {style.months[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{style.months[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return str(iso)
    return parts[0]


def value_text(value: float, unit: str, what: str = "", qualifier: str = "", style: HouseStyle | None = None) -> str:
    """A quantity written the press way in the corpus's style (``3 مليارات`` or ``3 ملايير``).

    >>> value_text(3e9, "USD", style=house_style("mashriq")), value_text(3e9, "USD", style=house_style("maghreb"))
    ('3 مليارات دولار', '3 ملايير دولار')
    """
    return restyle(format_value_ar(value, unit, what, qualifier), style)


def restyle(text: str, style: HouseStyle | None = None) -> str:
    """A text written by the tables (house default ملايير) with the style's plurals of مليار and مليون.

    >>> restyle("هدف: 4 ملايير دولار", house_style("mashriq"))
    'هدف: 4 مليارات دولار'
    """
    if style is None or not text:
        return text
    default_few = {s["value"]: s["few"] for s in rules.load("presentation")["scales"]}
    for scale, word in ((1_000_000_000, style.billions_few), (1_000_000, style.millions_few)):
        old = default_few.get(scale)
        if old and old != word:
            text = re.sub(rf"(?<!\S){re.escape(old)}(?!\S)", word, text)
    return text


def count_phrase(n: int, noun: str) -> str:
    """``n`` with its counted noun in the oblique case (after a verb or a preposition); ``data/nouns.yml``.

    >>> count_phrase(1, "article"), count_phrase(2, "article"), count_phrase(7, "initiative")
    ('مقال واحد', 'مقالين', '7 مبادرات')
    >>> count_phrase(15, "figure"), count_phrase(102, "figure"), count_phrase(111, "figure"), count_phrase(0, "initiative")
    ('15 رقما', '102 رقم', '111 رقما', '0 مبادرة')
    """
    forms = rules.load("nouns")[noun]
    n = int(n)
    if n == 1:
        return forms["one"]
    if n == 2:
        return forms["two"]
    last_two = n % 100
    if 3 <= last_two <= 10:
        return f"{n} {forms['few']}"
    if 11 <= last_two <= 99:
        return f"{n} {forms['many']}"
    return f"{n} {forms['single']}"


def join_ar(items: Iterable[str]) -> str:
    """Items joined the Arabic way: ``أ، ب وج``.

    >>> join_ar(["أ", "ب", "ج"]), join_ar(["أ"]), join_ar([])
    ('أ، ب وج', 'أ', '')
    """
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "، ".join(items[:-1]) + " و" + items[-1]
