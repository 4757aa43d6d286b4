"""Score every story under a folder: pooled NLI batches, atomic parts, resumable.

The folder becomes a ``datasets.Dataset`` of documents (path, text, error). Stories
are processed in fixed chunks: the claim pairs of every story in a chunk go into
one length-sorted NLI call, so the model never waits on a small story. Each
finished chunk is written atomically to ``OUT.parts/part-NNNNN.jsonl``; a run that
is killed and started again with the same command skips finished chunks, and the
final file is merged from the parts, so it is identical to an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.ingest import InputError, load_text, make_document

if TYPE_CHECKING:
    from claimcheck.pairing import PairingConfig

STORY_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json"}
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
COLUMNS = ["path", "score", "claims", "pairs_scored", "pairs_total", "flags", "flag_kinds",
           "error"]


@dataclass(frozen=True)
class BatchConfig:
    threshold: float | None = None  # None: the calibrated default
    model: str | None = None
    all_pairs: bool = False
    chunk: int = 32  # stories per chunk: pooled into one NLI call, written as one part
    workers: int = 1  # processes for reading and claim extraction
    engine: str = "local"  # local | ray
    int8: bool = False  # dynamic int8 quantization of the model (faster, slightly less exact)


def find_stories(folder: Path) -> list[Path]:
    """Story files under ``folder``, sorted, README files left out."""
    if not folder.exists():
        raise InputError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; use `claimcheck audit` for one story")
    paths = sorted(p for p in folder.rglob("*") if p.is_file()
                   and p.suffix.lower() in STORY_SUFFIXES
                   and not p.name.lower().startswith("readme"))
    if not paths:
        raise InputError(f"{folder} has no story files ({', '.join(sorted(STORY_SUFFIXES))})")
    return paths


def output_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot write {out.name}: use .jsonl, .csv or .parquet")
    return fmt


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def error_row(path: str, message: str) -> dict[str, Any]:
    return {"path": path, "score": None, "claims": 0, "pairs_scored": 0, "pairs_total": 0,
            "flags": [], "flag_kinds": {}, "error": message}


def report_row(path: str, report: Any) -> dict[str, Any]:
    return {
        "path": path, "score": round(report.score, 4),
        "claims": sum(c.checkable for c in report.claims),
        "pairs_scored": report.pairs_scored, "pairs_total": report.pairs_total,
        "flags": [f.as_dict() for f in report.flags],
        "flag_kinds": dict(sorted(Counter(f.kind for f in report.flags).items())),
        "error": None,
    }


def read_batch(batch: dict[str, list]) -> dict[str, list]:
    """Dataset.map function: decode each file; a bad file gets an error, not an exception."""
    texts, warnings, errors = [], [], []
    for path in batch["path"]:
        try:
            text, warn = load_text(path)
            texts.append(text)
            warnings.append(list(warn))
            errors.append(None)
        except InputError as e:
            texts.append(None)
            warnings.append([])
            errors.append(str(e))
    return {"text": texts, "warnings": warnings, "error": errors}


def documents_dataset(paths: list[str], workers: int = 1) -> Any:
    """The folder as a Dataset of documents: path, decoded text, warnings, error."""
    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    ds = Dataset.from_dict({"path": paths})
    return ds.map(read_batch, batched=True, batch_size=64,
                  num_proc=workers if workers > 1 and len(paths) >= 2 * workers else None)


def prepare_one(path: str, text: str | None, warnings: list[str], error: str | None,
                all_pairs: bool, config: PairingConfig | None = None) -> tuple[Any, str | None]:
    """(Prepared story, None) or (None, one-line error); never raises for bad input."""
    from claimcheck.pipeline import prepare

    if error is not None or text is None:
        return None, error or "unreadable"
    try:
        return prepare(make_document(text, path, tuple(warnings)), all_pairs, config), None
    except InputError as e:
        return None, str(e)
    except Exception as e:  # a story that breaks the pipeline must not stop the batch
        return None, f"unexpected {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def score_chunk(documents: dict[str, list], auditor: Any, all_pairs: bool,
                pool: Any = None) -> list[dict[str, Any]]:
    """Rows for a chunk of stories: one pooled, length-sorted NLI call for all of them."""
    args = [(p, t, w, e, all_pairs, auditor.pairing) for p, t, w, e in zip(
        documents["path"], documents["text"], documents["warnings"], documents["error"],
        strict=True)]
    prepared = pool.starmap(prepare_one, args) if pool is not None else [
        prepare_one(*a) for a in args]
    texts: list[tuple[str, str]] = []
    for item, _ in prepared:
        if item is not None:
            texts += item.texts
    scores = auditor.scorer.score_both(texts, auditor.reverse_if)
    rows, at = [], 0
    for path, (item, error) in zip(documents["path"], prepared, strict=True):
        if item is None:
            rows.append(error_row(path, error or "unknown error"))
            continue
        n = len(item.pairing.pairs)
        rows.append(report_row(path, auditor.finish(item, scores[at: at + n])))
        at += n
    return rows


def _manifest(paths: list[str], cfg: BatchConfig) -> dict[str, Any]:
    digest = hashlib.sha1("\n".join(paths).encode()).hexdigest()
    return {"stories": len(paths), "files_sha1": digest, "chunk": cfg.chunk,
            "threshold": cfg.threshold, "model": cfg.model, "all_pairs": cfg.all_pairs}


def _chunks(paths: list[str], size: int) -> Iterator[tuple[int, list[str]]]:
    for n, lo in enumerate(range(0, len(paths), size)):
        yield n, paths[lo: lo + size]


def run_batch(folder: Path, out: Path, cfg: BatchConfig, progress: bool = True,
              report: Path | None = None) -> dict:
    """Score the folder into ``out`` (and an HTML dashboard into ``report``); returns the
    corpus summary."""
    fmt = output_format(out)
    paths = [str(p) for p in find_stories(folder)]
    parts = out.with_name(out.name + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    manifest = _manifest(paths, cfg)
    mpath = parts / "manifest.json"
    if mpath.exists() and json.loads(mpath.read_text()) != manifest:
        raise InputError(f"{parts} holds a run with other stories or settings; "
                         "delete it or rerun the same command")
    _atomic_write(mpath, lambda p: p.write_text(json.dumps(manifest, indent=1)))

    todo = [(n, chunk) for n, chunk in _chunks(paths, cfg.chunk)
            if not (parts / f"part-{n:05d}.jsonl").exists()]
    done_stories = len(paths) - sum(len(c) for _, c in todo)
    started = time.time()
    if todo:
        if cfg.engine == "ray":
            from claimcheck.batch_ray import run_ray

            run_ray(todo, parts, cfg, progress)
        else:
            _run_local(todo, parts, cfg, progress, done_stories, len(paths))
    rows = [json.loads(line) for n, _ in _chunks(paths, cfg.chunk)
            for line in (parts / f"part-{n:05d}.jsonl").read_text().splitlines()]
    _atomic_write(out, lambda p: write_rows(rows, p, fmt))
    if report is not None:
        from claimcheck.dashboard import write_dashboard

        write_dashboard(rows, report, folder, cfg.model)
    summary = summarise(rows)
    summary["seconds"] = round(time.time() - started, 2)
    summary["resumed_stories"] = done_stories
    return summary


def _run_local(todo: list[tuple[int, list[str]]], parts: Path, cfg: BatchConfig,
               progress: bool, done: int, total: int) -> None:
    from tqdm import tqdm

    from claimcheck.pipeline import Auditor

    auditor = Auditor(cfg.model, cfg.threshold, cfg.all_pairs, int8=cfg.int8)
    pool = None
    if cfg.workers > 1:
        import multiprocessing as mp

        pool = mp.get_context("spawn").Pool(cfg.workers)
    documents = documents_dataset([p for _, chunk in todo for p in chunk], cfg.workers)
    bar = tqdm(total=total, initial=done, unit="story", desc="scoring", disable=not progress,
               dynamic_ncols=True)
    try:
        position = 0
        for n, chunk in todo:
            rows = score_chunk(documents[position: position + len(chunk)], auditor,
                               cfg.all_pairs, pool)
            position += len(chunk)
            write_part(parts / f"part-{n:05d}.jsonl", rows)
            bar.update(len(chunk))
    finally:
        bar.close()
        if pool is not None:
            pool.close()


def write_part(path: Path, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_rows(rows: list[dict[str, Any]], path: Path, fmt: str) -> None:
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                        encoding="utf-8")
        return
    flat = [{k: (json.dumps(r[k], ensure_ascii=False) if k in ("flags", "flag_kinds")
                 else r[k]) for k in COLUMNS} for r in rows]
    if fmt == "csv":
        import csv

        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(flat)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(flat), path)


def summarise(rows: list[dict[str, Any]], worst: int = 5) -> dict[str, Any]:
    scored = [r for r in rows if r["error"] is None]
    kinds: Counter[str] = Counter()
    for r in scored:
        kinds.update(r["flag_kinds"])
    flagged = [r for r in scored if r["flags"]]
    return {
        "stories": len(rows),
        "errors": len(rows) - len(scored),
        "flagged_share": len(flagged) / len(scored) if scored else 0.0,
        "flags_per_kind": dict(kinds.most_common()),
        "pairs_scored": sum(r["pairs_scored"] for r in scored),
        "pairs_total": sum(r["pairs_total"] for r in scored),
        "worst": [{"path": r["path"], "score": r["score"], "flags": len(r["flags"])}
                  for r in sorted(scored, key=lambda r: (r["score"], r["path"]))[:worst]
                  if r["flags"]],
    }
