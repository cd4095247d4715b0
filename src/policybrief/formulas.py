"""CSV cells that a spreadsheet would run as a formula are written inert and read back unchanged.

Analysts open the tables in a spreadsheet, and a cell taken from an article or ``sources.csv`` that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (``=HYPERLINK(…)``, ``@SUM(…)``,
``-2+3``) would be evaluated there. As spreadsheet vendors and OWASP recommend, such a text cell is
written with a leading apostrophe (shown by no spreadsheet, and turning the cell into text). A cell that
already starts with an apostrophe gets one more, so ``restore_cell`` can always remove exactly one.
Plain numbers written as text (``-2.5``) are left alone: a spreadsheet reads them as the number they are.
"""
from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = frozenset("=+-@\t\r")
ESCAPE = "'"
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_FLAGGED = FORMULA_STARTS | {ESCAPE}


def neutralize_cell(value: object) -> object:
    """``value`` made inert for a spreadsheet when it is text a spreadsheet would evaluate.

    >>> neutralize_cell("=HYPERLINK(\\"http://x\\")"), neutralize_cell("-2+3"), neutralize_cell("-2.5")
    ('\\'=HYPERLINK("http://x")', "'-2+3", '-2.5')
    >>> neutralize_cell("'quoted"), neutralize_cell("عادي"), neutralize_cell(3.5)
    ("''quoted", 'عادي', 3.5)
    """
    if value.__class__ is not str or not value or value[0] not in _FLAGGED:
        return value
    if value[0] in "+-" and _PLAIN_NUMBER.fullmatch(value):
        return value
    return ESCAPE + value


def restore_cell(value: object) -> object:
    """The cell as it was before ``neutralize_cell``.

    >>> restore_cell("'=SUM(A1)"), restore_cell("''quoted"), restore_cell("-2.5")
    ('=SUM(A1)', "'quoted", '-2.5')
    """
    if value.__class__ is str and value[:1] == ESCAPE:
        return value[1:]
    return value


def _map_text_columns(df: pd.DataFrame, flagged, change) -> pd.DataFrame:
    """``df`` with ``change`` applied to every text cell, copying only the columns with a cell to change."""
    changed = {}
    for name in df.columns:
        column = df[name]
        if column.dtype != object and str(column.dtype) != "str":
            continue
        values = column.tolist()
        if any(v.__class__ is str and v[:1] in flagged for v in values):
            changed[name] = pd.Series([change(v) for v in values], index=df.index, dtype=column.dtype)
    return df.assign(**changed) if changed else df


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell passed through ``neutralize_cell`` (number columns untouched)."""
    return _map_text_columns(df, _FLAGGED, neutralize_cell)


def restore_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as it was before ``neutralize_formulas`` (for tables read back from CSV)."""
    return _map_text_columns(df, {ESCAPE}, restore_cell)
