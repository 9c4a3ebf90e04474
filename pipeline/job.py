"""The main job: read inputs, annotate what is new or changed, write the tables."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pipeline.annotator import Annotated
from pipeline.engines import annotate_with
from pipeline.lock import output_lock
from pipeline.outputs import publish
from pipeline.paths import MODELS, ROOT
from pipeline.readers import read_inputs
from pipeline.tables import Tables, build_tables
from pipeline.types import Article, Reject

_DEPENDENCIES = ("fugashi", "unidic-lite", "spacy", "ginza", "ja-ginza")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A key that changes when the code, the models or a dependency change."""
    h = hashlib.sha256()
    for path in sorted([*(ROOT / "pipeline").rglob("*.py"), *MODELS.rglob("*")]):
        if path.is_file():
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    for dist in _DEPENDENCIES:
        h.update(f"{dist}={metadata.version(dist)}".encode())
    return h.hexdigest()[:16]


def _article_key(article: Article, profile: str) -> str:
    h = hashlib.sha256()
    for part in (
        pipeline_version(),
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

    def put(self, key: str, value: Annotated) -> None:
        tmp = self.root / f".{key}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.root / key)

    def keep_only(self, keys: set[str]) -> None:
        for path in self.root.iterdir():
            if path.name not in keys:
                path.unlink(missing_ok=True)


def extract(
    paths: Iterable[str | os.PathLike],
    out: str | os.PathLike = "out",
    profile: str = "accurate",
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Tables:
    """Read every input, annotate new or changed articles, and publish the tables to `out`.

    Holds the lock of `out` throughout (`pipeline.lock.LockBusy` if another run holds it) and
    replaces the tables as one set (`pipeline.outputs`). `progress(done, total)` is called after
    each article that had to be annotated (cache hits are not counted in `total`).
    `engine` is "local" (`workers` processes) or "dask" (the cluster at `scheduler`, or a local
    cluster of `workers` processes); both give the same tables.
    """
    out_dir = Path(out)
    with output_lock(out_dir):
        articles: list[Article] = []
        rejects: list[Reject] = []
        for item in read_inputs(paths):
            (articles if isinstance(item, Article) else rejects).append(item)

        cache = _Cache(out_dir / ".cache" / profile)
        keys = [_article_key(a, profile) for a in articles]
        results: dict[str, Annotated] = {}
        todo: list[Article] = []
        for key, article in zip(keys, articles, strict=True):
            hit = cache.get(key)
            if hit is None:
                todo.append(article)
            else:
                results[key] = hit
        todo_keys = {a.article_id: k for k, a in zip(keys, articles, strict=True)}
        for done, annotated in enumerate(annotate_with(engine, todo, profile, workers, scheduler), 1):
            key = todo_keys[annotated.article.article_id]
            cache.put(key, annotated)
            results[key] = annotated
            if progress is not None:
                progress(done, len(todo))
        cache.keep_only(set(keys))

        tables = build_tables((results[k] for k in keys), rejects)
        publish(tables, out_dir, pipeline_version=pipeline_version(), profile=profile)
    return tables
