"""`make eval`: every suite in both profiles, real text first; errors.tsv per suite and profile.

python -m pipeline.evaluation [--suite NAME ...] [--profile NAME ...] [--out eval-out] [--readme README.md]

Suites on text nobody here wrote (present only beside a checkout with `../shared`):
  wikinews-dev   27 real Wikinews incident articles, NEWS.md conventions (read with `published`)
  stockmark-dev  Wikipedia sentences with company, organization and person spans; raw GiNZA beside us
  peers          Recognizers-Text numbers and dates, ja-timex dates
Suites on our own gold, guarding against regressions:
  corpus         the bundled articles (`corpus/`)
  seed           the topic page the project started from (`../shared/seeds`)
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluation import news, peers, stockmark
from pipeline.evaluation.metrics import write_errors
from pipeline.paths import ROOT
from pipeline.types import NAME_TYPES, PROFILES

SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
_MARKERS = ("<!-- eval:start -->", "<!-- eval:end -->")
_NEWS_TYPES = (*NAME_TYPES, "MONEY", "COUNT", "DATE")


@dataclass(frozen=True)
class Suite:
    name: str
    real: bool  # text nobody on the project wrote
    needs: tuple[Path, ...]  # files that must exist for the suite to run
    run: Callable[[str, Path], dict]  # (profile, its output folder) -> report with "errors"

    def available(self) -> bool:
        return all(p.exists() for p in self.needs)


def _news(inputs: Callable[[Path], list[Path]], gold: Callable[[], list[Path]], yen_only: bool):
    def run(profile: str, out: Path) -> dict:
        from pipeline.job import extract

        tables = out / "tables"
        extract(inputs(out), out=tables, profile=profile)
        return news.evaluate(gold(), tables, yen_only=yen_only)

    return run


def _wikinews_input(out: Path) -> list[Path]:
    """The gold records as `extract` input: id, headline, body = lead, published."""
    path = out / "input" / "wikinews-dev.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for rec in news.load_gold([DATA / "wikinews" / "gold_dev.jsonl"]):
            keep = {
                "id": rec["id"],
                "headline": rec["headline"],
                "body": rec["lead"],
                "published": rec["published"],
            }
            fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
    return [path]


def _stockmark(profile: str, out: Path) -> dict:
    records = stockmark.load(DATA / "stockmark" / "dev.jsonl")
    report, errors = stockmark.score(records, stockmark.predict(records, profile))
    ginza, _ = stockmark.score(records, stockmark.predict_ginza(records, out.parent / "cache"))
    return {"sentences": len(records), "ours": report, "ginza": ginza, "errors": errors}


def _peers(profile: str, out: Path) -> dict:
    base = DATA / "peers"
    numbers, n_err = peers.score_numbers(peers.number_cases(base / "recognizers_number.jsonl"))
    rt_dates, rt_err = peers.score_dates(
        peers.recognizers_date_cases(base / "recognizers_date.jsonl"), profile, "recognizers-date"
    )
    jt_dates, jt_err = peers.score_dates(
        peers.jatimex_date_cases(base / "jatimex_date.jsonl"), profile, "jatimex-date"
    )
    return {
        "recognizers-number": numbers,
        "recognizers-date": rt_dates,
        "jatimex-date": jt_dates,
        "errors": n_err + rt_err + jt_err,
    }


SUITES = (
    Suite(
        "wikinews-dev",
        True,
        (DATA / "wikinews" / "gold_dev.jsonl",),
        _news(_wikinews_input, lambda: [DATA / "wikinews" / "gold_dev.jsonl"], yen_only=True),
    ),
    Suite("stockmark-dev", True, (DATA / "stockmark" / "dev.jsonl",), _stockmark),
    Suite(
        "peers",
        True,
        tuple(
            DATA / "peers" / f"{n}.jsonl" for n in ("recognizers_number", "recognizers_date", "jatimex_date")
        ),
        _peers,
    ),
    Suite(
        "corpus",
        False,
        (ROOT / "corpus" / "gold",),
        _news(
            lambda _: [ROOT / "corpus" / "articles"],
            lambda: sorted((ROOT / "corpus" / "gold").glob("*.jsonl")),
            False,
        ),
    ),
    Suite(
        "seed",
        False,
        (SHARED / "gold" / "seed_gold.jsonl",),
        _news(
            lambda _: sorted((SHARED / "seeds").glob("*.txt")),
            lambda: [SHARED / "gold" / "seed_gold.jsonl"],
            False,
        ),
    ),
)


def run(suites: list[Suite], profiles: list[str], out_root: Path) -> dict[tuple[str, str], dict]:
    """Run every suite in every profile; write report.json, report.md and errors.tsv for each."""
    reports = {}
    for suite in suites:
        for profile in profiles:
            out = out_root / f"{suite.name}-{profile}"
            out.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            report = suite.run(profile, out)
            report["seconds"] = round(time.perf_counter() - t0, 1)
            n = write_errors(out / "errors.tsv", report.pop("errors"))
            (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
            (out / "report.md").write_text(detail(suite.name, profile, report), "utf-8")
            print(
                f"{suite.name} / {profile}: {report['seconds']} s, {n} errors -> {out / 'errors.tsv'}",
                flush=True,
            )
            reports[(suite.name, profile)] = report
    return reports


def detail(suite: str, profile: str, report: dict) -> str:
    if "mentions" in report:
        return news.format_report(report, f"{suite}, {profile} profile")
    lines = [f"## {suite}, {profile} profile", ""]
    if "ours" in report:
        lines += [
            "| group | who | exact P | exact R | exact F1 | partial F1 | gold | pred |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for who in ("ours", "ginza"):
            for group, m in report[who].items():
                e, p = m["exact"], m["partial"]
                cells = [f"{x:.3f}" for x in (e["precision"], e["recall"], e["f1"], p["f1"])]
                lines.append(f"| {group} | {who} | {' | '.join(cells)} | {e['gold']} | {e['pred']} |")
    else:
        lines += ["| suite | accuracy | right | cases |", "|---|---|---|---|"]
        lines += [
            f"| {k} | {v['accuracy']:.3f} | {v['correct']} | {v['total']} |"
            for k, v in report.items()
            if isinstance(v, dict)
        ]
    return "\n".join(lines) + "\n"


def summary(reports: dict[tuple[str, str], dict]) -> str:
    """The README's tables: real text first, then our own gold, each row saying what it is."""
    out = []
    news_rows = [(k, r) for k, r in reports.items() if "mentions" in r]

    def news_of(real: bool) -> list:
        return [(k, r) for k, r in news_rows if next(s for s in SUITES if s.name == k[0]).real == real]

    if news_of(True):
        out.append(_news_table(news_of(True), "Real news"))
    names = [(k, r) for k, r in reports.items() if "ours" in r]
    if names:
        out.append(_names_table(names))
    peer_rows = [(k, r) for k, r in reports.items() if "recognizers-number" in r]
    if peer_rows:
        out.append(_peers_table(peer_rows))
    if news_of(False):
        out.append(_news_table(news_of(False), "Our own gold (regression guard, not evidence)"))
    return "\n\n".join(out)


def _peers_table(rows: list) -> str:
    keys = ("recognizers-number", "recognizers-date", "jatimex-date")
    head = ["peers' own test cases / profile", "Recognizers-Text numbers", "Recognizers-Text dates (day)"]
    lines = ["| " + " | ".join([*head, "ja-timex dates"]) + " |", "|---|---|---|---|"]
    for (suite, profile), r in rows:
        cells = [f"{r[k]['accuracy']:.3f} ({r[k]['correct']}/{r[k]['total']})" for k in keys]
        lines.append(f"| {suite} / {profile} | " + " | ".join(cells) + " |")
    lines.append("\nAccuracy: the share of cases whose value we give, scored as the data's README says.")
    return "\n".join(lines)


def _news_table(rows: list, title: str) -> str:
    types = [t for t in _NEWS_TYPES if any(t in r["mentions"] for _, r in rows)]
    head = [f"{title} / profile", "articles", *types, "events", "legal", "damage P", "damage core*"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (suite, profile), r in rows:
        cells = []
        for t in types:
            m, s = r["mentions"].get(t), r["mentions_surface"].get(t)
            cells.append(f"{m['f1']:.2f} / {s['f1']:.2f}" if m else "–")
        kinds = r["event_types"]
        legal = f"{kinds['legal']['f1']:.2f}" if kinds.get("legal", {}).get("gold") else "–"
        damage_p = f"{kinds['damage']['precision']:.2f}" if kinds.get("damage", {}).get("gold") else "–"
        core = news.damage_core(r)
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{suite} / {profile}",
                    str(r["articles"]),
                    *cells,
                    f"{r['events']['f1']:.2f}",
                    legal,
                    damage_p,
                    "–" if core is None else f"{core:.2f}",
                ]
            )
            + " |"
        )
    lines.append(
        "\nMention cells: value F1 / surface F1 (value: article, type and normalized value; "
        "surface: the exact span). "
        "events: F1 on (article, event type, slot, value) tuples; legal: the same for legal events alone; "
        "damage P: tuple precision of damage events. *the lowest F1 among the damage events' "
        f"{', '.join(news.DAMAGE_CORE)} slots."
    )
    return "\n".join(lines)


def _names_table(rows: list) -> str:
    groups = list(stockmark.GROUPS)
    head = ["stockmark-dev (Wikipedia) / who", *(f"{g} exact / partial" for g in groups)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def cells(report: dict) -> list[str]:
        return [f"{report[g]['exact']['f1']:.2f} / {report[g]['partial']['f1']:.2f}" for g in groups]

    for (_, profile), r in rows:
        lines.append("| " + " | ".join([f"ours, {profile}", *cells(r["ours"])]) + " |")
    lines.append("| " + " | ".join(["raw GiNZA (`ja_ginza` NER)", *cells(rows[0][1]["ginza"])]) + " |")
    lines.append(
        f"\nSpan F1 on {rows[0][1]['sentences']} sentences: "
        "company = 法人名 vs BANK/COMPANY/PAYMENT_SERVICE, "
        "organizations = 法人名+政治的組織名+その他の組織名 vs every organization type, "
        "person = 人名 vs PERSON; "
        "exact: same start and end, partial: overlapping."
    )
    return "\n".join(lines)


def update_readme(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = _MARKERS
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    path.write_text(pattern.sub(lambda _: f"{start}\n{table}\n{end}", text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--suite", action="append", choices=[s.name for s in SUITES], help="default: every suite present"
    )
    parser.add_argument("--profile", action="append", choices=list(PROFILES), help="default: both")
    parser.add_argument("--out", default="eval-out", help="folder for tables, reports and errors.tsv")
    parser.add_argument("--readme", help="README whose eval section is replaced with the summary tables")
    args = parser.parse_args(argv)
    chosen = [s for s in SUITES if not args.suite or s.name in args.suite]
    missing = [s.name for s in chosen if not s.available()]
    if missing:
        print(f"skipped (their data is not here): {', '.join(missing)}")
    suites = [s for s in chosen if s.available()]
    reports = run(suites, args.profile or list(PROFILES), Path(args.out))
    for (suite, profile), report in reports.items():
        print("\n" + detail(suite, profile, report))
    table = summary(reports)
    print(table)
    print(f"\nerrors to read first: {args.out}/<suite>-<profile>/errors.tsv")
    if args.readme:
        if args.suite or args.profile or missing:
            print("README not updated: its tables need every suite in both profiles")
        else:
            update_readme(Path(args.readme), table)
    return 0
