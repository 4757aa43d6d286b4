// Links each flag's two highlighted spans: click or Enter on one scrolls to the other.
(() => {
  "use strict";
  const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const marks = Array.from(document.querySelectorAll("mark[data-flags]"));
  const flags = Array.from(document.querySelectorAll(".flag"));
  const heads = flags.map((f) => f.querySelector(".flag-head"));
  const tags = (el) => el.dataset.flags.split(" ");
  let current = null;

  function select(n) {
    current = String(n);
    for (const f of flags) f.classList.toggle("current", f.dataset.flag === current);
    for (const m of marks) m.classList.toggle("current", tags(m).some((t) => t.slice(0, -1) === current));
  }

  function pulse(els) {
    for (const el of els) {
      el.classList.remove("pulse");
      void el.offsetWidth; // restart the animation
      el.classList.add("pulse");
    }
  }

  // Scroll to side "a" or "b" of flag n, pulse it and focus its first piece.
  function go(n, side) {
    const els = marks.filter((m) => tags(m).includes(n + side));
    if (!els.length) return;
    select(n);
    const item = document.getElementById("flag-" + n); // first, or it would stop the smooth scroll
    if (item) item.scrollIntoView({ block: "nearest" });
    els[0].scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    els[0].focus({ preventScroll: true });
    pulse(els);
  }

  // From a highlight to the other span of its flag (the selected flag when it shares it).
  function follow(mark) {
    const ts = tags(mark);
    const t = ts.find((x) => x.slice(0, -1) === current) || ts[0];
    go(t.slice(0, -1), t.slice(-1) === "a" ? "b" : "a");
  }

  function step(delta) {
    if (!flags.length) return;
    const at = current === null ? (delta > 0 ? -1 : 0) : flags.findIndex((f) => f.dataset.flag === current);
    const next = flags[(at + delta + flags.length) % flags.length];
    go(next.dataset.flag, "a");
  }

  document.addEventListener("click", (e) => {
    const mark = e.target.closest("mark[data-flags]");
    if (mark) return follow(mark);
    const btn = e.target.closest("[data-go]");
    if (btn) {
      const [n, side] = btn.dataset.go.split(":");
      go(n, side);
    }
  });

  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.target.matches("input, textarea, select")) return;
    const mark = e.target.closest && e.target.closest("mark[data-flags]");
    if (mark && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); follow(mark); return; }
    const i = heads.indexOf(e.target);
    if (i >= 0 && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      heads[(i + (e.key === "ArrowDown" ? 1 : -1) + heads.length) % heads.length].focus();
      return;
    }
    if (e.key === "j") step(1);
    else if (e.key === "k") step(-1);
    else if (e.key === "Escape") hideCard();
  });

  // Hover card: who says a claim and how sure it is.
  const card = document.getElementById("card");
  function showCard(claim) {
    const d = claim.dataset;
    const rows = [["Claim", d.claim]];
    if (d.skipped) rows.push(["Not checked", d.skipped]);
    else {
      rows.push(["Source", d.source || "the story itself"], ["Certainty", d.certainty]);
      if (d.other) rows.push(["Other event", d.other]);
    }
    card.replaceChildren(...rows.map(([k, v]) => {
      const line = document.createElement("div");
      const b = document.createElement("b");
      b.textContent = k + ": ";
      line.append(b, v);
      return line;
    }));
    const r = claim.getClientRects()[0] || claim.getBoundingClientRect();
    card.hidden = false;
    card.style.left = Math.max(8, Math.min(r.left + window.scrollX, document.documentElement.clientWidth - card.offsetWidth - 8)) + "px";
    card.style.top = (r.bottom + window.scrollY + 6) + "px";
  }
  function hideCard() { card.hidden = true; }
  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(type, (e) => {
      const claim = e.target.closest && e.target.closest(".claim");
      if (claim) showCard(claim); else hideCard();
    });
  }
})();
