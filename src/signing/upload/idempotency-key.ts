// The Idempotency-Key of a delivery: the same for one document (its bytes and dossier code) and one
// destination, whoever queues it and however often, so that the server recognises a retry after a
// lost answer, and the outbox refuses to queue the same delivery twice.
import { createHash } from 'node:crypto';
import type { UploadDestination } from './upload-types.js';

/** A stable text for a destination: scheme, host and path of the server, or the folder path. */
export function destinationId(destination: UploadDestination): string {
  if (destination.kind === 'folder') return `folder:${destination.path}`;
  const u = new URL(destination.server);
  const pathname = u.pathname.replace(/\/+$/, '');
  return `rest:${u.protocol}//${u.host.toLowerCase()}${pathname}`;
}

export function idempotencyKey(destination: UploadDestination, dossierCode: string, sha256: string): string {
  const h = createHash('sha256')
    .update('kyso-upload-v1\0')
    .update(destinationId(destination))
    .update('\0')
    .update(dossierCode)
    .update('\0')
    .update(sha256)
    .digest('hex');
  // 32 hex digits: short enough for any header or file name, far beyond collisions.
  return `kyso-${h.slice(0, 32)}`;
}
