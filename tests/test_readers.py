from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import readers
from pipeline.readers import DecodeError, InputError, clean_text, decode_bytes, parse_published, read_inputs
from pipeline.types import Article, Reject

DATA = Path(__file__).resolve().parent / "data" / "inputs"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_ca0cd79583425037.txt"
GOLD = SHARED / "gold" / "seed_gold.jsonl"

# Counted by hand from make_bad_inputs.py: (articles, rejects) per file; every record is one of them.
EXPECTED = {
    "bad_header.csv": (0, 1),
    "binary.txt": (0, 1),
    "bom.csv": (1, 1),
    "crlf.txt": (3, 1),
    "empty.txt": (0, 1),
    "eucjp.tsv": (2, 0),
    "html.jsonl": (1, 0),
    "jis.txt": (1, 0),
    "list.json": (2, 1),
    "mixed.jsonl": (4, 5),
    "mojibake_latin1.txt": (0, 1),
    "mojibake_sjis.txt": (0, 1),
    "not_list.json": (0, 1),
    "notes.md": (0, 1),
    "plain.txt": (1, 0),
    "sjis.csv": (2, 2),
    "sub/late/dup.jsonl": (1, 1),
    "undecodable.csv": (0, 1),
    "utf16_bom.txt": (3, 0),
    "utf16le_nobom.jsonl": (2, 0),
}


def _rel(path: str) -> str:
    return Path(path).relative_to(DATA).as_posix()


@pytest.fixture(scope="module")
def items() -> list[Article | Reject]:
    return list(read_inputs([DATA]))


@pytest.fixture(scope="module")
def by_id(items: list[Article | Reject]) -> dict[str, Article]:
    return {a.article_id: a for a in items if isinstance(a, Article)}


@pytest.fixture(scope="module")
def rejects(items: list[Article | Reject]) -> dict[tuple[str, str], str]:
    return {(_rel(r.source_path), r.record): r.reason for r in items if isinstance(r, Reject)}


# --- clean_text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("一行目\r\n二行目\r三行目", "一行目\n二行目\n三行目"),
        ("見出し\tタブ", "見出し タブ"),
        ("ゼロ\u200b幅\u200d文字\ufeff\u2060", "ゼロ幅文字"),
        ("制御\x07文字\x1b\x7f\x85残す", "制御文字\n残す"),
        (
            "<p>第一段落。</p><p>第二段落&nbsp;です。<br/>改行&#12354;</p>",
            "第一段落。\n第二段落 です。\n改行あ",
        ),
        ("<b>速報</b>：銀行&amp;証券 &lt;p&gt;", "速報：銀行&証券 <p>"),
        ("<a href='https://example.com'>リンク</a><!-- 注 -->", "リンク"),
        ("1<2 かつ 3>2、AT&T と R&D", "1<2 かつ 3>2、AT&T と R&D"),
        ("『<独自>アオバ銀、店舗半減へ』。<NHK>", "『<独自>アオバ銀、店舗半減へ』。<NHK>"),
        ("<DIV class='x'>本文</DIV><Span>注</Span>", "本文注"),
        ("  全角\u3000スペースは残す\u3000 \n", "全角\u3000スペースは残す"),
        ("&#13;前後&#8203;", "前後"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@given(st.text())
def test_clean_text_never_raises_and_leaves_no_invisible_characters(s: str) -> None:
    out = clean_text(s)
    assert out == out.strip() and not set(out) & set("\r\t\x00\x1b\x7f\u200b\u200c\u200d\u2060\ufeff")


# --- encodings ---------------------------------------------------------------------------------

JAPANESE = "ゆうちょ銀行の口座から①約6000万円が引き出された。\n二行目\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp932", "euc_jp", "iso2022_jp", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_decode_bytes_detects_japanese_encodings(encoding: str) -> None:
    text = JAPANESE.replace("①", "") if encoding in ("euc_jp", "iso2022_jp") else JAPANESE
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (bytes(range(1, 32)) * 4, "binary file"),
        ("口座の不正利用が拡大した問題".encode().decode("latin-1").encode(), "mojibake"),
        ("口座の不正利用が拡大した問題".encode().decode("cp932", errors="replace").encode(), "mojibake"),
        ("銀行".encode("utf-16") + b"\x00\xd8", "undecodable as utf-16"),
    ],
)
def test_decode_bytes_refuses_to_guess(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("カフェ(café)と Pokémon の記事", "utf-8"),
        ("本文─────区切り線の下", "utf-8"),
        ("ｶﾀｶﾅで書いた記事です。", "cp932"),
        ("信用金庫の新規口座", "cp932"),
        ("信用金庫の新規口座", "euc_jp"),
    ],
)
def test_decode_keeps_real_text(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le"])
def test_utf16_without_bom_or_ascii_is_not_guessed(encoding: str) -> None:
    with pytest.raises(DecodeError, match=r"^(mojibake|undecodable)"):
        decode_bytes("信用金庫の新規口座不正利用".encode(encoding))


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("2020-09-24", date(2020, 9, 24)),
        ("2020/09/24", date(2020, 9, 24)),
        ("2020/9/4", date(2020, 9, 4)),
        ("2020.09.24", date(2020, 9, 24)),
        ("2020年9月24日", date(2020, 9, 24)),
        ("2020-09-24T18:30:00+09:00", date(2020, 9, 24)),
        ("2020-09-24 18:30", date(2020, 9, 24)),
        ("2020-02-30", None),
        ("来週", None),
        ("20200924", None),
        (20200924, None),
    ],
)
def test_parse_published(value: object, parsed: date | None) -> None:
    assert parse_published(value) == parsed


# --- the test folder -----------------------------------------------------------------------------


def test_every_record_is_one_article_or_one_reject(items: list[Article | Reject]) -> None:
    got: dict[str, list[int]] = {}
    for item in items:
        got.setdefault(_rel(item.source_path), [0, 0])[isinstance(item, Reject)] += 1
    assert {k: tuple(v) for k, v in got.items()} == EXPECTED
    records = sum(a + r for a, r in EXPECTED.values())
    assert (len(items), records) == (42, 42)


def test_hidden_files_and_folders_are_skipped(items: list[Article | Reject]) -> None:
    assert not any("hidden" in item.source_path for item in items)


def test_order_is_deterministic_and_sorted(items: list[Article | Reject]) -> None:
    assert list(read_inputs([str(DATA)])) == items
    files = list(dict.fromkeys(_rel(i.source_path) for i in items))
    assert files == sorted(files, key=lambda f: f.split("/")) and files[-1] == "utf16le_nobom.jsonl"


def test_values_read_from_each_format(by_id: dict[str, Article]) -> None:
    assert (by_id["s-1"].headline, by_id["s-1"].body, by_id["s-1"].published) == (
        "信用組合で不正送金",
        "被害額は約300万円①。",
        date(2022, 1, 15),
    )
    assert by_id["sjis:4"].headline == "ＩＤのない記事"
    assert by_id["e-2"].body == "増収増益。"
    assert (by_id["u-1"].headline, by_id["u-2"].headline, by_id["u-2"].body) == (
        "リース会社が増資",
        "",
        "見出しのない記事。",
    )
    assert (by_id["b-1"].article_id, by_id["b-1"].headline) == ("b-1", "BOM付きのファイル")
    assert (by_id["h-1"].headline, by_id["h-1"].body) == (
        "速報：銀行&証券",
        "第一段落です。\n第二段落 です。\n改行あ",
    )
    assert (by_id["m-1"].published, by_id["m-1"].url) == (date(2021, 10, 1), "https://example.com/a")
    assert (by_id["mixed:7"].headline, by_id["mixed:7"].body, by_id["mixed:7"].published) == (
        "信用金庫で障害",
        "ATMが一時停止した。",
        date(2021, 3, 5),
    )
    assert (by_id["m-4"].body, by_id["m-4"].published) == ("利用者は前年の2倍。", None)
    assert by_id["m-6"].published == date(2021, 4, 2)
    assert (by_id["jis:00"].headline, by_id["plain:00"].body) == (
        "JISの記事",
        "本文の一行目。\n本文の二行目。",
    )


def test_topic_pages_in_utf16_and_crlf(by_id: dict[str, Article]) -> None:
    assert [(i, by_id[i].headline, by_id[i].body) for i in ("utf16_bom:00", "utf16_bom:02")] == [
        ("utf16_bom:00", "決済障害のまとめ", "決済サービスの障害が続いている。各社の対応をまとめた。"),
        ("utf16_bom:02", "B社は調査中", "原因はまだ分からない。"),
    ]
    assert [(by_id[i].headline, by_id[i].body) for i in ("crlf:00", "crlf:01", "crlf:03")] == [
        ("改行がCRLFのページ", ""),
        ("一つ目の記事", "一行目。\n二行目。"),
        ("三つ目の記事", "本文。"),
    ]


def test_reject_reasons(rejects: dict[tuple[str, str], str]) -> None:
    assert rejects[("mixed.jsonl", "3")].startswith("malformed JSON")
    assert rejects[("mixed.jsonl", "4")] == "not a JSON object: list"
    assert rejects[("mixed.jsonl", "5")] == "empty article: no headline and no body"
    assert (
        rejects[("mixed.jsonl", "6")]
        == f"duplicate article id 'm-1', first read from {DATA}/mixed.jsonl record 1"
    )
    assert rejects[("mixed.jsonl", "9")] == "field 'headline' is not text: list"
    assert rejects[("sub/late/dup.jsonl", "1")].endswith(f"first read from {DATA}/sjis.csv record 1")
    assert (rejects[("sjis.csv", "2")], rejects[("sjis.csv", "3")]) == (
        "expected 4 fields, got 2",
        "expected 4 fields, got 5",
    )
    assert rejects[("crlf.txt", "2")] == "empty article: no headline and no body"
    assert rejects[("notes.md", "")] == "unsupported file type: .md"
    assert rejects[("empty.txt", "")] == "empty file"
    assert rejects[("binary.txt", "")].startswith("binary file")
    assert rejects[("mojibake_latin1.txt", "")].startswith("mojibake")
    assert rejects[("mojibake_sjis.txt", "")].startswith("mojibake")
    assert rejects[("undecodable.csv", "")].startswith("undecodable")
    assert rejects[("not_list.json", "")] == "expected a list of objects, got str"
    assert rejects[("bad_header.csv", "")] == "no headline or body column in header ['foo', 'bar']"


def test_unparsable_date_is_kept_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.readers"):
        (article,) = [a for a in read_inputs([DATA / "mixed.jsonl"]) if getattr(a, "article_id", "") == "m-4"]
    assert article.published is None and "record 8: unparsable published date '来週'" in caplog.text


# --- more layouts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("導入の文。\n\nタイトル\n目次\n-\n記事\n本文。", ("タイトル", "導入の文。")),
        (
            "導入の一文目。\n導入の二文目。\n\nタイトル\n-\n記事\n本文。",
            ("タイトル", "導入の一文目。\n導入の二文目。"),
        ),
        ("タイトルだけ\n目次\n-\n記事\n本文。", ("タイトルだけ", "")),
        ("先頭のタイトル\n\n後に続く導入の文。\n-\n記事\n本文。", ("先頭のタイトル", "後に続く導入の文。")),
    ],
)
def test_topic_header_variants(tmp_path: Path, text: str, header: tuple[str, str]) -> None:
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    head, entry = read_inputs([tmp_path])
    assert (head.article_id, head.headline, head.body) == ("page:00", *header)
    assert (entry.article_id, entry.headline, entry.body) == ("page:01", "記事", "本文。")


def test_page_without_header_and_three_digit_ids(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("".join(f"-\n記事{n}\n" for n in range(1, 102)), encoding="utf-8")
    ids = [a.article_id for a in read_inputs([tmp_path / "long.txt"])]
    assert (len(ids), ids[0], ids[98], ids[-1]) == (101, "long:01", "long:99", "long:101")


def test_oversized_article_is_rejected_with_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ARTICLE_CHARS", 20)
    lines = [
        {"id": "a", "headline": "短い", "body": "本文。"},
        {"id": "b", "headline": "長い", "body": "あ" * 30},
    ]
    (tmp_path / "big.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    assert list(read_inputs([tmp_path])) == [
        Article("a", str(tmp_path / "big.jsonl"), "短い", "本文。"),
        Reject(str(tmp_path / "big.jsonl"), "2", "article too large: 32 characters (limit 20)"),
    ]


def test_blank_csv_lines_are_skipped_and_empty_rows_rejected(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,headline,body\n,,\n\n  \nr-4,見出し,本文\n", encoding="utf-8")
    assert list(read_inputs(str(path))) == [
        Reject(str(path), "1", "empty article: no headline and no body"),
        Article("r-4", str(path), "見出し", "本文"),
    ]


def test_missing_path_raises_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"does not exist: .*nowhere\.jsonl"):
        read_inputs([DATA, tmp_path / "nowhere.jsonl"])


# --- the seed page -------------------------------------------------------------------------------


def test_seed_page_matches_gold() -> None:
    if not SEED.exists():
        pytest.skip("../shared is not available")
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    got = list(read_inputs([SEED]))
    assert [a.article_id for a in got] == [f"000_ca0cd79583425037:{n:02d}" for n in range(21)]
    assert [(a.article_id, a.headline, a.body) for a in got] == [
        (g["id"], g["headline"], g["lead"]) for g in gold
    ]


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "utf-16", "utf-8-sig"])
def test_seed_page_reads_the_same_in_other_encodings(tmp_path: Path, encoding: str) -> None:
    if not SEED.exists():
        pytest.skip("../shared is not available")
    text = SEED.read_text(encoding="utf-8")
    copy = tmp_path / SEED.name
    copy.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    expected = [(a.article_id, a.headline, a.body) for a in read_inputs([SEED])]
    assert [(a.article_id, a.headline, a.body) for a in read_inputs([copy])] == expected


# --- fuzz ----------------------------------------------------------------------------------------


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".jsonl", ".csv", ".txt", ".tsv", ".json"]))
def test_arbitrary_bytes_never_escape(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    assert all(isinstance(item, Article | Reject) for item in read_inputs([path]))


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), suffix=st.sampled_from([".jsonl", ".csv", ".txt"]))
def test_arbitrary_text_never_escapes(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert all(isinstance(item, Article | Reject) for item in read_inputs([path]))
