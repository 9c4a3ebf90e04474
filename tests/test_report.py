"""HTML report: highlighted mentions with their values on hover, events, the chart, and a real browser."""

import base64
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image

import pipeline
from pipeline.benchgen import write_corpus
from pipeline.report import MAX_ROWS, PAGE_SIZE, STYLES, main, write_report
from pipeline.tables import load_table, write_parquet
from pipeline.timeline import yen_label

ARTICLES = [
    {
        "id": "r1",
        "headline": "みなと銀行で不正出金、被害は約３００万円",
        "body": "みなと銀行は2021年9月8日、決済サービス経由で預金が引き出された被害が12件、"
        "約300万円にのぼったと発表した。",
        "published": "2021-09-09",
    },
    {
        "id": "r2",
        "headline": "みなと銀行の被害、1200万円超に拡大",
        "body": "みなと銀行は2021年9月20日、不正出金の被害が40件、1200万円超に増えたと明らかにした。"
        "<試算>とA&Bの比較も示した。",
        "published": "2021-09-21",
    },
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    src = root / "news.jsonl"
    src.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    pipeline.extract([src], out=root / "out", profile="fast")
    return root / "out"


@pytest.fixture(scope="module")
def page(out):
    return write_report(out).read_text(encoding="utf-8")


def test_page_is_utf8_japanese(page):
    assert (
        page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and '<html lang="ja">' in page
    )
    assert '"Noto Sans CJK JP"' in page and '"Hiragino Sans"' in page and '"Yu Gothic"' in page


def test_mentions_highlighted_with_value_on_hover(page):
    money = 'title="MONEY 3,000,000 unit=JPY qualifier=approx role=damage">約300万円<span class="label">金額<'
    assert money in page
    assert 'title="BANK みなと銀行">みなと銀行<span class="label">銀行</span>' in page
    assert 'title="DATE 2021-09-20 granularity=day">2021年9月20日<span' in page
    assert 'title="COUNT 40 unit=件' in page


def test_text_is_escaped(page):
    assert "&lt;試算&gt;とA&amp;Bの比較" in page and "<試算>" not in page


def test_events_and_timeline_tables(page):
    assert re.search(r'<td class="num">約300万円</td><td class="num">12件</td>', page)
    assert re.search(
        r'<td class="num">2</td><td class="date">2021-09-20</td><td>event</td>.*?1200万円超', page
    )
    assert '<a href="#r2">r2</a>' in page and '<section class="article" id="r2">' in page


def test_chart_is_an_inline_png(page):
    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "http://" not in page and "https://" not in page  # nothing to fetch


def test_cli_writes_where_asked(out, tmp_path, capsys):
    target = tmp_path / "r.html"
    assert main([str(out), "--html", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target) and target.stat().st_size > 10_000


@pytest.fixture(scope="module")
def chromium() -> str:
    """The browser; CI installs it (.ci/run), so there its absence is a failure, not a skip."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs it")
        pytest.skip("chromium not installed")
    return path


def screenshot(chromium: str, page: Path, shot: Path, height: int = 3000, env: dict | None = None) -> float:
    """`page` rendered 1200 px wide into `shot`; returns the seconds the browser took."""
    began = time.perf_counter()
    subprocess.run(
        [
            chromium,
            *("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"),
            *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
            f"--user-data-dir={shot.with_suffix('.profile')}",
            f"--screenshot={shot}",
            f"--window-size=1200,{height}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    return time.perf_counter() - began


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _pixels(image: np.ndarray, colour: str) -> np.ndarray:
    return (image == _rgb(colour)).all(axis=2)


def _ink(image: np.ndarray) -> int:
    return int((image.mean(axis=2) < 100).sum())


def _without_cjk_fonts(tmp_path: Path) -> dict:
    """An environment whose only fonts are matplotlib's DejaVu, which has no Japanese glyphs."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{Path(matplotlib.get_data_path()) / 'fonts' / 'ttf'}</dir>"
        f"<cachedir>{tmp_path / 'fontcache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def test_browser_renders_highlights_tables_chart_and_japanese(chromium, out, page, tmp_path):
    shot = tmp_path / "shot.png"
    screenshot(chromium, out / "report.html", shot)
    image = np.asarray(Image.open(shot).convert("RGB"))
    assert image.shape == (3000, 1200, 3)

    # Every type has its colour in the legend; the types the articles hold show many more pixels
    # of it, in their highlights.
    present = set(pipeline.load_mentions(out)["type"])
    counts = {t: int(_pixels(image, colour).sum()) for t, (_, colour) in STYLES.items()}
    legend_only = min(n for t, n in counts.items() if t not in present)
    assert legend_only > 100
    assert present >= {"BANK", "MONEY", "COUNT", "DATE"}
    assert all(counts[t] > 3 * legend_only for t in present), counts

    # The damage chart: its first series is drawn in tab10's first colour.
    assert _pixels(image, "#1f77b4").sum() > 500
    # Two tables (timeline and events), each a band of header cells across the page.
    header_rows = _pixels(image, "#f3f3f3").sum(axis=1) > 600
    bands = np.count_nonzero(np.diff(header_rows.astype(int)) == 1)
    assert bands == 2

    # The page ends well inside the window, after the chart, the tables and both articles.
    rows_with_ink = np.nonzero((image < 250).any(axis=(1, 2)))[0]
    assert 1000 < rows_with_ink.max() < 2500

    # Japanese glyphs, not tofu: without a CJK font the title 抽出結果レポート (the top of the page)
    # is a row of hollow boxes, with about a third of the ink of its real strokes.
    tofu = tmp_path / "tofu.png"
    screenshot(chromium, out / "report.html", tofu, env=_without_cjk_fonts(tmp_path))
    title, tofu_title = (_ink(img[:85, :700]) for img in (image, np.asarray(Image.open(tofu).convert("RGB"))))
    assert tofu_title > 100 and title > 2 * tofu_title, (title, tofu_title)


def _tiled(source: Path, target: Path, copies: int) -> None:
    """Tables of `copies` × the articles of `source`, each copy under new ids."""
    target.mkdir()
    for name in ("articles", "mentions", "events"):
        df = load_table(name, source)
        tiles = [df.assign(article_id=df["article_id"] + f"-{k:03d}") for k in range(copies)]
        write_parquet(name, pd.concat(tiles, ignore_index=True), target / f"{name}.parquet")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, float]:
    """A report of 10,000 articles (100 generated ones, extracted, in 100 copies), and the seconds
    it took to write."""
    root = tmp_path_factory.mktemp("big")
    corpus = write_corpus(root / "corpus.jsonl", 100)
    pipeline.extract([corpus], out=root / "seed", profile="fast")
    _tiled(root / "seed", root / "out", 100)
    began = time.perf_counter()
    report = write_report(root / "out")
    return report, time.perf_counter() - began


def test_report_of_ten_thousand_articles_pages_and_caps_its_tables(big):
    report, _ = big
    main_page = report.read_text(encoding="utf-8")
    pages = sorted((report.parent / "report_pages").iterdir())
    events = pipeline.load_events(report.parent)

    assert len(pipeline.load_articles(report.parent)) == 10_000
    assert [p.name for p in pages] == [f"page-{n:04d}.html" for n in range(2, 10_000 // PAGE_SIZE + 1)]
    sections = [p.read_text(encoding="utf-8").count('<section class="article"') for p in pages]
    assert main_page.count('<section class="article"') == PAGE_SIZE and set(sections) == {PAGE_SIZE}
    assert '<a href="../report.html">' in pages[0].read_text(encoding="utf-8")
    assert f"全 {len(events)} 件のうち上位 {MAX_ROWS} 件" in main_page
    # The events table holds the largest amounts first, and links each to the page of its article.
    events_table = main_page.split("<h2>イベント")[1].split('<h2 id="articles">')[0]
    assert events_table.count("<tr>") == MAX_ROWS + 1
    top = events.loc[events["amount_jpy"].idxmax()]
    first_row = events_table.split("<tr>")[2]
    assert (
        yen_label(top.amount_jpy, top.amount_qualifier, top.amount_min_jpy, top.amount_max_jpy) in first_row
    )
    href, article_id = re.search(r'href="(report_pages/page-\d{4}\.html)#([^"]+)"', events_table).groups()
    assert f'<section class="article" id="{article_id}">' in (report.parent / href).read_text(
        encoding="utf-8"
    )
    assert report.stat().st_size < 3_000_000 and max(p.stat().st_size for p in pages) < 2_000_000


def test_report_of_ten_thousand_articles_opens_in_the_browser(chromium, big, tmp_path, capsys):
    report, written = big
    opened = screenshot(chromium, report, tmp_path / "big.png", height=2000)
    image = np.asarray(Image.open(tmp_path / "big.png").convert("RGB"))
    assert all(_pixels(image, STYLES[t][1]).sum() > 0 for t in ("BANK", "MONEY", "DATE"))
    assert (_pixels(image, "#f3f3f3").sum(axis=1) > 600).any()  # a table's header
    with capsys.disabled():  # shown in CI's log, not only with -s
        print(
            f"\n10,000 articles: report written in {written:.1f} s ({report.stat().st_size / 1e6:.1f} MB "
            f"+ {10_000 // PAGE_SIZE - 1} pages of {PAGE_SIZE} articles); "
            f"Chromium opened and rendered it in {opened:.1f} s"
        )


def test_a_span_inside_a_shown_one_is_not_shown_twice():
    from pipeline.report import _render_field
    from pipeline.tables import frame_of

    text = "みなと銀行本店は休業した"
    rows = [
        {
            "article_id": "a",
            "field": "body",
            "start": 0,
            "end": 7,
            "text": "みなと銀行本店",
            "type": "COMPANY",
        },
        {"article_id": "a", "field": "body", "start": 0, "end": 5, "text": "みなと銀行", "type": "BANK"},
    ]
    html_ = _render_field(text, frame_of("mentions", rows).itertuples(index=False))
    assert html_.count("みなと銀行") == 1 and html_.count("<mark") == 1
    assert re.sub(r"<span class=\"label\">.*?</span>|<[^>]+>", "", html_) == text
