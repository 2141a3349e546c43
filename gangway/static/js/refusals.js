// The SSO's refused entries: "now" buttons, the port time beside a UTC time, ticking several rows,
// and opening the row a link (the banner, the e-mail) points at. The page works without it.
(function () {
  "use strict";

  const TYPED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;
  let skew = 0; // server clock minus this device's clock, in ms: "now" is the server's now

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  // The server's current minute in UTC, as the field takes it: 2026-12-06 14:05.
  function utcNow() {
    return new Date(Date.now() + skew).toISOString().slice(0, 16).replace("T", " ");
  }

  function portTime(date, zone) {
    try {
      const parts = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short",
      }).formatToParts(date);
      const part = (type) => (parts.find((p) => p.type === type) || {}).value || "";
      return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
    } catch (e) {
      return ""; // a zone this browser does not know: the UTC time stands alone
    }
  }

  // Under a time field: the same moment in the port's local time, or how to write it.
  function showPortTime(input) {
    const out = input.closest(".time-field")?.querySelector(".time-port");
    if (!out) return;
    const value = input.value.trim();
    const m = TYPED.exec(value);
    if (!value) out.textContent = "";
    else if (!m) out.textContent = "Write it as 2026-12-06 14:05 (UTC, 24-hour).";
    else if (input.dataset.zone && input.dataset.zone !== "UTC") {
      const at = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
      const local = portTime(at, input.dataset.zone);
      out.textContent = local ? `= ${local} port time` : "";
    } else out.textContent = "";
  }

  function boxes() {
    return Array.from(document.querySelectorAll('input[name="refusal_id"][form="refusals-bulk"]'));
  }

  function showTicked() {
    const all = boxes();
    const ticked = all.filter((b) => b.checked).length;
    document.querySelectorAll("[data-ticked-count]").forEach((el) => {
      el.textContent = ticked ? ` (${ticked})` : "";
    });
    document.querySelectorAll("[data-tick-all]").forEach((box) => {
      box.checked = ticked > 0 && ticked === all.length;
      box.indeterminate = ticked > 0 && ticked < all.length;
    });
  }

  function reveal(hash) {
    const row = hash && hash.startsWith("#refusal-") ? document.getElementById(hash.slice(1)) : null;
    if (!row) return false;
    const details = row.querySelector("details");
    if (details) details.open = true;
    row.scrollIntoView({ block: "center" });
    return true;
  }

  document.addEventListener("click", (event) => {
    const now = event.target.closest("[data-now]");
    if (now) {
      const input = now.closest(".time-field")?.querySelector("input");
      if (!input) return;
      input.value = utcNow();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    // A link to a row of this page (the banner): open that row; one not listed yet needs a reload.
    const link = event.target.closest('a[href*="#refusal-"]');
    if (!link || !document.getElementById("refusals-list")) return;
    const url = new URL(link.href, location.href);
    if (url.pathname !== location.pathname) return;
    event.preventDefault();
    if (document.getElementById(url.hash.slice(1))) {
      if (location.hash !== url.hash) history.pushState(null, "", url.hash);
      reveal(url.hash);
    } else {
      history.replaceState(null, "", url.hash);
      location.reload();
    }
  });

  document.addEventListener("input", (event) => {
    if (event.target.matches(".time-field input")) showPortTime(event.target);
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("[data-tick-all]")) {
      boxes().forEach((b) => { b.checked = target.checked; });
    }
    if (target.matches("[data-tick-all], input[name='refusal_id']")) showTicked();
  });

  let first = true;
  document.addEventListener("htmx:load", (event) => {
    const list = document.getElementById("refusals-list");
    if (!list || !event.target.contains(list)) return;
    const serverNow = Date.parse(list.dataset.serverNow || "");
    if (!Number.isNaN(serverNow)) skew = serverNow - Date.now();
    list.querySelectorAll(".refusal-tick-all, [data-now]").forEach((el) => { el.hidden = false; });
    list.querySelectorAll(".time-field input").forEach(showPortTime);
    showTicked();
    if (first) reveal(location.hash);
    first = false;
  });
  window.addEventListener("hashchange", () => reveal(location.hash));
})();
