/** A value split into segments (lib/tokenDiff.ts), the words that differ from the other value marked. */
import type { Segment } from '../lib/tokenDiff';

export function DiffText({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.changed ? (
          <mark key={i} className="tok-diff">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
