import { describe, expect, it } from "vitest";
import { en } from "../i18n/en";
import { ApiError, describeError, fieldError } from "./errors";

const t = (key: keyof typeof en) => en[key];

describe("ApiError.fromResponse", () => {
  it("maps FastAPI 422 items onto their fields, nested ones by full path too", () => {
    const error = ApiError.fromResponse(422, {
      detail: [
        { loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" },
        {
          loc: ["body", "evaluation_rules", 1, "weight"],
          msg: "Input should be less than or equal to 100",
          type: "less_than_equal",
        },
        {
          loc: ["body", "evaluation_rules"],
          msg: "Value error, the weights add up to 90, not 100",
          type: "value_error",
        },
      ],
    });
    expect(error.kind).toBe("validation");
    expect(fieldError(error, "email")).toBe("value is not a valid email address");
    expect(fieldError(error, "evaluation_rules.1.weight")).toBe("Input should be less than or equal to 100");
    expect(fieldError(error, "evaluation_rules")).toBe("the weights add up to 90, not 100");
    expect(describeError(error, t)).toBe(en["errors.validation"]);
  });

  it("puts a 409's sentence on the field it names", () => {
    const detail = "Another student already has this email: use a different one";
    const error = ApiError.fromResponse(409, { detail, field: "email" });
    expect(error.kind).toBe("conflict");
    expect(error.field).toBe("email");
    expect(fieldError(error, "email")).toBe(detail);
    expect(describeError(error, t)).toBe(detail);
  });

  it("words network failures and server errors for a person, hiding HTML error pages", () => {
    expect(describeError(ApiError.network(), t)).toBe(en["errors.network"]);
    const server = ApiError.fromResponse(502, "<html>Bad gateway</html>");
    expect(server.detail).toBeNull();
    expect(describeError(server, t)).toBe(en["errors.server"]);
    expect(describeError(new Error("boom"), t)).toBe(en["errors.unknown"]);
  });

  it("keeps the API's own sentence for 401, 403 and 404", () => {
    expect(
      describeError(ApiError.fromResponse(403, { detail: "This needs the admin role", field: null }), t),
    ).toBe("This needs the admin role");
    expect(describeError(ApiError.fromResponse(404, {}), t)).toBe(en["errors.notFound"]);
  });
});
