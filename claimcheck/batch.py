"""Score every story under a folder: atomic parts, resumable, never losing work.

The folder becomes a ``datasets.Dataset`` of documents (path, text, error). Stories
are processed in fixed chunks. Each story's pairs go to the model in a call of their
own, exactly as ``claimcheck audit`` sends them, because fp32 scores shift in the
last bits with a batch's other rows and padding: so a story's row is byte-identical
however it is run (alone, in a batch, with workers, on Ray). Each finished chunk is
written atomically (and synced) to ``OUT.parts/part-NNNNN.jsonl``; a run that is killed
and started again with the same command checks the parts it finds, redoes any that
are truncated or corrupt, skips the rest, and merges the parts, so the result is
identical to an uninterrupted run. A lock file keeps a second run off the same parts;
a story over ``story_timeout`` seconds becomes an error row; a failed write (disk
full, no permission) is one line, exit 2, with the parts written so far kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.ingest import InputError, load_story, make_document

if TYPE_CHECKING:
    from claimcheck.pairing import PairingConfig

STORY_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json"}
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
COLUMNS = ["path", "score", "claims", "pairs_scored", "pairs_total", "flags", "flag_kinds",
           "error"]
# Seconds one story may take, reading to report: twice the time a 2 MB story (the input
# limit) is meant to take, so only a story that is stuck, not long, is given up.
STORY_TIMEOUT = 600.0


@dataclass(frozen=True)
class BatchConfig:
    threshold: float | None = None  # None: the calibrated default
    model: str | None = None
    all_pairs: bool = False
    chunk: int = 32  # stories per chunk, written as one part: the unit a rerun resumes from
    workers: int = 1  # processes for reading and claim extraction
    engine: str = "local"  # local | ray
    precision: str | None = None  # loading.Precision; None: $CLAIMCHECK_PRECISION or auto
    large: str | None = "auto"  # the cascade's second reader (pipeline.Auditor)
    story_timeout: float | None = STORY_TIMEOUT  # seconds per story; None or 0: no limit


class OutputError(InputError):
    """The results cannot be written (disk full, no permission). An InputError, so the
    CLI prints it as one line and exits 2, like any other error of the user's setup."""


class StoryTimeout(Exception):
    """A story ran past ``BatchConfig.story_timeout``."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise StoryTimeout in the block after ``seconds``. SIGALRM interrupts Python code
    (and torch between operators) in the main thread of a POSIX process; elsewhere (a
    Ray actor's thread) the caller checks the clock after each stage instead."""
    if seconds is None or threading.current_thread() is not threading.main_thread() or not (
            hasattr(signal, "setitimer")):
        yield
        return
    if seconds <= 0:
        raise StoryTimeout

    def expire(signum: int, frame: Any) -> None:
        raise StoryTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    """Write through a synced temporary file and rename it into place, so ``path`` is
    either whole or absent after a crash; a failed write leaves no temporary file and
    becomes a one-line OutputError."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err


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
    texts, warnings, errors, headlines = [], [], [], []
    for path in batch["path"]:
        try:
            story = load_story(path)
            texts.append(story.text)
            warnings.append(list(story.warnings))
            errors.append(None)
            headlines.append(story.find_headline)
        except InputError as e:
            texts.append(None)
            warnings.append([])
            errors.append(str(e))
            headlines.append(True)
    return {"text": texts, "warnings": warnings, "error": errors, "find_headline": headlines}


def documents_dataset(paths: list[str], workers: int = 1) -> Any:
    """The folder as a Dataset of documents: path, decoded text, warnings, error."""
    from datasets import Dataset, Features, Sequence, Value
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    ds = Dataset.from_dict({"path": paths})
    # typed up front: a first batch of 64 with no warnings would otherwise type the
    # column as null, and a later story's warning could not be stored
    features = Features({"path": Value("string"), "text": Value("string"),
                         "warnings": Sequence(Value("string")), "error": Value("string"),
                         "find_headline": Value("bool")})
    return ds.map(read_batch, batched=True, batch_size=64, features=features,
                  num_proc=workers if workers > 1 and len(paths) >= 2 * workers else None)


def _unexpected(e: BaseException) -> str:
    return f"unexpected {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def _timed_out(limit: float) -> str:
    return f"timed out: took over {limit:g} s (--story-timeout)"


def prepare_one(path: str, text: str | None, warnings: list[str], error: str | None,
                all_pairs: bool, config: PairingConfig | None = None,
                find_headline: bool = True, limit: float | None = None
                ) -> tuple[Any, str | None, float]:
    """(Prepared story, None, seconds) or (None, one-line error, seconds); never raises
    for bad input, nor for a story past ``limit`` seconds."""
    from claimcheck.pipeline import prepare

    if error is not None or text is None:
        return None, error or "unreadable", 0.0
    started = time.monotonic()
    try:
        with time_limit(limit or None):
            doc = make_document(text, path, tuple(warnings), find_headline)
            prepared = prepare(doc, all_pairs, config)
    except InputError as e:
        return None, str(e), time.monotonic() - started
    except StoryTimeout:
        return None, _timed_out(limit or 0), time.monotonic() - started
    except Exception as e:  # a story that breaks the pipeline must not stop the batch
        return None, _unexpected(e), time.monotonic() - started
    return prepared, None, time.monotonic() - started


def score_chunk(documents: dict[str, list], auditor: Any, all_pairs: bool,
                pool: Any = None, story_timeout: float | None = None) -> list[dict[str, Any]]:
    """Rows for a chunk of stories, prepared in ``pool`` when given, each scored by the
    model on its own (see the module docstring) within its time limit."""
    headlines = documents.get("find_headline") or [True] * len(documents["path"])
    args = [(p, t, w, e, all_pairs, auditor.pairing, h, story_timeout) for p, t, w, e, h in zip(
        documents["path"], documents["text"], documents["warnings"], documents["error"],
        headlines, strict=True)]
    prepared = pool.starmap(prepare_one, args) if pool is not None else [
        prepare_one(*a) for a in args]
    rows = []
    for path, (item, error, spent) in zip(documents["path"], prepared, strict=True):
        if item is None:
            rows.append(error_row(path, error or "unknown error"))
            continue
        started = time.monotonic()
        left = story_timeout - spent if story_timeout else None
        try:
            with time_limit(left):
                report = auditor.finish(item, auditor.score(item))
            if left is not None and time.monotonic() - started > left:
                raise StoryTimeout  # no SIGALRM here (not the main thread): checked after
            rows.append(report_row(path, report))
        except StoryTimeout:
            rows.append(error_row(path, _timed_out(story_timeout or 0)))
        except Exception as e:  # one story's failure must not lose the chunk
            rows.append(error_row(path, _unexpected(e)))
    return rows


def _manifest(paths: list[str], cfg: BatchConfig) -> dict[str, Any]:
    """The run's stories and settings; a resumed run must match them. The precision is
    the one "auto" resolves to, so that parts computed in fp32 and in bf16 never mix."""
    from claimcheck.loading import pick_device, pick_precision

    digest = hashlib.sha1("\n".join(paths).encode()).hexdigest()
    return {"stories": len(paths), "files_sha1": digest, "chunk": cfg.chunk,
            "threshold": cfg.threshold, "model": cfg.model, "all_pairs": cfg.all_pairs,
            "large": cfg.large, "precision": pick_precision(cfg.precision, pick_device())}


def _chunks(paths: list[str], size: int) -> Iterator[tuple[int, list[str]]]:
    for n, lo in enumerate(range(0, len(paths), size)):
        yield n, paths[lo: lo + size]


def part_rows(path: Path, chunk: list[str]) -> list[dict[str, Any]] | None:
    """The rows of a finished part file, or None when it is missing, cut short, or not
    the rows of ``chunk`` (a crash of the machine, a full disk, a hand edit)."""
    try:
        text = path.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines()]
    except (OSError, ValueError):  # ValueError: bad UTF-8 or bad JSON
        return None
    ok = text.endswith("\n") and [r.get("path") if isinstance(r, dict) else None
                                  for r in rows] == chunk
    return rows if ok and all(set(COLUMNS) <= set(r) for r in rows) else None


@contextmanager
def batch_lock(parts: Path, out: Path) -> Iterator[None]:
    """Hold ``parts/.lock`` for the run, or refuse: two runs writing the same parts would
    interleave them. ``flock`` is released by the kernel when a process dies, so the lock
    of a killed run is taken over with no cleanup; the file names the holder's PID."""
    try:
        import fcntl
    except ImportError:  # not POSIX: run unlocked
        yield
        return
    path = parts / ".lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise InputError(f"another claimcheck batch (pid {holder}) is writing {out}; "
                             "wait for it to finish or stop it, then rerun") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def run_batch(folder: Path, out: Path, cfg: BatchConfig, progress: bool = True,
              report: Path | None = None, log: Callable[[str], None] | None = None) -> dict:
    """Score the folder into ``out`` (and an HTML dashboard into ``report``); returns the
    corpus summary. ``log`` hears about parts redone after a crash (default: stderr)."""
    say = log or (lambda message: print(f"warning: {message}", file=sys.stderr))
    fmt = output_format(out)
    paths = [str(p) for p in find_stories(folder)]
    parts = out.with_name(out.name + ".parts")
    try:
        parts.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot write {parts}: {err.strerror or err}") from err
    with batch_lock(parts, out):
        return _run_locked(folder, out, fmt, paths, parts, cfg, progress, report, say)


def _run_locked(folder: Path, out: Path, fmt: str, paths: list[str], parts: Path,
                cfg: BatchConfig, progress: bool, report: Path | None,
                say: Callable[[str], None]) -> dict:
    manifest = _manifest(paths, cfg)
    mpath = parts / "manifest.json"
    try:
        found = json.loads(mpath.read_text()) if mpath.exists() else manifest
    except (OSError, ValueError):  # settings unknown: no part can be trusted
        say(f"{mpath} is corrupt; redoing every part")
        for part in parts.glob("part-*.jsonl"):
            part.unlink()
        found = manifest
    if found != manifest:
        raise InputError(f"{parts} holds a run with other stories or settings; "
                         "delete it or rerun the same command")
    for tmp in [*parts.glob(".*.tmp"), out.with_name(f".{out.name}.tmp")]:
        tmp.unlink(missing_ok=True)  # the half-written files of a killed run
    _atomic_write(mpath, lambda p: p.write_text(json.dumps(manifest, indent=1)))

    todo, redone = [], 0
    for n, chunk in _chunks(paths, cfg.chunk):
        part = parts / f"part-{n:05d}.jsonl"
        if part.exists() and part_rows(part, chunk) is None:
            say(f"{part} is truncated or corrupt (left by a crash?); redoing it")
            part.unlink()
            redone += 1
        if not part.exists():
            todo.append((n, chunk))
    done_stories = len(paths) - sum(len(c) for _, c in todo)
    started = time.time()
    try:
        if todo:
            if cfg.engine == "ray":
                from claimcheck.batch_ray import run_ray

                run_ray(todo, parts, cfg, progress)
            else:
                _run_local(todo, parts, cfg, progress, done_stories, len(paths))
        rows = [row for n, chunk in _chunks(paths, cfg.chunk)
                for row in part_rows(parts / f"part-{n:05d}.jsonl", chunk) or []]
        if len(rows) != len(paths):  # a part went bad after it was written: merge no gap
            raise OutputError(f"{parts} lost a part while running")
        _atomic_write(out, lambda p: write_rows(rows, p, fmt))
    except OutputError as err:
        kept = len(list(parts.glob("part-*.jsonl")))
        raise OutputError(f"{err}; the {kept} part(s) written so far are kept in {parts}: "
                          "make room and rerun the same command to resume") from err
    if report is not None:
        from claimcheck.dashboard import write_dashboard

        write_dashboard(rows, report, folder, cfg.model)
    summary = summarise(rows)
    summary["seconds"] = round(time.time() - started, 2)
    summary["resumed_stories"] = done_stories
    summary["redone_parts"] = redone
    return summary


def _run_local(todo: list[tuple[int, list[str]]], parts: Path, cfg: BatchConfig,
               progress: bool, done: int, total: int) -> None:
    from tqdm import tqdm

    from claimcheck.pipeline import Auditor

    auditor = Auditor(cfg.model, cfg.threshold, cfg.all_pairs, precision=cfg.precision,
                      large=cfg.large)
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
                               cfg.all_pairs, pool, cfg.story_timeout or None)
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
