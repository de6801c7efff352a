/** Calls that must reach the server in the order they were made (keys pressed one after the other). */
export interface Serial {
  /** Runs `task` after every task queued before it has settled; a failure does not stop the ones after. */
  run(task: () => Promise<void>): Promise<void>;
  /** Resolves once every task queued so far has settled. */
  settled(): Promise<void>;
}

export function serial(): Serial {
  let chain: Promise<void> = Promise.resolve();
  return {
    run(task) {
      const next = chain.then(task);
      chain = next.catch(() => undefined);
      return next;
    },
    settled: () => chain,
  };
}
