"""The Ray Data engine for ``claimcheck batch --engine ray``.

Same chunks, same code per chunk as the local engine (``score_chunk``); Ray only
decides where they run. Each chunk is one row; an actor pool of ``ChunkScorer``
loads the model once per actor. The driver writes each finished chunk's part file
as results stream back, so a killed Ray run resumes exactly like a local one.
Connects to the cluster in ``RAY_ADDRESS`` when set, else starts a local instance.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from claimcheck.batch import BatchConfig, read_batch, score_chunk, write_part


class ChunkScorer:
    """A Ray actor: one Auditor (one model load) for all the chunks it is given."""

    def __init__(self, model: str | None, threshold: float | None, all_pairs: bool,
                 precision: str | None = None, story_timeout: float | None = None,
                 large: str | None = "auto") -> None:
        from claimcheck.pipeline import Auditor

        self.auditor = Auditor(model, threshold, all_pairs, precision=precision,
                               large=large)
        self.all_pairs = all_pairs
        self.story_timeout = story_timeout

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = []
        for paths in batch["paths"]:
            documents = {"path": list(paths)} | read_batch({"path": list(paths)})
            rows = score_chunk(documents, self.auditor, self.all_pairs,
                               story_timeout=self.story_timeout)
            out.append(json.dumps(rows, ensure_ascii=False, sort_keys=True))
        return {"chunk": batch["chunk"], "rows": out}


def run_ray(todo: list[tuple[int, list[str]]], parts: Path, cfg: BatchConfig,
            progress: bool) -> None:
    import ray
    from tqdm import tqdm

    address = os.environ.get("RAY_ADDRESS")
    owns_instance = not ray.is_initialized()
    if owns_instance:
        ray.init(address=address or None, include_dashboard=False, log_to_driver=False,
                 configure_logging=False,
                 runtime_env={"env_vars": {"HF_HUB_OFFLINE": os.environ.get(
                     "HF_HUB_OFFLINE", "1"), "CLAIMCHECK_MODEL": os.environ.get(
                     "CLAIMCHECK_MODEL", ""), "CLAIMCHECK_LARGE_MODEL": os.environ.get(
                     "CLAIMCHECK_LARGE_MODEL", ""), "CLAIMCHECK_PRECISION": os.environ.get(
                     "CLAIMCHECK_PRECISION", "")}})
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        actors = max(1, cfg.workers)
        ds = ray.data.from_items([{"chunk": n, "paths": paths} for n, paths in todo])
        scored = ds.map_batches(
            ChunkScorer,
            fn_constructor_kwargs={"model": cfg.model, "threshold": cfg.threshold,
                                   "all_pairs": cfg.all_pairs, "precision": cfg.precision,
                                   "story_timeout": cfg.story_timeout or None,
                                   "large": cfg.large},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=max(1, int(ray.available_resources().get("CPU", 1)) // actors),
        )
        total = sum(len(p) for _, p in todo)
        bar = tqdm(total=total, unit="story", desc="scoring (ray)", disable=not progress)
        for row in scored.iter_rows():
            rows = json.loads(row["rows"])
            write_part(parts / f"part-{int(row['chunk']):05d}.jsonl", rows)
            bar.update(len(rows))
        bar.close()
    finally:
        if owns_instance:
            ray.shutdown()
