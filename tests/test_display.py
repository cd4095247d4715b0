"""Right-to-left HTML views: escaping, Arabic headers, highlighted quotes."""
from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from policybrief import display
from policybrief.schemas import SCHEMAS


class _Collect(HTMLParser):
    """Tags seen, text inside <mark>, and the text of each <th> and <td>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.marks: list[str] = []
        self.cells: dict[str, list[str]] = {"th": [], "td": []}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)
        if tag in self.cells:
            self.cells[tag].append("")
        if tag == "mark":
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag)]

    def handle_data(self, data):
        if "mark" in self._open:
            self.marks[-1] += data
        for cell in ("td", "th"):
            if cell in self._open:
                self.cells[cell][-1] += data


def _parse(fragment: str) -> _Collect:
    parser = _Collect()
    parser.feed(fragment)
    return parser


HOSTILE = 'بلغ <script>alert("x")</script> 5 ملايين & "أكثر"'


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(lambda: display.rtl_table(pd.DataFrame({"quote": [HOSTILE]}))._repr_html_(), id="table-cell"),
        pytest.param(lambda: display.rtl_table(pd.DataFrame({HOSTILE: ["x"]}))._repr_html_(), id="table-header"),
        pytest.param(lambda: display.highlight_quote(HOSTILE, "5 ملايين")._repr_html_(), id="quote-sentence"),
        pytest.param(lambda: display.highlight_quote("أ <b>ب</b>", "<b>ب</b>")._repr_html_(), id="quote-itself"),
        pytest.param(
            lambda: display.show_sources(pd.DataFrame([{
                "doc_id": "<i>d</i>", "title": HOSTILE, "url": 'https://x.org/"><script>', "quote": "5",
                "sentence": HOSTILE, "start": 0, "end": 1,
            }]))._repr_html_(),
            id="sources",
        ),
        pytest.param(lambda: display.rtl_markdown(HOSTILE)._repr_markdown_(), id="markdown"),
    ],
)
def test_document_text_is_escaped(render):
    fragment = render()
    tags = {tag for tag, _ in _parse(fragment).tags}
    assert "script" not in tags and "b" not in tags and "i" not in tags
    assert "<script" not in fragment


def test_table_is_right_to_left_with_arabic_headers_over_column_names():
    fragment = display.rtl_table(pd.DataFrame({"unit": ["MAD"], "zz_custom": [1]}))._repr_html_()
    parsed = _parse(fragment)
    outer_tag, outer_attrs = parsed.tags[0]
    assert (outer_tag, outer_attrs["dir"], outer_attrs["lang"]) == ("div", "rtl", "ar")
    assert "direction: rtl" in outer_attrs["style"]
    assert parsed.cells["th"] == ["الوحدةunit", "zz_custom"]


def test_every_schema_column_has_an_arabic_label():
    labels = display.column_labels()
    missing = [c.name for cols in SCHEMAS.values() for c in cols if c.name not in labels]
    assert missing == []
    assert all(display.has_arabic(label) for label in labels.values())


@pytest.mark.parametrize(
    ("row", "expected_mark", "expected_sentence"),
    [
        pytest.param(
            {"quote": "5", "sentence": "سجل 5 مشاريع في 5 جهات.", "start": 116, "sentence_start": 100},
            "5", "سجل 5 مشاريع في 5 جهات.", id="offset-picks-second-occurrence",
        ),
        pytest.param(
            {"quote": "10.8 مليار دولار", "sentence": "استثمار بقيمة 10.8 مليار دولار."},
            "10.8 مليار دولار", "استثمار بقيمة 10.8 مليار دولار.", id="first-occurrence-without-offsets",
        ),
        pytest.param(
            {"quote": "غائب", "sentence": "جملة بلا الاقتباس."},
            None, "جملة بلا الاقتباس.", id="quote-not-in-sentence",
        ),
    ],
)
def test_table_marks_the_quote_in_its_sentence(row, expected_mark, expected_sentence):
    parsed = _parse(display.rtl_table(pd.DataFrame([row]))._repr_html_())
    sentence_cell = parsed.cells["td"][1]
    assert sentence_cell == expected_sentence
    assert parsed.marks == ([expected_mark] if expected_mark else [])


def test_offset_highlight_marks_the_right_occurrence():
    fragment = display.table_html(
        pd.DataFrame([{"quote": "5", "sentence": "سجل 5 مشاريع في 5 جهات.", "start": 116, "sentence_start": 100}])
    )
    assert "في <mark" in fragment and "سجل <mark" not in fragment


def test_highlight_can_be_turned_off():
    row = {"quote": "5", "sentence": "سجل 5 مشاريع."}
    assert _parse(display.table_html(pd.DataFrame([row]), highlight=False)).marks == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(10800000000.0, "10,800,000,000", id="whole-float-billions"),
        pytest.param(0.5, "0.5", id="fraction"),
        pytest.param(float("nan"), "", id="nan-empty"),
        pytest.param(False, "لا", id="bool-false"),
        pytest.param("2030", "2030", id="year-string-untouched"),
        pytest.param(pd.Series([7], dtype="int64").iloc[0], "7", id="numpy-int"),
    ],
)
def test_format_cell(value, expected):
    assert display.format_cell(value) == expected


@pytest.mark.parametrize(
    ("text", "expected_dir"),
    [
        pytest.param("Maroc IA 2030", "ltr", id="latin-cell-ltr"),
        pytest.param("https://example.org/a", "ltr", id="url-ltr"),
        pytest.param("المغرب الرقمي 2030", None, id="arabic-cell-inherits-rtl"),
        pytest.param("مختبر Mistral AI", None, id="mixed-cell-rtl"),
    ],
)
def test_cell_direction(text, expected_dir):
    """A Latin-only cell is isolated left to right inside the cell; an Arabic one inherits right to left."""
    parsed = _parse(display.table_html(pd.DataFrame({"name": [text]})))
    inside_td = parsed.tags[[tag for tag, _ in parsed.tags].index("td"):]
    directions = {attrs.get("dir") for tag, attrs in inside_td if tag in ("td", "bdi", "span")}
    assert ("ltr" in directions) == (expected_dir == "ltr"), directions


@pytest.mark.parametrize(
    ("column", "value", "expected_html"),
    [
        pytest.param("unit", "USD", 'دولار <bdi class="pb-code" dir="ltr">USD</bdi>', id="unit-code-with-arabic-label"),
        pytest.param("kind", "strategy", 'استراتيجية <bdi class="pb-code" dir="ltr">strategy</bdi>', id="kind-code"),
        pytest.param("unit", "furlongs", '<bdi class="pb-id" dir="ltr">furlongs</bdi>', id="unknown-code-as-is"),
        pytest.param("what", "فرصة شغل", "فرصة شغل", id="arabic-what-is-not-a-code"),
        pytest.param("published", "2025-10-14", '<span class="pb-date" dir="ltr">2025-10-14</span>', id="date-one-line"),
        pytest.param("doc_id", "664fefe41d1e0b64.txt_000", '<bdi class="pb-id" dir="ltr">664fefe41d1e0b64.txt_000</bdi>',
                     id="doc-id-isolated"),
        pytest.param("aliases", "المغرب الرقمي|Digital Morocco",
                     '<ul class="pb-list"><li><bdi>المغرب الرقمي</bdi></li><li><bdi>Digital Morocco</bdi></li></ul>',
                     id="list-as-list"),
        pytest.param("doc_ids", "a.txt|b.txt",
                     '<ul class="pb-list"><li><bdi class="pb-id" dir="ltr">a.txt</bdi></li>'
                     '<li><bdi class="pb-id" dir="ltr">b.txt</bdi></li></ul>', id="list-of-ids"),
        pytest.param("value", -5.0, '<span class="pb-cell-num" dir="ltr">-5</span>', id="negative-number-keeps-its-sign-first"),
    ],
)
def test_cell_html_by_column_kind(column, value, expected_html):
    assert display.cell_html(column, {column: value}) == expected_html


def test_long_tables_are_cut_with_a_note():
    fragment = display.table_html(pd.DataFrame({"n": range(12)}), max_rows=10)
    parsed = _parse(fragment)
    assert len(parsed.cells["td"]) == 10
    assert "2 صفوف أخرى من أصل 12" in fragment


def test_empty_table_says_so():
    assert "لا توجد صفوف" in display.table_html(pd.DataFrame({"quote": []}))


def test_show_index_adds_the_row_label():
    parsed = _parse(display.table_html(pd.DataFrame({"unit": ["MAD"]}, index=[7]), show_index=True))
    assert parsed.cells["td"][0] == "7"


@pytest.mark.parametrize(
    ("df", "expected_first_cells"),
    [
        pytest.param(pd.DataFrame({"value": [1.0, 3.0]}).describe(), ["count", "2"], id="describe-keeps-statistic-names"),
        pytest.param(pd.DataFrame({"unit": ["MAD", "USD"]}, index=[4, 9]).iloc[1:], ["9", "دولار USD"],
                     id="filtered-rows-keep-their-labels"),
        pytest.param(pd.DataFrame({"unit": ["MAD"]}), ["درهم MAD"], id="plain-range-index-hidden"),
    ],
)
def test_meaningful_row_labels_are_kept(df, expected_first_cells):
    parsed = _parse(display.table_html(df))
    assert parsed.cells["td"][: len(expected_first_cells)] == expected_first_cells


def test_wide_tables_sit_in_a_right_to_left_scroll_box():
    parsed = _parse(display.table_html(pd.DataFrame({f"c{i}": ["x" * 40] for i in range(30)})))
    tag, attrs = parsed.tags[0]
    assert (tag, attrs["dir"]) == ("div", "rtl") and "overflow: auto" in attrs["style"]


def test_stylesheet_aligns_arabic_paragraphs_to_the_right_and_isolates_code():
    css = display.stylesheet()
    assert "text-align: start" in css and "unicode-bidi: isolate" in css


def test_sources_show_metadata_link_and_marked_number():
    sources = pd.DataFrame([{
        "doc_id": "a", "title": "عنوان المقال", "outlet": "جريدة", "published": "2025-03-04",
        "url": "https://example.org/a", "quote": "3 ملايين", "sentence": "رصدت 3 ملايين درهم.",
        "start": 15, "end": 23, "sentence_start": 10,
    }])
    parsed = _parse(display.show_sources(sources)._repr_html_())
    assert parsed.marks == ["3 ملايين"]
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert links == ["https://example.org/a"]


def test_sources_never_link_non_web_urls():
    sources = pd.DataFrame([{"doc_id": "a", "url": "javascript:alert(1)", "quote": "", "sentence": "نص"}])
    assert [t for t, _ in _parse(display.sources_html(sources)).tags if t == "a"] == []


def test_use_rtl_tables_outside_ipython_does_nothing():
    assert display.use_rtl_tables() is False


def test_entity_rows_mark_their_text_in_the_sentence():
    row = {"text": "رقمنة القرى", "sentence": "أطلق برنامج رقمنة القرى.", "start": 12, "sentence_start": 0}
    assert _parse(display.table_html(pd.DataFrame([row]))).marks == ["رقمنة القرى"]
