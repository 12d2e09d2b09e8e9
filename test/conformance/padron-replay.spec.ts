import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ivaCondition, PadronClient } from '#libs/afip-padron';
import { type Element, parseXml, SchemaCodec, SoapTransport } from '#libs/afip-soap';
import { WSDL_DIR } from '#libs/testing';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'shared', 'afip', 'examples', 'padron');
const read = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');

/** Element names of the operation's subtree, in order, values left out. */
function skeleton(xml: string, operation: string): string[] {
  const names: string[] = [];
  const walk = (element: Element, depth: number) => {
    names.push(`${'  '.repeat(depth)}{${element.namespaceURI ?? ''}}${element.localName}`);
    for (let child = element.firstChild; child; child = child.nextSibling)
      if (child.nodeType === 1) walk(child as unknown as Element, depth + 1);
  };
  walk(parseXml(xml).getElementsByTagNameNS('*', operation)[0] as unknown as Element, 0);
  return names;
}

describe("ARCA's recorded registry answers through the project's client", () => {
  let server: Server;
  let url = '';
  let answer = '';
  const received: string[] = [];
  const transport = new SoapTransport();
  const codec = SchemaCodec.fromWsdl(
    readFileSync(join(WSDL_DIR, 'ws_sr_constancia_inscripcion.wsdl'), 'utf8'),
  );
  const auth = { token: 'ELIDED-TOKEN', sign: 'ELIDED-SIGN', cuitRepresentada: 20267565393 };

  beforeAll(async () => {
    // ARCA's answer as recorded, served as ARCA served it (HTTP 200, text/xml;charset=UTF-8).
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sr-padron/webservices/personaServiceA5`;
  });
  afterAll(async () => {
    transport.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the request ARCA received, and reads an RI with a monotributo error block as RI', async () => {
    answer = read('20-getPersona-RI-with-monotributo-error.response.xml');
    const client = new PadronClient({ url, transport, codec });
    const persona = await client.persona(auth, 20201797064, 'getPersona');
    expect(skeleton(received.at(-1)!, 'getPersona')).toEqual(
      skeleton(read('20-getPersona-RI-with-monotributo-error.request.xml'), 'getPersona'),
    );
    expect(persona.datosGenerales).toMatchObject({
      apellido: 'VICTORIA CAROLINA',
      nombre: 'DARIO',
      idPersona: 20201797064,
      estadoClave: 'ACTIVO',
      domicilioFiscal: { direccion: 'LARREA 1', idProvincia: 0, codPostal: '1030' },
    });
    expect(persona.datosRegimenGeneral?.impuesto?.map((tax) => tax.idImpuesto)).toEqual([11, 30, 936]);
    expect(persona.datosRegimenGeneral?.actividad?.map((item) => item.idActividad)).toEqual([353001, 853300]);
    expect(persona.errorMonotributo?.mensaje).toBe(
      'No cumple con las condiciones para enviar datos monotributo',
    );
    expect(persona.metadata?.fechaHora).toBe('2021-06-20T14:38:12.163-03:00');
    // IVA (30) is evidence enough; the monotributo error does not hide it.
    expect(ivaCondition(persona)).toMatchObject({ id: 1, description: 'IVA Responsable Inscripto' });
  });

  it('does not guess a condition when the general regime block is an error', async () => {
    answer = read('21-getPersona-without-regimen-general.response.xml');
    const client = new PadronClient({ url, transport, codec });
    const persona = await client.persona(auth, 20000000516, 'getPersona');
    expect(persona.datosGenerales?.domicilioFiscal?.localidad).toBe('JUNIN DE LOS ANDES');
    expect(persona.errorRegimenGeneral?.error?.[0]).toContain('baja de oficio');
    const reading = ivaCondition(persona);
    expect(reading.id).toBeNull();
    expect(reading).toMatchObject({
      reason: expect.stringContaining('No cumple con las condiciones para enviar datos del regimen general'),
    });
  });
});
