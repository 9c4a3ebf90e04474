"""The real-text scorers on fixtures of our own: a known gold and prediction give a known score."""

import json
from datetime import date

import pytest

from pipeline.evaluation import peers, stockmark
from pipeline.evaluation.metrics import ErrorRow, prf_counts, write_errors
from pipeline.evaluation.run import SUITES, summary

SENTENCES = [
    {
        "id": 1,
        "text": "山田太郎はトヨタ自動車の社長。",
        "entities": [
            {"start": 0, "end": 4, "type": "人名", "name": "山田太郎"},
            {"start": 5, "end": 11, "type": "法人名", "name": "トヨタ自動車"},
        ],
    },
    {
        "id": 2,
        "text": "自民党と日本銀行が会談。",
        "entities": [
            {"start": 0, "end": 3, "type": "政治的組織名", "name": "自民党"},
            {"start": 4, "end": 8, "type": "法人名", "name": "日本銀行"},
        ],
    },
]


def test_stockmark_exact_and_partial():
    predicted = {
        "1": [(0, 2, "PERSON"), (5, 11, "COMPANY")],  # the person cut short: partial only
        "2": [
            (0, 3, "ORGANIZATION"),
            (4, 8, "BANK"),
            (9, 11, "COMPANY"),
        ],  # a bank is a company; 会談 is false
    }
    report, errors = stockmark.score(SENTENCES, predicted)
    assert report["person"]["exact"]["f1"] == 0.0 and report["person"]["partial"]["f1"] == 1.0
    company = report["company"]["exact"]
    assert (company["precision"], company["recall"]) == (pytest.approx(2 / 3, abs=1e-4), 1.0)
    assert report["organizations"]["exact"]["f1"] == pytest.approx(2 * 0.75 * 1.0 / 1.75, abs=1e-4)
    person = [e for e in errors if e.type == "person"]
    assert {(e.error, e.text) for e in person} == {("miss", "山田太郎"), ("false", "山田")}
    assert next(e for e in person if e.error == "miss").got == "山田"


def test_stockmark_ginza_labels_map_to_our_groups():
    assert stockmark.GINZA_TYPES["Company"] == "COMPANY"
    assert stockmark.GINZA_TYPES["Political_Party"] == "ORGANIZATION"
    assert "Product_Other" not in stockmark.GINZA_TYPES


def test_partial_counts_each_side_separately():
    # one long prediction over two gold spans: both gold found, one prediction right
    assert prf_counts(1, 1, 2, 2)["f1"] == 1.0
    assert prf_counts(0, 0, 0, 3) == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "gold": 3,
        "pred": 0,
        "tp": 0,
    }


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_number_cases_selected_and_scored(tmp_path):
    base = {"negative": False, "ignore_resolution": False, "subtype": "integer", "input": "x"}
    rows = [
        {**base, "id": "a", "span_literal": "三万五千", "value": 35000, "value_str": "35000"},
        {**base, "id": "b", "span_literal": "一点五", "value": 1.5, "value_str": "1.5", "subtype": "decimal"},
        {**base, "id": "c", "span_literal": "二十", "value": 21, "value_str": "21"},  # a wrong expectation
        {**base, "id": "d", "span_literal": "半分", "value": 0.5, "value_str": "0.5", "subtype": "fraction"},
        {**base, "id": "e", "span_literal": "西九条", "value": None, "value_str": None, "negative": True},
    ]
    cases = peers.number_cases(_jsonl(tmp_path / "n.jsonl", rows))
    assert [c["id"] for c in cases] == ["a", "b", "c"]
    score, errors = peers.score_numbers(cases[::2])
    assert score == {"accuracy": 0.5, "correct": 1, "total": 2}
    assert [(e.item, e.expected, e.got) for e in errors] == [("c", "21", "20")]


def test_date_cases_take_every_full_reading(tmp_path):
    rows = [
        {
            "id": "r1",
            "input": "私は10月2日に戻ります",
            "reference_date": "2016-11-07",
            "type": "date",
            "value": None,
            "candidates": [{"value": "2017-10-02"}, {"value": "2016-10-02"}],
        },
        {
            "id": "r2",
            "input": "来週",
            "reference_date": "2016-11-07",
            "type": "daterange",
            "value": None,
            "candidates": [],
        },
        {
            "id": "r3",
            "input": "10月",
            "reference_date": "2016-11-07",
            "type": "date",
            "value": "XXXX-10",
            "candidates": [],
        },
    ]
    (case,) = peers.recognizers_date_cases(_jsonl(tmp_path / "d.jsonl", rows))
    assert (case.id, case.reference, case.accepted) == ("r1", date(2016, 11, 7), {"2017-10-02", "2016-10-02"})
    timex = [
        {
            "id": "t1",
            "input": "2021年7月18日",
            "reference_date": None,
            "iso_date": "2021-07-18",
            "iso_date_source": "value",
        },
        {
            "id": "t2",
            "input": "明日",
            "reference_date": None,
            "iso_date": "2021-07-19",
            "iso_date_source": "to_datetime",
        },
    ]
    assert [c.id for c in peers.jatimex_date_cases(_jsonl(tmp_path / "t.jsonl", timex))] == ["t1"]


def test_date_cases_scored_against_annotate():
    cases = [
        peers.DateCase(
            "ok", "私は10月2日に戻ります", date(2016, 11, 7), frozenset({"2017-10-02", "2016-10-02"})
        ),
        peers.DateCase("no", "私は10月2日に戻ります", date(2016, 11, 7), frozenset({"2015-10-02"})),
    ]
    score, errors = peers.score_dates(cases, "fast", "dates")
    assert score["correct"] == 1
    assert [(e.item, e.error, e.got) for e in errors] == [("no", "wrong", "10月2日 → 2016-10-02")]


def test_errors_tsv_has_a_header_and_one_line_per_row(tmp_path):
    rows = [
        ErrorRow("miss", "b", "DATE", "同日", "2020-01-02", "", "a\tb\nc"),
        ErrorRow("false", "a", "COUNT", "3人", "", "3 人"),
    ]
    assert write_errors(tmp_path / "e" / "errors.tsv", rows) == 2
    lines = (tmp_path / "e" / "errors.tsv").read_text("utf-8").splitlines()
    assert lines[0].split("\t") == ["error", "item", "type", "text", "expected", "got", "context"]
    assert lines[1].startswith("false\ta\t") and lines[2].endswith("a b⏎c")


def test_summary_puts_real_text_first():
    news = {
        "articles": 1,
        "mentions": {"DATE": {"f1": 0.5}},
        "mentions_surface": {"DATE": {"f1": 0.25}},
        "events": {"f1": 0.1},
        "event_types": {},
        "event_type_slots": {},
    }
    table = summary({("corpus", "fast"): news, ("wikinews-dev", "fast"): news})
    assert table.index("wikinews-dev / fast") < table.index("corpus / fast")
    assert "| wikinews-dev / fast | 1 | 0.50 / 0.25 | 0.10 | – | – | – |" in table
    assert {s.name for s in SUITES} == {"wikinews-dev", "stockmark-dev", "peers", "corpus", "seed"}


def test_suites_without_their_data_are_skipped_and_leave_the_readme(tmp_path, monkeypatch, capsys):
    from pipeline.evaluation import run

    absent = run.Suite("elsewhere", True, (tmp_path / "missing.jsonl",), lambda profile, out: {})
    monkeypatch.setattr(run, "SUITES", (absent,))
    readme = tmp_path / "README.md"
    readme.write_text("<!-- eval:start -->\nold\n<!-- eval:end -->\n", encoding="utf-8")
    assert run.main(["--out", str(tmp_path / "out"), "--readme", str(readme)]) == 0
    assert "skipped (their data is not here): elsewhere" in capsys.readouterr().out
    assert "old" in readme.read_text("utf-8") and not (tmp_path / "out").exists()
