"""Score predicted tables against news gold JSONL (the seed gold's format, NEWS.md conventions).

Mentions are compared per type as multisets twice: on (article, type, normalized value), what an
analyst filters on, and on (article, field, start, end, type), the span. Events are compared as
(article, event type, slot, value) tuples over the slots the gold gives for that event type; a
false `planned` is no tuple, so `planned` counts only where it is true. Every miss, false hit and
wrong value is listed with its text.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab

from pipeline.evaluation.metrics import ErrorRow, grouped, prf
from pipeline.tables import load_events, load_mentions
from pipeline.types import MENTION_TYPES

# Gold event keys that are not slots, and gold keys whose table column has another name.
_NOT_SLOTS = {"type", "evidence", "evidence_field"}
_COLUMN = {"amount_min": "amount_min_jpy", "amount_max": "amount_max_jpy"}
# The slots that make a damage event worth having: how much or how many, who, when.
DAMAGE_CORE = ("amount_jpy", "count", "org", "date")
_CONTEXT = 20  # characters of text shown on each side of a span in errors.tsv


def _norm(v: object) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, bool):
        return "true" if v else None
    if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
        items = sorted(str(x) for x in (v.tolist() if hasattr(v, "tolist") else v))
        return "|".join(items) or None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def value_key(type_: str, get: Callable[[str], object]) -> str:
    """The normalized value of a mention: what a downstream user would filter on.

    A COUNT's `counted` is a free noun (what the text says is counted) and is scored on its own.
    """
    if type_ in ("MONEY", "COUNT"):
        amount = get("value") if get("value") is not None else f"{get('min')}..{get('max')}"
        unit = (get("currency") or "JPY") if type_ == "MONEY" else get("unit")
        return f"{_norm(amount)} {unit} {get('qualifier')}"
    if type_ == "DATE":
        return f"{get('value')} {get('time')} {'as-of' if get('time_point') else ''}".strip()
    return str(get("value"))


def load_gold(paths: Iterable[str | os.PathLike]) -> list[dict]:
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return records


@dataclass(frozen=True, slots=True)
class _Mention:
    article: str
    field: str  # headline | body
    start: int
    end: int
    type: str
    text: str
    key: str
    counted: str | None

    def overlaps(self, other: _Mention) -> bool:
        return (self.article, self.field) == (other.article, other.field) and (
            self.start < other.end and other.start < self.end
        )


def _gold_mentions(gold: list[dict]) -> list[_Mention]:
    return [
        _Mention(
            rec["id"],
            "body" if e["field"] == "lead" else e["field"],
            e["start"],
            e["end"],
            e["type"],
            e["text"],
            value_key(e["type"], e.get),
            e.get("counted"),
        )
        for rec in gold
        for e in rec["entities"]
    ]


_PRED_COLUMN = {"min": "min_int", "max": "max_int", "currency": "unit"}


def _pred_mentions(mentions: pd.DataFrame) -> list[_Mention]:
    out = []
    for row in mentions.to_dict("records"):

        def get(k: str, row=row):
            col = "value_int" if k == "value" and row["type"] == "COUNT" else _PRED_COLUMN.get(k, k)
            v = row.get(col)
            return None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v

        out.append(
            _Mention(
                row["article_id"],
                row["field"],
                int(row["start"]),
                int(row["end"]),
                row["type"],
                row["text"],
                value_key(row["type"], get),
                get("counted"),
            )
        )
    return out


def _unmatched(gold: list[_Mention], pred: list[_Mention]) -> tuple[list[_Mention], list[_Mention]]:
    """The gold and predicted mentions left over by value matching, same-span pairs matched first."""
    left_gold, pool = [], defaultdict(list)
    for p in pred:
        pool[(p.article, p.type, p.key)].append(p)
    later = []
    for g in gold:
        same = pool[(g.article, g.type, g.key)]
        hit = next((p for p in same if (p.field, p.start, p.end) == (g.field, g.start, g.end)), None)
        if hit is None:
            later.append(g)
        else:
            same.remove(hit)
    for g in later:
        same = pool[(g.article, g.type, g.key)]
        if same:
            same.pop(0)
        else:
            left_gold.append(g)
    return left_gold, [p for ps in pool.values() for p in ps]


def mention_errors(gold: list[_Mention], pred: list[_Mention], texts: dict) -> list[ErrorRow]:
    """Misses, false hits and wrong values; a leftover gold and prediction on one span are one row."""
    left_gold, left_pred = _unmatched(gold, pred)
    rows = []
    for g in left_gold:
        twin = next((p for p in left_pred if p.type == g.type and p.overlaps(g)), None)
        if twin is not None:
            left_pred.remove(twin)
            got = twin.key if twin.text == g.text else f"{twin.text} → {twin.key}"
            rows.append(_error("wrong", g, g.key, got, texts))
            continue
        other = [f"{p.type} {p.text} → {p.key}" for p in pred if p.overlaps(g)]
        rows.append(_error("miss", g, g.key, "; ".join(other), texts))
    for p in left_pred:
        other = [f"{g.type} {g.text} → {g.key}" for g in gold if g.overlaps(p)]
        rows.append(_error("false", p, "; ".join(other), p.key, texts))
    return rows


def _error(error: str, m: _Mention, expected: str, got: str, texts: dict) -> ErrorRow:
    field = texts.get((m.article, m.field), "")
    context = f"{field[max(0, m.start - _CONTEXT) : m.start]}【{m.text}】{field[m.end : m.end + _CONTEXT]}"
    return ErrorRow(error, m.article, m.type, m.text, expected, got, context)


def spacy_span_scores(gold: list[dict], mentions: pd.DataFrame) -> dict:
    """Surface spans scored by spaCy's own `Scorer.score_spans`, as spaCy scores a learned spancat.

    Docs are tokenized one character per token, so every gold and predicted span aligns exactly.
    """
    vocab = Vocab()
    by_key = dict(iter(mentions.groupby(["article_id", "field"], observed=True))) if len(mentions) else {}
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


def _event_date(row: dict) -> str | None:
    """The event date as the gold writes it: `2024-06` for a month, `2024-06-15` for a day."""
    day = row.get("date")
    if day is None or day is pd.NA or (isinstance(day, float) and pd.isna(day)):
        return None
    return day.isoformat()[:7] if row.get("date_granularity") == "month" else day.isoformat()


def _event_errors(ge: Counter, pe: Counter, gold_events: list, pred_events: list) -> list[ErrorRow]:
    """Missed and false event tuples, each with the evidence of an event that holds it."""

    def index(tuples: Counter) -> dict:
        found: dict = defaultdict(list)
        for article, etype, slot, value in tuples:
            found[(article, etype, slot)].append(value)
        return found

    def evidence(events: list, key: tuple) -> str:
        article, etype, slot, value = key
        for a, ev in events:
            if (a, ev["type"]) == (article, etype) and _norm(ev.get(slot)) == value:
                return ev.get("evidence") or ""
        return ""

    gold_at, pred_at = index(ge), index(pe)
    rows = []
    for key in (ge - pe).elements():
        got = " | ".join(pred_at.get(key[:3], []))
        rows.append(ErrorRow("miss", key[0], f"{key[1]}.{key[2]}", evidence(gold_events, key), key[3], got))
    for key in (pe - ge).elements():
        expected = " | ".join(gold_at.get(key[:3], []))
        rows.append(
            ErrorRow("false", key[0], f"{key[1]}.{key[2]}", evidence(pred_events, key), expected, key[3])
        )
    return rows


def evaluate(
    gold_paths: Iterable[str | os.PathLike], pred_dir: str | os.PathLike, yen_only: bool = False
) -> dict:
    """Scores of the tables in `pred_dir` against the gold files, and their errors (`ErrorRow`s).

    `yen_only`: the gold annotates MONEY in yen only (NEWS.md), so other currencies are not scored.
    """
    gold = load_gold(gold_paths)
    ids = {r["id"] for r in gold}
    mentions = load_mentions(pred_dir)
    mentions = mentions[mentions["article_id"].isin(ids)]
    if yen_only:
        mentions = mentions[(mentions["type"] != "MONEY") | (mentions["unit"] == "JPY")]
    events = load_events(pred_dir)
    texts = {(r["id"], f): r[g] for r in gold for f, g in (("headline", "headline"), ("body", "lead"))}

    g_m, p_m = _gold_mentions(gold), _pred_mentions(mentions)
    report: dict = {"articles": len(gold), "mentions": {}, "mentions_surface": {}, "errors": []}
    report["spacy_scorer"] = spacy_span_scores(gold, mentions)
    for t in MENTION_TYPES:
        gt, pt = [m for m in g_m if m.type == t], [m for m in p_m if m.type == t]
        if not gt:  # nothing of this type is annotated: predictions cannot be judged
            continue
        report["mentions"][t] = prf(
            Counter((m.article, m.key) for m in gt), Counter((m.article, m.key) for m in pt)
        )
        report["mentions_surface"][t] = prf(
            Counter((m.article, m.field, m.start, m.end) for m in gt),
            Counter((m.article, m.field, m.start, m.end) for m in pt),
        )
        report["errors"] += mention_errors(gt, pt, texts)
    counts = [m for m in g_m if m.type == "COUNT"], [m for m in p_m if m.type == "COUNT"]
    report["count_counted"] = prf(*(Counter((m.article, m.key, m.counted) for m in ms) for ms in counts))

    slots: dict[str, set[str]] = {}
    for rec in gold:
        for ev in rec["events"]:
            slots.setdefault(ev["type"], set()).update(k for k in ev if k not in _NOT_SLOTS)
    gold_events = [(rec["id"], ev) for rec in gold for ev in rec["events"]]
    pred_events = [
        (
            row["article_id"],
            {
                "type": row["event_type"],
                **{k: row.get(_COLUMN.get(k, k)) for s in slots.values() for k in s},
                "date": _event_date(row),
                "evidence": row.get("evidence"),
            },
        )
        for row in events[events["article_id"].isin(ids)].to_dict("records")
    ]
    ge, pe = _event_tuples(gold_events, slots), _event_tuples(pred_events, slots)
    report["events"] = prf(ge, pe)
    report["event_slots"] = grouped(ge, pe, lambda k: k[2])
    report["event_types"] = grouped(ge, pe, lambda k: k[1])
    report["event_type_slots"] = grouped(ge, pe, lambda k: f"{k[1]}.{k[2]}")
    report["event_count"] = grouped(
        Counter((a, e["type"]) for a, e in gold_events),
        Counter((a, e["type"]) for a, e in pred_events),
        lambda k: k[1],
    )
    report["errors"] += _event_errors(ge, pe, gold_events, pred_events)
    return report


def damage_core(report: dict) -> float | None:
    """The lowest F1 among the damage events' core slots; None when no damage event is in play."""
    slots = report["event_type_slots"]
    scores = [slots[f"damage.{s}"]["f1"] for s in DAMAGE_CORE if f"damage.{s}" in slots]
    return min(scores) if scores else None


def format_report(report: dict, title: str) -> str:
    lines = [
        f"## {title} ({report['articles']} articles)",
        "",
        "| mentions | value P | value R | value F1 | surface P | surface R | surface F1 | gold | pred |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t, m in report["mentions"].items():
        s = report["mentions_surface"][t]
        lines.append(
            f"| {t} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {s['precision']:.3f} "
            f"| {s['recall']:.3f} | {s['f1']:.3f} | {m['gold']} | {m['pred']} |"
        )
    c = report["count_counted"]
    if c["gold"]:
        lines.append(f"\nCOUNT with its `counted` noun: F1 {c['f1']:.3f}")
    sp = report["spacy_scorer"]
    if "mentions_f" in sp:  # absent when there was nothing to score
        lines += [
            "",
            f"spaCy `Scorer.score_spans` on surface spans: P {sp['mentions_p']:.3f} R {sp['mentions_r']:.3f} "
            f"F {sp['mentions_f']:.3f}",
        ]
    lines += [
        "",
        "| events | P | R | F1 | gold | pred |",
        "|---|---|---|---|---|---|",
        _row("all tuples", report["events"]),
    ]
    lines += [_row(f"type {t}", m) for t, m in report["event_types"].items()]
    lines += [_row(f"events of type {t}", m) for t, m in report["event_count"].items()]
    lines += [_row(f"slot {s}", m) for s, m in report["event_slots"].items()]
    lines += [
        _row(f"damage.{s}", report["event_type_slots"][f"damage.{s}"])
        for s in DAMAGE_CORE
        if f"damage.{s}" in report["event_type_slots"]
    ]
    return "\n".join(lines)


def _row(label: str, m: dict) -> str:
    return (
        f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['gold']} | {m['pred']} |"
    )
