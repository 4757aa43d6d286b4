"""The whole audit, stage by stage: ingest -> sentences -> claims (values) -> evidence ->
pairing -> nli -> flags -> explain -> report. ``audit(text)`` is the one-call entry point."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from claimcheck.claims import extract_claims
from claimcheck.evidence import places_of
from claimcheck.explain import to_flags
from claimcheck.flags import (
    CANNOT_FLAG,
    CASCADE,
    UNREAD,
    FlagConfig,
    decide_all,
    reverse_gate,
    screen_of,
)
from claimcheck.ingest import make_document, read_document
from claimcheck.loading import ModelError, large_model_path, unquantized
from claimcheck.nli import CascadeScorer, NLIScorer
from claimcheck.pairing import Pairing, PairingConfig, candidate_pairs
from claimcheck.report import build_report
from claimcheck.schema import Claim, ClaimPair, Document, NLIScores, Report, StoryContext
from claimcheck.sentences import document_sentences


@dataclass
class Prepared:
    """A story up to the point where it needs the model, so that batch runs can pool
    the pairs of many stories into shared NLI batches."""

    document: Document
    claims: list[Claim]
    pairing: Pairing
    context: StoryContext  # the story's places and year, which some checks need

    @property
    def texts(self) -> list[tuple[str, str]]:
        return [(p.a.text, p.b.text) for p in self.pairing.pairs]


def prepare(doc: Document, all_pairs: bool = False,
            config: PairingConfig | None = None) -> Prepared:
    """Every stage before the model: sentences, claims, the story's context, pairs."""
    sentences = document_sentences(doc)
    claims = extract_claims(doc, sentences)
    context = StoryContext(places_of(*claims), story_year(doc, claims))
    return Prepared(doc, claims, candidate_pairs(claims, config, all_pairs), context)


def story_year(doc: Document, claims: list[Claim]) -> int | None:
    """The story's own year: from its date (metadata, dateline, ``--date``), else the
    latest year it mentions, which the story cannot predate. Never the year it is run."""
    date = doc.metadata.get("date")
    if date:
        return int(date[:4])
    years = [int(v.value) for c in claims for v in c.values
             if v.kind == "date" and len(str(v.value)) == 4]
    return max(years, default=None)


class Auditor:
    """Holds the models and settings; reuse one to audit many stories.

    ``large`` is the cascade's re-reader: "auto" (the default) uses the shipped large model
    behind the default small one when both are installed, and the small model alone
    otherwise (``note`` says why); None turns the cascade off; a path or hub id names one.
    Each setup has its own calibrated ``FlagConfig``. ``precision`` (``loading.Precision``)
    is how the models compute; None: ``$CLAIMCHECK_PRECISION``, else "auto".
    """

    def __init__(self, model: str | None = None, threshold: float | None = None,
                 all_pairs: bool = False, batch_size: int = 16, device: str | None = None,
                 precision: str | None = None, pairing: PairingConfig | None = None,
                 large: str | None = "auto"):
        small = NLIScorer(model, batch_size=batch_size, device=device, precision=precision)
        self.note = ""
        self.scorer: NLIScorer | CascadeScorer = small
        config = FlagConfig()
        auto = large == "auto"
        if auto:
            shipped = model is None and (large_model_path() / "config.json").exists()
            large = str(large_model_path()) if shipped else None
        if large is not None:
            try:
                big = NLIScorer(large, batch_size=batch_size, device=device,
                                precision=unquantized(precision))
            except ModelError as err:
                if not auto:  # a model the user named must load
                    raise
                self.note = f"cascade off, small model alone: {err}"
            else:
                config = CASCADE
                self.scorer = CascadeScorer(small, big, config.screen)
        self.config = config if threshold is None else replace(config, threshold=threshold)
        self.pairing = pairing or PairingConfig()
        if precision and self.pairing.precision is None:
            self.pairing = replace(self.pairing, precision=precision)
        self.all_pairs = all_pairs

    def score(self, prepared: Prepared) -> list[tuple[NLIScores, NLIScores]]:
        """Both readings of every candidate pair that could flag. A pair no reading can
        flag (``flags.CANNOT_FLAG``: vetoed by a typed check, or a headline without a typed
        conflict; 12% of the pairs of typical BBC stories) is not read and gets ``UNREAD``;
        the reverse reading is skipped where it cannot change the decision
        (``flags.reverse_gate``). Exhaustive mode (--all-pairs) reads every pair both ways."""
        pairs, ctx = prepared.pairing.pairs, prepared.context
        if self.all_pairs:
            return self._read(prepared.texts, None, pairs, ctx)
        gates = [reverse_gate(p, ctx, self.config) for p in pairs]
        live = [i for i, gate in enumerate(gates) if gate < CANNOT_FLAG]
        read = self._read([prepared.texts[i] for i in live], [gates[i] for i in live],
                          [pairs[i] for i in live], ctx)
        scores = [(UNREAD, UNREAD)] * len(gates)
        for i, both in zip(live, read, strict=True):
            scores[i] = both
        return scores

    def _read(self, texts: list[tuple[str, str]], gates: list[float] | None,
              pairs: list[ClaimPair], ctx: StoryContext) -> list[tuple[NLIScores, NLIScores]]:
        """Both readings; a cascade's large model re-reads each pair at its own screen
        (``flags.screen_of``), which only a cascade needs."""
        if isinstance(self.scorer, CascadeScorer):
            screens = [screen_of(p, ctx, self.config) for p in pairs]
            return self.scorer.score_both(texts, gates, screens)
        return self.scorer.score_both(texts, gates)

    def finish(self, prepared: Prepared, scores: list[tuple[NLIScores, NLIScores]]) -> Report:
        scored = [(pair, ab, ba) for pair, (ab, ba)
                  in zip(prepared.pairing.pairs, scores, strict=True)]
        flags = to_flags(decide_all(scored, prepared.context, self.config))
        read = sum(ab is not UNREAD for ab, _ in scores)
        return build_report(prepared.document, prepared.claims, prepared.pairing,
                            read, flags, self.model_name)

    @property
    def model_name(self) -> str:
        """The model (or cascade, with its screens) the report names."""
        if isinstance(self.scorer, CascadeScorer):
            return (f"{self.scorer.name}; at >= {self.config.evidence_screen} "
                    "where a typed check finds a conflict")
        return self.scorer.name

    def audit_document(self, doc: Document) -> Report:
        prepared = prepare(doc, self.all_pairs, self.pairing)
        return self.finish(prepared, self.score(prepared))

    def audit_text(self, text: str, source: str = "<text>") -> Report:
        return self.audit_document(make_document(text, source))

    def audit_file(self, path: str | Path, max_bytes: int | None = None) -> Report:
        doc = read_document(path, max_bytes) if max_bytes else read_document(path)
        return self.audit_document(doc)


@lru_cache(maxsize=4)
def _auditor(model: str | None, threshold: float | None, all_pairs: bool) -> Auditor:
    return Auditor(model, threshold, all_pairs)


def audit(text: str, *, model: str | None = None, threshold: float | None = None,
          all_pairs: bool = False, source: str = "<text>") -> Report:
    """Audit one story given as text; the model is loaded once per process.

    Args:
        text: the story: optional headline and metadata lines, then paragraphs.
        model: an NLI checkpoint (hub id or local path); default the embedded model.
        threshold: contradiction score the model alone must reach (default: calibrated).
        all_pairs: read every claim pair instead of the candidates pairing chooses.
        source: a name for the story in the report.

    Returns:
        The ``Report``: claims, flags sorted by severity, and a score in [0, 1].

    Example:
        >>> report = audit("No one was hurt. Two workers were taken to hospital.")
        >>> [f.kind for f in report.flags]
        ['numeric']
    """
    return _auditor(model, threshold, all_pairs).audit_text(text, source)
