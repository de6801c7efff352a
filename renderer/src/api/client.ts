/**
 * The renderer's typed client for the one API contract (core/api/contract.ts). Two transports, chosen once at
 * start: the Electron preload bridge (`window.concord`, itself the shared channel client over a MessagePort) when
 * present, else the shared channel client over the web-mode WebSocket of `concord serve`. Results are checked against the contract's result schema, errors arrive as ApiCallError
 * carrying `{code, message, details}`.
 */
import type { EventMessage, MethodName, Params, Result } from '../../../core/api/contract';
import { parseResult } from '../../../core/rpc/client';
import { getBridge, type ConcordBridge } from './bridge';
import { startWebSession, type WebSession } from './session';
import { ApiCallError, parseEvent, toApiError, type ConnectionState, type Transport } from './transport';
import { WebSocketTransport } from './websocket';

export { ApiCallError, type ConnectionState } from './transport';

class ElectronTransport implements Transport {
  readonly mode = 'electron';
  private readonly state: ConnectionState = { status: 'open', attempt: 0, retryAt: null, everOpen: true };
  constructor(private readonly bridge: ConcordBridge) {}
  request(method: string, params: unknown): Promise<unknown> {
    return this.bridge.invoke(method, params);
  }
  onEvent(listener: (e: EventMessage) => void): () => void {
    return this.bridge.onEvent((raw) => {
      const e = parseEvent(raw);
      if (e) listener(e);
    });
  }
  connection(): ConnectionState {
    return this.state;
  }
  onConnection(): () => void {
    return () => {};
  }
  reconnectNow(): void {}
}

interface Started {
  transport: Transport;
  bridge: ConcordBridge | undefined;
  web: WebSession | undefined;
}

let started: Started | undefined;

/**
 * Chooses the transport. Call it first thing at start-up: in web mode it takes the session token out of the
 * address bar before anything else can read or log it.
 */
export function startClient(): Started {
  if (started) return started;
  const bridge = getBridge();
  if (bridge) {
    started = { transport: new ElectronTransport(bridge), bridge, web: undefined };
  } else {
    const web = startWebSession();
    started = {
      transport: new WebSocketTransport(web.socketUrl(), () => web.sessionRefused()),
      bridge: undefined,
      web,
    };
  }
  return started;
}

function transport(): Transport {
  return startClient().transport;
}

/** Calls one API method with its typed params; resolves with its typed, schema-checked result. */
export async function invoke<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
  let raw: unknown;
  try {
    raw = await transport().request(method, params);
  } catch (err) {
    throw new ApiCallError(toApiError(err));
  }
  const parsed = parseResult(method, raw);
  if (!parsed.ok) throw new ApiCallError(parsed.error);
  return parsed.value;
}

/** Listens to pushed events (job progress, notices); returns the unsubscribe function. */
export function subscribe(listener: (e: EventMessage) => void): () => void {
  return transport().onEvent(listener);
}

export function connectionState(): ConnectionState {
  return transport().connection();
}

export function onConnectionChange(listener: (s: ConnectionState) => void): () => void {
  return transport().onConnection(listener);
}

/** Calls `listener` each time the connection is open again after a drop (events sent meanwhile are lost). */
export function onReconnected(listener: () => void): () => void {
  let seenOpen = connectionState().status === 'open';
  return onConnectionChange((s) => {
    if (s.status !== 'open') return;
    if (seenOpen) listener();
    seenOpen = true;
  });
}

export function reconnectNow(): void {
  transport().reconnectNow();
}

export function clientMode(): 'electron' | 'web' {
  return transport().mode;
}

/** The Electron bridge, when running inside Electron. */
export function electronBridge(): ConcordBridge | undefined {
  return startClient().bridge;
}

/** The web session (token, upload endpoint), when running in web mode. */
export function webSession(): WebSession | undefined {
  return startClient().web;
}
