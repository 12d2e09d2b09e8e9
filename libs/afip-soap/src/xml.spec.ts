import { describe, expect, it } from 'vitest';
import { parseXml, XmlParseError, xmlShapeProblem } from './xml.js';

const envelope = (inner: string) =>
  `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${inner}</soap:Body></soap:Envelope>`;

describe('XML limits before any tree is built', () => {
  it("accepts ARCA's shapes: attributes with '>' in quotes, comments, CDATA, self-closing elements", () => {
    const text = envelope(
      `<!-- a <comment> --><a x="1>2" y='&lt;b/>'><b/><![CDATA[<not><an><element>]]><c>text</c></a>`,
    );
    expect(xmlShapeProblem(text)).toBeUndefined();
    expect(parseXml(text).localName).toBe('Envelope');
  });

  it('refuses a document nested deeper than the limit, in one pass and without recursion', () => {
    const deep = envelope(`${'<a>'.repeat(140_000)}${'</a>'.repeat(140_000)}`);
    expect(xmlShapeProblem(deep)).toBe('the document nests elements deeper than 32 levels');
    expect(() => parseXml(deep)).toThrow(XmlParseError);
    const limits = { maxChars: 1_000_000, maxDepth: 5, maxElements: 100 };
    expect(xmlShapeProblem('<a><b><c><d><e/></d></c></b></a>', limits)).toBeUndefined();
    expect(xmlShapeProblem('<a><b><c><d><e><f/></e></d></c></b></a>', limits)).toMatch(/deeper than 5/);
  });

  it('refuses too many elements, too many characters, and any DTD', () => {
    const limits = { maxChars: 200, maxDepth: 32, maxElements: 10 };
    expect(xmlShapeProblem(`<a>${'<b/>'.repeat(9)}</a>`, limits)).toBeUndefined();
    expect(xmlShapeProblem(`<a>${'<b/>'.repeat(10)}</a>`, limits)).toBe(
      'the document has more than 10 elements',
    );
    expect(xmlShapeProblem(`<a>${'x'.repeat(200)}</a>`, limits)).toBe(
      'the document is larger than 200 characters',
    );
    const bomb = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>';
    expect(xmlShapeProblem(bomb)).toBe('the document declares a DTD, which SOAP messages may not');
    expect(() => parseXml(bomb)).toThrow(/DTD/);
  });

  it('leaves an unterminated document to the parser, which reports it as malformed', () => {
    expect(xmlShapeProblem('<a><b attr="x')).toBeUndefined();
    expect(() => parseXml('<a><b attr="x')).toThrow(XmlParseError);
  });
});
