"""Stage 1: read a story file into a Document, refusing what is not a story.

Every refusal is an ``InputError`` whose message fits on one line, so the CLI
can print it and exit 2 without a traceback. Offsets downstream point into
``Document.text``: the file's own text for .txt/.md, the extracted text for
.html and .json.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import NamedTuple

from claimcheck.schema import Document

MAX_BYTES = 2_000_000  # a long feature is ~100 kB; anything this big is not one story
WESTERN = ("cp1252", "latin_1", "iso8859_15", "windows_1252")


class InputError(ValueError):
    """The input cannot be audited; the message says why in one line."""


def decode(raw: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """UTF-8 first; otherwise the encoding charset-normalizer detects, with a warning."""
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name} looks like a binary file, not a text story")
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    # Short texts fit many code pages; Western news that is not UTF-8 is nearly always
    # cp1252 / Latin-1, so prefer those when the detector finds them plausible.
    best = next((m for m in matches if m.encoding in WESTERN), matches[0] if matches else None)
    if best is None or best.encoding is None:
        raise InputError(f"{name} is not readable text (no character encoding fits)")
    text = str(best)
    printable = sum(ch.isprintable() or ch.isspace() for ch in text[:10000])
    if printable < 0.95 * min(len(text), 10000):
        raise InputError(f"{name} looks like a binary file, not a text story")
    return text, (f"{name} is not valid UTF-8; decoded as {best.encoding}",)


# Elements that end a paragraph: text on either side of one never joins into a sentence.
BLOCKS = ("address", "article", "blockquote", "body", "br", "caption", "dd", "details",
          "dialog", "div", "dl", "dt", "fieldset", "figcaption", "h[1-6]", "hr", "html", "li",
          "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul")
_BREAK = "\ue000"  # a private-use character marks block edges while the text is pulled out
_BLOCK_TAG = re.compile(rf"(?=</?(?:{'|'.join(BLOCKS)})[\s/>])", re.I)


def html_story(html: str) -> tuple[str, bool]:
    """(visible text of an HTML page, one block element per paragraph; whether it has
    a headline). The headline is the ``<title>``, else the first ``<h1>``, put first;
    a page with neither has none, so its first paragraph is not taken for one.

    Block edges are marked in the source before parsing (one regex pass) rather than in
    the parsed tree, whose insertions cost a scan of the siblings each.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_BLOCK_TAG.sub(_BREAK, html.replace(_BREAK, " ")), "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "aside",
                     "form", "svg", "figure", "template"]):
        tag.decompose()
    head = soup.title or soup.find("h1")
    headline = re.sub(r"[\s\ue000]+", " ", head.get_text(" ")).strip() if head else ""
    if head:
        head.decompose()
    blocks = [re.sub(r"\s+", " ", b).strip() for b in soup.get_text().split(_BREAK)]
    blocks = [b for b in blocks if b]
    if headline and blocks and blocks[0] == headline:  # an <h1> that repeats the <title>
        blocks.pop(0)
    return "\n\n".join(([headline] if headline else []) + blocks), bool(headline)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per paragraph."""
    return html_story(html)[0]


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(p|div|body|article)[\s>]", head))


_META_PATTERNS = [
    ("date", re.compile(r"\bdate[d]?\s*:?\s*(\d{4}-\d{2}-\d{2})\b", re.I)),
    ("image_credit", re.compile(r"\b(?:image|photo|picture)\s*(?:source|credit)?\s*:\s*"
                                r"([A-Z][\w&.\-]*(?:/[A-Z][\w&.\-]*)*)", re.I)),
    ("byline", re.compile(r"^\s*by\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*$", re.I)),
    ("published", re.compile(r"^\s*(?:published|updated)\s*:?\s*(.+)$", re.I)),
]


def _is_date(iso: str) -> bool:
    """A real calendar date: "date 2020-13-45" must not become the story's date."""
    try:
        datetime.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


def split_front_matter(text: str, find_headline: bool = True
                       ) -> tuple[int, str | None, dict[str, str]]:
    """(body start, headline, metadata) recognised at the top of a story.

    News exports often pack metadata and headline on one line ("date 2020-01-09
    Image Source : AP Rockets fired at ..."): metadata is cut out wherever it
    sits on the first line, and what is left is the headline when that line
    reads like one (short, no full stop, followed by more text).
    """
    metadata: dict[str, str] = {}
    pos = 0
    headline = None
    lines = text.split("\n")
    offset = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            offset += len(line) + 1
            continue
        rest = stripped
        for key, pattern in _META_PATTERNS:
            m = pattern.search(rest)
            if m and key not in metadata and (key != "date" or _is_date(m.group(1))):
                metadata[key] = m.group(1).strip()
                rest = (rest[: m.start()] + " " + rest[m.end():]).strip()
        if not rest:  # a pure metadata line
            offset += len(line) + 1
            pos = offset
            continue
        more_follows = any(x.strip() for x in lines[i + 1:])
        if (more_follows and len(rest.split()) <= 25 and not rest.endswith((".", "?", "!", '"'))
                and headline is None and find_headline):
            headline = rest
            offset += len(line) + 1
            pos = offset
            continue
        break
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos, headline, metadata


# "LONDON, 3 March 2025 -", "WASHINGTON (Reuters) March 3, 2025 -": a wire dateline.
DATELINE = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,40}(?:\([^)]{1,30}\))?,?\s+(?P<date>\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+"
    r"\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})\s*(?:[-–—:]|$)")


def story_date(text: str, body_start: int, metadata: dict[str, str]) -> str | None:
    """The story's own date (ISO), from a ``date`` line, a ``published`` line or a
    dateline; None when the story does not say. Dates and weekdays are resolved against
    it, never against the day claimcheck runs."""
    if "date" in metadata:
        return metadata["date"]
    m = DATELINE.match(text[body_start: body_start + 120])
    found = m.group("date") if m else metadata.get("published")
    if not found:
        return None
    import dateparser

    parsed = dateparser.parse(found, languages=["en"],
                              settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date().isoformat() if parsed else None


def make_document(text: str, source: str = "<text>", warnings: tuple[str, ...] = (),
                  find_headline: bool = True) -> Document:
    """``find_headline=False`` when the source says there is none (HTML with no
    ``<title>`` or ``<h1>``): a short first paragraph is then body, not a headline."""
    if not text.strip():
        raise InputError(f"{source} is empty")
    body_start, headline, metadata = split_front_matter(text, find_headline)
    date = story_date(text, body_start, metadata)
    if date:
        metadata["date"] = date
    if not text[body_start:].strip():  # a one-line story: no body besides the headline
        body_start, headline = 0, None
    return Document(source, text, body_start, headline, metadata, warnings)


class Story(NamedTuple):
    """A story file's text (decoded, HTML/JSON extracted), warnings, and whether a
    headline may be looked for at its top (not in HTML that has none)."""

    text: str
    warnings: tuple[str, ...]
    find_headline: bool = True


def load_text(path: str | Path, max_bytes: int = MAX_BYTES) -> tuple[str, tuple[str, ...]]:
    """The story text of ``path`` (decoded, HTML/JSON extracted) and any warnings."""
    story = load_story(path, max_bytes)
    return story.text, story.warnings


def load_story(path: str | Path, max_bytes: int = MAX_BYTES) -> Story:
    """Read ``path`` as a ``Story``; raise InputError with a one-line reason otherwise."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"no such file: {name}")
    if p.is_dir():
        raise InputError(f"{name} is a directory; audit takes one story (use `claimcheck batch`)")
    if not p.is_file():
        raise InputError(f"{name} is not a regular file")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(f"{name} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                         "for one story (raise it with --max-bytes)")
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {name}: {err.strerror or err}") from err
    if not raw.strip():
        raise InputError(f"{name} is empty")
    text, warnings = decode(raw, name)
    suffix = p.suffix.lower()
    if suffix == ".json":
        return Story(_json_text(text, name), warnings)
    if suffix in {".html", ".htm"} or looks_like_html(text):
        body, has_headline = html_story(text)
        return Story(body, warnings, has_headline)
    return Story(text, warnings)


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read ``path`` as a story; raise InputError with a one-line reason otherwise."""
    story = load_story(path, max_bytes)
    return make_document(story.text, str(path), story.warnings, story.find_headline)


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_text(text: str, name: str) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{name} is not valid JSON (line {err.lineno}: {err.msg})") from err
    except (ValueError, RecursionError) as err:  # a 5,000-digit number, lists nested 10^5 deep
        raise InputError(f"{name} is not JSON claimcheck can read ({err})") from err
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError(f"{name} has no string \"text\" field")
    head = [data[k] for k in ("date",) if isinstance(data.get(k), str)]
    title = data.get("headline") or data.get("title")
    parts = [f"date {head[0]}"] if head else []
    if isinstance(title, str) and title.strip():
        parts.append(title.strip())
    text = "\n".join(parts + ["", data["text"]]) if parts else data["text"]
    return LONE_SURROGATE.sub("\ufffd", text)  # "\ud800" escapes decode to unwritable text
