"""The hand-written corpus and its gold: offsets, key sets and texts must match what the readers see.

Every gold file `corpus/gold/<stem>.jsonl` belongs to the input `corpus/articles/<stem>.{txt,jsonl,csv}`.
The inputs are parsed here on purpose with the bare minimum (split on `-` lines, json.loads, csv),
so a bug in the pipeline's readers cannot hide a bug in the gold.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD_FILES = sorted((CORPUS / "gold").glob("*.jsonl"))
MIN_ARTICLES = 30
INPUT_SUFFIXES = (".txt", ".jsonl", ".csv")

RECORD_KEYS = ["id", "kind", "headline", "lead", "published", "reference_year", "entities", "events"]
ENTITY_KEYS = ["field", "text", "start", "end", "type"]
NAME_KEYS = {"value"}
# Required keys per entity type; MONEY may add `currency`, vague/range COUNT adds `min`/`max`.
TYPE_KEYS = {
    "BANK": NAME_KEYS,
    "PAYMENT_SERVICE": NAME_KEYS,
    "COMPANY": NAME_KEYS,
    "ORGANIZATION": NAME_KEYS,
    "PERSON": {"value", "title"},
    "MONEY": {"value", "qualifier", "min", "max", "role"},
    "COUNT": {"value", "unit", "qualifier", "counted"},
    "DATE": {"value", "granularity", "time", "time_point"},
}
OPTIONAL_KEYS = {"MONEY": {"currency"}, "COUNT": {"min", "max"}}
COMMON_EVENT_KEYS = {"type", "org", "date", "evidence", "evidence_field"}
# Key sets of the seed gold; resumption mirrors suspension.
_STOP_KEYS = {"target", "services", "orgs", "count", "count_unit", "since", "planned"}
_COUNT_KEYS = {"count", "count_unit", "count_qualifier"}
_AMOUNT_KEYS = {"amount_jpy", "amount_qualifier", "amount_min", "amount_max"}
EVENT_KEYS = {
    "damage": {"role", "services", "as_of", *_AMOUNT_KEYS, *_COUNT_KEYS},
    "suspension": _STOP_KEYS,
    "resumption": _STOP_KEYS,
    "compensation": {"deadline", "scope", *_COUNT_KEYS},
    "warning": {"to"},
    "apology": {"person"},
    "announcement": {"person"},
    "inquiries": {"to", *_COUNT_KEYS},
    "legal": {"kind", "to", "amount_jpy", "planned"},
}
QUALIFIERS = {"exact", "approx", "over", "under", "at_least", "at_most", "vague", "range"}
MONEY_ROLES = {"damage", "suspected", "prevented", "possible_damage", None}
GRANULARITIES = {"day", "month", "year", "end_of_month", "early_month", "mid_month", "late_month"}


def read_topic_page(path: Path) -> dict[str, tuple[str, str, str | None]]:
    """id -> (headline, lead, published) for a topic page: intro, blank, title, 目次, then `-` entries."""
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    stem = path.stem
    items = {f"{stem}:00": (lines[2], lines[0], None)}
    entries = "\n".join(lines[4:]).split("\n-\n")
    entries[0] = entries[0].removeprefix("-\n")
    for n, entry in enumerate(entries, start=1):
        headline, lead = entry.split("\n")
        items[f"{stem}:{n:02d}"] = (headline, lead, None)
    return items


def read_records(path: Path) -> dict[str, tuple[str, str, str | None]]:
    if path.suffix == ".txt":
        return read_topic_page(path)
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    return {r["id"]: (r["headline"], r["body"], r["published"]) for r in rows}


def input_for(gold: Path) -> Path:
    found = [p for p in (CORPUS / "articles").glob(f"{gold.stem}.*") if p.suffix in INPUT_SUFFIXES]
    assert len(found) == 1, f"{gold.name}: expected one input file, found {found}"
    return found[0]


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def entity_problems(rec: dict) -> list[str]:
    problems, last = [], ("headline", 0)
    for e in rec["entities"]:
        where = f"{rec['id']} {e.get('text')!r}"
        extra = set(e) - set(ENTITY_KEYS) - TYPE_KEYS[e["type"]] - OPTIONAL_KEYS.get(e["type"], set())
        missing = TYPE_KEYS[e["type"]] - set(e)
        if extra or missing:
            problems.append(f"{where}: extra {extra} missing {missing}")
        if rec[e["field"]][e["start"] : e["end"]] != e["text"]:
            problems.append(f"{where}: offsets {e['start']}:{e['end']} do not match")
        pos = (e["field"], e["start"])
        if (pos[0] == last[0] and pos[1] < last[1]) or (pos[0] == "headline" and last[0] == "lead"):
            problems.append(f"{where}: out of order or overlapping")
        last = (e["field"], e["end"])
        if e["type"] in ("MONEY", "COUNT") and e["qualifier"] not in QUALIFIERS:
            problems.append(f"{where}: qualifier {e['qualifier']}")
        vague = e["type"] in ("MONEY", "COUNT") and e["qualifier"] in ("vague", "range")
        if vague and not (e["value"] is None and e["min"] < e["max"]):
            problems.append(f"{where}: vague/range needs value null and min < max")
        if e["type"] == "MONEY" and e["role"] not in MONEY_ROLES:
            problems.append(f"{where}: role {e['role']}")
        if e["type"] == "DATE" and e["granularity"] not in GRANULARITIES:
            problems.append(f"{where}: granularity {e['granularity']}")
    return problems


def event_problems(rec: dict) -> list[str]:
    problems = []
    for ev in rec["events"]:
        keys = COMMON_EVENT_KEYS | EVENT_KEYS.get(ev["type"], {"<unknown type>"})
        if set(ev) != keys:
            problems.append(f"{rec['id']} {ev['type']}: keys differ by {set(ev) ^ keys}")
        elif ev["evidence"] not in rec[ev["evidence_field"]]:
            problems.append(f"{rec['id']} {ev['type']}: evidence not in {ev['evidence_field']}")
    return problems


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.name)
def test_gold_records_match_their_input(gold: Path) -> None:
    items = read_records(input_for(gold))
    records = load_gold(gold)
    assert [list(r) for r in records] == [RECORD_KEYS] * len(records)
    assert {r["id"]: (r["headline"], r["lead"], r["published"]) for r in records} == items


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.name)
def test_gold_entities_and_events_are_well_formed(gold: Path) -> None:
    records = load_gold(gold)
    assert [p for r in records for p in entity_problems(r) + event_problems(r)] == []


def test_corpus_has_enough_articles() -> None:
    inputs = [p for p in (CORPUS / "articles").glob("*") if p.suffix in INPUT_SUFFIXES]
    articles = [i for p in inputs for i in read_records(p) if not (p.suffix == ".txt" and i.endswith(":00"))]
    assert len(articles) >= MIN_ARTICLES
