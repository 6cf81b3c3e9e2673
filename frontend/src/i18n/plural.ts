/**
 * The catalogue key for a count, `base.one` or `base.other`, chosen by the language's own rules
 * (Intl.PluralRules): English and Greek both have exactly these two forms for cardinals.
 */
export function pluralKey<Base extends string>(
  base: Base,
  count: number,
  locale: string,
): `${Base}.one` | `${Base}.other` {
  return new Intl.PluralRules(locale).select(count) === "one" ? `${base}.one` : `${base}.other`;
}
