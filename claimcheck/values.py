"""Typed values inside a claim: quantities, dates and times, places, people and roles,
outcomes and directions, and the checks that compare them across claims.

Numbers are read with number-parser ("eighty" -> 80) and dates with dateparser
("Jan. 8" -> 2020-01-08 given the story's date); what this module adds is the
meaning news needs: what a number counts, how vague it is ("more than a dozen"
is the interval (12, inf)), and which clock a time is on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from claimcheck.lexicon import MONTH, MONTH_NAMES, WEEKDAY_NAMES
from claimcheck.schema import Value

# --- quantities ---------------------------------------------------------------------

QUALIFIERS = {
    "more than": "gt", "over": "gt", "above": "gt", "at least": "ge", "no fewer than": "ge",
    "nearly": "near_below", "almost": "near_below", "about": "approx", "around": "approx",
    "roughly": "approx", "approximately": "approx", "some": "approx", "an estimated": "approx",
    "up to": "le", "as many as": "le", "fewer than": "lt", "less than": "lt", "under": "lt",
}
VAGUE = {  # quantifier words -> (low, high) intervals
    "a dozen": (12, 12), "dozens of": (24, 120), "dozens": (24, 120), "a few": (2, 5),
    "several": (3, math.inf), "multiple": (2, math.inf), "numerous": (3, math.inf),
    "many": (3, math.inf), "hundreds of": (200, 999), "thousands of": (2000, 999_999),
    "a couple of": (2, 2), "a handful of": (2, 6), "scores of": (40, 200),
}
SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
         "billion": 1e9, "bn": 1e9, "trillion": 1e12}
NUMBER_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
               r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
               r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)\b")
_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_VAGUE = "|".join(sorted(VAGUE, key=len, reverse=True))
_STOP = ("of|and|or|to|in|at|on|the|a|an|was|were|is|are|has|have|had|from|his|her|their|"
         "its|for|by|with|as|than|that|this|who|which|said|says|per|each|after|before|since|"
         "will|would|could|can|may|might|should|must|when|while|where|away|ago|later|earlier")
QUANTITY = re.compile(
    rf"(?<![\w:.,£$€])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?P<num>(?P<cur>[$£€])?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?"
    rf"(?:\s*(?:%|per cent|percent))?"
    rf"(?:\s*(?:thousand|million|billion|trillion|bn|mn|m|k)\b)?"
    rf"|{NUMBER_WORD}(?:[\s-]+(?:and\s+)?{NUMBER_WORD})*"
    rf"|{_VAGUE})"
    rf"(?P<unit>(?:\s+(?!(?:{_STOP})\b)[A-Za-z][\w-]*){{0,2}})?",
    re.I,
)
ZERO = re.compile(
    r"\b(?:(?:there\s+(?:were|was|have\s+been)\s+)?no(?:\s+reports?\s+of)?(?:\s+any)?"
    r"|without(?:\s+any)?)\s+"
    r"(?P<unit>casualties|deaths|injuries|fatalities|victims|dead|injured|people\s+(?:were\s+)?"
    r"(?:killed|hurt|injured)|[a-z]+s)\b"
    r"|\b(?:no\s+one|nobody|none)\s+(?:was|were|had\s+been)\s+(?P<verb>killed|injured|hurt|wounded)",
    re.I,
)
CASUALTY_WORDS = re.compile(
    r"\b(casualt\w*|death|deaths|dead|died|killed|killing|fatalit\w*|injur\w*|wounded|hurt|"
    r"victims?|hospital\w*|burns)\b", re.I)
MONTH_BEFORE = re.compile(rf"\b{MONTH}\s*$")  # "July 14": the day of a date, not a count
YEARLIKE = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        lo, lo_open = max((self.low, self.low_open), (other.low, other.low_open))
        hi, hi_open = min((self.high, not self.high_open), (other.high, not other.high_open))
        hi_open = not hi_open
        if lo < hi:
            return True
        return lo == hi and not lo_open and not hi_open


@lru_cache(maxsize=4096)  # number_parser takes ~2 ms a call; stories repeat their figures
def _parse_number(text: str) -> float | None:
    from number_parser import parse_number

    t = text.lower().replace(",", "").replace("per cent", "%").replace("percent", "%")
    t = t.lstrip("$£€").strip()
    m = re.match(r"(\d+(?:\.\d+)?)\s*%?\s*(thousand|million|billion|trillion|bn|mn|m|k)?$", t)
    if m:
        number = float(m.group(1)) * SCALE.get(m.group(2) or "", 1)
        return number if math.isfinite(number) else None  # "999...9" is past a float
    value = parse_number(t.replace("-", " "))
    return float(value) if value is not None and abs(value) < 1e300 else None


def interval(value: Value) -> Interval | None:
    """The set of counts a quantity is compatible with."""
    text = value.text.lower()
    for phrase, (lo, hi) in VAGUE.items():
        if phrase in text and value.value is None:
            base = Interval(lo, hi)
            break
    else:
        if value.value is None:
            return None
        n = float(value.value)
        base = Interval(n, n)
    q = QUALIFIERS.get(value.qualifier or "")
    lo, hi = base.low, base.high
    if q == "gt":
        return Interval(hi, math.inf, low_open=True)
    if q == "ge":
        return Interval(lo, math.inf)
    if q in ("le",):
        return Interval(0, hi)
    if q == "lt":
        return Interval(0, lo, high_open=True)
    if q == "near_below":
        return Interval(lo * 0.8, hi)
    if q == "approx":
        return Interval(lo * 0.85, hi * 1.15)
    return base


DEAD = re.compile(r"\b(death|deaths|dead|died|killed|killing|fatalit\w*)\b", re.I)
INJURED = re.compile(r"\b(injur\w*|wounded|hurt|hospital\w*|burns)\b", re.I)


def _measure(sentence: str, start: int, end: int, unit: str) -> str:
    """What a number counts: casualties (dead, injured or any) when a casualty word is
    close by, else the noun after it ("two explosions" -> "explosion")."""
    near = unit + " " + sentence[max(0, start - 25): end + 25]
    if CASUALTY_WORDS.search(near):
        if DEAD.search(near) and not INJURED.search(near):
            return "casualties:dead"
        if INJURED.search(near) and not DEAD.search(near):
            return "casualties:injured"
        return "casualties"
    words = [w for w in unit.lower().split() if w.isalpha()]
    if not words:
        return ""
    # the counted noun is usually the first plural ("six miners trapped", "two fire
    # engines"); failing that, the word right after the number
    noun = next((w for w in words if w.endswith("s") and len(w) > 3), words[0])
    return noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun


def quantities(text: str, offset: int = 0) -> list[Value]:
    out: list[Value] = []
    taken: list[tuple[int, int]] = []
    for m in ZERO.finditer(text):
        unit = m.group("unit") or m.group("verb") or ""
        out.append(Value("quantity", m.group(), offset + m.start(), offset + m.end(), 0.0,
                         unit=_measure(text, m.start(), m.end(), unit) or unit.lower()))
        taken.append((m.start(), m.end()))
    for m in QUANTITY.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        num = m.group("num")
        if YEARLIKE.match(num) or re.match(r"\d{1,2}:\d\d", text[m.start("num"):]):
            continue  # a year or a clock time, handled as dates
        if MONTH_BEFORE.search(text[: m.start()]):
            continue  # the day of a date
        if re.match(rf"\s*(?:st|nd|rd|th)?\s+{MONTH}(?:\s|$|[,.])", text[m.end("num"):]):
            continue  # "14 July": a date, not a count of Julys
        if re.match(r"(?:st|nd|rd|th)\b", text[m.end("num"):]) or re.search(
                r"\b(?:aged|age of|ages of)\s+$", text[: m.start()]):
            continue  # "his 93rd birthday", "aged 91": ordinals and ages count nothing
        unit = (m.group("unit") or "").strip()
        if num[0].isupper() and unit[:1].isupper() and text[: m.start()].strip():
            continue  # "the Six Nations", "Three Lions": part of a name, not a count
        if num.lower() in VAGUE:
            value = None
        else:
            value = _parse_number(num)
            if value is None:
                continue
        if num.lower() == "one" and not unit:
            continue  # "one of", "no one": not a count
        qual = (m.group("qual") or "").lower() or None
        measure = _measure(text, m.start(), m.end(), unit)
        if m.group("cur"):  # money is compared as money, whatever it pays for
            measure = "money:" + m.group("cur")
        out.append(Value("quantity", m.group().strip(), offset + m.start(), offset + m.end(),
                         value, unit=measure, qualifier=qual))
    return out


def quantities_conflict(a: Value, b: Value) -> bool | None:
    """True when two counts of the same thing cannot both hold; None when not comparable.

    General casualties bound every kind: "no casualties" conflicts with "80 dead",
    but "five injured" and "two killed" count different things.
    """
    if not a.unit or not b.unit:
        return None
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    if a.unit == b.unit:
        return not ia.overlaps(ib)
    units = {a.unit, b.unit}
    if "casualties" in units and all(u.startswith("casualties") for u in units):
        general, part = (ia, ib) if a.unit == "casualties" else (ib, ia)
        return general.high < part.low
    return None


# --- dates, weekdays and times ------------------------------------------------------------

DATE = re.compile(
    rf"\b(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}"
    rf"(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})\b")
WEEKDAY = re.compile(
    r"\b(?:(?P<part>early|late)\s+)?(?P<day>" + "|".join(WEEKDAY_NAMES) + r")"
    r"(?:\s+(?P<part2>morning|afternoon|evening|night))?\b")
TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?=[\s,.)(]|$)"
    r"(?:\s*\((?P<zone>[A-Za-z ]+?)\s+time\)|\s+(?P<abbr>GMT|UTC|BST|EST|EDT|ET|PST|CET|IST))?",
    re.I)
YEAR_IN = re.compile(r"\b(?:in|since|from|until)\s+(?P<year>(?:19|20)\d\d)\b(?![-\d])")
ZONE_PAREN = re.compile(r"\((?P<zone>[A-Za-z ]+?)\s+time\)", re.I)
# Named clocks that news uses; "local" is resolved from the place a claim names.
ZONES = {
    "indian": "Asia/Kolkata", "india": "Asia/Kolkata", "ist": "Asia/Kolkata",
    "gmt": "UTC", "utc": "UTC", "bst": "Europe/London", "uk": "Europe/London",
    "british": "Europe/London", "et": "America/New_York", "est": "America/New_York",
    "edt": "America/New_York", "eastern": "America/New_York", "pst": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "cet": "Europe/Paris", "iraqi": "Asia/Baghdad",
    "iranian": "Asia/Tehran", "tehran": "Asia/Tehran", "moscow": "Europe/Moscow",
    "beijing": "Asia/Shanghai", "tokyo": "Asia/Tokyo", "japan": "Asia/Tokyo",
}
PLACE_ZONES = {
    "baghdad": "Asia/Baghdad", "iraq": "Asia/Baghdad", "tehran": "Asia/Tehran",
    "iran": "Asia/Tehran", "london": "Europe/London", "washington": "America/New_York",
    "new york": "America/New_York", "paris": "Europe/Paris", "berlin": "Europe/Berlin",
    "moscow": "Europe/Moscow", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "beijing": "Asia/Shanghai", "tokyo": "Asia/Tokyo",
    "kabul": "Asia/Kabul", "jerusalem": "Asia/Jerusalem", "cairo": "Africa/Cairo",
    "los angeles": "America/Los_Angeles", "sydney": "Australia/Sydney",
}
DAYPARTS = {"early": (0, 7), "morning": (5, 12), "afternoon": (12, 18),
            "evening": (17, 23), "night": (20, 29), "late": (18, 24)}


YEARLESS_BASE = datetime(2000, 12, 31)


@lru_cache(maxsize=512)
def _parse_date(text: str, base: str | None) -> str | None:
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"],
                # never the day claimcheck runs: the story's own date, else a fixed
                # leap year (so "29 February" parses) that is then dropped
                "RELATIVE_BASE": datetime.fromisoformat(base) if base else YEARLESS_BASE}
    parsed = dateparser.parse(text.rstrip("."), languages=["en"], settings=settings)
    if parsed is None:
        return None
    if base is None and not re.search(r"\d{4}", text):
        return f"--{parsed.month:02d}-{parsed.day:02d}"  # ISO 8601 for a date with no year
    return parsed.date().isoformat()


def dates(text: str, offset: int = 0, base: str | None = None) -> list[Value]:
    """Dates, weekdays and clock times (with the zone they are given in)."""
    out: list[Value] = []
    for m in DATE.finditer(text):
        iso = _parse_date(m.group(), base)
        if iso:
            out.append(Value("date", m.group(), offset + m.start(), offset + m.end(), iso))
    for m in YEAR_IN.finditer(text):
        out.append(Value("date", m.group("year"), offset + m.start("year"),
                         offset + m.end("year"), m.group("year")))
    zone = ZONE_PAREN.search(text)
    for m in WEEKDAY.finditer(text):
        part = (m.group("part") or m.group("part2") or "").lower() or None
        out.append(Value("weekday", m.group(), offset + m.start(), offset + m.end(),
                         m.group("day"), unit=zone.group("zone").lower() if zone else None,
                         qualifier=part))
    for m in TIME.finditer(text):
        if not (m.group("m") or m.group("ampm")):
            continue
        hour = int(m.group("h")) % 12 if m.group("ampm") else int(m.group("h"))
        if m.group("ampm") and m.group("ampm").lower().startswith("p"):
            hour += 12
        minute = int(m.group("m") or 0)
        if hour > 23 or minute > 59:
            continue
        z = (m.group("zone") or m.group("abbr") or (zone.group("zone") if zone else "") or "")
        said = m.group().rstrip()  # "0:00 (local" matches a trailing space: not the time's
        out.append(Value("time", said, offset + m.start(), offset + m.start() + len(said),
                         f"{hour:02d}:{minute:02d}", unit=z.lower() or None))
    return out


def _tz(zone: str | None, places: list[str]) -> ZoneInfo | None:
    if not zone:
        return None
    if zone == "local":
        for p in places:
            if p.lower() in PLACE_ZONES:
                return ZoneInfo(PLACE_ZONES[p.lower()])
        return None
    name = ZONES.get(zone.lower())
    return ZoneInfo(name) if name else None


def moment(values: tuple[Value, ...], places: list[str]) -> datetime | None:
    """A timezone-aware instant from a claim's date + time + zone, when all are known."""
    # a day, not a bare year ("in 1900") or a yearless "--01-08"
    date = next((v.value for v in values if v.kind == "date" and len(v.value) == 10), None)
    time = next((v for v in values if v.kind == "time"), None)
    if not date or not time:
        return None
    tz = _tz(time.unit, places)
    if tz is None:
        return None
    hh, mm = map(int, time.value.split(":"))
    return datetime.fromisoformat(date).replace(hour=hh, minute=mm, tzinfo=tz)


def date_weekday(date: Value) -> str | None:
    """The weekday of a full ISO date ("2024-03-11" -> "Monday"); None for a bare year."""
    if not isinstance(date.value, str) or len(date.value) != 10:
        return None
    return datetime.fromisoformat(date.value).strftime("%A")


def weekday_matches(day: Value, instant: datetime, places: list[str]) -> bool | None:
    """Whether a weekday (with its daypart and zone) can be ``instant``; None if unknown."""
    tz = _tz(day.unit, places) if day.unit else None
    if tz is None:
        # no zone given: any zone within a day of the instant's own is plausible
        days = {(instant + timedelta(hours=h)).strftime("%A") for h in (-12, 0, 12)}
        return day.value in days
    local = instant.astimezone(tz)
    if local.strftime("%A") != day.value:
        return False
    if day.qualifier in DAYPARTS:
        lo, hi = DAYPARTS[day.qualifier]
        return lo <= local.hour < hi or lo <= local.hour + 24 < hi
    return True


# --- places, people and roles, outcomes and directions --------------------------------

ROLES = (
    "president", "prime minister", "chancellor", "minister", "secretary", "spokesman",
    "spokeswoman", "chairman", "chairwoman", "chief executive", "ceo", "director", "manager",
    "coach", "captain", "striker", "goalkeeper", "prosecutor", "judge", "lawyer", "founder",
    "editor", "analyst", "economist", "governor", "senator", "mayor", "leader", "general",
    "ambassador", "producer", "king", "queen", "prince", "pope", "vice-chancellor",
    "head teacher", "headteacher", "coroner", "commissioner", "chief constable", "councillor",
    "official", "head of operations", "treasurer", "barrister", "solicitor",
)
_ROLES = "|".join(sorted(ROLES, key=len, reverse=True))
ROLE_PERSON = re.compile(
    r"\b(?P<role>(?:(?!(?:US|UK|The|A|An)\b)[A-Z][a-z]+\s+)?(?i:" + _ROLES + r"))\s+"
    r"(?P<name>(?:[A-Z][a-z'\-]+\s+){0,2}[A-Z][a-z'\-]+)")
# A role in apposition, before or after the name, or in a relative clause: "the board's
# medical director, Dr Sunita Rao", "Ms Quennell, who has been education secretary since
# July", "Ms Marsh, who is representing Mr Pell" (a role of its own: the defence)
HONORIFICS = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Prof", "Professor", "Sir", "Dame")
_NAME = (rf"(?P<name>(?:(?:{'|'.join(HONORIFICS)})\.?\s+)?"
         r"(?:[A-Z][a-z'\-]+\s+){0,2}[A-Z][a-z'\-]+)")
_OWNER = r"(?:(?:the|a|an|its|their|our)\s+)?(?:[A-Z]?[\w\-]+(?:'s|')\s+)?"
_ROLE = r"(?P<role>(?:[a-z\-]+\s+)?(?i:" + _ROLES + r"))\b"
ROLE_APPOSED = (
    re.compile(rf"\b{_OWNER}{_ROLE},\s+{_NAME}\b"),
    re.compile(rf"\b{_NAME},\s+(?:who\s+(?:is|was|has been|had been|became|is now|"
               r"was appointed|has been appointed)\s+|as\s+)?"
               rf"(?:(?:the|a|an)\s+)?(?:[A-Z]?[\w\-]+(?:'s|')\s+)?{_ROLE}"),
    re.compile(rf"\b{_NAME},\s+(?:who\s+(?:is\s+|was\s+|has been\s+)?)?"
               r"(?P<represents>represent(?:ing|s|ed)|defending)\b"),
)
# A person's age in apposition or a relative clause: "Nadia Ferrante, 38,", "Ms Ferrante,
# who turned 45 this spring", "who celebrated her 60th birthday"; "who was 45" is an age
# at another time, and "Smith, 45 minutes" no age (an age is followed by a comma or "years
# old")
AGE_APPOSED = re.compile(rf"\b{_NAME},\s+(?P<age>\d{{1,3}})(?:,|\s+years\s+old\b)")
AGE_CLAUSE = re.compile(
    rf"\b{_NAME},\s+who\s+(?:is|is now|turned|has turned|has just turned|"
    r"celebrated\s+(?:his|her|their))\s+(?P<age>\d{1,3})(?:st|nd|rd|th\s+birthday)?\b"
    r"(?=\s+(?:this|last|on|in|years|birthday)\b|\s*[,.;])")
# Titles that name no one ("However, ...") and roles someone no longer holds.
NOT_NAMES = frozenset({"However", "But", "And", "Speaking", "Opening", "Meanwhile", "Earlier",
                       "Later", "Yesterday", "Today", "Police", "Officials", "It", "He", "She"})
PAST_ROLE = re.compile(r"\b(?:former|ex|then|previous|outgoing|acting|interim|late)\b", re.I)
PLACE = re.compile(
    r"\b(?:in|at|near|from|to|outside|inside)\s+(?:the\s+)?"
    r"(?P<place>(?:[A-Z][\w'\-]+(?:'s)?)(?:\s+[A-Z][\w'\-]+){0,3})")
NOT_PLACES = {*MONTH_NAMES, *WEEKDAY_NAMES, "The", "A", "An", "It", "This"}
OUTCOMES = [("won", "lost"), ("win", "lose"), ("wins", "loses"), ("victory", "defeat"),
            ("convicted", "acquitted"), ("approved", "rejected"), ("accepted", "rejected"),
            ("succeeded", "failed"), ("passed", "failed"), ("guilty", "innocent")]
DIRECTIONS = [("rose", "fell"), ("risen", "fallen"), ("rise", "fall"), ("increased", "decreased"),
              ("increase", "decrease"), ("higher", "lower"), ("grew", "shrank"),
              ("gained", "lost"), ("climbed", "dropped"), ("raised", "cut")]
# words on one axis share its name, so that "won" and "defeat", or "rose" and "fall", meet
AXIS = {"win": "won", "wins": "won", "victory": "won", "guilty": "convicted"} | {
    a: "rose" for a, _ in DIRECTIONS}
# "not guilty", "did not rise", "didn't rise" ("n't" ends a word, so no \b before it)
NEGATED = re.compile(r"(?:\b(?:not|never|no)|n't)\s+(?:\w+\s+)?$", re.I)


def _polar(text: str, offset: int, pairs: list[tuple[str, str]], kind: str) -> list[Value]:
    words = {a: (AXIS.get(a, a), +1) for a, _ in pairs} | {
        b: (AXIS.get(a, a), -1) for a, b in pairs}
    out = []
    for m in re.finditer(r"\b[a-z]+\b", text, re.I):  # not text.lower(): "İ" lowers to 2 chars
        if m.group().lower() in words:
            axis, sign = words[m.group().lower()]
            if NEGATED.search(text[max(0, m.start() - 20): m.start()]):
                sign = -sign
            out.append(Value(kind, text[m.start():m.end()], offset + m.start(),
                             offset + m.end(), sign, unit=axis))
    return out


def _person(name: str, bare: bool = False) -> str | None:
    """The surname a person is known by through a story ("Dr Sunita Rao" -> "Rao"), or
    None for words that name no one. A lone capitalised word is a surname only where
    ``bare`` allows it: straight after a role title ("Chancellor Brown"), not in an
    apposition, where it is as often a place or a team."""
    words = name.split()
    if words[0] in NOT_PLACES or words[0] in NOT_NAMES or not name[0].isupper():
        return None
    titled = words[0].rstrip(".") in HONORIFICS
    return words[-1] if titled or bare or len(words) > 1 else None


def roles(text: str, offset: int = 0) -> list[Value]:
    """People with their roles, keyed by surname: "Health Minister Sarah Quennell", "the
    board's medical director, Dr Sunita Rao", "Ms Quennell, who has been education
    secretary"; a former or acting role is no claim about the present."""
    out = []
    found = [m for pattern in (ROLE_PERSON, *ROLE_APPOSED) for m in pattern.finditer(text)]
    for m in found:
        name = m.group("name")
        role = m.groupdict().get("role") or ("defence" if "represents" in m.groupdict() else "")
        person = _person(name, bare=m.re is ROLE_PERSON) if name and role else None
        if person is None or PAST_ROLE.search(text[max(0, m.start() - 12): m.end()]):
            continue
        out.append(Value("role", m.group(), offset + m.start(), offset + m.end(),
                         role.lower(), unit=person))
    return out


def ages(text: str, offset: int = 0) -> list[Value]:
    """People with their ages, keyed by surname; the value is (first name or "", age), so
    that two people of one surname with different first names stay two people."""
    out = []
    for m in (*AGE_APPOSED.finditer(text), *AGE_CLAUSE.finditer(text)):
        # a lone capitalised word before ", who turned 45" is a surname
        person = _person(m.group("name"), bare=m.re is AGE_CLAUSE)
        if person is None:
            continue
        words = [w for w in m.group("name").split() if w.rstrip(".") not in HONORIFICS]
        first = words[0] if len(words) > 1 else ""
        out.append(Value("age", m.group(), offset + m.start(), offset + m.end(),
                         (first, int(m.group("age"))), unit=person))
    return out


def entities(text: str, offset: int = 0) -> list[Value]:
    out: list[Value] = roles(text, offset) + ages(text, offset)
    for m in PLACE.finditer(text):
        place = m.group("place")
        if place.split()[0] in NOT_PLACES:
            continue
        place = re.sub(r"'s$", "", place)
        out.append(Value("place", place, offset + m.start("place"),
                         offset + m.start("place") + len(place), place))
    out += _polar(text, offset, OUTCOMES, "outcome")
    out += _polar(text, offset, DIRECTIONS, "direction")
    return out


def extract(text: str, offset: int = 0, base_date: str | None = None) -> tuple[Value, ...]:
    """Every typed value in ``text``; offsets are shifted by ``offset``."""
    found = quantities(text, offset) + dates(text, offset, base_date) + entities(text, offset)
    return tuple(sorted(found, key=lambda v: (v.start, v.kind)))
