import { describe, expect, it } from "vitest";
import { el } from "../i18n/el";
import { en } from "../i18n/en";
import { format } from "../i18n/I18nProvider";
import { ApiError, codeMessage, describeError, fieldError, isPasswordChangeRequired } from "./errors";

const t = {
  t: (key: keyof typeof en, vars?: Record<string, string | number>) => format(en[key], vars),
  locale: "en-GB",
};
const greek = {
  t: (key: keyof typeof en, vars?: Record<string, string | number>) => format(el[key], vars),
  locale: "el-GR",
};

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

  it("words the API's coded refusals on their field and at the top, in English and Greek", () => {
    const taken = ApiError.fromResponse(409, {
      detail: "Another student already has this student ID: use a different one",
      field: "student_id",
      code: "student_id_taken",
      params: { field: "student_id" },
    });
    expect(fieldError(taken, "student_id", t)).toBe(en["errors.code.student_id_taken"]);
    expect(describeError(taken, greek)).toBe(el["errors.code.student_id_taken"]);
    const gone = ApiError.fromResponse(404, {
      detail: "Student 7 was deleted: an admin can restore it from the trash",
      field: null,
      code: "student_deleted",
      params: { id: 7 },
    });
    expect(describeError(gone, t)).toBe(en["errors.code.student_deleted"]);
    const above = ApiError.fromResponse(422, {
      detail: [
        {
          loc: ["body", "passing_grade"],
          msg: "passing_grade 25 is above max_grade 20: lower it or raise max_grade",
          type: "value_error",
          code: "passing_above_max",
          params: { field: "passing_grade", passing_grade: 25, max_grade: 20 },
        },
      ],
    });
    expect(fieldError(above, "passing_grade", t)).toBe(
      "The pass mark (25) is above the highest grade (20): lower it or raise the highest grade.",
    );
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

describe("coded errors", () => {
  const throttled = (seconds: number) =>
    ApiError.fromResponse(429, {
      detail: `Too many login attempts: wait ${seconds} seconds and try again`,
      field: null,
      code: "login_throttled",
      params: { retry_after_seconds: seconds },
    });

  it("words a throttled login with the seconds to wait, singular and plural, in English and Greek", () => {
    expect(throttled(30).code).toBe("login_throttled");
    expect(describeError(throttled(30), t)).toBe("Too many attempts, try again in 30 seconds.");
    expect(describeError(throttled(1), t)).toBe("Too many attempts, try again in 1 second.");
    expect(describeError(throttled(30), greek)).toBe(
      "Πάρα πολλές προσπάθειες, δοκιμάστε ξανά σε 30 δευτερόλεπτα.",
    );
    expect(describeError(throttled(1), greek)).toBe(
      "Πάρα πολλές προσπάθειες, δοκιμάστε ξανά σε 1 δευτερόλεπτο.",
    );
  });

  it("words a refused new password by its code on the field the API names, not in the API's English", () => {
    const error = ApiError.fromResponse(400, {
      detail: "The new password is too short: use at least 8 characters",
      field: "new_password",
      code: "password_too_short",
      params: { min_length: 8 },
    });
    expect(fieldError(error, "new_password", greek)).toBe(
      "Ο νέος κωδικός είναι πολύ μικρός: χρησιμοποιήστε τουλάχιστον 8 χαρακτήρες.",
    );
    expect(fieldError(error, "current_password", greek)).toBeUndefined();
    // Without words the field keeps the API's sentence (the forms that word nothing by code).
    expect(fieldError(error, "new_password")).toBe(
      "The new password is too short: use at least 8 characters",
    );
    expect(describeError(error, t)).toBe("The new password is too short: use at least 8 characters.");
  });

  it("joins list parameters and fills every catalogue code's placeholders from its params", () => {
    const error = ApiError.fromResponse(403, {
      detail: "This needs the admin role",
      code: "role_required",
      params: { roles: ["admin", "teacher"] },
    });
    expect(describeError(error, t)).toBe("This needs one of these roles: admin, teacher.");
    for (const key of Object.keys(en).filter((k) => k.startsWith("errors.code."))) {
      const code = key.replace(/^errors\.code\./, "").replace(/\.(one|other)$/, "");
      const params = Object.fromEntries(
        [...en[key as keyof typeof en].matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 7]),
      );
      expect(codeMessage(code, params, t), key).not.toMatch(/[{}]/);
    }
  });

  it("keeps the server's sentence for a code this build does not know", () => {
    const error = ApiError.fromResponse(400, { detail: "A newer rule said no", code: "from_the_future" });
    expect(describeError(error, t)).toBe("A newer rule said no");
    expect(codeMessage("from_the_future", {}, t)).toBeNull();
  });

  it("recognises the password change an account owes", () => {
    const owed = ApiError.fromResponse(403, {
      detail: "Choose a new password first",
      code: "password_change_required",
    });
    expect(isPasswordChangeRequired(owed)).toBe(true);
    expect(describeError(owed, greek)).toBe("Επιλέξτε νέο κωδικό πριν συνεχίσετε.");
    expect(
      isPasswordChangeRequired(ApiError.fromResponse(403, { detail: "no", code: "role_required" })),
    ).toBe(false);
  });
});

describe("coded 422 items", () => {
  const body = {
    detail: [
      {
        loc: ["body", "email"],
        msg: "value is not a valid email address: An email address must have an @-sign.",
        type: "value_error",
        code: "invalid_email",
        params: { field: "email" },
      },
      {
        loc: ["body", "evaluation_rules", 0, "weight"],
        msg: "Input should be less than or equal to 100",
        type: "less_than_equal",
        code: "max_value",
        params: { field: "evaluation_rules.0.weight", max: 100 },
      },
    ],
  };

  it("words each field from its code, never the validator's English", () => {
    const error = ApiError.fromResponse(422, body);
    expect(fieldError(error, "email", t)).toBe("Use an email address such as name@school.gr.");
    expect(fieldError(error, "evaluation_rules.0.weight", greek)).toBe("Χρησιμοποιήστε 100 ή λιγότερο.");
    // Without words (an old caller) the API's sentence is still there.
    expect(fieldError(error, "email")).toContain("@-sign");
  });
});

describe("no message tells a person to call the API", () => {
  it("replaces a sentence naming an API route with the general one, on the form and the field", () => {
    const error = ApiError.fromResponse(404, {
      detail: "Course 11 was deleted: an admin can restore it with POST /api/v1/courses/11/restore",
      field: "course_id",
    });
    expect(describeError(error, t)).toBe(en["errors.notFound"]);
    expect(fieldError(error, "course_id", greek)).toBe(el["errors.notFound"]);
    expect(fieldError(error, "course_id")).toBeUndefined();
  });
});
