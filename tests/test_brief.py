"""The brief's content from hand-made tables: messages, key figures with notes, escaping, the full PDF."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from policybrief import brief, pdf
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
    )


@pytest.fixture
def data():
    return make_data()


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


def test_source_numbers_oldest_first(data):
    assert data.source_numbers == {"doc_a": 1, "doc_b": 2}


def test_key_messages_from_tables(data):
    notes = brief.Notes(data)
    html_text = brief.key_messages(data, notes)
    text = _text(html_text)
    n_sentences = html_text.count("<li>")
    assert 4 <= n_sentences <= 6
    assert "مبادرتين" in text and "مقالين" in text
    assert "20 نونبر 2024" in text and "4 مارس 2025" in text
    assert "2.5 مليار درهم" in text  # largest amount
    assert "أفق 2030" in text
    assert "وزارة التجهيز الرقمي" in text
    assert "تتضارب" in text


def test_every_number_in_messages_has_a_note(data):
    notes = brief.Notes(data)
    html_text = brief.key_messages(data, notes)
    for item in re.findall(r"<li>(.*?)</li>", html_text):
        numbers = re.findall(r'<span class="pb-num">([^<]*)</span>(<sup class="pb-note">)?', item)
        for number, marker in numbers:
            assert marker, f"no note after {number}"
        assert "pb-note" in item or not re.search(r"\d", _text(item)), item


def test_notes_lead_to_exact_sentence(data):
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


def test_key_figures_box_without_conflicts():
    data = make_data(conflict=False)
    box = brief.key_figures_box(data, brief.Notes(data))
    assert "2.5 مليار درهم" in _text(box)
    assert "هدف 2030" in _text(box)


@pytest.mark.parametrize(
    "section",
    [
        pytest.param(lambda d, n: brief.initiatives(d), id="initiatives"),
        pytest.param(lambda d, n: brief.timeline(d), id="timeline"),
        pytest.param(lambda d, n: brief.key_messages(d, n), id="messages"),
        pytest.param(lambda d, n: brief.conflicts(d, n), id="conflicts"),
        pytest.param(lambda d, n: brief.sources(d), id="sources"),
        pytest.param(lambda d, n: (brief.key_messages(d, n), n.html())[1], id="notes"),
        pytest.param(lambda d, n: brief.title_block(d), id="title"),
    ],
)
def test_document_text_is_escaped(data, section):
    fragment = section(data, brief.Notes(data))
    assert "<script" not in fragment
    assert "<b>ثان</b>" not in fragment and "<i>البرنامج</i>" not in fragment


def test_sources_list_titles_outlets_dates_links(data):
    listing = brief.sources(data)
    assert listing.index("برنامج رقمي جديد") < listing.index("عنوان &lt;b&gt;ثان&lt;/b&gt;")
    assert 'href="https://news.example/a"' in listing
    assert "20 نونبر 2024" in listing and "جريدة الاختبار" in listing


def test_conflicts_section_only_when_sources_disagree(data):
    notes = brief.Notes(data)
    section = brief.conflicts(data, notes)
    assert "<h2>أرقام متضاربة</h2>" in section
    assert "1.8 مليار درهم" in section and section.count('class="pb-note"') == 2
    assert brief.conflicts(make_data(conflict=False), notes) == ""


def test_empty_corpus_gives_empty_sections_not_errors():
    empty = brief.BriefData(None, None, None, None, None, None)
    notes = brief.Notes(empty)
    assert "pb-empty" in brief.initiatives(empty)
    assert "pb-empty" in brief.key_figures_box(empty, notes)
    assert "<li>" in brief.key_messages(empty, notes)
    assert brief.conflicts(empty, notes) == ""


@pytest.mark.parametrize(
    "n, noun, expected",
    [
        pytest.param(1, "initiative", "مبادرة واحدة", id="one"),
        pytest.param(2, "initiative", "مبادرتين", id="dual"),
        pytest.param(3, "initiative", "3 مبادرات", id="few"),
        pytest.param(10, "article", "10 مقالات", id="ten"),
        pytest.param(11, "article", "11 مقالا", id="eleven"),
        pytest.param(100, "article", "100 مقال", id="hundred"),
        pytest.param(105, "article", "105 مقالات", id="hundred-and-five"),
    ],
)
def test_count_phrase(n, noun, expected):
    assert brief.count_phrase(n, noun) == expected


def test_pick_key_figures_rotates_kinds(data):
    rows = data.key_figures.assign(conflict=False)
    picked = brief.pick_key_figures(rows, 3)
    assert list(picked["unit"]) == ["MAD", "count", "percent"]


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
                           "function": "tests.write_out_dir", "has_data": True}])
    store.write_table("chart_index", index, layout)


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
    for heading in ("الرسائل الرئيسية", "المبادرات", "أرقام متضاربة", "المنهجية وحدود التحليل", "المصادر"):
        assert heading in page


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
    names = list(store.read_table("table_initiatives", seeds_build.layout)["name"])
    expected = ["موجز سياسات", *key_figures, *names]
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
    for heading in ("الرسائل الرئيسية", "المبادرات", "التسلسل الزمني", "المصادر", "بيانات الإعداد"):
        assert heading in titles
    assert not [t for t in titles if re.search(r"[0-9A-Za-z]", t)]  # mixed headings get scrambled


def test_context_and_method_numbers_carry_computed_notes(data):
    notes = brief.Notes(data)
    section = brief.context(data, notes) + brief.method_counts(data, notes)
    assert section.count('class="pb-note"') == 3
    assert all(note.text for note in notes.items)
    assert "20 نونبر 2024" in section and "برامج (1)" in section


@pytest.mark.slow
def test_every_table_the_build_writes_is_registered_and_reads_back(seeds_build):
    from policybrief import store
    from policybrief.schemas import TABLES

    layout = seeds_build.layout
    by_path = {store.table_path(n, layout): n for n, t in TABLES.items() if t.folder != "input"}
    written = sorted(p for folder in (layout.data_dir, layout.figures_dir) for p in folder.iterdir()
                     if p.suffix in {".csv", ".parquet"})
    assert [p.name for p in written if p not in by_path] == []
    assert sorted(by_path[p] for p in written) == sorted(by_path.values())  # and every registered table is written
    for path in written:
        assert list(store.read_table(by_path[path], layout).columns) == [c.name for c in TABLES[by_path[path]].columns]
