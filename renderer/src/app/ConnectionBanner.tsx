import { useEffect, useState } from 'react';
import { reconnectNow } from '../api/client';
import { Icon } from '../components/Icon';
import { useConnection } from './StatusBar';

/** Shown while the web-mode socket is down: what is happening and when the next try is. */
export function ConnectionBanner() {
  const conn = useConnection();
  const [now, setNow] = useState(() => Date.now());
  const reconnecting = conn.status === 'reconnecting';
  useEffect(() => {
    if (!reconnecting) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [reconnecting]);
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
