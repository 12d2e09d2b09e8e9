import { childElements, type Element, parseXml } from '#libs/afip-soap';
import { WsaaFault } from './wsaa-fault.js';

export interface LoginTicketRequest {
  uniqueId: number;
  generationTime: Date;
  expirationTime: Date;
  service: string;
  source?: string;
  destination?: string;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DAY = 86_400_000;

/**
 * Reads the TRA against its schema (PROTOCOL.md 2.1) and checks its time windows against `now`. Dates without
 * a zone are read as Argentina's time (GMT-3), as pyafipws sends them.
 */
export function readTra(xml: string, now: Date): LoginTicketRequest {
  let root: Element;
  try {
    root = parseXml(xml);
  } catch {
    throw new WsaaFault('xml.bad');
  }
  if (root.localName !== 'loginTicketRequest' || root.namespaceURI) throw new WsaaFault('xml.bad');
  const version = root.getAttribute('version');
  if (version && version !== '1.0' && version !== '1') throw new WsaaFault('xml.version.notSupported');
  const header = only(root, 'header');
  const service = text(only(root, 'service'));
  const uniqueIdText = text(only(header, 'uniqueId'));
  const uniqueId = Number(uniqueIdText);
  if (!/^\d{1,10}$/.test(uniqueIdText) || uniqueId > 4_294_967_295) throw new WsaaFault('xml.bad');
  if (service.length < 3 || service.length > 32 || !/^[a-zA-Z][a-zA-Z\-_0-9]*$/.test(service))
    throw new WsaaFault('xml.bad');
  const generationTime = dateTime(text(only(header, 'generationTime')));
  const expirationTime = dateTime(text(only(header, 'expirationTime')));
  const source = optional(header, 'source');
  const destination = optional(header, 'destination');

  if (generationTime.getTime() > now.getTime() || now.getTime() - generationTime.getTime() > DAY) {
    throw new WsaaFault('xml.generationTime.invalid');
  }
  if (expirationTime.getTime() < now.getTime()) throw new WsaaFault('xml.expirationTime.expired');
  if (expirationTime.getTime() - now.getTime() > DAY) throw new WsaaFault('xml.expirationTime.invalid');
  return { uniqueId, generationTime, expirationTime, service, source, destination };
}

function only(parent: Element, name: string): Element {
  const found = childElements(parent, null, name);
  if (found.length !== 1) throw new WsaaFault('xml.bad');
  return found[0] as Element;
}

function optional(parent: Element, name: string): string | undefined {
  const found = childElements(parent, null, name);
  if (found.length > 1) throw new WsaaFault('xml.bad');
  return found[0] ? text(found[0]) : undefined;
}

function text(element: Element): string {
  return (element.textContent ?? '').trim();
}

function dateTime(value: string): Date {
  const match = DATE_TIME.exec(value);
  if (!match) throw new WsaaFault('xml.bad');
  const zone = match[8] ?? '-03:00';
  const date = new Date(`${value.slice(0, 19)}${match[7] ?? ''}${zone}`);
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const valid =
    !Number.isNaN(date.getTime()) &&
    (month as number) <= 12 &&
    (day as number) <= 31 &&
    (hour as number) < 24 &&
    (minute as number) < 60 &&
    (second as number) < 60;
  if (!valid || (year as number) < 1970) throw new WsaaFault('xml.bad');
  return date;
}
