"""The brief's HTML: right to left, code hidden, no remote loads, document text escaped."""
from __future__ import annotations

import re

import nbformat
import pytest

from policybrief import export

v4 = nbformat.v4


def _executed(cells):
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _html_output(fragment: str):
    cell = v4.new_code_cell("secret_code_should_not_show = 1")
    cell.outputs = [v4.new_output("display_data", data={"text/html": fragment, "text/plain": "x"})]
    return cell


@pytest.fixture(scope="module")
def page() -> str:
    nb = _executed([
        v4.new_markdown_cell("In: tables · Out: the brief", metadata={"tags": ["remove-cell"]}),
        v4.new_markdown_cell("# موجز اختباري\n\nفقرة عربية قصيرة فيها 12.5 مليون درهم."),
        _html_output("<table><tr><th>الاسم</th><td>مبادرة &lt;script&gt;alert(1)&lt;/script&gt;</td></tr></table>"),
        _html_output("<pre>x = 1  # left to right</pre><a href=\"https://example.org/article\">المصدر</a>"),
    ])
    err = v4.new_code_cell("import sys")
    err.outputs = [v4.new_output("stream", name="stderr", text="DeprecationWarning: noisy\n")]
    nb.cells.append(err)
    return export.export_html(nb)


def test_page_is_arabic_right_to_left(page):
    assert re.search(r"<html[^>]*\bdir=\"rtl\"", page)
    assert re.search(r"<html[^>]*\blang=\"ar\"", page)


def test_title_comes_from_first_heading(page):
    assert "<title>موجز اختباري</title>" in page


def test_code_and_meta_cells_hidden(page):
    assert "secret_code_should_not_show" not in page
    assert "In: tables" not in page
    assert "DeprecationWarning" not in page


def test_no_remote_loads_but_links_kept(page):
    assert export.remote_loads(page) == []
    assert "require.js" not in page and "MathJax" not in page
    assert 'href="https://example.org/article"' in page


def test_font_embedded_as_data_url(page):
    assert "@font-face" in page
    assert "url(data:font/ttf;base64," in page


def test_overrides_follow_lab_css(page):
    assert page.index("text-align: start") > page.index("jp-RenderedHTMLCommon p")


def test_document_text_stays_escaped(page):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()


@pytest.mark.parametrize(
    "html_text, expected",
    [
        pytest.param('<img src="https://cdn.example/a.png">', 1, id="remote-image"),
        pytest.param('<link rel="stylesheet" href="//cdn.example/a.css">', 1, id="protocol-relative-css"),
        pytest.param("<style>@import url(https://fonts.example/x.css);</style>", 1, id="css-import"),
        pytest.param('<div style="background: url(http://x.example/a.png)"></div>', 1, id="style-attribute"),
        pytest.param('<a href="https://hespress.example/article">المصدر</a>', 0, id="plain-link-ok"),
        pytest.param('<img src="data:image/png;base64,AAAA" alt="رسم">', 0, id="embedded-image-ok"),
        pytest.param("<p>نص يذكر https://example.org دون تحميل</p>", 0, id="url-in-text-ok"),
    ],
)
def test_remote_loads(html_text, expected):
    assert len(export.remote_loads(html_text)) == expected


@pytest.mark.parametrize(
    "cells, expected",
    [
        pytest.param([v4.new_markdown_cell("# عنوان الموجز")], "عنوان الموجز", id="markdown-heading"),
        pytest.param([_html_output("<h1 class='t'>عنوان <b>من</b> الجدول</h1>")], "عنوان من الجدول",
                     id="html-output-heading"),
        pytest.param([v4.new_markdown_cell("نص فقط")], "موجز سياسات", id="default"),
    ],
)
def test_notebook_title(cells, expected):
    assert export.notebook_title(_executed(cells)) == expected


def test_font_found():
    regular, _bold = export.find_arabic_font()
    assert regular.suffix.lower() in {".ttf", ".otf"}
    assert "naskh" in regular.name.lower() or "amiri" in regular.name.lower()


def test_page_is_well_formed(page):
    assert export.structure_errors(page) == []


@pytest.mark.parametrize(
    "html_text, expected",
    [
        pytest.param("<table><tr><td>أ<td>ب</table>", [], id="optional-end-tags"),
        pytest.param("<p>سطر<br>سطر</p><img src='data:,' alt='x'>", [], id="void-elements"),
        pytest.param("<div><b>نص</div>", ["</div> closes <b>", "unclosed <div>", "unclosed <b>"], id="crossed-tags"),
        pytest.param("<section>نص", ["unclosed <section>"], id="unclosed"),
        pytest.param("نص</em>", ["stray </em>"], id="stray-end"),
    ],
)
def test_structure_errors(html_text, expected):
    assert export.structure_errors(html_text) == expected


def test_broken_markup_in_an_output_never_reaches_the_page_broken():
    page = export.export_html(_executed([_html_output("<div><b>مبادرة</div>")]))
    assert export.structure_errors(page) == []
