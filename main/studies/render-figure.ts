import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as echarts from 'echarts';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import type { StudyFigure } from '../contract/study-figure';
import { withAxisFormatters } from '../shared/study-figures';

/**
 * A study figure as files: its ECharts option rendered on the server to SVG (echarts' SSR renderer, no DOM), and the
 * SVG rasterised to PNG by resvg compiled to WebAssembly (no native build). resvg sees no system fonts by itself: the
 * first font found among the usual system paths (or COLLAPSE_LAB_FONT) is handed to it; without one the PNG's
 * text is left out and `svgToPng` says so.
 */

/**
 * Returns the figure's SVG document at its own pixel size. Text is laid out with the widths of the font the PNG is
 * drawn with (echarts' server renderer cannot measure text by itself and guesses narrower widths), so legends do not
 * overlap.
 */
export async function renderFigureSvg(figure: Pick<StudyFigure, 'option' | 'width' | 'height'>): Promise<string> {
  await ensureWasm();
  useFontMetrics();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: figure.width, height: figure.height });
  try {
    chart.setOption({ ...withAxisFormatters(figure.option), animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Font files tried in order (DejaVu / Liberation on Linux, Arial on macOS and Windows), with their family names. */
const FONT_CANDIDATES: { file: string; family: string }[] = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/TTF/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/System/Library/Fonts/Supplemental/Arial.ttf', family: 'Arial' },
  { file: '/Library/Fonts/Arial.ttf', family: 'Arial' },
  { file: 'C:\\Windows\\Fonts\\arial.ttf', family: 'Arial' },
];

let wasmReady: Promise<void> | null = null;
let font: { buffer: Uint8Array; family: string } | null | undefined;

function ensureWasm(): Promise<void> {
  if (!wasmReady) {
    const require = createRequire(import.meta.url);
    const wasm = fs.readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
    wasmReady = initWasm(wasm);
  }
  return wasmReady;
}

/** The font handed to resvg: COLLAPSE_LAB_FONT (a .ttf/.otf file, its family taken from the file name), else the first candidate present. */
function findFont(): { buffer: Uint8Array; family: string } | null {
  if (font !== undefined) return font;
  const own = process.env.COLLAPSE_LAB_FONT;
  const candidates = own
    ? [
        {
          file: own,
          family: path
            .basename(own)
            .replace(/\.[^.]+$/, '')
            .replace(/[-_](Regular|Book)$/i, ''),
        },
        ...FONT_CANDIDATES,
      ]
    : FONT_CANDIDATES;
  font = null;
  for (const c of candidates) {
    try {
      font = { buffer: fs.readFileSync(c.file), family: c.family };
      break;
    } catch {
      // not on this system: try the next
    }
  }
  return font;
}

let metricsInstalled = false;
/** Advance widths of characters in em, measured once each with resvg and the font found. */
const advance = new Map<string, number>();

/** The advance width of one character in em: the ink width of "H c H" minus that of "H H" at 100 px. */
function advanceOf(ch: string, f: { buffer: Uint8Array; family: string }): number {
  const cached = advance.get(ch);
  if (cached !== undefined) return cached;
  const esc = (c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inkWidth = (text: string) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200"><text x="10" y="150" font-size="100" font-family="${f.family}" xml:space="preserve">${esc(text)}</text></svg>`;
    const r = new Resvg(svg, { font: { fontBuffers: [f.buffer], defaultFontFamily: f.family, sansSerifFamily: f.family } });
    try {
      return r.getBBox()?.width ?? 0;
    } finally {
      r.free();
    }
  };
  const w = Math.max(0, (inkWidth(`H${ch}H`) - inkWidth('HH')) / 100);
  advance.set(ch, w);
  return w;
}

/** Hand echarts a text measurer with the real font's widths (once; left as it is when no font is found). */
function useFontMetrics(): void {
  if (metricsInstalled) return;
  metricsInstalled = true;
  const f = findFont();
  if (!f) return;
  echarts.setPlatformAPI({
    measureText: (text: string, fontSpec?: string) => {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(fontSpec ?? '')?.[1] ?? 12);
      let em = 0;
      for (const ch of text ?? '') em += advanceOf(ch, f);
      return { width: em * size } as TextMetrics;
    },
  });
}

/**
 * Returns the SVG rasterised to PNG at `scale` times its size on a white background, and a warning when no font was
 * found (the PNG then lacks its text).
 */
export async function svgToPng(svg: string, scale = 2): Promise<{ png: Uint8Array; warning?: string }> {
  await ensureWasm();
  const f = findFont();
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    font: f
      ? {
          fontBuffers: [f.buffer],
          defaultFontFamily: f.family,
          sansSerifFamily: f.family,
          serifFamily: f.family,
          monospaceFamily: f.family,
        }
      : { fontBuffers: [] },
  });
  try {
    const image = resvg.render();
    const png = image.asPng();
    image.free();
    return f
      ? { png }
      : { png, warning: 'no font found for the PNG (set COLLAPSE_LAB_FONT to a .ttf file): its text is missing; the SVG has it' };
  } finally {
    resvg.free();
  }
}
