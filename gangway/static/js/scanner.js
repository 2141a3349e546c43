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
// - a driving licence's PDF417 (AAMVA) holds line breaks: its text opens with "@", LF, RS, CR.
//   In a burst that began with "@", an Enter followed by more keys within the gap is a line
//   break of the code ("\n"), not its end, and Ctrl+letter is the control character it types
//   (Ctrl+^ is RS); the burst ends when no key follows its last Enter within LINE_BREAK_MS
//   (PAUSE_MS while it is shorter than the length its header declares: a busy tablet).
// Pages decide what a scan means (scan it, offer it as a scan, or say "log in first").
(function () {
  "use strict";

  const GAP_MS = 80; // scanners send a key every 1-30 ms; people rarely two within 80 ms
  const CONFIRMED_LENGTH = 6; // the shortest code scanned is a six-letter booking reference
  const PAUSE_MS = 1000; // a confirmed burst survives pauses this long
  // Keys landed this shortly before a confirmed burst belong to it: a busy tablet heard them a
  // little late. Short, so that what a person typed just before a scan stays typed.
  const LOOKBACK_MS = 85;
  // After an Enter inside an "@" burst: more keys this soon mean a line break of the code.
  const LINE_BREAK_MS = 2 * GAP_MS;

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
    if (burst.afterBreak) {
      // Short of the length its header declares, the code is not over: wait as for a pause.
      const short = burst.sent.length < declaredLength(burst.sent);
      idleTimer = setTimeout(endLicenceBurst, short ? PAUSE_MS : LINE_BREAK_MS);
    } else idleTimer = setTimeout(endBurstAsTyping, confirmed() ? PAUSE_MS : 4 * GAP_MS);
  }

  function sendScan() {
    clearTimeout(idleTimer);
    const text = burst.sent.replace(/[\r\n]+$/, ""); // the Enter that ended it is no part of it
    burst = null;
    landed = [];
    document.dispatchEvent(new CustomEvent("gangway:scanned", { detail: { text } }));
  }

  // No key followed the last Enter of an "@" burst: that Enter ended the code.
  function endLicenceBurst() {
    if (burst && confirmed()) sendScan();
    else endBurstAsTyping();
  }

  // An Enter or a Ctrl+letter inside a burst that began with "@" (a licence's PDF417): the
  // character it stands for joins the burst. Returns whether the key was taken.
  function takeLicenceControl(event, now) {
    const control = event.key === "Enter" ? "\n" : controlOf(event);
    if (!control) return false;
    const previous = landed[landed.length - 1];
    if (burst && burst.sent.startsWith("@") && now - burst.last < (confirmed() ? PAUSE_MS : GAP_MS)) {
      burst.text += control;
      burst.sent += control;
      burst.last = now;
    } else if (!burst && previous && previous.sent === "@" && now - previous.at < GAP_MS) {
      landed.pop();
      startBurst(previous, control, control, now);
      burst.at = previous.at;
    } else {
      return false;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    burst.afterBreak = control === "\n";
    armIdle();
    return true;
  }

  // The length an AAMVA header declares (its subfiles' offsets and lengths), 0 if not yet known.
  function declaredLength(sent) {
    const head = /^@[\x00-\x1f]{0,4}(?:ANSI |AAMVA)\d{6}(\d\d)/.exec(sent);
    if (!head) return 0;
    let at = head[0].length + (Number(head[1]) >= 2 ? 2 : 0); // the jurisdiction's version
    const entries = /^\d\d/.exec(sent.slice(at, at + 2));
    let end = 0;
    for (let i = 0, n = Number(entries?.[0] || 0); i < n; i++) {
      const entry = /^[A-Z]{2}(\d{4})(\d{4})/.exec(sent.slice(at + 2 + 10 * i));
      if (!entry) return 0;
      end = Math.max(end, Number(entry[1]) + Number(entry[2]));
    }
    return end;
  }

  // Ctrl+@ to Ctrl+_ type the C0 control characters (Ctrl+J is LF, Ctrl+^ is RS).
  function controlOf(event) {
    if (!event.ctrlKey || event.altKey || event.metaKey || event.key.length !== 1) return "";
    const code = event.key.toUpperCase().charCodeAt(0);
    return code >= 64 && code <= 95 ? String.fromCharCode(code - 64) : "";
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
    if (event.isComposing) return;
    const now = event.timeStamp;
    if ((event.key === "Enter" || event.ctrlKey) && takeLicenceControl(event, now)) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key;
    if (key === "Enter" || key === "Tab") {
      if (confirmed() && now - burst.last < PAUSE_MS) {
        event.preventDefault();
        event.stopImmediatePropagation();
        sendScan();
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
      burst.afterBreak = false;
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
