"""Typed values inside a claim: quantities, dates and times, places, people and roles,
outcomes and directions, and the checks that compare them across claims.

Numbers are read with number-parser ("eighty" -> 80) and dates with dateparser
("Jan. 8" -> 2020-01-08 given the story's date); what this module adds is the
meaning news needs: what a number counts, how vague it is ("more than a dozen"
is the interval (12, inf)), and which clock a time is on. The words and patterns it
reads are in ``lexicon``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from claimcheck import lexicon as lx
from claimcheck.schema import Value

# --- quantities ---------------------------------------------------------------------

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
        number = float(m.group(1)) * lx.SCALE.get(m.group(2) or "", 1)
        return number if math.isfinite(number) else None  # "999...9" is past a float
    value = parse_number(t.replace("-", " "))
    return float(value) if value is not None and abs(value) < 1e300 else None


def interval(value: Value) -> Interval | None:
    """The set of counts a quantity is compatible with."""
    text = value.text.lower()
    for phrase, (lo, hi) in lx.VAGUE.items():
        if phrase in text and value.value is None:
            base = Interval(lo, hi)
            break
    else:
        if value.value is None:
            return None
        n = float(value.value)
        base = Interval(n, n)
    q = lx.QUALIFIERS.get(value.qualifier or "")
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


def _measure(sentence: str, start: int, end: int, unit: str) -> str:
    """What a number counts: casualties (dead, injured or any) when a casualty word is
    close by, else the noun after it ("two explosions" -> "explosion")."""
    near = unit + " " + sentence[max(0, start - 25): end + 25]
    if lx.CASUALTY_WORDS.search(near):
        if lx.DEAD.search(near) and not lx.INJURED.search(near):
            return "casualties:dead"
        if lx.INJURED.search(near) and not lx.DEAD.search(near):
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
    for m in lx.ZERO.finditer(text):
        unit = m.group("unit") or m.group("verb") or ""
        out.append(Value("quantity", m.group(), offset + m.start(), offset + m.end(), 0.0,
                         unit=_measure(text, m.start(), m.end(), unit) or unit.lower()))
        taken.append((m.start(), m.end()))
    for m in lx.QUANTITY.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        num = m.group("num")
        if lx.YEARLIKE.match(num) or lx.CLOCK_AHEAD.match(text, m.start("num")):
            continue  # a year or a clock time, handled as dates
        if lx.MONTH_BEFORE.search(text[: m.start()]):
            continue  # the day of a date
        if lx.MONTH_AFTER.match(text, m.end("num")):
            continue  # "14 July": a date, not a count of Julys
        if lx.ORDINAL_SUFFIX.match(text, m.end("num")) or lx.AGED_BEFORE.search(
                text[: m.start()]):
            continue  # "his 93rd birthday", "aged 91": ordinals and ages count nothing
        unit = (m.group("unit") or "").strip()
        if num[0].isupper() and unit[:1].isupper() and text[: m.start()].strip():
            continue  # "the Six Nations", "Three Lions": part of a name, not a count
        if num.lower() in lx.VAGUE:
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
    for m in lx.DATE.finditer(text):
        iso = _parse_date(m.group(), base)
        if iso:
            out.append(Value("date", m.group(), offset + m.start(), offset + m.end(), iso))
    for m in lx.YEAR_IN.finditer(text):
        out.append(Value("date", m.group("year"), offset + m.start("year"),
                         offset + m.end("year"), m.group("year")))
    zone = lx.ZONE_PAREN.search(text)
    for m in lx.WEEKDAY.finditer(text):
        part = (m.group("part") or m.group("part2") or "").lower() or None
        out.append(Value("weekday", m.group(), offset + m.start(), offset + m.end(),
                         m.group("day"), unit=zone.group("zone").lower() if zone else None,
                         qualifier=part))
    for m in lx.TIME.finditer(text):
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
            if p.lower() in lx.PLACE_ZONES:
                return ZoneInfo(lx.PLACE_ZONES[p.lower()])
        return None
    name = lx.ZONES.get(zone.lower())
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
    if day.qualifier in lx.DAYPARTS:
        lo, hi = lx.DAYPARTS[day.qualifier]
        return lo <= local.hour < hi or lo <= local.hour + 24 < hi
    return True


# --- places, people and roles, outcomes and directions --------------------------------

def _polar(text: str, offset: int, pairs: list[tuple[str, str]], kind: str) -> list[Value]:
    words = {a: (lx.AXIS.get(a, a), +1) for a, _ in pairs} | {
        b: (lx.AXIS.get(a, a), -1) for a, b in pairs}
    out = []
    for m in re.finditer(r"\b[a-z]+\b", text, re.I):  # not text.lower(): "İ" lowers to 2 chars
        if m.group().lower() in words:
            axis, sign = words[m.group().lower()]
            if lx.NEGATED.search(text[max(0, m.start() - 20): m.start()]):
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
    if words[0] in lx.NOT_PLACES or words[0] in lx.NOT_NAMES or not name[0].isupper():
        return None
    titled = words[0].rstrip(".") in lx.HONORIFICS
    return words[-1] if titled or bare or len(words) > 1 else None


def roles(text: str, offset: int = 0) -> list[Value]:
    """People with their roles, keyed by surname: "Health Minister Sarah Quennell", "the
    board's medical director, Dr Sunita Rao", "Ms Quennell, who has been education
    secretary"; a former or acting role is no claim about the present."""
    out = []
    found = [m for pattern in (lx.ROLE_PERSON, *lx.ROLE_APPOSED) for m in pattern.finditer(text)]
    for m in found:
        name = m.group("name")
        role = m.groupdict().get("role") or ("defence" if "represents" in m.groupdict() else "")
        person = _person(name, bare=m.re is lx.ROLE_PERSON) if name and role else None
        if person is None or lx.PAST_ROLE.search(text[max(0, m.start() - 12): m.end()]):
            continue
        out.append(Value("role", m.group(), offset + m.start(), offset + m.end(),
                         role.lower(), unit=person))
    return out


def ages(text: str, offset: int = 0) -> list[Value]:
    """People with their ages, keyed by surname; the value is (first name or "", age), so
    that two people of one surname with different first names stay two people."""
    out = []
    for m in (*lx.AGE_APPOSED.finditer(text), *lx.AGE_CLAUSE.finditer(text)):
        # a lone capitalised word before ", who turned 45" is a surname
        person = _person(m.group("name"), bare=m.re is lx.AGE_CLAUSE)
        if person is None:
            continue
        words = [w for w in m.group("name").split() if w.rstrip(".") not in lx.HONORIFICS]
        first = words[0] if len(words) > 1 else ""
        out.append(Value("age", m.group(), offset + m.start(), offset + m.end(),
                         (first, int(m.group("age"))), unit=person))
    return out


def entities(text: str, offset: int = 0) -> list[Value]:
    out: list[Value] = roles(text, offset) + ages(text, offset)
    for m in lx.PLACE.finditer(text):
        place = m.group("place")
        if place.split()[0] in lx.NOT_PLACES:
            continue
        place = re.sub(r"'s$", "", place)
        out.append(Value("place", place, offset + m.start("place"),
                         offset + m.start("place") + len(place), place))
    out += _polar(text, offset, lx.OUTCOMES, "outcome")
    out += _polar(text, offset, lx.DIRECTIONS, "direction")
    return out


def extract(text: str, offset: int = 0, base_date: str | None = None) -> tuple[Value, ...]:
    """Every typed value in ``text``; offsets are shifted by ``offset``."""
    found = quantities(text, offset) + dates(text, offset, base_date) + entities(text, offset)
    return tuple(sorted(found, key=lambda v: (v.start, v.kind)))
