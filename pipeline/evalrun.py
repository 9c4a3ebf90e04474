"""`make eval`: extract and score every gold set in both profiles; optionally refresh README's table.

python -m pipeline.evalrun [--readme README.md]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from pipeline.evaluate import evaluate, format_errors, format_report
from pipeline.job import extract
from pipeline.nlp import PROFILES
from pipeline.paths import ROOT
from pipeline.types import MENTION_TYPES

SHARED = ROOT.parent / "shared"
_DAMAGE_SLOTS = ("amount_jpy", "count", "org", "date")
_MARKERS = ("<!-- eval:start -->", "<!-- eval:end -->")


def gold_sets() -> list[tuple[str, list[Path], list[Path]]]:
    """(name, inputs, gold files) for the bundled corpus and, when present, the shared seed."""
    sets = [("corpus", [ROOT / "corpus" / "articles"], sorted((ROOT / "corpus" / "gold").glob("*.jsonl")))]
    seed_gold = SHARED / "gold" / "seed_gold.jsonl"
    if seed_gold.exists():
        sets.append(("seed", sorted((SHARED / "seeds").glob("*.txt")), [seed_gold]))
    return sets


def run(out_root: Path) -> tuple[str, str]:
    """Extract and score every gold set in every profile: (full tables, one-line-per-run summary)."""
    sections, runs = [], []
    for name, inputs, gold in gold_sets():
        for profile in PROFILES:
            pred = out_root / f"{name}-{profile}"
            extract(inputs, out=pred, profile=profile)
            report = evaluate(gold, pred)
            (pred / "eval").mkdir(exist_ok=True)
            (pred / "eval" / "report.json").write_text(
                json.dumps(report, ensure_ascii=False, indent=1), "utf-8"
            )
            (pred / "eval" / "errors.tsv").write_text(format_errors(report), "utf-8")
            sections.append(format_report(report, f"{name} gold, {profile} profile"))
            runs.append((f"{name} / {profile}", report))
    return "\n\n".join(sections), summary(runs)


def summary(runs: list[tuple[str, dict]]) -> str:
    """Normalized-value F1 per mention type and event-tuple F1, one row per gold set and profile."""
    types = [t for t in MENTION_TYPES if any(t in r["mentions"] for _, r in runs)]
    head = ["gold / profile", "articles", *types, "events", "damage slots*"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, r in runs:
        f1 = [f"{r['mentions'][t]['f1']:.3f}" if r["mentions"].get(t, {}).get("gold") else "–" for t in types]
        slots = r["event_type_slots"]
        damage = min(
            (slots[f"damage.{s}"]["f1"] for s in _DAMAGE_SLOTS if f"damage.{s}" in slots), default=0.0
        )
        cells = [label, str(r["articles"]), *f1, f"{r['events']['f1']:.3f}", f"{damage:.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(
        "\nMention columns: F1 on (article, type, normalized value); – where the gold has none. "
        "events: F1 on (article, event type, slot, value) tuples. "
        "*the lowest F1 among the damage events' amount_jpy, count, org and date slots."
    )
    return "\n".join(lines)


def update_readme(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = _MARKERS
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    path.write_text(pattern.sub(lambda _: f"{start}\n{table}\n{end}", text), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="eval-out", help="folder for the predicted tables and reports")
    parser.add_argument("--readme", help="README whose eval section is replaced with the new tables")
    args = parser.parse_args()
    table, short = run(Path(args.out))
    print(table)
    print()
    print(short)
    print(f"\nerrors to read first: {args.out}/*/eval/errors.tsv")
    if args.readme:
        update_readme(Path(args.readme), short)


if __name__ == "__main__":
    main()
