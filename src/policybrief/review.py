"""The analyst's review file ``SEEDS_DIR/review.csv``, applied to the extracted tables on every build.

Columns ``id,action,field,value,note``. ``accept`` marks a row as checked, ``reject`` drops it everywhere,
``fix`` sets ``field`` to ``value``, ``merge`` says an entity or initiative is the same thing as the one
whose id is in ``value``. A line that cannot apply (unknown id, action or field, bad value) is reported by
line number and never stops the other lines; ``strict`` makes it fatal. The file is only ever read.
"""
from __future__ import annotations

import csv
import html
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import rules, store
from .corpus import REVIEW_FILE
from .formatting import format_value_ar
from .numerals import parse_number
from .schemas import column_names, empty_frame

TABLES = ("figures", "dates", "entities", "initiatives")
MERGEABLE = ("entities", "initiatives")
LOG_COLUMNS = tuple(column_names("review_log"))
_YEAR = re.compile(r"^(1[89]\d\d|2[01]\d\d)(/(1[89]\d\d|2[01]\d\d))?$")  # a fiscal year: 2024/2025
_ISO = re.compile(r"^(1[89]\d\d|2[01]\d\d)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_UNIT = re.compile(r"^[A-Za-z][A-Za-z0-9/]{0,11}$")


class ReviewError(ValueError):
    """``strict`` review: a line of review.csv could not apply (the message names the file and line)."""


@dataclass(frozen=True)
class ReviewLine:
    line: int
    id: str
    action: str
    field: str = ""
    value: str = ""
    note: str = ""


@dataclass
class ReviewResult:
    """The reviewed tables, one log row per review line, and the problems as one-line messages."""

    tables: dict[str, pd.DataFrame]
    log: pd.DataFrame
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows accepted, fixed, merged and rejected, and the unreviewed rows left in the tables."""
        applied = self.log[self.log["status"] == "applied"]
        rejected = len(applied[applied["action"] == "reject"])
        marks = pd.concat([t["review"] for n, t in self.tables.items() if n in TABLES and "review" in t])
        return {
            "accepted": int((marks == "accepted").sum()), "fixed": int((marks == "fixed").sum()),
            "merged": int((marks == "merged").sum()), "rejected": rejected,
            "unreviewed": int((marks == "").sum()),
        }


def words() -> dict:
    return rules.load("review")


def parse_review(text: str, name: str = REVIEW_FILE) -> tuple[list[ReviewLine], list[str]]:
    """The lines of a review file's text and the problems found reading it (a file-level one stops it).

    Blank lines and lines starting with ``#`` are skipped; column names are matched without case.

    >>> lines, problems = parse_review("id,action,field,value,note\\nfig-1,fix,value,12,\\n\\nfig-2,reject,,,dup")
    >>> [(l.line, l.id, l.action, l.value) for l in lines], problems
    ([(2, 'fig-1', 'fix', '12'), (4, 'fig-2', 'reject', '')], [])
    """
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    # Spreadsheets in some locales save "CSV" with semicolons or tabs.
    delimiter = next((d for d in (";", "\t") if d in first and "," not in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return [], []
    names = [h.strip().lower() for h in header]
    if "id" not in names or "action" not in names:
        return [], [f"{name} line 1: the header must name the columns id,action,field,value,note (found {','.join(header)})"]
    lines = []
    for row in reader:
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        cells = {n: (row[i].strip() if i < len(row) else "") for i, n in enumerate(names)}
        lines.append(ReviewLine(reader.line_num, cells["id"], cells["action"].lower(), cells.get("field", ""),
                                cells.get("value", ""), cells.get("note", "")))
    return lines, []


def read_review(seeds_dir: str | Path) -> tuple[list[ReviewLine], list[str]]:
    """The lines of ``seeds_dir/review.csv`` (none when there is no such file) and any reading problem."""
    path = Path(seeds_dir) / REVIEW_FILE
    if not path.is_file():
        return [], []
    try:
        text = store.read_text(path)
    except UnicodeDecodeError:
        return [], [f"{REVIEW_FILE}: not UTF-8; save it as 'CSV UTF-8' and build again (no review applied)"]
    return parse_review(text)


# Values ----------------------------------------------------------------------------------------------------

def _column_name(field_name: str, table: str, columns: list[str]) -> str | None:
    """The column of ``table`` a field name sets, or None when the field cannot be fixed in that table."""
    rules_ = words()
    if field_name in rules_["protected"]:
        return None
    if field_name in columns:
        return field_name
    target = rules_["aliases"].get(table, {}).get(field_name)
    return target if target in columns and target not in rules_["protected"] else None


def checked_value(column: str, table: str, raw: str, tables: dict[str, pd.DataFrame]) -> object:
    """``raw`` as a value of ``column`` in ``table``; raise ValueError saying why it is not one.

    >>> checked_value("value", "figures", "1,5 مليار", {})
    1500000000.0
    >>> checked_value("target_year", "figures", "٢٠٣٠", {})
    '2030'
    """
    rules_ = words()
    closed = rules_["closed"].get(f"{column}@{table}", rules_["closed"].get(column))
    if column == "value":
        number = parse_number(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
        if number is None or not math.isfinite(number):
            raise ValueError(f"'{raw}' is not a number")
        return number
    if column == "is_target":
        for flag, spellings in rules_["booleans"].items():
            if raw.lower() in [str(s) for s in spellings]:
                return flag in (True, "true")
        raise ValueError(f"'{raw}' is not true or false")
    if column in ("target_year", "year"):
        year = _western_digits(raw)
        if year and not _YEAR.match(year):
            raise ValueError(f"'{raw}' is not a year (YYYY or YYYY/YYYY)")
        return year
    if column == "iso":
        iso = _western_digits(raw)
        if not _ISO.match(iso):
            raise ValueError(f"'{raw}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return iso
    if column == "unit":
        if not _UNIT.match(raw):
            raise ValueError(f"'{raw}' is not a unit code (MAD, USD, percent, count, MW…)")
        return raw
    if column == "initiative_id" and raw:
        initiatives = tables.get("initiatives")
        known = {} if initiatives is None else dict(zip(initiatives["name"], initiatives["initiative_id"]))
        if initiatives is not None and raw in set(initiatives["initiative_id"]):
            return raw
        if raw in known:
            return known[raw]
        raise ValueError(f"'{raw}' is not the id or name of an initiative")
    if closed is not None and raw not in [str(c) for c in closed]:
        raise ValueError(f"'{raw}' is not one of {', '.join(str(c) for c in closed if c)}")
    return raw


def _western_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian digits as 0-9.

    >>> _western_digits("٢٠٣٠")
    '2030'
    """
    return "".join(str(unicodedata.decimal(c, c)) for c in text.strip())


def _shown(value: object) -> str:
    """A cell value as the review note and the log show it (whole floats without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


# Applying ----------------------------------------------------------------------------------------------------

class _Review:
    """The tables being reviewed, with a map from row id to (table, row label)."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.tables = {name: df.copy() for name, df in tables.items()}
        for name in TABLES:
            if name in self.tables:
                df = self.tables[name].reset_index(drop=True)
                for column in ("review", "review_note"):
                    df[column] = df[column].fillna("").astype(object) if column in df else ""
                self.tables[name] = df
        self.where = {rid: (name, i) for name in TABLES if name in self.tables
                      for i, rid in enumerate(self.tables[name]["id"].tolist())}
        self.rejected: dict[str, int] = {}
        self.merged_into: dict[str, str] = {}

    def mark(self, table: str, row: int, mark: str, note: str) -> None:
        df = self.tables[table]
        current = df.at[row, "review"]
        if not (current == "fixed" and mark == "accepted"):  # a fixed row stays fixed when also accepted
            df.at[row, "review"] = mark
        if note:
            before = df.at[row, "review_note"]
            df.at[row, "review_note"] = f"{before}; {note}" if before else note

    def apply(self, line: ReviewLine) -> tuple[str, str]:
        """(table, what was done) for one line; raise ValueError with the reason it cannot apply."""
        if line.action not in words()["actions"]:
            raise ValueError(f"unknown action '{line.action}' (accept, reject, fix or merge)")
        if line.id in self.rejected:
            raise ValueError(f"id {line.id} was rejected on line {self.rejected[line.id]}")
        if line.id in self.merged_into:
            raise ValueError(f"id {line.id} was merged into {self.merged_into[line.id]}")
        if line.id not in self.where:
            raise ValueError(f"no row has the id {line.id} (the article changed or the id is mistyped)")
        table, row = self.where[line.id]
        df = self.tables[table]
        if line.action == "accept":
            self.mark(table, row, "accepted", line.note)
            return table, "accepted"
        if line.action == "reject":
            self.rejected[line.id] = line.line
            return table, "rejected"
        if line.action == "merge":
            return table, self._merge(table, row, line)
        column = _column_name(line.field, table, list(df.columns))
        if column is None:
            raise ValueError(f"field '{line.field}' cannot be fixed in {table}")
        value = checked_value(column, table, line.value, self.tables)
        before = df.at[row, column]
        df.at[row, column] = value
        if column == "iso" and "precision" in df:
            df.at[row, "precision"] = ("year", "month", "day")[value.count("-")]
        if column == "value" and "unit" in df:  # as the press writes it: 143 مليار درهم
            unit, what = df.at[row, "unit"], df.at[row, "what"] if "what" in df else ""
            shown_before, shown_after = format_value_ar(before, unit, what), format_value_ar(value, unit, what)
        else:
            shown_before, shown_after = _shown(before), _shown(value)
        change = f"{line.field}: {shown_before} → {shown_after}"
        self.mark(table, row, "fixed", change + (f" ({line.note})" if line.note else ""))
        return table, change

    def _merge(self, table: str, row: int, line: ReviewLine) -> str:
        if table not in MERGEABLE:
            raise ValueError(f"only entities and initiatives merge; {line.id} is a row of {table}")
        target = self.where.get(line.value)
        if target is None or target[0] != table or line.value in self.rejected or line.value == line.id:
            raise ValueError(f"merge target '{line.value}' is not another {table[:-1]} id")
        df = self.tables[table]
        into = target[1]
        if table == "entities":
            for column in ("canonical", "name"):
                df.at[row, column] = df.at[into, column]
        else:
            _fold_initiative(df, row, into)
            for other in ("figures", "dates"):
                if other in self.tables and "initiative_id" in self.tables[other]:
                    linked = self.tables[other]["initiative_id"] == line.id
                    self.tables[other].loc[linked, "initiative_id"] = line.value
            self.rejected[line.id] = line.line
        self.merged_into[line.id] = line.value
        self.mark(table, into, "merged", f"{line.id} → {line.value}" + (f" ({line.note})" if line.note else ""))
        if table == "entities":
            self.mark(table, row, "merged", f"{line.id} → {line.value}")
        return f"merged into {line.value}"

    def result_tables(self) -> dict[str, pd.DataFrame]:
        out = dict(self.tables)
        dropped = set(self.rejected)
        for name in TABLES:
            if name in out:
                out[name] = out[name][~out[name]["id"].isin(dropped)].reset_index(drop=True)
        # A rejected initiative leaves no link behind.
        if "initiatives" in out:
            gone = dropped - set(out["initiatives"]["id"]) - set(self.merged_into)
            for other in ("figures", "dates"):
                if other in out and "initiative_id" in out[other]:
                    out[other] = out[other].assign(initiative_id=out[other]["initiative_id"].where(
                        ~out[other]["initiative_id"].isin(gone), ""))
        return out


def _fold_initiative(df: pd.DataFrame, row: int, into: int) -> None:
    """Initiative row ``row`` folded into row ``into``: names as aliases, documents, mentions and dates joined."""
    def joined(*cells: object) -> str:
        items = [i for c in cells for i in str(c or "").split("|") if i]
        return "|".join(dict.fromkeys(items))

    df.at[into, "aliases"] = joined(df.at[into, "aliases"], df.at[row, "name"], df.at[row, "aliases"])
    for column in ("organizations", "doc_ids", "lead", "partners"):
        if column in df:
            df.at[into, column] = joined(df.at[into, column], df.at[row, column])
    if "n_mentions" in df:
        df.at[into, "n_mentions"] = int(df.at[into, "n_mentions"]) + int(df.at[row, "n_mentions"])
    for column, pick in (("first_date", min), ("latest_date", max)):
        if column in df:
            dates = [d for d in (df.at[into, column], df.at[row, column]) if d]
            df.at[into, column] = pick(dates) if dates else ""


def problem_text(line: int, action: str, row_id: str, message: str) -> str:
    """A line of review.csv that could not apply, as the build log and the manifest say it.

    >>> problem_text(4, "fix", "fig-1", "'x' is not a number")
    "review.csv line 4: fix fig-1: 'x' is not a number"
    """
    return f"{REVIEW_FILE} line {line}: {action} {row_id}: {message}"


def log_problems(log: pd.DataFrame) -> list[str]:
    """The problems of a review log (``review_log.csv``), one line each."""
    rows = log[log["status"] == "problem"]
    return [problem_text(*row) for row in zip(rows["line"], rows["action"], rows["id"], rows["message"])]


def apply_review(tables: dict[str, pd.DataFrame], lines: list[ReviewLine], strict: bool = False,
                 problems: list[str] | None = None) -> ReviewResult:
    """The tables with every applicable review line applied, in file order, and a log of each line.

    ``problems`` are reading problems already found; with ``strict`` any problem raises ``ReviewError``.
    """
    review = _Review(tables)
    problems = list(problems or [])
    log = []
    for line in lines:
        try:
            table, done = review.apply(line)
            status, message = "applied", done
        except ValueError as error:
            table, status, message = review.where.get(line.id, ("", 0))[0], "problem", str(error)
            problems.append(problem_text(line.line, line.action, line.id, message))
        log.append({"line": line.line, "id": line.id, "action": line.action, "field": line.field,
                    "value": line.value, "note": line.note, "table": table, "status": status, "message": message})
    if strict and problems:
        raise ReviewError("; ".join(problems))
    log_table = pd.DataFrame(log, columns=list(LOG_COLUMNS)).astype({"line": "int64"}) if log else empty_frame("review_log")
    return ReviewResult(review.result_tables(), log_table, problems)


def review_tables(tables: dict[str, pd.DataFrame], seeds_dir: str | Path, strict: bool = False) -> ReviewResult:
    """``apply_review`` of ``seeds_dir/review.csv`` (no file: the tables unchanged, every row unreviewed)."""
    lines, problems = read_review(seeds_dir)
    return apply_review(tables, lines, strict=strict, problems=problems)


def review_line(row_id: str, action: str = "accept", field_name: str = "", value: object = "", note: str = "") -> str:
    """One ready-to-paste line of review.csv (quoted where needed).

    >>> review_line("fig-1", "fix", "value", 12.0, "typo, see PDF")
    'fig-1,fix,value,12,"typo, see PDF"'
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([row_id, action, field_name, _shown(value), note])
    return buffer.getvalue()


# Marks in the brief ------------------------------------------------------------------------------------------

def _cell(row, name: str) -> str:
    """A text cell of a dict, Series or namedtuple row; '' when absent or missing (NaN)."""
    value = row.get(name, "") if hasattr(row, "get") else getattr(row, name, "")
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def figure_mark(row) -> str:
    """A reviewed row's mark (✓) with what the reviewer did as its tooltip; '' for an unreviewed row.

    >>> figure_mark({"review": "fixed", "review_note": "value: 5 → 6"})
    '<span class="pb-reviewed" title="صحّحه محلل: value: 5 → 6">✓</span>'
    >>> figure_mark({"review": float("nan")})
    ''
    """
    mark = _cell(row, "review")
    if not mark:
        return ""
    label = words()["marks"].get(mark, mark)
    note = _cell(row, "review_note")
    title = words()["brief"]["mark_title"].format(mark=label, note=note) if note else label
    return f'<span class="pb-reviewed" title="{html.escape(title)}">✓</span>'


_CHANGE = re.compile(r"^(?P<field>[\w ]+): (?P<before>.*?) → (?P<after>.*?)(?: \((?P<note>.*)\))?$")


def change_ar(change: str) -> str:
    """One part of a ``review_note`` in Arabic: the field's label, from what to what, and the note.

    >>> change_ar("value: 85 → 90 (the list has 90)")
    'القيمة من 85 إلى 90 (the list has 90)'
    """
    found = _CHANGE.match(change.strip())
    if not found:
        return change.strip()
    data = words()
    label = data["field_labels"].get(found["field"], found["field"])
    text = data["brief"]["change"].format(field=label, before=found["before"] or "—", after=found["after"] or "—")
    return text + (f" ({found['note']})" if found["note"] else "")


def note_review(row) -> str:
    """What the reviewer did and changed, in Arabic, for the row's note; '' for an unreviewed row.

    >>> note_review({"review": "fixed", "review_note": "year: 2030 → 2031"})
    ' <span class="pb-review-note">صحّحه محلل: سنة الهدف من 2030 إلى 2031</span>'
    """
    mark = _cell(row, "review")
    if not mark:
        return ""
    label = words()["marks"].get(mark, mark)
    changes = "؛ ".join(change_ar(part) for part in _cell(row, "review_note").split("; ") if part)
    text = f"{label}: {changes}" if changes else label
    return f' <span class="pb-review-note">{html.escape(text)}</span>'
