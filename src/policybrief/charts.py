"""The brief's charts: one function per chart, each taking tables and returning a ``ChartSpec`` with its Figure.

Arabic labels are logical strings passed through ``shaping.prepare_label`` (unchanged on matplotlib >= 3.11,
which shapes itself). Category labels sit on the right and bars grow leftwards, the way an Arabic reader
scans; value axes are hidden and each bar carries its value written the press way. ``ChartSpec.labels``
is read back from the Text artists of the drawn figure. Only ``save_charts`` writes, through ``store``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.lines import Line2D
from matplotlib.text import Text

from . import rules
from .findings import rank_figures
from .fonts import ensure_arabic_fonts
from .formatting import is_money, outlet_names, unit_word
from .paths import OutputLayout
from .schemas import column_names
from .shaping import prepare_label
from .style import HouseStyle, count_phrase, date_text, house_style, restyle, value_text
from .tables import SEP, split_cell
from .textnorm import match_key

# Arabic glyphs first; DejaVu Sans draws Latin names and symbols the Arabic fonts lack.
FONT_PREFERENCE = ("Noto Sans Arabic", "DejaVu Sans", "Noto Naskh Arabic", "Amiri")
MAX_LABEL_CHARS = 42
MAX_TIMELINE_ROWS = 15
MAX_BARS = 15          # more than this and a chart stops being read; the rest is in the appendix tables
MAX_BARS_PER_SOURCE = 3  # one article's statistics, or one subject's values, never fill a chart
MIN_ITEMS = 3          # fewer items than this make a sentence, not a chart
MIN_CHART_RELEVANCE = 4  # policy figures only (findings.relevance): no stray counts, ranks or past statistics
MIN_KINDS_INITIATIVES = 10  # below this the initiatives-by-kind chart says nothing the theme sections do not
MAX_NETWORK_ROWS = 12
MAX_OTHER_PANELS = 3   # units shown in the "other figures" chart: one panel each
HORIZON_YEARS_BACK = 3  # the timeline starts this many years before the latest article
PAGE_WIDTH_IN = 8       # drawn width of a full-width chart (the brief scales narrower ones down)
BAR_COLOR = "#1f6f8b"
TARGET_COLOR = "#d1495b"
INDEX_COLUMNS = tuple(column_names("chart_index"))


@dataclass
class ChartSpec:
    """One chart of the brief: stable file stem, Arabic title, alt text, source note, the Figure and its labels."""

    stem: str
    title: str
    alt_text: str
    source_note: str
    figure: Figure
    function: str
    has_data: bool = True
    labels: tuple[str, ...] = field(default=())
    sentence: str = ""  # what the brief says instead when there is too little to draw
    sentence_items: list = field(default_factory=list)  # that sentence's figures, with doc_id/start/end for notes


def _text(key: str) -> str:
    return rules.load("presentation")["chart_text"][key]


def font_families(preference: tuple[str, ...] = FONT_PREFERENCE) -> list[str]:
    """The installed families of ``preference``, in order (DejaVu Sans, shipped with matplotlib, always)."""
    ensure_arabic_fonts()  # a stale matplotlib font cache cannot hide the Arabic fonts
    installed = {f.name for f in fontManager.ttflist}
    return [name for name in preference if name in installed] or ["DejaVu Sans"]


def shorten(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``label`` cut at a word boundary with an ellipsis when longer than ``limit`` characters.

    >>> shorten("مختبر البحث والتطوير المشترك في الذكاء الاصطناعي", 20)
    'مختبر البحث والتطوير…'
    """
    label = " ".join(str(label).split())
    if len(label) <= limit:
        return label
    cut = label[: limit + 1].rsplit(" ", 1)[0] or label[:limit]
    return cut.rstrip(" ،,:-") + "\u2026"


def source_note(documents: pd.DataFrame | None) -> str:
    """One line naming the outlets and the number of articles the charts are drawn from.

    >>> source_note(pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["hespress.com", ""]}))
    'المصدر: hespress.com، منبر غير محدد · عدد المقالات: 2'
    """
    if documents is None or documents.empty:
        return _text("source_template").format(outlets=_text("source_unknown"), n=0)
    outlets = outlet_names(documents.get("outlet", pd.Series(dtype=object)).fillna(""), _text("source_unknown_some"))
    if outlets == [_text("source_unknown_some")]:
        outlets = [_text("source_unknown")]
    return _text("source_template").format(outlets="، ".join(outlets), n=len(documents))


def _new_figure(width: float, height: float) -> Figure:
    """A Figure with an Agg canvas (no pyplot state) and constrained layout."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _frame_chart(fig: Figure, title: str, note: str) -> None:
    """Arabic title at the top right and the source note as a line under the chart."""
    fig.suptitle(prepare_label(title), x=0.99, ha="right", fontsize=13, fontweight="bold")
    fig.supxlabel(prepare_label(note), x=0.99, ha="right", fontsize=8, color="0.35")


def _rtl_bar_axes(ax) -> None:
    """Bars grow leftwards from the right edge; category labels on the right; no value axis."""
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0, labelsize=10, pad=6)
    ax.xaxis.set_visible(False)
    for side in ("top", "left", "bottom"):
        ax.spines[side].set_visible(False)


def drawn_texts(fig: Figure) -> list[Text]:
    """The Text artists a render of ``fig`` draws (visible, non-empty), after laying it out."""
    fig.canvas.draw()
    texts: list[Text | None] = [getattr(fig, "_suptitle", None), getattr(fig, "_supxlabel", None),
                                getattr(fig, "_supylabel", None), *fig.texts]
    for legend in fig.legends:
        texts += [*legend.get_texts(), legend.get_title()]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None), *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible():
                continue
            texts.append(axis.label)
            n_ticks = len(axis.get_majorticklocs())
            for tick in axis.get_major_ticks()[:n_ticks]:
                texts += [tick.label1 if tick.label1.get_visible() else None,
                          tick.label2 if tick.label2.get_visible() else None]
        if ax.get_legend() is not None:
            texts += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
    unique = {id(t): t for t in texts if t is not None and t.get_visible() and t.get_text().strip()}
    return list(unique.values())


def drawn_labels(fig: Figure) -> tuple[str, ...]:
    """The exact strings drawn on ``fig``, in drawing order, each once."""
    return tuple(dict.fromkeys(t.get_text() for t in drawn_texts(fig)))


def _finish(spec: ChartSpec) -> ChartSpec:
    spec.labels = drawn_labels(spec.figure)
    return spec


def _with_fonts(build):
    """Run a chart builder with the Arabic font fallback list as the default family."""
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context({"font.family": font_families(), "axes.unicode_minus": False}):
            return _finish(build(*args, **kwargs))
    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = build.__name__, build.__doc__, build
    return wrapper


def no_data_chart(stem: str, title: str, note: str, function: str, sentence: str = "") -> ChartSpec:
    """A chart that says clearly there is nothing to draw, so the brief keeps a stable set of files.

    ``sentence`` is what the brief writes instead (e.g. the one or two figures there were).
    """
    with matplotlib.rc_context({"font.family": font_families()}):
        fig = _new_figure(6, 2.2)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, prepare_label(_text("no_data")), ha="center", va="center", fontsize=12, color="0.3")
        _frame_chart(fig, title, note)
        alt = _text("alt_no_data").format(title=title, no_data=_text("no_data"))
        return _finish(ChartSpec(stem, title, alt, note, fig, function, has_data=False, sentence=sentence))


def _few_items(title: str, items: list[str]) -> str:
    """The sentence that replaces a chart of fewer than ``MIN_ITEMS`` items.

    >>> _few_items("أرقام", ["5 ملايين درهم"])
    'أرقام: 5 ملايين درهم.'
    """
    return f"{title}: {'؛ '.join(items)}." if items else ""


# 1. Key figures ---------------------------------------------------------------------------------------

def bar_rows(key_figures: pd.DataFrame, documents: pd.DataFrame | None = None, style: HouseStyle | None = None,
             limit: int = MAX_BARS) -> pd.DataFrame:
    """One bar per distinct stated figure, the most policy-relevant first (``findings.rank_figures``), at most
    ``limit``: category (subject, else the article's title), value, unit and the Arabic value label (with the target
    year, and a mark when sources disagree on it). Past statistics and market sizes are left out."""
    docs = documents if documents is not None and "published" in documents.columns else pd.DataFrame(
        {"doc_id": key_figures.get("doc_id", pd.Series(dtype=object)).unique(), "published": ""})
    ranked = rank_figures(key_figures.reset_index(drop=True), docs)
    titles = dict(zip(docs["doc_id"], docs["title"])) if "title" in docs.columns else {}
    rows = []
    for f in ranked.itertuples():
        if f.relevance < MIN_CHART_RELEVANCE:
            continue
        title = titles.get(f.doc_id, "")
        title = title if isinstance(title, str) else ""
        category = f.subject_label or title or f.context_label or f.measure_label or f.what or _text("no_initiative")
        label = value_text(f.value, f.unit, f.what, f.qualifier, style)
        if bool(f.is_target) and str(f.target_year):
            label = f"{label} {_text('by_year')} {f.target_year}"
        if bool(getattr(f, "conflict", False)):
            label = f"{label} {_text('conflict_mark')}"
        rows.append({"category": shorten(category), "value": float(f.value), "unit": f.unit, "label": label,
                     "doc_id": f.doc_id, "start": int(f.start), "end": int(f.end)})
    bars = pd.DataFrame(rows, columns=["category", "value", "unit", "label", "doc_id", "start", "end"])
    bars = bars.drop_duplicates(["category", "unit", "label"])
    bars = bars[bars.groupby("doc_id").cumcount() < MAX_BARS_PER_SOURCE]
    bars = bars[bars.groupby("category").cumcount() < MAX_BARS_PER_SOURCE]  # nor one subject's many values
    return bars.head(limit).reset_index(drop=True)


def _panel_title(unit: str) -> str:
    return rules.load("presentation")["panel_titles"].get(unit) or unit_word(unit)


def unit_order(units) -> list[str]:
    """Distinct units in the house panel order: dirham first, other currencies, counts, percent, ranks, others.

    >>> unit_order(["MW", "USD", "percent", "MAD", "count"])
    ['MAD', 'USD', 'count', 'percent', 'MW']
    """
    presentation = rules.load("presentation")
    known = [*presentation["money_units"], "count", "percent", "rank", "points", *presentation["units"]]
    position = {unit: i for i, unit in reversed(list(enumerate(known)))}
    return sorted(dict.fromkeys(units), key=lambda u: (position.get(u, len(known)), u))


def _bar_panels(bars: pd.DataFrame, title: str, note: str, stem: str, function: str) -> ChartSpec:
    units = unit_order(bars["unit"])
    heights = [max(len(bars[bars["unit"] == u]), 1) * 0.42 + 0.55 for u in units]
    fig = _new_figure(PAGE_WIDTH_IN, sum(heights) + 1.1)
    axes = fig.subplots(len(units), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, unit in zip(axes, units):
        panel = bars[bars["unit"] == unit].sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
        positions = range(len(panel))
        ax.barh(list(positions), panel["value"], color=BAR_COLOR, height=0.6)
        ax.set_yticks(list(positions), [prepare_label(c) for c in panel["category"]])
        ax.set_ylim(len(panel) - 0.5, -0.5)
        ax.set_xlim(0, max(panel["value"].max(), 1e-9) * 2.1)
        _rtl_bar_axes(ax)
        ax.set_title(prepare_label(_panel_title(unit)), loc="right", fontsize=10, color="0.25")
        for y, (value, label) in enumerate(zip(panel["value"], panel["label"])):
            ax.annotate(prepare_label(label), (value, y), xytext=(-5, 0), textcoords="offset points",
                        ha="right", va="center", fontsize=9)
    _frame_chart(fig, title, note)
    items = "؛ ".join(f"{c}: {lab}" for c, lab in zip(bars["category"], bars["label"]))
    alt = _text("alt_key_figures").format(panels=count_phrase(len(units), "panel"), figures=count_phrase(len(bars), "figure"),
                                          items=items)
    return ChartSpec(stem, title, alt, note, fig, function)


def _bars_or_sentence(bars: pd.DataFrame, title: str, note: str, stem: str, function: str) -> ChartSpec:
    if len(bars) < MIN_ITEMS:
        items = [{"text": f"{b.label} ({b.category})", "doc_id": b.doc_id, "start": b.start, "end": b.end}
                 for b in bars.itertuples()]
        spec = no_data_chart(stem, title, note, function, _few_items(title, [i["text"] for i in items]))
        spec.sentence_items = items
        return spec
    return _bar_panels(bars, title, note, stem, function)


@_with_fonts
def key_figures_money_chart(key_figures: pd.DataFrame, note: str = "", documents: pd.DataFrame | None = None,
                            style: HouseStyle | None = None) -> ChartSpec:
    """The most relevant money figures (at most 15), one panel (axis) per currency, each bar labelled with
    what it is about and its value; fewer than three make a sentence instead."""
    title, stem = _text("key_figures_money_title"), "key_figures_money"
    bars = bar_rows(key_figures[[is_money(u) for u in key_figures["unit"]]], documents, style)
    return _bars_or_sentence(bars, title, note, stem, "key_figures_money_chart")


@_with_fonts
def key_figures_other_chart(key_figures: pd.DataFrame, note: str = "", documents: pd.DataFrame | None = None,
                            style: HouseStyle | None = None) -> ChartSpec:
    """The most relevant figures in other units (counts, percent, MW...), one panel per unit; ranks and
    scores are left to the tables."""
    title, stem = _text("key_figures_other_title"), "key_figures_other"
    excluded = set(rules.load("presentation")["units_not_charted"])
    chosen = key_figures[[not is_money(u) and u not in excluded for u in key_figures["unit"]]]
    bars = bar_rows(chosen, documents, style)
    main_units = bars["unit"].value_counts().index[:MAX_OTHER_PANELS]  # the rest stay in the tables
    bars = bars[bars["unit"].isin(main_units)].reset_index(drop=True)
    return _bars_or_sentence(bars, title, note, stem, "key_figures_other_chart")


# 2. Timeline ------------------------------------------------------------------------------------------

def date_label(iso: str, style: HouseStyle | None = None) -> str:
    """An ISO date as an Arabic reader writes it, in the corpus's house style (``style.date_text``).

    >>> date_label("2025-07-22", house_style("maghreb")), date_label("2025-09"), date_label("2030")
    ('22 يوليوز 2025', 'سبتمبر 2025', '2030')
    """
    return date_text(iso, style)


def event_text(label: str, initiative: str = "", limit: int = 60) -> str:
    """What a timeline row says: the initiative then the label, shortened on the initiative's side so a
    value in the label is never cut.

    >>> event_text("أكثر من 500 فرصة شغل", "مركز التميز في مجال البيانات والذكاء الاصطناعي بالدار البيضاء", 40)
    'مركز التميز في…: أكثر من 500 فرصة شغل'
    """
    label, initiative = " ".join(str(label).split()), " ".join(str(initiative or "").split())
    if not initiative or initiative == label:
        return shorten(label, limit) if not any(ch.isdigit() for ch in label) else label
    room = limit - len(label) - 2
    if room < 12:
        return label if any(ch.isdigit() for ch in label) else shorten(label, limit)
    return f"{shorten(initiative, room)}: {label}"


def timeline_rows(timeline: pd.DataFrame, limit: int = MAX_TIMELINE_ROWS, data_year: int | None = None,
                  style: HouseStyle | None = None) -> tuple[pd.DataFrame, int]:
    """The rows of the policy horizon in date order, at most ``limit``, and how many were left out.

    The horizon starts ``HORIZON_YEARS_BACK`` years before ``data_year`` (the latest event year when not
    given) and runs to the furthest target. Targets come first, then events of named initiatives, then the
    rest; the chosen rows are drawn in date order.
    """
    rows = []
    for t in timeline.itertuples():
        if not str(t.label).strip():
            continue  # an article's date with no title: nothing to say on a timeline
        text = event_text(restyle(str(t.label), style), t.initiative)
        priority = 0 if t.kind == "target" else 1 if t.initiative else 2
        rows.append({"date": str(t.date), "kind": t.kind, "text": text, "priority": priority, "who": t.initiative or text})
    table = pd.DataFrame(rows, columns=["date", "kind", "text", "priority", "who"]).drop_duplicates(["date", "kind", "text"])
    table = table[table.groupby(["date", "who"]).cumcount() < MAX_BARS_PER_SOURCE].drop(columns="who")
    if table.empty:
        return table.drop(columns="priority"), 0
    years = pd.to_numeric(table["date"].str[:4], errors="coerce")
    if data_year is None:
        events = years[table["kind"] != "target"]
        data_year = int(events.max()) if events.notna().any() else int(years.max())
    in_horizon = table[years >= data_year - HORIZON_YEARS_BACK]
    chosen = in_horizon.sort_values(["priority", "date"], kind="stable").head(limit)
    chosen = chosen.sort_values(["date", "kind"], kind="stable").drop(columns="priority").reset_index(drop=True)
    return chosen, len(table) - len(chosen)


@_with_fonts
def timeline_chart(timeline: pd.DataFrame, note: str = "", style: HouseStyle | None = None,
                   data_year: int | None = None) -> ChartSpec:
    """A vertical timeline of the policy horizon read from the top: date on the right of the line, what
    happened or is targeted on its left; fewer than three rows make a sentence instead."""
    title, stem = _text("timeline_title"), "timeline"
    rows, hidden = timeline_rows(timeline, data_year=data_year, style=style)
    if len(rows) < MIN_ITEMS:
        sentence = _few_items(title, [f"{date_label(d, style)}: {t}" for d, t in zip(rows["date"], rows["text"])])
        return no_data_chart(stem, title, note, "timeline_chart", sentence)
    fig = _new_figure(PAGE_WIDTH_IN, len(rows) * 0.42 + 1.5)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(len(rows) - 0.4 + (0.6 if hidden else 0), -1.0)
    line_x = 0.8
    ax.plot([line_x, line_x], [0, len(rows) - 1], color="0.6", linewidth=1.5, zorder=1)
    previous_date = None
    for y, row in rows.iterrows():
        target = row["kind"] == "target"
        ax.scatter([line_x], [y], marker="D" if target else "o", s=60, zorder=2,
                   color=TARGET_COLOR if target else BAR_COLOR)
        if row["date"] != previous_date:
            ax.text(line_x + 0.025, y, prepare_label(date_label(row["date"], style)), ha="left", va="center",
                    fontsize=10, fontweight="bold")
        ax.text(line_x - 0.025, y, prepare_label(row["text"]), ha="right", va="center", fontsize=10)
        previous_date = row["date"]
    if hidden:
        ax.text(line_x - 0.025, len(rows), prepare_label(_text("more_rows").format(n=hidden)), ha="right",
                va="center", fontsize=9, color="0.4")
    handles = [Line2D([], [], marker="o", linestyle="", color=BAR_COLOR, label=prepare_label(_text("legend_event"))),
               Line2D([], [], marker="D", linestyle="", color=TARGET_COLOR, label=prepare_label(_text("legend_target")))]
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=9, ncols=2)
    _frame_chart(fig, title, note)
    items = "؛ ".join(f"{date_label(d, style)}: {t}" for d, t in zip(rows["date"], rows["text"]))
    alt = _text("alt_timeline").format(first=date_label(rows["date"].iloc[0], style),
                                       last=date_label(rows["date"].iloc[-1], style),
                                       rows=count_phrase(len(rows), "row"), items=items)
    return ChartSpec(stem, title, alt, note, fig, "timeline_chart")


# 3. Actors and initiatives ----------------------------------------------------------------------------

def actor_links(initiatives_table: pd.DataFrame, actors_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Organisation-initiative links: ``lead`` and ``partner`` from the initiatives table, ``mentioned`` for
    organisations named with an initiative in one sentence (actors table) and not already linked."""
    rows = []
    for row in initiatives_table.itertuples():
        for relation, cell in (("lead", row.lead_organizations), ("partner", row.partner_organizations)):
            rows += [{"organization": org, "initiative": row.name, "relation": relation} for org in split_cell(cell)]
    if actors_table is not None and not actors_table.empty:
        for actor in actors_table[actors_table["kind"] == "organization"].itertuples():
            rows += [{"organization": actor.actor, "initiative": name, "relation": "mentioned"}
                     for name in split_cell(actor.initiatives)]
    links = pd.DataFrame(rows, columns=["organization", "initiative", "relation"])
    links["key"] = [match_key(o, casefold=True) + SEP + match_key(i, casefold=True)
                    for o, i in zip(links["organization"], links["initiative"])]
    return links.drop_duplicates("key").drop(columns="key").reset_index(drop=True)


def _order_by_partners(links: pd.DataFrame, initiatives: list[str]) -> list[str]:
    """Organisations ordered by the mean row of the initiatives they link to, so fewer lines cross."""
    rank = {name: i for i, name in enumerate(initiatives)}
    mean_row = links.assign(row=links["initiative"].map(rank)).groupby("organization", sort=False)["row"].mean()
    return mean_row.sort_values(kind="stable").index.tolist()


def _busiest(links: pd.DataFrame, limit: int = MAX_NETWORK_ROWS) -> pd.DataFrame:
    """The links among the ``limit`` initiatives and organisations with most links (leads before partners)."""
    order = {"lead": 0, "partner": 1, "mentioned": 2}
    links = links.assign(_o=links["relation"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    inits = links["initiative"].value_counts(sort=True).index[:limit]
    links = links[links["initiative"].isin(inits)]
    orgs = links["organization"].value_counts(sort=True).index[:limit]
    return links[links["organization"].isin(orgs)].reset_index(drop=True)


def _column_positions(names: list[str], n_rows: int) -> dict[str, float]:
    offset = (n_rows - len(names)) / 2
    return {name: offset + i for i, name in enumerate(names)}


@_with_fonts
def actors_chart(initiatives_table: pd.DataFrame, actors_table: pd.DataFrame | None = None, note: str = "") -> ChartSpec:
    """Which organisations take part in which initiative: organisations on the right, initiatives on the left."""
    title, stem = _text("actors_title"), "actors_initiatives"
    links = actor_links(initiatives_table, actors_table)
    if len(links) < MIN_ITEMS:
        return no_data_chart(stem, title, note, "actors_chart")
    links = _busiest(links)
    inits = links["initiative"].value_counts(sort=True).index.tolist()
    orgs = _order_by_partners(links, inits)
    n_rows = max(len(orgs), len(inits))
    fig = _new_figure(PAGE_WIDTH_IN, n_rows * 0.42 + 1.5)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(n_rows - 0.4, -1.0)
    org_y, init_y = _column_positions(orgs, n_rows), _column_positions(inits, n_rows)
    org_x, init_x = 0.62, 0.38
    styles = {"lead": dict(color=BAR_COLOR, linewidth=2.2, linestyle="-"),
              "partner": dict(color="0.45", linewidth=1.3, linestyle="--"),
              "mentioned": dict(color="0.65", linewidth=1.0, linestyle=":")}
    for link in links.itertuples():
        ax.plot([org_x, init_x], [org_y[link.organization], init_y[link.initiative]], zorder=1, **styles[link.relation])
    ax.scatter([org_x] * len(orgs), list(org_y.values()), s=40, color=BAR_COLOR, zorder=2)
    ax.scatter([init_x] * len(inits), list(init_y.values()), s=60, marker="s", color=TARGET_COLOR, zorder=2)
    for name, y in org_y.items():
        ax.text(org_x + 0.02, y, prepare_label(shorten(name, 38)), ha="left", va="center", fontsize=9.5)
    for name, y in init_y.items():
        ax.text(init_x - 0.02, y, prepare_label(shorten(name, 38)), ha="right", va="center", fontsize=9.5,
                fontweight="bold")
    used = [r for r in ("lead", "partner", "mentioned") if r in set(links["relation"])]
    handles = [Line2D([], [], label=prepare_label(_text(f"legend_{r}")), **styles[r]) for r in used]
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=9, ncols=len(handles))
    _frame_chart(fig, title, note)
    items = "؛ ".join(f"{o} ← {i}" for o, i in zip(links["organization"], links["initiative"]))
    alt = _text("alt_actors").format(organizations=count_phrase(len(orgs), "organization"),
                                     initiatives=count_phrase(len(inits), "initiative"), items=items)
    return ChartSpec(stem, title, alt, note, fig, "actors_chart")


# 4. Initiatives by kind -------------------------------------------------------------------------------

def kind_counts(initiatives_table: pd.DataFrame) -> pd.DataFrame:
    """Number of initiatives per kind with the Arabic kind label, most frequent first."""
    kinds = rules.load("presentation")["kinds"]
    counts = initiatives_table["kind"].fillna("").value_counts(sort=False)
    table = pd.DataFrame({"kind": counts.index, "n": counts.values})
    table["label"] = [kinds.get(k, k) for k in table["kind"]]
    return table.sort_values(["n", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)


@_with_fonts
def kinds_chart(initiatives_table: pd.DataFrame, note: str = "") -> ChartSpec:
    """Initiatives by kind, bars growing leftwards with the kind on the right and the count at the bar end."""
    title, stem = _text("kinds_title"), "initiatives_by_kind"
    counts = kind_counts(initiatives_table)
    if len(counts) < MIN_ITEMS or len(initiatives_table) < MIN_KINDS_INITIATIVES:
        return no_data_chart(stem, title, note, "kinds_chart")
    fig = _new_figure(6, len(counts) * 0.38 + 1.2)
    ax = fig.add_subplot()
    positions = list(range(len(counts)))
    ax.barh(positions, counts["n"], color=BAR_COLOR, height=0.6)
    ax.set_yticks(positions, [prepare_label(label) for label in counts["label"]])
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.set_xlim(0, counts["n"].max() * 1.25)
    _rtl_bar_axes(ax)
    for y, n in zip(positions, counts["n"]):
        ax.annotate(str(n), (n, y), xytext=(-4, 0), textcoords="offset points", ha="right", va="center", fontsize=10)
    _frame_chart(fig, title, note)
    alt = _text("alt_kinds").format(items="، ".join(f"{lab} {n}" for lab, n in zip(counts["label"], counts["n"])))
    return ChartSpec(stem, title, alt, note, fig, "kinds_chart")


# The build ------------------------------------------------------------------------------------------------

def _data_year(documents: pd.DataFrame | None) -> int | None:
    if documents is None or "published" not in documents.columns:
        return None
    years = pd.to_numeric(documents["published"].astype(str).str[:4], errors="coerce").dropna()
    return int(years.max()) if len(years) else None


def build_charts(tables: dict[str, pd.DataFrame], documents: pd.DataFrame | None = None,
                 style: HouseStyle | None = None) -> list[ChartSpec]:
    """The brief's charts, in order, from the analyst tables (``tables.build_tables`` keys), written in the
    corpus's house style."""
    note = source_note(documents)
    key_figures = tables["table_key_figures"]
    return [
        key_figures_money_chart(key_figures, note, documents, style),
        key_figures_other_chart(key_figures, note, documents, style),
        timeline_chart(tables["table_timeline"], note, style, _data_year(documents)),
        actors_chart(tables["table_initiatives"], tables.get("table_actors"), note),
        kinds_chart(tables["table_initiatives"], note),
    ]


def chart_index(specs: list[ChartSpec]) -> pd.DataFrame:
    """The ``figures/index.csv`` table: file, title, alt text, ``|``-separated drawn labels, and more."""
    rows = [{
        "file": f"{s.stem}.png", "title": s.title, "alt_text": s.alt_text, "labels": SEP.join(s.labels),
        "source_note": s.source_note, "function": f"policybrief.charts.{s.function}", "has_data": s.has_data,
        "width_in": round(float(s.figure.get_figwidth()), 2), "sentence": s.sentence,
        "sentence_items": json.dumps(s.sentence_items, ensure_ascii=False) if s.sentence_items else "",
    } for s in specs]
    return pd.DataFrame(rows, columns=list(INDEX_COLUMNS))


def save_charts(specs: list[ChartSpec], layout: OutputLayout, dpi: int = 200) -> pd.DataFrame:
    """Save every chart as PNG and SVG under ``layout.figures_dir`` and write the chart index; return the index."""
    from . import store

    for spec in specs:
        store.save_figure(spec.figure, Path(layout.figures_dir) / spec.stem, dpi=dpi)
    index = chart_index(specs)
    store.write_table("chart_index", index, layout)
    return index
