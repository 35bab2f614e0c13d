import { describe, expect, it } from 'vitest';
import { assertHasPairs } from '../../../src/core/pairs';

describe('assertHasPairs', () => {
  it('explains what to paste when there is nothing to embed', () => {
    expect(() => assertHasPairs([])).toThrow(/No sentence pairs to embed/);
    expect(() => assertHasPairs([{ id: '1', premise: 'a', hypothesis: 'b', label: null }])).not.toThrow();
  });
});
