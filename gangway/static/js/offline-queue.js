// The tablet's own storage (IndexedDB): the offline pack, the scans waiting to be sent, and the
// scans the server would not record (kept for the SSO to see, never silently dropped).
//
// A queued scan: {client_key (UUID), scanned_ms (device time, strictly increasing), scanned_at
// (ISO), code, direction, purpose, method, access_point, offline_verdict, offline_reason, pack_id
// (the offline pack it was checked with)}; the
// direction queued is the one the tablet showed ("board" or "depart"), never "auto".

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID(); // secure contexts only
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Strictly increasing, so two scans in the same millisecond still have one order.
let lastScanMs = 0;
function nextScanMs() {
  lastScanMs = Math.max(Date.now(), lastScanMs + 1);
  return lastScanMs;
}

/** Return a new scan from the scan form's data, stamped with its key and the device time. */
export function newScan(data, code, accessPoint) {
  const ms = nextScanMs();
  const purpose = String(data.get("purpose_other") || "").trim() || String(data.get("purpose") || "");
  const direction = String(data.get("direction") || "auto");
  return {
    client_key: uuid(),
    scanned_ms: ms,
    scanned_at: new Date(ms).toISOString(),
    code,
    direction, // "auto" until the tablet or the server decides it
    purpose: purpose || null,
    method: String(data.get("method") || "scan"),
    access_point: accessPoint,
  };
}

const DB_NAME = "gangway-offline";
const DB_VERSION = 1;
let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore("pack", { keyPath: "id" });
      db.createObjectStore("queue", { keyPath: "client_key" }).createIndex("by_time", "scanned_ms");
      db.createObjectStore("rejected", { keyPath: "client_key" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

// Run fn(store) in one transaction; resolve with the last request's result once it commits.
// Only new scans need "strict" (on disk before the verdict shows); a removal lost to a power cut
// just means a resend, which the server answers from its record.
async function run(name, mode, fn, durability = "relaxed") {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode, { durability });
    let result;
    const req = fn(tx.objectStore(name));
    if (req) req.onsuccess = () => (result = req.result);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const savePack = (pack) => run("pack", "readwrite", (s) => s.put({ id: "current", pack }));
export const loadPack = async () => (await run("pack", "readonly", (s) => s.get("current")))?.pack ?? null;
export const forgetPack = () => run("pack", "readwrite", (s) => s.delete("current"));

/** Store scans in one transaction (a burst of scans costs one flush to disk, not one each). */
export const enqueue = (...scans) =>
  run("queue", "readwrite", (s) => scans.map((scan) => s.add(scan)).at(-1), "strict");
export const waiting = () => run("queue", "readonly", (s) => s.count());
/** Every queued scan, oldest scan first (the order the server must hear them in). */
export const queued = () => run("queue", "readonly", (s) => s.index("by_time").getAll());
export const remove = (key) => run("queue", "readwrite", (s) => s.delete(key));

/** Move a scan the server refused to record (bad input) out of the queue, with its message. */
export async function reject(scan, message) {
  const db = await open();
  return new Promise((resolve, fail) => {
    const tx = db.transaction(["queue", "rejected"], "readwrite", { durability: "strict" });
    tx.objectStore("rejected").put({ ...scan, message });
    tx.objectStore("queue").delete(scan.client_key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => fail(tx.error);
    tx.onabort = () => fail(tx.error);
  });
}
export const rejectedCount = () => run("rejected", "readonly", (s) => s.count());
