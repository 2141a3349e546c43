// Offline badge check on the tablet: the ship's Ed25519 signature (WebCrypto) and the cached
// offline pack (roster, revoked badges, plan basics). The verdict is PROVISIONAL: the server
// decides again on its own records when the queued scan reaches it (gangway/domain/offline.py).
//
// Badge text (gangway/domain/badges.py): "GW1:" + base32 (RFC 4648, no padding) of
// key_id:u8 | badge_id:u32 | valid_from:u32 | valid_until:u32 | signature:64 (big-endian, Unix s),
// signed over "gangway-badge-v1" + the 13 body bytes. The rules mirror gangway/domain/access.py.

const PREFIX = "GW1:";
const BODY_LEN = 13;
const SIG_LEN = 64;
const TEXT_LEN = Math.ceil(((BODY_LEN + SIG_LEN) * 8) / 5);
const CONTEXT = new TextEncoder().encode("gangway-badge-v1");
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LOOKS_OURS = /^GW\d+:/i;
// One spelling verifies (gangway/domain/badges.py): only ASCII space, Tab, CR, LF come off the ends.
const SPELLING = new RegExp(`^${PREFIX}[A-Z2-7]{${TEXT_LEN}}$`);
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/gu;

/** Take off what scanners add at the ends of a code (ASCII space, Tab, CR, LF), nothing else. */
export const scannedText = (text) => text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");

/** A text shaped like a badge, as typed or read loosely (case, NFKC, no spaces): altered. */
function badgeShaped(text) {
  const full = PREFIX.length + TEXT_LEN;
  if (text.length === full && text.slice(0, PREFIX.length).toUpperCase() === PREFIX) return true;
  const loose = text.normalize("NFKC").toLowerCase().normalize("NFKC").toUpperCase().replace(INVISIBLE, "");
  return loose.length === full && loose.startsWith(PREFIX);
}

const refusal = (code, message) => ({ code, message, severity: "refusal" });
const warning = (code, message) => ({ code, message, severity: "warning" });

const R = {
  unverifiable: refusal("offline_unverifiable", "Only the ship's badges can be checked offline: check this person again when the network is back."),
  noCrypto: refusal("offline_unverifiable", "This tablet cannot check signatures (it needs HTTPS): check the ID by hand."),
  noPack: refusal("offline_unverifiable", "No badge list on this tablet yet: check the ID by hand."),
  malformed: refusal("malformed_code", "The code could not be read as a badge. Check the ID by hand."),
  forged: refusal("forged", "Badge signature is invalid: the code was altered or forged."),
  unknownBadge: refusal("unknown_badge", "This badge is not in the tablet's offline list (issued since the last update?)."),
};

function base32Decode(text) {
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text) {
    const n = ALPHABET.indexOf(ch);
    if (n < 0) return null;
    value = ((value << 5) | n) & 0x1fff; // at most 12 pending bits: keep it small
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  // Non-zero leftover bits would let two texts share one signature: refuse, as the server does.
  if (bits && value & ((1 << bits) - 1)) return null;
  return new Uint8Array(out);
}

function b64urlBytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "===".slice((b64.length + 3) % 4)), (c) => c.charCodeAt(0));
}

/** Return the lookups a check needs: the roster by badge id and the revoked badge ids. */
export function indexPack(pack) {
  const badges = pack?.badges || [];
  return {
    roster: new Map(badges.map((b) => [b.badge_id, b])),
    revoked: new Set(pack?.revoked || []),
    // Who is aboard, as the pack said; the tablet's own offline crossings update it.
    aboard: new Map(badges.map((b) => [b.person.id, Boolean(b.person.aboard)])),
  };
}

/** Return the direction of a crossing: the point's only one, the one asked for, or across. */
export function chooseDirection(asked, point, isAboard) {
  if (point?.one_way) return point.one_way;
  if (asked === "board" || asked === "depart") return asked;
  return isAboard ? "depart" : "board";
}

const NO_VISIT_PURPOSE = ["crew", "passenger"];

/** Import the pack's public keys for Ed25519 verification: Map(key_id -> CryptoKey). */
export async function importKeys(pack) {
  const keys = new Map();
  if (!pack || !globalThis.crypto?.subtle) return keys;
  for (const k of pack.keys || []) {
    const key = await crypto.subtle.importKey("raw", b64urlBytes(k.public_key), { name: "Ed25519" }, false, ["verify"]);
    keys.set(k.key_id, key);
  }
  return keys;
}

/** Read and verify a badge text; return {claims} or {problem}. */
export async function verifyBadge(text, keys) {
  text = scannedText(text);
  if (text.length > 512) return { problem: R.malformed };
  if (!SPELLING.test(text)) return { problem: badgeShaped(text) ? R.forged : R.malformed };
  const b32 = text.slice(PREFIX.length);
  const raw = base32Decode(b32);
  if (!raw || raw.length !== BODY_LEN + SIG_LEN) return { problem: R.forged };
  const body = raw.subarray(0, BODY_LEN);
  const view = new DataView(body.buffer, body.byteOffset, BODY_LEN);
  const claims = {
    keyId: view.getUint8(0),
    badgeId: view.getUint32(1),
    validFrom: view.getUint32(5) * 1000,
    validUntil: view.getUint32(9) * 1000,
  };
  const key = keys.get(claims.keyId);
  if (!key) return { problem: R.forged };
  const signed = new Uint8Array(CONTEXT.length + BODY_LEN);
  signed.set(CONTEXT);
  signed.set(body, CONTEXT.length);
  const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, raw.subarray(BODY_LEN), signed);
  return ok ? { claims } : { problem: R.forged };
}

/**
 * Decide a scan offline. scan: {code, direction ("auto", "board", "depart"), purpose, accessPoint};
 * ctx: {pack, keys, roster: Map(badge id -> entry), revoked: Set(badge id), aboard: Map(person
 * id -> bool), now}. Returns {verdict: "allowed" | "refused", direction, reasons, person}.
 */
export async function checkOffline(scan, ctx) {
  const point = ctx.pack?.policy.access_points.find((p) => p.code === scan.accessPoint);
  let direction = chooseDirection(scan.direction, point, false);
  const decided = (reasons, person = null) => {
    reasons.sort((a, b) => (a.severity === "refusal" ? 0 : 1) - (b.severity === "refusal" ? 0 : 1));
    const refused = reasons.some((r) => r.severity === "refusal");
    return { verdict: refused ? "refused" : "allowed", direction, reasons, person };
  };
  if (!LOOKS_OURS.test(scannedText(scan.code)) && !badgeShaped(scannedText(scan.code))) return decided([R.unverifiable]);
  if (!globalThis.crypto?.subtle || !ctx.keys) return decided([R.noCrypto]);
  if (!ctx.pack) return decided([R.noPack]);
  const { claims, problem } = await verifyBadge(scan.code, ctx.keys);
  if (problem) return decided([problem]);
  const badge = ctx.roster.get(claims.badgeId);
  if (!badge) return decided([R.unknownBadge]);
  const person = badge.person;
  direction = chooseDirection(scan.direction, point, ctx.aboard?.get(person.id) ?? person.aboard);
  const leaving = direction === "depart";
  const found = [
    ...signedOff(person, leaving),
    ...levelRules(person, scan, ctx.pack.policy, leaving),
    ...watchList(person, leaving),
    ...validity(claims, badge, ctx.revoked.has(badge.badge_id), leaving, ctx.now),
    ...workOrder(person, leaving, ctx.now),
    ...passback(person, leaving, ctx.aboard?.get(person.id) ?? person.aboard, ctx.pack.policy),
  ];
  const policy = ctx.pack.policy;
  // Purpose belongs to the person: the registered one, else what the watch was told.
  const purpose = NO_VISIT_PURPOSE.includes(person.kind) ? "" : (person.purpose || scan.purpose || "").trim();
  if (!leaving && policy.purpose_required_for.includes(person.kind) && !purpose) {
    found.push(refusal("purpose_required", "No purpose of visit on record: the SSO must register one."));
  }
  const escorted = policy.level > 1 && policy.escorted_kinds.includes(person.kind);
  if (!leaving && escorted && !found.some((r) => r.severity === "refusal")) {
    found.push(refusal("escort_needed", "Escort needed, and none can be assigned offline: ask the SSO."));
  }
  return decided(found, person);
}

function levelRules(person, scan, policy, leaving) {
  const found = [];
  const point = policy.access_points.find((p) => p.code === scan.accessPoint);
  if (point && !point.open_levels.includes(policy.level)) {
    found.push(refusal("access_point_closed", `${point.name} is closed at security level ${policy.level}.`));
  }
  if (!leaving && policy.embarkation_suspended) {
    found.push(refusal("embarkation_suspended", "Embarkation is suspended by the SSO."));
  }
  if (leaving && policy.disembarkation_suspended) {
    found.push(refusal("disembarkation_suspended", "Disembarkation is suspended by the SSO."));
  }
  const crewBoard = person.kind === "crew" && policy.crew_board_at_level_3 !== false;
  if (!leaving && policy.level === 3 && !person.is_responder && !crewBoard) {
    found.push(refusal("responders_only", "Security level 3: only those responding to the incident may board."));
  }
  return found;
}

// Anti-passback as the plan sets it per kind (domain/access.py _passback, reasons.py words).
const KIND_WORDS = { crew: "crew", authority: "authorities", passenger: "passengers" };

function passback(person, leaving, aboard, policy) {
  const who = KIND_WORDS[person.kind] ?? `${person.kind}s`;
  if (!leaving && aboard) {
    const refused = (policy.passback_refuse_board ?? []).includes(person.kind);
    return refused
      ? [refusal("already_aboard", `Already recorded aboard: the plan refuses boarding twice for ${who} (one badge, one person). If they left without a scan, record their departure first.`)]
      : [warning("already_aboard", "Already recorded aboard: boarding twice.")];
  }
  if (leaving && !aboard) {
    const refused = (policy.passback_refuse_depart ?? []).includes(person.kind);
    return refused
      ? [refusal("not_aboard", `Not recorded aboard: the plan refuses leaving twice for ${who}. Call the SSO.`)]
      : [warning("not_aboard", "Not recorded aboard: departing without a boarding record.")];
  }
  return [];
}

function signedOff(person, leaving) {
  if (!person.signed_off) return [];
  return leaving
    ? [warning("signed_off", "Signed off: no longer one of this ship's crew (departure recorded).")]
    : [refusal("signed_off", "Signed off: no longer one of this ship's crew.")];
}

function watchList(person, leaving) {
  if (!person.watch_listed) return [];
  return leaving
    ? [warning("watch_listed", `On the watch list: ${person.watch_listed}. Tell the SSO.`)]
    : [refusal("watch_listed", `On the watch list: ${person.watch_listed}. Refuse and call the SSO.`)];
}

function validity(claims, badge, revoked, leaving, now) {
  // Leaving is never blocked by a lapsed badge: the ship wants that person off (warning only).
  const make = leaving ? (c, m) => warning(c, `${m} (departure recorded).`) : (c, m) => refusal(c, `${m}.`);
  const found = [];
  if (revoked) found.push(make("revoked", "Badge has been revoked"));
  const from = Math.max(claims.validFrom, Date.parse(badge.valid_from));
  const until = Math.min(claims.validUntil, Date.parse(badge.valid_until));
  if (now < from) found.push(make("not_yet_valid", "Badge is not valid yet"));
  else if (now >= until) found.push(make("expired", "Badge has expired"));
  return found;
}

function workOrder(person, leaving, now) {
  if (person.kind !== "contractor") return [];
  const make = leaving ? (c, m) => warning(c, `${m} (departure recorded).`) : (c, m) => refusal(c, `${m}.`);
  const start = person.work_order_valid_from && Date.parse(person.work_order_valid_from);
  const end = person.work_order_valid_until && Date.parse(person.work_order_valid_until);
  if (start && now < start) return [make("work_order_not_yet_valid", "The work order is not valid yet")];
  if (end && now >= end) return [make("work_order_expired", "The work order has expired")];
  return [];
}
