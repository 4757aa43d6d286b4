"""The flag rules, with NLI scores given by hand so no model is needed."""

import pytest

from claimcheck.flags import CASCADE, FlagConfig, decide, decide_all, reverse_gate, screen_of
from claimcheck.schema import ClaimPair, NLIScores, StoryContext
from tests.conftest import make_claims as claims

NEUTRAL = NLIScores(0.1, 0.85, 0.05)
CONTRA = NLIScores(0.005, 0.005, 0.99)
NONE = NLIScores(0.3, 0.699, 0.001)
CTX = StoryContext()


def test_a_strong_typed_conflict_needs_only_weak_support_from_the_model():
    a = claims("There were no reports of any casualties in the attack.")[0]
    b = next(c for c in claims("The attack comes a day after Iran had fired missiles at "
                               "airbases, resulting in the death of 80 people.")
             if "80" in c.text)
    d = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, CTX, FlagConfig())
    assert d is not None and d.kind == "numeric" and d.evidence is not None
    assert d.same_event is False and d.severity < 0.5  # another event: reported, lower
    # the model decides: a flat "no contradiction" vetoes even a typed conflict
    assert decide(ClaimPair(a, b), NONE, NONE, CTX, FlagConfig()) is None


def test_time_zones_clear_a_model_false_alarm():
    a, b = claims("The rockets were fired early Thursday (Indian time).",
                  "Rockets impacted near Baghdad's zone, Jan. 8 at 11:45 p.m (local time).",
                  base="2020-01-09")
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, StoryContext(("Baghdad",)),
                  FlagConfig()) is None


def test_compatible_vague_counts_clear_a_model_false_alarm():
    a, b = claims("Iran fired multiple missiles at the bases.",
                  "Iran fired more than a dozen missiles at the bases.")
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig()) is None


def test_an_update_is_not_a_contradiction():
    a, b = claims("Initially five people were reported injured in the explosion.",
                  "Later the fire service said nine people had been injured.")
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig()) is None


def test_dead_and_injured_are_different_counted_things():
    a, b = claims("Twelve people died in the crash.", "Forty people were injured in the crash.")
    d = decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is None or d.severity < 0.5


def test_confirmed_against_unclear_is_a_sourcing_tension():
    a, b = claims("The news was confirmed by a security source with Sputnik.",
                  "The source of the rockets was, however, not immediately clear.")
    d = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, CTX, FlagConfig())
    assert d is not None and d.kind == "sourcing" and d.doubted == b


def test_a_doubt_about_something_else_or_no_doubt_is_no_sourcing_tension():
    haul, entry = claims("Detective Inspector Karen Walsh said the haul included 46 watches.",
                         "Detectives said they had not yet established how the intruders "
                         "got into the premises.")  # one word in common: who says it
    new, find = claims("Fossil is a new species, say scientists.",
                       "The skeleton was identified as a species previously unknown to science.")
    assert find.certainty == "asserted"
    for pair in (ClaimPair(haul, entry), ClaimPair(new, find)):
        d = decide(pair, NEUTRAL, NEUTRAL, CTX, FlagConfig())
        assert d is None or d.kind != "sourcing"


def test_plain_contradiction_needs_the_model():
    a, b = claims("The mayor attended the opening ceremony.",
                  "The mayor did not attend the opening ceremony.")
    assert decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None
    d = decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is not None and d.kind == "contradiction" and d.nli == CONTRA
    # contradiction must be seen both ways: one reading alone is not enough
    assert decide(ClaimPair(a, b), NEUTRAL, CONTRA, CTX, FlagConfig()) is None


def test_a_pair_that_answers_one_question_needs_less_of_the_model():
    # both say what became of the driver (the "fate" frame): the cascade's hint bar
    fate = claims("The driver died at the scene, police said.",
                  "The driver is recovering in hospital after the crash.")
    plain = claims("The mayor attended the opening ceremony.",
                   "The ceremony was postponed until the spring.")
    # a result given both ways, whoever it is said of, is a hint too
    result = claims("Harton won the final on Sunday.", "The defeat leaves Dale without a cup.")
    p = NLIScores(0.1, 0.2, 0.7)
    assert CASCADE.hint_threshold < 0.7 < CASCADE.threshold
    for pair in (fate, result):
        d = decide(ClaimPair(*pair), p, p, CTX, CASCADE)
        assert d is not None and d.p == pytest.approx(0.7)
    assert decide(ClaimPair(*result), p, p, CTX, CASCADE).kind == "outcome"
    assert decide(ClaimPair(*plain), p, p, CTX, CASCADE) is None
    # the bar is only lowered: a hinted pair the model reads as compatible is left alone
    assert decide(ClaimPair(*fate), NEUTRAL, NEUTRAL, CTX, CASCADE) is None


def test_the_large_model_rereads_what_the_rules_suspect_on_less_suspicion():
    hinted = claims("The driver died at the scene, police said.",
                    "The driver is recovering in hospital after the crash.")
    typed = claims("Fire destroyed 240 homes in the valley.",
                   "The fire destroyed 420 homes in the valley.")
    plain = claims("The mayor attended the opening ceremony.",
                   "The ceremony was postponed until the spring.")
    assert CASCADE.evidence_screen < CASCADE.screen
    assert screen_of(ClaimPair(*typed), CTX, CASCADE) == CASCADE.evidence_screen
    # a hint lowers the model's bar, not the screen; a plain pair keeps the screen too
    for pair in (hinted, plain):
        assert screen_of(ClaimPair(*pair), CTX, CASCADE) == CASCADE.screen


def test_the_model_alone_flags_a_paraphrase_that_shares_no_word():
    a, b = claims("The talks collapsed on Thursday without a deal.",
                  "Both sides signed an agreement at the end of Thursday's meeting.")
    d = decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is not None and d.kind == "contradiction"


def test_a_headline_needs_typed_evidence():
    a, b = claims("Mayor snubs opening", "The mayor attended the opening ceremony.")
    from dataclasses import replace

    a = replace(a, headline=True)
    assert decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig()) is None


def test_two_speakers_who_disagree_are_not_a_contradiction():
    a, b = claims("Police said the driver had been speeding.",
                  "The driver's lawyer said he had kept to the limit.")
    d = decide(ClaimPair(a, b), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is not None and d.kind == "sources_disagree" and d.severity < 0.5
    readers = claims("I agree with Mr Forsyth about the new tax.",
                     "I do not usually agree with Mr Forsyth.")
    d = decide(ClaimPair(*readers), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is not None and d.kind == "sources_disagree" and d.severity < 0.5


def test_a_doubt_is_shown_once_per_kind_of_counter_claim():
    doubt, *others = claims(
        "It was not immediately clear whether the factory would close.",
        "Workers said the factory had been sold.",  # shares one topic word
        "Union officials said the factory would close in March.",  # two, and nearer
        "Local media reports say the factory would close.",  # two
        "The factory closure was confirmed by the owners on Monday.")
    assert [c.certainty for c in others] == ["reported"] * 3 + ["confirmed"]
    tension = NLIScores(0.1, 0.7, 0.2)  # the model sees some tension in each
    scored = [(ClaimPair(doubt, c), tension, tension) for c in others]
    each = [decide(pair, ab, ba, CTX, FlagConfig()) for pair, ab, ba in scored]
    assert all(d is not None and d.kind == "sourcing" for d in each)
    kept = decide_all(scored, CTX)
    assert sorted(pair.b.id for pair, _ in kept) == [others[1].id, others[3].id]
    # a claim only reported, which the model reads as compatible with the doubt, is no note
    assert decide(ClaimPair(doubt, others[1]), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None


def test_differing_estimates_are_two_sources_disagreeing():
    estimates = claims("Police said an estimated 2,000 people attended the march.",
                       "Organisers said an estimated 10,000 people attended the march.")
    d = decide(ClaimPair(*estimates), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is not None and d.kind == "sources_disagree" and d.doubted is None


def test_two_years_stand_with_weak_support_only_when_they_date_the_same_word():
    opened = claims("The bridge opened in 1998 and carries 20,000 vehicles a day.",
                    "It is the first major repair since the bridge opened in 2004.")
    d = decide(ClaimPair(*opened), NEUTRAL, NEUTRAL, CTX, FlagConfig())
    assert d is not None and d.kind == "date"
    growth = claims("The economy grew by 8.1% in 2004, its best trade performance.",
                    "Slower trade points to more modest growth for the economy in 2005.")
    assert decide(ClaimPair(*growth), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None
    d = decide(ClaimPair(*growth), CONTRA, CONTRA, CTX, FlagConfig())
    assert d is not None and d.kind == "date"  # the model can still raise it


def test_a_part_and_its_whole_are_not_conflicting_counts():
    part = claims("Councillors voted on the plan for 3,000 schools in the county.",
                  "Of the 3,000 schools, 600 have already signed up to the plan.")
    # "600" is taken from "the 3,000 schools": a part, whatever the model reads
    found = [decide(ClaimPair(part[0], c), CONTRA, CONTRA, CTX, FlagConfig()) for c in part[1:]]
    assert all(d is None or d.kind != "numeric" for d in found)
    a, b = claims("The coach was carrying 52 passengers when it left the road.",
                  "Officials said all 45 passengers had been accounted for.")
    d = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, CTX, FlagConfig(strong_support=0.01))
    assert d is not None and d.kind == "numeric"  # "all 45 passengers" points back


def test_a_time_ago_is_a_moment_not_an_amount():
    config = FlagConfig(typed_support=0.0, strong_support=0.0)
    then, span = claims("The glacier is retreating twice as fast as it was two decades ago.",
                        "Temperatures rose by 1.9C over the three decades, the study found.")
    d = decide(ClaimPair(then, span), NEUTRAL, NEUTRAL, CTX, config)
    assert d is None or d.kind != "numeric"
    built, rebuilt = claims("The bridge was built two decades ago.",
                            "The bridge was built three decades ago.")
    d = decide(ClaimPair(built, rebuilt), NEUTRAL, NEUTRAL, CTX, config)
    assert d is not None and d.kind == "numeric"  # two moments of one event still conflict


def test_a_narrowed_count_or_a_count_of_people_does_not_point_back():
    arrested, charged = claims("Officers arrested 23 people during the demonstration.",
                               "The nine people charged will appear in court on Monday.")
    config = FlagConfig(strong_support=0.01, typed_support=0.5)
    assert decide(ClaimPair(arrested, charged), NEUTRAL, NEUTRAL, CTX, config) is None
    treated, aboard = claims("Six people were treated by paramedics at the harbour.",
                             "The company said all 187 people on board were safe.")
    assert decide(ClaimPair(treated, aboard), NEUTRAL, NEUTRAL, CTX, config) is None


def test_the_day_someone_spoke_or_a_planned_day_is_not_the_event_day():
    config = FlagConfig(date_support=0.0, strong_support=0.0)
    fire, said = claims("The fire broke out on Tuesday afternoon near the village.",
                        "The cause of the blaze is not known, the fire service said on "
                        "Wednesday.")
    d = decide(ClaimPair(fire, said), NEUTRAL, NEUTRAL, CTX, config)
    assert d is None or d.kind != "date"
    heard, next_ = claims("The six men appeared before magistrates on Thursday.",
                          "They will next appear at the crown court on Friday.")
    assert decide(ClaimPair(heard, next_), NEUTRAL, NEUTRAL, CTX, config) is None
    for earlier, later in [
            ("City won the cup final at Fenner Park on Saturday.",
             "City, sixth in the table, travel to Mersham on Tuesday evening."),  # a fixture
            ("The council approved its budget at a meeting on Wednesday evening.",
             "The committee will review it at its next meeting, on Thursday 13 March."),
            ("The festival opened on Friday night with a new musical.",
             "A separate dance programme of 14 shows opens on Monday."),
            ("The skeleton was found in 2022 at the foot of the cliffs.",
             "It is the largest find in the county since 1998.")]:  # a point measured from
        pair = ClaimPair(*claims(earlier, later))
        assert decide(pair, NEUTRAL, NEUTRAL, CTX, config) is None, later
    opened, began = claims("The trial opened at the crown court on Tuesday.",
                           "The trial, which began on Thursday, heard from two witnesses.")
    d = decide(ClaimPair(opened, began), NEUTRAL, NEUTRAL, CTX, config)
    assert d is not None and d.kind == "date"  # two past days of one event still conflict


def test_one_person_in_two_roles_is_a_role_conflict_however_the_role_is_given():
    a, b = claims("The board's medical director, Dr Sunita Rao, warned of winter pressures.",
                  "Dr Rao, who became the board's chief executive in 2022, said nurses helped.")
    d = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, CTX, FlagConfig())
    assert d is not None and d.kind == "role" and d.evidence.about == "Rao"
    same = claims("Director Jane Ames opened the show.", "Jane Ames, the finance director, "
                  "said it had sold out.")
    assert decide(ClaimPair(*same), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None
    before = claims("Chief executive Dr Anjali Rao said the fall reflected extra lists.",
                    "Dr Rao, who was the trust's medical director before taking the top job, "
                    "said recruitment had helped.")  # a role she held before
    assert decide(ClaimPair(*before), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None


def test_a_weekday_is_checked_against_a_date_only_when_the_year_is_known():
    texts = ("The council voted on Tuesday to close the library.",
             "The vote on 11 March was carried by one vote.")
    yearless = claims(*texts)
    assert decide(ClaimPair(*yearless), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None
    dated = claims(*texts, base="2024-03-20")  # 11 March 2024 was a Monday
    d = decide(ClaimPair(*dated), CONTRA, CONTRA, StoryContext(year=2024), FlagConfig())
    assert d is not None and d.kind == "date"


# pairs that take several branches of decide: typed conflict, sourcing, veto, model only
REVERSE_TEXTS = ("No one was hurt in the blast, officials said.",
                 "Two workers were taken to hospital after the blast.",
                 "It was not immediately clear what caused the blast.",
                 "The explosion was confirmed by the port authority.",
                 "The council voted on Tuesday to close the library.",
                 "Monday's vote to close the library was carried.",
                 "The library will close in March, the council said.",
                 "The library will stay open, the mayor insisted.")


def _reverse_changes_nothing(pair: ClaimPair, forward: NLIScores, config: FlagConfig,
                             same_severity: bool) -> None:
    """nli.score_both copies (a, b) into (b, a) when it skips the reverse reading: any
    reverse reading must then give the same decision as the copy."""
    copied = decide(pair, forward, forward, CTX, config)
    for backward in (CONTRA, NEUTRAL, NLIScores(0.0, 0.0, 1.0)):
        d = decide(pair, forward, backward, CTX, config)
        assert (d is None) == (copied is None), (pair.a.text, pair.b.text)
        assert d is None or d.kind == copied.kind
        if same_severity and d is not None and d.kind != "sourcing":
            assert d.severity == copied.severity


def test_skipping_the_reverse_reading_below_the_lowest_gate_changes_no_flag():
    # with the mean of both readings (the default) the lowest gate is below zero and the
    # reverse reading is never skipped; with the lower one it is skipped under the gate
    assert FlagConfig().lowest_gate <= 0
    config = FlagConfig(combine="lower")
    forward = NLIScores(0.5, 0.5 - config.lowest_gate / 2, config.lowest_gate / 2)
    cs = claims(*REVERSE_TEXTS)
    for i, a in enumerate(cs):
        for b in cs[i + 1:]:
            _reverse_changes_nothing(ClaimPair(a, b), forward, config, same_severity=False)


@pytest.mark.parametrize("combine", ["lower", "mean"])
def test_below_its_reverse_gate_the_reverse_reading_changes_no_decision(combine):
    # the Auditor skips the reverse reading of a pair whose forward score is under
    # reverse_gate
    config = FlagConfig(combine=combine, threshold=0.9, hint_threshold=0.6)
    cs = claims(*REVERSE_TEXTS)
    gates = set()
    for i, a in enumerate(cs):
        for b in cs[i + 1:]:
            gate = reverse_gate(ClaimPair(a, b), CTX, config)
            gates.add(gate)
            if gate <= 0:
                continue
            p = min(gate, 1.0) * 0.99
            forward = NLIScores((1 - p) / 2, (1 - p) / 2, p)
            _reverse_changes_nothing(ClaimPair(a, b), forward, config,
                                     same_severity=combine == "lower")
    assert len(gates) >= 3  # the pairs above take several branches


def test_the_mean_of_both_readings_flags_what_the_lower_one_misses():
    a, b = claims("The bridge opened to traffic in 1998.", "The bridge has never opened.")
    one_way, other_way = NLIScores(0.02, 0.03, 0.95), NLIScores(0.1, 0.3, 0.6)
    lower = FlagConfig(threshold=0.75, combine="lower")
    mean = FlagConfig(threshold=0.75, combine="mean")
    assert decide(ClaimPair(a, b), one_way, other_way, CTX, lower) is None
    d = decide(ClaimPair(a, b), one_way, other_way, CTX, mean)
    assert d is not None and d.p == pytest.approx(0.775)
    assert mean.gate(0.75) == pytest.approx(0.5) and lower.gate(0.75) == 0.75


def test_one_subjects_opposite_results_stand_even_when_the_model_reads_them_as_compatible():
    # the small model gives "won" against "the defeat" p < 0.01; the typed rule is precise,
    # and asks the model for no more than a sliver of doubt (the cascade's polar support)
    a, b = claims("Harton won the final against Dale on Sunday.",
                  "Harton's defeat in the final was their third this year.")
    sliver = NLIScores(0.3, 0.67, 0.03)
    d = decide(ClaimPair(a, b), sliver, sliver, CTX, CASCADE)
    assert d is not None and d.kind == "outcome" and d.evidence is not None
    assert d.evidence.strength == "polar" and d.evidence.about == "harton"
    assert decide(ClaimPair(a, b), NONE, NONE, CTX, CASCADE) is None  # no doubt at all
    # a typed count conflict still needs the model: here it reads no contradiction
    c, e = claims("The fire destroyed 40 homes in the village.",
                  "Firefighters said 25 homes were damaged by smoke.")
    assert decide(ClaimPair(c, e), NONE, NONE, CTX, FlagConfig()) is None


def test_an_opener_or_a_title_is_not_the_side_a_result_is_said_of():
    # "But" and "Mr" once became the subject of both results, which then clashed
    a, b = claims("But victory over Dale leaves Harton top of the table.",
                  "But the defeat at Brill was the worst of Moreton's season.")
    assert decide(ClaimPair(a, b), NONE, NONE, CTX, FlagConfig()) is None
    c, e = claims("Mr Glazer's earlier approaches were rejected by the board.",
                  "Mr Ortiz hopes a new offer is accepted.")
    assert decide(ClaimPair(c, e), NONE, NONE, CTX, FlagConfig()) is None


def test_one_person_given_two_ages_is_a_role_conflict_but_two_relatives_are_not():
    a, b, c = claims("The prize went to director Nadia Ferrante, 38, on Saturday.",
                     "Ferrante, who turned 45 this spring, began in advertising.",
                     "Her sister, Anna Ferrante, 45, said she was delighted.")
    d = decide(ClaimPair(a, b), NEUTRAL, NEUTRAL, CTX, FlagConfig())
    assert d is not None and d.kind == "role" and d.evidence is not None
    assert d.evidence.kind == "age"
    assert decide(ClaimPair(a, c), NEUTRAL, NEUTRAL, CTX, FlagConfig()) is None


def test_a_sum_of_money_refers_back_only_to_what_it_pays_for():
    from claimcheck.evidence import compare

    deal, fee = claims("The board still backed the roughly £2bn takeover.",
                       "If the deal collapses, Fresco must pay a break fee of £45m.")
    award, same = claims("The pier was awarded £2.4m by the National Lottery.",
                         "The £4.2m lottery award will also pay for a new cafe.")
    different = compare(deal, fee, CTX)
    assert different is not None and different.strength == "typed"  # the model must agree
    assert compare(award, same, CTX).strength == "strong"
