"""Promises and their status: for each initiative, how far it got, since when, and its target years.

The status comes from the words (``data/status.yml``) of the sentences that name the initiative or carry
its linked figures and dates: announced < signed (agreed or signed) < funded < launched < operational;
the most advanced one found wins, with its sentence as evidence and the earliest date it was stated
(a date in that sentence, else the article's publication date). A status word negated (``لم يتم
إطلاق``) is skipped; one after a future or purpose marker (``سيتم إطلاق``، ``لإطلاق``) or before talks
(``انطلقت المفاوضات``) only counts as announced.
Target years: target figures and dates linked to it, and a year in its name (``المغرب الرقمي 2030``).
Flags: a target year before the data date (the latest publication date) with no evidence of delivery,
or no target year at all.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import rules
from .formatting import format_value_ar
from .schemas import column_names, empty_frame
from .segment import sentence_at, sentence_spans
from .tables import _column, link_entities
from .textnorm import match_key

PROMISE_COLUMNS = tuple(column_names("table_promises"))
# Clitics a status word may carry in front: conjunction, preposition, article.
_PREFIX = re.compile(r"^(?:[وف])?(?:[بلك])?(?:ال|لل)?")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
NEGATION_WINDOW = 2
FUTURE_WINDOW = 4
TALKS_WINDOW = 2


def words() -> dict:
    return rules.load("status")


@lru_cache(maxsize=1)
def _phrases() -> tuple[list[tuple[str, tuple[str, ...]]], set[tuple[str, ...]], set[tuple[str, ...]], set[str]]:
    """(status, folded word tuple) longest first; negations and future markers as folded word tuples;
    talk nouns as folded words."""
    data = words()
    phrases = [(status, tuple(match_key(w).split())) for status, spec in data["statuses"].items()
               for w in spec.get("words", [])]
    phrases.sort(key=lambda p: -len(p[1]))
    negations = {tuple(match_key(w).split()) for w in data["negations"]}
    future = {tuple(match_key(w).split()) for w in data["future"]}
    return phrases, negations, future, {match_key(w) for w in data["talks"]}


def _word_matches(token: str, word: str) -> bool:
    """``token`` is ``word`` with optional clitics in front (both folded)."""
    if token == word:
        return True
    stripped = _PREFIX.sub("", token, count=1)
    return stripped == word or (token.startswith(("و", "ف")) and token[1:] == word)


def _phrase_at(tokens: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(tokens):
        return False
    return _word_matches(tokens[i], phrase[0]) and tokens[i + 1:i + len(phrase)] == list(phrase[1:])


def _preceded_by(tokens: list[str], i: int, markers: set[tuple[str, ...]], window: int) -> bool:
    for marker in markers:
        for j in range(max(0, i - window - len(marker) + 1), i - len(marker) + 1):
            if _phrase_at(tokens, j, marker):
                return True
    return False


def sentence_statuses(sentence: str) -> list[tuple[str, str]]:
    """(status, word as written) for every status word of a sentence, in order.

    >>> sentence_statuses("وأطلقت الوزارة البرنامج بعد أن رصدت له ميزانية")
    [('launched', 'وأطلقت'), ('funded', 'رصدت'), ('funded', 'ميزانية')]
    >>> sentence_statuses("لم يتم إطلاق المنصة بعد، وسيتم افتتاح المركز")
    [('announced', 'افتتاح')]
    >>> sentence_statuses("وقعت الوزارة اتفاقية لإطلاق المنصة")
    [('signed', 'وقعت'), ('signed', 'اتفاقية'), ('announced', 'لإطلاق')]
    """
    phrases, negations, future, talks = _phrases()
    raw = sentence.split()
    tokens = [match_key(t).strip(".,،؛:!?()«»\"'") for t in raw]
    found = []
    i = 0
    while i < len(tokens):
        for status, phrase in phrases:
            if _phrase_at(tokens, i, phrase):
                if not _preceded_by(tokens, i, negations, NEGATION_WINDOW):
                    purpose = tokens[i].startswith("ل") and not phrase[0].startswith("ل")
                    about_talks = bool(talks & set(tokens[i + len(phrase):i + len(phrase) + TALKS_WINDOW]))
                    planned = status != "announced" and (
                        purpose or about_talks or _preceded_by(tokens, i, future, FUTURE_WINDOW))
                    found.append(("announced" if planned else status, " ".join(raw[i:i + len(phrase)])))
                i += len(phrase) - 1
                break
        i += 1
    return found


@lru_cache(maxsize=4096)
def _statuses_cached(sentence: str) -> tuple[tuple[str, str], ...]:
    """``sentence_statuses`` remembered: syndicated copies repeat the same sentences."""
    return tuple(sentence_statuses(sentence))


@dataclass
class _Evidence:
    rank: int
    status: str
    word: str
    date: str
    doc_id: str
    start: int
    end: int
    sentence: str


def _points_by_initiative(linked: pd.DataFrame, figures: pd.DataFrame, dates: pd.DataFrame) -> dict[str, list]:
    """initiative_id -> (doc_id, offset) of its mentions, linked figures and linked dates."""
    points: dict[str, list] = defaultdict(list)
    for table in (linked, figures, dates):
        for iid, doc_id, start in zip(_column(table, "initiative_id"), table["doc_id"], table["start"]):
            if iid:
                points[iid].append((doc_id, int(start)))
    return points


def _event_dates(dates: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    """doc_id -> (start, end, iso) of its event dates."""
    by_doc: dict[str, list] = defaultdict(list)
    for doc_id, start, end, iso, what in zip(dates["doc_id"], dates["start"], dates["end"], dates["iso"], dates["what"]):
        if what == "event":
            by_doc[doc_id].append((int(start), int(end), str(iso)))
    return by_doc


def _sentence_date(doc_id: str, start: int, end: int, events: dict, published: dict[str, str]) -> str:
    """An event date stated in the sentence, else the article's publication date."""
    inside = [iso for s, e, iso in events.get(doc_id, []) if s >= start and e <= end]
    return min(inside) if inside else published.get(doc_id, "")


def _targets(initiative_id: str, name: str, figures: pd.DataFrame, dates: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(target phrases such as ``500 فرصة شغل (2029)``, target years) of one initiative."""
    mine = figures[(_column(figures, "initiative_id") == initiative_id) & figures["is_target"].astype(bool)]
    phrases = [format_value_ar(v, u, w, q) + (f" ({y})" if y else "")
               for v, u, w, q, y in zip(mine["value"], mine["unit"], mine["what"], _column(mine, "qualifier"),
                                        mine["target_year"].astype(str))]
    years = [str(y) for y in mine["target_year"] if str(y)]
    targets = dates[(_column(dates, "initiative_id") == initiative_id) & (dates["what"] == "target")]
    years += [str(iso)[:4] for iso in targets["iso"]]
    years += _YEAR_IN_NAME.findall(str(name))
    return list(dict.fromkeys(phrases)), sorted(set(years))


def promises(initiatives: pd.DataFrame, figures: pd.DataFrame, dates: pd.DataFrame, entities: pd.DataFrame,
             documents: pd.DataFrame) -> pd.DataFrame:
    """One row per initiative: status and its evidence, since when, targets, target year and flag."""
    data = words()
    order = list(data["statuses"])
    texts = dict(zip(documents["doc_id"], documents["text"]))
    spans = {d: sentence_spans(t) for d, t in texts.items()}
    published = dict(zip(documents["doc_id"], _column(documents, "published")))
    data_date = max([p for p in published.values() if p], default="")
    linked = link_entities(entities, initiatives, documents)
    points = _points_by_initiative(linked, figures, dates)
    events = _event_dates(dates)
    rows = []
    for initiative in initiatives.itertuples(index=False):
        evidence: list[_Evidence] = []
        sentences = dict.fromkeys((d, *sentence_at(texts[d], start, spans[d]))
                                  for d, start in points.get(initiative.initiative_id, []) if d in texts)
        for doc_id, start, end in sentences:
            for status, word in _statuses_cached(texts[doc_id][start:end]):
                evidence.append(_Evidence(order.index(status), status, word,
                                          _sentence_date(doc_id, start, end, events, published), doc_id, start, end,
                                          texts[doc_id][start:end]))
        best = None
        if evidence:
            top = max(e.rank for e in evidence)
            best = min((e for e in evidence if e.rank == top), key=lambda e: (e.date or "9999", e.doc_id, e.start))
        status = best.status if best else "unknown"
        targets, years = _targets(initiative.initiative_id, initiative.name, figures, dates)
        last_year = years[-1] if years else ""
        flag = ""
        if not years:
            flag = "no_target"
        elif data_date and last_year < data_date[:4] and status not in data["delivered"]:
            flag = "past_due"
        rows.append({
            "initiative_id": initiative.initiative_id, "initiative": initiative.name, "status": status,
            "status_text": data["statuses"][status]["label"], "since": best.date if best else "",
            "evidence_word": best.word if best else "", "doc_id": best.doc_id if best else "",
            "start": best.start if best else 0, "end": best.end if best else 0,
            "sentence": best.sentence if best else "", "targets": "|".join(targets), "target_year": last_year,
            "flag": flag, "flag_text": data["flags"].get(flag, ""),
        })
    if not rows:
        return empty_frame("table_promises")
    return pd.DataFrame(rows, columns=list(PROMISE_COLUMNS)).astype({"start": "int64", "end": "int64"})
