"""The HTML report and the batch dashboard: rendering, escaping, and behaviour in a real
headless Chromium driven by Selenium, loaded from file:// with no network.

Most tests build a report by hand (real claim extraction, hand-made flags) so they run
without the model; the few that audit with the real model are marked slow.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import pytest
import tomllib

from claimcheck.claims import extract_claims
from claimcheck.dashboard import write_dashboard
from claimcheck.ingest import make_document
from claimcheck.render_html import (
    FALLBACK_COLOURS,
    KIND_COLOURS,
    SCORE_BANDS,
    kind_style,
    text_blocks,
    to_html,
)
from claimcheck.report import document_score
from claimcheck.schema import Flag, NLIScores, Report
from claimcheck.sentences import document_sentences
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "data" / "eval"
FILLER = ("The harbour has been a working port since the nineteenth century and its quays "
          "are lined with warehouses, cranes and the offices of shipping agents. ")

STORY = (
    "Depot fire on the quay, no injuries\n\n"
    "A fire broke out at a fuel depot on the quay on Tuesday night. "
    "No one was injured in the fire, the port authority said.\n\n"
    "<script>window.__pwned = 1;</script> Neighbours said smoke & ash <b>drifted</b> over "
    "the old town. <img src=x onerror=\"window.__pwned = 2\">\n\n"
    + "".join(f"{FILLER * 3}\n\n" for _ in range(10))
    + "Two workers were taken to hospital with burns, according to the ambulance service. "
    "The council confirmed that the depot was closed. It was not immediately clear whether "
    "the depot was closed.\n"
)


def claim_with(claims, phrase):
    return next(c for c in claims if phrase in c.text)


def make_report(text: str = STORY, kinds=("numeric", "brand_new_kind", "sourcing")) -> Report:
    """Real claims of the text, with three hand-made flags: the second shares a claim with
    the first (overlapping highlights) and has a kind no palette knows."""
    doc = make_document(text, "synthetic.txt")
    claims = extract_claims(doc, document_sentences(doc))
    pairs = [("No one was injured", "Two workers"), ("A fire broke out", "Two workers"),
             ("council confirmed", "not immediately clear")]
    flags = []
    for kind, (pa, pb), sev in zip(kinds, pairs, (0.72, 0.5, 0.35), strict=True):
        a, b = claim_with(claims, pa), claim_with(claims, pb)
        flags.append(Flag(kind=kind, severity=sev, claims=(a.id, b.id),
                          spans=((a.start, a.end), (b.start, b.end)),
                          explanation=f"{kind}: '{pa}' against '{pb}'",
                          nli=NLIScores(0.02, 0.18, 0.8), same_event=True,
                          highlights=((b.start, b.start + 11),)))
    return Report(source="synthetic.txt", score=document_score(flags), document=doc,
                  claims=claims, flags=flags, pairs_total=12, pairs_scored=3,
                  model="claimcheck-nli-minilm")


# --- rendering, no browser ------------------------------------------------------------


def luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i: i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_pass_wcag_aa():
    """White labels on kind and score colours, dark and muted text on tints: all >= 4.5."""
    for strong, tint in [*KIND_COLOURS.values(), FALLBACK_COLOURS]:
        assert contrast("#ffffff", strong) >= 4.5, strong
        assert contrast("#1a1d21", tint) >= 4.5, tint
        assert contrast("#4d545c", tint) >= 4.5, tint  # the A/B caption of a quote
    for _, _, colour in SCORE_BANDS:
        assert contrast("#ffffff", colour) >= 4.5, colour
    assert contrast("#4d545c", "#ffffff") >= 4.5 and contrast("#4d545c", "#f5f6f8") >= 4.5


def test_unknown_kind_gets_fallback_colour_and_its_label():
    style = kind_style("sources_disagree_later")
    assert (style["strong"], style["tint"]) == FALLBACK_COLOURS
    assert style["label"] == "sources disagree later"
    html = to_html(make_report())
    assert "brand new kind" in html


def test_segments_rebuild_the_text_and_the_flag_spans():
    report = make_report()
    text = report.document.text
    flags = [f.as_dict() for f in report.flags]
    blocks = text_blocks(text, [{"id": c.id, "start": c.start, "end": c.end}
                                for c in report.claims], flags)
    segments = [s for b in blocks for s in b.segments]
    assert "".join(s.text for s in segments) == text
    for n, f in enumerate(flags, 1):
        for side, (a, b) in zip("ab", f["spans"], strict=True):
            pieces = [s for s in segments if f"{n}{side}" in s.marks]
            assert (pieces[0].start, pieces[-1].end) == (a, b)
            assert "".join(p.text for p in pieces) == text[a:b]


def test_story_text_is_escaped_and_header_complete():
    html = to_html(make_report())
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned" in html and "smoke &amp; ash" in html
    assert "claimcheck-nli-minilm" in html and 'class="run-date"' in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch


def test_story_without_flags_says_so():
    doc = make_document("Museum reopens\n\nThe museum reopened on Saturday after a refit.\n")
    claims = extract_claims(doc, document_sentences(doc))
    html = to_html(Report(source="m.txt", score=1.0, document=doc, claims=claims, flags=[],
                          model="claimcheck-nli-minilm"))
    assert "No flags." in html and "no flags" in html and "<mark" not in html


def test_templates_ship_in_the_package():
    templates = files("claimcheck") / "templates"
    for name in ("story.html.j2", "dashboard.html.j2", "story.js", "dashboard.js"):
        assert (templates / name).is_file(), name
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "templates/*" in pyproject["tool"]["setuptools"]["package-data"]["claimcheck"]


# --- a small batch, no model: rows as `claimcheck batch` writes them ------------------


@pytest.fixture(scope="module")
def batch_rows(tmp_path_factory):
    """A folder of five stories in two sections (one unreadable) and rows for them."""
    folder = tmp_path_factory.mktemp("batch") / "stories"
    (folder / "sport").mkdir(parents=True)
    (folder / "synthetic.txt").write_text(STORY, encoding="utf-8")
    for name in ("01_bus_fire.txt", "16_dozen_trap.txt"):
        shutil.copy(EVAL / name, folder / name)
    shutil.copy(EVAL / "21_sport_consistent.txt", folder / "sport" / "21.txt")
    (folder / "sport" / "empty.txt").write_text("")
    rows = []
    for path in sorted(p for p in folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not text:
            rows.append({"path": str(path), "score": None, "claims": 0, "pairs_scored": 0,
                         "pairs_total": 0, "flags": [], "flag_kinds": {},
                         "error": f"{path} is empty"})
            continue
        flags = make_report(text).flags if path.name == "synthetic.txt" else []
        rows.append({"path": str(path), "score": round(document_score(flags), 4), "claims": 5,
                     "pairs_scored": 3, "pairs_total": 10, "flags": [f.as_dict() for f in flags],
                     "flag_kinds": {f.kind: 1 for f in flags}, "error": None})
    return folder, rows


@pytest.fixture(scope="module")
def dashboard(batch_rows, tmp_path_factory):
    folder, rows = batch_rows
    return write_dashboard(rows, tmp_path_factory.mktemp("out") / "dashboard.html", folder)


def test_dashboard_links_a_report_per_readable_story(dashboard):
    html = dashboard.read_text(encoding="utf-8")
    pages = sorted(p.relative_to(dashboard.parent).as_posix()
                   for p in dashboard.parent.rglob("*.txt.html"))
    assert pages == ["dashboard_stories/01_bus_fire.txt.html",
                     "dashboard_stories/16_dozen_trap.txt.html",
                     "dashboard_stories/sport/21.txt.html",
                     "dashboard_stories/synthetic.txt.html"]
    for page in pages:
        assert f'href="{page}"' in html
    assert "is empty" in html and "&lt;script&gt;" not in html  # only paths and explanations
    story = (dashboard.parent / pages[-1]).read_text(encoding="utf-8")
    assert 'href="../dashboard.html"' in story and "&lt;script&gt;window.__pwned" in story
    assert 'href="../../dashboard.html"' in (dashboard.parent / pages[2]).read_text()


def test_batch_report_must_be_html(monkeypatch, capsys, tmp_path):
    code, _, err = run_cli(monkeypatch, capsys, "batch", EVAL, "--out", tmp_path / "r.jsonl",
                           "--report", tmp_path / "dash.txt")
    assert code == 2 and ".html" in err


# --- in the browser -------------------------------------------------------------------


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() or not CHROMEDRIVER:
        pytest.skip("headless Chromium is not installed (apt-get install chromium "
                    "chromium-driver); the browser tests need it")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="claimcheck-chromium-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1100,700",
                f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # Instant scrolls: a smooth scroll in headless Chromium on a busy 2-core CI
    # machine once took longer than the wait below (CI failure at session 14's end).
    # It also exercises the page's reduced-motion path, which users may turn on.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def load(driver, path: Path) -> list[str]:
    """Open ``path`` from file:// and return every URL the page requested."""
    driver.get("about:blank")
    driver.get_log("performance")  # drop what came before this page
    driver.get(path.as_uri())
    deadline = time.time() + 10
    while driver.execute_script("return document.readyState") != "complete":
        assert time.time() < deadline, "page did not finish loading"
        time.sleep(0.05)
    time.sleep(0.2)  # let late requests (fonts, images) show up in the log
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
        elif msg["method"] == "Network.webSocketCreated":
            urls.append(msg["params"]["url"])
    return urls


def assert_offline(driver, urls: list[str], page: Path) -> None:
    assert page.as_uri() in urls, "the network log saw nothing: is logging on?"
    assert all(u.split(":", 1)[0] in ("file", "data", "blob", "about") for u in urls), urls
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(("file:", "data:", "blob:")) for u in resources), resources
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors  # a CSP violation (a blocked fetch) would show here


def in_view(driver, el) -> bool:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;", el)


def wait_for(condition, timeout: float = 15.0) -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, "timed out"
        time.sleep(0.05)


def spans_on_page(driver) -> dict[str, tuple[int, int, str]]:
    """Each highlighted flag span on the page: "1a" -> (start, end, its text)."""
    marks = driver.execute_script(
        "return Array.from(document.querySelectorAll('mark[data-flags]')).map(m =>"
        " [m.dataset.flags, +m.dataset.start, +m.dataset.end, m.textContent])")
    spans: dict[str, list] = {}
    for tags, start, end, text in marks:
        for tag in tags.split():
            span = spans.setdefault(tag, [start, end, ""])
            assert span[1] == start or span[2] == "", f"span {tag} has a gap"
            span[1], span[2] = end, span[2] + text
    return {k: tuple(v) for k, v in spans.items()}


def check_spans_match_json(driver, report_json: dict, text: str) -> None:
    spans = spans_on_page(driver)
    expected = {f"{n}{side}": (a, b, text[a:b])
                for n, f in enumerate(report_json["flags"], 1)
                for side, (a, b) in zip("ab", f["spans"], strict=True)}
    assert spans == expected
    assert driver.find_element("id", "story-text").get_attribute("textContent") == text
    kinds = [el.get_attribute("data-kind") for el in driver.find_elements("css selector", ".flag")]
    assert kinds == [f["kind"] for f in report_json["flags"]]


@pytest.fixture(scope="module")
def story_page(tmp_path_factory):
    report = make_report()
    page = tmp_path_factory.mktemp("story") / "report.html"
    page.write_text(to_html(report), encoding="utf-8")
    return page, report


def test_story_page_offline_escaped_and_spans_match_json(browser, story_page):
    page, report = story_page
    urls = load(browser, page)
    assert_offline(browser, urls, page)
    assert browser.execute_script("return window.__pwned") is None  # the story's script
    assert "<script>window.__pwned = 1;</script>" in browser.find_element(
        "id", "story-text").text
    check_spans_match_json(browser, json.loads(json.dumps(report.as_dict())),
                           report.document.text)
    labels = [el.text for el in browser.find_elements("css selector", ".flag .kind-label")]
    assert labels == ["1 · numeric", "2 · brand new kind", "3 · sourcing"]


def test_clicking_a_flag_and_a_span_moves_the_view(browser, story_page):
    page, _ = story_page
    load(browser, page)
    assert browser.execute_script(  # scrolls are instant (see the browser fixture)
        "return matchMedia('(prefers-reduced-motion: reduce)').matches")
    first_b = browser.find_element("css selector", "mark[data-flags~='1b']")
    assert not in_view(browser, first_b)  # far down the story
    browser.find_element("css selector", "#flag-1 .quote[data-go='1:b']").click()
    wait_for(lambda: in_view(browser, first_b))
    assert browser.switch_to.active_element == first_b
    assert "current" in browser.find_element("id", "flag-1").get_attribute("class")

    # a click on a highlight goes to the other span of its flag, and pulses it
    span_a = browser.find_element("css selector", "mark[data-flags~='1a']")
    assert not in_view(browser, span_a)
    first_b.click()
    wait_for(lambda: in_view(browser, span_a))
    assert "pulse" in span_a.get_attribute("class")

    # the panel's flag button goes to the flag's first span; so does the key j
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    span_3a = browser.find_element("css selector", "mark[data-flags~='3a']")
    browser.execute_script("window.scrollTo(0, 0)")
    assert not in_view(browser, span_3a)
    browser.find_element("css selector", "#flag-3 .flag-head").click()
    wait_for(lambda: in_view(browser, span_3a))


def test_keyboard_moves_through_the_flags(browser, story_page):
    from selenium.webdriver.common.keys import Keys

    page, _ = story_page
    load(browser, page)
    body = browser.find_element("tag name", "body")
    body.send_keys("j")
    span_1a = browser.find_element("css selector", "mark[data-flags~='1a']")
    wait_for(lambda: browser.switch_to.active_element == span_1a)
    span_1a.send_keys(Keys.ENTER)  # Enter on a highlight: its other sentence
    span_1b = browser.find_element("css selector", "mark[data-flags~='1b']")
    wait_for(lambda: browser.switch_to.active_element == span_1b and in_view(browser, span_1b))
    browser.switch_to.active_element.send_keys("j")
    wait_for(lambda: "2a" in browser.switch_to.active_element.get_attribute("data-flags"))


def test_claims_show_source_and_certainty(browser, story_page):
    from selenium.webdriver.common.action_chains import ActionChains

    page, report = story_page
    load(browser, page)
    confirmed = claim_with(report.claims, "council confirmed")
    el = browser.find_element("css selector", f".claim[data-claim='{confirmed.id}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    ActionChains(browser).move_to_element(el).perform()
    card = browser.find_element("id", "card")
    wait_for(card.is_displayed)
    assert confirmed.certainty in card.text and confirmed.id in card.text
    after = "return getComputedStyle(arguments[0], '::after').content"
    assert browser.execute_script(after, el) in ("none", "normal")
    browser.find_element("id", "show-sources").click()  # the inline toggle
    assert confirmed.certainty in browser.execute_script(after, el)


def test_dashboard_offline_charts_sort_and_filter(browser, dashboard, batch_rows):
    urls = load(browser, dashboard)
    assert_offline(browser, urls, dashboard)
    charts = browser.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => {"
        " const s = d.querySelector('svg.main-svg'); if (!s) return [d.id, 0, 0];"
        " const r = s.getBoundingClientRect(); return [d.id, r.width, r.height]; })")
    assert [c[0] for c in charts] == ["chart-scores", "chart-kinds", "chart-sections"]
    assert all(w > 100 and h > 100 for _, w, h in charts), charts
    assert browser.find_elements("css selector", "#chart-kinds .bars path")  # bars drawn

    def scores() -> list[float | None]:
        return [float(s) if s else None for s in browser.execute_script(
            "return Array.from(document.querySelectorAll('#stories tbody tr'))"
            ".filter(r => !r.hidden).map(r => r.dataset.score)")]

    header = browser.find_element("css selector", "th[data-key='score'] button")
    header.click()
    got = scores()
    assert got[:-1] == sorted(got[:-1], reverse=True) and got[-1] is None  # blanks last
    assert browser.find_element("css selector", "th[data-key='score']").get_attribute(
        "aria-sort") == "descending"
    header.click()
    got = scores()
    assert got[:-1] == sorted(got[:-1]) and len(got) == len(batch_rows[1])

    browser.find_element("id", "flagged").click()
    assert len(scores()) == 1
    assert browser.find_element("id", "count").text == "1 of 5 stories"

    link = browser.find_element("css selector", "#stories tbody tr:not([hidden]) td.path a")
    link.click()
    wait_for(lambda: browser.current_url.endswith("synthetic.txt.html"))
    assert len(browser.find_elements("css selector", ".flag")) == 3


# --- with the real model --------------------------------------------------------------


@pytest.mark.slow
def test_cli_html_of_the_seed_story_matches_its_json(browser, monkeypatch, capsys, tmp_path,
                                                     seed_text):
    story = tmp_path / "story.txt"
    story.write_text(seed_text, encoding="utf-8")
    code, out, _ = run_cli(monkeypatch, capsys, "audit", story, "--format", "json")
    assert code == 1
    report_json = json.loads(out)
    page = tmp_path / "story.html"
    code, out, _ = run_cli(monkeypatch, capsys, "audit", story, "-f", "html", "-o", page)
    assert code == 1 and out == ""
    assert_offline(browser, load(browser, page), page)
    check_spans_match_json(browser, report_json, seed_text)


@pytest.mark.slow
def test_batch_cli_writes_a_dashboard(browser, monkeypatch, capsys, tmp_path):
    folder = tmp_path / "stories"
    (folder / "sub").mkdir(parents=True)
    for name in ("01_bus_fire.txt", "08_mayor_negation.txt", "16_dozen_trap.txt"):
        shutil.copy(EVAL / name, folder / name)
    shutil.copy(EVAL / "21_sport_consistent.txt", folder / "sub" / "21.txt")
    out, dash = tmp_path / "results.jsonl", tmp_path / "report" / "dashboard.html"
    code, _, err = run_cli(monkeypatch, capsys, "batch", folder, "--out", out, "--report", dash,
                           "--no-progress")
    assert code == 0 and "dashboard" in err
    rows = {Path(r["path"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    load(browser, dash)
    assert len(browser.find_elements("css selector", "#stories tbody tr")) == 4
    page = dash.parent / "dashboard_stories" / "01_bus_fire.txt.html"
    assert_offline(browser, load(browser, page), page)
    text = (folder / "01_bus_fire.txt").read_text(encoding="utf-8")
    check_spans_match_json(browser, rows["01_bus_fire.txt"], text)
