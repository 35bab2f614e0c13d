/**
 * A uniform grid over 2-D points for hit testing: the nearest point to a position within a radius, and the
 * points inside a box. Built once per layout in O(n); queries touch only nearby cells.
 */

export interface GridIndex {
  /** Points, `rows × 2` row-major (data units). */
  points: Float32Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  cellSize: number;
  columns: number;
  rowsOfCells: number;
  /** Point indices sorted by cell; `starts[c]..starts[c+1]` are cell c's. */
  order: Int32Array;
  starts: Int32Array;
}

/** Builds the grid with about `pointsPerCell` points per occupied cell on average. */
export function buildGridIndex(points: Float32Array, pointsPerCell = 4): GridIndex {
  const n = points.length / 2;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (n === 0) {
    minX = minY = 0;
    maxX = maxY = 1;
  }
  const width = Math.max(maxX - minX, 1e-9);
  const height = Math.max(maxY - minY, 1e-9);
  const cells = Math.max(1, Math.ceil(n / pointsPerCell));
  const cellSize = Math.sqrt((width * height) / cells) || 1;
  const columns = Math.max(1, Math.ceil(width / cellSize) + 1);
  const rowsOfCells = Math.max(1, Math.ceil(height / cellSize) + 1);
  const cellOf = new Int32Array(n);
  const counts = new Int32Array(columns * rowsOfCells + 1);
  for (let i = 0; i < n; i++) {
    const cx = Math.floor((points[2 * i] - minX) / cellSize);
    const cy = Math.floor((points[2 * i + 1] - minY) / cellSize);
    const cell = cy * columns + cx;
    cellOf[i] = cell;
    counts[cell + 1]++;
  }
  const starts = new Int32Array(columns * rowsOfCells + 1);
  for (let c = 0; c < columns * rowsOfCells; c++) starts[c + 1] = starts[c] + counts[c + 1];
  const fill = starts.slice(0, columns * rowsOfCells);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  return { points, minX, minY, maxX, maxY, cellSize, columns, rowsOfCells, order, starts };
}

/** Index of the point nearest to (x, y) within `radius` (data units), or -1. Ties go to the lower index. */
export function nearestPoint(grid: GridIndex, x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  forCellsInBox(grid, x - radius, y - radius, x + radius, y + radius, (i) => {
    const dx = grid.points[2 * i] - x;
    const dy = grid.points[2 * i + 1] - y;
    const d = dx * dx + dy * dy;
    if (d < bestD || (d === bestD && best >= 0 && i < best)) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Indices of the points inside the box (inclusive), ascending. */
export function pointsInBox(grid: GridIndex, x0: number, y0: number, x1: number, y1: number): number[] {
  const [ax, bx] = x0 <= x1 ? [x0, x1] : [x1, x0];
  const [ay, by] = y0 <= y1 ? [y0, y1] : [y1, y0];
  const found: number[] = [];
  forCellsInBox(grid, ax, ay, bx, by, (i) => {
    const px = grid.points[2 * i];
    const py = grid.points[2 * i + 1];
    if (px >= ax && px <= bx && py >= ay && py <= by) found.push(i);
  });
  return found.sort((a, b) => a - b);
}

function forCellsInBox(
  grid: GridIndex,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  visit: (i: number) => void,
) {
  const clampX = (v: number) =>
    Math.min(grid.columns - 1, Math.max(0, Math.floor((v - grid.minX) / grid.cellSize)));
  const clampY = (v: number) =>
    Math.min(grid.rowsOfCells - 1, Math.max(0, Math.floor((v - grid.minY) / grid.cellSize)));
  for (let cy = clampY(y0); cy <= clampY(y1); cy++) {
    for (let cx = clampX(x0); cx <= clampX(x1); cx++) {
      const cell = cy * grid.columns + cx;
      for (let k = grid.starts[cell]; k < grid.starts[cell + 1]; k++) visit(grid.order[k]);
    }
  }
}
