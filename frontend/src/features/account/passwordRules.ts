/**
 * The server's rules for a new password (backend/services/auth.py: check_new_password and
 * change_password), checked before sending so a person hears at once; refusals carry the
 * server's codes, so errors.ts words both the same way.
 */
import type { Params } from "../../api/errors";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export interface PasswordForm {
  current_password: string;
  new_password: string;
  confirm_password: string;
}

export type PasswordField = keyof PasswordForm;

export interface Refusal {
  code: string;
  params?: Params;
}

/** Python's len(): code points, not UTF-16 units. */
const length = (text: string) => [...text].length;

export function newPasswordRefusal(form: PasswordForm, email: string): Refusal | undefined {
  const password = form.new_password;
  if (length(password) < MIN_PASSWORD_LENGTH) {
    return { code: "password_too_short", params: { min_length: MIN_PASSWORD_LENGTH } };
  }
  if (length(password) > MAX_PASSWORD_LENGTH) {
    return { code: "password_too_long", params: { max_length: MAX_PASSWORD_LENGTH } };
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return { code: "password_is_email" };
  if (password === form.current_password) return { code: "password_unchanged" };
  return undefined;
}

/** What is wrong with the form, per field (empty when it may be sent). */
export function checkPasswordForm(
  form: PasswordForm,
  email: string,
): Partial<Record<PasswordField, Refusal>> {
  const refusals: Partial<Record<PasswordField, Refusal>> = {};
  if (!form.current_password) refusals.current_password = { code: "current_password_missing" };
  const refused = newPasswordRefusal(form, email);
  if (refused) refusals.new_password = refused;
  else if (form.confirm_password !== form.new_password) {
    refusals.confirm_password = { code: "password_mismatch" };
  }
  return refusals;
}
