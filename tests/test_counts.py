"""COUNT corpus (tests/corpus/counts.tsv) and negatives; the seed-gold check is in test_money.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.textnorm import normalize
from pipeline.tokens import tokenize
from pipeline.values.counts import tag_counts

CORPUS = Path(__file__).resolve().parent / "corpus"


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _int(s: str) -> int | None:
    return int(s) if s else None


def _counts(surface: str) -> list:
    text = normalize(surface).text
    return tag_counts(text, tokenize(text))


@pytest.mark.parametrize("row", _rows("counts.tsv"), ids=lambda r: r["surface"])
def test_counts_corpus(row: dict[str, str]) -> None:
    (m,) = _counts(row["surface"])
    got = (m.text, m.value_int, m.qualifier, m.min_int, m.max_int, m.unit, m.counted)
    want = (
        normalize(row["text"]).text,
        _int(row["value_int"]),
        row["qualifier"],
        _int(row["min_int"]),
        _int(row["max_int"]),
        row["unit"],
        row["counted"],
    )
    assert got == want


@pytest.mark.parametrize("row", _rows("counts_negative.tsv"), ids=lambda r: r["surface"])
def test_counts_negative(row: dict[str, str]) -> None:
    assert _counts(row["surface"]) == []


def test_context_names_the_companies() -> None:
    """A headline 1社 with no company noun borrows the service the rest of the article names."""
    text = "提携先の1社が撤退"
    (m,) = tag_counts(text, tokenize(text), context="送金サービスを運営する企業")
    assert (m.value_int, m.counted) == (1, "送金事業者")
