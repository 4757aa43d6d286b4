"""Stage 5: score premise/hypothesis pairs with an NLI cross-encoder.

Pairs are sorted by length before batching so that each batch pads to a
similar length. Batches of 16 measured fastest on 2 CPU cores (bench/nli_speed.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from claimcheck.loading import NLIModel, load_nli
from claimcheck.schema import NLIScores


class NLIScorer:
    def __init__(
        self,
        model: str | NLIModel | None = None,
        batch_size: int = 16,
        max_length: int = 256,
        device: str | None = None,
        int8: bool = False,
    ) -> None:
        self.nli: NLIModel = (model if isinstance(model, NLIModel)
                              else load_nli(model, device, int8))
        self.batch_size = batch_size
        self.max_length = max_length

    @property
    def name(self) -> str:
        return self.nli.name

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[NLIScores]:
        """Probabilities for each (premise, hypothesis), in the order given."""
        if not pairs:
            return []
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        probs = torch.empty(len(pairs), 3)
        ent, neu, con = self.nli.order
        with torch.inference_mode():
            for lo in range(0, len(order), self.batch_size):
                idx = order[lo: lo + self.batch_size]
                enc = self.nli.tokenizer(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.nli.device)
                logits = self.nli.model(**enc).logits.float()
                p = torch.softmax(logits, dim=-1).cpu()
                probs[idx] = p[:, [ent, neu, con]]
        return [NLIScores(*map(float, row)) for row in probs.tolist()]

    def score_both(self, pairs: Sequence[tuple[str, str]],
                   reverse_if: float | Sequence[float] | None = None,
                   ) -> list[tuple[NLIScores, NLIScores]]:
        """Scores in both directions: (a, b) and (b, a).

        With ``reverse_if`` (one bar, or one per pair), the reverse direction is read only
        where the forward contradiction reaches the bar; elsewhere (b, a) is taken to be
        (a, b). The flag rules trust the lower of the two readings (``flags.symmetric``),
        so with each pair's ``flags.reverse_gate`` this changes no flag and saves most of
        the reverse reads.
        """
        forward = self.score(pairs)
        gates = ([reverse_if] * len(pairs) if reverse_if is None or isinstance(reverse_if, float)
                 else list(reverse_if))
        todo = [i for i, (s, gate) in enumerate(zip(forward, gates, strict=True))
                if gate is None or s.contradiction >= gate]
        backward = list(forward)
        for i, s in zip(todo, self.score([(pairs[i][1], pairs[i][0]) for i in todo]),
                        strict=True):
            backward[i] = s
        return list(zip(forward, backward, strict=True))
