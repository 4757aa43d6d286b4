"""The small typed records passed between pipeline stages.

Every span is a ``(start, end)`` pair of character offsets into the *original*
text of the story, so a flag can always be traced back to the exact words.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

LABELS = ("entailment", "neutral", "contradiction")

# The closed sets of values a report carries.
Certainty = Literal["asserted", "confirmed", "reported", "believed", "unclear", "denied"]
FlagKind = Literal["numeric", "date", "place", "role", "outcome", "direction", "contradiction",
                   "sourcing", "sources_disagree"]
PairReason = Literal["all-pairs", "typed", "doubt", "similar", "window"]
FLAG_KINDS: tuple[str, ...] = FlagKind.__args__  # type: ignore[attr-defined]
CERTAINTIES: tuple[str, ...] = Certainty.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Document:
    """A story as read from disk: body text plus what was recognised around it."""

    source: str
    text: str  # the full decoded text; all offsets point into this
    body_start: int = 0  # where the body starts (after headline/metadata)
    headline: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True)
class Value:
    """A typed value found in a claim: a count, a date, a place, a role..."""

    # quantity | date | time | weekday | place | person | role | age | outcome | direction
    kind: str
    text: str
    start: int
    end: int
    value: Any = None  # normalised value (number, ISO date, lower-cased name...)
    unit: str | None = None  # what a quantity counts ("people", "missiles")
    qualifier: str | None = None  # "more than", "about", "at least"...


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    sentence: int
    start: int
    end: int
    source: str | None = None  # who says it: "a security source", "the Pentagon", None
    certainty: Certainty = "asserted"
    values: tuple[Value, ...] = ()
    skipped: str | None = None  # reason when this is not a checkable claim
    other_event: str | None = None  # the phrase ("a day after") that puts it in another event
    headline: bool = False  # headlines are telegraphic: the model misreads them alone

    @property
    def checkable(self) -> bool:
        return self.skipped is None


@dataclass(frozen=True)
class StoryContext:
    """What the whole story tells about each claim pair: the places it names (to
    resolve "local time") and its own year (to tell a past event from today's)."""

    places: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True)
class NLIScores:
    entailment: float
    neutral: float
    contradiction: float

    @property
    def label(self) -> str:
        scores = (self.entailment, self.neutral, self.contradiction)
        return LABELS[scores.index(max(scores))]

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ClaimPair:
    a: Claim
    b: Claim
    reason: PairReason = "all-pairs"  # why pairing chose it to be read


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    severity: float
    claims: tuple[str, str]
    spans: tuple[tuple[int, int], tuple[int, int]]
    explanation: str
    nli: NLIScores
    same_event: bool | None = None
    highlights: tuple[tuple[int, int], ...] = ()  # the conflicting words, original offsets
    doubted: str | None = None  # sourcing notes: the claim called unclear or denied

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": round(self.severity, 4),
            "claims": list(self.claims),
            "spans": [list(s) for s in self.spans],
            "explanation": self.explanation,
            "nli": self.nli.as_dict(),
            "same_event": self.same_event,
        }


@dataclass
class Report:
    source: str
    score: float  # 1.0 = no sign of inconsistency, 0.0 = badly self-contradictory
    document: Document
    claims: list[Claim]
    flags: list[Flag]
    pairs_total: int = 0
    pairs_scored: int = 0
    model: str = ""
    windowed: bool = False  # a long story, read in windows plus long-range neighbours

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "score": round(self.score, 4),
            "windowed": self.windowed,
            "claims": [claim_dict(c) for c in self.claims],
            "flags": [f.as_dict() for f in self.flags],
        }


def claim_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "text": c.text,
        "sentence": c.sentence,
        "start": c.start,
        "end": c.end,
        "source": c.source,
        "certainty": c.certainty,
        "values": [
            {k: v for k, v in asdict(val).items() if v is not None} for val in c.values
        ],
        "skipped": c.skipped,
        "other_event": c.other_event,
        "headline": c.headline,
    }
