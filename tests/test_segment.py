from __future__ import annotations

import pytest

from policybrief.segment import iter_paragraph_spans, paragraph_spans, sentence_spans


@pytest.mark.parametrize(
    "text, sentences",
    [
        pytest.param("قال الوزير إن النمو بلغ 3.5 في المائة. وأضاف أن الهدف أكبر.",
                     ["قال الوزير إن النمو بلغ 3.5 في المائة.", "وأضاف أن الهدف أكبر."], id="decimal-point-kept"),
        pytest.param("خصص البرنامج 20 مليون د.م. للتكوين. ثم انتهى.",
                     ["خصص البرنامج 20 مليون د.م. للتكوين.", "ثم انتهى."], id="abbreviation-dhs"),
        pytest.param("هل ينجح المشروع؟ نعم!", ["هل ينجح المشروع؟", "نعم!"], id="arabic-question-mark"),
        pytest.param("عنوان بلا نقطة\nفقرة أولى.", ["عنوان بلا نقطة", "فقرة أولى."], id="newline-ends-sentence"),
        pytest.param("نموذج الصناعة 4.0 قائم.", ["نموذج الصناعة 4.0 قائم."], id="version-number"),
    ],
)
def test_sentence_spans(text, sentences):
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


def test_paragraphs_skip_blank_lines_and_trim():
    text = "\n\n  أول  \n\n\nثان\n"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["أول", "ثان"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("عنوان\n\nالرباط – 3 مارس 2025\nنص المقال.", id="headline-dateline-body"),
        pytest.param("\n\n  \n", id="blank-lines-only"),
        pytest.param("سطر واحد بدون نهاية", id="no-newline"),
        pytest.param("أ\r\nب\n\n\nج  ", id="carriage-return-and-trailing-spaces"),
    ],
)
def test_lazy_paragraphs_equal_the_list(text):
    assert list(iter_paragraph_spans(text)) == paragraph_spans(text)
