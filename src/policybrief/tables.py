"""The tables an analyst reads: initiatives, actors, key figures, timeline and value conflicts.

Every function takes the extraction tables (schemas in ``schemas.py``) and returns a new DataFrame; nothing
is written here. Inputs may lack optional link columns (``initiative_id`` on dates); the tables then show
less, never crash. Multi-valued cells are ``|``-separated, as in the extraction tables.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

import pandas as pd

from . import rules
from .formatting import format_value_ar
from .schemas import column_names, empty_frame, with_derived_columns
from .segment import sentence_at, sentence_spans
from .textnorm import name_key

SEP = "|"

INITIATIVES_TABLE = tuple(column_names("table_initiatives"))
ACTORS_TABLE = tuple(column_names("table_actors"))
KEY_FIGURES_TABLE = tuple(column_names("table_key_figures"))
TIMELINE_TABLE = tuple(column_names("table_timeline"))
CONFLICTS_TABLE = tuple(column_names("table_conflicts"))


def _frame(df: pd.DataFrame | None, schema: str) -> pd.DataFrame:
    """``df`` or the schema's empty table when None."""
    return empty_frame(schema) if df is None else df


def _column(df: pd.DataFrame, name: str, default: object = "") -> pd.Series:
    """A column of ``df``, or a column of ``default`` when the table lacks it (e.g. before a schema change)."""
    if name in df.columns:
        return df[name].fillna(default) if default is not None else df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object)


def split_cell(cell: object) -> list[str]:
    """The non-empty items of a ``|``-separated cell.

    >>> split_cell("وزارة|  | Onepoint")
    ['وزارة', 'Onepoint']
    """
    if not isinstance(cell, str):
        return []
    return [item.strip() for item in cell.split(SEP) if item.strip()]


def join_unique(items: Iterable[object]) -> str:
    """Distinct non-empty items in first-seen order, ``|``-joined.

    >>> join_unique(["ب", "", "أ", "ب"])
    'ب|أ'
    """
    seen: dict[str, None] = {}
    for item in items:
        text = "" if item is None or (isinstance(item, float) and pd.isna(item)) else str(item).strip()
        if text:
            seen.setdefault(text, None)
    return SEP.join(seen)


# ``name_key`` of the few distinct years, ``what`` and bounds that thousands of figures repeat.
_remembered_key = lru_cache(maxsize=1 << 16)(name_key)


def initiative_lookup(initiatives: pd.DataFrame) -> dict[str, str]:
    """Match key of every name, alias and id of an initiative -> its ``initiative_id``."""
    lookup: dict[str, str] = {}
    for row in initiatives.itertuples(index=False):
        for form in [row.initiative_id, row.name, *split_cell(row.aliases)]:
            if name_key(form):
                lookup.setdefault(name_key(form), row.initiative_id)
    return lookup


def initiative_names(initiatives: pd.DataFrame) -> dict[str, str]:
    """``initiative_id`` -> display name."""
    return dict(zip(initiatives["initiative_id"], initiatives["name"]))


def figure_text(value: float, unit: str, what: str = "", qualifier: str = "") -> str:
    """A figure as one readable phrase: the Arabic press value, then what it measures when that is not a count.

    >>> figure_text(1_200_000_000, "MAD", "استثمارات")
    '1.2 مليار درهم (استثمارات)'
    >>> figure_text(500, "count", "فرصة شغل")
    '500 فرصة شغل'
    """
    text = format_value_ar(value, unit, what, qualifier)
    if what and unit not in ("count", "rank"):
        text += f" ({what})"
    return text


def _entity_sentences(entities: pd.DataFrame, documents: pd.DataFrame | None) -> pd.Series:
    """For each entity, an id of the sentence it sits in (``doc_id:start``), or '' without document text."""
    if documents is None or "text" not in documents.columns or entities.empty:
        return pd.Series([""] * len(entities), index=entities.index, dtype=object)
    texts = dict(zip(documents["doc_id"], documents["text"]))
    spans = {doc_id: sentence_spans(text) for doc_id, text in texts.items() if isinstance(text, str)}
    ids = []
    for doc_id, start in zip(entities["doc_id"], entities["start"]):
        if doc_id in spans:
            ids.append(f"{doc_id}:{sentence_at(texts[doc_id], int(start), spans[doc_id])[0]}")
        else:
            ids.append("")
    return pd.Series(ids, index=entities.index, dtype=object)


def link_entities(entities: pd.DataFrame, initiatives: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Entities with ``initiative_id`` (for initiative mentions) and ``sentence_id`` columns added."""
    lookup = initiative_lookup(initiatives)
    linked = entities.copy()
    linked["initiative_id"] = [
        (lookup.get(name_key(canonical)) or lookup.get(name_key(text)) or "") if kind == "initiative" else ""
        for kind, canonical, text in zip(entities["kind"], entities["canonical"], entities["text"])
    ]
    linked["sentence_id"] = _entity_sentences(entities, documents)
    return linked


def _co_sentence(linked: pd.DataFrame) -> dict[str, list[str]]:
    """sentence_id -> initiative ids mentioned in it."""
    mentions = linked[(linked["initiative_id"] != "") & (linked["sentence_id"] != "")]
    grouped: dict[str, list[str]] = {}
    for sentence_id, initiative_id in zip(mentions["sentence_id"], mentions["initiative_id"]):
        grouped.setdefault(sentence_id, []).append(initiative_id)
    return grouped


def is_public_body(name: str) -> bool:
    """True when an organisation's name starts with a public-body head noun (``data/presentation.yml``).

    >>> is_public_body("وزارة الانتقال الرقمي"), is_public_body("Onepoint")
    (True, False)
    """
    key = name_key(name)
    return any(key == name_key(noun) or key.startswith(name_key(noun) + " ") for noun in rules.load("presentation")["public_head_nouns"])


def split_lead_partners(organizations: list[str]) -> tuple[list[str], list[str]]:
    """Leads (the public bodies) and partners (the others), when the text does not say who leads.

    >>> split_lead_partners(["Onepoint", "وزارة الصناعة والتجارة"])
    (['وزارة الصناعة والتجارة'], ['Onepoint'])
    """
    leads = [org for org in organizations if is_public_body(org)]
    return leads, [org for org in organizations if org not in leads]


def _text_attr(row, name: str) -> str:
    value = getattr(row, name, "")
    return value.strip() if isinstance(value, str) else ""


def lead_and_partners(row) -> tuple[list[str], list[str]]:
    """Lead and partner organisations of an initiative row: the extractor's ``lead`` / ``partners`` columns
    when it stated them, else ``split_lead_partners`` over its ``organizations``."""
    organizations = split_cell(row.organizations)
    leads, partners = split_cell(_text_attr(row, "lead")), split_cell(_text_attr(row, "partners"))
    if not leads and not partners:
        return split_lead_partners(organizations)
    named = {name_key(o) for o in [*leads, *partners]}
    others = [o for o in organizations if name_key(o) not in named]
    if leads:
        return leads, [*partners, *others]
    guessed_leads, guessed_partners = split_lead_partners(others)
    return guessed_leads, [*partners, *guessed_partners]


def _figures_with_names(figures: pd.DataFrame, initiatives: pd.DataFrame) -> pd.DataFrame:
    names = initiative_names(initiatives)
    out = figures.copy()
    out["initiative_id"] = _column(figures, "initiative_id").astype(str)
    out["initiative"] = out["initiative_id"].map(lambda i: names.get(i, ""))
    return out


def _compatible(a: object, b: object) -> bool:
    """Two optional descriptors agree when equal (as match keys) or when either is missing."""
    a, b = name_key(a), name_key(b)
    return not a or not b or a == b


def same_thing(a, b) -> bool:
    """Two figure rows (from different documents) speak about the same quantity: same initiative, unit and
    target flag; years, ``what`` and range bounds equal or unstated on one side."""
    return (
        bool(a.initiative_id) and a.initiative_id == b.initiative_id and a.unit == b.unit
        and bool(a.is_target) == bool(b.is_target) and _compatible(str(a.target_year), str(b.target_year))
        and _compatible(a.what, b.what) and _compatible(getattr(a, "bound", ""), getattr(b, "bound", ""))
    )


def _conflicting_pairs(figures: pd.DataFrame) -> set[int]:
    """Row positions of figures that disagree with a figure from another document about the same thing.

    The rows of an (initiative, unit) are first gathered by what ``same_thing`` compares (value, target
    flag, year, ``what``, bound); two such profiles are compared once, however many rows each holds,
    which keeps a corpus of a thousand articles (thousands of figures per initiative) fast.
    """
    groups: dict[tuple, dict[tuple, list]] = {}
    for row in figures.reset_index(drop=True).itertuples():
        if row.initiative_id:
            profile = (row.value, bool(row.is_target), _remembered_key(str(row.target_year)),
                       _remembered_key(row.what), _remembered_key(getattr(row, "bound", "")))
            groups.setdefault((row.initiative_id, row.unit), {}).setdefault(profile, []).append(row)
    flagged: set[int] = set()
    for profiles in groups.values():
        listed = list(profiles.items())
        for i, (p, rows_p) in enumerate(listed):
            for q, rows_q in listed[i + 1:]:
                if p[1] == q[1] and all(not a or not b or a == b for a, b in zip(p[2:], q[2:])):
                    flagged |= _disagreeing_rows(p[0], rows_p, q[0], rows_q)
    return flagged


def conflicting_figures(figures: pd.DataFrame, initiatives: pd.DataFrame) -> set[int]:
    """Row positions in ``figures`` of the figures in a value conflict (see ``value_conflicts``)."""
    return _conflicting_pairs(_figures_with_names(figures, initiatives).reset_index(drop=True))


def _differ(a: float, b: float) -> bool:
    """Two values differ beyond rounding (NaN differs from nothing).

    >>> _differ(3.5e9, 3.5e9 + 1), _differ(3.5e9, 3.6e9)
    (False, True)
    """
    return abs(a - b) > 1e-9 * max(abs(a), abs(b), 1)


def _disagreeing_rows(value_p: float, rows_p: list, value_q: float, rows_q: list) -> set[int]:
    """Rows of two comparable profiles that have a partner of the other profile in another document."""
    if not _differ(value_p, value_q):
        return set()
    docs_p, docs_q = {r.doc_id for r in rows_p}, {r.doc_id for r in rows_q}
    return ({a.Index for a in rows_p if len(docs_q) > 1 or a.doc_id not in docs_q}
            | {b.Index for b in rows_q if len(docs_p) > 1 or b.doc_id not in docs_p})


def value_conflicts(figures: pd.DataFrame, initiatives: pd.DataFrame, flagged: set[int] | None = None) -> pd.DataFrame:
    """One row per (initiative, unit) where documents state different values for the same thing.

    See ``same_thing``: a figure whose year or ``what`` is unstated may conflict with one that states it;
    figures whose ``what`` or years differ (both stated) measure different things and never conflict.
    """
    named = _figures_with_names(figures, initiatives).reset_index(drop=True)
    flagged = named.loc[sorted(_conflicting_pairs(named) if flagged is None else flagged)]
    rows = []
    for (initiative_id, unit), group in flagged.groupby(["initiative_id", "unit"], sort=True):
        rows.append({
            "initiative_id": initiative_id,
            "initiative": group["initiative"].iloc[0],
            "unit": unit,
            "target_year": join_unique(sorted(group["target_year"].astype(str))),
            "values": join_unique(
                f"{figure_text(v, u, w, q)}{f' ({y})' if y else ''} [{d}]"
                for v, u, w, q, y, d in zip(group["value"], group["unit"], group["what"], group["qualifier"],
                                            group["target_year"], group["doc_id"])
            ),
            "doc_ids": join_unique(group["doc_id"]),
            "quotes": join_unique(group["quote"]),
        })
    return pd.DataFrame(rows, columns=list(CONFLICTS_TABLE))


def key_figures_table(figures: pd.DataFrame, initiatives: pd.DataFrame, flagged: set[int] | None = None
                      ) -> pd.DataFrame:
    """Every figure with its initiative, Arabic value text, target flag and year, conflict flag and source quote."""
    named = _figures_with_names(figures, initiatives).reset_index(drop=True)
    flagged = _conflicting_pairs(named) if flagged is None else flagged
    named["value_text"] = [
        format_value_ar(v, u, w, q) for v, u, w, q in zip(named["value"], named["unit"], named["what"], named["qualifier"])
    ]
    named["conflict"] = [i in flagged for i in range(len(named))]
    named = named.sort_values(["initiative", "unit", "doc_id", "start"], kind="stable")
    for column in ("measure", "subject", "time_role", "year"):  # figures from before the meaning columns
        named[column] = _column(named, column).astype(str)
    named["confidence"] = pd.to_numeric(_column(named, "confidence", 1.0), errors="coerce").fillna(1.0).astype(float)
    named = with_derived_columns(named, "table_key_figures")  # row id and reviewer's marks when figures lack them
    return named[list(KEY_FIGURES_TABLE)].reset_index(drop=True)


def initiatives_table(
    initiatives: pd.DataFrame,
    figures: pd.DataFrame | None = None,
    dates: pd.DataFrame | None = None,
    entities: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    flagged: set[int] | None = None,
) -> pd.DataFrame:
    """One row per initiative across all documents: kind, lead and partner organisations, dates, place,
    linked figures and targets, sources and a conflict flag (``flagged``: ``conflicting_figures`` when known)."""
    figures, dates, entities = _frame(figures, "figures"), _frame(dates, "dates"), _frame(entities, "entities")
    named = _figures_with_names(figures, initiatives).reset_index(drop=True)
    conflicted = set(named.loc[sorted(_conflicting_pairs(named) if flagged is None else flagged), "initiative_id"])
    dated = dates.assign(initiative_id=_column(dates, "initiative_id").astype(str))
    linked = link_entities(entities, initiatives, documents)
    places = _places_by_initiative(linked)
    datelines = {} if documents is None else dict(zip(documents["doc_id"], _column(documents, "place")))
    rows = []
    for row in initiatives.itertuples(index=False):
        own_figures = named[named["initiative_id"] == row.initiative_id]
        own_dates = dated[(dated["initiative_id"] == row.initiative_id) & (dated["what"] != "target")]
        stated = [row.first_date, getattr(row, "latest_date", "")]
        isos = sorted([d for d in [*own_dates["iso"].tolist(), *stated] if isinstance(d, str) and d])
        mentions = linked[linked["initiative_id"] == row.initiative_id]
        doc_ids = join_unique([*split_cell(row.doc_ids), *own_figures["doc_id"].tolist(),
                               *own_dates["doc_id"].tolist(), *mentions["doc_id"].tolist()])
        leads, partners = lead_and_partners(row)
        targets = own_figures[own_figures["is_target"].astype(bool)]
        rows.append({
            "initiative_id": row.initiative_id,
            "name": row.name,
            "kind": row.kind,
            "lead_organizations": SEP.join(leads),
            "partner_organizations": SEP.join(partners),
            "first_date": isos[0] if isos else "",
            "latest_date": isos[-1] if isos else "",
            "place": (_text_attr(row, "place") or places.get(row.initiative_id)
                      or join_unique(datelines.get(d, "") for d in split_cell(doc_ids))),
            "figures": join_unique(figure_text(f.value, f.unit, f.what, f.qualifier) for f in own_figures.itertuples()),
            "targets": join_unique(
                figure_text(f.value, f.unit, f.what, f.qualifier) + (f" ({f.target_year})" if f.target_year else "")
                for f in targets.itertuples()
            ),
            "n_sources": len(split_cell(doc_ids)),
            "doc_ids": doc_ids,
            "has_conflict": row.initiative_id in conflicted,
        })
    table = pd.DataFrame(rows, columns=list(INITIATIVES_TABLE))
    table["n_sources"] = table["n_sources"].astype("int64")
    table["has_conflict"] = table["has_conflict"].astype(bool)
    return table.sort_values(["n_sources", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _places_by_initiative(linked: pd.DataFrame) -> dict[str, str]:
    """initiative_id -> places named in the same sentences as its mentions, most frequent first."""
    by_sentence = _co_sentence(linked)
    places = linked[(linked["kind"] == "place") & (linked["sentence_id"] != "")]
    counts: dict[str, Counter] = {}
    for sentence_id, place in zip(places["sentence_id"], places["canonical"].where(places["canonical"] != "", places["text"])):
        for initiative_id in by_sentence.get(sentence_id, []):
            counts.setdefault(initiative_id, Counter())[place] += 1
    return {i: SEP.join(p for p, _ in c.most_common()) for i, c in counts.items()}


def actors_table(
    entities: pd.DataFrame, initiatives: pd.DataFrame, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Organisations and persons: roles, the initiatives they appear in, mentions and documents.

    An actor appears in an initiative when the initiative lists it among its organisations or when both
    are named in one sentence (needs ``documents`` with text).
    """
    names = initiative_names(initiatives)
    linked = link_entities(entities, initiatives, documents)
    by_sentence = _co_sentence(linked)
    listed: dict[str, list[str]] = {}
    for row in initiatives.itertuples(index=False):
        for org in split_cell(row.organizations):
            listed.setdefault(name_key(org), []).append(row.initiative_id)
    actors = linked[linked["kind"].isin(["organization", "person"])].copy()
    # ``name`` (citation form, e.g. للوكالة -> الوكالة) is shown when the extractor provides it.
    actors["display"] = [n if isinstance(n, str) and n.strip() else t for n, t in zip(_column(actors, "name"), actors["text"])]
    actors["group"] = [name_key(c) or name_key(t) for c, t in zip(actors["canonical"], actors["display"])]
    rows = []
    for (kind, _), group in actors.groupby(["kind", "group"], sort=False):
        forms = {name_key(f) for f in [*group["canonical"], *group["display"], *group["text"]]}
        initiative_ids = [i for form in forms for i in listed.get(form, [])]
        for sentence_id in group["sentence_id"]:
            initiative_ids += by_sentence.get(sentence_id, [])
        rows.append({
            "actor": Counter(group["display"]).most_common(1)[0][0],
            "kind": kind,
            "roles": join_unique(group["role"]),
            "initiatives": join_unique(names.get(i, i) for i in initiative_ids),
            "n_mentions": len(group),
            "n_documents": group["doc_id"].nunique(),
            "doc_ids": join_unique(group["doc_id"]),
        })
    table = pd.DataFrame(rows, columns=list(ACTORS_TABLE))
    table[["n_mentions", "n_documents"]] = table[["n_mentions", "n_documents"]].astype("int64")
    return table.sort_values(["n_mentions", "actor"], ascending=[False, True], kind="stable").reset_index(drop=True)


def short_excerpt(sentence: str, n_words: int = 8) -> str:
    """The first ``n_words`` words of a sentence, with an ellipsis when cut.

    >>> short_excerpt("أعلنت الوزارة اليوم عن برنامج جديد للتكوين", 4)
    'أعلنت الوزارة اليوم عن…'
    """
    words = str(sentence).split()
    return " ".join(words) if len(words) <= n_words else " ".join(words[:n_words]) + "\u2026"


def timeline_table(
    dates: pd.DataFrame, figures: pd.DataFrame, initiatives: pd.DataFrame, documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Dated events and target years, one row each, with the initiative and the source quote.

    A target figure (``is_target`` with a year) is one row labelled with its value. A date row is left out
    when the same document already has a row for that date that says more: a target figure for a target
    year, a row linked to an initiative for an unlinked date, any other row for a dateline. A dateline
    kept alone is labelled with the article's title.
    """
    names = initiative_names(initiatives)
    titles = {} if documents is None else dict(zip(documents["doc_id"], _column(documents, "title")))
    dated = dates.assign(initiative_id=_column(dates, "initiative_id").astype(str))
    rows = []
    for f in _figures_with_names(figures, initiatives).itertuples():
        if bool(f.is_target) and str(f.target_year):
            label = figure_text(f.value, f.unit, f.what, f.qualifier)
            if not names.get(f.initiative_id):  # no initiative to name: the words that follow it say what it is
                label = " ".join([label, words_after(f.sentence, f.quote)]).strip()
            rows.append(_timeline_row(str(f.target_year), "year", "target", f.initiative_id, names, label, f)
                        | {"what": "figure"})
    for d in dated.itertuples():
        kind = "target" if d.what == "target" else "event"
        if d.what == "dateline":  # an article's date says what happened only through its title
            label = names.get(d.initiative_id) or titles.get(d.doc_id) or ""
        else:
            label = names.get(d.initiative_id) or short_excerpt(d.sentence)
        row = _timeline_row(d.iso, d.precision, kind, d.initiative_id, names, label, d) | {"what": d.what}
        row["_rank"] = 0 if d.initiative_id else 1 if d.what != "dateline" else 2
        rows.append(row)
    table = pd.DataFrame(rows, columns=[*TIMELINE_TABLE, "_rank"])
    table["_rank"] = table["_rank"].fillna(-1)  # target figures say most
    table = table[_says_most(table)] if len(table) else table
    table = table.drop(columns="_rank").drop_duplicates(["date", "kind", "initiative_id", "label", "doc_id"])
    table = table.sort_values(["date", "kind", "doc_id", "start"], kind="stable").reset_index(drop=True)
    table["year"] = table["year"].astype(str)
    return table


def words_after(sentence: object, quote: object, n_words: int = 5) -> str:
    """The words after ``quote`` in ``sentence`` up to the next comma or full stop, at most ``n_words``.

    >>> words_after("تستهدف 500 ألف منصب شغل في القطاع الصناعي، وذلك", "500 ألف منصب شغل")
    'في القطاع الصناعي'
    """
    sentence, quote = str(sentence or ""), str(quote or "")
    at = sentence.find(quote) if quote else -1
    if at < 0:
        return ""
    rest = re.split(r"[،,؛;.:!؟?()«»]", sentence[at + len(quote):], maxsplit=1)[0].split()
    return " ".join(rest[:n_words]) + ("\u2026" if len(rest) > n_words else "")


def _says_most(table: pd.DataFrame) -> pd.Series:
    """Keep a timeline row unless its document has a row for the same date (and kind) that says more.

    An event or target date is compared with the rows of its kind, a dateline (rank 2) with any row;
    a lower ``_rank`` says more, and target figures (rank -1) are always kept.
    """
    same_date = table.groupby(["doc_id", "date"], dropna=False, sort=False)["_rank"].transform("min")
    same_kind = table.groupby(["doc_id", "date", "kind"], dropna=False, sort=False)["_rank"].transform("min")
    best_other = same_kind.where(table["_rank"] < 2, same_date)
    return (table["_rank"] < 0) | ~(best_other < table["_rank"])


def _timeline_row(iso: str, precision: str, kind: str, initiative_id: str, names: dict, label: str, source) -> dict:
    return {
        "date": iso, "year": iso[:4], "precision": precision, "kind": kind, "initiative_id": initiative_id,
        "initiative": names.get(initiative_id, ""), "label": label, "doc_id": source.doc_id,
        "quote": source.quote, "start": int(source.start), "end": int(source.end),
    }


def build_tables(extracted: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """All analyst tables from the extraction tables (keys documents, figures, dates, entities, initiatives).

    Returns keys ``table_initiatives``, ``table_actors``, ``table_key_figures``, ``table_timeline`` and
    ``table_conflicts``, which are also the CSV file stems under ``build/data``.
    """
    documents = extracted.get("documents")
    initiatives = _frame(extracted.get("initiatives"), "initiatives")
    figures = _frame(extracted.get("figures"), "figures")
    dates = _frame(extracted.get("dates"), "dates")
    entities = _frame(extracted.get("entities"), "entities")
    flagged = conflicting_figures(figures, initiatives)  # three tables show the conflicts: found once
    return {
        "table_initiatives": initiatives_table(initiatives, figures, dates, entities, documents, flagged=flagged),
        "table_actors": actors_table(entities, initiatives, documents),
        "table_key_figures": key_figures_table(figures, initiatives, flagged=flagged),
        "table_timeline": timeline_table(dates, figures, initiatives, documents),
        "table_conflicts": value_conflicts(figures, initiatives, flagged=flagged),
    }
