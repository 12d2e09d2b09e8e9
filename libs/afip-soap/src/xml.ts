import { DOMParser, type Element, onErrorStopParsing } from '@xmldom/xmldom';

export type { Element } from '@xmldom/xmldom';

/** XML text could not be read: malformed, truncated, or not XML at all. */
export class XmlParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XmlParseError';
  }
}

/** Parses namespace-aware XML and returns the document element; any well-formedness error throws. */
export function parseXml(text: string): Element {
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
