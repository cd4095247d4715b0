"""Wrong input never passes silently: impossible dates, Latin text, duplicates, files that are not articles."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.corpus import load_corpus

ARTICLE = "الوزارة تطلق برنامجا للتكوين\n\nأعلنت الوزارة عن برنامج جديد لتكوين الشباب في مجال البرمجة.\n"
OTHER = "افتتاح مركز للبحث\n\nافتتحت الجامعة مركزا للبحث في الطاقات المتجددة بكلفة 40 مليون درهم.\n"
FRENCH = "État des lieux\n\nLe Maroc a présenté sa stratégie numérique ; l'économie créera des emplois.\n"


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


@pytest.mark.parametrize(
    "published, expected, warned",
    [
        pytest.param("2025-13-45", "", True, id="month-13-rejected"),
        pytest.param("2025-02-31", "", True, id="february-31-rejected"),
        pytest.param("٢٠٢٥-٠١-٠٢", "2025-01-02", False, id="arabic-indic-digits-read"),
        pytest.param("2024-02-29", "2024-02-29", False, id="leap-day-kept"),
    ],
)
def test_catalogue_dates_must_exist(tmp_path, published, expected, warned):
    folder = _folder(tmp_path, {"a.txt": ARTICLE, "sources.csv": f"file,url,outlet,published,title\na.txt,,,{published},\n"})
    corpus = load_corpus(folder)
    assert corpus.documents.loc[0, "published"] == expected
    assert any("not a date" in p.message for p in corpus.problems) == warned


def test_impossible_dateline_is_dropped_with_a_warning(tmp_path):
    folder = _folder(tmp_path, {"a.txt": "عنوان المقال\n\nالرباط - 31 فبراير 2025\n" + ARTICLE})
    corpus = load_corpus(folder)
    assert corpus.documents.loc[0, "published"] == ""
    [problem] = corpus.problems
    assert problem.level == "warning" and "2025-02-31 does not exist" in problem.message


@pytest.mark.parametrize(
    "payload, encoding, start",
    [
        pytest.param(FRENCH.encode("latin-1"), "cp1252", "État des lieux", id="latin1-french-stays-french"),
        pytest.param(FRENCH.encode("cp1252"), "cp1252", "État des lieux", id="windows1252-french"),
        pytest.param(ARTICLE.encode("cp1256"), "cp1256", "الوزارة تطلق", id="windows1256-arabic-stays-arabic"),
    ],
)
def test_single_byte_encodings_by_what_the_bytes_say(tmp_path, payload, encoding, start):
    corpus = load_corpus(_folder(tmp_path, {"a.txt": payload}))
    assert corpus.documents.loc[0, "encoding"] == encoding
    assert corpus.documents.loc[0, "text"].startswith(start)


def test_duplicate_article_is_counted_once_and_named(tmp_path):
    copy = ARTICLE.replace("برنامج جديد", "برنامج  جديد").replace("أعلنت", "اعلنت")  # spacing and hamza differ
    corpus = load_corpus(_folder(tmp_path, {"a.txt": ARTICLE, "b.txt": OTHER, "c_copy.txt": copy}))
    assert corpus.documents["doc_id"].tolist() == ["a", "b"]
    [problem] = corpus.problems
    assert problem.file == "c_copy.txt" and "same text as a.txt" in problem.message


def test_every_entry_that_is_not_an_article_is_named(tmp_path):
    folder = _folder(tmp_path, {"a.txt": ARTICLE, "report.docx": b"PK\x03\x04", "scan.pdf": b"%PDF-1.7",
                                "notes": "بلا امتداد", "sources.csv": "file,url,outlet,published,title\n",
                                ".hidden.txt": OTHER})
    (folder / "x.txt").mkdir()
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    os.symlink(folder / "a.txt", folder / "b_link.txt")  # a working link to another name: read (and a duplicate)
    corpus = load_corpus(folder)
    named = {p.file: p.message for p in corpus.problems}
    assert set(named) == {"report.docx", "scan.pdf", "notes", "x.txt", "dangling.txt", "loop.txt", "b_link.txt"}
    assert "unsupported format (.docx)" in named["report.docx"] and "unsupported format (.pdf)" in named["scan.pdf"]
    assert "folder" in named["x.txt"]
    assert "symbolic link" in named["dangling.txt"] and "symbolic link" in named["loop.txt"]
    assert "same text as a.txt" in named["b_link.txt"]
    assert corpus.documents["doc_id"].tolist() == ["a"]


def test_unterminated_quote_in_catalogue_is_named(tmp_path):
    catalogue = ('file,url,outlet,published,title\na.txt,,"Agence,2025-01-02,عنوان\n'
                 'b.txt,,جريدة,2025-01-03,عنوان آخر\n')
    corpus = load_corpus(_folder(tmp_path, {"a.txt": ARTICLE, "b.txt": OTHER, "sources.csv": catalogue}))
    assert any("quote is not closed" in p.message for p in corpus.problems)
    assert not any("\n" in outlet for outlet in corpus.documents["outlet"])  # no swallowed rows as metadata


def test_cli_names_every_skipped_file_on_one_line(tmp_path, capsys):
    folder = _folder(tmp_path, {"a.txt": ARTICLE, "report.docx": b"PK", "empty.txt": ""})
    assert main(["extract", str(folder), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "policybrief: skipped 2 file(s): empty.txt, report.docx" in err


def test_workers_are_capped_at_the_cpus(tmp_path, capsys):
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    assert main(["extract", str(folder), "--out", str(tmp_path / "out"), "--workers", "1000"]) == 0
    assert "--workers 1000 lowered to" in capsys.readouterr().err


@pytest.mark.parametrize("make_gold", [lambda p: p / "missing", lambda p: (p / "empty").mkdir() or p / "empty"],
                         ids=["missing-gold-folder", "empty-gold-folder"])
def test_evaluate_fails_without_gold(tmp_path, capsys, make_gold):
    folder = _folder(tmp_path, {"a.txt": ARTICLE})
    assert main(["evaluate", str(make_gold(tmp_path)), str(folder)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "gold" in err


def test_brief_method_section_names_the_skipped_files():
    from policybrief import brief

    empty = {name: None for name in ("documents", "initiatives", "actors", "key_figures", "timeline", "conflicts")}
    data = brief.BriefData(**empty, skipped=["report.docx: unsupported format (.docx); skipped", "x.txt: a folder"])
    sentence = brief.method_skipped(data)
    assert "(2)" in sentence and "<bdi>report.docx</bdi>" in sentence and "<bdi>x.txt</bdi>" in sentence
    assert brief.method_skipped(brief.BriefData(**empty)) == ""

