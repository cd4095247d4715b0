"""One registry of every table the project writes or reads: its file, key, and each column's dtype,
unit, whether it may be empty, and meaning.

``store.write_table`` / ``store.read_table`` check a table against its entry at every stage boundary;
``docs/data-model.md`` lists the same entries (``data_model_markdown``; a test keeps them in step).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DTYPES = ("string", "int", "float", "bool")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # one of DTYPES
    meaning: str
    unit: str = ""  # for numbers: what one unit of the value is ("characters", "documents"...)
    nullable: bool = False  # may be empty ("" for strings); numbers and flags are never empty


@dataclass(frozen=True)
class Table:
    name: str
    file: str  # file name inside its folder
    folder: str  # "data" (build/data), "figures", "report", or "input" (the article folder, read by corpus.py)
    key: tuple[str, ...]  # columns that identify a row (empty: rows are events, no natural key)
    columns: tuple[Column, ...]
    meaning: str

    @property
    def format(self) -> str:
        """``csv`` or ``parquet``, from the file name."""
        return self.file.rsplit(".", 1)[1]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


class SchemaError(ValueError):
    """A table does not match its registry entry; the message names the table and the column."""


def _col(name: str, dtype: str, meaning: str, unit: str = "", nullable: bool = False) -> Column:
    assert dtype in DTYPES, dtype
    return Column(name, dtype, meaning, unit, nullable)


def _optional(name: str, meaning: str) -> Column:
    return _col(name, "string", meaning, nullable=True)


# Input --------------------------------------------------------------------------------------------------

# Read by corpus.read_catalogue, not by store: it is the user's file, read leniently (a bad line is a warning).
SOURCES = Table("sources", "sources.csv", "input", ("file",), (
    _col("file", "string", "article file name in the same folder"),
    _optional("url", "where the article was published"),
    _optional("outlet", "publishing outlet"),
    _optional("published", "publication date YYYY-MM-DD (overrides the dateline)"),
    _optional("title", "headline"),
), "optional catalogue of the articles, beside them in the input folder")

# Extraction tables --------------------------------------------------------------------------------------

DOCUMENTS = Table("documents", "documents.parquet", "data", ("doc_id",), (
    _col("doc_id", "string", "stable id: the file stem"),
    _col("file", "string", "file name inside the seeds folder"),
    _col("text", "string", "decoded text, Unicode NFC, original characters kept; offsets point here"),
    _optional("title", "headline: sources.csv, else the first line when it reads as a headline, else empty"),
    _optional("place", "dateline place (e.g. الرباط) or empty"),
    _optional("published", "publication date as ISO YYYY-MM-DD, or empty when unknown"),
    _optional("url", "source URL from sources.csv, or empty"),
    _optional("outlet", "publishing outlet from sources.csv, or empty"),
    _col("n_chars", "int", "number of characters of text", unit="characters"),
    _col("sha256", "string", "sha256 of the file bytes"),
    _col("encoding", "string", "encoding the file was decoded from"),
    _col("format", "string", "txt, md or html"),
), "one row per article read, with its full text (Parquet: the text keeps its exact characters)")

FIGURES = Table("figures", "figures.csv", "data", ("doc_id", "start", "end", "bound"), (
    _col("doc_id", "string", "document the figure is stated in"),
    _col("value", "float", "fully expanded number: '10.8 مليار دولار' -> 10800000000", unit="the unit column"),
    _col("unit", "string", "ISO 4217 code (MAD, USD, EUR...), percent, count, rank, points or an SI symbol (MW)"),
    _optional("what", "what is counted or measured, in Arabic as written (e.g. فرصة شغل)"),
    _col("quote", "string", "text[start:end] exactly as published"),
    _col("start", "int", "character offset of the quote in the document text", unit="characters"),
    _col("end", "int", "end offset (exclusive)", unit="characters"),
    _col("sentence", "string", "the sentence containing the quote, cut to ~600 characters around it (… marks a cut)"),
    _optional("qualifier", "approx, more_than, less_than, up_to, top_n (among the top N) or empty"),
    _col("is_target", "bool", "the number is a goal for a future year"),
    _optional("target_year", "year of the goal (YYYY) or empty"),
    _optional("initiative_id", "initiative the figure is about, or empty"),
    _optional("bound", "low or high for the two ends of a range, else empty"),
    _col("rule", "string", "the pattern that fired"),
    _optional("measure", "what the number measures, an Arabic noun phrase from its clause (e.g. نمو سوق الذكاء الاصطناعي العالمي سنويا)"),
    _optional("subject", "initiative, organisation or place the figure is about, named in its clause, or empty"),
    _optional("time_role", "target (goal or projection for a period not over), reported (current or achieved) or historical (an earlier value)"),
    _optional("year", "year the figure refers to (YYYY, or YYYY/YYYY for a fiscal year), or empty"),
    _col("confidence", "float", "0-1: how sure the extraction is (clear unit, resolved currency, measure and subject found)"),
    _col("sentence_start", "int", "character offset of the whole sentence (text[sentence_start:sentence_end])", unit="characters"),
    _col("sentence_end", "int", "end offset of the whole sentence (exclusive)", unit="characters"),
    _col("id", "string", "stable row id (ids.py): fig- and 10 hex digits of doc_id, offsets and bound; the same while the article is unchanged"),
), "one row per number stated in an article, with its quote and the rule that found it")

DATES = Table("dates", "dates.csv", "data", ("doc_id", "start", "end"), (
    _col("doc_id", "string", "document"),
    _col("iso", "string", "YYYY, YYYY-MM or YYYY-MM-DD"),
    _col("precision", "string", "year, month or day"),
    _col("quote", "string", "text[start:end]"),
    _col("start", "int", "character offset", unit="characters"),
    _col("end", "int", "end offset (exclusive)", unit="characters"),
    _col("what", "string", "event, target, dateline or relative"),
    _col("sentence", "string", "the sentence containing the date, cut to ~600 characters around it (… marks a cut)"),
    _col("rule", "string", "the pattern that fired"),
    _optional("initiative_id", "initiative the date is about (same clause or sentence), or empty"),
    _col("sentence_start", "int", "character offset of the whole sentence (text[sentence_start:sentence_end])", unit="characters"),
    _col("sentence_end", "int", "end offset of the whole sentence (exclusive)", unit="characters"),
    _col("id", "string", "stable row id (ids.py): date- and 10 hex digits of doc_id, offsets and iso"),
), "one row per date stated in an article")

ENTITIES = Table("entities", "entities.csv", "data", ("doc_id", "start", "end", "kind"), (
    _col("doc_id", "string", "document"),
    _col("kind", "string", "organization, person, initiative or place"),
    _col("text", "string", "surface form: text[start:end]"),
    _col("canonical", "string", "grouping key shared by surface forms of one thing"),
    _optional("role", "a person's stated title, else empty"),
    _col("start", "int", "character offset", unit="characters"),
    _col("end", "int", "end offset (exclusive)", unit="characters"),
    _col("rule", "string", "the pattern that fired"),
    _col("name", "string", "citation form: text, with ال restored after a contracted لل (للوكالة -> الوكالة)"),
    _optional("head", "head noun that introduced the name (e.g. خارطة طريق), else empty"),
    _optional("organization", "for a person, the organisation named in their role (the one they lead or work for), else empty"),
    _optional("aliases", "other surface forms of the same entity (same kind and canonical) in the document, |-separated"),
    _col("confidence", "float", "0-1: how reliable the rule that fired is (data/entities.yml rule_confidence)"),
    _col("id", "string", "stable row id (ids.py): ent- and 10 hex digits of doc_id, offsets and kind"),
), "one row per mention of an organisation, person, initiative or place")

INITIATIVES = Table("initiatives", "initiatives.csv", "data", ("initiative_id",), (
    _col("initiative_id", "string", "stable id derived from the canonical name"),
    _col("name", "string", "display name (most frequent surface form)"),
    _col("kind", "string", "strategy, programme, institution, centre, partnership, lab, event, fund, law, other"),
    _optional("aliases", "other surface forms, |-separated"),
    _optional("organizations", "organisations linked to it, |-separated"),
    _optional("first_date", "earliest ISO date linked to it, or empty"),
    _optional("doc_ids", "documents mentioning it, |-separated"),
    _col("n_mentions", "int", "number of mentions across documents", unit="mentions"),
    _optional("lead", "organisations the text names as leading it (تحت رعاية، بمبادرة من …), |-separated"),
    _optional("partners", "organisations the text names as partners (بشراكة مع، بين … و…), |-separated"),
    _optional("place", "most specific place named with it (city or region before country), or empty"),
    _optional("latest_date", "latest ISO date linked to it, or empty"),
    _col("id", "string", "stable row id: the initiative_id"),
), "one row per initiative (strategy, programme, centre...) across all documents")

# Analyst tables (tables.build_tables) ---------------------------------------------------------------------

TABLE_INITIATIVES = Table("table_initiatives", "table_initiatives.csv", "data", ("initiative_id",), (
    _col("initiative_id", "string", "initiative (initiatives.initiative_id)"),
    _col("name", "string", "display name"),
    _col("kind", "string", "strategy, programme, institution, centre, partnership, lab, event, fund, law, other"),
    _optional("lead_organizations", "organisations leading it, |-separated"),
    _optional("partner_organizations", "partner organisations, |-separated"),
    _optional("first_date", "earliest ISO date linked to it (events and stated dates), or empty"),
    _optional("latest_date", "latest ISO date linked to it, or empty"),
    _optional("place", "place named with it, else the datelines of its documents, |-separated"),
    _optional("figures", "its figures as Arabic press phrases, |-separated"),
    _optional("targets", "its target figures with their year, |-separated"),
    _col("n_sources", "int", "number of documents that mention it", unit="documents"),
    _optional("doc_ids", "those documents, |-separated"),
    _col("has_conflict", "bool", "sources state different values for the same thing"),
), "one row per initiative: who, when, where, its figures and sources")

TABLE_ACTORS = Table("table_actors", "table_actors.csv", "data", ("actor", "kind"), (
    _col("actor", "string", "organisation or person, most frequent citation form"),
    _col("kind", "string", "organization or person"),
    _optional("roles", "stated titles of a person, |-separated"),
    _optional("initiatives", "initiatives it appears with (listed or same sentence), |-separated"),
    _col("n_mentions", "int", "number of mentions", unit="mentions"),
    _col("n_documents", "int", "number of documents naming it", unit="documents"),
    _col("doc_ids", "string", "those documents, |-separated"),
), "one row per organisation or person")

TABLE_KEY_FIGURES = Table("table_key_figures", "table_key_figures.csv", "data", ("doc_id", "start", "end", "bound"), (
    _col("doc_id", "string", "document the figure is stated in"),
    _optional("initiative_id", "initiative the figure is about, or empty"),
    _optional("initiative", "that initiative's name, or empty"),
    _col("value", "float", "fully expanded number", unit="the unit column"),
    _col("unit", "string", "ISO 4217 code, percent, count, rank, points or an SI symbol"),
    _optional("what", "what is counted or measured, as written"),
    _col("value_text", "string", "the value as Arabic press text (e.g. 1,2 مليار درهم)"),
    _optional("qualifier", "approx, more_than, less_than, up_to or empty"),
    _optional("bound", "low or high for the two ends of a range, else empty"),
    _col("is_target", "bool", "the number is a goal for a future year"),
    _optional("target_year", "year of the goal (YYYY) or empty"),
    _col("conflict", "bool", "another source states a different value for the same thing"),
    _col("quote", "string", "text[start:end] exactly as published"),
    _col("sentence", "string", "the sentence containing the quote"),
    _col("start", "int", "character offset of the quote", unit="characters"),
    _col("end", "int", "end offset (exclusive)", unit="characters"),
    _optional("measure", "what the number measures (from figures)"),
    _optional("subject", "what the figure is about (from figures)"),
    _optional("time_role", "target, reported or historical (from figures)"),
    _optional("year", "year the figure refers to (from figures)"),
    _col("confidence", "float", "0-1: how sure the extraction is (from figures)"),
    _col("id", "string", "the figure's stable row id (figures.id)"),
    _optional("review", "reviewer's mark from review.csv: accepted, fixed or empty (unreviewed)"),
    _optional("review_note", "what the reviewer changed (field: before → after (note)), or empty"),
), "every figure with its initiative, press text, target and conflict flags and source quote")

TABLE_TIMELINE = Table("table_timeline", "table_timeline.csv", "data", ("date", "kind", "initiative_id", "label", "doc_id"), (
    _col("date", "string", "YYYY, YYYY-MM or YYYY-MM-DD"),
    _col("year", "string", "YYYY"),
    _col("precision", "string", "year, month or day"),
    _col("kind", "string", "event or target"),
    _optional("initiative_id", "initiative the date is about, or empty"),
    _optional("initiative", "that initiative's name, or empty"),
    _optional("label", "what happens: initiative, target figure, headline or sentence excerpt (empty: an untitled article's date)"),
    _col("doc_id", "string", "document stating it"),
    _col("quote", "string", "text[start:end]"),
    _col("start", "int", "character offset of the quote", unit="characters"),
    _col("end", "int", "end offset (exclusive)", unit="characters"),
    _optional("what", "the date's role (event, target, dateline...; figure for a target figure's year)"),
), "dated events and target years, one row each, with the source quote")

TABLE_CONFLICTS = Table("table_conflicts", "table_conflicts.csv", "data", ("initiative_id", "unit"), (
    _col("initiative_id", "string", "initiative the sources disagree about"),
    _col("initiative", "string", "its name"),
    _col("unit", "string", "unit of the disagreeing values"),
    _optional("target_year", "target years stated, |-separated"),
    _col("values", "string", "each value as press text with its year and [document], |-separated"),
    _col("doc_ids", "string", "documents involved, |-separated"),
    _col("quotes", "string", "their quotes, |-separated"),
), "one row per (initiative, unit) where documents state different values")

# Review (review_step.run_review_step, notebook 03) --------------------------------------------------------

TABLE_LEDGER = Table("table_ledger", "table_ledger.csv", "data", ("group", "id"), (
    _col("group", "string", "disagreement group: L1, L2…"),
    _col("reason", "string", "syndicated, rounded, scope, update or unknown (contradictions.likely_reason)"),
    _optional("reason_text", "the reason as the brief writes it"),
    _col("id", "string", "the figure's stable row id"),
    _col("doc_id", "string", "document the figure is stated in"),
    _col("story", "string", "syndicated story of the document (its earliest copy's doc_id)"),
    _optional("published", "publication date of the document, or empty"),
    _optional("outlet", "outlet of the document, or empty"),
    _optional("initiative_id", "initiative the figure is about, or empty"),
    _optional("initiative", "that initiative's name, or empty"),
    _col("value", "float", "fully expanded number", unit="the unit column"),
    _col("unit", "string", "ISO 4217 code, percent, count, rank, points or an SI symbol"),
    _optional("what", "what is counted or measured, as written"),
    _optional("target_year", "year of the goal (YYYY) or empty"),
    _col("value_text", "string", "the value as Arabic press text"),
    _col("quote", "string", "text[start:end] exactly as published"),
    _col("sentence", "string", "the sentence containing the quote"),
    _col("start", "int", "character offset of the quote", unit="characters"),
    _col("end", "int", "end offset (exclusive)", unit="characters"),
), "one row per figure that disagrees with another about the same thing, grouped, with the likely reason")

TABLE_PROMISES = Table("table_promises", "table_promises.csv", "data", ("initiative_id",), (
    _col("initiative_id", "string", "initiative"),
    _col("initiative", "string", "its name"),
    _col("status", "string", "announced, signed, funded, launched, operational or unknown (data/status.yml)"),
    _col("status_text", "string", "the status in Arabic"),
    _optional("since", "earliest date the status was stated (ISO), or empty"),
    _optional("evidence_word", "the status word as written in the evidence sentence"),
    _optional("doc_id", "document of the evidence sentence"),
    _col("start", "int", "offset of the evidence sentence (0 when none)", unit="characters"),
    _col("end", "int", "end offset of the evidence sentence", unit="characters"),
    _optional("sentence", "the evidence sentence"),
    _optional("targets", "its target figures as press text with their years, |-separated"),
    _optional("target_year", "last target year (YYYY), or empty"),
    _optional("flag", "past_due (target year before the data date, not operational), no_target, or empty"),
    _optional("flag_text", "the flag in Arabic"),
), "one row per initiative: how far it got, since when, its targets and a flag")

TABLE_STORIES = Table("table_stories", "table_stories.csv", "data", ("doc_id",), (
    _col("doc_id", "string", "document"),
    _col("story", "string", "syndicated story: the doc_id of its earliest copy"),
    _col("n_copies", "int", "articles in the story", unit="articles"),
    _col("similarity", "float", "best Simhash similarity to another copy (0 when alone)", unit="share of 64 bits"),
), "one row per article with the syndicated story it belongs to (near-duplicates by Simhash)")

REVIEW_LOG = Table("review_log", "review_log.csv", "data", ("line",), (
    _col("line", "int", "line of review.csv", unit="lines"),
    _optional("id", "row id the line names"),
    _optional("action", "accept, reject, fix or merge"),
    _optional("field", "field a fix sets"),
    _optional("value", "value of a fix, or the target id of a merge"),
    _optional("note", "the reviewer's note"),
    _optional("table", "table of the row, or empty when the id is unknown"),
    _col("status", "string", "applied or problem"),
    _col("message", "string", "what was done, or why the line could not apply"),
), "one row per line of the analyst's review.csv and what became of it")

CHANGES = Table("changes", "changes.csv", "report", (), (
    _col("table", "string", "documents, figures, dates, entities or initiatives"),
    _col("id", "string", "row id (doc_id for documents)"),
    _col("change", "string", "added, removed or changed"),
    _optional("field", "changed column, or the column naming an added or removed row"),
    _optional("before", "value in the build before, as text"),
    _optional("after", "value in this build, as text"),
), "what changed in the tables since the build before (changes.record_changes)")

# Charts (charts.save_charts) --------------------------------------------------------------------------------

CHART_INDEX = Table("chart_index", "index.csv", "figures", ("file",), (
    _col("file", "string", "PNG file name in figures/ (an SVG of the same stem beside it)"),
    _col("title", "string", "chart title"),
    _col("alt_text", "string", "text alternative read by screen readers"),
    _optional("labels", "labels drawn on the chart (checked by OCR), |-separated"),
    _optional("source_note", "source line under the chart"),
    _col("function", "string", "the function that drew it (policybrief.charts.…)"),
    _col("has_data", "bool", "the chart shows data (False: a 'no data' panel)"),
    _col("width_in", "float", "drawn width (the brief scales the image to it)", unit="inches"),
    _optional("sentence", "what the brief says instead when the chart has fewer than 3 items"),
    _optional("sentence_items", "that sentence's figures as JSON (text, doc_id, start, end) for their notes"),
), "one row per chart of the brief")

# Framing and checks (notebook 04) ---------------------------------------------------------------------------

DOCUMENT_PROFILE = Table("document_profile", "document_profile.csv", "data", ("doc_id",), (
    _col("doc_id", "string", "document"),
    _optional("country", "country code the article is about (data/countries.yml), or empty"),
    _optional("themes", "themes found in it (data/themes.yml), most frequent first, |-separated"),
    _optional("first_words", "its first words (the source's title when it has none)"),
), "per article: country, themes and first words (policybrief.framing)")

LABEL_CHECK = Table("label_check", "label_check.csv", "data", ("chart",), (
    _col("chart", "string", "chart file stem"),
    _col("n_labels", "int", "labels drawn", unit="labels"),
    _col("n_read", "int", "labels read back by OCR", unit="labels"),
    _col("n_unclear", "int", "labels OCR could not judge", unit="labels"),
    _col("ok", "bool", "nothing suspected"),
    _optional("problems", "suspected labels (reversed or unjoined), |-separated"),
    _optional("unclear", "labels OCR could not judge, |-separated"),
    _optional("note", "why only the static guard ran, when so"),
), "the chart-label check of notebook 04 (policybrief.ocr.check_charts), read into the manifest")

TABLES: dict[str, Table] = {t.name: t for t in (
    SOURCES, DOCUMENTS, FIGURES, DATES, ENTITIES, INITIATIVES,
    TABLE_INITIATIVES, TABLE_ACTORS, TABLE_KEY_FIGURES, TABLE_TIMELINE, TABLE_CONFLICTS,
    TABLE_LEDGER, TABLE_PROMISES, TABLE_STORIES, REVIEW_LOG, CHANGES,
    CHART_INDEX, DOCUMENT_PROFILE, LABEL_CHECK,
)}
EXTRACTED = ("documents", "figures", "dates", "entities", "initiatives")
ANALYST = ("table_initiatives", "table_actors", "table_key_figures", "table_timeline", "table_conflicts")
REVIEWED = ("table_ledger", "table_promises", "table_stories", "review_log")  # the review step's tables
# The columns of each table, by name (kept for callers that only need the columns).
SCHEMAS: dict[str, tuple[Column, ...]] = {name: table.columns for name, table in TABLES.items()}

_PANDAS_DTYPES = {"string": object, "int": "int64", "float": "float64", "bool": "bool"}


def column_names(table: str) -> list[str]:
    """The ordered column names of a registered table.

    >>> column_names("entities")[:3]
    ['doc_id', 'kind', 'text']
    """
    return [c.name for c in TABLES[table].columns]


def empty_frame(table: str) -> pd.DataFrame:
    """A table with no rows but the registry's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series([], dtype=_PANDAS_DTYPES[c.dtype]) for c in TABLES[table].columns})


def _dtype_problem(series: pd.Series, column: Column) -> str | None:
    """Why ``series`` does not hold ``column``'s dtype, or None when it does."""
    dtype = series.dtype
    if column.dtype == "int":
        ok = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    elif column.dtype == "float":
        ok = pd.api.types.is_float_dtype(dtype)
    elif column.dtype == "bool":
        ok = pd.api.types.is_bool_dtype(dtype)
    else:
        ok = (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype))
        if ok:
            bad = [v for v in series.tolist() if not isinstance(v, str)]
            if bad:
                return f"holds {type(bad[0]).__name__} {bad[0]!r} where text is expected"
            if not column.nullable and len(series) and (series == "").any():
                return "is empty in some rows but may not be"
    return None if ok else f"has dtype {dtype}, expected {column.dtype}"


# Columns computed from the others when a table arrives without them: the stable row id (ids.py) and the
# reviewer's marks, empty until review.csv is applied (review.py).
ROW_ID_TABLES = {"figures": "figures", "dates": "dates", "entities": "entities", "initiatives": "initiatives",
                 "table_key_figures": "figures"}
REVIEW_MARKS = ("review", "review_note")


def with_derived_columns(df: pd.DataFrame, table: str, expected: list[str] | None = None) -> pd.DataFrame:
    """``df`` with the derived columns of ``table`` it lacks (or holds no value in): the row id, empty review marks."""
    expected = column_names(table) if expected is None else expected

    def lacks(column: str, empty_text_too: bool = False) -> bool:
        if column not in expected:
            return False
        if column not in df.columns:
            return True
        missing = df[column].isna() | (df[column] == "") if empty_text_too else df[column].isna()
        return len(df) > 0 and bool(missing.all())

    source = ROW_ID_TABLES.get(table)
    needed = {"initiative_id"} if source == "initiatives" else {"doc_id", "start", "end"}
    if source and lacks("id", empty_text_too=True) and needed <= set(df.columns):
        from .ids import with_ids

        df = with_ids(df, source)
    missing_marks = [c for c in REVIEW_MARKS if lacks(c)]
    if not missing_marks:
        return df
    return df.assign(**{c: pd.Series([""] * len(df), index=df.index, dtype=object) for c in missing_marks})


def validate(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` with exactly the registry's columns, in its order, each of its dtype; SchemaError otherwise.

    An empty table takes the registry's dtypes (pandas cannot infer them from no rows).
    """
    expected = column_names(table)
    df = with_derived_columns(df, table, expected)
    actual = [str(c) for c in df.columns]
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    if missing:
        raise SchemaError(f"table '{table}': missing column '{missing[0]}'" + (f" (and {missing[1:]})" if missing[1:] else ""))
    if extra:
        raise SchemaError(f"table '{table}': unexpected column '{extra[0]}'" + (f" (and {extra[1:]})" if extra[1:] else ""))
    if actual != expected:
        df = df[expected]
    if df.empty:
        return empty_frame(table)
    for column in TABLES[table].columns:
        problem = _dtype_problem(df[column.name], column)
        if problem:
            raise SchemaError(f"table '{table}': column '{column.name}' {problem}")
    return df


GENERATED_MARKER = "<!-- generated from policybrief/schemas.py: python -m policybrief.schemas docs/data-model.md -->"


def data_model_markdown() -> str:
    """The column reference of ``docs/data-model.md``: one section per registered table."""
    lines = [GENERATED_MARKER, "## Columns", ""]
    for table in TABLES.values():
        folder = {"figures": "figures", "input": "the article folder", "data": "build/data", "report": "report"}[table.folder]
        key = ", ".join(f"`{k}`" for k in table.key) or "none"
        lines += [f"### `{table.file}` ({table.name})", "",
                  f"{table.meaning}. In {folder if table.folder == 'input' else f'`{folder}/`'}; key: {key}.", "",
                  "| column | type | unit | may be empty | meaning |", "|---|---|---|---|---|"]
        for c in table.columns:
            meaning = c.meaning.replace("|", "\\|")
            lines.append(f"| `{c.name}` | {c.dtype} | {c.unit} | {'yes' if c.nullable else ''} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def update_data_model(path: str) -> None:
    """Rewrite the generated part of the data-model page (everything from the marker on)."""
    from pathlib import Path

    page = Path(path).read_text(encoding="utf-8")
    head = page.split(GENERATED_MARKER, 1)[0]
    Path(path).write_text(head + data_model_markdown(), encoding="utf-8")


if __name__ == "__main__":
    import sys

    update_data_model(sys.argv[1])
