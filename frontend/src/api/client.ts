import createClient, { type Middleware } from "openapi-fetch";
import { ApiError } from "./errors";
import { apiOrigin, authHeaders, noticeError, noticeUnauthorized } from "./http";
import type { paths } from "./schema";

const auth: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    noticeUnauthorized(response);
    return response;
  },
};

/** The typed client generated from the backend's OpenAPI schema (`npm run generate-client`). */
// An absolute base: a Request outside a browser page (the unit tests) cannot take a relative URL.
// fetch is looked up per call, not captured once, so tests can answer the calls.
export const api = createClient<paths>({
  baseUrl: apiOrigin(),
  fetch: (request) => globalThis.fetch(request),
});
api.use(auth);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Await an openapi-fetch call and return its data, or throw an ApiError a page can show. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw ApiError.network();
  }
  if (result.error !== undefined || !result.response.ok) {
    throw noticeError(ApiError.fromResponse(result.response.status, result.error));
  }
  return result.data as T;
}
