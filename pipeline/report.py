"""A self-contained HTML page to read the output: highlighted articles, events and the damage chart.

    python -m pipeline.report out          # writes out/report.html

Nothing to fetch (the chart is an inline PNG), so it can be mailed or archived. A browser opens it
in a few seconds whatever the size of the run: the articles come in pages of `PAGE_SIZE`, the first
in report.html and the others in `report_pages/`, and the tables show their `MAX_ROWS` largest rows
(the CSV copies beside the tables hold them all).
"""

from __future__ import annotations

import argparse
import base64
import html
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.chart import timeline_png
from pipeline.tables import load_articles, load_events, load_mentions
from pipeline.timeline import actual_damage, build_timeline, yen_label

PAGE_SIZE = 100
MAX_ROWS = 300

# Type → (label shown on the highlight, background colour).
STYLES: dict[str, tuple[str, str]] = {
    "BANK": ("銀行", "#9fd3f5"),
    "PAYMENT_SERVICE": ("決済", "#b9f0c2"),
    "COMPANY": ("企業", "#ffd59e"),
    "ORGANIZATION": ("団体", "#e2c9f7"),
    "PERSON": ("人物", "#f7c1d9"),
    "MONEY": ("金額", "#ffef8a"),
    "COUNT": ("件数", "#c9e8e3"),
    "DATE": ("日付", "#d9dcf7"),
    "PERCENT": ("割合", "#e6e6e6"),
}
# The span stays tight (a newline around the text would show as a space inside a Japanese sentence)
# and carries the normalized value in `title`.
_ENT_TEMPLATE = (
    '<mark class="entity" style="background: {bg}" title="{title}">'
    '{text}<span class="label">{label}</span></mark>'
)
_CSS = """
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans",
       "Yu Gothic", "YuGothic", Meiryo, sans-serif; margin: 2em auto; max-width: 1100px; color: #222;
       line-height: 1.6; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
.entities { line-height: 2.5; }
mark.entity { padding: 0.1em 0.3em; border-radius: 0.3em; line-height: 1; }
mark.entity .label { font-size: 0.65em; font-weight: bold; margin-left: 0.3em; vertical-align: middle; }
.legend mark { margin-right: 0.5em; }
.article { border-top: 1px solid #ddd; padding: 0.8em 0; }
.article .headline { font-weight: bold; font-size: 1.1em; }
.meta { color: #666; font-size: 0.85em; }
nav.pages a, nav.pages strong { margin-right: 0.4em; }
table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
img.chart { max-width: 100%; }
"""
_EVENT_COLUMNS = {
    "article_id": "記事",
    "event_type": "種類",
    "org": "組織",
    "date": "日付",
    "as_of": "時点",
    "figure": "金額",
    "cases": "件数",
    "role": "区分",
    "target": "対象",
    "evidence": "根拠",
}
_TIMELINE_COLUMNS = {
    "org": "組織",
    "step": "順",
    "date": "日付",
    "date_source": "日付の出所",
    "as_of": "時点",
    "figure": "金額",
    "cases": "件数",
    "article_id": "記事",
}
_NUMERIC = {"step", "figure", "cases"}
_DATES = {"date", "as_of"}


def _text(value: object) -> str:
    """A scalar cell as text; missing values are blank."""
    return "" if pd.isna(value) else str(value)


def mention_title(m: Any) -> str:
    """The hover text of a highlight (`m` a mention row from `itertuples`): type, normalized value
    and the details that go with it."""
    value = f"{m.value_int:,}" if m.type in ("MONEY", "COUNT") and pd.notna(m.value_int) else m.value
    if pd.notna(m.min_int):
        value = f"{m.min_int:,}～{m.max_int:,}"
    extras = [
        f"{key}={_text(getattr(m, key))}"
        for key in ("unit", "qualifier", "counted", "role", "granularity", "time", "title")
        if pd.notna(getattr(m, key))
    ]
    flags = ("time_point", "relative", "per_unit")
    extras += [flag for flag in flags if pd.notna(getattr(m, flag)) and getattr(m, flag)]
    return " ".join(part for part in (m.type, _text(value), *extras) if part)


def _marked(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _render_field(text: str, mentions: Iterable) -> str:
    """`text` with its mentions (rows in order of `start`) highlighted; a span inside one already
    shown stays plain, so no text is shown twice."""
    parts, at = [], 0
    for m in mentions:
        if m.start < at:
            continue
        label, colour = STYLES.get(m.type, (m.type, "#ddd"))
        parts += [
            _marked(text[at : m.start]),
            _ENT_TEMPLATE.format(
                bg=colour,
                title=html.escape(mention_title(m), quote=True),
                text=html.escape(text[m.start : m.end]),
                label=html.escape(label),
            ),
        ]
        at = m.end
    parts.append(_marked(text[at:]))
    return f'<div class="entities">{"".join(parts)}</div>'


def _article_html(article, mentions: dict[str, list]) -> str:
    """One article; `mentions` maps a field to its mention rows in order."""
    published = "" if pd.isna(article.published) else f" — {article.published}"
    parts = [
        f'<section class="article" id="{html.escape(article.article_id, quote=True)}">',
        f'<div class="meta">{html.escape(article.article_id + published)}</div>',
    ]
    for field in ("headline", "body"):
        text = _text(getattr(article, field))
        if text:
            parts.append(f'<div class="{field}">{_render_field(text, mentions.get(field, ()))}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def _by_article(mentions: pd.DataFrame) -> dict[str, dict[str, list]]:
    """Mention rows by article and field, in order of `start`: one pass, not one filter per article."""
    grouped: dict[str, dict[str, list]] = {}
    for m in mentions.sort_values(["article_id", "field", "start"], kind="stable").itertuples(index=False):
        grouped.setdefault(m.article_id, {}).setdefault(m.field, []).append(m)
    return grouped


def _with_figures(df: pd.DataFrame) -> pd.DataFrame:
    cols = ["amount_jpy", "amount_qualifier", "amount_min_jpy", "amount_max_jpy"]
    figure = [yen_label(*r) for r in df[cols].itertuples(index=False)]
    cases = [
        "" if pd.isna(n) else f"{n:,}{_text(unit)}"
        for n, unit in zip(df["count"], df["count_unit"], strict=True)
    ]
    return df.assign(figure=figure, cases=cases)


def _cell(column: str, value: object, links: dict[str, str]) -> str:
    text = html.escape(_text(value))
    if column == "article_id" and text:
        return f'<td><a href="{html.escape(links.get(value, ""), quote=True)}">{text}</a></td>'
    cls = "num" if column in _NUMERIC else "date" if column in _DATES else ""
    return f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>"


def html_table(df: pd.DataFrame, columns: dict[str, str], links: dict[str, str]) -> str:
    """Rows as an escaped HTML table; `columns` maps column → header, `links` article id → its address."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in columns.values())
    rows = (
        "<tr>" + "".join(_cell(c, v, links) for c, v in zip(columns, row, strict=True)) + "</tr>"
        for row in df[list(columns)].itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _largest_first(events: pd.DataFrame) -> pd.DataFrame:
    """Events by amount, then count, largest first; those with neither keep their order, last."""
    return events.sort_values(["amount_jpy", "count"], ascending=False, na_position="last", kind="stable")


def _series_largest_first(damage: pd.DataFrame) -> pd.DataFrame:
    """Each organization's series whole and in its order, the series of the largest amount first."""
    top = damage.groupby("org", dropna=False)["amount_jpy"].transform("max")
    return damage.assign(_top=top).sort_values("_top", ascending=False, na_position="last", kind="stable")


def _capped(df: pd.DataFrame, csv: str) -> tuple[pd.DataFrame, str]:
    """The first `MAX_ROWS` rows, and a note when some are left out."""
    if len(df) <= MAX_ROWS:
        return df, ""
    return df.head(MAX_ROWS), f'<p class="meta">全 {len(df)} 件のうち上位 {MAX_ROWS} 件（全件は {csv}）</p>'


def _legend() -> str:
    marks = "".join(
        f'<mark class="entity" style="background: {colour}" title="{t}">{html.escape(label)}</mark>'
        for t, (label, colour) in STYLES.items()
    )
    return f'<p class="legend">{marks}</p>'


def _page(title: str, sections: Iterable[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


def _pager(page: int, hrefs: Sequence[str]) -> str:
    """Links to every page of articles; `hrefs[n - 1]` is page n's address from this page."""
    if len(hrefs) <= 1:
        return ""
    links = (
        f"<strong>{n}</strong>" if n == page else f'<a href="{href}">{n}</a>'
        for n, href in enumerate(hrefs, start=1)
    )
    return f'<nav class="pages">記事のページ: {"".join(links)}</nav>'


def _articles_html(articles: pd.DataFrame, by_article: dict[str, dict[str, list]]) -> str:
    return "\n".join(
        _article_html(a, by_article.get(a.article_id, {})) for a in articles.itertuples(index=False)
    )


def _page_name(n: int) -> str:
    return f"page-{n:04d}.html"


def render_report(
    articles: pd.DataFrame, mentions: pd.DataFrame, events: pd.DataFrame, name: str = "report"
) -> tuple[str, list[str]]:
    """The main page `NAME.html`, and the article pages after its own (`NAME_pages/page-NNNN.html`)."""
    timeline = build_timeline(events, articles)
    damage = actual_damage(timeline)
    chart = base64.b64encode(timeline_png(timeline)).decode("ascii")
    by_article = _by_article(mentions)
    chunks = [articles.iloc[i : i + PAGE_SIZE] for i in range(0, max(len(articles), 1), PAGE_SIZE)]
    # Addresses of each page of articles, from the main page and from the others.
    from_main = ["", *(f"{name}_pages/{_page_name(n)}" for n in range(2, len(chunks) + 1))]
    from_pages = [f"../{name}.html", *(_page_name(n) for n in range(2, len(chunks) + 1))]
    links = {
        article_id: f"{from_main[i // PAGE_SIZE]}#{article_id}"
        for i, article_id in enumerate(articles["article_id"])
    }
    timeline_rows, timeline_note = _capped(_series_largest_first(damage), "timeline.csv")
    event_rows, event_note = _capped(_largest_first(events), "events.csv")
    main = [
        f'<p class="meta">記事 {len(articles)} 件・言及 {len(mentions)} 件・イベント {len(events)} 件'
        "（ハイライトにカーソルを合わせると正規化した値が出ます）</p>",
        _legend(),
        "<h2>被害額の推移</h2>",
        f'<img class="chart" alt="被害額の推移" src="data:image/png;base64,{chart}">',
        timeline_note,
        html_table(_with_figures(timeline_rows), _TIMELINE_COLUMNS, links),
        "<h2>イベント（金額・件数の大きい順）</h2>",
        event_note,
        html_table(_with_figures(event_rows), _EVENT_COLUMNS, links),
        '<h2 id="articles">記事</h2>',
        _pager(1, ["#articles", *from_main[1:]]),
        _articles_html(chunks[0], by_article),
    ]
    others = [
        _page(
            f"抽出結果レポート — 記事 {n}/{len(chunks)}",
            [
                f'<p class="meta"><a href="../{name}.html">レポートの先頭へ</a></p>',
                _legend(),
                _pager(n, from_pages),
                _articles_html(chunk, by_article),
                _pager(n, from_pages),
            ],
        )
        for n, chunk in enumerate(chunks[1:], start=2)
    ]
    return _page("抽出結果レポート", main), others


def write_report(out_dir: Path, path: Path | None = None) -> Path:
    """Write `out_dir/report.html` (or `path`) from the tables in `out_dir`, and its further pages of
    articles into the folder `<name>_pages` beside it (replaced as a whole); returns the path."""
    out_dir = Path(out_dir)
    target = Path(path) if path else out_dir / "report.html"
    tables = (load_articles(out_dir), load_mentions(out_dir), load_events(out_dir))
    main, others = render_report(*tables, name=target.stem)
    pages = target.with_name(f"{target.stem}_pages")
    shutil.rmtree(pages, ignore_errors=True)
    if others:
        pages.mkdir()
    for n, page in enumerate(others, start=2):
        (pages / _page_name(n)).write_text(page, encoding="utf-8")
    target.write_text(main, encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.report", description="Write a self-contained HTML report from the tables."
    )
    parser.add_argument("out_dir", type=Path, help="folder holding the tables written by `extract`")
    parser.add_argument(
        "--html", type=Path, default=None, help="where to write (default OUT_DIR/report.html)"
    )
    args = parser.parse_args(argv)
    print(write_report(args.out_dir, args.html))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
