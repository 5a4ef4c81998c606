"""Naming a wrong answer's likely mistake: which simple transform of the reference explains it.

Each detector is a pure function of the submitted array s, the reference r, the tolerance and a
`Clues` record of what the problem offers beyond r (the graph's edges, its mean nodes, the number of
examples, the reference at other points). A detector answers with a `Mistake` when s is within
tolerance of its transform of r and that transform is not itself within tolerance of r. They are tried
in the order of DETECTORS, most specific first; the first that explains the answer names it.

missing_chain_factor, by the chain rule: dJ/dx is a sum over the paths from x to the output of the
product of the local derivatives along each path. Dropping one factor is either
  - stopping the chain early: the answer equals dJ/dc for a node c on a path from x (the upstream
    gradient, e.g. 363 = dJ/d(3x) instead of dJ/dx = 1089 for (3x + 4y)^3), or
  - dividing the reference by one edge's local derivative d(c)/d(a) on such a path (exact when one
    path leads from x to the output, which is the textbook case).
Local derivatives 0 and +-1 are skipped (no factor to drop, or the sign flip), as is 2 (the half factor).
"""

from dataclasses import dataclass, field

import numpy as np

from service.grading.comparison import close


@dataclass(frozen=True)
class Mistake:
    code: str
    explanation: str  # completes "…: <explanation>."


@dataclass
class Clues:
    examples: int | None = None                     # m, the number of examples of an MLP problem
    mean_counts: list = field(default_factory=list)  # (count, node id) of the means on the paths from x
    chain: list = field(default_factory=list)        # (candidate array, explanation): one factor dropped
    fork_shares: list = field(default_factory=list)  # (array, explanation): one edge's share at a fork
    other_points: list = field(default_factory=list)  # (array, explanation): the reference elsewhere


def _matches(s, candidate, r, tol):
    return close(s, candidate, tol) and not close(candidate, r, tol)


def sign_flip(s, r, tol, clues):
    if _matches(s, -r, r, tol):
        return Mistake("sign_flip", "it has the opposite sign of the expected value")


def transpose(s, r, tol, clues):
    if np.ndim(r) == 2 and _matches(s, np.transpose(r), r, tol):
        return Mistake("transpose", "it is the transpose of the expected matrix")


def mean_vs_sum(s, r, tol, clues):
    counts = list(clues.mean_counts) + ([(clues.examples, "the examples")] if clues.examples else [])
    for count, where in counts:
        if count > 1 and _matches(s, r * count, r, tol):
            return Mistake("mean_vs_sum", f"it is {count} times too large: a sum where {where} should be averaged")
        if count > 1 and _matches(s, r / count, r, tol):
            return Mistake("mean_vs_sum", f"it is {count} times too small: an average where {where} should be summed")


def half_factor(s, r, tol, clues):
    if _matches(s, r / 2, r, tol):
        return Mistake("half_factor", "it is half the expected value: the factor 2 from differentiating a square "
                                      "is missing")
    if _matches(s, r * 2, r, tol):
        return Mistake("half_factor", "it is twice the expected value: a factor 2 too many (a 1/2 in front of a "
                                      "square cancels it)")


def not_accumulated_at_fork(s, r, tol, clues):
    for share, explanation in clues.fork_shares:
        if _matches(s, share, r, tol):
            return Mistake("not_accumulated_at_fork", explanation)


def missing_chain_factor(s, r, tol, clues):
    for candidate, explanation in clues.chain:
        if _matches(s, candidate, r, tol):
            return Mistake("missing_chain_factor", explanation)


def wrong_point(s, r, tol, clues):
    for candidate, explanation in clues.other_points:
        if _matches(s, candidate, r, tol):
            return Mistake("wrong_point", explanation)


DETECTORS = (sign_flip, transpose, mean_vs_sum, half_factor, not_accumulated_at_fork, missing_chain_factor,
             wrong_point)
CODES = tuple(detector.__name__ for detector in DETECTORS)


def diagnose(submitted, reference, tol, clues):
    """The first mistake that explains a wrong answer of the reference's shape (or r's transpose), or None."""
    with np.errstate(all="ignore"):
        return next((m for m in (detect(submitted, reference, tol, clues) for detect in DETECTORS) if m), None)


SKIPPED_LOCALS = (0.0, 1.0, -1.0, 2.0, -2.0)


def graph_clues(graph, values, gradients, trace, node):
    """The clues a graph offers about an answer for dJ/d(node): its paths' edges, forks and means.

    `trace` is `service.engine.backprop.edges(graph, values, gradients)`: one entry per edge with its
    gradient share and, where both ends are scalars, its local derivative.
    """
    reach = _descendants(graph, node)
    feeds_output = _ancestors_of_output(graph)
    on_path = [reach[i] and feeds_output[i] for i in range(len(graph))]
    ids, r = graph.ids, gradients[node]
    clues = Clues()
    for c in range(node + 1, len(graph)):
        if on_path[c] and gradients[c] is not None and np.shape(gradients[c]) == np.shape(r):
            clues.chain.append((gradients[c], f"it equals dJ/d({ids[c]}): the chain rule stopped at {ids[c]} and "
                                              f"the factors between it and {ids[node]} were dropped"))
    outgoing = [edge for edge in trace if edge["from"] == node and on_path[edge["to"]]]
    for edge in trace:
        local = edge["local"]
        if local is not None and on_path[edge["from"]] and on_path[edge["to"]] and np.isfinite(local) \
                and float(local) not in SKIPPED_LOCALS:
            clues.chain.append((r / local, f"the local derivative d({ids[edge['to']]})/d({ids[edge['from']]}) "
                                           "is missing from the chain-rule product"))
    if len(outgoing) > 1:
        for edge in outgoing:
            if edge["gradient"] is not None:
                clues.fork_shares.append((edge["gradient"], f"it is only the share along {ids[node]} -> "
                                          f"{ids[edge['to']]}; {ids[node]} is used {len(outgoing)} times and the "
                                          "shares of all its uses must be added"))
    for i, op in enumerate(graph.ops):
        if op == "mean" and on_path[i]:
            argument = graph.args[i][0]
            count = int(np.size(values[argument]) // max(np.size(values[i]), 1))
            clues.mean_counts.append((count, f"the mean {ids[i]}"))
    return clues


def _descendants(graph, node):
    reach = [False] * len(graph)
    reach[node] = True
    for i in range(node + 1, len(graph)):
        reach[i] = any(reach[a] for a in graph.args[i])
    return reach


def _ancestors_of_output(graph):
    feeds = [False] * len(graph)
    feeds[graph.output] = True
    for i in range(graph.output, -1, -1):
        if feeds[i]:
            for a in graph.args[i]:
                feeds[a] = True
    return feeds
