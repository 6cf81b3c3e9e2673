import { Button } from "../../components/Button";
import { Badge } from "../../components/Feedback";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";

export interface RuleRow {
  category: string;
  weight: string;
}

/** The course's evaluation rules: categories and their weights, which must total 100. */
export function RulesEditor({
  rules,
  onChange,
  error,
  errorFor,
  disabled,
}: {
  rules: RuleRow[];
  /** Shown but not editable (a person who may not change courses). */
  disabled?: boolean;
  onChange: (rules: RuleRow[]) => void;
  error?: string;
  errorFor: (index: number, field: "category" | "weight") => string | undefined;
}) {
  const { t, locale } = useI18n();
  const total = rules.reduce((sum, rule) => sum + (Number(rule.weight) || 0), 0);
  const ok = Math.abs(total - 100) <= 0.01;

  function change(index: number, patch: Partial<RuleRow>) {
    onChange(rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));
  }

  return (
    <fieldset className="span-all card" style={{ boxShadow: "none" }} disabled={disabled}>
      <legend className="field-label">{t("courses.rules")}</legend>
      <p className="field-hint" style={{ marginTop: 0 }}>
        {t("courses.rulesHint")}
      </p>
      <div className="stack" style={{ gap: 10 }}>
        {rules.map((rule, index) => {
          const categoryError = errorFor(index, "category");
          const weightError = errorFor(index, "weight");
          return (
            <div className="row" key={index}>
              <div className="field" style={{ flex: 2 }}>
                <label htmlFor={`rule-category-${index}`}>
                  {t("courses.ruleCategory", { n: index + 1 })}
                </label>
                <input
                  id={`rule-category-${index}`}
                  value={rule.category}
                  aria-invalid={categoryError ? true : undefined}
                  onChange={(event) => change(index, { category: event.target.value })}
                />
                {categoryError && <span className="field-error">{categoryError}</span>}
              </div>
              <div className="field" style={{ flex: 1 }}>
                <label htmlFor={`rule-weight-${index}`}>{t("courses.ruleWeight", { n: index + 1 })}</label>
                <input
                  id={`rule-weight-${index}`}
                  type="number"
                  min={0}
                  max={100}
                  step="any"
                  value={rule.weight}
                  aria-invalid={weightError ? true : undefined}
                  onChange={(event) => change(index, { weight: event.target.value })}
                />
                {weightError && <span className="field-error">{weightError}</span>}
              </div>
              <Button
                variant="ghost"
                aria-label={t("courses.removeRule", { n: index + 1 })}
                onClick={() => onChange(rules.filter((_, i) => i !== index))}
              >
                ✕
              </Button>
            </div>
          );
        })}
        <div className="row" style={{ alignItems: "center", justifyContent: "space-between" }}>
          <Button size="sm" onClick={() => onChange([...rules, { category: "", weight: "" }])}>
            {t("courses.addRule")}
          </Button>
          {rules.length > 0 && (
            <Badge tone={ok ? "ok" : "warn"}>
              {t("courses.rulesTotal", { total: formatNumber(total, locale, 2) })}
            </Badge>
          )}
        </div>
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </fieldset>
  );
}
