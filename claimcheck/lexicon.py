"""Words and patterns the rules read, in one place and compiled once.

The stages that follow (claims, values, evidence, pairing, flags) decide; this module
only says which words mean what. Sections follow the stage that reads them: shared
vocabularies, claim-pair evidence, pairing frames, sourcing, skipped lines, then the
typed values (quantities, dates, people and places) and the claims' attribution. To
teach claimcheck a new update marker, facility or hearsay word, edit a list here, not
the code that uses it.
"""

from __future__ import annotations

import math
import re

# --- shared vocabularies ----------------------------------------------------------------

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "Jan", "Jan.", "Sept" ... as one regex fragment
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
MONTH_WORD = re.compile(r"\b(?:" + "|".join(MONTH_NAMES) + r")\b")

STOPWORDS = frozenset({
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its",
    "this", "that", "these", "those", "there", "their", "they", "he", "she", "his", "her",
    "we", "our", "you", "your", "not", "no", "said", "says", "will", "would", "could",
    "should", "may", "might", "can", "also", "after", "before", "over", "more", "than",
    "about", "into", "out", "up", "down", "who", "which", "what", "when", "where", "while",
    "just", "only", "other", "some", "any", "all", "most", "one", "two", "new", "first",
    "last", "year", "years", "time", "people",
})

# --- claim-pair evidence (evidence.py) ----------------------------------------------------

# Two sources giving their own figure: "estimated", "put the toll at".
ESTIMATE = re.compile(r"\b(?:estimat\w*|put the (?:figure|number|toll)|reckon\w*|"
                      r"claimed|believed)\b", re.I)
# A figure that says it replaced an earlier one: an update, not a contradiction.
UPDATE = re.compile(r"\b(?:initially|at first|originally|since risen|ha[sd] risen|have risen|"
                    r"rose to|risen to|climbed to|revised|updated|now stands|now at|so far|"
                    r"has since|had since|first reported|earlier figure|earlier estimate)\b"
                    r"|^(?:later|earlier)\b|\b(?:later|earlier)\s+(?:rose|risen|climbed|"
                    r"increased|revised|updated|reports?|figures?)\b", re.I)
# "the attack", "the match": a definite event noun that refers back to the story's event.
SAME_EVENT = re.compile(r"\bthe\s+(?:attack|blast|explosion|incident|strike|crash|fire|"
                        r"shooting|raid|match|game|vote|meeting|deal)\b", re.I)
# "the 420 homes", "all fifteen passengers": a count that refers back to one already given.
REFERENTIAL = re.compile(r"\b(?:the|all|all the|those|these|all of the)\s+$", re.I)
# ... unless what follows the counted noun narrows it to a new set: "the nine people
# charged", "the 31 seats needed", "the 19 schools below the mark", "the 14 seats where".
RESTRICTED_COUNT = re.compile(
    r"^\S+\s+[\w-]+\s+(?!during\b)(?:[a-z]+ed|[a-z]+ing|below|above|across|where|whose|"
    r"outside|within)\b|^\S+\s+[\w-]+ly\b")  # or an adverb: "the three seriously injured"
# Counts of whom or of how long, where "the" seldom points back to one figure: "all 187
# people on board" against "six people were treated", "the three months to September".
LOOSE_UNITS = frozenset({"people", "person", "men", "women", "children", "minute", "hour",
                         "day", "week", "month", "year", "time"})
# "two decades ago": when, not how much; against a span or a count ("over the three
# decades") it is no conflict of counts
AGO = re.compile(r"\s+ago\b", re.I)
# A part taken from a whole, "three of the victims", "£15,000 of it", and the whole it is
# taken from, "19 of the 60 seats", "Of the county's 212 schools": the two are different
# sets, so neither conflicts with the other count.
PART_OF = re.compile(r"^\s*(?:of|out of)\s+(?:the|them|it|its|their|those|these|whom|which|"
                     r"all|us)\b", re.I)
WHOLE_OF = re.compile(
    r"(?:^|[,;:(]\s*|\b(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|some|"
    r"most|many|several|half|none|each|both|any|few)\s+)(?:of|out of)\s+"
    r"(?:the|its|their|his|her)\s+(?:[\w-]+'s\s+)?$", re.I)
FACILITIES = ("warehouse|museum|factory|plant|school|hospital|station|airport|office|shop|store|"
              "stadium|bridge|prison|court|church|mosque|temple|hotel|club|base|centre|center|"
              "port|mine|farm|library|university|college|site|depot|mill|theatre|gallery|zoo")
LOCATED = re.compile(rf"\b(?P<noun>{FACILITIES})\s+(?:in|at)\s+(?:the\s+)?"
                     rf"(?P<place>[A-Z][a-z]+)|\b(?i:the|an?)\s+(?P<place2>[A-Z][a-z]+)\s+"
                     rf"(?P<noun2>{FACILITIES})\b")
# Words skipped when finding what an outcome or trend is said of, or the word a year dates.
AUXILIARY = frozenset({"had", "has", "have", "was", "were", "will", "be", "been", "is", "are",
                       "would", "could", "to", "not", "also", "sharply", "slightly", "strongly"})
ANCHOR_SKIP = STOPWORDS | {"since", "until", "till", "early", "late", "mid", "during", "between",
                           "spring", "summer", "autumn", "winter"}
# A date that says when someone spoke ("the fire service said on Wednesday", "in a
# statement issued on Tuesday") is not the date of the event spoken of.
SPOKEN_ON = re.compile(r"\b(?:said|says|told|tells|announced|confirmed|stated|added|warned|"
                       r"reported|claimed|insisted|commented|spoke|speaking|statement|"
                       r"interview|briefing)(?:\s+[\w-]+){0,2}?\s+(?:on|late on|early on|"
                       r"last)\s+$", re.I)
# A date in a plan or schedule ("will next appear on Friday", "adjourned until Monday",
# "talks are expected to begin on Monday") is a different moment from one in the past.
# Read in the clause before the date; the prepositions only right before it.
# News gives a fixture in the present tense too: "the exhibition opens on Monday", "Ashby
# travel to Mersham on Tuesday", "City host Rovers on Saturday".
SCHEDULED = re.compile(r"\b(?:will|would|shall|due|expected|set to|is to|are to|plans?|"
                       r"next|scheduled|adjourned|postponed|opens|reopens|closes|starts|"
                       r"begins|resumes|travels?|hosts?|faces?|visits?|goes on sale|"
                       r"go on sale|kicks? off)\b|\b(?:from|until|till|by)\s+$",
                       re.I)
# A clause that is only a preposition before the date: the plan is in the clause before
# ("at its next meeting, on Thursday 13 March")
BARE_PREPOSITION = re.compile(r"\s*(?:on|in|at)?\s*", re.I)
# A date a claim measures from ("the largest find since 1998") is a reference point, not
# the day of the event it reports
SINCE = re.compile(r"\bsince\s+$", re.I)
POSSESSOR = re.compile(r"([A-Z][\w]+)(?:'s|')\s+$")
FIGURE_BEFORE = re.compile(r"(\d[\d.,]*%)\s*$")
FIGURE_AFTER = re.compile(r"\s+by\s+(\d[\d.,]*%)")
OF_WHAT = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
# Capitalised words that do not name a team or a person: sentence openers and titles
# ("But victory ...", "Mr Glazer ..."); the first other capitalised word is the name.
NOT_A_NAME = STOPWORDS | frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "prof", "however", "meanwhile",
    "if", "although", "though", "despite", "since", "because", "yet", "so", "now", "then",
    "i", "him", "them", "us",
})

# --- pairing frames (evidence.typed_keys) ----------------------------------------------

# Claims about one of these questions are paired even when they share few words: a planted
# contradiction often answers the same question in other words ("he was pronounced dead" /
# "Mr Osei remains in hospital"; "acted entirely on his own" / "a second man waiting on a
# moped"). A frame only pairs claims; the model decides whether they conflict.
FRAMES = {
    # is someone dead, hurt or unharmed
    "fate": re.compile(
        r"\b(?:dead|died|dies|killed|death|bod(?:y|ies)|signs of life|fatal(?:ly)?|survived|"
        r"survivors?|alive|(?:in|from|to) hospital|hospitali[sz]ed|(?:stable|critical|serious)"
        r" condition|discharged|recovering|injur(?:ed|ies|y)|hurt|casualt(?:y|ies)|unharmed|"
        r"unhurt)\b", re.I),
    # what a court decided
    "verdict": re.compile(
        r"\b(?:guilty|convicted|conviction|acquitted|acquittal|cleared|verdict|sentenced|"
        r"jailed)\b", re.I),
    # what a council, board or vote decided
    "decision": re.compile(
        r"\b(?:approv(?:e|ed|al)|reject(?:ed|ion)?|refus(?:ed|al)|turned down|granted|"
        r"blocked|voted|backed)\b", re.I),
    # how many did it
    "accomplices": re.compile(
        r"\b(?:alone|on (?:his|her|their) own|lone|single-handed(?:ly)?|accomplices?|"
        r"second (?:man|woman|attacker|gunman|suspect|robber|raider|person)|"
        r"(?:two|three|four) (?:men|robbers|attackers|gunmen|raiders|suspects))\b", re.I),
    # has it happened before
    "precedent": re.compile(
        r"\b(?:for the first time|first time|first[- ]ever|never before|had never|has never|"
        r"the first \w+ (?:in|since)|last time|(?:last|previously) (?:went|happened|did|"
        r"occurred|had|stopped|closed))\b", re.I),
}

# --- sourcing and speakers ---------------------------------------------------------------

# Hearsay: a report of reports, which a denial nearby does put in tension.
HEARSAY = re.compile(r"\breports?\b|\bmedia\b|\brumou?rs?\b", re.I)
# "a security source" (an informant) against "the source of the rockets" (an origin).
INFORMANT = re.compile(r"\b(?:a|the)\s+(?:\w+\s+)?source\b(?!\s+of)|\bsources\b", re.I)
ORIGIN = re.compile(r"\bsource\s+of\s+(?:the\s+)?(\w+)", re.I)
# A speaker talking about themselves: quotes and reader comments.
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|my|me|we|we're|we've|our|us)\b")
# Sources that name no one in particular: they cannot tell two speakers apart.
VAGUE_SOURCES = frozenset({"he", "she", "they", "it", "officials", "sources", "reports"})


# --- lines that assert nothing (claims.skip_reason) -------------------------------------

# "Sunderland v Crystal Palace": a fixture line
FIXTURE = re.compile(r"^\W*[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*){0,3}\s+(?:v|vs)\.?\s+"
                     r"[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*){0,3}\W*$")
# a roster, line-up or results list: names in commas, or after a label ("Subs not used:")
LIST_LABEL = re.compile(r"^\W*(?:[A-Z][\w'&-]*\s*){1,4}:\s")
# lower-case words that still occur in a list of names: "Peter Gray, 43, of Leeds"
LIST_GLUE = frozenset({"of", "and", "capt", "captain", "de", "van", "der", "du", "da", "von",
                       "le", "la", "y"})
LIST_MAX_LOWER = 0.1  # share of other lower-case words a list may have

# "denied" that deprives rather than disputes: "an injury denied Luscombe a start", "he has
# been denied defector status" (claims.attribution does not read these as denials)
DEPRIVED = re.compile(r"\b(?:(?:been|was|were|is|are|be|being)\s+denied\b|"
                      r"(?:denied|denies|deny)\s+(?:[A-Z][\w'-]+|him|her|them|us|me|it)\s+"
                      r"(?:the|a|an|his|her|their|its|any|access|entry|permission)\b)")


# --- quantities (values.quantities) ------------------------------------------------------

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
# words that cannot be what a number counts ("12 of the", "80 were"): the unit stops there
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
CLOCK_AHEAD = re.compile(r"\d{1,2}:\d\d")  # "10:30": a clock time, not a count
# "14 July", "3rd March": the day of a date, not a count of Julys
MONTH_AFTER = re.compile(rf"\s*(?:st|nd|rd|th)?\s+{MONTH}(?:\s|$|[,.])")
# "his 93rd birthday", "aged 91": ordinals and ages count nothing
ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
AGED_BEFORE = re.compile(r"\b(?:aged|age of|ages of)\s+$")

# which casualties a count near these words is of (values._measure)
DEAD = re.compile(r"\b(death|deaths|dead|died|killed|killing|fatalit\w*)\b", re.I)
INJURED = re.compile(r"\b(injur\w*|wounded|hurt|hospital\w*|burns)\b", re.I)


# --- dates, weekdays and times (values.dates) --------------------------------------------

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


# --- places, people and roles, outcomes and directions (values.entities) -----------------

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
# ... and "Dr Rao, who was the trust's medical director before taking the top job" ("who
# was appointed director" is a present role)
PAST_ROLE = re.compile(r"\b(?:former|ex|then|previous|outgoing|acting|interim|late)\b|"
                       r"\bwho\s+(?:was|had\s+been)\s+(?!appointed\b|named\b|elected\b|"
                       r"made\b|promoted\b)", re.I)
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


# --- claims and their attribution (claims.py) --------------------------------------------

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
# the separator a split part starts after: ", but", "; ", ", "
PART_SEPARATOR = re.compile(r"[,;]\s+(?:but\s+|while\s+|whereas\s+|and\s+)?")
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
# Who says it, at the start or the end of a claim ("Detectives said ...", "..., police
# said."): words about the speaker, not the subject (evidence.topic_stems). Plain verbs of
# saying only, not SAY: "The closure was confirmed by the owners" is about the closure
SAID_LEAD = re.compile(r"^\W*(?:[\w'.-]+\s+){0,4}?(?:said|says|told\s+\w+|added|stated)\b")
SAID_TAIL = re.compile(r",\s*(?:(?:[\w'.-]+\s+){1,4}(?:said|says|added)|(?:said|says|added)"
                       r"(?:\s+[\w'.-]+){1,4})\W*$")
# ("a species previously unknown to science" is news, not doubt)
UNCLEAR = re.compile(r"\b(?:not\s+(?:immediately\s+|yet\s+|entirely\s+)?(?:been\s+)?(?:clear|"
                     r"known|confirmed|verified|established|determined)|unclear|unconfirmed|"
                     r"(?<!previously\s)(?<!hitherto\s)unknown(?!\s+to\s+science)|"
                     r"could\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)|"
                     r"remains?\s+to\s+be\s+seen|no\s+(?:final\s+)?decision\s+(?:has|had)\s+"
                     r"(?:yet\s+)?been\s+(?:made|taken))\b", re.I)
DENIED = re.compile(r"\b(?:denied|denies|deny|rejected\s+(?:claims|reports))\b", re.I)
BELIEVED = re.compile(r"\b(?:believed|believes|allegedly|alleged|suspected|reportedly|thought\s+"
                      r"to|likely|possibly|may\s+have|might\s+have)\b", re.I)
CONFIRMED = re.compile(r"\b(?:confirmed|confirms|verified)\b", re.I)
DOUBTED = ("unclear", "denied")  # certainties that put a fact in doubt


PRONOUN_SOURCES = {"he", "she", "they", "it"}
