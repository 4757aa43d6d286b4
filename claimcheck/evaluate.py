"""Measure the flags against labelled stories (``data/eval/``).

``labels.jsonl`` has one line per story: ``{"story": file, "flags": [{"kind", "a", "b"}],
"allowed": [{"a", "b"}], "split": "tuning"|"heldout"}``, where ``a``/``b`` are verbatim
snippets of the two claims.
A predicted flag matches an expected one when its two claim spans overlap the two
snippets. "Allowed" flags are acceptable but not required (a cross-event conflict
at low severity, say): they count neither for nor against.

The split keeps us honest: "tuning" stories were looked at while the rules and
thresholds were set; "heldout" stories were written before the model's output on
them was seen, and their figures are reported apart.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from claimcheck.ingest import InputError, read_document
from claimcheck.pipeline import Auditor
from claimcheck.schema import Flag, Report


@dataclass
class StoryResult:
    story: str
    expected: list[dict]
    split: str = "tuning"
    matched: list[tuple[dict, Flag]] = field(default_factory=list)
    false_positives: list[Flag] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    top_ok: bool = False


def snippet_span(text: str, snippet: str, story: str) -> tuple[int, int]:
    at = text.find(snippet)
    if at < 0:
        raise InputError(f"{story}: label snippet not found in the story: {snippet!r}")
    return at, at + len(snippet)


Spans = tuple[tuple[int, int], tuple[int, int]]


def label_spans(text: str, entry: dict, story: str) -> Spans:
    """The two spans of a labelled pair (a flag or an "allowed" pair): its "a" and "b"."""
    return snippet_span(text, entry["a"], story), snippet_span(text, entry["b"], story)


def _overlaps(a: tuple[int, int], b: tuple[int, int] | list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def spans_hit(pair: tuple[tuple[int, int], tuple[int, int]],
              spans: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """Two claim spans cover two labelled snippets, in either order."""
    x, y = pair
    s, t = spans
    return (_overlaps(s, x) and _overlaps(t, y)) or (_overlaps(s, y) and _overlaps(t, x))


def _hits(flag: Flag, spans: Spans) -> bool:
    return spans_hit(flag.spans, spans)


def score_story(report: Report, label: dict) -> StoryResult:
    text = report.document.text
    story = label["story"]
    expected = [(e, label_spans(text, e, story)) for e in label.get("flags", [])]
    allowed = [label_spans(text, e, story) for e in label.get("allowed", [])]
    result = StoryResult(story, [e for e, _ in expected], label.get("split", "tuning"))
    unmatched = list(expected)
    for flag in report.flags:
        hit = next((x for x in unmatched if _hits(flag, x[1])), None)
        if hit:
            unmatched.remove(hit)
            result.matched.append((hit[0], flag))
        elif any(_hits(flag, spans) for _, spans in expected):
            continue  # a second flag on an already-matched pair: not new, not wrong
        elif not any(_hits(flag, spans) for spans in allowed):
            result.false_positives.append(flag)
    result.missed = [e for e, _ in unmatched]
    if expected:
        top = report.flags[0] if report.flags else None
        result.top_ok = top is not None and any(_hits(top, s) for _, s in expected)
    else:
        result.top_ok = not result.false_positives
    return result


def read_labels(folder: Path, splits: set[str] | None = None) -> list[tuple[Path, dict]]:
    """(story path, label) from ``labels.jsonl`` in ``folder`` and in each of its subfolders
    (batches written at different times: ``batch2/``, the frozen ``test/``)."""
    found = sorted(folder.rglob("labels.jsonl"))
    if not found:
        raise InputError(f"{folder} has no labels.jsonl")
    out = []
    for labels_path in found:
        for line in labels_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                label = json.loads(line)
                if splits is None or label.get("split", "tuning") in splits:
                    out.append((labels_path.parent / label["story"], label))
    return out


def evaluate_folder(folder: Path, model: str | None = None, threshold: float | None = None,
                    auditor: Auditor | None = None, splits: set[str] | None = None,
                    large: str | None = "auto", precision: str | None = None) -> dict:
    """Score every labelled story under ``folder`` (optionally only some splits)."""
    auditor = auditor or Auditor(model, threshold, large=large, precision=precision)
    results = [score_story(auditor.audit_document(read_document(path)), label)
               for path, label in read_labels(folder, splits)]
    return summarise(results)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "expected": n_gold}


def _overall(results: list[StoryResult]) -> dict:
    tp = sum(len(r.matched) for r in results)
    fp = sum(len(r.false_positives) for r in results)
    return _prf(tp, tp + fp, sum(len(r.expected) for r in results))


def per_kind(results: list[StoryResult]) -> dict[str, dict]:
    """Recall by expected kind, precision by predicted kind."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "pred": 0, "gold": 0,
                                                             "found": 0})
    for r in results:
        for e in r.expected:
            counts[e["kind"]]["gold"] += 1
        for e, f in r.matched:
            counts[e["kind"]]["found"] += 1
            counts[f.kind]["pred"] += 1
            counts[f.kind]["tp"] += e["kind"] == f.kind
        for f in r.false_positives:
            counts[f.kind]["pred"] += 1
    return {k: _prf(v["tp"], v["pred"], v["gold"]) | {"found_any_kind": v["found"]}
            for k, v in sorted(counts.items())}


def _top(results: list[StoryResult]) -> float:
    return sum(r.top_ok for r in results) / len(results) if results else 0.0


def summarise(results: list[StoryResult]) -> dict:
    tp = sum(len(r.matched) for r in results)
    splits = {}
    for name in sorted({r.split for r in results}):
        part = [r for r in results if r.split == name]
        splits[name] = _overall(part) | {"stories": len(part), "top_flag_accuracy": _top(part),
                                         "per_kind": per_kind(part)}
    return {
        "stories": len(results),
        "overall": _overall(results),
        "splits": splits,
        "top_flag_accuracy": _top(results),
        "kind_accuracy": (sum(e["kind"] == f.kind for r in results for e, f in r.matched) / tp
                          if tp else 0.0),
        "per_kind": per_kind(results),
        "stories_detail": [
            {"story": r.story, "split": r.split, "matched": len(r.matched), "missed": len(r.missed),
             "false_positives": [f"{f.kind} {f.claims[0]}-{f.claims[1]} {f.severity:.2f}"
                                 for f in r.false_positives], "top_ok": r.top_ok}
            for r in results
        ],
    }


FROZEN = "test"  # written by a helper who does not tune; never shown story by story


def print_results(summary: dict, console: Console) -> None:
    o = summary["overall"]
    console.print(f"[bold]{summary['stories']} stories[/]  precision {o['precision']:.3f}  "
                  f"recall {o['recall']:.3f}  F1 {o['f1']:.3f}  top-flag accuracy "
                  f"{summary['top_flag_accuracy']:.3f}  kind accuracy "
                  f"{summary['kind_accuracy']:.3f}")
    for name, o in summary["splits"].items():
        console.print(f"  {name}: {o['stories']} stories  precision {o['precision']:.3f}  "
                      f"recall {o['recall']:.3f}  F1 {o['f1']:.3f}  top-flag accuracy "
                      f"{o['top_flag_accuracy']:.3f}")
    for name, o in [("all splits", summary), *summary["splits"].items()]:
        table = Table(title=f"Per flag kind, {name} (recall by expected kind, precision by "
                            "predicted kind)")
        for col in ("kind", "precision", "recall", "predicted", "expected", "found (any kind)"):
            table.add_column(col)
        for k, v in o["per_kind"].items():
            table.add_row(k, f"{v['precision']:.2f}", f"{v['recall']:.2f}", str(v["predicted"]),
                          str(v["expected"]), str(v["found_any_kind"]))
        console.print(table)
    detail = Table(title="Per story (the frozen test split is shown in totals only)")
    for col in ("story", "matched", "missed", "false positives", "top ok"):
        detail.add_column(col)
    for s in summary["stories_detail"]:
        if s["split"] == FROZEN:
            continue
        detail.add_row(s["story"], str(s["matched"]), str(s["missed"]),
                       "; ".join(s["false_positives"]), "yes" if s["top_ok"] else "no")
    console.print(detail)
