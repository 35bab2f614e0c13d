import { describe, expect, it } from 'vitest';
import { buildGridIndex, nearestPoint, pointsInBox } from '../../../src/core/grid-index';
import {
  coordinatesCsv,
  csvField,
  escapeXml,
  mapColours,
  mapSvg,
  searchPairs,
} from '../../../src/ui/map-data';
import type { MapInputs } from '../../../src/ui/map-data';
import type { TrainSummary } from '../../../src/worker/protocol';

const pairs = [
  { id: '1', premise: 'A cat sleeps.', hypothesis: 'An animal rests.', label: 'entailment' },
  { id: '2', premise: 'A dog, "Rex", barks.', hypothesis: '=SUM(A1)', label: 'contradiction' },
  { id: '3', premise: '<img src=x onerror=alert(1)>', hypothesis: 'line\nbreak', label: null },
];
const train = {
  classNames: ['entailment', 'contradiction'],
  predictions: new Int32Array([0, 0, 1]),
  probabilities: new Float32Array([0.95, 0.05, 0.6, 0.4, 0.3, 0.7]),
} as unknown as TrainSummary;
const inputs: MapInputs = {
  pairs,
  labels: [0, 1, null],
  classNames: ['entailment', 'contradiction'],
  train,
  tokenCounts: new Int32Array([10, 30, 70]),
  truncated: [2],
};

describe('mapColours', () => {
  it('gold labels, with unlabelled pairs grey', () => {
    const c = mapColours('gold', inputs);
    expect(Array.from(c.category)).toEqual([0, 1, 2]);
    expect(c.legend.map((l) => [l.name, l.count])).toEqual([
      ['entailment', 1],
      ['contradiction', 1],
      ['none', 1],
    ]);
  });

  it('correct / wrong only where there is a gold label and a prediction', () => {
    const c = mapColours('correct', inputs);
    expect(Array.from(c.category)).toEqual([0, 1, 2]);
    expect(mapColours('correct', { ...inputs, train: null }).legend.at(-1)).toMatchObject({
      name: 'none',
      count: 3,
    });
  });

  it('confidence and token length in bins; truncated as two classes', () => {
    expect(Array.from(mapColours('confidence', inputs).category)).toEqual([4, 1, 2]);
    expect(Array.from(mapColours('tokens', inputs).category)).toEqual([0, 2, 4]);
    expect(Array.from(mapColours('truncated', inputs).category)).toEqual([0, 0, 1]);
  });
});

describe('exports', () => {
  it('CSV quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    const csv = coordinatesCsv(inputs, new Float32Array([0, 1, 2, 3, 4.5, -5]));
    const lines = csv.split('\n');
    expect(lines[0]).toBe('id,premise,hypothesis,gold,prediction,p_entailment,p_contradiction,x,y');
    expect(lines[2]).toBe(
      '2,"A dog, ""Rex"", barks.",\'=SUM(A1),contradiction,entailment,0.600000,0.400000,2,3',
    );
    expect(csv).toContain('"line\nbreak"');
  });

  it('SVG escapes user text', () => {
    const svg = mapSvg(new Float32Array([0, 0, 1, 1, 2, 0]), mapColours('gold', inputs), pairs);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('search is case-insensitive over both sentences', () => {
    expect(searchPairs(pairs, 'REX')).toEqual([1]);
    expect(searchPairs(pairs, 'a')).toEqual([0, 1, 2]);
    expect(searchPairs(pairs, '  ')).toEqual([]);
  });
});

describe('grid index', () => {
  const points = new Float32Array([0, 0, 1, 1, 1.05, 1, 5, 5, -3, 2]);
  const grid = buildGridIndex(points, 1);

  it('finds the nearest point within the radius, or none', () => {
    expect(nearestPoint(grid, 0.1, 0.1, 0.5)).toBe(0);
    expect(nearestPoint(grid, 1.04, 1, 0.5)).toBe(2);
    expect(nearestPoint(grid, 3, 3, 0.5)).toBe(-1);
    expect(nearestPoint(grid, -3, 2, 0.01)).toBe(4);
  });

  it('lists the points in a box, whatever the corner order', () => {
    expect(pointsInBox(grid, 2, 2, -1, -1)).toEqual([0, 1, 2]);
    expect(pointsInBox(grid, -10, -10, 10, 10)).toEqual([0, 1, 2, 3, 4]);
  });
});
