"""Words and patterns the rules read, in one place and compiled once.

The stages that follow (claims, values, evidence, pairing, flags) decide; this module
only says which words mean what. To teach claimcheck a new update marker, facility or
hearsay word, edit a list here, not the code that uses it.
"""

from __future__ import annotations

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
SCHEDULED = re.compile(r"\b(?:will|would|shall|due|expected|set to|is to|are to|plans?|"
                       r"next|scheduled|adjourned|postponed)\b|\b(?:from|until|till|by)\s+$",
                       re.I)
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
