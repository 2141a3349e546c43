// The watch page without a network: scans are checked on the tablet (PROVISIONAL), queued in
// IndexedDB with an idempotency key and the scan time, and sent in scan-time order once the
// server answers again. The server decides each one again and records it exactly once.
//
// Page contract (watch/index.html): <body data-offline-pack data-scans-api data-service-worker
// data-sw-scope data-access-point data-reset-after data-page data-logout>, #scan-form, #watch-result,
// #offline-banner. Live scans carry a client_key too, so a request whose answer was lost and
// that is then queued is not recorded twice.

import * as store from "./offline-queue.js";
import { checkOffline, importKeys, indexPack, scannedText } from "./offline-verify.js";
import { showBanner, showError, showVerdict } from "./offline-view.js";

const PACK_EVERY_MS = 5 * 60 * 1000; // roster and revocations stay at most this stale while online
const TICK_MS = 10 * 1000;
const RETRY_MAX_MS = 30 * 1000;
const cfg = document.body.dataset;

let ctx = { pack: null, keys: new Map(), roster: new Map(), revoked: new Set(), aboard: new Map() };
let packFetchedAt = 0;
let unreachable = false; // the network is up but the server did not answer
let needsLogin = false;
let csrfToken = null;
let draining = null;
let retryMs = 1000;
let retryTimer = null;
const counts = { waiting: 0, rejected: 0 };

const isOffline = () => !navigator.onLine || unreachable;

async function usePack(pack) {
  let keys = null;
  try {
    keys = await importKeys(pack);
  } catch (err) {
    console.error("offline: cannot import the badge keys (Ed25519 unsupported?)", err);
  }
  ctx = { pack, keys, ...indexPack(pack) };
  document.body.dataset.offlinePackAt = pack.generated_at;
}

// ---- while the network is down ----------------------------------------------------------------

// Scans wait here while earlier ones are checked and stored; a burst is stored in one go.
const pending = [];
let working = false;

function decideOffline(scan) {
  pending.push(scan);
  if (!working) checkPending();
}

async function checkPending() {
  working = true;
  while (pending.length) {
    const batch = pending.splice(0);
    try {
      const decided = [];
      for (const scan of batch) {
        const check = { code: scan.code, direction: scan.direction, purpose: scan.purpose, accessPoint: scan.access_point };
        const result = await checkOffline(check, { ...ctx, now: scan.scanned_ms });
        const refusal = result.reasons.find((r) => r.severity === "refusal");
        if (result.verdict === "allowed" && result.person) ctx.aboard.set(result.person.id, result.direction === "board");
        // Queued with the direction the tablet showed: what happened at the gangway stands. The
        // pack's id goes with it: the server judges the scan with what this pack knew.
        const pack_id = ctx.pack?.pack_id ?? null;
        const settled = { ...scan, direction: result.direction, offline_verdict: result.verdict, offline_reason: refusal?.code ?? null, pack_id };
        decided.push({ scan: settled, result });
      }
      await store.enqueue(...decided.map((d) => d.scan)); // on disk before any verdict shows
      counts.waiting += decided.length;
      render();
      for (const { result } of decided) showVerdict(result);
    } catch (err) {
      console.error("offline: scans not stored", err);
      const n = batch.length;
      showError(`The tablet could not store ${n === 1 ? "this scan" : `these ${n} scans`}. Write down who crossed and tell the SSO.`);
    }
  }
  working = false;
}

function render() {
  showBanner({ ...counts, needsLogin, offline: isOffline(), pack: ctx.pack, page: cfg.page });
}

// ---- back online ------------------------------------------------------------------------------

async function refreshPack() {
  let res;
  try {
    res = await fetch(cfg.offlinePack, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  } catch {
    unreachable = true;
    return false;
  }
  if (res.status === 401) {
    needsLogin = true;
    unreachable = false;
    return false;
  }
  if (!res.ok) {
    unreachable = res.status >= 500;
    return false;
  }
  const pack = await res.json();
  csrfToken = pack.csrf_token;
  delete pack.csrf_token;
  unreachable = needsLogin = false;
  packFetchedAt = Date.now();
  await store.savePack(pack);
  await usePack(pack);
  return true;
}

function payload(scan) {
  const { code, access_point, direction, purpose, method, client_key, scanned_at, offline_verdict, offline_reason, pack_id } = scan;
  const body = { code, access_point, direction, method, client_key, scanned_at, offline_verdict, pack_id };
  if (purpose) body.purpose = purpose;
  if (offline_reason) body.offline_reason = offline_reason;
  return body;
}

// "sent", "rejected" (the server will never record it) or "stop" (try again later).
async function send(scan) {
  let res;
  try {
    res = await fetch(cfg.scansApi, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(payload(scan)),
    });
  } catch {
    unreachable = true; // the answer may be lost after the server recorded it: the key makes a resend safe
    return "stop";
  }
  if (res.ok) {
    const answer = await res.json().catch(() => ({}));
    // Sent within a minute of the scan, a random search drawn is still asked and nothing is
    // recorded yet: keep it queued; sent again later, it is recorded as a late scan.
    if (answer.record_id === null) return "stop";
    await store.remove(scan.client_key);
    document.body.dataset.offlineSent = String(Number(document.body.dataset.offlineSent || 0) + 1);
    return "sent";
  }
  if (res.status === 401) needsLogin = true;
  if (res.status === 400 || res.status === 422) {
    const answer = await res.json().catch(() => ({}));
    if (answer.error !== "csrf") {
      await store.reject(scan, answer.message || `HTTP ${res.status}`);
      return "rejected";
    }
  }
  return "stop";
}

async function sendQueue() {
  if (!navigator.onLine || !(await refreshPack())) return false;
  let sent = 0;
  for (let scans = await store.queued(); scans.length; scans = await store.queued()) {
    for (const scan of scans) {
      const outcome = await send(scan);
      if (outcome === "stop") return false;
      if (outcome === "sent") sent += 1;
      counts.waiting = Math.max(0, counts.waiting - 1);
      render();
    }
  }
  if (sent) window.htmx?.trigger(document.body, "movement-recorded"); // the on-board counter
  return true;
}

function drain() {
  draining ??= sendQueue()
    .then(async (done) => {
      counts.waiting = await store.waiting();
      counts.rejected = await store.rejectedCount();
      clearTimeout(retryTimer);
      if (done || !navigator.onLine || needsLogin) retryMs = 1000;
      else {
        retryTimer = setTimeout(drain, retryMs); // server unreachable: back off
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    })
    .catch((err) => console.error("offline: sending the queue failed", err))
    .finally(() => {
      draining = null;
      render();
    });
  return draining;
}

function tick() {
  if (!navigator.onLine || draining) return;
  if (counts.waiting || unreachable || Date.now() - packFetchedAt > PACK_EVERY_MS) drain();
}

// ---- hooks ------------------------------------------------------------------------------------

document.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt;
  if (form?.id !== "scan-form") return;
  const data = event.detail.formData;
  const code = scannedText(String(data.get("code") || "")); // queued as scanned: one spelling
  // A driving licence's PDF417 ("@", LF...: see watch.js) is read on the server, never queued.
  const licence = code.startsWith("@") && /ANSI |AAMVA/.test(code.slice(0, 40));
  if (!isOffline()) {
    if (!code || licence) return; // a photo or a licence: read on the server
    const scan = store.newScan(data, code, cfg.accessPoint);
    event.detail.parameters.client_key = scan.client_key;
    event.detail.gangwayScan = scan; // queued as it is if the request never reaches the server
    return;
  }
  event.preventDefault();
  form.elements.namedItem("code").value = "";
  const photo = form.elements.namedItem("image");
  if (photo) photo.value = "";
  if (licence) showError("Offline: a driving licence is read on the server. Check the ID by hand.");
  else if (code) decideOffline(store.newScan(data, code, cfg.accessPoint));
  else showError("Offline: photos are read on the server. Use the scanner or the live camera.");
});

function queueUnanswered(event) {
  const scan = event.detail.requestConfig?.gangwayScan;
  if (!scan) return;
  unreachable = true;
  render();
  decideOffline(scan);
}
document.addEventListener("htmx:sendError", queueUnanswered);
document.addEventListener("htmx:timeout", queueUnanswered);
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status >= 502) queueUnanswered(event); // a proxy: the app never saw it
});

// Logging out: the next person at this tablet gets neither the roster nor the saved page (queued
// scans stay: they are sent after the next login, as that user's).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!cfg.logout || form.getAttribute("action") !== cfg.logout) return;
  event.preventDefault();
  forget().finally(() => form.submit());
});

async function forget() {
  try {
    await store.forgetPack();
    for (const name of await caches.keys()) {
      if (name.startsWith("gangway-")) await (await caches.open(name)).delete(cfg.page);
    }
  } catch (err) {
    console.warn("offline: could not clear the tablet's copy", err);
  }
}

window.addEventListener("online", () => drain());
window.addEventListener("offline", render);

async function init() {
  if ("serviceWorker" in navigator && cfg.serviceWorker && window.isSecureContext) {
    navigator.serviceWorker.register(cfg.serviceWorker, { scope: cfg.swScope }).catch((err) => console.warn("offline: no service worker", err));
  }
  try {
    const pack = await store.loadPack();
    if (pack) await usePack(pack);
    counts.waiting = await store.waiting();
    counts.rejected = await store.rejectedCount();
  } catch (err) {
    console.error("offline: no storage on this tablet", err);
  }
  render();
  if (navigator.onLine) drain();
  setInterval(tick, TICK_MS);
}

init();
