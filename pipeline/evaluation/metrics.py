"""What every suite shares: P/R/F1 over multisets, accuracy, and the rows of `errors.tsv`."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import astuple, dataclass, fields
from pathlib import Path


def prf(gold: Counter, pred: Counter) -> dict[str, float]:
    """Micro P/R/F1 of two multisets; an empty side scores 1.0 only when the other is empty too."""
    tp = sum((gold & pred).values())
    return prf_counts(tp, sum(pred.values()), tp, sum(gold.values()))


def prf_counts(right: int, n_pred: int, found: int, n_gold: int) -> dict[str, float]:
    """P/R/F1 from `right` of `n_pred` predictions and `found` of `n_gold` gold items.

    They differ from one another only when matching is not one to one (overlapping spans).
    """
    p = right / n_pred if n_pred else float(not n_gold)
    r = found / n_gold if n_gold else float(not n_pred)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "gold": n_gold,
        "pred": n_pred,
        "tp": found,
    }


def grouped(gold: Counter, pred: Counter, key: Callable[[tuple], Hashable]) -> dict[str, dict]:
    """`prf` of the items that share `key` (an event type, a slot, ...), one entry per key."""
    return {
        str(g): prf(
            Counter({k: n for k, n in gold.items() if key(k) == g}),
            Counter({k: n for k, n in pred.items() if key(k) == g}),
        )
        for g in sorted({key(k) for k in gold} | {key(k) for k in pred}, key=str)
    }


def accuracy(correct: int, total: int) -> dict[str, float]:
    return {"accuracy": round(correct / total, 4) if total else 0.0, "correct": correct, "total": total}


@dataclass(frozen=True, slots=True)
class ErrorRow:
    """One line of `errors.tsv`: what the input said, what the gold expects and what we gave.

    `error` is miss (gold not found), false (we gave what the gold does not hold) or wrong (the same
    span or case, another value); `item` is the article, sentence or case id.
    """

    error: str
    item: str
    type: str
    text: str
    expected: str
    got: str
    context: str = ""


def write_errors(path: Path, rows: Iterable[ErrorRow]) -> int:
    """Write `rows` as a TSV with a header, sorted by item then type; returns how many."""
    ordered = sorted(rows, key=lambda r: (r.item, r.type, r.error, r.text))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        out.writerow([f.name for f in fields(ErrorRow)])
        out.writerows(tuple(_one_line(v) for v in astuple(row)) for row in ordered)
    return len(ordered)


def _one_line(value: str) -> str:
    return value.replace("\t", " ").replace("\n", "⏎")
