"""Where articles are annotated: this process, a local process pool, or a Dask cluster.

Every engine yields `Annotated` results as soon as a chunk is done (in any order), so the caller
can cache each one at once and an interrupted run keeps the work it finished. Each pool worker
loads the spaCy pipeline once (`build_nlp` is cached per process) and keeps it for every chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from pipeline.annotator import Annotated, annotate_articles
from pipeline.types import Article

ENGINES = ("local", "dask")
# Chunks of a few dozen articles keep spaCy's batches full while every worker stays busy to the end.
MIN_CHUNK, MAX_CHUNK = 16, 128


def chunk_size(n_articles: int, workers: int) -> int:
    """About four chunks per worker, so a slow chunk does not leave the others idle at the end."""
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-n_articles // (4 * max(workers, 1)))))


def chunks(articles: list[Article], size: int) -> list[list[Article]]:
    return [articles[i : i + size] for i in range(0, len(articles), size)]


def annotate_chunk(articles: list[Article], profile: str) -> list[Annotated]:
    return list(annotate_articles(articles, profile=profile))


def annotate_local(articles: list[Article], profile: str, workers: int = 1) -> Iterator[Annotated]:
    """This process when `workers` is 1 (or the input is one chunk), else a pool of `workers` processes."""
    size = chunk_size(len(articles), workers)
    if workers <= 1 or len(articles) <= size:
        yield from annotate_articles(articles, profile=profile)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(annotate_chunk, part, profile) for part in chunks(articles, size)]
        for future in as_completed(futures):
            yield from future.result()


def annotate_dask(
    articles: list[Article], profile: str, workers: int = 2, scheduler: str | None = None
) -> Iterator[Annotated]:
    """Partitions of the corpus annotated on a Dask cluster: `scheduler` (an address) or a local one."""
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
    client = Client(scheduler or cluster)
    try:
        n_workers = len(client.scheduler_info().get("workers", {})) or workers
        parts = chunks(articles, chunk_size(len(articles), n_workers))
        futures = client.map(annotate_chunk, parts, profile=profile, pure=False)
        for future in dask_completed(futures):
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def annotate_with(
    engine: str, articles: list[Article], profile: str, workers: int = 1, scheduler: str | None = None
) -> Iterator[Annotated]:
    """Annotated articles from the chosen engine; nothing is started when there is nothing to do."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if not articles:
        return iter(())
    if engine == "dask":
        return annotate_dask(articles, profile, max(workers, 1), scheduler)
    return annotate_local(articles, profile, workers)
