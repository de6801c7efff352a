/**
 * The one channel server (after VS Code's ChannelServer): serves the requests of any number of connections
 * through one handler (the worker's dispatch, or the web server's forward to the worker), answers each on its own
 * connection with the request's id, and pushes events to every connection. A `cancel` message aborts the signal the
 * handler was given and drops its answer. Nothing a client sends can throw here: broken messages are answered with
 * BAD_INPUT.
 */
import {
  CancelMessageSchema,
  RequestMessageSchema,
  type ApiError,
  type EventMessage,
  type RequestMessage,
  type ServerMessage,
} from '../api/contract.js';
import { describeIssues } from '../api/toApiError.js';
import type { Transport } from './transport.js';

/** A response without its type and id: the server puts back the id the client used. */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiError };

export type RequestHandler = (request: RequestMessage, signal: AbortSignal) => Promise<Outcome>;

/** What a transport delivers instead of a message it could not decode (too big, not JSON, binary). */
export class MalformedMessage {
  constructor(
    /** The request id when the raw text shows it, else -1. */
    readonly id: number,
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {}
}

export class ChannelServer {
  private readonly connections = new Set<Transport>();

  constructor(private readonly handle: RequestHandler) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Serves one connection until it closes. */
  connect(transport: Transport): void {
    this.connections.add(transport);
    const inFlight = new Map<number, AbortController>();
    transport.onClose(() => {
      this.connections.delete(transport);
      for (const c of inFlight.values()) c.abort();
    });
    transport.onMessage((message) => {
      void this.serve(transport, message, inFlight);
    });
  }

  /** Sends an event to every connection (one that fails to take it is skipped). */
  broadcast(event: EventMessage): void {
    for (const t of this.connections) send(t, event);
  }

  private async serve(
    transport: Transport,
    message: unknown,
    inFlight: Map<number, AbortController>,
  ): Promise<void> {
    if (message instanceof MalformedMessage)
      return send(transport, errorResponse(message.id, message.reason, message.details));
    const cancel = CancelMessageSchema.safeParse(message);
    if (cancel.success) {
      inFlight.get(cancel.data.id)?.abort();
      return;
    }
    const request = RequestMessageSchema.safeParse(message);
    if (!request.success) {
      const issues = describeIssues(request.error.issues);
      return send(transport, errorResponse(peekId(message), `not a request message: ${issues}`));
    }
    const { id } = request.data;
    const controller = new AbortController();
    inFlight.set(id, controller);
    let outcome: Outcome;
    try {
      outcome = await this.handle(request.data, controller.signal);
    } catch (err) {
      outcome = { ok: false, error: { code: 'INTERNAL', message: String(err), details: {} } };
    }
    if (inFlight.get(id) === controller) inFlight.delete(id);
    if (controller.signal.aborted) return;
    send(
      transport,
      outcome.ok
        ? { type: 'response', id, ok: true, result: outcome.result }
        : { type: 'response', id, ok: false, error: outcome.error },
    );
  }
}

function send(transport: Transport, message: ServerMessage): void {
  try {
    transport.post(message);
  } catch {
    // the connection is closing
  }
}

export function errorResponse(
  id: number,
  message: string,
  details: Record<string, unknown> = {},
): ServerMessage {
  return { type: 'response', id, ok: false, error: { code: 'BAD_INPUT', message, details } };
}

/** The id of a message too broken to be a request, so the sender can still match the error to its call. */
function peekId(message: unknown): number {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) ? id : -1;
}
