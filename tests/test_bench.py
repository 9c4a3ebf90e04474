"""The benchmark corpus is deterministic and the report's arithmetic is right (no timing asserted)."""

import json

from pipeline.bench import format_sample, format_scale, format_table, sample_articles, summarize
from pipeline.benchgen import SHORT, generate, write_archive


def test_corpus_is_deterministic_and_sized():
    first, again = list(generate(50)), list(generate(50))
    assert first == again and len(first) == 50 and first[0]["id"] == "bench-00000"
    assert list(generate(50, seed=1)) != first
    assert all(r["headline"] and "。" in r["body"] and r["published"][:2] == "20" for r in first)


def test_summary_rates_and_ratios():
    raw = {
        "ginza": {"seconds": 10.0, "rss_mib": 900.0, "worker_rss_mib": 0.0},
        "accurate": {"seconds": 4.0, "rss_mib": 300.0, "worker_rss_mib": 1000.0},
        "rerun": {"seconds": 0.2, "rss_mib": 200.0, "worker_rss_mib": 0.0},
    }
    rows = summarize(raw, n_articles=100, n_chars=50_000)
    assert (rows["ginza"]["chars_per_s"], rows["ginza"]["articles_per_s"]) == (5_000, 10)
    assert (rows["accurate"]["x_ginza"], rows["rerun"]["share_of_first_run"]) == (2.5, 0.05)
    assert "5.0% of the first run" in format_table(rows, workers=2)


def test_whole_process_time_gives_the_rates_and_cpu_is_per_article():
    raw = {
        "ginza": {
            "seconds": 8.0,
            "process_seconds": 10.0,
            "cpu_seconds": 9.0,
            "rss_mib": 1.0,
            "worker_rss_mib": 0.0,
        },
        "fast": {
            "seconds": 0.5,
            "process_seconds": 1.0,
            "cpu_seconds": 1.5,
            "startup_seconds": 0.25,
            "rss_mib": 1.0,
            "worker_rss_mib": 1.0,
        },
    }
    rows = summarize(raw, n_articles=100, n_chars=50_000)
    assert (rows["fast"]["chars_per_s"], rows["fast"]["x_ginza"]) == (50_000, 10)
    assert rows["ginza"]["cpu_ms_per_article"] == 90
    fast = format_table(rows, workers=2).splitlines()[2].split()
    assert fast[:6] == ["fast", "1.00", "50,000", "100.0", "15.0", "0.25"]


def test_fast_profile_against_bare_tokenization():
    raw = {
        "fast": {"seconds": 3.0, "rss_mib": 1.0, "worker_rss_mib": 1.0},
        "floor": {"seconds": 1.2, "rss_mib": 1.0, "worker_rss_mib": 0.0},
    }
    rows = summarize(raw, n_articles=100, n_chars=60_000)
    assert rows["fast"]["x_floor"] == 2.5 and "x_floor" not in rows["floor"]
    assert "bare fugashi tokenization is 2.50x as fast as the fast profile" in format_table(rows, workers=2)


def test_real_news_sample_is_deterministic(tmp_path):
    source = tmp_path / "all.jsonl"
    source.write_text("".join(f'{{"id": "{i}", "headline": "h", "body": "b"}}\n' for i in range(50)), "utf-8")
    first = sample_articles(source, tmp_path / "a.jsonl", 10).read_text("utf-8")
    assert first == sample_articles(source, tmp_path / "b.jsonl", 10).read_text("utf-8")
    ids = [line.split('"')[3] for line in first.splitlines()]
    assert len(ids) == 10 and ids == sorted(ids, key=int)
    assert sample_articles(source, tmp_path / "c.jsonl", 500).read_text("utf-8").count("\n") == 50


def test_table_marks_missing_ginza_ratio():
    rows = summarize({"fast": {"seconds": 2.0, "rss_mib": 1.0, "worker_rss_mib": 1.0}}, 10, 1000)
    assert "500" in format_table(rows, workers=2).splitlines()[1]
    assert format_table(rows, workers=2).splitlines()[1].endswith("–")


def test_sample_lines():
    sample = {
        "modes": {
            "ginza": {"cpu_seconds": 10.0, "chars_per_cpu_s": 1000.0, "x_ginza": 1.0},
            "accurate": {"cpu_seconds": 2.5, "chars_per_cpu_s": 4000.0, "x_ginza": 4.0},
        },
    }
    text = format_sample(sample)
    assert text.splitlines()[-1].split() == ["accurate", "2.50", "4,000", "4.00"]


def test_archive_of_short_articles_in_files_of_a_thousand(tmp_path):
    folder = write_archive(tmp_path / "a", 2500)
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    records = [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]
    assert [f.read_text("utf-8").count("\n") for f in files] == [1000, 1000, 500]
    assert records == list(generate(2500, sentences=SHORT))
    assert all(1 <= r["body"].count("。") <= 3 for r in records[:200])  # every template ends in one 。


def test_scale_lines_give_the_timeline_share_and_the_memory_ratio():
    def run(seconds: float, timeline: float, rss: float) -> dict:
        stages = {"read": 1.0, "annotate": seconds - timeline - 3, "tables": 2.0, "timeline": timeline}
        return {"process_seconds": seconds, "stages": stages, "rss_mib": rss, "worker_rss_mib": 300.0}

    result = {
        "workers": 2,
        "cpus": 2,
        "loadavg_before": [1.0, 1, 1],
        "loadavg_after": [2.0, 2, 2],
        "fast": {"10000": run(50.0, 2.5, 300.0), "100000": run(500.0, 5.0, 330.0)},
        "accurate": {"10000": {"process_seconds": 200.0, "worker_rss_mib": 700.0, "rss_mib": 320.0}},
    }
    lines = format_scale(result).splitlines()
    assert lines[2].split()[-3:] == ["5.0%", "300", "300"] and lines[3].split()[-3:] == ["1.0%", "330", "300"]
    assert "at 100,000: 1.10x that at 10,000" in lines[4]
    assert "worker peak RSS 700 MiB" in lines[5]
