import json
import sys

import pytest

from tests.conftest import run_cli as run


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: d, "is a directory"),
    (lambda d: (d / "e.txt").write_text("") and d / "e.txt" or d / "e.txt", "is empty"),
    (lambda d: (d / "b.bin").write_bytes(b"\x00\x01\x02" * 100) and d / "b.bin", "binary"),
])
def test_bad_input_is_one_line_and_exit_2(monkeypatch, capsys, tmp_path, make, message):
    code, out, err = run(monkeypatch, capsys, "audit", make(tmp_path))
    assert code == 2
    assert message in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_huge_file_is_refused(monkeypatch, capsys, tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"The council met on Monday and agreed the budget. " * 110_000)  # 5.4 MB
    code, _, err = run(monkeypatch, capsys, "audit", p)
    assert code == 2 and "MB" in err


def test_help_carries_examples(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--help")
    assert code == 0 and "claimcheck audit" in out and "Exit codes" in out
    code, out, _ = run(monkeypatch, capsys, "audit", "--help")
    assert code == 0 and "Example" in out


def test_usage_error_exits_2(monkeypatch, capsys):
    code, _, _ = run(monkeypatch, capsys, "audit", "x.txt", "--threshold", "7")
    assert code == 2


def test_an_unknown_precision_is_a_usage_error(monkeypatch, capsys, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Council backs park\n\nThe council approved a new park on Monday.")
    code, _, _ = run(monkeypatch, capsys, "audit", p, "--precision", "fp16")
    assert code == 2
    monkeypatch.setenv("CLAIMCHECK_PRECISION", "fp16")  # the variable gets one line too
    code, out, err = run(monkeypatch, capsys, "audit", p)
    assert code == 2 and "unknown precision 'fp16'" in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_a_bad_date_is_a_usage_error(monkeypatch, capsys, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Council backs park\n\nThe council approved a new park on Monday.")
    code, _, err = run(monkeypatch, capsys, "audit", p, "--date", "2024-13-40")
    assert code == 2 and "--date must be YYYY-MM-DD" in err


@pytest.mark.slow
def test_a_large_model_that_cannot_load_is_one_line(monkeypatch, capsys, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Council backs park\n\nThe council approved a new park on Monday.")
    (tmp_path / "notamodel").mkdir()
    code, out, err = run(monkeypatch, capsys, "audit", p, "--large", tmp_path / "notamodel")
    assert code == 2 and "no config.json" in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1
    code, out, err = run(monkeypatch, capsys, "audit", p, "--large", "none")
    assert code in (0, 1) and "note:" not in err


@pytest.mark.slow
def test_audit_json_schema_and_exit_code(monkeypatch, capsys, seed_text, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(seed_text, encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "audit", p, "--format", "json")
    report = json.loads(out)
    assert code == 1  # the seed story has flags
    assert set(report) == {"source", "score", "windowed", "claims", "flags"}
    assert 0.0 <= report["score"] <= 1.0
    for c in report["claims"]:
        assert {"id", "text", "sentence", "start", "end"} <= set(c)
        assert seed_text[c["start"]:c["end"]] == c["text"]
    ids = {c["id"] for c in report["claims"]}
    for f in report["flags"]:
        assert set(f) == {"kind", "severity", "claims", "spans", "explanation", "nli",
                          "same_event"}
        assert set(f["claims"]) <= ids and len(f["spans"]) == 2
        assert set(f["nli"]) == {"entailment", "neutral", "contradiction"}
        assert f["same_event"] in (True, False, None)
    severities = [f["severity"] for f in report["flags"]]
    assert severities == sorted(severities, reverse=True)


@pytest.mark.slow
def test_audit_text_and_markdown_on_a_consistent_latin1_story(monkeypatch, capsys, tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Museum reopens\n\nThe museum reopened on Saturday after a \xa32m refit. "
                  "Visitors queued outside the main doors from early morning.\n"
                  .encode("latin-1"))
    code, out, err = run(monkeypatch, capsys, "audit", p)
    assert code == 0, out
    said = " ".join((out + err).split())  # the console wraps a long temporary path
    assert "not valid UTF-8" in said and "No inconsistencies" in said
    code, out, _ = run(monkeypatch, capsys, "audit", p, "--format", "markdown")
    assert code == 0 and out.startswith("## claimcheck:")


@pytest.mark.slow
def test_nli_command_writes_jsonl(monkeypatch, capsys, tmp_path):
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("premise\thypothesis\tlabel\n"
                   "No one was hurt.\tThree people were injured.\tcontradiction\n"
                   "The vote was on Monday.\tThe vote was held.\n")
    out_path = tmp_path / "out.jsonl"
    code, _, _ = run(monkeypatch, capsys, "nli", tsv, "--out", out_path)
    rows = [json.loads(line) for line in out_path.read_text().splitlines()]
    assert code == 0 and len(rows) == 2
    assert set(rows[0]) == {"entailment", "neutral", "contradiction", "label"}
    assert rows[0]["label"] == "contradiction"
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n")
    code, _, err = run(monkeypatch, capsys, "nli", bad)
    assert code == 2 and "line 1" in err


def test_nli_command_reads_with_the_large_model_else_the_small_one(monkeypatch, capsys,
                                                                   tmp_path):
    import shutil

    from claimcheck.loading import large_model_path
    from claimcheck.nli import NLIScorer

    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("The mill closed in 1990.\tThe mill is still open.\n")
    pair = [("The mill closed in 1990.", "The mill is still open.")]
    code, out, _ = run(monkeypatch, capsys, "nli", tsv)
    large = NLIScorer(str(large_model_path())).score(pair)[0]
    assert code == 0 and json.loads(out)["contradiction"] == pytest.approx(large.contradiction,
                                                                           abs=1e-4)
    broken = tmp_path / "broken"  # the large model's files, over an encoder nobody ships
    shutil.copytree(large_model_path(), broken, ignore=shutil.ignore_patterns("*.safetensors"))
    (broken / "partial.json").write_text('{"base": "no-such-encoder"}')
    monkeypatch.setenv("CLAIMCHECK_LARGE_MODEL", str(broken))
    code, out, err = run(monkeypatch, capsys, "nli", tsv)
    small = NLIScorer(None).score(pair)[0]
    assert code == 0 and "note: the embedded small model" in err
    assert json.loads(out)["contradiction"] == pytest.approx(small.contradiction, abs=1e-4)


# --- nothing reaches the network at run time ---------------------------------------------

SITECUSTOMIZE = """
import os

from tests.netblock import install

install(os.environ["CLAIMCHECK_NET_LOG"])
"""


@pytest.mark.slow
def test_audit_and_batch_run_with_the_network_blocked(monkeypatch, capsys, tmp_path):
    """In this process, with socket.socket / create_connection refused (tests/netblock.py),
    and in fresh processes (and their workers) with no HF_HUB_OFFLINE set, as a user
    would run it."""
    import os
    import socket
    import subprocess

    from claimcheck import loading
    from tests.conftest import ROOT
    from tests.netblock import blocked_socket_api

    story = ROOT / "data" / "examples" / "harbour_blast.txt"
    attempts: list[str] = []
    for name, value in blocked_socket_api(attempts.append).items():
        monkeypatch.setattr(socket, name, value)
    loading._load.cache_clear()  # load the model again, with the network gone
    code, out, err = run(monkeypatch, capsys, "audit", story, "--format", "json")
    assert code in (0, 1) and json.loads(out)["claims"], err
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a.txt").write_bytes(story.read_bytes())
    code, _, err = run(monkeypatch, capsys, "batch", folder, "--out", tmp_path / "r.jsonl",
                       "--no-progress")
    assert code == 0 and (tmp_path / "r.jsonl").exists(), err
    assert attempts == []
    monkeypatch.undo()

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_OFFLINE")}
    env |= {"PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "CLAIMCHECK_NET_LOG": str(log)}
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection("
                            "('example.com', 80))"], env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "example.com" in log.read_text()  # the block is on
    log.unlink()
    for args in (["audit", str(story), "--format", "json"],
                 ["batch", str(folder), "--out", str(tmp_path / "w.jsonl"), "--workers", "2",
                  "--no-progress"]):
        done = subprocess.run([sys.executable, "-m", "claimcheck.cli", *args], env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode in (0, 1), done.stderr[-2000:]
    assert not log.exists(), log.read_text()


def test_train_nli_passes_the_whole_recipe_on(monkeypatch, capsys, tmp_path):
    """The shipped models' recipes (their cards) can be run from the command line."""
    import claimcheck.training.train as training
    from claimcheck.training.data import SHARED_SETS

    (tmp_path / "nli").mkdir()
    for name, *_ in SHARED_SETS.values():
        (tmp_path / "nli" / name).write_bytes(b"")
    seen = []
    monkeypatch.setattr(training, "train", lambda cfg: seen.append(cfg) or {})
    code, _, err = run(monkeypatch, capsys, "train-nli", "--shared", tmp_path, "--stage",
                       "story", "--base", "mpnet", "--news-repeat", "1", "--replay", "8000",
                       "--story-pairs", "3000", "--hard-share", "0", "--flip-contradictions")
    assert code == 0, err
    cfg = seen[0]
    assert (cfg.stage, cfg.base, cfg.news_repeat, cfg.replay, cfg.story_pairs) == (
        "story", "mpnet", 1, 8000, 3000)
    assert cfg.hard_share == 0 and cfg.flip_contradictions
