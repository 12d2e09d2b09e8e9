import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIssuerProfiles } from './issuer-profile-file.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

describe('issuer print profiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'issuer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) =>
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  it('reads every <cuit>.issuer.json, with its logo, and ignores other files', () => {
    writeFileSync(join(dir, '20123456789.logo.png'), PNG);
    write('20123456789.issuer.json', {
      grossIncome: ' 901-123456-7 ',
      activityStart: '2020-03-01',
      name: 'PEREZ JUAN',
      logo: '20123456789.logo.png',
    });
    write('30712345671.issuer.json', { grossIncome: 'Exento', activityStart: '20150302' });
    write('notes.json', { anything: true });
    const profiles = readIssuerProfiles(dir);
    expect([...profiles.keys()].sort()).toEqual(['20123456789', '30712345671']);
    expect(profiles.get('20123456789')).toEqual({
      name: 'PEREZ JUAN',
      grossIncome: '901-123456-7',
      activityStart: '20200301',
      logo: PNG,
    });
    expect(profiles.get('30712345671')).toEqual({ grossIncome: 'Exento', activityStart: '20150302' });
    expect(readIssuerProfiles(join(dir, 'missing')).size).toBe(0);
  });

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['a list', [], /must hold a JSON object/],
    [
      'an unknown field',
      { grossIncome: '1', activityStart: '2020-01-01', iibb: 'x' },
      /iibb is not a known field/,
    ],
    ['no gross income', { activityStart: '2020-01-01' }, /grossIncome must be a non-empty string/],
    ['an impossible date', { grossIncome: '1', activityStart: '2020-02-30' }, /activityStart must be a date/],
    [
      'a logo outside the directory',
      { grossIncome: '1', activityStart: '2020-01-01', logo: '../x.png' },
      /same directory/,
    ],
    [
      'a logo that is missing',
      { grossIncome: '1', activityStart: '2020-01-01', logo: 'x.png' },
      /does not exist/,
    ],
    [
      'a logo of another kind',
      { grossIncome: '1', activityStart: '2020-01-01', logo: 'x.gif' },
      /\.png or \.jpg/,
    ],
  ])('refuses a file with %s, naming the file and the field', (_, content, message) => {
    write('20123456789.issuer.json', content);
    expect(() => readIssuerProfiles(dir)).toThrow(message);
    expect(() => readIssuerProfiles(dir)).toThrow(/20123456789\.issuer\.json/);
  });

  it('refuses a logo that is not an image', () => {
    write('fake.png', 'hello');
    write('20123456789.issuer.json', { grossIncome: '1', activityStart: '2020-01-01', logo: 'fake.png' });
    expect(() => readIssuerProfiles(dir)).toThrow(/neither a PNG nor a JPEG/);
  });
});
