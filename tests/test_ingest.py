import json

import pytest

from claimcheck.ingest import InputError, make_document, read_document


def test_front_matter_of_the_seed_story(seed_text):
    doc = make_document(seed_text, "story.txt")
    assert doc.metadata == {"date": "2020-01-09", "image_credit": "AP"}
    assert doc.headline.startswith("Rockets fired at Baghdad")
    assert doc.text[doc.body_start:].startswith("Small rockets landed")


def test_separate_metadata_lines_and_headline(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text("date: 2021-03-04\nBy Jane Smith\nCouncil backs plan\n\nThe council voted.\n")
    doc = read_document(p)
    assert doc.metadata["date"] == "2021-03-04"
    assert doc.metadata["byline"] == "Jane Smith"
    assert doc.headline == "Council backs plan"


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"   \n\n  ", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_refused_files(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_document(p)
    assert "\n" not in str(err.value)


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_huge_file_is_refused_with_a_hint(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(b"The council met on Monday. " * 200_000)  # 5.4 MB
    with pytest.raises(InputError, match="over the .* limit .*--max-bytes"):
        read_document(p)


def test_latin1_file_is_decoded_with_a_warning(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Fares rose to \xa35 on Monday, the company said in a statement today."
                  .encode("latin-1"))
    doc = read_document(p)
    assert "£5" in doc.text
    assert doc.warnings and "not valid UTF-8" in doc.warnings[0]


def test_html_is_stripped(tmp_path):
    p = tmp_path / "s.html"
    p.write_text("<html><head><title>Bridge closes</title><script>var x=1;</script></head>"
                 "<body><nav>Home | News</nav><p>The bridge will close in June.</p>"
                 "<p>It opened in <b>1998</b>.</p></body></html>")
    doc = read_document(p)
    assert "var x" not in doc.text and "Home | News" not in doc.text
    assert doc.headline == "Bridge closes"
    assert "It opened in 1998." in doc.text


def test_json_with_text_field(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps({"title": "Storm hits coast", "date": "2022-02-02",
                             "text": "Winds reached 90 mph on Tuesday."}))
    doc = read_document(p)
    assert doc.headline == "Storm hits coast" and doc.metadata["date"] == "2022-02-02"
    bad = tmp_path / "b.json"
    bad.write_text(json.dumps({"body": "x"}))
    with pytest.raises(InputError, match='no string "text" field'):
        read_document(bad)


# --- hostile input (properties in tests/fuzzing.py; bench/fuzz runs them at length) ------


@pytest.mark.parametrize("prop", ["file", "html", "json"])
def test_any_file_is_read_or_refused_in_one_line(prop):
    from tests.fuzzing import run_property

    run_property(prop)


def test_json_lone_surrogates_become_replacement_characters(tmp_path):
    p = tmp_path / "s.json"
    p.write_text('{"title": "Fire \\ud800", '
                 '"text": "Two died \\udc00 in the \\ud83d\\ude00 fire."}')
    doc = read_document(p)
    assert "\ud800" not in doc.text and "\ufffd" in doc.text and "\U0001f600" in doc.text
    doc.text.encode("utf-8")


@pytest.mark.parametrize("content", ['{"text": 1' + "0" * 5000 + "}",
                                     "[" * 100_000 + "]" * 100_000])
def test_json_that_python_cannot_hold_is_an_input_error(tmp_path, content):
    p = tmp_path / "s.json"
    p.write_text(content)
    with pytest.raises(InputError, match="not JSON claimcheck can read") as err:
        read_document(p)
    assert "\n" not in str(err.value)


def test_a_date_line_that_is_no_date_is_not_the_story_date():
    doc = make_document("date 2020-13-45\n\nTwo people died on Jan. 8 in Leeds, police said.")
    assert doc.metadata.get("date") != "2020-13-45"


def test_html_without_title_or_h1_has_no_headline(tmp_path):
    p = tmp_path / "s.html"
    p.write_text("<html><body><p>Council backs plan</p><p>The council voted on Monday.</p>"
                 "</body></html>")
    doc = read_document(p)
    assert doc.headline is None and doc.body_start == 0
    h1 = tmp_path / "h1.html"
    h1.write_text("<body><p>Menu</p><h1>Council backs plan</h1><p>The council voted.</p></body>")
    assert read_document(h1).headline == "Council backs plan"


def test_html_block_edges_are_sentence_boundaries(tmp_path):
    from claimcheck.sentences import document_sentences

    p = tmp_path / "s.html"
    p.write_text("<body><div>Two people died in the fire<br>Police said the cause was unknown"
                 "</div><ul><li>Roads were closed</li><li>Schools shut early</li></ul>"
                 "<div><p>Nested paragraph here.</p> Tail text after it</div></body>")
    doc = read_document(p)
    assert [s.text for s in document_sentences(doc)] == [
        "Two people died in the fire", "Police said the cause was unknown",
        "Roads were closed", "Schools shut early", "Nested paragraph here.",
        "Tail text after it"]
