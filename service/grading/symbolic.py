"""Symbolic answers: a derivative written as an expression, read by the engine's own safe parser and
evaluated by the engine, at the given point and at further points drawn deterministically around it.

An expression that agrees with the reference only at the given point (the number 1089, or a formula
that happens to cross the derivative there) fails at the further points.
"""

import numpy as np

from service import graphs, limits
from service.engine import GraphError
from service.engine.backprop import forward
from service.grading import items
from service.grading.comparison import compare
from service.grading.mistakes import diagnose
from service.problems import Problem

FURTHER_POINTS = 4
POINTS_SEED = 20240604  # fixed: every grader run, and every student, gets the same further points
ATTEMPTS_PER_POINT = 4  # draws allowed per point to find one where the reference is finite


def derivative_graph(expression, settings):
    """The expression's graph; GraphError or a Problem (over a limit) for one that cannot be evaluated."""
    graph = graphs.expression_graph(expression, settings)
    limits.check_node_count(len(graph), settings, ())
    return graph


def evaluate(graph, inputs, problem_inputs):
    """The expression's value at `inputs`; GraphError naming a name that is not an input of the problem."""
    for name in graph.inputs:
        if name not in inputs:
            raise GraphError(f"it uses {name!r}, which is not an input of the problem (its inputs are "
                             f"{', '.join(sorted(problem_inputs))})")
    graph.shapes({name: np.shape(inputs[name]) for name in graph.inputs})
    values = forward(graph, {name: inputs[name] for name in graph.inputs})
    return np.asarray(values[graph.output], dtype=np.float64)


def nearby_points(inputs):
    """Candidate points around the given inputs, FURTHER_POINTS x ATTEMPTS_PER_POINT of them, in order.

    Each entry of each input moves by a normal draw of standard deviation 0.25 (|x| + 1), from
    numpy.random.default_rng(POINTS_SEED), the inputs taken in sorted order.
    """
    rng = np.random.default_rng(POINTS_SEED)
    points = []
    for _ in range(FURTHER_POINTS * ATTEMPTS_PER_POINT):
        point = {}
        for name in sorted(inputs):
            value = np.asarray(inputs[name], dtype=np.float64)
            moved = value + rng.normal(0.0, 1.0, value.shape) * 0.25 * (np.abs(value) + 1.0)
            point[name] = moved[()] if moved.ndim == 0 else moved
        points.append(point)
    return points


def grade_derivative(name, label, weight, submitted, reference, key, tol, reveal, settings):
    """A symbolic dJ/d(key): right at the given point and at every further point where the reference is finite."""
    r0 = reference.value("derivatives", key)
    if not items.reference_is_finite(r0):
        return items.error_item(name, weight, submitted, r0, reveal, label)
    expression = repr(submitted) if type(submitted) in (int, float) else submitted
    try:
        if not isinstance(expression, str):
            raise items.Invalid(f"{label} must be an expression (a string) or a number")
        graph = _read(expression, label, settings)
        at_point = _value_at(graph, reference.inputs, r0, label)
    except items.Invalid as problem:
        return items.invalid_item(name, weight, submitted, r0, reveal, str(problem))
    comparison = compare(at_point, r0, tol)
    if not comparison.all_within:
        mistake = diagnose(at_point, np.asarray(r0), tol, reference.clues("derivatives", key))
        return items.record(name, weight, submitted, r0, reveal, **items.verdict(comparison, tol) | {"score": 0.0},
                            mistake=mistake and mistake.code,
                            feedback=items.feedback(label, comparison, tol, mistake))
    wrong, checked, worst = 0, 0, comparison
    for point in nearby_points(reference.inputs):
        if checked == FURTHER_POINTS:
            break
        expected = reference.gradients_at(point)[key]
        if not np.isfinite(expected).all():
            continue
        checked += 1
        try:
            value = _value_at(graph, point, expected, label)
        except items.Invalid:
            wrong += 1
            continue
        there = compare(value, expected, tol)
        wrong += not there.all_within
        worst = there if np.max(there.relative_error) > np.max(worst.relative_error) else worst
    verdict = items.verdict(worst, tol) | {"wrong_entries": [], "wrong_count": wrong}
    if wrong:
        return items.record(name, weight, submitted, r0, reveal, **verdict | {"correct": False, "score": 0.0},
                            feedback=f"{label} is wrong: it agrees with the derivative at the given point but not at "
                                     f"{wrong} of {checked} further points, so it is not the derivative's formula.")
    return items.record(name, weight, submitted, r0, reveal, **verdict | {"correct": True, "score": 1.0},
                        feedback=f"{label} is correct: it agrees with the derivative at the given point and at "
                                 f"{checked} further points.")


def _read(expression, label, settings):
    try:
        return derivative_graph(expression, settings)
    except GraphError as error:
        raise items.Invalid(f"{label} is not a valid expression: {error.message}") from None
    except Problem as problem:
        raise items.Invalid(f"{label} is too large: {problem.detail}") from None


def _value_at(graph, inputs, expected, label):
    try:
        value = evaluate(graph, inputs, inputs)
        value = np.broadcast_to(value, np.shape(expected))
    except GraphError as error:
        raise items.Invalid(f"{label} cannot be evaluated: {error.message}") from None
    except ValueError:
        raise items.Invalid(f"{label} has shape {np.shape(value)}, expected {np.shape(expected)}") from None
    if not np.isfinite(value).all():
        raise items.Invalid(f"{label} is not finite at the given point")
    return value
