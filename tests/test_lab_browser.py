"""JupyterLab in a real browser: notebook 02 runs, Arabic output reads right-to-left, nothing leaves 127.0.0.1.

Starts JupyterLab (token, free loopback port, no news or update checks) on a copy of the notebooks with a
fixture article written for this test, opens ``02_extract.ipynb`` in Debian's headless Chromium through
Playwright, runs all cells, saves the notebook and checks its outputs, and leaves screenshots in ``build/``.
The server is stopped by its process id whatever happens.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from policybrief.paths import BUILD_DIR, NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    # Any host other than the loopback server fails to resolve: the page cannot fetch from the network.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
NOTEBOOK = "02_extract.ipynb"
ARABIC_LETTER = re.compile("[\u0621-\u064a]")

# A short article written for this test (not taken from any outlet).
FIXTURE_ARTICLE = """\
الرباط - أطلقت وزارة الانتقال الرقمي وإصلاح الإدارة، يوم الثلاثاء 14 أكتوبر 2025، برنامج "الجيل الرقمي" \
لتكوين 5000 شاب وشابة في مهن الذكاء الاصطناعي في أفق سنة 2027.

وتبلغ الميزانية المرصودة لبرنامج "الجيل الرقمي" حوالي 300 مليون درهم، تساهم فيها الجامعات العمومية \
والوكالة الوطنية لإنعاش التشغيل والكفاءات.

وأوضح بلاغ للوزارة أن البرنامج يندرج ضمن استراتيجية "المغرب الرقمي 2030"، وأن 40 في المائة من المقاعد \
ستخصص لخريجي الجهات البعيدة عن المحور الرباط - الدار البيضاء.
"""

LAB_SETTINGS = {
    # Render every cell (no virtual scrolling) so the page holds all outputs.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}

# Text of every element of the outputs that shows a given string, with its computed direction.
DIRECTIONS_JS = """
(names) => {
  const found = {};
  const outputs = document.querySelectorAll('.jp-OutputArea-output');
  for (const name of names) {
    found[name] = [];
    for (const out of outputs) {
      for (const el of out.querySelectorAll('td, th, mark, p, div, span, bdi')) {
        if (el.children.length === 0 && el.textContent.includes(name)) {
          found[name].push(getComputedStyle(el).direction);
        }
      }
    }
  }
  return found;
}
"""

# The kernel took the cells: some prompt shows [*] (queued or running) or an execution count.
STARTED_JS = """
() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
  .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))
"""

# Done when every code cell has an execution count, or when a cell failed and nothing is queued any more.
RUN_FINISHED_JS = """
() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  const busy = prompts.some(p => p.textContent.includes('*'));
  const allRan = prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
  const failed = document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  return !busy && (allRan || failed !== null);
}
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    for relative, content in LAB_SETTINGS.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content), encoding="utf-8")


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the server by its pid: SIGTERM lets it shut its kernels down; SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a free loopback port, serving a copy of the notebooks next to a fixture seed."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "fixture_article.txt").write_text(FIXTURE_ARTICLE, encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / NOTEBOOK, notebooks / NOTEBOOK)
    _write_settings(tmp_path / "lab-settings")
    token = secrets.token_hex(16)
    port = _free_port()
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
    )
    command = [
        sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
        "--no-browser", "--ServerApp.open_browser=False", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as log_handle:
        process = subprocess.Popen(command, cwd=notebooks, env=env, stdout=log_handle, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/api/status?token={token}", process, log)
        yield {"base": base, "token": token, "root": tmp_path, "log": log}
    finally:
        _stop(process)


def _saved_notebook(path: Path, before: float, timeout: float = 30) -> dict:
    """The notebook as JupyterLab saved it after ``before`` (its outputs tell errors apart from warnings)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.stat().st_mtime > before:
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                pass  # caught mid-write
        time.sleep(0.5)
    raise AssertionError("the notebook was not saved")


def _wait_for_idle_kernel(lab: dict, timeout: float = 120) -> None:
    """Wait until the server reports the notebook's kernel started and idle (slow on a loaded machine)."""
    deadline = time.monotonic() + timeout
    url = f"{lab['base']}/api/sessions?token={lab['token']}"
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=5) as response:
            sessions = json.loads(response.read())
        if any(s.get("kernel", {}).get("execution_state") == "idle" for s in sessions):
            return
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel after {timeout}s:\n{lab['log'].read_text()[-2000:]}")


def _run_all_cells(page, attempts: int = 6) -> None:
    """Run > Run All Cells, again if the kernel dropped the request (the lab can look idle before it is ready)."""
    for _ in range(attempts):
        try:
            page.keyboard.press("Escape")  # close a menu left open by a previous attempt
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click(timeout=10_000)
            page.locator("li[data-command='runmenu:run-all']").click(timeout=10_000)
            page.wait_for_function(STARTED_JS, timeout=30_000, polling=500)
            return
        except Exception as error:  # playwright's TimeoutError
            if "Timeout" not in type(error).__name__:
                raise
    raise AssertionError(f"the kernel never started running the cells ({attempts} attempts)")


def test_notebook_02_runs_in_jupyterlab_and_reads_right_to_left(lab):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (Debian package chromium)")
    notebook_path = lab["root"] / "notebooks" / NOTEBOOK
    saved_before = notebook_path.stat().st_mtime
    outside_requests: list[str] = []
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.on(
                "request",
                lambda r: outside_requests.append(r.url)
                if not r.url.startswith((lab["base"], "data:", "blob:", "about:")) else None,
            )
            page.goto(f"{lab['base']}/lab/tree/{NOTEBOOK}?token={lab['token']}", timeout=90_000)
            page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
            _wait_for_idle_kernel(lab)
            _run_all_cells(page)
            page.wait_for_function(RUN_FINISHED_JS, timeout=300_000, polling=1000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            page.screenshot(path=str(BUILD_DIR / "lab_02_extract.png"))
            page.locator(".jp-Notebook").click(position={"x": 5, "y": 5})
            page.keyboard.press("Control+s")
            saved = _saved_notebook(notebook_path, saved_before)

            errors = [o for c in saved["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
            assert errors == [], "\n".join(f"{e['ename']}: {e['evalue']}" for e in errors)
            not_run = [c["id"] for c in saved["cells"] if c["cell_type"] == "code" and not c["execution_count"]]
            assert not_run == [], f"cells that did not run: {not_run}"

            initiatives_csv = lab["root"] / "build" / "data" / "initiatives.csv"
            assert initiatives_csv.exists(), "the notebook did not write build/data/initiatives.csv"
            import pandas as pd

            names = [n for n in pd.read_csv(initiatives_csv, dtype=str, keep_default_na=False)["name"]
                     if ARABIC_LETTER.search(n)]
            assert names, "the fixture article gave no initiative with an Arabic name"
            directions = page.evaluate(DIRECTIONS_JS, names)
            shown_rtl = [name for name, dirs in directions.items() if "rtl" in dirs]
            assert shown_rtl, f"no Arabic initiative name in a right-to-left element: {directions}"
            assert page.locator(".jp-OutputArea-output mark").count() > 0, "no highlighted quote"

            first_rtl = shown_rtl[0]
            page.locator(".jp-OutputArea-output td", has_text=first_rtl).first.scroll_into_view_if_needed()
            page.screenshot(path=str(BUILD_DIR / "lab_02_extract_initiative.png"))
            page.locator(".jp-OutputArea-output mark").last.scroll_into_view_if_needed()
            page.screenshot(path=str(BUILD_DIR / "lab_02_extract_sources.png"))
        finally:
            browser.close()
    assert outside_requests == [], f"the page tried to fetch from outside the server: {outside_requests[:5]}"
