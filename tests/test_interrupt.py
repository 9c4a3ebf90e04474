"""A real `python -m pipeline extract` killed mid-run keeps the previous outputs; the next run completes.

The input is a few hundred generated articles, so that the run is still annotating when it is
stopped; it is stopped after a random one of its first progress lines, i.e. after it has started
writing its cache. A second extract on the same folder meanwhile is refused by the lock.
"""

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.cli import main
from pipeline.outputs import read_manifest, verify_outputs
from pipeline.tables import SCHEMAS, load_table

ROOT = Path(__file__).resolve().parents[1]
BANKS = ["東浜銀行", "みずなみ信用金庫", "北陸中央銀行", "さつき銀行", "南部信用組合"]
SERVICES = ["ネット送金", "口座振替", "スマホ決済との連携", "ATMでの引き出し"]


def _article(rng: random.Random, i: int) -> dict:
    bank, service = rng.choice(BANKS), rng.choice(SERVICES)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    body = (
        f"{bank}は{month}月{day}日、{service}を一時停止したと発表した。"
        f"不正な引き出しが{rng.randint(2, 90)}件あり、被害額は約{rng.randint(1, 900)}万円に上る。"
        f"同行は{rng.randint(1, 20)}日にも再開する見通しで、問い合わせは{rng.randint(10, 500)}件寄せられた。"
        f"担当者は「原因を調べている」と話した。"
    )
    return {
        "id": f"g{i:04d}",
        "headline": f"{bank}、{service}を停止",
        "body": body,
        "published": f"2023-{month:02d}-28",
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("interrupt")
    rng = random.Random(20240611)
    big, small = root / "big.jsonl", root / "small.jsonl"
    big.write_text(
        "".join(json.dumps(_article(rng, i), ensure_ascii=False) + "\n" for i in range(300)), "utf-8"
    )
    small.write_text(
        "".join(json.dumps(_article(rng, i), ensure_ascii=False) + "\n" for i in range(3)), "utf-8"
    )
    clean = root / "clean"
    pipeline.extract([big], out=clean, profile="fast")
    return big, small, clean


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: load_table(name, out) for name in SCHEMAS}


def _assert_same(out: Path, expected: dict[str, pd.DataFrame]) -> None:
    for name, df in _tables(out).items():
        pd.testing.assert_frame_equal(df, expected[name])


def _start(big: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pipeline", "extract", str(big), "--out", str(out), "--profile", "fast"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_progress(proc: subprocess.Popen, lines: int) -> None:
    seen = 0
    while seen < lines:
        line = proc.stderr.readline()
        assert line, f"extract ended before {lines} progress lines (exit {proc.wait()})"
        seen += line.startswith("annotated ")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_keeps_previous_outputs_and_rerun_completes(sig, inputs, tmp_path, capsys):
    big, small, clean = inputs
    out = tmp_path / "out"
    pipeline.extract([small], out=out, profile="fast")
    before, manifest = _tables(out), read_manifest(out)
    cached_before = {p.name for p in (out / ".cache" / "fast").iterdir()}

    proc = _start(big, out)
    try:
        _wait_for_progress(proc, random.randint(1, 4))
        assert main(["extract", str(small), "--out", str(out), "--profile", "fast", "-q"]) == 1
        assert f"another extract is writing to {out} (pid {proc.pid})" in capsys.readouterr().err
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    if sig == signal.SIGTERM:
        assert proc.returncode == 143 and "interrupted: the previous tables" in err
    else:
        assert proc.returncode == -signal.SIGKILL

    assert verify_outputs(out) == [] and read_manifest(out)["run_id"] == manifest["run_id"]
    _assert_same(out, before)
    cached = {p.name for p in (out / ".cache" / "fast").iterdir()} - cached_before
    assert 0 < len(cached) < 300  # killed mid-run, after it had started writing

    rerun = _start(big, out)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert verify_outputs(out) == [] and not list(out.glob(".staging-*"))
    assert not [p for p in (out / ".cache" / "fast").iterdir() if p.name.endswith(".tmp")]
    _assert_same(out, _tables(clean))
