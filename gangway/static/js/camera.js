// Live-camera badge scanning for the gangway tablet.
//
// Page contract (see the scan template):
//   <body data-barcode-detector-js="/static/vendor/barcode-detector/ponyfill.js"
//         data-zxing-wasm="/static/vendor/barcode-detector/zxing_reader.wasm">
//   <form id="scan-form"> with <input name="code"> and <input type="hidden" name="method" value="scan">
//   <button id="camera-toggle" type="button">, <video id="camera-preview" playsinline muted hidden>,
//   optional <p id="camera-message" hidden> for short user-facing messages.
// The toggle carries data-camera-state = off | starting | on | unavailable (for CSS and browser tests).
//
// Everything is served by the app itself: the ship is often offline in port, and the CSP only
// allows 'self' scripts plus 'wasm-unsafe-eval' for the zxing WebAssembly decoder.

const FORMATS = ["qr_code", "pdf417", "aztec"];
// Latency budget: a badge must show its verdict within 300 ms of coming into view. Each look takes
// the newest camera frame (requestVideoFrameCallback), scaled down in a CPU-side canvas (2-3x
// faster than handing the <video> to the detector). A badge that comes into view while a look
// runs waits for that look, and on a busy tablet every millisecond of CPU stretches: so most
// looks are cheap. Half the QR looks are at 640 px (~5 ms: a badge held close), half at 960 px
// (~12 ms: one at arm's length). PDF417 and Aztec (boarding passes) cost zxing 2-3x as much as QR:
// one look in four; light-on-dark codes (a phone in dark mode) one in eight, at 640 px.
const QR = ["qr_code"];
const LOOKS = [
  { formats: QR, side: 640 },
  { formats: QR, side: 960 },
  { formats: QR, side: 640 },
  { formats: ["pdf417", "aztec"], side: 960 },
  { formats: QR, side: 640 },
  { formats: QR, side: 960 },
  { formats: QR, side: 640 },
  { formats: FORMATS, side: 640, invert: true },
];
// After each look, rest at least as long as it took (at most half a core for scanning), then
// look at the next new frame: with a ~10 ms QR look, that is every frame of a 30 fps camera.
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
let detectorPromise = null;
const grabbers = new Map(); // detection side -> 2D context of its canvas
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

// Native BarcodeDetector (Android Chrome, Safari 17+) when it can read all our formats; else the
// vendored zxing-wasm ponyfill, pointed at our own copy of the .wasm before anything is constructed
// (its built-in default is a jsdelivr URL, useless offline and blocked by the CSP anyway).
async function loadDetectorClass() {
  const Native = window.BarcodeDetector;
  if (typeof Native === "function") {
    try {
      const supported = await Native.getSupportedFormats();
      if (FORMATS.every((f) => supported.includes(f))) return { Detector: Native };
    } catch {
      // Some builds expose the class but throw here (no platform decoder): use the ponyfill.
    }
  }
  const { barcodeDetectorJs, zxingWasm } = document.body.dataset;
  if (!barcodeDetectorJs || !zxingWasm) throw new Error("data-barcode-detector-js / data-zxing-wasm missing on <body>");
  const mod = await import(new URL(barcodeDetectorJs, document.baseURI).href);
  const wasmUrl = new URL(zxingWasm, document.baseURI).href;
  mod.setZXingModuleOverrides({
    locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
  });
  try {
    // Load and compile the wasm now, so a failure is reported at start, not as silent misses.
    const zxing = await mod.prepareZXingModule({ fireImmediately: true });
    return { Detector: mod.BarcodeDetector, zxing };
  } catch (err) {
    mod.purgeZXingModule(); // the failed promise is cached; drop it so a later click can retry
    throw err;
  }
}

// Light-on-dark codes cost a second pass: the BarcodeDetector API always makes it (in the
// ponyfill), so the ponyfill's own zxing-wasm reader is called directly where it can be, with
// that pass only on the looks that ask for it. Falls back to detect() if its internals change.
function directReader(zxing) {
  if (typeof zxing?.readBarcodesFromPixmap !== "function") return null;
  const names = { qr_code: "QRCode", pdf417: "PDF417", aztec: "Aztec" };
  // zxing-wasm 3.1 ReaderOptions, as its readBarcodes() passes them (enums as indexes).
  const base = {
    tryHarder: true, tryRotate: true, tryDownscale: true, tryDenoise: false, binarizer: 0,
    isPure: false, downscaleFactor: 3, downscaleThreshold: 500, minLineCount: 2,
    maxNumberOfSymbols: 1, validateOptionalChecksum: false, returnErrors: false,
    eanAddOnSymbol: 0, textMode: 0, characterSet: 0, tryCode39ExtendedMode: true,
  };
  return ({ data, width, height }, formats, invert) => {
    const grey = new Uint8Array(width * height);
    for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
      grey[i] = (306 * data[j] + 601 * data[j + 1] + 117 * data[j + 2] + 512) >> 10;
    }
    const pointer = zxing._malloc(grey.length);
    if (!pointer) throw new Error("zxing: out of memory");
    try {
      zxing.HEAPU8.set(grey, pointer);
      const options = { ...base, formats: formats.map((f) => names[f]).join(","), tryInvert: !!invert };
      const found = zxing.readBarcodesFromPixmap(pointer, width, height, options);
      const codes = [];
      for (let i = 0; i < found.size(); i++) codes.push({ rawValue: found.get(i).text });
      found.delete?.();
      return codes;
    } finally {
      zxing._free(pointer);
    }
  };
}

function getDetectors() {
  detectorPromise ??= loadDetectorClass()
    .then(({ Detector, zxing }) => {
      const byFormats = new Map(LOOKS.map(({ formats }) => [String(formats), new Detector({ formats })]));
      let direct = directReader(zxing);
      return async (image, look) => {
        if (direct) {
          try {
            return direct(image, look.formats, look.invert);
          } catch (err) {
            console.warn("camera: direct zxing read failed, using BarcodeDetector", err);
            direct = null;
          }
        }
        return byFormats.get(String(look.formats)).detect(image);
      };
    })
    .catch((err) => {
      detectorPromise = null;
      throw err;
    });
  return detectorPromise;
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
  const [media, detector] = await Promise.allSettled([
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    }),
    getDetectors(),
  ]);
  if (id !== session || media.status === "rejected" || detector.status === "rejected") {
    if (media.status === "fulfilled") media.value.getTracks().forEach((t) => t.stop());
    if (id !== session) return; // stopped (or restarted) while we were waiting
    if (detector.status === "rejected") {
      console.error("camera: barcode detector unavailable", detector.reason);
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
  countFrames(id, video, detector.value);
  look(id, detector.value);
}

// Count the frames the camera delivers, and start a look that was waiting for a new one.
function countFrames(id, video, detect) {
  if (!video.requestVideoFrameCallback) return; // older browsers: looks run on the timer alone
  const onFrame = () => {
    if (id !== session) return;
    frames++;
    if (waitingForFrame) {
      waitingForFrame = false;
      look(id, detect);
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

// One look at the newest frame, then a rest (or the pause after a hit) and the next new frame.
// Chained, never overlapping: a slow wasm decode never piles up calls.
async function look(id, detect) {
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
      const kind = LOOKS[looks++ % LOOKS.length];
      const codes = await detect(grabFrame(video, kind.side), kind);
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
    else look(id, detect);
  }, rest);
}

// The current frame as pixels, scaled down so that its longest side is at most `side`.
function grabFrame(video, side) {
  const scale = Math.min(1, side / Math.max(video.videoWidth, video.videoHeight));
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  let grabber = grabbers.get(side);
  if (!grabber) {
    grabber = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    grabbers.set(side, grabber);
  }
  if (grabber.canvas.width !== width) grabber.canvas.width = width;
  if (grabber.canvas.height !== height) grabber.canvas.height = height;
  grabber.drawImage(video, 0, 0, width, height);
  return grabber.getImageData(0, 0, width, height);
}

function submit(value) {
  const now = Date.now();
  const repeat = value === lastValue && now - lastSeen < SAME_VALUE_MS;
  lastValue = value;
  lastSeen = now; // sliding window: the same badge left in view stays ignored
  if (repeat) return false;
  const { form, code, method } = formFields();
  if (!form || !code) return false;
  code.value = value;
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
