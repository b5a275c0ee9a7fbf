// The issue books of the reference server (Decree 30/2020 art. 15: a document's number runs in
// sequence per book from 01 January to 31 December). A number is reserved for a request in one
// IMMEDIATE transaction (a write lock taken before reading the book's last number), so two clerks
// issuing at once — in one server, or in two processes on the same database — never get the same
// number; UNIQUE constraints on (book, year, seq) and on the number make a duplicate impossible
// even for a bug. The number belongs to the request: asking again gives the same number, and a
// clerk whose reservation lapsed hands it (not a new one) to the next clerk, so no number is lost.
import { wallClock } from '../shared/vietnam-time.js';
import type { SigningStore } from './signing-store.js';

export interface IssueReservation {
  readonly requestId: string;
  readonly book: string;
  readonly year: number;
  readonly seq: number;
  /** e.g. 0001/QĐ-UBND */
  readonly number: string;
  /** dd/MM/yyyy, Vietnam's calendar day of the reservation. */
  readonly issuedDate: string;
  /** SHA-256 of the clerk's certificate that holds it. */
  readonly clerk: string;
  readonly leaseUntil: number;
}

export type ReserveOutcome =
  | { readonly kind: 'reserved'; readonly reservation: IssueReservation; readonly fresh: boolean }
  | { readonly kind: 'taken'; readonly reservation: IssueReservation };

interface IssueRow {
  request_id: string;
  book: string;
  year: number;
  seq: number;
  number: string;
  issued_date: string;
  clerk: string;
  lease_until: number;
}

function fromRow(row: IssueRow): IssueReservation {
  return {
    requestId: row.request_id,
    book: row.book,
    year: row.year,
    seq: row.seq,
    number: row.number,
    issuedDate: row.issued_date,
    clerk: row.clerk,
    leaseUntil: row.lease_until,
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The number as it is written: the sequence on four digits, a slash, the book's symbol. */
export function formatIssueNumber(seq: number, book: string): string {
  return `${pad(seq, 4)}/${book}`;
}

export class IssueBook {
  constructor(
    private readonly store: SigningStore,
    /** How long a clerk holds a reservation before another clerk may take the request over. */
    private readonly leaseMs = 10 * 60_000,
  ) {}

  get(requestId: string): IssueReservation | undefined {
    const row = this.store.db.prepare('SELECT * FROM issues WHERE request_id = ?').get(requestId) as
      IssueRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * Reserves (or confirms) the number and date of a request for a clerk. The year is the year of
   * `now` in Vietnam (the machine's clock: a server whose clock moves on starts the new year's book).
   */
  reserve(requestId: string, book: string, clerk: string, now = new Date()): ReserveOutcome {
    const run = this.store.db.transaction((): ReserveOutcome => {
      const existing = this.get(requestId);
      const leaseUntil = now.getTime() + this.leaseMs;
      if (existing) {
        if (existing.clerk !== clerk && existing.leaseUntil > now.getTime()) {
          return { kind: 'taken', reservation: existing };
        }
        this.store.db
          .prepare('UPDATE issues SET clerk = ?, lease_until = ? WHERE request_id = ?')
          .run(clerk, leaseUntil, requestId);
        return { kind: 'reserved', reservation: { ...existing, clerk, leaseUntil }, fresh: false };
      }
      const day = wallClock(now);
      const last =
        (
          this.store.db.prepare('SELECT last FROM books WHERE book = ? AND year = ?').get(book, day.year) as
            { last: number } | undefined
        )?.last ?? 0;
      const seq = last + 1;
      this.store.db
        .prepare(
          'INSERT INTO books (book, year, last) VALUES (?, ?, ?) ON CONFLICT (book, year) DO UPDATE SET last = excluded.last',
        )
        .run(book, day.year, seq);
      const reservation: IssueReservation = {
        requestId,
        book,
        year: day.year,
        seq,
        number: formatIssueNumber(seq, book),
        issuedDate: `${pad(day.day, 2)}/${pad(day.month, 2)}/${day.year}`,
        clerk,
        leaseUntil,
      };
      this.store.db
        .prepare(
          `INSERT INTO issues (request_id, book, year, seq, number, issued_date, clerk, lease_until)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(requestId, book, day.year, seq, reservation.number, reservation.issuedDate, clerk, leaseUntil);
      return { kind: 'reserved', reservation, fresh: true };
    });
    return run.immediate();
  }

  /** Every number given in a book and year, in order (tests and the admin page). */
  numbers(book: string, year: number): string[] {
    return (
      this.store.db
        .prepare('SELECT number FROM issues WHERE book = ? AND year = ? ORDER BY seq')
        .all(book, year) as { number: string }[]
    ).map((r) => r.number);
  }
}
