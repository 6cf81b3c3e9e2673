import { LANGUAGES, useI18n, type Lang } from "../i18n/I18nProvider";
import { useTheme } from "../theme/ThemeProvider";

export function LanguageSelect() {
  const { lang, setLang, t } = useI18n();
  return (
    <>
      <label className="visually-hidden" htmlFor="language-select">
        {t("prefs.language")}
      </label>
      <select
        id="language-select"
        className="input"
        style={{ width: "auto" }}
        value={lang}
        onChange={(event) => setLang(event.target.value as Lang)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </>
  );
}

export function ThemeToggle() {
  const { theme, toggle } = useTheme();
  const { t } = useI18n();
  const dark = theme === "dark";
  return (
    <button
      type="button"
      className="btn btn-ghost"
      aria-pressed={dark}
      onClick={toggle}
      title={t("prefs.darkTheme")}
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span>
      <span className="visually-hidden">{t("prefs.darkTheme")}</span>
    </button>
  );
}
