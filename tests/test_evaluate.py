"""The labelled stories in data/eval, scored by the real pipeline."""

from pathlib import Path

import pytest

from claimcheck.evaluate import evaluate_folder, read_labels, score_story

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"


def test_every_label_snippet_is_in_its_story_and_splits_are_known():
    labels = read_labels(EVAL)
    for path, label in labels:
        text = path.read_text(encoding="utf-8")
        for f in label["flags"] + label.get("allowed", []):
            assert f["a"] in text and f["b"] in text, (label["story"], f)
        assert label.get("split", "tuning") in ("tuning", "heldout", "test")
    assert len(labels) >= 100 and len(list(EVAL.rglob("*.txt"))) == len(labels)
    frozen = sum(label.get("split") == "test" for _, label in labels)
    assert frozen >= len(labels) // 2 - 10  # a frozen test half, reported on its own


@pytest.mark.slow
def test_eval_set_quality_floor(auditor):
    # floors a regression must not cross, on the stories the rules were tuned on (the
    # frozen test split is reported, never used as a gate); measured figures in README
    summary = evaluate_folder(EVAL, auditor=auditor, splits={"tuning", "heldout"})
    # (the bars are calibrated for few false alarms on real news: P 0.343, R 0.218 measured
    # with the cascade on 182 stories)
    assert summary["stories"] >= 180
    assert summary["overall"]["recall"] >= 0.2, summary["overall"]
    assert summary["overall"]["precision"] >= 0.3, summary["overall"]


def test_matching_counts_allowed_flags_as_neither(auditor_free_report):
    report, label = auditor_free_report
    result = score_story(report, label)
    assert len(result.matched) == 1 and not result.false_positives and result.top_ok


@pytest.fixture
def auditor_free_report():
    from claimcheck.claims import sentence_claims
    from claimcheck.ingest import make_document
    from claimcheck.schema import Flag, NLIScores, Report, Sentence

    text = "No one was hurt. Three people were hurt. Last year two died."
    doc = make_document(text)
    claims = []
    for i, s in enumerate(("No one was hurt.", "Three people were hurt.", "Last year two died.")):
        at = text.index(s)
        claims += sentence_claims(Sentence(i, at, at + len(s), s), i + 1, None)
    nli = NLIScores(0.1, 0.1, 0.8)
    flags = [Flag("numeric", 0.9, ("c1", "c2"), ((0, 16), (17, 40)), "", nli),
             Flag("numeric", 0.3, ("c2", "c3"), ((17, 40), (41, 60)), "", nli)]
    report = Report("t", 0.5, doc, claims, flags)
    label = {"story": "t", "flags": [{"kind": "numeric", "a": "No one", "b": "Three people"}],
             "allowed": [{"a": "Three people", "b": "Last year"}]}
    return report, label
