"""Batch scoring: bad files, formats, resume after a kill, and the Ray engine."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from claimcheck.batch import (
    BatchConfig,
    _manifest,
    find_stories,
    output_format,
    run_batch,
    summarise,
)
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


# --- never losing work: crashes, locks, full disks, stuck stories -------------------------
# These run the real pipeline with a scripted model (tests/fuzzing.py), so they need no
# model load; the kill loop and the same-output checks below use the real one.


@pytest.fixture
def scripted(monkeypatch):
    """``claimcheck.pipeline.Auditor`` replaced by one whose model hands out fixed scores."""
    from claimcheck import pipeline
    from claimcheck.schema import NLIScores
    from tests.fuzzing import scripted_auditor

    scores = [NLIScores(0.05, 0.15, 0.8), NLIScores(0.6, 0.3, 0.1)]
    monkeypatch.setattr(pipeline, "Auditor", lambda *a, **k: scripted_auditor(scores))


def _batch_cli(monkeypatch, capsys, *args):
    from claimcheck import cli

    monkeypatch.setattr(sys, "argv", ["claimcheck", "batch", *map(str, args), "--no-progress"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_truncated_or_corrupt_parts_are_redone_and_reported(scripted, folder, tmp_path):
    out = tmp_path / "r.jsonl"
    run_batch(folder, out, BatchConfig(chunk=2), progress=False)
    first = out.read_bytes()
    parts = tmp_path / "r.jsonl.parts"
    cut = parts / "part-00001.jsonl"
    cut.write_bytes(cut.read_bytes()[:-40])  # a crash mid-write
    (parts / "part-00002.jsonl").write_bytes(b"\x00\x00garbage")
    (parts / ".part-00003.jsonl.tmp").write_text("half")  # debris of a killed run
    (tmp_path / ".r.jsonl.tmp").write_text("half")
    heard: list[str] = []
    summary = run_batch(folder, out, BatchConfig(chunk=2), progress=False, log=heard.append)
    assert summary["redone_parts"] == 2 and len(heard) == 2
    assert all("truncated or corrupt" in m for m in heard)
    assert out.read_bytes() == first and not list(parts.glob(".*.tmp"))
    assert not (tmp_path / ".r.jsonl.tmp").exists()


def test_a_second_run_on_the_same_out_is_refused(scripted, folder, tmp_path, monkeypatch,
                                                 capsys):
    from claimcheck.batch import batch_lock

    out = tmp_path / "r.jsonl"
    parts = tmp_path / "r.jsonl.parts"
    parts.mkdir()
    with batch_lock(parts, out):
        code, _, err = _batch_cli(monkeypatch, capsys, folder, "--out", out)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"another claimcheck batch (pid {os.getpid()}) is writing" in err
    assert not out.exists()


def test_the_lock_of_a_dead_run_is_taken_over(scripted, folder, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parts = tmp_path / "r.jsonl.parts"
    parts.mkdir()
    (parts / ".lock").write_text(f"{dead.pid}\n")
    run_batch(folder, tmp_path / "r.jsonl", BatchConfig(chunk=3), progress=False)
    assert (tmp_path / "r.jsonl").exists()
    assert (parts / ".lock").read_text().strip() == str(os.getpid())


def test_unwritable_output_is_one_line_and_exit_2(scripted, folder, tmp_path, monkeypatch,
                                                  capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = _batch_cli(monkeypatch, capsys, folder, "--out", blocker / "r.jsonl")
    assert code == 2 and err.startswith("error: cannot write") and "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1
    if os.geteuid() != 0:  # root writes anywhere: a read-only folder stops only others
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, err = _batch_cli(monkeypatch, capsys, folder, "--out", locked / "r.jsonl")
        assert code == 2 and "Permission denied" in err


def test_a_full_disk_keeps_the_parts_written_and_the_rerun_resumes(scripted, folder, tmp_path,
                                                                  monkeypatch, capsys):
    import errno

    straight = tmp_path / "straight.jsonl"
    run_batch(folder, straight, BatchConfig(chunk=2), progress=False)
    real_write = Path.write_text

    def full_disk(self, *args, **kwargs):
        if self.name.startswith(".part-00002"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, *args, **kwargs)

    out = tmp_path / "r.jsonl"
    monkeypatch.setattr(Path, "write_text", full_disk)
    code, _, err = _batch_cli(monkeypatch, capsys, folder, "--out", out, "--chunk", 2)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "No space left on device" in err and "2 part(s) written so far are kept" in err
    parts = tmp_path / "r.jsonl.parts"
    assert sorted(p.name for p in parts.glob("part-*")) == ["part-00000.jsonl",
                                                            "part-00001.jsonl"]
    assert not list(parts.glob(".*.tmp")) and not out.exists()
    monkeypatch.setattr(Path, "write_text", real_write)
    code, _, err = _batch_cli(monkeypatch, capsys, folder, "--out", out, "--chunk", 2)
    assert code == 0 and out.read_bytes() == straight.read_bytes()


def test_a_story_past_the_time_limit_is_an_error_row_and_the_run_goes_on(scripted, folder,
                                                                        tmp_path, monkeypatch):
    from claimcheck import pipeline

    real_prepare = pipeline.prepare

    def stuck_on_one(doc, *args, **kwargs):
        if doc.source.endswith("08_mayor_negation.txt"):
            time.sleep(120)
        return real_prepare(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "prepare", stuck_on_one)
    from tests.fuzzing import Auditor  # the real class: ``scripted`` patched the module's

    real_score = Auditor.score

    def stuck_in_the_model(self, prepared):  # the model stage of 16_dozen_trap.txt
        if prepared.document.source.endswith("16_dozen_trap.txt"):
            time.sleep(120)
        return real_score(self, prepared)

    monkeypatch.setattr(Auditor, "score", stuck_in_the_model)
    started = time.time()
    out = tmp_path / "r.jsonl"
    run_batch(folder, out, BatchConfig(chunk=3, story_timeout=10), progress=False)
    assert time.time() - started < 110
    rows = {Path(r["path"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["08_mayor_negation.txt"]["error"] == "timed out: took over 10 s (--story-timeout)"
    assert rows["16_dozen_trap.txt"]["error"] == rows["08_mayor_negation.txt"]["error"]
    assert rows["01_bus_fire.txt"]["error"] is None and len(rows) == 7


def _watch(proc: subprocess.Popen, parts: Path, until: Callable[[float, int], bool]) -> None:
    """Poll a running batch until ``until(seconds, parts on disk)`` or until it exits."""
    started = time.time()
    while proc.poll() is None and not until(time.time() - started,
                                            len(list(parts.glob("part-*.jsonl")))):
        time.sleep(0.02)


@pytest.mark.slow
def test_kill_loop_twenty_sigkills_lose_and_duplicate_no_row(tmp_path):
    """SIGKILL ``claimcheck batch`` 20 times, rerunning after each: at random moments
    while it loads and scores, and just after a part is written; every part on disk is
    whole at every moment, and the finished output is byte for byte the uninterrupted
    run's, with no story lost or doubled."""
    import random

    from claimcheck.batch import part_rows

    stories = tmp_path / "stories"
    stories.mkdir()
    for p in sorted(EVAL.glob("*.txt"))[:8]:
        shutil.copy(p, stories / p.name)
    (stories / "empty.txt").write_text("")
    (stories / "image.html").write_bytes(b"\x89PNG\x00\x00\x00" * 50)
    chunks = [[str(p)] for p in find_stories(stories)]  # --chunk 1: one part per story

    straight = tmp_path / "straight.jsonl"
    cmd, env = _cli("batch", stories, "--out", straight, "--chunk", "1", "--no-progress")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.time()
    _watch(proc, tmp_path / "straight.jsonl.parts", lambda s, n: n > 0)
    first_part = time.time() - started  # loading: imports, models
    assert proc.wait() == 0
    per_part = (time.time() - started - first_part) / len(chunks)

    out = tmp_path / "killed.jsonl"
    parts = tmp_path / "killed.jsonl.parts"
    cmd, env = _cli("batch", stories, "--out", out, "--chunk", "1", "--no-progress")
    rng = random.Random(20)
    kills = attempts = 0
    done: list[int] = []
    while kills < 20 and attempts < 40:
        attempts += 1
        before = len(list(parts.glob("part-*.jsonl")))
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if before == len(chunks):  # all scored: kill while it starts or merges
            at = rng.uniform(0.1, 1.5)
            _watch(proc, parts, lambda s, n, at=at: s > at)
        elif attempts % 3 == 0:  # just after (or while) a part is written
            _watch(proc, parts, lambda s, n, before=before: n > before)
            lag = rng.uniform(0, per_part)
            _watch(proc, parts, lambda s, n, lag=lag: s > lag)
        else:  # during start-up, or once zero to two more stories are written; counted in
            # parts, not seconds, because a warm start is far faster than the cold first run
            more = rng.randint(0, 2)
            _watch(proc, parts, lambda s, n, at=before + more: n >= at and s > 0.3)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        for n, chunk in enumerate(chunks):  # whatever is on disk is whole
            part = parts / f"part-{n:05d}.jsonl"
            assert not part.exists() or part_rows(part, chunk) is not None
        assert not out.exists() or out.read_bytes() == straight.read_bytes()
        done.append(len(list(parts.glob("part-*.jsonl"))))
    print(f"kill loop: {kills} SIGKILLs in {attempts} runs; parts on disk after each "
          f"(of {len(chunks)}): {done}")
    assert kills == 20 and max(done) > min(done)

    subprocess.run(cmd, env=env, check=True, capture_output=True)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["path"] for r in rows] == [c[0] for c in chunks]  # none lost, none twice
    assert out.read_bytes() == straight.read_bytes()


@pytest.mark.slow
def test_a_story_gives_the_same_bytes_alone_in_a_batch_with_workers_and_on_ray(
        tmp_path, monkeypatch, capsys):
    """``claimcheck audit --format json`` and every batch engine agree to the byte on a
    story's score and flags (a batch row carries no claims), and so do the engines'
    whole outputs."""
    from claimcheck import cli

    stories = tmp_path / "stories"
    stories.mkdir()
    for name in ("01_bus_fire.txt", "04_warehouse_place.txt", "08_mayor_negation.txt",
                 "09_arrest_sourcing.txt", "16_dozen_trap.txt"):
        shutil.copy(EVAL / name, stories / name)
    shutil.copy(EVAL.parent / "examples" / "rail_strike.html", stories / "rail_strike.html")
    (stories / "story.json").write_text(json.dumps({
        "title": "Depot fire", "date": "2024-03-11",
        "text": "No one was injured in the fire on Monday, police said. Two workers were "
                "taken to hospital with burns after the fire at the depot on Monday."}))

    def canonical(score, flags):
        return json.dumps({"score": score, "flags": flags}, ensure_ascii=False, sort_keys=True)

    alone = {}
    for path in find_stories(stories):
        for _ in range(2):  # twice: the same bytes again
            monkeypatch.setattr(sys, "argv", ["claimcheck", "audit", str(path), "-f", "json"])
            with pytest.raises(SystemExit):
                cli.main()
            report = json.loads(capsys.readouterr().out)
            key = canonical(report["score"], report["flags"])
            assert alone.setdefault(str(path), key) == key
    assert any('"flags": []' not in key for key in alone.values())

    os.environ.pop("RAY_ADDRESS", None)
    outputs = {}
    for name, cfg in [("local", BatchConfig(chunk=3)),
                      ("workers", BatchConfig(chunk=3, workers=2)),
                      ("ray", BatchConfig(chunk=3, engine="ray", workers=1))]:
        out = tmp_path / f"{name}.jsonl"
        run_batch(stories, out, cfg, progress=False)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert {r["path"]: canonical(r["score"], r["flags"]) for r in rows} == alone, name
        outputs[name] = out.read_bytes()
    assert outputs["local"] == outputs["workers"] == outputs["ray"]


def test_a_warning_after_the_first_64_stories_is_kept(tmp_path):
    # the warnings column is typed up front: 64 clean stories would otherwise type it null
    from claimcheck.batch import documents_dataset

    paths = []
    for i in range(66):
        p = tmp_path / f"{i:03d}.txt"
        p.write_bytes(b"Budget agreed\n\nThe council agreed a budget on Monday." if i < 65
                      else b"Budget agreed\n\nThe price was \xa35 on Monday, officials said.")
        paths.append(str(p))
    ds = documents_dataset(paths)
    assert ds[65]["warnings"] and "not valid UTF-8" in ds[65]["warnings"][0]


def test_a_resumed_run_must_compute_at_the_same_precision():
    """The manifest records the precision "auto" resolves to: parts read in fp32 and in
    bf16 never mix in one output."""
    paths = ["a.txt", "b.txt"]
    fp32 = _manifest(paths, BatchConfig(precision="fp32"))
    assert fp32["precision"] == "fp32"
    assert _manifest(paths, BatchConfig(precision="bf16")) != fp32
    assert _manifest(paths, BatchConfig(precision="fp32")) == fp32
