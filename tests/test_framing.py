"""Framing from the corpus: the country, the themes and the title come from the articles, or from brief.yml."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from policybrief import framing
from policybrief.corpus import load_corpus

EGYPT = Path(__file__).parent / "fixtures" / "corpora" / "egypt"


def _docs(*texts, places=None):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts),
                         "place": places or [""] * len(texts)})


@pytest.mark.parametrize("text, themes", [
    pytest.param("تدريب 30 ألف شاب على البرمجة", {"skills"}, id="skills"),
    pytest.param("إنشاء مركز بيانات بطاقة 100 ميغاواط", {"infrastructure", "energy_climate"}, id="data-centre"),
    pytest.param("مشروع قانون لحماية المعطيات الشخصية", {"law_ethics"}, id="law"),
    pytest.param("تعزيز الأمن السيبراني والسيادة الرقمية", {"sovereignty_security", "digital_ai"}, id="sovereignty"),
    pytest.param("عجز الميزانية بلغ 3 في المائة", {"public_finance"}, id="budget"),
    pytest.param("قال المدير إن الاجتماع انتهى", set(), id="none"),
])
def test_themes_in(text, themes):
    assert set(framing.themes_in(text)) == themes


@pytest.mark.parametrize("place, text, country", [
    pytest.param("الرباط", "أعلنت الوزارة", "MA", id="dateline-city"),
    pytest.param("", "وقعت الحكومة المصرية مع مستثمرين من الرياض اتفاقا في القاهرة", "EG", id="most-named"),
    pytest.param("تونس", "وفد من مصر", "TN", id="dateline-wins"),
    pytest.param("", "قال المتحدث إن العمل مستمر", "", id="none"),
])
def test_document_country(place, text, country):
    assert framing.document_country(place, text) == country


def test_title_names_the_dominant_theme_and_country():
    docs = _docs("الرباط - رقمنة الخدمات والذكاء الاصطناعي", "الدار البيضاء - الذكاء الاصطناعي في الصناعة",
                 "القاهرة - تدريب الشباب على البرمجة")
    frame, profile = framing.corpus_framing(docs)
    assert frame.title == "الذكاء الاصطناعي والتحول الرقمي في المغرب"
    assert profile["country"].tolist() == ["MA", "MA", "EG"]


def test_no_dominant_country_names_the_region():
    docs = _docs("الرباط - الطاقة الشمسية", "القاهرة - الطاقة الشمسية", "تونس - الطاقة الشمسية")
    frame, _ = framing.corpus_framing(docs)
    assert frame.title == "الطاقة والمناخ في المنطقة العربية" and frame.country == ""


def test_analyst_overrides_win():
    docs = _docs("الرباط 22 يوليوز 2025 - الذكاء الاصطناعي")
    overrides = framing.parse_overrides("title: موجز عن الرقمنة\ncountry: المملكة المغربية\nhouse_style: mashriq\n"
                                        "author: فريق التحليل\ninstitution: مركز الدراسات")
    frame, _ = framing.corpus_framing(docs, overrides)
    assert (frame.title, frame.country, frame.house_style) == ("موجز عن الرقمنة", "المملكة المغربية", "mashriq")
    assert frame.author == "فريق التحليل" and frame.from_analyst == sorted(overrides)


@pytest.mark.parametrize("text, message", [
    pytest.param("title: [غير مغلق", "not valid YAML", id="bad-yaml"),
    pytest.param("- عنوان", "expected 'key: value' lines", id="a-list"),
    pytest.param("titel: موجز", "unknown key(s) titel", id="typo"),
])
def test_bad_brief_yml_is_a_one_line_error(text, message):
    with pytest.raises(framing.FramingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        framing.parse_overrides(text, "brief.yml")


def test_egypt_corpus_is_framed_as_egypt_in_egyptian_style():
    frame, profile = framing.corpus_framing(load_corpus(EGYPT).documents)
    assert frame.title.endswith("في مصر") and frame.country_code == "EG"
    assert (frame.house_style, frame.billions) == ("mashriq", "مليارات")
    assert set(profile["country"]) == {"EG"}


def test_analyst_files_are_not_articles(tmp_path):
    (tmp_path / "a.txt").write_text("القاهرة - 3 سبتمبر 2025\nنص المقال هنا.", encoding="utf-8")
    (tmp_path / "brief.md").write_text("## توصيات\n- أولا", encoding="utf-8")
    (tmp_path / "brief.yml").write_text("title: موجز", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.documents["doc_id"].tolist() == ["a"]
    assert framing.read_overrides(tmp_path) == {"title": "موجز"}


def test_untitled_documents_take_their_first_words():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["عنوان", ""]})
    profile = pd.DataFrame({"doc_id": ["a", "b"], "first_words": ["x", "أول كلمات المقال…"]})
    assert framing.with_lead_titles(docs, profile)["title"].tolist() == ["عنوان", "أول كلمات المقال…"]
