"""The whole audit, stage by stage: ingest -> sentences -> claims -> pairing -> nli ->
flags -> report. ``audit(text)`` is the one-call library entry point."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claimcheck.claims import extract_claims
from claimcheck.flags import FlagConfig, make_flags, places_of
from claimcheck.ingest import make_document, read_document
from claimcheck.nli import NLIScorer
from claimcheck.pairing import Pairing, candidate_pairs
from claimcheck.report import build_report
from claimcheck.schema import Claim, Document, NLIScores, Report
from claimcheck.sentences import document_sentences


@dataclass
class Prepared:
    """A story up to the point where it needs the model, so that batch runs can pool
    the pairs of many stories into shared NLI batches."""

    document: Document
    claims: list[Claim]
    pairing: Pairing
    context: list[str]  # place names of the whole story, to resolve "local time"

    @property
    def texts(self) -> list[tuple[str, str]]:
        return [(p.a.text, p.b.text) for p in self.pairing.pairs]


def prepare(doc: Document, all_pairs: bool = False, config: FlagConfig | None = None) -> Prepared:
    sentences = document_sentences(doc)
    claims = extract_claims(doc, sentences)
    context = places_of(*claims)
    return Prepared(doc, claims, candidate_pairs(claims, context, config, all_pairs), context)


class Auditor:
    """Holds the model and settings; reuse one to audit many stories."""

    def __init__(self, model: str | None = None, threshold: float = 0.5,
                 all_pairs: bool = False, batch_size: int = 16, device: str | None = None,
                 int8: bool = False):
        self.scorer = NLIScorer(model, batch_size=batch_size, device=device, int8=int8)
        self.config = FlagConfig(threshold=threshold)
        self.all_pairs = all_pairs
        # exhaustive mode (--all-pairs) also reads every pair in both directions
        self.reverse_if: float | None = None if all_pairs else self.config.both_ways

    def finish(self, prepared: Prepared, scores: list[tuple[NLIScores, NLIScores]]) -> Report:
        scored = [(pair, ab, ba) for pair, (ab, ba)
                  in zip(prepared.pairing.pairs, scores, strict=True)]
        flags = make_flags(scored, prepared.context, self.config)
        return build_report(prepared.document, prepared.claims, prepared.pairing,
                            len(scored), flags, self.scorer.name)

    def audit_document(self, doc: Document) -> Report:
        prepared = prepare(doc, self.all_pairs, self.config)
        return self.finish(prepared, self.scorer.score_both(prepared.texts, self.reverse_if))

    def audit_text(self, text: str, source: str = "<text>") -> Report:
        return self.audit_document(make_document(text, source))

    def audit_file(self, path: str | Path, max_bytes: int | None = None) -> Report:
        doc = read_document(path, max_bytes) if max_bytes else read_document(path)
        return self.audit_document(doc)


@lru_cache(maxsize=4)
def _auditor(model: str | None, threshold: float, all_pairs: bool) -> Auditor:
    return Auditor(model, threshold, all_pairs)


def audit(text: str, *, model: str | None = None, threshold: float = 0.5,
          all_pairs: bool = False, source: str = "<text>") -> Report:
    """Audit one story given as text; the model is loaded once per process."""
    return _auditor(model, threshold, all_pairs).audit_text(text, source)
