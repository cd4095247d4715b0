"""Fault injection: interrupts, kills, concurrent writers, failing steps, read-only and full disks.

Each test keeps a previous output in place and checks it comes out whole, byte for byte, with one
clean line on stderr and no staging folder or live worker left behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policybrief import transaction
from policybrief.cli import main

PARAGRAPHS = [
    "أعلنت وزارة الاقتصاد عن برنامج لدعم المقاولات الناشئة بقيمة {n} مليون درهم في أفق سنة 2030.",
    "وقال مدير الوكالة الوطنية للتشغيل إن البرنامج سيخلق {n} منصب شغل خلال السنوات الثلاث المقبلة.",
    "وافتتحت الجامعة مركزا للبحث في الطاقات المتجددة يوم 12 مارس 2024 بشراكة مع مجموعة صناعية.",
    "وبلغت نسبة النمو {n} في المائة حسب تقرير المندوبية السامية للتخطيط الصادر في يناير 2025.",
]
TABLES = ("documents", "figures", "dates", "entities", "initiatives")


def _article(index: int) -> str:
    lines = [f"خبر رقم {index} عن الاقتصاد", ""]
    lines += [PARAGRAPHS[(index + k) % len(PARAGRAPHS)].format(n=index * 7 + k) for k in range(12)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """Enough articles that extraction with two workers runs for a few seconds."""
    folder = tmp_path_factory.mktemp("corpus")
    for index in range(1500):
        (folder / f"doc_{index:04d}.txt").write_text(_article(index), encoding="utf-8")
    return folder


def _digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` except the lock file and a failed build's notebooks."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != transaction.LOCK_NAME and "build-failed" not in p.parts}


def _previous_tables(out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        (out / f"{name}.csv").write_text(f"previous {name}\n", encoding="utf-8")
    return _digest(out)


def _no_staging(out: Path) -> bool:
    return not list(out.glob(transaction.STAGING_PREFIX + "*"))


def _cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "policybrief.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def _wait_for_workers(process: subprocess.Popen, count: int = 2, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) >= count:
            return workers
        time.sleep(0.05)
    pytest.fail("the command never started its workers")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that is not its old parent counts as dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _stderr_lines(text: str) -> list[str]:
    """stderr without the progress bar's redraws."""
    return [line for line in text.replace("\r", "\n").splitlines() if line.startswith("policybrief:")]


# -- the lock: one writer per output folder ---------------------------------------------------------

def test_second_writer_stops_naming_the_holder(tmp_path, capsys):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    (seeds / "a.txt").write_text(_article(1), encoding="utf-8")
    previous = _previous_tables(out)
    with transaction.output_lock(out, "policybrief build"):
        assert main(["extract", str(seeds), "--out", str(out)]) == 1
    [line] = _stderr_lines(capsys.readouterr().err)
    assert f"pid {os.getpid()}, policybrief build" in line and "another --out" in line
    assert _digest(out) == previous


def test_lock_is_released_when_its_holder_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from policybrief.transaction import output_lock\n"
        f"with output_lock({str(tmp_path)!r}, 'holder'):\n    print('held', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(transaction.OutputError, match=f"pid {holder.pid}, holder"):
        with transaction.output_lock(tmp_path, "second"):
            pass
    holder.kill()
    holder.wait()
    with transaction.output_lock(tmp_path, "third"):  # the kernel released the flock with its holder
        pass


def test_stale_staging_folder_of_a_killed_run_is_removed(tmp_path):
    stale = tmp_path / f"{transaction.STAGING_PREFIX}killed"
    (stale / "build").mkdir(parents=True)
    with transaction.output_lock(tmp_path, "next run"):
        assert not stale.exists()


# -- swap: all or nothing ----------------------------------------------------------------------------

def test_failed_swap_puts_every_old_output_back(tmp_path, monkeypatch):
    root = tmp_path / "root"
    for name in ("build", "figures", "report"):
        (root / name).mkdir(parents=True)
        (root / name / "old.txt").write_text(f"old {name}", encoding="utf-8")
    previous = _digest(root)
    with transaction.staging_folder(root) as staging:
        for name in ("build", "figures", "report"):
            (staging / name).mkdir()
            (staging / name / "new.txt").write_text("new", encoding="utf-8")
        real_rename, calls = os.rename, []

        def failing_rename(source, target):
            calls.append(source)
            if len(calls) == 5:  # build and figures swapped, report moved aside: then the disk says no
                raise OSError(28, "No space left on device")
            real_rename(source, target)

        monkeypatch.setattr(os, "rename", failing_rename)
        with pytest.raises(OSError):
            transaction.swap_in(staging, root, ("build", "figures", "report"))
        monkeypatch.setattr(os, "rename", real_rename)
    assert _digest(root) == previous


# -- extract: interrupts and kills -------------------------------------------------------------------

def _extract_running(out: Path, corpus_dir: Path) -> tuple[subprocess.Popen, list[int], dict[str, str]]:
    """``extract --workers 2`` over previous tables, once its workers run: (process, worker pids, previous)."""
    previous = _previous_tables(out)
    process = _cli("extract", str(corpus_dir), "--out", str(out), "--workers", "2")
    return process, _wait_for_workers(process), previous


@pytest.mark.slow
def test_ctrl_c_during_extract_with_workers_exits_130_and_keeps_the_tables(tmp_path, corpus_dir):
    out = tmp_path / "out"
    process, workers, previous = _extract_running(out, corpus_dir)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)  # never hangs
    assert process.returncode == 130
    assert _stderr_lines(err) == ["policybrief: interrupted; the previous outputs are unchanged"]
    assert _digest(out) == previous and _no_staging(out)
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]


@pytest.mark.slow
def test_workers_die_with_a_killed_parent(tmp_path, corpus_dir):
    out = tmp_path / "out"
    process, workers, previous = _extract_running(out, corpus_dir)
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
    assert _digest(out) == previous  # the staging folder is left, and the next run removes it
    with transaction.output_lock(out, "next"):
        assert _no_staging(out)


# -- disks that refuse: read-only, full --------------------------------------------------------------

def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


def _in_tmpfs(script: str, size: str = "256k") -> subprocess.CompletedProcess:
    """Run ``script`` (sh) with $MNT a fresh tmpfs of ``size`` mounted in a private mount namespace."""
    command = f'MNT=$(mktemp -d) && mount -t tmpfs -o size={size} tmpfs "$MNT" && {script}'
    return subprocess.run(["unshare", "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="cannot mount a tmpfs in a user namespace here")
@pytest.mark.parametrize(
    "setup, message",
    [
        pytest.param('mount -o remount,ro "$MNT"', "Read-only file system", id="read-only-output"),
        pytest.param("true", "No space left on device", id="disk-full"),
    ],
)
def test_refusing_disk_is_one_line_and_keeps_previous_tables(tmp_path, setup, message):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for index in range(40):  # tables of about 400 KB: more than the 256 KB tmpfs holds
        (seeds / f"doc_{index:02d}.txt").write_text(_article(index), encoding="utf-8")
    previous = "".join(f'echo "previous {n}" > "$MNT/{n}.csv"; ' for n in TABLES)
    script = (f'{previous} touch "$MNT/{transaction.LOCK_NAME}"; sha256sum "$MNT"/*.csv > {tmp_path}/before; {setup}; '
              f'{sys.executable} -m policybrief.cli extract {seeds} --out "$MNT"; echo "rc=$?"; '
              f'sha256sum "$MNT"/*.csv > {tmp_path}/after; ls -a "$MNT"')
    done = _in_tmpfs(script)
    assert "rc=1" in done.stdout, done.stderr[-2000:]
    lines = _stderr_lines(done.stderr)
    assert len([line for line in lines if "error" in line]) == 1 and message in lines[-1]
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert transaction.STAGING_PREFIX not in done.stdout


# -- build: a failure at each step leaves the previous brief whole -----------------------------------

def _project(root: Path) -> tuple[Path, Path]:
    import nbformat

    v4 = nbformat.v4
    notebooks, seeds = root / "notebooks", root / "seeds"
    notebooks.mkdir()
    seeds.mkdir()
    (seeds / "a.txt").write_text(_article(3), encoding="utf-8")
    params = v4.new_code_cell('seeds_dir = "../seeds"\nout_dir = ".."\nbreak_in = ""\nnap = 0',
                              metadata={"tags": ["parameters"]})
    first = v4.new_notebook(cells=[params, v4.new_code_cell(
        "import time\nfrom pathlib import Path\n(Path(out_dir) / 'running').touch()\ntime.sleep(float(nap))\n"
        "for kept in ('history', 'cache'):\n"
        "    runs = Path(out_dir) / 'build' / kept / 'runs.txt'\n    runs.parent.mkdir(parents=True, exist_ok=True)\n"
        "    runs.write_text((runs.read_text() if runs.exists() else '') + 'run\\n')\n"
        "assert break_in != '01', 'broken on purpose'\n"
        "(Path(out_dir) / 'figures').mkdir(parents=True, exist_ok=True)\n"
        "(Path(out_dir) / 'figures' / 'chart.txt').write_text('new chart')")])
    brief = v4.new_notebook(cells=[v4.new_markdown_cell("# موجز"), params, v4.new_code_cell(
        "assert break_in != '05', 'broken on purpose'\nfrom IPython.display import HTML\nHTML('<p>نص</p>')")])
    for nb in (first, brief):
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(first, notebooks / "01_first.ipynb")
    nbformat.write(brief, notebooks / "05_brief.ipynb")
    return notebooks, seeds


def _previous_brief(out: Path) -> dict[str, str]:
    for relative, text in {"build/data/figures.csv": "old table", "figures/chart.txt": "old chart",
                           "report/brief.html": "<p>old brief</p>", "report/brief.pdf": "%PDF old",
                           "report/manifest.json": "{}"}.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text, encoding="utf-8")
    return _digest(out)


def _break(step: str, monkeypatch) -> None:
    from policybrief import build, export, manifest
    from policybrief import pdf as pdf_printer

    def fail(error):
        def raiser(*args, **kwargs):
            raise error
        return raiser

    if step == "export":
        monkeypatch.setattr(export, "export_html", fail(export.ExportError("template missing")))
    elif step == "pdf-chromium-missing":
        monkeypatch.setattr(build, "_start_printer", lambda printer: None)
        monkeypatch.setattr(pdf_printer, "html_to_pdf",
                            fail(pdf_printer.PdfError("cannot print the PDF: Chromium is not installed")))
    elif step == "manifest":
        monkeypatch.setattr(manifest, "build_manifest", fail(PermissionError(13, "Permission denied", "x.txt")))


@pytest.mark.slow
@pytest.mark.parametrize("step", ["01", "05", "export", "pdf-chromium-missing", "manifest"])
def test_build_failing_at_any_step_keeps_the_previous_brief(tmp_path, monkeypatch, step):
    from policybrief import build

    notebooks, seeds = _project(tmp_path)
    out = tmp_path / "out"
    previous = _previous_brief(out)
    _break(step, monkeypatch)
    original = build.parameters_source
    monkeypatch.setattr(build, "parameters_source", lambda params: original({**params, "break_in": step}))
    with pytest.raises((build.BuildError, OSError)):
        build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks)
    assert _digest(out) == previous and _no_staging(out)


@pytest.mark.slow
def test_build_swaps_everything_in_on_success(tmp_path):
    from policybrief import build

    notebooks, seeds = _project(tmp_path)
    (seeds / "scan.pdf").write_bytes(b"%PDF-1.7")
    out = tmp_path / "out"
    _previous_brief(out)
    (out / "report" / "README.md").write_text("kept", encoding="utf-8")
    result = build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    skipped = json.loads(result.manifest.read_text(encoding="utf-8"))["skipped"]
    assert len(skipped) == 1 and skipped[0].startswith("scan.pdf: unsupported format (.pdf)")
    assert (out / "figures" / "chart.txt").read_text() == "new chart"
    assert not (out / "build" / "data" / "figures.csv").exists()  # old build/ replaced as a whole
    assert not (out / "report" / "brief.pdf").exists()  # no stale PDF beside a new HTML
    assert (out / "report" / "README.md").read_text() == "kept"
    assert result.html.read_text(encoding="utf-8") != "<p>old brief</p>" and _no_staging(out)


@pytest.mark.slow
def test_ctrl_c_during_the_notebooks_exits_130_with_one_line(tmp_path):
    import nbformat

    notebooks, seeds = _project(tmp_path)
    first = nbformat.read(notebooks / "01_first.ipynb", as_version=4)
    first.cells[0].source = first.cells[0].source.replace("nap = 0", "nap = 60")
    nbformat.write(first, notebooks / "01_first.ipynb")
    out = tmp_path / "out"
    previous = _previous_brief(out)
    script = ("import sys; from policybrief.cli import main; from policybrief import build, paths\n"
              f"paths.NOTEBOOKS_DIR = build.NOTEBOOKS_DIR = __import__('pathlib').Path({str(notebooks)!r})\n"
              f"sys.exit(main(['build', {str(seeds)!r}, '--out', {str(out)!r}]))")
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob(f"{transaction.STAGING_PREFIX}*/running")) and time.monotonic() < deadline:
        time.sleep(0.1)  # the first notebook marks its start in the staging folder, then sleeps
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err[-2000:]
    assert _stderr_lines(err) == ["policybrief: interrupted; the previous outputs are unchanged"]
    assert "Traceback" not in err
    assert _digest(out) == previous and _no_staging(out)


@pytest.mark.slow
def test_state_kept_across_builds_survives_success_and_failure(tmp_path, monkeypatch):
    """build/history (copied in) and build/cache (moved in, moved back on failure) outlive each build."""
    from policybrief import build

    notebooks, seeds = _project(tmp_path)
    out = tmp_path / "out"
    for n in range(2):  # a changed article each time, or the second build would be "up to date"
        (seeds / "a.txt").write_text(_article(3 + n), encoding="utf-8")
        build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    runs = {kept: out / "build" / kept / "runs.txt" for kept in ("history", "cache")}
    assert [p.read_text() for p in runs.values()] == ["run\nrun\n", "run\nrun\n"]
    original = build.parameters_source
    monkeypatch.setattr(build, "parameters_source", lambda params: original({**params, "break_in": "05"}))
    (seeds / "a.txt").write_text(_article(5), encoding="utf-8")
    with pytest.raises(build.BuildError):
        build.build_brief(seeds, out, progress=False, notebooks_dir=notebooks, pdf=False)
    assert runs["history"].read_text() == "run\nrun\n"  # the failed build's history is not kept
    assert runs["cache"].read_text() == "run\nrun\nrun\n"  # the cache is given back, with what it learnt



def test_ctrl_c_swallowed_while_the_pool_forks_is_still_raised():
    """Python ignores a KeyboardInterrupt raised in an at-fork handler; the pool remembers the Ctrl-C."""
    import multiprocessing

    from policybrief.workers import worker_pool

    with pytest.raises(KeyboardInterrupt):
        with worker_pool(2, multiprocessing.get_context("fork")) as pool:
            try:  # what happens when the signal lands in logging's after-fork hook
                signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
            except KeyboardInterrupt:
                pass
            list(pool.map(abs, [-1, -2, -3]))



def test_a_pool_whose_workers_were_killed_is_remembered_for_the_exit():
    """``cli.run`` exits without joining a killed pool's manager thread, which can wait for ever."""
    import multiprocessing

    from policybrief import workers

    with pytest.raises(RuntimeError):
        with workers.worker_pool(1, multiprocessing.get_context("fork")) as pool:
            list(pool.map(abs, [-1]))
            raise RuntimeError("a failing step")
    assert workers.killed_workers()
