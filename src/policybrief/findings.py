"""What the brief finds in its tables: figures ranked by policy relevance, who leads, what is dated, gaps,
and which initiatives and figures belong to which theme. Pure functions over DataFrames; ``brief`` writes
the sentences. Words live in ``data/relevance.yml`` and ``data/themes.yml``.

Figures carry optional columns from the figures extractor (``measure``, ``subject``, ``time_role``,
``year``, ``confidence``); each function uses them when present and falls back to ``what``, the initiative,
the target flag and the sentence otherwise.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pandas as pd

from . import rules
from .formatting import is_money
from .framing import stem_pattern, theme_patterns, themes_in
from .tables import short_excerpt, split_cell, words_after
from .textnorm import match_key

MAX_KEY_FIGURES = 6
MIN_SECTION_RELEVANCE = 4  # a figure cited in a theme section: a policy figure, not any count
CONTEXT_WORDS = 6
MEASURE_WORDS = 7
CLAUSE_BREAKS = re.compile(r"[،,؛;:.!؟?()«»\"]")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-9]\d)(?!\d)")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = rules.load("relevance")
    return {
        "people": stem_pattern(data["people_words"]),
        "incidental": stem_pattern(data["incidental_words"]),
        "reported": stem_pattern(data["reported_words"]),
        "measures": [(stem_pattern(m["words"]), m["label"]) for m in data["measures"]],
        "commitments": {m["label"] for m in data["measures"] if m.get("commitment")},
        "statistics": {m["label"] for m in data["measures"] if not m.get("commitment")},
        "points": data["points"],
        "unit_points": data["unit_points"],
    }


def _get(row, name: str, default: object = "") -> object:
    value = row.get(name, default) if hasattr(row, "get") else getattr(row, name, default)
    return default if value is None or (isinstance(value, float) and pd.isna(value)) else value


def measure_of(row) -> str:
    """What a figure measures: the extractor's ``measure``; else, for money, the budget/investment word before
    it in its sentence; else ``what``.

    >>> measure_of({"unit": "USD", "quote": "مليار دولار", "sentence": "باستثمارات تقدر بنحو مليار دولار"})
    'استثمارات'
    """
    stated = " ".join(str(_get(row, "measure")).split())
    if stated:  # the extractor's phrase; a lone lexicon word ("باستثمارات") is shown as its label
        label = lexicon_label(stated)
        return label if label and len(stated.split()) == 1 else stated
    if is_money(str(_get(row, "unit"))):
        sentence, quote = str(_get(row, "sentence")), str(_get(row, "quote"))
        at = sentence.find(quote) if quote else -1
        before = match_key(sentence[max(at - 80, 0):at] if at > 0 else sentence)
        found = [(m.end(), label) for pattern, label in _lexicon()["measures"] for m in pattern.finditer(before)]
        if found:
            return max(found)[1]  # the nearest word before the amount
    return str(_get(row, "what")).strip()


def clause_of(row) -> str:
    """The clause of the figure's sentence that holds its quote (between commas, semicolons, brackets).

    >>> clause_of({"sentence": "دربت 200 ألف شاب، وتستهدف 500 ألف متدرب بحلول 2027، بميزانية 3 مليارات", "quote": "500 ألف متدرب"})
    'وتستهدف 500 ألف متدرب بحلول 2027'
    """
    sentence, quote = str(_get(row, "sentence")), str(_get(row, "quote"))
    at = sentence.find(quote) if quote else -1
    if at < 0:
        return sentence
    starts = [m.end() for m in CLAUSE_BREAKS.finditer(sentence, 0, at)]
    end = CLAUSE_BREAKS.search(sentence, at + len(quote))
    return sentence[starts[-1] if starts else 0:end.start() if end else len(sentence)].strip()


def context_after(row, n_words: int = CONTEXT_WORDS) -> str:
    """The words that follow the figure in its clause, as published (what a bare percentage is "of").

    >>> context_after({"sentence": "أن تصل المساهمة إلى 7.7 في المائة من الناتج المحلي الإجمالي بحلول عام 2030، وتدريب", "quote": "7.7 في المائة"})
    'من الناتج المحلي الإجمالي بحلول عام…'
    """
    return words_after(_get(row, "sentence"), _get(row, "quote"), n_words)


def lexicon_label(text: str) -> str:
    """The label of the first measure word (``data/relevance.yml``) in ``text``, '' when none.

    >>> lexicon_label("باستثمارات"), lexicon_label("لدعم الشركات الناشئة"), lexicon_label("متدرب")
    ('استثمارات', 'دعم', '')
    """
    key = match_key(str(text or ""))
    found = [(m.start(), label) for pattern, label in _lexicon()["measures"] for m in pattern.finditer(key)]
    return min(found)[1] if found else ""


def measure_kind(measure: str) -> str:
    """``commitment`` or ``statistic`` for a measure (label or the extractor's phrase), '' otherwise."""
    label = measure if measure in _lexicon()["commitments"] | _lexicon()["statistics"] else lexicon_label(measure)
    if label in _lexicon()["commitments"]:
        return "commitment"
    return "statistic" if label in _lexicon()["statistics"] else ""


def is_commitment(row) -> bool:
    """A money figure a policy commits (budget, investment, funding...), by its measure (``data/relevance.yml``).

    >>> is_commitment({"unit": "MAD", "quote": "3 مليارات درهم", "sentence": "رصدت الحكومة 3 مليارات درهم"})
    True
    >>> is_commitment({"unit": "USD", "quote": "18 مليار دولار", "sentence": "بلغت إيرادات الشركات 18 مليار دولار"})
    False
    """
    return is_money(str(_get(row, "unit"))) and measure_kind(measure_of(row)) == "commitment"


def subject_of(row) -> str:
    """What the figure is about: its named initiative, else the extractor's ``subject``."""
    return str(_get(row, "initiative")).strip() or str(_get(row, "subject")).strip()


def is_historical(row, article_year: str) -> bool:
    """A past statistic: ``time_role`` says so, or (without it) every year in the sentence is at least two
    years before the article and the figure is no target.

    >>> is_historical({"sentence": "بلغت البطالة 14 في المائة عام 2019", "is_target": False}, "2025")
    True
    """
    role = str(_get(row, "time_role")).strip()
    if role:
        return role == "historical"
    if bool(_get(row, "is_target", False)) or not str(article_year)[:4].isdigit():
        return False
    years = [int(y) for y in YEAR.findall(str(_get(row, "sentence")))]
    return bool(years) and max(years) <= int(str(article_year)[:4]) - 2


def relevance(row, article_year: str = "") -> int:
    """Policy relevance of one figure (higher first): budgets, investments, dated targets and people trained
    or jobs lead; market sizes, past statistics, ranks never do."""
    lex = _lexicon()
    points, unit = lex["points"], str(_get(row, "unit"))
    kind = "money" if is_money(unit) else unit if unit in lex["unit_points"] else "other"
    score = lex["unit_points"][kind]
    sentence = match_key(str(_get(row, "sentence")))
    target = bool(_get(row, "is_target", False)) or str(_get(row, "time_role")) == "target"
    if target and str(_get(row, "target_year") or _get(row, "year")).strip():
        score += points["target_with_year"]
    if str(_get(row, "initiative_id")).strip():
        score += points["initiative"]
    if unit == "count" and lex["people"].search(match_key(str(_get(row, "what")) or "") or "\0"):
        score += points["people_or_jobs"]
    if kind == "money":
        kind_of_measure = measure_kind(measure_of(row))
        reported = bool(lex["reported"].search(match_key(clause_of(row))))
        if kind_of_measure == "statistic" or (reported and not str(_get(row, "initiative_id")).strip()):
            score += points["reported_measure"]
        elif kind_of_measure == "commitment":
            score += points["policy_measure"]
    if is_historical(row, article_year):
        score += points["historical"]
    if lex["incidental"].search(sentence):
        score += points["incidental"]
    if str(_get(row, "confidence")).strip().lower() == "low":
        score += points["low_confidence"]
    return score


def rank_figures(key_figures: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Key figures with ``relevance``, ``measure_label``, ``subject_label``, ``historical``, most relevant first."""
    if key_figures.empty:
        return key_figures.assign(relevance=[], measure_label=[], subject_label=[], context_label=[], historical=[])
    years = {d: str(p)[:4] for d, p in zip(documents["doc_id"], documents["published"])}
    ranked = key_figures.copy()
    ranked["relevance"] = [relevance(r, years.get(r["doc_id"], "")) for _, r in ranked.iterrows()]
    ranked["measure_label"] = [short_excerpt(measure_of(r), MEASURE_WORDS) for _, r in ranked.iterrows()]
    ranked["subject_label"] = [subject_of(r) for _, r in ranked.iterrows()]
    # what follows the figure says what it is "of" when nothing names its subject, and always for a share
    ranked["context_label"] = [
        context_after(r) if (not r["subject_label"] or r["unit"] == "percent") and len(r["measure_label"].split()) < 2
        else "" for _, r in ranked.iterrows()]  # an extractor's measure phrase already says it
    ranked["historical"] = [is_historical(r, years.get(r["doc_id"], "")) for _, r in ranked.iterrows()]
    return ranked.sort_values(["relevance", "value", "doc_id", "start"], ascending=[False, False, True, True],
                              kind="stable").reset_index(drop=True)


def pick_key_figures(ranked: pd.DataFrame, limit: int = MAX_KEY_FIGURES) -> pd.DataFrame:
    """The key-figures box: the most relevant distinct figures, no disputed value, at most two per subject."""
    if ranked.empty:
        return ranked
    rows = ranked[~ranked["conflict"].astype(bool) & (ranked["relevance"] > 0)]
    rows = rows.drop_duplicates(["value", "unit"])
    picked, per_subject = [], Counter()
    for _, row in rows.iterrows():
        subject = row["subject_label"] or row["doc_id"]
        if per_subject[subject] >= 2:
            continue
        picked.append(row)
        per_subject[subject] += 1
        if len(picked) == limit:
            break
    return pd.DataFrame(picked).reset_index(drop=True) if picked else rows.head(0)


def single_source_values(key_figures: pd.DataFrame) -> set[tuple[float, str]]:
    """(value, unit) pairs stated by one document only."""
    if key_figures.empty:
        return set()
    docs = key_figures.groupby(["value", "unit"])["doc_id"].nunique()
    return {key for key, n in docs.items() if n == 1}


def lead_bodies(initiatives: pd.DataFrame) -> pd.Series:
    """Number of initiatives each organisation leads, most first (ties by name)."""
    counts = Counter(org for cell in initiatives.get("lead_organizations", []) for org in split_cell(cell))
    series = pd.Series(counts, dtype=int)
    return series.sort_index().sort_values(ascending=False, kind="stable")


def money_initiatives(key_figures: pd.DataFrame) -> set[str]:
    money = key_figures[[is_money(str(u)) for u in key_figures["unit"]]] if len(key_figures) else key_figures
    return {i for i in money.get("initiative_id", []) if i}


def dated_initiatives(initiatives: pd.DataFrame, key_figures: pd.DataFrame) -> set[str]:
    """Initiatives with a date or a target year."""
    dated = {i for i, d in zip(initiatives["initiative_id"], initiatives["first_date"]) if str(d).strip()}
    if len(key_figures):
        targets = key_figures[key_figures["is_target"].astype(bool) & (key_figures["target_year"].astype(str) != "")]
        dated |= {i for i in targets["initiative_id"] if i}
    return dated


def gaps(initiatives: pd.DataFrame, key_figures: pd.DataFrame, data_year: str) -> dict[str, list[str]]:
    """What the record does not say: initiative names without budget, lead body or date; targets whose year
    is already past at the data date (value texts)."""
    names = dict(zip(initiatives["initiative_id"], initiatives["name"]))
    funded, dated = money_initiatives(key_figures), dated_initiatives(initiatives, key_figures)
    past: list[str] = []
    if len(key_figures) and str(data_year)[:4].isdigit():
        targets = key_figures[key_figures["is_target"].astype(bool)]
        for _, t in targets.iterrows():
            year = str(t["target_year"])[:4]
            if year.isdigit() and int(year) < int(str(data_year)[:4]):
                past.append(t.name)
    return {
        "no_budget": [names[i] for i in names if i not in funded],
        "no_lead": [n for i, n, lead in zip(initiatives["initiative_id"], initiatives["name"],
                                              initiatives["lead_organizations"]) if not split_cell(lead)],
        "no_date": [names[i] for i in names if i not in dated],
        "past_targets": past,  # index labels into key_figures
    }


def initiative_themes(initiatives: pd.DataFrame, key_figures: pd.DataFrame, profile: pd.DataFrame | None) -> dict[str, list[str]]:
    """initiative_id -> its themes: words of its name and of its figures' sentences, else its articles' main theme."""
    doc_themes = {} if profile is None or profile.empty else {
        d: split_cell(t) for d, t in zip(profile["doc_id"], profile["themes"])}
    sentences = {} if key_figures.empty else key_figures.groupby("initiative_id")["sentence"].apply(" ".join).to_dict()
    result = {}
    for row in initiatives.itertuples(index=False):
        counts = themes_in(row.name) + themes_in(sentences.get(row.initiative_id, ""))
        if not counts:
            for doc_id in split_cell(row.doc_ids):
                counts.update(doc_themes.get(doc_id, [])[:1])
        result[row.initiative_id] = [t for t, _ in counts.most_common()]
    return result


def main_theme(row, order: list[str]) -> list[str]:
    """The one theme a figure belongs to: the most named in its clause, else in its sentence (ties: ``order``)."""
    for text in (clause_of(row), row.get("sentence", "")):
        counts = themes_in(text)
        if counts:
            best = max(counts.values())
            tied = [t for t in counts if counts[t] == best]
            return [min(tied, key=lambda t: order.index(t) if t in order else len(order))]
    return []


def theme_sections(themes: list[str], initiatives: pd.DataFrame, ranked: pd.DataFrame,
                   profile: pd.DataFrame | None, limit: int = 5) -> list[dict]:
    """The body's sections: for each theme, in the corpus's order, its initiatives and most relevant figures.

    An initiative goes to its first theme among those shown; a theme with neither initiatives nor figures
    gets no section; at most ``limit`` sections.
    """
    by_initiative = initiative_themes(initiatives, ranked, profile)
    if not themes:  # no corpus profile: the themes of the initiatives and figures themselves, most frequent first
        counts = Counter(t for ts in by_initiative.values() for t in ts[:1])
        counts.update(t for s in ranked.get("sentence", []) for t in list(themes_in(s))[:1])
        themes = [t for t, _ in counts.most_common()]
    figure_themes = [main_theme(r, themes) for _, r in ranked.iterrows()] if len(ranked) else []
    order = [t for t in themes if t in theme_patterns()]
    sections, placed_initiatives, placed_figures = [], set(), set()
    for theme in order:
        inits = [i for i, ts in by_initiative.items() if theme in ts and i not in placed_initiatives]
        figures, seen = [], set()
        for k, ts in zip(ranked.index, figure_themes):
            value = (ranked.loc[k, "value"], ranked.loc[k, "unit"])
            if (theme in ts and k not in placed_figures and value not in seen and not ranked.loc[k, "conflict"]
                    and ranked.loc[k, "relevance"] >= MIN_SECTION_RELEVANCE):
                figures.append(k)
                seen.add(value)
        if not inits and not figures:
            continue
        placed_initiatives.update(inits)
        placed_figures.update(figures[:3])
        sections.append({"theme": theme, "initiatives": inits, "figures": figures[:3]})
        if len(sections) == limit:
            break
    return sections
