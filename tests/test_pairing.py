"""Candidate pairs: typed keys, meaning and doubt, never all n² pairs."""

from pathlib import Path

import pytest

from claimcheck.evidence import compare
from claimcheck.ingest import read_document
from claimcheck.pairing import PairingConfig, candidate_pairs
from claimcheck.pipeline import prepare
from tests.conftest import make_claims

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"

TOPICS = ["Police said 40 people were hurt in the crash.",
          "Nobody was hurt, the fire service said.",  # a typed key: casualties
          "The talks collapsed on Thursday without a deal.",
          "Both sides signed the agreement at the end of the talks.",  # close in meaning
          "It was not immediately clear who owns the building."]  # doubt: meets its neighbours
UNRELATED = ["Rain is expected across Scotland.", "Share prices closed higher in Tokyo.",
             "The orchestra played Mahler to a full hall.", "Wheat harvests doubled in Kansas."]


def test_pairs_say_why_they_are_read_and_unrelated_claims_are_not_paired():
    claims = make_claims(*TOPICS, *UNRELATED)
    pairing = candidate_pairs(claims)
    kept = {(p.a.text, p.b.text): p.reason for p in pairing.pairs}
    assert pairing.total == 9 * 8 // 2 and pairing.pruned > 0
    assert kept[(TOPICS[0], TOPICS[1])] == "typed"
    assert kept[(TOPICS[2], TOPICS[3])] == "similar"
    assert kept[(TOPICS[3], TOPICS[4])] == "doubt"
    assert not any(a in UNRELATED and b in UNRELATED for a, b in kept)
    assert not pairing.windowed


def test_all_pairs_keeps_every_pair():
    claims = make_claims(*TOPICS, *UNRELATED)
    assert candidate_pairs(claims, all_pairs=True).pruned == 0


def test_a_long_story_is_windowed_and_its_pairs_stay_within_budget():
    claims = make_claims(*[f"Council {i} approved a budget of {i + 3} million pounds on Monday."
                           for i in range(60)])
    config = PairingConfig(long_story=40, budget=150)
    pairing = candidate_pairs(claims, config)
    assert pairing.windowed and len(pairing.pairs) == 150 < pairing.total
    assert all(p.reason in ("typed", "similar", "window") for p in pairing.pairs)


@pytest.mark.slow
def test_every_typed_conflict_in_the_eval_stories_is_a_candidate():
    # typed_keys must cover every checker: a conflict no key leads to would never be read
    for path in sorted(EVAL.rglob("*.txt")):
        prepared = prepare(read_document(path))
        read = {(p.a.id, p.b.id) for p in prepared.pairing.pairs}
        every = prepare(read_document(path), all_pairs=True).pairing.pairs
        for p in every:
            found = compare(p.a, p.b, prepared.context)
            if found and found.conflict:
                assert (p.a.id, p.b.id) in read, (path.name, p.a.text, p.b.text)


def test_claims_that_answer_one_question_in_other_words_are_paired():
    """A frame (lexicon.FRAMES) pairs "pronounced dead" with "remains in hospital"."""
    dead = "He was pronounced dead at the scene, police said."
    alive = "Mr Osei remains in hospital in a stable condition, his family said."
    claims = make_claims(dead, *UNRELATED, alive)
    kept = {(p.a.text, p.b.text): p.reason for p in candidate_pairs(claims).pairs}
    assert kept.get((dead, alive)) == "typed"


def test_the_encoder_in_bf16_finds_the_same_neighbours():
    from claimcheck.pairing import embed

    texts = TOPICS + UNRELATED
    fp32, bf16 = embed(texts, precision="fp32"), embed(texts, precision="bf16")
    assert float((fp32 @ fp32.T - bf16 @ bf16.T).abs().max()) < 0.01
    claims = make_claims(*TOPICS, *UNRELATED)
    assert ({(p.a.id, p.b.id) for p in candidate_pairs(claims, PairingConfig(
        precision="fp32")).pairs} == {(p.a.id, p.b.id) for p in candidate_pairs(
            claims, PairingConfig(precision="bf16")).pairs})
