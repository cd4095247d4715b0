"""CSV formula injection: cells a spreadsheet would evaluate are written inert and read back unchanged."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from policybrief import store


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
    path = store.write_csv(pd.DataFrame({"title": [cell], "value": [-3.0]}), tmp_path / "t.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        raw = list(csv.reader(handle))
    assert raw[1] == [written, "-3.0"]  # the number column is a number, untouched
    assert store.read_csv(path)["title"].tolist() == [cell]


def test_extract_tables_from_a_hostile_catalogue_are_inert(tmp_path):
    from policybrief.cli import main

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    (seeds / "a.txt").write_text("الرباط - خصصت الوزارة 12 مليون درهم لبرنامج التكوين.\n", encoding="utf-8")
    (seeds / "sources.csv").write_text(
        'file,url,outlet,published,title\na.txt,https://x.example/a,"=HYPERLINK(""http://evil.example"")",'
        '2025-01-02,@SUM(1+1)\n', encoding="utf-8")
    assert main(["extract", str(seeds), "--out", str(out)]) == 0
    with open(out / "documents.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["outlet"] == '\'=HYPERLINK("http://evil.example")' and rows[0]["title"] == "'@SUM(1+1)"
    assert store.read_csv(out / "documents.csv")["outlet"].tolist() == ['=HYPERLINK("http://evil.example")']
