import { useEffect, useState } from 'react';
import { reconnectNow } from '../api/client';
import { Icon } from '../components/Icon';
import { useConnection } from './useConnection';

/** Shown while the web-mode socket is down: what is happening and when the next try is. */
export function ConnectionBanner() {
  const conn = useConnection();
  const [now, setNow] = useState(() => Date.now());
  const reconnecting = conn.status === 'reconnecting';
  const ended = conn.status === 'ended';
  useEffect(() => {
    if (!reconnecting) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [reconnecting]);
  if (ended) {
    return (
      <div className="banner banner-danger" role="alert">
        <Icon name="alert" />
        <span>
          This session has ended: Concord was restarted and no longer accepts this page. Open the address that{' '}
          <code>concord serve</code> printed.
        </span>
        <button type="button" className="btn btn-sm" onClick={reconnectNow}>
          Try again
        </button>
      </div>
    );
  }
  if (!reconnecting) return null;
  const wait = conn.retryAt ? Math.max(0, Math.ceil((conn.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-warning" role="alert">
      <Icon name="alert" />
      <span>
        {conn.everOpen ? 'Lost the connection to Concord.' : 'Cannot reach Concord.'}{' '}
        {conn.retryAt ? `Retrying in ${wait} s (attempt ${conn.attempt}).` : 'Connecting…'} Work in progress
        on the server continues.
      </span>
      <button type="button" className="btn btn-sm" onClick={reconnectNow}>
        Retry now
      </button>
    </div>
  );
}
