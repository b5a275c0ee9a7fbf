// The few icons the app shows, drawn inline (no icon font, no emoji: both depend on the system's fonts).
const PATHS = {
  sign: 'M4 20h4l10.5-10.5a2.1 2.1 0 0 0-3-3L5 17v3zM14 7l3 3',
  verify: 'M12 3l7 3v5c0 4.5-3 8.5-7 10-4-1.5-7-5.5-7-10V6l7-3zM8.5 12l2.5 2.5 4.5-5',
  // a stack of pages with a pen stroke: many documents signed at once
  batch: 'M8 3h10v14H8zM5 6v15h10M11 12l2 2 4-5',
  devices: 'M9 3h6v5H9zM7 8h10v10a3 3 0 0 1-3 3h-4a3 3 0 0 1-3-3V8zM10 13h4',
  open: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7z',
  upload: 'M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3',
  // three sliders: the settings
  settings: 'M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M14 4v4M8 10v4M16 16v4',
  // an in-tray with a document in it: what waits for a signature
  inbox: 'M4 13l2-8h12l2 8v6H4zM4 13h5l1 2h4l1-2h5M9 9h6',
  lock: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
