"""The one place where models are found and loaded.

The default NLI model is the one the project trains and ships in
``models/claimcheck-nli-minilm``; any Hugging Face checkpoint id or local path
works too. Local paths never touch the network, and the label order is read
from the checkpoint's config rather than assumed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch

from claimcheck.backbones import PARTIAL_FILE, BackboneError, load_partial

DEFAULT_MODEL_NAME = "claimcheck-nli-minilm"
LARGE_MODEL_NAME = "claimcheck-nli-mpnet"  # the cascade's re-reader (nli.CascadeScorer)
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
NLI_LABELS = ("entailment", "neutral", "contradiction")


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


def pick_device(device: str | None = None) -> torch.device:
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@lru_cache(maxsize=4)
def load_nli(name: str | None = None, device: str | None = None, int8: bool = False) -> NLIModel:
    """Load (once per process) a 3-way NLI cross-encoder, ready for inference.

    ``int8`` applies dynamic int8 quantization to the Linear layers (CPU only): about
    twice the speed, at a measured cost in flag quality (README, "Speed"), so it is
    opt-in rather than the default.
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter the report
    where = resolve(name)
    local = Path(where).exists()
    try:
        tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=local)
        if local and (Path(where) / PARTIAL_FILE).exists():
            model = load_partial(Path(where))
        else:
            model = AutoModelForSequenceClassification.from_pretrained(
                where, local_files_only=local, dtype=torch.float32
            )
    except BackboneError as err:
        raise ModelError(f"could not load model {where!r}: {err}") from err
    except OSError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelError(f"could not load model {where!r}: {first}") from err
    dev = pick_device(device)
    model.to(dev).eval()
    if int8 and dev.type == "cpu":
        import warnings

        with warnings.catch_warnings():  # torch.ao quantization is deprecated but works
            warnings.simplefilter("ignore")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear},
                                                           dtype=torch.qint8)
        where += " (int8)"
    return NLIModel(where, tokenizer, model, label_order(model.config.id2label), dev)
