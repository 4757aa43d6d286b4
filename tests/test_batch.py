"""Batch scoring: bad files, formats, resume after a kill, and the Ray engine."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimcheck.batch import BatchConfig, find_stories, output_format, run_batch, summarise
from claimcheck.ingest import InputError

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "stories"
    (d / "sub").mkdir(parents=True)
    for name in ("01_bus_fire.txt", "08_mayor_negation.txt", "16_dozen_trap.txt",
                 "19_rounding.txt"):
        shutil.copy(EVAL / name, d / name)
    shutil.copy(EVAL / "21_sport_consistent.txt", d / "sub" / "21.txt")
    (d / "empty.txt").write_text("")
    (d / "image.html").write_bytes(b"\x89PNG\x00\x00\x00" * 50)
    (d / "README.txt").write_text("Not a story.")
    return d


def test_find_stories_and_formats(folder, tmp_path):
    names = [p.name for p in find_stories(folder)]
    assert "README.txt" not in names and "21.txt" in names and len(names) == 7
    with pytest.raises(InputError, match="no such folder"):
        find_stories(tmp_path / "nope")
    assert output_format(Path("r.parquet")) == "parquet"
    with pytest.raises(InputError, match=".jsonl, .csv or .parquet"):
        output_format(Path("r.xlsx"))


def test_summary_counts():
    rows = [{"path": "a", "score": 0.5, "pairs_scored": 3, "pairs_total": 3, "error": None,
             "flags": [{"kind": "numeric"}], "flag_kinds": {"numeric": 1}},
            {"path": "b", "score": 1.0, "pairs_scored": 1, "pairs_total": 1, "error": None,
             "flags": [], "flag_kinds": {}},
            {"path": "c", "score": None, "pairs_scored": 0, "pairs_total": 0, "error": "empty",
             "flags": [], "flag_kinds": {}}]
    s = summarise(rows)
    assert (s["stories"], s["errors"], s["flagged_share"]) == (3, 1, 0.5)
    assert s["flags_per_kind"] == {"numeric": 1} and s["worst"][0]["path"] == "a"


@pytest.mark.slow
def test_batch_scores_folder_and_bad_files_do_not_stop_it(folder, tmp_path):
    out = tmp_path / "results.jsonl"
    summary = run_batch(folder, out, BatchConfig(chunk=3), progress=False)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 7 and summary["errors"] == 2
    errors = {Path(r["path"]).name: r["error"] for r in rows if r["error"]}
    assert "is empty" in errors["empty.txt"] and "binary" in errors["image.html"]
    bus = next(r for r in rows if r["path"].endswith("01_bus_fire.txt"))
    assert bus["flags"] and bus["flag_kinds"] and bus["pairs_scored"] > 0
    # the same rows in CSV and Parquet
    import pyarrow.parquet as pq

    run_batch(folder, tmp_path / "r.parquet", BatchConfig(chunk=3), progress=False)
    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [r["path"] for r in table] == [r["path"] for r in rows]
    assert json.loads(table[0]["flags"]) == rows[0]["flags"]
    run_batch(folder, tmp_path / "r.csv", BatchConfig(chunk=3), progress=False)
    assert (tmp_path / "r.csv").read_text().splitlines()[0].startswith("path,score,claims")


def _cli(*args):
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    return [sys.executable, "-m", "claimcheck.cli", *map(str, args)], env


@pytest.mark.slow
def test_killed_run_resumes_to_an_identical_result(folder, tmp_path):
    straight = tmp_path / "straight.jsonl"
    cmd, env = _cli("batch", folder, "--out", straight, "--chunk", "1", "--no-progress")
    subprocess.run(cmd, env=env, check=True, capture_output=True)

    resumed = tmp_path / "resumed.jsonl"
    cmd, env = _cli("batch", folder, "--out", resumed, "--chunk", "1", "--no-progress")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = tmp_path / "resumed.jsonl.parts"
    deadline = time.time() + 300
    while time.time() < deadline and len(list(parts.glob("part-*.jsonl"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(parts.glob("part-*.jsonl")))
    assert 2 <= done_before < 7, "the run should be killed part-way"
    assert not resumed.exists()

    result = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    assert "7 stories" in result.stderr
    assert resumed.read_bytes() == straight.read_bytes()


@pytest.mark.slow
def test_ray_engine_equals_local_engine(folder, tmp_path):
    pytest.importorskip("ray")
    local = tmp_path / "local.jsonl"
    run_batch(folder, local, BatchConfig(chunk=2), progress=False)
    os.environ.pop("RAY_ADDRESS", None)
    via_ray = tmp_path / "ray.jsonl"
    run_batch(folder, via_ray, BatchConfig(chunk=2, engine="ray", workers=1), progress=False)
    assert via_ray.read_text() == local.read_text()
