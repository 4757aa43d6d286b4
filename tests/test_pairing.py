import pytest

from claimcheck.claims import sentence_claims
from claimcheck.pairing import candidate_pairs
from claimcheck.schema import Sentence


def make(texts):
    out, pos = [], 0
    for i, t in enumerate(texts):
        out += sentence_claims(Sentence(i, pos, pos + len(t), t), len(out) + 1, None)
        pos += len(t) + 1
    return out


def test_short_story_gets_every_pair():
    claims = make([f"The council met for the {i}th time on Monday." for i in range(1, 6)])
    pairing = candidate_pairs(claims)
    assert pairing.total == 10 and len(pairing.pairs) == 10 and pairing.pruned == 0


@pytest.mark.slow
def test_long_story_is_pruned_but_keeps_related_pairs():
    topics = ["The bridge in Leeds will close for repairs in June.",
              "Engineers found corrosion on the Leeds bridge cables.",  # shares a name
              "The football club signed a new striker on Friday.",
              "The striker cost the club 12 million pounds."]
    filler = [f"The bakery on street number {i} sold bread and cakes to customers."
              for i in range(40)]
    claims = make(topics + filler)
    pairing = candidate_pairs(claims)
    kept = {(p.a.text, p.b.text) for p in pairing.pairs}
    assert pairing.total == 44 * 43 // 2
    assert pairing.pruned > 0
    assert (topics[0], topics[1]) in kept and (topics[2], topics[3]) in kept
    assert candidate_pairs(claims, all_pairs=True).pruned == 0
