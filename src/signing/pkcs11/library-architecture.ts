// Reads a library file's header (ELF, PE, Mach-O) to tell a user "this token library is 32-bit,
// Kyso is 64-bit" instead of a bare loader error. Many Vietnamese token libraries are 32-bit only.
import { open } from 'node:fs/promises';

export type LibraryArch = 'x64' | 'ia32' | 'arm64' | 'arm' | 'unknown';
export type LibraryFormat = 'elf' | 'pe' | 'mach-o' | 'unknown';

export interface LibraryHeader {
  readonly format: LibraryFormat;
  readonly arch: LibraryArch;
}

const ELF_MACHINES: Readonly<Record<number, LibraryArch>> = { 3: 'ia32', 40: 'arm', 62: 'x64', 183: 'arm64' };
const PE_MACHINES: Readonly<Record<number, LibraryArch>> = {
  0x14c: 'ia32',
  0x8664: 'x64',
  0xaa64: 'arm64',
  0x1c4: 'arm',
};
const MACHO_CPUS: Readonly<Record<number, LibraryArch>> = {
  7: 'ia32',
  0x01000007: 'x64',
  0x0100000c: 'arm64',
  12: 'arm',
};

export async function readLibraryHeader(file: string): Promise<LibraryHeader> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
      const little = head[5] === 1;
      const machine = little ? head.readUInt16LE(18) : head.readUInt16BE(18);
      return { format: 'elf', arch: ELF_MACHINES[machine] ?? 'unknown' };
    }
    if (head.length >= 64 && head[0] === 0x4d && head[1] === 0x5a) {
      const peOffset = head.readUInt32LE(0x3c);
      if (peOffset + 6 <= head.length && head.readUInt32BE(peOffset) === 0x50450000) {
        return { format: 'pe', arch: PE_MACHINES[head.readUInt16LE(peOffset + 4)] ?? 'unknown' };
      }
      return { format: 'pe', arch: 'unknown' };
    }
    if (head.length >= 8) {
      const magic = head.readUInt32LE(0);
      if (magic === 0xfeedfacf || magic === 0xfeedface) {
        return { format: 'mach-o', arch: MACHO_CPUS[head.readUInt32LE(4)] ?? 'unknown' };
      }
      if (head.readUInt32BE(0) === 0xcafebabe) return { format: 'mach-o', arch: 'unknown' };
    }
    return { format: 'unknown', arch: 'unknown' };
  } finally {
    await fh.close();
  }
}
