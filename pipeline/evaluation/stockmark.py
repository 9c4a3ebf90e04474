"""Names in Wikipedia sentences (stockmark NER): our spans and raw GiNZA's, scored the same way.

Three groups, each scored exact (same start and end) and partial (the spans overlap):
company (法人名 against BANK/COMPANY/PAYMENT_SERVICE), organizations (法人名, 政治的組織名 and
その他の組織名 against every organization type) and person (人名 against PERSON). Types are not
compared within a group: a bank found as a COMPANY is still a company.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from pipeline.evaluation.metrics import ErrorRow, prf, prf_counts
from pipeline.types import ORG_TYPES, Article

GROUPS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "company": (frozenset({"法人名"}), frozenset({"BANK", "COMPANY", "PAYMENT_SERVICE"})),
    "organizations": (frozenset({"法人名", "政治的組織名", "その他の組織名"}), frozenset(ORG_TYPES)),
    "person": (frozenset({"人名"}), frozenset({"PERSON"})),
}
# GiNZA's extended named-entity labels read as our types, for the raw-GiNZA anchor.
GINZA_TYPES = {
    "Person": "PERSON",
    **dict.fromkeys(("Company", "Company_Group", "Corporation_Other"), "COMPANY"),
    **dict.fromkeys(
        (
            "Organization_Other",
            "Government",
            "International_Organization",
            "Political_Organization_Other",
            "Political_Party",
            "Military",
            "Institute",
            "Research_Institute",
            "School",
            "Show_Organization",
            "Pro_Sports_Organization",
            "Sports_Organization_Other",
            "Sports_Team",
        ),
        "ORGANIZATION",
    ),
}

Spans = list[tuple[int, int, str]]  # (start, end, type) in code points


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(records: list[dict], predicted: dict[str, Spans]) -> tuple[dict, list[ErrorRow]]:
    """Exact and partial P/R/F1 per group, and the misses and false hits of the exact scoring."""
    report, errors = {}, []
    for group, (gold_types, our_types) in GROUPS.items():
        gold = {
            str(r["id"]): [(e["start"], e["end"]) for e in r["entities"] if e["type"] in gold_types]
            for r in records
        }
        pred = {i: [(s, e) for s, e, t in spans if t in our_types] for i, spans in predicted.items()}
        report[group] = {"exact": _exact(gold, pred), "partial": _partial(gold, pred)}
        errors += _errors(group, records, gold, pred)
    return report, errors


def _exact(gold: dict[str, list], pred: dict[str, list]) -> dict:
    return prf(
        Counter((i, *s) for i, spans in gold.items() for s in spans),
        Counter((i, *s) for i, spans in pred.items() if i in gold for s in spans),
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _partial(gold: dict[str, list], pred: dict[str, list]) -> dict:
    """A gold span is found, and a predicted span is right, when it overlaps one of the other side."""
    n_gold = sum(len(s) for s in gold.values())
    n_pred = sum(len(pred.get(i, [])) for i in gold)
    found = sum(any(_overlap(g, p) for p in pred.get(i, [])) for i, spans in gold.items() for g in spans)
    right = sum(any(_overlap(p, g) for g in gold[i]) for i in gold for p in pred.get(i, []))
    return prf_counts(right, n_pred, found, n_gold)


def _errors(group: str, records: list[dict], gold: dict, pred: dict) -> list[ErrorRow]:
    rows = []
    for rec in records:
        i, text = str(rec["id"]), rec["text"]
        g, p = set(gold[i]), set(pred.get(i, []))
        for s, e in sorted(g - p):
            near = ", ".join(text[a:b] for a, b in sorted(p - g) if _overlap((a, b), (s, e)))
            rows.append(ErrorRow("miss", i, group, text[s:e], text[s:e], near, text))
        for s, e in sorted(p - g):
            near = ", ".join(text[a:b] for a, b in sorted(g) if _overlap((a, b), (s, e)))
            rows.append(ErrorRow("false", i, group, text[s:e], near, text[s:e], text))
    return rows


def predict(records: list[dict], profile: str) -> dict[str, Spans]:
    """Our name spans in each sentence, as `pipeline.annotate` gives them."""
    from pipeline.annotator import annotate_articles

    articles = (Article(str(r["id"]), "", "", r["text"]) for r in records)
    return {
        a.article.article_id: [
            (m.start, m.end, m.type) for m in a.mentions if m.type in (*ORG_TYPES, "PERSON")
        ]
        for a in annotate_articles(articles, profile=profile)
    }


def predict_ginza(records: list[dict], cache_dir: Path) -> dict[str, Spans]:
    """Raw `ja_ginza` NER spans mapped to our types, cached per model version and input."""
    texts = [r["text"] for r in records]
    version = f"ja_ginza-{metadata.version('ja-ginza')}-spacy-{metadata.version('spacy')}"
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    cache = cache_dir / f"{version}-{digest}.json"
    if cache.exists():
        return {k: [tuple(s) for s in v] for k, v in json.loads(cache.read_text("utf-8")).items()}
    spans = dict(zip((str(r["id"]) for r in records), _ginza_spans(texts), strict=True))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(spans, ensure_ascii=False), "utf-8")
    return spans


def _ginza_spans(texts: Iterable[str]) -> Iterable[Spans]:
    import spacy

    # The other components run after NER and do not change its entities; leaving them out saves time.
    nlp = spacy.load(
        "ja_ginza", exclude=["parser", "morphologizer", "compound_splitter", "bunsetu_recognizer"]
    )
    for doc in nlp.pipe(texts, batch_size=64):
        yield [(e.start_char, e.end_char, GINZA_TYPES[e.label_]) for e in doc.ents if e.label_ in GINZA_TYPES]
