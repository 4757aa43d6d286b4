from claimcheck.claims import sentence_claims
from claimcheck.flags import FlagConfig
from claimcheck.pairing import candidate_pairs
from claimcheck.schema import Sentence


def make(texts):
    out, pos = [], 0
    for i, t in enumerate(texts):
        out += sentence_claims(Sentence(i, pos, pos + len(t), t), len(out) + 1, None)
        pos += len(t) + 1
    return out


TOPICS = ["The bridge in Leeds will close for repairs in June.",
          "Engineers found corrosion on the Leeds bridge cables.",  # a shared name
          "The football club signed a new striker on Friday.",
          "The striker cost the club 12 million pounds.",  # two shared topic words
          "Police said 40 people were hurt in the crash.",
          "Nobody was hurt, the fire service said.",  # a typed conflict (40 against none)
          "It was not immediately clear who owns the building."]  # doubt: may answer any
UNRELATED = ["Rain is expected across Scotland.", "Share prices closed higher in Tokyo.",
             "The orchestra played Mahler to a full hall.", "Wheat harvests doubled in Kansas."]


def test_only_pairs_a_flag_could_come_from_are_kept_and_say_why():
    claims = make(TOPICS + UNRELATED)
    pairing = candidate_pairs(claims)
    kept = {(p.a.text, p.b.text): p.reason for p in pairing.pairs}
    assert pairing.total == 11 * 10 // 2 and pairing.pruned > 0
    assert kept[(TOPICS[0], TOPICS[1])] == "name"
    assert kept[(TOPICS[2], TOPICS[3])] == "topic"
    assert kept[(TOPICS[4], TOPICS[5])] == "typed"
    assert not any(a in UNRELATED and b in UNRELATED for a, b in kept)


def test_all_pairs_keeps_every_pair():
    claims = make(TOPICS + UNRELATED)
    assert candidate_pairs(claims, all_pairs=True).pruned == 0


def test_a_lower_threshold_opens_routes_for_cleared_pairs():
    # "multiple" and "more than a dozen" agree, which discounts the model's score by
    # cleared_factor: at the default threshold no score could flag them
    claims = make(["They fired multiple missiles at the base.",
                   "They fired more than a dozen missiles at the base."])
    assert candidate_pairs(claims).pruned == 1
    assert candidate_pairs(claims, config=FlagConfig(threshold=0.2)).pruned == 0
