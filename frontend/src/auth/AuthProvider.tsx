import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
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
  logout: () => void;
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

  const login = useCallback(
    async (email: string, password: string) => {
      const result = await unwrap(api.POST("/api/v1/auth/login", { body: { email, password } }));
      tokenStore.set(result.access_token);
      const user = await unwrap(api.GET("/api/v1/auth/me"));
      queryClient.setQueryData(authKeys.me(result.access_token), user);
      setToken(result.access_token);
      return user;
    },
    [queryClient],
  );

  const logout = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<AuthState>(() => {
    const user = token ? (me.data ?? null) : null;
    return {
      user,
      checking: token !== null && me.isPending,
      login,
      logout,
      hasRole: (...roles) => user !== null && roles.includes(user.role),
    };
  }, [token, me.data, me.isPending, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const context = useContext(AuthContext);
  if (!context) throw new Error("useAuth must be used inside <AuthProvider>");
  return context;
}
