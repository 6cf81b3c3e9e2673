import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { api, unwrap } from "../api/client";
import { tokenStore } from "../api/http";
import type { components } from "../api/schema";
import { authKeys } from "./queryKeys";

export type Me = components["schemas"]["Me"];
export type Role = Me["role"];

interface AuthState {
  user: Me | null;
  /** True while a stored token is being checked with /auth/me. */
  checking: boolean;
  login: (email: string, password: string) => Promise<Me>;
  /** End this session on the server, then here (the server's answer cannot keep anyone logged in). */
  logout: () => Promise<void>;
  /** End every session of this account on the server (a failure is thrown), then here. */
  logoutEverywhere: () => Promise<void>;
  /** Forget the session here only: the server already refused it. */
  forget: () => void;
  /** Set a new password; this session continues with the token the server hands back. */
  changePassword: (currentPassword: string, newPassword: string) => Promise<Me>;
  /** The API said this account owes a password change (403 password_change_required). */
  requirePasswordChange: () => void;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(() => tokenStore.get());

  const me = useQuery({
    queryKey: authKeys.me(token),
    queryFn: () => unwrap(api.GET("/api/v1/auth/me")),
    enabled: token !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });

  // Every action at once: they depend only on the query client (setToken is stable).
  const actions = useMemo(() => {
    /** Start using a token the server just issued: the user behind it is read before anything shows. */
    async function adopt(accessToken: string): Promise<Me> {
      tokenStore.set(accessToken);
      const user = await unwrap(api.GET("/api/v1/auth/me"));
      queryClient.setQueryData(authKeys.me(accessToken), user);
      setToken(accessToken);
      return user;
    }
    function forget() {
      tokenStore.clear();
      setToken(null);
      queryClient.clear();
    }
    return {
      forget,
      login: async (email: string, password: string) => {
        const result = await unwrap(api.POST("/api/v1/auth/login", { body: { email, password } }));
        return adopt(result.access_token);
      },
      logout: async () => {
        try {
          await unwrap(api.POST("/api/v1/auth/logout"));
        } catch {
          // Offline or already ended: the session is forgotten here all the same.
        }
        forget();
      },
      logoutEverywhere: async () => {
        await unwrap(api.POST("/api/v1/auth/logout-everywhere"));
        forget();
      },
      changePassword: async (currentPassword: string, newPassword: string) => {
        const body = { current_password: currentPassword, new_password: newPassword };
        const result = await unwrap(api.POST("/api/v1/auth/password", { body }));
        return adopt(result.access_token);
      },
      requirePasswordChange: () => {
        queryClient.setQueryData<Me>(authKeys.me(tokenStore.get()), (user) =>
          user ? { ...user, must_change_password: true } : user,
        );
      },
    };
  }, [queryClient]);

  const value = useMemo<AuthState>(() => {
    const user = token ? (me.data ?? null) : null;
    return {
      ...actions,
      user,
      checking: token !== null && me.isPending,
      hasRole: (...roles) => user !== null && roles.includes(user.role),
    };
  }, [token, me.data, me.isPending, actions]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const context = useContext(AuthContext);
  if (!context) throw new Error("useAuth must be used inside <AuthProvider>");
  return context;
}
