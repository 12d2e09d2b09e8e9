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

/**
 * Why a parsed JSON value cannot be accepted (too deep, a forbidden key, a character XML 1.0 cannot carry),
 * naming the field; undefined when it can. Iterative, so a hostile depth costs no stack.
 */
export function jsonProblem(root: unknown): { field: string; rule: string; message: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    const field = path || '(body)';
    if (typeof value === 'string') {
      const bad = badCharacter(value);
      if (bad) return { field, rule: 'xmlChar', message: `${field} ${bad}` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      return {
        field,
        rule: 'maxDepth',
        message: `${field} is nested deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value as Record<string, unknown>);
    for (const [key, item] of entries) {
      const child = path ? `${path}.${key}` : key;
      if (!Array.isArray(value)) {
        if (FORBIDDEN_KEYS.has(key)) {
          return { field: child, rule: 'whitelistValidation', message: `${child} is not a known field` };
        }
        const bad = badCharacter(key);
        if (bad) return { field: child, rule: 'xmlChar', message: `a field name ${bad}` };
      }
      stack.push({ value: item, path: child, depth: depth + 1 });
    }
  }
  return undefined;
}

function badCharacter(text: string): string | undefined {
  if (XML_TEXT.test(text)) return undefined;
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
