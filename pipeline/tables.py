"""The output tables: their columns and dtypes, atomic writes, and loaders for notebooks.

Dates are Arrow date32 columns, figures nullable Int64, types categorical: a table loaded in
pandas, DuckDB or polars has the same types that were written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.types import MENTION_COLUMNS, Event, Mention, Reject

if TYPE_CHECKING:  # the annotator loads every tagger, which reading and writing tables never needs
    from pipeline.annotator import Annotated

_DATE = pd.ArrowDtype(pa.date32())
_LIST = pd.ArrowDtype(pa.list_(pa.string()))

ARTICLE_SCHEMA: dict[str, object] = {
    "article_id": "string",
    "source_path": "string",
    "headline": "string",
    "body": "string",
    "published": _DATE,
    "reference_year": "Int64",
    "n_chars": "Int64",
    "sha256": "string",
    "url": "string",
}

MENTION_SCHEMA: dict[str, object] = {
    "article_id": "string",
    **{
        c: "string"
        for c in MENTION_COLUMNS
        if c not in {"start", "end", "value_int", "min_int", "max_int", "time_point", "relative", "per_unit"}
    },
    "start": "Int64",
    "end": "Int64",
    "value_int": "Int64",
    "min_int": "Int64",
    "max_int": "Int64",
    "time_point": "boolean",
    "relative": "boolean",
    "per_unit": "boolean",
    "type": "category",
}
# Column order of the contract first, extras after.
MENTION_ORDER = (
    *("article_id", "field", "start", "end", "text", "type", "value", "value_int", "min_int", "max_int"),
    *("qualifier", "unit", "counted", "role", "source"),
    *("granularity", "time", "time_point", "relative", "value_end", "per_unit", "title"),
)

EVENT_SCHEMA: dict[str, object] = {
    "article_id": "string",
    "event_type": "category",
    "kind": "string",
    "role": "string",
    "org": "string",
    "org_type": "string",
    "services": _LIST,
    "orgs": _LIST,
    "date": _DATE,
    "as_of": _DATE,
    "since": _DATE,
    "deadline": _DATE,
    "date_granularity": "string",
    "amount_jpy": "Int64",
    "amount_min_jpy": "Int64",
    "amount_max_jpy": "Int64",
    "amount_qualifier": "string",
    "count": "Int64",
    "count_unit": "string",
    "count_qualifier": "string",
    "counted": "string",
    "target": "string",
    "scope": "string",
    "person": "string",
    "to": "string",
    "planned": "boolean",
    "evidence": "string",
    "field": "string",
    "start": "Int64",
    "end": "Int64",
}

# The timeline repeats an event's figures, one row per report, numbered per series (pipeline/timeline.py).
TIMELINE_SCHEMA: dict[str, object] = {
    **{
        c: EVENT_SCHEMA[c]
        for c in (
            *("org", "org_type", "event_type", "date", "as_of"),
            *("amount_jpy", "amount_min_jpy", "amount_max_jpy", "amount_qualifier", "count", "count_unit"),
            *("role", "article_id", "evidence"),
        )
    },
    "date_source": "string",  # event | published | none
    "step": "Int64",
}

REJECT_SCHEMA: dict[str, object] = {"source_path": "string", "record": "string", "reason": "string"}

SCHEMAS = {
    "articles": ARTICLE_SCHEMA,
    "mentions": MENTION_SCHEMA,
    "events": EVENT_SCHEMA,
    "timeline": TIMELINE_SCHEMA,
    "rejects": REJECT_SCHEMA,
}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _frame(
    rows: list[dict] | Columns, schema: dict[str, object], order: Iterable[str] | None = None
) -> pd.DataFrame:
    columns = list(order) if order else list(schema)
    df = pd.DataFrame(rows, columns=columns)
    return coerce(df, schema)


def as_day(value: object) -> date | None:
    """A date from a date, a `YYYY-MM-DD` string, or a `YYYY-MM` month (its first day); else None.

    Parsed one by one: pandas infers one format per column, and a month first would null the days.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value if len(value) != 7 else f"{value}-01")
        except ValueError:
            return None
    return None


def granularity_of(iso: str | None) -> str | None:
    return None if not iso else {4: "year", 7: "month"}.get(len(iso), "day")


def coerce(df: pd.DataFrame, schema: dict[str, object]) -> pd.DataFrame:
    """Give every known column its dtype (dates from ISO strings or date objects).

    Categories are sorted: a table read from several Parquet parts lists them in order of first
    appearance, and must equal the same table written as one file.
    """
    out = df.copy()
    for col, dtype in schema.items():
        if col not in out.columns:
            continue
        if dtype is _DATE:
            out[col] = pd.array([as_day(v) for v in out[col]], dtype=_DATE)
        elif dtype is _LIST:
            out[col] = pd.array([list(v) if v is not None else [] for v in out[col]], dtype=_LIST)
        elif dtype == "category":
            values = out[col].astype("category")
            out[col] = values.cat.reorder_categories(sorted(values.cat.categories))
        else:
            out[col] = out[col].astype(dtype)
    return out


_ARROW_TYPES = {
    "string": pa.large_string(),
    "Int64": pa.int64(),
    "boolean": pa.bool_(),
    # A fixed index width: every part of a table needs the same schema, whatever categories it holds.
    "category": pa.dictionary(pa.int32(), pa.string()),
}


def arrow_schema(name: str) -> pa.Schema:
    """The Parquet schema of table `name`, fixed so that parts of one table always agree, even empty ones."""
    return arrow_schema_of(SCHEMAS[name], MENTION_ORDER if name == "mentions" else None)


def arrow_schema_of(schema: dict[str, object], order: Iterable[str] | None = None) -> pa.Schema:
    types = {
        col: dtype.pyarrow_dtype if isinstance(dtype, pd.ArrowDtype) else _ARROW_TYPES[dtype]
        for col, dtype in schema.items()
    }
    return pa.schema([(col, types[col]) for col in order or schema])


@dataclass(slots=True)
class Tables:
    articles: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    timeline: pd.DataFrame
    rejects: pd.DataFrame

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(name, getattr(self, name)) for name in SCHEMAS]

    def rows(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.items()}


# Tables with rows per article: written in batches, and split over Parquet parts by a partitioned run.
PARTITIONED = ("articles", "mentions", "events")


# A table's columns by name, each a list of its values in row order.
Columns = dict[str, list]


@dataclass(slots=True)
class Rows:
    """The columns of the partitioned tables for some annotated articles, in their order."""

    articles: Columns
    mentions: Columns
    events: Columns


@cache
def _fields(cls: type) -> tuple[tuple[str, ...], attrgetter]:
    return cls.__slots__, attrgetter(*cls.__slots__)


def _columns(records: list[Mention] | list[Event]) -> Columns:
    """The fields of records of one type as columns: a table is built faster from its columns than
    from a dict per row, and `asdict` would deep-copy every value besides."""
    if not records:
        return {}
    names, values = _fields(type(records[0]))
    return dict(zip(names, map(list, zip(*map(values, records), strict=True)), strict=True))


def table_rows(results: Iterable[Annotated]) -> Rows:
    results = list(results)
    articles = [r.article for r in results]
    mentions = [m for r in results for m in r.mentions]
    events = [e for r in results for e in r.events]
    return Rows(
        articles={
            "article_id": [a.article_id for a in articles],
            "source_path": [a.source_path for a in articles],
            "headline": [a.headline for a in articles],
            "body": [a.body for a in articles],
            "published": [a.published for a in articles],
            "reference_year": [r.reference_year for r in results],
            "n_chars": [len(a.headline) + len(a.body) for a in articles],
            "sha256": [sha256(f"{a.headline}\n{a.body}") for a in articles],
            "url": [a.url for a in articles],
        },
        mentions={
            **_columns(mentions),
            "article_id": [r.article.article_id for r in results for _ in r.mentions],
        },
        events={**_columns(events), "date_granularity": [granularity_of(e.date) for e in events]},
    )


def frame_of(name: str, rows: list[dict] | Columns) -> pd.DataFrame:
    """Table `name` from its rows (or its `Columns`), with the columns and dtypes of its schema."""
    return _frame(rows, SCHEMAS[name], MENTION_ORDER if name == "mentions" else None)


def reject_table(rejects: Iterable[Reject]) -> pd.DataFrame:
    return frame_of("rejects", [asdict(r) for r in rejects])


def build_tables(results: Iterable[Annotated], rejects: Iterable[Reject]) -> Tables:
    from pipeline.timeline import build_timeline  # the timeline module imports this one

    rows = table_rows(results)
    frames = {name: frame_of(name, getattr(rows, name)) for name in PARTITIONED}
    return Tables(
        **frames,
        timeline=build_timeline(frames["events"], frames["articles"]),
        rejects=reject_table(rejects),
    )


def _atomic(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _plain_lists(df: pd.DataFrame) -> pd.DataFrame:
    """List columns as object columns of arrays, as pandas holds lists by itself.

    The file's pandas metadata records each column's dtype for `pd.read_parquet` to rebuild, and
    an Arrow list dtype is recorded as a string (`list<item: string>[pyarrow]`) that no pandas
    version parses back: reading the file would fail. An object column is recorded as `object`.
    """
    lists = [col for col, dtype in df.dtypes.items() if dtype == _LIST]
    return df.astype(dict.fromkeys(lists, object)) if lists else df


def write_parquet(name: str, df: pd.DataFrame, path: Path) -> None:
    """Table `name` as one Parquet file (a whole table or one part of it), replaced atomically."""
    table = pa.Table.from_pandas(_plain_lists(df), schema=arrow_schema(name), preserve_index=False)
    _atomic(path, lambda tmp: pq.write_table(table, tmp))


def write_csv(df: pd.DataFrame, path: Path, header: bool = True) -> None:
    """Excel-friendly CSV (UTF-8 with BOM), replaced atomically; without `header`, neither the BOM
    nor the header line: rows to append to another copy."""
    encoding = "utf-8-sig" if header else "utf-8"
    _atomic(path, lambda tmp: _csv_frame(df).to_csv(tmp, index=False, header=header, encoding=encoding))


class TableWriter:
    """Table `name` in `out` written a batch at a time: one Parquet row group per batch, and its CSV
    copy appended alongside, so no process holds the whole table. Both files appear (atomically)
    on `close`; an exception inside `with` leaves neither. `schema` (dtypes by column) is for a
    table that is not one of `SCHEMAS`.
    """

    def __init__(self, name: str, out: Path, csv: bool = True, schema: dict[str, object] | None = None):
        self.name, self.rows = name, 0
        self._schema = schema
        self._arrow = arrow_schema(name) if schema is None else arrow_schema_of(schema)
        self._paths = [out / f"{name}.parquet", *([out / f"{name}.csv"] if csv else [])]
        self._tmp = [p.with_name(f".{p.name}.{os.getpid()}.tmp") for p in self._paths]
        self._parquet: pq.ParquetWriter | None = None

    def write(self, df: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(_plain_lists(df), schema=self._arrow, preserve_index=False)
        if self._parquet is None:  # the first batch's pandas metadata stands for the file
            self._parquet = pq.ParquetWriter(self._tmp[0], table.schema)
        self._parquet.write_table(table)
        if len(self._tmp) > 1:
            first = self.rows == 0 and not self._tmp[1].exists()
            _csv_frame(df).to_csv(
                self._tmp[1],
                index=False,
                header=first,
                mode="w" if first else "a",
                encoding="utf-8-sig" if first else "utf-8",
            )
        self.rows += len(df)

    def close(self) -> None:
        if self._parquet is None:  # an empty table still has its columns and types
            self.write(frame_of(self.name, []) if self._schema is None else _frame([], self._schema))
        self._parquet.close()
        for tmp, path in zip(self._tmp, self._paths, strict=True):
            os.replace(tmp, path)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind, *_) -> None:
        if kind is None:
            self.close()
            return
        if self._parquet is not None:
            self._parquet.close()
        for tmp in self._tmp:
            tmp.unlink(missing_ok=True)


def write_chart(timeline: pd.DataFrame, out: Path) -> None:
    from pipeline.chart import timeline_png

    png = timeline_png(timeline)
    _atomic(out / "timeline.png", lambda tmp: Path(tmp).write_bytes(png))


def write_tables(tables: Tables, out: Path) -> None:
    """Parquet plus Excel-friendly CSV, and the damage chart `timeline.png`; each file replaced atomically."""
    out.mkdir(parents=True, exist_ok=True)
    write_chart(tables.timeline, out)
    for name, df in tables.items():
        write_parquet(name, df, out / f"{name}.parquet")
        write_csv(df, out / f"{name}.csv")


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as `a|b` so a spreadsheet shows them in one cell."""
    out = df.copy()
    for col, dtype in out.dtypes.items():
        if dtype == _LIST:
            out[col] = ["|".join(v) for v in out[col]]
    return out


def load_table(name: str, out: str | os.PathLike, columns: list[str] | None = None) -> pd.DataFrame:
    """Table `name` of `out` (only `columns` when given), the same from one `NAME.parquet` file or a
    folder of its parts.

    Arrow reads a folder's parts in the order of their names, which is the order of the articles.
    """
    # pandas cannot rebuild Arrow list dtypes from its own parquet metadata; the schema can.
    df = pq.read_table(Path(out) / f"{name}.parquet", columns=columns).to_pandas(ignore_metadata=True)
    return coerce(df, SCHEMAS[name])


def load_articles(out: str | os.PathLike = "out") -> pd.DataFrame:
    return load_table("articles", out)


def load_mentions(out: str | os.PathLike = "out") -> pd.DataFrame:
    return load_table("mentions", out)


def load_events(out: str | os.PathLike = "out") -> pd.DataFrame:
    return load_table("events", out)


def load_timeline(out: str | os.PathLike = "out") -> pd.DataFrame:
    return load_table("timeline", out)


def load_rejects(out: str | os.PathLike = "out") -> pd.DataFrame:
    return load_table("rejects", out)
