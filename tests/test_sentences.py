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


def test_any_text_splits_into_exact_ordered_sentences():
    from tests.fuzzing import run_property

    run_property("sentences")


def test_long_paragraphs_are_read_in_windows_with_the_same_boundaries():
    from claimcheck.sentences import sentence_spans

    text = " ".join(f"Mr. Smith said on Jan. {n % 28 + 1} that {n} homes were hit."
                    for n in range(80))
    whole = sentence_spans(text, 0, len(text), window=len(text))
    assert sentence_spans(text, 0, len(text), window=300) == whole
    run_on = "word " * 3000  # 15,000 characters with no full stop: cut, never lost
    spans = sentence_spans(run_on, 0, len(run_on))
    assert spans[0][0] == 0 and spans[-1][1] == len(run_on) - 1
    assert all(run_on[a:b].strip() == run_on[a:b] for a, b in spans)
