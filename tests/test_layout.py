"""The project keeps the layout the README promises; dependencies and notebooks stay in shape."""
from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize(
    "relative",
    ["notebooks", "seeds", "figures", "report", "build", "environment.yml", "README.md", "Makefile",
     "pyproject.toml", ".ci/run", "src/policybrief/__init__.py", "tests", "benchmarks", "docs",
     "scripts/system-deps.sh"],
)
def test_layout(relative):
    assert (ROOT / relative).exists(), relative


def test_seeds_are_the_shared_articles_unchanged():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared/ folder beside this checkout")
    for original in shared.glob("*.txt"):
        assert (ROOT / "seeds" / original.name).read_bytes() == original.read_bytes()


def _requirement_bounds(requirements: list[str]) -> dict[str, str]:
    bounds = {}
    for requirement in requirements:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
        bounds[match[1].lower().replace("_", "-")] = match[2].replace(" ", "")
    return bounds


def test_environment_yml_lists_the_same_packages_and_bounds_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda_names = [d for d in conda if isinstance(d, str) and not d.startswith(("python", "pip"))]
    conda_names += [d for d in conda if isinstance(d, str) and d.startswith("python-")]
    assert _requirement_bounds(conda_names) == _requirement_bounds(declared)


def test_generated_folders_are_ignored_by_git(tmp_path):
    for folder in ("build", "figures", "report"):
        probe = ROOT / folder / "probe.csv"
        result = subprocess.run(["git", "check-ignore", "-q", str(probe)], cwd=ROOT)
        assert result.returncode == 0, f"{folder}/ is not ignored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_thin_and_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code_cells), "outputs committed"
    parameters = [c for c in code_cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1, "exactly one parameters cell"
    assert "seeds_dir" in parameters[0].source and "out_dir" in parameters[0].source
    assert notebook.cells[0].cell_type == "markdown"
    assert re.search(r"In:.*·.*Out:", notebook.cells[0].source), "first cell names In: … · Out: …"
    for cell in code_cells:
        assert not re.search(r"^\s*(def|class) ", cell.source, re.M), "logic belongs in the package"


def test_notebooks_are_numbered_in_run_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(1, len(numbers) + 1))
