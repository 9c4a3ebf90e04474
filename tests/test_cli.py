"""The command line in-process: help, exit codes, lock, summary, progress, re-run equality, set publishing."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from pipeline import outputs
from pipeline.cli import main
from pipeline.lock import output_lock
from pipeline.outputs import read_manifest, verify_outputs
from pipeline.progress import Progress, describe, format_duration
from pipeline.tables import SCHEMAS, load_table

ARTICLES = [
    {
        "id": "c1",
        "headline": "北浜銀行、ネットバンキングを一時停止",
        "body": "北浜銀行は10月2日、不正ログインが相次いだためネットバンキングを止めた。被害は約１５０万円。",
        "published": "2022-10-03",
    },
    {
        "id": "c2",
        "headline": "送金アプリで被害２０件",
        "body": "決済アプリ経由の不正送金が20件確認され、運営会社は11月中旬にも再開する方針だ。",
        "published": "2022-11-01",
    },
]
REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^(\d+) articles, (\d+) mentions, (\d+) events, (\d+) rejects in \d+\.\ds -> (.+)$")


@pytest.fixture()
def src(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES] + ['{"id": "c3", "headline": ']
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _extract(src, out, *extra):
    return main(["extract", str(src), "--out", str(out), "--profile", "fast", "-q", *extra])


def _tables(out):
    return {name: load_table(name, out) for name in SCHEMAS}


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"python -m pipeline {metadata.version('jnews-pipeline')}"


@pytest.mark.parametrize("command", [[], ["extract"], ["eval"]])
def test_help_has_examples_and_exit_codes(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([*command, "--help"])
    text = capsys.readouterr().out
    assert stop.value.code == 0
    assert "examples:\n  python -m pipeline " in text and "exit codes:" in text


@pytest.mark.parametrize(
    "argv", [[], ["extract"], ["extract", "x", "--profile", "huge"], ["eval", "--pred", "o"]]
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2


def test_closed_stdout_ends_quietly(src, tmp_path):
    assert _extract(src, tmp_path / "out") == 0
    gold = REPO / "corpus" / "gold" / "wire_2020_2021.jsonl"
    cmd = [sys.executable, "-m", "pipeline", "eval", "--gold", str(gold), "--pred", str(tmp_path / "out")]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head` that has read enough, long before the report is printed
    assert (proc.stderr.read(), proc.wait()) == (b"", 141)


def test_summary_rejects_and_strict(src, tmp_path, capsys):
    out = tmp_path / "out"
    assert _extract(src, out) == 0
    captured = capsys.readouterr()
    n_articles, _, _, n_rejects, where = SUMMARY.match(captured.out.strip()).groups()
    assert (n_articles, n_rejects, where) == ("2", "1", str(out))
    assert re.search(r"rejected: .*news\.jsonl record 3: ", captured.err)
    assert _extract(src, out, "--strict") == 1
    (src / "news.jsonl").write_text(
        (src / "news.jsonl").read_text(encoding="utf-8").rsplit("{", 1)[0], "utf-8"
    )
    assert _extract(src, out, "--strict") == 0


def test_missing_input_exits_1(tmp_path, capsys):
    assert _extract(tmp_path / "nowhere", tmp_path / "out") == 1
    assert "error: input path does not exist" in capsys.readouterr().err


def test_busy_output_folder_exits_1_and_names_the_holder(src, tmp_path, capsys):
    out = tmp_path / "out"
    with output_lock(out):
        assert _extract(src, out) == 1
    err = capsys.readouterr().err
    assert f"another extract is writing to {out} (pid {os.getpid()}); wait for it or use another --out" in err
    assert read_manifest(out) is None  # the refused run wrote nothing


def test_lock_file_of_a_dead_run_does_not_block(src, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").write_text("4000000\n")  # no process holds it: the OS dropped the flock
    assert _extract(src, out) == 0
    assert (out / ".lock").read_text() == f"{os.getpid()}\n"


def test_runs_are_repeatable_and_the_manifest_describes_the_set(src, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert _extract(src, first) == 0 and _extract(src, second) == 0
    a, b = _tables(first), _tables(second)
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert _extract(src, first) == 0  # from the cache
    for name, df in _tables(first).items():
        pd.testing.assert_frame_equal(df, b[name])
    manifest = read_manifest(first)
    assert manifest["rows"] == {name: len(df) for name, df in a.items()}
    assert manifest["profile"] == "fast" and sorted(manifest["files"]) == sorted(
        [*(f"{n}.{ext}" for n in SCHEMAS for ext in ("csv", "parquet")), "timeline.png"]
    )
    assert verify_outputs(first) == []
    (first / "events.csv").write_bytes(b"edited")
    assert verify_outputs(first) == [f"{first / 'events.csv'} differs from run {manifest['run_id']}"]


def test_interrupt_while_publishing_is_visible_and_repaired(src, tmp_path, monkeypatch, capsys):
    out, clean = tmp_path / "out", tmp_path / "clean"
    assert _extract(src, clean) == 0
    real_replace = os.replace

    def ctrl_c_on_events(source, target):
        if Path(target) == out / "events.parquet":
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", ctrl_c_on_events)
    assert _extract(src, out) == 130
    assert "interrupted: the previous tables" in capsys.readouterr().err
    assert verify_outputs(out)[0].endswith("no run finished, or one was interrupted while publishing")

    monkeypatch.setattr(outputs.os, "replace", real_replace)
    assert _extract(src, out) == 0
    assert verify_outputs(out) == [] and not list(out.glob(".staging-*"))
    for name, df in _tables(out).items():
        pd.testing.assert_frame_equal(df, load_table(name, clean))


def test_verbose_logs_debug(src, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="pipeline")
    assert _extract(src, tmp_path / "out", "-v") == 0
    assert any(r.name == "pipeline.cli" and r.levelno == logging.DEBUG for r in caplog.records)
    logging.getLogger("pipeline").setLevel(logging.NOTSET)


def test_progress_text():
    assert [format_duration(s) for s in (0.4, 59, 65, 3700)] == ["0s", "59s", "1m05s", "1h01m"]
    assert describe(1, 40, None) == "1/40 articles"
    assert describe(10, 40, 5.0) == "10/40 articles, 5.0 articles/s, ETA 6s"


def test_progress_plain_lines_once_per_tenth():
    clock = iter(range(100))
    stream = io.StringIO()
    progress = Progress(stream, bar=False, clock=lambda: next(clock))
    for done in range(1, 21):
        progress(done, 20)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0] == "annotated 2/20 articles, 1.0 articles/s, ETA 18s"
    assert lines[-1] == "annotated 20/20 articles, 1.0 articles/s, ETA 0s"


def test_progress_bar_redraws_one_line():
    clock = iter(range(100))
    stream = io.StringIO()
    progress = Progress(stream, bar=True, clock=lambda: next(clock))
    for done in range(1, 5):
        progress(done, 4)
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n") and text.count("\n") == 1
    assert "\r[########################] 4/4 articles" in text
