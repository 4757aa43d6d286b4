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
