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

SHARED = ROOT.parent / "shared"
_MARKERS = ("<!-- eval:start -->", "<!-- eval:end -->")


def gold_sets() -> list[tuple[str, list[Path], list[Path]]]:
    """(name, inputs, gold files) for the bundled corpus and, when present, the shared seed."""
    sets = [("corpus", [ROOT / "corpus" / "articles"], sorted((ROOT / "corpus" / "gold").glob("*.jsonl")))]
    seed_gold = SHARED / "gold" / "seed_gold.jsonl"
    if seed_gold.exists():
        sets.append(("seed", sorted((SHARED / "seeds").glob("*.txt")), [seed_gold]))
    return sets


def run(out_root: Path) -> str:
    sections = []
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
    return "\n\n".join(sections)


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
    table = run(Path(args.out))
    print(table)
    print(f"\nerrors to read first: {args.out}/*/eval/errors.tsv")
    if args.readme:
        update_readme(Path(args.readme), table)


if __name__ == "__main__":
    main()
