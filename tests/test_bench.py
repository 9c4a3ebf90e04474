"""The benchmark corpus is deterministic and the report's arithmetic is right (no timing asserted)."""

from pipeline.bench import format_table, summarize
from pipeline.benchgen import generate


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
