"""`policybrief build`: run the notebooks in order in one kernel, export the brief to HTML and PDF.

All notebooks share ONE kernel (one kernel manager, nbclient): five separate kernels or papermill
processes cost seconds of start-up each. Parameters are injected papermill-style in a cell right after
each notebook's ``parameters`` cell. The first failing cell stops the build with a ``BuildError`` that
names the notebook and the cell; its executed copy (with the traceback) is kept in
``build-failed/`` for inspection. Every file is written through ``store`` (atomic).

A build is a transaction (``transaction``): it holds the output folder's lock, writes into a staging
folder inside it and swaps ``build/``, ``figures/`` and ``report/`` in with renames only when every
step succeeded; on an error or an interrupt the previous outputs stay whole.
"""
from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import incremental, store, transaction
from .extract import cache as extraction_cache
from .paths import NOTEBOOKS_DIR, PROJECT_DIR, SEEDS_DIR, OutputLayout

BRIEF_NOTEBOOK = "05_brief.ipynb"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
CELL_TIMEOUT_S = 600
STEPS_FILE = "steps.json"
OUTPUT_FOLDERS = ("build", "figures", "report")  # swapped in as a whole by a successful build
FAILED_DIR = "build-failed"  # executed notebooks of the last failed build
# State a build reads from the previous one, carried into the staging folder: small state is copied (the
# old copy stays whole if the build fails), caches are moved and moved back if it fails.
COPIED_STATE = ("build/history",)  # the tables of the last reports, for "what changed"
MOVED_STATE = ("build/cache",)  # the extraction cache
FIRST_NOTEBOOK = "01_"  # a run that starts later continues the previous build's outputs


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
                _execute(client)
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
        _stop_kernel(km, kc, run_sync)
        kernel_log.close()
    return steps, executed


def _execute(client) -> None:
    """``client.execute()``; a Ctrl-C or SIGTERM during it raises ``KeyboardInterrupt``, whatever its symptom."""
    try:
        client.execute()
    except BaseException:
        if getattr(client, "_async_cleanup_kernel_future", None) is not None:
            # nbclient's own signal handler shut the kernel down (this attribute is its only trace):
            # report the interrupt, not its symptoms (a dead kernel, a closed socket, an error cell)
            raise KeyboardInterrupt from None
        raise


def _stop_kernel(km, kc, run_sync) -> None:
    """Shut the kernel down; after an interrupt the client may be half closed, so kill it outright then."""
    try:
        if kc is not None:
            kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - the error that stopped the build is the one to report
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()


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
    skipped: list[str] | None = None,
) -> BuildResult:
    """Run every notebook on ``seeds_dir`` and write the brief (HTML, PDF, manifest) under ``out_root``.

    Defaults: the project's ``seeds/`` and the project's own ``build/``, ``figures/``, ``report/``.
    When nothing the build reads changed since the last good build, returns at once (``up_to_date``)
    unless ``force``; ``force`` also empties the extraction cache. ``strict`` makes a chart label suspected
    of being drawn wrongly fatal (otherwise it is logged and recorded in the manifest).
    ``skipped`` names the input files the reader skipped ("file: reason"; read from ``seeds_dir`` when
    not given), listed in the manifest and the brief's method section.
    Raises ``BuildError`` naming the notebook and cell (or step) that broke; the previous outputs are
    then unchanged, as after an interrupt. Raises ``transaction.OutputError`` when another build holds
    ``out_root`` or it cannot be written.
    """
    seeds = Path(seeds_dir or SEEDS_DIR).resolve()
    root = Path(out_root or PROJECT_DIR).resolve()
    nb_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    layout = OutputLayout(root)
    if not seeds.is_dir():
        raise BuildError(f"seeds folder not found: {seeds}")
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise BuildError(f"no notebooks NN_name.ipynb in {nb_dir}")
    stamp = incremental.build_stamp(seeds, nb_dir, {"articles": str(seeds), "out": str(root), "pdf": pdf,
                                                     "strict": strict})
    if not force and (done := _up_to_date(stamp, layout, notebooks, pdf)):
        return done
    if skipped is None:
        from .corpus import load_corpus

        skipped = [f"{p.file}: {p.message}" for p in load_corpus(seeds).problems if p.level == "error"]
    with transaction.output_lock(root, "policybrief build"), transaction.staging_folder(root) as staging:
        # A run of later notebooks only (notebook 05 over tables already built) reads the earlier outputs.
        copied = COPIED_STATE if notebooks[0].name.startswith(FIRST_NOTEBOOK) else OUTPUT_FOLDERS
        incremental.remove_stamp(layout.build_dir)
        if force:
            extraction_cache.clear(layout.cache_dir)
        moved = transaction.carry_in(root, staging, copied, MOVED_STATE)
        try:
            result = _build_staged(seeds, notebooks, nb_dir, OutputLayout(staging), layout,
                                   progress, pdf, skipped, strict)
            incremental.write_stamp(stamp, OutputLayout(staging).build_dir)
        except BaseException as error:
            transaction.give_back(staging, root, moved)
            if not isinstance(error, BuildError):
                raise
            failed = _keep_failed_notebooks(OutputLayout(staging).notebooks_dir, root / FAILED_DIR)
            raise BuildError(f"{error} (executed notebooks kept in {failed}; previous outputs unchanged)"
                             if failed else f"{error} (previous outputs unchanged)") from None
        transaction.swap_in(staging, root, OUTPUT_FOLDERS)
    return result


def _keep_failed_notebooks(executed_dir: Path, failed_dir: Path) -> Path | None:
    """Move the executed notebooks of a failed build to ``failed_dir`` (replacing older ones)."""
    if not executed_dir.is_dir() or not any(executed_dir.iterdir()):
        return None
    shutil.rmtree(failed_dir, ignore_errors=True)
    shutil.move(str(executed_dir), str(failed_dir))
    return failed_dir


def _build_staged(seeds: Path, notebooks: list[Path], nb_dir: Path, layout: OutputLayout, final: OutputLayout,
                  progress: bool, pdf: bool, skipped: list[str], strict: bool) -> BuildResult:
    """The build itself: every output under ``layout`` (the staging folder), paths reported under ``final``."""
    from . import manifest
    from . import pdf as pdf_printer

    log = _stderr_log if progress else None
    built_at = manifest.utc_now()
    if log:
        log(f"policybrief build: {len(notebooks)} notebooks, seeds {seeds}, output {final.root}")

    # Chromium boots and nbconvert is imported while the kernel runs the notebooks (the parent only
    # waits on the kernel). Started once the first notebook is done, so they do not compete with the
    # kernel's own start-up.
    skip_slow_optional_imports()
    helpers: dict = {"printer": None, "warm": threading.Thread(target=_prewarm_export, daemon=True)}

    def after_notebook(steps_so_far: list[dict]) -> None:
        store.write_json({"built_at": built_at, "steps": steps_so_far, "skipped": skipped},
                         layout.build_dir / STEPS_FILE)
        if len(steps_so_far) == 1:
            helpers["printer"] = _start_printer(pdf_printer) if pdf else None
            helpers["warm"].start()

    try:
        steps, executed = run_notebooks(
            notebooks, {"seeds_dir": str(seeds), "out_dir": str(layout.root), "strict": strict},
            layout.notebooks_dir, nb_dir,
            log=log, on_step=after_notebook,
        )
        if helpers["warm"].is_alive():
            helpers["warm"].join()
        return _export_brief(seeds, notebooks, executed, steps, layout, final, log, built_at,
                             helpers["printer"], pdf, skipped)
    finally:
        if helpers["printer"] is not None:
            helpers["printer"].close()


def previous_build(seeds_dir: str | Path | None = None, out_root: str | Path | None = None,
                   notebooks_dir: str | Path | None = None, pdf: bool = True,
                   strict: bool = False) -> BuildResult | None:
    """The last build's result when nothing it read has changed since (see ``incremental``), else None."""
    seeds = Path(seeds_dir or SEEDS_DIR).resolve()
    root = Path(out_root or PROJECT_DIR).resolve()
    nb_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    stamp = incremental.build_stamp(seeds, nb_dir, {"articles": str(seeds), "out": str(root), "pdf": pdf,
                                                     "strict": strict})
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


def _export_brief(seeds, notebooks, executed, steps, layout, final, log, built_at, printer, pdf, skipped):
    """HTML, PDF and manifest from the executed brief notebook, written under ``layout``."""
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

    has_pdf = False
    extra: dict = {"title": title, "skipped": list(skipped)}
    if pdf:
        try:
            printed = _timed(steps, "print_pdf", log, pdf_printer.html_to_pdf, html_path, title, printer=printer)
        except pdf_printer.PdfError as error:
            raise BuildError(f"PDF: {error}") from None
        if printed.remote_requests:
            raise BuildError(f"PDF: the page tried to reach the network: {printed.remote_requests[:5]}")
        store.write_bytes(printed.pdf, layout.report_dir / "brief.pdf")
        has_pdf = True
        extra["pdf_engine"] = f"{printed.engine} {printed.engine_version}".strip()

    from .review_step import review_summary

    review = review_summary(layout.root)  # review.csv problems go to the build log and the manifest
    if review:
        extra["review"] = review
        if log:
            for problem in review["problems"]:
                log(f"  review: {problem}")
    outputs = {"html": str(final.report_dir / "brief.html"), "notebooks": str(final.notebooks_dir)}
    if has_pdf:
        outputs["pdf"] = str(final.report_dir / "brief.pdf")
    extra["label_check"] = _label_check(layout, log)
    data = manifest.build_manifest(seeds, steps, built_at, outputs=outputs, extra=extra)
    store.write_json(data, layout.report_dir / "manifest.json")
    if log:
        total = sum(s["seconds"] for s in steps)
        log(f"  {'total':<28} {total:6.1f} s -> {final.report_dir}")
    return BuildResult(
        layout=final,
        notebooks=[final.notebooks_dir / p.name for p in notebooks],
        html=final.report_dir / "brief.html",
        pdf=final.report_dir / "brief.pdf" if has_pdf else None,
        manifest=final.report_dir / "manifest.json",
        steps=steps,
    )
