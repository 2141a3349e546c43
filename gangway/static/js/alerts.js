// Refused-entry alarm for the SSO and master (ISPS B/9.12: report refusals at once).
// The alert fragment #refusals-alerts polls every 3 s; when its data-newest-id rises above the
// last id this tab has alarmed for (kept in sessionStorage), sound a siren and vibrate.
(function () {
  "use strict";

  const KEY = "gangway.refusals.lastAlarmedId";
  let ctx = null;

  // Browsers start audio suspended until the user interacts: unlock on the first touch or key.
  function audio() {
    if (!ctx && window.AudioContext) ctx = new AudioContext();
    if (ctx && ctx.state === "suspended") ctx.resume().catch(() => {});
    return ctx;
  }

  function siren() {
    try {
      const ac = audio();
      if (!ac) return;
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = "square";
      const start = ac.currentTime;
      for (let i = 0; i < 8; i += 1) {
        osc.frequency.setValueAtTime(i % 2 ? 640 : 960, start + i * 0.22);
      }
      gain.gain.value = 0.2;
      osc.connect(gain).connect(ac.destination);
      osc.start(start);
      osc.stop(start + 8 * 0.22);
    } catch (e) {
      /* no audio: the red banner still shows */
    }
    if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
  }

  function check() {
    const box = document.getElementById("refusals-alerts");
    if (!box || box.dataset.newestId === undefined) return;
    const newest = Number(box.dataset.newestId || 0);
    let seen = 0;
    try {
      seen = Number(sessionStorage.getItem(KEY) || 0);
    } catch (e) {
      /* storage blocked: alarm on every new id this page sees */
    }
    if (newest > seen) {
      siren();
      try {
        sessionStorage.setItem(KEY, String(newest));
      } catch (e) {
        /* ignore */
      }
    }
  }

  document.addEventListener("htmx:load", check);
  document.addEventListener("pointerdown", audio, { once: true });
  document.addEventListener("keydown", audio, { once: true });
})();
