"""Publish a run's tables into the output folder as one set, and tell a reader whether a set is complete.

Guarantee, for a run that holds `pipeline.lock.output_lock(OUT)`:

1. every table file (Parquet and CSV) is first written in full into `OUT/.staging-<pid>/`;
2. `OUT/manifest.json` is removed;
3. each staged file is moved over its old copy with `os.replace` (atomic per file); a partitioned
   table is a folder `NAME.parquet/` of parts, moved as a whole after its old copy is moved aside;
   files of the previous set that the new one lacks (the CSV of a table now partitioned) go;
4. `OUT/manifest.json` (run id, time, pipeline version, profile, layout, row counts, file hashes,
   one per part) is written last, itself atomically.

So an interruption at any point (Ctrl-C, SIGTERM, SIGKILL, power loss of the process) before step 2
leaves the previous set untouched, with its manifest; the only window for a mixed set is the few
renames of step 3, and then the manifest is missing, which a reader sees (`verify_outputs`).
A staging folder left by a killed run is removed by the next run, which then completes normally.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas takes half a second to import: a run loads it only once it has tables
    import pandas as pd

    from pipeline.tables import Tables

MANIFEST = "manifest.json"
_STAGING = ".staging-"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def new_staging(out: str | os.PathLike) -> Path:
    """An empty staging folder in `out`, after removing any left by a killed run."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{_STAGING}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = out_dir / f"{_STAGING}{os.getpid()}"
    staging.mkdir()
    return staging


def staged_files(staging: Path) -> dict[str, str]:
    """Hashes of the files at the top of `staging` (partitioned tables report their parts' own)."""
    return {
        p.name: file_sha256(p)
        for p in sorted(staging.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def _top(name: str) -> str:
    return name.split("/", 1)[0]


def _move_in(source: Path, target: Path, aside: Path) -> None:
    """`os.replace` is atomic for a file over a file; a folder (or a file where a folder was)
    needs its old copy moved aside first."""
    if target.is_dir() or (source.is_dir() and target.exists()):
        aside.mkdir(exist_ok=True)
        os.replace(target, aside / target.name)
    os.replace(source, target)


def commit(
    staging: Path,
    files: dict[str, str],
    rows: dict[str, int],
    *,
    pipeline_version: str,
    profile: str,
    layout: str,
    inputs: str | None = None,
    seconds: dict[str, float] | None = None,
) -> dict:
    """Steps 2-4 of the module docstring for a complete `staging` folder; returns the manifest.

    `files` maps each path relative to the output folder (`mentions.parquet/part-00000.parquet`
    in a partitioned layout) to its SHA-256. `inputs` is the digest of what the run read (see
    `pipeline.job`): a later run with the same digest finds its tables already published.
    `seconds` are the run's stage times (read, annotate, tables, timeline), for `make bench`.
    """
    out_dir = staging.parent
    previous = read_manifest(out_dir) or {"files": {}}
    manifest = {
        "run_id": uuid.uuid4().hex,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "pipeline_version": pipeline_version,
        "profile": profile,
        "layout": layout,
        "inputs": inputs,
        "rows": rows,
        "seconds": seconds or {},
        "files": dict(sorted(files.items())),
    }
    (out_dir / MANIFEST).unlink(missing_ok=True)
    published = sorted({_top(name) for name in files})
    for name in published:
        _move_in(staging / name, out_dir / name, staging / ".replaced")
    for name in {_top(old) for old in previous["files"]} - set(published):
        _remove(out_dir / name)
    shutil.rmtree(staging, ignore_errors=True)
    _write_json_atomic(out_dir / MANIFEST, manifest)
    return manifest


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def publish(
    tables: Tables,
    out: str | os.PathLike,
    *,
    pipeline_version: str,
    profile: str,
    inputs: str | None = None,
) -> dict:
    """Write `tables` into `out` as a whole, one file per table (see the module docstring)."""
    from pipeline.tables import write_tables

    staging = new_staging(out)
    write_tables(tables, staging)
    return commit(
        staging,
        staged_files(staging),
        tables.rows(),
        pipeline_version=pipeline_version,
        profile=profile,
        layout="single",
        inputs=inputs,
    )


def read_manifest(out: str | os.PathLike) -> dict | None:
    try:
        return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def verify_outputs(out: str | os.PathLike) -> list[str]:
    """Problems that make `out` not one complete set (empty list: complete and unchanged since written)."""
    out_dir = Path(out)
    manifest = read_manifest(out_dir)
    if manifest is None:
        return [f"{out_dir / MANIFEST} is missing: no run finished, or one was interrupted while publishing"]
    problems = []
    for name, digest in manifest["files"].items():
        path = out_dir / name
        if not path.exists():
            problems.append(f"{path} is missing")
        elif file_sha256(path) != digest:
            problems.append(f"{path} differs from run {manifest['run_id']}")
    # A stray part in a table's folder would be read with the others.
    for folder in sorted({_top(name) for name in manifest["files"] if "/" in name}):
        for path in sorted((out_dir / folder).glob("[!._]*")):
            if f"{folder}/{path.name}" not in manifest["files"]:
                problems.append(f"{path} is not part of run {manifest['run_id']}")
    return problems


class PublishedTables:
    """The tables of one published run in `out`, each loaded from its files when first asked for
    (`.articles`, `.mentions`, ...), so a run over an archive returns without holding them.

    A table is not loaded once a later run has replaced the set: it would be that run's.
    """

    def __init__(self, out: str | os.PathLike, manifest: dict):
        self._out, self._manifest, self._loaded = Path(out), manifest, {}

    def __getattr__(self, name: str) -> pd.DataFrame:
        from pipeline.tables import SCHEMAS, load_table

        if name not in SCHEMAS:
            raise AttributeError(name)
        if name not in self._loaded:
            now = read_manifest(self._out) or {}
            run = self._manifest["run_id"]
            if now.get("run_id") != run:
                raise RuntimeError(f"the tables of run {run} in {self._out} were replaced by a later run")
            self._loaded[name] = load_table(name, self._out)
        return self._loaded[name]

    @property
    def manifest(self) -> dict:
        return self._manifest

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        from pipeline.tables import SCHEMAS

        return [(name, getattr(self, name)) for name in SCHEMAS]

    def rows(self) -> dict[str, int]:
        return dict(self._manifest["rows"])
