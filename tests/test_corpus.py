"""The corpus reader: formats, encodings, metadata and bad input, on articles written by the tests."""
from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest

from policybrief.corpus import (
    CorpusError,
    _looks_binary,
    documents_table,
    load_corpus,
    read_corpus,
)
from policybrief.schemas import column_names

HEADLINE = "الحكومة تطلق برنامجا جديدا لدعم المقاولات الناشئة"
DATELINE = "طنجة – 5 مارس 2024"
BODY = (
    "أعلنت وزارة الاقتصاد اليوم عن برنامج لدعم المقاولات الناشئة في جهة طنجة تطوان الحسيمة.\n"
    "ويهدف البرنامج إلى مواكبة الشباب في مجالات الرقمنة والطاقات المتجددة."
)
ARTICLE = f"{HEADLINE}\n\n{DATELINE}\n{BODY}\n"


def write(folder: Path, name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


@pytest.mark.parametrize(
    "name, payload, expected_encoding",
    [
        pytest.param("a.txt", ARTICLE.encode("utf-8"), "utf-8", id="utf8"),
        pytest.param("a.txt", codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig", id="utf8-bom"),
        pytest.param("a.txt", ARTICLE.encode("utf-16"), "utf-16", id="utf16-bom"),
        pytest.param("a.txt", ARTICLE.encode("cp1256"), "cp1256", id="windows-1256"),
        pytest.param("a.txt", ARTICLE.replace("\n", "\r\n").encode("cp1256"), "cp1256", id="windows-1256-crlf"),
        pytest.param("a.md", ("# " + ARTICLE).encode("utf-8"), "utf-8", id="markdown"),
    ],
)
def test_encodings_and_formats_give_the_same_text_and_metadata(tmp_path, name, payload, expected_encoding):
    write(tmp_path, name, payload)
    corpus = load_corpus(tmp_path)
    assert corpus.problems == []
    row = corpus.documents.iloc[0]
    assert row["encoding"] == expected_encoding
    assert row["title"] == HEADLINE
    assert (row["place"], row["published"]) == ("طنجة", "2024-03-05")
    assert BODY in row["text"]
    assert "\r" not in row["text"] and "\ufeff" not in row["text"]
    assert row["n_chars"] == len(row["text"])


def test_html_page_keeps_the_article_and_drops_scripts_menus_and_footer(tmp_path):
    paragraphs = "".join(f"<p>{line}</p>" for line in BODY.split("\n")) * 3
    page = (
        f"<html><head><title>{HEADLINE}</title><script>var tracker = 'x';</script>"
        "<style>body {color: red}</style></head><body>"
        "<nav><a href='/'>الرئيسية</a> <a href='/eco'>اقتصاد</a></nav>"
        f"<article><h1>{HEADLINE}</h1><p>{DATELINE}</p>{paragraphs}</article>"
        "<footer>جميع الحقوق محفوظة للموقع</footer></body></html>"
    )
    write(tmp_path, "page.html", page)
    row = load_corpus(tmp_path).documents.iloc[0]
    assert row["format"] == "html"
    assert row["title"] == HEADLINE
    assert "مواكبة الشباب" in row["text"]
    for dropped in ("tracker", "color: red", "جميع الحقوق محفوظة", "الرئيسية"):
        assert dropped not in row["text"]
    assert row["published"] == "2024-03-05"


def test_text_is_nfc_and_keeps_original_characters(tmp_path):
    decomposed = "\u0627\u0654\u0639\u0644\u0646\u0640\u062a \u0627\u0644\u0648\u0632\u0627\u0631\u0629 \u0639\u0646 \u0661\u0662 \u0645\u0634\u0631\u0648\u0639\u0627."
    write(tmp_path, "nfc.txt", decomposed)
    text = load_corpus(tmp_path).documents.iloc[0]["text"]
    assert text.startswith("\u0623")  # alef + hamza above composed
    assert "\u0640" in text and "\u0661\u0662" in text  # tatweel and Arabic-Indic digits kept for quoting


def test_article_without_headline_has_empty_title(tmp_path):
    write(tmp_path, "x.txt", BODY)
    row = load_corpus(tmp_path).documents.iloc[0]
    assert row["title"] == "" and row["published"] == ""


def test_catalogue_overrides_what_the_text_gives(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "sources.csv", "file,url,outlet,published,title\na.txt,https://example.org/a,جريدة,2024-03-06,عنوان آخر\n")
    row = load_corpus(tmp_path).documents.iloc[0]
    assert (row["url"], row["outlet"], row["published"], row["title"]) == (
        "https://example.org/a", "جريدة", "2024-03-06", "عنوان آخر"
    )
    assert row["place"] == "طنجة"


def test_catalogue_with_bad_date_or_unknown_file_warns(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "sources.csv", "file,url,outlet,published,title\na.txt,,,5/3/2024,\nmissing.txt,,,,\n")
    corpus = load_corpus(tmp_path)
    messages = [str(p) for p in corpus.problems]
    assert any("5/3/2024" in m and m.startswith("warning: sources.csv") for m in messages)
    assert any("missing.txt" in m for m in messages)
    assert corpus.documents.iloc[0]["published"] == "2024-03-05"  # the dateline still counts


@pytest.mark.parametrize(
    "name, payload, message",
    [
        pytest.param("empty.txt", b"", "empty file", id="empty"),
        pytest.param("blank.txt", b"  \n\n ", "empty file", id="whitespace-only"),
        pytest.param("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary", id="binary"),
        pytest.param("mojibake.txt", ARTICLE.encode("utf-8").decode("cp1252", "ignore").encode("utf-8"), "garbled", id="utf8-read-as-1252"),
    ],
)
def test_bad_files_are_named_and_skipped_while_others_are_read(tmp_path, name, payload, message):
    write(tmp_path, "good.txt", ARTICLE)
    write(tmp_path, name, payload)
    corpus = load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["good"]
    [problem] = corpus.problems
    assert (problem.file, problem.level) == (name, "error")
    assert message in problem.message and "\n" not in str(problem)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    write(tmp_path, "good.txt", ARTICLE)
    corpus = load_corpus(tmp_path)
    [problem] = corpus.problems
    assert problem.file == "huge.txt" and "too large (52.4 MB" in problem.message


def test_unreadable_file_is_reported(tmp_path):
    write(tmp_path, "good.txt", ARTICLE)
    (tmp_path / "folder.txt").mkdir()  # a directory named like an article: skipped, not a crash
    locked = write(tmp_path, "locked.txt", ARTICLE + "\n" + BODY)  # not a duplicate of good.txt
    locked.chmod(0)
    try:
        corpus = load_corpus(tmp_path)
    finally:
        locked.chmod(0o644)
    readable_as_root = "locked" in set(corpus.documents["doc_id"])
    if not readable_as_root:
        assert any(p.file == "locked.txt" and "cannot be read" in p.message for p in corpus.problems)
    assert "good" in set(corpus.documents["doc_id"])


def test_non_arabic_file_is_read_with_a_warning_and_strict_refuses_it(tmp_path):
    write(tmp_path, "fr.txt", "Le gouvernement lance un programme pour les jeunes entreprises.\nIl vise la région.")
    corpus = load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["fr"]
    [problem] = corpus.problems
    assert problem.level == "warning" and "little Arabic" in problem.message
    with pytest.raises(CorpusError, match="fr.txt"):
        load_corpus(tmp_path, strict=True)


def test_duplicate_document_ids_and_missing_folder(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "a.md", ARTICLE)
    corpus = load_corpus(tmp_path)
    assert len(corpus.documents) == 1
    assert "same document id" in corpus.problems[0].message
    with pytest.raises(CorpusError, match="no such folder"):
        load_corpus(tmp_path / "nope")


def test_read_corpus_schema_sha256_and_documents_table(tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE)
    documents = read_corpus(tmp_path)
    assert list(documents.columns) == column_names("documents")
    import hashlib

    assert documents.iloc[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "text" not in documents_table(documents).columns


def test_seeds_metadata():
    documents = read_corpus(Path(__file__).resolve().parents[1] / "seeds").set_index("doc_id")
    first, second = documents.iloc[0], documents.iloc[1]
    assert first["title"].startswith("المغرب يعزز موقعه الرقمي")
    assert (first["place"], first["published"]) == ("الرباط", "2025-07-22")
    assert second["title"] == "" and second["published"] == "2026-01-12"
    assert second["outlet"] == "businessman.ma"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("سطر أول\nسطر ثان\tمع جدولة\r\n\f", False, id="line-and-tab-controls-are-text"),
        pytest.param("نص" + "\x00\x01\x02\x03", True, id="c0-controls"),
        pytest.param("نص" + "\x85\x90\x9f", True, id="c1-controls"),
        pytest.param("\x0b\x1b" + "ن" * 300, False, id="two-controls-are-tolerated"),
        pytest.param("\x0b" * 3 + "ن" * 300, True, id="vertical-tab-counts"),
    ],
)
def test_looks_binary(text, expected):
    assert _looks_binary(text) is expected


def test_workers_read_the_same_table_and_problems(tmp_path, monkeypatch):
    from policybrief import corpus

    monkeypatch.setattr(corpus, "MIN_FILES_FOR_WORKERS", 2)
    for i in range(12):
        (tmp_path / f"a{i:02d}.txt").write_text(f"عنوان رقم {i}\n\nالرباط – {i + 1} مارس 2025\nنص المقال رقم {i}.\n",
                                               encoding="utf-8")
    (tmp_path / "a03.md").write_text("نسخة ثانية بنفس المعرف", encoding="utf-8")  # same id as a03.txt
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "d_dup.md").write_bytes(b"")  # unreadable first ...
    (tmp_path / "d_dup.txt").write_text("نص مقروء", encoding="utf-8")  # ... so this one is read
    one, two = load_corpus(tmp_path), load_corpus(tmp_path, workers=2)
    pd.testing.assert_frame_equal(one.documents, two.documents)
    assert one.problems == two.problems
    assert "d_dup" in one.documents["doc_id"].tolist() and len(one.problems) == 4


def _is_mojibake_by_repair(text: str) -> bool:
    """The check without the lead-byte shortcut: repair with each code page and look at the result."""
    from policybrief.textnorm import arabic_share

    for wrong in ("cp1252", "cp1256"):
        repaired = text.encode(wrong, errors="ignore").decode("utf-8", errors="replace")
        if repaired == text or not repaired.strip():
            continue
        if repaired.count("\ufffd") <= len(repaired) * 0.05 and arabic_share(repaired) >= 0.5:
            return True
    return False


def test_mojibake_shortcut_gives_the_answers_of_the_full_repair():
    import random

    from policybrief.corpus import _is_mojibake

    rng = random.Random(5)
    arabic = ["أعلنت الوزارة عن برنامج جديد للتكوين الرقمي.", "بلغت الميزانية 3 ملايير درهم سنة 2025.",
              "Le programme Maroc Digital ممول بشراكة مع الجهة.", "Prix: 20 € – Ø 5 cm, Ù Ú Û"]
    pieces = arabic + [s.encode().decode(page, errors="replace") for s in arabic for page in ("cp1252", "cp1256")]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(400)]
    answers = [_is_mojibake(t) for t in texts]
    assert answers == [_is_mojibake_by_repair(t) for t in texts]
    assert 50 < sum(answers) < 350  # both answers are well represented
