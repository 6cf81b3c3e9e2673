/** Every cache key of the school year: academic years and their terms (pickers read these too). */
export const termKeys = {
  all: ["terms"] as const,
  years: () => [...termKeys.all, "years"] as const,
  terms: () => [...termKeys.all, "terms"] as const,
};
