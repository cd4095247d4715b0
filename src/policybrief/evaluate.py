"""Score extracted tables against the hand-annotated gold set in ``tests/gold``.

Figures match on (doc_id, value to 6 significant digits, unit) and dates on (doc_id, iso, precision),
both as multisets; entities match on (doc_id, match key of the text, kind) as a set, so repeated
mentions count once. Only documents that have a gold file are scored, and only for the tables the file
annotates (``"annotated": ["figures"]``; all three when the key is absent). The matched figures are then
scored on what they mean (``measure``, ``subject``, ``time_role``, ``year``) wherever the gold states it.
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence

import pandas as pd

from .paths import SEEDS_DIR
from .textnorm import match_key

ENTITY_KINDS = ("organization", "person", "initiative", "place")
SCORE_COLUMNS = ["table", "kind", "n_gold", "n_predicted", "tp", "fp", "fn", "precision", "recall", "f1"]
MISMATCH_COLUMNS = ["table", "kind", "doc_id", "status", "key", "quote"]

_REQUIRED = {
    "figures": ("value", "unit", "quote"),
    "dates": ("iso", "precision", "quote"),
    "entities": ("kind", "text"),
}
_STRIP = " \t\r\n\"'\u00a0"
TABLES = tuple(_REQUIRED)
FIGURE_ATTRIBUTES = ("measure", "subject", "time_role", "year")
QUALIFIERS = ("", "approx", "more_than", "less_than", "up_to", "top_n")
TIME_ROLES = ("", "target", "reported", "historical")
_PRECISIONS = {4: "year", 7: "month", 10: "day"}
_ALEF_LAM = "\u0627\u0644"  # the article ال
_LAM_LAM = "\u0644\u0644"  # لل: the preposition لـ fused with the article


class GoldError(ValueError):
    """A gold file is malformed or does not agree with its article."""


# ---------------------------------------------------------------- keys


def value_key(value: Any) -> float | str:
    """A figure value rounded to 6 significant digits, so float noise does not break a match.

    >>> value_key(10_800_000_000.0000002), value_key("37"), value_key(float("nan"))
    (10800000000.0, 37.0, 'nan')
    """
    number = float(value)
    if math.isnan(number):
        return "nan"
    return float(f"{number:.6g}")


def entity_text_key(text: Any) -> str:
    """The match key of an entity's text: folded, casefolded, surrounding quotes and spaces stripped.

    A leading ``لل`` (the preposition fused with the article, ``للوكالة``) counts as ``ال``: the name
    with its article is not a substring of such a text, so gold writes it restored.

    >>> entity_text_key(" “JAZARI Root” ")
    'jazari root'
    >>> entity_text_key("الإدارة") == entity_text_key("الادارة")
    True
    >>> entity_text_key("للوكالة") == entity_text_key("الوكالة")
    True
    """
    key = " ".join(match_key(str(text), casefold=True).strip(_STRIP).split())
    if key.startswith(_LAM_LAM):
        key = _ALEF_LAM + key[2:]
    return key


def entity_in_text(entity: str, text: str) -> bool:
    """Whether a gold entity text occurs in the article, also as ``لل…`` when it starts with ``ال``.

    >>> entity_in_text("الوكالة", "مدير للوكالة")
    True
    """
    if entity in text:
        return True
    return entity.startswith(_ALEF_LAM) and _LAM_LAM + entity[2:] in text


def figure_key(item: Mapping[str, Any]) -> tuple:
    """(doc_id, value_key, unit) of a figure record."""
    return (str(item["doc_id"]), value_key(item["value"]), str(item["unit"]).strip())


def date_key(item: Mapping[str, Any]) -> tuple:
    """(doc_id, iso, precision) of a date record."""
    return (str(item["doc_id"]), str(item["iso"]).strip(), str(item["precision"]).strip())


def entity_key(item: Mapping[str, Any]) -> tuple:
    """(doc_id, text match key, kind) of an entity record."""
    return (str(item["doc_id"]), entity_text_key(item["text"]), str(item["kind"]).strip())


KEYS: dict[str, Callable[[Mapping[str, Any]], tuple]] = {
    "figures": figure_key,
    "dates": date_key,
    "entities": entity_key,
}


# ---------------------------------------------------------------- gold files


def _find_article(doc_id: str, article_dirs: Sequence[Path]) -> Path | None:
    for folder in article_dirs:
        for suffix in (".txt", ".md", ".html"):
            candidate = Path(folder) / f"{doc_id}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def check_gold(doc: Mapping[str, Any], text: str | None, source: str = "") -> list[str]:
    """Problems in one parsed gold document (empty list when it is valid); ``text`` is its article."""
    problems: list[str] = []
    where = source or str(doc.get("doc_id", "?"))
    for field in ("doc_id", "published", "figures", "dates", "entities"):
        if field not in doc:
            problems.append(f"{where}: missing field '{field}'")
    if problems:
        return problems
    annotated = doc.get("annotated", list(TABLES))
    if not isinstance(annotated, list) or not set(annotated) <= set(TABLES):
        problems.append(f"{where}: 'annotated' must be a list of {list(TABLES)}")
    published = doc["published"]
    if published and (len(published) != 10 or published[4] != "-" or published[7] != "-"):
        problems.append(f"{where}: published '{published}' is not YYYY-MM-DD or empty")
    for table, required in _REQUIRED.items():
        if not isinstance(doc[table], list):
            problems.append(f"{where}: '{table}' must be a list")
            continue
        for index, item in enumerate(doc[table]):
            label = f"{where}: {table}[{index}]"
            missing = [f for f in required if f not in item or item[f] in (None, "")]
            if missing:
                problems.append(f"{label}: missing {missing}")
                continue
            if table == "figures":
                try:
                    float(item["value"])
                except (TypeError, ValueError):
                    problems.append(f"{label}: value {item['value']!r} is not a number")
                if item.get("bound", "") not in ("", "low", "high"):
                    problems.append(f"{label}: bound must be '', 'low' or 'high'")
                if item.get("qualifier", "") not in QUALIFIERS:
                    problems.append(f"{label}: qualifier must be one of {QUALIFIERS}")
                if item.get("time_role", "") not in TIME_ROLES:
                    problems.append(f"{label}: time_role must be one of {TIME_ROLES}")
            if table == "dates" and _PRECISIONS.get(len(str(item["iso"]))) != item["precision"]:
                problems.append(f"{label}: iso {item['iso']!r} does not have precision {item['precision']!r}")
            if table == "entities" and item["kind"] not in ENTITY_KINDS:
                problems.append(f"{label}: kind {item['kind']!r} not in {ENTITY_KINDS}")
            quote = item.get("quote") if table != "entities" else item.get("text")
            found = entity_in_text if table == "entities" else (lambda q, t: q in t)
            if text is not None and quote and not found(quote, text):
                problems.append(f"{label}: quote {quote!r} not found in the article")
    return problems


def load_gold(gold_dir: str | Path, article_dirs: Sequence[str | Path] | None = None) -> dict[str, dict]:
    """Every ``gold_dir/*.json`` by doc_id, checked against its article; raise GoldError naming the file.

    Articles are looked up as ``<doc_id>.txt`` in ``article_dirs`` (default: ``gold_dir/articles`` and
    the project's ``seeds/``).
    """
    gold_dir = Path(gold_dir)
    dirs = [Path(d) for d in article_dirs] if article_dirs is not None else [gold_dir / "articles", SEEDS_DIR]
    gold: dict[str, dict] = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise GoldError(f"{path}: malformed JSON: {err}") from err
        if not isinstance(doc, dict):
            raise GoldError(f"{path}: expected a JSON object")
        if doc.get("doc_id") != path.stem:
            raise GoldError(f"{path}: doc_id {doc.get('doc_id')!r} differs from the file stem {path.stem!r}")
        article = _find_article(path.stem, dirs)
        if article is None:
            raise GoldError(f"{path}: no article {path.stem}.txt in {[str(d) for d in dirs]}")
        text = unicodedata.normalize("NFC", article.read_text(encoding="utf-8"))
        problems = check_gold(doc, text, str(path))
        if problems:
            raise GoldError("\n".join(problems))
        gold[path.stem] = doc
    return gold


def annotates(doc: Mapping[str, Any], table: str) -> bool:
    """Whether a gold document annotates ``table`` (all tables unless its ``annotated`` list says otherwise)."""
    return table in doc.get("annotated", TABLES)


def gold_frames(gold: Mapping[str, Mapping[str, Any]]) -> dict[str, pd.DataFrame]:
    """The gold items as three flat tables (figures, dates, entities) with a doc_id column."""
    frames = {}
    for table in _REQUIRED:
        rows = [{"doc_id": doc_id, **item} for doc_id, doc in gold.items() if annotates(doc, table)
                for item in doc.get(table, [])]
        frames[table] = pd.DataFrame(rows, columns=None if rows else ["doc_id", *_REQUIRED[table]])
    return frames


# ---------------------------------------------------------------- scoring


def _records(items: Any) -> list[Mapping[str, Any]]:
    if items is None:
        return []
    if isinstance(items, pd.DataFrame):
        return items.to_dict("records")
    return list(items)


def _ratio(numerator: int, denominator: int, empty: float) -> float:
    return numerator / denominator if denominator else empty


def _metrics(tp: int, n_gold: int, n_predicted: int) -> dict[str, Any]:
    # Nothing to find and nothing found is a perfect score; otherwise an empty side scores 0.
    perfect_empty = 1.0 if n_gold == 0 and n_predicted == 0 else 0.0
    precision = _ratio(tp, n_predicted, perfect_empty)
    recall = _ratio(tp, n_gold, perfect_empty)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n_gold": n_gold, "n_predicted": n_predicted, "tp": tp, "fp": n_predicted - tp, "fn": n_gold - tp,
        "precision": precision, "recall": recall, "f1": f1,
    }


def _counts(items: Iterable[Mapping[str, Any]], key: Callable, multiset: bool) -> Counter:
    counts = Counter(key(item) for item in items)
    return Counter({k: 1 for k in counts}) if not multiset else counts


def score_table(
    gold_items: Any, predicted_items: Any, key: Callable[[Mapping[str, Any]], Hashable], multiset: bool = True
) -> dict[str, Any]:
    """tp, fp, fn, precision, recall and F1 of predicted against gold items compared by ``key``.

    Items are mappings or DataFrame rows. As a multiset (figures, dates) a key stated twice must be
    found twice; as a set (entities) repeated keys count once on both sides.

    >>> gold = [{"v": 1}, {"v": 2}, {"v": 2}]
    >>> s = score_table(gold, [{"v": 2}, {"v": 3}], key=lambda r: r["v"])
    >>> s["tp"], s["fp"], s["fn"], round(s["f1"], 2)
    (1, 1, 2, 0.4)
    """
    gold_counts = _counts(_records(gold_items), key, multiset)
    predicted_counts = _counts(_records(predicted_items), key, multiset)
    tp = sum((gold_counts & predicted_counts).values())
    return _metrics(tp, sum(gold_counts.values()), sum(predicted_counts.values()))


# Words that carry no meaning of their own in a measure phrase (prepositions, conjunctions, articles).
_MEASURE_STOPWORDS = frozenset(match_key(w) for w in (
    "في", "من", "على", "إلى", "عن", "مع", "ل", "ب", "و", "أو", "ال", "التي", "الذي", "ما", "بين", "خلال"))


def _measure_words(text: Any) -> set[str]:
    """Content words of a measure phrase as match keys, article and one-letter clitics stripped.

    >>> sorted(_measure_words("نمو سوق الذكاء الاصطناعي العالمي سنويا"))
    ['اصطناعي', 'ذكاء', 'سنويا', 'سوق', 'عالمي', 'نمو']
    """
    words = set()
    for word in match_key(str(text or ""), casefold=True).split():
        word = word.strip(".,:;()«»\"'")
        for prefix in ("وال", "بال", "لل", "فال", "كال", "ال"):
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                word = word[len(prefix):]
                break
        if word and word not in _MEASURE_STOPWORDS:
            words.add(word)
    return words


def measure_matches(gold: Any, predicted: Any) -> bool:
    """Whether a predicted measure says what the gold one says: half the content words in common.

    Words are compared after folding, without the article; a phrase is also close when it holds all the
    content words of the other (a shorter or longer cut of the same noun phrase).

    >>> measure_matches("نمو سوق الذكاء الاصطناعي العالمي سنويا", "نمو سوق الذكاء الاصطناعي")
    True
    >>> measure_matches("الدين العام", "العجز")
    False
    """
    g, p = _measure_words(gold), _measure_words(predicted)
    if not g or not p:
        return not g and not p
    common = len(g & p)
    return common == min(len(g), len(p)) or common / len(g | p) >= 0.5


def subject_matches(gold: Any, predicted: Any) -> bool:
    """Whether two subjects name the same thing: equal match keys, or one inside the other; empty = empty.

    >>> subject_matches("صندوق الاستثمارات العامة", "الصندوق"), subject_matches("Maroc IA 2030", "maroc ia 2030")
    (False, True)
    """
    g, p = entity_text_key(gold or ""), entity_text_key(predicted or "")
    if not g or not p:
        return g == p
    return g == p or (min(len(g), len(p)) >= 4 and (g in p or p in g))


def _states(item: Mapping[str, Any], attribute: str) -> bool:
    """Whether a gold figure states ``attribute`` (a flat table of gold items holds NaN where it does not)."""
    value = item.get(attribute)
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _same(gold: Any, predicted: Any) -> bool:
    return str(gold or "").strip() == str(predicted or "").strip()


ATTRIBUTE_MATCHES: dict[str, Callable[[Any, Any], bool]] = {
    "measure": measure_matches, "subject": subject_matches, "time_role": _same, "year": _same,
}


def pair_figures(gold_items: Sequence[Mapping[str, Any]], predicted_items: Sequence[Mapping[str, Any]]):
    """(gold, predicted) pairs of figures with one key (doc, value, unit): same quote first, then in text order.

    Gold lists figures in the order of the article, predictions are ordered by offset.
    """
    by_key: dict[tuple, list] = {}
    for item in sorted(predicted_items, key=lambda i: (str(i["doc_id"]), int(i.get("start", 0) or 0))):
        by_key.setdefault(figure_key(item), []).append(item)
    pairs, left = [], []
    for g in gold_items:
        candidates = by_key.get(figure_key(g), [])
        same_quote = next((p for p in candidates if str(p.get("quote", "")) == str(g.get("quote", ""))), None)
        if same_quote is not None:
            candidates.remove(same_quote)
            pairs.append((g, same_quote))
        else:
            left.append(g)
    for g in left:
        candidates = by_key.get(figure_key(g), [])
        if candidates:
            pairs.append((g, candidates.pop(0)))
    return pairs


def score_figure_meaning(gold_items: Sequence[Mapping[str, Any]],
                         predicted_items: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Scores of each figure attribute the gold states (measure, subject, time_role, year).

    ``n_gold``: gold figures stating it; ``n_predicted``: those of them found (value and unit); ``tp``:
    found with the attribute right. So precision is the attribute's accuracy on found figures and recall
    its accuracy end to end. Attributes no gold figure states are left out.
    """
    pairs = pair_figures(gold_items, predicted_items)
    out = {}
    for attribute in FIGURE_ATTRIBUTES:
        n_gold = sum(_states(g, attribute) for g in gold_items)
        if not n_gold:
            continue
        found = [(g, p) for g, p in pairs if _states(g, attribute)]
        tp = sum(ATTRIBUTE_MATCHES[attribute](g[attribute], p.get(attribute, "")) for g, p in found)
        out[attribute] = _metrics(tp, n_gold, len(found))
        out[attribute]["fn"] = n_gold - tp
        out[attribute]["fp"] = len(found) - tp
    return out


def meaning_mismatches(gold_items: Sequence[Mapping[str, Any]],
                       predicted_items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per found figure whose measure, subject, time_role or year differs from the gold."""
    rows = []
    for g, p in pair_figures(gold_items, predicted_items):
        for attribute in FIGURE_ATTRIBUTES:
            if _states(g, attribute) and not ATTRIBUTE_MATCHES[attribute](g[attribute], p.get(attribute, "")):
                rows.append({"table": "figures", "kind": attribute, "doc_id": str(g["doc_id"]), "status": "wrong",
                             "key": f"{g[attribute]} ≠ {p.get(attribute, '')}", "quote": str(g.get("quote", ""))})
    return rows


def _predicted(tables: Mapping[str, pd.DataFrame], table: str, doc_ids: set[str]) -> list[dict]:
    df = tables.get(table)
    if df is None or len(df) == 0:
        return []
    return [row for row in df.to_dict("records") if str(row["doc_id"]) in doc_ids]


def _slices(gold: Mapping[str, Mapping[str, Any]], tables: Mapping[str, pd.DataFrame]):
    """(table, kind, gold items, predicted items, multiset) for every scored row."""
    frames = {t: df.to_dict("records") for t, df in gold_frames(gold).items()}
    ids = {t: {d for d, doc in gold.items() if annotates(doc, t)} for t in TABLES}
    yield "figures", "", frames["figures"], _predicted(tables, "figures", ids["figures"]), True
    yield "dates", "", frames["dates"], _predicted(tables, "dates", ids["dates"]), True
    entities_pred = _predicted(tables, "entities", ids["entities"])
    for kinds in [(k,) for k in ENTITY_KINDS] + [("organization", "person")]:
        pick = lambda items: [e for e in items if str(e["kind"]) in kinds]  # noqa: E731
        yield "entities", "+".join(kinds), pick(frames["entities"]), pick(entities_pred), False


def score(gold: Mapping[str, Mapping[str, Any]], tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row of scores per table (entities: per kind and organization+person), over gold documents only."""
    rows = []
    for table, kind, gold_items, predicted_items, multiset in _slices(gold, tables):
        rows.append({"table": table, "kind": kind, **score_table(gold_items, predicted_items, KEYS[table], multiset)})
        if table == "figures":
            rows += [{"table": table, "kind": attribute, **scores}
                     for attribute, scores in score_figure_meaning(gold_items, predicted_items).items()]
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def _format_key(key: tuple) -> str:
    return " | ".join(str(part) for part in key[1:])


def mismatches(gold: Mapping[str, Mapping[str, Any]], tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Missed gold items and spurious predictions, with doc_id and quote, for debugging the extractors."""
    rows = []
    for table, kind, gold_items, predicted_items, multiset in _slices(gold, tables):
        if kind == "organization+person":
            continue
        key = KEYS[table]
        quote_field = "text" if table == "entities" else "quote"
        gold_counts = _counts(gold_items, key, multiset)
        predicted_counts = _counts(predicted_items, key, multiset)
        for status, items, others, surplus in (
            ("missed", gold_items, predicted_items, gold_counts - predicted_counts),
            ("spurious", predicted_items, gold_items, predicted_counts - gold_counts),
        ):
            # Of several items with one key, report first those whose quote the other side lacks.
            other_quotes = {(key(o), str(o.get(quote_field, ""))) for o in others}
            for item in sorted(items, key=lambda i: (key(i), str(i.get(quote_field, ""))) in other_quotes):
                k = key(item)
                if surplus.get(k, 0) > 0:
                    surplus[k] -= 1
                    rows.append({
                        "table": table, "kind": kind, "doc_id": k[0], "status": status,
                        "key": _format_key(k), "quote": str(item.get(quote_field, "")),
                    })
        if table == "figures":
            rows += meaning_mismatches(gold_items, predicted_items)
    df = pd.DataFrame(rows, columns=MISMATCH_COLUMNS)
    return df.sort_values(["table", "kind", "doc_id", "status"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- running the extraction


def evaluate_dirs(
    gold_dir: str | Path, seed_dirs: Sequence[str | Path]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the articles in ``seed_dirs``, run the extraction and score it against ``gold_dir``."""
    from .corpus import read_corpus
    from .extract.pipeline import extract_corpus

    gold = load_gold(gold_dir, article_dirs=[Path(gold_dir) / "articles", *map(Path, seed_dirs)])
    documents = pd.concat([read_corpus(Path(folder)) for folder in seed_dirs], ignore_index=True)
    tables = extract_corpus(documents)
    return score(gold, tables), mismatches(gold, tables)


def format_scores(scores: pd.DataFrame) -> str:
    """The score table as aligned plain text, one row per table / kind.

    >>> print(format_scores(pd.DataFrame([{"table": "dates", "kind": "", "n_gold": 2, "n_predicted": 1,
    ...     "tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 2 / 3}])))
    table     kind                 gold  pred    tp    fp    fn  precision  recall     f1
    dates                             2     1     1     0     1      1.000   0.500  0.667
    """
    lines = [f"{'table':<9} {'kind':<19} {'gold':>5} {'pred':>5} {'tp':>5} {'fp':>5} {'fn':>5}"
             f"  precision  recall     f1"]
    for row in scores.to_dict("records"):
        lines.append(
            f"{row['table']:<9} {row['kind']:<19} {row['n_gold']:>5} {row['n_predicted']:>5} {row['tp']:>5} "
            f"{row['fp']:>5} {row['fn']:>5}  {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m policybrief.evaluate GOLD_DIR DIR...``: print scores, then the mismatches."""
    import argparse

    parser = argparse.ArgumentParser(prog="policybrief evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir")
    parser.add_argument("seed_dirs", nargs="+")
    parser.add_argument("--mismatches", action="store_true", help="also list missed and spurious items")
    args = parser.parse_args(argv)
    scores, wrong = evaluate_dirs(args.gold_dir, args.seed_dirs)
    print(format_scores(scores))
    if args.mismatches:
        with pd.option_context("display.max_rows", None, "display.max_colwidth", 60, "display.width", 200):
            print(wrong.to_string(index=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
