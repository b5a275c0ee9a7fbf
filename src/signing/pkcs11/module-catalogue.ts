// The catalogue of PKCS#11 libraries shipped by Vietnamese CAs and token vendors, kept as data
// (domain-vietnam.md, Tokens). IT staff add paths in settings; this list only seeds the search.
import path from 'node:path';

export interface CatalogueEntry {
  /** The CA or vendor people know the token by. */
  readonly vendor: string;
  readonly token: string;
  readonly platform: 'win32' | 'linux' | 'darwin';
  /** File name, searched in the platform's library folders; or an absolute path. */
  readonly file: string;
}

export const MODULE_CATALOGUE: readonly CatalogueEntry[] = [
  { vendor: 'VNPT-CA', token: 'VNPT-CA token', platform: 'win32', file: 'vnpt-ca_csp11.dll' },
  { vendor: 'VNPT-CA', token: 'VNPT-CA token (v8)', platform: 'win32', file: 'vnptca_p11_v8.dll' },
  { vendor: 'Viettel-CA', token: 'Viettel-CA token', platform: 'win32', file: 'viettel-ca_v5.dll' },
  { vendor: 'FPT-CA', token: 'FPT-CA token', platform: 'win32', file: 'fptca_v4.dll' },
  { vendor: 'BkavCA', token: 'BkavCA token', platform: 'win32', file: 'BkavCAv2S.dll' },
  { vendor: 'CA2 (Nacencomm)', token: 'CA2 token', platform: 'win32', file: 'CA2_v34.dll' },
  { vendor: 'Feitian', token: 'ePass2003', platform: 'win32', file: 'eps2003csp11.dll' },
  { vendor: 'SafeNet / Thales', token: 'eToken', platform: 'win32', file: 'eTPKCS11.dll' },
  { vendor: 'Bit4id (Ban Cơ yếu Chính phủ)', token: 'VGCA token', platform: 'win32', file: 'bit4xpki.dll' },
  { vendor: 'Watchdata', token: 'Watchdata token', platform: 'win32', file: 'WDPKCS.dll' },
  {
    vendor: 'OpenSC',
    token: 'smart cards supported by OpenSC',
    platform: 'win32',
    file: 'opensc-pkcs11.dll',
  },
  { vendor: 'Feitian', token: 'ePass2003', platform: 'linux', file: 'libcastle.so.1.0.0' },
  { vendor: 'SafeNet / Thales', token: 'eToken', platform: 'linux', file: 'libeTPkcs11.so' },
  { vendor: 'FPT-CA', token: 'FPT-CA token', platform: 'linux', file: '/usr/lib/fptca_v4.so' },
  { vendor: 'Bit4id (Ban Cơ yếu Chính phủ)', token: 'VGCA token', platform: 'linux', file: 'libbit4xpki.so' },
  { vendor: 'OpenSC', token: 'smart cards supported by OpenSC', platform: 'linux', file: 'opensc-pkcs11.so' },
  { vendor: 'Feitian', token: 'ePass2003', platform: 'darwin', file: 'libcastle.dylib' },
  { vendor: 'SafeNet / Thales', token: 'eToken', platform: 'darwin', file: 'libeTPkcs11.dylib' },
  { vendor: 'Viettel-CA', token: 'Viettel-CA token', platform: 'darwin', file: 'viettel-ca_v5.dylib' },
  {
    vendor: 'OpenSC',
    token: 'smart cards supported by OpenSC',
    platform: 'darwin',
    file: 'opensc-pkcs11.so',
  },
];

/** Folders where vendor installers put their libraries, per platform. */
export function libraryFolders(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  switch (platform) {
    case 'win32': {
      const root = env['SystemRoot'] ?? 'C:\\Windows';
      const pf = env['ProgramFiles'] ?? 'C:\\Program Files';
      const pf86 = env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
      // A 32-bit Kyso sees SysWOW64 as System32; a 64-bit one needs both, told apart by the probe.
      return [path.win32.join(root, 'System32'), path.win32.join(root, 'SysWOW64'), pf, pf86];
    }
    case 'darwin':
      return ['/usr/local/lib', '/Library/OpenSC/lib', '/usr/lib', '/opt/homebrew/lib'];
    default:
      return [
        '/usr/lib',
        '/usr/lib64',
        '/usr/local/lib',
        '/usr/lib/x86_64-linux-gnu',
        '/usr/lib/x86_64-linux-gnu/pkcs11',
        '/usr/lib/i386-linux-gnu',
        '/usr/lib/pkcs11',
        '/opt/apps',
      ];
  }
}

export interface CatalogueCandidate {
  readonly entry: CatalogueEntry;
  readonly path: string;
}

/** Every path where a catalogue library could be, in search order. */
export function catalogueCandidates(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): CatalogueCandidate[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const folders = libraryFolders(platform, env);
  const out: CatalogueCandidate[] = [];
  for (const entry of MODULE_CATALOGUE) {
    if (entry.platform !== platform) continue;
    if (p.isAbsolute(entry.file)) out.push({ entry, path: entry.file });
    else for (const folder of folders) out.push({ entry, path: p.join(folder, entry.file) });
  }
  return out;
}
