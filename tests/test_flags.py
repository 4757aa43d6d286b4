"""The flag rules, with NLI scores given by hand so no model is needed."""

from pathlib import Path

import pytest

from claimcheck.claims import sentence_claims
from claimcheck.flags import FlagConfig, decide, flag_route, make_flags, same_event
from claimcheck.ingest import read_document
from claimcheck.pipeline import prepare
from claimcheck.schema import ClaimPair, NLIScores, Sentence

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"

NEUTRAL = NLIScores(0.1, 0.85, 0.05)
CONTRA = NLIScores(0.02, 0.08, 0.9)


def claims(*texts, base=None):
    out, pos = [], 0
    for i, t in enumerate(texts):
        out += sentence_claims(Sentence(i, pos, pos + len(t), t), len(out) + 1, base)
        pos += len(t) + 1
    return out


def test_zero_casualties_against_deaths_is_flagged_even_when_nli_is_unsure():
    a, _, b = claims("There were no reports of any casualties in the attack.",
                     "The attack comes a day after Iran had fired missiles at airbases,",
                     "resulting in the death of 80 people.")
    b = next(c for c in claims("The attack comes a day after Iran had fired missiles at "
                               "airbases, resulting in the death of 80 people.")
             if "80" in c.text)
    flag = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, [], FlagConfig())
    assert flag is not None and flag.kind == "numeric"
    assert flag.same_event is False and "different events" in flag.explanation
    assert flag.severity < 0.5  # reported, but below a same-event conflict


def test_time_zones_clear_a_model_false_alarm():
    a, b = claims("The rockets were fired early Thursday (Indian time).",
                  "Rockets impacted near Baghdad's zone, Jan. 8 at 11:45 p.m (local time).",
                  base="2020-01-09")
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, ["Baghdad"], FlagConfig()) is None


def test_compatible_vague_counts_clear_a_model_false_alarm():
    a, b = claims("Iran fired multiple missiles at the bases.",
                  "Iran fired more than a dozen missiles at the bases.")
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, [], FlagConfig()) is None


def test_an_update_is_not_a_contradiction():
    a, b = claims("Initially five people were reported injured in the explosion.",
                  "Later the fire service said nine people had been injured.")
    assert decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, [], FlagConfig()) is None


def test_confirmed_against_unclear_is_a_sourcing_tension():
    a, b = claims("The news was confirmed by a security source with Sputnik.",
                  "The source of the rockets was, however, not immediately clear.")
    flag = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, [], FlagConfig())
    assert flag is not None and flag.kind == "sourcing"
    assert "confirmed" in flag.explanation and "unclear" in flag.explanation
    assert "origin of the rockets" in flag.explanation


def test_plain_contradiction_needs_the_model():
    a, b = claims("The mayor attended the opening ceremony.",
                  "The mayor did not attend the opening ceremony.")
    assert decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, [], FlagConfig()) is None
    flag = decide(ClaimPair(a, b), NEUTRAL, CONTRA, [], FlagConfig())
    assert flag is not None and flag.kind == "contradiction" and flag.nli == CONTRA
    # contradiction must be seen both ways: one reading below both_ways is noise
    one_way = NLIScores(0.6, 0.395, 0.005)
    assert decide(ClaimPair(a, b), one_way, CONTRA, [], FlagConfig()) is None


def test_same_event_is_unknown_without_evidence():
    a, b = claims("Councillors approved the plan.", "Residents opposed the plan.")
    assert same_event(a, b) is None


def test_model_alone_cannot_flag_claims_that_share_no_name_or_topic():
    a, b = claims("Sunderland drew with their neighbours at home.",
                  "QPR lost away to a late penalty in the rain.")
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, [], FlagConfig()) is None


@pytest.fixture(scope="module")
def eval_pairs():
    """Every claim pair of the labelled stories, with each story's place names."""
    out = []
    for path in sorted(EVAL.glob("*.txt")):
        prepared = prepare(read_document(path), all_pairs=True)
        out += [(pair, prepared.context) for pair in prepared.pairing.pairs]
    return out


def test_pairs_without_a_route_are_never_flagged(eval_pairs):
    # flag existence only grows with the contradiction score, so the strongest
    # scores both ways are the hardest case; pairing relies on this to skip pairs
    certain = NLIScores(0.0, 0.0, 1.0)
    for config in (FlagConfig(), FlagConfig(threshold=0.2)):
        unrouted = [(pair, ctx) for pair, ctx in eval_pairs
                    if flag_route(pair.a, pair.b, ctx, config) is None]
        assert len(unrouted) > len(eval_pairs) // 2
        for pair, ctx in unrouted:
            assert decide(pair, certain, certain, ctx, config) is None, pair


def test_skipping_the_reverse_reading_changes_no_flag(eval_pairs):
    # nli.score_both skips (b, a) when (a, b) is below both_ways and copies (a, b)
    config = FlagConfig()
    forward = NLIScores(0.3, 0.695, 0.005)
    for pair, ctx in eval_pairs:
        copied = decide(pair, forward, forward, ctx, config) is not None
        for backward in (NLIScores(0.0, 0.0, 1.0), NLIScores(0.5, 0.5, 0.0)):
            assert (decide(pair, forward, backward, ctx, config) is not None) == copied, pair


def test_a_doubt_is_shown_once_per_kind_of_counter_claim():
    doubt, *others = claims(
        "It was not immediately clear whether the factory would close.",
        "Workers said the factory had been sold.",  # shares one topic word
        "Union officials said the factory would close in March.",  # two, and nearer
        "Local media reports say the factory would close.",  # two
        "The factory closure was confirmed by the owners on Monday.")
    assert [c.certainty for c in others] == ["reported"] * 3 + ["confirmed"]
    scored = [(ClaimPair(doubt, c), NEUTRAL, NEUTRAL) for c in others]
    each = [decide(pair, ab, ba, [], FlagConfig()) for pair, ab, ba in scored]
    assert all(f is not None and f.kind == "sourcing" for f in each)
    flags = make_flags(scored, [])
    assert sorted(f.claims[1] for f in flags) == [others[1].id, others[3].id]


def test_differing_estimates_are_not_merged_like_doubts():
    estimates = claims("Police said an estimated 2,000 people attended the march.",
                       "Organisers said an estimated 10,000 people attended the march.",
                       "Council officials said an estimated 5,000 people attended the march.")
    scored = [(ClaimPair(a, b), CONTRA, CONTRA)
              for i, a in enumerate(estimates) for b in estimates[i + 1:]]
    flags = make_flags(scored, [])
    assert [f.kind for f in flags] == ["sourcing"] * 3
    assert all(f.doubted is None and "two sources" in f.explanation for f in flags)


def test_two_years_conflict_alone_only_when_they_date_the_same_word():
    opened = claims("The bridge opened in 1998 and carries 20,000 vehicles a day.",
                    "It is the first major repair since the bridge opened in 2004.")
    flag = decide(ClaimPair(*opened), NEUTRAL, NEUTRAL, [], FlagConfig())
    assert flag is not None and flag.kind == "date"
    growth = claims("The economy grew by 8.1% in 2004, its best trade performance.",
                    "Slower trade points to more modest growth for the economy in 2005.")
    assert decide(ClaimPair(*growth), NEUTRAL, NEUTRAL, [], FlagConfig()) is None
    flag = decide(ClaimPair(*growth), CONTRA, CONTRA, [], FlagConfig())
    assert flag is not None and flag.kind == "date"  # the model can still raise it
