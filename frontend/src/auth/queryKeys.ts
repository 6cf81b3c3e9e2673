/** The signed-in user, cached per token so a new login never shows the previous user. */
export const authKeys = {
  all: ["auth"] as const,
  me: (token: string | null) => [...authKeys.all, "me", token] as const,
};
