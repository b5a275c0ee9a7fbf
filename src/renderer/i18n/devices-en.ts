// English strings of token administration (issue 14 point 2), spread into en.ts.
import type { DevicesMessageKey } from './devices-vi.js';

export const devicesEn: Record<DevicesMessageKey, string> = {
  'changePin.open': 'Change PIN',
  'changePin.title': "Change the token's PIN",
  'changePin.for': 'Token “{token}”. The new PIN applies from the next signature.',
  'changePin.current': 'Current PIN',
  'changePin.new': 'New PIN',
  'changePin.again': 'New PIN again',
  'changePin.submit': 'Change PIN',
  'changePin.working': 'Changing…',
  'changePin.never':
    'Kyso tries once: if the current PIN is wrong, the token counts one try and Kyso does not try again.',
  'changePin.done': 'The PIN of token “{token}” was changed.',
  'changePin.problem.empty': 'Fill in all three fields: the current PIN and the new PIN twice.',
  'changePin.problem.mismatch': 'The two entries of the new PIN differ. Nothing was changed.',
  'changePin.problem.length': 'The new PIN must be {min} to {max} characters long. Nothing was changed.',
  'changePin.problem.same': 'The new PIN must differ from the current PIN.',
};
