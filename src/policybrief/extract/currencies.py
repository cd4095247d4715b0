"""Currency words of the Arab press -> ISO 4217 codes, bare words resolved from the article's country.

``ريال سعودي`` is SAR wherever it is written; a bare ``ريال``, ``دينار``, ``درهم``, ``جنيه`` or ``ليرة`` is the
currency of the country named in its sentence, else of the dateline's country, else of the country the
article names most; when nothing decides, the unit stays the family name (``dinar``) and the figure is
marked ambiguous. ``سنتيم`` and the other subunits are a fraction of the local unit. Amounts are never
converted. The tables are ``data/currencies.yml``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..numerals import trie_regex
from ..rules import load
from ..textnorm import match_key

FAMILY = "family:"  # a currency word token for a bare family word, e.g. "family:dinar"
SUBUNIT = "sub:"  # a token for a subunit word, e.g. "sub:سنتيم"


def _key(word: str) -> str:
    return match_key(word).casefold()


@dataclass(frozen=True)
class _Tables:
    token_of: dict[str, str]  # match key of a currency word -> ISO code, FAMILY + family or SUBUNIT + word
    family_of: dict[str, str]  # ISO code -> family ("" for the majors)
    country_currency: dict[str, dict[str, str]]  # country -> family -> ISO code
    subunits: dict[str, dict[str, Decimal]]  # subunit key -> ISO code -> fraction
    country_words: re.Pattern[str]
    country_of_word: dict[str, str]
    city_of: dict[str, str]  # match key of a dateline city -> country
    family_words: dict[str, str]
    bare_words: re.Pattern[str]  # family and subunit words, for the currency evidence of a whole article


@lru_cache(maxsize=1)
def tables() -> _Tables:
    data = load("currencies")
    token_of: dict[str, str] = {}
    family_of: dict[str, str] = {}
    country_currency: dict[str, dict[str, str]] = {}
    subunits: dict[str, dict[str, Decimal]] = {}
    for code, spec in data["currencies"].items():
        family_of[code] = spec["family"]
        if spec["country"] and spec["family"]:
            country_currency.setdefault(spec["country"], {})[spec["family"]] = code
        for name in spec["names"]:
            token_of[_key(str(name))] = code
        for word, fraction in (spec.get("subunits") or {}).items():
            subunits.setdefault(_key(word), {})[code] = Decimal(str(fraction))
            token_of.setdefault(_key(word), SUBUNIT + _key(word))
    for family, words in data["families"].items():
        for word in words:
            token_of.setdefault(_key(word), FAMILY + family)
    country_of_word, city_of = {}, {}
    for country, spec in data["countries"].items():
        for name in spec["names"]:
            country_of_word[_key(name)] = country
        for city in spec["cities"]:
            city_of.setdefault(_key(city), country)
    words = sorted(set(country_of_word) | set(city_of))
    country_words = re.compile(r"(?<!\w)(?:[وبلف]|ل?ل|وب|في)?(" + trie_regex(words) + r")(?!\w)")
    bare = sorted(k for k, tok in token_of.items() if tok.startswith((FAMILY, SUBUNIT)))
    bare_words = re.compile(r"(?<![^\W\d_])[0-9\s]{0,3}(?:مليون|مليار|الف)?\s*(" + trie_regex(bare) + r")(?!\w)")
    return _Tables(token_of, family_of, country_currency, subunits, country_words, country_of_word, city_of,
                   data["family_words"], bare_words)


def currency_words() -> list[str]:
    """Match keys of every word or phrase that names a currency, a family or a subunit."""
    return list(tables().token_of)


def token(word: str) -> str:
    """The token of a matched currency word: an ISO code, ``family:...`` or ``sub:...``.

    >>> token("ريال سعودي"), token("ريال"), token("سنتيم")
    ('SAR', 'family:riyal', 'sub:سنتيم')
    """
    return tables().token_of[_key(" ".join(word.split()))]


@dataclass(frozen=True)
class Countries:
    """What an article says about where it comes from: its dateline country and how often it names each."""

    dateline: str
    named: Counter
    money: str = ""  # the one country whose currencies fit every bare currency word of the article

    def majority(self, candidates: set[str]) -> str:
        """The candidate country the article names most, or "" on a tie or when it names none."""
        counts = [(self.named[c], c) for c in candidates if self.named[c]]
        counts.sort(reverse=True)
        if not counts or (len(counts) > 1 and counts[0][0] == counts[1][0]):
            return ""
        return counts[0][1]


@lru_cache(maxsize=64)  # every money figure of a sentence asks about the same sentence
def countries_named(key: str) -> Counter:
    """How often a match key names each country (by name, adjective or city).

    >>> countries_named(match_key("وفي لبنان أعلن مصرف لبنان أن الليرة اللبنانية"))
    Counter({'LB': 3})
    """
    t = tables()
    counts: Counter = Counter()
    for m in t.country_words.finditer(key.casefold()):
        word = " ".join(m.group(1).split())
        country = t.country_of_word.get(word) or t.city_of.get(word)
        if country:
            counts[country] += 1
    return counts


_DATELINE_CITY = re.compile(r"^\s*(?P<place>[^\d\n\-–—:(]{2,30}?)\s*(?:[-–—:(]|في\s|\d)")


def document_countries(key: str) -> Countries:
    """The dateline country (a city or country opening one of the first lines) and the countries named.

    >>> document_countries("عنوان\\n\\nالرياض – 15 مارس 2026 (واس) – اعلنت").dateline
    'SA'
    """
    t = tables()
    dateline = ""
    for line in key.split("\n", 4)[:4]:
        m = _DATELINE_CITY.match(line)
        if m and re.search(r"\d", line[:60]):
            place = " ".join(m.group("place").split()).casefold()
            dateline = t.city_of.get(place) or t.country_of_word.get(place) or ""
            if dateline:
                break
    return Countries(dateline, countries_named(key), _money_country(key))


def _options(tok: str) -> dict[str, str]:
    """Country -> ISO code of the currencies a family or subunit token may be."""
    t = tables()
    if tok.startswith(FAMILY):
        family = tok[len(FAMILY):]
        return {country: codes[family] for country, codes in t.country_currency.items() if family in codes}
    fractions = t.subunits[tok[len(SUBUNIT):]]
    return {country: code for code in fractions for country, codes in t.country_currency.items()
            if code in codes.values()}


def _money_country(key: str) -> str:
    """The country whose currencies fit all the article's bare currency words (``درهم`` and ``سنتيم``: MA).

    >>> _money_country(match_key("250 مليون سنتيم و80 مليون درهم")), _money_country(match_key("80 مليون درهم"))
    ('MA', '')
    """
    tokens = {tables().token_of[" ".join(m.group(1).split())] for m in tables().bare_words.finditer(key.casefold())}
    if len(tokens) < 2:
        return ""
    common = set.intersection(*(set(_options(tok)) for tok in tokens))
    return common.pop() if len(common) == 1 else ""


def resolve(tok: str, sentence_key: str, countries: Countries) -> tuple[str, Decimal, str]:
    """(unit, factor, how) of a currency token in a sentence of an article.

    ``how`` is ``named`` (the word names one currency), ``sentence``, ``dateline`` or ``article`` (the
    country that decided a bare word), or ``ambiguous`` (the unit is then the family name, e.g. ``dinar``).

    >>> none = Countries("", Counter())
    >>> resolve("family:riyal", "بلغت 5 مليارات ريال", Countries("SA", Counter()))
    ('SAR', Decimal('1'), 'dateline')
    >>> resolve("family:dinar", "قرض بـ45 مليون دينار", none)
    ('dinar', Decimal('1'), 'ambiguous')
    >>> resolve("sub:سنتيم", "250 مليون سنتيم", Countries("MA", Counter()))
    ('MAD', Decimal('0.01'), 'dateline')
    """
    t = tables()
    if not tok.startswith((FAMILY, SUBUNIT)):
        return tok, Decimal(1), "named"
    options = _options(tok)
    in_sentence = countries_named(sentence_key)
    for how, country in (("sentence", Countries("", in_sentence).majority(set(options))),
                         ("dateline", countries.dateline if countries.dateline in options else ""),
                         ("article", countries.money if countries.money in options else ""),
                         ("article", countries.majority(set(options)))):
        if country:
            code = options[country]
            factor = t.subunits[tok[len(SUBUNIT):]][code] if tok.startswith(SUBUNIT) else Decimal(1)
            return code, factor, how
    if tok.startswith(FAMILY):
        return tok[len(FAMILY):], Decimal(1), "ambiguous"
    return "", Decimal(1), "ambiguous"  # a subunit of no known currency: not a figure


def family_word(unit: str) -> str:
    """The Arabic word of an unresolved currency family (``dinar`` -> ``دينار``), else ""."""
    return tables().family_words.get(unit, "")
