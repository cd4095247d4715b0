"""CSV formula injection: cells a spreadsheet would evaluate are written inert and read back unchanged."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from policybrief import store
from policybrief.paths import OutputLayout


def _chart_index(title: str) -> pd.DataFrame:
    return pd.DataFrame([{"file": "a.png", "title": title, "alt_text": "-", "labels": "", "source_note": "",
                          "function": "tests", "has_data": True, "width_in": 6.0, "sentence": "",
                          "sentence_items": ""}])


@pytest.mark.parametrize(
    "cell, written",
    [
        pytest.param('=HYPERLINK("http://x.example","اضغط")', '\'=HYPERLINK("http://x.example","اضغط")', id="hyperlink"),
        pytest.param("@SUM(A1:A9)", "'@SUM(A1:A9)", id="at-sum"),
        pytest.param("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0", id="plus-cmd"),
        pytest.param("-2+3", "'-2+3", id="minus-formula"),
        pytest.param("\tعنوان", "'\tعنوان", id="leading-tab"),
        pytest.param("'already quoted", "''already quoted", id="apostrophe-doubled"),
        pytest.param("-2.5", "-2.5", id="plain-negative-number-kept"),
        pytest.param("وكالة المغرب العربي", "وكالة المغرب العربي", id="ordinary-text-kept"),
    ],
)
def test_csv_cells_never_run_as_formulas_and_read_back_unchanged(tmp_path, cell, written):
    layout = OutputLayout(tmp_path)
    path = store.write_table("chart_index", _chart_index(cell), layout)
    with open(path, encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert raw[0]["title"] == written and raw[0]["has_data"] == "True"  # the flag column is not text: untouched
    assert raw[0]["alt_text"] == "'-"  # a lone minus is not a number
    assert store.read_table("chart_index", layout)["title"].tolist() == [cell]


def test_extracted_sentence_that_starts_like_a_formula_is_inert(tmp_path):
    from policybrief.cli import main

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    sentence = '=HYPERLINK("https://x") خصصت الوزارة 12 مليون درهم للتكوين.'
    (seeds / "a.txt").write_text(f"عنوان الخبر\n\n{sentence}\n", encoding="utf-8")
    assert main(["extract", str(seeds), "--out", str(out)]) == 0
    with open(out / "figures.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["sentence"] == "'" + sentence for row in rows)
    assert store.read_table("figures", OutputLayout.flat(out))["sentence"].tolist() == [sentence] * len(rows)
