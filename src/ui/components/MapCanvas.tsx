import { useEffect, useMemo, useRef, useState } from 'react';
import type { PointerEvent, WheelEvent } from 'react';
import { buildGridIndex, nearestPoint, pointsInBox } from '../../core/grid-index';
import type { MapColours } from '../map-data';

/**
 * The map: points drawn on a canvas (an SVG of 20,000 nodes does not stay smooth), pan by dragging, zoom with
 * the wheel, hover for the nearest point, click to pick, shift-drag to select a box. Coordinates are data
 * units; the view maps them to CSS pixels.
 */
export interface MapCanvasProps {
  coordinates: Float32Array;
  colours: MapColours;
  /** Legend entries switched off (by index): their points are not drawn and cannot be hovered. */
  hidden: ReadonlySet<number>;
  highlighted: ReadonlySet<number>;
  selected: number | null;
  onHover: (index: number | null, at: { x: number; y: number } | null) => void;
  onPick: (index: number) => void;
  onBoxSelect: (indices: number[]) => void;
  canvasRef?: React.RefObject<HTMLCanvasElement | null>;
  height?: number;
}

interface View {
  scale: number;
  tx: number;
  ty: number;
}

const POINT_PX = 3;

export function MapCanvas(props: MapCanvasProps) {
  const {
    coordinates,
    colours,
    hidden,
    highlighted,
    selected,
    onHover,
    onPick,
    onBoxSelect,
    height = 460,
  } = props;
  const ownRef = useRef<HTMLCanvasElement | null>(null);
  const canvasRef = props.canvasRef ?? ownRef;
  const [width, setWidth] = useState(600);
  const [view, setView] = useState<View>({ scale: 1, tx: 0, ty: 0 });
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const drag = useRef<{ x: number; y: number; moved: boolean; box: boolean } | null>(null);
  const grid = useMemo(() => buildGridIndex(coordinates), [coordinates]);

  // Fit: data bounds → canvas with a margin; the view's scale/translate act on top of it.
  const fit = useMemo(() => {
    const pad = 16;
    const w = Math.max(grid.maxX - grid.minX, 1e-9);
    const h = Math.max(grid.maxY - grid.minY, 1e-9);
    const s = Math.min((width - 2 * pad) / w, (height - 2 * pad) / h);
    return {
      s,
      ox: pad + (width - 2 * pad - w * s) / 2 - grid.minX * s,
      oy: pad + (height - 2 * pad - h * s) / 2 - grid.minY * s,
    };
  }, [grid, width, height]);
  const toScreen = (x: number, y: number) => ({
    x: (fit.ox + x * fit.s) * view.scale + view.tx,
    y: height - ((fit.oy + y * fit.s) * view.scale + view.ty),
  });
  const toData = (sx: number, sy: number) => ({
    x: ((sx - view.tx) / view.scale - fit.ox) / fit.s,
    y: ((height - sy - view.ty) / view.scale - fit.oy) / fit.s,
  });

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas?.parentElement) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, Math.floor(entry?.contentRect.width ?? 600))),
    );
    observer.observe(canvas.parentElement);
    return () => observer.disconnect();
  }, [canvasRef]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    const n = coordinates.length / 2;
    const a = fit.s * view.scale;
    const bx = fit.ox * view.scale + view.tx;
    const by = fit.oy * view.scale + view.ty;
    // One fill style per legend entry: batching by colour is what keeps 20k points fast.
    colours.legend.forEach((entry, k) => {
      if (hidden.has(k)) return;
      ctx.fillStyle = entry.colour;
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (colours.category[i] !== k) continue;
        const x = coordinates[2 * i] * a + bx;
        const y = height - (coordinates[2 * i + 1] * a + by);
        ctx.rect(x - POINT_PX / 2, y - POINT_PX / 2, POINT_PX, POINT_PX);
      }
      ctx.fill();
    });
    if (highlighted.size > 0) {
      ctx.strokeStyle = '#1b1f24';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (const i of highlighted) {
        const x = coordinates[2 * i] * a + bx;
        const y = height - (coordinates[2 * i + 1] * a + by);
        ctx.moveTo(x + 5, y);
        ctx.arc(x, y, 5, 0, 2 * Math.PI);
      }
      ctx.stroke();
    }
    if (selected !== null && selected < n) {
      const x = coordinates[2 * selected] * a + bx;
      const y = height - (coordinates[2 * selected + 1] * a + by);
      ctx.strokeStyle = '#a4161a';
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(x, y, 8, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (box) {
      ctx.strokeStyle = '#1d3557';
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
      ctx.setLineDash([]);
    }
  }, [canvasRef, coordinates, colours, hidden, highlighted, selected, view, fit, width, height, box]);

  const local = (e: { clientX: number; clientY: number }) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const hitTest = (sx: number, sy: number): number => {
    const p = toData(sx, sy);
    const radius = 6 / (fit.s * view.scale);
    const i = nearestPoint(grid, p.x, p.y, radius);
    return i >= 0 && !hidden.has(colours.category[i]) ? i : -1;
  };

  return (
    <canvas
      ref={canvasRef}
      data-testid="map.canvas"
      style={{ width, height, cursor: 'crosshair', touchAction: 'none', display: 'block' }}
      onWheel={(e: WheelEvent) => {
        const p = local(e);
        const factor = Math.exp(-e.deltaY * 0.0015);
        setView((v) => ({
          scale: v.scale * factor,
          tx: p.x - (p.x - v.tx) * factor,
          ty: height - p.y - (height - p.y - v.ty) * factor,
        }));
      }}
      onPointerDown={(e: PointerEvent) => {
        const p = local(e);
        drag.current = { x: p.x, y: p.y, moved: false, box: e.shiftKey };
        (e.target as Element).setPointerCapture?.(e.pointerId);
      }}
      onPointerMove={(e: PointerEvent) => {
        const p = local(e);
        const d = drag.current;
        if (d) {
          if (Math.abs(p.x - d.x) + Math.abs(p.y - d.y) > 3) d.moved = true;
          if (d.box) setBox({ x0: d.x, y0: d.y, x1: p.x, y1: p.y });
          else if (d.moved) {
            setView((v) => ({ ...v, tx: v.tx + (p.x - d.x), ty: v.ty - (p.y - d.y) }));
            d.x = p.x;
            d.y = p.y;
          }
          return;
        }
        const i = hitTest(p.x, p.y);
        onHover(i >= 0 ? i : null, i >= 0 ? toScreen(coordinates[2 * i], coordinates[2 * i + 1]) : null);
      }}
      onPointerUp={(e: PointerEvent) => {
        const p = local(e);
        const d = drag.current;
        drag.current = null;
        if (d?.box && box) {
          const a = toData(box.x0, box.y0);
          const b = toData(box.x1, box.y1);
          onBoxSelect(pointsInBox(grid, a.x, a.y, b.x, b.y).filter((i) => !hidden.has(colours.category[i])));
          setBox(null);
          return;
        }
        if (d && !d.moved) {
          const i = hitTest(p.x, p.y);
          if (i >= 0) onPick(i);
        }
      }}
      onPointerLeave={() => onHover(null, null)}
      onDoubleClick={() => setView({ scale: 1, tx: 0, ty: 0 })}
    />
  );
}
