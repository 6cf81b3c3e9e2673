"""Exports: formulas neutralised behind whitespace, tab and CR; deleted records stay hidden (item 9).

The defects: a CSV cell starting with a tab and then ``=`` reached the spreadsheet as a
formula, and a viewer could export a deleted student's full record. Also here: the audit log's
last representable day was a 500.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.services.export import _defuse
from backend.tests.api.conftest import (  # noqa: F401 - fixtures
    Factory,
    fast_password_hashing,
    make,
    teacher_headers,
    viewer_headers,
)

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", " =1+1", "\n=1+1", "\t\tplain", "\rplain"]
HARMLESS = ["plain", "a=b", "1-2", "", "e-mail@x"]


@pytest.mark.parametrize("cell", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_is_made_text(cell: str) -> None:
    assert _defuse(cell) == "'" + cell


@pytest.mark.parametrize("cell", HARMLESS)
def test_an_ordinary_cell_is_left_alone(cell: str) -> None:
    assert _defuse(cell) == cell


def test_the_csv_export_neutralises_notes_behind_a_tab(
    client: TestClient,
    make: Factory,  # noqa: F811
    admin_headers: dict[str, str],
) -> None:
    student, course = make.enrolled_pair()
    for n, notes in enumerate(['\t=HYPERLINK("http://evil")', "\r+1", "  @cmd"]):
        make.post(
            "/grades",
            {
                "student_id": student["id"],
                "course_id": course["id"],
                "assignment_name": f"Quiz {n}",
                "category": "quiz",
                "grade": 10,
                "notes": notes,
            },
        )
    exported = client.get(f"/api/v1/students/{student['id']}/export?format=csv", headers=admin_headers)
    assert exported.status_code == 200
    rows = [row for row in csv.DictReader(io.StringIO(exported.text)) if row["section"] == "grade"]
    assert sorted(row["notes"] for row in rows) == sorted(
        ['\'\t=HYPERLINK("http://evil")', "'\r+1", "'  @cmd"]
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_deleted_students_export_is_a_404_to_all_but_admins(
    client: TestClient,
    make: Factory,  # noqa: F811
    admin_headers: dict[str, str],
    teacher_headers: dict[str, str],  # noqa: F811
    viewer_headers: dict[str, str],  # noqa: F811
    fmt: str,
) -> None:
    student = make.student()
    url = f"/api/v1/students/{student['id']}/export?format={fmt}"
    assert client.get(url, headers=viewer_headers).status_code == 200
    assert client.delete(f"/api/v1/students/{student['id']}", headers=admin_headers).status_code == 204
    for headers in (viewer_headers, teacher_headers):
        hidden = client.get(url, headers=headers)
        assert hidden.status_code == 404, hidden.text
        assert student["last_name"] not in hidden.text
    # The same 404 as an id that never existed: a deleted record is not even confirmed.
    never = client.get("/api/v1/students/999999/export", headers=viewer_headers)
    assert never.status_code == 404
    assert client.get(url, headers=admin_headers).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-31"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
    ],
)
def test_the_audit_log_takes_the_first_and_last_representable_days(
    client: TestClient, admin_headers: dict[str, str], params: dict[str, Any]
) -> None:
    response = client.get("/api/v1/audit-log", params=params, headers=admin_headers)
    assert response.status_code == 200, response.text
    expected = 0 if params.get("date_from") == "9999-12-31" else response.json()["total"]
    assert response.json()["total"] == expected
