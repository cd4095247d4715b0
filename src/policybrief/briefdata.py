"""What the brief is written from: the tables of one build (``load``), the corpus's framing and house style,
the analyst's ``brief.md``, and the numbered notes every number of the brief carries.

All document text is HTML-escaped (``esc``). A note leads to the exact source sentence (document,
character offsets, quote) or, for a count the brief computed, to how it was computed.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .findings import rank_figures
from .framing import Framing
from .review import note_review
from .paths import TEMPLATES_DIR, OutputLayout
from .style import HouseStyle, date_text, value_text
from .tables import ACTORS_TABLE, CONFLICTS_TABLE, INITIATIVES_TABLE, KEY_FIGURES_TABLE, TIMELINE_TABLE

TABLE_COLUMNS = {
    "initiatives": INITIATIVES_TABLE,
    "actors": ACTORS_TABLE,
    "key_figures": KEY_FIGURES_TABLE,
    "timeline": TIMELINE_TABLE,
    "conflicts": CONFLICTS_TABLE,
}
DOCUMENT_COLUMNS = ("doc_id", "file", "title", "place", "published", "url", "outlet", "n_chars", "sha256")
PROFILE_COLUMNS = ("doc_id", "country", "themes", "first_words")
CHART_COLUMNS = ("file", "title", "alt_text", "labels", "source_note", "function", "has_data", "width_in", "sentence",
                 "sentence_items")
FRAMING_FILE = "framing.json"
# BriefData attribute -> registered table it is read from (schemas.py)
BRIEF_TABLES = {"documents": "documents", **{name: f"table_{name}" for name in TABLE_COLUMNS}, "charts": "chart_index"}
ANALYST_FILES = ("brief.yml", "brief.md")


class Html(str):
    """An HTML fragment that Jupyter displays as HTML (``_repr_html_``) inside a right-to-left block."""

    def _repr_html_(self) -> str:
        return f'<div dir="rtl" lang="ar" class="pb-section">{self}</div>'


@lru_cache(maxsize=1)
def wording() -> dict:
    """The brief's fixed Arabic wording (``templates/brief.yml``)."""
    return yaml.safe_load((TEMPLATES_DIR / "brief.yml").read_text(encoding="utf-8"))


def esc(text: object) -> str:
    """HTML-escaped text; None and NaN become ''.

    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return html.escape(str(text))


def heading_tag(text: str, level: int = 2) -> str:
    """A heading with an ``id`` (as Markdown headings get): Chromium's PDF outline then keeps its word order.

    >>> heading_tag("السياق")
    '<h2 id="pb-%D8%A7%D9%84%D8%B3%D9%8A%D8%A7%D9%82" dir="rtl">السياق</h2>'
    """
    from urllib.parse import quote

    anchor = "pb-" + quote("-".join(str(text).split()))
    return f'<h{level} id="{anchor}" dir="rtl">{esc(text)}</h{level}>'


def heading(key: str) -> str:
    """The ``<h2>`` of a section (``headings`` in ``templates/brief.yml``)."""
    return heading_tag(wording()["headings"][key])


def quoted_name(name: object) -> str:
    """A name in Arabic quotation marks, bidi-isolated so Latin names keep the marks in place.

    >>> quoted_name("Maroc IA 2030")
    '«<bdi>Maroc IA 2030</bdi>»'
    """
    return f"«<bdi>{esc(name)}</bdi>»"


@dataclass
class BriefData:
    """The tables one build produced, its framing, and the analyst's own text, as the brief reads them."""

    documents: pd.DataFrame
    initiatives: pd.DataFrame
    actors: pd.DataFrame
    key_figures: pd.DataFrame
    timeline: pd.DataFrame
    conflicts: pd.DataFrame
    charts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CHART_COLUMNS)))
    figures_dir: Path | None = None
    extracted_counts: dict[str, int] = field(default_factory=dict)
    built_at: str = ""
    steps: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: reason" of each input file not read
    framing: Framing = field(default_factory=lambda: Framing(title=""))
    profile: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(PROFILE_COLUMNS)))
    analyst_markdown: str = ""

    def __post_init__(self) -> None:
        self.documents = _with_columns(self.documents, DOCUMENT_COLUMNS)
        for name, columns in TABLE_COLUMNS.items():
            setattr(self, name, _typed(_with_columns(getattr(self, name), columns)))
        self.charts = _typed(_with_columns(self.charts, CHART_COLUMNS))
        self.profile = _with_columns(self.profile, PROFILE_COLUMNS)

    @property
    def style(self) -> HouseStyle:
        return self.framing.style

    def date(self, iso: object) -> str:
        """An ISO date in the corpus's house style."""
        return date_text(iso, self.style)

    def value(self, row) -> str:
        """A figure's value as the press writes it, in the corpus's house style."""
        return value_text(row["value"], row["unit"], row["what"], row["qualifier"], self.style)

    @cached_property
    def ranked_figures(self) -> pd.DataFrame:
        """Key figures with their policy relevance, measure and subject, most relevant first."""
        return rank_figures(self.key_figures, self.documents)

    @property
    def data_date(self) -> str:
        dates = sorted(d for d in self.documents["published"] if isinstance(d, str) and d)
        return dates[-1] if dates else ""

    @property
    def source_numbers(self) -> dict[str, int]:
        """doc_id -> number of the source in the sources list (oldest first, then by id)."""
        docs = self.documents.assign(_order=self.documents["published"].replace("", "9999"))
        ordered = docs.sort_values(["_order", "doc_id"], kind="stable")["doc_id"]
        return {doc_id: n for n, doc_id in enumerate(ordered, start=1)}


def _with_columns(df: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame(columns=list(columns)) if df is None else df.copy()
    for column in columns:
        if column not in df.columns:
            df[column] = ""
    return df.reset_index(drop=True)


_TYPES = {
    "value": float, "start": int, "end": int, "n_sources": int, "n_mentions": int, "n_documents": int,
    "is_target": bool, "conflict": bool, "has_conflict": bool, "confidence": float, "width_in": float,
}


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Numeric and boolean columns restored from their CSV text."""
    for column, kind in _TYPES.items():
        if column not in df.columns:
            continue
        if kind is bool:
            df[column] = df[column].map(lambda v: str(v).strip().lower() in {"true", "1"}).astype(bool)
        else:
            df[column] = pd.to_numeric(df[column], errors="coerce").fillna(0).astype(kind)
    for column in df.columns:
        if column not in _TYPES and df[column].isna().any():
            df[column] = df[column].astype(object).fillna("")
    return df


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def load(out_dir: str | Path, seeds_dir: str | Path | None = None) -> BriefData:
    """The tables of the build under ``out_dir`` (a table the build did not write is empty, never an error),
    its framing, and the analyst's ``brief.md`` from ``seeds_dir``."""
    from . import store

    layout = OutputLayout(out_dir)

    def read(table: str) -> pd.DataFrame | None:
        return store.read_table(table, layout) if store.has_table(table, layout) else None

    counts = {name: len(read(name)) for name in ("figures", "dates", "entities", "initiatives")
              if store.has_table(name, layout)}
    steps_text = _read_text(layout.build_dir / "steps.json")
    steps = json.loads(steps_text) if steps_text else {}
    framing_text = _read_text(layout.data_dir / FRAMING_FILE)
    return BriefData(
        documents=read("documents"),
        charts=read("chart_index"),
        figures_dir=layout.figures_dir,
        extracted_counts=counts,
        built_at=steps.get("built_at", ""),
        steps=steps.get("steps", []),
        skipped=steps.get("skipped", []),
        framing=Framing.from_dict(json.loads(framing_text) if framing_text else None),
        profile=read("document_profile"),
        analyst_markdown=_read_text(Path(seeds_dir) / "brief.md") if seeds_dir else "",
        **{name: read(f"table_{name}") for name in TABLE_COLUMNS},
    )


# Notes ------------------------------------------------------------------------------------------------------

@dataclass
class Note:
    number: int
    doc_id: str = ""
    start: int = 0
    end: int = 0
    quote: str = ""
    sentence: str = ""
    text: str = ""  # for computed numbers: how the number was computed
    review: str = ""  # HTML: what the analyst's review changed (review.note_review)
    row_id: str = ""  # the row's stable id, for the analyst's review.csv


class Notes:
    """Numbered notes in order of first citation; citing the same source span twice reuses its number."""

    def __init__(self, data: BriefData) -> None:
        self.data = data
        self.items: list[Note] = []
        self._by_key: dict[tuple, Note] = {}

    def _marker(self, note: Note) -> str:
        return f'<sup class="pb-note"><a href="#pb-note-{note.number}">[{note.number}]</a></sup>'

    def _add(self, key: tuple, **fields) -> str:
        if key not in self._by_key:
            note = Note(number=len(self.items) + 1, **fields)
            self.items.append(note)
            self._by_key[key] = note
        return self._marker(self._by_key[key])

    def cite(self, row) -> str:
        """Marker for a table row with ``doc_id``, ``start``, ``end``, ``quote`` and ``sentence``."""
        get = row.get if hasattr(row, "get") else (lambda k, d="": getattr(row, k, d))
        key = ("source", str(get("doc_id", "")), int(get("start", 0) or 0), int(get("end", 0) or 0))
        return self._add(
            key, doc_id=key[1], start=key[2], end=key[3],
            quote=str(get("quote", "")), sentence=str(get("sentence", "") or get("quote", "")),
            review=note_review(row), row_id=str(get("id", "") or ""),
        )

    def computed(self, how: str) -> str:
        """Marker for a number the brief computed from its own tables."""
        return self._add(("computed", how), text=how)

    def count_note(self, what_key: str) -> str:
        """Marker for a count computed by the brief, explained by the wording key ``what_key``."""
        words = wording()
        return self.computed(words["derived_count"].format(what=words[what_key]))

    @property
    def cited_documents(self) -> set[str]:
        return {n.doc_id for n in self.items if n.doc_id}

    def html(self) -> Html:
        """The numbered list of notes, each with its source number, offsets and highlighted sentence."""
        words = wording()
        numbers = self.data.source_numbers
        items = []
        for note in self.items:
            if note.text:
                body = f'{esc(words["note_derived"])} {esc(note.text)}'
            else:
                head = esc(words["note_source"]).format(  # ids and offsets isolated left to right
                    source=numbers.get(note.doc_id, "?"), doc_id=f'<bdi class="pb-ltr" dir="ltr">{esc(note.doc_id)}</bdi>',
                    start=f'<bdi class="pb-ltr" dir="ltr">{note.start}', end=f"{note.end}</bdi>",
                )
                row_id = f' <bdi class="pb-meta pb-ltr">{esc(note.row_id)}</bdi>' if note.row_id else ""
                body = (f'<span class="pb-meta">{head}</span>{row_id} «{_highlight(note.sentence, note.quote)}»'
                        f"{note.review}")
            items.append(f'<li id="pb-note-{note.number}" value="{note.number}">{body}</li>')
        if not items:
            return Html(heading("notes") + f'<p class="pb-empty">{esc(words["empty"])}</p>')
        return Html(heading("notes") + f'<p class="pb-meta">{esc(words["notes_intro"])}</p>'
                    f'<ol class="pb-notes">{"".join(items)}</ol>')


def _highlight(sentence: str, quote: str) -> str:
    """Escaped sentence with the quote in ``<mark>``.

    >>> _highlight("بلغ <b> 5 ملايين", "5 ملايين")
    'بلغ &lt;b&gt; <mark>5 ملايين</mark>'
    """
    at = sentence.find(quote) if quote else -1
    if at < 0:
        return esc(sentence)
    end = at + len(quote)
    return f"{esc(sentence[:at])}<mark>{esc(sentence[at:end])}</mark>{esc(sentence[end:])}"
