"""Read a folder of articles into the documents table: formats, encodings, metadata, bad input.

Each file is read on its own: a bad file becomes a one-line ``Problem`` naming it, and the other
documents are still read. ``strict=True`` turns warnings into errors.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import multiprocessing
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

import pandas as pd

from .dates import parse_dateline
from .schemas import column_names, empty_frame, validate
from .segment import iter_paragraph_spans, paragraph_spans, sentence_spans
from .textnorm import arabic_share, match_key
from .workers import worker_pool

SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}
CATALOGUE_NAME = "sources.csv"
REVIEW_FILE = "review.csv"  # the analyst's review of the extracted rows (review.py), beside the articles
# The analyst's framing, own sections and review for the brief (framing, brief, review): never articles.
ANALYST_FILES = frozenset({"brief.md", "brief.yml", REVIEW_FILE})
CATALOGUE_COLUMNS = ("file", "url", "outlet", "published", "title")
MAX_BYTES = 20 * 1024 * 1024  # one article; a larger file is a dump or the wrong file
MIN_ARABIC_SHARE = 0.3
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Arabic-Indic and Eastern Arabic-Indic (Persian) digits, read as the ASCII digits they stand for.
_TO_ASCII_DIGITS = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                                 "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
                                 "01234567890123456789")
UNSUPPORTED_HINT = "save the article as .txt, .md or .html"
_HEADLINE_END = (".", ":", "!", "?", "\u061f", "\u060c", "،")


class CorpusError(Exception):
    """A problem that stops reading: missing folder, or any problem under ``strict``."""


@dataclass(frozen=True)
class Problem:
    file: str
    level: str  # "error": file skipped; "warning": file read anyway
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.file}: {self.message}"


@dataclass
class Corpus:
    documents: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


class _Unreadable(Exception):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes: BOMs first, then strict UTF-8, then Windows-1256; refuse binary and mojibake.

    >>> decode("\u0633\u0644\u0627\u0645".encode("cp1256"))
    ('سلام', 'cp1256')
    >>> decode(codecs.BOM_UTF8 + "\u0633\u0644\u0627\u0645".encode())
    ('سلام', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise _Unreadable("not a text file (binary content); save the article as UTF-8 text")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _strict(data, "cp1256"), "cp1256"
        if arabic_share(text) < MIN_ARABIC_SHARE:
            # Few Arabic letters: Latin text (French, Spanish) in Windows-1252 / Latin-1, whose accented
            # letters Windows-1256 would turn into stray Arabic ones ("État" -> "ةtat").
            latin = _latin_text(data)
            if latin is not None:
                text, encoding = latin
            elif _looks_binary(text):
                raise _Unreadable("not UTF-8, UTF-16 or Windows-1256 text; save the article as UTF-8")
    if _looks_binary(text):
        raise _Unreadable("not a text file (control characters); save the article as UTF-8 text")
    if _is_mojibake(text):
        raise _Unreadable("garbled text (UTF-8 that was decoded as Windows-1252/1256 and saved again)")
    return text, encoding


def _latin_text(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of bytes that read as Latin-script text in Windows-1252 (else Latin-1), or None.

    >>> _latin_text("\u00c9tat num\u00e9rique".encode("latin-1"))
    ('État numérique', 'cp1252')
    """
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = [ch for ch in text if ch.isalpha()]
        if letters and not _looks_binary(text) and sum("a" <= ch.lower() <= "z" for ch in letters) >= 0.7 * len(letters):
            return text, encoding
    return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"cannot be decoded as {encoding} (byte {exc.start})") from None


# Unicode category Cc (C0 and C1 controls) except the line and tab controls of plain text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """More control characters than plain text has (a regex count: about 50x faster than a character loop).

    >>> _looks_binary("\u0633\u0644\u0627\u0645\\n\\t"), _looks_binary("\\x00\\x01\\x02\\x03 abc")
    (False, True)
    """
    controls = len(_CONTROL.findall(text))
    return controls > max(2, len(text) // 200)


# The characters that UTF-8 lead bytes 0xD8-0xDB (every Arabic letter) become in each wrong code page.
_ARABIC_LEAD_BYTE_CHARS = {page: bytes(range(0xD8, 0xDC)).decode(page) for page in ("cp1252", "cp1256")}


def _is_mojibake(text: str) -> bool:
    """UTF-8 bytes once decoded as Windows-1252 or -1256 and saved again: undoing that gives Arabic back.

    >>> _is_mojibake("سلام".encode().decode("cp1252")), _is_mojibake("سلام")
    (True, False)
    """
    for wrong, lead_chars in _ARABIC_LEAD_BYTE_CHARS.items():
        if not any(ch in text for ch in lead_chars):
            continue  # no character that was a lead byte of an Arabic letter: undoing gives no Arabic
        # Tools drop or replace the few bytes the wrong code page lacks, so repair leniently.
        repaired = text.encode(wrong, errors="ignore").decode("utf-8", errors="replace")
        if repaired == text or not repaired.strip():
            continue
        if repaired.count("\ufffd") <= len(repaired) * 0.05 and arabic_share(repaired) >= 0.5:
            return True
    return False


def html_to_text(markup: str) -> tuple[str, str]:
    """Article text and headline of a saved news page; scripts, menus and footers dropped."""
    import trafilatura

    text = trafilatura.extract(
        markup, include_comments=False, include_tables=False, include_links=False, deduplicate=True
    ) or ""
    metadata = trafilatura.extract_metadata(markup)
    title = (metadata.title or "") if metadata is not None else ""
    return text, title.strip()


def clean_text(text: str) -> str:
    """NFC, Unix line ends; nothing else changes so quotes stay as published.

    >>> clean_text("\u0627\u0654\\r\\n")
    'أ\\n'
    """
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def guess_title(text: str) -> str:
    """The first line when it reads as a headline (short, no closing punctuation, not a dateline).

    >>> guess_title("\u0627\u0644\u0645\u063a\u0631\u0628 \u064a\u0637\u0644\u0642 \u0628\u0631\u0646\u0627\u0645\u062c\u0627\\n\\n\u0646\u0635 \u0627\u0644\u0645\u0642\u0627\u0644.")
    'المغرب يطلق برنامجا'
    >>> guess_title("\u0647\u0630\u0647 \u062c\u0645\u0644\u0629 \u0637\u0648\u064a\u0644\u0629 \u0627\u0646\u062a\u0647\u062a.\\n\u062b\u0645")
    ''
    """
    spans = list(islice(iter_paragraph_spans(text), 2))
    if len(spans) < 2:
        return ""
    first = text[spans[0][0] : spans[0][1]].lstrip("# ").strip()
    if len(first) > 160 or len(first.split()) > 25 or first.endswith(_HEADLINE_END):
        return ""
    if parse_dateline(first) is not None:
        return ""
    return first


def find_dateline(text: str, lines: int = 3) -> tuple[str, str] | None:
    """Place and ISO date from a dateline among the first few lines.

    >>> find_dateline("\u0639\u0646\u0648\u0627\u0646\\n\\n\u0627\u0644\u0631\u0628\u0627\u0637 \u201322 \u064a\u0648\u0644\u064a\u0648\u0632 2025\\n\u0646\u0635")
    ('الرباط', '2025-07-22')
    """
    for start, end in islice(iter_paragraph_spans(text), lines):
        found = parse_dateline(text[start:end])
        if found:
            return found
    return None


def iso_date(text: str) -> str | None:
    """``text`` as an ISO date YYYY-MM-DD that exists in the calendar (any digits), or None.

    >>> iso_date("2025-02-28"), iso_date("2025-02-31"), iso_date("2025-13-45"), iso_date("\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0662")
    ('2025-02-28', None, None, '2025-01-02')
    """
    text = text.strip().translate(_TO_ASCII_DIGITS)
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def read_catalogue(folder: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """``sources.csv`` rows by file name (empty when there is no catalogue)."""
    path = folder / CATALOGUE_NAME
    if not path.exists():
        return {}, []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return {}, [Problem(CATALOGUE_NAME, "error", f"cannot be read as UTF-8 CSV: {exc}")]
    problems = []
    missing = [c for c in CATALOGUE_COLUMNS if rows and c not in rows[0]]
    if missing:
        return {}, [Problem(CATALOGUE_NAME, "error", f"missing columns {missing}; expected {list(CATALOGUE_COLUMNS)}")]
    catalogue = {}
    for number, row in enumerate(rows, start=2):
        if any("\n" in (value or "") for value in row.values() if isinstance(value, str)):
            problems.append(Problem(CATALOGUE_NAME, "warning", f"row starting on line {number}: a quote is not closed, "
                                    "so the row swallows the lines after it; row ignored, fix the quotes"))
            continue
        published = (row.get("published") or "").strip()
        if published and iso_date(published) is None:
            problems.append(Problem(CATALOGUE_NAME, "warning", f"line {number}: published '{published}' is not a date "
                                    "YYYY-MM-DD that exists; ignored"))
        row["published"] = iso_date(published) or ""
        catalogue[(row.get("file") or "").strip()] = {k: (row.get(k) or "").strip() for k in CATALOGUE_COLUMNS}
    return catalogue, problems


def read_document(path: Path, catalogue_row: dict[str, str] | None = None, max_bytes: int = MAX_BYTES) -> tuple[dict, list[Problem]]:
    """One documents-table row for ``path``; raises ``_Unreadable`` with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Unreadable(f"too large ({size / 1e6:.1f} MB; one article is at most {max_bytes / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise _Unreadable(f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise _Unreadable("empty file")
    text, encoding = decode(data)
    fmt = SUFFIXES[path.suffix.lower()]
    title = ""
    if fmt == "html":
        text, title = html_to_text(text)
    text = clean_text(text)
    if not text.strip():
        raise _Unreadable("no article text found")
    title = title or guess_title(text)
    place, published = find_dateline(text) or ("", "")
    problems = []
    if published and iso_date(published) is None:
        problems.append(Problem(path.name, "warning", f"dateline date {published} does not exist; ignored"))
        published = ""
    row = {
        "doc_id": path.stem, "file": path.name, "text": text, "title": title, "place": place,
        "published": published, "url": "", "outlet": "", "n_chars": len(text),
        "sha256": hashlib.sha256(data).hexdigest(), "encoding": encoding, "format": fmt,
    }
    for key, value in (catalogue_row or {}).items():
        if key != "file" and value:
            row[key] = value
    share = arabic_share(text)
    if share < MIN_ARABIC_SHARE:
        problems.append(Problem(path.name, "warning", f"little Arabic text ({share:.0%} of letters); read anyway"))
    return row, problems


def _read_or_problem(job: tuple[Path, dict[str, str] | None, int]) -> tuple[dict | None, list[Problem] | str]:
    """(row, problems) of one file, or (None, reason) when it cannot be read."""
    try:
        return read_document(*job)
    except _Unreadable as exc:
        return None, str(exc)


# Below this many files a process pool costs more than it saves.
MIN_FILES_FOR_WORKERS = 200


def _read_all(jobs: list[tuple[Path, dict[str, str] | None, int]], workers: int) -> list:
    """``_read_or_problem`` of every job, in order; a process pool (``fork`` on Linux) for many files."""
    if workers <= 1 or len(jobs) < MIN_FILES_FOR_WORKERS:
        return [_read_or_problem(job) for job in jobs]
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    with worker_pool(workers, context) as pool:
        return list(pool.map(_read_or_problem, jobs, chunksize=max(1, min(256, len(jobs) // (workers * 4)))))


def article_paths(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The article files of ``folder`` in name order, and a problem naming every other entry that is skipped.

    Hidden files, ``sources.csv`` and the analyst's files are not articles and pass in silence; a file in another format, a
    sub-folder and a broken or looping symbolic link are each named, so nothing is ignored without a word.
    """
    articles, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == CATALOGUE_NAME or path.name.lower() in ANALYST_FILES:
            continue
        try:
            is_file, is_dir = path.is_file(), path.is_dir()
        except OSError:  # a symbolic link that loops
            is_file = is_dir = False
        if path.is_symlink() and not (is_file or is_dir):
            problems.append(Problem(path.name, "error", "broken or looping symbolic link; skipped"))
        elif is_dir:
            problems.append(Problem(path.name, "error", "a folder, not an article (sub-folders are not read); skipped"))
        elif path.suffix.lower() not in SUFFIXES:
            kind = path.suffix.lower() or "no extension"
            problems.append(Problem(path.name, "error", f"unsupported format ({kind}): {UNSUPPORTED_HINT}; skipped"))
        elif is_file:
            articles.append(path)
        else:
            problems.append(Problem(path.name, "error", "not a regular file; skipped"))
    return articles, problems


def duplicate_key(text: str) -> str:
    """What two copies of one article share: the text with its spacing and letter variants folded.

    >>> duplicate_key("\u0623\u0637\u0644\u0642\u062a  \u0627\u0644\u0648\u0632\u0627\u0631\u0629 ") == duplicate_key("\u0627\u0637\u0644\u0642\u062a \u0627\u0644\u0648\u0632\u0627\u0631\u0629")
    True
    """
    return hashlib.sha256(" ".join(match_key(text).split()).encode("utf-8")).hexdigest()


def load_corpus(folder: str | Path, strict: bool = False, max_bytes: int = MAX_BYTES, workers: int = 1) -> Corpus:
    """Read every article in ``folder``; problems are collected, not raised (unless ``strict``).

    ``workers > 1`` decodes large folders in that many processes (same table and problems).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder of articles")
    catalogue, problems = read_catalogue(folder)
    paths, not_articles = article_paths(folder)
    problems.extend(not_articles)
    # Files are read (maybe in parallel) first, then judged in name order exactly as one by one.
    read = _read_all([(p, catalogue.get(p.name), max_bytes) for p in paths], workers)
    rows, seen, texts = [], {}, {}
    for path, (row, found) in zip(paths, read):
        if path.stem in seen:
            problems.append(Problem(path.name, "error", f"same document id as {seen[path.stem]}; skipped"))
            continue
        if row is None:
            problems.append(Problem(path.name, "error", f"{found}; skipped"))
            continue
        key = duplicate_key(row["text"])
        if key in texts:
            problems.append(Problem(path.name, "error", f"same text as {texts[key]}; counted once, skipped"))
            continue
        texts[key] = path.name
        seen[path.stem] = path.name
        rows.append(row)
        problems.extend(found)
    for name in sorted(set(catalogue) - {r["file"] for r in rows} - {p.file for p in problems}):
        problems.append(Problem(CATALOGUE_NAME, "warning", f"lists '{name}', which is not an article in the folder"))
    if strict and problems:
        raise CorpusError(f"--strict: {len(problems)} problem(s) in the input: " + "; ".join(f"{p.file}: {p.message}" for p in problems))
    documents = validate(pd.DataFrame(rows, columns=column_names("documents")), "documents") if rows else empty_frame("documents")
    documents["n_chars"] = documents["n_chars"].astype("int64")
    return Corpus(documents.reset_index(drop=True), problems)


def read_corpus(folder: str | Path, strict: bool = False) -> pd.DataFrame:
    """The documents table of ``folder`` (one row per readable article); problems in ``.attrs['problems']``."""
    corpus = load_corpus(folder, strict=strict)
    corpus.documents.attrs["problems"] = [str(p) for p in corpus.problems]
    return corpus.documents


def documents_table(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents table without the full text, for display (the saved table keeps the text)."""
    return documents.drop(columns=["text"])


def document_stats(documents: pd.DataFrame) -> pd.DataFrame:
    """Per-document size: characters, words, paragraphs, sentences and the share of Arabic letters."""
    return pd.DataFrame(
        {
            "doc_id": documents["doc_id"],
            "n_chars": documents["n_chars"],
            "n_words": documents["text"].map(lambda t: len(t.split())),
            "n_paragraphs": documents["text"].map(lambda t: len(paragraph_spans(t))),
            "n_sentences": documents["text"].map(lambda t: len(sentence_spans(t))),
            "arabic_share": documents["text"].map(lambda t: round(arabic_share(t), 3)),
        }
    )
