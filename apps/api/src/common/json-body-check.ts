import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from './app-error.js';

/** Deeper than any request of the API needs (an invoice body is 6 levels deep): refused before anything recurses. */
export const MAX_JSON_DEPTH = 64;

/** Keys that reach an object's prototype in some JavaScript code: refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * XML 1.0's Char production (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF). A string outside it
 * cannot be sent to ARCA in a SOAP body, and PostgreSQL's jsonb refuses U+0000 and unpaired surrogates, which it
 * also excludes.
 */
const XML_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** A value on the walk: its parent and key give its path, spelled out only when it is refused. */
interface Frame {
  value: unknown;
  parent?: Frame;
  key?: string;
  depth: number;
}

function pathOf(frame: Frame): string {
  const keys: string[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * Why a parsed JSON value cannot be accepted (too deep, a forbidden key, a character XML 1.0 cannot carry),
 * naming the field; undefined when it can. Iterative, so a hostile depth costs no stack; paths are spelled out
 * only for the value refused, and a key seen once is not checked again, so a large body costs little.
 */
export function jsonProblem(root: unknown): { field: string; rule: string; message: string } | undefined {
  const stack: Frame[] = [{ value: root, depth: 0 }];
  const goodKeys = new Set<string>();
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (typeof value === 'string') {
      const bad = badCharacter(value);
      if (bad) {
        const field = pathOf(frame) || '(body)';
        return { field, rule: 'xmlChar', message: `${field} ${bad}` };
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      const field = pathOf(frame) || '(body)';
      return {
        field,
        rule: 'maxDepth',
        message: `${field} is nested deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) {
        const problem = visit(value[index], frame, String(index), depth + 1, stack);
        if (problem) return problem;
      }
      continue;
    }
    for (const key in value as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (!goodKeys.has(key)) {
        if (FORBIDDEN_KEYS.has(key)) {
          const child = pathOf({ value: undefined, parent: frame, key, depth });
          return { field: child, rule: 'whitelistValidation', message: `${child} is not a known field` };
        }
        const bad = badCharacter(key);
        if (bad) {
          const child = pathOf({ value: undefined, parent: frame, key, depth });
          return { field: child, rule: 'xmlChar', message: `a field name ${bad}` };
        }
        goodKeys.add(key);
      }
      const problem = visit((value as Record<string, unknown>)[key], frame, key, depth + 1, stack);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * A child on the walk: a string is checked at once and a number, boolean or null needs nothing, so only objects and
 * arrays take a frame (an invoice body is mostly scalars: a 1,000-voucher refusal walks 20,000 of them).
 */
function visit(
  child: unknown,
  parent: Frame,
  key: string,
  depth: number,
  stack: Frame[],
): { field: string; rule: string; message: string } | undefined {
  if (typeof child === 'string') {
    const bad = badCharacter(child);
    if (!bad) return undefined;
    const field = pathOf({ value: child, parent, key, depth });
    return { field, rule: 'xmlChar', message: `${field} ${bad}` };
  }
  if (child !== null && typeof child === 'object') stack.push({ value: child, parent, key, depth });
  return undefined;
}

/** True for text of tab, LF, CR and U+0020..U+D7FF only: the common case, checked without a regular expression. */
function plainText(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 ? code !== 9 && code !== 10 && code !== 13 : code >= 0xd800) return false;
  }
  return true;
}

function badCharacter(text: string): string | undefined {
  if (plainText(text) || XML_TEXT.test(text)) return undefined;
  for (const char of text) {
    if (!XML_TEXT.test(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      return `contains U+${code}, a character that XML 1.0 (ARCA's SOAP) and PostgreSQL cannot carry`;
    }
  }
  return 'contains a character that XML 1.0 cannot carry';
}

/**
 * After the JSON parser: the body and the query string are refused (400, naming the field) when `jsonProblem`
 * finds one, before validation, the database or ARCA see them.
 */
export function checkJsonInput(
  req: IncomingMessage & { body?: unknown; query?: unknown },
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const problem = jsonProblem(req.body) ?? jsonProblem(req.query);
  if (!problem) {
    next();
    return;
  }
  next(new AppError('VALIDATION_FAILED', problem.message, [problem]));
}
