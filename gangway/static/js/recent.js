// The last checks on this tablet, under the verdict: the next person in the queue may be scanned
// before the watch has read the screen, so each verdict stays here (time, name, direction,
// outcome). The last five show; a REFUSED stays pinned until the watch taps "Seen". Kept in
// sessionStorage so that a reload or a re-login after the idle logout keeps them; cleared when
// the watch logs out. Text only through textContent.
(function () {
  "use strict";

  const KEY = "gangway.recent";
  const SHOWN = 5;
  const KEPT = 50; // pinned refusals beyond the last five, at most
  const list = () => document.querySelector("#watch-recent .recent-list");

  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "[]");
    } catch {
      return [];
    }
  }

  function save(entries) {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(entries));
    } catch {
      /* storage full or denied: the strip still shows until the page is left */
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // Who crossed went aboard or ashore; who was refused was boarding or leaving.
  function directionWords(e) {
    const leaving = e.direction === "depart";
    if (e.outcome === "allowed") return leaving ? "⬇ ASHORE" : "⬆ ABOARD";
    return leaving ? "⬇ LEAVING" : "⬆ BOARDING";
  }

  function render(entries) {
    const ol = list();
    if (!ol) return;
    const visible = entries.filter((e, i) => i < SHOWN || (e.outcome === "refused" && !e.seen));
    ol.replaceChildren(
      ...visible.map((e) => {
        const pinned = e.outcome === "refused" && !e.seen;
        const li = el("li", `recent-item recent-${e.outcome} recent-${e.direction}`);
        if (pinned) li.classList.add("recent-pinned");
        if (e.provisional) li.classList.add("recent-provisional");
        li.dataset.testid = "recent-item";
        li.dataset.outcome = e.outcome;
        li.append(
          el("span", "recent-time", e.time),
          el("span", "recent-name", e.name),
          el("span", "recent-direction", directionWords(e)),
          el("span", "recent-outcome", e.outcome === "refused" ? "REFUSED" : "ALLOWED"),
        );
        if (pinned) {
          const seen = el("button", "recent-seen btn", "Seen");
          seen.type = "button";
          seen.dataset.id = e.id;
          seen.setAttribute("aria-label", `Refusal of ${e.name} seen`);
          li.append(seen);
        }
        return li;
      }),
    );
    ol.closest("section").hidden = visible.length === 0;
  }

  function add(box) {
    const outcome = box.dataset.verdict;
    if (outcome !== "allowed" && outcome !== "refused") return; // waiting, error, ready
    const entries = load();
    const id = box.dataset.recordId || `t-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    if (entries.some((e) => e.id === id)) return; // the same record shown again (a resend)
    const name = box.dataset.personName || box.querySelector(".person-name")?.textContent || "Unknown code";
    const time = new Date().toTimeString().slice(0, 8);
    entries.unshift({
      id,
      time,
      name,
      direction: box.dataset.direction === "depart" ? "depart" : "board",
      outcome,
      provisional: box.dataset.provisional === "true",
      seen: false,
    });
    const keep = entries.filter((e, i) => i < SHOWN || (e.outcome === "refused" && !e.seen));
    save(keep.slice(0, SHOWN + KEPT));
    render(keep);
  }

  document.addEventListener("gangway:shown", (event) => add(event.detail.box));
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".recent-seen");
    if (!button) return;
    const entries = load().map((e) => (e.id === button.dataset.id ? { ...e, seen: true } : e));
    save(entries);
    render(entries);
  });
  // Logging out hands the tablet to someone else: they do not see who crossed before.
  document.addEventListener("submit", (event) => {
    const action = event.target.getAttribute("action");
    if (action && action === document.body.dataset.logout) sessionStorage.removeItem(KEY);
  });
  document.addEventListener("DOMContentLoaded", () => render(load()));
})();
