// Live-camera badge scanning for the gangway tablet.
//
// Page contract (see the scan template), besides code-reader.js's <body> attributes:
//   <form id="scan-form"> with <input name="code"> and <input type="hidden" name="method" value="scan">
//   <button id="camera-toggle" type="button">, <video id="camera-preview" playsinline muted hidden>,
//   optional <p id="camera-message" hidden> for short user-facing messages.
// The toggle carries data-camera-state = off | starting | on | unavailable (for CSS and browser tests).
//
// Everything is served by the app itself (the ship is often offline in port): the service worker
// keeps this module and code-reader.js (OFFLINE_ASSETS in gangway/views/watch.py).

import { loadReader } from "./code-reader.js";

// Latency budget: a badge must show its verdict within 300 ms of coming into view. Each look takes
// the newest camera frame (requestVideoFrameCallback); code-reader.js keeps most looks cheap, as a
// badge that comes into view while a look runs waits for that look. After each look, rest at least
// as long as it took (at most half a core for scanning), then look at the next new frame: with a
// ~10 ms QR look, that is every frame of a 30 fps camera.
const MIN_REST_MS = 20;
const PAUSE_AFTER_HIT_MS = 2500; // let the page show the result before looking again
const SAME_VALUE_MS = 4000; // a badge held in view must not be logged twice (aboard/ashore toggles)
const HAVE_CURRENT_DATA = 2;

const MSG_NEEDS_HTTPS = "Live camera needs HTTPS: use the photo button or the scanner";
const MSG_DENIED = "Camera permission was refused: use the photo button or the scanner";
const MSG_NO_CAMERA = "No camera found: use the photo button or the scanner";
const MSG_NO_DECODER = "Camera scanning is not available on this device: use the photo button or the scanner";
const MSG_FAILED = "Could not start the camera: use the photo button or the scanner";

let state = "off";
let session = 0; // bumped on every start/stop so late async results from an old start are dropped
let stream = null;
let timer = null;
let frames = 0; // camera frames presented since the camera started (0 without requestVideoFrameCallback)
let lookedAt = -1; // the frame number of the last look
let looks = 0;
let waitingForFrame = false;
let pausedUntil = 0;
let lastValue = "";
let lastSeen = 0;

const $ = (id) => document.getElementById(id);

function setState(next) {
  state = next;
  const toggle = $("camera-toggle");
  if (toggle) {
    toggle.disabled = false; // served disabled: a tap before this module has loaded would be lost
    toggle.dataset.cameraState = next;
    toggle.setAttribute("aria-pressed", String(next === "on" || next === "starting"));
  }
}

function showMessage(text) {
  const box = $("camera-message");
  if (box) {
    box.textContent = text;
    box.hidden = !text;
  } else if (text) {
    $("camera-toggle")?.setAttribute("title", text);
  }
}

function formFields() {
  // Looked up on each use: htmx may have swapped the form since the camera started.
  const form = $("scan-form");
  if (!form) return {};
  return { form, code: form.elements.namedItem("code"), method: form.elements.namedItem("method") };
}

function setMethod(value) {
  const { method } = formFields();
  if (method) method.value = value;
}

async function start() {
  showMessage("");
  if (!navigator.mediaDevices?.getUserMedia) {
    // getUserMedia only exists in secure contexts: plain HTTP on a LAN IP lands here.
    setState("unavailable");
    showMessage(MSG_NEEDS_HTTPS);
    return;
  }
  const id = ++session;
  setState("starting");
  const [media, reader] = await Promise.allSettled([
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    }),
    loadReader(),
  ]);
  if (id !== session || media.status === "rejected" || reader.status === "rejected") {
    if (media.status === "fulfilled") media.value.getTracks().forEach((t) => t.stop());
    if (id !== session) return; // stopped (or restarted) while we were waiting
    if (reader.status === "rejected") {
      console.error("camera: barcode detector unavailable", reader.reason);
      setState("unavailable");
      showMessage(MSG_NO_DECODER);
    } else {
      const name = media.reason?.name;
      console.error("camera: getUserMedia failed", media.reason);
      setState(name === "NotFoundError" || name === "OverconstrainedError" ? "unavailable" : "off");
      showMessage(name === "NotAllowedError" ? MSG_DENIED : name === "NotFoundError" ? MSG_NO_CAMERA : MSG_FAILED);
    }
    return;
  }

  stream = media.value;
  // Camera unplugged or permission revoked mid-watch: go back to a clean "off".
  stream.getVideoTracks().forEach((t) => t.addEventListener("ended", stop));
  const video = $("camera-preview");
  if (!video) {
    stop();
    return;
  }
  video.muted = true; // autoplay policies require muted inline playback
  video.srcObject = stream;
  video.hidden = false;
  try {
    await video.play();
  } catch (err) {
    if (id !== session) return;
    console.error("camera: video.play failed", err);
    stop();
    showMessage(MSG_FAILED);
    return;
  }
  if (id !== session) return;
  pausedUntil = 0;
  frames = looks = 0;
  lookedAt = -1;
  waitingForFrame = false;
  setState("on");
  countFrames(id, video, reader.value);
  look(id, reader.value);
}

// Count the frames the camera delivers, and start a look that was waiting for a new one.
function countFrames(id, video, read) {
  if (!video.requestVideoFrameCallback) return; // older browsers: looks run on the timer alone
  const onFrame = () => {
    if (id !== session) return;
    frames++;
    if (waitingForFrame) {
      waitingForFrame = false;
      look(id, read);
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

// One look at the newest frame, then a rest (or the pause after a hit) and the next new frame.
// Chained, never overlapping: a slow wasm decode never piles up calls.
async function look(id, read) {
  if (id !== session) return;
  const video = $("camera-preview");
  if (!video?.isConnected || !stream) {
    stop(); // the preview was swapped out of the page: do not leave the camera running unseen
    return;
  }
  const started = performance.now();
  let rest = MIN_REST_MS;
  if (Date.now() >= pausedUntil && video.readyState >= HAVE_CURRENT_DATA) {
    try {
      lookedAt = frames;
      const codes = await read(video, looks++);
      if (id !== session) return;
      const value = codes.find((c) => c.rawValue)?.rawValue;
      if (value && submit(value)) {
        // Hold the frame that was read while the verdict comes: it shows what was scanned, and a
        // paused preview leaves the CPU to the request and to drawing the verdict.
        video.pause();
        rest = PAUSE_AFTER_HIT_MS;
      } else {
        rest = Math.max(MIN_REST_MS, performance.now() - started);
      }
    } catch (err) {
      console.warn("camera: detect failed", err);
    }
  }
  timer = setTimeout(() => {
    if (id !== session) return;
    if (video.paused) video.play().catch((err) => console.warn("camera: video.play failed", err));
    if (frames > 0 && frames === lookedAt) waitingForFrame = true; // seen it: wait for a new frame
    else look(id, read);
  }, rest);
}

function submit(value) {
  const now = Date.now();
  const repeat = value === lastValue && now - lastSeen < SAME_VALUE_MS;
  lastValue = value;
  lastSeen = now; // sliding window: the same badge left in view stays ignored
  if (repeat) return false;
  const { form, code, method } = formFields();
  if (!form || !code) return false;
  // A licence's PDF417 holds LF, RS and CR: sent as control pictures, as watch.js sends a scan.
  code.value = value.replace(/[\x00-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
  if (method) method.value = "camera";
  pausedUntil = now + PAUSE_AFTER_HIT_MS;
  performance.mark("camera-code-read"); // for the latency benchmark: detection vs. server and render
  form.requestSubmit(); // fires a real submit event, which is what htmx listens for
  return true;
}

function stop() {
  session++;
  clearTimeout(timer);
  timer = null;
  waitingForFrame = false;
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  const video = $("camera-preview");
  if (video) {
    video.pause();
    video.srcObject = null;
    video.hidden = true;
  }
  setMethod("scan");
  setState("off");
}

document.addEventListener("click", (event) => {
  if (!event.target.closest?.("#camera-toggle")) return;
  if (state === "on" || state === "starting") stop();
  else start();
});

// Typing (or the keyboard-wedge scanner) after a camera read: the code is no longer from the camera.
document.addEventListener("input", (event) => {
  const { code, method } = formFields();
  if (event.target === code && method?.value === "camera") method.value = "scan";
});

// Never keep the camera on behind a locked screen or another app.
document.addEventListener("visibilitychange", () => {
  if (document.hidden && (state === "on" || state === "starting")) stop();
});
window.addEventListener("pagehide", () => {
  if (state === "on" || state === "starting") stop();
});

// htmx may re-render the toggle: keep its state attribute truthful.
document.addEventListener("htmx:afterSettle", () => setState(state));

setState("off");
