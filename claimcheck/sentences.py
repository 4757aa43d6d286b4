"""Stage 2: split the body into sentences with offsets into the original text.

pysbd does the boundary decisions (abbreviations, quotes, "Jan. 8"); we only map
its sentences back onto the text, paragraph by paragraph, so offsets stay exact
even where pysbd's own char spans drift on repeated sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from claimcheck.schema import Document, Sentence

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of the non-blank paragraphs of ``text[start:]``."""
    spans = []
    pos = start
    for m in _PARAGRAPH_BREAK.finditer(text, start):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# pysbd's abbreviation pass costs time quadratic in the text it is given (a 40,000-character
# paragraph of "Mr. Smith said so." took 3.4 s, 20,000 took 0.7 s), so a long paragraph is
# read WINDOW characters at a time; news paragraphs are far shorter and read whole.
WINDOW = 2000


def _pysbd_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """pysbd's sentences of ``text[start:end]`` as exact spans of ``text``."""
    spans = []
    cursor = start
    for piece in _segmenter().segment(text[start:end]):
        stripped = piece.strip()
        if not stripped:
            continue
        found = text.find(stripped, cursor, end)
        if found < 0:  # pysbd normalised something; fall back to the cursor
            found = cursor
        spans.append((found, found + len(stripped)))
        cursor = found + len(stripped)
    return spans


def sentence_spans(text: str, start: int, end: int, window: int = WINDOW
                   ) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, ``text[start:end]``, in windows of ``window``
    characters cut at a space. The last sentence of a window may run on past its end,
    so it is read again at the start of the next; a single sentence longer than a whole
    window is cut there."""
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > window:
        cut = pos + window
        space = max(text.rfind(" ", pos + window // 2, cut), text.rfind("\n", pos, cut))
        cut = space if space > pos + window // 2 else cut
        spans = _pysbd_spans(text, pos, cut)
        if len(spans) > 1:
            spans.pop()
        out += spans
        pos = spans[-1][1] if spans else cut
    return out + _pysbd_spans(text, pos, end)


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentences of ``text[start:]``; ``Sentence.start/end`` index into ``text``."""
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs(text, start)):
        for a, b in sentence_spans(text, p_start, p_end):
            out.append(Sentence(len(out), a, b, text[a:b], p_index))
    return out


def document_sentences(doc: Document) -> list[Sentence]:
    """The headline (paragraph -1, when there is one) followed by the body's sentences.

    Headlines make claims too ("..., no casualties"), and a headline that the body
    contradicts is exactly what an editor wants to hear about.
    """
    body = split_sentences(doc.text, doc.body_start)
    if not doc.headline:
        return body
    at = doc.text.find(doc.headline, 0, doc.body_start)
    if at < 0:
        return body
    head = Sentence(0, at, at + len(doc.headline), doc.headline, -1)
    return [head] + [Sentence(s.index + 1, s.start, s.end, s.text, s.paragraph) for s in body]
