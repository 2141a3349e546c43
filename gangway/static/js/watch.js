// Gangway watch page: keep the scanner field focused, clear it per scan, reset the verdict,
// submit photos on choice, and give an audible cue (sun glare makes colours hard to read).
(function () {
  "use strict";

  const form = () => document.getElementById("scan-form");
  const codeInput = () => document.getElementById("code");
  let resetTimer = null;

  // Keyboard-wedge scanners type into whatever has focus: bring it back to the code field unless
  // the watch is deliberately using another control (purpose, direction, file picker).
  function refocus() {
    const active = document.activeElement;
    if (!active || active === document.body) codeInput()?.focus();
  }

  function scheduleReset(box) {
    clearTimeout(resetTimer);
    const seconds = Number(box?.dataset.resetAfter || 0);
    if (!seconds) return;
    resetTimer = setTimeout(() => {
      const current = document.getElementById("watch-result");
      const ready = document.getElementById("watch-ready-template");
      if (!current || !ready) return;
      current.className = "verdict verdict-ready";
      current.dataset.verdict = "ready";
      delete current.dataset.resetAfter;
      delete current.dataset.provisional;
      current.replaceChildren(ready.content.cloneNode(true));
      refocus();
    }, seconds * 1000);
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

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target !== form()) return;
    // The values are already in the request: clear now so the next scan types into an empty field.
    codeInput().value = "";
    const photo = document.getElementById("photo-input");
    if (photo) photo.value = "";
  });

  function verdictShown(box) {
    const verdict = box.dataset.verdict;
    if (verdict === "allowed") beep(true);
    else if (verdict === "refused" || verdict === "error") beep(false);
    const method = form()?.querySelector("input[name=method]");
    if (method && method.value === "photo") method.value = "scan";
    scheduleReset(box);
    refocus();
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const box = document.getElementById("watch-result");
    if (!box || !box.contains(event.target) && event.target !== box) return;
    verdictShown(box);
  });
  // offline.js shows a provisional verdict without htmx: same sound, reset and focus.
  document.addEventListener("gangway:verdict", () => {
    const box = document.getElementById("watch-result");
    if (box) verdictShown(box);
  });

  document.addEventListener("change", (event) => {
    if (event.target.id === "photo-input" && event.target.files.length) {
      form().querySelector("input[name=method]").value = "photo";
      form().requestSubmit();
    }
  });

  // scanner.js: a scanner's burst, wherever the focus was, is this page's scan.
  document.addEventListener("gangway:scanned", (event) => {
    const code = codeInput();
    if (!code || !form()) return;
    code.value = event.detail.text;
    form().querySelector("input[name=method]").value = "scan";
    form().requestSubmit();
  });

  document.addEventListener("focusout", () => setTimeout(refocus, 50));
  document.addEventListener("DOMContentLoaded", () => {
    scheduleReset(document.getElementById("watch-result"));
    refocus();
  });
})();
