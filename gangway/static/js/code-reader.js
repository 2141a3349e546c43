// Barcode reading for the live camera (camera.js): one look at the current frame of a <video>.
//
// Page contract: <body data-barcode-detector-js="/static/vendor/barcode-detector/ponyfill.js"
//                      data-zxing-wasm="/static/vendor/barcode-detector/zxing_reader.wasm">
// Both are served by the app itself (the ship is often offline in port; the CSP allows only 'self'
// scripts plus 'wasm-unsafe-eval' for the zxing WebAssembly decoder).

const FORMATS = ["qr_code", "pdf417", "aztec"];
// A badge must show its verdict within 300 ms of coming into view, and one that comes into view
// while a look runs waits for that look: so most looks are cheap. Each look scales the frame down
// in a CPU-side canvas (2-3x faster than handing the <video> to the detector). Half the QR looks
// are at 640 px (~5 ms: a badge held close), half at 960 px (~12 ms: one at arm's length). PDF417
// and Aztec (boarding passes) cost zxing 2-3x as much as QR: one look in four; light-on-dark codes
// (a phone in dark mode) one in eight, at 640 px.
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

let readerPromise = null;
const grabbers = new Map(); // detection side -> 2D context of its canvas

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

// Resolve to read(video, n): the codes ({rawValue}) in the current frame of `video`, read as the
// n-th look of the schedule. Loaded once; a failed load is forgotten so that a later call retries.
export function loadReader() {
  readerPromise ??= loadDetectorClass()
    .then(({ Detector, zxing }) => {
      const byFormats = new Map(LOOKS.map(({ formats }) => [String(formats), new Detector({ formats })]));
      let direct = directReader(zxing);
      return async (video, n) => {
        const look = LOOKS[n % LOOKS.length];
        const image = grabFrame(video, look.side);
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
      readerPromise = null;
      throw err;
    });
  return readerPromise;
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
