// Reads the block-style YAML that electron-builder.yml uses, for tests: mappings, sequences (of
// scalars or of mappings), one-line flow sequences [a, b], quoted and plain scalars, comments. The
// project has no YAML dependency and the installers cannot be built here, so the test reads the file
// itself. Anything outside this subset (anchors, flow mappings, multi-line strings, tabs) is refused
// with its line number rather than read wrongly.

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly no: number;
}

interface State {
  readonly lines: Line[];
  pos: number;
}

export class YamlSubsetError extends Error {}

function fail(line: Line | undefined, why: string): never {
  throw new YamlSubsetError(`line ${line?.no ?? '?'}: ${why}`);
}

/** The line without its comment: `#` at the start or after a blank, outside quotes. */
function stripComment(raw: string): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '#' && (i === 0 || raw[i - 1] === ' ')) return raw.slice(0, i);
  }
  return raw;
}

function toLines(source: string): Line[] {
  const out: Line[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const no = i + 1;
    if (/^\s*\t/.test(raw)) fail({ indent: 0, text: raw, no }, 'tab indentation');
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    if (text === '---' || text === '...') fail({ indent: 0, text, no }, 'document markers');
    const indent = text.length - text.trimStart().length;
    out.push({ indent, text: text.trimStart(), no });
  });
  return out;
}

const KEY = /^([A-Za-z0-9_$][\w.$-]*|'[^']*'|"[^"]*"):(?: +(.*))?$/;

function unquote(text: string, line: Line): string {
  if (text.startsWith("'")) {
    if (text.length < 2 || !text.endsWith("'")) fail(line, `unterminated quote: ${text}`);
    const inner = text.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) fail(line, `stray quote: ${text}`);
    return inner.replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return fail(line, `bad double-quoted string: ${text}`);
    }
  }
  return text;
}

function scalar(text: string, line: Line): unknown {
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) fail(line, 'a flow sequence must close on its line');
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    return inner.split(',').map((item) => scalar(item.trim(), line));
  }
  if (/^[{&*|>!%@`]/.test(text)) fail(line, `unsupported YAML: ${text}`);
  if (text.startsWith("'") || text.startsWith('"')) return unquote(text, line);
  if (/^(true|false)$/.test(text)) return text === 'true';
  if (/^(null|~)$/.test(text)) return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/: |\s#/.test(text)) fail(line, `ambiguous plain scalar: ${text}`);
  return text;
}

const isItem = (text: string): boolean => text === '-' || text.startsWith('- ');

function parseBlock(st: State, indent: number): unknown {
  const first = st.lines[st.pos];
  if (!first) return null;
  return isItem(first.text) ? parseSequence(st, indent) : parseMapping(st, indent);
}

function parseSequence(st: State, indent: number): unknown[] {
  const out: unknown[] = [];
  for (let line = st.lines[st.pos]; line && line.indent >= indent; line = st.lines[st.pos]) {
    if (line.indent > indent) fail(line, 'bad indentation in a sequence');
    if (!isItem(line.text)) break;
    const rest = line.text.slice(1).trimStart();
    const restIndent = line.indent + (line.text.length - rest.length);
    if (rest === '') {
      st.pos++;
      const next = st.lines[st.pos];
      out.push(next && next.indent > indent ? parseBlock(st, next.indent) : null);
    } else if (KEY.test(rest)) {
      // "- key: value" opens a mapping whose keys line up with "key".
      st.lines[st.pos] = { indent: restIndent, text: rest, no: line.no };
      out.push(parseMapping(st, restIndent));
    } else {
      out.push(scalar(rest, line));
      st.pos++;
    }
  }
  return out;
}

function parseMapping(st: State, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let line = st.lines[st.pos]; line && line.indent >= indent; line = st.lines[st.pos]) {
    if (line.indent > indent) fail(line, 'bad indentation in a mapping');
    if (isItem(line.text)) break;
    const m = KEY.exec(line.text);
    if (!m) fail(line, `not a "key: value" line: ${line.text}`);
    const key = unquote(m[1] ?? '', line);
    if (Object.prototype.hasOwnProperty.call(out, key)) fail(line, `duplicate key ${key}`);
    st.pos++;
    const rest = m[2] ?? '';
    if (rest !== '') {
      out[key] = scalar(rest, line);
      continue;
    }
    const next = st.lines[st.pos];
    // A sequence may sit at its key's own indentation ("key:\n- a").
    if (next && (next.indent > indent || (next.indent === indent && isItem(next.text))))
      out[key] = parseBlock(st, next.indent);
    else out[key] = null;
  }
  return out;
}

export function parseYamlSubset(source: string): unknown {
  const lines = toLines(source);
  const st: State = { lines, pos: 0 };
  const value = parseBlock(st, lines[0]?.indent ?? 0);
  if (st.pos < lines.length) fail(lines[st.pos], 'unexpected indentation');
  return value;
}

/** electron-builder's glob (minimatch) for the patterns the config uses: `**`, `*`, literal text. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
