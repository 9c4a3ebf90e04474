"""End to end on small inputs written here: tables, dtypes, rejects, incremental re-runs."""

import json
from datetime import date

import pandas as pd
import pytest

import pipeline
from pipeline import engines, job
from pipeline.annotator import MAX_PIECE_BYTES, annotate_articles, split_pieces
from pipeline.outputs import read_manifest
from pipeline.types import Article

ARTICLES = [
    {
        "id": "a1",
        "headline": "みなと銀行で不正出金、被害は約３００万円",
        "body": "みなと銀行は9月8日、決済サービス経由で預金が不正に引き出された被害が12件、"
        "約300万円にのぼったと発表した。",
        "published": "2021-09-09",
    },
    {
        "id": "a2",
        "headline": "決済アプリの新規登録を停止",
        "body": "PayPayは2021年3月1日、本人確認の強化のため新規口座登録を一時停止した。",
        "published": "2021-03-02",
    },
]


@pytest.fixture()
def inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES] + ["{not json"]
    (src / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_tables_values_and_dtypes(inputs, tmp_path):
    out = tmp_path / "out"
    tables = pipeline.extract([inputs], out=out, profile="fast")
    assert list(tables.articles.article_id) == ["a1", "a2"]
    assert len(tables.rejects) == 1 and tables.rejects.record.iloc[0] == "3"

    arts = pipeline.load_articles(out)
    assert arts.published.iloc[0] == date(2021, 9, 9)
    assert str(arts.published.dtype) == "date32[day][pyarrow]"

    m = pipeline.load_mentions(out)
    assert m.value_int.dtype == "Int64"
    money = m[(m.article_id == "a1") & (m.type == "MONEY") & (m.field == "headline")].iloc[0]
    assert (money.text, money.value_int, money.qualifier) == ("約３００万円", 3_000_000, "approx")
    date_row = m[(m.article_id == "a1") & (m.type == "DATE")].iloc[0]
    assert date_row.value == "2021-09-08"  # year-less date resolved from the published date

    ev = pipeline.load_events(out)
    assert ev.amount_jpy.dtype == "Int64" and str(ev.date.dtype) == "date32[day][pyarrow]"
    damage = ev[(ev.article_id == "a1") & (ev.event_type == "damage")]
    assert len(damage) == 1
    assert (damage.amount_jpy.iloc[0], damage["count"].iloc[0]) == (3_000_000, 12)
    stop = ev[(ev.article_id == "a2") & (ev.event_type == "suspension")].iloc[0]
    assert (stop.org, stop.target, str(stop.date)) == ("PayPay", "新規口座登録", "2021-03-01")

    csv = (out / "mentions.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM


def test_rerun_costs_nothing_for_unchanged_articles(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = pipeline.extract([inputs], out=out, profile="fast").mentions
    seen = []
    real = job.annotate_local

    def spy(articles, *args):
        articles = list(articles)
        seen.extend(a.article_id for a in articles)
        return real(articles, *args)

    monkeypatch.setattr(job, "annotate_local", spy)
    again = pipeline.extract([inputs], out=out, profile="fast")
    assert seen == []
    pd.testing.assert_frame_equal(first, again.mentions)

    lines = (inputs / "news.jsonl").read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[1])
    changed["body"] += "再開時期は未定。"
    (inputs / "news.jsonl").write_text(
        "\n".join([lines[0], json.dumps(changed, ensure_ascii=False)]) + "\n", "utf-8"
    )
    third = pipeline.extract([inputs], out=out, profile="fast")
    assert seen == ["a2"]
    assert third.rejects.empty


def test_unchanged_inputs_keep_the_published_set(inputs, tmp_path):
    out = tmp_path / "out"
    first = pipeline.extract([inputs], out=out, profile="fast")
    run_id = read_manifest(out)["run_id"]
    again = pipeline.extract([inputs], out=out, profile="fast")
    assert read_manifest(out)["run_id"] == run_id  # nothing rewritten
    for name, df in first.items():
        pd.testing.assert_frame_equal(df, getattr(again, name))

    (out / "events.csv").unlink()  # a damaged set is written again
    pipeline.extract([inputs], out=out, profile="fast")
    assert read_manifest(out)["run_id"] != run_id and (out / "events.csv").exists()
    run_id = read_manifest(out)["run_id"]
    pipeline.extract([inputs], out=out, profile="accurate")  # another profile reads other keys
    assert read_manifest(out)["run_id"] != run_id and read_manifest(out)["profile"] == "accurate"


def test_a_profile_version_reads_only_its_own_trained_weights():
    weights = job.MODELS / "ner" / "model"
    fast, accurate = (set(job.versioned_files(p)) for p in ("fast", "accurate"))
    assert job.MODELS / "gazetteer" / "banks.tsv" in fast & accurate
    assert weights / "tok2vec" / "model" in accurate - fast
    assert not any(path.is_relative_to(weights) for path in fast)


def test_removed_article_leaves_tables_and_cache(inputs, tmp_path):
    out = tmp_path / "out"
    pipeline.extract([inputs], out=out, profile="fast")
    lines = (inputs / "news.jsonl").read_text(encoding="utf-8").splitlines()
    (inputs / "news.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    again = pipeline.extract([inputs], out=out, profile="fast")
    assert set(pipeline.load_mentions(out).article_id) == {"a1"} and list(again.articles.article_id) == ["a1"]
    assert len(list((out / ".cache" / "fast").iterdir())) == 1


def test_interrupted_run_keeps_finished_articles(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real = job.annotate_local

    def dies_after_first(articles, *args):
        yield next(real(articles, *args))  # cached as it was made
        raise KeyboardInterrupt

    monkeypatch.setattr(job, "annotate_local", dies_after_first)
    with pytest.raises(KeyboardInterrupt):
        pipeline.extract([inputs], out=out, profile="fast")
    assert len(list((out / ".cache" / "fast").glob("[!.]*"))) == 1


def test_pool_of_two_workers_gives_the_same_tables(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "MIN_CHUNK", 1)  # two articles, one chunk each
    one = pipeline.extract([inputs], out=tmp_path / "one", profile="fast")
    two = pipeline.extract([inputs], out=tmp_path / "two", profile="fast", workers=2)
    pd.testing.assert_frame_equal(one.mentions, two.mentions)
    pd.testing.assert_frame_equal(one.events, two.events)


def test_split_pieces_cover_the_text_under_the_byte_limit():
    text = "みなと銀行は約300万円の被害を公表した。\n" * 3000
    pieces = split_pieces(text)
    assert "".join(p for _, p in pieces) == text and all(text[o : o + len(p)] == p for o, p in pieces)
    assert max(len(p.encode("utf-8")) for _, p in pieces) <= MAX_PIECE_BYTES < 49_149
    assert all(p.endswith(("。", "\n")) for _, p in pieces)


def test_article_beyond_sudachis_limit_in_the_accurate_profile():
    sentence = "{n}日、みなと銀行は被害が{n}件、約{n}00万円にのぼったと発表した。"
    # 60,000 characters are 180,000 bytes: four times what Sudachi accepts in one piece.
    body = "".join(sentence.format(n=i % 9 + 1) for i in range(60_000 // 30 + 1))[:60_000]
    body = body[: body.rindex("。") + 1]
    article = Article("long", "", "長文の記事", body, published=date(2021, 9, 9))
    done = next(annotate_articles([article], profile="accurate"))
    money = [m for m in done.mentions if m.type == "MONEY"]
    assert len(money) == body.count("万円") and all(body[m.start : m.end] == m.text for m in done.mentions)
    assert money[-1].value_int == int(body[money[-1].start + 1 : money[-1].end - 2]) * 10_000


def test_tables_written_in_batches_equal_one_batch(inputs, tmp_path, monkeypatch):
    whole = pipeline.extract([inputs], out=tmp_path / "whole", profile="fast")
    monkeypatch.setattr(job, "TABLE_BATCH", 1)  # one row group per article
    monkeypatch.setattr(job, "TIMELINE_GROUP", 1)  # the timeline numbered one organization at a time
    batched = pipeline.extract([inputs], out=tmp_path / "batched", profile="fast")
    assert batched.rows() == whole.rows() and batched.rows()["mentions"] > 2
    assert whole.timeline.org.nunique() > 1
    for name, df in whole.items():
        pd.testing.assert_frame_equal(getattr(batched, name), df)
    assert set(read_manifest(tmp_path / "batched")["seconds"]) == {"read", "annotate", "tables", "timeline"}


def test_returned_tables_of_a_replaced_run_are_not_loaded(inputs, tmp_path):
    out = tmp_path / "out"
    fast = pipeline.extract([inputs], out=out, profile="fast")
    pipeline.extract([inputs], out=out, profile="accurate")
    with pytest.raises(RuntimeError, match="replaced by a later run"):
        _ = fast.mentions


def test_pool_takes_a_bounded_number_of_chunks_at_a_time(monkeypatch):
    monkeypatch.setattr(engines, "MIN_CHUNK", 1)
    monkeypatch.setattr(engines, "MAX_CHUNK", 1)  # one article per chunk
    monkeypatch.setattr(engines, "FIRST_CHUNK", 1)
    taken = []

    def articles():
        for i in range(12):
            taken.append(i)
            yield Article(f"p{i}", "", "見出し", f"みなと銀行は{i + 1}件の被害を公表した。")

    results = engines.annotate_local(articles(), "fast", 2, 12)
    first = next(results)
    assert len(taken) == engines.IN_FLIGHT * 2  # not the whole input
    assert sorted([first.article.article_id, *(r.article.article_id for r in results)]) == sorted(
        f"p{i}" for i in range(12)
    )
