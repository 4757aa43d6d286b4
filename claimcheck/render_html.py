"""One story as a self-contained HTML page: the text with its flags highlighted in place.

An editor reads a flag where it stands in the story, not quoted out of context, so the
page shows the whole text with every claim faintly delimited and each flag's two spans
highlighted and linked. Everything (CSS, a little JS) is inlined: the file works
offline, from ``file://``, and makes no request.

The page is built from plain dicts (``Report.as_dict()``-shaped claims and flags), so
the batch dashboard can render a story from a results row without keeping Report
objects around. Jinja2 autoescaping is on: story text never becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from claimcheck.schema import Report, claim_dict

# kind -> (strong colour: white label text on it, tint: dark story text on it).
# Every pair passes WCAG AA (4.5:1) for its text; tests/test_html.py checks it.
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "numeric": ("#1d5ba3", "#dce9fa"),
    "date": ("#6b3fa0", "#ece2f8"),
    "place": ("#0e6f62", "#d3efe9"),
    "role": ("#9c4310", "#fbe4d4"),
    "outcome": ("#9d1a68", "#f9dcec"),
    "direction": ("#566610", "#eef2d1"),
    "contradiction": ("#b0241c", "#fbdddb"),
    "sourcing": ("#765700", "#fbf0c8"),
    "sources_disagree": ("#80461b", "#f6e6d6"),
}
FALLBACK_COLOURS = ("#4b5563", "#e5e7eb")  # any kind not listed above, e.g. a new one
# score bands: (lowest score, word, background); white text on each passes AA
SCORE_BANDS = [(1.0, "no flags", "#1e6b34"), (0.85, "minor", "#2f6b1e"),
               (0.5, "check", "#8a4b00"), (0.0, "inconsistent", "#a4201a")]
EVENT_NOTES = {True: "Same event: the two claims describe one event.",
               False: "Different events: a reader could confuse them, so it weighs half.",
               None: "The story does not say whether these are the same event."}


def kind_style(kind: str) -> dict[str, str]:
    """Label and colours of a flag kind; unknown kinds get a neutral grey, never an error."""
    strong, tint = KIND_COLOURS.get(kind, FALLBACK_COLOURS)
    return {"kind": kind, "label": kind.replace("_", " "), "strong": strong, "tint": tint}


def score_band(score: float, n_flags: int) -> dict[str, str]:
    if n_flags == 0:
        return {"word": SCORE_BANDS[0][1], "colour": SCORE_BANDS[0][2]}
    _, word, colour = next(b for b in SCORE_BANDS[1:] if score >= b[0])
    return {"word": word, "colour": colour}


def model_label(model: str | None) -> str:
    """A model's short name: the folder name of a local checkpoint, else the hub id."""
    if not model:
        return "claimcheck-nli-minilm"
    return Path(model).name if Path(model).exists() else model


@dataclass
class Segment:
    """A run of text between two consecutive span boundaries (claims or flag spans)."""

    start: int
    end: int
    text: str
    marks: list[str] = field(default_factory=list)  # flag spans covering it: "1a", "2b"...
    badge: str = ""  # label of the flag spans that start here ("1A numeric")
    label: str = ""  # every flag span covering it, for screen readers
    style: dict[str, str] | None = None  # colours of its most severe flag


@dataclass
class Block:
    """Consecutive segments of one claim (or of no claim), rendered as one element."""

    claim: dict[str, Any] | None
    segments: list[Segment]


def text_blocks(text: str, claims: list[dict[str, Any]],
                flags: list[dict[str, Any]]) -> list[Block]:
    """Cut the text at every claim and flag-span boundary, so overlapping flag spans
    (two flags sharing a claim) need no nested highlights: each piece lists its flags."""
    def clamp(i: int) -> int:
        return max(0, min(len(text), int(i)))

    spans = [(f"{i}{side}", clamp(a), clamp(b)) for i, f in enumerate(flags, 1)
             for side, (a, b) in zip("ab", f["spans"], strict=True)]
    styles = [kind_style(f["kind"]) for f in flags]
    names = {t: f"{t[:-1]}{t[-1].upper()} {styles[int(t[:-1]) - 1]['label']}"
             for t, _, _ in spans}
    bounds = {0, len(text)} | {clamp(c[k]) for c in claims for k in ("start", "end")}
    bounds |= {x for _, a, b in spans for x in (a, b)}
    blocks: list[Block] = []
    for s, e in pairwise(sorted(bounds)):
        seg = Segment(s, e, text[s:e], [tag for tag, a, b in spans if a <= s and e <= b])
        seg.badge = " · ".join(names[t] for t, a, _ in spans if a == s and t in seg.marks)
        seg.label = ", ".join(f"flag {names[t]}" for t in seg.marks)
        if seg.marks:
            seg.style = styles[min(int(t[:-1]) for t in seg.marks) - 1]
        owner = next((c for c in claims if c["start"] <= s and e <= c["end"]), None)
        if blocks and blocks[-1].claim is owner:
            blocks[-1].segments.append(seg)
        else:
            blocks.append(Block(owner, [seg]))
    return blocks


def claim_label(claim: dict[str, Any]) -> str:
    """What the inline attribution toggle shows after a claim; nothing for a plain
    assertion in the story's own voice, which is most of them."""
    if claim.get("skipped"):
        return f"not checked: {claim['skipped']}"
    parts = [claim.get("source"), claim.get("certainty", "asserted")]
    if parts == [None, "asserted"]:
        parts = []
    if claim.get("other_event"):
        parts.append(f"other event ({claim['other_event']})")
    return " · ".join(p for p in parts if p)


def quote_parts(text: str, span: list[int], highlights: list) -> list[tuple[str, bool]]:
    """The text of a span as (piece, emphasised) parts, emphasising the conflicting words."""
    a, b = span
    inside = sorted((max(a, s), min(b, e)) for s, e in highlights if s < b and e > a)
    parts, at = [], a
    for s, e in inside:
        if s < at:
            continue
        parts += [(text[at:s], False), (text[s:e], True)]
        at = e
    parts.append((text[at:b], False))
    return [p for p in parts if p[0]]


def flag_views(text: str, flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    views = []
    for n, f in enumerate(flags, 1):
        sev = float(f["severity"])
        nli = {k: float(f.get("nli", {}).get(k, 0.0))
               for k in ("entailment", "neutral", "contradiction")}
        views.append({
            "n": n, "style": kind_style(f["kind"]), "severity": sev,
            "level": "high" if sev >= 0.7 else "medium" if sev >= 0.4 else "low",
            "explanation": f.get("explanation", ""), "nli": nli,
            "event": EVENT_NOTES.get(f.get("same_event"), EVENT_NOTES[None]),
            "claims": list(f.get("claims", ("", ""))),
            "quotes": [quote_parts(text, list(span), f.get("highlights", ()))
                       for span in f["spans"]],
        })
    return views


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates ship in the package; autoescape covers every ``*.html.j2``."""
    return Environment(loader=PackageLoader("claimcheck", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def run_date(generated: datetime | None = None) -> str:
    return (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M %Z").strip()


def render_story(text: str, claims: list[dict[str, Any]], flags: list[dict[str, Any]], *,
                 source: str, score: float, model: str | None = None,
                 generated: datetime | None = None, headline: str | None = None,
                 metadata: dict[str, str] | None = None, warnings: tuple[str, ...] = (),
                 pairs: tuple[int, int] | None = None, back: str | None = None) -> str:
    """The page for one story. ``flags`` are sorted by severity (as in a Report);
    ``back`` is a relative link to the dashboard, for pages written by a batch."""
    flags = sorted(flags, key=lambda f: -float(f["severity"]))
    return environment().get_template("story.html.j2").render(
        title=headline or Path(source).name, source=source, headline=headline,
        metadata=metadata or {}, warnings=warnings, score=score,
        band=score_band(score, len(flags)), model=model_label(model), date=run_date(generated),
        blocks=text_blocks(text, claims, flags), flags=flag_views(text, flags),
        claims=claims, checkable=sum(not c.get("skipped") for c in claims), pairs=pairs,
        back=back, claim_label=claim_label,
    )


def to_html(report: Report, generated: datetime | None = None) -> str:
    """The HTML page of a Report, as ``claimcheck audit --format html`` writes it."""
    doc = report.document
    flags = [f.as_dict() | {"highlights": [list(h) for h in f.highlights]}
             for f in report.flags]
    return render_story(doc.text, [claim_dict(c) for c in report.claims], flags,
                        source=report.source, score=report.score, model=report.model,
                        generated=generated, headline=doc.headline, metadata=doc.metadata,
                        warnings=doc.warnings, pairs=(report.pairs_scored, report.pairs_total))
