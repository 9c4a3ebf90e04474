"""Publish a run's tables into the output folder as one set, and tell a reader whether a set is complete.

Guarantee, for a run that holds `pipeline.lock.output_lock(OUT)`:

1. every table file (Parquet and CSV) is first written in full into `OUT/.staging-<pid>/`;
2. `OUT/manifest.json` is removed;
3. each staged file is moved over its old copy with `os.replace` (atomic per file);
4. `OUT/manifest.json` (run id, time, pipeline version, profile, row counts, file hashes) is written
   last, itself atomically.

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

from pipeline.tables import Tables, write_tables

MANIFEST = "manifest.json"
_STAGING = ".staging-"


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def publish(tables: Tables, out: str | os.PathLike, *, pipeline_version: str, profile: str) -> dict:
    """Write `tables` into `out` as a whole (see the module docstring) and return the manifest."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{_STAGING}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = out_dir / f"{_STAGING}{os.getpid()}"
    write_tables(tables, staging)
    files = {p.name: _file_sha256(p) for p in sorted(staging.iterdir()) if not p.name.startswith(".")}
    manifest = {
        "run_id": uuid.uuid4().hex,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "pipeline_version": pipeline_version,
        "profile": profile,
        "rows": {name: len(df) for name, df in tables.items()},
        "files": files,
    }
    (out_dir / MANIFEST).unlink(missing_ok=True)
    for name in files:
        os.replace(staging / name, out_dir / name)
    shutil.rmtree(staging, ignore_errors=True)
    _write_json_atomic(out_dir / MANIFEST, manifest)
    return manifest


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
        elif _file_sha256(path) != digest:
            problems.append(f"{path} differs from run {manifest['run_id']}")
    return problems
