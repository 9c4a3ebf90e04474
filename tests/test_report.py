"""HTML report: highlighted mentions with their values on hover, events, the chart, and a real browser."""

import base64
import json
import re
import shutil
import subprocess

import pytest
from PIL import Image

import pipeline
from pipeline.report import main, write_report

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


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_browser_screenshot(out, page, tmp_path):
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            shutil.which("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,2000",
            (out / "report.html").resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2000) and shot.stat().st_size > 20_000
    assert len(image.getcolors(maxcolors=1 << 20)) > 50  # text, highlights and chart, not a blank page
