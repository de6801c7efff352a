const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** The platform's name for the primary modifier. */
export const MOD = isMac ? '⌘' : 'Ctrl';

/** A key combination such as "Mod+O", drawn as keycaps. */
export function Kbd({ keys }: { keys: string }) {
  const parts = keys.split('+').map((k) => (k === 'Mod' ? MOD : k));
  return (
    <span className="kbd-group">
      {parts.map((k, i) => (
        <kbd key={i} className="kbd">
          {k}
        </kbd>
      ))}
    </span>
  );
}
