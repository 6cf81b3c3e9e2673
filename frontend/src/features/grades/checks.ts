/** What is wrong with a grade typed into the sheet, before it is sent: null when it may be saved. */
export type GradeProblem = "not_a_number" | "below_zero" | "above_max" | null;

export function gradeProblem(text: string, max: number): GradeProblem {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  // Both decimal separators: a Greek keyboard types 12,5.
  const value = Number(trimmed.replace(",", "."));
  if (!Number.isFinite(value)) return "not_a_number";
  if (value < 0) return "below_zero";
  if (value > max) return "above_max";
  return null;
}

/** The number a sheet's cell holds (12,5 and 12.5 alike). */
export function gradeValue(text: string): number {
  return Number(text.trim().replace(",", "."));
}
