"""Verify what was drawn: read each Arabic label of a rendered chart back with tesseract and check its direction.

Each label's box (``Text.get_window_extent``) is cropped from the rendered image, scaled to about 48 px
high (taller crops often make tesseract return nothing) and read with ``tesseract -l ara --psm 7``. A label
drawn right reads forwards: its OCR text is much closer to the label than to the label reversed. A reversed
label reads backwards. Unjoined letters still read forwards, so ``check_figure`` adds the static guard of
``shaping.label_problems`` (pre-shaped glyphs, bidi embeddings, ZWNJ), which catches those.
"""
from __future__ import annotations

import difflib
import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from PIL import Image

from .shaping import has_presentation_forms, label_problems
from .textnorm import ARABIC_LETTERS, arabic_share, match_key

CROP_HEIGHT = 48
RETRY_HEIGHTS = (40, 56, 32)  # tesseract now and then returns nothing for one scale
# A label is suspected of being drawn reversed only when OCR reads it clearly closer to the label reversed
# (margin <= -MIN_MARGIN). A short word OCR misreads scores near 0 either way: that is no evidence, and a
# misread must never block a correct build. Thresholds measured on every label of three corpora
# (docs/charts.md, benchmarks/label_check_margins.py).
MIN_MARGIN = 0.15
MIN_ARABIC_SHARE = 0.5  # Latin read with the Arabic model is noise: check labels that are mostly Arabic
MIN_ARABIC_LETTERS = 4  # shorter words are often not read at all: too little evidence either way
VERIFY_COLUMNS = ("label", "ocr", "forward", "backward", "margin", "verdict", "ok")
LABEL_CHECK_COLUMNS = ("chart", "n_labels", "n_read", "n_unclear", "ok", "problems", "unclear", "note")


class LabelCheckError(Exception):
    """Raised by ``enforce`` in strict mode when a chart label is suspected of being drawn wrongly."""


def verdict(margin: float, min_margin: float = MIN_MARGIN) -> str:
    """``right`` (reads forwards), ``reversed`` (reads backwards) or ``unclear`` (OCR gives no evidence).

    >>> verdict(0.6), verdict(-0.4), verdict(0.0)
    ('right', 'reversed', 'unclear')
    """
    if margin >= min_margin:
        return "right"
    if margin <= -min_margin:
        return "reversed"
    return "unclear"


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary and its Arabic model are installed."""
    if shutil.which("tesseract") is None:
        return False
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return "ara" in (listed.stdout + listed.stderr).split()


def ocr_key(text: str) -> str:
    """What OCR and label are compared on: Arabic letters and digits of the match key, no spaces.

    Presentation forms fold back to letters, so a label prepared for older matplotlib compares too.

    >>> ocr_key("نحو 10.8 مليار دولار")
    'نحو108ملياردولار'
    """
    return "".join(ch for ch in match_key(text) if ch in ARABIC_LETTERS or ch.isdigit())


def logical_order(label: str) -> str:
    """The reading-order string a drawn label stands for: the label itself, or, for a label prepared with
    arabic-reshaper + python-bidi (pre-shaped glyphs in visual order), that label put back in reading order.

    >>> logical_order("مليار دولار")
    'مليار دولار'
    """
    if not has_presentation_forms(label):
        return label
    from bidi.algorithm import get_display

    return get_display(label, base_dir="R")


def similarity(a: str, b: str) -> float:
    """Ratio of matching characters between two strings (0 to 1).

    >>> similarity("abc", "abc"), similarity("abc", "")
    (1.0, 0.0)
    """
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def direction_margin(ocr_text: str, label: str) -> tuple[float, float, float]:
    """Similarity of the OCR text to the label, to the label reversed, and their difference.

    >>> direction_margin("زكرم", "مركز")[2] < 0 < direction_margin("مركز", "مركز")[2]
    True
    """
    read, expected = ocr_key(ocr_text), ocr_key(logical_order(label))
    forward, backward = similarity(read, expected), similarity(read, expected[::-1])
    return forward, backward, forward - backward


def scale_crop(image: Image.Image, height: int = CROP_HEIGHT, border: int = 12) -> Image.Image:
    """The crop in grey, scaled to ``height`` pixels of text, with a white border tesseract needs."""
    grey = image.convert("L")
    width = max(1, round(grey.width * height / max(grey.height, 1)))
    scaled = grey.resize((width, height), Image.LANCZOS)
    framed = Image.new("L", (width + 2 * border, height + 2 * border), 255)
    framed.paste(scaled, (border, border))
    return framed


def read_line(image: Image.Image, timeout: float = 60) -> str:
    """One line of Arabic text read from ``image`` by tesseract (``-l ara --psm 7``)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    result = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "ara", "--psm", "7"],
        input=buffer.getvalue(), capture_output=True, timeout=timeout, check=False,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return result.stdout.decode("utf-8", errors="replace").strip()


def is_checkable(label: str) -> bool:
    """True for labels with enough Arabic letters, mostly Arabic, to judge their direction by OCR.

    >>> is_checkable("مختبر Mistral AI & MTNRA"), is_checkable("حدث"), is_checkable("مليار دولار")
    (False, False, True)
    """
    text = match_key(logical_order(label))  # folds presentation forms back to letters
    letters = sum(ch in ARABIC_LETTERS for ch in text)
    return letters >= MIN_ARABIC_LETTERS and arabic_share(text) >= MIN_ARABIC_SHARE


def label_crops(fig, dpi: int = 200, pad: int = 3) -> list[tuple[str, Image.Image]]:
    """Each drawn label with enough Arabic letters, and its crop from ``fig`` rendered at ``dpi``."""
    from .charts import drawn_texts

    original_dpi = fig.dpi
    fig.set_dpi(dpi)
    try:
        texts = drawn_texts(fig)  # draws the canvas at the new dpi
        pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
        renderer = fig.canvas.get_renderer()
        height, width = pixels.shape[:2]
        crops = []
        for text in texts:
            label = text.get_text()
            if not is_checkable(label):
                continue
            box = text.get_window_extent(renderer)
            x0, x1 = max(int(box.x0) - pad, 0), min(int(np.ceil(box.x1)) + pad, width)
            y0, y1 = max(height - int(np.ceil(box.y1)) - pad, 0), min(height - int(box.y0) + pad, height)
            if x1 - x0 > 2 and y1 - y0 > 2:
                crops.append((label, Image.fromarray(np.ascontiguousarray(pixels[y0:y1, x0:x1]))))
        return crops
    finally:
        fig.set_dpi(original_dpi)


def read_label(crop: Image.Image) -> str:
    """OCR text of one label crop, retrying at other heights when tesseract returns nothing."""
    for height in (CROP_HEIGHT, *RETRY_HEIGHTS):
        text = read_line(scale_crop(crop, height))
        if ocr_key(text):
            return text
    return ""


def verify_figure(fig, dpi: int = 200, min_margin: float = MIN_MARGIN) -> pd.DataFrame:
    """One row per Arabic label of ``fig``: the OCR text, forward and backward similarity, margin and verdict."""
    crops = label_crops(fig, dpi)
    # tesseract runs as a subprocess, so threads read labels side by side on every core
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        texts = list(pool.map(read_label, [crop for _, crop in crops]))
    rows = []
    for (label, _), ocr_text in zip(crops, texts):
        forward, backward, margin = direction_margin(ocr_text, label)
        said = verdict(margin, min_margin)
        rows.append({"label": label, "ocr": ocr_text, "forward": round(forward, 3), "backward": round(backward, 3),
                     "margin": round(margin, 3), "verdict": said, "ok": said != "reversed"})
    return pd.DataFrame(rows, columns=list(VERIFY_COLUMNS))


def check_figure(fig, dpi: int = 200, native: bool | None = None) -> list[str]:
    """Every suspected problem with the Arabic drawn on ``fig``: the static guard, then labels OCR reads
    backwards. The guard catches pre-shaped or unjoined text on matplotlib >= 3.11; OCR catches text drawn
    reversed. An empty list means nothing is suspected (labels OCR could not read are not problems).
    """
    return _check(fig, dpi, native)[0]


def _check(fig, dpi: int, native: bool | None = None) -> tuple[list[str], pd.DataFrame]:
    from .charts import drawn_labels

    problems = label_problems(list(drawn_labels(fig)), native)
    verdicts = verify_figure(fig, dpi)
    problems += [f"OCR reads {row.ocr!r} for {row.label!r} (margin {row.margin})"
                 for row in verdicts.itertuples() if row.verdict == "reversed"]
    return problems, verdicts


def check_charts(specs: list, dpi: int = 200) -> pd.DataFrame:
    """One row per chart: labels drawn and read, suspected problems, labels OCR could not judge, verdict.

    Without tesseract only the static guard runs, and the ``note`` column says so.
    """
    from .charts import drawn_labels

    have_ocr = tesseract_available()
    rows = []
    for spec in specs:
        unclear: list[str] = []
        if have_ocr:
            problems, verdicts = _check(spec.figure, dpi)
            n_read = len(verdicts)
            unclear = verdicts.loc[verdicts["verdict"] == "unclear", "label"].tolist()
        else:
            problems, n_read = label_problems(list(drawn_labels(spec.figure))), 0
        rows.append({"chart": spec.stem, "n_labels": len(spec.labels), "n_read": n_read, "n_unclear": len(unclear),
                     "ok": not problems, "problems": " | ".join(problems), "unclear": " | ".join(unclear),
                     "note": "" if have_ocr else "tesseract missing: static guard only"})
    return pd.DataFrame(rows, columns=list(LABEL_CHECK_COLUMNS))


def summary(checks: pd.DataFrame) -> dict:
    """The label check as the manifest records it: counts, and every suspected problem by chart.

    >>> summary(pd.DataFrame([{"chart": "a", "n_labels": 3, "n_read": 2, "n_unclear": 1, "ok": True,
    ...                         "problems": "", "unclear": "يورو", "note": ""}]))["suspected"]
    []
    """
    ok = checks["ok"].astype(str).str.lower().isin(["true", "1"]) if len(checks) else checks.get("ok", [])
    return {
        "charts": int(len(checks)),
        "labels_read": int(pd.to_numeric(checks.get("n_read", pd.Series(dtype=int))).sum()),
        "labels_unclear": int(pd.to_numeric(checks.get("n_unclear", pd.Series(dtype=int))).sum()),
        "suspected": [{"chart": c, "problems": p.split(" | ")} for c, p, good in
                      zip(checks.get("chart", []), checks.get("problems", []), ok) if not good],
        "note": next((n for n in checks.get("note", []) if isinstance(n, str) and n), ""),
    }


def enforce(checks: pd.DataFrame, strict: bool = False) -> list[str]:
    """The suspected problems as one line per chart; in strict mode any of them raises ``LabelCheckError``.

    Outside strict mode a suspicion never stops the build: it goes to the build log and the manifest.
    """
    lines = [f"{s['chart']}: {'; '.join(s['problems'])}" for s in summary(checks)["suspected"]]
    if strict and lines:
        raise LabelCheckError("chart labels suspected of being drawn wrongly (--strict): " + " / ".join(lines))
    return lines
