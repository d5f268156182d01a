import { deflateSync } from "node:zlib";

/**
 * Resolve's icons, drawn here and written as PNG by a small encoder (RGBA, deflate from node:zlib,
 * CRC-32 per chunk), so the app package needs no image files or downloads. The mark is three steps
 * rising to the right (a dispute climbing the ladder) under a bar (the cap on the whole process).
 *
 * - color: 192×192, white steps on Resolve's accent colour, rounded corners;
 * - outline: 32×32, white steps on a transparent background (Teams' rule for outline icons);
 * - ribbon: 16, 32 and 80 px for Outlook's button, the colour mark.
 */

export const ACCENT = "#5B5FC7";

type RGBA = [number, number, number, number];

const hex = (c: string, alpha = 255): RGBA => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16), alpha];

// ——— PNG ———

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGBA image (row-major, 4 bytes a pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: ${rgba.length} bytes for ${width}×${height}`);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", new Uint8Array())]);
}

/** Width and height from a PNG's header, and whether it has an alpha channel. */
export function pngInfo(png: Uint8Array): { width: number; height: number; alpha: boolean } {
  const b = Buffer.from(png);
  if (b.readUInt32BE(0) !== 0x89504e47 || b.toString("ascii", 12, 16) !== "IHDR") throw new Error("not a PNG");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), alpha: b[25] === 6 || b[25] === 4 };
}

// ——— drawing ———

/** Shapes in a unit square (0..1), each a test for whether a point is inside. */
type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** The steps and the bar over them, in the unit square, within a margin. */
function mark(margin: number): Shape[] {
  const span = 1 - 2 * margin;
  const at = (u: number) => margin + u * span;
  const w = 0.24;
  const gap = 0.14;
  const bottom = 0.92;
  const steps = [0.34, 0.56, 0.78].map((h, i) => rect(at(i * (w + gap)), at(bottom - h), at(i * (w + gap) + w), at(bottom)));
  const cap = rect(at(0), at(0.02), at(1), at(0.1));
  return [...steps, cap];
}

/** Render with 4×4 supersampling: background shapes in one colour, foreground shapes in another. */
function render(size: number, layers: { shapes: Shape[]; color: RGBA }[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          let c: RGBA | undefined;
          for (const layer of layers) if (layer.shapes.some((s) => s(x, y))) c = layer.color;
          if (!c) continue;
          const alpha = c[3] / 255;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      const samples = n * n;
      out[i + 3] = Math.round((a / samples) * 255);
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
    }
  }
  return out;
}

const WHITE = hex("#FFFFFF");

/** The full-colour icon: white mark on the accent colour. */
export function colorIcon(size = 192): Buffer {
  const radius = 0.18;
  return encodePng(size, size, render(size, [
    { shapes: [roundedRect(0, 0, 1, 1, radius)], color: hex(ACCENT) },
    { shapes: mark(0.22), color: WHITE },
  ]));
}

/** The outline icon: the white mark alone on transparency. */
export function outlineIcon(size = 32): Buffer {
  return encodePng(size, size, render(size, [{ shapes: mark(0.1), color: WHITE }]));
}
