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


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentences of ``text[start:]``; ``Sentence.start/end`` index into ``text``."""
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs(text, start)):
        cursor = p_start
        for piece in _segmenter().segment(text[p_start:p_end]):
            stripped = piece.strip()
            if not stripped:
                continue
            found = text.find(stripped, cursor, p_end)
            if found < 0:  # pysbd normalised something; fall back to the cursor
                found = cursor
            end = found + len(stripped)
            out.append(Sentence(len(out), found, end, text[found:end], p_index))
            cursor = end
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
