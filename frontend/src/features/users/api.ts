import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import type { ListParams } from "../../lib/useListParams";
import { userKeys } from "./queryKeys";

export type User = components["schemas"]["UserRead"];
export type UserCreate = components["schemas"]["UserCreate"];
export type UserUpdate = components["schemas"]["UserUpdate"];
export type UserRole = components["schemas"]["UserRole"];
export type PasswordResetResult = components["schemas"]["PasswordResetResult"];

export const ROLES: UserRole[] = ["admin", "teacher", "viewer"];

export interface UserListParams extends ListParams {
  role?: UserRole;
  is_active?: boolean;
}

export function useUsers(params: UserListParams) {
  return useQuery({
    queryKey: userKeys.list(params),
    queryFn: () => unwrap(api.GET("/api/v1/users", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: number | null) {
  return useQuery({
    queryKey: userKeys.detail(id ?? 0),
    queryFn: () => unwrap(api.GET("/api/v1/users/{user_id}", { params: { path: { user_id: id ?? 0 } } })),
    enabled: id !== null,
  });
}

const resetPassword = (userId: number, newPassword: string | null) =>
  unwrap(
    api.POST("/api/v1/users/{user_id}/password", {
      params: { path: { user_id: userId } },
      body: newPassword === null ? {} : { new_password: newPassword },
    }),
  );

/**
 * Create an account. Its password is a temporary one: it is set again through the reset route,
 * which is what makes its owner choose their own at the first login (the create route leaves
 * must_change_password off).
 */
export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: UserCreate) => {
      const user = await unwrap(api.POST("/api/v1/users", { body }));
      await resetPassword(user.id, body.password);
      return user;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Change an account (name, email, role, active); a new role or deactivation ends its sessions. */
export function useUpdateUser(userId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserUpdate) =>
      unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: userId } }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(userKeys.detail(saved.id), saved);
      return queryClient.invalidateQueries({ queryKey: userKeys.lists() });
    },
  });
}

/** Give an account a new temporary password: typed, or (null) generated and shown once. */
export function useResetPassword(userId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (newPassword: string | null) => resetPassword(userId, newPassword),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Let an account that failed to log in too often try again at once. */
export function useUnlockUser(userId: number) {
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/users/{user_id}/login-throttle", { params: { path: { user_id: userId } } })),
  });
}

/** Who may teach a course: active teachers and admins (a school has far fewer than a page of 500). */
export function useTeacherOptions(enabled: boolean) {
  return useQuery({
    queryKey: userKeys.list({ limit: 500, offset: 0, is_active: true, sort: "full_name" }),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/users", {
          params: { query: { limit: 500, offset: 0, is_active: true, sort: "full_name" } },
        }),
      ),
    select: (page) => page.items.filter((user) => user.role !== "viewer"),
    enabled,
    staleTime: 60_000,
  });
}
