import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { codeMessage, fieldError } from "../../api/errors";
import { Button, ButtonLink } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { RouteRecord } from "../../components/RouteRecord";
import { useI18n } from "../../i18n/I18nProvider";
import { MIN_PASSWORD_LENGTH, newPasswordRefusal, type Refusal } from "../account/passwordRules";
import { ROLES, useCreateUser, useUpdateUser, useUser, type User, type UserRole } from "./api";
import { UserActions } from "./UserActions";

interface FormState {
  full_name: string;
  email: string;
  role: UserRole;
  password: string;
}

const toForm = (user?: User): FormState => ({
  full_name: user?.full_name ?? "",
  email: user?.email ?? "",
  role: user?.role ?? "teacher",
  password: "",
});

/** One account: its form (a new one with a temporary password) and, once it exists, what an admin may do to it. */
export function UserEditPage() {
  return (
    <RouteRecord useRecord={useUser}>
      {(user) => (
        <>
          <UserForm key={user?.id ?? "new"} user={user} />
          {user && <UserActions user={user} />}
        </>
      )}
    </RouteRecord>
  );
}

function UserForm({ user }: { user?: User | undefined }) {
  const words = useI18n();
  const { t } = words;
  const navigate = useNavigate();
  const [form, setForm] = useState<FormState>(() => toForm(user));
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saved, setSaved] = useState(false);
  const create = useCreateUser();
  const update = useUpdateUser(user?.id ?? 0);
  const save = user ? update : create;
  const error = save.error;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const body = { full_name: form.full_name.trim(), email: form.email.trim(), role: form.role };
    if (user) {
      // Only what changed is sent: an address the installer accepted is not checked again because
      // the name changed. Active or not is changed from the actions below, so a stale form never undoes it.
      const changes = Object.fromEntries(
        Object.entries(body).filter(([name, value]) => user[name as keyof typeof body] !== value),
      );
      update.mutate(changes, { onSuccess: () => setSaved(true) });
      return;
    }
    // The password rules are checked here first, worded as the server words them.
    const refused = newPasswordRefusal(
      { current_password: "", new_password: form.password, confirm_password: "" },
      body.email,
    );
    setRefusal(refused ?? null);
    if (refused) return;
    create.mutate(
      { ...body, is_active: true, password: form.password },
      { onSuccess: (created) => void navigate(`/admin/users/${created.id}?created=1`, { replace: true }) },
    );
  }

  const field = (name: "full_name" | "email") => ({
    name,
    value: form[name],
    error: fieldError(error, name, words),
    onChange: (event: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [name]: event.target.value })),
  });
  const passwordError = refusal
    ? (codeMessage(refusal.code, refusal.params ?? {}, words) ?? undefined)
    : (fieldError(error, "password", words) ?? fieldError(error, "new_password", words));

  return (
    <>
      <PageHeader
        title={user ? user.full_name || user.email : t("users.newTitle")}
        description={user ? `${user.email} · ${t(`roles.${user.role}`)}` : t("users.newDescription")}
      />
      <form className="card stack" onSubmit={onSubmit} noValidate aria-label={t("users.form")}>
        {saved && <Alert tone="ok">{t("common.saved")}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-grid">
          <TextField label={t("users.name")} autoComplete="off" {...field("full_name")} />
          <TextField label={t("users.email")} type="email" required autoComplete="off" {...field("email")} />
          <SelectField
            label={t("users.role")}
            name="role"
            value={form.role}
            hint={t(`users.roleHint.${form.role}`)}
            error={fieldError(error, "role", words)}
            onChange={(event) => setForm((f) => ({ ...f, role: event.target.value as UserRole }))}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </SelectField>
          {!user && (
            <TextField
              label={t("users.temporaryPassword")}
              type="password"
              name="password"
              autoComplete="new-password"
              required
              value={form.password}
              hint={t("users.temporaryPasswordHint", { min_length: MIN_PASSWORD_LENGTH })}
              error={passwordError}
              onChange={(event) => setForm((f) => ({ ...f, password: event.target.value }))}
            />
          )}
        </div>
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {user ? t("common.save") : t("users.create")}
          </Button>
          <ButtonLink to="/admin/users">{t("common.cancel")}</ButtonLink>
        </div>
      </form>
    </>
  );
}
