/**
 * What the map shows for each pair: a colour per "colour by" choice, legend entries, tooltips and exports.
 * Pure functions (no React, no DOM), unit-tested.
 */
import type { Pair } from '../core/pairs';
import type { TrainSummary } from '../worker/protocol';

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
];
export const MISSING_COLOUR = '#B0B7C0';

export type ColourBy = 'gold' | 'predicted' | 'correct' | 'confidence' | 'tokens' | 'truncated';

export interface MapColours {
  /** Legend entries; `category[i]` indexes them. */
  legend: { name: string; colour: string; count: number }[];
  /** Category per pair. */
  category: Uint16Array;
}

export interface MapInputs {
  pairs: readonly Pair[];
  labels: readonly (number | null)[];
  classNames: readonly string[];
  train: TrainSummary | null;
  tokenCounts: Int32Array | null;
  truncated: readonly number[];
}

/** Sequential bins for continuous values (light to dark blue, then the maximum in dark orange). */
const BINS = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

function binned(values: ArrayLike<number>, edges: number[], names: string[]): MapColours {
  const category = new Uint16Array(values.length);
  const legend = names.map((name, k) => ({ name, colour: BINS[k] ?? BINS[BINS.length - 1], count: 0 }));
  for (let i = 0; i < values.length; i++) {
    let k = 0;
    while (k < edges.length && values[i] >= edges[k]) k++;
    category[i] = k;
    legend[k].count++;
  }
  return { legend, category };
}

/** Colours for one choice; choices whose data is missing (no classifier yet) colour everything grey. */
export function mapColours(by: ColourBy, input: MapInputs): MapColours {
  const n = input.pairs.length;
  const category = new Uint16Array(n);
  const categorical = (names: string[], of: (i: number) => number | null): MapColours => {
    const legend = [
      ...names.map((name, k) => ({ name, colour: PALETTE[k % PALETTE.length], count: 0 })),
      { name: 'none', colour: MISSING_COLOUR, count: 0 },
    ];
    for (let i = 0; i < n; i++) {
      const c = of(i);
      category[i] = c === null ? names.length : c;
      legend[category[i]].count++;
    }
    return { legend: legend.filter((l) => l.count > 0 || l.name !== 'none'), category };
  };
  const train = input.train;
  switch (by) {
    case 'gold':
      return categorical([...input.classNames], (i) => input.labels[i] ?? null);
    case 'predicted':
      return categorical(train ? train.classNames : [], (i) => (train ? train.predictions[i] : null));
    case 'correct':
      return categorical(['correct', 'wrong'], (i) => {
        const gold = input.labels[i];
        if (!train || gold === null || gold === undefined) return null;
        return train.predictions[i] === gold ? 0 : 1;
      });
    case 'confidence': {
      if (!train) return categorical([], () => null);
      const k = train.classNames.length;
      const conf = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let m = 0;
        for (let c = 0; c < k; c++) m = Math.max(m, train.probabilities[i * k + c]);
        conf[i] = m;
      }
      return binned(conf, [0.5, 0.65, 0.8, 0.9], ['< 0.5', '0.5–0.65', '0.65–0.8', '0.8–0.9', '≥ 0.9']);
    }
    case 'tokens': {
      const counts = input.tokenCounts ?? new Int32Array(n);
      return binned(counts, [16, 24, 32, 64], ['< 16', '16–23', '24–31', '32–63', '≥ 64']);
    }
    case 'truncated': {
      const cut = new Set(input.truncated);
      return categorical(['complete', 'truncated'], (i) => (cut.has(i) ? 1 : 0));
    }
  }
}

/** Indices of pairs whose premise or hypothesis contains `query` (case-insensitive); empty query: none. */
export function searchPairs(pairs: readonly Pair[], query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const found: number[] = [];
  pairs.forEach((p, i) => {
    if (p.premise.toLowerCase().includes(q) || p.hypothesis.toLowerCase().includes(q)) found.push(i);
  });
  return found;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; formula-looking text is prefixed. */
export function csvField(value: string | number): string {
  let text = String(value);
  // Spreadsheet apps execute cells starting with = + - @ as formulas; a leading apostrophe keeps them text.
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The map as CSV: id, premise, hypothesis, gold, prediction, probabilities, x, y. */
export function coordinatesCsv(input: MapInputs, coordinates: Float32Array): string {
  const train = input.train;
  const k = train?.classNames.length ?? 0;
  const header = [
    'id',
    'premise',
    'hypothesis',
    'gold',
    'prediction',
    ...(train?.classNames.map((c) => `p_${c}`) ?? []),
    'x',
    'y',
  ];
  const lines = [header.map(csvField).join(',')];
  input.pairs.forEach((pair, i) => {
    const gold = input.labels[i];
    const row: (string | number)[] = [
      pair.id,
      pair.premise,
      pair.hypothesis,
      gold === null || gold === undefined ? '' : (input.classNames[gold] ?? ''),
      train ? (train.classNames[train.predictions[i]] ?? '') : '',
      ...(train ? Array.from(train.probabilities.subarray(i * k, (i + 1) * k), (p) => p.toFixed(6)) : []),
      coordinates[2 * i],
      coordinates[2 * i + 1],
    ];
    lines.push(row.map(csvField).join(','));
  });
  return lines.join('\n') + '\n';
}

/** Escapes text for SVG/XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** The map as a standalone SVG (points with their pair as a <title>), in a width × height box. */
export function mapSvg(
  coordinates: Float32Array,
  colours: MapColours,
  pairs: readonly Pair[],
  width = 800,
  height = 600,
): string {
  const n = coordinates.length / 2;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, coordinates[2 * i]);
    maxX = Math.max(maxX, coordinates[2 * i]);
    minY = Math.min(minY, coordinates[2 * i + 1]);
    maxY = Math.max(maxY, coordinates[2 * i + 1]);
  }
  const pad = 10;
  const sx = (width - 2 * pad) / Math.max(maxX - minX, 1e-9);
  const sy = (height - 2 * pad) / Math.max(maxY - minY, 1e-9);
  const circles: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = pad + (coordinates[2 * i] - minX) * sx;
    const y = height - pad - (coordinates[2 * i + 1] - minY) * sy;
    const colour = colours.legend[colours.category[i]]?.colour ?? MISSING_COLOUR;
    const title = escapeXml(`${pairs[i]?.premise ?? ''} / ${pairs[i]?.hypothesis ?? ''}`);
    circles.push(
      `<circle cx="${x.toFixed(2)}" cy="${y.toFixed(2)}" r="2.5" fill="${colour}"><title>${title}</title></circle>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>${circles.join('')}</svg>\n`;
}

/** Text for a TensorBoard Projector TSV cell: the format has no quoting, so tabs and newlines become spaces. */
function projectorCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/**
 * TensorBoard Projector `metadata.tsv`, one row per vector in `vectors.tsv` order: a header row (required when
 * there is more than one column), then pair id, premise, hypothesis, gold label and — after training — the
 * prediction.
 */
export function projectorMetadataTsv(
  pairs: readonly Pair[],
  train: Pick<TrainSummary, 'classNames' | 'predictions'> | null,
): string {
  const header = ['pair_id', 'premise', 'hypothesis', 'label', ...(train ? ['prediction'] : [])];
  const lines = [header.join('\t')];
  pairs.forEach((pair, i) => {
    const row = [pair.id, pair.premise, pair.hypothesis, pair.label ?? ''];
    if (train) row.push(train.classNames[train.predictions[i]] ?? '');
    lines.push(row.map(projectorCell).join('\t'));
  });
  return lines.join('\n') + '\n';
}
