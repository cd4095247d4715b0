"""Executed brief notebook -> one self-contained right-to-left HTML page (nbconvert, custom template).

The template ``templates/policybrief_rtl`` extends JupyterLab's but loads nothing from the network
(no require.js, MathJax, widgets or mermaid), hides code, keeps ``pre``/``code`` left to right and
embeds the Arabic font as a ``data:`` URL so the page looks the same on any offline machine.
"""
from __future__ import annotations

import base64
import copy
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from .fonts import font_file
from .paths import TEMPLATES_DIR

TEMPLATE_NAME = "policybrief_rtl"
FONT_FAMILY = "PB Naskh"
# Naskh faces keep the lam-alef ligature whole in the PDF text layer (Noto Sans Arabic splits it).
FONT_CANDIDATES = ("Noto Naskh Arabic", "Amiri")
REMOVE_CELL_TAG = "remove-cell"
# What makes a browser fetch (see _RemoteLoadFinder): a remote src/srcset/poster/data attribute on any
# tag, href on <link> and SVG images, url(...) or @import in CSS (style blocks and style attributes), a
# meta refresh. Links (<a href>) are fine.
_REMOTE = r"""["']?\s*(?:[a-z][a-z0-9+.-]*:)?//"""
_REMOTE_CSS = re.compile(r"""(?:url\(\s*|@import\s+)""" + _REMOTE, re.IGNORECASE)


class ExportError(RuntimeError):
    """The brief could not be turned into HTML."""


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
    """``name="value"`` of each attribute or CSS rule in ``html_text`` that would make a browser fetch from
    another host (links to follow are fine).

    The page is parsed, so only real attributes and real style count: text that merely looks like one
    (an article quoting ``src=//…``, escaped inside an ``alt`` or a paragraph) is not a load.

    >>> remote_loads('<a href="https://example.org">source</a><img src="data:image/png;base64,AA">')
    []
    >>> remote_loads('<script src="https://cdn.example/x.js"></script>')
    ['src="https://cdn.example/x.js"']
    >>> remote_loads('<p>text url(https://x.org) src=//lab</p><img alt="src=//lab" src="data:,">')
    []
    """
    finder = _RemoteLoadFinder()
    finder.feed(html_text)
    finder.close()
    return finder.found


_FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "xlink:href"}
_FETCHING_HREF_TAGS = {"link", "image", "use", "feimage"}  # where href loads (not <a>)
_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class _RemoteLoadFinder(HTMLParser):
    """Collects remote loads from parsed tags, style attributes and style blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        attributes = {name.lower(): value or "" for name, value in attrs}
        for name, value in attributes.items():
            urls = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
            fetches = name in _FETCHING_ATTRIBUTES or (name == "href" and tag in _FETCHING_HREF_TAGS)
            if fetches and any(_REMOTE_URL.match(url) for url in urls):
                self.found.append(f'{name}="{value[:80]}"')
            elif name == "style":
                self._check_css(value)
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh" \
                and _META_REFRESH_URL.search(attributes.get("content", "")):
            self.found.append(f'content="{attributes["content"][:80]}"')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data)

    def _check_css(self, css: str) -> None:
        self.found += [m.group(0) for m in _REMOTE_CSS.finditer(css)]


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
