"""Stage 7: one score for the whole story, and the Report that carries everything."""

from __future__ import annotations

from claimcheck.pairing import Pairing
from claimcheck.schema import Claim, Document, Flag, Report

# How much one flag of each kind lowers the score at full severity. Sourcing
# tensions deserve a look but are often fine once read; contradictions are not.
WEIGHTS = {"sourcing": 0.35}
DEFAULT_WEIGHT = 0.6


def document_score(flags: list[Flag]) -> float:
    """1.0 for a story with no flags; each flag multiplies in (1 - weight * severity)."""
    score = 1.0
    for f in flags:
        score *= 1.0 - WEIGHTS.get(f.kind, DEFAULT_WEIGHT) * f.severity
    return max(0.0, min(1.0, score))


def build_report(doc: Document, claims: list[Claim], pairing: Pairing, scored: int,
                 flags: list[Flag], model: str) -> Report:
    return Report(
        source=doc.source, score=document_score(flags), document=doc, claims=claims,
        flags=flags, pairs_total=pairing.total, pairs_scored=scored, model=model,
        windowed=pairing.windowed,
    )
