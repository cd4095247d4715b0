"""Exploration helpers over the extraction tables: filter figures, list mentions, trace a number to its sources.

Pure functions: DataFrames in, DataFrames out (shown with ``policybrief.display``). They work on any
corpus: nothing here knows a particular article, initiative or outlet.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .display import OneLineError
from .segment import sentence_at, sentence_spans
from .tables import split_cell
from .textnorm import name_key

SOURCE_COLUMNS = (
    "doc_id", "title", "outlet", "published", "url", "value", "unit", "what",
    "quote", "start", "end", "sentence", "sentence_start", "verified",
)
MENTION_COLUMNS = ("doc_id", "title", "initiative_id", "kind", "quote", "start", "end", "sentence", "sentence_start")
DOCUMENT_META = ("title", "outlet", "published", "url")


class ExploreError(OneLineError, KeyError):
    """A helper was asked for something the tables do not hold; one line says what and what exists."""


def _require(df: Any, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """``df`` itself when it is a DataFrame with ``columns``; otherwise an ExploreError naming the problem."""
    if not isinstance(df, pd.DataFrame):
        raise ExploreError(f"{name} must be the {name} table (a pandas DataFrame), not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ExploreError(f"{name} has no column {missing[0]!r}: is it the {name} table?")
    return df


def _labels_hint(index: pd.Index) -> str:
    """A short description of the row labels an analyst can use.

    >>> _labels_hint(pd.Index([2, 7])), _labels_hint(pd.RangeIndex(40)), _labels_hint(pd.Index([]))
    ('labels 2, 7', '40 rows, labels 0 … 39', 'no rows')
    """
    if len(index) == 0:
        return "no rows"
    if len(index) <= 5:
        return "labels " + ", ".join(map(str, index))
    return f"{len(index)} rows, labels {index[0]} … {index[-1]}"


def _wanted(value: Any) -> set[str] | None:
    """A filter argument as a set of strings: None means no filter, a scalar or an iterable selects.

    >>> sorted(_wanted(2030)), _wanted(None), sorted(_wanted(["MAD", "USD"]))
    (['2030'], None, ['MAD', 'USD'])
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, int, float)) or not isinstance(value, Iterable):
        value = [value]
    return {str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in value}


def initiative_keys(initiative_id: str, initiatives: pd.DataFrame | None = None) -> set[str]:
    """Every comparison key naming an initiative: its id, and its name and aliases when the table is given."""
    keys = {name_key(initiative_id)}
    if initiatives is not None and len(initiatives):
        rows = initiatives[initiatives["initiative_id"].astype(str) == str(initiative_id)]
        for row in rows.to_dict("records"):
            keys.add(name_key(row.get("name", "")))
            keys.update(name_key(alias) for alias in split_cell(row.get("aliases", "")))
    keys.discard("")
    return keys


def resolve_initiative(query: str, initiatives: pd.DataFrame) -> str:
    """The ``initiative_id`` an analyst means by an id, a name, an alias or a unique part of a name.

    Raises KeyError when nothing or more than one initiative matches a partial name.
    """
    query = str(query)
    ids = initiatives["initiative_id"].astype(str)
    if (ids == query).any():
        return query
    wanted = name_key(query)
    exact, partial = [], []
    for row in initiatives.to_dict("records"):
        names = [row.get("name", "")] + split_cell(row.get("aliases", ""))
        keys = {name_key(n) for n in names} - {""}
        if wanted in keys:
            exact.append(str(row["initiative_id"]))
        elif wanted and any(wanted in k for k in keys):
            partial.append(str(row["initiative_id"]))
    found = sorted(set(exact or partial))
    if not found:
        raise ExploreError(f"no initiative named {query!r}; see initiatives['name'] for the {len(initiatives)} known ones")
    if len(found) > 1:
        raise ExploreError(f"{query!r} matches {len(found)} initiatives ({', '.join(found[:5])}): use one of these ids")
    return found[0]


def initiative_name(initiative_id: str, initiatives: pd.DataFrame | None) -> str:
    """The display name of an initiative (its id when the table does not know it)."""
    if initiatives is not None and len(initiatives):
        names = initiatives.loc[initiatives["initiative_id"].astype(str) == str(initiative_id), "name"]
        if len(names) and str(names.iloc[0]).strip():
            return str(names.iloc[0])
    return str(initiative_id)


def filter_figures(
    figures: pd.DataFrame,
    initiative: Any = None,
    unit: Any = None,
    doc_id: Any = None,
    target_year: Any = None,
    initiatives: pd.DataFrame | None = None,
    is_target: bool | None = None,
    kind: Any = None,
) -> pd.DataFrame:
    """The figures matching every given filter (each a value or a list of values); the index is kept.

    ``initiative`` is an ``initiative_id``, or a name / alias when the ``initiatives`` table is passed;
    ``unit`` ignores case (``usd`` finds ``USD``); ``target_year`` may be an int or a string;
    ``is_target`` keeps only goals (True) or only stated facts (False); ``kind`` keeps figures about
    initiatives of that kind (strategy, programme, …; needs ``initiatives``).
    """
    _require(figures, "figures", ("initiative_id", "unit", "doc_id", "target_year", "is_target"))
    keep = pd.Series(True, index=figures.index)
    wanted_initiatives = _wanted(initiative)
    if wanted_initiatives is not None:
        if initiatives is not None:
            wanted_initiatives = {resolve_initiative(q, initiatives) for q in wanted_initiatives}
        keep &= figures["initiative_id"].astype(str).isin(wanted_initiatives)
    wanted_units = _wanted(unit)
    if wanted_units is not None:
        keep &= figures["unit"].astype(str).str.casefold().isin({u.casefold() for u in wanted_units})
    wanted_docs = _wanted(doc_id)
    if wanted_docs is not None:
        keep &= figures["doc_id"].astype(str).isin(wanted_docs)
    wanted_years = _wanted(target_year)
    if wanted_years is not None:
        keep &= figures["target_year"].astype(str).isin(wanted_years)
    if is_target is not None:
        keep &= figures["is_target"].astype(bool) == bool(is_target)
    wanted_kinds = _wanted(kind)
    if wanted_kinds is not None:
        if initiatives is None:
            raise ExploreError("filtering by kind needs the initiatives table: pass initiatives=initiatives")
        of_kind = initiatives.loc[initiatives["kind"].astype(str).isin(wanted_kinds), "initiative_id"].astype(str)
        keep &= figures["initiative_id"].astype(str).isin(set(of_kind))
    return figures[keep]


def most_mentioned(initiatives: pd.DataFrame, n: int = 1) -> list[str]:
    """The ids of the ``n`` initiatives with the most mentions (ties: more documents, then id)."""
    if initiatives.empty:
        return []
    ranked = initiatives.assign(
        _docs=initiatives["doc_ids"].map(lambda c: len(split_cell(c))) if "doc_ids" in initiatives else 0
    ).sort_values(["n_mentions", "_docs", "initiative_id"], ascending=[False, False, True], kind="stable")
    return [str(i) for i in ranked["initiative_id"].head(n)]


def top_initiative(initiatives: pd.DataFrame) -> str:
    """The id of the most mentioned initiative, or '' for a corpus without initiatives."""
    top = most_mentioned(initiatives, 1)
    return top[0] if top else ""


def most_common(values: pd.Series) -> str:
    """The most frequent non-empty value as a string (ties: the smallest), or '' when there is none.

    >>> most_common(pd.Series(["MAD", "", "USD", "MAD"])), most_common(pd.Series([], dtype=object))
    ('MAD', '')
    """
    counts = values.astype(str)[values.astype(str).str.strip() != ""].value_counts()
    if counts.empty:
        return ""
    best = counts.max()
    return sorted(counts[counts == best].index)[0]


def most_repeated_figure(figures: pd.DataFrame) -> Any:
    """Index label of the first figure whose value and unit are stated most often, or None."""
    keys = list(zip(figures["unit"].astype(str), figures["value"].astype(float).round(6)))
    if not keys:
        return None
    counts = Counter(keys)
    best = max(counts.values())
    return next(label for label, k in zip(figures.index, keys) if counts[k] == best)


def initiative_overview(initiatives: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """One row per initiative: name, kind, mentions, documents and the number of figures about it."""
    n_figures = figures["initiative_id"].astype(str).value_counts() if len(figures) else pd.Series(dtype="int64")
    overview = pd.DataFrame(
        {
            "initiative_id": initiatives["initiative_id"].astype(str),
            "name": initiatives["name"],
            "kind": initiatives["kind"],
            "n_mentions": initiatives["n_mentions"].astype("int64"),
            "n_documents": initiatives["doc_ids"].map(lambda c: len(split_cell(c))).astype("int64"),
        }
    )
    overview["n_figures"] = overview["initiative_id"].map(n_figures).fillna(0).astype("int64")
    return overview.sort_values(
        ["n_mentions", "n_figures", "initiative_id"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding ``text[start:end]`` (widened when the span crosses a boundary).

    >>> t = "أطلق المغرب برنامجا. وبلغت الكلفة 5 ملايين درهم."
    >>> s, e = sentence_bounds(t, 34, 35); t[s:e]
    'وبلغت الكلفة 5 ملايين درهم.'
    """
    spans = sentence_spans(text)
    first_start, first_end = sentence_at(text, start, spans)
    last_start, last_end = sentence_at(text, max(start, end - 1), spans)
    return min(first_start, last_start, start), max(first_end, last_end, end)


def _documents_by_id(documents: pd.DataFrame) -> dict[str, Mapping[str, Any]]:
    return {str(row["doc_id"]): row for row in documents.to_dict("records")}


def _locate_sentence(text: str, sentence: str, start: int, end: int) -> int:
    """Offset of ``sentence`` in ``text`` such that it covers ``[start, end)``; -1 when not found.

    >>> _locate_sentence("أ 5. ب 5.", "ب 5.", 7, 8)
    5
    """
    if not sentence:
        return -1
    at = text.find(sentence, max(0, end - len(sentence)))
    while 0 <= at <= start:
        if at + len(sentence) >= end:
            return at
        at = text.find(sentence, at + 1)
    return -1


def with_sentence_start(df: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``df`` (rows with doc_id, start, end, sentence) plus ``sentence_start``: where the sentence begins.

    The offset lets a display mark the exact quoted span even when the same words occur twice.
    """
    docs = _documents_by_id(documents)
    starts = []
    for row in df.to_dict("records"):
        text = str(docs.get(str(row["doc_id"]), {}).get("text", ""))
        starts.append(_locate_sentence(text, str(row.get("sentence", "")), int(row["start"]), int(row["end"])))
    return df.assign(sentence_start=pd.Series(starts, index=df.index, dtype="int64"))


def with_sentences(df: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``df`` plus ``sentence`` (when missing, e.g. entities) and ``sentence_start``, for display."""
    if "sentence" not in df.columns:
        docs = _documents_by_id(documents)
        sentences = []
        for row in df.to_dict("records"):
            text = str(docs.get(str(row["doc_id"]), {}).get("text", ""))
            s_start, s_end = sentence_bounds(text, int(row["start"]), int(row["end"])) if text else (0, 0)
            sentences.append(text[s_start:s_end])
        df = df.assign(sentence=pd.Series(sentences, index=df.index, dtype=object))
    return with_sentence_start(df, documents)


def verify_quotes(df: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """For each row, whether ``quote`` is exactly ``text[start:end]`` of its document."""
    docs = _documents_by_id(documents)
    return pd.Series(
        [
            str(docs.get(str(row["doc_id"]), {}).get("text", ""))[int(row["start"]) : int(row["end"])]
            == str(row["quote"])
            for row in df.to_dict("records")
        ],
        index=df.index,
        dtype="bool",
    )


def mentions(
    initiative_id: str,
    entities: pd.DataFrame,
    documents: pd.DataFrame,
    initiatives: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every mention of an initiative in the corpus with its sentence, in document order.

    An entity mentions the initiative when its ``canonical`` key or its surface ``text`` names it
    (its id, or its name / aliases when the ``initiatives`` table is given). Columns: MENTION_COLUMNS.
    """
    _require(entities, "entities", ("doc_id", "text", "start", "end"))
    _require(documents, "documents", ("doc_id", "text"))
    keys = initiative_keys(initiative_id, initiatives)
    docs = _documents_by_id(documents)
    rows = []
    for entity in entities.to_dict("records"):
        if str(entity.get("kind", "")) in ("person", "place"):
            continue
        if name_key(entity.get("canonical", "")) not in keys and name_key(entity["text"]) not in keys:
            continue
        doc = docs.get(str(entity["doc_id"]), {})
        text = str(doc.get("text", ""))
        start, end = int(entity["start"]), int(entity["end"])
        s_start, s_end = sentence_bounds(text, start, end) if text else (start, end)
        rows.append(
            {
                "doc_id": str(entity["doc_id"]),
                "title": str(doc.get("title", "")),
                "initiative_id": str(initiative_id),
                "kind": str(entity.get("kind", "")),
                "quote": str(entity["text"]),
                "start": start,
                "end": end,
                "sentence": text[s_start:s_end] if text else str(entity["text"]),
                "sentence_start": s_start,
            }
        )
    out = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    out[["start", "end", "sentence_start"]] = out[["start", "end", "sentence_start"]].astype("int64")
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _same_number(a: float, b: float) -> bool:
    """Equal values, allowing only floating-point noise.

    >>> _same_number(10.8e9, 10800000000.0000001), _same_number(5.0, 5.5)
    (True, False)
    """
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def sources_of_value(value: float, unit: str, figures: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every place in the corpus that states ``value`` in ``unit``, with document metadata and sentence.

    ``verified`` tells whether the quote is exactly the document text at its offsets. Columns:
    SOURCE_COLUMNS; the index is the figures' index.
    """
    same = figures[
        figures["unit"].astype(str).str.casefold().eq(str(unit).casefold())
        & figures["value"].map(lambda v: _same_number(v, value))
    ]
    return _as_sources(same, documents)


def _as_sources(rows: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    docs = _documents_by_id(documents)
    out = rows.copy()
    for column in DOCUMENT_META:
        out[column] = [str(docs.get(str(d), {}).get(column, "")) for d in out["doc_id"]]
    for column in ("what", "sentence"):
        if column not in out:
            out[column] = ""
    out = with_sentence_start(out, documents)
    out["verified"] = verify_quotes(out, documents)
    return out[list(SOURCE_COLUMNS)].sort_values(["doc_id", "start"], kind="stable")


def sources_of(
    figure: Any, figures: pd.DataFrame, documents: pd.DataFrame, same_number: bool = True
) -> pd.DataFrame:
    """The sources of a number: ``figure`` is an index label of ``figures`` or a figure row.

    With ``same_number`` every figure stating the same value and unit (in any document) is a source;
    otherwise only the figure itself. Columns: SOURCE_COLUMNS. A label the table does not hold is one
    line naming the labels it has.
    """
    _require(figures, "figures", ("doc_id", "value", "unit", "quote", "start", "end"))
    _require(documents, "documents", ("doc_id", "text"))
    if figure is None:
        return _as_sources(figures.iloc[0:0], documents)
    if isinstance(figure, pd.Series):
        row = figure
    elif isinstance(figure, Mapping):
        row = pd.Series(figure)
    else:
        try:
            row = figures.loc[figure]
        except (KeyError, TypeError):
            raise ExploreError(f"no figure with row label {figure!r} in this table ({_labels_hint(figures.index)})") from None
        if isinstance(row, pd.DataFrame):
            raise ExploreError(f"row label {figure!r} is not unique in this table: pass the row itself")
    if same_number:
        return sources_of_value(float(row["value"]), str(row["unit"]), figures, documents)
    one = pd.DataFrame([row.to_dict()], index=[getattr(row, "name", 0)])
    return _as_sources(one, documents)
