"""`policybrief build`: run the notebooks in order in one kernel, export the brief to HTML and PDF.

All notebooks share ONE kernel (one kernel manager, nbclient): five separate kernels or papermill
processes cost seconds of start-up each. Parameters are injected papermill-style in a cell right after
each notebook's ``parameters`` cell. The first failing cell stops the build with a ``BuildError`` that
names the notebook and the cell; its executed copy (with the traceback) is kept in
``build/notebooks/`` for inspection. Every file is written through ``store`` (atomic).
"""
from __future__ import annotations

import copy
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import incremental, store
from .extract import cache as extraction_cache
from .paths import NOTEBOOKS_DIR, PROJECT_DIR, SEEDS_DIR, OutputLayout

BRIEF_NOTEBOOK = "05_brief.ipynb"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
CELL_TIMEOUT_S = 600
STEPS_FILE = "steps.json"


class BuildError(RuntimeError):
    """The build stopped; the message names the notebook and cell (or the step) that broke."""


@dataclass
class BuildResult:
    """Where one build wrote its outputs and how long each step took."""

    layout: OutputLayout
    notebooks: list[Path]
    html: Path
    pdf: Path | None
    manifest: Path
    steps: list[dict] = field(default_factory=list)
    up_to_date: bool = False  # nothing it reads changed since the last good build, so nothing was run

    @property
    def seconds(self) -> float:
        """Total duration of the steps."""
        return sum(s["seconds"] for s in self.steps)

    def __str__(self) -> str:
        lines = ["up to date: nothing changed since the last build"] if self.up_to_date else []
        lines.append(f"brief: {self.html}")
        if self.pdf:
            lines.append(f"pdf: {self.pdf}")
        lines += [f"manifest: {self.manifest}", f"executed notebooks: {self.layout.notebooks_dir}"]
        if not self.up_to_date:
            lines.append(f"built in {self.seconds:.1f} s")
        return "\n".join(lines)


def skip_slow_optional_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (about 0.8 s of grammar building).

    jsonschema only uses it to check the ``iri`` string format, which the notebook schema never uses;
    jsonschema imports it inside ``suppress(ImportError)``, so a ``None`` entry skips it cleanly.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def discover_notebooks(notebooks_dir: str | Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks ``NN_name.ipynb`` of a folder, in run order."""
    return sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))


def parameters_source(params: dict[str, str]) -> str:
    """Python assignments for the injected parameters cell.

    >>> print(parameters_source({"seeds_dir": "/data/seeds", "out_dir": "/tmp/o"}))
    # Parameters injected by policybrief build
    seeds_dir = '/data/seeds'
    out_dir = '/tmp/o'
    """
    lines = ["# Parameters injected by policybrief build"]
    lines += [f"{name} = {value!r}" for name, value in params.items()]
    return "\n".join(lines)


def inject_parameters(nb, params: dict[str, str]):
    """A copy of ``nb`` with a parameters cell inserted after the ``parameters``-tagged cell (or first)."""
    import nbformat

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    position = 0
    for index, cell in enumerate(nb.cells):
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            position = index + 1
            break
    cell = nbformat.v4.new_code_cell(parameters_source(params), metadata={"tags": [INJECTED_TAG]})
    cell.pop("id", None)
    nb.cells.insert(position, cell)
    # Cell ids are optional before nbformat 4.5; give every cell one so the copy validates.
    nb.nbformat_minor = max(nb.get("nbformat_minor", 5), 5)
    for number, c in enumerate(nb.cells):
        c.setdefault("id", f"cell-{number}")
    return nb


def failed_cell(nb) -> tuple[int, object] | None:
    """``(cell number, cell)`` of the first code cell with an error output, or None.

    The number is 1-based and counts the cells of the notebook as committed (the injected parameters
    cell is not counted), so it is the number the analyst sees in JupyterLab.
    """
    number = 0
    for cell in nb.cells:
        if INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        number += 1
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number, cell
    return None


def describe_failure(notebook: str, nb, error: BaseException) -> str:
    """One message naming the notebook, the failing cell (number and first line) and the error."""
    found = failed_cell(nb)
    if found is None:
        return f"{notebook}: {type(error).__name__}: {str(error).strip().splitlines()[-1:] or ''}"
    number, cell = found
    first_line = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
    error_output = next(o for o in cell.outputs if o.get("output_type") == "error")
    return (
        f"{notebook}, cell {number} ({first_line.strip()[:80]}): "
        f"{error_output.get('ename', 'Error')}: {error_output.get('evalue', '')}"
    )


def _stderr_log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_notebooks(
    notebooks: list[Path],
    params: dict[str, str],
    executed_dir: Path,
    cwd: Path,
    log: Callable[[str], None] | None = None,
    on_step: Callable[[list[dict]], None] | None = None,
    timeout: int = CELL_TIMEOUT_S,
) -> tuple[list[dict], dict]:
    """Execute ``notebooks`` in order in one kernel; return step timings and executed nodes by name."""
    skip_slow_optional_imports()
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    started = time.perf_counter()
    km = AsyncKernelManager(kernel_name="python3")
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    # The kernel's own stderr (a TCP-without-encryption notice, debugger chatter) goes to a file whose
    # tail is shown only if the kernel dies; cell errors arrive through the protocol anyway.
    kernel_log = tempfile.TemporaryFile()
    run_sync(km.start_kernel)(cwd=str(cwd), env=env, stderr=kernel_log)
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    steps: list[dict] = []
    executed: dict = {}
    kc = None
    try:
        for path in notebooks:
            nb = inject_parameters(nbformat.read(path, as_version=4), params)
            client = NotebookClient(
                nb, km=km, timeout=timeout, kernel_name="python3", allow_errors=False,
                resources={"metadata": {"path": str(cwd)}},
            )
            client.kc = kc
            try:
                client.execute()
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
                store.write_text(nbformat.writes(nb), executed_dir / path.name)
                message = describe_failure(path.name, nb, error)
                if isinstance(error, DeadKernelError):
                    message += f"; {_tail(kernel_log)}"
                raise BuildError(message) from None
            except RuntimeError as error:  # kernel did not start or answer
                raise BuildError(f"{path.name}: kernel error: {error}; {_tail(kernel_log)}") from None
            kc = client.kc
            seconds = time.perf_counter() - started
            started = time.perf_counter()
            steps.append({"step": path.stem, "seconds": seconds})
            store.write_text(nbformat.writes(nb), executed_dir / path.name)
            executed[path.name] = nb
            if on_step:
                on_step(steps)
            if log:
                log(f"  {path.stem:<28} {seconds:6.1f} s")
    finally:
        if kc is not None:
            kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
        kernel_log.close()
    return steps, executed


def _tail(log, limit: int = 1500) -> str:
    """The end of the kernel's stderr log, for error messages."""
    log.seek(0)
    text = log.read().decode("utf-8", errors="replace").strip()
    return f"kernel log: {text[-limit:]}" if text else "kernel log empty"


def _timed(steps: list[dict], name: str, log: Callable[[str], None] | None, func, *args, **kwargs):
    begin = time.perf_counter()
    value = func(*args, **kwargs)
    seconds = time.perf_counter() - begin
    steps.append({"step": name, "seconds": seconds})
    if log:
        log(f"  {name:<28} {seconds:6.1f} s")
    return value


def build_brief(
    seeds_dir: str | Path | None = None,
    out_root: str | Path | None = None,
    progress: bool = True,
    notebooks_dir: str | Path | None = None,
    pdf: bool = True,
    strict: bool = False,
    force: bool = False,
) -> BuildResult:
    """Run every notebook on ``seeds_dir`` and write the brief (HTML, PDF, manifest) under ``out_root``.

    Defaults: the project's ``seeds/`` and the project's own ``build/``, ``figures/``, ``report/``.
    Raises ``BuildError`` naming the notebook and cell (or step) that broke. When nothing the build reads
    changed since the last good build, returns at once (``up_to_date``) unless ``force``; ``force`` also
    empties the extraction cache. ``strict`` makes a chart label suspected
    of being drawn wrongly fatal (otherwise it is logged and recorded in the manifest).
    """
    from . import manifest
    from . import pdf as pdf_printer

    seeds = Path(seeds_dir or SEEDS_DIR).resolve()
    root = Path(out_root or PROJECT_DIR).resolve()
    nb_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    layout = OutputLayout(root)
    log = _stderr_log if progress else None
    built_at = manifest.utc_now()
    if not seeds.is_dir():
        raise BuildError(f"seeds folder not found: {seeds}")
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise BuildError(f"no notebooks NN_name.ipynb in {nb_dir}")
    stamp = incremental.build_stamp(seeds, nb_dir, {"articles": str(seeds), "out": str(root), "pdf": pdf})
    if not force and (done := _up_to_date(stamp, layout, notebooks, pdf)):
        return done
    incremental.remove_stamp(layout.build_dir)
    if force:
        extraction_cache.clear(layout.cache_dir)
    if log:
        log(f"policybrief build: {len(notebooks)} notebooks, seeds {seeds}, output {root}")

    # Chromium boots and nbconvert is imported while the kernel runs the notebooks (the parent only
    # waits on the kernel). Started once the first notebook is done, so they do not compete with the
    # kernel's own start-up.
    skip_slow_optional_imports()
    helpers: dict = {"printer": None, "warm": threading.Thread(target=_prewarm_export, daemon=True)}

    def after_notebook(steps_so_far: list[dict]) -> None:
        store.write_json({"built_at": built_at, "steps": steps_so_far}, layout.build_dir / STEPS_FILE)
        if len(steps_so_far) == 1:
            helpers["printer"] = _start_printer(pdf_printer) if pdf else None
            helpers["warm"].start()

    try:
        steps, executed = run_notebooks(
            notebooks, {"seeds_dir": str(seeds), "out_dir": str(root), "strict": strict}, layout.notebooks_dir, nb_dir,
            log=log, on_step=after_notebook,
        )
        if helpers["warm"].is_alive():
            helpers["warm"].join()
        result = _export_brief(seeds, notebooks, executed, steps, layout, log, built_at, helpers["printer"], pdf)
        incremental.write_stamp(stamp, layout.build_dir)
        return result
    finally:
        if helpers["printer"] is not None:
            helpers["printer"].close()


def previous_build(seeds_dir: str | Path | None = None, out_root: str | Path | None = None,
                   notebooks_dir: str | Path | None = None, pdf: bool = True) -> BuildResult | None:
    """The last build's result when nothing it read has changed since (see ``incremental``), else None."""
    seeds = Path(seeds_dir or SEEDS_DIR).resolve()
    root = Path(out_root or PROJECT_DIR).resolve()
    nb_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    stamp = incremental.build_stamp(seeds, nb_dir, {"articles": str(seeds), "out": str(root), "pdf": pdf})
    return _up_to_date(stamp, OutputLayout(root), discover_notebooks(nb_dir), pdf)


def _up_to_date(stamp: dict, layout: OutputLayout, notebooks: list[Path], pdf: bool) -> BuildResult | None:
    """The result of the last build when it read exactly what this one would, else None."""
    html, pdf_path, manifest_path = (layout.report_dir / name for name in ("brief.html", "brief.pdf", "manifest.json"))
    outputs = [html, manifest_path, *([pdf_path] if pdf else [])]
    if not incremental.is_up_to_date(stamp, layout.build_dir, outputs):
        return None
    return BuildResult(layout=layout, notebooks=[layout.notebooks_dir / p.name for p in notebooks], html=html,
                       pdf=pdf_path if pdf else None, manifest=manifest_path, up_to_date=True)


def _start_printer(pdf_printer):
    executable = pdf_printer.find_chromium()
    if executable is None:
        return None
    try:
        return pdf_printer.ChromiumPrinter(executable)
    except pdf_printer.PdfError:
        return None  # html_to_pdf reports the problem (or falls back) when the PDF is due


def _prewarm_export() -> None:
    """Import nbconvert and read the font while the notebooks run; errors surface later, in the export."""
    try:
        from nbconvert import HTMLExporter  # noqa: F401

        from . import export

        export.default_font_css()
    except Exception:  # noqa: BLE001 - the real export step reports any problem
        pass


def _label_check(layout, log) -> dict:
    """The chart-label check notebook 04 recorded, for the manifest; each suspected label goes to the log."""
    from . import ocr

    if not store.has_table("label_check", layout):
        return {}
    result = ocr.summary(store.read_table("label_check", layout))
    if log:
        for suspect in result["suspected"]:
            log(f"  warning: chart {suspect['chart']}: label suspected of being drawn wrongly: "
                f"{'; '.join(suspect['problems'])} (see report/manifest.json; --strict makes this fatal)")
    return result


def _export_brief(seeds, notebooks, executed, steps, layout, log, built_at, printer, pdf):
    """HTML, PDF and manifest from the executed brief notebook."""
    from . import export, manifest
    from . import pdf as pdf_printer

    brief_name = BRIEF_NOTEBOOK if BRIEF_NOTEBOOK in executed else notebooks[-1].name
    brief_nb = executed[brief_name]
    title = export.notebook_title(brief_nb)
    try:
        page = _timed(steps, "export_html", log, export.export_html, brief_nb, title)
    except export.ExportError as error:
        raise BuildError(f"export of {brief_name} to HTML: {error}") from None
    html_path = store.write_text(page, layout.report_dir / "brief.html")

    pdf_path = None
    extra: dict = {"title": title}
    if pdf:
        try:
            printed = _timed(steps, "print_pdf", log, pdf_printer.html_to_pdf, html_path, title, printer=printer)
        except pdf_printer.PdfError as error:
            raise BuildError(f"PDF: {error}") from None
        if printed.remote_requests:
            raise BuildError(f"PDF: the page tried to reach the network: {printed.remote_requests[:5]}")
        pdf_path = store.write_bytes(printed.pdf, layout.report_dir / "brief.pdf")
        extra["pdf_engine"] = f"{printed.engine} {printed.engine_version}".strip()

    outputs = {"html": str(html_path), "notebooks": str(layout.notebooks_dir)}
    if pdf_path:
        outputs["pdf"] = str(pdf_path)
    extra["label_check"] = _label_check(layout, log)
    data = manifest.build_manifest(seeds, steps, built_at, outputs=outputs, extra=extra)
    manifest_path = store.write_json(data, layout.report_dir / "manifest.json")
    if log:
        total = sum(s["seconds"] for s in steps)
        log(f"  {'total':<28} {total:6.1f} s -> {html_path.parent}")
    return BuildResult(
        layout=layout,
        notebooks=[layout.notebooks_dir / p.name for p in notebooks],
        html=html_path,
        pdf=pdf_path,
        manifest=manifest_path,
        steps=steps,
    )
