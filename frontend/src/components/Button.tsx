import type { ButtonHTMLAttributes, ReactNode } from "react";
import { Link, type LinkProps } from "react-router";
import { isWriteLink, useWriteGuard } from "./WriteGuard";

type Variant = "primary" | "default" | "danger" | "ghost";

function classes(variant: Variant, size: "md" | "sm", extra?: string): string {
  return ["btn", variant !== "default" && `btn-${variant}`, size === "sm" && "btn-sm", extra]
    .filter(Boolean)
    .join(" ");
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: "md" | "sm";
  busy?: boolean;
  /**
   * Whether pressing it changes data, so read-only mode disables it (with the reason as its
   * tooltip). By default a form's submit button and a danger button do; say `write={false}` for
   * one that does not (a search form), `write` for a plain button that saves.
   */
  write?: boolean;
}

export function Button({
  variant = "default",
  size = "md",
  busy,
  className,
  children,
  disabled,
  type,
  write,
  title,
  ...rest
}: ButtonProps) {
  const guard = useWriteGuard();
  const blocked = guard.blocked && (write ?? (type === "submit" || variant === "danger"));
  return (
    <button
      type={type ?? "button"}
      className={classes(variant, size, className)}
      disabled={disabled || busy || blocked}
      aria-busy={busy || undefined}
      title={blocked ? (guard.why ?? undefined) : title}
      data-read-only={blocked || undefined}
      {...rest}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

interface ButtonLinkProps extends LinkProps {
  variant?: Variant;
  size?: "md" | "sm";
  /** Whether it opens a form that writes; by default a link to `.../new` or `.../edit` does. */
  write?: boolean;
}

export function ButtonLink({ variant = "default", size = "md", className, write, ...rest }: ButtonLinkProps) {
  const guard = useWriteGuard();
  if (guard.blocked && (write ?? isWriteLink(rest.to))) {
    // A link cannot be disabled: while read-only it is a disabled button that says why.
    return (
      <button
        type="button"
        className={classes(variant, size, className)}
        disabled
        title={guard.why ?? undefined}
        data-read-only
      >
        {rest.children as ReactNode}
      </button>
    );
  }
  return <Link className={classes(variant, size, className)} {...rest} />;
}
