import { useSyncExternalStore } from 'react';
import { connectionState, onConnectionChange, type ConnectionState } from '../api/client';

/** The transport's connection state (always open in Electron). */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(onConnectionChange, connectionState);
}
