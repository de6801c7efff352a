/** Icons only this page uses, drawn like components/Icon (16 px grid, 1.4 stroke). */
const PATHS = {
  search: 'M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10Zm3.6-1.4L14 14',
  split: 'M8 2.5v4M8 6.5 4 10.5v3M8 6.5l4 4v3',
  merge: 'M4 2.5v3l4 4v4M12 2.5v3l-4 4',
} as const;

export function PageIcon({ name, size = 16 }: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

export function SearchIcon() {
  return (
    <span className="search-icon">
      <PageIcon name="search" size={14} />
    </span>
  );
}
