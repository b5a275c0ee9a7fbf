// Lays lines of text out in a box: wraps them at spaces (inside a word when a word alone is too
// wide) and shrinks the size until everything fits, so no text is ever cut off by the box.

export interface TextMeasure {
  /** Advance width of `text` at 1 pt. */
  widthOf(text: string): number;
}

/** Each line takes LINE_HEIGHT × size; its baseline sits BASELINE × size above the slot's bottom. */
export const LINE_HEIGHT = 1.25;
export const BASELINE = 0.3;

export interface TextLayout {
  readonly size: number;
  readonly lines: readonly string[];
  /** Height of the block: lines × LINE_HEIGHT × size. */
  readonly height: number;
  /** Width of the widest line. */
  readonly width: number;
}

function wrapLine(measure: TextMeasure, line: string, maxWidth: number): string[] {
  const words = line.split(/\s+/).filter((w) => w.length > 0);
  const out: string[] = [];
  let current = '';
  const push = (): void => {
    if (current !== '') out.push(current);
    current = '';
  };
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (measure.widthOf(candidate) <= maxWidth) {
      current = candidate;
      continue;
    }
    push();
    if (measure.widthOf(word) <= maxWidth) {
      current = word;
      continue;
    }
    // A word wider than the box: break it between characters.
    for (const ch of word) {
      if (current !== '' && measure.widthOf(current + ch) > maxWidth) push();
      current += ch;
    }
  }
  push();
  return out.length > 0 ? out : [''];
}

/** Wraps at `size` (points) for a box `width` wide. */
export function wrapLines(
  measure: TextMeasure,
  lines: readonly string[],
  size: number,
  width: number,
): string[] {
  return lines.flatMap((l) => wrapLine(measure, l, width / size));
}

/**
 * The largest size from `fontSize` down, in half points, at which the wrapped lines fit in
 * width × height; below `minFontSize` it keeps shrinking rather than cut text off.
 */
export function layoutText(
  measure: TextMeasure,
  lines: readonly string[],
  box: { width: number; height: number },
  fontSize: number,
  minFontSize: number,
): TextLayout {
  const result = (size: number): TextLayout => {
    const wrapped = wrapLines(measure, lines, size, box.width);
    return {
      size,
      lines: wrapped,
      height: wrapped.length * LINE_HEIGHT * size,
      width: Math.max(0, ...wrapped.map((l) => measure.widthOf(l) * size)),
    };
  };
  if (lines.length === 0) return { size: fontSize, lines: [], height: 0, width: 0 };
  let size = fontSize;
  for (;;) {
    const r = result(size);
    const fits = r.height <= box.height + 1e-6 && r.width <= box.width + 1e-6;
    if (fits || size <= 1) return r;
    size = size > minFontSize ? Math.max(minFontSize, size - 0.5) : Math.max(1, size * 0.9);
  }
}
