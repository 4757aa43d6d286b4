from claimcheck.claims import attribution, extract_claims, skip_reason
from claimcheck.ingest import make_document
from claimcheck.sentences import split_sentences


def seed_claims(seed_text):
    doc = make_document(seed_text, "story.txt")
    return doc, extract_claims(doc, split_sentences(doc.text, doc.body_start))


def find(claims, snippet):
    return next(c for c in claims if snippet in c.text)


def test_compound_sentence_is_split_into_atomic_claims(seed_text):
    doc, claims = seed_claims(seed_text)
    firing = find(claims, "Iran had fired multiple missiles")
    deaths = find(claims, "resulting in the death of 80 people")
    assert firing.id != deaths.id and firing.sentence == deaths.sentence
    for c in claims:
        assert doc.text[c.start:c.end] == c.text


def test_attribution_and_certainty_on_the_seed_story(seed_text):
    _, claims = seed_claims(seed_text)
    confirmed = find(claims, "confirmed by a security source")
    assert (confirmed.source, confirmed.certainty) == ("a security source", "confirmed")
    media = find(claims, "According to media reports")
    assert (media.source, media.certainty) == ("media reports", "reported")
    unclear = find(claims, "not immediately clear")
    assert unclear.certainty == "unclear"
    deaths = find(claims, "death of 80 people")
    assert (deaths.source, deaths.certainty) == (None, "asserted")  # unattributed assertion
    pentagon = find(claims, "Pentagon said it believed")
    assert (pentagon.source, pentagon.certainty) == ("Pentagon", "believed")


def test_claims_in_an_earlier_event_are_marked(seed_text):
    _, claims = seed_claims(seed_text)
    assert find(claims, "death of 80 people").other_event == "a day after"
    assert find(claims, "no reports of any casualties").other_event is None


def test_non_claims_are_kept_but_skipped():
    assert skip_reason("Image Source : AP") == "boilerplate"
    assert skip_reason("Who fired the rockets?") == "question"
    assert skip_reason("Yes.") == "too short to be a claim"
    assert skip_reason("I think the plan is a good one.") == "opinion"
    assert skip_reason("Sunderland v Crystal Palace") == "listing"
    assert skip_reason("Smith v Jones was settled out of court on Monday.") is None
    assert skip_reason("The plan was approved on Monday.") is None


def test_line_ups_and_results_lists_are_listings_but_lists_with_a_verb_are_claims():
    # two lines of a BBC team sheet were read as contradicting each other
    for line in ("Subs Not Used: Butt, Harper, Milner, Hughes.",
                 "Bolton: Jaaskelainen, Hunt (Fadiga 14), N'Gotty, Ben Haim, Candela.",
                 "L Achike (Shaftesbury Barnet Harriers), N Douglas (Oxford City AC), "
                 "P Idowu (Belgrave Harriers).",
                 "Peter Monkhouse, 50, of Headingley, Leeds"):
        assert skip_reason(line) == "listing", line
    for line in ("Smith, Jones and Brown were arrested on Monday, police said.",
                 "Among the accused were Altria Group, RJ Reynolds Tobacco and Liggett Group.",
                 "Police said: The man, 34, was arrested."):
        assert skip_reason(line) is None, line


def test_denial_and_quote_attribution():
    assert attribution("The company denied that it planned to close the factory.")[1] == "denied"
    assert attribution("Fares will rise, the minister said.") == ("the minister", "reported")
    assert attribution("Mr Jackson denies 10 charges of child abuse.")[1] == "denied"


def test_denied_in_the_sense_of_deprived_is_no_denial():
    # BBC sport and politics copy: these put no fact in doubt
    assert attribution("A hamstring injury denied Luscombe the chance to start.")[1] != "denied"
    assert attribution("He says he has been denied defector status.")[1] != "denied"


def test_claims_of_any_story_point_at_their_own_text():
    from tests.fuzzing import run_property

    run_property("text", max_examples=30)
