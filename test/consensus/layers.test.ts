import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/consensus/', import.meta.url);

describe('consensus is a pure core', () => {
  it('imports no node: module, no clock or randomness, and nothing from node/, sim/, storage/ or net/', () => {
    const offences: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      for (const m of source.matchAll(/from '([^']+)'/g)) {
        if (/^node:|^\.\.\/(node|sim|storage|net)\//.test(m[1])) offences.push(`${file}: ${m[1]}`);
      }
      if (/\b(Date\.now|Math\.random|setTimeout|setInterval|performance\.now)\b/.test(source)) offences.push(`${file}: clock or randomness`);
    }
    expect(offences).toEqual([]);
  });
});
