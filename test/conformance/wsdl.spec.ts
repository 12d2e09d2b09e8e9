import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWsdl, readWsdlModel } from '../../libs/testing/src/wsdl-model.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REFERENCE = join(ROOT, '..', 'shared', 'afip', 'wsdl');
const read = (path: string) => readWsdlModel(readFileSync(path, 'utf8'));

describe("the project's WSDL documents against ARCA's", () => {
  it('has the reference documents to compare with', () => {
    expect(existsSync(join(REFERENCE, 'wsfev1.wsdl'))).toBe(true);
  });

  it('declares WSFEv1 exactly as ARCA does: every operation, element, type, namespace and SOAPAction', () => {
    const ours = read(join(ROOT, 'wsdl', 'wsfev1.wsdl'));
    for (const reference of ['wsfev1.wsdl', 'wsfev1-production.wsdl']) {
      const result = compareWsdl(ours, read(join(REFERENCE, reference)));
      expect(result, reference).toEqual({ differs: [], missing: [] });
    }
    expect([...ours.entries.keys()].filter((key) => key.startsWith('operation ')).length).toBe(22);
    expect([...ours.entries.keys()].filter((key) => key.startsWith('soapAction ')).length).toBe(44);
  });

  it('declares WSAA loginCms as ARCA does (homologation namespace)', () => {
    const ours = read(join(ROOT, 'wsdl', 'wsaa.wsdl'));
    expect(compareWsdl(ours, read(join(REFERENCE, 'wsaa.wsdl')))).toEqual({ differs: [], missing: [] });
  });

  it('differs from production WSAA only in the service namespace, as ARCA documents', () => {
    const ours = read(join(ROOT, 'wsdl', 'wsaa.wsdl'));
    const { differs, missing } = compareWsdl(ours, read(join(REFERENCE, 'wsaa-production.wsdl')));
    expect(missing.every((key) => key.includes('https://wsaa.afip.gov.ar/ws/services/LoginCms'))).toBe(true);
    expect(differs.every((line) => line.includes('wsaahomo.afip.gov.ar'))).toBe(true);
  });

  it('notices a changed type, a missing operation or a wrong SOAPAction (the check can fail)', () => {
    const text = readFileSync(join(ROOT, 'wsdl', 'wsfev1.wsdl'), 'utf8');
    const broken = text
      .replace('name="CbteNro" type="s:int"', 'name="CbteNro" type="s:long"')
      .replace(
        'soapAction="http://ar.gov.afip.dif.FEV1/FEDummy"',
        'soapAction="http://ar.gov.afip.dif.FEV1/Dummy"',
      );
    const { differs } = compareWsdl(readWsdlModel(broken), read(join(REFERENCE, 'wsfev1.wsdl')));
    expect(differs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^type \{http:\/\/ar.gov.afip.dif.FEV1\/\}FERecuperaLastCbteResponse: ours .*CbteNro:\{http:\/\/www.w3.org\/2001\/XMLSchema\}long/,
        ),
        expect.stringMatching(/^soapAction SOAP 1.1 FEDummy: ours "http:\/\/ar.gov.afip.dif.FEV1\/Dummy"/),
      ]),
    );
  });

  it("declares the registry (padrón A5) as ARCA does, with the 2026 service's added fields and nothing else", () => {
    const ours = read(join(ROOT, 'wsdl', 'ws_sr_constancia_inscripcion.wsdl'));
    const theirs = read(join(REFERENCE, 'ws_sr_constancia_inscripcion.wsdl'));
    const { differs, missing } = compareWsdl(ours, theirs);
    expect(missing).toEqual([]);
    // The published document predates four fields the service sends since 2026 (PADRON.md 2.2): ours adds them,
    // and each extended type keeps ARCA's fields in ARCA's order.
    const added: Record<string, string[]> = {
      'type {http://a5.soap.ws.server.puc.sr/}datosGenerales': ['esSucesion'],
      'type {http://a5.soap.ws.server.puc.sr/}caracterizacion': ['fechaSolicitud'],
      'type {http://a5.soap.ws.server.puc.sr/}impuesto': ['estadoImpuesto', 'motivo'],
    };
    expect(differs.map((line) => line.split(': ours ')[0]).sort()).toEqual(Object.keys(added).sort());
    for (const [key, names] of Object.entries(added)) {
      const fields = (model: typeof ours) =>
        (model.entries.get(key) ?? '').replace(/^\(|\)$/g, '').split(', ');
      const kept = fields(ours).filter((field) => !names.includes(field.split(':')[0]!));
      expect(kept, key).toEqual(fields(theirs));
    }
    expect([...ours.entries.keys()].filter((key) => key.startsWith('operation ')).length).toBe(5);
  });
});
