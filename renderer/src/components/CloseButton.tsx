import { Icon } from './Icon';

/** The × that closes or dismisses what it sits in (a dialog, a panel, a drawer, a toast); `label` names the action. */
export function CloseButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="btn btn-ghost btn-icon" onClick={onClick} aria-label={label}>
      <Icon name="x" />
    </button>
  );
}
