"""A deterministic benchmark corpus: news-like articles from templates, the gazetteer and seeded figures.

    python -m pipeline.benchgen --articles 2000 --out bench-out/corpus.jsonl

The same seed and size always give the same bytes, so timings of different runs compare the
same texts. The sentences are written for the benchmark; names come from the gazetteer.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

from pipeline.names.gazetteer import load_gazetteer

SEED = 20240901

_SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤", "吉田", "山口")
_GIVEN = ("健一", "美咲", "大輔", "直子", "翔太", "陽子", "誠", "由美", "拓也", "恵")
_TITLES = ("社長", "副頭取", "常務", "広報部長", "担当者")
# Places and invented firm names that no gazetteer lists: real news names such things in about half of
# its sentences, and they are what the accurate profile hands to GiNZA's NER.
_PLACES = (
    "東京都内",
    "大阪市",
    "福岡県",
    "札幌市",
    "名古屋市",
    "横浜市",
    "仙台市",
    "神戸市",
    "京都府",
    "広島県",
)
_KANA = "アイカキクサシタトナニハヒマミラリルレロ"
_FIRM_ENDINGS = ("テック", "ラボ", "ワークス", "ネット", "システム", "")
_SERVICES = ("新規登録", "口座連携", "チャージ機能", "送金機能", "振込サービス")

_HEADLINES = (
    "{bank}で不正出金、被害{n}件・約{money}",
    "{service}経由の不正引き出し　{bank}が{stop}を停止",
    "{company}、決済アプリの{stop}を再開へ　{month}月{day}日から",
    "{org}が注意喚起　偽メールの被害{n}件に",
)
_SENTENCES = (
    "{bank}は{month}月{day}日、{service}を通じて預金が不正に引き出される被害が{n}件あったと明らかにした。",
    "被害額は合計で約{money}に上り、同行は全額を補償する方針を示した。",
    "{company}は同日、{service}での{stop}を当面見合わせると発表した。",
    "{person}{title}は記者会見で「利用者の皆様に心配をおかけした」と述べ、再発防止策を説明した。",
    "{org}によると、{year}年{month}月以降に寄せられた相談は{n}件を超えている。",
    "{bank}の窓口には{day}日午前から問い合わせが相次ぎ、{n2}人が来店したという。",
    "{company}は本人確認の手順を見直し、{month}月末までに{stop}の再開を目指す。",
    "口座の名義人が知らないうちに{money}が引き出された例もあり、{org}が調査を進めている。",
    "{bank}など{n2}行は{year}年{month}月{day}日から、{service}との連携を一時停止した。",
    "同社の株価は前日比{pct}%安の{price}円で取引を終えた。",
    "{place}に拠点を置く{firm}も、同様の不正アクセスを受けたと明らかにした。",
    "{place}の利用者からは、{firm}の決済画面を装った偽サイトの報告もあった。",
    "システム開発を請け負った{firm}は、{month}月中に原因を特定するとしている。",
)


def _figures(rng: random.Random) -> dict[str, object]:
    man = rng.choice((rng.randint(1, 9999), rng.randint(1, 99) * 1000))
    oku, rest = divmod(man, 10_000)
    money = (f"{oku}億" if oku else "") + (f"{rest}万" if rest else "") + "円"
    return {
        "n": rng.randint(2, 400),
        "n2": rng.randint(2, 30),
        "money": money,
        "year": rng.randint(2019, 2025),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "pct": f"{rng.randint(1, 90) / 10:.1f}",
        "price": f"{rng.randint(300, 9000):,}",
    }


def _slots(rng: random.Random, by_type: dict[str, list[str]]) -> dict[str, object]:
    return {
        "bank": rng.choice(by_type["BANK"]),
        "company": rng.choice(by_type["COMPANY"]),
        "org": rng.choice(by_type["ORGANIZATION"]),
        "service": rng.choice(by_type["PAYMENT_SERVICE"]),
        "person": rng.choice(_SURNAMES) + rng.choice(_GIVEN),
        "title": rng.choice(_TITLES),
        "stop": rng.choice(_SERVICES),
        "place": rng.choice(_PLACES),
        "firm": "".join(rng.choice(_KANA) for _ in range(rng.randint(3, 4))) + rng.choice(_FIRM_ENDINGS),
        **_figures(rng),
    }


def generate(n_articles: int, seed: int = SEED, sentences: tuple[int, int] = (6, 24)) -> Iterator[dict]:
    """`n_articles` records {id, headline, body, published}, the same for the same arguments."""
    rng = random.Random(seed)
    by_type: dict[str, list[str]] = {}
    for entry in load_gazetteer().entries:
        by_type.setdefault(entry.type, []).append(entry.canonical)
    start = date(2019, 1, 1)
    for i in range(n_articles):
        slots = _slots(rng, by_type)
        headline = rng.choice(_HEADLINES).format(**slots)
        body = "".join(
            rng.choice(_SENTENCES).format(**_slots(rng, by_type) if rng.random() < 0.3 else slots)
            for _ in range(rng.randint(*sentences))
        )
        published = start + timedelta(days=rng.randint(0, 6 * 365))
        yield {"id": f"bench-{i:05d}", "headline": headline, "body": body, "published": published.isoformat()}


# Sentences per article body: the default corpus's, and the short articles of the scale mode (a
# headline and a lead of one to three sentences, as a news archive's wire items).
FULL, SHORT = (6, 24), (1, 3)


def write_corpus(path: Path, n_articles: int, seed: int = SEED, sentences: tuple[int, int] = FULL) -> Path:
    """The corpus as JSONL at `path` (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in generate(n_articles, seed, sentences):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def write_archive(
    folder: Path, n_articles: int, seed: int = SEED, sentences: tuple[int, int] = SHORT, per_file: int = 1000
) -> Path:
    """The corpus as a folder of JSONL files of `per_file` articles each (`part-00000.jsonl`, ...), the
    shape of an archive: one file per day or feed, none read whole into memory with all the others."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("part-*.jsonl"):
        stale.unlink()
    records = generate(n_articles, seed, sentences)
    for index in range(-(-n_articles // per_file)):
        with (folder / f"part-{index:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for record in islice(records, per_file):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=Path("bench-out/corpus.jsonl"))
    parser.add_argument("--short", action="store_true", help="bodies of 1-3 sentences, not 6-24")
    args = parser.parse_args(argv)
    write_corpus(args.out, args.articles, args.seed, SHORT if args.short else FULL)
    print(args.out)


if __name__ == "__main__":
    main()
