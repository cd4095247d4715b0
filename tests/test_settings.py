"""The one corpus setting (environment variable, policybrief.yml, default) and the mixed-corpus guard."""
from __future__ import annotations

import pandas as pd
import pytest

from policybrief import paths, settings


def _docs(*files_and_hashes):
    return pd.DataFrame(
        [{"doc_id": f.rsplit(".", 1)[0], "file": f, "sha256": h} for f, h in files_and_hashes],
        columns=["doc_id", "file", "sha256"],
    )


def test_environment_variable_wins_over_the_project_file(tmp_path):
    (tmp_path / "policybrief.yml").write_text("corpus: from-file\n", encoding="utf-8")
    chosen = settings.corpus_dir(tmp_path, environ={settings.CORPUS_VARIABLE: str(tmp_path / "from-env")})
    assert chosen == tmp_path / "from-env"


def test_project_file_in_a_parent_folder_is_read_relative_to_itself(tmp_path):
    (tmp_path / "policybrief.yml").write_text("# my articles\ncorpus: articles/2025\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    assert settings.corpus_dir(tmp_path / "notebooks", environ={}) == tmp_path / "articles" / "2025"


@pytest.mark.parametrize(
    "content", [pytest.param("", id="empty-file"), pytest.param("out: x\n", id="no-corpus-key")]
)
def test_without_a_setting_the_project_seeds_are_read(tmp_path, content):
    (tmp_path / "policybrief.yml").write_text(content, encoding="utf-8")
    assert settings.corpus_dir(tmp_path, environ={settings.CORPUS_VARIABLE: "  "}) == paths.SEEDS_DIR


@pytest.mark.parametrize(
    ("content", "expected_words"),
    [
        pytest.param("corpus: [a, b\n", "cannot be read as YAML", id="broken-yaml"),
        pytest.param("- corpus\n", "expected lines such as", id="a-list-not-a-mapping"),
        pytest.param("corpus: 12\n", "must be a folder name", id="a-number"),
    ],
)
def test_a_bad_project_file_is_one_line_naming_it(tmp_path, content, expected_words):
    (tmp_path / "policybrief.yml").write_text(content, encoding="utf-8")
    with pytest.raises(settings.SettingsError) as caught:
        settings.corpus_dir(tmp_path, environ={})
    message = str(caught.value)
    assert "\n" not in message and expected_words in message and "policybrief.yml" in message


@pytest.mark.parametrize(
    ("current", "extracted_from", "tables", "expected"),
    [
        pytest.param(_docs(("a.txt", "1"), ("b.txt", "2")), _docs(("a.txt", "1"), ("b.txt", "2")), {}, "",
                     id="same-files"),
        pytest.param(_docs(("a.txt", "1"), ("b.txt", "3")), _docs(("a.txt", "1"), ("b.txt", "2")), {},
                     "changed: b.txt", id="an-article-edited"),
        pytest.param(_docs(("new.txt", "9")), _docs(("a.txt", "1"), ("b.txt", "2")), {},
                     "not extracted: new.txt; no longer in the folder: a.txt, b.txt", id="another-folder"),
        pytest.param(_docs(("a.txt", "1")), _docs(("a.txt", "1")),
                     {"figures": pd.DataFrame({"doc_id": ["a", "old"]})},
                     "figures cites 1 document(s) not in the documents table (old)", id="tables-older-than-documents"),
    ],
)
def test_corpus_mismatch(current, extracted_from, tables, expected):
    assert settings.corpus_mismatch(current, extracted_from, tables) == expected


def _article(folder, name, sentence):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"الرباط - {sentence}\n", encoding="utf-8")


def test_guard_stops_when_build_data_comes_from_another_folder(tmp_path):
    from policybrief import store
    from policybrief.corpus import read_corpus
    from policybrief.paths import OutputLayout

    first, second = tmp_path / "first", tmp_path / "second"
    _article(first, "a.txt", "أعلنت الوزارة عن برنامج جديد لتكوين ألف شاب في المهن الرقمية.")
    _article(second, "b.txt", "خصصت الجهة مائتي مليون درهم لتأهيل الطرق القروية هذه السنة.")
    store.write_table("documents", read_corpus(first), OutputLayout(tmp_path))
    settings.check_tables_on_disk(first, tmp_path)  # the tables fit the folder they came from
    with pytest.raises(settings.CorpusMismatch) as caught:
        settings.check_tables_on_disk(second, tmp_path)
    message = str(caught.value)
    assert "another folder or older files" in message and "not extracted: b.txt" in message
    assert "run notebooks 01 and 02" in message and "\n" not in message


def test_guard_without_extracted_tables_says_what_to_run(tmp_path):
    with pytest.raises(settings.CorpusMismatch, match="is missing: run notebooks 01 and 02"):
        settings.check_tables_on_disk(tmp_path, tmp_path)


def test_cli_extract_reads_the_corpus_setting(tmp_path, monkeypatch, capsys):
    from policybrief import cli

    _article(tmp_path / "mine", "only.txt", "أطلقت الوكالة منصة رقمية جديدة بكلفة عشرة ملايين درهم.")
    monkeypatch.setenv(settings.CORPUS_VARIABLE, str(tmp_path / "mine"))
    assert cli.main(["extract", "--out", str(tmp_path / "out")]) == 0
    from policybrief import store
    from policybrief.paths import OutputLayout

    assert store.read_table("documents", OutputLayout.flat(tmp_path / "out"))["file"].tolist() == ["only.txt"]


def test_cli_names_a_broken_project_file_in_one_line(tmp_path, monkeypatch, capsys):
    from policybrief import cli

    (tmp_path / "policybrief.yml").write_text("corpus: [\n", encoding="utf-8")
    monkeypatch.delenv(settings.CORPUS_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["extract", "--out", str(tmp_path / "out")]) == cli.EXIT_ERROR
    error = capsys.readouterr().err.strip()
    assert error.startswith("policybrief: error: ") and "policybrief.yml" in error and "\n" not in error
