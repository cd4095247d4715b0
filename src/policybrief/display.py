"""Right-to-left HTML views of tables and quotes for notebooks (Jupyter displays the returned objects).

Everything that comes from a document is HTML-escaped: article text may contain ``<script>`` or markup.
Column headers show an Arabic label (``data/display_labels.yml``) over the stable English column name;
cells follow ``data/display_cells.yml``: codes with their Arabic label, lists as lists, dates on one line,
ids and other Latin runs isolated left to right. ``stylesheet()`` is the one right-to-left CSS shared with
the exported brief (``templates/policybrief_rtl/rtl.css``).
"""
from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

from functools import lru_cache

import pandas as pd

from . import rules
from .paths import TEMPLATES_DIR
from .textnorm import has_arabic

STYLESHEET = TEMPLATES_DIR / "policybrief_rtl" / "rtl.css"
INDEX_COLUMN = "#"

RTL_TABLE_CSS = "direction: rtl; text-align: right; unicode-bidi: isolate;"
MARK_CSS = "background: #ffe08a; color: inherit; padding: 0 0.1em; border-radius: 2px;"
TH_CSS = "text-align: right; vertical-align: bottom; padding: 0.3em 0.6em;"
TD_CSS = "text-align: right; vertical-align: top; padding: 0.3em 0.6em;"
SENTENCE_CSS = "min-width: 22em; max-width: 40em;"  # sentences stay readable in wide tables
NAME_CSS = "font-size: 0.8em; font-weight: normal; color: #666; font-family: monospace;"
# A right-to-left scroll box: a wide table scrolls to its last (leftmost) column instead of spilling out.
SCROLL_CSS = "direction: rtl; overflow: auto; max-width: 100%; max-height: 40em;"



class OneLineError(Exception):
    """An error about the analyst's input: a notebook shows its one-line message, not a traceback.

    IPython renders an exception through ``_render_traceback_`` when it has one.
    """

    def __str__(self) -> str:  # KeyError subclasses would otherwise quote the message
        return str(self.args[0]) if self.args else type(self).__name__

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m{type(self).__name__}\x1b[0m: {self}"]


class RtlHtml:
    """An HTML fragment that Jupyter renders (``_repr_html_``) inside a right-to-left block."""

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment

    def _repr_html_(self) -> str:
        return f'<div class="pb-rtl" dir="rtl" lang="ar" style="{RTL_TABLE_CSS}">{self.fragment}</div>'

    def __str__(self) -> str:
        return self._repr_html_()


class RtlMarkdown:
    """Markdown that Jupyter renders inside a ``<div dir="rtl" lang="ar">`` block (``_repr_markdown_``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return f'<div dir="rtl" lang="ar">\n\n{html.escape(self.text, quote=False)}\n\n</div>'


def rtl_markdown(text: str) -> RtlMarkdown:
    """Markdown shown right-to-left; raw HTML in ``text`` is escaped, markdown syntax still works.

    >>> rtl_markdown("**مرحبا** <b>")._repr_markdown_()
    '<div dir="rtl" lang="ar">\\n\\n**مرحبا** &lt;b&gt;\\n\\n</div>'
    """
    return RtlMarkdown(text)


def column_labels() -> dict[str, str]:
    """The Arabic display label of each known column name."""
    return dict(rules.load("display_labels"))


def cell_rules() -> dict[str, Any]:
    """How cells are shown (``data/display_cells.yml``): codes, list, date, id and sentence columns."""
    return rules.load("display_cells")


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The right-to-left CSS shared by the notebooks and the exported brief."""
    return STYLESHEET.read_text(encoding="utf-8")


def header_html(name: str, labels: Mapping[str, str] | None = None) -> str:
    """One ``<th>``: the Arabic label (when known) over the English column name, both escaped.

    >>> header_html("value", {"value": "القيمة"})  # doctest: +ELLIPSIS
    '<th ...><div lang="ar">القيمة</div><div class="pb-colname" dir="ltr" lang="en" ...>value</div></th>'
    """
    return f'<th style="{TH_CSS}">{header_label_html(name, labels)}</th>'


def header_label_html(name: str, labels: Mapping[str, str] | None = None) -> str:
    """The inside of a column header: Arabic label over the English column name."""
    labels = column_labels() if labels is None else labels
    label = labels.get(str(name), "")
    english = f'<div class="pb-colname" dir="ltr" lang="en" style="{NAME_CSS}">{html.escape(str(name))}</div>'
    arabic = f'<div lang="ar">{html.escape(label)}</div>' if label else ""
    return arabic + english


def format_cell(value: Any) -> str:
    """The text shown for one cell: whole floats without ``.0`` and with thousands separators.

    >>> format_cell(10800000000.0), format_cell(4.5), format_cell(None), format_cell(True)
    ('10,800,000,000', '4.5', '', 'نعم')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "نعم" if value else "لا"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e18:
            return f"{int(value):,}"
        return f"{value:,.10g}" if abs(value) >= 1000 else repr(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return format_cell(value.item())
    return str(value)


def code_html(column: str, code: str) -> str:
    """A code with its Arabic label and the code itself isolated beside it; unknown codes as they are.

    >>> code_html("unit", "USD")
    'دولار <bdi class="pb-code" dir="ltr">USD</bdi>'
    >>> code_html("what", "فرصة شغل"), code_html("unit", "<x>")
    ('فرصة شغل', '<bdi class="pb-id" dir="ltr">&lt;x&gt;</bdi>')
    """
    label = cell_rules()["codes"].get(column, {}).get(code)
    if not label:
        return html.escape(code) if has_arabic(code) else id_html(code)
    return f'{html.escape(label)} <bdi class="pb-code" dir="ltr">{html.escape(code)}</bdi>'


def list_html(cell: str, isolate: bool = False) -> str:
    """A ``|``-separated cell as a list, one value a line (ids isolated left to right when ``isolate``).

    >>> list_html("أ|ب")
    '<ul class="pb-list"><li><bdi>أ</bdi></li><li><bdi>ب</bdi></li></ul>'
    """
    parts = [p.strip() for p in cell.split("|") if p.strip()]
    if len(parts) <= 1:
        return id_html(cell) if isolate and cell else html.escape(cell)
    item = id_html if isolate else (lambda p: f"<bdi>{html.escape(p)}</bdi>")
    return '<ul class="pb-list">' + "".join(f"<li>{item(p)}</li>" for p in parts) + "</ul>"


def id_html(text: str) -> str:
    """An id, file name or other Latin run, isolated so an Arabic line cannot reorder it.

    >>> id_html("664fefe41d1e0b64.txt_000")
    '<bdi class="pb-id" dir="ltr">664fefe41d1e0b64.txt_000</bdi>'
    """
    return f'<bdi class="pb-id" dir="ltr">{html.escape(text)}</bdi>'


def highlight_html(sentence: str, quote: str, at: int | None = None) -> str:
    """The escaped ``sentence`` with ``quote`` wrapped in ``<mark>``; ``at`` is the quote's offset if known.

    Without ``at`` (or when ``at`` does not point at the quote) the first occurrence is marked; a quote
    that is not in the sentence leaves it unmarked.

    >>> highlight_html("بلغ <b> 5 مليارات", "5 مليارات")  # doctest: +ELLIPSIS
    'بلغ &lt;b&gt; <mark style="...">5 مليارات</mark>'
    >>> highlight_html("5 ثم 5", "5", at=5)  # doctest: +ELLIPSIS
    '5 ثم <mark ...>5</mark>'
    """
    sentence, quote = str(sentence), str(quote)
    if not quote:
        return html.escape(sentence)
    if at is None or not (0 <= at and sentence[at : at + len(quote)] == quote):
        at = sentence.find(quote)
    if at < 0:
        return html.escape(sentence)
    end = at + len(quote)
    return (
        html.escape(sentence[:at])
        + f'<mark style="{MARK_CSS}">{html.escape(sentence[at:end])}</mark>'
        + html.escape(sentence[end:])
    )


def highlight_quote(sentence: str, quote: str, at: int | None = None) -> RtlHtml:
    """A right-to-left paragraph of ``sentence`` with the matched ``quote`` highlighted."""
    return RtlHtml(f"<p>{highlight_html(sentence, quote, at)}</p>")


def _quote_offset(row: Mapping[str, Any]) -> int | None:
    """Offset of the quote inside the sentence when the row carries both document offsets."""
    try:
        return int(row["start"]) - int(row["sentence_start"])
    except (KeyError, TypeError, ValueError):
        return None


def cell_html(column: str, row: Mapping[str, Any], highlight: bool = True) -> str:
    """The escaped inside of one cell, shown by the kind of its column (``data/display_cells.yml``)."""
    value, rules_ = row[column], cell_rules()
    text = format_cell(value)
    if not text:
        return ""
    quoted = "quote" if "quote" in row else "text"  # entities carry their surface form in ``text``
    if highlight and column == "sentence" and quoted in row:
        return highlight_html(text, format_cell(row[quoted]), _quote_offset(row))
    if column in rules_["list_columns"]:
        return list_html(text, isolate=column in rules_["id_columns"])
    if column in rules_["codes"] and isinstance(value, str):
        return code_html(column, text)
    if column in rules_["date_columns"]:
        return f'<span class="pb-date" dir="ltr">{html.escape(text)}</span>'
    if column in rules_["id_columns"] or (not has_arabic(text) and not _is_number(value)):
        return id_html(text)
    if _is_number(value):
        return f'<span class="pb-cell-num" dir="ltr">{html.escape(text)}</span>'
    return html.escape(text)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or (
        hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iuf"
    )


def _cell_html(column: str, row: Mapping[str, Any], highlight: bool) -> str:
    inner = cell_html(column, row, highlight)
    long_text = column in cell_rules()["sentence_columns"] and len(format_cell(row[column])) > 60
    style = TD_CSS + (" " + SENTENCE_CSS if long_text else "")
    return f'<td style="{style}">{inner}</td>'


def meaningful_index(df: pd.DataFrame) -> bool:
    """Whether the row labels say something (``describe()``'s count/mean, a filter's row numbers).

    >>> meaningful_index(pd.DataFrame({"a": [1, 2]})), meaningful_index(pd.DataFrame({"a": [1]}, index=[7]))
    (False, True)
    """
    index = df.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    return not plain


def with_index_column(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its row labels as a first column (named after the index, else ``#``)."""
    name = str(df.index.name) if df.index.name is not None else INDEX_COLUMN
    if name in df.columns:
        name = INDEX_COLUMN if INDEX_COLUMN not in df.columns else f"{INDEX_COLUMN}{name}"
    return df.reset_index(names=name)


def table_html(
    df: pd.DataFrame,
    max_rows: int = 50,
    highlight: bool = True,
    labels: Mapping[str, str] | None = None,
    show_index: bool | None = None,
) -> str:
    """An escaped HTML table in a right-to-left scroll box: Arabic headers, the quote marked in each sentence.

    ``show_index`` None keeps the row labels when they mean something (see ``meaningful_index``).
    """
    labels = column_labels() if labels is None else labels
    shown = df.head(max_rows)
    if show_index or (show_index is None and meaningful_index(df)):
        shown = with_index_column(shown)
    columns = [str(c) for c in shown.columns]
    records = shown.to_dict("records") if len(columns) == len(set(columns)) else []
    head = "".join(header_html(c, labels) for c in columns)
    body = "".join(
        "<tr>" + "".join(_cell_html(c, row, highlight) for c in columns) + "</tr>" for row in records
    )
    note = ""
    if len(df) > len(shown):
        note = (f'<p class="pb-table-note" lang="ar">… {len(df) - len(shown)} صفوف أخرى من أصل {len(df)} '
                f'(<bdi dir="ltr">max_rows={max_rows}</bdi>)</p>')
    elif len(df) == 0:
        note = '<p class="pb-table-note" lang="ar">لا توجد صفوف.</p>'
    return (
        f'<div class="pb-scroll" dir="rtl" style="{SCROLL_CSS}">'
        '<table class="rtl-table pb-table" dir="rtl" style="border-collapse: collapse;">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{note}"
    )


def rtl_table(
    df: pd.DataFrame,
    max_rows: int = 50,
    highlight: bool = True,
    labels: Mapping[str, str] | None = None,
    show_index: bool | None = None,
) -> RtlHtml:
    """A table with Arabic text shown right-to-left; every cell is HTML-escaped.

    Headers show the Arabic label over the English column name; when the table has ``sentence`` and
    ``quote`` columns the quote is highlighted inside its sentence.
    """
    return RtlHtml(table_html(df, max_rows, highlight, labels, show_index))


def sources_html(sources: pd.DataFrame) -> str:
    """One block per source row: title, outlet, date, link, then the sentence with the quote marked."""
    blocks = []
    for row in sources.to_dict("records"):
        meta = [format_cell(row.get(k, "")) for k in ("title", "outlet", "published")]
        meta_html = " · ".join(
            f"<bdi>{html.escape(m)}</bdi>" for m in meta if m
        ) or id_html(format_cell(row.get("doc_id", "")))
        where = (
            f'<bdi class="pb-id" dir="ltr" style="{NAME_CSS}">{html.escape(format_cell(row.get("doc_id", "")))}'
            f' [{html.escape(format_cell(row.get("start", "")))}:{html.escape(format_cell(row.get("end", "")))}]</bdi>'
        )
        url = format_cell(row.get("url", ""))
        link = ""
        if url.startswith(("http://", "https://")):
            link = f' <a dir="ltr" href="{html.escape(url)}">{html.escape(url)}</a>'
        sentence = highlight_html(format_cell(row.get("sentence", "")), format_cell(row.get("quote", "")), _quote_offset(row))
        blocks.append(
            f'<blockquote style="border-right: 3px solid #c9a227; margin: 0.5em 0; padding: 0.2em 0.8em;">'
            f"<div>{meta_html} {where}{link}</div><p>{sentence}</p></blockquote>"
        )
    if not blocks:
        return '<p lang="ar">لا توجد مصادر.</p>'
    return "".join(blocks)


def show_sources(sources: pd.DataFrame) -> RtlHtml:
    """The sources of a number (``explore.sources_of``) as quotes with the number highlighted."""
    return RtlHtml(sources_html(sources))


def use_rtl_tables() -> bool:
    """Make every DataFrame displayed in the running IPython kernel a right-to-left ``rtl_table``.

    Returns False (and does nothing) outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda df: rtl_table(df)._repr_html_())  # keeps meaningful indexes
    return True
