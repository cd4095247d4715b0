"""Executed brief notebook -> one self-contained right-to-left HTML page (nbconvert, custom template).

The template ``templates/policybrief_rtl`` extends JupyterLab's but loads nothing from the network
(no require.js, MathJax, widgets or mermaid), hides code, keeps ``pre``/``code`` left to right and
embeds the Arabic font as a ``data:`` URL so the page looks the same on any offline machine.
"""
from __future__ import annotations

import base64
import copy
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .paths import TEMPLATES_DIR

TEMPLATE_NAME = "policybrief_rtl"
FONT_FAMILY = "PB Naskh"
# Naskh faces keep the lam-alef ligature whole in the PDF text layer (Noto Sans Arabic splits it).
FONT_CANDIDATES = ("Noto Naskh Arabic", "Amiri")
FONT_FALLBACK_FILES = (
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-{style}.ttf",
    "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-{style}.ttf",
)
REMOVE_CELL_TAG = "remove-cell"
# What makes a browser fetch: a remote src/srcset/poster/data attribute on any tag, href on <link>,
# url(...) or @import in CSS (style blocks and style attributes). Links (<a href>) are fine.
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_REMOTE = r"""["']?\s*(?:https?:)?//"""
_REMOTE_ATTR = re.compile(r"""\b(?:src|srcset|poster|data|background)\s*=\s*""" + _REMOTE, re.IGNORECASE)
_REMOTE_LINK = re.compile(r"""^<link\b[^>]*\bhref\s*=\s*""" + _REMOTE, re.IGNORECASE)
_REMOTE_CSS = re.compile(r"""(?:url\(\s*|@import\s+)""" + _REMOTE, re.IGNORECASE)


class ExportError(RuntimeError):
    """The brief could not be turned into HTML."""


def font_file(family: str, bold: bool = False) -> Path | None:
    """Path of an installed font file for ``family`` (fontconfig first, then known Debian paths)."""
    style = "Bold" if bold else "Regular"
    if shutil.which("fc-match"):
        pattern = f"{family}:{style.lower()}"
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{family}\n%{file}", pattern],
                capture_output=True, text=True, timeout=10, check=True,
            ).stdout.splitlines()
        except (OSError, subprocess.SubprocessError):
            out = []
        if len(out) == 2 and family.lower() in out[0].lower() and Path(out[1]).is_file():
            return Path(out[1])
    for template in FONT_FALLBACK_FILES:
        candidate = Path(template.format(style=style))
        if family.split()[0].lower() in candidate.name.lower() and candidate.is_file():
            return candidate
    return None


def find_arabic_font() -> tuple[Path, Path | None]:
    """The regular (and, when present, bold) file of the first installed Naskh family; raise if none."""
    for family in FONT_CANDIDATES:
        regular = font_file(family)
        if regular is not None:
            return regular, font_file(family, bold=True)
    raise ExportError(
        "no Arabic Naskh font found: install fonts-noto-core (Noto Naskh Arabic) or fonts-hosny-amiri"
    )


def font_face_css(regular: Path, bold: Path | None = None, family: str = FONT_FAMILY) -> str:
    """``@font-face`` rules embedding the font files as base64 ``data:`` URLs."""
    rules = []
    for path, weight in ((regular, 400), (bold, 700)):
        if path is None:
            continue
        kind = "opentype" if path.suffix.lower() == ".otf" else "truetype"
        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
            f'src: url(data:font/{path.suffix.lower().lstrip(".")};base64,{data}) format("{kind}"); }}'
        )
    return "\n".join(rules)


@lru_cache(maxsize=1)
def default_font_css() -> str:
    """``@font-face`` CSS of the installed Naskh font (read once per process)."""
    return font_face_css(*find_arabic_font())


def remote_loads(html_text: str) -> list[str]:
    """Snippets of ``html_text`` that would make a browser fetch from another host (links are fine).

    >>> remote_loads('<a href="https://example.org">source</a><img src="data:image/png;base64,AA">')
    []
    >>> remote_loads('<script src="https://cdn.example/x.js"></script>')
    ['src="https://']
    >>> remote_loads('<p>text url(https://x.org) in prose</p>')
    []
    """
    found = []
    for tag in _TAG.finditer(html_text):
        text = tag.group(0)
        found += [m.group(0) for m in _REMOTE_ATTR.finditer(text)]
        found += [m.group(0) for m in _REMOTE_LINK.finditer(text)]
        found += [m.group(0) for m in _REMOTE_CSS.finditer(text)]
    for block in _STYLE_BLOCK.finditer(html_text):
        found += [m.group(0) for m in _REMOTE_CSS.finditer(block.group(1))]
    return found


def strip_for_brief(nb):
    """A copy of the notebook without stderr streams, cells tagged ``remove-cell`` or code sources.

    Not nbconvert's ``TagRemovePreprocessor``: that one drops tagged cells only, while the brief also
    drops stderr (progress bars, warnings) and the code cells left with no output.
    """
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        if REMOVE_CELL_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            if not cell.outputs:
                continue
        kept.append(cell)
    nb.cells = kept
    return nb


def notebook_title(nb, default: str = "موجز سياسات") -> str:
    """The brief's title: notebook metadata ``title``, else the first ``# `` heading, else ``default``.

    >>> import nbformat
    >>> notebook_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# عنوان")]))
    'عنوان'
    """
    if nb.metadata.get("title"):
        return str(nb.metadata["title"])
    for cell in nb.cells:
        if REMOVE_CELL_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return re.sub(r"<[^>]+>", "", match.group(1)).strip()
        for output in cell.get("outputs", []):
            html_out = output.get("data", {}).get("text/html", "")
            match = re.search(r"<h1[^>]*>(.*?)</h1>", "".join(html_out), re.DOTALL)
            if match:
                return re.sub(r"<[^>]+>", "", match.group(1)).strip()
    return default


def export_html(nb, title: str | None = None, font_css: str | None = None) -> str:
    """Render an executed notebook as the brief's HTML page (code hidden, RTL, no remote loads)."""
    from nbconvert import HTMLExporter

    nb = strip_for_brief(nb)
    if title is None:
        title = notebook_title(nb)
    if font_css is None:
        font_css = default_font_css()
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"brief": {"title": title, "font_css": font_css}}
    )
    loads = remote_loads(body)
    if loads:
        raise ExportError(f"the brief HTML would load from the network: {loads[:5]}")
    problems = structure_errors(body)
    if problems:
        raise ExportError(f"the brief HTML is not well formed: {problems[:5]}")
    return body


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets an author omit (closed implicitly by the parser).
_OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option"}


def structure_errors(html_text: str) -> list[str]:
    """Mismatched or unclosed elements of an HTML page (void elements and optional end tags allowed).

    >>> structure_errors("<div><p>نص</p></div>"), structure_errors("<div><span>نص</div>")
    ([], ['</div> closes <span>', 'unclosed <div>', 'unclosed <span>'])
    """
    from html.parser import HTMLParser

    errors: list[str] = []
    stack: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in _VOID:
                stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            return

        def handle_endtag(self, tag):
            if tag in _VOID:
                return
            while stack and stack[-1] != tag and stack[-1] in _OPTIONAL_END:
                stack.pop()
            if stack and stack[-1] == tag:
                stack.pop()
            else:
                errors.append(f"</{tag}> closes <{stack[-1]}>" if stack else f"stray </{tag}>")

    Checker(convert_charrefs=True).feed(html_text)
    errors += [f"unclosed <{tag}>" for tag in stack if tag not in _OPTIONAL_END]
    return errors
