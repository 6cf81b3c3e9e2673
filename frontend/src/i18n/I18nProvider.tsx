import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { el } from "./el";
import { en, type MessageKey } from "./en";

export type Lang = "en" | "el";
export const LANGUAGES: { code: Lang; label: string }[] = [
  { code: "en", label: "English" },
  { code: "el", label: "Ελληνικά" },
];

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, el };
const LANG_KEY = "sms.lang";

export type Vars = Record<string, string | number>;
export type T = (key: MessageKey, vars?: Vars) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: T;
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "en" || saved === "el") return saved;
  return navigator.language.toLowerCase().startsWith("el") ? "el" : "en";
}

/** Fill `{name}` placeholders. */
export function format(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

// Years, ids and ports are labels, not quantities: "2026" and "#12345" in every language, never "2.026".
const VERBATIM = /(^|_)(id|year|port)$|(Id|Year)$/;

/** The vars with each number written the reader's way (Intl): "1,234.5" in English, "1.234,5" in Greek. */
export function localNumbers(vars: Vars | undefined, numbers: Intl.NumberFormat): Vars | undefined {
  if (!vars) return vars;
  const local: Vars = {};
  for (const [name, value] of Object.entries(vars)) {
    local[name] = typeof value === "number" && !VERBATIM.test(name) ? numbers.format(value) : value;
  }
  return local;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[lang];
    const locale = lang === "el" ? "el-GR" : "en-GB";
    const numbers = new Intl.NumberFormat(locale);
    return {
      lang,
      setLang,
      locale,
      t: (key, vars) => format(catalogue[key] ?? en[key], localNumbers(vars, numbers)),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n must be used inside <I18nProvider>");
  return context;
}

export function useT(): T {
  return useI18n().t;
}
