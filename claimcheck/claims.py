"""Stage 3: turn sentences into atomic, attributed claims.

A compound sentence can hide two facts ("Iran fired missiles ..., resulting in
the death of 80 people"), and a fact's weight depends on who says it and how
sure the story is. This stage splits sentences into claims with exact spans,
records source and certainty, marks claims set in another event ("a day after
Iran had fired ..."), and keeps non-claims visible as skipped, with a reason.
"""

from __future__ import annotations

import re
from dataclasses import replace

from claimcheck import lexicon as lx
from claimcheck.lexicon import STOPWORDS
from claimcheck.schema import Claim, Document, Sentence
from claimcheck.values import extract


def attribution(text: str) -> tuple[str | None, str]:
    """(who says it, how certain the story is) for one claim's text."""
    if lx.UNCLEAR.search(text):
        return None, "unclear"
    m = lx.CONFIRMED_BY.search(text)
    if m:
        return m.group("src").strip(), "confirmed"
    m = lx.ACCORDING.search(text)
    source = m.group("src").strip() if m else None
    verb = None
    if source is None:
        m = lx.SOURCE_BEFORE.search(text) or lx.SOURCE_AFTER.search(text)
        if m:
            source = re.sub(r"^(?:Meanwhile|However|But|And|Also),?\s+", "", m.group("src").strip())
            source = re.split(r"\s+(?:on|in|at|from|with|for)\s+", source)[0]
            verb = m.group("verb").lower()
    if source and source.lower() in lx.PRONOUN_SOURCES:
        source = source.lower()
    after_verb = text[m.end():] if m and verb else text
    denial = verb and verb.startswith(("denied", "denies")) or lx.DENIED.search(text) and source
    if denial and not lx.DEPRIVED.search(text):
        return source, "denied"
    if verb and verb.startswith(("believ", "suspect", "alleg")) or lx.BELIEVED.search(after_verb):
        return source, "believed"
    if verb and verb.startswith("confirm") or lx.CONFIRMED.search(text):
        return source, "confirmed"
    if source:
        return source, "reported"
    return None, "asserted"


def is_listing(text: str, words: list[str]) -> bool:
    """Names in a row ("Bolton: Jaaskelainen, Hunt (Fadiga 14), N'Gotty, ..."): a list
    with next to no lower-case word, hence no verb, after a label or between commas."""
    if text.count(",") < 2 and not lx.LIST_LABEL.match(text):
        return False
    lower = [w for w in words if w[0].islower() and w not in lx.LIST_GLUE]
    return len(lower) <= lx.LIST_MAX_LOWER * len(words)


def skip_reason(text: str) -> str | None:
    words = re.findall(r"[A-Za-z]+", text)
    if lx.BOILERPLATE.search(text):
        return "boilerplate"
    if lx.FIXTURE.match(text) or is_listing(text, words):
        return "listing"  # a fixture, line-up or results list asserts nothing to check
    if text.rstrip().rstrip('"\'”’').endswith("?"):
        return "question"
    if len(words) < 4:
        return "too short to be a claim"
    if lx.OPINION.search(text):
        return "opinion"
    return None


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of the atomic parts of one sentence, relative to the sentence."""
    cuts = sorted({m.start() for m in lx.CONSEQUENCE.finditer(text)} |
                  {m.start() for m in lx.COORDINATION.finditer(text)})
    bounds = []
    start = 0
    for cut in cuts:
        bounds.append((start, cut))
        # the next part starts after the separator (", but", "; ", ", ")
        m = lx.PART_SEPARATOR.match(text, cut)
        start = m.end() if m else cut
    bounds.append((start, len(text)))
    parts = [(a, b) for a, b in bounds if len(re.findall(r"[A-Za-z]+", text[a:b])) >= 3]
    if len(parts) < 2:
        return [(0, len(text))]
    return parts


def _in_other_event(a: int, b: int, marker: re.Match[str]) -> bool:
    """A part lies in the other event when it follows the marker ("a day after ...")
    or when most of it does ("The attack comes a day after Iran had fired ...")."""
    if a >= marker.end():
        return True
    if not a <= marker.start() < b:
        return False
    return marker.start() - a < (b - marker.end())


def sentence_claims(sentence: Sentence, next_id: int, base_date: str | None) -> list[Claim]:
    reason = skip_reason(sentence.text)
    if reason:
        return [Claim(f"c{next_id}", sentence.text, sentence.index, sentence.start,
                      sentence.end, skipped=reason)]
    sentence_source, sentence_certainty = attribution(sentence.text)
    marker = lx.OTHER_EVENT.search(sentence.text)
    claims = []
    for a, b in _segments(sentence.text):
        text = sentence.text[a:b].rstrip(" ,;")
        start = sentence.start + a
        source, certainty = attribution(text)
        if source is None and certainty == "asserted":
            # an attribution elsewhere in the sentence covers this part too
            source, certainty = sentence_source, sentence_certainty
            if certainty == "unclear":
                source, certainty = None, "asserted"
        other = marker.group() if marker and _in_other_event(a, b, marker) else None
        claims.append(Claim(
            f"c{next_id + len(claims)}", text, sentence.index, start, start + len(text),
            source=source, certainty=certainty,
            values=extract(text, start, base_date), other_event=other,
        ))
    return claims


def content_word_list(text: str) -> list[str]:
    """The lower-cased words of three letters or more that are not stopwords, in order."""
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in STOPWORDS]


def content_words(text: str) -> set[str]:
    return set(content_word_list(text))


def extract_claims(doc: Document, sentences: list[Sentence]) -> list[Claim]:
    """All claims of a story, checkable and skipped, numbered c1, c2, ... in order."""
    base_date = doc.metadata.get("date")
    claims: list[Claim] = []
    for sentence in sentences:
        made = sentence_claims(sentence, len(claims) + 1, base_date)
        if sentence.paragraph == -1:
            made = [replace(c, headline=True) for c in made]
        claims += made
    return claims
