"""The workbench helpers without a browser: interactive-table HTML (offline), options, widgets, one-line errors."""
from __future__ import annotations

import pandas as pd
import pytest

from policybrief import lab

SENTENCE = "وبلغت كلفة المشروع 12 مليون دولار حسب بلاغ للوكالة نشر يوم الاثنين في الموقع الرسمي."


def _figures() -> pd.DataFrame:
    return pd.DataFrame([
        {"doc_id": "664fefe41d1e0b64.txt_000", "value": 12e6, "unit": "USD", "what": "", "quote": "12 مليون دولار",
         "start": 19, "end": 33, "sentence": SENTENCE, "qualifier": "", "is_target": False, "target_year": "",
         "initiative_id": "ini_a", "bound": "", "rule": "money"},
        {"doc_id": "b.txt", "value": 30.0, "unit": "percent", "what": "", "quote": "30 في المائة",
         "start": 5, "end": 17, "sentence": "ترتفع 30 في المائة من الخدمات الرقمية.", "qualifier": "",
         "is_target": True, "target_year": "2030", "initiative_id": "ini_b", "bound": "", "rule": "percent"},
    ])


def _initiatives() -> pd.DataFrame:
    return pd.DataFrame([
        {"initiative_id": "ini_a", "name": "منصة الخدمات", "kind": "programme"},
        {"initiative_id": "ini_b", "name": "الاستراتيجية الرقمية", "kind": "strategy"},
    ])


def test_interactive_table_is_offline_right_to_left_and_escaped():
    hostile = _figures().assign(what=['<script>alert("x")</script>', ""])
    fragment = lab.table(hostile)._repr_html_()
    assert fragment.startswith('<div class="pb-itable pb-rtl" dir="rtl" lang="ar">')
    assert "unpkg" not in fragment and "cdn" not in fragment.lower()  # the library comes from setup_notebook
    assert "<script>alert" not in fragment and "&lt;script&gt;" in fragment
    assert "دولار" in fragment and "<mark" in fragment  # code label, quote marked in its sentence


def test_cells_and_headers_are_the_display_module_html():
    frame = lab.html_frame(_figures())
    header = next(c for c in frame.columns if ">doc_id<" in c)
    assert "الوثيقة" in header
    assert frame[header].tolist()[0] == '<bdi class="pb-id" dir="ltr">664fefe41d1e0b64.txt_000</bdi>'
    long_sentences = frame[next(c for c in frame.columns if ">sentence<" in c)]
    assert all(cell.startswith('<div class="pb-sentence">') for cell in long_sentences)


def test_meaningful_row_labels_become_a_column():
    frame = lab.html_frame(pd.DataFrame({"value": [1.0, 3.0]}).describe())
    assert frame.iloc[:, 0].tolist()[:3] == ['<bdi class="pb-id" dir="ltr">count</bdi>',
                                             '<bdi class="pb-id" dir="ltr">mean</bdi>',
                                             '<bdi class="pb-id" dir="ltr">std</bdi>']


@pytest.mark.parametrize(
    ("show", "expected_hidden"),
    [
        pytest.param((), ["start", "end", "rule", "bound"], id="offsets-and-rule-hidden-by-default"),
        pytest.param(["start", "end"], ["rule", "bound"], id="shown-on-request"),
    ],
)
def test_short_default_set_of_columns(show, expected_hidden):
    columns = list(_figures().columns)
    options = lab.table_options(columns, show)
    hidden = [columns[i] for i in options["columnDefs"][0]["targets"]]
    assert sorted(hidden) == sorted(expected_hidden)
    assert options["scrollX"] and options["paging"] and options["layout"]["topEnd"] == "search"
    assert options["layout"]["top2Start"]["buttons"][0]["extend"] == "colvis"


@pytest.mark.parametrize(
    ("call", "expected_words"),
    [
        pytest.param(lambda: lab.table(_figures(), show=["quotes"]), "no column 'quotes' in this table", id="unknown-column"),
        pytest.param(lambda: lab.table("figures.csv"), "must be a table (pandas DataFrame), not str", id="not-a-table"),
    ],
)
def test_bad_arguments_are_one_line(call, expected_words):
    with pytest.raises(lab.LabError) as caught:
        call()
    assert expected_words in str(caught.value) and "\n" not in str(caught.value)


def test_setup_outside_ipython_does_nothing():
    assert lab.setup_notebook() is False


def test_figure_filters_offer_every_value_and_filter_the_table():
    widgets = pytest.importorskip("ipywidgets")
    documents = pd.DataFrame([{"doc_id": "664fefe41d1e0b64.txt_000", "text": "x" * 19 + "12 مليون دولار"},
                              {"doc_id": "b.txt", "text": "ترتفع 30 في المائة"}])
    box = lab.figure_filters(_figures(), documents, _initiatives())
    dropdowns = [w for row in box.children[:2] for w in row.children if isinstance(w, widgets.Dropdown)]
    by_label = {d.description: d for d in dropdowns}
    assert [o[0] for o in by_label["المبادرة"].options] == ["الكل", "الاستراتيجية الرقمية", "منصة الخدمات"]
    assert [o[0] for o in by_label["النوع"].options] == ["الكل", "برنامج", "استراتيجية"]
    picked = box.children[4]
    assert len(picked.options) == 2
    by_label["النوع"].value = "strategy"
    assert [value for _, value in picked.options] == [1]  # only the strategy's figure is left to pick
