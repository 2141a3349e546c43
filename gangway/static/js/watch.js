// Gangway watch page: a scan (scanner burst, typed code, photo, camera) shows CHECKING at once,
// then its verdict with a sound; the verdict goes back to READY by itself; the direction chosen
// for one scan goes back to "across" as soon as that scan is sent (nothing carries over to the
// next person); the code box is emptied per scan.
(function () {
  "use strict";

  const form = () => document.getElementById("scan-form");
  const codeInput = () => document.getElementById("code");
  const box = () => document.getElementById("watch-result");
  let resetTimer = null;

  // With nothing focused (after a verdict swap), put the focus back in the code box, so that
  // typing by hand needs no tap; a scanner's burst is heard wherever the focus is (scanner.js).
  function refocus() {
    const active = document.activeElement;
    if (!active || active === document.body) codeInput()?.focus({ preventScroll: true });
  }

  function showTemplate(id, state) {
    const current = box();
    const template = document.getElementById(id);
    if (!current || !template) return null;
    clearTimeout(resetTimer);
    current.className = `verdict verdict-${state}`;
    current.dataset.verdict = state;
    for (const key of ["resetAfter", "provisional", "recordId", "personName", "direction"]) {
      delete current.dataset[key];
    }
    current.replaceChildren(template.content.cloneNode(true));
    return current;
  }

  function scheduleReset(current) {
    clearTimeout(resetTimer);
    const seconds = Number(current?.dataset.resetAfter || 0);
    if (!seconds) return;
    resetTimer = setTimeout(() => {
      showTemplate("watch-ready-template", "ready");
      refocus();
    }, seconds * 1000);
  }

  // CHECKING replaces the previous person's verdict the moment a check is sent.
  function showChecking(what, withProgress) {
    const current = showTemplate("watch-checking-template", "checking");
    if (!current) return;
    current.querySelector(".checking-what").textContent = what;
    const progress = current.querySelector(".upload-progress");
    if (progress && withProgress) {
      progress.hidden = false;
      progress.removeAttribute("value"); // indeterminate until the first progress event
    }
  }

  function beep(ok) {
    try {
      const ctx = beep.ctx || (beep.ctx = new AudioContext());
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = ok ? 880 : 220;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + (ok ? 0.12 : 0.6));
    } catch (e) {
      /* no audio: the words and colours still show */
    }
    if (!ok && navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  function resetDirection() {
    const auto = form()?.querySelector("input[name=direction][value=auto]");
    if (auto) auto.checked = true;
  }

  // A scan's values are taken the moment it is submitted: with one in flight, htmx queues the
  // next and would read the form only when sending it, by then holding a later person's code
  // (or none). So the values travel with the submit event, and CHECKING shows at once.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target !== form() || !window.htmx) return; // without htmx: a plain POST
      const snapshot = new FormData(event.target);
      event.gangwaySnapshot = snapshot;
      const photo = snapshot.get("image");
      const isPhoto = !String(snapshot.get("code") || "").trim() && photo instanceof File && photo.size > 0;
      showChecking(isPhoto ? "Reading the photo…" : "Checking the code.", isPhoto);
      codeInput().value = "";
      const input = document.getElementById("photo-input");
      if (input) input.value = "";
      resetDirection();
    },
    true,
  );

  document.addEventListener("htmx:configRequest", (event) => {
    const snapshot = event.detail.triggeringEvent?.gangwaySnapshot;
    if (!snapshot) return;
    for (const key of new Set(snapshot.keys())) event.detail.parameters[key] = snapshot.getAll(key);
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (elt.id === "check-id-form") return showChecking("Reading the document…", true);
    if (elt.id === "id-live-form") return; // a live camera's frame: most do not read, none shows
    if (elt === form() || !(elt instanceof HTMLFormElement)) return;
    if (event.detail.target?.id === "watch-result") showChecking("Recording the answer.", false);
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const progress = box()?.querySelector(".upload-progress");
    if (!progress || progress.hidden || !event.detail.lengthComputable) return;
    progress.value = Math.round((100 * event.detail.loaded) / event.detail.total);
  });

  function verdictShown(current) {
    const verdict = current.dataset.verdict;
    if (verdict === "allowed") beep(true);
    else if (verdict === "refused" || verdict === "error") beep(false);
    const method = form()?.querySelector("input[name=method]");
    if (method && method.value === "photo") method.value = "scan";
    scheduleReset(current);
    refocus();
    document.dispatchEvent(new CustomEvent("gangway:shown", { detail: { box: current } }));
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const current = box();
    if (!current || (!current.contains(event.target) && event.target !== current)) return;
    verdictShown(current);
  });
  // offline.js shows a provisional verdict without htmx: same sound, reset and focus.
  document.addEventListener("gangway:verdict", () => {
    const current = box();
    if (current) verdictShown(current);
  });

  document.addEventListener("change", (event) => {
    if (event.target.id === "photo-input" && event.target.files.length) {
      form().querySelector("input[name=method]").value = "photo";
      form().requestSubmit();
    }
    // Check ID: the document's photo goes with the direction chosen for this check only.
    if (event.target.id === "id-photo-input" && event.target.files.length) {
      const idForm = event.target.form;
      const chosen = form()?.querySelector("input[name=direction]:checked");
      idForm.querySelector("input[name=direction]").value = chosen ? chosen.value : "auto";
      idForm.requestSubmit();
      resetDirection();
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt.id === "check-id-form") document.getElementById("id-photo-input").value = "";
  });

  // scanner.js: a scanner's burst, wherever the focus was. While the watch is asked for an
  // escort, it is the escort's badge; otherwise it is the next person's scan.
  // A licence's PDF417 holds LF, RS and CR: they travel as Unicode's control pictures (U+2400 +
  // the code; an input drops LF and CR, the server refuses controls and turns them back).
  const pictured = (text) => text.replace(/[\x00-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));

  document.addEventListener("gangway:scanned", (event) => {
    const text = pictured(event.detail.text);
    const escort = document.querySelector("#escort-form input[name=escort]");
    if (escort) {
      escort.value = text;
      escort.form.requestSubmit();
      return;
    }
    if (!codeInput() || !form()) return;
    codeInput().value = text;
    form().querySelector("input[name=method]").value = "scan";
    form().requestSubmit();
  });

  document.addEventListener("focusout", () => setTimeout(refocus, 50));
  document.addEventListener("DOMContentLoaded", () => {
    const current = box();
    if (current && current.dataset.verdict !== "ready") verdictShown(current); // after a no-JS post
    refocus();
  });
})();
