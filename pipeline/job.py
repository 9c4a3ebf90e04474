"""The main job: read inputs, annotate what is new or changed, write the tables.

The local engine reads the inputs twice: once for the articles' keys (content, profile, pipeline
version) and rejects, then for the articles the cache lacks, which a process pool takes a few
chunks at a time; each worker caches its results at once and sends back their keys. The tables
are then written from the cache in input order, `TABLE_BATCH` articles per Parquet row group (CSV
copies appended alike), so the main process holds neither the texts nor the tables of an archive.

The Dask engine never reads an article on the client: it lists the files, and workers read them
(a scan task per file returns each record's id and key, so the client can reject duplicate ids
across files as `read_inputs` does), then each partition task reads its articles (file and
positions) itself, takes each annotation from the cache or makes it (and caches it), and writes
the partition's rows of the articles, mentions and events as `NAME.parquet/part-NNNNN.parquet`
(NNNNN = the partition's index in input order, so the parts read in order give the local engine's
tables). Tasks return counts and file hashes only. Workers and client must share the file system
of OUT. A Dask run whose files (names and contents), profile and pipeline version are those of
the published set is a no-op that starts no cluster.

Either way the timeline is numbered from the reports the batches or partitions wrote, one group
of organizations at a time (`pipeline.timeline.number_steps`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import import_module, metadata
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.engines import (
    ENGINES,
    annotate_local,
    chunk_size,
    chunks,
    cluster_size,
    dask_client,
    gather_tasks,
    run_tasks,
)
from pipeline.lock import output_lock
from pipeline.outputs import (
    PublishedTables,
    commit,
    file_sha256,
    new_staging,
    read_manifest,
    staged_files,
    verify_outputs,
)
from pipeline.paths import MODELS, ROOT
from pipeline.profiles import trained_model
from pipeline.readers import duplicate, input_files, read_inputs, read_records
from pipeline.types import PROFILES, Article, Reject

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    # The annotator loads every tagger; a run with nothing to annotate never imports it.
    from pipeline.annotator import Annotated
    from pipeline.tables import Rows

_DEPENDENCIES = ("fugashi", "unidic-lite", "spacy", "ginza", "ja-ginza")
# Articles per row group of the local engine's tables: a few thousand keep pyarrow's batches large
# and the process's memory the same for a thousand articles or a million.
TABLE_BATCH = 2000
# Reports per group of organizations when the timeline is numbered: what the timeline holds at once.
TIMELINE_GROUP = 50_000
# The scratch table of the timeline's reports, in the staging folder (never published).
_REPORTS = ".reports"
_EVENTS_CSV = ".events-csv"  # the Dask engine's parts of the events' CSV copy, likewise
# What writing the tables imports: pandas and pyarrow (through pipeline.timeline), 0.6 s. The
# functions that write import them where they are used, so that the workers fork from a process
# without them and the first article is annotated sooner; a thread loads them while the rest is
# annotated, and the writers find them loaded. matplotlib (0.7 s more) is left to the chart's own
# process (`_chart_drawer`).
_TABLE_MODULES = ("pipeline.timeline", "pyarrow.compute")


@lru_cache(maxsize=len(PROFILES))
def pipeline_version(profile: str) -> str:
    """A key that changes when the code, the models `profile` reads or a dependency change."""
    h = hashlib.sha256()
    for path in versioned_files(profile):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    for dist in _DEPENDENCIES:
        h.update(f"{dist}={metadata.version(dist)}".encode())
    return h.hexdigest()[:16]


def versioned_files(profile: str) -> list[Path]:
    """The code and the models, but not another profile's trained weights (tens of MB, a fifth of a
    second to hash): they cannot change this profile's output."""
    others = _trained_elsewhere(profile)
    return [
        path
        for path in sorted([*(ROOT / "pipeline").rglob("*.py"), *MODELS.rglob("*")])
        if path.is_file() and not any(path.is_relative_to(folder) for folder in others)
    ]


def _trained_elsewhere(profile: str) -> set[Path]:
    """The folders of the trained components of the profiles other than `profile`."""
    folders = {p: trained_model(p) for p in PROFILES}
    return {folder for p, folder in folders.items() if folder is not None and folder != folders[profile]}


def _article_key(article: Article, profile: str) -> str:
    h = hashlib.sha256()
    for part in (
        pipeline_version(profile),
        profile,
        article.article_id,
        article.source_path,
        article.headline,
        article.body,
        str(article.published),
        str(article.url),
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class _Cache:
    """One pickle per annotated article, written atomically, so an interrupted run keeps its work."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> Annotated | None:
        try:
            with open(self.root / key, "rb") as fh:
                return pickle.load(fh)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return None

    def has(self, key: str) -> bool:
        return (self.root / key).exists()

    def put(self, key: str, value: Annotated) -> None:
        tmp = self.root / f".{key}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.root / key)

    def keep_only(self, keys: set[str]) -> None:
        for path in self.root.iterdir():
            if path.name not in keys:
                path.unlink(missing_ok=True)


def _annotations(
    cache: _Cache,
    keys: list[str],
    articles: list[Article],
    annotate: Callable[[list[Article]], Iterable[Annotated]],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Annotated], int]:
    """Each article's annotation in input order, and how many had to be made.

    From the cache, else made by `annotate` and cached at once.
    """
    results = {key: cache.get(key) for key in keys}
    todo = [a for key, a in zip(keys, articles, strict=True) if results[key] is None]
    todo_keys = {a.article_id: k for k, a in zip(keys, articles, strict=True)}
    for done, annotated in enumerate(annotate(todo), 1):
        key = todo_keys[annotated.article.article_id]
        cache.put(key, annotated)
        results[key] = annotated
        if progress is not None:
            progress(done, len(todo))
    return [results[key] for key in keys], len(todo)


def _inputs_digest(keys: list[str], rejects: list[Reject]) -> str:
    """What a local run read, in order: its article keys (content, profile, pipeline version) and rejects."""
    h = hashlib.sha256(b"single")
    for key in keys:
        h.update(key.encode())
    for r in rejects:
        h.update(f"\0{r.source_path}\0{r.record}\0{r.reason}".encode())
    return h.hexdigest()


def _already_published(out_dir: Path, inputs: str) -> PublishedTables | None:
    """The tables in `out_dir` when its last run read exactly `inputs` and its files are intact."""
    manifest = read_manifest(out_dir)
    if manifest is None or manifest.get("inputs") != inputs or verify_outputs(out_dir):
        return None
    return PublishedTables(out_dir, manifest)


def _scan(paths: list[str | os.PathLike], profile: str) -> tuple[list[str], list[Reject]]:
    """Every article's key in input order, and the rejects; the texts are not kept."""
    keys, rejects = [], []
    for item in read_inputs(paths):
        if isinstance(item, Article):
            keys.append(_article_key(item, profile))
        else:
            rejects.append(item)
    return keys, rejects


def _import_table_modules() -> None:
    for name in _TABLE_MODULES:
        import_module(name)


def _draw_chart(points: pd.DataFrame) -> bytes:
    from pipeline.chart import points_png

    return points_png(points)


@contextmanager
def _chart_drawer() -> Iterator[Executor | None]:
    """A process that draws the damage chart, forked as the tables begin: it imports matplotlib
    (0.7 s of CPU) on the core the finished workers left free, and draws once the timeline is known.
    None where processes cannot be forked (the chart is then drawn here). The caller forks only
    when no other thread of this process may be importing (its lock would stay held in the child)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as drawer:
        drawer.submit(import_module, "pipeline.chart")
        yield drawer


def _cache_annotation(cache: _Cache, profile: str, annotated: Annotated) -> str:
    """Cache `annotated` under its key, in the process that made it: only the key travels back."""
    key = _article_key(annotated.article, profile)
    cache.put(key, annotated)
    return key


def _annotate_missing(
    cache: _Cache,
    paths: list[str | os.PathLike],
    missing: set[str],
    profile: str,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Annotate the articles whose keys are `missing`, read again from the inputs as the pool takes
    them; each result is cached at once, by the worker that made it (an interrupted run keeps what
    it finished)."""
    todo = (
        item
        for item in read_inputs(paths)
        if isinstance(item, Article) and _article_key(item, profile) in missing
    )
    importer = threading.Thread(target=_import_table_modules, daemon=True)
    keep = partial(_cache_annotation, cache, profile)
    for done, _ in enumerate(annotate_local(todo, profile, workers, len(missing), keep), 1):
        if done == 1:
            # Not before the first result, when the workers have forked: a fork amid an import
            # would leave its lock held in them.
            importer.start()
        if progress is not None:
            progress(done, len(missing))
    if importer.is_alive():
        importer.join()  # before the chart's process forks


def _frames(rows: Rows) -> dict[str, pd.DataFrame]:
    from pipeline.tables import PARTITIONED, frame_of

    return {name: frame_of(name, getattr(rows, name)) for name in PARTITIONED}


def _cached_batches(cache: _Cache, keys: list[str]) -> Iterator[list[Annotated]]:
    """The annotations of `keys` from the cache, in their order, `TABLE_BATCH` at a time."""
    for batch in chunks(keys, TABLE_BATCH):
        found = [cache.get(key) for key in batch]
        if any(a is None for a in found):
            raise RuntimeError("an input changed while it was read, or the cache was removed: run again")
        yield found


def _report_batches(reports: list[Path], columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """The reports' rows a row group at a time, in their order (no read-ahead: memory stays flat)."""
    import pyarrow.parquet as pq

    for path in reports:
        yield from pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=4096, columns=columns)


def _org_groups(reports: list[Path], size: int) -> list[list[str]]:
    """The organizations of `reports` in the order of their names, cut into groups of about `size`
    reports (an organization is never split)."""
    import pyarrow.compute as pc

    counts: Counter[str] = Counter()
    for batch in _report_batches(reports, ["org"]):
        values, found = pc.value_counts(batch.column(0)).flatten()
        counts.update(dict(zip(values.to_pylist(), found.to_pylist(), strict=True)))
    groups: list[list[str]] = [[]]
    held = 0
    for org in sorted(counts):
        if held and held + counts[org] > size:
            groups.append([])
            held = 0
        groups[-1].append(org)
        held += counts[org]
    return [g for g in groups if g]


def _reports_of(reports: list[Path], orgs: list[str]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc

    from pipeline.tables import arrow_schema_of, coerce
    from pipeline.timeline import REPORT_SCHEMA

    wanted = pa.array(orgs, pa.large_string())
    found = [b.filter(pc.is_in(b.column("org"), value_set=wanted)) for b in _report_batches(reports)]
    table = pa.Table.from_batches(found, schema=arrow_schema_of(REPORT_SCHEMA))
    return coerce(table.to_pandas(ignore_metadata=True), REPORT_SCHEMA)


def _write_timeline(
    staging: Path, reports: list[Path], rejects: list[Reject], *, csv: bool, drawer: Executor | None = None
) -> int:
    """The timeline table and its chart from the run's reports (`pipeline.timeline.reports`: Parquet
    files, in input order), one group of organizations at a time, so that neither the reports nor
    the timeline are held whole; the rejects beside them. The chart is drawn by `drawer` when there
    is one. Returns the timeline's row count."""
    import pandas as pd

    from pipeline.tables import TableWriter, frame_of, reject_table, write_csv, write_parquet
    from pipeline.timeline import daily_damage, number_steps, select_points

    daily = []
    with TableWriter("timeline", staging, csv=csv) as writer:
        for group in _org_groups(reports, TIMELINE_GROUP):
            timeline = number_steps(_reports_of(reports, group))
            writer.write(timeline)
            daily.append(daily_damage(timeline))
    points = select_points(pd.concat(daily) if daily else daily_damage(frame_of("timeline", [])))
    png = drawer.submit(_draw_chart, points) if drawer is not None else None
    write_parquet("rejects", reject_table(rejects), staging / "rejects.parquet")
    if csv:
        write_csv(reject_table(rejects), staging / "rejects.csv")
    (staging / "timeline.png").write_bytes(png.result() if png is not None else _draw_chart(points))
    return writer.rows


def _extract_single(
    paths: list[str | os.PathLike],
    keys: list[str],
    rejects: list[Reject],
    cache: _Cache,
    out_dir: Path,
    profile: str,
    workers: int,
    progress: Callable[[int, int], None] | None,
    inputs: str,
    seconds: dict[str, float],
) -> PublishedTables:
    """The local engine: annotate what the cache lacks, then write each table a batch at a time."""
    clock = time.perf_counter()
    missing = {key for key in keys if not cache.has(key)}
    if missing:
        _annotate_missing(cache, paths, missing, profile, workers, progress)
    seconds["annotate"] = time.perf_counter() - clock
    # Only now, as the workers have forked (`_TABLE_MODULES`).
    from pipeline.tables import PARTITIONED, TableWriter, table_rows
    from pipeline.timeline import REPORT_SCHEMA, reports

    clock = time.perf_counter()
    staging = new_staging(out_dir)
    with _chart_drawer() as drawer, _system_memory():
        with ExitStack() as stack:
            writers = {name: stack.enter_context(TableWriter(name, staging)) for name in PARTITIONED}
            found = stack.enter_context(TableWriter(_REPORTS, staging, csv=False, schema=REPORT_SCHEMA))
            for batch in _cached_batches(cache, keys):
                frames = _frames(table_rows(batch))
                for name, writer in writers.items():
                    writer.write(frames[name])
                found.write(reports(frames["events"], frames["articles"]))
        seconds["tables"] = time.perf_counter() - clock
        clock = time.perf_counter()
        counts = {name: w.rows for name, w in writers.items()}
        counts["timeline"] = _write_timeline(
            staging, [staging / f"{_REPORTS}.parquet"], rejects, csv=True, drawer=drawer
        )
    counts["rejects"] = len(rejects)
    seconds["timeline"] = time.perf_counter() - clock
    manifest = commit(
        staging,
        staged_files(staging),
        counts,
        pipeline_version=pipeline_version(profile),
        profile=profile,
        layout="single",
        inputs=inputs,
        seconds=seconds,
    )
    return PublishedTables(out_dir, manifest)


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


@dataclass(slots=True)
class Partition:
    """What a partition task sends back to the client: counts and file hashes, never rows."""

    index: int
    annotated: int
    rows: dict[str, int]
    files: dict[str, str]


# One file's articles in a partition: the file, and (ordinal among the file's articles, key) of each.
Segment = tuple[str, list[tuple[int, str]]]


def scan_file(index: int, file: str, *, profile: str) -> list[tuple[str, str, str] | Reject]:
    """The Dask task that reads one input file for the client: its records in order, each a Reject
    or an article's (record, id, key); ids are checked across files by the client."""
    return [
        (record, item.article_id, _article_key(item, profile)) if isinstance(item, Article) else item
        for record, item in read_records(Path(file))
    ]


def _segment_articles(segment: Segment, profile: str) -> list[tuple[str, Article]]:
    """A segment's (key, article)s, read from its file."""
    file, wanted = segment
    keys = dict(wanted)
    articles = (item for _, item in read_records(Path(file)) if isinstance(item, Article))
    found = [(_article_key(a, profile), a) for i, a in enumerate(articles) if i in keys]
    if [key for key, _ in found] != [key for _, key in wanted]:
        raise RuntimeError(f"{file} changed while it was read: run again")
    return found


def write_partition(
    index: int, segments: list[Segment], *, profile: str, cache_root: str, staging: str
) -> Partition:
    """The Dask task: read one partition's articles from their files, annotate them (or take them
    from the cache) and write the partition's Parquet parts.

    The client made the table folders in `staging`; a task never creates one, so a task left over
    from an interrupted run cannot bring back a staging folder the next run has removed.
    """
    from pipeline.annotator import annotate_articles
    from pipeline.tables import PARTITIONED, TableWriter, table_rows, write_csv, write_parquet
    from pipeline.timeline import REPORT_SCHEMA, reports

    cache = _Cache(Path(cache_root))
    items = [item for segment in segments for item in _segment_articles(segment, profile)]
    keys = [key for key, _ in items]
    annotated, made = _annotations(
        cache, keys, [a for _, a in items], lambda todo: annotate_articles(todo, profile=profile)
    )
    frames = _frames(table_rows(annotated))
    files = {}
    for name in PARTITIONED:
        relative = f"{name}.parquet/{part_name(index)}"
        write_parquet(name, frames[name], Path(staging) / relative)
        files[relative] = file_sha256(Path(staging) / relative)
    # For the client: the partition's timeline reports, and its rows of the events' CSV copy.
    with TableWriter(
        part_name(index).removesuffix(".parquet"), Path(staging) / _REPORTS, csv=False, schema=REPORT_SCHEMA
    ) as w:
        w.write(reports(frames["events"], frames["articles"]))
    write_csv(frames["events"], Path(staging) / _EVENTS_CSV / f"{index:05d}.csv", header=False)
    return Partition(
        index=index,
        annotated=made,
        rows={name: len(frames[name]) for name in PARTITIONED},
        files=files,
    )


def _join_csv(path: Path, name: str, parts: list[Path]) -> None:
    """Table `name`'s CSV copy from headerless parts, in their order."""
    from pipeline.tables import frame_of, write_csv

    write_csv(frame_of(name, []), path)
    with path.open("ab") as out:
        for part in parts:
            out.write(part.read_bytes())


def _partitions_in_order(
    results: Iterator[Partition], total: int, progress: Callable[[int, int], None] | None
) -> list[Partition]:
    """The partitions as they complete, reported to `progress`, then put back in input order."""
    done, parts = 0, []
    for part in results:
        parts.append(part)
        done += part.annotated
        if progress is not None and part.annotated:
            progress(done, total)
    return sorted(parts, key=lambda p: p.index)


def _files_digest(files: list[Path], profile: str) -> str:
    """What a Dask run reads: its files (names in order and contents), the profile and the pipeline."""
    h = hashlib.sha256(f"partitioned\0{profile}\0{pipeline_version(profile)}".encode())
    for file in files:
        h.update(f"\0{file}\0{file_sha256(file)}".encode())
    return h.hexdigest()


def _check_ids(
    files: list[Path], scans: list[list[tuple[str, str, str] | Reject]]
) -> tuple[list[tuple[int, int, str]], list[Reject]]:
    """The articles kept, as (file index, ordinal among the file's articles, key) in input order, and
    the rejects: `read_inputs`'s, from the files' scans."""
    kept, rejects, seen = [], [], {}
    for f, (file, scan) in enumerate(zip(files, scans, strict=True)):
        ordinal = 0
        for item in scan:
            if isinstance(item, Reject):
                rejects.append(item)
                continue
            record, article_id, key = item
            if article_id in seen:
                rejects.append(duplicate(str(file), record, article_id, seen[article_id]))
            else:
                seen[article_id] = f"{file} record {record}"
                kept.append((f, ordinal, key))
            ordinal += 1
    return kept, rejects


def _segments(files: list[Path], kept: list[tuple[int, int, str]]) -> list[Segment]:
    """Consecutive kept articles grouped by their file."""
    segments: list[Segment] = []
    for f, ordinal, key in kept:
        if not segments or segments[-1][0] != str(files[f]):
            segments.append((str(files[f]), []))
        segments[-1][1].append((ordinal, key))
    return segments


def _extract_partitioned(
    files: list[Path],
    cache: _Cache,
    out_dir: Path,
    profile: str,
    workers: int,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
    inputs: str,
    seconds: dict[str, float],
) -> PublishedTables:
    """The Dask engine: the workers read the files and write the partitions; the client sends them
    file names and article positions, and writes the small tables and the manifest."""
    from pipeline.tables import PARTITIONED

    staging = new_staging(out_dir)
    for name in (*(f"{name}.parquet" for name in PARTITIONED), _REPORTS, _EVENTS_CSV):
        (staging / name).mkdir()
    tasks = {"profile": profile, "cache_root": str(cache.root.resolve()), "staging": str(staging.resolve())}
    if not files:  # one empty partition, written here: no cluster is started for nothing
        kept, rejects = [], []
        parts = [write_partition(0, [], **tasks)]
        seconds["annotate"] = 0.0
    else:
        with dask_client(workers, scheduler) as client:
            clock = time.perf_counter()
            scans = gather_tasks(client, scan_file, [str(f) for f in files], profile=profile)
            kept, rejects = _check_ids(files, scans)
            seconds["read"] += time.perf_counter() - clock
            clock = time.perf_counter()
            # Only an existence check: the workers read the cached annotations themselves.
            total = sum(not cache.has(key) for _, _, key in kept)
            size = chunk_size(len(kept), cluster_size(client, workers))
            partitions = [_segments(files, part) for part in chunks(kept, size)] or [[]]
            parts = _partitions_in_order(
                run_tasks(client, write_partition, partitions, **tasks), total, progress
            )
            seconds["annotate"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # CSV copies only of the small tables: a spreadsheet is no reader for millions of mentions.
    counts = {name: sum(p.rows[name] for p in parts) for name in PARTITIONED}
    counts["timeline"] = _write_timeline(
        staging, sorted((staging / _REPORTS).glob("*.parquet")), rejects, csv=True
    )
    counts["rejects"] = len(rejects)
    _join_csv(staging / "events.csv", "events", sorted((staging / _EVENTS_CSV).iterdir()))
    seconds["timeline"] = time.perf_counter() - clock
    files_written = {**staged_files(staging), **{k: v for p in parts for k, v in p.files.items()}}
    manifest = commit(
        staging,
        files_written,
        counts,
        pipeline_version=pipeline_version(profile),
        profile=profile,
        layout="partitioned",
        inputs=inputs,
        seconds=seconds,
    )
    cache.keep_only({key for _, _, key in kept})
    return PublishedTables(out_dir, manifest)


@contextmanager
def _system_memory() -> Iterator[None]:
    """Arrow's allocations from the system allocator while the tables are written: its default
    (mimalloc) keeps the memory of every batch read and written, and the main process's peak grew
    with the archive (100,000 reports numbered in groups: 150 MiB more with mimalloc, 40 MiB with
    the system's)."""
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def extract(
    paths: Iterable[str | os.PathLike],
    out: str | os.PathLike = "out",
    profile: str = "accurate",
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> PublishedTables:
    """Read every input, annotate new or changed articles, and publish the tables to `out`.

    Holds the lock of `out` throughout (`pipeline.lock.LockBusy` if another run holds it) and
    replaces the tables as one set (`pipeline.outputs`). `progress(done, total)` is called after
    each article that had to be annotated (cache hits are not counted in `total`); with Dask,
    after each partition that had some.
    `engine` is "local" (`workers` processes; one file per table, written a batch of articles at
    a time) or "dask" (the cluster at `scheduler`, or a local cluster of `workers` processes;
    writes the articles, mentions and events as folders of Parquet parts). Either way the result
    loads each table from `out` when first asked for (`.mentions`, ...; `.rows()` are the counts),
    as the loaders (`pipeline.load_mentions`, ...) do.
    When `out` already holds the intact tables of a run that read exactly these articles (same
    contents, profile and pipeline version) and rejects, nothing is written and those are returned.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    out_dir = Path(out)
    paths = list(paths)
    with output_lock(out_dir):
        clock = time.perf_counter()
        cache = _Cache(out_dir / ".cache" / profile)
        if engine == "dask":
            files = input_files(paths)
            inputs = _files_digest(files, profile)
        else:
            keys, rejects = _scan(paths, profile)
            inputs = _inputs_digest(keys, rejects)
        result = _already_published(out_dir, inputs)
        if result is not None:
            return result
        seconds = {"read": time.perf_counter() - clock}
        if engine == "dask":
            with _system_memory():
                return _extract_partitioned(
                    files, cache, out_dir, profile, max(workers, 1), scheduler, progress, inputs, seconds
                )
        result = _extract_single(
            paths, keys, rejects, cache, out_dir, profile, workers, progress, inputs, seconds
        )
        cache.keep_only(set(keys))
    return result
