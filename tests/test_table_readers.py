"""Every table opens in the tools an analyst reaches for, with no help from this package.

For each table, in both layouts (one file per table, and the Dask engine's folders of parts),
plain `pd.read_parquet`, `pyarrow.parquet.read_table`, DuckDB's `read_parquet` and polars each
give the documented column types (README, Outputs) and the values `pipeline.load_*` give.

CI runs this module a second time in an environment with the lowest pandas and pyarrow that
pyproject allows; there JNEWS_TABLES_FROM names a folder with `single/` and `partitioned/`
outputs written by the newest versions, which are read too.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.paths import ROOT
from pipeline.tables import SCHEMAS, arrow_schema, load_table

LAYOUTS = ["single", "partitioned"]
FOREIGN = os.environ.get("JNEWS_TABLES_FROM")
if FOREIGN:
    LAYOUTS += [f"{layout}-from-other-env" for layout in LAYOUTS]


def _kind(t: pa.DataType) -> str:
    """The documented type of a column, from its Arrow type."""
    if pa.types.is_dictionary(t):
        return "category"
    if pa.types.is_list(t):
        return "list"
    if pa.types.is_date32(t):
        return "date"
    if pa.types.is_int64(t):
        return "int"
    if pa.types.is_boolean(t):
        return "bool"
    assert pa.types.is_large_string(t), t
    return "string"


def kinds(name: str) -> dict[str, str]:
    return {f.name: _kind(f.type) for f in arrow_schema(name)}


def write_outputs(root: Path) -> dict[str, Path]:
    """The bundled corpus plus one broken record (so `rejects` has a row), extracted in both layouts.

    Also run as a script (`python tests/test_table_readers.py DIR`): CI writes with the newest
    versions what the lowest then read.
    """
    corpus = root / "articles"
    shutil.copytree(ROOT / "corpus" / "articles", corpus)
    (corpus / "broken.jsonl").write_text('{"id": "x1", "headline": \n', encoding="utf-8")
    pipeline.extract([corpus], out=root / "single", profile="fast")
    pipeline.extract([corpus], out=root / "partitioned", profile="fast", engine="dask", workers=2)
    return {layout: root / layout for layout in ("single", "partitioned")}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    found = write_outputs(tmp_path_factory.mktemp("readers"))
    if FOREIGN:
        found |= {f"{layout}-from-other-env": Path(FOREIGN) / layout for layout in ("single", "partitioned")}
    return found


def _py(value: object) -> object:
    """A cell as a plain Python value: None for every kind of null, lists for arrays."""
    if isinstance(value, (list, np.ndarray)):
        return [_py(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _rows(df: pd.DataFrame) -> list[tuple]:
    return [tuple(_py(v) for v in row) for row in df.itertuples(index=False)]


@pytest.fixture(scope="module")
def expected(outputs) -> dict[tuple[str, str], tuple[list[str], list[tuple]]]:
    """Columns and rows as `pipeline.load_*` give them, per (layout, table)."""
    found = {}
    for layout, out in outputs.items():
        for name in SCHEMAS:
            df = load_table(name, out)
            found[layout, name] = (list(df.columns), _rows(df))
    return found


def test_the_fixture_exercises_every_kind(outputs, expected):
    """Nulls, dates, several list items and empty lists, rejects and several parts are all there."""
    for layout in outputs:
        columns, events = expected[layout, "events"]
        services = [row[columns.index("services")] for row in events]
        assert [] in services and any(len(s) >= 2 for s in services)
        assert any(isinstance(row[columns.index("date")], dt.date) for row in events)
        assert any(row[columns.index("amount_jpy")] is None for row in events)
        assert len(expected[layout, "rejects"][1]) == 1
        assert all(len(expected[layout, name][1]) > 0 for name in SCHEMAS)
    assert len(list((outputs["partitioned"] / "mentions.parquet").iterdir())) > 1


def _path(outputs, layout: str, name: str) -> str:
    return str(outputs[layout] / f"{name}.parquet")


def _check(columns: list[str], rows: list[tuple], expected_pair) -> None:
    want_columns, want_rows = expected_pair
    assert columns == want_columns
    assert rows == want_rows


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(SCHEMAS))
def test_pandas_read_parquet(outputs, expected, layout, name):
    df = pd.read_parquet(_path(outputs, layout, name))
    want = {
        "string": lambda d: isinstance(d, pd.StringDtype),
        "int": lambda d: d == "Int64",
        "bool": lambda d: d == "boolean",
        "date": lambda d: d == pd.ArrowDtype(pa.date32()),
        "list": lambda d: d == np.dtype(object),
        "category": lambda d: isinstance(d, pd.CategoricalDtype),
    }
    for col, kind in kinds(name).items():
        assert want[kind](df[col].dtype), (col, kind, df[col].dtype)
    for col in (c for c, k in kinds(name).items() if k == "list"):
        assert all(isinstance(v, np.ndarray) and v.dtype == object for v in df[col])
    _check(list(df.columns), _rows(df), expected[layout, name])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(SCHEMAS))
def test_pyarrow_read_table(outputs, expected, layout, name):
    table = pq.read_table(_path(outputs, layout, name))
    assert table.schema.remove_metadata() == arrow_schema(name)
    rows = [tuple(r.values()) for r in table.to_pylist()]
    _check(table.column_names, rows, expected[layout, name])


_DUCKDB = {"string": "VARCHAR", "int": "BIGINT", "bool": "BOOLEAN", "date": "DATE", "list": "VARCHAR[]"}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(SCHEMAS))
def test_duckdb_read_parquet(outputs, expected, layout, name):
    rel = duckdb.sql(f"select * from read_parquet('{_path(outputs, layout, name)}')")
    types = {col: str(t) for col, t in zip(rel.columns, rel.types, strict=True)}
    assert types == {col: _DUCKDB.get(kind, "VARCHAR") for col, kind in kinds(name).items()}
    _check(rel.columns, rel.fetchall(), expected[layout, name])


_POLARS = {
    "string": pl.String,
    "int": pl.Int64,
    "bool": pl.Boolean,
    "date": pl.Date,
    "list": pl.List(pl.String),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(SCHEMAS))
def test_polars_read_parquet(outputs, expected, layout, name):
    df = pl.read_parquet(_path(outputs, layout, name))
    for col, kind in kinds(name).items():
        dtype = df.schema[col]
        assert dtype == _POLARS[kind] if kind in _POLARS else isinstance(dtype, pl.Categorical), (col, dtype)
    _check(df.columns, df.rows(), expected[layout, name])


_FROM_CSV = {
    "int": int,
    "bool": {"True": True, "False": False}.__getitem__,
    "date": dt.date.fromisoformat,
    "list": lambda cell: cell.split("|"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(SCHEMAS))
def test_csv_copy_is_excel_utf8_and_reads_back_to_the_same_values(outputs, expected, layout, name):
    path = outputs[layout] / f"{name}.csv"
    if layout.startswith("partitioned") and name in ("articles", "mentions"):
        assert not path.exists()  # a spreadsheet is no reader for the large tables
        return
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM by which Excel knows UTF-8
    # The README's recipe: only an empty cell is missing (keeps a text such as "NA" as it is).
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    convert = {col: _FROM_CSV.get(kind, str) for col, kind in kinds(name).items()}
    empty = {col: [] if kind == "list" else None for col, kind in kinds(name).items()}
    rows = [
        tuple(empty[col] if pd.isna(v) else convert[col](v) for col, v in zip(df.columns, row, strict=True))
        for row in df.itertuples(index=False)
    ]
    _check(list(df.columns), rows, expected[layout, name])


if __name__ == "__main__":
    write_outputs(Path(sys.argv[1]))
