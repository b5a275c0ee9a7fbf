// The ToUnicode CMap of a composite font with 2-byte codes (ISO 32000-1 §9.10.3): each code to the
// UTF-16BE text it stands for, in bfchar blocks of at most 100 entries (the CMap format's limit).

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

function utf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

export function toUnicodeCMap(map: ReadonlyMap<number, string>): Buffer {
  const entries = [...map.entries()].filter(([, t]) => t.length > 0).sort((a, b) => a[0] - b[0]);
  const lines = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
  ];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    lines.push(`${block.length} beginbfchar`);
    for (const [code, text] of block) lines.push(`<${hex4(code)}> <${utf16Hex(text)}>`);
    lines.push('endbfchar');
  }
  lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
  return Buffer.from(`${lines.join('\n')}\n`, 'latin1');
}
