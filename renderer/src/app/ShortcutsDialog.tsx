import { Dialog } from '../components/Dialog';
import { Kbd } from '../components/Kbd';
import { useStore } from '../lib/store';
import { shortcutsOpen } from '../state/ui';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsDialog() {
  const open = useStore(shortcutsOpen);
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={() => shortcutsOpen.set(false)}>
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>{s.description}</td>
              <td className="shortcut-keys">
                <Kbd keys={s.keys} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
