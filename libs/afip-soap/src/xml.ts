import { DOMParser, type Element, onErrorStopParsing } from '@xmldom/xmldom';

export type { Element } from '@xmldom/xmldom';

/** XML text could not be read: malformed, truncated, or not XML at all. */
export class XmlParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XmlParseError';
  }
}

/**
 * What a document may be before it is parsed. ARCA's messages are at most about ten elements deep; the largest
 * (a 1,000-voucher FECAESolicitar, FEParamGetActividades) hold tens of thousands of elements in a few MB.
 */
export interface XmlLimits {
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

export const XML_LIMITS: XmlLimits = { maxChars: 8 * 1024 * 1024, maxDepth: 32, maxElements: 200_000 };

/**
 * Why `text` may not be parsed (too large, too deep, too many elements, or a DTD, which SOAP forbids and which is
 * how entity-expansion attacks start); undefined when it may. One pass over the text, no tree and no recursion,
 * so a hostile document costs its length and nothing more.
 */
export function xmlShapeProblem(text: string, limits: XmlLimits = XML_LIMITS): string | undefined {
  if (text.length > limits.maxChars) return `the document is larger than ${limits.maxChars} characters`;
  let depth = 0;
  let elements = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    const next = text[at + 1];
    let end: number;
    if (next === '/') {
      depth -= 1;
      end = text.indexOf('>', at);
    } else if (next === '?') {
      end = text.indexOf('?>', at) + 1;
    } else if (text.startsWith('<!--', at)) {
      end = text.indexOf('-->', at) + 2;
    } else if (text.startsWith('<![CDATA[', at)) {
      end = text.indexOf(']]>', at) + 2;
    } else if (next === '!') {
      return 'the document declares a DTD, which SOAP messages may not';
    } else {
      end = startTagEnd(text, at);
      elements += 1;
      if (depth + 1 > limits.maxDepth) {
        return `the document nests elements deeper than ${limits.maxDepth} levels`;
      }
      if (text[end - 1] !== '/') depth += 1;
      if (elements > limits.maxElements) return `the document has more than ${limits.maxElements} elements`;
    }
    // An unterminated construct: the parser reports it as malformed.
    if (end <= at) return undefined;
    at = text.indexOf('<', end + 1);
  }
  return undefined;
}

/** Where the start tag opened at `at` ends (its `>`), skipping quoted attribute values; -1 if it never does. */
function startTagEnd(text: string, at: number): number {
  let quote: string | undefined;
  for (let index = at + 1; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    }
  }
  return -1;
}

/**
 * Parses namespace-aware XML and returns the document element; any well-formedness error throws, and so does a
 * document beyond `limits`, before any tree is built.
 */
export function parseXml(text: string, limits: XmlLimits = XML_LIMITS): Element {
  const problem = xmlShapeProblem(text, limits);
  if (problem) throw new XmlParseError(problem);
  let document;
  try {
    document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new XmlParseError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const root = document.documentElement;
  if (!root) throw new XmlParseError('no document element');
  return root as unknown as Element;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => XML_ENTITIES[char] as string);
}

/** Escaping for element text as .NET's serializer writes it: only `&`, `<` and `>`. */
export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (char) => XML_ENTITIES[char] as string);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Child elements of `node`, optionally only those with the given namespace and local name. */
export function childElements(node: Element, namespace?: string | null, localName?: string): Element[] {
  const result: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== 1) continue;
    const element = child as unknown as Element;
    if (localName !== undefined && element.localName !== localName) continue;
    if (namespace !== undefined && (element.namespaceURI ?? null) !== namespace) continue;
    result.push(element);
  }
  return result;
}

export function firstChild(node: Element, namespace: string | null, localName: string): Element | undefined {
  return childElements(node, namespace, localName)[0];
}

/** Concatenated text content of an element (CDATA included). */
export function textOf(node: Element): string {
  return node.textContent ?? '';
}
