"""JupyterLab in a real browser: notebook 02 runs, its tables work offline and right-to-left, 03 guards the corpus.

Starts JupyterLab (token, free loopback port, no news or update checks) on a copy of notebooks 02 and 03 next
to a fixture article and a ``policybrief.yml`` naming its folder, opens ``02_extract.ipynb`` in Debian's
headless Chromium (1400×900) through Playwright and runs all cells. Then, in the page: a wide interactive
table is scrolled (mouse wheel) to its last column, sorted and searched; an Arabic markdown paragraph is
checked to align right (computed style and where its text sits); the filter widgets are there. Finally the
setting is pointed at another folder and ``03_tables.ipynb`` must stop with the one-line mixed-corpus message.
Nothing may be fetched from outside the server. Screenshots go to ``build/lab_*.png``. The server is stopped
by its process id whatever happens.
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
TABLES_NOTEBOOK = "03_tables.ipynb"
VIEWPORT = {"width": 1400, "height": 900}
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

# A second article, in another folder: the corpus the setting is switched to before notebook 03 runs.
OTHER_ARTICLE = """\
فاس - خصص مجلس الجهة 120 مليون درهم لتجهيز 60 مدرسة قروية بالألواح الرقمية خلال سنة 2026.
"""
SEARCH_WORD = "الميزانية"  # in exactly one sentence of the fixture article

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
() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
  .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))
"""

# Done when every code cell has an execution count, or when a cell failed and nothing is queued any more.
RUN_FINISHED_JS = """
() => {
  const current = '.jp-NotebookPanel:not(.lm-mod-hidden) ';  // the notebook in the open tab
  const prompts = [...document.querySelectorAll(current + '.jp-CodeCell .jp-InputPrompt')];
  const busy = prompts.some(p => p.textContent.includes('*'));
  const allRan = prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
  const failed = document.querySelector(current + '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
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
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "other_article.txt").write_text(OTHER_ARTICLE, encoding="utf-8")
    (tmp_path / "policybrief.yml").write_text("corpus: seeds\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in (NOTEBOOK, TABLES_NOTEBOOK):
        shutil.copy(NOTEBOOKS_DIR / name, notebooks / name)
    _write_settings(tmp_path / "lab-settings")
    token = secrets.token_hex(16)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "POLICYBRIEF_CORPUS"}  # policybrief.yml decides
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


def _wait_for_idle_kernel(lab: dict, notebook: str, timeout: float = 120) -> None:
    """Wait until the server reports the notebook's kernel started and idle (slow on a loaded machine)."""
    deadline = time.monotonic() + timeout
    url = f"{lab['base']}/api/sessions?token={lab['token']}"
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=5) as response:
            sessions = json.loads(response.read())
        if any(s.get("path", "").endswith(notebook) and s.get("kernel", {}).get("execution_state") == "idle"
               for s in sessions):
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



# The interactive tables have been drawn by DataTables (the offline bundle loaded and ran).
TABLES_READY_JS = "() => document.querySelectorAll('.jp-OutputArea-output .pb-itable .dt-container').length > 0"

# One interactive table, found by a column it shows: its scroll boxes and header cells (DataTables splits
# the header and the body into two tables and keeps their horizontal scroll in step).
TABLE_BY_COLUMN_JS = """
(column) => {
  const containers = [...document.querySelectorAll('.jp-OutputArea-output .pb-itable .dt-container')];
  const index = containers.findIndex(c => [...c.querySelectorAll('.dt-scroll-head th .pb-colname')]
    .some(n => n.textContent.trim() === column));
  if (index >= 0) containers[index].setAttribute('data-test-table', column);
  return index;
}
"""

# Where the table's last column sits relative to its visible scroll box, and how wide the table is.
LAST_COLUMN_JS = """
(selector) => {
  const container = document.querySelector(selector);
  const body = container.querySelector('.dt-scroll-body');
  const headers = [...container.querySelectorAll('.dt-scroll-head th')];
  const last = headers[headers.length - 1];
  const box = body.getBoundingClientRect(), cell = last.getBoundingClientRect();
  return {
    scrollWidth: body.scrollWidth, clientWidth: body.clientWidth, scrollLeft: body.scrollLeft,
    boxLeft: box.left, boxRight: box.right, cellLeft: cell.left, cellRight: cell.right,
    name: last.querySelector('.pb-colname') ? last.querySelector('.pb-colname').textContent.trim() : '',
    widths: headers.map(h => Math.round(h.getBoundingClientRect().width)),
  };
}
"""

# Text of one column's body cells (the rows on the current page) and the table's row count line.
COLUMN_TEXTS_JS = """
([selector, column]) => {
  const container = document.querySelector(selector);
  const headers = [...container.querySelectorAll('.dt-scroll-head th')];
  const at = headers.findIndex(h => h.querySelector('.pb-colname') &&
                                    h.querySelector('.pb-colname').textContent.trim() === column);
  const rows = [...container.querySelectorAll('.dt-scroll-body tbody tr')];
  return rows.map(r => r.children[at] ? r.children[at].textContent.trim() : null);
}
"""

ROW_TEXTS_JS = """
(selector) => [...document.querySelector(selector).querySelectorAll('.dt-scroll-body tbody tr')]
  .map(r => r.textContent)
"""

# An Arabic paragraph of a markdown cell: its computed direction and alignment, and where its first line
# of text sits (a right-aligned line touches the paragraph's right edge, a left-aligned one its left edge).
MARKDOWN_ALIGNMENT_JS = """
() => {
  const paragraphs = [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown [dir="rtl"] p')]
    .filter(p => p.textContent.trim().length > 80);
  if (paragraphs.length === 0) return null;
  const p = paragraphs[0];
  p.scrollIntoView();
  const style = getComputedStyle(p);
  const range = document.createRange();
  range.selectNodeContents(p);
  const lines = [...range.getClientRects()].filter(r => r.width > 0);
  const lastLine = lines.reduce((a, b) => (b.bottom > a.bottom ? b : a), lines[0]);
  const box = p.getBoundingClientRect();
  return {direction: style.direction, textAlign: style.textAlign, boxLeft: box.left, boxRight: box.right,
          lastLineLeft: lastLine.left, lastLineRight: lastLine.right, nLines: new Set(lines.map(r => Math.round(r.top))).size};
}
"""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _new_page(browser, lab: dict, outside_requests: list[str]):
    """A 1400×900 page that records every request leaving the JupyterLab server."""
    page = browser.new_page(viewport=VIEWPORT)
    page.on(
        "request",
        lambda r: outside_requests.append(r.url)
        if not r.url.startswith((lab["base"], "data:", "blob:", "about:")) else None,
    )
    return page


def _open_and_run(page, lab: dict, notebook: str) -> None:
    """Open ``notebook`` alone (a workspace of its own, so no other notebook shares the page) and run it."""
    workspace = notebook.split("_")[0]
    page.goto(f"{lab['base']}/lab/workspaces/nb{workspace}/tree/{notebook}?token={lab['token']}", timeout=90_000)
    page.wait_for_selector(".jp-Notebook .jp-CodeCell:visible", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible", timeout=90_000)
    _wait_for_idle_kernel(lab, notebook)
    _run_all_cells(page)
    page.wait_for_function(RUN_FINISHED_JS, timeout=300_000, polling=1000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible", timeout=120_000)


def _save(page, path: Path) -> dict:
    before = path.stat().st_mtime
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    return _saved_notebook(path, before)


def _check_wide_table_scrolls_to_its_last_column(page) -> None:
    """The figures table is wider than its box; the mouse wheel brings its last (leftmost) column into view."""
    assert page.evaluate(TABLE_BY_COLUMN_JS, "target_year") >= 0, "no interactive figures table"
    selector = "[data-test-table='target_year']"
    body = page.locator(f"{selector} .dt-scroll-body")
    body.scroll_into_view_if_needed()
    # Show every column: the "more columns" button lists the hidden ones (offsets, rule, ...).
    page.locator(f"{selector} .dt-buttons button").first.click()
    hidden = page.locator(".dt-button-collection .dt-button:not(.dt-button-active)")
    assert hidden.count() > 0, "the more-columns button lists no hidden column"
    while hidden.count():
        hidden.first.click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    body.scroll_into_view_if_needed()
    page.screenshot(path=str(BUILD_DIR / "lab_02_wide_table_start.png"))
    before = page.evaluate(LAST_COLUMN_JS, selector)
    assert before["scrollWidth"] > before["clientWidth"] + 100, f"the table is not wide enough to test: {before}"
    assert before["cellRight"] < before["boxLeft"], f"the last column is visible before scrolling: {before}"
    body.hover()
    for _ in range(40):  # a wheel turn moves ~100 px; DataTables keeps the header in step
        page.mouse.wheel(-400, 0)
        after = page.evaluate(LAST_COLUMN_JS, selector)
        if after["cellLeft"] >= after["boxLeft"] - 1:
            break
    page.wait_for_timeout(300)
    after = page.evaluate(LAST_COLUMN_JS, selector)
    page.screenshot(path=str(BUILD_DIR / "lab_02_wide_table_last_column.png"))
    assert after["boxLeft"] - 1 <= after["cellLeft"] and after["cellRight"] <= after["boxRight"] + 1, (
        f"the last column ({after['name']}) cannot be scrolled into view: {after}"
    )


def _check_sort_and_search(page) -> None:
    selector = "[data-test-table='target_year']"
    body = page.locator(f"{selector} .dt-scroll-body")
    body.hover()
    for _ in range(40):  # back to the first columns
        page.mouse.wheel(400, 0)
    header = page.locator(f"{selector} .dt-scroll-head th", has=page.locator(".pb-colname", has_text="value")).first
    header = header.locator(".dt-column-order")  # the sort arrows beside the column name
    header.click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(BUILD_DIR / "lab_02_sorted.png"))
    ascending = [_number(t) for t in page.evaluate(COLUMN_TEXTS_JS, [selector, "value"]) if t]
    header.click()
    page.wait_for_timeout(300)
    descending = [_number(t) for t in page.evaluate(COLUMN_TEXTS_JS, [selector, "value"]) if t]
    assert len(ascending) > 2 and ascending == sorted(ascending), f"not sorted ascending: {ascending}"
    assert descending == sorted(descending, reverse=True) and descending != ascending, f"not descending: {descending}"

    all_rows = page.evaluate(ROW_TEXTS_JS, selector)
    page.locator(f"{selector} .dt-search input").fill(SEARCH_WORD)
    page.wait_for_timeout(500)
    found = page.evaluate(ROW_TEXTS_JS, selector)
    page.locator(f"{selector} .dt-scroll-body").scroll_into_view_if_needed()
    page.screenshot(path=str(BUILD_DIR / "lab_02_search.png"))
    assert 0 < len(found) < len(all_rows), f"search for {SEARCH_WORD!r}: {len(found)} of {len(all_rows)} rows"
    assert all(SEARCH_WORD in row for row in found), found


def _check_markdown_reads_right_to_left(page) -> None:
    alignment = page.evaluate(MARKDOWN_ALIGNMENT_JS)
    assert alignment is not None, "no Arabic markdown paragraph"
    assert alignment["direction"] == "rtl" and alignment["textAlign"] in ("right", "start"), alignment
    # The short last line of a right-aligned paragraph starts at the right edge and ends short of the left.
    assert alignment["nLines"] >= 2, f"the paragraph fits one line, alignment cannot be seen: {alignment}"
    assert abs(alignment["lastLineRight"] - alignment["boxRight"]) <= 2, alignment
    assert alignment["lastLineLeft"] - alignment["boxLeft"] > 20, alignment
    page.screenshot(path=str(BUILD_DIR / "lab_02_markdown_rtl.png"))


def test_notebook_02_runs_in_jupyterlab_and_reads_right_to_left(lab):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (Debian package chromium)")
    notebook_path = lab["root"] / "notebooks" / NOTEBOOK
    outside_requests: list[str] = []
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = _new_page(browser, lab, outside_requests)
            _open_and_run(page, lab, NOTEBOOK)
            page.screenshot(path=str(BUILD_DIR / "lab_02_extract.png"))
            saved = _save(page, notebook_path)

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
            page.wait_for_function(TABLES_READY_JS, timeout=60_000, polling=500)
            directions = page.evaluate(DIRECTIONS_JS, names)
            shown_rtl = [name for name, dirs in directions.items() if "rtl" in dirs]
            assert shown_rtl, f"no Arabic initiative name in a right-to-left element: {directions}"
            assert page.locator(".jp-OutputArea-output mark").count() > 0, "no highlighted quote"
            assert page.locator(".jp-OutputArea-output .pb-widgets select").count() >= 5, "no filter widgets"

            _check_markdown_reads_right_to_left(page)
            _check_wide_table_scrolls_to_its_last_column(page)
            _check_sort_and_search(page)
            page.locator(".jp-OutputArea-output .pb-widgets").first.scroll_into_view_if_needed()
            page.screenshot(path=str(BUILD_DIR / "lab_02_filters.png"))

            # The analyst points the setting at another folder and runs 03 without re-extracting.
            (lab["root"] / "policybrief.yml").write_text("corpus: other\n", encoding="utf-8")
            page = _new_page(browser, lab, outside_requests)
            _open_and_run(page, lab, TABLES_NOTEBOOK)
            shown = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").first
            shown.scroll_into_view_if_needed()
            page.screenshot(path=str(BUILD_DIR / "lab_03_mixed_corpus.png"))
            saved = _save(page, lab["root"] / "notebooks" / TABLES_NOTEBOOK)
            errors = [o for c in saved["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
            assert [e["ename"] for e in errors] == ["CorpusMismatch"], errors
            assert "another folder or older files" in errors[0]["evalue"], errors[0]["evalue"]
            assert "other_article.txt" in errors[0]["evalue"] and len(errors[0]["traceback"]) == 1
            assert "Traceback" not in shown.inner_text() and "CorpusMismatch" in shown.inner_text()
            assert not (lab["root"] / "build" / "data" / "table_initiatives.csv").exists(), "03 wrote tables anyway"
        finally:
            browser.close()
    assert outside_requests == [], f"the page tried to fetch from outside the server: {outside_requests[:5]}"
