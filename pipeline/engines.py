"""Where articles are annotated: this process, a local process pool, or a Dask cluster.

The local engine yields `Annotated` results as soon as a chunk is done (in any order), so the
caller can cache each one at once and an interrupted run keeps the work it finished. On a Dask
cluster `pipeline.job` runs its own tasks (a file read, a partition annotated, cached and written)
and brings back only what they return. Each local worker loads the profile's tagger, tables and
model (`pipeline.annotator.preload`) when it starts, and keeps them for every chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from pipeline.profiles import uses_spacy
from pipeline.types import Article

if TYPE_CHECKING:  # the annotator loads every tagger; a run with nothing to annotate never imports it
    from dask.distributed import Client

    from pipeline.annotator import Annotated

ENGINES = ("local", "dask")
# Chunks of a few dozen articles keep spaCy's batches full while every worker stays busy to the end.
MIN_CHUNK, MAX_CHUNK = 16, 128
FIRST_CHUNK = 4
# Chunks handed to the pool per worker at a time: one running, one queued so no worker waits.
IN_FLIGHT = 2
T = TypeVar("T")
R = TypeVar("R")


def chunk_size(n_articles: int, workers: int) -> int:
    """About four chunks per worker, so a slow chunk does not leave the others idle at the end."""
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-n_articles // (4 * max(workers, 1)))))


def chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def shrinking_chunks(items: Iterable[T], total: int, workers: int) -> Iterator[list[T]]:
    """Chunks of `items` (`total` of them) for a pool of `workers`, each taken only when asked for:
    first one of `FIRST_CHUNK` per worker, so that the first results (and the progress line) come as
    soon as each worker's model has loaded; then a quarter of each worker's share of what is left,
    so chunks shrink toward `MIN_CHUNK` at the end and no worker waits long on another's last one."""
    it, left, made = iter(items), total, 0
    while True:
        size = FIRST_CHUNK if made < workers else max(MIN_CHUNK, min(MAX_CHUNK, left // (4 * workers)))
        if not (chunk := list(islice(it, size))):
            return
        left, made = left - len(chunk), made + 1
        yield chunk


def _itself(annotated: Annotated) -> Annotated:
    return annotated


def annotate_chunk(articles: list[Article], profile: str, keep: Callable[[Annotated], R]) -> list[R]:
    from pipeline.annotator import annotate_articles

    return [keep(a) for a in annotate_articles(articles, profile=profile)]


def annotate_local(
    articles: Iterable[Article],
    profile: str,
    workers: int = 1,
    total: int | None = None,
    keep: Callable[[Annotated], R] = _itself,
) -> Iterator[R]:
    """This process when `workers` is 1 (or the input is one chunk), else a pool of `workers` processes.

    `articles` is read only as chunks are handed out (`total` is its length when it is no list),
    and at most `IN_FLIGHT` chunks per worker are out at once: neither the texts nor the results
    of an archive pile up here. Nothing is started when there is nothing to do.
    What comes back of each article is `keep(annotated)` (the annotation itself by default), made
    where it was annotated: a worker can store its result and send back only a key.
    """
    n = len(articles) if total is None else total
    if not n:
        return
    # Imported here, before the pool forks, so that the workers inherit the code already loaded
    # (spaCy too, for a profile that runs it).
    from pipeline.annotator import annotate_articles, preload

    if uses_spacy(profile):
        import pipeline.nlp  # noqa: F401

    if workers <= 1 or n <= chunk_size(n, workers):
        yield from map(keep, annotate_articles(articles, profile=profile))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=preload, initargs=(profile,)) as pool:
        pending = shrinking_chunks(articles, n, workers)
        running: set[Future] = set()
        while True:
            running |= {
                pool.submit(annotate_chunk, part, profile, keep)
                for part in islice(pending, IN_FLIGHT * workers - len(running))
            }
            if not running:
                return
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None) -> Iterator[Client]:
    """A client of the cluster at `scheduler` (an address), or of a local one of `workers` processes."""
    # Importing distributed applies its own logging config (INFO); the level an application set on
    # the "distributed" logger before (the CLI's --quiet) is put back, and the workers get it too.
    chosen = logging.getLogger("distributed").level
    from dask.distributed import Client, LocalCluster

    if chosen:
        logging.getLogger("distributed").setLevel(chosen)
    cluster = (
        None
        if scheduler
        else LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            silence_logs=chosen or logging.WARNING,
            dashboard_address=None,  # nobody looks at it, and it costs start-up time
        )
    )
    client = Client(scheduler or cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def cluster_size(client: Client, default: int) -> int:
    return len(client.scheduler_info().get("workers", {})) or default


def run_tasks(client: Client, task: Callable[..., R], inputs: list[T], **kwargs) -> Iterator[R]:
    """`task(index, input, **kwargs)` for each of `inputs` on the cluster, results as they come."""
    from dask.distributed import as_completed as dask_completed

    futures = client.map(task, range(len(inputs)), inputs, pure=False, **kwargs)
    for future in dask_completed(futures):
        yield future.result()


def gather_tasks(client: Client, task: Callable[..., R], inputs: list[T], **kwargs) -> list[R]:
    """`task(index, input, **kwargs)` for each of `inputs` on the cluster, results in their order."""
    return client.gather(client.map(task, range(len(inputs)), inputs, pure=False, **kwargs))
