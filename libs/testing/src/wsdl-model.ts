import { DOMParser, type Element } from '@xmldom/xmldom';

const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const SOAP11 = 'http://schemas.xmlsoap.org/wsdl/soap/';
const SOAP12 = 'http://schemas.xmlsoap.org/wsdl/soap12/';

/**
 * What a WSDL document commits a client and a server to, keyed so two documents can be compared entry by entry:
 * operations (input/output elements), SOAPActions per SOAP version, schema elements and complex types (with
 * every child element's name, type, occurrence and nillability), and namespaces. Prefixes are resolved, so the
 * comparison does not depend on how a document spells them.
 */
export interface WsdlModel {
  targetNamespace: string;
  entries: Map<string, string>;
}

export function readWsdlModel(xml: string): WsdlModel {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const root = document.documentElement as unknown as Element;
  const entries = new Map<string, string>();
  const qname = (node: Element, value: string | null): string => {
    if (!value) return '';
    const [prefix, local] = value.includes(':') ? value.split(':') : [null, value];
    return `{${node.lookupNamespaceURI(prefix ?? null) ?? ''}}${local}`;
  };
  const children = (node: Element, ns: string, name: string) =>
    Array.from(node.childNodes).filter(
      (child): child is Element =>
        child.nodeType === 1 &&
        (child as Element).namespaceURI === ns &&
        (child as Element).localName === name,
    );
  const describeSequence = (node: Element): string => {
    const sequence = children(node, XSD, 'sequence')[0];
    if (!sequence) return '';
    return children(sequence, XSD, 'element')
      .map((field) => {
        const min = field.getAttribute('minOccurs') ?? '1';
        const max = field.getAttribute('maxOccurs') ?? '1';
        const nillable = field.getAttribute('nillable') === 'true' ? ' nillable' : '';
        return `${field.getAttribute('name')}:${qname(field, field.getAttribute('type'))}[${min}..${max}]${nillable}`;
      })
      .join(', ');
  };
  const describeComplexType = (type: Element): string => {
    const content = children(type, XSD, 'complexContent')[0];
    const extension = content ? children(content, XSD, 'extension')[0] : undefined;
    if (extension)
      return `extends ${qname(extension, extension.getAttribute('base'))} (${describeSequence(extension)})`;
    return `(${describeSequence(type)})`;
  };

  for (const types of children(root, WSDL, 'types')) {
    for (const schema of children(types, XSD, 'schema')) {
      const ns = schema.getAttribute('targetNamespace') ?? '';
      for (const element of children(schema, XSD, 'element')) {
        const inline = children(element, XSD, 'complexType')[0];
        const type = inline ? describeComplexType(inline) : qname(element, element.getAttribute('type'));
        entries.set(`element {${ns}}${element.getAttribute('name')}`, type);
      }
      for (const type of children(schema, XSD, 'complexType')) {
        entries.set(`type {${ns}}${type.getAttribute('name')}`, describeComplexType(type));
      }
    }
  }
  const messages = new Map(
    children(root, WSDL, 'message').map((message) => {
      const part = children(message, WSDL, 'part')[0];
      return [message.getAttribute('name') ?? '', part ? qname(part, part.getAttribute('element')) : ''];
    }),
  );
  const messageElement = (node: Element | undefined) => {
    const name = node?.getAttribute('message')?.split(':').pop() ?? '';
    return messages.get(name) ?? '';
  };
  for (const portType of children(root, WSDL, 'portType')) {
    for (const operation of children(portType, WSDL, 'operation')) {
      const input = messageElement(children(operation, WSDL, 'input')[0]);
      const output = messageElement(children(operation, WSDL, 'output')[0]);
      entries.set(`operation ${operation.getAttribute('name')}`, `${input} -> ${output}`);
    }
  }
  for (const binding of children(root, WSDL, 'binding')) {
    const version = children(binding, SOAP12, 'binding').length > 0 ? 'SOAP 1.2' : 'SOAP 1.1';
    const soapNs = version === 'SOAP 1.2' ? SOAP12 : SOAP11;
    for (const operation of children(binding, WSDL, 'operation')) {
      const soapOperation = children(operation, soapNs, 'operation')[0];
      const style =
        soapOperation?.getAttribute('style') ??
        children(binding, soapNs, 'binding')[0]?.getAttribute('style') ??
        'document';
      entries.set(
        `soapAction ${version} ${operation.getAttribute('name')}`,
        `"${soapOperation?.getAttribute('soapAction') ?? ''}" ${style}`,
      );
    }
  }
  return { targetNamespace: root.getAttribute('targetNamespace') ?? '', entries };
}

/** Every entry of `ours` that `reference` lacks or declares differently; and what `reference` has that ours lacks. */
export function compareWsdl(ours: WsdlModel, reference: WsdlModel): { differs: string[]; missing: string[] } {
  const differs: string[] = [];
  if (ours.targetNamespace !== reference.targetNamespace) {
    differs.push(`targetNamespace: ours ${ours.targetNamespace}, ARCA's ${reference.targetNamespace}`);
  }
  for (const [key, value] of ours.entries) {
    const theirs = reference.entries.get(key);
    if (theirs === undefined) differs.push(`${key}: not in ARCA's document`);
    else if (theirs !== value) differs.push(`${key}: ours ${value}; ARCA's ${theirs}`);
  }
  const missing = [...reference.entries.keys()].filter((key) => !ours.entries.has(key));
  return { differs, missing };
}
