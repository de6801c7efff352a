import { startServer, type RunningServer, type ServerOptions } from '../server/server.js';
import { openWorkspace } from '../store/workspace.js';

/** The web server for real on 127.0.0.1 (any free port, no log lines) over a new workspace at `workspace`. */
export async function startTestServer(
  workspace: string,
  options: Omit<ServerOptions, 'workspace'> = {},
): Promise<RunningServer> {
  openWorkspace(workspace, { create: true }).close();
  return startServer({ workspace, port: 0, log: () => {}, ...options });
}
