"""The columns seed_demo fills in each table, in the order its rows list them.

Only these are written; any other column takes its default, so a column a later revision adds
does not shift the values.
"""

from __future__ import annotations

STAMPED = ("created_at", "updated_at")

# fmt: off
COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("id", "email", "full_name", "hashed_password", "role", "is_active", "security_stamp",
              "must_change_password", "last_login_at", *STAMPED),
    "academic_years": ("id", "name", "starts_on", "ends_on", "is_current", "year_end_applied_at", *STAMPED),
    "terms": ("id", "academic_year_id", "name", "starts_on", "ends_on", "is_current", *STAMPED),
    "courses": ("id", "course_code", "course_name", "description", "credits", "semester", "year",
                "teacher_name", "hours_per_week", "absence_penalty", "max_grade", "passing_grade",
                "evaluation_rules", "prerequisite_course_id", "is_active", *STAMPED, "deleted_at", "term_id",
                "periods_per_day"),
    "course_teachers": ("course_id", "user_id"),
    "students": ("id", "student_id", "first_name", "last_name", "email", "date_of_birth", "phone",
                 "enrollment_date", "study_year", "is_active", "notes", *STAMPED, "deleted_at"),
    "course_enrollments": ("id", "student_id", "course_id", "status", "enrolled_at", "dropped_on",
                           "drop_reason", "dropped_by_user_id"),
    "grades": ("id", "student_id", "course_id", "assignment_name", "category", "grade", "max_grade", "weight",
               "date_assigned", "date_submitted", "notes", *STAMPED),
    "attendance": ("id", "student_id", "course_id", "date", "status", "period_number", "notes", *STAMPED),
    "daily_performance": ("id", "student_id", "course_id", "date", "category", "score", "max_score", "notes",
                          *STAMPED),
    "highlights": ("id", "student_id", "semester", "category", "rating", "highlight_text", "date_recorded",
                   "is_positive", *STAMPED),
    "audit_log": ("id", "user_id", "user_email", "action", "entity_type", "entity_id", "details",
                  "ip_address", "created_at"),
}
# fmt: on
