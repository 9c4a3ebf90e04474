"""`make bench`: our profiles against stock GiNZA on one corpus, each run in its own process.

    python -m pipeline.bench [--articles 1000] [--corpus-kind real|generated] [--workers 2] [--out bench-out]
    python -m pipeline.bench --scale [--scale-sizes 10000 100000]     # make bench SCALE=1

The corpus is real news by default: a deterministic sample of `../shared/data/wikinews/articles.jsonl`
when it is there; the generated corpus (`pipeline/benchgen.py`) otherwise, or when asked.

Modes, each run in a fresh subprocess (so peak RSS is its own):
- `ginza`: stock `spacy.load("ja_ginza")` with every default component, `nlp.pipe` over the texts
  in batches of 64, as our profiles (its default batch of 1000 texts ran out of 24 GB);
- `accurate`, `fast`: `pipeline.extract` end to end (read, annotate, write the tables), with
  `--workers` processes, into an empty output folder;
- `rerun`: `extract` again into the accurate output, every article unchanged (the cache's cost);
- `floor`: fugashi tokenization alone.
Each mode is timed as a whole process (interpreter start, imports and model loads included), which
the ratios (chars/s against `ginza`) use; beside it are the CPU time per article and the start-up,
from launching the process to the first article annotated. Results go to OUT/bench.json. Plain
timing, nothing asserted.

Scale mode (`--scale`) generates archives of short articles (1-3 sentences, in JSONL files of 1,000)
of each size and runs the fast profile end to end on each in its own process, then the accurate
profile on the smallest. It prints the whole process's time, the stages the manifest records (read,
annotate, tables, timeline = the timeline table and its chart) and the timeline's share of the run,
and the peak RSS of the main process and of the largest worker; OUT/scale.json keeps them.

As a check on our own news style, stock GiNZA, accurate and fast also annotate the bundled
`corpus/articles` in one process each (model loaded and warmed up first), and the CPU rates are
compared.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.benchgen import SEED, SHORT, write_archive, write_corpus
from pipeline.paths import ROOT

MODES = ("ginza", "accurate", "rerun", "fast", "floor")
# Scale mode: the fast profile end to end on archives of these many short generated articles, and the
# accurate profile's worker memory on the first (smallest) of them.
SCALE_SIZES = (10_000, 100_000)
REAL_NEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
CORPUS_KINDS = ("real", "generated")
SAMPLE = ROOT / "corpus" / "articles"
SAMPLE_MODES = ("ginza", "accurate", "fast")
# The bundled articles are short; repeating them keeps the timed part well above the noise.
SAMPLE_MIN_CHARS = 100_000


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


def _sample_articles(sample: Path) -> list:
    from pipeline.readers import read_inputs
    from pipeline.types import Article

    articles = [a for a in read_inputs([sample]) if isinstance(a, Article)]
    size = sum(len(a.headline) + len(a.body) for a in articles) or 1
    return articles * -(-SAMPLE_MIN_CHARS // size)


def measure_sample(mode: str, sample: Path) -> dict[str, float]:
    """CPU seconds of one mode over the repeated sample articles, after loading and a warm-up."""
    articles = _sample_articles(sample)
    if mode == "ginza":
        import spacy

        nlp = spacy.load("ja_ginza")

        def run(batch: list) -> None:
            for _ in nlp.pipe((f"{a.headline}\n{a.body}" for a in batch), batch_size=64):
                pass
    else:
        from pipeline.annotator import annotate_articles

        def run(batch: list) -> None:
            for _ in annotate_articles(batch, profile=mode):
                pass

    run(articles[:2])
    t0 = time.process_time()
    run(articles)
    return {
        "cpu_seconds": time.process_time() - t0,
        "chars": sum(len(a.headline) + len(a.body) for a in articles),
    }


def _run_floor(corpus: Path, _out: Path, _workers: int) -> None:
    import fugashi

    tagger = fugashi.Tagger()
    for text in _texts(corpus):
        for word in tagger(text):
            _ = word.feature.pos1


def _extract(profile: str, fresh: bool) -> Callable[[Path, Path, int], dict | None]:
    def run(corpus: Path, out: Path, workers: int) -> dict:
        from pipeline.job import extract

        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        first: list[float] = []

        def progress(done: int, total: int) -> None:
            if not first:
                first.append(time.time())

        extract([corpus], out=out, profile=profile, workers=workers, progress=progress)
        return {"first_article_at": first[0]} if first else {}

    return run


_RUNNERS: dict[str, Callable[[Path, Path, int], dict | None]] = {
    "ginza": _run_ginza,
    "accurate": _extract("accurate", fresh=True),
    "rerun": _extract("accurate", fresh=False),
    "fast": _extract("fast", fresh=True),
    "floor": _run_floor,
}
# `rerun` re-reads the accurate run's output folder.
_OUT_OF = {"accurate": "accurate", "rerun": "accurate", "fast": "fast"}


def measure(mode: str, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    """Run one mode in this process: wall seconds, CPU seconds and peak RSS (MiB) of this process and
    its children, and when the first article was annotated (epoch seconds) for the extract modes."""
    t0 = time.perf_counter()
    extra = _RUNNERS[mode](corpus, out, workers) or {}
    seconds = time.perf_counter() - t0
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports ru_maxrss in KiB; children is the largest worker that was waited for.
    return {
        "seconds": seconds,
        "cpu_seconds": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime,
        "rss_mib": me.ru_maxrss / 1024,
        "worker_rss_mib": children.ru_maxrss / 1024,
        **extra,
    }


def _in_subprocess(*args: str) -> dict[str, float]:
    """`python -m pipeline.bench ARGS` in a fresh process; its last stdout line is the JSON result,
    to which the process's whole wall time and its start-up (launch to first article) are added."""
    launched = time.time()
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.bench", *args], check=True, capture_output=True, text=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - t0
    if "first_article_at" in result:
        result["startup_seconds"] = result.pop("first_article_at") - launched
    return result


def _measure_in_subprocess(mode: str, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    return _in_subprocess(
        "--measure", mode, "--corpus", str(corpus), "--out", str(out), "--workers", str(workers)
    )


def sample_check(sample: Path) -> dict:
    """CPU chars/s of stock GiNZA and our profiles on the bundled articles."""
    rows = {m: _in_subprocess("--measure-sample", m, "--sample", str(sample)) for m in SAMPLE_MODES}
    for row in rows.values():
        row["chars_per_cpu_s"] = row["chars"] / row["cpu_seconds"]
    for row in rows.values():
        row["x_ginza"] = row["chars_per_cpu_s"] / rows["ginza"]["chars_per_cpu_s"]
    return {"modes": rows}


def summarize(raw: dict[str, dict[str, float]], n_articles: int, n_chars: int) -> dict[str, dict[str, float]]:
    """Chars/s, articles/s (whole process), CPU per article and the chars/s ratio to stock GiNZA."""
    rows: dict[str, dict[str, float]] = {}
    for mode, r in raw.items():
        wall = r.get("process_seconds", r["seconds"])
        rows[mode] = {
            **r,
            "chars_per_s": n_chars / wall,
            "articles_per_s": n_articles / wall,
            "cpu_ms_per_article": 1000 * r.get("cpu_seconds", math.nan) / n_articles,
        }
    base = rows.get("ginza")
    for row in rows.values():
        row["x_ginza"] = row["chars_per_s"] / base["chars_per_s"] if base else float("nan")
    if "rerun" in rows and "accurate" in rows:
        first, again = (rows[m].get("process_seconds", rows[m]["seconds"]) for m in ("accurate", "rerun"))
        rows["rerun"]["share_of_first_run"] = again / first
    if "fast" in rows and "floor" in rows:
        rows["fast"]["x_floor"] = rows["floor"]["chars_per_s"] / rows["fast"]["chars_per_s"]
    return rows


def _ratio(x: float, digits: int = 2) -> str:
    return "–" if math.isnan(x) else f"{x:.{digits}f}"


def format_table(rows: dict[str, dict[str, float]], workers: int) -> str:
    lines = [
        f"{'mode':<10} {'seconds':>8} {'chars/s':>10} {'articles/s':>10} {'CPU ms/art':>10} "
        f"{'start-up s':>10} {'RSS MiB':>8} {'worker MiB':>10} {'x GiNZA':>8}"
    ]
    for mode, r in rows.items():
        lines.append(
            f"{mode:<10} {r.get('process_seconds', r['seconds']):>8.2f} {r['chars_per_s']:>10,.0f} "
            f"{r['articles_per_s']:>10.1f} {_ratio(r['cpu_ms_per_article'], 1):>10} "
            f"{_ratio(r.get('startup_seconds', math.nan)):>10} "
            f"{r['rss_mib']:>8.0f} {r['worker_rss_mib']:>10.0f} {_ratio(r['x_ginza']):>8}"
        )
    if "rerun" in rows:
        lines.append(
            f"re-run of the unchanged corpus: {rows['rerun']['share_of_first_run']:.1%} of the first run"
        )
    if "x_floor" in rows.get("fast", {}):
        x_floor = rows["fast"]["x_floor"]
        lines.append(f"bare fugashi tokenization is {x_floor:.2f}x as fast as the fast profile")
    lines.append(
        f"accurate/fast/rerun with --workers {workers}; ginza and floor in one process; seconds are the"
        " whole process's (start-up included) and give chars/s and x GiNZA"
    )
    return "\n".join(lines)


def format_sample(sample: dict) -> str:
    lines = [
        "Bundled articles, one process each, CPU time after loading:",
        f"{'mode':<10} {'CPU s':>8} {'chars/CPU s':>12} {'x GiNZA':>8}",
    ]
    for mode, r in sample["modes"].items():
        lines.append(
            f"{mode:<10} {r['cpu_seconds']:>8.2f} {r['chars_per_cpu_s']:>12,.0f} {r['x_ginza']:>8.2f}"
        )
    return "\n".join(lines)


def sample_articles(source: Path, path: Path, n_articles: int, seed: int = SEED) -> Path:
    """`n_articles` records of `source` (JSONL), the same ones in file order for the same seed."""
    with source.open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip()]
    chosen = sorted(random.Random(seed).sample(range(len(lines)), min(n_articles, len(lines))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines[i] for i in chosen), encoding="utf-8")
    return path


def bench(
    n_articles: int,
    out: Path,
    workers: int,
    modes: tuple[str, ...] = MODES,
    seed: int = SEED,
    sample: Path | None = SAMPLE,
    kind: str = "real",
) -> dict:
    """Make the corpus, measure every mode in its own process, write OUT/bench.json.

    `kind` "real" samples the Wikinews articles when they are there and falls back to "generated".
    """
    if kind == "real" and not REAL_NEWS.exists():
        kind = "generated"
    if kind == "real":
        corpus = sample_articles(REAL_NEWS, out / "corpus.jsonl", n_articles, seed)
    else:
        corpus = write_corpus(out / "corpus.jsonl", n_articles, seed)
    n_chars = sum(len(t) - 1 for t in _texts(corpus))  # the joining newline is not article text
    load_before = os.getloadavg()
    raw = {m: _measure_in_subprocess(m, corpus, out / _OUT_OF.get(m, m), workers) for m in modes}
    result = {
        "corpus": kind,
        "articles": n_articles,
        "chars": n_chars,
        "seed": seed,
        "workers": workers,
        "cpus": os.cpu_count(),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "modes": summarize(raw, n_articles, n_chars),
    }
    if sample is not None and sample.exists():
        result["sample"] = {"path": str(sample), **sample_check(sample)}
    (out / "bench.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def _extract_in_subprocess(profile: str, corpus: Path, out: Path, workers: int) -> dict:
    """One extract run in its own process, with the stage times its manifest records."""
    from pipeline.outputs import read_manifest

    result = _measure_in_subprocess(profile, corpus, out, workers)
    return {**result, "stages": read_manifest(out)["seconds"], "rows": read_manifest(out)["rows"]}


def scale(out: Path, workers: int, sizes: tuple[int, ...] = SCALE_SIZES, seed: int = SEED) -> dict:
    """`make bench SCALE=1`: the fast profile on each archive size, the accurate one on the smallest;
    OUT/scale.json. Each archive is a folder of JSONL files of 1,000 short articles."""
    load_before = os.getloadavg()
    fast, corpora = {}, {}
    for n in sizes:
        corpora[n] = write_archive(out / f"scale-{n}" / "corpus", n, seed)
        fast[n] = _extract_in_subprocess("fast", corpora[n], out / f"scale-{n}" / "fast", workers)
    smallest = min(sizes)
    accurate = _extract_in_subprocess(
        "accurate", corpora[smallest], out / f"scale-{smallest}" / "accurate", workers
    )
    result = {
        "workers": workers,
        "cpus": os.cpu_count(),
        "seed": seed,
        "sentences": SHORT,
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "fast": {str(n): r for n, r in fast.items()},
        "accurate": {str(smallest): accurate},
    }
    (out / "scale.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def format_scale(result: dict) -> str:
    """The scale figures: time per stage, the timeline's share, and peak memory per size."""
    lo, hi = SHORT
    lines = [
        f"scale mode: fast profile, --workers {result['workers']}, generated articles of {lo}-{hi} sentences"
        " in files of 1,000; load average"
        f" {result['loadavg_before'][0]:.2f} -> {result['loadavg_after'][0]:.2f} on {result['cpus']} CPUs",
        f"{'articles':>9} {'seconds':>8} {'read':>6} {'annotate':>8} {'tables':>7} {'timeline':>8} "
        f"{'share':>6} {'main MiB':>8} {'worker MiB':>10}",
    ]
    fast = result["fast"]
    for n, r in fast.items():
        total, st = r["process_seconds"], r["stages"]
        lines.append(
            f"{int(n):>9,} {total:>8.1f} {st['read']:>6.1f} {st['annotate']:>8.1f} {st['tables']:>7.1f} "
            f"{st['timeline']:>8.1f} {st['timeline'] / total:>6.1%} {r['rss_mib']:>8.0f} "
            f"{r['worker_rss_mib']:>10.0f}"
        )
    sizes = sorted(fast, key=int)
    if len(sizes) > 1:
        small, large = fast[sizes[0]], fast[sizes[-1]]
        lines.append(
            f"main-process peak RSS at {int(sizes[-1]):,}: {large['rss_mib'] / small['rss_mib']:.2f}x that at"
            f" {int(sizes[0]):,}; timeline = the timeline table and its chart, share = of the whole process"
        )
    for n, r in result["accurate"].items():
        lines.append(
            f"accurate profile, {int(n):,} articles: {r['process_seconds']:.1f} s, worker peak RSS"
            f" {r['worker_rss_mib']:.0f} MiB, main {r['rss_mib']:.0f} MiB"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000, help="size of the corpus")
    parser.add_argument("--corpus-kind", choices=CORPUS_KINDS, default="real", help="real news or generated")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for our profiles")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--measure", choices=MODES, help=argparse.SUPPRESS)  # the per-mode subprocess
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--sample",
        type=Path,
        default=SAMPLE,
        help="real-style articles for the CPU check (default: %(default)s)",
    )
    parser.add_argument("--no-sample", action="store_true", help="skip the check on the bundled articles")
    parser.add_argument("--measure-sample", choices=SAMPLE_MODES, help=argparse.SUPPRESS)
    parser.add_argument(
        "--scale", action="store_true", help="scale mode: archives of short articles (see --scale-sizes)"
    )
    parser.add_argument("--scale-sizes", type=int, nargs="+", default=list(SCALE_SIZES))
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.out, args.workers)))
        return
    if args.measure_sample:
        print(json.dumps(measure_sample(args.measure_sample, args.sample)))
        return
    if args.scale:
        print(format_scale(scale(args.out, args.workers, tuple(args.scale_sizes), args.seed)))
        print(f"-> {args.out / 'scale.json'}")
        return
    sample = None if args.no_sample else args.sample
    result = bench(
        args.articles, args.out, args.workers, tuple(args.modes), args.seed, sample, args.corpus_kind
    )
    print(
        f"{result['corpus']} corpus: {result['articles']} articles, {result['chars']:,} chars, "
        f"load average {result['loadavg_before'][0]:.2f}"
        f" -> {result['loadavg_after'][0]:.2f} on {result['cpus']} CPUs"
    )
    print(format_table(result["modes"], args.workers))
    if "sample" in result:
        print(format_sample(result["sample"]))
    print(f"-> {args.out / 'bench.json'}")


if __name__ == "__main__":
    main()
