"""The word lists of ``data/entities.yml`` as folded lookup sets, and the per-word ``Tag`` masks.

Every distinct word gets one cached mask (rule families it may start, word classes), so the rule passes
only visit flagged tokens and hot loops test a bit instead of calling a predicate.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache, lru_cache

from ..rules import load
from ..textnorm import fold_keep_offsets, word_key
from .morphology import DEFINITE, canonical_base, stems


def phrase_keys(phrases) -> frozenset[str]:
    return frozenset(" ".join(word_key(w) for w in fold_keep_offsets(p).split()) for p in phrases)




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
    field_preposition: str = ""
    constituency_preposition: str = ""
    topic_preposition: str = ""
    number_word: str = ""
    name_prefix: str = ""
    place_prepositions: frozenset[str] = frozenset()
    draft_words: frozenset[str] = frozenset()
    demonstratives: frozenset[str] = frozenset()
    compound_name_ends: frozenset[str] = frozenset()
    name_connectors: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    month_words: frozenset[str] = frozenset()
    complement_prepositions: frozenset[str] = frozenset()
    heads_in_name: frozenset[str] = frozenset()
    year_words: frozenset[str] = frozenset()
    described_heads: frozenset[str] = frozenset()
    royal_titles: frozenset[str] = frozenset()
    not_name_words: frozenset[str] = frozenset()
    topic_particles: frozenset[str] = frozenset()
    verb_objects: frozenset[str] = frozenset()
    outlet_cues: frozenset[str] = frozenset()
    negation_word: str = ""
    bracket_name_heads: frozenset[str] = frozenset()
    rule_confidence: dict = None  # rule -> 0-1, and "default"
    predicate_verbs: frozenset[str] = frozenset()
    adverbs_before_predicate: frozenset[str] = frozenset()


def _month_words() -> frozenset[str]:
    """Every single word of every month name of ``data/months.yml`` (a bracketed month is a gloss, not a name)."""
    months = load("months")
    words: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            words.update(next(iter(phrase_keys([value]))).split())
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(months)
    return frozenset(w for w in words if not w.isdigit())


def _grammar_words(words: dict) -> dict:
    """The ``grammar_words`` of the data file folded: single words as keys, lists as sets."""
    return {name: phrase_keys(value) if isinstance(value, list) else next(iter(phrase_keys([value])))
            for name, value in words.items()}


def _role_keys(phrases) -> frozenset[str]:
    """Role phrases with their definite form derived (منسق -> المنسق, رئيس قسم -> رئيس القسم is not derived)."""
    keys = phrase_keys(phrases)
    return keys | frozenset(DEFINITE + k for k in keys if not k.startswith(DEFINITE) and " " not in k)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and fold the entity rules once."""
    data = load("entities")
    ini_heads = {k: kind for kind, words in data["initiative_heads"].items() for k in phrase_keys(words)}
    latin_words = {w.casefold(): kind for kind, words in data["initiative_latin_words"].items() for w in words}
    places = {k: kind for kind, words in data["places"].items() for k in phrase_keys(w.replace("-", " ") for w in words)}
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
        org_heads=phrase_keys(data["organization_heads"]),
        org_latin_heads=phrase_keys(data["organization_latin_heads"]),
        initiative_heads=ini_heads,
        triggers=phrase_keys(data["initiative_triggers"]),
        creation=phrase_keys(data["creation_words"]),
        unnamed_heads=phrase_keys(data["unnamed_initiative_heads"]),
        honorifics=phrase_keys(data["honorifics"]) | phrase_keys(data["titles_need_name"]),
        titles_need_name=phrase_keys(data["titles_need_name"]),
        courtesy_titles=phrase_keys(data["courtesy_titles"]),
        role_heads=_role_keys(data["role_heads"]),
        first_names=phrase_keys(data["first_names"]),
        eponyms=phrase_keys(data["eponyms"]),
        stop=phrase_keys(data["stop_words"]),
        verbs=phrase_keys(data["verbs"]),
        latin_not_names=frozenset(w.casefold() for w in data["latin_not_names"]),
        latin_initiative_words=latin_words,
        places=places,
        ambiguous_places=phrase_keys(w.replace("-", " ") for w in data["ambiguous_places"]),
        place_heads_kept=phrase_keys(data["place_heads_kept"]),
        place_heads_dropped=phrase_keys(data["place_heads_dropped"]),
        aliases=aliases,
        alias_contains=tuple(contains),
        known_organizations=phrase_keys(data["known_organizations"]),
        not_brand=phrase_keys(data["not_brand"]),
        org_latin_heads_all=phrase_keys(data["organization_latin_heads"])
        | frozenset(DEFINITE + h for h in phrase_keys(data["organization_latin_heads"])),
        initiative_heads_all=frozenset(ini_heads) | frozenset(DEFINITE + h for h in ini_heads),
        generic_complements=phrase_keys(data["generic_complements"]),
        org_heads_with_fi=phrase_keys(data["org_heads_with_fi"]),
        place_directions=phrase_keys(data["place_directions"]),
        max_head_words=max(len(h.split()) for h in heads + list(data["known_organizations"])),
        back_references=phrase_keys(data["back_reference_nouns"]),
        generic_modifiers=phrase_keys(data["generic_modifiers"]),
        place_list_heads=phrase_keys(data["place_list_heads"]),
        place_name_prefixes=phrase_keys(data["place_name_prefixes"]),
        place_list_heads_definite=phrase_keys(data["place_list_heads_definite"]),
        located_heads=phrase_keys(data["located_heads"]),
        **_grammar_words(data["grammar_words"]),
        speech_verbs=phrase_keys(data["speech_verbs"]),
        described_heads=phrase_keys(data["described_initiative_heads"]),
        not_name_words=phrase_keys(data["not_name_words"]),
        bracket_name_heads=phrase_keys(data["bracket_name_heads"]),
        outlet_cues=phrase_keys(data["outlet_cues"]),
        rule_confidence={rule: float(value) for rule, value in data["rule_confidence"].items()},
        month_words=_month_words(),
    )


@cache
def first_words(table_id: int) -> frozenset[str]:
    lex = lexicon()
    for value in vars(lex).values():
        if id(value) == table_id:
            return frozenset(p.split()[0] for p in value if p)
    raise KeyError(table_id)


@cache
def word_prefixes(table_id: int) -> frozenset[str]:
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
def could_start(word: str, table_id: int) -> bool:
    """Some reading of ``word`` is the first word of a phrase of the lexicon table ``table_id``."""
    firsts = first_words(table_id)
    return any(stem in firsts for _, stem in stems(word))


@lru_cache(maxsize=262144)
def is_stop_word(w: str) -> bool:
    lex = lexicon()
    if w in lex.stop or w in lex.verbs:
        return True
    return w[:1] in "\u0648\u0641" and (w[1:] in lex.stop or w[1:] in lex.verbs)


@lru_cache(maxsize=262144)
def word_is_head(w: str) -> bool:
    lex = lexicon()
    for _, stem in stems(w):
        bare = stem[2:] if stem.startswith(DEFINITE) else stem
        if stem in lex.honorifics or stem in lex.role_heads or bare in lex.org_heads or stem in lex.org_heads:
            return True
        if stem in lex.initiative_heads or bare in lex.initiative_heads:
            return True
    return False


@lru_cache(maxsize=65536)
def is_back_reference(w: str) -> bool:
    """A definite generic noun (الجماعة، للشركة، الوزارة) that refers back rather than names."""
    lex = lexicon()
    return any(s.startswith(DEFINITE) and (s[2:] in lex.back_references or s[2:] in lex.org_heads)
               for _, s in stems(w))


@lru_cache(maxsize=65536)
def is_generic_word(w: str) -> bool:
    """A complement word that does not make a body specific (إدارة، الإداري، الجماعة)."""
    lex = lexicon()
    for _, s in stems(w):
        bare = s[2:] if s.startswith(DEFINITE) else s
        if bare in lex.back_references or bare in lex.org_heads or bare in lex.generic_modifiers or s in lex.generic_complements:
            return True
    return False


@lru_cache(maxsize=65536)
def is_stop_word_only(w: str) -> bool:
    """A stop word proper (not only a verb)."""
    stop = lexicon().stop
    return w in stop or (w[:1] in "\u0648\u0641" and w[1:] in stop)


@lru_cache(maxsize=65536)
def is_speech_verb(w: str) -> bool:
    """A verb of saying or stating (قال، وأكدت، فأوضح) that a person's name may follow."""
    return any(s in lexicon().speech_verbs for _, s in stems(w))


@lru_cache(maxsize=262144)
def is_trigger(w: str) -> bool:
    return any(s in lexicon().triggers for _, s in stems(w))


@lru_cache(maxsize=262144)
def is_place_word(w: str) -> bool:
    return any(s in lexicon().places for _, s in stems(w))




@lru_cache(maxsize=1)
def verbs_and_stop_words() -> frozenset[str]:
    lex = lexicon()
    return lex.verbs | lex.stop



class Tag(enum.IntFlag):
    """What a word may start (rule families) and what it is (word classes), one bit each."""

    HON = 1  # an honorific (السيد، الدكتور)
    ROLE = 2  # a role phrase (وزير، المدير العام)
    VERB = 4  # a verb
    FIRST = 8  # a known given name
    ORG = 16  # an organisation head noun or known organisation
    INI = 32  # an initiative head noun or a launch word
    PLACE = 64  # a gazetteer place
    PLACE_HEAD = 128  # a place head before a list of unknown names (إقليم، أقاليم)
    # Word properties (not rule starts)
    STOP = 256
    TITLE = 512
    HEAD = 1024
    PLACEW = 2048  # a whole place name
    DEF = 4096  # definite
    EPO = 8192  # starts an eponym
    PLACE_HEAD_ANY = 16384
    LATIN_HEAD = 32768
    KNOWN_ORG = 65536
    INI_HEAD = 131072
    # Some clitic reading of the word is a place head kept in the name, one dropped from it, or a direction.
    PLACE_KEPT_STEM = 262144
    PLACE_DROPPED_STEM = 524288
    DIRECTION_STEM = 1048576
    YEAR_NUMBER = 2097152  # a number token that reads as a year (19xx, 20xx)
    LATIN_TOKEN = 4194304
    # A definite word with no other part to play (not a stop word, verb, head, title, eponym or place, no ب
    # or لل): ``complement`` always takes it, whatever the mode, unless a لل word came before.
    PLAIN_DEFINITE = 8388608


# Plain ints for the hot loops: ``int & int`` is several times faster than ``IntFlag & int``.
(HON, ROLE, VERB, FIRST, ORG, INI, PLACE, PLACE_HEAD, STOP, TITLE, HEAD, PLACEW, DEF, EPO, PLACE_HEAD_ANY,
 LATIN_HEAD, KNOWN_ORG, INI_HEAD, PLACE_KEPT_STEM, PLACE_DROPPED_STEM, DIRECTION_STEM, YEAR_NUMBER, LATIN_TOKEN,
 PLAIN_DEFINITE) = (int(t) for t in Tag)
NOT_PLAIN = STOP | VERB | HEAD | TITLE | EPO | PLACE | PLACEW | PLACE_HEAD_ANY
PERSON_BITS = HON | ROLE | VERB | FIRST
ORG_BITS = ORG
INITIATIVE_BITS = INI
RULE_BITS = PERSON_BITS | ORG_BITS | INITIATIVE_BITS | PLACE | PLACE_HEAD
ANCHOR_BITS = EPO | YEAR_NUMBER  # what can make an Arabic initiative name specific
SCAN_BITS = RULE_BITS | ANCHOR_BITS | LATIN_TOKEN  # every bit ``ScannerBase.flagged`` is asked for


@cache
def _table_bit(table_id: int) -> int:
    """The mask bit that says a word may start a phrase of the lexicon table ``table_id`` (0 if none)."""
    lex = lexicon()
    return {id(lex.honorifics): HON, id(lex.role_heads): ROLE, id(lex.org_latin_heads_all): LATIN_HEAD,
            id(lex.known_organizations): KNOWN_ORG, id(lex.initiative_heads_all): INI_HEAD}.get(table_id, 0)


@cache
def phrase_table(table_id: int) -> tuple[int, frozenset[str]]:
    """``_table_bit`` and ``word_prefixes`` of a lexicon table in one lookup (``match_phrase`` runs often)."""
    return _table_bit(table_id), word_prefixes(table_id)


@lru_cache(maxsize=1)
def longest_step() -> int:
    """Most tokens ``complement`` takes in one step: an eponym (up to 6 words) or a place head and its place."""
    return max(6, 1 + max(len(p.split()) for p in lexicon().places))




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
        if stem.startswith(DEFINITE) and len(stem) > 3:
            mask |= DEF
    if word.startswith(lex.name_prefix):
        mask |= FIRST
    if word in lex.place_list_heads or (word[:1] in "\u0648\u0628\u0641" and word[1:] in lex.place_list_heads):
        mask |= PLACE_HEAD
    if is_stop_word(word):
        mask |= STOP
    if word in lex.place_heads_kept or word in lex.place_heads_dropped:
        mask |= PLACE_HEAD_ANY
    if mask & DEF and not mask & NOT_PLAIN and not word.startswith(("\u0628", "\u0644\u0644")):
        mask |= PLAIN_DEFINITE
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

    add(firsts(lex.honorifics), HON)
    add(firsts(lex.role_heads), ROLE)
    add(lex.verbs, VERB)
    add(firsts(lex.first_names), FIRST)
    add(firsts(lex.org_latin_heads_all) | firsts(lex.known_organizations), ORG)
    add([h for h in lex.org_heads if not h.startswith(DEFINITE)] + [DEFINITE + h for h in lex.org_heads], ORG)
    add(firsts(lex.initiative_heads_all) | set(lex.triggers), INI)
    add(firsts(lex.places), PLACE)
    add(set(lex.honorifics) | set(lex.role_heads), TITLE)
    heads = set(lex.honorifics) | set(lex.role_heads) | set(lex.org_heads) | set(lex.initiative_heads)
    add(heads | {DEFINITE + h for h in set(lex.org_heads) | set(lex.initiative_heads)}, HEAD)
    add(lex.places, PLACEW)
    add(firsts(lex.eponyms), EPO)
    add(firsts(lex.org_latin_heads_all), LATIN_HEAD)
    add(firsts(lex.known_organizations), KNOWN_ORG)
    add(firsts(lex.initiative_heads_all), INI_HEAD)
    add(lex.place_heads_kept, PLACE_KEPT_STEM)
    add(lex.place_heads_dropped, PLACE_DROPPED_STEM)
    add(lex.place_directions, DIRECTION_STEM)
    return bits
