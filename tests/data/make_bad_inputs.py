"""Writes the reader test inputs to tests/data/inputs/: good and bad files in many encodings.

Run from anywhere: `python tests/data/make_bad_inputs.py`. The output is committed; the expected
article/reject counts per file live in tests/test_readers.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

OUT = Path(__file__).resolve().parent / "inputs"


def _jsonl(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> None:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    # 9 records: 4 articles; rejects for malformed JSON, a non-object, an empty article, a duplicate
    # id and a headline that is not text. The blank line is not a record.
    _write(
        "mixed.jsonl",
        _jsonl(
            {
                "id": "m-1",
                "headline": "地方銀行が新アプリを公開",
                "body": "スマートフォン向けの新アプリを10月1日に公開した。",
                "published": "2021-10-01",
                "url": "https://example.com/a",
            },
            "",
            '{"id": "m-2", "headline": ',
            "[1, 2]",
            {"id": "m-3", "headline": "", "body": "  "},
            {"id": "m-1", "headline": "重複する記事", "body": "同じIDで二度目。"},
            {"title": "信用金庫で障害", "lead": "ATMが一時停止した。", "published": "2021/03/05"},
            {
                "id": "m-4",
                "headline": "決済アプリの利用者が増加",
                "text": "利用者は前年の2倍。",
                "published": "来週",
            },
            {"id": "m-5", "headline": ["リスト"], "body": "見出しが配列。"},
            {
                "id": "m-6",
                "headline": "時刻付きの日付",
                "body": "本文。",
                "published": "2021-04-02T09:30:00+09:00",
            },
        ),
    )
    # Shift_JIS (cp932: ① exists only there). Rows 2 and 3 have too few / too many fields.
    _write(
        "sjis.csv",
        "id,title,body,published\r\n"
        "s-1,信用組合で不正送金,被害額は約300万円①。,2022-01-15\r\n"
        "s-2,列が足りない\r\n"
        "s-3,列が多い,本文,2022-01-16,余分\r\n"
        ",ＩＤのない記事,全角の見出しを持つ行。,\r\n",
        "cp932",
    )
    _write(
        "eucjp.tsv",
        "id\theadline\tbody\ne-1\t証券会社が新規口座の受付を再開\t受付は来月から。\ne-2\t保険会社の決算\t増収増益。\n",
        "euc_jp",
    )
    # UTF-16 with BOM: a topic page of a header and two entries.
    _write(
        "utf16_bom.txt",
        "決済サービスの障害が続いている。各社の対応をまとめた。\n\n決済障害のまとめ\n目次\n-\n"
        "A社が復旧を発表\n復旧は午後3時。\n-\nB社は調査中\n原因はまだ分からない。\n",
        "utf-16",
    )
    _write(
        "utf16le_nobom.jsonl",
        _jsonl(
            {"id": "u-1", "headline": "リース会社が増資", "body": "増資額は50億円。"},
            {"id": "u-2", "body": "見出しのない記事。"},
        ),
        "utf-16-le",
    )
    _write("bom.csv", "id,headline,body\nb-1,BOM付きのファイル,先頭にBOMがある。\nb-2,,\n", "utf-8-sig")
    # CRLF; header without intro or 目次; entry 2 is empty and keeps its number; trailing separator.
    _write(
        "crlf.txt",
        "改行がCRLFのページ\r\n-\r\n一つ目の記事\r\n一行目。\r\n二行目。\r\n-\r\n\r\n-\r\n三つ目の記事\r\n本文。\r\n-\r\n",
    )
    _write(
        "html.jsonl",
        _jsonl(
            {
                "id": "h-1",
                "headline": "<b>速報</b>：銀行&amp;証券",
                "body": "<p>第一段落です。</p><p>第二段落&nbsp;です。<br/>改行&#12354;</p>",
            }
        ),
    )
    _write(
        "list.json",
        json.dumps([{"id": "j-1", "headline": "一件目"}, {"id": "j-2", "body": "二件目。"}, "文字列"]),
    )
    _write("not_list.json", json.dumps("配列ではない"))
    _write(
        "binary.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
    )
    # UTF-8 read as Latin-1 and saved again, and UTF-8 read as cp932 and saved again.
    sample = "銀行の口座から不正に出金された問題で、被害額が拡大した。"
    _write("mojibake_latin1.txt", sample.encode().decode("latin-1"))
    _write("mojibake_sjis.txt", sample.encode().decode("cp932", errors="replace"))
    _write("undecodable.csv", b"id,headline\n1,\x81\x20\xff\xfe\x80\x80\xa0\xfd\x85\x7f\n")
    _write("notes.md", "# 対象外の形式\n")
    _write(".hidden.jsonl", _jsonl({"id": "hidden-1", "headline": "隠しファイル"}))
    _write(".hiddendir/inner.jsonl", _jsonl({"id": "hidden-2", "headline": "隠しフォルダ"}))
    _write("empty.txt", "")
    _write("plain.txt", "区切りのない記事\n本文の一行目。\n本文の二行目。\n")
    _write("jis.txt", "JISの記事\n本文はISO-2022-JPで書かれている。\n", "iso2022_jp")
    _write("bad_header.csv", "foo,bar\n1,2\n")
    # Read after sjis.csv (sorted by path parts), so its s-1 is the duplicate.
    _write(
        "sub/late/dup.jsonl",
        _jsonl({"id": "s-1", "headline": "別ファイルの重複"}, {"id": "d-1", "headline": "入れ子の記事"}),
    )


if __name__ == "__main__":
    main()
