import { useState } from "react";
import { Button } from "../../components/Button";
import { useT } from "../../i18n/I18nProvider";

/** Text an admin pastes elsewhere (the .env lines, the restart command), with a Copy button. */
export function CopyBlock({ text, label, testId }: { text: string; label: string; testId: string }) {
  const t = useT();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // No clipboard permission (an insecure origin, a locked-down browser): the text stays selectable.
      setState("failed");
    }
  };

  return (
    <div className="stack" style={{ gap: 6 }}>
      <pre className="code-block" data-testid={testId}>
        {text}
      </pre>
      <div className="row" style={{ alignItems: "center" }}>
        <Button size="sm" aria-label={label} onClick={() => void copy()}>
          {t("move.result.copy")}
        </Button>
        <span className="muted" role="status">
          {state === "copied"
            ? t("move.result.copied")
            : state === "failed"
              ? t("move.result.copyFailed")
              : ""}
        </span>
      </div>
    </div>
  );
}
