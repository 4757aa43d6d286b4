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

BOILERPLATE = re.compile(
    r"^\s*(?:image|photo|picture)\s*(?:source|credit)?\s*:|^\s*(?:copyright|©|all rights reserved"
    r"|click here|read more|subscribe|sign up|follow us|share this|advertisement|related:)",
    re.I)
OPINION = re.compile(r"^\s*(?:I|we)\s+(?:think|believe|feel|hope|guess)\b|\b(?:in my (?:view|"
                     r"opinion))\b", re.I)

# Where one sentence states two facts: the consequence clause and clause coordination.
CONSEQUENCE = re.compile(r",\s+(?=(?:resulting in|leaving|killing|injuring|wounding|causing|"
                         r"prompting|forcing|sparking)\b)")
COORDINATION = re.compile(
    r"(?:;\s+|,\s+(?:but|while|whereas)\s+|,\s+and\s+(?=(?:the|a|an|he|she|they|it|we|[A-Z]\w*)"
    r"(?:\s+\w+){0,3}\s+(?:was|were|is|are|has|have|had|will|said|says|did)\b))")
OTHER_EVENT = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|several|\d+)\s+(?:day|days|week|weeks|month|months|year|"
    r"years|hour|hours)\s+(?:after|before)|the\s+(?:day|week|night)\s+(?:after|before)|"
    r"(?:days|weeks|months|years)\s+(?:after|before)|following|in\s+retaliation\s+for|"
    r"in\s+response\s+to|last\s+(?:week|month|year))\b", re.I)

SAY = (r"said|says|say|told|reported|reports|announced|stated|added|claimed|claims|confirmed|"
       r"confirms|denied|denies|believed|believes|suspects|alleged|alleges|insisted|warned|"
       r"signaled|signalled")
SOURCE_BEFORE = re.compile(
    rf"(?P<src>(?:the|a|an|The|A|An)\s+(?:[\w'.-]+\s+){{0,2}}?[\w'.-]+"
    rf"|[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){{0,3}}"
    rf"|he|she|they|it|police|officials|sources|reports|witnesses|analysts)"
    rf"(?:\s+on\s+[A-Z]\w+day|\s+(?:yesterday|today|earlier|later|also))?\s+"
    rf"(?:(?:has|have|had)\s+)?(?P<verb>{SAY})\b")
SOURCE_AFTER = re.compile(
    rf",\s*(?P<verb>{SAY})\s+(?P<src>(?:the\s+|a\s+)?[\w'.-]+(?:\s+[\w'.-]+){{0,4}}?)\s*\.?$")
CONFIRMED_BY = re.compile(r"\b(?:was|were|has been|have been|had been)\s+confirmed\s+by\s+"
                          r"(?P<src>(?:the\s+|a\s+|an\s+)?[\w'.-]+(?:\s+[\w'.-]+){0,3}?)"
                          r"(?=\s+(?:with|to|on|in|at)\b|[,.]|$)")
ACCORDING = re.compile(r"\baccording to (?P<src>[^,.;]+)", re.I)
UNCLEAR = re.compile(r"\b(?:not\s+(?:immediately\s+|yet\s+|entirely\s+)?(?:been\s+)?(?:clear|"
                     r"known|confirmed|verified|established|determined)|unclear|unconfirmed|"
                     r"unknown|could\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)|"
                     r"remains?\s+to\s+be\s+seen|no\s+(?:final\s+)?decision\s+(?:has|had)\s+"
                     r"(?:yet\s+)?been\s+(?:made|taken))\b", re.I)
DENIED = re.compile(r"\b(?:denied|denies|deny|rejected\s+(?:claims|reports))\b", re.I)
BELIEVED = re.compile(r"\b(?:believed|believes|allegedly|alleged|suspected|reportedly|thought\s+"
                      r"to|likely|possibly|may\s+have|might\s+have)\b", re.I)
CONFIRMED = re.compile(r"\b(?:confirmed|confirms|verified)\b", re.I)
DOUBTED = ("unclear", "denied")  # certainties that put a fact in doubt


PRONOUN_SOURCES = {"he", "she", "they", "it"}


def attribution(text: str) -> tuple[str | None, str]:
    """(who says it, how certain the story is) for one claim's text."""
    if UNCLEAR.search(text):
        return None, "unclear"
    m = CONFIRMED_BY.search(text)
    if m:
        return m.group("src").strip(), "confirmed"
    m = ACCORDING.search(text)
    source = m.group("src").strip() if m else None
    verb = None
    if source is None:
        m = SOURCE_BEFORE.search(text) or SOURCE_AFTER.search(text)
        if m:
            source = re.sub(r"^(?:Meanwhile|However|But|And|Also),?\s+", "", m.group("src").strip())
            source = re.split(r"\s+(?:on|in|at|from|with|for)\s+", source)[0]
            verb = m.group("verb").lower()
    if source and source.lower() in PRONOUN_SOURCES:
        source = source.lower()
    after_verb = text[m.end():] if m and verb else text
    denial = verb and verb.startswith(("denied", "denies")) or DENIED.search(text) and source
    if denial and not lx.DEPRIVED.search(text):
        return source, "denied"
    if verb and verb.startswith(("believ", "suspect", "alleg")) or BELIEVED.search(after_verb):
        return source, "believed"
    if verb and verb.startswith("confirm") or CONFIRMED.search(text):
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
    if BOILERPLATE.search(text):
        return "boilerplate"
    if lx.FIXTURE.match(text) or is_listing(text, words):
        return "listing"  # a fixture, line-up or results list asserts nothing to check
    if text.rstrip().rstrip('"\'”’').endswith("?"):
        return "question"
    if len(words) < 4:
        return "too short to be a claim"
    if OPINION.search(text):
        return "opinion"
    return None


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of the atomic parts of one sentence, relative to the sentence."""
    cuts = sorted({m.start() for m in CONSEQUENCE.finditer(text)} |
                  {m.start() for m in COORDINATION.finditer(text)})
    bounds = []
    start = 0
    for cut in cuts:
        bounds.append((start, cut))
        # the next part starts after the separator (", but", "; ", ", ")
        m = re.compile(r"[,;]\s+(?:but\s+|while\s+|whereas\s+|and\s+)?").match(text, cut)
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
    marker = OTHER_EVENT.search(sentence.text)
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


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in STOPWORDS}


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
