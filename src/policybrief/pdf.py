"""Brief HTML -> PDF bytes: headless Chromium over the DevTools pipe, WeasyPrint as a warned fallback.

Chromium prints through ``Page.printToPDF`` (the same engine as ``--print-to-pdf``) because only the
DevTools call takes a header and footer template: a running title and ``صفحة 3 من 8`` on every page.
It talks over ``--remote-debugging-pipe`` (file descriptors 3 and 4, no port) and the host resolver maps
every name to nothing, so the printer cannot reach the network. The PDF is tagged (``/Lang`` from the
page's ``lang``, image alt text kept) and carries bookmarks from the headings. Nothing is written here:
the caller stores the returned bytes atomically.
"""
from __future__ import annotations

import base64
import fcntl
import html
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .textnorm import BIDI_CONTROLS

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_ENV = "POLICYBRIEF_CHROMIUM"
A4_INCHES = (8.27, 11.69)
MARGINS_INCHES = {"marginTop": 0.75, "marginBottom": 0.7, "marginLeft": 0.6, "marginRight": 0.6}
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-pings",
    "--mute-audio",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
)
HEADER_FONT = "'Noto Naskh Arabic', 'Amiri', serif"
# pdftotext wraps runs in these (LRM, RLM, ALM, embeddings, overrides, isolates).
_STRIP_BIDI = str.maketrans("", "", "".join(BIDI_CONTROLS))
# Punctuation that pdftotext may move across a number at a run boundary; a decimal mark between
# digits is kept.
_LOOSE_PUNCT = re.compile(r"(?<!\d)[.,](?!\d)|(?<=\d)[.,](?!\d)|(?<!\d)[.,](?=\d)|[\u060c\u061b\u061f:;!?()\[\]\u00ab\u00bb\"']")


class PdfError(RuntimeError):
    """The PDF could not be printed."""


@dataclass
class PrintResult:
    """PDF bytes and what the printer saw."""

    pdf: bytes
    engine: str
    engine_version: str = ""
    remote_requests: list[str] = field(default_factory=list)


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable: ``$POLICYBRIEF_CHROMIUM`` first, then the usual names."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def header_template(title: str) -> str:
    """Running title printed at the top of every page (the title is HTML-escaped).

    >>> 'a&lt;b' in header_template('a<b')
    True
    """
    return (
        f'<div dir="rtl" lang="ar" style="font-family: {HEADER_FONT}; font-size: 8.5pt; color: #5b6673; '
        f'width: 100%; margin: 0 0.6in; padding-bottom: 2px; border-bottom: 0.5pt solid #c9d3dc; '
        f'text-align: right; -webkit-print-color-adjust: exact;">{html.escape(title)}</div>'
    )


def footer_template() -> str:
    """``صفحة N من M`` centred at the bottom of every page (Chromium fills the two spans).

    >>> 'class="pageNumber"' in footer_template()
    True
    """
    return (
        f'<div dir="rtl" lang="ar" style="font-family: {HEADER_FONT}; font-size: 8.5pt; color: #5b6673; '
        'width: 100%; text-align: center;">'
        '\u0635\u0641\u062d\u0629 <span class="pageNumber"></span> '
        '\u0645\u0646 <span class="totalPages"></span></div>'
    )


def print_options(title: str) -> dict:
    """``Page.printToPDF`` parameters: A4, header and footer, tagged, with a document outline."""
    width, height = A4_INCHES
    return {
        "paperWidth": width,
        "paperHeight": height,
        **MARGINS_INCHES,
        "printBackground": True,
        "preferCSSPageSize": False,
        "displayHeaderFooter": True,
        "headerTemplate": header_template(title),
        "footerTemplate": footer_template(),
        "generateTaggedPDF": True,
        "generateDocumentOutline": True,
        "transferMode": "ReturnAsBase64",
    }


class _DevToolsPipe:
    """Minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (NUL-separated JSON)."""

    def __init__(self, executable: str, profile_dir: str, timeout: float) -> None:
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict] = []
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: Chromium reads fd 3 and writes fd 4
            # Move both ends above 10 first so that neither dup2 below can clobber the other.
            reader = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            writer = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(reader, 3)
            os.dup2(writer, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        # Our pipe ends are close-on-exec; only the inheritable copies on 3 and 4 survive the exec.
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [executable, *OFFLINE_FLAGS, f"--user-data-dir={profile_dir}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
            preexec_fn=wire_fds, close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result, keeping the events that arrive meanwhile."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        payload = json.dumps(message).encode() + b"\0"
        try:
            while payload:
                payload = payload[os.write(self._to_child, payload):]
        except BrokenPipeError:
            raise PdfError(f"Chromium exited: {self._stderr_tail()}") from None
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise PdfError(f"Chromium {method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str) -> dict:
        """Wait for the next event named ``method`` (events already received count)."""
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def _read(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PdfError(f"Chromium did not answer within {self.timeout:.0f} s")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise PdfError(f"Chromium exited: {self._stderr_tail()}")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _stderr_tail(self) -> str:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "(still running)"
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-800:]

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    os.write(self._to_child, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._stderr.close()


def chromium_version(executable: str) -> str:
    """``Chromium 156.0…`` as printed by ``--version`` (empty when it cannot run)."""
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


class ChromiumPrinter:
    """A headless Chromium launched ahead of use (it boots while the notebooks run); prints once or more.

    Use as a context manager, or call ``close`` (it also removes the throwaway profile).
    """

    def __init__(self, executable: str, timeout: float = 120) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="policybrief-chromium-")
        try:
            self._pipe = _DevToolsPipe(executable, self._profile.name, timeout)
        except OSError as error:
            self._profile.cleanup()
            raise PdfError(f"cannot start Chromium ({executable}): {error}") from None

    def __enter__(self) -> "ChromiumPrinter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser and delete its profile."""
        try:
            self._pipe.close()
        finally:
            self._profile.cleanup()

    def print_pdf(self, html_path: str | Path, title: str) -> PrintResult:
        """Print a local HTML file to PDF bytes (A4, header, footer, tagged, outline)."""
        pipe = self._pipe
        url = Path(html_path).resolve().as_uri()
        version = pipe.call("Browser.getVersion").get("product", "")
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        pipe.call("Network.enable", {}, session)
        pipe.call("Page.enable", {}, session)
        pipe.call("Page.navigate", {"url": url}, session)
        pipe.wait_event("Page.loadEventFired")
        pipe.call(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
            session,
        )
        data = pipe.call("Page.printToPDF", print_options(title), session)["data"]
        remote = sorted({
            e["params"]["request"]["url"]
            for e in pipe.events
            if e.get("method") == "Network.requestWillBeSent"
            and e["params"]["request"]["url"].startswith(("http:", "https:"))
        })
        pipe.call("Target.closeTarget", {"targetId": target})
        pdf = base64.b64decode(data)
        if not pdf.startswith(b"%PDF"):
            raise PdfError("Chromium returned something that is not a PDF")
        return PrintResult(pdf=pdf, engine="chromium", engine_version=version, remote_requests=remote)


def print_with_chromium(html_path: str | Path, title: str, executable: str, timeout: float = 120) -> PrintResult:
    """Print a local HTML file to PDF bytes with a fresh headless Chromium."""
    with ChromiumPrinter(executable, timeout) as printer:
        return printer.print_pdf(html_path, title)


def weasyprint_css(title: str) -> str:
    """Page-margin boxes for WeasyPrint (which, unlike Chromium, supports them): title and page numbers."""
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "@page { size: A4; margin: 20mm 16mm;"
        f' @top-center {{ content: "{quoted}"; font-size: 8.5pt; color: #5b6673; }}'
        ' @bottom-center { content: "\\635\\641\\62d\\629  " counter(page) " \\645\\646  " counter(pages);'
        " font-size: 8.5pt; color: #5b6673; } }"
    )


def print_with_weasyprint(html_path: str | Path, title: str) -> PrintResult:
    """Fallback printer: WeasyPrint (its text layer drops letters with Amiri and it is untagged)."""
    import weasyprint  # noqa: PLC0415 - optional dependency

    document = weasyprint.HTML(filename=str(html_path))
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=weasyprint_css(title))])
    return PrintResult(pdf=pdf, engine="weasyprint", engine_version=getattr(weasyprint, "__version__", ""))


def html_to_pdf(
    html_path: str | Path, title: str, executable: str | None = None, printer: ChromiumPrinter | None = None,
) -> PrintResult:
    """Print the brief: Chromium when installed, else WeasyPrint with a warning, else a clear PdfError.

    ``printer`` is a Chromium already started (see ``ChromiumPrinter``); the caller closes it.
    """
    if printer is not None:
        return printer.print_pdf(html_path, title)
    executable = executable or find_chromium()
    if executable:
        return print_with_chromium(html_path, title, executable)
    try:
        import weasyprint  # noqa: F401, PLC0415
    except ImportError:
        raise PdfError(
            "cannot print the PDF: Chromium is not installed (apt install chromium, or set "
            f"${CHROMIUM_ENV}) and WeasyPrint is not available as a fallback; report/brief.html is ready"
        ) from None
    warnings.warn(
        "Chromium not found: printing with WeasyPrint (untagged PDF, weaker Arabic text layer)",
        RuntimeWarning,
        stacklevel=2,
    )
    return print_with_weasyprint(html_path, title)


def comparable_text(text: str) -> str:
    """Text reduced for comparing a PDF text layer with its source: NFKC (lam-alef ligatures and other
    presentation forms back to letters), no bidi controls, no whitespace at all (pdftotext moves spaces
    around numbers and Latin words), and no punctuation except a decimal mark between digits (a
    sentence-final period can land on the other side of a number).

    >>> comparable_text("\u202b\ufefb \u202a10.8\u202c مليار، في أفق .2030\u202c")
    'لا10.8مليارفيأفق2030'
    """
    text = unicodedata.normalize("NFKC", text).translate(_STRIP_BIDI)
    return _LOOSE_PUNCT.sub("", "".join(text.split()))


def pdf_text(pdf_path: str | Path, first: int | None = None, last: int | None = None) -> str:
    """The text layer of a PDF in logical order (``pdftotext`` default mode, poppler-utils)."""
    command = ["pdftotext", "-enc", "UTF-8"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    out = subprocess.run([*command, str(pdf_path), "-"], capture_output=True, check=True, timeout=60)
    return out.stdout.decode("utf-8")


_PAGE_FOOTER = re.compile("\u0635\u0641\u062d\u0629(\\d+)\u0645\u0646(\\d+)")  # صفحة N من M
# pdftotext lays a page out left to right when Latin dominates it (a colophon of hashes and versions):
# the footer then reads "M من N صفحة".
_PAGE_FOOTER_LTR = re.compile("(\\d+)\u0645\u0646(\\d+)\u0635\u0641\u062d\u0629")


def page_number_footers(pdf_path: str | Path, n_pages: int) -> list[tuple[int, int] | None]:
    """For each page, the ``(page, total)`` read from its ``صفحة N من M`` footer, or None if absent."""
    found: list[tuple[int, int] | None] = []
    for page in range(1, n_pages + 1):
        text = comparable_text(pdf_text(pdf_path, first=page, last=page))
        match = _PAGE_FOOTER.search(text)
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
            continue
        match = _PAGE_FOOTER_LTR.search(text)
        found.append((int(match.group(2)), int(match.group(1))) if match else None)
    return found
