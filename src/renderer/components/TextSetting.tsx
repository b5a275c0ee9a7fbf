// One text setting of a settings form: its label, the field (disabled when the machine policy locks
// the key) and, under it, why it is locked and any extra content (a check button, a hint).
import { useId, type ReactNode } from 'react';
import type { SettingLockView } from '../../shared/contract/index.js';
import { LockedNote } from './LockedNote.js';

/** One text setting: its label, the field (disabled when the policy locks the key) and why. */
export function TextSetting(props: {
  settingKey: string;
  label: string;
  value: string;
  placeholder: string;
  lock: SettingLockView | null;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} style={{ fontWeight: 600 }}>
        {props.label}
      </label>
      <input
        id={id}
        className="text-input wide"
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.lock !== null}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <LockedNote settingKey={props.settingKey} lock={props.lock} />
      {props.children}
    </div>
  );
}
