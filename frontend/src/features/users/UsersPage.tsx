import { Link } from "react-router";
import { z } from "zod";
import type { Column } from "../../components/DataTable";
import { SelectField } from "../../components/Field";
import { ListPage } from "../../components/ListPage";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { listSearch, useListParams } from "../../lib/useListParams";
import { activeColumn } from "../students/columns";
import { ROLES, useUsers, type User } from "./api";

const PAGE_SIZE = 20;

// /users?q=&offset=&sort=&order=&role=&active= (the sort fields are the API's).
const usersSearch = listSearch(["email", "full_name", "role", "created_at", "last_login_at"], "email").extend(
  {
    role: z.enum(ROLES).optional(),
    active: z.enum(["true", "false"]).optional(),
  },
);

/** The accounts of the school (admins only): search, filter by role and active, open one to change it. */
export function UsersPage() {
  const { t, locale } = useI18n();
  const { params, update, search, setSearch, sorting, setOffset } = useListParams(usersSearch);
  const { offset, sort, order, q } = params;
  const role = params.role ?? "";
  const active = params.active ?? "";

  const users = useUsers({
    limit: PAGE_SIZE,
    offset,
    sort,
    order,
    ...(q ? { q } : {}),
    ...(params.role ? { role: params.role } : {}),
    ...(active ? { is_active: active === "true" } : {}),
  });

  const columns: Column<User>[] = [
    {
      key: "full_name",
      header: t("users.name"),
      sortable: true,
      cell: (u) => <Link to={`/admin/users/${u.id}`}>{u.full_name || u.email}</Link>,
    },
    { key: "email", header: t("users.email"), sortable: true, cell: (u) => u.email },
    { key: "role", header: t("users.role"), sortable: true, cell: (u) => t(`roles.${u.role}`) },
    activeColumn(t),
    {
      key: "last_login_at",
      header: t("users.lastLogin"),
      sortable: true,
      cell: (u) => (u.last_login_at ? formatDateTime(u.last_login_at, locale) : t("users.never")),
    },
  ];

  return (
    <ListPage
      title={t("users.title")}
      description={t("users.description")}
      newRecord={{ to: "/admin/users/new", label: t("users.new") }}
      search={{ label: t("users.search"), value: search, onChange: setSearch }}
      filters={
        <>
          <SelectField
            label={t("users.role")}
            value={role}
            onChange={(event) => update({ role: event.target.value || null, offset: null })}
          >
            <option value="">{t("common.all")}</option>
            {ROLES.map((name) => (
              <option key={name} value={name}>
                {t(`roles.${name}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("students.status")}
            value={active}
            onChange={(event) => update({ active: event.target.value || null, offset: null })}
          >
            <option value="">{t("common.all")}</option>
            <option value="true">{t("students.active")}</option>
            <option value="false">{t("students.inactive")}</option>
          </SelectField>
        </>
      }
      query={users}
      empty={q ? t("users.noMatch", { q }) : t("users.none")}
      columns={columns}
      sorting={sorting}
      onPage={setOffset}
    />
  );
}
