"""`make bench`: our profiles against stock GiNZA on one generated corpus, each run in its own process.

    python -m pipeline.bench [--articles 2000] [--workers 2] [--out bench-out]

Modes, each timed in a fresh subprocess (so peak RSS is its own) from model load to the last result:
- `ginza`: stock `spacy.load("ja_ginza")` with every default component, `nlp.pipe` over the texts
  in batches of 64, as our profiles (its default batch of 1000 texts ran out of 24 GB);
- `accurate`, `fast`: `pipeline.extract` end to end (read, annotate, write the tables), with
  `--workers` processes, into an empty output folder;
- `rerun`: `extract` again into the accurate output, every article unchanged (the cache's cost);
- `floor`: fugashi tokenization alone.
Results go to OUT/bench.json; ratios are chars/s against `ginza`. Plain timing, nothing asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.benchgen import SEED, write_corpus

MODES = ("ginza", "accurate", "rerun", "fast", "floor")


def _texts(corpus: Path) -> list[str]:
    with corpus.open(encoding="utf-8") as fh:
        return [f"{r['headline']}\n{r['body']}" for r in map(json.loads, fh)]


def _run_ginza(corpus: Path, _out: Path, _workers: int) -> None:
    import spacy

    nlp = spacy.load("ja_ginza")
    # ja_ginza's default batch (1000 texts) held 24 GB and was killed on 2,000 articles; our profiles
    # use batches of 64, so stock GiNZA gets the same.
    for _ in nlp.pipe(_texts(corpus), batch_size=64):
        pass


def _run_floor(corpus: Path, _out: Path, _workers: int) -> None:
    import fugashi

    tagger = fugashi.Tagger()
    for text in _texts(corpus):
        for word in tagger(text):
            _ = word.feature.pos1


def _extract(profile: str, fresh: bool) -> Callable[[Path, Path, int], None]:
    def run(corpus: Path, out: Path, workers: int) -> None:
        from pipeline.job import extract

        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        extract([corpus], out=out, profile=profile, workers=workers)

    return run


_RUNNERS: dict[str, Callable[[Path, Path, int], None]] = {
    "ginza": _run_ginza,
    "accurate": _extract("accurate", fresh=True),
    "rerun": _extract("accurate", fresh=False),
    "fast": _extract("fast", fresh=True),
    "floor": _run_floor,
}
# `rerun` re-reads the accurate run's output folder.
_OUT_OF = {"accurate": "accurate", "rerun": "accurate", "fast": "fast"}


def measure(mode: str, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    """Run one mode in this process: wall seconds and peak RSS (MiB) of this process and its children."""
    t0 = time.perf_counter()
    _RUNNERS[mode](corpus, out, workers)
    seconds = time.perf_counter() - t0
    # Linux reports ru_maxrss in KiB; children is the largest worker that was waited for.
    return {
        "seconds": seconds,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _measure_in_subprocess(mode: str, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    cmd = [
        sys.executable,
        "-m",
        "pipeline.bench",
        "--measure",
        mode,
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--workers",
        str(workers),
    ]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarize(raw: dict[str, dict[str, float]], n_articles: int, n_chars: int) -> dict[str, dict[str, float]]:
    """Chars/s, articles/s and the chars/s ratio to stock GiNZA for every measured mode."""
    rows: dict[str, dict[str, float]] = {}
    for mode, r in raw.items():
        rows[mode] = {**r, "chars_per_s": n_chars / r["seconds"], "articles_per_s": n_articles / r["seconds"]}
    base = rows.get("ginza")
    for row in rows.values():
        row["x_ginza"] = row["chars_per_s"] / base["chars_per_s"] if base else float("nan")
    if "rerun" in rows and "accurate" in rows:
        rows["rerun"]["share_of_first_run"] = rows["rerun"]["seconds"] / rows["accurate"]["seconds"]
    return rows


def format_table(rows: dict[str, dict[str, float]], workers: int) -> str:
    lines = [
        f"{'mode':<10} {'seconds':>8} {'chars/s':>10} {'articles/s':>10} {'RSS MiB':>8} "
        f"{'worker MiB':>10} {'x GiNZA':>8}"
    ]
    for mode, r in rows.items():
        lines.append(
            f"{mode:<10} {r['seconds']:>8.2f} {r['chars_per_s']:>10,.0f} {r['articles_per_s']:>10.1f} "
            f"{r['rss_mib']:>8.0f} {r['worker_rss_mib']:>10.0f} {r['x_ginza']:>8.2f}"
        )
    if "rerun" in rows:
        lines.append(
            f"re-run of the unchanged corpus: {rows['rerun']['share_of_first_run']:.1%} of the first run"
        )
    lines.append(f"accurate/fast/rerun with --workers {workers}; ginza and floor in one process")
    return "\n".join(lines)


def bench(n_articles: int, out: Path, workers: int, modes: tuple[str, ...] = MODES, seed: int = SEED) -> dict:
    """Generate the corpus, measure every mode in its own process, write OUT/bench.json."""
    corpus = write_corpus(out / "corpus.jsonl", n_articles, seed)
    n_chars = sum(len(t) - 1 for t in _texts(corpus))  # the joining newline is not article text
    load_before = os.getloadavg()
    raw = {m: _measure_in_subprocess(m, corpus, out / _OUT_OF.get(m, m), workers) for m in modes}
    result = {
        "articles": n_articles,
        "chars": n_chars,
        "seed": seed,
        "workers": workers,
        "cpus": os.cpu_count(),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "modes": summarize(raw, n_articles, n_chars),
    }
    (out / "bench.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000, help="size of the generated corpus")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for our profiles")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--measure", choices=MODES, help=argparse.SUPPRESS)  # the per-mode subprocess
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.out, args.workers)))
        return
    result = bench(args.articles, args.out, args.workers, tuple(args.modes), args.seed)
    print(
        f"{result['articles']} articles, {result['chars']:,} chars, "
        f"load average {result['loadavg_before'][0]:.2f}"
        f" -> {result['loadavg_after'][0]:.2f} on {result['cpus']} CPUs"
    )
    print(format_table(result["modes"], args.workers))
    print(f"-> {args.out / 'bench.json'}")


if __name__ == "__main__":
    main()
