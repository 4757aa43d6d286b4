"""Hypothesis strategies and invariants for hostile input, shared by the property tests
(tests/test_ingest.py ... tests/test_report.py, small budget) and bench/fuzz/run_fuzz.py
(large budget).

Every ``check_*`` function takes one drawn input and asserts the pipeline's promises:
no exception escapes except ``InputError`` (with a one-line message), every offset
points at its own text, and the JSON report is strict JSON that validates against
``claimcheck/report.schema.json``. The report is built with a scripted scorer in
place of the model, so hypothesis chooses the NLI scores the flag rules see.
"""

from __future__ import annotations

import io
import json
import math
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.ingest import InputError, make_document, read_document
from claimcheck.loading import NLIModel
from claimcheck.pipeline import Auditor
from claimcheck.schema import Document, NLIScores, Report

# --- strategies ------------------------------------------------------------------------

_NEWS = (
    "the council police said officials reported two workers were taken to hospital no one "
    "was injured fire crews rescued residents of Leeds on Monday minister Clara Holt denied "
    "it was not immediately clear according to a security source confirmed that the bridge "
    "opened in 1998 rose fell won lost approved rejected warehouse in Bradford at least "
    "about more than a dozen dozens of several multiple missiles killed dead injured"
)
NEWS_WORDS = _NEWS.split()
ODD_TOKENS = [
    "مرحبا بالعالم", "שלום", "\u202eevil\u202c", "\u200f", "e\u0301\u0301\u0327", "Z\u0336",
    "👩\u200d👩\u200d👧", "🇬🇧", "🔥🔥", "\x00", "\ufeff", "\u200b", "\t", "\x0b", "\x0c",
    "\x1c", "\x85", "\u2028", "\u2029", "ﬁ", "ǅ", "İ", "ß", "東京", "한국어", "\U0001d7d8",
    "１２３", "٣", "½", "Ⅻ", "[/]", "[bold]", "**", "<b>", "&amp;", "\\", '"', "'", "”", "…",
    "U.S.", "p.m.", "Jan.", "Mr.", "e.g.", "?", "!", ";", ":", "--", "(", ")",
]
NUMBERS = st.one_of(
    st.integers(0, 10**15).map(str),
    st.integers(1000, 10**12).map(lambda n: f"{n:,}"),
    st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.integers(1, 400).map(lambda n: "9" * n),  # beyond a float
    st.builds("{}{}{}".format, st.sampled_from(["$", "£", "€", ""]),
              st.integers(0, 10**6), st.sampled_from(["", "m", "bn", "k", " million",
                                                      " billion", " trillion", "mn"])),
    st.builds("{}{}".format, st.integers(0, 200),
              st.sampled_from(["%", " per cent", " percent"])),
    st.sampled_from(["eighty", "eighty-two", "one hundred and five", "two thousand",
                     "twenty one", "zero", "one", "a dozen", "dozens of", "a few",
                     "several", "multiple", "numerous", "many", "hundreds of",
                     "thousands of", "a couple of", "a handful of", "scores of"]),
)
QUALIFIERS = st.sampled_from(["", "more than ", "over ", "at least ", "no fewer than ",
                              "nearly ", "almost ", "about ", "around ", "an estimated ",
                              "up to ", "as many as ", "fewer than ", "under "])
UNITS = st.sampled_from(["people", "workers", "missiles", "homes", "people were killed",
                         "dead", "injured", "explosions", "", "of the", "schools"])
QUANTITY = st.builds("{}{} {}".format, QUALIFIERS, NUMBERS, UNITS)
ZERO = st.sampled_from(["no one was injured", "nobody was killed", "there were no casualties",
                        "no reports of any deaths", "without any injuries", "none were hurt"])
MONTHS = st.sampled_from(["Jan.", "January", "Feb", "Sept.", "Sep", "May", "June", "Jul",
                          "December", "Dec."])
DATES = st.one_of(
    st.builds("{} {}{}".format, MONTHS, st.integers(0, 99),
              st.sampled_from(["", "st", "th", ", 2020", " 1999", ", 0000", " 9999"])),
    st.builds("{}{} {}".format, st.integers(0, 99), st.sampled_from(["", "th", "nd"]), MONTHS),
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99),
              st.integers(0, 99)),
    st.builds("in {}".format, st.integers(1800, 2099)),
    st.builds("{}{}{}".format, st.sampled_from(["", "early ", "late "]),
              st.sampled_from(["Monday", "Thursday", "Sunday"]),
              st.sampled_from(["", " morning", " night"])),
    st.builds("{}:{:02d}{}{}".format, st.integers(0, 99), st.integers(0, 99),
              st.sampled_from(["", " a.m.", "pm", " p.m"]),
              st.sampled_from(["", " (local time)", " (Indian time)", " GMT", " (Mars time)",
                               " EST", " (local", " (", "  ) "])),
    st.builds("{}{}".format, st.integers(0, 30), st.sampled_from(["am", " a.m.", "pm"])),
)
VALUE = st.one_of(QUANTITY, ZERO, DATES)
WORD = st.one_of(st.sampled_from(NEWS_WORDS), st.sampled_from(ODD_TOKENS),
                 st.text(min_size=1, max_size=8), VALUE)
FRAMES = st.sampled_from([
    "{}", "{}.", "{}?", "{}!", "Police said {}.", "{}, officials said.",
    "According to the BBC, {}.", "It was not immediately clear whether {}.",
    "The minister denied {}.", '"{}," he said.', "{}; {}", "{}, killing {}.", "{}, but {}.",
    "A day after {}, {}.", "{}, and the mayor said {}.",
    "Image Source : {}", "Sunderland v {}", "I think {}.",
])


@st.composite
def sentence(draw: st.DrawFn) -> str:
    frame = draw(FRAMES)
    parts = [" ".join(draw(st.lists(WORD, min_size=0, max_size=14)))
             for _ in range(frame.count("{}"))]
    return frame.format(*parts)


# one run-on line of about 10,000 characters with no punctuation at all
LONG_LINE = st.builds(lambda words, n: " ".join(islice(cycle(words), n))[:10_000],
                      st.lists(st.sampled_from(NEWS_WORDS + ODD_TOKENS), min_size=1,
                               max_size=12), st.integers(1200, 2500))
PARAGRAPH = st.one_of(st.lists(sentence(), min_size=1, max_size=6).map(" ".join),
                      st.lists(WORD, min_size=1, max_size=30).map(" ".join))
FRONT_MATTER = st.lists(st.sampled_from([
    "date 2020-01-09", "date: 2020-13-45", "date 0000-00-00", "Image Source : AP",
    "Photo credit: Reuters/X", "By Jane Smith", "Published: 3 March 2025", "Updated: yesterday",
    "Rockets fired at Baghdad", "LONDON, 3 March 2025 -", "WASHINGTON (Reuters) March 3, 2025 -",
    "date 2020-01-09 Image Source : AP Blast hits depot",
]), max_size=3)
NEWLINES = st.sampled_from(["\n\n", "\r\n\r\n", "\n", "\r\n", "\r", "\n \n", "\u2029"])


@st.composite
def story(draw: st.DrawFn) -> str:
    """A story-shaped text: front matter, headline, paragraphs, odd newlines and BOMs."""
    lines = draw(FRONT_MATTER)
    body = draw(st.lists(st.one_of(PARAGRAPH, LONG_LINE, ZERO, VALUE), min_size=1, max_size=6)
                if draw(st.integers(0, 9)) else st.lists(LONG_LINE, min_size=1, max_size=2))
    sep = draw(NEWLINES)
    text = "\n".join(lines) + sep + sep.join(body)
    return draw(st.sampled_from(["", "\ufeff", " \n"])) + text


ANY_TEXT = st.one_of(story(), st.text(max_size=300),
                     st.text(st.characters(codec="utf-8"), min_size=1, max_size=300))

TAGS = st.sampled_from(["p", "div", "li", "ul", "span", "b", "h1", "h2", "h3", "title",
                        "script", "style", "table", "td", "blockquote", "article", "nav",
                        "section", "br", "a", "svg", "figure"])


def _wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, inner, close, attr: f"<{tag}{attr}>{inner}" + (
        f"</{tag}>" if close else ""), TAGS, st.lists(children, max_size=4).map("".join),
        st.booleans(), st.sampled_from(["", ' class="x"', " a=<b>", ' onload="x()"', " /"]))


HTML_LEAF = st.one_of(sentence(), st.sampled_from([
    "<p", "</p></p>", "<<>>", "<!--", "-->", "<![CDATA[x", "&nbsp;", "&#0;", "&#xD800;",
    "&bogus;", "<br/>", "<br>", "</div>", "<?xml x?>", "<!DOCTYPE html>", "\x00"]))
HTML = st.one_of(
    st.recursive(HTML_LEAF, _wrap, max_leaves=25),
    st.builds(lambda tag, depth, inner: f"<{tag}>" * depth + inner + f"</{tag}>" * (depth // 2),
              st.sampled_from(["div", "p", "li", "span", "b", "ul"]), st.integers(1, 3000),
              sentence()),
).map(lambda body: "<html><body>" + body if not body.lstrip().startswith("<") else body)

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                         st.text(st.characters(categories=["Cs", "L", "N", "P", "Z", "Cc"]),
                                 max_size=40))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda c: st.one_of(
    st.lists(c, max_size=4), st.dictionaries(st.text(max_size=5), c, max_size=4)),
    max_leaves=10)
JSON_FIELD = st.one_of(JSON_VALUES, story(),
                       st.text(st.characters(categories=["Cs", "L", "N", "P", "Z"]),
                               min_size=1, max_size=200))
JSON_DOC = st.one_of(
    st.fixed_dictionaries({"text": JSON_FIELD}, optional={
        "title": JSON_FIELD, "headline": JSON_FIELD, "date": st.one_of(JSON_FIELD, DATES)}),
    JSON_VALUES,
).map(lambda data: json.dumps(data)) | st.sampled_from([  # ensure_ascii escapes "\ud800"
    '{"text": 1' + "0" * 5000 + "}", "[" * 100_000 + "]" * 100_000, '{"text": "a\\ud83d"}',
    '{"text": "\\udc00\\ud83d\\ude00 ok"}', "{'text': 'x'}", '{"text": "x"', "\ufeff{}", "",
    '{"text": "Two died.", "text": 5}', '{"text": "x", "date": "2020-13-45"}',
])

ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "utf-32"])
FILE_BYTES = st.one_of(
    st.builds(lambda t, enc: t.encode(enc, errors="replace"), ANY_TEXT, ENCODINGS),
    st.binary(max_size=400),
    st.builds(lambda t: t.encode(), HTML),
)
SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".htm", ".json", ".TXT"])


@st.composite
def nli_scores(draw: st.DrawFn) -> NLIScores:
    corner = st.sampled_from([(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0),
                              (0.25, 0.25, 0.5), (0.495, 0.0, 0.505), (0.99, 0.0, 0.01),
                              (0.5, 0.4901, 0.0099)])
    raw = draw(st.one_of(corner, st.tuples(*[st.floats(0, 1, allow_nan=False)] * 3)))
    total = sum(raw) or 1.0
    return NLIScores(*(x / total for x in raw))


SCORES = st.lists(nli_scores(), max_size=12)

# --- the scripted model ----------------------------------------------------------------


class ScriptedScorer:
    """Stands in for ``NLIScorer``: hands out the drawn scores in turn, both ways."""

    name = "scripted"

    def __init__(self, scores: list[NLIScores]) -> None:
        self.scores = scores or [NLIScores(0.1, 0.8, 0.1)]

    def score_both(self, pairs: list[tuple[str, str]], reverse_if: object = None
                   ) -> list[tuple[NLIScores, NLIScores]]:
        it = cycle(self.scores)
        return [(next(it), next(it)) for _ in pairs]


def scripted_auditor(scores: list[NLIScores], all_pairs: bool = False) -> Any:
    """A real Auditor (flag rules, report) whose model is ``ScriptedScorer``."""
    auditor = Auditor(NLIModel("scripted", None, None, (0, 1, 2), None),  # type: ignore[arg-type]
                      all_pairs=all_pairs)
    auditor.scorer = ScriptedScorer(scores)  # type: ignore[assignment]
    return auditor


# --- invariants ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("claimcheck").joinpath("report.schema.json").read_text())


@lru_cache(maxsize=1)
def report_validator() -> Any:
    import jsonschema

    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _no_constants(name: str) -> float:
    raise AssertionError(f"report JSON holds {name}, which is not JSON")


def check_report_json(text: str, story_text: str) -> dict[str, Any]:
    """The JSON report: strict JSON, valid against the schema, offsets into the story."""
    text.encode("utf-8")  # no lone surrogates: it must be printable and writable
    data = json.loads(text, parse_constant=_no_constants)
    report_validator().validate(data)
    ids = [c["id"] for c in data["claims"]]
    assert ids == [f"c{n}" for n in range(1, len(ids) + 1)]
    spans = {}
    for c in data["claims"]:
        assert story_text[c["start"]:c["end"]] == c["text"]
        spans[c["id"]] = [c["start"], c["end"]]
        for v in c["values"]:
            assert story_text[v["start"]:v["end"]] == v["text"], v
            if isinstance(v.get("value"), float):
                assert math.isfinite(v["value"])
    for f in data["flags"]:
        assert [spans[i] for i in f["claims"]] == f["spans"]
    severities = [f["severity"] for f in data["flags"]]
    assert severities == sorted(severities, reverse=True)
    return data


def check_report(report: Report) -> None:
    """Every rendering of a report works; the JSON one keeps every promise."""
    from rich.console import Console

    from claimcheck.render import to_json, to_markdown, to_rich

    check_report_json(to_json(report), report.document.text)
    to_markdown(report).encode("utf-8")
    to_rich(report, Console(file=io.StringIO(), width=90, color_system=None))


def check_sentences(text: str) -> None:
    """Sentences (and the headline) of any text keep exact, ordered, stripped offsets."""
    from claimcheck.sentences import document_sentences

    try:
        doc = make_document(text, "fuzz.txt")
    except InputError:
        assert not text.strip()
        return
    last = -1
    for s in document_sentences(doc):
        assert doc.text[s.start:s.end] == s.text and s.text and s.text.strip() == s.text, s
        assert s.start >= last, "sentences overlap or run backwards"
        last = s.end


def check_document(doc: Document, scores: list[NLIScores], all_pairs: bool = False) -> None:
    """Claims and values keep exact offsets; the report keeps its promises."""
    report = scripted_auditor(scores, all_pairs).audit_document(doc)
    for c in report.claims:
        assert doc.text[c.start:c.end] == c.text
        for v in c.values:
            assert doc.text[v.start:v.end] == v.text, (v, c.text)
    check_report(report)


def check_text(text: str, scores: list[NLIScores], all_pairs: bool = False) -> None:
    """A story given as text (the library's ``audit(text)``)."""
    try:
        doc = make_document(text, "fuzz.txt")
    except InputError as e:
        assert "\n" not in str(e) and not text.strip()
        return
    check_document(doc, scores, all_pairs)


def check_file(raw: bytes, suffix: str, scores: list[NLIScores]) -> None:
    """A story file of any bytes: read, or refused with a one-line InputError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"story{suffix}"
        path.write_bytes(raw)
        try:
            doc = read_document(path)
        except InputError as e:
            assert "\n" not in str(e), str(e)
            return
    check_document(doc, scores)


def check_values(phrase: str, prefix: str, base: str | None) -> None:
    """``values.extract`` on one value phrase inside a sentence: offsets and types."""
    from claimcheck.values import extract

    text = f"{prefix} {phrase} were reported."
    offset = 17
    padded = "x" * offset + text
    for v in extract(text, offset, base):
        assert padded[v.start:v.end] == v.text, v
        assert v.start < v.end
        if isinstance(v.value, float):
            assert math.isfinite(v.value), v
        if v.kind == "date":  # a year, an ISO date, or an ISO date without its year
            assert re.fullmatch(r"\d{4}|\d{4}-\d\d-\d\d|--\d\d-\d\d", v.value), v


# --- the properties, by name -----------------------------------------------------------

BASES = st.sampled_from([None, "2020-01-09", "1999-12-31", "2024-02-29"])
PROPERTIES: dict[str, tuple[st.SearchStrategy[tuple], Callable[..., None]]] = {
    "text": (st.tuples(ANY_TEXT, SCORES, st.booleans()), check_text),
    "sentences": (st.tuples(ANY_TEXT), check_sentences),
    "file": (st.tuples(FILE_BYTES, SUFFIXES, SCORES), check_file),
    "html": (st.tuples(HTML.map(str.encode), st.sampled_from([".html", ".txt"]), SCORES),
             check_file),
    "json": (st.tuples(JSON_DOC.map(str.encode), st.just(".json"), SCORES), check_file),
    "values": (st.tuples(VALUE, st.one_of(st.text(max_size=20), sentence()), BASES),
               check_values),
}


def run_property(name: str, max_examples: int | None = None,
                 check: Callable[..., None] | None = None, seed: int | None = None,
                 **options: Any) -> None:
    """Run one property (the profile's budget unless ``max_examples``); hypothesis raises
    on a failure, with the smallest failing input it could find."""
    strategy, default = PROPERTIES[name]
    call = check or default
    if max_examples is not None:
        options["max_examples"] = max_examples

    @settings(deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example], **options)
    @given(strategy)
    def prop(args: tuple) -> None:
        call(*args)

    (prop if seed is None else hypothesis.seed(seed)(prop))()
