from claimcheck.sentences import split_sentences


def test_offsets_point_into_the_original_text():
    text = "Title\n\nRockets hit near the zone, Jan. 8 at 11:45 p.m. Nobody was hurt.\n\n" \
           "Mr. Smith said so. Mr. Smith said so."
    sentences = split_sentences(text, 7)
    assert [s.text for s in sentences] == [
        "Rockets hit near the zone, Jan. 8 at 11:45 p.m.", "Nobody was hurt.",
        "Mr. Smith said so.", "Mr. Smith said so."]
    for s in sentences:
        assert text[s.start:s.end] == s.text
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]
    assert sentences[2].start != sentences[3].start  # repeated sentences keep their own place


def test_headline_is_sentence_zero():
    from claimcheck.ingest import make_document
    from claimcheck.sentences import document_sentences

    doc = make_document("Blast at depot, no injuries\n\nAn explosion hit the depot. Two were hurt.")
    sentences = document_sentences(doc)
    assert sentences[0].text == "Blast at depot, no injuries" and sentences[0].paragraph == -1
    assert [s.index for s in sentences] == [0, 1, 2]
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)
