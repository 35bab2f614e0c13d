import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, PRODUCTION_HEADERS } from '../../../vite.config';

const root = path.resolve(import.meta.dirname, '../../..');

/** Parses the Netlify / Cloudflare Pages `_headers` format: a path line, then indented `Name: value` lines. */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      current = {};
      rules[line.trim()] = current;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  return rules;
}

describe('hosting headers', () => {
  it('public/_headers sends exactly the headers vite preview sends, for every path', () => {
    const rules = parseHeadersFile(readFileSync(path.join(root, 'public', '_headers'), 'utf8'));
    expect(Object.keys(rules)).toEqual(['/*']);
    expect(rules['/*']).toEqual(PRODUCTION_HEADERS);
  });

  it('the policy allows no inline script and no eval, only WebAssembly compilation', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    const scripts = directives.get('script-src') ?? [];
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts).toContain("'wasm-unsafe-eval'");
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual([
      "'self'",
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
    ]);
  });
});
