// A modal dialog: focus moves into it, Tab stays inside, Escape cancels, focus returns afterwards.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog(props: {
  title: string;
  onCancel?: () => void;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const onCancel = useRef(props.onCancel);
  onCancel.current = props.onCancel;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const focusable = (): HTMLElement[] =>
      el
        ? [...el.querySelectorAll<HTMLElement>('input, button, select, textarea, [tabindex="0"]')].filter(
            (x) => !x.hasAttribute('disabled'),
          )
        : [];
    (el?.querySelector<HTMLElement>('[data-autofocus]') ?? focusable()[0])?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && onCancel.current) {
        e.preventDefault();
        onCancel.current();
      } else if (e.key === 'Tab') {
        const items = focusable();
        const first = items[0];
        const last = items[items.length - 1];
        if (!first || !last) return;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className="dialog"
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
