"""Generate news-domain NLI pairs from the sentences of real stories.

Each transformation takes one sentence and returns ``(hypothesis, label)`` or
``None`` when it does not apply. The premise is always the original sentence,
so the model sees real news prose on one side of every pair. The transforms:

Contradictions (label ``contradiction``)
  number     change a count or amount by a clear margin ("nine years" -> "15 years"),
             or to zero ("three people were hurt" -> "no people were hurt")
  date       swap a weekday or month, or shift a year ("on Monday" -> "on Friday")
  place      replace a place name with another one ("in Virginia" -> "in Ohio")
  role       give a person another role ("prosecutor X" -> "defence lawyer X")
  outcome    flip an outcome ("won" -> "lost", "convicted" -> "acquitted")
  direction  flip a direction ("rose" -> "fell", "higher" -> "lower")
  negation   negate the first auxiliary ("was" -> "was not"), a simple past verb
             ("attended" -> "did not attend", lemmas from lemminflect), or drop a "not"
  certainty  restate the claim as unclear or denied ("It is not clear whether ...")

Entailments (label ``entailment``)
  clause     keep the main clause, or drop the attribution ("..., police said")
  rounding   soften a number ("14" -> "more than a dozen", "7,500" -> "more than 7,000")
  confirmed  restate the claim as confirmed ("It has been confirmed that ...")

Neutrals (label ``neutral``)
  other      another sentence of the same story, preferring one that shares a name
  reverse    a shortened or rounded claim as premise, the full sentence as hypothesis
  overlap    the sentence's main clause followed by another sentence of the story

Surface variation. If every contradiction were a one-word edit of its premise and
every neutral a different sentence, a model would learn "near-copy = contradiction",
which fails on real stories, where the two claims of a contradiction are worded
differently. So each contradiction or entailment hypothesis is, at random, shortened
to its main clause, given or stripped of an attribution (", officials said"), or
followed by another sentence of the story; and "overlap" neutrals pair a sentence
with its own main clause followed by new information from another sentence.

Only the first sentences of a story are long enough and self-contained enough to
be reliable premises, so very short or very long sentences are skipped.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import re
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claimcheck.sentences import split_sentences

Transform = Callable[[str, random.Random], "str | None"]


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str
    kind: str  # the transformation that made it, or "sick"
    story: str  # story id, used to split train/dev by story


# --- small vocabularies the transforms draw on ---------------------------------------

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "June", "July",
    "August", "September", "October", "November", "December",
]  # "May" is left out: it is too often a verb
PLACES = [
    "London", "Paris", "Berlin", "Madrid", "Rome", "Moscow", "Beijing", "Tokyo", "Delhi",
    "Washington", "New York", "Chicago", "Los Angeles", "Sydney", "Dublin", "Glasgow",
    "Edinburgh", "Manchester", "Birmingham", "Liverpool", "Leeds", "Cardiff", "Belfast",
    "Brussels", "Geneva", "Baghdad", "Tehran", "Kabul", "Cairo", "Nairobi", "Lagos",
    "Johannesburg", "Toronto", "Mumbai", "Shanghai", "Hong Kong", "Singapore", "Seoul",
    "Britain", "France", "Germany", "Spain", "Italy", "Russia", "China", "Japan", "India",
    "America", "Canada", "Australia", "Ireland", "Scotland", "Wales", "England", "Iraq",
    "Iran", "Afghanistan", "Egypt", "Kenya", "Nigeria", "South Africa", "Brazil",
    "Argentina", "Mexico", "Poland", "Sweden", "Norway", "Denmark", "Netherlands",
    "Belgium", "Switzerland", "Austria", "Greece", "Turkey", "Israel", "Pakistan",
    "Virginia", "California", "Texas", "Florida", "Ohio", "Europe", "Asia", "Africa",
]
ROLES = [
    "chairman", "chief executive", "finance director", "president", "prime minister",
    "chancellor", "foreign secretary", "home secretary", "minister", "spokesman",
    "coach", "captain", "manager", "striker", "goalkeeper", "prosecutor", "judge",
    "lawyer", "founder", "director", "editor", "analyst", "economist", "governor",
    "senator", "mayor", "leader", "chief", "secretary", "ambassador", "producer",
]
SWAPS_OUTCOME = [
    ("won", "lost"), ("win", "lose"), ("wins", "loses"), ("winning", "losing"),
    ("victory", "defeat"), ("convicted", "acquitted"), ("approved", "rejected"),
    ("accepted", "rejected"), ("succeeded", "failed"), ("agreed", "refused"),
    ("passed", "rejected"), ("guilty", "innocent"), ("allowed", "banned"),
]
SWAPS_DIRECTION = [
    ("rose", "fell"), ("risen", "fallen"), ("rise", "fall"), ("rises", "falls"),
    ("rising", "falling"), ("increased", "decreased"), ("increase", "decrease"),
    ("increases", "decreases"), ("higher", "lower"), ("grew", "shrank"),
    ("gained", "lost"), ("climbed", "dropped"), ("jumped", "slumped"),
    ("strengthened", "weakened"),
    ("above", "below"), ("biggest", "smallest"), ("highest", "lowest"),
]
AUXILIARIES = (
    "is", "are", "was", "were", "has", "have", "had", "will", "would",
    "can", "could", "should", "must", "did", "does",
)
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
HEDGES = re.compile(r"\b(at least|more than|over|up to|nearly|almost|about|around|some|under)\s+$",
                    re.I)
NUMBER = re.compile(r"(?<![\w.,$£€])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,]*\d)")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:[A-Z][\w.'-]*\s+){0,4}(?:[a-z]+\s+){0,3}"
    r"(?:said|says|reported|added|told [\w ]+)\s*\.?$"
)
ATTRIBUTION_HEAD = re.compile(
    r"^(?:[A-Z][\w.'-]*\s+){1,4}(?:said|says|added|believes|believed|claimed)\s+(?:that\s+)?"
)
CLAUSE_BREAK = re.compile(r",\s+(?:while|after|as|but|and|although|because|with|despite)\s")
RELATIVE = re.compile(r",\s+(?:who|which)\s[^,\"]+,\s")
DETERMINERS = {"a", "an", "the", "no", "some", "any", "his", "her", "their", "its", "our",
               "my", "to", "been", "this", "that"}
FUNCTION_STARTS = {
    "the", "a", "an", "it", "its", "this", "that", "these", "those", "there", "he", "she",
    "they", "we", "his", "her", "their", "our", "some", "many", "most", "several", "all",
    "shares", "sales", "profits", "prices", "officials", "police", "analysts", "experts",
}
MONTH_NEAR = re.compile(r"(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December)\s*$|^\s*(January|February|March|April|"
                        r"May|June|July|August|September|October|November|December)")


def _swap_word(sentence: str, pairs: list[tuple[str, str]], rng: random.Random) -> str | None:
    """Replace one word from ``pairs`` (in either direction) with its opposite."""
    table = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    hits = [m for m in re.finditer(r"\b[A-Za-z]+\b", sentence) if m.group().lower() in table]
    if not hits:
        return None
    m = rng.choice(hits)
    new = table[m.group().lower()]
    if m.group()[0].isupper():
        new = new.capitalize()
    return sentence[: m.start()] + new + sentence[m.end():]


def _fmt_like(value: float, original: str) -> str:
    if "," in original:
        return f"{int(value):,}"
    if "." in original:
        return f"{value:.{len(original.split('.')[1])}f}"
    return str(int(value))


def t_number(sentence: str, rng: random.Random) -> str | None:
    hits = [m for m in NUMBER.finditer(sentence)
            if not YEAR.fullmatch(m.group()) and not HEDGES.search(sentence[: m.start()])
            and not _next_to_month(sentence, m)]
    words = [m for m in re.finditer(r"\b[a-z]+\b", sentence) if m.group() in NUMBER_WORDS]
    if not hits and not words:
        return None
    if hits and (not words or rng.random() < 0.7):
        m = rng.choice(hits)
        old = float(m.group().replace(",", ""))
        if old == 0:
            return None
        if rng.random() < 0.15 and re.match(r"\s[a-z]+s\b", sentence[m.end():]):
            return sentence[: m.start()] + "no" + sentence[m.end():]
        factor = rng.choice([0.3, 0.5, 2, 3, 1.6])
        new = old * factor
        if "." not in m.group() and new < 10:
            new = round(new)
        text = _fmt_like(new, m.group())
        if text == m.group() or float(text.replace(",", "")) == old:
            text = _fmt_like(old + max(2, old), m.group())
        return sentence[: m.start()] + text + sentence[m.end():]
    m = rng.choice(words)
    old = NUMBER_WORDS[m.group()]
    if rng.random() < 0.25 and not HEDGES.search(sentence[: m.start()]):
        new = "no"
    else:
        new = rng.choice([w for w, v in NUMBER_WORDS.items() if abs(v - old) >= 2])
    return sentence[: m.start()] + new + sentence[m.end():]


def _next_to_month(sentence: str, m: re.Match[str]) -> bool:
    return bool(MONTH_NEAR.search(sentence[max(0, m.start() - 12): m.start()])
                or MONTH_NEAR.search(sentence[m.end(): m.end() + 12]))


def t_date(sentence: str, rng: random.Random) -> str | None:
    for vocab in (WEEKDAYS, MONTHS):
        hits = [m for m in re.finditer(r"\b(" + "|".join(vocab) + r")\b", sentence)]
        if hits:
            m = rng.choice(hits)
            new = rng.choice([w for w in vocab if w != m.group()])
            return sentence[: m.start()] + new + sentence[m.end():]
    m = YEAR.search(sentence)
    if m:
        new = str(int(m.group()) + rng.choice([-3, -2, -1, 1, 2, 3]))
        return sentence[: m.start()] + new + sentence[m.end():]
    return None


def t_place(sentence: str, rng: random.Random) -> str | None:
    hits = [m for m in re.finditer(r"\b(" + "|".join(PLACES) + r")\b", sentence)]
    if not hits:
        return None
    m = rng.choice(hits)
    new = rng.choice([p for p in PLACES if p != m.group()])
    return sentence[: m.start()] + new + sentence[m.end():]


def t_role(sentence: str, rng: random.Random) -> str | None:
    pattern = r"\b(" + "|".join(sorted(ROLES, key=len, reverse=True)) + r")\b"
    hits = [m for m in re.finditer(pattern, sentence, re.I)]
    if not hits:
        return None
    m = rng.choice(hits)
    new = rng.choice([r for r in ROLES if r != m.group().lower()])
    if m.group()[0].isupper():
        new = new[0].upper() + new[1:]
    return sentence[: m.start()] + new + sentence[m.end():]


def t_outcome(sentence: str, rng: random.Random) -> str | None:
    return _swap_word(sentence, SWAPS_OUTCOME, rng)


def t_direction(sentence: str, rng: random.Random) -> str | None:
    return _swap_word(sentence, SWAPS_DIRECTION, rng)


SIMPLE_PAST = re.compile(r"^((?:[A-Z][\w'-]*\s+|the\s+|of\s+){1,5})([a-z]{3,}ed|won|lost|met|"
                         r"sold|bought|made|took|gave|left|found|told|went|began)\b")


def _do_support(sentence: str) -> str | None:
    """ "The mayor attended ..." -> "The mayor did not attend ..." (subject-first only)."""
    from lemminflect import getLemma

    m = SIMPLE_PAST.match(sentence)
    if not m:
        return None
    lemma = getLemma(m.group(2), upos="VERB")
    if not lemma or lemma[0] == m.group(2):
        return None
    return sentence[: m.start(2)] + "did not " + lemma[0] + sentence[m.end(2):]


def t_negation(sentence: str, rng: random.Random) -> str | None:
    if rng.random() < 0.5 and (done := _do_support(sentence)):
        return done
    m = re.search(r"\b(not|never)\s", sentence)
    if m:
        return sentence[: m.start()] + sentence[m.end():]
    m = re.search(r"\b(\w+)n't\b", sentence)
    if m:
        base = {"ca": "can", "wo": "will", "sha": "shall"}.get(m.group(1), m.group(1))
        return sentence[: m.start()] + base + sentence[m.end():]
    for m in re.finditer(r"\b(" + "|".join(AUXILIARIES) + r")\s+(\w+)", sentence):
        if m.group(2).lower() not in DETERMINERS and not m.group(2)[0].isdigit():
            return sentence[: m.end(1)] + " not" + sentence[m.end(1):]
    return None


def _core(sentence: str) -> str | None:
    """The sentence as an embeddable clause: attribution dropped, lower-cased start.

    Quotes, inner attributions ("..., she said, ...") and sentences opening with a
    connective ("And", "But") would make the frame ungrammatical, so they are skipped.
    """
    if '"' in sentence or re.search(r",\s+\w+\s+(?:said|says|added),", sentence):
        return None
    core = ATTRIBUTION_TAIL.sub("", sentence.rstrip(".")).strip()
    core = ATTRIBUTION_HEAD.sub("", core)
    words = core.split()
    if len(words) < 5 or words[0].lower() in {"and", "but", "or", "so", "for", "in", "yet"}:
        return None
    if words[0].lower() in FUNCTION_STARTS:
        core = core[0].lower() + core[1:]
    return core


def t_certainty(sentence: str, rng: random.Random) -> str | None:
    core = _core(sentence)
    if core is None:
        return None
    frames = [
        "It is not clear whether {}.", "It was not immediately clear whether {}.",
        "Officials denied that {}.", "There is no confirmation that {}.",
        "It remains unconfirmed that {}.", "Reports that {} were denied.",
    ]
    return rng.choice(frames).format(core)


def t_confirmed(sentence: str, rng: random.Random) -> str | None:
    core = _core(sentence)
    if core is None:
        return None
    frames = ["It has been confirmed that {}.", "Officials confirmed that {}.",
              "It is true that {}.", "Reports said that {}."]
    return rng.choice(frames).format(core)


def t_clause(sentence: str, rng: random.Random) -> str | None:
    if '"' in sentence:
        return None
    stripped = ATTRIBUTION_TAIL.sub("", sentence.rstrip(".")).strip()
    stripped = ATTRIBUTION_HEAD.sub("", stripped)
    relative = RELATIVE.search(stripped)
    cut = CLAUSE_BREAK.search(stripped)
    if relative and rng.random() < 0.5:
        stripped = stripped[: relative.start()] + " " + stripped[relative.end():]
    elif cut and len(stripped[: cut.start()].split()) >= 5:
        stripped = stripped[: cut.start()]
    if stripped.rstrip(".") == sentence.rstrip(".") or len(stripped.split()) < 5:
        return None
    return stripped[0].upper() + stripped[1:] + "."


def _rounder(value: float) -> str | None:
    """A true lower bound for ``value`` in news style, or None."""
    if value == 12 or 13 <= value <= 19:
        return "more than a dozen" if value > 12 else "a dozen"
    if value < 4:
        return None
    magnitude = 10 ** (len(str(int(value))) - 1)
    bound = (int(value) // magnitude) * magnitude
    if bound == value:
        bound -= magnitude // 2 if magnitude > 1 else 1
    if bound <= 0:
        return None
    return rng_free_phrase(bound)


def rng_free_phrase(bound: int) -> str:
    return f"more than {bound:,}" if bound >= 1000 else f"more than {bound}"


def t_rounding(sentence: str, rng: random.Random) -> str | None:
    hits = [m for m in NUMBER.finditer(sentence)
            if not YEAR.fullmatch(m.group()) and "." not in m.group()
            and not HEDGES.search(sentence[: m.start()])
            and sentence[m.end(): m.end() + 1] != "%" and not _next_to_month(sentence, m)]
    if not hits:
        return None
    m = rng.choice(hits)
    phrase = _rounder(float(m.group().replace(",", "")))
    if phrase is None:
        return None
    return sentence[: m.start()] + phrase + sentence[m.end():]


CONTRADICTIONS: dict[str, Transform] = {
    "number": t_number, "date": t_date, "place": t_place, "role": t_role,
    "outcome": t_outcome, "direction": t_direction, "negation": t_negation,
    "certainty": t_certainty,
}
ENTAILMENTS: dict[str, Transform] = {
    "clause": t_clause, "rounding": t_rounding, "confirmed": t_confirmed,
}


# Generic transforms apply to almost any sentence; weight the specific ones up so
# that every kind of contradiction claimcheck looks for is well represented.
WEIGHTS = {"negation": 1.0, "certainty": 1.0, "confirmed": 1.0}


def _apply_one(transforms: dict[str, Transform], s: str,
               rng: random.Random) -> tuple[str, str] | None:
    """Run every transform, then pick one result, weighting specific kinds up."""
    results = [(kind, h) for kind, t in transforms.items()
               if (h := t(s, rng)) and h != s]
    if not results:
        return None
    weights = [WEIGHTS.get(kind, 4.0) for kind, _ in results]
    kind, h = rng.choices(results, weights=weights)[0]
    return kind, h


ATTRIBUTIONS = [", officials said", ", police said", ", a spokesman said", ", reports said",
                ", according to a statement", ", the company said", ", sources said"]


def _changed(before: str, after: str) -> str:
    """The stretch of ``after`` that differs from ``before`` (common ends removed)."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    j = 0
    while j < min(len(before), len(after)) - i and before[-1 - j] == after[-1 - j]:
        j += 1
    return after[i: len(after) - j].strip()


def vary(premise: str, hypothesis: str, others: list[str], rng: random.Random) -> str:
    """Reword a hypothesis without changing its label: shorten, (un)attribute, extend.

    A shortened hypothesis must keep the words the transform changed, or a
    contradiction could silently become an entailment.
    """
    changed = _changed(premise, hypothesis)
    roll = rng.random()
    if roll < 0.35:
        short = t_clause(hypothesis, rng)
        if short and (not changed or changed in short) and short.rstrip(".") not in premise:
            hypothesis = short
    elif roll < 0.55:
        body = hypothesis.rstrip(".")
        if not ATTRIBUTION_TAIL.search(body) and '"' not in body:
            hypothesis = body + rng.choice(ATTRIBUTIONS) + "."
    elif roll < 0.75 and others:
        hypothesis = hypothesis + " " + rng.choice(others)
    return hypothesis


def overlap_neutral(sentence: str, others: list[str], rng: random.Random) -> str | None:
    """Most of the premise, then new information it does not support: neutral."""
    short = t_clause(sentence, rng)
    if not short or not others:
        return None
    extra = rng.choice(others)
    return f"{short} {extra}"


def _capitalised(sentence: str) -> set[str]:
    return {w for w in re.findall(r"\b[A-Z][a-z]{2,}\b", sentence[1:])}


def story_pairs(story_id: str, sentences: list[str], rng: random.Random,
                per_story: int = 12) -> list[Pair]:
    """Pairs from one story: a mix of every transform that applies to its sentences."""
    usable = [s for s in sentences if 6 <= len(s.split()) <= 45 and ":" not in s[:20]]
    pairs: list[Pair] = []
    if len(usable) < 3:
        return pairs
    for s in rng.sample(usable, min(len(usable), per_story)):
        roll = rng.random()
        others = [o for o in usable if o != s]
        if roll < 0.45:
            made = _apply_one(CONTRADICTIONS, s, rng)
            if made:
                kind, h = made
                h = vary(s, h, others, rng) if kind != "certainty" else h
                a, b = (s, h) if rng.random() < 0.75 else (h, s)  # contradiction is symmetric
                pairs.append(Pair(a, b, "contradiction", kind, story_id))
        elif roll < 0.67:
            made = _apply_one(ENTAILMENTS, s, rng)
            if made:
                h = made[1]
                if made[0] != "confirmed" and rng.random() < 0.3:
                    body = h.rstrip(".")
                    if not ATTRIBUTION_TAIL.search(body) and '"' not in body:
                        h = body + rng.choice(ATTRIBUTIONS) + "."
                pairs.append(Pair(s, h, "entailment", made[0], story_id))
        elif roll < 0.75:
            h = t_clause(s, rng) or t_rounding(s, rng)
            if h and h != s:
                pairs.append(Pair(h, s, "neutral", "reverse", story_id))
        elif roll < 0.83:
            h = overlap_neutral(s, others, rng)
            if h:
                pairs.append(Pair(s, h, "neutral", "overlap", story_id))
        else:
            names = _capitalised(s)
            sharing = [o for o in others if names & _capitalised(o)]
            other = rng.choice(sharing if sharing and rng.random() < 0.7 else others)
            pairs.append(Pair(s, other, "neutral", "other", story_id))
    return pairs


def iter_bbc(archive: Path) -> Iterator[tuple[str, str]]:
    """(story id, body text) for each story in the BBC archive; bad bytes replaced."""
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.isfile() or not member.name.endswith(".txt") or "README" in member.name:
                continue
            raw = tar.extractfile(member).read()  # type: ignore[union-attr]
            text = raw.decode("utf-8", errors="replace")
            headline, _, body = text.partition("\n")
            yield member.name.split("bbc-news/")[-1], body


def is_dev_story(story_id: str, dev_share: float = 0.1) -> bool:
    """Stable split by story: a story's pairs are all in train or all in dev."""
    digest = hashlib.sha1(story_id.encode()).digest()
    return digest[0] / 256 < dev_share


def news_pairs(archive: Path, seed: int = 13, per_story: int = 12,
               max_stories: int | None = None) -> list[Pair]:
    rng = random.Random(seed)
    out: list[Pair] = []
    for n, (story_id, body) in enumerate(iter_bbc(archive)):
        if max_stories is not None and n >= max_stories:
            break
        sentences = [s.text for s in split_sentences(body)]
        out.extend(story_pairs(story_id, sentences, rng, per_story))
    return out


def sick_pairs(path: Path) -> list[Pair]:
    """SICK pairs; the story id is the premise, so a dev split never shares a premise."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[2] in {"entailment", "neutral", "contradiction"}:
                out.append(Pair(parts[0], parts[1], parts[2], "sick", "sick:" + parts[0]))
    return out
