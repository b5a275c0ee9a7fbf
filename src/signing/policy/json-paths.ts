// Reading, writing and merging plain JSON values by dotted key ("tsa.url"), for the machine policy's
// presets and locks over settings.json. Values are JSON (objects, arrays, scalars), never class
// instances; arrays are values, not merged.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getPath(root: unknown, key: string): unknown {
  let value: unknown = root;
  for (const part of key.split('.')) {
    if (!isJsonObject(value) || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

export function hasPath(root: unknown, key: string): boolean {
  return getPath(root, key) !== undefined;
}

/** Sets the member, creating (or replacing non-object) sections on the way. */
export function setPath(root: JsonObject, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (isJsonObject(next)) node = next;
    else {
      const created: JsonObject = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts[parts.length - 1] as string] = value;
}

export function deletePath(root: JsonObject, key: string): void {
  const parts = key.split('.');
  const parent = getPath(root, parts.slice(0, -1).join('.'));
  const holder = parts.length === 1 ? root : parent;
  if (isJsonObject(holder)) delete holder[parts[parts.length - 1] as string];
}

/** `over` on top of `base`: objects merged member by member, anything else replaced. Inputs untouched. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isJsonObject(base) || !isJsonObject(over)) return structuredClone(over);
  const out: JsonObject = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}
