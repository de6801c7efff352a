/** `start` run the first time the returned function is called, and never again (start-up of a page's sync). */
export function once(start: () => void): () => void {
  let started = false;
  return () => {
    if (started) return;
    started = true;
    start();
  };
}
