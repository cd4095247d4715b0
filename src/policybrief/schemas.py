"""One registry of every table's columns: name, dtype, meaning. ``validate`` guards each stage boundary."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "string", "int", "float", "bool"
    meaning: str


class SchemaError(ValueError):
    """A table does not have the columns its schema names."""


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*c) for c in spec)


DOCUMENTS = _cols(
    ("doc_id", "string", "stable id: the file stem"),
    ("file", "string", "file name inside the seeds folder"),
    ("text", "string", "decoded text, Unicode NFC, original characters kept; offsets point here"),
    ("title", "string", "headline: sources.csv, else the first line when it reads as a headline, else empty"),
    ("place", "string", "dateline place (e.g. الرباط) or empty"),
    ("published", "string", "publication date as ISO YYYY-MM-DD, or empty when unknown"),
    ("url", "string", "source URL from sources.csv, or empty"),
    ("outlet", "string", "publishing outlet from sources.csv, or empty"),
    ("n_chars", "int", "number of characters of text"),
    ("sha256", "string", "sha256 of the file bytes"),
    ("encoding", "string", "encoding the file was decoded from"),
    ("format", "string", "txt, md or html"),
)

FIGURES = _cols(
    ("doc_id", "string", "document the figure is stated in"),
    ("value", "float", "fully expanded number: '10.8 مليار دولار' -> 10800000000"),
    ("unit", "string", "ISO 4217 code (MAD, USD, EUR...), percent, count, rank, points or an SI symbol (MW)"),
    ("what", "string", "what is counted or measured, in Arabic as written (e.g. فرصة شغل)"),
    ("quote", "string", "text[start:end] exactly as published"),
    ("start", "int", "character offset of the quote in the document text"),
    ("end", "int", "end offset (exclusive)"),
    ("sentence", "string", "the whole sentence containing the quote"),
    ("qualifier", "string", "approx, more_than, less_than, up_to, top_n (among the top N) or empty"),
    ("is_target", "bool", "the number is a goal for a future year"),
    ("target_year", "string", "year of the goal (YYYY) or empty"),
    ("initiative_id", "string", "initiative the figure is about, or empty"),
    ("bound", "string", "low or high for the two ends of a range, else empty"),
    ("rule", "string", "the pattern that fired"),
    ("measure", "string", "what the number measures, an Arabic noun phrase from its clause (e.g. نمو سوق الذكاء الاصطناعي العالمي سنويا)"),
    ("subject", "string", "initiative, organisation or place the figure is about, named in its clause, or empty"),
    ("time_role", "string", "target (goal or projection for a period not over), reported (current or achieved) or historical (an earlier value)"),
    ("year", "string", "year the figure refers to (YYYY, or YYYY/YYYY for a fiscal year), or empty"),
    ("confidence", "float", "0-1: how sure the extraction is (clear unit, resolved currency, measure and subject found)"),
)

DATES = _cols(
    ("doc_id", "string", "document"),
    ("iso", "string", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("precision", "string", "year, month or day"),
    ("quote", "string", "text[start:end]"),
    ("start", "int", "character offset"),
    ("end", "int", "end offset (exclusive)"),
    ("what", "string", "event, target, dateline or relative"),
    ("sentence", "string", "the sentence containing the date"),
    ("rule", "string", "the pattern that fired"),
    ("initiative_id", "string", "initiative the date is about (same clause or sentence), or empty"),
)

ENTITIES = _cols(
    ("doc_id", "string", "document"),
    ("kind", "string", "organization, person, initiative or place"),
    ("text", "string", "surface form: text[start:end]"),
    ("canonical", "string", "grouping key shared by surface forms of one thing"),
    ("role", "string", "a person's stated title, else empty"),
    ("start", "int", "character offset"),
    ("end", "int", "end offset (exclusive)"),
    ("rule", "string", "the pattern that fired"),
    ("name", "string", "citation form: text, with ال restored after a contracted لل (للوكالة -> الوكالة)"),
    ("head", "string", "head noun that introduced the name (e.g. خارطة طريق), else empty"),
)

INITIATIVES = _cols(
    ("initiative_id", "string", "stable id derived from the canonical name"),
    ("name", "string", "display name (most frequent surface form)"),
    ("kind", "string", "strategy, programme, institution, centre, partnership, lab, event, fund, law, other"),
    ("aliases", "string", "other surface forms, |-separated"),
    ("organizations", "string", "organisations linked to it, |-separated"),
    ("first_date", "string", "earliest ISO date linked to it, or empty"),
    ("doc_ids", "string", "documents mentioning it, |-separated"),
    ("n_mentions", "int", "number of mentions across documents"),
    ("lead", "string", "organisations the text names as leading it (تحت رعاية، بمبادرة من …), |-separated"),
    ("partners", "string", "organisations the text names as partners (بشراكة مع، بين … و…), |-separated"),
    ("place", "string", "most specific place named with it (city or region before country), or empty"),
    ("latest_date", "string", "latest ISO date linked to it, or empty"),
)

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "documents": DOCUMENTS,
    "figures": FIGURES,
    "dates": DATES,
    "entities": ENTITIES,
    "initiatives": INITIATIVES,
}

_PANDAS_DTYPES = {"string": object, "int": "int64", "float": "float64", "bool": "bool"}


def column_names(schema: str) -> list[str]:
    """The ordered column names of a registered schema.

    >>> column_names("entities")[:3]
    ['doc_id', 'kind', 'text']
    """
    return [c.name for c in SCHEMAS[schema]]


def empty_frame(schema: str) -> pd.DataFrame:
    """A table with no rows but the schema's columns and dtypes."""
    return pd.DataFrame(
        {c.name: pd.Series([], dtype=_PANDAS_DTYPES[c.dtype]) for c in SCHEMAS[schema]}
    )


def validate(df: pd.DataFrame, schema: str, allow_extra: bool = False) -> pd.DataFrame:
    """Check ``df`` has exactly the schema's columns (in order) and return it; raise SchemaError otherwise."""
    expected = column_names(schema)
    actual = list(df.columns)
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    if missing or (extra and not allow_extra):
        raise SchemaError(f"table '{schema}': missing columns {missing}, unexpected columns {extra}")
    if actual[: len(expected)] == expected:
        return df if allow_extra or not extra else df[expected]
    return df[expected + extra] if allow_extra else df[expected]
