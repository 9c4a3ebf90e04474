"""Command line: `python -m pipeline extract INPUT... --out DIR`, `python -m pipeline eval ...`.

Exit codes: 0 success; 1 an input error, rejected records with --strict, or the output folder
locked by another run; 2 usage; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM); 141 stdout
closed by its reader.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from pipeline.types import PROFILES

EXIT_CODES = """exit codes:
  0    success
  1    input error, rejected input records with --strict, or OUT locked by another extract
  2    usage error
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM): the previous tables in OUT stay complete
  141  the reader of stdout went away (`| head`)"""

MAIN_EPILOG = f"""commands:
  extract   turn article files into tables (python -m pipeline extract -h)
  eval      score tables against gold annotations (python -m pipeline eval -h)

examples:
  python -m pipeline extract corpus/articles --out out --profile fast
  python -m pipeline eval --gold corpus/gold/*.jsonl --pred out

{EXIT_CODES}"""

EXTRACT_EPILOG = f"""examples:
  python -m pipeline extract corpus/articles --out out
  python -m pipeline extract news.jsonl more.csv --out out --profile fast --workers 2
  python -m pipeline extract feed/ --out out --strict --quiet     # for cron: silent unless something fails

outputs in OUT: articles, mentions, events, timeline, rejects (.parquet and .csv), replaced as one
set; manifest.json is written last (run id, time, row counts, file hashes). With --engine dask the
articles, mentions and events are folders of Parquet parts (NAME.parquet/part-NNNNN.parquet, read
by pandas, DuckDB and polars as one table) and only events, timeline and rejects get a CSV.
Articles already annotated by an earlier run with the same code and profile come from OUT/.cache,
so re-runs are cheap and an interrupted run resumes. One extract at a time may write to OUT.

{EXIT_CODES}"""

EVAL_EPILOG = """examples:
  python -m pipeline eval --gold ../shared/gold/seed_gold.jsonl --pred out
  python -m pipeline eval --gold corpus/gold/*.jsonl --pred out --report out/eval --title corpus

exit codes: 0 success, 2 usage"""

log = logging.getLogger("pipeline.cli")


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that clean-up runs as it does for Ctrl-C."""


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")

    p = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Japanese news extraction.",
        epilog=MAIN_EPILOG,
        formatter_class=raw,
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {metadata.version('jnews-pipeline')}")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser(
        "extract",
        parents=[common],
        help="turn article files into tables",
        description="Read articles, find mentions and events, write tables to OUT.",
        epilog=EXTRACT_EPILOG,
        formatter_class=raw,
    )
    ex.add_argument(
        "inputs", nargs="+", help="files or folders (.txt topic pages, .jsonl, .json, .csv, .tsv)"
    )
    ex.add_argument("--out", default="out", help="output folder (default: out)")
    ex.add_argument(
        "--profile", choices=PROFILES, default="accurate", help="accurate (GiNZA + rules) or fast"
    )
    ex.add_argument("--workers", type=int, default=1, help="processes to use (default: 1)")
    ex.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local processes or a Dask cluster (default: local)",
    )
    ex.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster of --workers)")
    ex.add_argument("--strict", action="store_true", help="exit 1 when any input record was rejected")
    ex.add_argument(
        "-q", "--quiet", action="store_true", help="no progress output, only the summary and errors"
    )
    ex.set_defaults(run=_extract)

    ev = sub.add_parser(
        "eval",
        parents=[common],
        help="score tables against gold annotations",
        description="Precision, recall and F1 per mention type and event slot.",
        epilog=EVAL_EPILOG,
        formatter_class=raw,
    )
    ev.add_argument("--gold", nargs="+", required=True, help="gold JSONL files")
    ev.add_argument("--pred", required=True, help="folder written by `extract`")
    ev.add_argument("--report", help="folder for report.json and errors.tsv (default: PRED/eval)")
    ev.add_argument("--title", default="evaluation", help="heading of the printed table")
    ev.set_defaults(run=_eval)
    return p


def _configure_logging(verbose: bool, quiet: bool) -> None:
    # Only our own loggers go to debug: spaCy and friends stay at warnings. basicConfig leaves an
    # embedding application's (or pytest's) handlers alone. Dask's cluster chatter (INFO by its own
    # config) is kept to warnings; --quiet silences it, since a task that fails raises in the client
    # anyway, and what a worker logs on its own is shutdown noise (a heartbeat that met a scheduler
    # already closing). `pipeline.engines` applies it.
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.WARNING)
    logging.getLogger("pipeline").setLevel(logging.DEBUG if verbose else logging.NOTSET)
    dask_level = logging.INFO if verbose else logging.CRITICAL if quiet else logging.WARNING
    logging.getLogger("distributed").setLevel(dask_level)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    def handler(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _extract(args: argparse.Namespace) -> int:
    from pipeline.job import extract
    from pipeline.lock import LockBusy
    from pipeline.progress import Progress
    from pipeline.readers import InputError

    log.debug("inputs %s -> %s, profile %s, workers %d", args.inputs, args.out, args.profile, args.workers)
    progress = None if args.quiet else Progress(sys.stderr, bar=sys.stderr.isatty())
    t0 = time.perf_counter()
    try:
        with _sigterm_raises():
            tables = extract(
                args.inputs,
                out=args.out,
                profile=args.profile,
                workers=args.workers,
                progress=progress,
                engine=args.engine,
                scheduler=args.scheduler,
            )
    except (InputError, LockBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated) as err:
        print(
            f"\ninterrupted: the previous tables in {args.out} are unchanged; "
            "run again to finish (articles annotated so far are cached)",
            file=sys.stderr,
        )
        return 130 if isinstance(err, KeyboardInterrupt) else 143
    finally:
        if progress is not None:
            progress.close()
    rows = tables.rows()
    print(
        f"{rows['articles']} articles, {rows['mentions']} mentions, {rows['events']} events, "
        f"{rows['rejects']} rejects in {time.perf_counter() - t0:.1f}s -> {args.out}"
    )
    for r in tables.rejects.itertuples():
        print(f"rejected: {r.source_path} record {r.record}: {r.reason}", file=sys.stderr)
    return 1 if args.strict and len(tables.rejects) else 0


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluation.metrics import write_errors
    from pipeline.evaluation.news import evaluate, format_report

    report = evaluate(args.gold, args.pred)
    out = Path(args.report or Path(args.pred) / "eval")
    write_errors(out / "errors.tsv", report.pop("errors"))
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(format_report(report, args.title))
    print(f"\nreport: {out / 'report.json'}  misses and false hits: {out / 'errors.tsv'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        _configure_logging(args.verbose, getattr(args, "quiet", False))
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        # The reader left (`| head`): stop quietly, and keep the interpreter's final flush from failing too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
