// A keyboard-wedge scanner is a keyboard: it types wherever the focus is. This script hears the
// whole document (capture phase) and tells a scanner's burst from a person typing:
// - keys closer together than GAP_MS are a burst; the first key lands where it would, and once
//   the second comes that fast it is taken back and the rest of the burst lands nowhere;
// - a burst of at least MIN_LENGTH characters ended by Enter (or Tab) becomes one
//   "gangway:scanned" event on the document (detail: {text}); the Enter submits nothing else;
// - a burst that stops without Enter, or slows down, was a person after all: its characters are
//   put back into the field they were typed into, so slow or fast human typing still works.
// Pages decide what a scan means (scan it, offer it as a scan, or say "log in first").
(function () {
  "use strict";

  const GAP_MS = 50; // scanners send a key every 1-30 ms; people rarely two within 50 ms
  const MIN_LENGTH = 4; // shorter bursts ending in Enter are a person's quick "ok<Enter>"
  const ENTER_GAP_MS = 200; // some scanners pause before their suffix key

  let first = null; // {target, value, start, end, key, at}: the key that may open a burst
  let burst = null; // {target, value, start, end, text, last}: a burst being swallowed
  let idleTimer = null;

  const isTextField = (el) =>
    el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.selectionStart !== null));

  function snapshot(target) {
    if (isTextField(target)) {
      return { target, value: target.value, start: target.selectionStart, end: target.selectionEnd };
    }
    if (target && target.tagName === "SELECT") return { target, value: target.value };
    return { target, value: null };
  }

  function restore(state) {
    const el = state.target;
    if (state.value === null || !el) return;
    if (el.value !== state.value) el.value = state.value;
    if (isTextField(el)) el.setSelectionRange(state.start, state.end);
  }

  // The burst was a person typing fast: give the field the characters it would have had.
  function giveBack(state) {
    const el = state.target;
    if (!isTextField(el) || el.readOnly || el.disabled) return;
    el.setRangeText(state.text, state.start, state.end, "end");
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function endBurstAsTyping() {
    clearTimeout(idleTimer);
    if (burst) giveBack(burst);
    burst = null;
    first = null;
  }

  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(endBurstAsTyping, ENTER_GAP_MS);
  }

  function onKeyDown(event) {
    if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
    const now = event.timeStamp;
    const key = event.key;
    if (key === "Enter" || key === "Tab") {
      if (burst && burst.text.length >= MIN_LENGTH && now - burst.last < ENTER_GAP_MS) {
        event.preventDefault();
        event.stopImmediatePropagation();
        clearTimeout(idleTimer);
        const text = burst.text;
        burst = null;
        first = null;
        document.dispatchEvent(new CustomEvent("gangway:scanned", { detail: { text } }));
        return;
      }
      endBurstAsTyping();
      return;
    }
    if (key.length !== 1) return; // Shift, arrows...: neither part of a burst nor its end
    if (burst && now - burst.last < GAP_MS) {
      event.preventDefault();
      burst.text += key;
      burst.last = now;
      armIdle();
      return;
    }
    if (burst) endBurstAsTyping();
    if (first && now - first.at < GAP_MS) {
      // Two keys this fast: a scanner. Take the first one back out of wherever it landed.
      event.preventDefault();
      restore(first);
      burst = { ...first, text: first.key + key, last: now };
      first = null;
      armIdle();
      return;
    }
    first = { ...snapshot(event.target), key, at: now };
  }

  window.addEventListener("keydown", onKeyDown, true);
})();
