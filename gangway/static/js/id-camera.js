// Check ID from the live camera: the camera's frames are sent to the same reading as Check ID's
// photo until one reads with every check digit valid; its verdict then shows like the photo's.
//
// Page contract (see the scan template): <button id="id-camera-toggle">, the live camera's
// <video id="camera-preview">, <div id="id-camera-panel"> with <p id="id-camera-hint"> and
// <button id="id-camera-stop">, and <form id="id-live-form"> (hx-post to Check ID, fields
// `live`, `direction` and a file input `image`). The toggle carries
// data-id-camera-state = off | starting | on (for CSS and browser tests).
//
// About one frame a second, downscaled to a JPEG, one request in flight at a time and never
// more: a read costs the server ~1 s of CPU, off the scan path. A frame that does not read
// answers 204 and nothing is recorded or shown; the first that reads answers the verdict, and
// the camera stops (left on, it would read the same document again and move the person back).
// Frames are never kept: neither here nor on the server.

const FRAME_EVERY_MS = 1000;
const HINT_AFTER_MS = 8000;
const FRAME_SIDE = 1600; // px, the longest side sent: a passport's zone filling the frame keeps ~25 px a character
const JPEG_QUALITY = 0.85;
const HAVE_CURRENT_DATA = 2;

const MSG_LOOKING = "Hold the document's data page (or the back of the card) in the frame.";
const MSG_HINT = "Hold the data page flat, fill the frame, avoid glare. Still reading…";
const MSG_NO_SERVER = "No answer from the ship's server: still trying. Or use the photo button.";
const MSG_NO_CAMERA = "Could not start the camera: use the Check ID photo button";

let state = "off";
let session = 0; // bumped on every start/stop: late results of an old start are dropped
let stream = null;
let timer = null;
let hintTimer = null;
let sentAt = 0;
let grabber = null;

const $ = (id) => document.getElementById(id);

function setState(next) {
  state = next;
  const toggle = $("id-camera-toggle");
  if (toggle) {
    toggle.disabled = false; // served disabled: a tap before this module has loaded would be lost
    toggle.dataset.idCameraState = next;
    toggle.setAttribute("aria-pressed", String(next !== "off"));
  }
  const panel = $("id-camera-panel");
  if (panel) panel.hidden = next === "off";
}

function hint(text, warning = false) {
  const box = $("id-camera-hint");
  if (!box) return;
  box.textContent = text;
  box.classList.toggle("is-warning", warning);
}

async function start() {
  const codes = $("camera-toggle"); // the badge camera shares the preview: one at a time
  if (codes && ["on", "starting"].includes(codes.dataset.cameraState)) codes.click();
  const id = ++session;
  setState("starting");
  hint(MSG_LOOKING);
  let media;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1920 }, height: { ideal: 1080 } },
    });
  } catch (err) {
    console.error("id-camera: getUserMedia failed", err);
    if (id === session) stop(MSG_NO_CAMERA);
    return;
  }
  const video = $("camera-preview");
  if (id !== session || !video) {
    media.getTracks().forEach((t) => t.stop());
    return;
  }
  stream = media;
  stream.getVideoTracks().forEach((t) => t.addEventListener("ended", () => stop()));
  video.muted = true;
  video.srcObject = stream;
  video.hidden = false;
  try {
    await video.play();
  } catch (err) {
    console.error("id-camera: video.play failed", err);
    if (id === session) stop(MSG_NO_CAMERA);
    return;
  }
  if (id !== session) return;
  setState("on");
  hintTimer = setTimeout(() => hint(MSG_HINT, true), HINT_AFTER_MS);
  performance.mark("id-camera-on"); // for the README's figure: camera on to verdict
  sendFrame(id);
}

// Send the newest frame; the next one goes when its answer is in, at most one a second.
async function sendFrame(id) {
  if (id !== session) return;
  const video = $("camera-preview");
  const form = $("id-live-form");
  if (!video || !form || video.readyState < HAVE_CURRENT_DATA || !video.videoWidth) {
    timer = setTimeout(() => sendFrame(id), 100);
    return;
  }
  const blob = await grabFrame(video);
  if (id !== session) return;
  const file = new File([blob], "frame.jpg", { type: "image/jpeg" });
  const files = new DataTransfer();
  files.items.add(file);
  form.elements.namedItem("image").files = files.files;
  const chosen = $("scan-form")?.querySelector("input[name=direction]:checked");
  form.elements.namedItem("direction").value = chosen ? chosen.value : "auto";
  sentAt = performance.now();
  form.requestSubmit(); // htmx posts it; its answer comes back in htmx:afterRequest
}

function grabFrame(video) {
  const scale = Math.min(1, FRAME_SIDE / Math.max(video.videoWidth, video.videoHeight));
  grabber ??= document.createElement("canvas").getContext("2d");
  grabber.canvas.width = Math.round(video.videoWidth * scale);
  grabber.canvas.height = Math.round(video.videoHeight * scale);
  grabber.drawImage(video, 0, 0, grabber.canvas.width, grabber.canvas.height);
  return new Promise((resolve) => grabber.canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
}

function stop(message = "") {
  session++;
  clearTimeout(timer);
  clearTimeout(hintTimer);
  const video = $("camera-preview");
  if (stream) {
    stream.getTracks().forEach((t) => t.stop());
    if (video && video.srcObject === stream) {
      video.pause();
      video.srcObject = null;
      video.hidden = true;
    }
  }
  stream = null;
  const form = $("id-live-form");
  if (form) form.elements.namedItem("image").value = ""; // the last frame is not kept either
  setState("off");
  const note = $("camera-message");
  if (note && message) {
    note.textContent = message;
    note.hidden = false;
  }
}

document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.elt?.id !== "id-live-form" || state !== "on") return;
  const status = event.detail.xhr?.status;
  if (status === 204 || !event.detail.successful) {
    if (!event.detail.successful && status !== 204) hint(MSG_NO_SERVER, true);
    const id = session;
    const wait = Math.max(0, FRAME_EVERY_MS - (performance.now() - sentAt));
    timer = setTimeout(() => sendFrame(id), wait);
    return;
  }
  // The document read: its verdict is in the verdict box. Done, and the direction was this check's.
  performance.mark("id-camera-read");
  stop();
  const auto = $("scan-form")?.querySelector("input[name=direction][value=auto]");
  if (auto) auto.checked = true;
});

document.addEventListener("click", (event) => {
  if (event.target.closest?.("#id-camera-stop")) return stop();
  if (event.target.closest?.("#camera-toggle")) {
    if (state !== "off") stop(); // the badge camera takes the preview
    return;
  }
  if (!event.target.closest?.("#id-camera-toggle")) return;
  if (state === "off") start();
  else stop();
});

// Never keep the camera on behind a locked screen or another app.
document.addEventListener("visibilitychange", () => {
  if (document.hidden && state !== "off") stop();
});
window.addEventListener("pagehide", () => {
  if (state !== "off") stop();
});
document.addEventListener("htmx:afterSettle", () => setState(state));

setState("off");
