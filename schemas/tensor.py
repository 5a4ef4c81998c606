"""Tensors on the wire: a number, or nested lists of numbers of a regular (rectangular) shape.

Requests are checked with NumPy after parsing, not number by number in Python: the nested lists
become one float64 array, and its dtype, shape and finiteness say whether the tensor is valid.
Responses write non-finite numbers as the strings "NaN", "Infinity" and "-Infinity" (the protobuf
JSON mapping), since bare NaN and Infinity tokens are not JSON.
"""

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import PlainValidator, ValidationInfo
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

TensorValue = TypeAliasType("Tensor", float | list["Tensor"])
NonFinite = Literal["NaN", "Infinity", "-Infinity"]
TensorResultValue = TypeAliasType("TensorResult", float | NonFinite | list["TensorResult"])

MAY_HOLD_BOOLEANS = "may_hold_booleans"
NOT_FINITE = "numbers must be finite (NaN and Infinity are not accepted)"


def _error(message):
    return PydanticCustomError("tensor", message)


def to_tensor(value, info: ValidationInfo):
    """A float64 array (a float64 scalar for a bare number), or a validation error saying why not."""
    if type(value) in (int, float):
        number = _as_float(value)
        if not math.isfinite(number):
            raise _error(NOT_FINITE)
        return np.float64(number)
    array = _as_array(value)
    if array.dtype.kind not in "if" or (info.context or {}).get(MAY_HOLD_BOOLEANS, True):
        _require_numbers(value)
        array = np.array(value, dtype=np.float64)
    return _finite(array.astype(np.float64, copy=False))


def _as_float(number):
    try:
        return float(number)
    except OverflowError:
        raise _error("the number is too large for float64") from None


def _as_array(value):
    if not isinstance(value, list):
        raise _error("a tensor is a number or nested lists of numbers")
    try:
        return np.array(value)
    except (ValueError, OverflowError):
        raise _error("a tensor's nested lists must all have the same length at each depth "
                     "(a regular shape) and hold only numbers") from None


def _require_numbers(value):
    """The exact check, leaf by leaf, for when NumPy's dtype alone cannot tell (true/false become 1/0)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is list:
            stack.extend(item)
        elif type(item) not in (int, float):
            raise _error(f"a tensor holds only numbers, not {type(item).__name__} ({item!r:.40})")
        else:
            _as_float(item)


def _finite(array):
    if not np.isfinite(array).all():
        raise _error(NOT_FINITE)
    return array


Tensor = Annotated[Any, PlainValidator(to_tensor, json_schema_input_type=TensorValue)]
TensorResult = TensorResultValue
