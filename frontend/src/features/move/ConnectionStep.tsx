import { useState, type FormEvent } from "react";
import { codeMessage } from "../../api/errors";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Alert, ErrorAlert, Loading } from "../../components/Feedback";
import { CheckboxField, SelectField, TextField } from "../../components/Field";
import { KeyValueList } from "../../components/KeyValueList";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import {
  useConfiguredConnection,
  useConnectionTest,
  type Configured,
  type ConnectionInput,
  type ConnectionTest,
} from "./moveApi";

const SSLMODES = ["prefer", "disable", "allow", "require", "verify-ca", "verify-full"] as const;
type SslMode = (typeof SSLMODES)[number];

interface Typed {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  sslmode: SslMode;
}

const BLANK: Typed = { host: "", port: "5432", database: "", user: "", password: "", sslmode: "prefer" };

/** What the wizard carries on from this step: the connection that passed its test (memory only). */
export interface TestedConnection {
  connection: ConnectionInput;
  test: ConnectionTest;
  forceLiveTarget: boolean;
}

function asInput(useConfigured: boolean, typed: Typed): ConnectionInput {
  if (useConfigured) return { use_configured: true };
  const port = Number(typed.port);
  return {
    use_configured: false,
    host: typed.host.trim() || null,
    port: Number.isInteger(port) && port > 0 ? port : null,
    database: typed.database.trim() || null,
    user: typed.user.trim() || null,
    password: typed.password || null,
    sslmode: typed.sslmode,
  };
}

/**
 * Step 1: where to. The configured POSTGRES_* (shown without the password) or one typed in; the
 * password lives in this component's memory only: never pre-filled, never offered for saving.
 */
export function ConnectionStep({ onTested }: { onTested: (tested: TestedConnection | null) => void }) {
  const { t } = useI18n();
  const configured = useConfiguredConnection();
  const check = useConnectionTest();
  const [choice, setChoice] = useState<"configured" | "typed" | null>(null);
  const [typed, setTyped] = useState<Typed>(BLANK);
  const [force, setForce] = useState(false);

  if (configured.isPending) return <Loading />;
  const hasConfigured = !!configured.data;
  const useConfigured = (choice ?? (hasConfigured ? "configured" : "typed")) === "configured";

  const edit = <K extends keyof Typed>(key: K, value: Typed[K]) => {
    setTyped((current) => ({ ...current, [key]: value }));
    check.reset();
    onTested(null);
  };
  const choose = (next: "configured" | "typed") => {
    setChoice(next);
    check.reset();
    onTested(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const connection = asInput(useConfigured, typed);
    check.mutate(connection, {
      onSuccess: (test) => onTested(test.ok ? { connection, test, forceLiveTarget: force } : null),
    });
  };

  const text = (key: Exclude<keyof Typed, "sslmode">) => ({
    name: `pg-${key}`,
    value: typed[key],
    onChange: (event: { target: { value: string } }) => edit(key, event.target.value),
  });

  return (
    <Card
      title={t("move.connection.title")}
      labelledBy="move-connection"
      description={t("move.connection.description")}
    >
      <ErrorAlert error={configured.error} />
      <form
        className="stack"
        onSubmit={submit}
        noValidate
        autoComplete="off"
        aria-label={t("move.connection.title")}
      >
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="visually-hidden">{t("move.connection.title")}</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="pg-choice"
              checked={useConfigured}
              disabled={!hasConfigured}
              onChange={() => choose("configured")}
            />
            {t("move.connection.useConfigured")}
          </label>
          {hasConfigured ? (
            useConfigured && configured.data && <ConfiguredView configured={configured.data} />
          ) : (
            <p className="muted">{t("move.connection.noneConfigured")}</p>
          )}
          <label className="checkbox">
            <input type="radio" name="pg-choice" checked={!useConfigured} onChange={() => choose("typed")} />
            {t("move.connection.typeIn")}
          </label>
        </fieldset>
        {!useConfigured && (
          <div className="form-grid">
            <TextField label={t("move.connection.host")} required autoComplete="off" {...text("host")} />
            <TextField
              label={t("move.connection.port")}
              type="number"
              min={1}
              max={65535}
              required
              autoComplete="off"
              {...text("port")}
            />
            <TextField
              label={t("move.connection.database")}
              required
              autoComplete="off"
              {...text("database")}
            />
            <TextField label={t("move.connection.user")} required autoComplete="off" {...text("user")} />
            <TextField
              label={t("move.connection.password")}
              type="password"
              // Never offered by the browser's password manager, nor saved by it.
              autoComplete="new-password"
              hint={t("move.connection.passwordHint")}
              {...text("password")}
            />
            <SelectField
              label={t("move.connection.sslmode")}
              value={typed.sslmode}
              onChange={(event) => edit("sslmode", event.target.value as SslMode)}
            >
              {SSLMODES.map((mode) => (
                <option key={mode} value={mode}>
                  {mode}
                </option>
              ))}
            </SelectField>
          </div>
        )}
        <ErrorAlert error={check.error} />
        <div className="row">
          <Button
            type="submit"
            write={false}
            variant="primary"
            busy={check.isPending}
            data-testid="connection-test"
          >
            {t("move.connection.test")}
          </Button>
        </div>
      </form>
      {check.data && (
        <TestResult
          test={check.data}
          force={force}
          onForce={(value) => {
            setForce(value);
            if (check.data?.ok)
              onTested({
                connection: asInput(useConfigured, typed),
                test: check.data,
                forceLiveTarget: value,
              });
          }}
        />
      )}
    </Card>
  );
}

function ConfiguredView({ configured }: { configured: Configured }) {
  const { t } = useI18n();
  return (
    <KeyValueList
      items={[
        {
          label: t("move.connection.host"),
          value: configured.host,
          className: "mono",
          testId: "configured-host",
        },
        { label: t("move.connection.port"), value: String(configured.port), className: "mono" },
        { label: t("move.connection.database"), value: configured.database, className: "mono" },
        { label: t("move.connection.user"), value: configured.user, className: "mono" },
        {
          label: t("move.connection.password"),
          value: configured.password_set
            ? t("move.connection.passwordSet")
            : t("move.connection.passwordNotSet"),
        },
        { label: t("move.connection.sslmode"), value: configured.sslmode, className: "mono" },
      ]}
    />
  );
}

function TestResult({
  test,
  force,
  onForce,
}: {
  test: ConnectionTest;
  force: boolean;
  onForce: (value: boolean) => void;
}) {
  const words = useI18n();
  const { t, locale } = words;
  if (!test.ok) {
    const message = test.error
      ? (codeMessage(test.error.code, test.error.params ?? {}, words) ?? test.error.code)
      : null;
    return (
      <div data-testid="connection-result" data-ok="false">
        <Alert tone="error" title={t("move.connection.failed")}>
          {message}
        </Alert>
      </div>
    );
  }
  const groups = test.other_sessions ?? [];
  const tables = test.tables_with_rows ?? [];
  const sessions = groups.reduce((sum, group) => sum + group.count, 0);
  const filled = tables.length;
  return (
    <div className="stack" data-testid="connection-result" data-ok="true">
      <Alert tone="ok" title={t("move.connection.ok", { version: test.server_version ?? "?" })} />
      <KeyValueList
        items={[
          {
            label: t("move.connection.canCreate"),
            value: test.can_create_tables ? t("move.yes") : t("move.no"),
            testId: "can-create-tables",
          },
        ]}
      />
      {test.can_create_tables === false && <Alert tone="error">{t("move.connection.cannotCreate")}</Alert>}
      {filled === 0 ? (
        <p data-testid="target-empty">{t("move.connection.empty")}</p>
      ) : (
        <>
          <Alert tone="warn">
            {t(pluralKey("move.connection.notEmpty", filled, locale), {
              count: formatNumber(filled, locale),
            })}
          </Alert>
          <DataTable
            testId="target-tables"
            rows={tables}
            rowKey={(table) => table.name}
            scroll={false}
            columns={[
              {
                key: "name",
                header: t("move.connection.table"),
                cellClassName: "mono",
                cell: (row) => row.name,
              },
              {
                key: "rows",
                header: t("move.connection.rows"),
                className: "num",
                cell: (row) => formatNumber(row.rows, locale),
              },
            ]}
          />
        </>
      )}
      {sessions === 0 ? (
        <p data-testid="other-sessions">{t("move.connection.noSessions")}</p>
      ) : (
        <>
          <Alert tone="warn">
            <span data-testid="other-sessions">
              {t(pluralKey("move.connection.sessions", sessions, locale), {
                count: formatNumber(sessions, locale),
              })}
            </span>
          </Alert>
          <DataTable
            rows={groups}
            rowKey={(group) => `${group.application_name}|${group.client}`}
            scroll={false}
            columns={[
              {
                key: "app",
                header: t("move.connection.application"),
                cellClassName: "mono",
                cell: (group) => group.application_name || "—",
              },
              {
                key: "client",
                header: t("move.connection.client"),
                cellClassName: "mono",
                cell: (group) => group.client,
              },
              {
                key: "count",
                header: t("move.connection.count"),
                className: "num",
                cell: (group) => group.count,
              },
            ]}
          />
          <CheckboxField
            label={t("move.run.forceLiveTarget")}
            checked={force}
            onChange={(event) => onForce(event.target.checked)}
          />
        </>
      )}
    </div>
  );
}
