const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** Deeper than this inside a value skipped, the scan gives up (the parser and the depth check take over). */
const MAX_SKIP_DEPTH = 256;
const FAILED = -1;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  while (isSpace(bytes[at])) at += 1;
  return at;
}

/** The index after the quote that closes the string opening at `at`, or FAILED when the text ends first. */
function skipString(bytes: Uint8Array, at: number): number {
  for (at += 1; at < bytes.length; at += 1) {
    const byte = bytes[at];
    if (byte === QUOTE) return at + 1;
    if (byte === BACKSLASH) at += 1;
  }
  return FAILED;
}

/** The index after the value starting at `at` (brackets matched by kind, strings skipped whole), or FAILED. */
function skipValue(bytes: Uint8Array, at: number, open: Uint8Array): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    const start = at;
    while (at < bytes.length) {
      const byte = bytes[at];
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) break;
      at += 1;
    }
    return at > start ? at : FAILED;
  }
  let depth = 0;
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte === QUOTE) {
      at = skipString(bytes, at);
      if (at === FAILED) return FAILED;
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (depth === MAX_SKIP_DEPTH) return FAILED;
      open[depth++] = byte;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      if (depth === 0 || open[--depth] !== byte - 2) return FAILED; // '}' - 2 is '{', ']' - 2 is '['
      if (depth === 0) return at + 1;
    }
    at += 1;
  }
  return FAILED;
}

/** The scan of one text: walks only the objects on the path, and skips everything else whole. */
class PathScan {
  private readonly open = new Uint8Array(MAX_SKIP_DEPTH);
  items: number | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly path: readonly Uint8Array[],
  ) {}

  /** The index after the object at `at`, whose keys are checked against path[level]; FAILED to give up. */
  object(at: number, level: number): number {
    const { bytes, path } = this;
    const key = path[level]!;
    let matched = false;
    at = skipSpace(bytes, at + 1);
    if (bytes[at] === CLOSE_OBJECT) return at + 1;
    for (;;) {
      if (bytes[at] !== QUOTE) return FAILED;
      const end = skipString(bytes, at);
      if (end === FAILED) return FAILED;
      const onPath = this.spells(at + 1, end - 1, key);
      // An escaped key could spell the path's key: the parser's reading is not certain without unescaping.
      if (!onPath && bytes.subarray(at + 1, end - 1).includes(BACKSLASH)) return FAILED;
      at = skipSpace(bytes, end);
      if (bytes[at] !== COLON) return FAILED;
      at = skipSpace(bytes, at + 1);
      if (onPath) {
        // The parser keeps the last of repeated keys: a second one on the path leaves the answer to it.
        if (matched) return FAILED;
        matched = true;
        if (level + 1 === path.length) at = bytes[at] === OPEN_ARRAY ? this.array(at) : FAILED;
        else if (bytes[at] === OPEN_OBJECT) at = this.object(at, level + 1);
        else at = skipValue(bytes, at, this.open);
      } else at = skipValue(bytes, at, this.open);
      if (at === FAILED) return FAILED;
      at = skipSpace(bytes, at);
      if (bytes[at] === CLOSE_OBJECT) return at + 1;
      if (bytes[at] !== COMMA) return FAILED;
      at = skipSpace(bytes, at + 1);
    }
  }

  /** The index after the array at the path, its items counted. */
  private array(at: number): number {
    const { bytes } = this;
    let items = 0;
    at = skipSpace(bytes, at + 1);
    if (bytes[at] !== CLOSE_ARRAY) {
      for (;;) {
        at = skipValue(bytes, at, this.open);
        if (at === FAILED) return FAILED;
        items += 1;
        at = skipSpace(bytes, at);
        if (bytes[at] === CLOSE_ARRAY) break;
        if (bytes[at] !== COMMA) return FAILED;
        at = skipSpace(bytes, at + 1);
      }
    }
    this.items = items;
    return at + 1;
  }

  private spells(start: number, end: number, key: Uint8Array): boolean {
    if (end - start !== key.length) return false;
    for (let index = 0; index < key.length; index += 1)
      if (this.bytes[start + index] !== key[index]) return false;
    return true;
  }
}

/**
 * Reads how many items a JSON text's array at `path` (object keys from the root) holds, from the bytes, without
 * building the value: a large body can then be refused for its count at the cost of one pass, not of a parse.
 * Answers only when the answer is certain, so that a refusal on it is the one the parsed body would get: the text
 * is one object, its brackets match, each key on the path appears once in its object and unescaped (an escaped
 * key there, which could spell the path, gives up), and the value at the path is an array. Otherwise undefined,
 * and the caller goes on to the parser. Only the objects on the path are read key by key; inside other values it
 * checks brackets and strings, not the rest of the grammar (a misspelled literal is the parser's to find, and such
 * a text may be refused for its count first).
 */
export function jsonArrayLength(bytes: Uint8Array, path: readonly Uint8Array[]): number | undefined {
  if (path.length === 0) return undefined;
  const scan = new PathScan(bytes, path);
  const start = skipSpace(bytes, 0);
  if (bytes[start] !== OPEN_OBJECT) return undefined;
  const end = scan.object(start, 0);
  if (end === FAILED || skipSpace(bytes, end) !== bytes.length) return undefined;
  return scan.items;
}
