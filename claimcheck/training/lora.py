"""Low-rank adapters (LoRA, Hu et al. 2021) for training a large encoder cheaply and shipping
it small.

Every Linear of every encoder layer keeps its PyPI weight frozen and learns a low-rank
update ``up @ down`` beside it; the classifier head, the LayerNorms and the biases are
trained in full. The model written (train.export) holds only those: for MPNet-base at
rank 32, about 12 MB instead of 220 MB. backbones.load_partial adds each update back
onto the encoder's weight, so the model that runs is a plain transformers model.

Hand-written rather than taken from ``peft``: training needs one small module, and the
runtime only an addition, which would not justify a dependency of every install.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from claimcheck.backbones import LORA_DOWN, LORA_UP


class LoRALinear(nn.Module):
    """``base(x) + scale * up(down(x))``; ``up`` starts at zero, so training starts from
    the base model exactly."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float | None = None) -> None:
        super().__init__()
        self.base = base
        self.down = nn.Parameter(torch.empty(rank, base.in_features))
        self.up = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.down, a=math.sqrt(5))
        self.scale = (alpha or 2 * rank) / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.down.t() @ self.up.t()) * self.scale


def add_lora(model: nn.Module, rank: int) -> set[str]:
    """Wrap every Linear inside the encoder's layers and freeze what the adapters stand in
    for. Returns the frozen parameter names as the unwrapped model will call them."""
    targets = [(name, mod) for name, mod in model.named_modules()
               if isinstance(mod, nn.Linear) and ".layer." in name]
    for name, mod in targets:
        parent, _, leaf = name.rpartition(".")
        setattr(model.get_submodule(parent), leaf, LoRALinear(mod, rank))
    frozen = set()
    for name, param in model.named_parameters():
        trained = (name.startswith("classifier") or "LayerNorm" in name
                   or name.endswith((".bias", ".down", ".up")))
        param.requires_grad = trained
        if not trained:
            frozen.add(name.replace(".base.", "."))
    return frozen


def merge_lora(model: nn.Module) -> dict[str, torch.Tensor]:
    """Fold every adapter into its Linear (in place) and return the factors, scale folded
    into ``up``, keyed by the weight they update. After this the model is a plain one again,
    numerically the same."""
    factors: dict[str, torch.Tensor] = {}
    wrapped = [(n, m) for n, m in model.named_modules() if isinstance(m, LoRALinear)]
    for name, mod in wrapped:
        up = (mod.up * mod.scale).detach()
        with torch.no_grad():
            mod.base.weight += up @ mod.down.detach()
        factors[f"{name}.weight{LORA_DOWN}"] = mod.down.detach().clone()
        factors[f"{name}.weight{LORA_UP}"] = up.clone()
        parent, _, leaf = name.rpartition(".")
        setattr(model.get_submodule(parent), leaf, mod.base)
    return factors

