"""One submission graded against a problem's reference: every answered (or weighted) item, the total
score, the tolerance applied and the warnings, in the native format."""

from dataclasses import dataclass

import numpy as np

from service.grading import items, symbolic
from service.grading.comparison import pure_relative, tolerance
from service.grading.references import Unproducible, reference_for
from service.problems import invalid, pointer

MAPPED = ("gradients", "nodes", "parameters", "derivatives")  # families answered by name


@dataclass(frozen=True)
class Rules:
    """What applies to every submission of a problem."""
    tolerance: object
    weights: dict
    reveal: bool

    @classmethod
    def of(cls, request):
        t = request.tolerance
        return cls(tolerance(t.preset, t.rtol, t.atol), dict(request.weights), request.reveal)


def grade(request, settings):
    """The native verdict for a `GradeRequest`."""
    reference = reference_for(request.problem, settings)
    reference.check_work(1)
    return grade_answers(reference, request.answers, Rules.of(request), settings)


def answered_items(answers):
    """(family, key, submitted) for every item given, in the order of the `Answers` fields."""
    for family in type(answers).model_fields:
        given = getattr(answers, family)
        if given is None:
            continue
        if family in MAPPED:
            yield from ((family, key, value) for key, value in given.items())
        else:
            yield family, None, given


def grade_answers(reference, answers, rules, settings):
    given = list(answered_items(answers))
    names = [_name(family, key) for family, key, _ in given]
    _check_producible(reference, given, rules.weights)
    graded = [_grade_item(reference, family, key, value, rules, settings) for family, key, value in given]
    graded += [items.unanswered_item(name, _label(reference, *_parse(name)), weight)
               for name, weight in rules.weights.items() if name not in names]
    points = sum((item["score"] * item["weight"] for item in graded if item["outcome"] == "graded"), 0.0)
    maximum = sum((item["weight"] for item in graded), 0.0)
    return {"score": points / maximum if maximum else 0.0, "points": points, "max_points": maximum,
            "gradable": all(item["outcome"] == "graded" for item in graded),
            "tolerance": rules.tolerance.describe(), "items": graded,
            "warnings": _warnings(reference, given, rules.tolerance)}


def _grade_item(reference, family, key, value, rules, settings):
    name, label = _name(family, key), _label(reference, family, key)
    weight = rules.weights.get(name, 1.0)
    if family == "derivatives":
        return symbolic.grade_derivative(name, label, weight, value, reference, key, rules.tolerance, rules.reveal,
                                         settings)
    return items.grade_numeric(name, label, weight, value, reference.value(family, key), rules.tolerance,
                               rules.reveal, lambda: reference.clues(family, key))


def _check_producible(reference, given, weights):
    errors = []
    for family, key, _ in given:
        message = _unproducible(reference, family, key)
        if message:
            errors.append({"location": pointer(("answers", family) + ((key,) if key is not None else ())),
                           "message": message})
    for name in weights:
        family, key = _parse(name)
        message = _unproducible(reference, family, key) if family else f"{name!r} is not an item name such as /value"
        if message:
            errors.append({"location": pointer(("weights", name)), "message": message})
    if errors:
        raise invalid(errors)


def _unproducible(reference, family, key):
    if family not in reference.families:
        return f"a {reference.kind} problem has no {family}; it can grade {', '.join(reference.families)}"
    if (key is None) != (family not in MAPPED):
        return f"{family} is answered {'by name' if family in MAPPED else 'as one value'}"
    try:
        reference.value(family, key)
    except Unproducible as problem:
        return str(problem)
    return None


def _name(family, key):
    return pointer((family,) if key is None else (family, key))


def _parse(name):
    """(family, key) of an item name such as /gradients/x; (None, None) for a name that is not one."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in name.split("/")[1:]]
    if not name.startswith("/") or len(parts) not in (1, 2):
        return None, None
    return parts[0], parts[1] if len(parts) == 2 else None


def _label(reference, family, key):
    if family in ("value", "cost"):
        return "The cost J"
    if family == "gradients":
        return f"dJ/d{key}"
    if family == "nodes":
        return f"dJ/d({key})"
    if family == "derivatives":
        return f"The derivative dJ/d{key}"
    if family == "parameters":
        return f"{key} after {reference.steps} descent steps"
    return {"input_gradients": "dJ/d(inputs)", "predictions": "The predictions", "costs": "The cost history"}[family]


def _warnings(reference, given, tol):
    if not pure_relative(tol):
        return []
    zero = [_name(family, key) for family, key, _ in given
            if items.reference_is_finite(value := reference.value(family, key)) and np.any(np.asarray(value) == 0)]
    if not zero:
        return []
    return [f"the test is purely relative (atol = 0) and the reference of {', '.join(zero)} has entries that are "
            "exactly 0 (a dead ReLU's gradient, for instance): there only an exact 0 can pass; set atol > 0"]
