/** Small stroke icons (16 px grid), drawn here so nothing is loaded from elsewhere. */
const PATHS = {
  import: 'M8 2v8m0 0L5 7m3 3 3-3M2.5 10v2.5a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1V10',
  activity: 'M1.5 8h3l2-5 3 10 2-5h3',
  sun: 'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5ZM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  moon: 'M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7Z',
  keyboard:
    'M2 4.5h12a.5.5 0 0 1 .5.5v6a.5.5 0 0 1-.5.5H2a.5.5 0 0 1-.5-.5V5a.5.5 0 0 1 .5-.5ZM4 7h.01M6.5 7h.01M9 7h.01M11.5 7h.01M5 9.5h6',
  x: 'M4 4l8 8M12 4l-8 8',
  chevronRight: 'M6 4l4 4-4 4',
  chevronDown: 'M4 6l4 4 4-4',
  file: 'M9 1.5H4a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V5.5L9 1.5Zm0 0v4h4',
  upload: 'M8 11V3m0 0L5 6m3-3 3 3M2.5 10v2.5a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1V10',
  check: 'M3 8.5l3 3 7-7',
  alert: 'M8 5.5v3M8 11h.01M7.1 2.5 1.6 12a1 1 0 0 0 .9 1.5h11a1 1 0 0 0 .9-1.5L8.9 2.5a1 1 0 0 0-1.8 0Z',
  info: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13ZM8 7.5V11M8 5h.01',
  copy: 'M5.5 5.5v-2a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-2M3.5 5.5h6a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-6a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1Z',
  refresh: 'M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v3h-3',
  database:
    'M8 1.5c3 0 5.5.9 5.5 2v9c0 1.1-2.5 2-5.5 2s-5.5-.9-5.5-2v-9c0-1.1 2.5-2 5.5-2Zm5.5 2c0 1.1-2.5 2-5.5 2s-5.5-.9-5.5-2m11 4.5c0 1.1-2.5 2-5.5 2s-5.5-.9-5.5-2',
  folder: 'M1.5 4a1 1 0 0 1 1-1h3.5l1.5 1.5h6a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1V4Z',
  plus: 'M8 3v10M3 8h10',
  stop: 'M4.5 4.5h7v7h-7z',
  panel: 'M2 2.5h12a.5.5 0 0 1 .5.5v10a.5.5 0 0 1-.5.5H2a.5.5 0 0 1-.5-.5V3a.5.5 0 0 1 .5-.5ZM1.5 10h13',
  retry: 'M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v3h3',
  gap: 'M2.5 6h11M2.5 10h11M10.5 2.5l-5 11',
  search: 'M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10Zm3.6-1.4L14 14',
  split: 'M8 2.5v4M8 6.5 4 10.5v3M8 6.5l4 4v3',
  merge: 'M4 2.5v3l4 4v4M12 2.5v3l-4 4',
  graph:
    'M4 5.5a1.75 1.75 0 1 0 0-3.5 1.75 1.75 0 0 0 0 3.5Zm8 2.5a1.75 1.75 0 1 0 0-3.5 1.75 1.75 0 0 0 0 3.5ZM6 14a1.75 1.75 0 1 0 0-3.5A1.75 1.75 0 0 0 6 14ZM5.6 4.4l4.7 1.5M11 7.6l-3.6 3.5M4.3 5.5l1.2 5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
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

/** The magnifier inside a `.search-field`, placed by its `.search-icon` wrapper. */
/** A text box with the search icon in front: the one search box of lists and tables. */
export function SearchField({
  value,
  onChange,
  label,
  placeholder,
  className,
  testId,
  maxLength,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  placeholder: string;
  className?: string;
  testId?: string;
  maxLength?: number;
}) {
  return (
    <div className={className ? `search-field ${className}` : 'search-field'}>
      <SearchIcon />
      <input
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-label={label}
        maxLength={maxLength}
        data-testid={testId}
      />
    </div>
  );
}

export function SearchIcon() {
  return (
    <span className="search-icon">
      <Icon name="search" size={14} />
    </span>
  );
}
