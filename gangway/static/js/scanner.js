// A keyboard-wedge scanner is a keyboard: it types wherever the focus is. This script hears the
// whole document (capture phase) and tells a scanner's burst from a person typing:
// - keys closer together than GAP_MS are a burst; the first key lands where it would, and once
//   the second comes that fast it is taken back and the rest of the burst lands nowhere;
// - CONFIRMED_LENGTH such keys are a scanner for sure (nobody types six keys 80 ms apart): from
//   then on a pause (a Bluetooth scanner's hiccup, a busy tablet) does not end the burst, and
//   keys typed into the same field just before it (the tablet was slow to hear them) join it;
// - a confirmed burst ended by Enter (or Tab) becomes one "gangway:scanned" event on the document
//   (detail: {text}); the Enter submits nothing else;
// - a burst that stops without Enter, or slows down before it is confirmed, was a person after
//   all: its characters are put back into the field they were typed into.
// - with Caps Lock on, a letter typed with Shift is a capital (a scanner presses Shift for
//   capitals, and the system inverts it under Caps Lock): the scan is the text the scanner sent;
//   keys given back as typing stay as the system made them.
// Pages decide what a scan means (scan it, offer it as a scan, or say "log in first").
(function () {
  "use strict";

  const GAP_MS = 80; // scanners send a key every 1-30 ms; people rarely two within 80 ms
  const CONFIRMED_LENGTH = 6; // the shortest code scanned is a six-letter booking reference
  const PAUSE_MS = 1000; // a confirmed burst survives pauses this long
  // Keys landed this shortly before a confirmed burst belong to it: a busy tablet heard them a
  // little late. Short, so that what a person typed just before a scan stays typed.
  const LOOKBACK_MS = 85;

  // Keys that landed where they were typed, newest last: {target, value, start, end (the field
  // before them), key (their text), at (when the last of them came)}.
  let landed = [];
  let burst = null; // {target, value, start, end, text, sent, last}: a burst being swallowed
  let idleTimer = null;

  const isTextField = (el) =>
    el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.selectionStart !== null));
  const confirmed = () => burst && burst.text.length >= CONFIRMED_LENGTH;
  // The character the scanner meant by this key (see Caps Lock above).
  const sentKey = (event) =>
    event.shiftKey && event.getModifierState("CapsLock") ? event.key.toUpperCase() : event.key;

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

  // A burst that ends before it is confirmed was typing: its keys go back where they were typed,
  // and are remembered as landed there (a busy tablet may yet show them to be a scan's start).
  function endBurstAsTyping() {
    clearTimeout(idleTimer);
    if (burst) {
      giveBack(burst);
      const { target, value, start, end, text, sent, last } = burst;
      landed = [{ target, value, start, end, key: text, sent, at: last }];
    }
    burst = null;
  }

  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(endBurstAsTyping, confirmed() ? PAUSE_MS : 4 * GAP_MS);
  }

  // A burst just became certain: keys that landed in its field a moment before are its start.
  function takeBackLanded() {
    let earliest = null;
    let at = burst.at;
    while (landed.length) {
      const key = landed[landed.length - 1];
      if (key.target !== burst.target || at - key.at > LOOKBACK_MS) break;
      landed.pop();
      earliest = key;
      at = key.at;
      burst = {
        ...burst,
        value: key.value,
        start: key.start,
        end: key.end,
        text: key.key + burst.text,
        sent: key.sent + burst.sent,
      };
    }
    if (earliest) restore(earliest);
    landed = [];
  }

  function startBurst(first, key, sent, now) {
    restore(first); // the first key lands before anyone can know: take it back out
    burst = { ...first, text: first.key + key, sent: first.sent + sent, last: now };
  }

  function onKeyDown(event) {
    if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
    const now = event.timeStamp;
    const key = event.key;
    if (key === "Enter" || key === "Tab") {
      if (confirmed() && now - burst.last < PAUSE_MS) {
        event.preventDefault();
        event.stopImmediatePropagation();
        clearTimeout(idleTimer);
        const text = burst.sent;
        burst = null;
        landed = [];
        document.dispatchEvent(new CustomEvent("gangway:scanned", { detail: { text } }));
        return;
      }
      endBurstAsTyping();
      return;
    }
    if (key.length !== 1) return; // Shift, arrows...: neither part of a burst nor its end
    if (burst && now - burst.last < (confirmed() ? PAUSE_MS : GAP_MS)) {
      event.preventDefault();
      const wasConfirmed = confirmed();
      burst.text += key;
      burst.sent += sentKey(event);
      burst.last = now;
      if (!wasConfirmed && confirmed()) takeBackLanded();
      armIdle();
      return;
    }
    if (burst) endBurstAsTyping();
    const previous = landed[landed.length - 1];
    // (a chunk given back by a burst that slowed down is "previous" too: a fast key after it
    // starts a burst that holds it)
    if (previous && now - previous.at < GAP_MS) {
      // Two keys this fast: perhaps a scanner. Swallow this one, take the first one back.
      event.preventDefault();
      landed.pop();
      startBurst(previous, key, sentKey(event), now);
      burst.at = previous.at;
      armIdle();
      return;
    }
    landed.push({ ...snapshot(event.target), key, sent: sentKey(event), at: now });
    if (landed.length > 8) landed.shift();
  }

  window.addEventListener("keydown", onKeyDown, true);
})();
