"""The dashboard of a batch run: which stories are worst, which kinds of flag dominate,
how scores spread by section, with every row linked to that story's own HTML report.

Charts are drawn by Plotly with its JavaScript inlined (``include_plotlyjs=True``), so
the page works offline from ``file://``. Plotly was chosen over Altair/Vega-Lite
because it ships its whole JS bundle inside the Python wheel (Altair needs the
vl-convert binary to inline Vega), draws SVG that stays responsive at thousands of
points, and is a single, well-kept dependency; the price is about 4.8 MB of JS per
dashboard, loaded once. The table is plain HTML rendered by Jinja2, so it reads
without JS; a small script sorts and filters it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from claimcheck.ingest import InputError, load_story, make_document
from claimcheck.render_html import (
    environment,
    kind_style,
    model_label,
    render_story,
    run_date,
    score_band,
)
from claimcheck.schema import claim_dict

TOP_FOLDER = "(top)"  # section of stories directly in the batch folder


def stories_dir(dashboard: Path) -> Path:
    """Where the per-story reports go: ``dashboard.html`` -> ``dashboard_stories/``."""
    return dashboard.with_name(dashboard.stem + "_stories")


def relative(path: str, folder: Path) -> str:
    """The story's path inside the batch folder, with forward slashes."""
    for p, base in ((Path(path), folder), (Path(path).resolve(), folder.resolve())):
        try:
            return p.relative_to(base).as_posix()
        except ValueError:
            continue
    return Path(path).name


def story_page(row: dict[str, Any], rel: str, dashboard: Path, model: str,
               generated: datetime) -> str:
    """A story's report rebuilt from its results row: the flags come from the row, the
    text and claims are read again (claim extraction is cheap; only NLI is costly)."""
    story = load_story(row["path"])  # as the batch read it: HTML with no <h1> has no headline
    doc = make_document(story.text, rel, story.warnings, story.find_headline)
    from claimcheck.claims import extract_claims
    from claimcheck.sentences import document_sentences

    claims = [claim_dict(c) for c in extract_claims(doc, document_sentences(doc))]
    back = "../" * len(Path(rel).parts) + quote(dashboard.name)
    return render_story(doc.text, claims, row["flags"], source=rel, score=row["score"],
                        model=model, generated=generated, headline=doc.headline,
                        metadata=doc.metadata, warnings=doc.warnings,
                        pairs=(row["pairs_scored"], row["pairs_total"]), back=back)


def table_rows(rows: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        rel = relative(r["path"], folder)
        parts = Path(rel).parts
        flags = r.get("flags") or []
        kinds = r.get("flag_kinds") or dict(Counter(f["kind"] for f in flags))
        out.append({
            "path": r["path"], "rel": rel, "section": parts[0] if len(parts) > 1 else TOP_FOLDER,
            "score": r.get("score"), "n_flags": len(flags), "error": r.get("error"),
            "kinds": [kind_style(k) | {"count": n} for k, n in sorted(kinds.items())],
            "top": flags[0]["explanation"] if flags else "",
            "band": score_band(r["score"], len(flags)) if r.get("score") is not None else None,
            "href": None,
        })
    return out


def charts(table: list[dict[str, Any]]) -> list[str]:
    """Score histogram, flags by kind and score by section, as HTML fragments; the first
    carries the inlined plotly.js, so the page needs no network."""
    import plotly.graph_objects as go

    scored = [t for t in table if t["score"] is not None]
    layout = {"template": "plotly_white", "height": 320, "margin": {"l": 55, "r": 15, "t": 45,
              "b": 55}, "font": {"family": "system-ui, sans-serif", "size": 12}}
    hist = go.Figure(go.Histogram(
        x=[t["score"] for t in scored], xbins={"start": 0, "end": 1.05, "size": 0.05},
        marker_color="#1d5ba3", hovertemplate="score %{x}<br>%{y} stories<extra></extra>"))
    hist.update_layout(layout, title="Story scores (1.0 = no flags)",
                       xaxis_title="score", yaxis_title="stories", bargap=0.05,
                       xaxis_range=[0, 1.05])
    kinds: Counter[str] = Counter()
    for t in scored:
        kinds.update({k["kind"]: k["count"] for k in t["kinds"]})
    styles = [kind_style(k) for k, _ in kinds.most_common()]
    bar = go.Figure(go.Bar(
        x=[s["label"] for s in styles], y=[n for _, n in kinds.most_common()],
        customdata=[s["kind"] for s in styles], marker_color=[s["strong"] for s in styles],
        texttemplate="%{y}", textposition="outside",
        hovertemplate="%{x}: %{y} flags<extra></extra>"))
    bar.update_layout(layout, title="Flags by kind (click a bar to filter)",
                      yaxis_title="flags")
    if not kinds:
        bar.add_annotation(text="no flags in this batch", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
    sections = sorted({t["section"] for t in scored})
    box = go.Figure([go.Box(
        y=[t["score"] for t in scored if t["section"] == s], name=s, boxmean=True,
        boxpoints="outliers", marker_color="#0e6f62", line_color="#0e6f62",
        text=[t["rel"] for t in scored if t["section"] == s]) for s in sections])
    box.update_layout(layout, title="Score by section (subfolder)", showlegend=False,
                      yaxis_title="score", yaxis_range=[-0.02, 1.05])
    config = {"displayModeBar": False, "responsive": True}
    return [fig.to_html(full_html=False, include_plotlyjs=(n == 0), div_id=name, config=config)
            for n, (name, fig) in enumerate(
                [("chart-scores", hist), ("chart-kinds", bar), ("chart-sections", box)])]


def write_dashboard(rows: list[dict[str, Any]], path: Path, folder: Path,
                    model: str | None = None, generated: datetime | None = None) -> Path:
    """Write ``path`` and one report per readable story beside it; returns ``path``."""
    from claimcheck.batch import summarise

    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"cannot write a dashboard to {path.name}: use .html")
    generated = generated or datetime.now(timezone.utc)
    model = model_label(model)
    pages = stories_dir(path)
    table = table_rows(rows, folder)
    for row, t in zip(rows, table, strict=True):
        if t["error"] is not None:
            continue
        try:
            page = story_page(row, t["rel"], path, model, generated)
        except (InputError, OSError) as e:  # the file changed since the run: keep the row
            t["error"] = f"report not written: {e}"
            continue
        target = pages / f"{t['rel']}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        t["href"] = f"{quote(pages.name)}/{quote(t['rel'])}.html"
    table.sort(key=lambda t: (t["score"] is None, t["score"] or 0.0, t["rel"]))
    html = environment().get_template("dashboard.html.j2").render(
        folder=str(folder), model=model, date=run_date(generated), summary=summarise(rows),
        table=table, sections=sorted({t["section"] for t in table}),
        kinds=sorted({k["kind"]: k for t in table for k in t["kinds"]}.values(),
                     key=lambda k: k["label"]),
        charts=charts(table))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
