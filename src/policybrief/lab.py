"""JupyterLab workbench: interactive right-to-left tables (itables, offline) and filter widgets (ipywidgets).

``setup_notebook()`` is the first call of every notebook: it puts the shared right-to-left stylesheet in the
page, loads the DataTables library shipped inside itables (nothing is fetched from the network) and makes
every displayed DataFrame a right-to-left table. Cells are formatted by ``policybrief.display`` (escaped
text, codes with Arabic labels, lists, dates, isolated ids), so both kinds of table show the same content.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from . import display as view
from . import explore

DEFAULT_PAGE_LENGTH = 10


class LabError(view.OneLineError, ValueError):
    """A bad argument to a workbench helper; shown as its one-line message in a notebook."""


def setup_notebook() -> bool:
    """Stylesheet, offline interactive tables and right-to-left DataFrames for this kernel (False outside IPython)."""
    from IPython import get_ipython
    from IPython.display import HTML, display

    if get_ipython() is None:
        return False
    import itables

    display(HTML(f"<style>{view.stylesheet()}</style>"))
    itables.init_notebook_mode(all_interactive=False, connected=False)
    view.use_rtl_tables()
    return True


def _as_frame(df: Any, name: str = "df") -> pd.DataFrame:
    if isinstance(df, pd.Series):
        return df.to_frame()
    if not isinstance(df, pd.DataFrame):
        raise LabError(f"{name} must be a table (pandas DataFrame), not {type(df).__name__}")
    return df


def html_frame(df: pd.DataFrame, highlight: bool = True) -> pd.DataFrame:
    """``df`` as escaped cell HTML under header HTML (Arabic label over column name), row labels kept when meaningful."""
    shown = view.with_index_column(df) if view.meaningful_index(df) else df
    columns = [str(c) for c in shown.columns]
    if len(set(columns)) != len(columns):
        raise LabError(f"the table has repeated column names: {sorted({c for c in columns if columns.count(c) > 1})}")
    records = shown.to_dict("records")
    long_text = set(view.cell_rules()["sentence_columns"])

    def cell(column: str, row: dict) -> str:
        inner = view.cell_html(column, row, highlight)
        return f'<div class="pb-sentence">{inner}</div>' if column in long_text and len(inner) > 60 else inner

    cells = {view.header_label_html(c): [cell(c, row) for row in records] for c in columns}
    return pd.DataFrame(cells, columns=list(cells))


def hidden_column_positions(columns: Sequence[str], show: Iterable[str] = ()) -> list[int]:
    """Positions of the columns shown only on request (``display_cells.yml: hidden_columns``).

    >>> hidden_column_positions(["doc_id", "value", "start", "end"], show=["end"])
    [2]
    """
    hidden = set(view.cell_rules()["hidden_columns"]) - set(show)
    return [i for i, c in enumerate(columns) if c in hidden]


def table_options(columns: Sequence[str], show: Iterable[str] = (), page_length: int = DEFAULT_PAGE_LENGTH) -> dict:
    """The DataTables options: paging, search, horizontal scrolling under a fixed header, more columns on demand."""
    language = dict(view.cell_rules()["datatables"])
    more_columns = language.pop("more_columns")
    return {
        "classes": "display compact cell-border",
        # JupyterLab's CSS fixes table layouts (equal columns, text spilling over): let widths follow content.
        "style": "table-layout:auto;width:auto;margin:0",
        "scrollX": True,
        "scrollY": "32em",
        "scrollCollapse": True,
        "paging": True,
        "pageLength": page_length,
        "lengthMenu": [10, 25, 50, 100],
        "order": [],
        "maxBytes": 0,
        "maxColumns": 0,
        "display_logo_when_loading": False,
        "columnDefs": [{"visible": False, "targets": hidden_column_positions(columns, show)}],
        "layout": {
            "topStart": "pageLength",
            "topEnd": "search",
            "top2Start": {"buttons": [{"extend": "colvis", "text": more_columns}]},
            "bottomStart": "info",
            "bottomEnd": "paging",
        },
        "language": language,
    }


class InteractiveTable:
    """An itables table inside a right-to-left block (``_repr_html_``); needs ``setup_notebook()`` first."""

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment

    def _repr_html_(self) -> str:
        return f'<div class="pb-itable pb-rtl" dir="rtl" lang="ar">{self.fragment}</div>'


def table(
    df: pd.DataFrame, show: Iterable[str] = (), highlight: bool = True, page_length: int = DEFAULT_PAGE_LENGTH
) -> InteractiveTable:
    """A sortable, searchable, paginated right-to-left table; ``show`` names hidden columns to show at once.

    Columns such as offsets and rule names start hidden: the "more columns" button shows them.
    """
    from itables import to_html_datatable

    df = _as_frame(df)
    show = [show] if isinstance(show, str) else list(show)
    shown = view.with_index_column(df) if view.meaningful_index(df) else df
    unknown = sorted(set(show) - {str(c) for c in shown.columns})
    if unknown:
        raise LabError(f"no column {unknown[0]!r} in this table; columns: {', '.join(map(str, shown.columns))}")
    frame = html_frame(df, highlight)
    options = table_options([str(c) for c in shown.columns], show, page_length)
    return InteractiveTable(to_html_datatable(frame, allow_html=True, showIndex=False, connected=False, **options))


def _choices(values: Iterable[Any], all_label: str) -> list[tuple[str, Any]]:
    distinct = sorted({str(v) for v in values if str(v).strip()})
    return [(all_label, None)] + [(v, v) for v in distinct]


def figure_filters(figures: pd.DataFrame, documents: pd.DataFrame, initiatives: pd.DataFrame | None = None):
    """Drop-downs (initiative, unit, document, target year, kind of initiative) over the figures table,
    the filtered table under them, and the full provenance of the figure picked in the last drop-down."""
    import ipywidgets as widgets

    figures = _as_frame(figures, "figures")
    labels = view.column_labels()
    everything = "الكل"
    names, kinds = {}, []
    if initiatives is not None and len(initiatives):
        names = dict(zip(initiatives["initiative_id"].astype(str), initiatives["name"].astype(str)))
        kinds = sorted(set(initiatives["kind"].astype(str)) - {""})
    initiative_options = [(everything, None)] + sorted(
        ((names.get(i, i), i) for i in set(figures["initiative_id"].astype(str)) if i), key=lambda o: o[0]
    )
    kind_labels = view.cell_rules()["codes"]["kind"]
    theme_options = [(everything, None)] + [(kind_labels.get(k, k), k) for k in kinds]
    controls = {
        "initiative": widgets.Dropdown(options=initiative_options, description=labels["initiative"]),
        "unit": widgets.Dropdown(options=_choices(figures["unit"], everything), description=labels["unit"]),
        "doc_id": widgets.Dropdown(options=_choices(figures["doc_id"], everything), description=labels["doc_id"]),
        "target_year": widgets.Dropdown(
            options=_choices(figures["target_year"], everything), description=labels["target_year"]
        ),
        "theme": widgets.Dropdown(options=theme_options, description=labels["kind"]),
    }
    picked = widgets.Dropdown(options=[], description=labels["value"], layout=widgets.Layout(width="40em"))
    # HTML widgets, not Output widgets: a notebook run by nbclient (the build) syncs Output widgets back and
    # forth with the kernel, which could keep both busy until the cell timeout.
    table_view, sources_view = widgets.HTML(), widgets.HTML()

    def refresh(_=None) -> None:
        rows = explore.filter_figures(
            figures, initiative=controls["initiative"].value, unit=controls["unit"].value,
            doc_id=controls["doc_id"].value, target_year=controls["target_year"].value,
            initiatives=initiatives, kind=controls["theme"].value,
        )
        picked.options = [(f"{label} · {row['quote']} · {row['doc_id']}", label) for label, row in rows.iterrows()]
        table_view.value = view.rtl_table(rows, max_rows=200)._repr_html_()

    def provenance(_=None) -> None:
        sources = ""
        if picked.value is not None:
            sources = view.show_sources(explore.sources_of(picked.value, figures, documents))._repr_html_()
        sources_view.value = sources

    for control in controls.values():
        control.observe(refresh, names="value")
    picked.observe(provenance, names="value")
    refresh()
    provenance()
    box = widgets.VBox([
        widgets.HBox(list(controls.values())[:3], layout=widgets.Layout(flex_flow="row wrap")),
        widgets.HBox(list(controls.values())[3:], layout=widgets.Layout(flex_flow="row wrap")),
        table_view,
        widgets.HTML(f'<div dir="rtl" lang="ar"><b>{html.escape("مصادر الرقم المختار")}</b></div>'),
        picked,
        sources_view,
    ])
    box.add_class("pb-widgets")
    return box
