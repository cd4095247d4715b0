"""Measure the chart-label check on every label of real builds: how often it flags a correct label and how
often it misses a reversed one (docs/charts.md).

    .venv/bin/python benchmarks/label_check_margins.py /tmp/pb-seeds /tmp/pb-egypt /tmp/pb-real

Each argument is the ``--out`` folder of a finished ``policybrief build``. The charts are drawn again from its
tables (as notebook 04 does); every label OCR would check is drawn alone at its own font and size, once as
drawn and once reversed (the visual-order string older pipelines produced), and read back with tesseract.
"""
from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
from arabic_reshaper import reshape
from bidi.algorithm import get_display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from policybrief import charts, framing, ocr, store
from policybrief.paths import OutputLayout
from policybrief.schemas import ANALYST


def labels_of(out_dir: Path) -> list[tuple[str, dict]]:
    """Every checkable label of the build's charts with the font properties it was drawn with."""
    layout = OutputLayout(out_dir)
    built = {name: store.read_table(name, layout) for name in ANALYST}
    frame = framing.Framing.from_dict(json.loads((layout.data_dir / "framing.json").read_text(encoding="utf-8")))
    documents = store.read_table("documents", layout)
    found = []
    for spec in charts.build_charts(built, documents, frame.style):
        for text in charts.drawn_texts(spec.figure):
            if ocr.is_checkable(text.get_text()):
                found.append((text.get_text(), {"family": text.get_fontfamily(), "size": text.get_fontsize(),
                                                "weight": text.get_fontweight()}))
    return found


def margin(label: str, font: dict) -> float:
    fig = Figure(figsize=(9, 0.8))
    FigureCanvasAgg(fig)
    fig.text(0.97, 0.5, label, ha="right", va="center", **font)
    verdicts = ocr.verify_figure(fig)
    return float(verdicts["margin"].iloc[0]) if len(verdicts) else float("nan")


def measure(out_dirs: list[Path]) -> pd.DataFrame:
    jobs = []
    for out_dir in out_dirs:
        for label, font in labels_of(out_dir):
            jobs.append((out_dir.name, label, font, "right", label))
            jobs.append((out_dir.name, label, font, "reversed", get_display(reshape(label))))
    with ThreadPoolExecutor(max_workers=2) as pool:
        margins = list(pool.map(lambda job: margin(job[4], job[2]), jobs))
    return pd.DataFrame([{"build": b, "label": lab, "drawn": kind, "margin": m}
                         for (b, lab, _font, kind, _drawn), m in zip(jobs, margins)])


def report(table: pd.DataFrame) -> str:
    table = table.assign(verdict=table["margin"].map(ocr.verdict))
    lines = []
    for drawn, group in table.groupby("drawn"):
        counts = group["verdict"].value_counts().to_dict()
        lines.append(f"{drawn:9} n={len(group):4d}  right={counts.get('right', 0):4d}  unclear={counts.get('unclear', 0):4d}"
                     f"  reversed={counts.get('reversed', 0):4d}  margin min={group['margin'].min():+.2f}"
                     f" median={group['margin'].median():+.2f} max={group['margin'].max():+.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    result = measure([Path(a) for a in sys.argv[1:]])
    print(report(result))
    for build, group in result.groupby("build"):
        print(build, report(group).replace("\n", " | "))
    flagged = result[(result["drawn"] == "right") & (result["margin"] <= -ocr.MIN_MARGIN)]
    missed = result[(result["drawn"] == "reversed") & (result["margin"] > -ocr.MIN_MARGIN)]
    print("correct labels flagged:", flagged["label"].tolist())
    print("reversed labels not flagged:", missed["label"].tolist())
