/** Form controls, each with a visible label tied to it (for="..."), so every control has a name. */
import type { ComponentChildren, InputHTMLAttributes } from "preact";
import { useId } from "preact/hooks";

interface TextProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: "text" | "email" | "password" | "url" | "number" | "datetime-local";
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  disabled?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  pattern?: string;
  placeholder?: string;
  name?: string;
}

export function TextField(props: TextProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  // Preact's input types are a union per `type`; this field renders several kinds of text input.
  const kind = { type: props.type ?? "text" } as InputHTMLAttributes;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={id}
        name={props.name}
        {...kind}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        min={props.min}
        max={props.max}
        maxLength={props.maxLength}
        pattern={props.pattern}
        placeholder={props.placeholder}
        autoComplete={props.autocomplete ?? "off"}
        aria-describedby={props.hint ? hintId : undefined}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
      {props.hint ? (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

export function CheckField({
  label,
  checked,
  onValue,
  hint,
  disabled,
}: {
  label: string;
  checked: boolean;
  onValue: (value: boolean) => void;
  hint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div class="field field-check">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onValue(event.currentTarget.checked)} />
      <label for={id}>{label}</label>
      {hint ? <small class="hint">{hint}</small> : null}
    </div>
  );
}

export function Form({ label, onSubmit, children }: { label: string; onSubmit: () => void; children: ComponentChildren }) {
  const submit = (event: Event) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form aria-label={label} onSubmit={submit} class="form">
      {children}
    </form>
  );
}
