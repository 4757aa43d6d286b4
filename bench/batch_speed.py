"""Batch scoring speed on a fixed sample of the BBC folder, against a naive baseline.

    python bench/batch_speed.py [--stories 60] [--naive-stories 10]

Measured in one run, on the same machine state:
  naive     the same model in a plain loop over all ordered claim pairs of each
            story, one pair per forward pass (claims extracted as claimcheck does), at
            the default precision and again in fp32 (the model as it computed before
            bf16 became the default where the CPU has it)
  batch     claimcheck's batch path: pairs pruned, reverse direction read only where
            the forward one leaves doubt, stories pooled into shared length-sorted
            NLI batches (``score_chunk``)
  all-pairs the batch path with every pair in both directions: the reference for the
            pairs ratio and for pruning recall (which so covers both savings)
Speed ratios compare stories/s on the same stories. A separate ``claimcheck batch``
process over the whole sample gives the end-to-end rate and its peak memory, and
another with ``--precision fp32`` the same for fp32.
Writes bench/results/batch_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

# as ``import claimcheck`` does (bench/omp_wait.py), before torch loads and reads it, so
# that every bench importing this one runs the way the command runs
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch

from claimcheck.loading import pick_precision
from claimcheck.training.data import bbc_members

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "news" / "bbc-news-2225.tar.gz"


def cpu() -> str:
    """The CPU model and its wider vector extensions: int8 and fp32 speeds, and so the
    absolute figures, differ between hosts (VNNI and AVX-512 speed up int8 most; AVX-512
    BF16 or AMX decide whether the default computes in bf16, loading.native_bf16)."""
    info = Path("/proc/cpuinfo")
    if not info.exists():
        return platform.processor() or platform.machine()
    text = info.read_text()
    model = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                  if line.startswith("model name")), platform.machine())
    flags = set(next((line.split(":", 1)[1].split() for line in text.splitlines()
                      if line.startswith("flags")), []))
    wide = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile")
            if f in flags]
    return f"{model} ({', '.join(wide) or 'no AVX2'})"


def sample_folder(n: int, dest: Path) -> list[Path]:
    """Every k-th story of the sorted archive, so all five sections are represented."""
    with tarfile.open(ARCHIVE) as tar:
        members = bbc_members(tar)
        step = max(1, len(members) // n)
        chosen = members[::step][:n]
        for m in chosen:
            target = dest / m.name.split("bbc-news/")[-1]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(m).read())  # type: ignore[union-attr]
    return sorted(dest.rglob("*.txt"))


def naive_loop(paths: list[str], nli) -> float:
    """Seconds for the baseline: every ordered claim pair, one forward pass each."""
    from claimcheck.ingest import read_document
    from claimcheck.pipeline import prepare

    start = time.perf_counter()
    with torch.inference_mode():
        for path in paths:
            claims = [c for c in prepare(read_document(path), all_pairs=True).claims
                      if c.checkable]
            for a in claims:
                for b in claims:
                    if a is not b:
                        enc = nli.tokenizer(a.text, b.text, return_tensors="pt",
                                            truncation=True, max_length=256)
                        nli.model(**enc)
    return time.perf_counter() - start


def batch_rows(paths: list[str], auditor, all_pairs: bool, chunk: int = 32) -> tuple[float, list]:
    """The batch path; with ``all_pairs`` every pair, both directions (the reference)."""
    from claimcheck.batch import read_batch, score_chunk

    auditor.all_pairs = all_pairs
    start = time.perf_counter()
    rows = []
    for lo in range(0, len(paths), chunk):
        part = paths[lo: lo + chunk]
        docs = {"path": part} | read_batch({"path": part})
        rows += score_chunk(docs, auditor, all_pairs)
    return time.perf_counter() - start, rows


def flag_keys(rows: list) -> set[tuple[str, tuple[int, int], tuple[int, int]]]:
    return {(r["path"], *sorted(tuple(s) for s in f["spans"])) for r in rows for f in r["flags"]}


# A small launcher: Linux carries a process's peak RSS across fork and exec, so a child
# forked straight from this bench (which holds both models) would report the bench's peak.
LAUNCHER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:], "
            "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")


def cli_run(folder: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `claimcheck batch` process."""
    cmd = [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "claimcheck.cli", "batch",
           str(folder), "--out", str(out), "--no-progress", *extra]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True,
                          env=dict(os.environ, HF_HUB_OFFLINE="1"))
    if done.returncode != 0:
        raise SystemExit(f"claimcheck batch failed with status {done.returncode}")
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=60)
    ap.add_argument("--naive-stories", type=int, default=10)
    args = ap.parse_args()

    from claimcheck.loading import load_nli
    from claimcheck.pipeline import Auditor

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bbc"
        paths = [str(p) for p in sample_folder(args.stories, folder)]
        auditor = Auditor()
        batch_rows(paths[:4], auditor, False)  # warm-up: model, encoder, dateparser

        few = paths[: args.naive_stories]
        # the naive loop reads with the small model alone; the cascade only adds work
        t_naive = naive_loop(few, getattr(auditor.scorer, "small", auditor.scorer).nli)
        t_naive_fp32 = naive_loop(few, load_nli(None, None, "fp32"))
        t_batch_few, _ = batch_rows(few, auditor, False)
        t_batch, pruned = batch_rows(paths, auditor, False)
        t_all, everything = batch_rows(paths, auditor, True)
        wall, peak = cli_run(folder, Path(tmp) / "out.jsonl")
        wall32, peak32 = cli_run(folder, Path(tmp) / "out32.jsonl", "--precision", "fp32")

    all_flags, pruned_flags = flag_keys(everything), flag_keys(pruned)
    scored = sum(r["pairs_scored"] for r in pruned)
    total = sum(r["pairs_total"] for r in pruned)
    result = {
        "machine": f"{cpu()}, {os.cpu_count()} cores, torch {torch.__version__}, "
                   f"{torch.get_num_threads()} threads",
        "precision": pick_precision(None, torch.device("cpu")),
        "sample_stories": len(paths),
        "naive_stories": len(few),
        "naive_stories_per_s": round(len(few) / t_naive, 3),
        "batch_stories_per_s_same_stories": round(len(few) / t_batch_few, 3),
        "speedup_vs_naive": round(t_naive / t_batch_few, 1),
        "naive_fp32_stories_per_s": round(len(few) / t_naive_fp32, 3),
        "speedup_vs_naive_fp32": round(t_naive_fp32 / t_batch_few, 1),
        "batch_stories_per_s": round(len(paths) / t_batch, 2),
        "all_pairs_stories_per_s": round(len(paths) / t_all, 2),
        "pairs_scored_of_all": f"{scored}/{total} = {scored / total:.3f}" if total else "0/0",
        "flags_all_pairs": len(all_flags),
        "pruning_recall": round(len(all_flags & pruned_flags) / len(all_flags), 4)
        if all_flags else 1.0,
        "cli_end_to_end_stories_per_s": round(len(paths) / wall, 2),
        "cli_peak_rss_mib": round(peak, 1),
        "cli_fp32_stories_per_s": round(len(paths) / wall32, 2),
        "cli_fp32_peak_rss_mib": round(peak32, 1),
    }
    out = ROOT / "bench" / "results" / "batch_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result))
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
