"""The Dask engine gives the tables of the local engine (a two-worker local cluster, sample corpus)."""

import pandas as pd
import pytest

import pipeline
from pipeline import engines
from pipeline.paths import ROOT

pytest.importorskip("dask.distributed")


def test_dask_tables_equal_local_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "MIN_CHUNK", 4)  # several partitions even on the small corpus
    corpus = [ROOT / "corpus" / "articles"]
    local = pipeline.extract(corpus, out=tmp_path / "local", profile="fast")
    dask = pipeline.extract(corpus, out=tmp_path / "dask", profile="fast", workers=2, engine="dask")
    assert len(local.articles) > 8
    for name in ("articles", "mentions", "events"):
        pd.testing.assert_frame_equal(getattr(local, name), getattr(dask, name))
    pd.testing.assert_frame_equal(
        pipeline.load_mentions(tmp_path / "dask"), pipeline.load_mentions(tmp_path / "local")
    )


def test_chunks_keep_order_and_size():
    assert engines.chunk_size(2000, 2) == 128 and engines.chunk_size(100, 2) == 16
    assert engines.chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
