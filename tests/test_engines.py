"""The Dask engine writes partitioned Parquet that loads as the local engine's tables
(a two-worker local cluster, sample corpus), and re-runs incrementally."""

import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import pipeline
from pipeline import engines, job, readers
from pipeline.outputs import read_manifest, verify_outputs
from pipeline.paths import ROOT
from pipeline.tables import MENTION_ORDER, PARTITIONED, SCHEMAS, load_table

pytest.importorskip("dask.distributed")


def _loaded(out):
    return {name: load_table(name, out) for name in SCHEMAS}


def test_dask_parts_load_as_the_local_tables_and_rerun_incrementally(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "MIN_CHUNK", 4)  # several partitions even on the small corpus
    corpus = tmp_path / "articles"
    shutil.copytree(ROOT / "corpus" / "articles", corpus)
    local, dask = tmp_path / "local", tmp_path / "dask"
    pipeline.extract([corpus], out=local, profile="fast")
    calls = []
    run = pipeline.extract(
        [corpus], out=dask, profile="fast", workers=2, engine="dask", progress=lambda *c: calls.append(c)
    )
    expected = _loaded(local)
    n = len(expected["articles"])
    assert n > 8 and calls[-1] == (n, n)
    for name, df in _loaded(dask).items():
        pd.testing.assert_frame_equal(df, expected[name])
    pd.testing.assert_frame_equal(run.events, expected["events"])
    assert run.rows() == read_manifest(local)["rows"]

    manifest = read_manifest(dask)
    assert manifest["layout"] == "partitioned" and verify_outputs(dask) == []
    for name in PARTITIONED:
        parts = sorted(p.name for p in (dask / f"{name}.parquet").iterdir())
        assert len(parts) > 2 and parts == [f"part-{i:05d}.parquet" for i in range(len(parts))]
        assert all(f"{name}.parquet/{p}" in manifest["files"] for p in parts)
    # CSV copies only of the small tables, the events' put together from the partitions' rows.
    assert not (dask / "mentions.csv").exists()
    assert (dask / "events.csv").read_bytes() == (local / "events.csv").read_bytes()
    assert (dask / "timeline.csv").read_bytes() == (local / "timeline.csv").read_bytes()

    # Unchanged articles are not annotated again; a removed input file's articles are gone.
    gone = corpus / "wire_2023_2025.csv"
    gone.unlink()
    calls.clear()
    pipeline.extract(
        [corpus], out=dask, profile="fast", workers=2, engine="dask", progress=lambda *c: calls.append(c)
    )
    pipeline.extract([corpus], out=local, profile="fast")
    assert calls == []
    again = _loaded(dask)
    assert not again["articles"]["source_path"].str.endswith(gone.name).any()
    for name, df in _loaded(local).items():
        pd.testing.assert_frame_equal(again[name], df)
    assert len(list((dask / ".cache" / "fast").iterdir())) == len(again["articles"])


def test_empty_input_starts_no_cluster_and_loads_empty_tables(tmp_path):
    (tmp_path / "in").mkdir()
    run = pipeline.extract([tmp_path / "in"], out=tmp_path / "out", profile="fast", engine="dask")
    assert run.rows() == dict.fromkeys(SCHEMAS, 0)
    mentions = load_table("mentions", tmp_path / "out")
    assert mentions.empty and list(mentions.columns) == list(MENTION_ORDER)
    assert (tmp_path / "out" / "mentions.parquet" / "part-00000.parquet").is_file()


def test_chunks_shrink_toward_the_end_of_the_input():
    sizes = [len(c) for c in engines.shrinking_chunks(range(1000), 1000, 2)]
    assert sum(sizes) == 1000 and sizes[:4] == [4, 4, 124, 108] and sizes[-3:] == [16, 16, 8]
    assert sizes == sorted(sizes[:2]) + sorted(sizes[2:], reverse=True)  # first the small, then shrinking
    assert [len(c) for c in engines.shrinking_chunks(range(20), 20, 2)] == [4, 4, 12]
    assert list(engines.shrinking_chunks([], 0, 2)) == []


def test_chunks_keep_order_and_size():
    assert engines.chunk_size(2000, 2) == 128 and engines.chunk_size(100, 2) == 16
    assert engines.chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert re.fullmatch(r"part-\d{5}\.parquet", pipeline.job.part_name(7))


def test_quiet_dask_run_prints_only_its_summary(tmp_path):
    corpus = ROOT / "corpus" / "articles" / "wire_2020_2021.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "extract",
        str(corpus),
        "--out",
        str(tmp_path / "out"),
        "--profile",
        "fast",
        "--engine",
        "dask",
        "--workers",
        "2",
        "--quiet",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert done.stderr == ""
    assert done.stdout.startswith("10 articles, ") and done.stdout.count("\n") == 1


def test_dask_workers_read_the_files_and_a_rerun_starts_no_cluster(tmp_path, monkeypatch):
    """The client lists files and sends positions, never texts: here it cannot parse a record at all."""
    src = tmp_path / "in"
    src.mkdir()
    first = {"id": "d1", "headline": "みなと銀行で不正出金", "body": "被害は約300万円にのぼった。"}
    again = {"id": "d1", "headline": "別の記事", "body": "同じ番号の記事。"}  # a duplicate id across files
    other = {"id": "d2", "headline": "決済アプリの登録停止", "body": "PayPayは3月1日、新規登録を停止した。"}
    (src / "a.jsonl").write_text(json.dumps(first, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    (src / "b.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (again, other)), "utf-8"
    )
    pipeline.extract([src], out=tmp_path / "local", profile="fast")

    def no_parsing(*_):
        raise AssertionError("the client parsed an input file")

    monkeypatch.setattr(readers, "_read_file", no_parsing)
    run = pipeline.extract([src], out=tmp_path / "dask", profile="fast", engine="dask", workers=2)
    for name, df in _loaded(tmp_path / "local").items():
        pd.testing.assert_frame_equal(_loaded(tmp_path / "dask")[name], df)
    assert list(run.rejects.reason.str.slice(0, 22)) == ["malformed JSON: Expect", "duplicate article id '"]

    def no_cluster(*_):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(job, "dask_client", no_cluster)
    again_run = pipeline.extract([src], out=tmp_path / "dask", profile="fast", engine="dask", workers=2)
    assert again_run.manifest["run_id"] == run.manifest["run_id"]
