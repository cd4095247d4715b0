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
  a list of known names (``الاتحاد الأوروبي``، banks and public offices, UN bodies); a bare Latin name;
  bracketed names after مصنع / صحيفة …, beside a nationality adjective or in a list (``كالفرنسية ( X )``).
* person: an honorific or titles in a row (السيد، معالي المهندس، سمو الشيخ، الملك …; up to two adjectives and a
  field ``في …`` may follow; professional titles such as ``المحلل`` and ``الحاج`` need a known given name and
  become the role) and a name of 1-4 words (5 with بن، آل، أبو …; a listed eponym is the whole name), then
  ``، <role>``; a role phrase then a name starting with a known given name; ``<role>، <name>،`` (or ``.``);
  ``<title> <complement>، <name>،``; a verb of saying, a 2-3 word name and a role (after a comma or joined);
  ``<given name> …، <role>``; ``أما <name>، <role>``; later mentions of a known full name. A name never holds
  a comparative, a quantity, a tanween accusative, a year word or a pronoun-suffixed word; a surname alone
  after a courtesy title refers back; a royal title inside a body's name (جامعة الملك سعود) is no person.
* initiative: a quoted or Latin name after an initiative head (``خارطة طريق “Maroc IA 2030”``) or a launch
  word (``إطلاق “JAZARI ROOT”``); a short quoted name with a year, in Latin letters or opening with an
  initiative head; a Latin name with a year or an initiative word; an Arabic head phrase holding an eponym or
  ending in a year (or a span of years); a definite event / law head with a specific complement; a law by
  number or by subject and year; a head described by its purpose (head, agreeing adjectives, a ل complement
  of two words or more: ``منصة وطنية للتكوين عن بعد``) or named by a construct chain (``برنامج تنمية القدرات
  البشرية``). Not after a number, a predicate verb, كـ, or with a vague head; a company named after an
  initiative head is an organisation.
* place: gazetteer names (parts of a region joined by a dash or a space, ``جهة`` kept, a direction such as
  ``شمال`` joined); names that are also common words only after a place noun, a preposition or as a dateline;
  a feminine nationality adjective after a noun it qualifies is not a country (``شركة Aramco السعودية``);
  unknown names after a place head, alone or in a list (``أقاليم تاونات وتازة``), unless they look like
  adjectives or directions.

Overlaps keep the stronger rule, then the longer span. Each row carries a ``confidence`` per rule (data) and,
for a person, the ``organization`` named in their role. ``canonical`` (see ``canonical_key``): match key,
casefolded, punctuation and the article ``ال`` stripped, then the alias families of the data file; within a
document an Arabic spelling whose consonant skeleton equals a Latin name's (``وان بوينت`` / ``Onepoint``)
takes the Latin name's key.

Speed: one ``re.split`` tokenizes; every per-word property (lookup key, rule families, stop word, title,
definite, place …) is one cached bit mask per distinct word, so the rule passes only visit flagged tokens.
``find_entity_records`` returns plain dicts for batch use; ``extract_entities`` wraps them in a DataFrame.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from operator import attrgetter

import numpy as np
import pandas as pd

from ..schemas import column_names, empty_frame, validate
from ..textnorm import match_key
from .entity_lexicon import lexicon
from .entity_scanner import Candidate, ScannerBase
from .initiative_names import InitiativeRules, unnamed_initiatives
from .morphology import canonical_base, is_nisba
from .organizations import OrganizationRules
from .persons import PersonRules
from .places import PlaceRules

__all__ = ["KINDS", "canonical_key", "extract_entities", "find_entities", "find_entity_records", "records_frame",
           "skeleton", "unnamed_initiatives"]

KINDS = ("organization", "person", "initiative", "place")
_WORDS = re.compile(r"\w+")
# Columns after the ENTITIES schema: ``name`` is the citation form (text, with ال restored after a
# contracted لل: للوكالة -> الوكالة); ``head`` the folded head noun that introduced the name, or empty.


class Scanner(PersonRules, OrganizationRules, InitiativeRules, PlaceRules, ScannerBase):
    """One pass over a document's tokens; collects candidates of every kind."""


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


def _repeats(scanner: Scanner, chosen: list[Candidate]) -> list[Candidate]:
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
            surface = key[c.start:c.end]
            if " " in surface or surface.isascii():  # one Arabic word (تطوير) is too often a common noun
                known.setdefault(surface, c)
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
    confidence = lexicon().rule_confidence
    orgs = [c for c in chosen if c.kind == "organization"]
    for c in chosen:
        surface = text[c.start:c.end]
        name = c.name or surface
        person = c.kind == "person"
        rows.append({
            "doc_id": doc_id, "kind": c.kind, "text": surface,
            "canonical": person_key(name) if person else canonical_key(name),
            "role": c.role, "start": c.start, "end": c.end, "rule": c.rule, "name": name, "head": c.head,
            "organization": _role_organization(text, c, orgs) if person and c.role else "", "aliases": "",
            "confidence": confidence.get(c.rule, confidence["default"]),
        })
    return rows


def _role_organization(text: str, person: Candidate, orgs: list[Candidate]) -> str:
    """The organisation named inside a person's role, as written (المدير العام للمكتب الوطني … -> المكتب …).

    The role is the nearest occurrence of its text before or after the name (within 300 characters).
    """
    lo, hi = max(0, person.start - 300), min(len(text), person.end + 300)
    if not any(lo <= o.start < hi for o in orgs):
        return ""
    spans, start = [], text.find(person.role, lo, hi)
    while start != -1:
        spans.append((min(abs(start - person.end), abs(start + len(person.role) - person.start)), start))
        start = text.find(person.role, start + 1, hi)
    if not spans:
        return ""
    start = min(spans)[1]
    end = start + len(person.role)
    inside = [o for o in orgs if start <= o.start and o.end <= end]
    return (inside[0].name or text[inside[0].start:inside[0].end]) if inside else ""


_LONG_VOWELS = re.compile("(?<=.)[\u0627\u0648\u064a](?=.)")


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """``canonical_key`` of a person's name with the long vowels inside long words dropped, so that spelling
    variants of a foreign name (هالفورسن / هالفرسن) group together; short words (سعيد / سعد) keep them.

    >>> person_key("ماركوس هالفورسن") == person_key("ماركوس هالفرسن"), person_key("سعيد") == person_key("سعد")
    (True, False)
    """
    return " ".join(_LONG_VOWELS.sub("", w) if len(w) >= 6 and not w.isascii() else w
                    for w in canonical_key(name).split())


def find_entities(text: str) -> list[Candidate]:
    """Non-overlapping entity candidates of a text (see the module docstring for the rules)."""
    scan = Scanner(text)
    scan.persons()
    scan.organizations()
    scan.bracketed_names()
    scan.outlets()
    scan.initiatives()
    scan.quoted_bare()
    scan.latin_bare()
    scan.places()
    scan.listed_places()
    chosen = _resolve(scan.cands)
    chosen = _with_repeats(chosen, _repeats(scan, chosen))
    # A surname alone after a courtesy title (وأضاف السيد ساجد) refers back to a person named in full.
    surnames = {scan.key[c.start:c.end].split()[-1] for c in chosen
                if c.kind == "person" and len(scan.key[c.start:c.end].split()) >= 2}
    chosen = [c for c in chosen if not (c.kind == "person" and scan.key[c.start:c.end] in surnames)]
    # A company is never an initiative: a quoted or Latin name after an initiative head (مشروع «رينو») that
    # names an organisation elsewhere in the document, or is the first word of one, is that organisation.
    org_keys = set()
    for c in chosen:
        if c.kind == "organization":
            words = _WORDS.findall(scan.key[c.start:c.end].casefold())
            if words:
                org_keys.update((" ".join(words), words[0]))
    for c in chosen:
        if c.kind == "initiative" and c.rule in ("head-quoted", "quoted-name", "latin-name") \
                and " ".join(_WORDS.findall(scan.key[c.start:c.end].casefold())) in org_keys:
            c.kind = "organization"
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
    _merge_acronyms(rows, text)
    _merge_nationality(rows)
    _fill_aliases(rows)
    return rows


def _fill_aliases(rows: list[dict]) -> None:
    """Each row's ``aliases``: the other surface forms of its entity (same kind and key) in the document."""
    forms: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        names = forms.setdefault((r["kind"], r["canonical"]), [])
        if r["name"] not in names:
            names.append(r["name"])
    for r in rows:
        names = forms[(r["kind"], r["canonical"])]
        r["aliases"] = "|".join(n for n in names if n != r["name"]) if len(names) > 1 else ""


def _merge_nationality(rows: list[dict]) -> None:
    """A body named with and without a final nationality adjective in one document (مجلس الوزراء / مجلس
    الوزراء المصري) is one body: the longer form takes the shorter form's key."""
    keys = {r["canonical"] for r in rows if r["kind"] == "organization"}
    for r in rows:
        words = r["canonical"].split()
        if r["kind"] == "organization" and len(words) >= 3 and is_nisba(words[-1]) \
                and " ".join(words[:-1]) in keys:
            r["canonical"] = " ".join(words[:-1])


_ALIAS_GAP = re.compile(r"[\s(\[\"'\u00ab\u201c\u201d\u00bb-]*")


def _merge_acronyms(rows: list[dict], text: str) -> None:
    """A short name right after a body's full name, in brackets or quotes (… (AMICA)، … "ضمان"), is that
    body's alias: every row of the document with the short name's key takes the full name's key."""
    alias: dict[str, str] = {}
    previous = None
    for r in rows:  # in text order
        if r["kind"] == "organization" and previous is not None and previous["kind"] == "organization" \
                and previous["rule"] in ("head-noun", "known-name") and r["rule"] != "head-noun" \
                and len(r["text"].split()) <= 2 and _ALIAS_GAP.fullmatch(text[previous["end"]:r["start"]]) \
                and ("(" in text[previous["end"]:r["start"]] or r["rule"] == "quoted-alias"):
            alias.setdefault(r["canonical"], previous["canonical"])
        previous = r
    if alias:
        for r in rows:
            if r["kind"] == "organization" and r["canonical"] in alias:
                r["canonical"] = alias[r["canonical"]]


def records_frame(rows: list) -> pd.DataFrame:
    """The ENTITIES table of rows from ``find_entity_records`` (any number of documents).

    Rows are dicts, or tuples in schema column order (what the corpus pipeline sends between processes).
    Text columns are object arrays, as the schema registry declares (no per-value string inference).
    """
    if not rows:
        return empty_frame("entities")
    names = column_names("entities")
    if isinstance(rows[0], dict):
        columns = [[r[col] for r in rows] for col in names]
    else:
        columns = [list(c) for c in zip(*rows)]
    dtypes = {"start": np.int64, "end": np.int64, "confidence": np.float64}
    df = pd.DataFrame({name: np.array(values, dtype=dtypes.get(name, object))
                       for name, values in zip(names, columns)}, copy=False)
    return validate(df, "entities")


def extract_entities(doc_id: str, text: str) -> pd.DataFrame:
    """The ENTITIES table of one document.

    >>> df = extract_entities("d", "أكد السيد رياض مزور، وزير الصناعة والتجارة، أن مجموعة Onepoint ستفتح مكتبا بالرباط.")
    >>> df[["kind", "text", "role"]].values.tolist()
    [['person', 'رياض مزور', 'وزير الصناعة والتجارة'], ['organization', 'Onepoint', ''], ['place', 'الرباط', '']]
    """
    return records_frame(find_entity_records(doc_id, text))
