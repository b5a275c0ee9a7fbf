// A small router for the reference one-stop server: modules add routes (method and a path with
// :params), the server hands each request to the first match. Later modules (an approval inbox, the
// bridge's upload handler) plug in the same way.
import type http from 'node:http';

export type RouteHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  params: Readonly<Record<string, string>>,
) => Promise<void> | void;

interface Route {
  readonly method: string;
  readonly parts: readonly string[];
  readonly handler: RouteHandler;
}

export class Router {
  readonly #routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.#routes.push({ method: method.toUpperCase(), parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** The handler and parameters for a request, or undefined (404), or 'method' (405). */
  match(
    method: string,
    pathname: string,
  ): { handler: RouteHandler; params: Record<string, string> } | 'method' | undefined {
    const segments = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.#routes) {
      if (route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length; i++) {
        const part = route.parts[i] as string;
        const segment = segments[i] as string;
        if (part.startsWith(':')) {
          try {
            params[part.slice(1)] = decodeURIComponent(segment);
          } catch {
            ok = false;
          }
        } else if (part !== segment) ok = false;
        if (!ok) break;
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}

/** Sends a JSON answer (the contract's answers are JSON: { message, … }). */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The whole request body, up to `max` bytes (undefined: more than that). */
export function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > max) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}
