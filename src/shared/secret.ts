// A PIN, password or upload token in memory. It prints as [secret] everywhere (string conversion,
// JSON, util.inspect, template literals) so that an accidental log or error report cannot leak it.

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: call only at the point of use (C_Login, an HTTP header). */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspectSymbol](): string {
    return '[secret]';
  }
}
