"""Initiatives across documents, their organisations, and the figures and dates about each one.

* One initiative per ``canonical`` key of the initiative entities (see ``entities.canonical_key``);
  ``initiative_id`` is ``ini_`` + the first 10 hex digits of the key's sha1: stable across runs.
* Kind: from the head noun that introduced the name (``خارطة طريق`` -> strategy, ``مختبر`` -> lab …),
  else from Latin words of the name (``Lab``, ``Summit`` …), else strategy for a name with a year, else other.
* A figure (or date) is linked to the initiative named (1) in the same clause (between commas), else
  (2) in the same sentence (the nearest mention), else (3) through a back-reference in its sentence
  (``المركز``، ``هذا المختبر``) to the nearest earlier mention with that head noun, else (4) to the
  nearest earlier initiative mention in the same paragraph. Dates use steps (1) and (2) only: a
  back-reference names the subject of a sentence, not what its dates are about.
* ``first_date`` / ``latest_date``: earliest / latest linked date that is not a target or a dateline.
* An unnamed but specific initiative (a creation word then a head noun phrase:
  ``إحداث مركز تميز في مجال البيانات والذكاء الاصطناعي``) becomes an initiative only when a figure is
  linked to it through step (3); its name is the head noun phrase as written, its kind from the head.
* Organisations: those named in a sentence that names the initiative. ``lead`` when the text puts a
  lead cue right before the organisation (``تحت رعاية``، ``بمبادرة من`` …); ``partners`` after a partner
  cue (``بشراكة مع`` …) or when two organisations follow ``بين`` in one clause.
* ``place``: the most specific place (region or city, then country, then continent) in those sentences.
"""
from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..rules import load
from ..schemas import column_names, validate
from ..segment import paragraph_spans, sentence_spans
from ..textnorm import fold_keep_offsets, raw_pattern, word_key
from .entities import canonical_key
from .entity_lexicon import lexicon
from .initiative_names import unnamed_initiatives

# Columns after the INITIATIVES schema (to be appended to schemas.INITIATIVES by the lead).
_CLAUSE_BREAK = re.compile(r"[\u060c,;\u061b:]")
_PLACE_RANK = {"region": 0, "city": 0, "country": 1, "continent": 2}
_BETWEEN = re.compile(r"(?:^|\s)\u0628\u064a\u0646\s")


def initiative_id(canonical: str) -> str:
    """Stable ASCII id of an initiative key.

    >>> initiative_id("maroc ia 2030")
    'ini_3307600ffa'
    """
    return "ini_" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]


def initiative_kind(head: str, name: str) -> str:
    """Kind of an initiative from its head noun (folded), else from words of its name.

    >>> initiative_kind("مختبر", "X"), initiative_kind("", "Rabat AI Summit"), initiative_kind("", "Vision 2035")
    ('lab', 'event', 'strategy')
    """
    lex = lexicon()
    head_key = " ".join(word_key(w) for w in fold_keep_offsets(head).split())
    if head_key in lex.initiative_heads:
        return lex.initiative_heads[head_key]
    words = [w.casefold() for w in re.findall(r"[A-Za-z\u00c0-\u024f]+", name)]
    for w in reversed(words):  # the last descriptive word names the kind: "Mistral AI Lab"
        if w in lex.latin_initiative_words and w not in ("ai", "ia", "digital"):
            return lex.latin_initiative_words[w]
    if re.search(r"(?:19|20)\d\d", name):
        return "strategy"
    return "other"


@lru_cache(maxsize=1)
def _backref_regex() -> re.Pattern[str]:
    """Definite head nouns used as back-references (المركز، المختبر، الاستراتيجية …), on the original text."""
    lex = lexicon()
    heads = sorted({h for h in lex.initiative_heads if " " not in h} | set(lex.unnamed_heads), key=len, reverse=True)
    return re.compile(r"(?<![\w\u0621-\u064a])(?:[\u0648\u0641]?[\u0628\u0644]?)" + raw_pattern("\u0627\u0644")
                      + "(?P<head>" + _by_first_letter(heads) + r")(?![\w\u0621-\u064a])")


def _by_first_letter(heads: list[str]) -> str:
    """``"|".join(raw_pattern(h) for h in heads)`` grouped by first letter, each group in the order of ``heads``.

    Folded letters have disjoint spellings, so only the group of the letter at hand can match, trying the
    same heads in the same order; the regex engine tests one letter per group instead of every head.
    """
    groups: dict[str, list[str]] = {}
    for head in heads:
        groups.setdefault(head[0], []).append(head[1:])
    return "|".join(raw_pattern(first) + "(?:" + "|".join(raw_pattern(rest) for rest in tails) + ")"
                    for first, tails in groups.items())


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lead cues and partner cues; بين is left to the two-organisations rule (``_BETWEEN``)."""
    rules = load("entities")
    lead = tuple(" ".join(word_key(w) for w in fold_keep_offsets(c).split()) for c in rules["lead_cues"])
    partner = tuple(" ".join(word_key(w) for w in fold_keep_offsets(c).split()) for c in rules["partner_cues"])
    return lead, tuple(c for c in partner if c != "\u0628\u064a\u0646")


class _Spans:
    """Sorted, non-overlapping spans (sentences, paragraphs) looked up by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def at(self, pos: int) -> tuple[int, int]:
        """The span containing ``pos``, else ``(pos, pos + 1)``."""
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.spans[i][1]:
            return self.spans[i]
        return pos, pos + 1


class _Clauses:
    """Clause lookups from the clause breaks of a whole text, found once."""

    def __init__(self, text: str) -> None:
        self.breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]  # one character each

    def of(self, sentence: tuple[int, int], pos: int) -> tuple[int, int]:
        """The clause of ``sentence`` around ``pos``: from the last break before ``pos`` to the next one."""
        lo, hi = bisect_left(self.breaks, sentence[0]), bisect_left(self.breaks, sentence[1])
        k = bisect_left(self.breaks, pos, lo, hi)
        return (self.breaks[k - 1] + 1 if k > lo else sentence[0]), (self.breaks[k] if k < hi else sentence[1])


class _Document:
    """Sentence, clause and paragraph lookups plus the initiative mentions of one document."""

    def __init__(self, text: str, mentions: list[tuple[int, int, str, str]],
                 sentences: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.sentences = _Spans(sentence_spans(text) if sentences is None else sentences)
        self.clauses = _Clauses(text)
        self._paragraphs: _Spans | None = None
        self._unnamed: list[tuple[int, int, str, str]] | None = None
        self.new_initiatives: dict[str, dict] = {}
        self.mentions: list[tuple[int, int, str, str]] = []  # (start, end, initiative_id, head key), sorted
        self.add_mentions(mentions)

    def add_mentions(self, mentions: list[tuple[int, int, str, str]]) -> None:
        self.mentions = sorted(self.mentions + mentions)
        self._mention_starts = [m[0] for m in self.mentions]
        self._backref_found: dict[tuple[int, int], str] = {}  # sentence -> _backref, for these mentions

    def unnamed(self) -> list[tuple[int, int, str, str]]:
        if self._unnamed is None:
            self._unnamed = []
            for s, e, head in unnamed_initiatives(self.text):
                phrase = self.text[s:e]
                self._unnamed.append((s, e, initiative_id(canonical_key(phrase)), head))
        return self._unnamed

    def _mentions_in(self, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
        """The mentions starting in ``[lo, hi)``, in order."""
        return self.mentions[bisect_left(self._mention_starts, lo):bisect_left(self._mention_starts, hi)]

    def _nearest(self, lo: int, hi: int, pos: int) -> str:
        inside = self._mentions_in(lo, hi)
        if not inside:
            return ""
        return min(inside, key=lambda m: (abs(m[0] - pos), m[0] > pos))[2]

    def link(self, start: int, paragraph_fallback: bool, backref: bool = True) -> tuple[str, str]:
        """(initiative_id, how) for a span starting at ``start``; how is clause, sentence, backref or paragraph."""
        sentence = self.sentences.at(start)
        clause = self.clauses.of(sentence, start)
        found = self._nearest(*clause, start)
        if found:
            return found, "clause"
        found = self._nearest(*sentence, start)
        if found:
            return found, "sentence"
        found = self._backref(sentence) if backref else ""
        if found:
            return found, "backref"
        if paragraph_fallback:
            if self._paragraphs is None:
                self._paragraphs = _Spans(paragraph_spans(self.text))
            earlier = self._mentions_in(self._paragraphs.at(start)[0], start)
            if earlier:
                return earlier[-1][2], "paragraph"
        return "", ""

    def _backrefs(self, sentence: tuple[int, int]) -> Iterator[str]:
        """Heads of the definite head nouns starting in ``sentence`` that can refer back to an initiative.

        As a scan of the whole text would find them: a match is a word of letters and harakat, so none
        crosses a sentence boundary, and one character past the end is all its look-ahead needs.
        """
        for m in _backref_regex().finditer(self.text, sentence[0], sentence[1] + 1):
            if m.start() >= sentence[1]:
                return
            yield word_key(fold_keep_offsets(m.group("head")))

    def _backref(self, sentence: tuple[int, int]) -> str:
        """The initiative a back-reference of ``sentence`` points to ('' if none); once per sentence."""
        if sentence not in self._backref_found:
            self._backref_found[sentence] = self._find_backref(sentence)
        return self._backref_found[sentence]

    def _find_backref(self, sentence: tuple[int, int]) -> str:
        for head in self._backrefs(sentence):
            named = [m for m in self.mentions if m[0] < sentence[0] and m[3] == head]
            unnamed = [u for u in self.unnamed() if u[0] < sentence[0] and u[3] == head]
            best = max(named + unnamed, key=lambda m: m[0], default=None)
            if best is None:
                continue
            if best in unnamed and best[2] not in {m[2] for m in self.mentions}:
                self.new_initiatives[best[2]] = {"start": best[0], "end": best[1], "head": head,
                                                 "name": self.text[best[0]:best[1]]}
            return best[2]
        return ""


def _org_roles(text: str, sentence: tuple[int, int], orgs: list[tuple[int, int, str]],
               clauses: _Clauses) -> dict[str, str]:
    """Organisation name -> lead, partner or '' for the organisations of one sentence."""
    lead_cues, partner_cues = _cues()
    roles: dict[str, str] = {}
    between_clauses: dict[tuple[int, int], list[str]] = defaultdict(list)
    for start, _end, name in orgs:
        before = word_key(fold_keep_offsets(text[max(sentence[0], start - 40):start])).rstrip()
        role = ""
        if before.endswith(lead_cues):
            role = "lead"
        elif before.endswith(partner_cues):
            role = "partner"
        clause = clauses.of(sentence, start)
        clause_key = fold_keep_offsets(text[clause[0]:start])
        if _BETWEEN.search(clause_key):  # بين … و…
            between_clauses[clause].append(name)
        roles[name] = roles.get(name) or role
    for names in between_clauses.values():
        if len(names) >= 2:
            for n in names:
                roles[n] = roles[n] or "partner"
    return roles


def _join(values) -> str:
    """The distinct non-empty values in first-seen order, |-separated (a dict keeps order in linear time).

    >>> _join(["b", "", "a", "b"])
    'b|a'
    """
    return "|".join(dict.fromkeys(v for v in values if v))


def _column(df: pd.DataFrame, name: str, default: object = "") -> list:
    """A column as a Python list (``default`` for a missing column or a missing value)."""
    if name not in df.columns:
        return [default] * len(df)
    column = df[name]
    if not column.isna().any():  # the usual case: no per-value check needed
        return column.tolist()
    return [default if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in column.tolist()]


def _by_doc(doc_ids: list) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, doc_id in enumerate(doc_ids):
        groups[doc_id].append(index)
    return groups


@dataclass(frozen=True, slots=True)
class DocumentLinks:
    """What one document contributes to the initiatives: figure and date links, new initiatives, org / place links."""

    figure_ids: list[str]
    date_ids: list[str]
    new_initiatives: list[tuple[str, int, int, str, str]]  # (initiative_id, start, end, head, name)
    orgs: list[tuple[str, str, str]]  # (initiative_id, organisation, role)
    places: list[tuple[str, int, str]]  # (initiative_id, rank, place)


def link_document(text: str, entities: list[tuple[str, str, str, str, int, int]],
                  figures: list[tuple[int, str]], date_starts: list[int],
                  sentences: list[tuple[int, int]] | None = None) -> DocumentLinks:
    """Per-document half of ``build_initiatives``: runs in extraction workers, needs no other document.

    ``entities`` are (kind, canonical, name or text, head, start, end) in table order, ``figures`` are
    (start, initiative_id already set or ''), ``date_starts`` the date offsets; ``sentences`` is
    ``sentence_spans(text)`` when the caller has it.
    """
    mentions = [(start, end, initiative_id(canon), head)
                for kind, canon, _name, head, start, end in entities if kind == "initiative"]
    doc = _Document(text, mentions, sentences)
    figure_ids = [iid or doc.link(start, paragraph_fallback=True)[0] for start, iid in figures]
    new_initiatives = [(iid, new["start"], new["end"], new["head"], new["name"])
                       for iid, new in doc.new_initiatives.items()]
    doc.add_mentions([(start, end, iid, head) for iid, start, end, head, _name in new_initiatives])
    date_ids = [doc.link(start, paragraph_fallback=False, backref=False)[0] for start in date_starts]
    links = DocumentLinks(figure_ids, date_ids, new_initiatives, [], [])
    if not doc.mentions:
        return links
    # organisations and places named in the sentences of each mention
    orgs = [(start, end, name) for kind, _c, name, _h, start, end in entities if kind == "organization"]
    places = [(start, name) for kind, _c, name, _h, start, _e in entities if kind == "place"]
    of_sentence: dict[tuple[int, int], tuple[list, list]] = {}  # mentions often share a sentence
    for start, _end, iid, _head in doc.mentions:
        sentence = doc.sentences.at(start)
        if sentence not in of_sentence:
            of_sentence[sentence] = _sentence_orgs_places(text, sentence, orgs, places, doc.clauses)
        sentence_orgs, sentence_places = of_sentence[sentence]
        links.orgs.extend((iid, name, role) for name, role in sentence_orgs)
        links.places.extend((iid, rank, name) for rank, name in sentence_places)
    return links


def _sentence_orgs_places(text: str, sentence: tuple[int, int], orgs: list[tuple[int, int, str]],
                          places: list[tuple[int, str]], clauses: _Clauses) -> tuple[list, list]:
    """(organisation, role) and (place rank, place) of the organisations and places named in ``sentence``."""
    in_sentence = [o for o in orgs if sentence[0] <= o[0] < sentence[1]]
    roles = _org_roles(text, sentence, in_sentence, clauses) if in_sentence else {}
    place_kinds, ranked = lexicon().places, []
    for pstart, pname in places:
        if sentence[0] <= pstart < sentence[1]:
            bare = " ".join(word_key(w) for w in fold_keep_offsets(pname).split())
            kind = "region" if bare.startswith("\u062c\u0647\u0647") else place_kinds.get(bare, "country")
            ranked.append((_PLACE_RANK.get(kind, 3), pname))
    return [(name, roles.get(name, "")) for _s, _e, name in in_sentence], ranked


def build_initiatives(entities: pd.DataFrame, dates: pd.DataFrame, figures: pd.DataFrame,
                      documents: pd.DataFrame, links: dict[str, DocumentLinks] | None = None,
                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(initiatives table, figures with ``initiative_id`` filled, dates with an ``initiative_id`` column).

    ``links`` (doc_id -> ``link_document`` result) lets extraction workers do the per-document half.
    """
    e_doc, e_kind = _column(entities, "doc_id"), _column(entities, "kind")
    e_text, e_canon = _column(entities, "text"), _column(entities, "canonical")
    e_name, e_head = _column(entities, "name"), _column(entities, "head")
    e_start, e_end = _column(entities, "start", 0), _column(entities, "end", 0)
    f_doc, f_start = _column(figures, "doc_id"), _column(figures, "start", 0)
    f_iid = _column(figures, "initiative_id")
    d_doc, d_start = _column(dates, "doc_id"), _column(dates, "start", 0)
    d_iso, d_what = _column(dates, "iso"), _column(dates, "what")
    d_iid = [""] * len(d_doc)

    texts = dict(zip(documents["doc_id"].tolist(), documents["text"].tolist()))
    ents_by_doc, figs_by_doc, dates_by_doc = _by_doc(e_doc), _by_doc(f_doc), _by_doc(d_doc)

    records: dict[str, dict] = {}
    org_links: dict[str, list[tuple[str, str]]] = defaultdict(list)  # iid -> [(org name, role)]
    place_links: dict[str, list[tuple[int, str]]] = defaultdict(list)

    def record(iid: str, canonical: str) -> dict:
        found = records.get(iid)  # most mentions are of a known initiative: build a new record only when needed
        if found is None:
            found = records[iid] = {"canonical": canonical, "names": Counter(), "heads": Counter(),
                                    "docs": [], "doc_set": set(), "n": 0, "dates": []}
        return found

    for doc_id in dict.fromkeys([*ents_by_doc, *figs_by_doc, *dates_by_doc]):
        rows = ents_by_doc.get(doc_id, [])
        has_mentions = False
        for r in rows:
            if e_kind[r] != "initiative":
                continue
            has_mentions = True
            rec = record(initiative_id(e_canon[r]), e_canon[r])
            rec["names"][e_name[r] or e_text[r]] += 1
            rec["heads"][e_head[r] or ""] += 1
            rec["n"] += 1
            if doc_id not in rec["doc_set"]:  # a set: a list lookup made this quadratic in documents
                rec["docs"].append(doc_id)
                rec["doc_set"].add(doc_id)
        text = texts.get(doc_id)
        if text is None or not (has_mentions or doc_id in figs_by_doc or doc_id in dates_by_doc):
            continue
        fig_rows, date_rows = figs_by_doc.get(doc_id, []), dates_by_doc.get(doc_id, [])
        found = links.get(doc_id) if links is not None else None
        if found is None:
            found = link_document(
                text,
                [(e_kind[r], e_canon[r], e_name[r] or e_text[r], e_head[r] or "", int(e_start[r]), int(e_end[r]))
                 for r in rows],
                [(int(f_start[i]), f_iid[i]) for i in fig_rows],
                [int(d_start[i]) for i in date_rows],
            )
        for idx, iid in zip(fig_rows, found.figure_ids):
            f_iid[idx] = iid
        for iid, _start, _end, head, name in found.new_initiatives:
            rec = record(iid, canonical_key(name))
            rec["names"][name] += 1
            rec["heads"][head] += 1
            rec["n"] += 1
            rec["docs"].append(doc_id)
            rec["doc_set"].add(doc_id)
        for idx, iid in zip(date_rows, found.date_ids):
            d_iid[idx] = iid
            if iid in records and d_what[idx] not in ("target", "dateline"):
                records[iid]["dates"].append(str(d_iso[idx]))
        for iid, name, role in found.orgs:
            org_links[iid].append((name, role))
        for iid, rank, name in found.places:
            place_links[iid].append((rank, name))

    figures = figures.copy()
    figures["initiative_id"] = pd.Series(f_iid, index=figures.index, dtype=object)
    dates = dates.copy()
    dates["initiative_id"] = pd.Series(d_iid, index=dates.index, dtype=object)
    return _initiatives_table(records, org_links, place_links), figures, dates


def _initiatives_table(records: dict[str, dict], org_links: dict, place_links: dict) -> pd.DataFrame:
    rows = []
    for iid, rec in records.items():
        names = [n for n, _ in rec["names"].most_common()]
        head = next((h for h, _ in rec["heads"].most_common() if h), "")
        links = org_links.get(iid, [])
        linked_dates = sorted(d for d in rec["dates"] if d)
        place = min(place_links.get(iid, []), key=lambda p: p[0], default=(0, ""))[1]
        rows.append({
            "initiative_id": iid,
            "name": names[0],
            "kind": initiative_kind(head, names[0]),
            "aliases": _join(names[1:]),
            "organizations": _join(n for n, _ in links),
            "first_date": linked_dates[0] if linked_dates else "",
            "doc_ids": _join(rec["docs"]),
            "n_mentions": rec["n"],
            "lead": _join(n for n, r in links if r == "lead"),
            "partners": _join(n for n, r in links if r == "partner"),
            "place": place,
            "latest_date": linked_dates[-1] if linked_dates else "",
        })
    table = pd.DataFrame(rows, columns=column_names("initiatives"))
    table = table.astype({"n_mentions": "int64"})
    table = table.sort_values(["n_mentions", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return validate(table, "initiatives")
