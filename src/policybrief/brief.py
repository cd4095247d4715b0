"""The policy brief's content, written from the tables: key messages, key-figures box, sections, notes.

Each section function takes a ``BriefData`` (the tables of one build, ``load``) and returns an ``Html``
fragment that notebook 05 displays. Every sentence is built from the tables with the wording of
``templates/brief.yml``, so another folder of articles tells its own story. All document text is
HTML-escaped. Every number in the text and in the key-figures box carries a numbered note (``Notes``)
leading to the exact source sentence (document, character offsets, quote) or, for a count computed by
the brief, to how it was computed. Numbers follow the house style of ``formatting`` (Western digits,
decimal point).
"""
from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import rules, store
from .formatting import date_ar, format_number, is_money, outlet_names
from .paths import TEMPLATES_DIR, OutputLayout
from .review import figure_mark, note_review
from .schemas import TABLES, empty_frame
from .tables import split_cell

# BriefData attribute -> registry table (schemas.py); the brief reads every table through store.read_table.
BRIEF_TABLES = {
    "documents": "documents",
    "initiatives": "table_initiatives",
    "actors": "table_actors",
    "key_figures": "table_key_figures",
    "timeline": "table_timeline",
    "conflicts": "table_conflicts",
    "charts": "chart_index",
}
MAX_KEY_FIGURES = 6
MAX_ACTORS = 12
MAX_TIMELINE = 24
MAX_TOP_ACTORS = 3
ROW_LIMIT_FILES = {name: f"build/data/{TABLES['table_' + name].file}" for name in ("timeline", "actors")}


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


def count_phrase(n: int, noun: str) -> str:
    """``n`` with its counted noun in the oblique case (after a verb or a preposition).

    >>> count_phrase(1, "article"), count_phrase(2, "article"), count_phrase(7, "initiative")
    ('مقال واحد', 'مقالين', '7 مبادرات')
    >>> count_phrase(15, "figure"), count_phrase(102, "figure"), count_phrase(0, "initiative")
    ('15 رقما', '102 رقم', '0 مبادرة')
    """
    forms = wording()["nouns"][noun]
    n = int(n)
    if n == 1:
        return forms["one"]
    if n == 2:
        return forms["two"]
    last_two = n % 100
    if 3 <= last_two <= 10:
        return f"{n} {forms['few']}"
    if 11 <= last_two <= 99:
        return f"{n} {forms['many']}"
    return f"{n} {forms['single']}"


def join_ar(items: list[str]) -> str:
    """Items joined the Arabic way: ``أ، ب وج``.

    >>> join_ar(["أ", "ب", "ج"]), join_ar(["أ"])
    ('أ، ب وج', 'أ')
    """
    words = wording()
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return words["comma"].join(items[:-1]) + words["and"] + items[-1]


# Loading --------------------------------------------------------------------------------------------------

@dataclass
class BriefData:
    """The tables one build produced, as the brief reads them."""

    documents: pd.DataFrame
    initiatives: pd.DataFrame
    actors: pd.DataFrame
    key_figures: pd.DataFrame
    timeline: pd.DataFrame
    conflicts: pd.DataFrame
    charts: pd.DataFrame | None = None
    figures_dir: Path | None = None
    extracted_counts: dict[str, int] = field(default_factory=dict)
    built_at: str = ""
    steps: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: reason" of each input file not read

    def __post_init__(self) -> None:
        for attr, table in BRIEF_TABLES.items():  # a table the build did not write is empty
            df = getattr(self, attr)
            setattr(self, attr, empty_frame(table) if df is None else df.reset_index(drop=True))

    @property
    def source_numbers(self) -> dict[str, int]:
        """doc_id -> number of the source in the sources list (oldest first, then by id)."""
        docs = self.documents.assign(_order=self.documents["published"].replace("", "9999"))
        ordered = docs.sort_values(["_order", "doc_id"], kind="stable")["doc_id"]
        return {doc_id: n for n, doc_id in enumerate(ordered, start=1)}


def load(out_dir: str | Path) -> BriefData:
    """The tables of the build under ``out_dir`` (a table the build did not write is empty, never an error)."""
    layout = OutputLayout(out_dir)

    def read(table: str) -> pd.DataFrame | None:
        return store.read_table(table, layout) if store.has_table(table, layout) else None

    counts = {name: len(read(name)) for name in ("figures", "dates", "entities", "initiatives")
              if store.has_table(name, layout)}
    steps_file = layout.build_dir / "steps.json"
    steps = json.loads(steps_file.read_text(encoding="utf-8")) if steps_file.is_file() else {}
    return BriefData(
        **{attr: read(table) for attr, table in BRIEF_TABLES.items()},
        figures_dir=layout.figures_dir,
        extracted_counts=counts,
        built_at=steps.get("built_at", ""),
        steps=steps.get("steps", []),
        skipped=steps.get("skipped", []),
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

    def html(self) -> Html:
        """The numbered list of notes, each with its source number, offsets and highlighted sentence."""
        words = wording()
        numbers = self.data.source_numbers
        items = []
        for note in self.items:
            if note.text:
                body = f'{esc(words["note_derived"])} {esc(note.text)}'
            else:
                # The id is isolated left to right: "664f….txt_000" inside an Arabic line would be reordered.
                head = esc(words["note_source"]).format(
                    source=numbers.get(note.doc_id, "?"), start=note.start, end=note.end,
                    doc_id=f'<bdi class="pb-ltr" dir="ltr">{esc(note.doc_id)}</bdi>',
                )
                row_id = f' <span class="pb-meta pb-ltr">{esc(note.row_id)}</span>' if note.row_id else ""
                body = (f'<span class="pb-meta">{head}</span>{row_id} «{_highlight(note.sentence, note.quote)}»'
                        f"{note.review}")
            items.append(f'<li id="pb-note-{note.number}" value="{note.number}">{body}</li>')
        if not items:
            return Html(f'<p class="pb-empty">{esc(words["empty"])}</p>')
        return Html(f'<ol class="pb-notes">{"".join(items)}</ol>')


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


# Picking the numbers -----------------------------------------------------------------------------------------

def _unit_group(unit: str) -> int:
    """Order of kinds of figures in the key-figures box: money, counts, percentages, the rest."""
    if is_money(unit):
        return 0
    return {"count": 1, "percent": 2}.get(unit, 3)


def pick_key_figures(key_figures: pd.DataFrame, limit: int = MAX_KEY_FIGURES) -> pd.DataFrame:
    """The figures of the key-figures box: the largest of each kind in turn, distinct values, conflicts out.

    Figures on which sources disagree go to their own section instead of the box.
    """
    rows = key_figures[~key_figures["conflict"]] if len(key_figures) else key_figures
    if rows.empty:
        return rows
    rows = rows.assign(
        _group=rows["unit"].map(_unit_group),
        _order=[v if u == "rank" else -v for v, u in zip(rows["value"], rows["unit"])],
    )
    rows = rows.sort_values(["_group", "_order", "doc_id", "start"], kind="stable")
    rows = rows.drop_duplicates(["value", "unit", "value_text"])
    groups = [g for _, g in rows.groupby("_group", sort=True)]
    picked, round_ = [], 0
    while len(picked) < limit and any(round_ < len(g) for g in groups):
        for group in groups:
            if round_ < len(group) and len(picked) < limit:
                picked.append(group.iloc[round_])
        round_ += 1
    return pd.DataFrame(picked).drop(columns=["_group", "_order"]).reset_index(drop=True)


def quoted_name(name: object) -> str:
    """A name in Arabic quotation marks, bidi-isolated so Latin names keep the marks in place.

    >>> quoted_name("Maroc IA 2030")
    '«<bdi>Maroc IA 2030</bdi>»'
    """
    return f"«<bdi>{esc(name)}</bdi>»"


def _about(row) -> str:
    words = wording()
    if row.get("initiative"):
        return words["about_initiative"].format(name=quoted_name(row["initiative"]))
    if row.get("what") and row.get("unit") != "count":
        return words["about_what"].format(what=esc(row["what"]))
    return ""


def _figure_with_note(row, notes: Notes) -> str:
    return f'<span class="pb-num">{esc(row["value_text"])}</span>{figure_mark(row)}{notes.cite(row)}'


def largest_money(key_figures: pd.DataFrame) -> pd.Series | None:
    """The largest amount in the most frequent currency (amounts in different currencies do not compare)."""
    money = key_figures[key_figures["unit"].map(is_money)] if len(key_figures) else key_figures
    if money.empty:
        return None
    currency = money["unit"].value_counts().index[0]
    same = money[money["unit"] == currency]
    return same.sort_values(["value", "doc_id", "start"], ascending=[False, True, True], kind="stable").iloc[0]


def horizon(key_figures: pd.DataFrame) -> pd.Series | None:
    """The target figure with the furthest year (the largest value among that year's targets)."""
    targets = key_figures[key_figures["is_target"] & (key_figures["target_year"].astype(str) != "")]
    if targets.empty:
        return None
    targets = targets.assign(_year=targets["target_year"].astype(str))
    latest = targets[targets["_year"] == targets["_year"].max()]
    return latest.sort_values(["value", "doc_id", "start"], ascending=[False, True, True], kind="stable").iloc[0]


# Sections --------------------------------------------------------------------------------------------------

def _date_range(documents: pd.DataFrame) -> tuple[str, str]:
    dates = sorted(d for d in documents["published"] if isinstance(d, str) and d)
    return (dates[0], dates[-1]) if dates else ("", "")


def _outlets_phrase(documents: pd.DataFrame) -> str:
    outlets = outlet_names(documents["outlet"], wording()["source_no_outlet"])
    if not any(documents["outlet"].fillna("").astype(str).str.strip()):
        return wording()["unknown_outlets"]
    if len(outlets) <= 3:
        return join_ar([esc(o) for o in outlets])
    return count_phrase(len(outlets), "outlet")


def title_block(data: BriefData, built_at: str = "") -> Html:
    """Title, subtitle, the date of the data (latest source) and of the build."""
    from .manifest import utc_now

    words = wording()
    _, latest = _date_range(data.documents)
    built = (built_at or data.built_at or utc_now())[:10]
    subtitle = words["subtitle_corpus"].format(
        articles=count_phrase(len(data.documents), "article"), outlets=_outlets_phrase(data.documents),
    )
    return Html(
        '<header class="pb-title-block">'
        f'<p class="pb-kicker">{esc(words["kicker"])}</p>'
        f'<h1>{esc(words["title"])}</h1>'
        f'<p class="pb-subtitle">{subtitle}</p>'
        f'<p class="pb-dates">{esc(words["data_date"].format(date=date_ar(latest) or words["unknown_date"]))}'
        f' · {esc(words["build_date"].format(date=date_ar(built)))}</p>'
        "</header>"
    )


def key_messages(data: BriefData, notes: Notes) -> Html:
    """Four to six sentences written from the tables: coverage, largest figure, horizon, actors, conflicts."""
    words, msg = wording(), wording()["messages"]
    sentences = []
    first, last = _date_range(data.documents)
    counted = notes.computed(words["derived_count"].format(what=words["derived_initiatives"]))
    coverage = {
        "initiatives": count_phrase(len(data.initiatives), "initiative"),
        "articles": count_phrase(len(data.documents), "article"),
    }
    if first:
        sentence = msg["coverage"].format(**coverage, first=date_ar(first), last=date_ar(last))
    else:
        sentence = msg["coverage_undated"].format(**coverage)
    sentences.append(esc(sentence[:-1]) + counted + "." if sentence.endswith(".") else esc(sentence) + counted)

    money = largest_money(data.key_figures)
    if money is not None:
        sentences.append(msg["largest_money"].format(value=_figure_with_note(money, notes), about=_about(money)))
    elif len(data.key_figures):
        top = pick_key_figures(data.key_figures, 1)
        if len(top):
            row = top.iloc[0]
            sentences.append(msg["largest_other"].format(value=_figure_with_note(row, notes), about=_about(row)))
    else:
        sentences.append(esc(msg["no_figures"]))

    target = horizon(data.key_figures)
    if target is not None:
        year = f'<span class="pb-num">{esc(target["target_year"])}</span>{notes.cite(target)}'
        sentences.append(msg["horizon"].format(year=year, value=_figure_with_note(target, notes), about=_about(target)))

    actors = data.actors.sort_values(["n_mentions", "actor"], ascending=[False, True], kind="stable")
    names = [f"<bdi>{esc(a)}</bdi>" for a in actors["actor"].head(MAX_TOP_ACTORS)]
    if names:
        sentences.append(msg["actors"].format(names=join_ar(names)))

    if len(data.initiatives):
        top = data.initiatives.sort_values(["n_sources", "name"], ascending=[False, True], kind="stable").iloc[0]
        if top["n_sources"] > 1:
            how = words["derived_count"].format(what=words["derived_sources"])
            sources = esc(count_phrase(top["n_sources"], "source")) + notes.computed(how)
            sentences.append(msg["top_initiative"].format(name=f'<bdi>{esc(top["name"])}</bdi>', sources=sources))

    n_conflicting = int(data.key_figures["conflict"].sum()) if len(data.key_figures) else 0
    if n_conflicting:
        how = words["derived_count"].format(what=words["derived_conflicts"])
        sentences.append(msg["conflicts"].format(
            figures=esc(count_phrase(n_conflicting, "figure")) + notes.computed(how),
            initiatives=esc(count_phrase(len(data.conflicts), "initiative")),
        ))
    elif len(data.key_figures):
        sentences.append(esc(msg["no_conflicts"]))
    items = "".join(f"<li>{s}</li>" for s in sentences)
    return Html(f'<ul class="pb-messages">{items}</ul>')


def key_figures_box(data: BriefData, notes: Notes) -> Html:
    """The key-figures box: value (with its note) and what it is about."""
    words = wording()
    picked = pick_key_figures(data.key_figures)
    if picked.empty:
        return Html(f'<p class="pb-empty">{esc(words["empty"])}</p>')
    entries = []
    for _, row in picked.iterrows():
        label = []
        if row["what"] and row["unit"] != "count":
            label.append(esc(row["what"]))
        if row["initiative"]:
            label.append(quoted_name(row["initiative"]))
        if row["is_target"] and str(row["target_year"]):
            label.append(esc(words["target_of"].format(year=row["target_year"])))
        entries.append(
            f'<div class="pb-kf"><div class="pb-kf-value">{_figure_with_note(row, notes)}</div>'
            f"<div class=\"pb-kf-label\">{' — '.join(label) or '&#8203;'}</div></div>"
        )
    return Html(
        f'<aside class="pb-keyfigures"><h3>{esc(words["key_figures_title"])}</h3>'
        f'<div class="pb-kf-grid">{"".join(entries)}</div></aside>'
    )


def kind_label(kind: str) -> str:
    """Arabic plural label of an initiative kind (``data/presentation.yml``)."""
    return rules.load("presentation")["kinds"].get(kind or "", kind)


def context(data: BriefData, notes: Notes | None = None) -> Html:
    """Where the brief's data comes from and what the initiatives are, from the documents and tables.

    With ``notes``, the dates and counts carry a note saying where they were computed from.
    """
    words = wording()

    def note(what: str) -> str:
        return notes.computed(words["derived_count"].format(what=words[what])) if notes is not None else ""

    first, last = _date_range(data.documents)
    values = {"articles": count_phrase(len(data.documents), "article"), "outlets": _outlets_phrase(data.documents)}
    if first:
        lead = words["context"].format(**values, first=date_ar(first), last=date_ar(last))
    else:
        lead = words["context_undated"].format(**values)
    paragraphs = [lead[:-1] + note("derived_dates") + "."]
    places = sorted({p for p in data.documents["place"] if isinstance(p, str) and p.strip()})
    if places:
        paragraphs.append(esc(words["places"].format(places=join_ar(places))))
    if len(data.initiatives):
        counts = data.initiatives["kind"].value_counts()
        items = [f"{esc(kind_label(k))} ({n})" for k, n in counts.items()]
        sentence = esc(words["kinds_intro"].format(items=words["comma"].join(items)))
        paragraphs.append(sentence[:-1] + note("derived_kinds") + ".")
    return Html("".join(f"<p>{p}</p>" for p in paragraphs))


def _source_refs(doc_ids: object, numbers: dict[str, int]) -> str:
    refs = sorted({numbers[d] for d in split_cell(doc_ids) if d in numbers})
    return " ".join(f'<a href="#pb-source-{n}">[{n}]</a>' for n in refs)


def _cell_list(cell: object) -> str:
    return "<br>".join(esc(item) for item in split_cell(cell))


def _table(headers: list[str], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _empty() -> Html:
    return Html(f'<p class="pb-empty">{esc(wording()["empty"])}</p>')


def initiatives(data: BriefData) -> Html:
    """The initiatives table; each name sits on its own full-width row so it reads (and extracts) whole."""
    if data.initiatives.empty:
        return _empty()
    cols = wording()["columns"]["initiatives"]
    numbers = data.source_numbers
    keys = ["kind", "lead_organizations", "first_date", "figures", "targets", "sources"]
    head = "".join(f"<th>{esc(cols[k])}</th>" for k in keys)
    body = []
    for _, row in data.initiatives.iterrows():
        body.append(f'<tr class="pb-name-row"><th colspan="{len(keys)}">{esc(row["name"])}</th></tr>')
        cells = [
            esc(kind_label(row["kind"])),
            _cell_list(row["lead_organizations"]),
            esc(date_ar(row["first_date"])),
            _cell_list(row["figures"]),
            _cell_list(row["targets"]),
            _source_refs(row["doc_ids"], numbers),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return Html(
        f'<table class="pb-initiatives"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _more_rows(shown: int, total: int, file: str) -> str:
    if total <= shown:
        return ""
    return f'<p class="pb-meta">{esc(wording()["more_rows"].format(shown=shown, total=total, file=file))}</p>'


def timeline(data: BriefData, limit: int = MAX_TIMELINE) -> Html:
    """Dated events and target years in date order, with the source of each."""
    if data.timeline.empty:
        return _empty()
    words = wording()
    cols = words["columns"]["timeline"]
    numbers = data.source_numbers
    table = data.timeline.sort_values(["date", "kind", "doc_id", "start"], kind="stable")
    rows = [
        [
            f'<span class="pb-num">{esc(date_ar(r["date"]))}</span>',
            esc(words["timeline_kinds"].get(r["kind"], r["kind"])),
            esc(r["label"]),
            _source_refs(r["doc_id"], numbers),
        ]
        for _, r in table.head(limit).iterrows()
    ]
    headers = [cols[k] for k in ("date", "kind", "label", "sources")]
    return Html(_table(headers, rows, "pb-timeline") + _more_rows(len(rows), len(table), ROW_LIMIT_FILES["timeline"]))


def actors(data: BriefData, limit: int = MAX_ACTORS) -> Html:
    """The most mentioned organisations and persons, with roles and initiatives."""
    if data.actors.empty:
        return _empty()
    words = wording()
    cols = words["columns"]["actors"]
    table = data.actors.sort_values(["n_mentions", "actor"], ascending=[False, True], kind="stable")
    rows = [
        [
            esc(r["actor"]),
            esc(words["actor_kinds"].get(r["kind"], r["kind"])),
            _cell_list(r["roles"]),
            _cell_list(r["initiatives"]),
            f'<span class="pb-num">{int(r["n_mentions"])}</span>',
        ]
        for _, r in table.head(limit).iterrows()
    ]
    headers = [cols[k] for k in ("actor", "kind", "roles", "initiatives", "n_mentions")]
    return Html(_table(headers, rows, "pb-actors") + _more_rows(len(rows), len(table), ROW_LIMIT_FILES["actors"]))


def _image_data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def charts(data: BriefData) -> Html:
    """Every chart with data, embedded, with its alt text and a numbered caption naming its function."""
    words = wording()
    figures = []
    for _, row in data.charts.iterrows():
        has_data = str(row["has_data"]).strip().lower() in {"true", "1"}
        path = (data.figures_dir or Path(".")) / str(row["file"])
        if not has_data or not path.is_file():
            continue
        caption = words["figure_caption"].format(n=len(figures) + 1, title=row["title"], note=row["source_note"])
        function = f' ({esc(words["figure_function"])} <code class="pb-ltr">{esc(row["function"])}</code>)'
        figures.append(
            f'<figure><img src="{_image_data_url(path)}" alt="{esc(row["alt_text"])}">'
            f"<figcaption>{esc(caption)}{function if row['function'] else ''}</figcaption></figure>"
        )
    return Html("".join(figures)) if figures else _empty()


def conflicts(data: BriefData, notes: Notes, heading: str = "أرقام متضاربة") -> Html:
    """The figures on which sources disagree, each value with its note; nothing when they all agree."""
    if data.conflicts.empty:
        return Html("")
    cols = wording()["columns"]["conflicts"]
    flagged = data.key_figures[data.key_figures["conflict"]]
    rows = []
    for _, c in data.conflicts.iterrows():
        same = flagged[
            (flagged["initiative_id"] == c["initiative_id"]) & (flagged["unit"] == c["unit"])
            & (flagged["target_year"].astype(str) == str(c["target_year"]))
        ]
        values = "<br>".join(_figure_with_note(r, notes) for _, r in same.iterrows()) or _cell_list(c["values"])
        rows.append([esc(c["initiative"]), values, esc(c["target_year"])])
    headers = [cols["initiative"], cols["values"], cols["target_year"]]
    return Html(f"<h2>{esc(heading)}</h2>" + _table(headers, rows, "pb-conflicts"))


def method_counts(data: BriefData, notes: Notes | None = None) -> Html:
    """What was extracted, counted: figures, dates and entities from how many articles."""
    words = wording()
    counts = data.extracted_counts
    if not counts:
        return Html("")
    text = wording()["method_counts"].format(
        figures=count_phrase(counts.get("figures", 0), "figure"),
        dates=count_phrase(counts.get("dates", 0), "date"),
        entities=count_phrase(counts.get("entities", 0), "entity"),
        articles=count_phrase(len(data.documents), "article"),
    )
    marker = notes.computed(words["derived_count"].format(what=words["derived_extracted"])) if notes else ""
    return Html(f"<p>{esc(text[:-1])}{marker}.{method_skipped(data)}</p>")


def method_skipped(data: BriefData) -> str:
    """A sentence naming every input file the build did not read (empty when it read them all)."""
    if not data.skipped:
        return ""
    words = wording()
    names = words["comma"].join(f"<bdi>{esc(line.split(': ', 1)[0])}</bdi>" for line in data.skipped)
    return " " + words["method_skipped"].format(count=len(data.skipped), names=names)


def sources(data: BriefData) -> Html:
    """Numbered sources: title, outlet, date and link (or file name)."""
    words = wording()
    numbers = data.source_numbers
    docs = data.documents.set_index("doc_id", drop=False)
    from .brief_review import story_labels

    copies = story_labels(data, numbers)  # syndicated copies name the source they repeat
    items = []
    for doc_id, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        d = docs.loc[doc_id]
        title = d["title"] or words["source_untitled"]
        parts = [f"<strong>{esc(title)}</strong>", esc(d["outlet"] or words["source_no_outlet"]),
                 esc(date_ar(d["published"]) or words["source_undated"])]
        url = str(d["url"] or "")
        if url.startswith(("http://", "https://")):
            parts.append(f'<a class="pb-ltr" href="{esc(url)}">{esc(url)}</a>')
        parts.append(f'<span class="pb-meta pb-ltr">{esc(d["file"] or doc_id)}</span>')
        if doc_id in copies:
            parts.append(f'<span class="pb-meta">{esc(copies[doc_id])}</span>')
        items.append(f'<li id="pb-source-{n}" value="{n}">{"، ".join(parts)}</li>')
    return Html(f'<ol class="pb-sources">{"".join(items)}</ol>') if items else _empty()


def colophon(data: BriefData) -> Html:
    """Build time, Python and package versions, input hashes and the duration of each step."""
    import platform

    from .manifest import package_versions, utc_now

    words = wording()["colophon"]
    inputs = "<br>".join(
        f'<span class="pb-ltr">{esc(f)}: {esc(h)}</span>'
        for f, h in zip(data.documents["file"], data.documents["sha256"])
    )
    packages = ", ".join(f"{esc(k)} {esc(v)}" for k, v in package_versions().items())
    steps = ", ".join(f'{esc(s["step"])} {format_number(float(s["seconds"]), 1)}' for s in data.steps)
    rows = [
        [esc(words["built_at"]), f'<span class="pb-ltr">{esc(data.built_at or utc_now())}</span>'],
        [esc(words["python"]), f'<span class="pb-ltr">{esc(platform.python_version())}</span>'],
        [esc(words["packages"]), f'<span class="pb-ltr">{packages}</span>'],
        [esc(words["inputs"]), inputs],
    ]
    if steps:
        rows.append([esc(words["steps"]), f'<span class="pb-ltr">{steps}</span>'])
    cols = wording()["columns"]["colophon"]
    return Html(f'<div class="pb-colophon">{_table([cols["item"], cols["value"]], rows)}</div>')
