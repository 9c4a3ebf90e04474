"""Score predicted tables against gold JSONL (the seed gold's format).

Mentions are compared as multisets per type, twice: on (article, type, normalized value) and on
(article, field, type, surface text). Events are compared as (article, event_type, slot, value)
tuples over the slots the gold gives for that event type. Every miss and false hit is listed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable

import pandas as pd
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab

from pipeline.tables import load_events, load_mentions
from pipeline.types import MENTION_TYPES

# Gold event keys that are not slots, and gold keys whose table column has another name.
_NOT_SLOTS = {"type", "evidence", "evidence_field"}
_COLUMN = {"amount_min": "amount_min_jpy", "amount_max": "amount_max_jpy"}


def _norm(v: object) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return None
    if isinstance(v, bool):
        return "true" if v else None
    if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
        items = sorted(str(x) for x in (v.tolist() if hasattr(v, "tolist") else v))
        return "|".join(items) or None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def value_key(type_: str, get) -> str:
    """The normalized value of a mention: what a downstream user would filter on."""
    if type_ == "MONEY":
        amount = get("value") if get("value") is not None else f"{get('min')}..{get('max')}"
        return f"{_norm(amount)} {get('qualifier')} {get('currency') or 'JPY'}"
    if type_ == "COUNT":
        return f"{_norm(get('value'))} {get('unit')} {get('counted')} {get('qualifier')}"
    if type_ == "DATE":
        return f"{get('value')} {get('time')} {'as-of' if get('time_point') else ''}".strip()
    return str(get("value"))


def load_gold(paths: Iterable[str | os.PathLike]) -> list[dict]:
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return records


def _prf(gold: Counter, pred: Counter) -> dict[str, float]:
    tp = sum((gold & pred).values())
    p = tp / sum(pred.values()) if pred else (1.0 if not gold else 0.0)
    r = tp / sum(gold.values()) if gold else (1.0 if not pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "gold": sum(gold.values()),
        "pred": sum(pred.values()),
        "tp": tp,
    }


def _gold_mentions(gold: list[dict]) -> list[tuple[str, str, str, str, str]]:
    out = []
    for rec in gold:
        for e in rec["entities"]:
            field = "body" if e["field"] == "lead" else e["field"]
            out.append((rec["id"], field, e["type"], e["text"], value_key(e["type"], e.get)))
    return out


def _pred_mentions(mentions: pd.DataFrame, ids: set[str]) -> list[tuple[str, str, str, str, str]]:
    out = []
    for row in mentions[mentions["article_id"].isin(ids)].to_dict("records"):

        def get(k: str, row=row):
            col = {"min": "min_int", "max": "max_int", "currency": "unit"}.get(k, k)
            v = row.get(col)
            if k == "value" and row["type"] == "COUNT":
                v = row.get("value_int")
            return None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v

        out.append((row["article_id"], row["field"], row["type"], row["text"], value_key(row["type"], get)))
    return out


def spacy_span_scores(gold: list[dict], mentions: pd.DataFrame) -> dict:
    """Surface spans scored by spaCy's own `Scorer.score_spans`, as spaCy scores a learned spancat.

    Docs are tokenized one character per token, so every gold and predicted span aligns exactly.
    """
    vocab = Vocab()
    by_key = (
        {key: group for key, group in mentions.groupby(["article_id", "field"], observed=True)}
        if len(mentions)
        else {}
    )
    examples = []
    for rec in gold:
        for field, gold_field in (("headline", "headline"), ("body", "lead")):
            text = rec[gold_field]
            if not text:
                continue
            pred, ref = (Doc(vocab, words=list(text), spaces=[False] * len(text)) for _ in range(2))
            rows = by_key.get((rec["id"], field))
            pred.spans["mentions"] = (
                [Span(pred, int(r.start), int(r.end), label=str(r.type)) for r in rows.itertuples()]
                if rows is not None
                else []
            )
            ref.spans["mentions"] = [
                Span(ref, e["start"], e["end"], label=e["type"])
                for e in rec["entities"]
                if e["field"] == gold_field
            ]
            examples.append(Example(pred, ref))
    scores = Scorer.score_spans(examples, "mentions", getter=lambda doc, key: doc.spans.get(key, []))
    return {k: v for k, v in scores.items() if v is not None}


def _event_tuples(events: Iterable[tuple[str, dict]], slots: dict[str, set[str]]) -> Counter:
    out: Counter = Counter()
    for article_id, ev in events:
        etype = ev["type"]
        for slot in slots.get(etype, ()):
            value = _norm(ev.get(slot))
            if value is not None:
                out[(article_id, etype, slot, value)] += 1
    return out


def _grouped(gold: Counter, pred: Counter, key) -> dict[str, dict]:
    """P/R/F1 of the tuples that share a key (a slot, an event type, or both)."""
    return {
        g: _prf(
            Counter({k: n for k, n in gold.items() if key(k) == g}),
            Counter({k: n for k, n in pred.items() if key(k) == g}),
        )
        for g in sorted({key(k) for k in gold} | {key(k) for k in pred})
    }


def _event_date(row: dict) -> str | None:
    """The event date as the gold writes it: `2024-06` for a month, `2024-06-15` for a day."""
    day = row.get("date")
    if day is None or day is pd.NA or (isinstance(day, float) and pd.isna(day)):
        return None
    return day.isoformat()[:7] if row.get("date_granularity") == "month" else day.isoformat()


def evaluate(gold_paths: Iterable[str | os.PathLike], pred_dir: str | os.PathLike) -> dict:
    gold = load_gold(gold_paths)
    ids = {r["id"] for r in gold}
    mentions = load_mentions(pred_dir)
    events = load_events(pred_dir)

    g_m, p_m = _gold_mentions(gold), _pred_mentions(mentions, ids)
    report: dict = {"articles": len(gold), "mentions": {}, "mentions_surface": {}, "errors": []}
    report["spacy_scorer"] = spacy_span_scores(gold, mentions[mentions["article_id"].isin(ids)])
    for t in MENTION_TYPES:
        gv = Counter((a, ty, v) for a, _, ty, _, v in g_m if ty == t)
        pv = Counter((a, ty, v) for a, _, ty, _, v in p_m if ty == t)
        gs = Counter((a, f, ty, s) for a, f, ty, s, _ in g_m if ty == t)
        ps = Counter((a, f, ty, s) for a, f, ty, s, _ in p_m if ty == t)
        if not (gv or pv):
            continue
        report["mentions"][t] = _prf(gv, pv)
        report["mentions_surface"][t] = _prf(gs, ps)
        report["errors"] += [("miss", "mention", *k) for k in (gv - pv).elements()]
        report["errors"] += [("false", "mention", *k) for k in (pv - gv).elements()]

    slots: dict[str, set[str]] = {}
    for rec in gold:
        for ev in rec["events"]:
            slots.setdefault(ev["type"], set()).update(k for k in ev if k not in _NOT_SLOTS)
    gold_events = [(rec["id"], ev) for rec in gold for ev in rec["events"]]
    pred_rows = events[events["article_id"].isin(ids)].to_dict("records")
    pred_events = [
        (
            row["article_id"],
            {
                "type": row["event_type"],
                **{k: row.get(_COLUMN.get(k, k)) for s in slots.values() for k in s},
                "date": _event_date(row),
            },
        )
        for row in pred_rows
    ]
    ge, pe = _event_tuples(gold_events, slots), _event_tuples(pred_events, slots)
    report["events"] = _prf(ge, pe)
    report["event_slots"] = _grouped(ge, pe, lambda k: k[2])
    report["event_types"] = _grouped(ge, pe, lambda k: k[1])
    report["event_type_slots"] = _grouped(ge, pe, lambda k: f"{k[1]}.{k[2]}")
    report["errors"] += [("miss", "event", *k) for k in (ge - pe).elements()]
    report["errors"] += [("false", "event", *k) for k in (pe - ge).elements()]
    return report


def format_report(report: dict, title: str) -> str:
    lines = [
        f"## {title} ({report['articles']} articles)",
        "",
        "| mentions | value P | value R | value F1 | surface F1 | gold | pred |",
        "|---|---|---|---|---|---|---|",
    ]
    for t, m in report["mentions"].items():
        s = report["mentions_surface"][t]
        lines.append(
            f"| {t} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {s['f1']:.3f} "
            f"| {m['gold']} | {m['pred']} |"
        )
    sp = report["spacy_scorer"]
    if "mentions_f" in sp:  # absent when there was nothing to score
        lines += [
            "",
            f"spaCy `Scorer.score_spans` on surface spans: P {sp['mentions_p']:.3f} R {sp['mentions_r']:.3f} "
            f"F {sp['mentions_f']:.3f}",
        ]
    e = report["events"]
    lines += [
        "",
        "| events | P | R | F1 | gold | pred |",
        "|---|---|---|---|---|---|",
        _row("all tuples", e),
    ]
    lines += [_row(f"type {t}", m) for t, m in report["event_types"].items()]
    lines += [_row(f"slot {s}", m) for s, m in report["event_slots"].items()]
    return "\n".join(lines)


def _row(label: str, m: dict) -> str:
    return (
        f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['gold']} | {m['pred']} |"
    )


def format_errors(report: dict) -> str:
    return "\n".join(
        "\t".join(str(x) for x in err) for err in sorted(report["errors"], key=lambda e: (e[2], e[0]))
    )
