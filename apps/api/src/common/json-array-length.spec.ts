import { describe, expect, it } from 'vitest';
import { jsonArrayLength } from './json-array-length.js';

const PATH = ['FeCAEReq', 'FeDetReq', 'FECAEDetRequest'].map((key) => new TextEncoder().encode(key));
const lengthOf = (text: string): number | undefined => jsonArrayLength(Buffer.from(text), PATH);

/** What the parsed text holds at the path: the figure the scan must agree with whenever it answers. */
function parsedLength(text: string): number | undefined {
  const value = (JSON.parse(text) as { FeCAEReq?: { FeDetReq?: { FECAEDetRequest?: unknown } } }).FeCAEReq
    ?.FeDetReq?.FECAEDetRequest;
  return Array.isArray(value) ? value.length : undefined;
}

/** A random JSON value whose strings carry quotes, backslashes, brackets and commas, to mislead a byte scan. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 4 : 6));
  const text = () => ['a"b', 'c\\', '[', '{', ',', ':', 'ñ', 'x\\"]'][Math.floor(random() * 8)]!;
  if (pick === 0) return text();
  if (pick === 1) return Math.round(random() * 1e6) / 100;
  if (pick === 2) return random() < 0.5 ? null : true;
  if (pick === 3) return -0.5e-3;
  if (pick === 4)
    return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(random() * 4) }, (_, index) => [
      `${text()}${index}`,
      randomValue(random, depth + 1),
    ]),
  );
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('jsonArrayLength', () => {
  it('counts the items of the array at the path, whatever they are and however the text is spaced', () => {
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[]}}}')).toBe(0);
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[{"a":[1,2,3]},"x,y",[4,5],7,null]}}}')).toBe(
      5,
    );
    expect(
      lengthOf(
        ' \n{ "Auth" : {"Cuit":20123456789} ,\t"FeCAEReq" : { "FeCabReq":{"CantReg":2},\r\n' +
          ' "FeDetReq" : { "FECAEDetRequest" : [ {} , {"FECAEDetRequest":[1]} ] } } }\n',
      ),
    ).toBe(2);
  });

  it('agrees with JSON.parse on random bodies with the path hidden among look-alike keys and strings', () => {
    const random = seeded(7);
    let answered = 0;
    for (let round = 0; round < 2_000; round += 1) {
      const details = Array.from({ length: Math.floor(random() * 6) }, () => randomValue(random, 1));
      const body = {
        noise: randomValue(random, 0),
        FeCAEReq: {
          before: randomValue(random, 1),
          FeDetReq: { FECAEDetRequest: details, after: randomValue(random, 2) },
          FeCabReq: { FECAEDetRequest: randomValue(random, 2) },
        },
        tail: [randomValue(random, 1)],
      };
      const text = JSON.stringify(body, null, round % 3 === 0 ? 2 : undefined);
      const scanned = lengthOf(text);
      if (scanned !== undefined) answered += 1;
      expect(scanned).toBe(parsedLength(text));
    }
    expect(answered).toBe(2_000);
  });

  it('does not answer when the value at the path is not an array or is missing', () => {
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":{"a":1}}}}')).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"Other":[1,2]}}}')).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":[{"FeDetReq":{"FECAEDetRequest":[1,2]}}]}')).toBeUndefined();
    expect(lengthOf('[{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2]}}}]')).toBeUndefined();
  });

  it('gives up where the parser could read another value: a key repeated on the path, or spelled with escapes', () => {
    // JSON.parse keeps the last of repeated keys, so the first array is not the one the handler would see.
    expect(
      lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2,3],"FECAEDetRequest":[1]}}}'),
    ).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2,3]}},"FeCAEReq":{}}')).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2,3]},"FeDetReq":1}}')).toBeUndefined();
    expect(
      lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2,3],"FECAEDet\\u0052equest":[1]}}}'),
    ).toBeUndefined();
    // Repeated keys off the path change nothing.
    expect(
      lengthOf(
        '{"a":1,"a":2,"FeCAEReq":{"x":{"FeDetReq":1,"FeDetReq":2},"FeDetReq":{"FECAEDetRequest":[1]}}}',
      ),
    ).toBe(1);
  });

  it('does not answer for a text whose brackets do not balance or that goes on after the object', () => {
    const whole = '{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2]}}}';
    expect(lengthOf(whole)).toBe(2);
    for (let cut = 0; cut < whole.length; cut += 1) expect(lengthOf(whole.slice(0, cut))).toBeUndefined();
    expect(lengthOf(`${whole}{}`)).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[{"a":[1}],2]}}}')).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,,2]}}}')).toBeUndefined();
    expect(lengthOf(whole.replace(']}', '}}'))).toBeUndefined();
    expect(lengthOf('{"FeCAEReq":{"FeDetReq":{"FECAEDetRequest":[1,2]}}, "open": "no end}}')).toBeUndefined();
  });
});
