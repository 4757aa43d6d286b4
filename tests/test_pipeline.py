"""The seed story (../shared/seed/story.txt) end to end, on the real model."""

import pytest

from claimcheck import audit

pytestmark = pytest.mark.slow


def claim(report, snippet):
    return next(c for c in report.claims if snippet in c.text)


def flag_between(report, a, b):
    ids = {claim(report, a).id, claim(report, b).id}
    return next((f for f in report.flags if set(f.claims) == ids), None)


def test_casualties_against_80_deaths_is_flagged_as_another_event(seed_report):
    f = flag_between(seed_report, "no reports of any casualties", "death of 80 people")
    assert f is not None and f.kind == "numeric"
    assert f.same_event is False and "different events" in f.explanation


def test_sourcing_tensions_with_the_unclear_origin(seed_report):
    confirmed = flag_between(seed_report, "confirmed by a security source", "not immediately clear")
    media = flag_between(seed_report, "According to media reports", "not immediately clear")
    assert confirmed is not None and confirmed.kind == "sourcing"
    assert media is not None and media.kind == "sourcing"
    assert "origin of the rockets" in confirmed.explanation


def test_assertion_beside_attributed_belief(seed_report):
    deaths = claim(seed_report, "death of 80 people")
    pentagon = claim(seed_report, "Pentagon said it believed")
    assert (deaths.source, deaths.certainty) == (None, "asserted")
    assert (pentagon.source, pentagon.certainty) == ("Pentagon", "believed")


def test_no_false_alarms_on_time_zones_or_vague_counts(seed_report):
    assert flag_between(seed_report, "early Thursday (Indian time)", "11:45 p.m") is None
    assert flag_between(seed_report, "multiple missiles", "more than a dozen missiles") is None


def test_library_call_matches_the_report(seed_text, seed_report):
    report = audit(seed_text, source="story.txt")
    assert report.as_dict() == seed_report.as_dict()


def test_consistent_story_has_no_flags():
    report = audit("Council backs new park\n\nThe council approved a new park on Monday. "
                   "Work on the park will start in the spring and cost about £2m.")
    assert report.flags == [] and report.score == 1.0


def test_the_cascade_steps_aside_with_a_note_when_its_large_model_cannot_load(
        monkeypatch, tmp_path):
    import json
    import shutil

    from claimcheck.flags import FlagConfig
    from claimcheck.loading import MODELS_DIR
    from claimcheck.nli import NLIScorer
    from claimcheck.pipeline import Auditor

    broken = tmp_path / "large"
    broken.mkdir()
    shutil.copy(MODELS_DIR / "claimcheck-nli-minilm" / "config.json", broken)
    (broken / "partial.json").write_text(json.dumps({"base": "no-such-encoder"}))
    monkeypatch.setenv("CLAIMCHECK_LARGE_MODEL", str(broken))
    auditor = Auditor()
    assert isinstance(auditor.scorer, NLIScorer)
    assert "cascade off" in auditor.note and "no-such-encoder" in auditor.note
    assert auditor.config == FlagConfig()  # the small model's own bars
    assert auditor.audit_text("No one was hurt. Two workers were taken to hospital.").flags


def test_the_default_auditor_is_the_shipped_cascade(auditor):
    from claimcheck.flags import CASCADE
    from claimcheck.nli import CascadeScorer

    assert isinstance(auditor.scorer, CascadeScorer), auditor.note
    assert auditor.config == CASCADE and "claimcheck-nli-mpnet" in auditor.scorer.large.name
    before = auditor.scorer.reads["pairs_reread"]
    report = auditor.audit_text("No one was hurt in the blast. Two workers were taken to "
                                "hospital after the blast.")
    assert [f.kind for f in report.flags] == ["numeric"]
    assert auditor.scorer.reads["pairs_reread"] > before  # the large model read the pair
    assert "->" in report.model
    assert f">= {CASCADE.evidence_screen} where a typed check" in report.model  # both screens


def test_pairs_that_no_reading_can_flag_are_not_read(auditor):
    """Vetoed and headline pairs are skipped, and the flags are those of reading them."""
    from pathlib import Path

    from claimcheck.flags import CANNOT_FLAG, UNREAD, reverse_gate
    from claimcheck.ingest import read_document
    from claimcheck.pipeline import prepare

    story = Path(__file__).parent.parent / "data" / "eval" / "01_bus_fire.txt"
    prepared = prepare(read_document(story), config=auditor.pairing)
    gates = [reverse_gate(p, prepared.context, auditor.config) for p in prepared.pairing.pairs]
    skipped = [i for i, gate in enumerate(gates) if gate == CANNOT_FLAG]
    assert skipped, "the story's headline meets claims without a typed conflict"
    scores = auditor.score(prepared)
    assert all(scores[i] == (UNREAD, UNREAD) for i in skipped)
    report = auditor.finish(prepared, scores)
    assert report.pairs_scored == len(gates) - len(skipped)
    every = auditor.finish(prepared, auditor.scorer.score_both(prepared.texts, gates))
    assert [(f.kind, f.spans, f.severity) for f in report.flags] == [
        (f.kind, f.spans, f.severity) for f in every.flags]
    assert report.flags, "the story's planted contradiction is still flagged"
