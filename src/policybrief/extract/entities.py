"""Organisations, persons, initiatives and places of one document, with offsets and a grouping key.

Rules (word lists in ``data/entities.yml``), all on a length-preserving fold of the text so that
offsets found in the fold are offsets in the original (``text == doc_text[start:end]`` always):

* organisation: a head noun and its complement (``وزارة الانتقال الرقمي وإصلاح الإدارة``): definite words,
  eponyms, places, a place head and its place (``مجلس جهة بني ملال خنيفرة``) and construct chains that
  reach a bare definite word, ending at punctuation, stop words, verbs (a future ``ست…``), و + a new head,
  ب + a place or a new body, an indefinite accusative (``قرضا``), and after a لل complement a bare
  indefinite noun or a definite noun that is not an agreeing adjective (the object of a VSO sentence);
  a definite head needs two complement words (or one relative adjective and ب + its city for an
  institution: ``الجامعة الأورومتوسطية بفاس``) and takes no indefinite genitive, an indefinite head a
  genitive; generic committees and back-references (``مجلس إدارة الوكالة``، ``مجلس الجماعة``) are dropped.
  A Latin, quoted or unknown Arabic name after a company head is the name alone (``مجموعة Onepoint``،
  ``شركة “وان بوينت”``، ``شركة هواوي``، ``مجموعة رونو المغرب`` -> ``رونو المغرب``); a short quoted name
  right after an organisation is a second name (``… “مازن”``), and so is a Latin acronym in brackets;
  a list of known names (``الاتحاد الأوروبي``، banks and public offices); a bare Latin name.
* person: an honorific (up to two adjectives and a field ``في …`` may follow; professional titles such as
  ``المحلل`` need a known given name and become the role) and a 1-4 word name, then ``، <role>``;
  a role phrase then a name starting with a known given name; ``<role>، <name>،`` (or ``.``);
  a speech verb, a name and ``، <role>``; ``<given name> …، <role>``; later mentions of a known full
  name (not the surname alone). ``على`` is never the name ``علي``.
* initiative: a quoted or Latin name after an initiative head (``خارطة طريق “Maroc IA 2030”``) or a launch
  word (``إطلاق “JAZARI ROOT”``); a short quoted name with a year or in Latin letters; a Latin name with a
  year or an initiative word; an Arabic head phrase holding an eponym or ending in a year; a definite
  event or law head with a specific complement (``المنتدى المغاربي للذكاء الاصطناعي``); a law by number.
* place: gazetteer names (parts of a region joined by a dash or a space, ``جهة`` kept, a direction such as
  ``شمال`` joined); names that are also common words only after a place noun, a preposition or as a dateline;
  a feminine nationality adjective after a noun it qualifies is not a country (``شركة Aramco السعودية``);
  unknown names after a place head, alone or in a list (``أقاليم تاونات وتازة``), unless they look like
  adjectives or directions.

Overlaps keep the stronger rule, then the longer span. ``canonical`` (see ``canonical_key``): match key,
casefolded, punctuation and the article ``ال`` stripped, then the alias families of the data file; within a
document an Arabic spelling whose consonant skeleton equals a Latin name's (``وان بوينت`` / ``Onepoint``)
takes the Latin name's key.

Speed: one ``re.split`` tokenizes; every per-word property (lookup key, rule families, stop word, title,
definite, place …) is one cached bit mask per distinct word, so the rule passes only visit flagged tokens.
``find_entity_records`` returns plain dicts for batch use; ``extract_entities`` wraps them in a DataFrame.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress, count, repeat
from operator import and_, attrgetter, itemgetter

import numpy as np
import pandas as pd

from ..rules import load
from ..schemas import column_names, empty_frame, validate
from ..textnorm import (
    ALEF_MAQSURA,
    BIDI_CONTROLS,
    DIACRITICS,
    TATWEEL,
    ZERO_WIDTH,
    fold_char,
    match_key,
)

KINDS = ("organization", "person", "initiative", "place")
# Columns after the ENTITIES schema: ``name`` is the citation form (text, with ال restored after a
# contracted لل: للوكالة -> الوكالة); ``head`` the folded head noun that introduced the name, or empty.
_DEFINITE = "\u0627\u0644"  # ال
_LAM = "\u0644"
_PREFIXES = ("\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("\u0628", "\u0644", "\u0643")  # ب ل ك
_YEAR = re.compile(r"(?:19|20)\d\d$")

_ARABIC_LETTER = "[\u0621-\u065f\u0670-\u06d3\u06fa-\u06ff]"
_LATIN_WORD = "[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f&'\u2019_+]*(?:[.\\-][A-Za-z0-9\u00c0-\u024f]+)*"
# X+ written XX*: each branch then starts with a character set, and re skips the gaps by that first set
_SPLIT = re.compile(f"({_ARABIC_LETTER}{_ARABIC_LETTER}*|{_LATIN_WORD}|\\d\\d*(?:[.,]\\d+)*|&)")
_LATIN_LETTER = re.compile("[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_QUOTE = re.compile(r'"([^"\n]{1,150})"')
_DRAFT = frozenset(["\u0645\u0634\u0631\u0648\u0639", "\u0645\u0642\u062a\u0631\u062d"])  # مشروع مقترح
_PLACE_PREPOSITIONS = frozenset(["\u0641\u064a", "\u0645\u0646", "\u0627\u0644\u064a", "\u0646\u062d\u0648"])
_DEMONSTRATIVES = frozenset(["\u0647\u0630\u0627", "\u0647\u0630\u0647", "\u0630\u0644\u0643", "\u062a\u0644\u0643"])
_LATIN_CONNECTORS = frozenset(["de", "of", "the", "for", "du", "des", "la", "le", "and", "in", "et", "&", "on", "at", "to", "by"])
_COMPOUND_NAME_ENDS = frozenset(["\u0627\u0644\u062f\u064a\u0646", "\u0627\u0644\u0639\u0627\u0628\u062f\u064a\u0646"])  # الدين العابدين
_ROLE_END = re.compile(r"[\u060c,.;:\u061b\n()]")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """``str.translate`` table of every one-to-one fold of ``textnorm.fold_char`` (lengths kept)."""
    table: dict[int, str] = {}
    for code in range(0x3100):
        ch = chr(code)
        if ch in DIACRITICS or ch == TATWEEL or ch in BIDI_CONTROLS or ch in ZERO_WIDTH:
            continue
        folded = fold_char(ch)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    for ch in BIDI_CONTROLS | ZERO_WIDTH:
        table[ord(ch)] = " "
    return table


_DROP = {ord(ch): None for ch in DIACRITICS | {TATWEEL}}
_HAS_MARKS = re.compile("[" + "".join(sorted(DIACRITICS | {TATWEEL})) + "]")


def fold(text: str) -> str:
    """A fold of ``text`` with the same length: letter variants, quotes, dashes and digits unified.

    >>> fold("\u00ab\u0625\u062f\u0627\u0631\u0629\u00bb \u2013 \u0663")
    '"اداره" - 3'
    """
    table, present = _fold_pairs()
    # A few str.replace calls beat a per-character translate. No fold yields a folding character, so each
    # search resumes where the last one stopped: every folding character before it is already replaced.
    m = present.search(text)
    while m:
        ch = m.group()
        text = text.replace(ch, table[ch])
        m = present.search(text, m.end())
    return text


@lru_cache(maxsize=1)
def _fold_pairs() -> tuple[dict[str, str], re.Pattern[str]]:
    """The one-to-one folds as a character map, and a pattern finding the characters that fold."""
    table = {chr(code): out for code, out in _fold_table().items()}
    return table, re.compile("[" + "".join(re.escape(ch) for ch in sorted(table)) + "]")


def word_key(word: str) -> str:
    """The lookup key of a folded word: diacritics and tatweel removed.

    >>> word_key("\u0646\u064f\u0638\u0645\u062a")
    'نظمت'
    """
    return word.translate(_DROP)


def _phrase_keys(phrases) -> frozenset[str]:
    return frozenset(" ".join(word_key(w) for w in fold(p).split()) for p in phrases)


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``data/entities.yml`` as folded lookup sets."""

    org_heads: frozenset[str]
    org_latin_heads: frozenset[str]
    initiative_heads: dict[str, str]  # phrase key -> initiative kind
    triggers: frozenset[str]
    creation: frozenset[str]
    unnamed_heads: frozenset[str]
    honorifics: frozenset[str]
    role_heads: frozenset[str]
    first_names: frozenset[str]
    eponyms: frozenset[str]
    stop: frozenset[str]
    verbs: frozenset[str]
    latin_not_names: frozenset[str]
    latin_initiative_words: dict[str, str]
    places: dict[str, str]  # phrase key -> place kind
    ambiguous_places: frozenset[str]
    place_heads_kept: frozenset[str]
    place_heads_dropped: frozenset[str]
    aliases: dict[str, str]  # canonical key -> family key
    alias_contains: tuple[tuple[str, str], ...]  # (words, family key)
    known_organizations: frozenset[str]
    not_brand: frozenset[str]
    org_latin_heads_all: frozenset[str]
    initiative_heads_all: frozenset[str]
    generic_complements: frozenset[str]
    org_heads_with_fi: frozenset[str]
    place_directions: frozenset[str]
    max_head_words: int
    back_references: frozenset[str] = frozenset()
    generic_modifiers: frozenset[str] = frozenset()
    place_list_heads: frozenset[str] = frozenset()
    titles_need_name: frozenset[str] = frozenset()
    courtesy_titles: frozenset[str] = frozenset()
    place_name_prefixes: frozenset[str] = frozenset()
    place_list_heads_definite: frozenset[str] = frozenset()
    located_heads: frozenset[str] = frozenset()


def _role_keys(phrases) -> frozenset[str]:
    """Role phrases with their definite form derived (منسق -> المنسق, رئيس قسم -> رئيس القسم is not derived)."""
    keys = _phrase_keys(phrases)
    return keys | frozenset(_DEFINITE + k for k in keys if not k.startswith(_DEFINITE) and " " not in k)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and fold the entity rules once."""
    data = load("entities")
    ini_heads = {k: kind for kind, words in data["initiative_heads"].items() for k in _phrase_keys(words)}
    latin_words = {w.casefold(): kind for kind, words in data["initiative_latin_words"].items() for w in words}
    places = {k: kind for kind, words in data["places"].items() for k in _phrase_keys(w.replace("-", " ") for w in words)}
    aliases: dict[str, str] = {}
    contains: list[tuple[str, str]] = []
    for family in data["alias_families"]:
        for form in family.get("forms", []):
            aliases[canonical_base(form)] = family["key"]
        for form in family.get("contains", []):
            contains.append((canonical_base(form), family["key"]))
    for group in data["place_aliases"]:
        for form in group:
            aliases[canonical_base(form)] = canonical_base(group[0])
    heads = [*data["organization_heads"], *data["organization_latin_heads"], *data["role_heads"], *ini_heads]
    return Lexicon(
        org_heads=_phrase_keys(data["organization_heads"]),
        org_latin_heads=_phrase_keys(data["organization_latin_heads"]),
        initiative_heads=ini_heads,
        triggers=_phrase_keys(data["initiative_triggers"]),
        creation=_phrase_keys(data["creation_words"]),
        unnamed_heads=_phrase_keys(data["unnamed_initiative_heads"]),
        honorifics=_phrase_keys(data["honorifics"]) | _phrase_keys(data["titles_need_name"]),
        titles_need_name=_phrase_keys(data["titles_need_name"]),
        courtesy_titles=_phrase_keys(data["courtesy_titles"]),
        role_heads=_role_keys(data["role_heads"]),
        first_names=_phrase_keys(data["first_names"]),
        eponyms=_phrase_keys(data["eponyms"]),
        stop=_phrase_keys(data["stop_words"]),
        verbs=_phrase_keys(data["verbs"]),
        latin_not_names=frozenset(w.casefold() for w in data["latin_not_names"]),
        latin_initiative_words=latin_words,
        places=places,
        ambiguous_places=_phrase_keys(w.replace("-", " ") for w in data["ambiguous_places"]),
        place_heads_kept=_phrase_keys(data["place_heads_kept"]),
        place_heads_dropped=_phrase_keys(data["place_heads_dropped"]),
        aliases=aliases,
        alias_contains=tuple(contains),
        known_organizations=_phrase_keys(data["known_organizations"]),
        not_brand=_phrase_keys(data["not_brand"]),
        org_latin_heads_all=_phrase_keys(data["organization_latin_heads"])
        | frozenset(_DEFINITE + h for h in _phrase_keys(data["organization_latin_heads"])),
        initiative_heads_all=frozenset(ini_heads) | frozenset(_DEFINITE + h for h in ini_heads),
        generic_complements=_phrase_keys(data["generic_complements"]),
        org_heads_with_fi=_phrase_keys(data["org_heads_with_fi"]),
        place_directions=_phrase_keys(data["place_directions"]),
        max_head_words=max(len(h.split()) for h in heads + list(data["known_organizations"])),
        back_references=_phrase_keys(data["back_reference_nouns"]),
        generic_modifiers=_phrase_keys(data["generic_modifiers"]),
        place_list_heads=_phrase_keys(data["place_list_heads"]),
        place_name_prefixes=_phrase_keys(data["place_name_prefixes"]),
        place_list_heads_definite=_phrase_keys(data["place_list_heads_definite"]),
        located_heads=_phrase_keys(data["located_heads"]),
    )


# ---------------------------------------------------------------- words and clitics


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[tuple[int, str], ...]:
    """Readings of a folded word as (prefix length, stem): clitics و ف ب ل ك stripped, لل read as ل + ال.

    >>> stems("للوكاله")
    ((0, 'للوكاله'), (1, 'لوكاله'), (1, 'الوكاله'))
    >>> stems("وبالرباط")[-1]
    (2, 'الرباط')
    """
    out = [(0, word)]
    for i, first in enumerate(("", *_PREFIXES)):
        if first and not word.startswith(first):
            continue
        rest = word[len(first):]
        if first and len(rest) >= 2:
            out.append((len(first), rest))
        for prep in _PREPOSITIONS:
            if rest.startswith(prep) and len(rest) > len(prep) + 1:
                stem = rest[len(prep):]
                out.append((len(first) + len(prep), stem))
                if prep == _LAM and stem.startswith(_LAM) and len(stem) > 2:
                    # ل + ال is written لل: the stem is ال + the rest; the span keeps the whole word.
                    out.append((len(first) + len(prep), _DEFINITE + stem[1:]))
    seen, unique = set(), []
    for item in out:
        if item not in seen:
            seen.add(item)
            unique.append(item)
    return tuple(unique)


@lru_cache(maxsize=262144)
def is_definite(word: str) -> bool:
    """The word (after clitics) carries the article.

    >>> is_definite("والصادرات"), is_definite("لتنميه"), is_definite("للوكاله")
    (True, False, True)
    """
    return any(stem.startswith(_DEFINITE) and len(stem) > 3 for _, stem in stems(word))


@cache
def _first_words(table_id: int) -> frozenset[str]:
    lex = lexicon()
    for value in vars(lex).values():
        if id(value) == table_id:
            return frozenset(p.split()[0] for p in value if p)
    raise KeyError(table_id)


@cache
def _word_prefixes(table_id: int) -> frozenset[str]:
    """Every leading run of words of the phrases of the lexicon table ``table_id``."""
    lex = lexicon()
    for value in vars(lex).values():
        if id(value) == table_id:
            out = set()
            for phrase in value:
                words = phrase.split()
                out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
            return frozenset(out)
    raise KeyError(table_id)


@lru_cache(maxsize=262144)
def _could_start(word: str, table_id: int) -> bool:
    """Some reading of ``word`` is the first word of a phrase of the lexicon table ``table_id``."""
    firsts = _first_words(table_id)
    return any(stem in firsts for _, stem in stems(word))


@lru_cache(maxsize=262144)
def _is_stop_word(w: str) -> bool:
    lex = lexicon()
    if w in lex.stop or w in lex.verbs:
        return True
    return w[:1] in "\u0648\u0641" and (w[1:] in lex.stop or w[1:] in lex.verbs)


@lru_cache(maxsize=262144)
def _is_head_word(w: str) -> bool:
    lex = lexicon()
    for _, stem in stems(w):
        bare = stem[2:] if stem.startswith(_DEFINITE) else stem
        if stem in lex.honorifics or stem in lex.role_heads or bare in lex.org_heads or stem in lex.org_heads:
            return True
        if stem in lex.initiative_heads or bare in lex.initiative_heads:
            return True
    return False


def _is_future_verb(w: str) -> bool:
    """س + an imperfect prefix (ستوسع، سيعمل، سنطلق), not a plural or feminine noun (سيارات).

    >>> _is_future_verb("\u0633\u062a\u0648\u0633\u0639"), _is_future_verb("\u0633\u064a\u0627\u0631\u0627\u062a")
    (True, False)
    """
    return (len(w) >= 5 and w[0] == "\u0633" and w[1] in "\u064a\u062a\u0646"
            and not w.endswith(("\u0627\u062a", "\u0647", "\u0629")))


def _is_nisba(w: str) -> bool:
    """A relative adjective (…ي، …ية، …يين)."""
    return w.endswith(("\u064a", "\u064a\u0647", "\u064a\u064a\u0646", "\u064a\u0648\u0646"))


@lru_cache(maxsize=65536)
def _is_back_reference(w: str) -> bool:
    """A definite generic noun (الجماعة، للشركة، الوزارة) that refers back rather than names."""
    lex = lexicon()
    return any(s.startswith(_DEFINITE) and (s[2:] in lex.back_references or s[2:] in lex.org_heads)
               for _, s in stems(w))


@lru_cache(maxsize=65536)
def _is_generic_word(w: str) -> bool:
    """A complement word that does not make a body specific (إدارة، الإداري، الجماعة)."""
    lex = lexicon()
    for _, s in stems(w):
        bare = s[2:] if s.startswith(_DEFINITE) else s
        if bare in lex.back_references or bare in lex.org_heads or bare in lex.generic_modifiers or s in lex.generic_complements:
            return True
    return False


@lru_cache(maxsize=65536)
def _is_stop_word_only(w: str) -> bool:
    """A stop word proper (not only a verb)."""
    stop = lexicon().stop
    return w in stop or (w[:1] in "\u0648\u0641" and w[1:] in stop)


@lru_cache(maxsize=262144)
def _is_trigger(w: str) -> bool:
    return any(s in lexicon().triggers for _, s in stems(w))


@lru_cache(maxsize=262144)
def _is_title_word(w: str) -> bool:
    lex = lexicon()
    return any(s in lex.honorifics or s in lex.role_heads for _, s in stems(w))


@lru_cache(maxsize=262144)
def _is_place_word(w: str) -> bool:
    return any(s in lexicon().places for _, s in stems(w))


_HON, _ROLE, _VERB, _FIRST, _ORG, _INI, _PLACE, _PLACE_HEAD = 1, 2, 4, 8, 16, 32, 64, 128
# Word properties (not rule starts), so hot loops test a bit instead of calling a predicate.
_STOP, _TITLE, _HEAD, _PLACEW, _DEF, _EPO, _PLACE_HEAD_ANY = 256, 512, 1024, 2048, 4096, 8192, 16384
_LATIN_HEAD, _KNOWN_ORG, _INI_HEAD = 32768, 65536, 131072
# Some clitic reading of the word is a place head kept in the name, one dropped from it, or a direction.
_PLACE_KEPT_STEM, _PLACE_DROPPED_STEM, _DIRECTION_STEM = 262144, 524288, 1048576
_YEAR_NUMBER = 2097152  # a number token that reads as a year (19xx, 20xx)
_LATIN_TOKEN = 4194304
# A definite word with no other part to play (not a stop word, verb, head, title, eponym or place, no ب or لل):
# ``complement`` always takes it, whatever the mode, unless a لل word came before.
_PLAIN_DEFINITE = 8388608
_NOT_PLAIN = _STOP | _VERB | _HEAD | _TITLE | _EPO | _PLACE | _PLACEW | _PLACE_HEAD_ANY


@cache
def _table_bit(table_id: int) -> int:
    """The mask bit that says a word may start a phrase of the lexicon table ``table_id`` (0 if none)."""
    lex = lexicon()
    return {id(lex.honorifics): _HON, id(lex.role_heads): _ROLE, id(lex.org_latin_heads_all): _LATIN_HEAD,
            id(lex.known_organizations): _KNOWN_ORG, id(lex.initiative_heads_all): _INI_HEAD}.get(table_id, 0)


@cache
def _phrase_table(table_id: int) -> tuple[int, frozenset[str]]:
    """``_table_bit`` and ``_word_prefixes`` of a lexicon table in one lookup (``match_phrase`` runs often)."""
    return _table_bit(table_id), _word_prefixes(table_id)


@lru_cache(maxsize=1)
def _longest_step() -> int:
    """Most tokens ``complement`` takes in one step: an eponym (up to 6 words) or a place head and its place."""
    return max(6, 1 + max(len(p.split()) for p in lexicon().places))


_COMPLEMENT_LIMIT = 12
_PERSON_BITS = _HON | _ROLE | _VERB | _FIRST
_ORG_BITS = _ORG
_INITIATIVE_BITS = _INI
_RULE_BITS = _PERSON_BITS | _ORG_BITS | _INITIATIVE_BITS | _PLACE | _PLACE_HEAD
_ANCHOR_BITS = _EPO | _YEAR_NUMBER  # what can make an Arabic initiative name specific
_SCAN_BITS = _RULE_BITS | _ANCHOR_BITS | _LATIN_TOKEN  # every bit ``flagged`` is asked for


@lru_cache(maxsize=262144)
def _tags(word: str) -> int:
    """Bit mask of the rule families a token may start and of its word properties (cached per word).

    One loop over the clitic readings of the word, each looked up once in ``_stem_bits``.
    """
    lex = lexicon()
    table = _stem_bits()
    mask = 0
    for _, stem in stems(word):
        mask |= table.get(stem, 0)
        if stem.startswith(_DEFINITE) and len(stem) > 3:
            mask |= _DEF
    if word.startswith("\u0639\u0628\u062f"):  # عبد…
        mask |= _FIRST
    if word in lex.place_list_heads or (word[:1] in "\u0648\u0628\u0641" and word[1:] in lex.place_list_heads):
        mask |= _PLACE_HEAD
    if _is_stop_word(word):
        mask |= _STOP
    if word in lex.place_heads_kept or word in lex.place_heads_dropped:
        mask |= _PLACE_HEAD_ANY
    if mask & _DEF and not mask & _NOT_PLAIN and not word.startswith(("\u0628", "\u0644\u0644")):
        mask |= _PLAIN_DEFINITE
    return mask


@lru_cache(maxsize=1)
def _stem_bits() -> dict[str, int]:
    """For every stem that matters, the OR of the mask bits it gives (phrase starts and word classes)."""
    lex = lexicon()
    bits: dict[str, int] = {}

    def add(words, bit: int) -> None:
        for w in words:
            bits[w] = bits.get(w, 0) | bit

    def firsts(table) -> set[str]:
        return {p.split()[0] for p in table if p}

    add(firsts(lex.honorifics), _HON)
    add(firsts(lex.role_heads), _ROLE)
    add(lex.verbs, _VERB)
    add(firsts(lex.first_names), _FIRST)
    add(firsts(lex.org_latin_heads_all) | firsts(lex.known_organizations), _ORG)
    add([h for h in lex.org_heads if not h.startswith(_DEFINITE)] + [_DEFINITE + h for h in lex.org_heads], _ORG)
    add(firsts(lex.initiative_heads_all) | set(lex.triggers), _INI)
    add(firsts(lex.places), _PLACE)
    add(set(lex.honorifics) | set(lex.role_heads), _TITLE)
    heads = set(lex.honorifics) | set(lex.role_heads) | set(lex.org_heads) | set(lex.initiative_heads)
    add(heads | {_DEFINITE + h for h in set(lex.org_heads) | set(lex.initiative_heads)}, _HEAD)
    add(lex.places, _PLACEW)
    add(firsts(lex.eponyms), _EPO)
    add(firsts(lex.org_latin_heads_all), _LATIN_HEAD)
    add(firsts(lex.known_organizations), _KNOWN_ORG)
    add(firsts(lex.initiative_heads_all), _INI_HEAD)
    add(lex.place_heads_kept, _PLACE_KEPT_STEM)
    add(lex.place_heads_dropped, _PLACE_DROPPED_STEM)
    add(lex.place_directions, _DIRECTION_STEM)
    return bits


class Token(tuple):
    """A word token: (start, end, word, latin, number, joined, mask), as ``tokenize`` returns them."""

    __slots__ = ()
    start = property(itemgetter(0))
    end = property(itemgetter(1))
    word = property(itemgetter(2))  # folded lookup key
    latin = property(itemgetter(3))
    number = property(itemgetter(4))
    joined = property(itemgetter(5))  # only spaces (no punctuation, no newline) since the previous token
    mask = property(itemgetter(6))  # rule families the word may start (``_tags``)


class _Memo(dict):
    """A per-key cache that ``map(memo.__getitem__, …)`` reads in C (an lru_cache call costs twice as much).

    Emptied when it holds ``maxsize`` keys, so memory stays bounded on any corpus.
    """

    def __init__(self, fn, maxsize: int) -> None:
        super().__init__()
        self.fn, self.maxsize = fn, maxsize

    def __missing__(self, key):
        if len(self) >= self.maxsize:
            self.clear()
        value = self[key] = self.fn(key)
        return value


def _word_info(word: str) -> tuple[str, bool, bool, int]:
    """(lookup key, latin, number, rule mask) of a token's surface."""
    ch = word[0]
    if ch.isdigit():
        return word, False, True, _YEAR_NUMBER if _YEAR.match(word) else 0
    if ch < "\u0600":
        return word, True, False, _LATIN_TOKEN
    key = word_key(word)
    return key, False, False, _tags(key)


def _gap_joins(gap: str) -> bool:
    """The gap between two tokens holds only spaces (no punctuation, no newline)."""
    return not gap.strip() and "\n" not in gap


_WORD_INFO = _Memo(_word_info, 262144)
_GAP_JOINS = _Memo(_gap_joins, 4096)


def token_columns(key: str) -> tuple[list[int], list[int], tuple, tuple, tuple, list[bool], tuple]:
    """The tokens of a folded text as columns: (starts, ends, words, latin, number, joined, masks).

    One ``re.split`` gives gaps and tokens alternately; offsets are running sums of their lengths, and
    every per-word property comes from a cache, so no Python code runs per token.
    """
    parts = _SPLIT.split(key)
    if len(parts) == 1:
        return [], [], (), (), (), [], ()
    offsets = list(accumulate(map(len, parts)))
    words, latin, number, masks = zip(*map(_WORD_INFO.__getitem__, parts[1::2]))
    joined = [False, *map(_GAP_JOINS.__getitem__, parts[2:-1:2])]
    return offsets[0:-1:2], offsets[1::2], words, latin, number, joined, masks


def tokenize(key: str) -> list[Token]:
    """Word tokens of a folded text with their offsets and whether they follow the previous one directly.

    >>> [(t.word, t.joined) for t in tokenize("وزارة الصحة، Onepoint")]
    [('وزارة', False), ('الصحة', True), ('Onepoint', False)]
    """
    return list(map(Token, zip(*token_columns(key))))


@lru_cache(maxsize=1)
def _verbs_and_stop_words() -> frozenset[str]:
    lex = lexicon()
    return lex.verbs | lex.stop


_YEAR_IN = re.compile(r"(?:19|20)\d\d")


def _mostly_latin(text: str) -> bool:
    """More than 60% of the letters of ``text`` are Latin (no letter: False).

    >>> _mostly_latin("Maroc IA 2030"), _mostly_latin("\u0627\u0644\u0645\u063a\u0631\u0628 AI")
    (True, False)
    """
    if not _LATIN_LETTER.search(text):
        return False  # most quotes are Arabic speech: no need to count
    return len(_LATIN_LETTER.findall(text)) / (len(_LETTER.findall(text)) or 1) > 0.6


@dataclass(slots=True)
class Candidate:
    kind: str
    start: int
    end: int
    rule: str
    priority: int
    role: str = ""
    name: str = ""
    head: str = ""


# ---------------------------------------------------------------- the document scanner


class _Scanner:
    """One pass over a document's tokens; collects candidates of every kind.

    Tokens are held as columns (``starts``, ``ends``, ``words``, ``latin``, ``numbers``, ``joins``,
    ``masks``): the rules read a property of a neighbour far more often than a whole token.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.key = fold(text)
        (self.starts, self.ends, self.words, self.latin, self.numbers, self.joins,
         self.masks) = token_columns(self.key)
        self.n = len(self.starts)
        # the tokens that may start some rule, found in one pass; each rule pass filters this short list
        self.active = list(compress(count(), map(and_, self.masks, repeat(_SCAN_BITS))))
        self.active_masks = list(map(self.masks.__getitem__, self.active))
        # a role phrase after punctuation (what ``name، role`` patterns need), as sorted token indices
        self.role_breaks = [j for j in self.flagged(_ROLE) if not self.joins[j]]
        self.anchors = self.flagged(_ANCHOR_BITS)
        self.lex = lexicon()
        self.cands: list[Candidate] = []
        self.quotes = [(m.start(), m.end(), m.start(1), m.end(1)) for m in _QUOTE.finditer(self.key)]
        self.quote_at = {}  # index of the token right after an opening quote -> quote
        for q in self.quotes:
            i = self._index_from(q[2])
            if i is not None:
                self.quote_at[i] = q
        self.latin_runs, run_tokens = self._latin_runs()
        self.run_at = {r[0]: r for r in self.latin_runs}
        # tokens where a quoted or Latin name starts (``_name_after_head`` finds nothing away from them)
        self.name_starts = sorted(set(self.quote_at) | set(run_tokens))

    # -- helpers
    def flagged(self, bits: int) -> list[int]:
        """Indices of the tokens whose mask has any of ``bits`` (a subset of ``_SCAN_BITS``)."""
        return list(compress(self.active, map(and_, self.active_masks, repeat(bits))))

    def _before_role_breaks(self) -> set[int]:
        """Tokens 2-4 tokens before a role phrase that follows punctuation (``name، role`` patterns need one)."""
        return {j - d for j in self.role_breaks for d in (2, 3, 4)}

    def _place_match(self, i: int) -> tuple[int, str, int, str] | None:
        """Longest gazetteer place at token i, dash or space between parts: (n, phrase, prefix, stem)."""
        words, joins, latin, n_toks = self.words, self.joins, self.latin, self.n
        places, prefixes = self.lex.places, _word_prefixes(id(self.lex.places))
        best = None
        for prefix, stem in stems(words[i]):
            if stem not in prefixes:
                continue
            phrase, n = stem, 1
            while True:
                if phrase in places and (best is None or n > best[0]):
                    best = (n, phrase, prefix, stem)
                j = i + n
                if j >= n_toks or not (joins[j] or self._dash_gap(j)) or latin[j]:
                    break
                phrase = phrase + " " + words[j]
                if phrase not in prefixes:
                    break
                n += 1
        return best

    def _index_from(self, offset: int) -> int | None:
        """The token starting within 4 characters from ``offset``."""
        i = bisect_left(self.starts, offset)
        return i if i < self.n and self.starts[i] < offset + 4 else None

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < self.n else ""

    def joined(self, i: int) -> bool:
        return 0 <= i < self.n and self.joins[i]

    def match_phrase(self, i: int, table) -> tuple[int, str, int] | None:
        """Longest phrase of ``table`` starting at token i (clitics allowed on the first word): (n, key, prefix)."""
        n_toks = self.n
        if i >= n_toks:
            return None
        words, joins, latin = self.words, self.joins, self.latin
        bit, prefixes = _phrase_table(id(table))
        if bit:
            if not self.masks[i] & bit:
                return None
        elif latin[i] or self.numbers[i] or not _could_start(words[i], id(table)):
            return None
        best = None
        for prefix, stem in stems(words[i]):
            if stem not in prefixes:
                continue
            phrase, n = stem, 1
            while True:
                if phrase in table and (best is None or n > best[0]):
                    best = (n, phrase, prefix)
                j = i + n
                if j >= n_toks or not joins[j] or latin[j]:
                    break
                phrase = phrase + " " + words[j]
                if phrase not in prefixes:
                    break
                n += 1
        return best

    def is_stop(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & _STOP != 0

    def is_head_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & _HEAD != 0

    def eponym_len(self, i: int) -> int:
        """Number of tokens of an eponym starting at token i (0 when none)."""
        best = 0
        if not (0 <= i < self.n and self.masks[i] & _EPO):
            return 0
        first = self.word(i)
        if not _could_start(first, id(self.lex.eponyms)):
            return 0
        for prefix, stem in stems(first):
            words = [stem]
            for n in range(1, 7):
                if n > 1:
                    j = i + n - 1
                    if not self.joined(j):
                        break
                    words.append(self.word(j))
                if " ".join(words) in self.lex.eponyms:
                    best = max(best, n)
        return best

    def is_first_name(self, i: int) -> bool:
        w = self.word(i)
        if 0 <= i < self.n and self.text[self.ends[i] - 1] == ALEF_MAQSURA and _is_stop_word(w):
            return False  # على (a preposition) folds to the name علي
        if w in self.lex.first_names or (w.startswith("\u0639\u0628\u062f") and len(w) > 4):  # عبد…
            return True
        return (_could_start(w, id(self.lex.first_names)) and i + 1 < self.n and self.joined(i + 1)
                and f"{w} {self.word(i + 1)}" in self.lex.first_names)

    # -- complements
    def complement(self, i: int, mode: str, limit: int = _COMPLEMENT_LIMIT) -> int:
        """Index after the complement that starts at token i (``mode`` org, role or event).

        A complement word is definite, an eponym, a place, or an indefinite word in a construct chain
        that reaches a definite word within two words (لمراقبة حماية المعطيات). It ends at punctuation,
        a stop word or verb, و + a new head noun, a title, and (org mode) ب + a new organisation head
        (لجنة … بمجلس النواب); ``event`` mode lets حول in (المناظرة الوطنية الأولى حول الذكاء الاصطناعي).
        """
        j = i
        words, joins, latin, numbers, masks = self.words, self.joins, self.latin, self.numbers, self.masks
        n_toks = self.n
        seen_lil = False
        not_role = mode != "role"
        org_mode = mode in ("org", "org_fi")
        while j < n_toks and j - i < limit:
            if not joins[j] or latin[j] or numbers[j]:
                break
            m = masks[j]
            if m & _PLAIN_DEFINITE and not seen_lil:
                j += 1
                continue  # the checks below all let a plain definite word in
            w = words[j]
            definite = m & _DEF
            place = m & _PLACEW
            prev_definite = j > i and masks[j - 1] & _DEF
            if j > i and not_role and not definite and not place and len(w) > 3 and w.endswith("\u0627") \
                    and w[-2] not in "\u064a\u0648\u0627":
                break  # قرضا، تقريرا: an indefinite accusative is the object of the verb, not part of the name
            if j > i and not definite and _is_future_verb(w):
                break  # … ستوسع البرنامج: a future verb opens the predicate
            if (org_mode and seen_lil and prev_definite and not place and w.startswith(_DEFINITE)
                    and not _is_nisba(w) and not w.endswith("\u0647") and not self.eponym_len(j)):
                break  # صندوق … للتنمية الاقتصادية المشروع: a noun (not an agreeing adjective) after لل… is the object
            if w.startswith("\u0644\u0644"):
                seen_lil = True
            if m & _PLACE_HEAD_ANY:
                n = self._region_len(j)
                if n:
                    j += n
                    continue
            stop = m & _STOP
            if (j > i and not_role and m & _VERB and not prev_definite and not _is_stop_word_only(w)
                    and not masks[j - 1] & _HEAD and self._chain_reaches_definite(j)):
                j += 1
                continue  # لأمن نظم المعلومات: نظم after an indefinite construct word is a noun, not a verb
            if (not_role and seen_lil and prev_definite and not definite and not place and not stop
                    and w[:1] not in "\u0648\u0641\u0628\u0644\u0643" and not self.eponym_len(j)):
                break  # … للشغل غياب المشاورات: a bare indefinite noun after a definite one starts a new phrase
            if stop:
                if (mode == "org_fi" and w == "\u0641\u064a" and j > i and j + 1 < n_toks
                        and joins[j + 1] and not self.place_word(j + 1) and self._chain_reaches_definite(j + 1)):
                    j += 1
                    continue
                if (mode == "role" and w == "\u0639\u0646" and j > i and j + 1 < n_toks and joins[j + 1]
                        and not latin[j + 1] and not self.is_stop(j + 1)):
                    j += 1
                    continue  # النائب البرلماني عن دائرة …
                if mode == "event" and w == "\u062d\u0648\u0644" and j + 1 < n_toks and is_definite(
                        self.word(j + 1)) and joins[j + 1]:
                    j += 1
                    continue
                break
            if j > i and m & _HEAD and w[:1] == "\u0648":
                break
            if m & _TITLE and not (mode == "role" and j == i):
                break
            if mode not in ("role", "event") and j > i and w[:1] == "\u0628" and self._org_head_stem(w[1:]):
                break
            if m & _EPO:
                n = self.eponym_len(j)
                if n:
                    j += n
                    continue
            if mode == "role" and not definite and self.is_first_name(j):
                break
            if not_role and j > i and w[:1] == "\u0628" and (place or (mode != "event" and definite)):
                break  # بفاس، بالتزاماتها: where or how, not part of the name
            if m & _PLACE:
                n = self.place_len(j)
                if n > 1:
                    j += n
                    continue
            if definite or place:
                j += 1
                continue
            if mode == "role" and self.is_first_name(j):
                break
            if self._chain_reaches_definite(j):
                j += 1
                continue
            break
        return j

    def _region_len(self, j: int) -> int:
        """Tokens of a place head noun and the gazetteer place after it (جهة بني ملال خنيفرة), else 0."""
        if j + 1 >= self.n or not self.joins[j + 1] or self.masks[j + 1] & _PLACE == 0:
            return 0
        w = self.word(j)
        lex = self.lex
        if w in lex.place_heads_kept or w in lex.place_heads_dropped:
            n = self.place_len(j + 1)
            return n + 1 if n else 0
        return 0

    def _chain_reaches_definite(self, j: int) -> bool:
        words, joins, latin, numbers = self.words, self.joins, self.latin, self.numbers
        for nxt in (j + 1, j + 2):
            if nxt >= self.n or not joins[nxt] or latin[nxt] or numbers[nxt]:
                return False
            if _is_stop_word_only(words[nxt]) or self._is_person_title(nxt) or self.is_first_name(nxt):
                return False
            if words[nxt].startswith(_DEFINITE) or self.place_word(nxt) or self.eponym_len(nxt):
                return True
        return False

    def _org_head_stem(self, word: str) -> bool:
        return any((s[2:] if s.startswith(_DEFINITE) else s) in self.lex.org_heads for _, s in stems(word))

    def _is_person_title(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & _TITLE != 0

    def name_words(self, i: int, need_first: bool, limit: int = 4, closed: bool = False) -> int:
        """Index after a 1-4 word person name starting at token i (i when there is none)."""
        words, joins, latin, numbers, lex = self.words, self.joins, self.latin, self.numbers, self.lex
        n_toks = self.n
        if i < n_toks and need_first and not (self.is_first_name(i) or latin[i]):
            return i
        j = i
        while j < n_toks and j - i < limit and (j == i or joins[j]):
            w = words[j]
            if numbers[j] or len(w) < 2 or (self.is_stop(j) and not (j == i and self.is_first_name(j))):
                break
            if self._is_person_title(j) or self.is_head_word(j):
                break
            if latin[j] and not w[:1].isupper():
                break
            if latin[j] and w.casefold() in lex.latin_not_names:
                break
            if not latin[j] and w[:3] in ("\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0641\u0627\u0644",
                                          "\u0643\u0627\u0644") or w[:2] == "\u0644\u0644":
                break  # وال بال فال كال لل: a common noun with a clitic, not a name
            if j > i and self.place_word(j):
                break
            if (j - i >= 2 and not closed and not latin[j] and w.startswith(_DEFINITE) and not w.endswith("\u064a")
                    and words[j - 1] not in _COMPOUND_NAME_ENDS):
                break  # السيد مراد الشامي الوفد: a third definite word that is not a nisba is the object
            j += 1
        return j

    def place_len(self, i: int) -> int:
        """Number of tokens of the longest gazetteer place starting at token i (dash or space between parts)."""
        if i >= self.n or not (self.masks[i] & _PLACE):
            return 0
        best = self._place_match(i)
        return best[0] if best else 0

    def place_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & _PLACEW != 0

    def role_after(self, j: int) -> tuple[int, int] | None:
        """(start, end) offsets of a ``، <role phrase>`` that follows a name ending before token j."""
        if j >= self.n:
            return None
        start = self.starts[j]
        gap = self.key[self.ends[j - 1]:start]
        if gap.strip() not in ("\u060c", ",", "") or "\n" in gap:
            return None
        if not self._is_role_start(j):
            return None
        stop = _ROLE_END.search(self.key, start, start + 200)
        end = stop.start() if stop else min(len(self.key), start + 200)
        while end > start and self.key[end - 1].isspace():
            end -= 1
        return start, end

    def _is_role_start(self, j: int) -> bool:
        if j >= self.n or not self.masks[j] & _ROLE:
            return False
        m = self.match_phrase(j, self.lex.role_heads)
        return m is not None and m[2] == 0

    # -- rules
    def persons(self) -> None:
        """Titled names, role-then-name, appositions (``رئيس الجامعة، محمد …،``) and ``name، role``."""
        used: set[int] = set()
        after = 0
        masks, before_role = self.masks, self._before_role_breaks()
        for i in self.flagged(_PERSON_BITS):
            # without a title or role here, the two remaining patterns need a comma and a role 2-4 tokens later
            if i < after or not (masks[i] & (_HON | _ROLE) or i in before_role):
                continue
            nxt = self._person_at(i, used)
            after = nxt or i + 1

    def _person_at(self, i: int, used: set[int]) -> int | None:
        """Try every person pattern at token i; the index after the person found, else None.

        ``persons`` calls it only at a title or role, or 2-4 tokens before a role after punctuation.
        """
        lex = self.lex
        starts, ends, joins, masks, n_toks = self.starts, self.ends, self.joins, self.masks, self.n
        mask = masks[i]
        hon = self.match_phrase(i, lex.honorifics) if mask & _HON else None
        if hon and hon[1] == "\u062f" and self.key[ends[i]:ends[i] + 1] != ".":
            hon = None  # د alone is only a title as د.
        if hon and mask & _ROLE:
            role = self.match_phrase(i, lex.role_heads)
            if role and role[0] > hon[0]:
                hon = None  # الكاتب العام: the longer role phrase wins over the title الكاتب
        if hon:
            k = self._skip_nisba(self._skip_nisba(i + hon[0]))
            if k < n_toks and joins[k] and self._is_role_start(k):
                return self._role_first(k, used, honorific_first=i)
            field = self._skip_field(k)
            need_first = hon[1] in lex.titles_need_name or field != k
            k = field
            if k < n_toks and (joins[k] or self.key[ends[k - 1]:starts[k]].strip() == "."):
                end = self.name_words(k, need_first=need_first)
                if end > k:
                    title = "" if hon[1] in lex.courtesy_titles else self.text[starts[i] + hon[2]:ends[k - 1]]
                    self._person(k, end, "honorific-name", used, i, fallback_role=title)
                    return end
            if mask & _ROLE and self._is_role_start(i):
                return self._role_first(i, used)  # النائب البرلماني عن …، رشيد …،: the title opens a role
            return None
        if mask & _ROLE and self._is_role_start(i):
            return self._role_first(i, used)
        if mask & _VERB and i + 1 < n_toks and joins[i + 1]:
            # قال لارس إيكلوند، الرئيس التنفيذي …: a name of 2-3 words between a speech verb and a role.
            k = i + 1
            end = self.name_words(k, need_first=False, limit=3)
            if (end - k >= 2 and end < n_toks and not joins[end] and not masks[k] & _ROLE
                    and self.role_after(end)):
                self._person(k, end, "verb-name-role", used, k)
                return end
        if self.is_first_name(i) and (i == 0 or not self._is_person_title(i - 1)):
            end = self.name_words(i, need_first=True)
            if end - i >= 2 and end < n_toks and self.role_after(end):
                self._person(i, end, "name-comma-role", used, i)
                return end
        return None

    def _skip_field(self, k: int) -> int:
        """Skip a field after a title (الباحث في علم الاجتماع يونس …): في and 1-3 words before a given name."""
        words, joins, latin, numbers = self.words, self.joins, self.latin, self.numbers
        if self.word(k) != "\u0641\u064a" or not self.joined(k):
            return k
        for m in range(k + 2, min(k + 5, self.n)):
            x = m - 1
            if not (joins[x] and joins[m]) or latin[x] or numbers[x] or self.is_stop(x) \
                    or self.is_head_word(x) or words[x][:1] in "\u0628\u0644\u0648":
                return k
            if self.is_first_name(m) and not self.eponym_len(m):
                return m
        return k

    def _skip_nisba(self, k: int) -> int:
        """Skip a nationality adjective after a title (الخبيرة الجزائرية ليلى …)."""
        w = self.word(k)
        if (k + 1 < self.n and self.joins[k] and self.joins[k + 1] and w.startswith(_DEFINITE)
                and w.endswith(("\u064a", "\u064a\u0647")) and not self.place_word(k)
                and not self._is_person_title(k)):
            return k + 1
        return k

    def _role_first(self, i: int, used: set[int], honorific_first: int | None = None) -> int | None:
        """A role phrase at token i then a name: directly (وزيرة … أمل الفلاح) or after a comma (رئيس الجامعة، محمد …،)."""
        lex = self.lex
        starts, ends, joins, n_toks = self.starts, self.ends, self.joins, self.n
        role = self.match_phrase(i, lex.role_heads)
        k = i + role[0]
        comp = self.complement(k, "role") if k < n_toks and joins[k] else k
        n = comp
        hon2 = self.match_phrase(n, lex.honorifics) if n < n_toks and joins[n] else None
        if hon2:
            n += hon2[0]
        role_start = starts[i] + role[2]
        role_text = self.text[role_start:ends[comp - 1]]
        first = honorific_first if honorific_first is not None else i
        if n < n_toks and joins[n]:
            end = self.name_words(n, need_first=hon2 is None and honorific_first is None)
            if end - n >= (1 if hon2 or honorific_first is not None else 2):
                self._person(n, end, "role-name", used, first, role_text=role_text)
                return end
        # apposition: <role>، <name>، (the name then ends at punctuation)
        if n < n_toks and not joins[n] and self.key[ends[n - 1]:starts[n]].strip() in ("\u060c", ","):
            end = self.name_words(n, need_first=False, limit=4, closed=True)
            after = self.key[ends[end - 1]:starts[end] if end < n_toks else len(self.key)].strip()[:1]
            closes = (end == n_toks or not joins[end]) and after in ("\u060c", ",", ".", "")
            if 2 <= end - n <= 4 and closes and (self.is_first_name(n) or not is_definite(self.words[n])):
                self._person(n, end, "role-comma-name", used, first, role_text=role_text)
                return end
        return None

    def _person(self, k: int, end: int, rule: str, used: set[int], first: int, role_text: str = "",
                fallback_role: str = "") -> None:
        start, stop = self.starts[k], self.ends[end - 1]
        if not role_text:
            span = self.role_after(end)
            role_text = self.text[span[0]:span[1]] if span else fallback_role
        used.update(range(first, end))
        self.cands.append(Candidate("person", start, stop, rule, 2, role=role_text.strip()))

    def organizations(self) -> None:
        """Latin / quoted names after a generic head, head noun + complement, known names, quoted aliases."""
        lex, masks, words = self.lex, self.masks, self.words
        latin_heads = lex.org_latin_heads_all
        for i in self.flagged(_ORG_BITS):
            m = self.match_phrase(i, latin_heads) if masks[i] & _LATIN_HEAD else None
            if m and self._name_after_head(i, m, "organization", "head-latin"):
                continue
            if m and self._brand_after_head(i + m[0], m[1]):
                continue
            known = self.match_phrase(i, lex.known_organizations) if masks[i] & _KNOWN_ORG else None
            if known:
                self._span_candidate(i, known, "organization", "known-name", 2)
            for prefix, stem in stems(words[i]):
                definite = stem.startswith(_DEFINITE)
                bare = stem[2:] if definite else stem
                if bare in lex.org_heads:
                    self._head_complement(i, prefix, stem, bare, definite)
                    break
        self._quoted_aliases()

    def _head_complement(self, i: int, prefix: int, stem: str, bare: str, definite: bool) -> None:
        lex, toks_words, joins, n_toks = self.lex, self.words, self.joins, self.n
        k = i + 1
        if k >= n_toks or not joins[k] or self.latin[k]:
            return
        mode = "org_fi" if bare in lex.org_heads_with_fi else "org"
        end = self.complement(k, mode)
        if end == k and not definite:
            end = self._unknown_name_then_field(k)
        words = list(toks_words[k:end])
        if not words:
            return
        first = words[0]
        genitive = ((is_definite(first) and first.startswith(_DEFINITE)) or self.eponym_len(k) or self.place_word(k)
                    or self._region_len(k))
        if definite and not (is_definite(first) or genitive):
            return  # للمؤسسة رفع رأس المال: a definite noun takes no genitive; an indefinite word starts a new phrase
        if not definite and not genitive:
            nxt_ok = k + 1 < end and not first.startswith(("\u0644", "\u0628")) and not toks_words[k + 1].startswith(("\u0644", "\u0628"))
            if not (nxt_ok or end - k >= 2 and is_definite(toks_words[end - 1]) and self._unknown_ok(k, end)):
                return
        if definite and len(words) == 1 and bare in lex.located_heads and _is_nisba(words[0]) \
                and end < n_toks and joins[end] and toks_words[end][:1] == "\u0628" and self.place_len(end):
            end += self.place_len(end)  # الجامعة الأورومتوسطية بفاس: an institution named by one adjective and its city
            words.append(toks_words[end - 1])
        if definite and len(words) < 2:
            return
        if len(words) == 1 and words[0] in lex.generic_complements:
            return
        generic = 0
        while generic < len(words) and _is_generic_word(words[generic]):
            generic += 1
        if generic and _is_back_reference(words[generic - 1]) and (
                generic == len(words) or (words[generic][:1] == _LAM and not words[generic].startswith(_LAM * 2))):
            return  # مجلس إدارة الوكالة، مجلس الجماعة (لدراسة …): a back-reference to a body named earlier or local
        contracted = definite and not toks_words[i][prefix:].startswith(_DEFINITE)
        start = self.starts[i] if contracted else self.starts[i] + prefix
        name = self._citation(start, self.ends[end - 1], i, prefix, stem)
        self.cands.append(Candidate("organization", start, self.ends[end - 1], "head-noun", 3, name=name, head=bare))

    def _brand_after_head(self, k: int, head: str) -> bool:
        """شركة هواوي، مجموعة رونو: an unknown Arabic word (one or two) after a company head is its name.

        Not a feminine adjective (…ة), not definite, not the first word of a construct, not a stop word,
        verb, title, place or listed common adjective.
        """
        lex, words, joins, latin, numbers, n_toks = self.lex, self.words, self.joins, self.latin, self.numbers, self.n
        if head.startswith(_DEFINITE):
            return False
        end = k
        while end < n_toks and end - k < 2 and joins[end] and not latin[end] and not numbers[end]:
            w = words[end]
            if (w.endswith(("\u0647", "\u0627\u062a")) or is_definite(w) or self.is_stop(end) or w in lex.not_brand
                    or self.is_head_word(end) or self.place_word(end) or self.is_first_name(end) or len(w) < 3
                    or w[:1] in "\u0644\u0628\u0648\u0641"):
                break
            end += 1
        if end == k:
            return False
        if end < n_toks and joins[end] and self.place_len(end) == 1 and is_definite(words[end]) \
                and words[end].startswith(_DEFINITE):
            end += 1  # مجموعة رونو المغرب: the brand and its country subsidiary
        nxt = end
        if (nxt < n_toks and joins[nxt] and not latin[nxt] and words[nxt].startswith(_DEFINITE)
                and not self.is_stop(nxt)):
            return False  # شركة تطوير البرمجيات: a construct, not a brand
        self.cands.append(Candidate("organization", self.starts[k], self.ends[end - 1], "head-brand", 3, head=head))
        return True

    def _unknown_name_then_field(self, k: int) -> int:
        """جامعة هواري بومدين للعلوم …: 1-3 unknown words, then a ل + definite field and its complement."""
        words, joins, latin, numbers = self.words, self.joins, self.latin, self.numbers
        for n in (1, 2, 3):
            j = k + n
            if j >= self.n or not all(joins[x] and not latin[x] and not numbers[x]
                                      and not is_definite(words[x]) and not self.is_stop(x)
                                      and not self.is_head_word(x) for x in range(k, j)):
                return k
            w = words[j]
            if joins[j] and w.startswith("\u0644\u0644") and len(w) > 4:
                return self.complement(j, "org")
        return k

    def _unknown_ok(self, k: int, end: int) -> bool:
        return any(self.words[x].startswith("\u0644\u0644") for x in range(k + 1, end))

    def _span_candidate(self, i: int, m: tuple[int, str, int], kind: str, rule: str, priority: int) -> None:
        word = self.words[i]
        stem = next((s for p, s in stems(word) if p == m[2] and s == m[1].split()[0]), word)
        contracted = stem.startswith(_DEFINITE) and not word[m[2]:].startswith(_DEFINITE)
        start = self.starts[i] if contracted else self.starts[i] + m[2]
        end = self.ends[i + m[0] - 1]
        self.cands.append(Candidate(kind, start, end, rule, priority, name=self._citation(start, end, i, m[2], stem)))

    def _quoted_aliases(self) -> None:
        """A short quoted name right after an organisation name is a second name of it (… “مازن”)."""
        org_ends = {c.end: c for c in self.cands if c.kind == "organization" and c.rule == "head-noun"}
        for q in self.quotes:
            before = q[0]
            while before > 0 and self.key[before - 1] == " ":
                before -= 1
            if before in org_ends and len(self.key[q[2]:q[3]].split()) <= 3:
                self._quoted(q, "organization", "quoted-alias", "")

    def _citation(self, start: int, end: int, i: int, prefix: int, stem: str) -> str:
        """The span text, with ال restored when the span begins with the contracted لل (للوكالة -> الوكالة)."""
        t_start = self.starts[i]
        if start == t_start and prefix and stem.startswith(_DEFINITE) and not self.words[i][prefix:].startswith(_DEFINITE):
            return _DEFINITE + self.text[t_start + prefix + 1:end]
        return self.text[start:end]

    def _name_after_head(self, i: int, m: tuple[int, str, int], kind: str, rule: str, max_between: int = 4) -> bool:
        """A quoted or Latin name within ``max_between`` adjective words after the head at token i."""
        starts, ends, words, joins, latin, numbers = (self.starts, self.ends, self.words, self.joins, self.latin,
                                                      self.numbers)
        k = i + m[0]
        nxt = bisect_left(self.name_starts, k)  # (``_any_in`` inlined: this runs at every head)
        if nxt == len(self.name_starts) or self.name_starts[nxt] > k + max_between:
            return False  # no quote or Latin run within reach
        for _ in range(max_between + 1):
            if k >= self.n:
                return False
            if k in self.quote_at:
                q = self.quote_at[k]
                between = self.key[ends[k - 1]:q[0]]
                if between.strip() == "" and "\n" not in between and self._name_like(q):
                    self._quoted(q, kind, rule, m[1])
                    return True
            if not joins[k]:
                return False
            if latin[k] and starts[k] in self.run_at:
                s, e = self.run_at[starts[k]]
                self.cands.append(Candidate(kind, s, e, rule, 1, head=m[1]))
                return True
            if latin[k] or numbers[k] or self.is_stop(k) or self.is_head_word(k):
                return False
            if kind == "organization" and words[k][:1] in ("\u0644", "\u0628"):
                return False  # الوكالة المغربية للطاقة …: a full name, not an adjective before a name
            k += 1
        return False

    def _name_like(self, q) -> bool:
        """A quoted segment reads as a name, not as quoted speech."""
        inner = self.key[q[2]:q[3]]
        words = [word_key(w) for w in inner.split()]
        if not words or len(words) > 12 or "\u060c" in inner:
            return False
        first = words[0]
        verbs = _verbs_and_stop_words()
        if first in verbs or (len(first) > 3 and first[:1] in "\u0633\u0648\u0641" and first[1:] in verbs):
            return False
        return len(words) <= 6 or _LATIN_LETTER.search(inner) is not None

    def _quoted(self, q, kind: str, rule: str, head: str) -> None:
        s, e = q[2], q[3]
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and (self.text[e - 1].isspace() or self.text[e - 1] in ".,\u060c"):
            e -= 1
        if e > s:
            self.cands.append(Candidate(kind, s, e, rule, 1, head=head))

    def initiatives(self) -> None:
        lex, masks, words, joins = self.lex, self.masks, self.words, self.joins
        heads = lex.initiative_heads_all
        for i in self.flagged(_INITIATIVE_BITS):
            m = self.match_phrase(i, heads) if masks[i] & _INI_HEAD else None
            if m and i > 0 and joins[i] and self.word(i - 1) in _DEMONSTRATIVES:
                continue
            if m:
                head = m[1][2:] if m[1].startswith(_DEFINITE) and m[1] not in lex.initiative_heads else m[1]
                if self._name_after_head(i, (m[0], head, m[2]), "initiative", "head-quoted"):
                    continue
                self._arabic_initiative(i, m, head)
                continue
            if _is_trigger(words[i]):
                self._name_after_head(i, (1, "", 0), "initiative", "trigger-quoted", max_between=1)

    def _arabic_initiative(self, i: int, m: tuple[int, str, int], head: str) -> None:
        """Unquoted Arabic initiative names: a law by number (مشروع القانون رقم 27.25), a head whose
        complement holds an eponym or ends in a year, or a definite event / law head with a specific
        complement (المنتدى المغاربي للذكاء الاصطناعي)."""
        lex, starts, ends, joins, numbers, n_toks = self.lex, self.starts, self.ends, self.joins, self.numbers, self.n
        kind = lex.initiative_heads.get(head, "other")
        k = i + m[0]
        if k >= n_toks or not joins[k]:
            return
        start = starts[i] + m[2]
        if kind == "law":
            n = k + 1 if self.word(k) == "\u0631\u0642\u0645" and self.joined(k + 1) else k  # رقم
            if numbers[n] and (n == k or joins[n]):
                if i > 0 and joins[i] and self.word(i - 1) in _DRAFT:
                    start = starts[i - 1]
                self.cands.append(Candidate("initiative", start, ends[n], "law-number", 3, head=head))
                return
        if kind not in ("event", "law") and not _any_in(self.anchors, k, k + _COMPLEMENT_LIMIT + _longest_step()):
            return  # no eponym or year within reach of the complement: nothing makes the name specific
        definite = m[1].startswith(_DEFINITE)
        end = self.complement(k, "event" if kind == "event" else "org")
        has_eponym = any(self.eponym_len(x) for x in range(k, end))
        year = end < n_toks and joins[end] and numbers[end] and bool(_YEAR.match(self.words[end]))
        first_proper = k < end and (self.word(k).startswith(_DEFINITE) or self.place_word(k) or self.eponym_len(k))
        specific = ((definite or (kind == "event" and first_proper)) and kind in ("event", "law") and end - k >= 2
                    and any(self.word(x).startswith("\u0644\u0644") or self.word(x) == "\u062d\u0648\u0644"
                            for x in range(k, end)))
        if not (has_eponym or (year and end > k) or specific):
            return
        if year:
            end += 1
            if kind == "strategy":
                start = starts[k]  # the name proper: استراتيجية المغرب الرقمي 2030 -> المغرب الرقمي 2030
        rule = "head-arabic-name" if not specific or has_eponym or year else "head-definite-complement"
        self.cands.append(Candidate("initiative", start, ends[end - 1], rule, 3, head=head))

    def _latin_runs(self) -> tuple[list[tuple[int, int]], list[int]]:
        """Runs of capitalised Latin words (and their glue) as (start, end) offsets, and their first tokens."""
        runs, firsts = [], []
        starts, ends, words, joins, latin, numbers = (self.starts, self.ends, self.words, self.joins, self.latin,
                                                      self.numbers)
        n_toks = self.n
        done = 0
        for i in self.flagged(_LATIN_TOKEN):
            if i < done:
                continue
            w = words[i]
            if not (w[:1].isupper() or any(c.isupper() for c in w[1:])):
                continue
            j = i + 1
            while j < n_toks and joins[j] or (j < n_toks and self._latin_glue(j)):
                u = words[j]
                if latin[j] and (u[:1].isupper() or u.casefold() in _LATIN_CONNECTORS or u == "&") or numbers[j]:
                    j += 1
                else:
                    break
            while j > i + 1 and words[j - 1].casefold() in _LATIN_CONNECTORS:
                j -= 1
            runs.append((starts[i], ends[j - 1]))
            firsts.append(i)
            done = j
        return runs, firsts

    def _latin_glue(self, j: int) -> bool:
        """A Latin token after a hyphen or a period-free join (``Maroc-IA``)."""
        if j == 0 or j >= self.n:
            return False
        gap = self.key[self.ends[j - 1]:self.starts[j]]
        return gap.strip() in ("-", "&") and self.latin[j] and self.latin[j - 1]

    def latin_bare(self) -> None:
        lex = self.lex
        for s, e in self.latin_runs:
            words = self.key[s:e].split()
            if len(words) == 1 and words[0].casefold() in lex.latin_not_names:
                continue
            if " ".join(words).casefold() in lex.latin_not_names:
                continue
            if e - s < 2 or self.key[s - 1:s].isdigit():
                continue  # 5G, 4.0: part of a number
            kind = "organization"
            if any(_YEAR.match(w) for w in words) or any(w.casefold() in lex.latin_initiative_words for w in words):
                kind = "initiative"
            self.cands.append(Candidate(kind, s, e, "latin-name", 4))

    def quoted_bare(self) -> None:
        """Short quoted names with a year or mostly Latin letters (not quoted speech)."""
        for q in self.quotes:
            s, e = q[2], q[3]
            inner = self.key[s:e].strip()
            words = inner.split()
            if not words or len(words) > 6:
                continue
            if _YEAR_IN.search(inner) or _mostly_latin(inner):
                self._quoted(q, "initiative", "quoted-name", "")

    def places(self) -> None:
        """Gazetteer names (dash or space between the parts of a region), with جهة kept and a direction
        (شمال …) joined; ambiguous names only after a place noun, a preposition, or opening a dateline."""
        lex, starts, ends, words, joins, masks = self.lex, self.starts, self.ends, self.words, self.joins, self.masks
        for i in self.flagged(_PLACE):
            best = self._place_match(i)
            if not best:
                continue
            n, phrase, prefix, stem = best
            before = masks[i - 1] if i > 0 and joins[i] else 0
            head_kept = before & _PLACE_KEPT_STEM
            head_dropped = before & _PLACE_DROPPED_STEM
            direction = prefix == 0 and before & _DIRECTION_STEM
            if phrase in lex.ambiguous_places and n == 1 and not (
                    head_kept or head_dropped or direction or self._place_context(i, prefix)):
                continue
            if n == 1 and prefix == 0 and stem.endswith("\u064a\u0647") and self._after_noun(i):
                continue  # شركة Aramco السعودية: a feminine nationality adjective, not the country
            contracted = stem.startswith(_DEFINITE) and not words[i][prefix:].startswith(_DEFINITE)
            start = starts[i] if contracted else starts[i] + prefix
            if head_kept or direction:
                table = lex.place_heads_kept if head_kept else lex.place_directions
                start = starts[i - 1] + next(p for p, s in stems(words[i - 1]) if s in table)
            end = ends[i + n - 1]
            name = _DEFINITE + self.text[starts[i] + prefix + 1:end] if contracted else self.text[start:end]
            self.cands.append(Candidate("place", start, end, "gazetteer", 5, name=name))

    def _after_noun(self, i: int) -> bool:
        """Token i directly follows a noun or a name it could qualify (not a verb, particle or preposition)."""
        if i == 0 or not self.joins[i]:
            return False
        p = i - 1
        if self.latin[p]:
            return True
        if self.numbers[p] or self.is_stop(p) or self.masks[p] & _VERB or self.words[p] in _PLACE_PREPOSITIONS:
            return False
        if self.place_word(p):
            return False
        # a feminine adjective agrees with a feminine or plural noun, or qualifies a brand (أرامكو السعودية)
        return self.words[p].endswith(("\u0647", "\u0627\u062a")) or not is_definite(self.words[p])

    def listed_places(self) -> None:
        """Unknown names after an indefinite place head, alone or in a list: إقليم X، أقاليم X وY وZ."""
        lex, starts, ends, words, joins, n_toks = self.lex, self.starts, self.ends, self.words, self.joins, self.n
        for i in self.flagged(_PLACE_HEAD):
            w = words[i]
            head = w if w in lex.place_list_heads else w[1:]
            if head not in lex.place_list_heads:
                continue
            j, first = i + 1, True
            while j < n_toks and j - i <= 8:
                if first:
                    if not joins[j]:
                        break
                    prefix = 0
                else:
                    gap = self.key[ends[j - 1]:starts[j]].strip()
                    if gap not in ("", "\u060c", ",") or "\n" in self.key[ends[j - 1]:starts[j]]:
                        break
                    prefix = 1 if words[j][:1] == "\u0648" and len(words[j]) > 3 else 0
                    if not prefix and gap == "":
                        break
                word = words[j][prefix:]
                if not self._name_like_place(j, word) or (
                        word.startswith(_DEFINITE) and head not in lex.place_list_heads_definite):
                    break
                n = self.place_len(j) if not prefix else 0
                if not n and not _is_place_word(word):
                    end = j
                    if word in lex.place_name_prefixes and j + 1 < n_toks and joins[j + 1] \
                            and not self.latin[j + 1] and not self.numbers[j + 1] \
                            and not _is_stop_word(words[j + 1]) and not _is_head_word(words[j + 1]):
                        end = j + 1  # أولاد تايمة، آيت ملول: a two-word name
                    self.cands.append(Candidate("place", starts[j] + prefix, ends[end], "place-head-name", 5))
                    j = end
                j += max(n, 1)
                first = False

    def _name_like_place(self, j: int, word: str) -> bool:
        """An Arabic word that can be a place name after a place head (not an adjective, verb or particle)."""
        if self.latin[j] or self.numbers[j] or len(word) < 3 or _is_stop_word(word) or _is_head_word(word):
            return False
        if any(s in self.lex.verbs for _, s in stems(word)):
            return False
        if word.startswith(_DEFINITE):
            return (not _is_nisba(word) and word[2:] not in self.lex.back_references and not _is_generic_word(word)
                    and word[2:] not in self.lex.place_directions)
        if _is_place_word(word):
            return True
        if word.endswith(("\u0647", "\u064a", "\u0627\u062a")) or word in self.lex.not_brand:
            return False
        # فعيل (بعيد، كبير) and participles (متوسط، مستقل) are adjectives
        return not (len(word) == 4 and word[2] == "\u064a") and not word.startswith(("\u0645\u062a", "\u0645\u0633\u062a"))

    def _place_context(self, i: int, prefix: int) -> bool:
        """An ambiguous place name reads as a place: after في / من / إلى or ب, or opening a dateline."""
        if prefix and self.words[i][:prefix].endswith("\u0628"):
            return True
        if i > 0 and self.joins[i] and self.word(i - 1) in _PLACE_PREPOSITIONS:
            return True
        line_start = i == 0 or "\n" in self.key[self.ends[i - 1]:self.starts[i]]
        after = self.key[self.ends[i]:self.ends[i] + 3].strip()[:1]
        return line_start and after in ("-", "\u060c", ",")

    def _dash_gap(self, j: int) -> bool:
        gap = self.key[self.ends[j - 1]:self.starts[j]]
        return gap.strip() == "-" and "\n" not in gap


def _any_in(indices: list[int], lo: int, hi: int) -> bool:
    """Some index of the sorted list ``indices`` lies in ``range(lo, hi)``."""
    k = bisect_left(indices, lo)
    return k < len(indices) and indices[k] < hi


_START = attrgetter("start")


class _Taken:
    """The character spans of the candidates kept so far: never overlapping, so sorted by start and by end."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def take(self, start: int, end: int) -> bool:
        """Cover ``start:end`` and say True, unless it is empty or overlaps a covered span."""
        k = bisect_left(self.starts, end)  # the spans starting before ``end``; the last one ends last
        if end <= start or (k and self.ends[k - 1] > start):
            return False
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        return True


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: best priority first, then the longer span."""
    taken = _Taken()
    chosen = [c for c in sorted(cands, key=lambda c: (c.priority, c.start - c.end, c.start)) if taken.take(c.start, c.end)]
    return sorted(chosen, key=_START)


def _with_repeats(chosen: list[Candidate], repeats: list[Candidate]) -> list[Candidate]:
    """``_resolve(chosen + repeats)`` for resolved ``chosen`` that outrank every repeat (priority 6).

    Chosen candidates do not overlap and come first in that order, so all of them stay: only the repeats
    need sorting and checking.
    """
    if not repeats:
        return chosen
    taken = _Taken()
    taken.starts, taken.ends = [c.start for c in chosen], [c.end for c in chosen]  # sorted by start already
    kept = [c for c in sorted(repeats, key=lambda c: (c.start - c.end, c.start)) if taken.take(c.start, c.end)]
    return sorted(chosen + kept, key=_START)


# ---------------------------------------------------------------- canonical keys

_STRIP_CHARS = re.compile(r"[\"'()\[\]\u00ab\u00bb\u201c\u201d\u2033.,\u060c:;!?\u061f]")
_DASH = re.compile(r"\s*-\s*")


@lru_cache(maxsize=65536)
def canonical_base(text: str) -> str:
    """Match key, casefolded, quotes and punctuation dropped, the article ال stripped from each word.

    >>> canonical_base("“المغرب الرقمي 2030″")
    'مغرب رقمي 2030'
    >>> canonical_base("JAZARI Root")
    'jazari root'
    """
    key = _STRIP_CHARS.sub(" ", match_key(text, casefold=True))
    key = _DASH.sub(" - ", key)
    words = [w[2:] if w.startswith(_DEFINITE) and len(w) > 4 else w for w in key.split()]
    return " ".join(words)


@lru_cache(maxsize=65536)
def canonical_key(text: str) -> str:
    """The grouping key of a surface form: ``canonical_base`` then the alias families of the data file.

    >>> canonical_key("Maroc Digital 2030") == canonical_key("المغرب الرقمي 2030")
    True
    >>> canonical_key("شبكة معاهد الجزري الوطنية"), canonical_key("JAZARI ROOT")
    ('jazari', 'jazari')
    """
    base = canonical_base(text)
    lex = lexicon()
    if base in lex.aliases:
        return lex.aliases[base]
    padded = f" {base} "
    for words, family in lex.alias_contains:
        if f" {words} " in padded:
            return family
    return base


_LATIN_SKELETON = str.maketrans({"p": "b", "v": "f", "c": "k", "q": "k", "x": "k", "z": "z"})
_ARABIC_SKELETON = {
    "\u0628": "b", "\u067e": "b", "\u062a": "t", "\u062b": "t", "\u0637": "t", "\u062c": "g", "\u062e": "k",
    "\u062f": "d", "\u0630": "d", "\u0636": "d", "\u0631": "r", "\u0632": "z", "\u0638": "z", "\u0633": "s",
    "\u0634": "s", "\u0635": "s", "\u063a": "g", "\u0641": "f", "\u06a4": "f", "\u0642": "k", "\u0643": "k",
    "\u0644": "l", "\u0645": "m", "\u0646": "n", "\u06af": "g",
}


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """Consonant skeleton shared by a Latin name and its Arabic spelling (vowels, w, h, y dropped).

    >>> skeleton("Onepoint") == skeleton("وان بوينت"), skeleton("Mistral AI")[:5] == skeleton("ميسترال")
    (True, True)
    """
    out = []
    for ch in match_key(text, casefold=True):
        if "a" <= ch <= "z":
            if ch in "aeiouywh":
                continue
            out.append(ch.translate(_LATIN_SKELETON))
        elif ch in _ARABIC_SKELETON:
            out.append(_ARABIC_SKELETON[ch])
    collapsed = [c for k, c in enumerate(out) if k == 0 or c != out[k - 1]]
    return "".join(collapsed)


def _merge_spellings(rows: list[dict]) -> None:
    """Give an Arabic spelling the key of a Latin name with the same skeleton in the same document."""
    latin = {}
    for r in rows:
        if r["kind"] in ("organization", "initiative") and r["canonical"].isascii():
            sk = skeleton(r["canonical"])
            if len(sk) >= 4:
                latin.setdefault((r["kind"], sk), r["canonical"])
    if not latin:
        return
    for r in rows:
        if r["kind"] in ("organization", "initiative") and not r["canonical"].isascii():
            key = latin.get((r["kind"], skeleton(r["canonical"])))
            if key:
                r["canonical"] = key


# ---------------------------------------------------------------- repeated mentions


def _repeats(scanner: _Scanner, chosen: list[Candidate]) -> list[Candidate]:
    """Later bare mentions of a person's full name, and of multi-word organisation / initiative names.

    Only mentions that may survive ``_with_repeats``: none starts where a chosen candidate starts.
    """
    key, out = scanner.key, []
    known: dict[str, Candidate] = {}
    for c in chosen:  # most are places: the kind is read before any slice
        kind = c.kind
        if kind == "person":
            surface = key[c.start:c.end]
            if len(surface.split()) >= 2:
                known.setdefault(surface, c)
        elif (kind == "organization" or kind == "initiative") and c.end - c.start >= 5 and not c.name:
            known.setdefault(key[c.start:c.end], c)
    # A mention starting where a chosen candidate starts (most often that candidate itself) overlaps it, and
    # ``_with_repeats`` keeps every chosen candidate, so it would be dropped: it is not made at all.
    chosen_starts = {c.start for c in chosen}
    for surface, c in known.items():
        pos = key.find(surface)
        while pos != -1:
            end = pos + len(surface)
            if pos not in chosen_starts and not (key[pos - 1:pos].isalnum() or key[end:end + 1].isalnum()):
                out.append(Candidate(c.kind, pos, end, c.kind + "-repeat", 6, head=c.head))
            pos = key.find(surface, end)
    return out


def _rows(doc_id: str, text: str, chosen: list[Candidate]) -> list[dict]:
    rows = []
    for c in chosen:
        surface = text[c.start:c.end]
        name = c.name or surface
        rows.append({
            "doc_id": doc_id, "kind": c.kind, "text": surface, "canonical": canonical_key(name),
            "role": c.role, "start": c.start, "end": c.end, "rule": c.rule, "name": name, "head": c.head,
        })
    return rows


def find_entities(text: str) -> list[Candidate]:
    """Non-overlapping entity candidates of a text (see the module docstring for the rules)."""
    scan = _Scanner(text)
    scan.persons()
    scan.organizations()
    scan.initiatives()
    scan.quoted_bare()
    scan.latin_bare()
    scan.places()
    scan.listed_places()
    chosen = _resolve(scan.cands)
    chosen = _with_repeats(chosen, _repeats(scan, chosen))
    # A bare Latin name takes the kind the same name has elsewhere in the document.
    bare_rules = ("latin-name", "quoted-name")
    bare = [c for c in chosen if c.rule in bare_rules]
    if bare:
        kinds = {}
        for c in chosen:
            if c.rule not in bare_rules:
                kinds.setdefault(scan.key[c.start:c.end].casefold(), c.kind)
        for c in bare:
            c.kind = kinds.get(scan.key[c.start:c.end].casefold(), c.kind)
    return chosen


def find_entity_records(doc_id: str, text: str) -> list[dict]:
    """The ENTITIES rows of one document as plain dicts (schema columns, in order): no DataFrame work.

    >>> [(r["kind"], r["text"]) for r in find_entity_records("d", "وقالت السيدة ليلى بناني إن مجموعة Orbis ستستثمر.")]
    [('person', 'ليلى بناني'), ('organization', 'Orbis')]
    """
    chosen = find_entities(text)
    if not chosen:
        return []
    rows = _rows(doc_id, text, chosen)
    _merge_spellings(rows)
    return rows


def records_frame(rows: list) -> pd.DataFrame:
    """The ENTITIES table of rows from ``find_entity_records`` (any number of documents).

    Rows are dicts, or tuples in schema column order (what the corpus pipeline sends between processes).
    Text columns are object arrays, as the schema registry declares (no per-value string inference).
    """
    if not rows:
        return empty_frame("entities")
    names = [c for c in column_names("entities") if c != "id"]  # validate derives the row id from the others
    if isinstance(rows[0], dict):
        columns = [[r[col] for r in rows] for col in names]
    else:
        columns = [list(c) for c in zip(*rows)]
    df = pd.DataFrame({name: np.array(values, dtype=np.int64 if name in ("start", "end") else object)
                       for name, values in zip(names, columns)}, copy=False)
    return validate(df, "entities")


def extract_entities(doc_id: str, text: str) -> pd.DataFrame:
    """The ENTITIES table of one document.

    >>> df = extract_entities("d", "أكد السيد رياض مزور، وزير الصناعة والتجارة، أن مجموعة Onepoint ستفتح مكتبا بالرباط.")
    >>> df[["kind", "text", "role"]].values.tolist()
    [['person', 'رياض مزور', 'وزير الصناعة والتجارة'], ['organization', 'Onepoint', ''], ['place', 'الرباط', '']]
    """
    return records_frame(find_entity_records(doc_id, text))


# ---------------------------------------------------------------- unnamed initiatives (for initiatives.py)


def unnamed_initiatives(text: str) -> list[tuple[int, int, str]]:
    """(start, end, head) of specific unnamed initiatives: a creation word then a head noun phrase.

    >>> t = "سيتم إحداث مركز تميز في مجال البيانات والذكاء الاصطناعي، بالرباط."
    >>> [(t[s:e], h) for s, e, h in unnamed_initiatives(t)]
    [('مركز تميز في مجال البيانات والذكاء الاصطناعي', 'مركز')]
    """
    found = [_unnamed_phrase(text, m.start("head")) for m in _creation_matches(text)]
    return [f for f in found if f]


def _creation_matches(text: str):
    """The matches of ``_creation_regex`` in ``text``, as ``finditer`` gives them, found from the head nouns.

    Searching for a head noun after a space skips text about three times faster than trying the creation
    regex at every position. A creation match holds one head noun and its creation word is the run of
    creation characters just before that head's spaces, so trying the full regex at each position of that
    run, left to right and never before the previous match's end, finds exactly the matches of ``finditer``.
    """
    regex, heads, creation_chars = _creation_regex(), _head_regex(), _creation_chars()
    last_end = 0
    for h in heads.finditer(text):
        ws = h.start()
        while ws > last_end and text[ws - 1] in " \t\u00a0":
            ws -= 1
        q = ws
        while q > last_end and text[q - 1] in creation_chars:
            q -= 1
        for p in range(q, ws):
            m = regex.match(text, p)
            if m:
                last_end = m.end()
                yield m
                break


def without_marks(key: str):
    """``key`` without harakat and tatweel, and a function mapping its offsets back to ``key``.

    >>> bare, back = without_marks("\u0646\u064f\u0638\u0645\u062a \u0627\u0644\u0645\u0631\u0643\u0632")
    >>> bare.index("\u0627\u0644\u0645\u0631\u0643\u0632"), back(bare.index("\u0627\u0644\u0645\u0631\u0643\u0632"))
    (5, 6)
    """
    marks = [m.start() for m in _HAS_MARKS.finditer(key)]
    if not marks:
        return key, lambda b: b
    shifted = [pos - i for i, pos in enumerate(marks)]
    return word_key(key), lambda b: b + bisect_right(shifted, b)


_VARIANTS = {"\u0627": "\u0627\u0623\u0625\u0622\u0671", "\u0647": "\u0647\u0629", "\u064a": "\u064a\u0649\u06cc",
             "\u0643": "\u0643\u06a9"}
_MARKS_CLASS = "[\u064b-\u065f\u0670\u0640]*"


def raw_pattern(folded: str) -> str:
    """A regex matching the original spellings of a folded word (letter variants, harakat, tatweel).

    >>> re.fullmatch(raw_pattern("المركز"), "المَركز") is not None, re.fullmatch(raw_pattern("مبادره"), "مبادرة") is not None
    (True, True)
    """
    out = []
    for ch in folded:
        out.append(f"[{_VARIANTS[ch]}]" if ch in _VARIANTS else re.escape(ch))
        out.append(_MARKS_CLASS)
    return "".join(out)


@lru_cache(maxsize=1)
def _creation_regex() -> re.Pattern[str]:
    """A creation word then an unnamed-initiative head noun, on the original text."""
    lex = lexicon()
    creation = "|".join(raw_pattern(w) for w in sorted(lex.creation, key=len, reverse=True))
    heads = "|".join(raw_pattern(w) for w in sorted(lex.unnamed_heads, key=len, reverse=True))
    return re.compile(r"(?<![\u0621-\u064a\w])[\u0648\u0641]?[\u0628\u0644]?(?:" + creation + r")[ \t\u00a0]+"
                      r"(?P<head>(?:" + heads + r"))(?![\u0621-\u064a\w])")


@lru_cache(maxsize=1)
def _head_regex() -> re.Pattern[str]:
    """A space then an unnamed-initiative head noun (where a ``_creation_regex`` match can end).

    Heads are grouped by their first letter, so after a space re tests each first letter once, not once per
    head (~20% faster); each group keeps the longest-first order.
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(lexicon().unnamed_heads, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(word)
    heads = "|".join(raw_pattern(first) + "(?:" + "|".join(raw_pattern(w[1:]) for w in words) + ")"
                     for first, words in by_first.items())
    return re.compile(r"[ \t\u00a0](?:" + heads + r")(?![\u0621-\u064a\w])")


@lru_cache(maxsize=1)
def _creation_chars() -> frozenset[str]:
    """Every character the creation word of a ``_creation_regex`` match can hold (prefixes, variants, marks)."""
    marks = [chr(code) for code in range(0x064B, 0x0660)] + ["\u0670", TATWEEL]  # as in _MARKS_CLASS
    chars = set("\u0648\u0641\u0628\u0644" + "".join(marks))  # the optional prefixes, then the marks
    for word in lexicon().creation:
        for ch in word:
            chars.update(_VARIANTS.get(ch, ch))
    return frozenset(chars)


def _unnamed_phrase(text: str, start: int) -> tuple[int, int, str] | None:
    """The head noun phrase that starts at ``start``: up to ten words, في once, to a stop word or break."""
    key = fold(text[start:start + 240])
    stop = _ROLE_END.search(key)
    toks = tokenize(key[:stop.start()] if stop else key)
    if not toks:
        return None
    head = toks[0].word
    j, used_fi = 1, False
    while j < len(toks) and toks[j].joined and j < 10:
        w = toks[j].word
        if w == "\u0641\u064a" and not used_fi:  # في once: مركز تميز في مجال …
            used_fi = True
            j += 1
            continue
        if toks[j].number or toks[j].latin or _is_stop_word(w) or (w[:1] == "\u0648" and _is_head_word(w)):
            break
        j += 1
    while j > 1 and toks[j - 1].word == "\u0641\u064a":
        j -= 1
    return start, start + toks[j - 1].end, head

