// English strings of the TSA, proxy and revocation settings (issue 14 point 2).
import type { NetworkMessageKey } from './network-vi.js';

export const networkEn: Record<NetworkMessageKey, string> = {
  'network.title': 'Network and timestamps',
  'network.intro':
    "The timestamp server (TSA) gives signatures a trusted signing time; the proxy is the office's gateway to the Internet.",
  'network.tsaUrl': 'Timestamp server (TSA) address',
  'network.check': 'Test connection',
  'network.checking': 'Testing…',
  'network.checkOk': 'Connected: {name} issued a timestamp at {time} ({ms} ms).',
  'network.proxy': 'HTTP proxy (empty for direct connections)',
  'network.noProxy': 'Hosts reached without the proxy',
  'network.revocation': 'Certificate revocation checks',
  'network.revocation.online': 'Online (ask OCSP/CRL over the network)',
  'network.revocation.offline': 'Offline (only the data at hand)',
  'network.save': 'Save network settings',
  'network.saved': 'Saved.',
};
