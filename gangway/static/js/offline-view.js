// What the offline watch shows: the PROVISIONAL verdict (same markup and classes as
// watch/_result.html, so watch.js beeps, resets and refocuses it alike) and the banner.
// Text only through textContent: names and reasons come from the pack, never as HTML.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

export function showVerdict(result) {
  const box = document.getElementById("watch-result");
  if (!box) return;
  const allowed = result.verdict === "allowed";
  const leaving = result.direction === "depart";
  const body = el("div", "verdict-body");
  const icon = el("span", "verdict-icon", allowed ? (leaving ? "⬇" : "⬆") : "✖");
  icon.setAttribute("aria-hidden", "true");
  const word = el("span", "verdict-word", allowed ? (leaving ? "ALLOWED ASHORE" : "ALLOWED ABOARD") : "REFUSED");
  word.dataset.testid = "verdict-word";
  body.append(icon, word, el("span", "provisional-tag", "PROVISIONAL"));
  if (!allowed) body.append(el("span", "verdict-direction", leaving ? "⬇ LEAVING" : "⬆ BOARDING"));
  if (result.person) {
    const who = el("div", "person");
    const text = el("div");
    const name = el("p", "person-name", result.person.name);
    name.dataset.testid = "person-name";
    const kind = el("p");
    kind.append(el("span", `kind kind-${result.person.kind}`, result.person.kind.toUpperCase()), ` ${result.person.rank || result.person.company || ""}`);
    text.append(name, kind);
    who.append(text);
    body.append(who);
  }
  const reasons = el("ul", "reasons");
  for (const r of result.reasons) {
    const li = el("li", `reason reason-${r.severity}`, (r.severity === "warning" ? "⚠ " : "") + r.message);
    li.dataset.code = r.code;
    reasons.append(li);
  }
  body.append(reasons, el("p", "provisional-note", "Checked on this tablet while offline: the ship's records confirm it when the network is back."));
  box.dataset.direction = result.direction;
  if (result.person) box.dataset.personName = result.person.name;
  else delete box.dataset.personName;
  show(box, result.verdict, body, true, allowed ? (leaving ? "ashore" : "aboard") : "");
}

export function showError(message) {
  const box = document.getElementById("watch-result");
  if (!box) return;
  const body = el("div", "verdict-body");
  const reason = el("p", "reason", message);
  reason.dataset.testid = "error-message";
  body.append(el("span", "verdict-icon", "!"), el("span", "verdict-word", "NOT RECORDED"), reason);
  delete box.dataset.direction;
  delete box.dataset.personName;
  show(box, "error", body, false);
}

function show(box, verdict, body, provisional, way = "") {
  box.className = `verdict verdict-${verdict}${way ? ` verdict-${way}` : ""}${provisional ? " verdict-provisional" : ""}`;
  box.dataset.verdict = verdict;
  box.dataset.resetAfter = document.body.dataset.resetAfter || "4";
  delete box.dataset.recordId; // a server verdict's, shown before: this one is the tablet's
  if (provisional) box.dataset.provisional = "true";
  else delete box.dataset.provisional;
  box.replaceChildren(body);
  document.dispatchEvent(new CustomEvent("gangway:verdict")); // watch.js: beep, reset, refocus
}

// The banner: offline with n scans waiting, sending them, or stuck (login, rejected scans).
export function showBanner({ waiting: n, rejected, needsLogin, offline, pack, page }) {
  const banner = document.getElementById("offline-banner");
  if (!banner) return;
  const scans = `${n} scan${n === 1 ? "" : "s"}`;
  let state = "";
  let text = "";
  let detail = "";
  if (needsLogin && n) {
    state = "login";
    text = `Log in again to send ${scans} waiting`;
  } else if (offline) {
    state = "offline";
    text = `OFFLINE: ${scans} waiting`;
    detail = pack
      ? `Badges are checked on this tablet (list of ${new Date(pack.generated_at).toLocaleString()}): every verdict is provisional.`
      : "No badge list on this tablet: check IDs by hand.";
  } else if (n) {
    state = "sending";
    text = `Back online: sending ${scans}…`;
  }
  if (rejected) {
    state ||= "stuck";
    detail += ` ${rejected} offline scan${rejected === 1 ? " was" : "s were"} not recorded by the server: tell the SSO.`;
  }
  banner.hidden = !state;
  banner.dataset.state = state;
  banner.dataset.waiting = String(n);
  const line = el(needsLogin && n ? "a" : "span", null, text);
  if (line.tagName === "A") line.href = page;
  banner.replaceChildren(line, el("span", "offline-detail", detail.trim()));
}
