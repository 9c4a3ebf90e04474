"""Command line: `python -m pipeline extract INPUT... --out DIR`, `python -m pipeline eval --gold F --pred DIR`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib import metadata
from pathlib import Path

from pipeline.nlp import PROFILES

EPILOG = """examples:
  python -m pipeline extract corpus/ --out out
  python -m pipeline extract news.jsonl more.csv --out out --profile fast --workers 2
  python -m pipeline eval --gold corpus/gold/*.jsonl --pred out --report out/eval

exit codes: 0 success, 1 rejected input records with --strict (or an input error), 2 usage"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Japanese news extraction.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {metadata.version('jnews-pipeline')}")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="turn article files into tables", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("inputs", nargs="+", help="files or folders (.txt topic pages, .jsonl, .json, .csv, .tsv)")
    ex.add_argument("--out", default="out", help="output folder (default: out)")
    ex.add_argument("--profile", choices=PROFILES, default="accurate", help="accurate (GiNZA + rules) or fast")
    ex.add_argument("--workers", type=int, default=1, help="processes to use (default: 1)")
    ex.add_argument("--strict", action="store_true", help="exit 1 when any input record was rejected")

    ev = sub.add_parser("eval", help="score tables against gold annotations", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("--gold", nargs="+", required=True, help="gold JSONL files")
    ev.add_argument("--pred", required=True, help="folder written by `extract`")
    ev.add_argument("--report", help="folder for report.json and errors.tsv (default: PRED/eval)")
    ev.add_argument("--title", default="evaluation", help="heading of the printed table")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract":
        from pipeline.job import extract
        from pipeline.readers import InputError

        t0 = time.perf_counter()
        try:
            tables = extract(args.inputs, out=args.out, profile=args.profile, workers=args.workers)
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"{len(tables.articles)} articles, {len(tables.mentions)} mentions, {len(tables.events)} events, "
              f"{len(tables.rejects)} rejects in {time.perf_counter() - t0:.1f}s -> {args.out}")
        for r in tables.rejects.itertuples():
            print(f"rejected: {r.source_path} record {r.record}: {r.reason}", file=sys.stderr)
        return 1 if args.strict and len(tables.rejects) else 0

    from pipeline.evaluate import evaluate, format_errors, format_report

    report = evaluate(args.gold, args.pred)
    out = Path(args.report or Path(args.pred) / "eval")
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "errors.tsv").write_text(format_errors(report), encoding="utf-8")
    print(format_report(report, args.title))
    print(f"\nreport: {out / 'report.json'}  misses and false hits: {out / 'errors.tsv'}")
    return 0
