"""Stage 8: put a decision into words an editor can check, and mark the words to look at.

Decisions (flags.py) say what and how badly; this module only says it. Every sentence a
reader sees is a template here, so wording can change without touching a rule.
"""

from __future__ import annotations

import re

from claimcheck import lexicon as lx
from claimcheck.claims import content_words
from claimcheck.flags import Decision
from claimcheck.schema import Claim, ClaimPair, Flag

CERTAINTY_WORDS = {
    "asserted": "stated as fact", "confirmed": "confirmed", "reported": "reported",
    "believed": "presented as a belief", "unclear": "called unclear", "denied": "denied",
}
TYPED = {
    "numeric": '"{a}" here, but "{b}" there: the counts of {about} do not match.',
    "date": '"{a}" and "{b}" cannot be the same moment.',
    "role": '{about} is called "{va}" here but "{vb}" there.',
    "age": '"{a}" here, but "{b}" there: {about} cannot be both ages.',
    "outcome": '"{a}" here, but "{b}" there, both said of "{about}".',
    "direction": '"{a}" here, but "{b}" there, both said of "{about}".',
    "place": "The {about} is in {va} here but in {vb} there.",
    "estimates": '{sa} puts it at "{a}", but {sb} at "{b}": two sources give different figures.',
}
MODEL_ONLY = "These two claims cannot both be true as written."
SPEAKERS = " The two claims come from different speakers ({sa}; {sb}): the story reports a " \
           "disagreement rather than contradicting itself."
TWO_SOURCES = " The two figures come from different sources ({sa}; {sb})."
OTHER_EVENT = (' The claims are about different events ("{marker}"), so this may be '
               "consistent, but a reader could confuse them.")
OTHER_EVENT_UNNAMED = " The claims seem to be about different events."
SOURCING = "{sure_by} here ({sure}), but {doubt_by} here ({doubt})."
ORIGIN_NOTE = (' Note that "source" in the second means the origin of the {what}, not a news '
               "source: check whether both really speak of the same fact.")


def _quote(c: Claim, n: int = 60) -> str:
    return '"' + (c.text if len(c.text) <= n else c.text[: n - 1] + "…") + '"'


def _by(c: Claim) -> str:
    words = CERTAINTY_WORDS[c.certainty]
    return f"{words} ({c.source})" if c.source and c.certainty != "asserted" else words


def _differing_words(a: Claim, b: Claim) -> tuple[tuple[int, int], ...]:
    """Spans of the words one claim has and the other lacks, for highlighting."""
    spans = []
    for x, y in ((a, b), (b, a)):
        other = content_words(y.text)
        for m in re.finditer(r"[A-Za-z][A-Za-z'-]{2,}|\d[\d,.]*", x.text):
            word = m.group().lower()
            if word in other or word not in content_words(x.text) and not word[0].isdigit():
                continue
            spans.append((x.start + m.start(), x.start + m.end()))
            if len(spans) >= 8:
                break
    return tuple(spans)


def _origin_note(sure: Claim, doubt: Claim) -> str:
    """Say so when "source" means an informant in one claim and an origin in the other."""
    for x, y in ((sure, doubt), (doubt, sure)):
        m = lx.ORIGIN.search(y.text)
        if lx.INFORMANT.search(x.text) and m:
            return ORIGIN_NOTE.format(what=m.group(1))
    return ""


def explain(pair: ClaimPair, d: Decision) -> Flag:
    """The flag an editor reads: the decision, its explanation and highlights."""
    a, b = pair.a, pair.b
    ev = d.evidence
    if d.doubted is not None:
        doubt = d.doubted
        sure = b if a.id == doubt.id else a
        text = SOURCING.format(sure_by=_by(sure).capitalize(), sure=_quote(sure),
                               doubt_by=CERTAINTY_WORDS[doubt.certainty], doubt=_quote(doubt))
        text += _origin_note(sure, doubt)
        highlights = _differing_words(sure, doubt)
    elif ev is not None and ev.conflict:
        va, vb = ev.a, ev.b
        assert va is not None and vb is not None
        about = ev.about or "it"
        text = TYPED[str(ev.kind)].format(
            a=va.text, b=vb.text, va=va.value, vb=vb.value, sa=a.source, sb=b.source,
            about=about.replace("casualties:", "") if about.startswith("casualties") else about)
        highlights = ((va.start, va.end), (vb.start, vb.end))
    else:
        text = MODEL_ONLY
        highlights = _differing_words(a, b)
    if d.doubted is None:
        text += f" (NLI contradiction {d.p:.2f})"
    if d.kind == "sources_disagree" and not (ev is not None and ev.kind == "estimates"):
        text += SPEAKERS.format(sa=a.source or "first person", sb=b.source or "first person")
    elif d.speakers:
        text += TWO_SOURCES.format(sa=a.source, sb=b.source)
    if d.same_event is False:
        marker = a.other_event or b.other_event
        text += OTHER_EVENT.format(marker=marker) if marker else OTHER_EVENT_UNNAMED
    return Flag(d.kind, d.severity, (a.id, b.id), ((a.start, a.end), (b.start, b.end)),
                text, d.nli, d.same_event, highlights, d.doubted.id if d.doubted else None)


def to_flags(decided: list[tuple[ClaimPair, Decision]]) -> list[Flag]:
    """Flags for the decided pairs, most severe first (ties in story order)."""
    return sorted((explain(pair, d) for pair, d in decided),
                  key=lambda f: (-f.severity, f.spans))
