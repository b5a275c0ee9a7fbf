// Where the local bridge's questions appear, whatever screen is shown: the requests web pages sent,
// one dialog at a time in the order they came, each kept until the user saw how it ended (a request
// the user refused here closes at once). Requests already waiting when the window opens are shown too.
import { useEffect, useState } from 'react';
import type { BridgeRequestView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { BridgeRequestDialog } from './BridgeRequestDialog.js';

interface Shown {
  readonly request: BridgeRequestView;
  readonly ended: { outcome: string; message: string | null } | null;
}

export function BridgeRequests() {
  const { client } = useApp();
  const [shown, setShown] = useState<readonly Shown[]>([]);

  useEffect(() => {
    const add = (request: BridgeRequestView): void =>
      setShown((list) =>
        list.some((s) => s.request.requestId === request.requestId)
          ? list
          : [...list, { request, ended: null }],
      );
    const stops = [
      client.onBridgeEvent((event) => {
        if (event.kind === 'bridge-request') add(event.request);
        else
          setShown((list) =>
            event.outcome === 'declined'
              ? list.filter((s) => s.request.requestId !== event.requestId)
              : list.map((s) =>
                  s.request.requestId === event.requestId
                    ? { ...s, ended: { outcome: event.outcome, message: event.message } }
                    : s,
                ),
          );
      }),
      // The engine restarted: its bridge started again without these questions.
      client.onEngineRestarted(() => setShown([])),
    ];
    void client.call('bridge.status', {}).then((r) => {
      if (r.ok) r.value.pending.forEach(add);
    });
    return () => stops.forEach((stop) => stop());
  }, [client]);

  const first = shown[0];
  if (!first) return null;
  return (
    <BridgeRequestDialog
      key={first.request.requestId}
      request={first.request}
      ended={first.ended}
      more={shown.length - 1}
      onDone={() => setShown((list) => list.filter((s) => s !== first))}
    />
  );
}
