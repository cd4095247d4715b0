"""Right-to-left HTML views of tables and quotes for notebooks (Jupyter displays the returned objects)."""
from __future__ import annotations

import html

import pandas as pd

RTL_TABLE_CSS = "direction: rtl; text-align: right; unicode-bidi: isolate;"


class RtlHtml:
    """An HTML fragment that Jupyter renders (``_repr_html_``) inside a right-to-left block."""

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment

    def _repr_html_(self) -> str:
        return f'<div dir="rtl" lang="ar" style="{RTL_TABLE_CSS}">{self.fragment}</div>'


def rtl_table(df: pd.DataFrame, max_rows: int = 50) -> RtlHtml:
    """A table with Arabic text shown right-to-left; every cell is HTML-escaped."""
    shown = df.head(max_rows)
    return RtlHtml(shown.to_html(index=False, escape=True, border=0, classes="rtl-table"))
