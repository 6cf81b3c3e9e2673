"""Pydantic's validation errors as stable codes with parameters, which the web app words.

Pydantic's ``msg`` is English validator text ("Value should have at least 8 items after
validation"); a person reading Greek must not see it. Each error type maps to one code and
the values its sentence needs, taken from the error's ``ctx``. Plain ``ValueError``s raised by
our own validators are recognised by their (fixed) wording; anything unknown is
``invalid_value`` {field}, never the raw text alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# Pydantic error type -> (code, {param name: ctx key}).
TYPE_CODES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("required", {}),
    "string_too_short": ("too_short", {"min_length": "min_length"}),
    "too_short": ("too_short", {"min_length": "min_length"}),
    "string_too_long": ("too_long", {"max_length": "max_length"}),
    "too_long": ("too_long", {"max_length": "max_length"}),
    "greater_than_equal": ("min_value", {"min": "ge"}),
    "greater_than": ("greater_than", {"min": "gt"}),
    "less_than_equal": ("max_value", {"max": "le"}),
    "less_than": ("less_than", {"max": "lt"}),
    "decimal_max_places": ("too_many_decimals", {"decimal_places": "decimal_places"}),
    "decimal_max_digits": ("too_many_digits", {"max_digits": "max_digits"}),
    "decimal_whole_digits": ("too_many_digits", {"max_digits": "whole_digits"}),
    "int_parsing": ("not_an_integer", {}),
    "int_type": ("not_an_integer", {}),
    "int_from_float": ("not_an_integer", {}),
    "float_parsing": ("not_a_number", {}),
    "float_type": ("not_a_number", {}),
    "decimal_parsing": ("not_a_number", {}),
    "decimal_type": ("not_a_number", {}),
    "finite_number": ("not_a_number", {}),
    "bool_parsing": ("not_a_boolean", {}),
    "bool_type": ("not_a_boolean", {}),
    "date_parsing": ("invalid_date", {}),
    "date_type": ("invalid_date", {}),
    "date_from_datetime_parsing": ("invalid_date", {}),
    "date_from_datetime_inexact": ("invalid_date", {}),
    "datetime_parsing": ("invalid_datetime", {}),
    "datetime_type": ("invalid_datetime", {}),
    "datetime_from_date_parsing": ("invalid_datetime", {}),
    "string_type": ("not_text", {}),
    "string_pattern_mismatch": ("invalid_format", {}),
    "extra_forbidden": ("unknown_field", {}),
    "list_type": ("not_a_list", {}),
    "model_type": ("invalid_body", {}),
    "model_attributes_type": ("invalid_body", {}),
    "dict_type": ("invalid_body", {}),
    "json_invalid": ("invalid_json", {}),
    "json_type": ("invalid_json", {}),
    "url_parsing": ("invalid_url", {}),
    "url_type": ("invalid_url", {}),
}
# Our own validators' ValueError texts (schemas/common.py, schemas/courses.py) -> code.
VALUE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"value is not a valid email address"), "invalid_email"),
    (re.compile(r"must not be blank"), "blank"),
    (re.compile(r"must not contain NUL"), "invalid_characters"),
    (re.compile(r"unpaired surrogate"), "invalid_characters"),
    (re.compile(r"each category may appear only once"), "duplicate_category"),
    (re.compile(r"the weights add up to (?P<total>[-\d.e+]+), not 100"), "rule_weights_total"),
)
_QUOTED = re.compile(r"'([^']*)'")


def field_name(loc: Sequence[Any]) -> str:
    """The dotted path of the value inside its part of the request ("grades.1.grade")."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header", "cookie") else list(loc)
    return ".".join(str(part) for part in parts)


def _plain(value: Any) -> Any:
    """A ctx value as JSON: Decimal limits become numbers, anything else odd becomes text."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() else number


def _number(text: str) -> float | int | str:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def code_of(error: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The code and parameters of one pydantic error."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    params: dict[str, Any] = {"field": field_name(error.get("loc", ()))}
    if kind in TYPE_CODES:
        code, names = TYPE_CODES[kind]
        params.update({name: _plain(ctx.get(key)) for name, key in names.items() if key in ctx})
        return code, params
    if kind in ("enum", "literal_error"):
        params["allowed"] = _QUOTED.findall(str(ctx.get("expected", "")))
        return "not_one_of", params
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        for pattern, code in VALUE_ERRORS:
            match = pattern.search(message)
            if match:
                params.update({name: _number(value) for name, value in match.groupdict().items()})
                return code, params
    return "invalid_value", params


def coded_items(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI's 422 items with a code and params added; the submitted value is never echoed."""
    items = []
    for error in errors:
        code, params = code_of(error)
        items.append(
            {
                "loc": list(error["loc"]),
                "msg": error["msg"],
                "type": error["type"],
                "code": code,
                "params": params,
            }
        )
    return items
