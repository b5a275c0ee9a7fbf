// A few schema builders for the engine's own settings file, in place of zod on the path every
// command takes: zod's module and schema set-up cost `kyso sign` about 15 ms of start-up, more
// than the whole PDF work of a one-page signature. Same contract as the zod schemas it replaced:
// unknown keys are dropped, absent members take their defaults, and every problem is reported
// with its path. The appearance settings and batch profiles, loaded only by the commands that use
// them, keep zod.

export interface SchemaIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type SafeParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: { readonly issues: readonly SchemaIssue[] } };

export interface Schema<T> {
  /** The value, or the issues found (every one, not just the first). */
  check(value: unknown, path: readonly (string | number)[], issues: SchemaIssue[]): T | undefined;
  /** What an absent member becomes; undefined: the member is required. */
  readonly absent?: () => T;
  parse(value: unknown): T;
  safeParse(value: unknown): SafeParseResult<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

class SchemaError extends Error {
  constructor(readonly issues: readonly SchemaIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

function schema<T>(check: Schema<T>['check'], absent?: () => T): Schema<T> {
  const self: Schema<T> = {
    check,
    ...(absent ? { absent } : {}),
    safeParse(value) {
      const issues: SchemaIssue[] = [];
      const data = check(value, [], issues);
      return issues.length === 0 ? { success: true, data: data as T } : { success: false, error: { issues } };
    },
    parse(value) {
      const result = self.safeParse(value);
      if (!result.success) throw new SchemaError(result.error.issues);
      return result.data;
    },
  };
  return self;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function refine<T>(
  expected: string,
  accept: (value: unknown) => value is T,
  rules: readonly ((value: T) => string | undefined)[] = [],
): Schema<T> {
  return schema((value, path, issues) => {
    if (!accept(value)) {
      issues.push({ path, message: `expected ${expected}, received ${typeName(value)}` });
      return undefined;
    }
    for (const rule of rules) {
      const message = rule(value);
      if (message !== undefined) {
        issues.push({ path, message });
        return undefined;
      }
    }
    return value;
  });
}

export const boolean = (): Schema<boolean> => refine('boolean', (v): v is boolean => typeof v === 'boolean');

export function string(rules: { minLength?: number; pattern?: RegExp } = {}): Schema<string> {
  return refine('string', (v): v is string => typeof v === 'string', [
    (v) =>
      rules.minLength !== undefined && v.length < rules.minLength
        ? `too short (at least ${rules.minLength})`
        : undefined,
    (v) =>
      rules.pattern !== undefined && !rules.pattern.test(v) ? `does not match ${rules.pattern}` : undefined,
  ]);
}

export function int(min: number, max: number): Schema<number> {
  return refine('integer', (v): v is number => typeof v === 'number' && Number.isSafeInteger(v), [
    (v) => (v < min ? `must be at least ${min}` : undefined),
    (v) => (v > max ? `must be at most ${max}` : undefined),
  ]);
}

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  return refine(
    values.map((v) => `"${v}"`).join(' | '),
    (v): v is V[number] => typeof v === 'string' && values.includes(v),
  );
}

/** An http: or https: URL with a host. */
export function httpUrl(): Schema<string> {
  return refine('string', (v): v is string => typeof v === 'string', [
    (v) => {
      try {
        const url = new URL(v);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
          ? undefined
          : 'expected an http or https URL';
      } catch {
        return 'invalid URL';
      }
    },
  ]);
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return schema((value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected array, received ${typeName(value)}` });
      return undefined;
    }
    return value.map((v, i) => item.check(v, [...path, i], issues) as T);
  });
}

/** The member may be absent (or undefined); it stays absent. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return schema<T | undefined>(
    (value, path, issues) => (value === undefined ? undefined : inner.check(value, path, issues)),
    () => undefined,
  );
}

/** An absent member takes `fallback` (an object's own defaults apply when it is absent too). */
export function withDefault<T>(inner: Schema<T>, fallback: T | (() => T)): Schema<T> {
  const make = (): T =>
    typeof fallback === 'function' ? (fallback as () => T)() : structuredClone(fallback);
  return schema<T>(
    (value, path, issues) => (value === undefined ? make() : inner.check(value, path, issues)),
    make,
  );
}

export type Shape = Readonly<Record<string, Schema<unknown>>>;
type ObjectOf<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

/** An object schema keeps its members, so the machine policy can list every setting's key. */
export interface ObjectSchema<S extends Shape> extends Schema<ObjectOf<S>> {
  readonly shape: S;
}

export function isObjectSchema(value: Schema<unknown>): value is ObjectSchema<Shape> {
  return 'shape' in value && typeof (value as { shape?: unknown }).shape === 'object';
}

/** A JSON object with these members; unknown members are dropped. Absent as a whole: all defaults. */
export function object<S extends Shape>(shape: S): ObjectSchema<S> {
  const check: Schema<ObjectOf<S>>['check'] = (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected object, received ${typeName(value)}` });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(shape)) {
      const raw = (value as Record<string, unknown>)[key];
      if (raw === undefined) {
        if (member.absent === undefined) issues.push({ path: [...path, key], message: 'required' });
        else {
          const fallback = member.absent();
          if (fallback !== undefined) out[key] = fallback;
        }
        continue;
      }
      const parsed = member.check(raw, [...path, key], issues);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as ObjectOf<S>;
  };
  const absent = Object.values(shape).every((m) => m.absent !== undefined)
    ? () => check({}, [], []) as ObjectOf<S>
    : undefined;
  return Object.assign(schema(check, absent), { shape });
}
