import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

interface Described {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
}

/** Label, control, hint and error wired together (for/id, aria-describedby, aria-invalid). */
function useDescribed(error?: string, hint?: ReactNode) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, describedBy };
}

function Messages({
  hint,
  hintId,
  error,
  errorId,
}: {
  hint?: ReactNode;
  hintId?: string;
  error?: string;
  errorId?: string;
}) {
  return (
    <>
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
    </>
  );
}

interface Wiring {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** The frame every labelled control shares: the label, the control wired to it, hint and error. */
function Framed({
  label,
  error,
  hint,
  className,
  id: givenId,
  control,
}: Described & { id?: string; control: (wiring: Wiring) => ReactNode }) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  const controlId = givenId ?? id;
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={controlId}>{label}</label>
      {control({ id: controlId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      <Messages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/** A labelled field around one kind of control; `render` draws the control with its wiring. */
function labelled<Attributes extends { id?: string }>(
  render: (wiring: Wiring, attributes: Omit<Attributes, "id">) => ReactNode,
) {
  return function Field({ label, error, hint, className, id, ...attributes }: Described & Attributes) {
    return (
      <Framed
        {...{ label, error, hint, className, id }}
        control={(wiring) => render(wiring, attributes as Omit<Attributes, "id">)}
      />
    );
  };
}

export const TextField = labelled<InputHTMLAttributes<HTMLInputElement>>((wiring, input) => (
  <input {...wiring} {...input} />
));

export const TextAreaField = labelled<TextareaHTMLAttributes<HTMLTextAreaElement>>((wiring, input) => (
  <textarea {...wiring} {...input} />
));

export const SelectField = labelled<SelectHTMLAttributes<HTMLSelectElement>>((wiring, select) => (
  <select {...wiring} {...select} />
));

export function CheckboxField({
  label,
  error,
  className,
  ...input
}: Described & InputHTMLAttributes<HTMLInputElement>) {
  const { id, errorId, describedBy } = useDescribed(error);
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" aria-describedby={describedBy} {...input} />
        {label}
      </label>
      <Messages error={error} errorId={errorId} />
    </div>
  );
}
