"""Ways to show a Report: rich terminal text, Markdown for an editor's notes, JSON."""

from __future__ import annotations

import json

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimcheck.schema import Claim, Flag, Report

SEVERITY_STYLE = [(0.7, "bold red"), (0.4, "yellow"), (0.0, "cyan")]


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


def _style(severity: float) -> str:
    return next(style for limit, style in SEVERITY_STYLE if severity >= limit)


def _claim_text(report: Report, claim: Claim, flag: Flag) -> Text:
    """The claim, with the flag's conflicting words inside it highlighted."""
    text = Text(claim.text)
    for start, end in flag.highlights:
        if claim.start <= start and end <= claim.end:
            text.stylize("bold reverse", start - claim.start, end - claim.start)
    return text


def to_rich(report: Report, console: Console, show_claims: bool = True) -> None:
    doc = report.document
    by_id = {c.id: c for c in report.claims}
    head = Text.assemble(("claimcheck ", "bold"), (report.source, "underline"))
    if doc.headline:
        head.append(f"\n{doc.headline}", style="italic")
    if doc.metadata:
        head.append("\n" + ", ".join(f"{k}: {v}" for k, v in doc.metadata.items()), style="dim")
    console.print(head)
    for warning in doc.warnings:
        console.print(Text.assemble(("warning:", "yellow"), f" {warning}"))
    if show_claims:
        table = Table(title="Claims", show_lines=False, expand=True)
        table.add_column("id", style="bold", no_wrap=True)
        table.add_column("claim", ratio=5)
        table.add_column("source / certainty", ratio=2)
        for c in report.claims:
            if c.skipped:
                table.add_row(c.id, Text(c.text, style="dim strike"), Text(
                    f"skipped: {c.skipped}", style="dim"))
                continue
            who = f"{c.source} — {c.certainty}" if c.source else c.certainty
            if c.other_event:
                who += f"\nother event ({c.other_event})"
            table.add_row(c.id, Text(c.text), Text(who))  # Text: a story's "[/]" is not markup
        console.print(table)
    if not report.flags:
        console.print(Panel("No inconsistencies found.", style="green"))
    for n, f in enumerate(report.flags, 1):
        a, b = (by_id[i] for i in f.claims)
        body = Group(
            Text.assemble((f"{a.id}: ", "bold"), _claim_text(report, a, f)),
            Text.assemble((f"{b.id}: ", "bold"), _claim_text(report, b, f)),
            Text(f.explanation, style="italic"),
        )
        event = {True: "same event", False: "different events", None: "event unknown"}
        title = (f"[{_style(f.severity)}]#{n} {f.kind}[/] severity {f.severity:.2f} · "
                 f"{event[f.same_event]}")
        console.print(Panel(body, title=title, title_align="left"))
    console.print(
        f"score [bold]{report.score:.2f}[/] · {len(report.flags)} flag(s) · "
        f"{sum(c.checkable for c in report.claims)} claims · pairs scored "
        f"{report.pairs_scored}/{report.pairs_total}"
        + (" · long story: read in windows of nearby claims" if report.windowed else ""))


def _md_quote(claim: Claim, flag: Flag) -> str:
    text = claim.text
    for start, end in sorted(flag.highlights, reverse=True):
        if claim.start <= start and end <= claim.end:
            s, e = start - claim.start, end - claim.start
            text = text[:s] + "**" + text[s:e] + "**" + text[e:]
    return text


def to_markdown(report: Report) -> str:
    by_id = {c.id: c for c in report.claims}
    lines = [f"## claimcheck: {report.source}", ""]
    if report.document.headline:
        lines += [f"*{report.document.headline}*", ""]
    lines += [f"Score **{report.score:.2f}**, {len(report.flags)} flag(s), "
              f"{sum(c.checkable for c in report.claims)} claims, "
              f"{report.pairs_scored} of {report.pairs_total} pairs scored"
              + (", read in windows (a long story)." if report.windowed else "."), ""]
    for n, f in enumerate(report.flags, 1):
        a, b = (by_id[i] for i in f.claims)
        lines += [
            f"### {n}. {f.kind} (severity {f.severity:.2f})", "",
            f"> {a.id}: {_md_quote(a, f)}", ">", f"> {b.id}: {_md_quote(b, f)}", "",
            f.explanation, "",
        ]
    if not report.flags:
        lines.append("No inconsistencies found.")
    return "\n".join(lines).rstrip() + "\n"
