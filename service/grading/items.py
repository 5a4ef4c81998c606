"""Grading one item: the submitted value against the reference, with its outcome, errors and feedback.

Pure functions on NumPy arrays and the reference's clues; nothing here knows about HTTP.
"""

from types import SimpleNamespace

import numpy as np
from pydantic_core import PydanticCustomError

from schemas.tensor import MAY_HOLD_BOOLEANS, to_tensor
from service.codec import NONFINITE_NAMES, encode_tensor
from service.grading.comparison import compare, cs231n_verdict
from service.grading.mistakes import diagnose, transpose

WRONG_ENTRIES_SHOWN = 20
STRICT_NUMBERS = SimpleNamespace(context={MAY_HOLD_BOOLEANS: True})  # check every leaf: true is not 1


class Invalid(Exception):
    """An answer that cannot be graded as given; the message says what was expected."""


def read_submitted(value, label):
    """A submitted tensor as a float64 array, or Invalid saying why it is not one."""
    if isinstance(value, str) and value in NONFINITE_NAMES.values():
        raise Invalid(f"{label} is {value}, not a finite number")
    try:
        return np.asarray(to_tensor(value, STRICT_NUMBERS), dtype=np.float64)
    except PydanticCustomError as error:
        raise Invalid(f"{label} is not usable: {error.message()}") from None


def check_shape(submitted, reference, label):
    if submitted.shape != np.shape(reference):
        raise Invalid(f"{label} has shape {_shape(submitted.shape)}, expected {_shape(np.shape(reference))}")


def _shape(shape):
    return "() (a number)" if shape == () else str(shape)


def record(name, weight, submitted, reference, reveal, **fields):
    item = {"name": name, "outcome": "graded", "correct": None, "score": 0.0, "weight": weight,
            "submitted": submitted, "max_abs_error": None, "max_rel_error": None, "wrong_entries": [],
            "wrong_count": 0, "mistake": None}
    if reveal and reference is not None:
        item["expected"] = encode_tensor(reference)
    return item | fields


def invalid_item(name, weight, submitted, reference, reveal, message, mistake=None):
    return record(name, weight, submitted, reference, reveal, outcome="invalid", mistake=mistake,
                  feedback=f"Not graded: {message}.")


def error_item(name, weight, submitted, reference, reveal, label):
    where = "not finite" if reference is not None else "not computable"
    return record(name, weight, submitted, reference, reveal, outcome="error",
                  feedback=f"Not graded: the reference for {label} is {where}, so the problem needs fixing by the "
                           "instructor; this answer does not count.")


def reference_is_finite(reference):
    return reference is not None and bool(np.isfinite(reference).all())


def grade_numeric(name, label, weight, submitted, reference, tol, reveal, clues):
    """The item for a numeric answer: error, invalid or graded, with its mistake where one explains it."""
    if not reference_is_finite(reference):
        return error_item(name, weight, submitted, reference, reveal, label)
    reference = np.asarray(reference, dtype=np.float64)
    try:
        s = read_submitted(submitted, label)
        check_shape(s, reference, label)
    except Invalid as problem:
        mistake = _transposed(submitted, reference, tol, clues)
        message = str(problem) + (": it is the transpose of the expected matrix" if mistake else "")
        return invalid_item(name, weight, submitted, reference, reveal, message, mistake)
    comparison = compare(s, reference, tol)
    mistake = None if comparison.all_within else diagnose(s, reference, tol, clues())
    return record(name, weight, submitted, reference, reveal, **verdict(comparison, tol),
                  mistake=mistake and mistake.code, feedback=feedback(label, comparison, tol, mistake))


def _transposed(submitted, reference, tol, clues):
    try:
        s = read_submitted(submitted, "")
    except Invalid:
        return None
    if s.shape != reference.shape and transpose(s, reference, tol, None):
        return "transpose"
    return None


def verdict(comparison, tol):
    wrong = np.argwhere(~comparison.within) if comparison.within.ndim else np.empty((int(not comparison.all_within), 0))
    return {"correct": comparison.all_within, "score": comparison.fraction_within,
            "max_abs_error": encode_tensor(np.max(comparison.absolute_error, initial=0.0)),
            "max_rel_error": encode_tensor(np.max(comparison.relative_error, initial=0.0)),
            "wrong_entries": wrong[:WRONG_ENTRIES_SHOWN].astype(int).tolist() if wrong.shape[1] else [],
            "wrong_count": len(wrong)}


def feedback(label, comparison, tol, mistake):
    """One plain sentence: correct, or wrong and (where a transform of the reference explains it) why."""
    if tol.symmetric:
        worst = float(np.max(comparison.relative_error, initial=0.0))
        grade = f" (relative error {worst:.1e}: {cs231n_verdict(worst)})"
    else:
        grade = ""
    if comparison.all_within:
        return f"{label} is correct{grade}."
    if mistake:
        return f"{label} is wrong{grade}: {mistake.explanation}."
    entries = comparison.within.size
    if entries > 1:
        return f"{label} is wrong{grade}: {entries - int(comparison.within.sum())} of its {entries} entries are " \
               "outside the tolerance."
    return f"{label} is wrong{grade}."


def unanswered_item(name, label, weight):
    return record(name, weight, None, None, False, correct=False, feedback=f"{label} was not answered.")
