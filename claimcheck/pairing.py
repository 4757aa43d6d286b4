"""Stage 4: choose which claim pairs the NLI model should read.

Pairs grow quadratically with a story's length, and most can never be flagged
whatever the model says: the flag rules (flags.py) need the two claims to share
a typed value, a name or a topic word, or one to doubt what the other states.
Pairing asks those rules (``flag_route``) and keeps only pairs with a route,
so pruning loses no flag that reading every pair would find. The counts are
reported so a reader knows how much was skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from claimcheck.flags import FlagConfig, flag_route
from claimcheck.schema import Claim, ClaimPair


@dataclass(frozen=True)
class Pairing:
    pairs: list[ClaimPair]
    total: int  # all pairs of checkable claims

    @property
    def pruned(self) -> int:
        return self.total - len(self.pairs)


def candidate_pairs(claims: list[Claim], context: list[str] | None = None,
                    config: FlagConfig | None = None, all_pairs: bool = False) -> Pairing:
    """Pairs that some NLI score could flag; every pair with ``all_pairs``.

    ``context`` is the story's place names (``flags.places_of``), which the time
    checks use; ``config`` the flag settings, since a lower threshold opens routes.
    """
    checkable = [c for c in claims if c.checkable]
    every = list(combinations(checkable, 2))
    if all_pairs:
        return Pairing([ClaimPair(a, b) for a, b in every], len(every))
    context, config = context or [], config or FlagConfig()
    kept = [ClaimPair(a, b, route) for a, b in every
            if (route := flag_route(a, b, context, config))]
    return Pairing(kept, len(every))
