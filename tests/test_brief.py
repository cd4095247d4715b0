"""The brief's content from hand-made tables: messages, key figures with notes, escaping, the full PDF."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from policybrief import brief, brief_annex, findings, pdf
from policybrief.framing import Framing
from policybrief.paths import OutputLayout
from policybrief.tables import (
    ACTORS_TABLE, CONFLICTS_TABLE, INITIATIVES_TABLE, KEY_FIGURES_TABLE, TIMELINE_TABLE,
)

S1 = "أعلنت وزارة التجهيز الرقمي أن برنامج الجيل الرقمي سيكلف 2.5 مليار درهم في أفق 2030."
S2 = "وقال المدير إن مركز الابتكار بفاس سيستقبل 400 مقاولة ناشئة <script>alert(1)</script> كل سنة."
S3 = "وحسب مصدر آخر فإن كلفة برنامج الجيل الرقمي لا تتجاوز 1.8 مليار درهم."
S4 = "ويهدف البرنامج إلى رفع نسبة الإدماج الرقمي إلى 75 في المائة."


def _doc(doc_id, title, published, outlet="", url="", place=""):
    return {"doc_id": doc_id, "file": f"{doc_id}.txt", "text": "نص المقال", "title": title, "place": place, "published": published,
            "url": url, "outlet": outlet, "n_chars": 500, "sha256": "ab" * 32, "encoding": "utf-8", "format": "txt"}


def _figure(doc_id, iid, name, value, unit, what, text, sentence, quote, target_year="", conflict=False):
    start = 100 + sentence.find(quote)
    return {"doc_id": doc_id, "initiative_id": iid, "initiative": name, "value": value, "unit": unit, "what": what,
            "value_text": text, "qualifier": "", "bound": "", "is_target": bool(target_year),
            "target_year": target_year, "conflict": conflict, "quote": quote, "sentence": sentence,
            "start": start, "end": start + len(quote)}


def make_data(conflict: bool = True) -> brief.BriefData:
    documents = pd.DataFrame([
        _doc("doc_b", "عنوان <b>ثان</b> للمقال", "2025-03-04", "جريدة الاختبار", "https://news.example/b", "فاس"),
        _doc("doc_a", "برنامج رقمي جديد", "2024-11-20", "موقع المثال", "https://news.example/a", "الرباط"),
    ])
    initiatives = pd.DataFrame([
        {"initiative_id": "jil", "name": "برنامج الجيل الرقمي", "kind": "programme",
         "lead_organizations": "وزارة التجهيز الرقمي", "partner_organizations": "", "first_date": "2024-11",
         "latest_date": "2030", "place": "الرباط", "figures": "2.5 مليار درهم|1.8 مليار درهم",
         "targets": "2.5 مليار درهم (2030)", "n_sources": 2, "doc_ids": "doc_a|doc_b", "has_conflict": conflict},
        {"initiative_id": "fes", "name": "مركز الابتكار بفاس", "kind": "centre",
         "lead_organizations": "", "partner_organizations": "", "first_date": "", "latest_date": "",
         "place": "فاس", "figures": "400 مقاولة ناشئة", "targets": "", "n_sources": 1, "doc_ids": "doc_b",
         "has_conflict": False},
    ], columns=list(INITIATIVES_TABLE))
    figures = [
        _figure("doc_a", "jil", "برنامج الجيل الرقمي", 2.5e9, "MAD", "كلفة", "2.5 مليار درهم", S1,
                "2.5 مليار درهم", "2030", conflict),
        _figure("doc_b", "fes", "مركز الابتكار بفاس", 400, "count", "مقاولة ناشئة", "400 مقاولة ناشئة", S2,
                "400 مقاولة ناشئة"),
        _figure("doc_b", "", "", 75, "percent", "نسبة الإدماج الرقمي", "75 في المائة", S4, "75 في المائة"),
    ]
    if conflict:
        figures.append(_figure("doc_b", "jil", "برنامج الجيل الرقمي", 1.8e9, "MAD", "كلفة", "1.8 مليار درهم",
                               S3, "1.8 مليار درهم", "2030", True))
    timeline = pd.DataFrame([
        {"date": "2030", "year": "2030", "precision": "year", "kind": "target", "initiative_id": "jil",
         "initiative": "برنامج الجيل الرقمي", "label": "2.5 مليار درهم (كلفة)", "doc_id": "doc_a",
         "quote": "2.5 مليار درهم", "start": 150, "end": 164},
        {"date": "2024-11-20", "year": "2024", "precision": "day", "kind": "event", "initiative_id": "jil",
         "initiative": "برنامج الجيل الرقمي", "label": "إطلاق <i>البرنامج</i>", "doc_id": "doc_a",
         "quote": "20 نونبر 2024", "start": 10, "end": 23},
    ], columns=list(TIMELINE_TABLE))
    actors = pd.DataFrame([
        {"actor": "وزارة التجهيز الرقمي", "kind": "organization", "roles": "", "initiatives": "برنامج الجيل الرقمي",
         "n_mentions": 4, "n_documents": 2, "doc_ids": "doc_a|doc_b"},
        {"actor": "سعاد العلمي", "kind": "person", "roles": "مديرة المركز", "initiatives": "مركز الابتكار بفاس",
         "n_mentions": 2, "n_documents": 1, "doc_ids": "doc_b"},
    ], columns=list(ACTORS_TABLE))
    conflicts = pd.DataFrame([
        {"initiative_id": "jil", "initiative": "برنامج الجيل الرقمي", "unit": "MAD", "target_year": "2030",
         "values": "2.5 مليار درهم [doc_a]|1.8 مليار درهم [doc_b]", "doc_ids": "doc_a|doc_b",
         "quotes": "2.5 مليار درهم|1.8 مليار درهم"},
    ] if conflict else [], columns=list(CONFLICTS_TABLE))
    return brief.BriefData(
        documents=documents, initiatives=initiatives, actors=actors,
        key_figures=pd.DataFrame(figures, columns=list(KEY_FIGURES_TABLE)), timeline=timeline,
        conflicts=conflicts, extracted_counts={"figures": 4, "dates": 3, "entities": 12}, built_at="2026-01-02T03:04:05Z",
        framing=Framing(title="الذكاء الاصطناعي في المغرب", country="المغرب", house_style="maghreb"),
    )


@pytest.fixture
def data():
    return make_data()


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


def test_source_numbers_oldest_first(data):
    assert data.source_numbers == {"doc_a": 1, "doc_b": 2}


def test_key_messages_state_findings():
    data = make_data(conflict=False)
    notes = brief.Notes(data)
    html_text = brief.key_messages(data, notes)
    text = _text(html_text)
    assert 3 <= html_text.count("<li>") <= 6
    assert "أكبر التزام مالي معلن: 2.5 مليار درهم" in text and "لـ«برنامج الجيل الرقمي» بحلول 2030" in text
    assert "أفق" not in text or "2030" in text
    assert "وزارة التجهيز الرقمي" in text  # who leads
    assert "ولا تذكر أي أجل لـمبادرة واحدة" in text  # what is dated and what is not
    assert "لم نرصد تضاربا" in text


def test_conflicting_amounts_never_lead_the_messages(data):
    text = _text(brief.key_messages(data, brief.Notes(data)))
    assert "2.5 مليار درهم" not in text.split("تتضارب")[0]
    assert "تتضارب المصادر في رقمين[" in text and "] تخص مبادرة واحدة" in text


def test_every_number_in_messages_has_a_note(data):
    for d in (data, make_data(conflict=False)):
        notes = brief.Notes(d)
        html_text = brief.key_messages(d, notes)
        for item in re.findall(r"<li>(.*?)</li>", html_text):
            numbers = re.findall(r'<span class="pb-num">([^<]*)</span>(<sup class="pb-note">)?', item)
            for number, marker in numbers:
                assert marker, f"no note after {number}"
            assert "pb-note" in item or not re.search(r"\d", _text(item)), item


def test_notes_lead_to_exact_sentence():
    data = make_data(conflict=False)
    notes = brief.Notes(data)
    brief.key_messages(data, notes)
    listing = notes.html()
    assert 'id="pb-note-1"' in listing
    assert "<mark>2.5 مليار درهم</mark>" in listing
    assert 'الوثيقة <bdi class="pb-ltr" dir="ltr">doc_a</bdi>' in listing  # the id isolated left to right


def test_same_source_cited_twice_keeps_one_number(data):
    notes = brief.Notes(data)
    row = data.key_figures.iloc[0]
    assert notes.cite(row) == notes.cite(row)
    assert len(notes.items) == 1


def test_key_figures_box_has_notes_and_no_conflicting_values(data):
    notes = brief.Notes(data)
    box = brief.key_figures_box(data, notes)
    text = _text(box)
    assert "2.5 مليار درهم" not in text  # disputed: shown in the conflicts section instead
    assert "400 مقاولة ناشئة" in text and "75 في المائة" in text
    assert box.count('class="pb-note"') == 2


def test_key_figures_box_labels_measure_subject_and_year():
    data = make_data(conflict=False)
    text = _text(brief.key_figures_box(data, brief.Notes(data)))
    assert "2.5 مليار درهم" in text and "«برنامج الجيل الرقمي» — هدف 2030" in text
    assert "ورد في 2025" in text  # a figure with no target year says when it was stated


def test_key_figures_rank_policy_figures_first():
    data = make_data(conflict=False)
    market = _figure("doc_b", "", "", 6e11, "USD", "", "600 مليار دولار",
                     "ويبلغ حجم السوق العالمية للحوسبة السحابية 600 مليار دولار.", "600 مليار دولار")
    data.key_figures = pd.concat([data.key_figures, pd.DataFrame([market])], ignore_index=True)
    picked = findings.pick_key_figures(findings.rank_figures(data.key_figures, data.documents))
    assert picked["value"].tolist()[0] == 2.5e9
    assert 6e11 not in picked["value"].tolist()  # a world market size never leads


@pytest.mark.parametrize(
    "section",
    [
        pytest.param(lambda d, n: brief.key_messages(d, n), id="messages"),
        pytest.param(lambda d, n: brief.conflicts(d, n), id="conflicts"),
        pytest.param(lambda d, n: brief_annex.sources(d), id="sources"),
        pytest.param(lambda d, n: brief_annex.appendix(d), id="appendix"),
        pytest.param(lambda d, n: brief.theme_sections(d, n), id="themes"),
        pytest.param(lambda d, n: brief.gaps(d, n), id="gaps"),
        pytest.param(lambda d, n: (brief.key_messages(d, n), n.html())[1], id="notes"),
        pytest.param(lambda d, n: brief.title_block(d), id="title"),
    ],
)
def test_document_text_is_escaped(data, section):
    fragment = section(data, brief.Notes(data))
    assert "<script" not in fragment
    assert "<b>ثان</b>" not in fragment and "<i>البرنامج</i>" not in fragment


def test_sources_by_outlet_title_date_and_link(data):
    listing = brief_annex.sources(data)
    assert listing.index("برنامج رقمي جديد") < listing.index("عنوان &lt;b&gt;ثان&lt;/b&gt;")
    assert 'href="https://news.example/a"' in listing
    assert "موقع المثال، «برنامج رقمي جديد»، 20 نونبر 2024" in _text(listing)
    assert ".txt" not in listing  # no file names in the brief


def test_untitled_source_shows_its_first_words(data):
    data.documents.loc[0, "title"] = ""
    data.profile = pd.DataFrame([{"doc_id": "doc_b", "country": "", "themes": "", "first_words": "قال المدير إن المركز…"}])
    assert "«قال المدير إن المركز…»" in _text(brief_annex.sources(data))


def test_pdf_lists_only_cited_sources_when_many():
    data = make_data(conflict=False)
    extra = pd.DataFrame([_doc(f"doc_{i:02d}", f"مقال {i}", "2025-01-01") for i in range(10)])
    data.documents = pd.concat([data.documents, extra], ignore_index=True)
    notes = brief.Notes(data)
    brief.key_messages(data, notes)
    listing = brief_annex.sources(data, notes)
    assert "مقال 3" not in listing and "برنامج رقمي جديد" in listing
    assert "(1 من أصل 12)" in _text(listing) or "من أصل 12" in _text(listing)
    assert "مقال 3" in brief_annex.appendix(data)  # the full list is in the HTML appendix


def test_conflicts_section_only_when_sources_disagree(data):
    notes = brief.Notes(data)
    section = brief.conflicts(data, notes)
    assert "dir=\"rtl\">أرقام متضاربة</h2>" in section
    assert "1.8 مليار درهم" in section and section.count('class="pb-note"') == 2
    assert brief.conflicts(make_data(conflict=False), notes) == ""


def test_many_conflicts_are_capped_with_the_rest_in_the_appendix():
    data = make_data()
    extra = [_figure(f"doc_{i}", "jil", "برنامج الجيل الرقمي", (2 + i / 10) * 1e9, "MAD", "كلفة", "x", S1,
                     "2.5 مليار درهم", "2030", True) for i in range(8)]
    data.key_figures = pd.concat([data.key_figures, pd.DataFrame(extra)], ignore_index=True)
    more = [{"initiative_id": f"i{k}", "initiative": f"مبادرة {k}", "unit": "MAD", "target_year": "", "values": "1|2",
             "doc_ids": "doc_a|doc_b", "quotes": ""} for k in range(brief.MAX_CONFLICTS + 2)]
    data.conflicts = pd.concat([data.conflicts, pd.DataFrame(more)], ignore_index=True)
    section = brief.conflicts(data, brief.Notes(data))
    assert section.count("<tr>") == brief.MAX_CONFLICTS + 1  # header + capped rows
    assert section.count('<span class="pb-num">') <= brief.MAX_CONFLICTS * (brief.MAX_CONFLICT_VALUES + 1) + 1
    assert "وبقية المبادرات التي تتضارب فيها المصادر" in section
    assert "مبادرة 7" in brief_annex.appendix(data)


def test_empty_corpus_gives_empty_sections_not_errors():
    empty = brief.BriefData(None, None, None, None, None, None)
    notes = brief.Notes(empty)
    assert brief.key_figures_box(empty, notes) == ""
    assert "<li>" in brief.key_messages(empty, notes)
    assert brief.conflicts(empty, notes) == ""
    assert "<li>" in brief.gaps(empty, notes)
    assert "pb-html-only" in brief_annex.appendix(empty)


def test_gaps_name_what_the_record_does_not_say():
    data = make_data(conflict=False)
    past = _figure("doc_a", "jil", "برنامج الجيل الرقمي", 300, "count", "مدرسة", "300 مدرسة", S1, "2.5 مليار درهم", "2020")
    data.key_figures = pd.concat([data.key_figures, pd.DataFrame([past])], ignore_index=True)
    text = _text(brief.gaps(data, brief.Notes(data)))
    for gap in ("دون ميزانية أو مبلغ مالي معلن: مبادرة واحدة", "دون جهة مشرفة محددة: مبادرة واحدة",
                "دون تاريخ أو سنة هدف: مبادرة واحدة", "«مركز الابتكار بفاس»", "300 مدرسة[", "] (2020)"):
        assert gap in text, gap


def test_theme_sections_group_initiatives_and_figures():
    data = make_data(conflict=False)
    html_text = brief.theme_sections(data, brief.Notes(data))
    assert "dir=\"rtl\">أبرز المحاور</h2>" in html_text and html_text.count("<h3 ") >= 1
    assert "«برنامج الجيل الرقمي» (تشرف عليها وزارة التجهيز الرقمي، في الرباط)" in _text(html_text)


def test_analyst_sections_are_placed_and_escaped():
    data = make_data(conflict=False)
    data.analyst_markdown = "## السياق\nيأتي هذا في سياق خاص.\n\n## توصيات\n- تسريع التمويل <script>x</script>\n"
    notes = brief.Notes(data)
    assert "يأتي هذا في سياق خاص." in brief.context(data, notes)
    gaps = brief.gaps(data, notes)
    assert "dir=\"rtl\">توصيات</h3>" in gaps and "<li>تسريع التمويل" in gaps and "<script>" not in gaps
    assert "توصيات" not in brief.context(data, notes)


def test_optional_sections_are_shown_in_order(monkeypatch, data):
    monkeypatch.setattr(brief, "OPTIONAL_SECTIONS", [lambda d, n: brief.Html("<h2>أ</h2>"), lambda d, n: brief.Html("")])
    assert brief.optional_sections(data, brief.Notes(data)) == "<h2>أ</h2>"


def test_chart_with_too_few_items_is_a_cited_sentence():
    data = make_data(conflict=False)
    data.charts = pd.DataFrame([{
        "file": "key_figures_money.png", "title": "أبرز المبالغ", "has_data": False, "sentence": "x",
        "sentence_items": json.dumps([{"text": "2.5 مليار درهم (برنامج الجيل الرقمي)", "doc_id": "doc_a",
                                       "start": int(data.key_figures.loc[0, "start"]), "end": int(data.key_figures.loc[0, "end"])}]),
    }])
    notes = brief.Notes(data)
    section = brief.charts(data, notes)
    assert "أبرز المبالغ: 2.5 مليار درهم (برنامج الجيل الرقمي)" in _text(section) and 'class="pb-note"' in section
    assert "<figure>" not in section


@pytest.mark.parametrize("style, expected", [
    pytest.param("maghreb", "20 نونبر 2024", id="maghreb"), pytest.param("mashriq", "20 نوفمبر 2024", id="mashriq"),
    pytest.param("levant", "20 تشرين الثاني 2024", id="levant"), pytest.param("maghreb_central", "20 نوفمبر 2024", id="tunisia")])
def test_dates_follow_the_corpus_house_style(style, expected):
    data = make_data(conflict=False)
    data.framing.house_style = style
    assert expected in _text(brief.context(data))


def test_title_from_framing_or_kicker():
    data = make_data()
    assert "<h1>الذكاء الاصطناعي في المغرب</h1>" in brief.title_block(data)
    data.framing = Framing(title="")
    assert "<h1>موجز سياسات</h1>" in brief.title_block(data)


def write_out_dir(root: Path, data: brief.BriefData) -> None:
    """The files a build leaves for notebook 05: tables, documents, a chart and its index."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from policybrief import store

    layout = OutputLayout(root)
    for attr, table in brief.BRIEF_TABLES.items():
        if attr != "charts":
            store.write_table(table, getattr(data, attr), layout)
    fig = Figure(figsize=(5, 3))
    ax = fig.add_subplot()
    ax.barh([0, 1], [2.5, 1.8], color="#1f6f8b")
    store.save_figure(fig, layout.figures_dir / "chart_test", dpi=80)
    index = pd.DataFrame([{"file": "chart_test.png", "title": "كلفة البرنامج حسب المصدر",
                           "alt_text": "عمودان: 2.5 و1.8 مليار درهم", "labels": "", "source_note": "المصدر: مقالان",
                           "function": "tests.write_out_dir", "has_data": True, "width_in": 5.0, "sentence": "",
                           "sentence_items": ""}])
    store.write_table("chart_index", index, layout)
    store.write_json(data.framing.to_dict(), layout.data_dir / "framing.json")


def _hash_documents_as_read_from(seeds: Path, root: Path) -> None:
    """The documents table carries the seed files' real sha256, as notebook 01 saves it (05 checks them)."""
    import hashlib

    from policybrief import store

    layout = OutputLayout(root)
    documents = store.read_table("documents", layout)
    documents["sha256"] = [hashlib.sha256((seeds / f).read_bytes()).hexdigest() for f in documents["file"]]
    store.write_table("documents", documents, layout)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Notebook 05 alone, run by the real build on the hand-made tables: HTML and PDF."""
    from policybrief import build
    from policybrief.paths import NOTEBOOKS_DIR

    root = tmp_path_factory.mktemp("brief")
    notebooks, seeds, out = root / "notebooks", root / "seeds", root / "out"
    notebooks.mkdir()
    seeds.mkdir()
    (seeds / "doc_a.txt").write_text(S1, encoding="utf-8")
    (seeds / "doc_b.txt").write_text(f"{S2}\n{S3}", encoding="utf-8")
    shutil.copy(NOTEBOOKS_DIR / "05_brief.ipynb", notebooks / "05_brief.ipynb")
    write_out_dir(out, make_data())
    _hash_documents_as_read_from(seeds, out)
    return build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=pdf.find_chromium() is not None)


@pytest.mark.slow
def test_brief_html(built):
    page = built.html.read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*dir="rtl"', page)
    assert "<script" not in page.lower()
    assert "alert(1)" not in page or "&lt;script&gt;alert(1)" in page
    assert 'alt="عمودان: 2.5 و1.8 مليار درهم"' in page
    from policybrief.export import structure_errors

    assert structure_errors(page) == []
    assert "In: `build/data" not in page  # the notebook's own header cell is not part of the brief
    for heading in ("الرسائل الرئيسية", "أرقام متضاربة", "ثغرات وأسئلة مفتوحة", "عن هذه الورقة", "المصادر"):
        assert heading in page
    assert 'class="pb-section" dir="rtl" lang="ar"><section class="pb-html-only">' in page or "pb-html-only" in page


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_chromium() is None or shutil.which("pdftotext") is None, reason="needs chromium+poppler")
def test_brief_pdf_text_layer(built):
    text = pdf.comparable_text(pdf.pdf_text(built.pdf))
    expected = ["موجز سياسات", "برنامج الجيل الرقمي", "مركز الابتكار بفاس", "400 مقاولة ناشئة", "75 في المائة",
                "1.8 مليار درهم", "صفحة 1 من"]
    for phrase in expected:
        assert pdf.comparable_text(phrase) in text, phrase


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_chromium() is None or shutil.which("pdftoppm") is None, reason="needs chromium+poppler")
def test_brief_pdf_pages_not_blank_and_figure_present(built, tmp_path):
    from matplotlib.image import imread

    subprocess.run(["pdftoppm", "-png", "-r", "30", str(built.pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    for page in pages:
        pixels = imread(page)
        assert pixels.std() > 0.02, f"{page.name} looks blank"
    images = subprocess.run(["pdfimages", "-list", str(built.pdf)], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) > 2  # header lines + at least one image


# The real thing: the project's notebooks on the seeds, into a temporary --out folder --------------------

def _pages(pdf_path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    from policybrief import build
    from policybrief.paths import SEEDS_DIR

    out = tmp_path_factory.mktemp("seeds_brief")
    try:
        return build.build_brief(SEEDS_DIR, out, progress=False, pdf=pdf.find_chromium() is not None)
    except build.BuildError as error:
        pytest.fail(f"the seeds build failed: {error}")


@pytest.mark.slow
def test_seeds_brief_html(seeds_build):
    from policybrief import export

    page = seeds_build.html.read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*dir="rtl"', page)
    assert export.remote_loads(page) == []
    assert "<script" not in page.lower()
    assert seeds_build.layout.root != Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_chromium() is None or shutil.which("pdftotext") is None, reason="needs chromium+poppler")
def test_seeds_pdf_has_title_key_figures_initiatives_and_page_numbers(seeds_build):
    import html as html_lib

    from policybrief import store

    text = pdf.comparable_text(pdf.pdf_text(seeds_build.pdf))
    page = seeds_build.html.read_text(encoding="utf-8")
    key_figures = [html_lib.unescape(v) for v in re.findall(
        r'<div class="pb-kf-value"><span class="pb-num">([^<]*)</span>', page)]
    themes = "".join(re.findall(r'<div class="pb-theme">.*?</div>', page, re.S))
    names = [html_lib.unescape(n) for n in re.findall(r"«<bdi>([^<]*)</bdi>»", themes)]
    assert names  # the theme sections name initiatives
    # a name mixing Latin and Arabic that wraps is extracted with its runs interleaved: check its words
    words = {w.strip(":«»") for n in names for w in n.split() if len(w.strip(":«»")) > 2}
    expected = ["موجز سياسات", *key_figures, *[n for n in names if n.isascii() or not re.search("[A-Za-z]", n)], *words]
    missing = [phrase for phrase in expected if pdf.comparable_text(phrase) not in text]
    assert not missing
    n_pages = _pages(seeds_build.pdf)
    assert pdf.page_number_footers(seeds_build.pdf, n_pages) == [(i, n_pages) for i in range(1, n_pages + 1)]


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_chromium() is None or shutil.which("pdftoppm") is None, reason="needs chromium+poppler")
def test_seeds_pdf_pages_not_blank_and_charts_present(seeds_build, tmp_path):
    from matplotlib.image import imread

    from policybrief import store

    subprocess.run(["pdftoppm", "-png", "-r", "30", str(seeds_build.pdf), str(tmp_path / "page")], check=True)
    for png in sorted(tmp_path.glob("page*.png")):
        assert imread(png).std() > 0.02, f"{png.name} looks blank"
    index = store.read_table("chart_index", seeds_build.layout)
    with_data = int(index["has_data"].sum())
    listing = subprocess.run(["pdfimages", "-list", str(seeds_build.pdf)], capture_output=True, text=True, check=True)
    images = [ln for ln in listing.stdout.splitlines()[2:] if " image " in ln]
    assert len(images) >= with_data
    page = seeds_build.html.read_text(encoding="utf-8")
    assert page.count("<figure>") == with_data


@pytest.mark.slow
def test_seeds_manifest_lists_inputs_versions_and_steps(seeds_build):
    import hashlib

    from policybrief.paths import SEEDS_DIR

    manifest = json.loads(seeds_build.manifest.read_text(encoding="utf-8"))
    seeds = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS_DIR.glob("*.txt")}
    assert {i["file"]: i["sha256"] for i in manifest["inputs"] if i["file"] in seeds} == seeds
    steps = [s["step"] for s in manifest["steps"]]
    assert steps[:5] == [p.stem for p in sorted(Path(SEEDS_DIR.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))][:5]
    assert "export_html" in steps
    assert {"pandas", "nbclient", "nbconvert"} <= set(manifest["packages"])
    assert manifest["built_at"].endswith("Z")


def outline_titles(pdf_bytes: bytes) -> list[str]:
    """Bookmark titles (and the document title) stored as UTF-16 hex strings in a Chromium PDF."""
    import zlib

    chunks = [pdf_bytes]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf_bytes, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    titles = []
    for chunk in chunks:
        for match in re.finditer(rb"/Title\s*<([0-9A-Fa-f]+)>", chunk):
            raw = bytes.fromhex(match.group(1).decode())
            if raw.startswith(b"\xfe\xff"):
                titles.append(raw.decode("utf-16"))
    return titles


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_chromium() is None, reason="needs chromium")
def test_seeds_pdf_bookmarks_are_the_arabic_headings(seeds_build):
    titles = outline_titles(seeds_build.pdf.read_bytes())
    for heading in ("الرسائل الرئيسية", "أبرز المحاور", "ثغرات وأسئلة مفتوحة", "المصادر", "الإحالات"):
        assert heading in titles
    assert "ملحق النسخة الإلكترونية" not in titles  # the appendix is HTML only
    assert not [t for t in titles if re.search(r"[0-9A-Za-z]", t)]  # mixed headings get scrambled


def test_context_and_about_numbers_carry_computed_notes(data):
    notes = brief.Notes(data)
    section = brief.context(data, notes) + brief.about(data, notes)
    assert section.count('class="pb-note"') == 2
    assert all(note.text for note in notes.items)
    assert "20 نونبر 2024" in section and "استُخرج آليا 4 أرقام" in _text(section)


@pytest.mark.slow
def test_seeds_brief_budget_and_title(seeds_build):
    n_pages = _pages(seeds_build.pdf)
    assert 3 <= n_pages <= 8, n_pages
    page = seeds_build.html.read_text(encoding="utf-8")
    assert "<h1>الذكاء الاصطناعي والتحول الرقمي في المغرب</h1>" in page
    assert "policybrief.charts" not in page  # captions say what a chart shows, not which function drew it
    manifest = json.loads(seeds_build.manifest.read_text(encoding="utf-8"))
    assert manifest["label_check"]["suspected"] == []


@pytest.fixture(scope="module")
def egypt_build(tmp_path_factory):
    """Four Egyptian articles written for the tests, plus an analyst's brief.md, built for real."""
    from policybrief import build

    seeds = tmp_path_factory.mktemp("egypt_seeds")
    for path in (Path(__file__).parent / "fixtures" / "corpora" / "egypt").iterdir():
        shutil.copy(path, seeds / path.name)
    (seeds / "brief.md").write_text("## توصيات\n- ربط كل هدف بميزانية معلنة وجهة مسؤولة.\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("egypt_brief")
    try:
        return build.build_brief(seeds, out, progress=False, pdf=pdf.find_chromium() is not None)
    except build.BuildError as error:
        pytest.fail(f"the Egypt build failed: {error}")


@pytest.mark.slow
def test_another_country_gets_its_own_brief(egypt_build):
    page = egypt_build.html.read_text(encoding="utf-8")
    title = re.search(r"<h1>([^<]*)</h1>", page).group(1)
    assert title.endswith("في مصر") and "المغرب" not in title
    body = page.split('class="pb-html-only"')[0]
    assert "سبتمبر" in body and "أغسطس" in body
    for moroccan in ("شتنبر", "غشت", "يوليوز", "ملايير"):
        assert moroccan not in body, moroccan
    assert re.search(r"<h3[^>]*>توصيات", body) and "ربط كل هدف بميزانية معلنة" in body  # the analyst section
    assert egypt_build.manifest.is_file()
    if egypt_build.pdf:
        assert 3 <= _pages(egypt_build.pdf) <= 8


@pytest.mark.slow
def test_every_table_the_build_writes_is_registered_and_reads_back(seeds_build):
    from policybrief import store
    from policybrief.schemas import TABLES

    layout = seeds_build.layout
    by_path = {store.table_path(n, layout): n for n, t in TABLES.items() if t.folder != "input"}
    written = sorted(p for folder in (layout.data_dir, layout.figures_dir, layout.report_dir) for p in folder.iterdir()
                     if p.suffix in {".csv", ".parquet"})
    assert [p.name for p in written if p not in by_path] == []
    assert sorted(by_path[p] for p in written) == sorted(by_path.values())  # and every registered table is written
    for path in written:
        assert list(store.read_table(by_path[path], layout).columns) == [c.name for c in TABLES[by_path[path]].columns]
