"""MONEY / PERCENT corpus (tests/corpus/money.tsv), negatives, and the seed-gold check."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.textnorm import normalize
from pipeline.tokens import tokenize
from pipeline.values.counts import tag_counts
from pipeline.values.money import tag_money

CORPUS = Path(__file__).resolve().parent / "corpus"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _int(s: str) -> int | None:
    return int(s) if s else None


@pytest.mark.parametrize("row", _rows("money.tsv"), ids=lambda r: r["surface"])
def test_money_corpus(row: dict[str, str]) -> None:
    text = normalize(row["surface"]).text
    (m,) = tag_money(text)
    assert m.text == text[m.start : m.end] == normalize(row["text"]).text
    assert m.type == ("PERCENT" if row["unit"] == "%" else "MONEY")
    got = (m.value, m.value_int, m.qualifier, m.min_int, m.max_int, m.unit, m.per_unit)
    want = (
        row["value"] or None,
        _int(row["value_int"]),
        row["qualifier"],
        _int(row["min_int"]),
        _int(row["max_int"]),
        row["unit"],
        row["per_unit"] == "true",
    )
    assert got == want


@pytest.mark.parametrize("row", _rows("money_negative.tsv"), ids=lambda r: r["surface"])
def test_money_negative(row: dict[str, str]) -> None:
    assert tag_money(normalize(row["surface"]).text) == []


def _gold_items() -> list[dict]:
    path = SHARED / "gold" / "seed_gold.jsonl"
    if not path.exists():
        pytest.skip("../shared gold not available")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _f1(gold: Counter, pred: Counter) -> float:
    tp = sum((gold & pred).values())
    return 2 * tp / (sum(gold.values()) + sum(pred.values())) if gold or pred else 1.0


def test_seed_gold_money_and_counts() -> None:
    """Every headline and lead of the seed: MONEY and COUNT multisets match the gold exactly."""
    gold: Counter = Counter()
    pred: Counter = Counter()
    for item in _gold_items():
        for e in item["entities"]:
            if e["type"] in ("MONEY", "COUNT"):
                key = (
                    e["value"],
                    e["qualifier"],
                    e.get("min"),
                    e.get("max"),
                    e.get("unit"),
                    e.get("counted"),
                )
                gold[(item["id"], e["field"], e["type"], e["text"], *key)] += 1
        for field, other in (("headline", "lead"), ("lead", "headline")):
            raw = item[field]
            norm = normalize(raw)
            found = [m for m in tag_money(norm.text) if m.type == "MONEY"]
            found += tag_counts(norm.text, tokenize(norm.text), context=normalize(item[other]).text)
            for m in found:
                start, end = norm.span(m.start, m.end)
                unit = m.unit if m.type == "COUNT" else None
                key = (m.value_int, m.qualifier, m.min_int, m.max_int, unit, m.counted)
                pred[(item["id"], field, m.type, raw[start:end], *key)] += 1
    assert (_f1(gold, pred), gold - pred, pred - gold) == (1.0, Counter(), Counter())
