"""The one place where models are found and loaded.

The default NLI model is the one the project trains and ships in
``models/claimcheck-nli-minilm``; any Hugging Face checkpoint id or local path
works too. Local paths never touch the network, and the label order is read
from the checkpoint's config rather than assumed.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import torch

from claimcheck.backbones import PARTIAL_FILE, BackboneError, load_partial

DEFAULT_MODEL_NAME = "claimcheck-nli-minilm"
LARGE_MODEL_NAME = "claimcheck-nli-mpnet"  # the cascade's re-reader (nli.CascadeScorer)
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
NLI_LABELS = ("entailment", "neutral", "contradiction")

# How the models compute. "auto": bf16 where this machine multiplies bf16 at least
# BF16_MARGIN times as fast as fp32 (measured once, ``auto_precision``), else fp32. On a
# 2-core AMD EPYC with AVX-512 BF16, bf16 reads 2.7x (small) and 3.6x (large) as fast as
# fp32, its contradiction scores within 0.04 of fp32's (bench/precision.py); on an Intel
# host with AVX-512 BF16 but no AMX, session 12 measured 0.67x, hence a measurement, not
# a CPU flag. "int8": dynamic int8 Linear layers, for the first model only: its scores
# depend on their batch mates (README, Speed).
Precision = Literal["auto", "fp32", "bf16", "int8"]
PRECISIONS: tuple[str, ...] = get_args(Precision)
BF16_MARGIN = 1.3  # wide, so that noise on a shared host does not flip the choice
PRECISION_CACHE = Path(os.environ.get("CLAIMCHECK_CACHE", Path.home() / ".cache" / "claimcheck")
                       ) / "precision.json"


class ModelError(RuntimeError):
    """A model could not be found or does not look like an NLI model."""


def default_model_path() -> Path:
    env = os.environ.get("CLAIMCHECK_MODEL")
    return Path(env) if env else MODELS_DIR / DEFAULT_MODEL_NAME


def large_model_path() -> Path:
    env = os.environ.get("CLAIMCHECK_LARGE_MODEL")
    return Path(env) if env else MODELS_DIR / LARGE_MODEL_NAME


def resolve(name: str | os.PathLike[str] | None) -> str:
    """A local directory for the default or a path, else the string as a hub id."""
    if name is None or str(name) in ("", "default", DEFAULT_MODEL_NAME):
        path = default_model_path()
        if not (path / "config.json").exists():
            raise ModelError(
                f"the embedded model is missing at {path}; reinstall claimcheck or pass --model"
            )
        return str(path)
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "config.json").exists():
            raise ModelError(f"{path} is not a model directory (no config.json)")
        return str(path)
    return str(name)


def label_order(id2label: dict[int, str]) -> tuple[int, int, int]:
    """Indices of (entailment, neutral, contradiction) in the model's logits.

    Two-way models ("entailment" / "not_entailment") have no neutral; they are
    refused, since claimcheck needs a contradiction score of its own.
    """
    names = {i: str(lbl).lower().replace("_", " ").strip() for i, lbl in id2label.items()}
    found: dict[str, int] = {}
    for i, lbl in names.items():
        for want in NLI_LABELS:
            if lbl.startswith(want[:6]):
                found[want] = int(i)
    missing = [w for w in NLI_LABELS if w not in found]
    if missing:
        raise ModelError(
            f"model labels {sorted(names.values())} lack {', '.join(missing)}; "
            "claimcheck needs a 3-way NLI model (entailment, neutral, contradiction)"
        )
    return found["entailment"], found["neutral"], found["contradiction"]


@dataclass
class NLIModel:
    name: str
    tokenizer: object
    model: torch.nn.Module
    order: tuple[int, int, int]  # logits index of entailment, neutral, contradiction
    device: torch.device
    precision: Precision = "fp32"


def pick_device(device: str | None = None) -> torch.device:
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def native_bf16() -> bool:
    """Whether this CPU has bf16 instructions (AVX-512 BF16 or AMX tiles); without them
    bf16 is emulated, and slower than fp32."""
    cpu = torch.cpu
    return bool(getattr(cpu, "_is_avx512_bf16_supported", lambda: False)()
                or getattr(cpu, "_is_amx_tile_supported", lambda: False)())


def bf16_speedup(repeats: int = 5) -> float:
    """fp32 time over bf16 time of one Linear of the models' own shape (16 pairs of 64
    tokens, 384 -> 1536), best of ``repeats`` each: about 0.1 s."""
    x, w = torch.randn(1024, 384), torch.randn(1536, 384)
    best = {}
    with torch.inference_mode():
        for dtype in (torch.float32, torch.bfloat16):
            a, b = x.to(dtype), w.to(dtype)
            torch.nn.functional.linear(a, b)  # warm
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                torch.nn.functional.linear(a, b)
                times.append(time.perf_counter() - started)
            best[dtype] = min(times)
    return best[torch.float32] / best[torch.bfloat16]


@lru_cache(maxsize=1)
def auto_precision() -> Precision:
    """What "auto" means on this CPU: bf16 if it has bf16 instructions and multiplies bf16
    at least ``BF16_MARGIN`` times as fast as fp32, else fp32. Measured once per CPU model
    and torch version and kept in ``PRECISION_CACHE``, so that every run on one machine,
    a resumed batch included, computes the same way."""
    if not native_bf16():
        return "fp32"
    key = f"{_cpu_model()} | torch {torch.__version__} | {torch.get_num_threads()} threads"
    try:
        seen = json.loads(PRECISION_CACHE.read_text())
    except (OSError, ValueError):
        seen = {}
    if key not in seen:
        seen[key] = round(bf16_speedup(), 2)
        try:  # a cache that cannot be written only costs the next run 0.1 s
            PRECISION_CACHE.parent.mkdir(parents=True, exist_ok=True)
            tmp = PRECISION_CACHE.with_name(f"{PRECISION_CACHE.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(seen, indent=1))
            os.replace(tmp, PRECISION_CACHE)
        except OSError:
            pass
    return "bf16" if seen[key] >= BF16_MARGIN else "fp32"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def pick_precision(precision: str | None, device: torch.device) -> Precision:
    """The precision asked for, else ``$CLAIMCHECK_PRECISION``, else "auto" resolved for
    this machine (``auto_precision`` on a CPU; fp32 on a GPU)."""
    chosen = precision or os.environ.get("CLAIMCHECK_PRECISION") or "auto"
    if chosen not in PRECISIONS:
        raise ModelError(f"unknown precision {chosen!r}; use one of {', '.join(PRECISIONS)}")
    if chosen == "auto":
        return auto_precision() if device.type == "cpu" else "fp32"
    return chosen  # type: ignore[return-value]


def unquantized(precision: str | None) -> str | None:
    """The precision for the models int8 is not for (the cascade's re-reader, whose int8
    scores move too far, and pairing's encoder): as asked, except int8 computes at auto."""
    chosen = precision or os.environ.get("CLAIMCHECK_PRECISION")
    return "auto" if chosen == "int8" else precision


def load_nli(name: str | None = None, device: str | None = None,
             precision: str | None = None) -> NLIModel:
    """Load (once per process and precision) a 3-way NLI cross-encoder, ready for inference.

    ``precision`` (``Precision``; None: ``$CLAIMCHECK_PRECISION`` or "auto") is resolved
    here, so that "auto" and the precision it stands for share one loaded model. "int8"
    applies dynamic int8 quantization to the Linear layers (CPU only): opt-in, at a
    measured cost in flag quality (README, "Speed").
    """
    dev = pick_device(device)
    return _load(name, dev, pick_precision(precision, dev))


@lru_cache(maxsize=4)
def _load(name: str | None, dev: torch.device, precision: Precision) -> NLIModel:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter the report
    where = resolve(name)
    local = Path(where).exists()
    # loaded straight in bf16, the fp32 weights never sit in memory beside the bf16 ones
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    try:
        tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=local)
        if local and (Path(where) / PARTIAL_FILE).exists():
            model = load_partial(Path(where), dtype)
        else:
            model = AutoModelForSequenceClassification.from_pretrained(
                where, local_files_only=local, dtype=dtype
            )
    except BackboneError as err:
        raise ModelError(f"could not load model {where!r}: {err}") from err
    except OSError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelError(f"could not load model {where!r}: {first}") from err
    model.to(dev).eval()
    if precision == "bf16":
        where += " (bf16)"
    if precision == "int8" and dev.type != "cpu":
        precision = "fp32"  # dynamic quantization is for the CPU
    if precision == "int8":
        import warnings

        with warnings.catch_warnings():  # torch.ao quantization is deprecated but works
            warnings.simplefilter("ignore")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear},
                                                           dtype=torch.qint8)
        where += " (int8)"
    return NLIModel(where, tokenizer, model, label_order(model.config.id2label), dev, precision)
