"""Page weight and browser load time of the HTML report and the batch dashboard.

    python bench/html_pages.py [--stories 2225] [--results rows.jsonl] [--shots]

Extracts a fixed sample of the BBC archive (every k-th story of the sorted archive, so
every section is represented; all 2,225 by default) into a temporary folder, scores it
(or reuses the rows of an earlier run given with --results, scored from the same
sample), writes the dashboard and one report per story, and loads the dashboard and
a story page in headless Chromium from file://. Load time is the browser's own
navigation timing (load event end), plus the time until the three charts have drawn
an SVG; sort and filter are timed on the full table. Writes
bench/results/html_pages.json; --shots also saves the screenshots under docs/.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import shutil
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from claimcheck.training.data import bbc_members

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "news" / "bbc-news-2225.tar.gz"


def sample_folder(n: int, dest: Path) -> Path:
    """Every k-th story of the sorted archive into dest/bbc-news/<section>/NNN.txt."""
    with tarfile.open(ARCHIVE) as tar:
        members = bbc_members(tar)
        chosen = members[::max(1, len(members) // n)][:n]
        for m in chosen:
            target = dest / m.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(m).read())  # type: ignore[union-attr]
    return dest / "bbc-news"


def score(folder: Path, chunk: int = 32, typed_only: bool = False) -> list[dict]:
    """Rows as ``claimcheck batch`` writes them, through the same pooled scoring path.
    ``typed_only`` reads every pair as neutral instead of running the model: only the
    typed checks (most flags, see README) raise flags, at a fraction of the time."""
    from claimcheck.batch import find_stories, read_batch, score_chunk
    from claimcheck.pipeline import Auditor
    from claimcheck.schema import NLIScores

    auditor = Auditor()
    if typed_only:
        neutral = NLIScores(0.0, 1.0, 0.0)
        auditor.scorer.score_both = lambda texts, _: [(neutral, neutral)] * len(texts)
    paths = [str(p) for p in find_stories(folder)]
    rows: list[dict] = []
    for lo in range(0, len(paths), chunk):
        docs = read_batch({"path": paths[lo: lo + chunk]})
        docs["path"] = paths[lo: lo + chunk]
        rows += score_chunk(docs, auditor, False)
        print(f"\rscored {len(rows)}/{len(paths)}", end="", flush=True)
    print()
    return rows


def cached_rows(folder: Path, cache: Path | None, typed_only: bool) -> list[dict]:
    """Rows for every story under folder: from the cache (keyed by the path inside the
    archive) where present, the rest scored now and added to the cache."""
    from claimcheck.batch import find_stories

    key = lambda path: str(path).split("bbc-news/", 1)[-1]  # noqa: E731
    cached = {}
    if cache and cache.exists():
        cached = {key(r["path"]): r for r in map(json.loads, cache.read_text().splitlines())}
    # model rows serve both kinds of run; typed-only rows only typed-only runs
    known = {k: r for k, r in cached.items() if typed_only or not r.get("typed_only")}
    paths = [str(p) for p in find_stories(folder)]
    missing = [p for p in paths if key(p) not in known]
    if missing:
        todo = folder.parent / "todo" / "bbc-news"
        for p in missing:
            target = todo / key(p)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, target)
        new = {key(r["path"]): r | {"typed_only": typed_only}
               for r in score(todo, typed_only=typed_only)}
        known |= new
        shutil.rmtree(todo.parent)
        if cache:
            rows = (cached | new).values()
            cache.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return [known[key(p)] | {"path": p} for p in paths]


def browser(width: int = 1280, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                f"--window-size={width},{height}", f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


CHARTS_DRAWN = ("return document.querySelectorAll('.js-plotly-plot svg.main-svg').length"
                " >= document.querySelectorAll('.js-plotly-plot').length")


def time_load(driver, page: Path, charts: bool = False) -> dict[str, float]:
    """Browser navigation timing (ms from navigation start) of one cold-ish load."""
    driver.get("about:blank")
    started = time.perf_counter()
    driver.get(page.as_uri())  # returns after the load event
    while charts and not driver.execute_script(CHARTS_DRAWN):
        time.sleep(0.01)
    wall = (time.perf_counter() - started) * 1000
    nav = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return [n.domContentLoadedEventEnd, n.loadEventEnd];")
    return {"dom_content_loaded_ms": round(nav[0], 1), "load_event_end_ms": round(nav[1], 1),
            "wall_until_drawn_ms": round(wall, 1)}


def time_table(driver) -> dict[str, float]:
    """Sort by score and filter by a word, timed in the page, layout included."""
    return driver.execute_script("""
        const t0 = performance.now();
        document.querySelector("th[data-key='score'] button").click();
        document.body.offsetHeight;
        const t1 = performance.now();
        const q = document.getElementById("q");
        q.value = "injured"; q.dispatchEvent(new Event("input"));
        document.body.offsetHeight;
        const t2 = performance.now();
        q.value = ""; q.dispatchEvent(new Event("input"));
        return {sort_ms: +(t1 - t0).toFixed(1), filter_ms: +(t2 - t1).toFixed(1),
                rows: document.querySelectorAll("#stories tbody tr").length};
    """)


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in runs[0]}


def story_shots(driver, out: Path) -> dict[str, str]:
    """Screenshots of the report of the seed story and of the harbour example."""
    from claimcheck.pipeline import Auditor
    from claimcheck.render_html import to_html

    auditor, shots = Auditor(), {}
    for name, story in [("story_seed", ROOT.parent / "shared" / "seed" / "story.txt"),
                        ("story_harbour_blast", ROOT / "data" / "examples" / "harbour_blast.txt")]:
        page = out / f"{name}.html"
        page.write_text(to_html(auditor.audit_file(story)), encoding="utf-8")
        driver.get(page.as_uri())
        time.sleep(0.5)
        shots[name] = save_png(driver, ROOT / "docs" / f"{name}.png")
    return shots


def save_png(driver, path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    size = path.stat().st_size
    assert size < 500_000, f"{path} is {size} bytes"
    return f"{path.relative_to(ROOT)} ({size // 1024} KB)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=2225)
    ap.add_argument("--results", type=Path, help="rows cache (JSONL) to reuse and extend")
    ap.add_argument("--loads", type=int, default=3, help="page loads to take the median of")
    ap.add_argument("--shots", action="store_true", help="save screenshots under docs/")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep the pages")
    ap.add_argument("--typed-only", action="store_true",
                    help="score stories missing from --results without the model")
    args = ap.parse_args()

    from claimcheck.dashboard import stories_dir, write_dashboard

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        folder = sample_folder(args.stories, work / "sample")
        rows = cached_rows(folder, args.results, args.typed_only)
        dash = work / "out" / "dashboard.html"
        started = time.perf_counter()
        write_dashboard(rows, dash, folder)
        write_s = time.perf_counter() - started
        pages = sorted(p.stat().st_size for p in stories_dir(dash).rglob("*.html"))
        worst = min((r for r in rows if r["score"] is not None), key=lambda r: r["score"])
        worst_page = stories_dir(dash) / f"{Path(worst['path']).relative_to(folder)}.html"
        html = dash.read_bytes()
        worst_page_bytes = worst_page.stat().st_size

        driver = browser()
        try:
            dash_load = median_of([time_load(driver, dash, True) for _ in range(args.loads)])
            table = time_table(driver)
            story_load = median_of([time_load(driver, worst_page) for _ in range(args.loads)])
            shots = {}
            if args.shots:
                driver.get(dash.as_uri())
                time.sleep(1.0)
                png = ROOT / "docs" / f"dashboard_{args.stories}.png"
                shots["dashboard"] = save_png(driver, png)
                shots |= story_shots(driver, work)
        finally:
            driver.quit()

    result = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "host": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        "stories": len(rows), "scored": sum(r["error"] is None for r in rows),
        "flagged": sum(bool(r["flags"]) for r in rows),
        "flags": sum(len(r["flags"]) for r in rows),
        "scored_typed_only": sum(bool(r.get("typed_only")) for r in rows),
        "write_dashboard_s": round(write_s, 1),
        "dashboard_bytes": len(html), "dashboard_gzip_bytes": len(gzip.compress(html)),
        "plotly_js_bytes": plotly_js_bytes(),
        "story_pages": len(pages), "story_pages_bytes": sum(pages),
        "story_page_median_bytes": pages[len(pages) // 2] if pages else 0,
        "worst_story_page_bytes": worst_page_bytes,
        "dashboard_load_median": dash_load, "table": table,
        "worst_story_load_median": story_load, "screenshots": shots,
    }
    print(json.dumps(result, indent=1))
    out = ROOT / "bench" / "results" / "html_pages.json"
    runs = json.loads(out.read_text()) if out.exists() else {}
    runs[str(len(rows))] = result
    out.write_text(json.dumps(runs, indent=1) + "\n")


def plotly_js_bytes() -> int:
    from plotly.offline import get_plotlyjs

    return len(get_plotlyjs().encode())


if __name__ == "__main__":
    main()
