// The worker host's process logic (fork, per-window channels, restart on crash, notices), driven with fakes of
// utilityProcess and MessageChannelMain. It does not start Electron: what is checked is what the host asks them to do.
import { describe, expect, it } from 'vitest';
import type { NoticeEvent } from './ipc.js';
import { WorkerHost, type ClientWindow, type WorkerHostDeps, type WorkerProcess } from './workerHost.js';

interface FakePort {
  name: string;
  posted: unknown[];
  onMessage: ((data: unknown) => void) | null;
  closed: boolean;
}

class FakeChild implements WorkerProcess<FakePort> {
  messages: { message: unknown; transfer: FakePort[] }[] = [];
  killed = false;
  private exitListeners: ((code: number) => void)[] = [];
  constructor(
    readonly modulePath: string,
    readonly args: string[],
  ) {}
  postMessage(message: unknown, transfer: FakePort[]): void {
    this.messages.push({ message, transfer });
  }
  kill(): void {
    this.killed = true;
    this.exit(0);
  }
  onExit(listener: (code: number) => void): void {
    this.exitListeners.push(listener);
  }
  exit(code: number): void {
    for (const l of this.exitListeners) l(code);
  }
  /** The control port main kept: the worker answers on it. */
  controlPort(): FakePort {
    return this.messages[0].transfer[0];
  }
}

function setup(options: { exists?: boolean; now?: () => number } = {}) {
  const children: FakeChild[] = [];
  let n = 0;
  const pairs: { port1: FakePort; port2: FakePort }[] = [];
  const logs: string[] = [];
  const deps: WorkerHostDeps<FakePort> = {
    fork: (modulePath, args) => {
      const c = new FakeChild(modulePath, args);
      children.push(c);
      return c;
    },
    newChannel: () => {
      n++;
      const pair = {
        port1: { name: `p${n}.1`, posted: [], onMessage: null, closed: false } as FakePort,
        port2: { name: `p${n}.2`, posted: [], onMessage: null, closed: false } as FakePort,
      };
      pairs.push(pair);
      return pair;
    },
    openPort: (port, onMessage) => {
      port.onMessage = onMessage;
      return { post: (m) => void port.posted.push(m), close: () => void (port.closed = true) };
    },
    exists: () => options.exists ?? true,
    log: (m) => void logs.push(m),
    now: options.now,
  };
  const host = new WorkerHost('/app/dist/core/worker/main.js', deps, {
    maxRestarts: 2,
    restartWindowMs: 60_000,
  });
  return { host, children, pairs, logs };
}

function fakeWindow(id: number) {
  const ports: FakePort[] = [];
  const notices: NoticeEvent[] = [];
  let destroyed = false;
  const win: ClientWindow<FakePort> = {
    id,
    isDestroyed: () => destroyed,
    postPort: (p) => void ports.push(p),
    sendNotice: (e) => void notices.push(e),
  };
  return { win, ports, notices, destroy: () => (destroyed = true) };
}

/** The port1s sent to the worker with {type:'connect'} (control first, then one per window). */
function connects(child: FakeChild): FakePort[] {
  return child.messages
    .filter((m) => (m.message as { type?: string }).type === 'connect')
    .map((m) => m.transfer[0]);
}

describe('WorkerHost', () => {
  it('forks the compiled worker with --workspace and connects each window by its own channel', () => {
    const { host, children, pairs } = setup();
    host.setWorkspace('/data/shop.concord');
    const a = fakeWindow(1);
    host.connect(a.win); // before start: waits
    expect(a.ports).toEqual([]);
    expect(host.start()).toBe(true);
    expect(children).toHaveLength(1);
    expect(children[0].modulePath).toBe('/app/dist/core/worker/main.js');
    expect(children[0].args).toEqual(['--workspace', '/data/shop.concord']);

    const b = fakeWindow(2);
    host.connect(b.win);
    // control channel + one per window, each port1 to the worker, each port2 to its page
    expect(
      children[0].messages.every(
        (m) => (m.message as { type: string }).type === 'connect' && m.transfer.length === 1,
      ),
    ).toBe(true);
    expect(connects(children[0])).toEqual([pairs[0].port1, pairs[1].port1, pairs[2].port1]);
    expect(a.ports).toEqual([pairs[1].port2]);
    expect(b.ports).toEqual([pairs[2].port2]);
  });

  it('starts without --workspace when none is chosen', () => {
    const { host, children } = setup();
    host.start();
    expect(children[0].args).toEqual([]);
  });

  it('gives a reloaded page a fresh port', () => {
    const { host, pairs } = setup();
    host.start();
    const a = fakeWindow(1);
    host.connect(a.win);
    host.connect(a.win);
    expect(a.ports).toEqual([pairs[1].port2, pairs[2].port2]);
  });

  it('restarts a crashed worker, hands every window a fresh port and tells the pages', () => {
    const { host, children } = setup();
    host.setWorkspace('/data/shop.concord');
    host.start();
    const a = fakeWindow(1);
    const b = fakeWindow(2);
    host.connect(a.win);
    host.connect(b.win);
    children[0].exit(134);
    expect(children).toHaveLength(2);
    expect(children[1].args).toEqual(['--workspace', '/data/shop.concord']);
    expect(a.ports).toHaveLength(2);
    expect(b.ports).toHaveLength(2);
    expect(connects(children[1])).toHaveLength(3); // control + 2 windows on the new process
    for (const w of [a, b]) {
      expect(w.notices).toEqual([
        {
          type: 'event',
          event: 'notice',
          level: 'error',
          message:
            'The worker process stopped unexpectedly (exit code 134) and was restarted; running jobs were marked failed.',
        },
      ]);
    }
  });

  it('reopens the workspace chosen last after a restart', () => {
    const { host, children } = setup();
    host.start();
    host.setWorkspace('/data/other.concord');
    children[0].exit(1);
    expect(children[1].args).toEqual(['--workspace', '/data/other.concord']);
  });

  it('does not restart or complain when stopped on purpose', () => {
    const { host, children } = setup();
    const a = fakeWindow(1);
    host.start();
    host.connect(a.win);
    host.stop();
    expect(children[0].killed).toBe(true);
    expect(children).toHaveLength(1);
    expect(a.notices).toEqual([]);
    expect(host.state).toBe('stopped');
  });

  it('stops restarting after a crash loop and says so, also to windows that connect later', () => {
    let t = 0;
    const { host, children } = setup({ now: () => t });
    const a = fakeWindow(1);
    host.start();
    host.connect(a.win);
    for (let i = 0; i < 3; i++) {
      t += 1000;
      children[children.length - 1].exit(1);
    }
    expect(children).toHaveLength(3); // first + 2 restarts, then no more
    expect(host.state).toBe('crashed');
    expect(a.notices.at(-1)?.message).toMatch(/3 times within 60 s and was not restarted/);
    const late = fakeWindow(2);
    host.connect(late.win);
    expect(late.ports).toEqual([]);
    expect(late.notices).toHaveLength(1);
    // An explicit action (File ▸ Open) tries again.
    expect(host.restartAfterCrashLoop()).toBe(true);
    expect(children).toHaveLength(4);
    expect(late.ports).toHaveLength(1);
  });

  it('counts only crashes inside the window', () => {
    let t = 0;
    const { host, children } = setup({ now: () => t });
    host.start();
    for (let i = 0; i < 5; i++) {
      t += 61_000;
      children[children.length - 1].exit(1);
    }
    expect(children).toHaveLength(6);
    expect(host.state).toBe('running');
  });

  it('ignores the exit of a process it already replaced', () => {
    const { host, children } = setup();
    host.start();
    const first = children[0];
    first.exit(1);
    first.exit(1);
    expect(children).toHaveLength(2);
  });

  it('reports a missing worker build instead of forking', () => {
    const { host, children } = setup({ exists: false });
    const a = fakeWindow(1);
    host.connect(a.win);
    expect(host.start()).toBe(false);
    expect(children).toHaveLength(0);
    expect(host.state).toBe('missing');
    expect(a.notices[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/not built.*npm run build/),
    });
  });

  it('forgets destroyed windows', () => {
    const { host, children } = setup();
    host.start();
    const a = fakeWindow(1);
    host.connect(a.win);
    a.destroy();
    children[0].exit(1);
    expect(a.ports).toHaveLength(1);
    expect(a.notices).toEqual([]);
  });

  it('calls the API from main over its control port, checked by the contract', async () => {
    const { host, children, pairs } = setup();
    host.start();
    // The first channel is main's control connection: port1 went to the worker, main listens on port2.
    expect(connects(children[0])[0]).toBe(pairs[0].port1);
    const mainEnd = pairs[0].port2;
    const lastId = () => (mainEnd.posted.at(-1) as { id: number }).id;

    const current = host.request('workspace.current', {});
    expect(mainEnd.posted.at(-1)).toMatchObject({ type: 'request', method: 'workspace.current', params: {} });
    mainEnd.onMessage!({ type: 'response', id: lastId(), ok: true, result: null });
    await expect(current).resolves.toBeNull();

    const posted = mainEnd.posted.length;
    await expect(host.request('workspace.open', { path: '' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(mainEnd.posted).toHaveLength(posted); // refused before posting

    const bad = host.request('workspace.current', {});
    mainEnd.onMessage!({ type: 'response', id: lastId(), ok: true, result: { not: 'a workspace' } });
    await expect(bad).rejects.toThrow(); // the result is parsed with the contract's schema

    const lost = host.request('jobs.list', {});
    children[0].exit(9);
    await expect(lost).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(mainEnd.closed).toBe(true);
  });

  it('refuses API calls while the worker is not running', async () => {
    const { host } = setup();
    await expect(host.request('jobs.list', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
