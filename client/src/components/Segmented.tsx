interface Props<T extends string> {
  label: string;
  value: T;
  options: readonly { value: T; text: string }[];
  onChange: (value: T) => void;
  name: string;
}

/** Segmented is a labelled group of toggle buttons where exactly one is on (mode and period tabs). */
export function Segmented<T extends string>({ label, value, options, onChange, name }: Props<T>) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          className="btn btn--seg"
          data-testid={`${name}-${o.value}`}
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
        >
          {o.text}
        </button>
      ))}
    </div>
  );
}
