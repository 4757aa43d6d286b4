import random

import pytest

from claimcheck.training import generate as g

S = "Prosecutors said the chairman of Acme, John Smith, was convicted in Virginia on Monday " \
    "of stealing 14 million dollars, and shares rose 5% after the verdict."


@pytest.mark.parametrize("transform, must_change", [
    (g.t_number, ("14", "5")),
    (g.t_date, ("Monday",)),
    (g.t_place, ("Virginia",)),
    (g.t_role, ("chairman",)),
    (g.t_outcome, ("convicted",)),
    (g.t_direction, ("rose",)),
])
def test_contradiction_transforms_change_exactly_their_target(transform, must_change):
    out = transform(S, random.Random(1))
    assert out is not None and out != S
    removed = set(S.split()) - set(out.split())
    assert any(any(t in w for t in must_change) for w in removed), (out, removed)


def test_negation_adds_and_removes_not():
    assert g.t_negation("The mayor was at the ceremony today.", random.Random(0)) == \
        "The mayor was not at the ceremony today."
    assert g.t_negation("The mayor did not attend the ceremony.", random.Random(0)) == \
        "The mayor did attend the ceremony."


def test_certainty_and_confirmed_frames_embed_the_claim():
    s = "The company will close its factory in Swindon next year."
    doubted = g.t_certainty(s, random.Random(2))
    assert "the company will close its factory in Swindon next year" in doubted
    assert g.t_confirmed(s, random.Random(2)).endswith("factory in Swindon next year.")


def test_rounding_gives_a_true_lower_bound():
    assert g.t_rounding("Police found 14 weapons in the house on Friday.", random.Random(0)) == \
        "Police found more than a dozen weapons in the house on Friday."
    assert g.t_rounding("She was fined 7,500 dollars by the court.", random.Random(0)) == \
        "She was fined more than 7,000 dollars by the court."
    assert g.t_rounding("The match is on February 15 in the city.", random.Random(0)) is None


def test_clause_keeps_the_main_clause():
    out = g.t_clause("The bank raised rates to 4%, which surprised analysts, the BBC said.",
                     random.Random(3))
    assert out is not None and out.startswith("The bank raised rates to 4%")


def test_story_pairs_mix_labels_and_keep_the_story_id():
    sentences = [S, "The jury took four hours to reach its verdict on Monday.",
                 "Smith will be sentenced in March, the court said.",
                 "Acme shares had fallen 20% since the trial began in 2004."] * 3
    pairs = g.story_pairs("tech/001.txt", sentences, random.Random(5), per_story=12)
    assert {p.label for p in pairs} >= {"contradiction", "neutral"}
    assert all(p.story == "tech/001.txt" for p in pairs)


def test_dev_split_is_by_story_and_stable():
    ids = [f"business/{i:03d}.txt" for i in range(500)]
    dev = [i for i in ids if g.is_dev_story(i)]
    assert 20 < len(dev) < 80
    assert dev == [i for i in ids if g.is_dev_story(i)]
