// A list that draws only the rows in view (and a few around them): a batch of a thousand documents
// keeps the window's frames short however long the list grows. Rows have one fixed height.
import { useState, type ReactNode } from 'react';

export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  /** The list's visible height, in pixels. */
  height: number;
  renderRow: (item: T, index: number) => ReactNode;
  label: string;
  testId?: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const { items, rowHeight, height } = props;
  const overscan = 6;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        role="row"
        className="virtual-row"
        style={{ position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}
      >
        {props.renderRow(items[i] as T, i)}
      </div>,
    );
  }
  return (
    <div
      role="table"
      aria-label={props.label}
      aria-rowcount={items.length}
      className="virtual-list"
      style={{
        height: Math.min(height, Math.max(rowHeight, items.length * rowHeight)),
        overflowY: 'auto',
        position: 'relative',
      }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid={props.testId}
    >
      <div role="rowgroup" style={{ height: items.length * rowHeight, position: 'relative' }}>
        {rows}
      </div>
    </div>
  );
}
