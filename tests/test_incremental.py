"""The up-to-date check of `policybrief build`: what changes the stamp, and a second build that runs nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from policybrief import build, incremental

v4 = nbformat.v4


def _project(root: Path) -> tuple[Path, Path]:
    """Two articles and one notebook (the brief) that counts them."""
    notebooks, seeds = root / "notebooks", root / "seeds"
    notebooks.mkdir()
    seeds.mkdir()
    (seeds / "a.txt").write_text("الرباط - أطلقت الوزارة برنامجا لتكوين 500 شاب.", encoding="utf-8")
    (seeds / "b.txt").write_text("تونس - رصدت الحكومة 40 مليون دينار للبرنامج.", encoding="utf-8")
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# موجز"),
        v4.new_code_cell('seeds_dir = "../seeds"\nout_dir = ".."', metadata={"tags": ["parameters"]}),
        v4.new_code_cell("from pathlib import Path\nprint(len(list(Path(seeds_dir).glob('*.txt'))), 'articles')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "05_brief.ipynb")
    return notebooks, seeds


def _edit(seeds: Path, notebooks: Path, change: str) -> dict:
    """Apply ``change``; return the settings of the next build."""
    settings = {"out": "/o", "pdf": True}
    if change == "edited-article":
        (seeds / "a.txt").write_text("الرباط - أطلقت الوزارة برنامجا لتكوين 600 شاب.", encoding="utf-8")
    elif change == "added-article":
        (seeds / "c.txt").write_text("عمان - افتتح الوزير مركزا جديدا.", encoding="utf-8")
    elif change == "removed-article":
        (seeds / "b.txt").unlink()
    elif change == "renamed-article":
        (seeds / "b.txt").rename(seeds / "b2.txt")
    elif change == "review-file":
        (seeds / "review.csv").write_text("row_id,action\nfig-1,reject\n", encoding="utf-8")
    elif change == "sources-file":
        (seeds / "sources.csv").write_text("file,outlet\na.txt,هسبريس\n", encoding="utf-8")
    elif change == "notebook":
        nb = nbformat.read(notebooks / "05_brief.ipynb", as_version=4)
        nb.cells.append(v4.new_markdown_cell("ملاحظة"))
        nbformat.write(nb, notebooks / "05_brief.ipynb")
    elif change == "setting":
        settings["pdf"] = False
    return settings


@pytest.mark.parametrize("change, differs", [
    pytest.param("nothing", False, id="nothing-changed"),
    pytest.param("touched-only", False, id="file-touched-not-changed"),
    pytest.param("edited-article", True, id="edited-article"),
    pytest.param("added-article", True, id="added-article"),
    pytest.param("removed-article", True, id="removed-article"),
    pytest.param("renamed-article", True, id="renamed-article"),
    pytest.param("review-file", True, id="review-file-added"),
    pytest.param("sources-file", True, id="sources-file-added"),
    pytest.param("notebook", True, id="notebook-edited"),
    pytest.param("setting", True, id="pdf-setting"),
])
def test_the_stamp_changes_with_what_the_build_reads(tmp_path, change, differs):
    notebooks, seeds = _project(tmp_path)
    before = incremental.build_stamp(seeds, notebooks, {"out": "/o", "pdf": True})
    if change == "touched-only":
        (seeds / "a.txt").touch()
    settings = _edit(seeds, notebooks, change)
    assert (incremental.build_stamp(seeds, notebooks, settings) != before) is differs


def test_the_stamp_covers_the_package_code(tmp_path, monkeypatch):
    notebooks, seeds = _project(tmp_path)
    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "tables.py").write_text("X = 1\n")
    (package / "data" / "units.yml").write_text("a: 1\n")
    monkeypatch.setattr(incremental, "PACKAGE_DIR", package)
    before = incremental.build_stamp(seeds, notebooks, {})
    (package / "data" / "units.yml").write_text("a: 2\n")
    after_rules = incremental.build_stamp(seeds, notebooks, {})
    (package / "tables.py").write_text("X = 2\n")
    assert len({before["code"], after_rules["code"], incremental.build_stamp(seeds, notebooks, {})["code"]}) == 3


@pytest.mark.slow
def test_a_second_build_with_nothing_changed_runs_nothing(tmp_path):
    notebooks, seeds = _project(tmp_path)
    out = tmp_path / "out"
    first = build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    assert not first.up_to_date and first.steps
    (out / "build" / "cache" / "marker").parent.mkdir(parents=True, exist_ok=True)
    (out / "build" / "cache" / "marker").write_text("x")
    html_written = first.html.stat().st_mtime_ns

    second = build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    assert second.up_to_date and second.steps == [] and second.html == first.html
    assert first.html.stat().st_mtime_ns == html_written
    assert str(second).startswith("up to date")

    first.html.unlink()  # an output gone: rebuilt even though the inputs did not change
    third = build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    assert not third.up_to_date and third.html.is_file()
    assert (out / "build" / "cache" / "marker").exists()

    forced = build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False, force=True)
    assert not forced.up_to_date and forced.steps
    assert not (out / "build" / "cache" / "marker").exists()  # --force empties the extraction cache


@pytest.mark.slow
def test_a_failed_build_is_not_up_to_date_afterwards(tmp_path):
    notebooks, seeds = _project(tmp_path)
    out = tmp_path / "out"
    build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    good = notebooks / "05_brief.ipynb"
    saved = tmp_path / "saved.ipynb"
    shutil.copy(good, saved)
    nb = nbformat.read(good, as_version=4)
    nb.cells.append(v4.new_code_cell("1 / 0"))
    nbformat.write(nb, good)
    with pytest.raises(build.BuildError):
        build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    shutil.copy(saved, good)  # back to the inputs of the good build, but its outputs were not rewritten since
    assert incremental.read_stamp(out / "build") is None
    assert not build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False).up_to_date


@pytest.mark.slow
def test_the_command_answers_up_to_date_without_reading_the_articles(tmp_path, monkeypatch, capsys):
    from policybrief import cli, corpus

    notebooks, seeds = _project(tmp_path)
    out = tmp_path / "out"
    build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks)
    monkeypatch.setattr(build, "NOTEBOOKS_DIR", notebooks)
    monkeypatch.setattr(corpus, "load_corpus", lambda *a, **k: pytest.fail("the articles were read again"))
    assert cli.main(["build", str(seeds), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("up to date")
