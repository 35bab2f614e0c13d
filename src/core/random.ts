/**
 * Seeded randomness. Every random choice in Pairscope (UMAP init and sampling, classifier init, shuffles,
 * splits) draws from a generator made here, so the same seed gives the same result.
 */

/** A function returning uniform floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a small, fast 32-bit generator with a full 2^32 period; good enough for shuffles and
 * initialisation (not for cryptography). The seed is taken modulo 2^32.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** Standard normal draw (Box–Muller). */
export function randomNormal(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
