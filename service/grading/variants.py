"""Personal variants: a template's coefficients, inputs or parameters drawn from
numpy.random.default_rng(seed), so that the grader can regenerate a student's problem from the seed alone.

Draws are made in a fixed order: for an expression, the coefficients then the inputs, each in sorted
name order; for an MLP, the inputs, the targets, then W1, b1, W2, b2, …. GENERATOR_VERSION changes
whenever that order or the way a number is drawn changes, so a (version, seed) pair names one variant.
"""

import ast

import numpy as np

from schemas.grading import GradeProblem
from service import limits
from service.engine import GraphError, parse
from service.engine.mlp import parameter_names
from service.grading.references import located
from service.problems import too_large

GENERATOR_VERSION = 1
REDRAWS = 64


def generator():
    return {"version": GENERATOR_VERSION, "bit_generator": "PCG64", "numpy": np.__version__}


def draw(rng, spec, shape=()):
    """Numbers from a `Draw` spec: integers in [low, high], or uniform in [low, high) rounded to `decimals`;
    with `nonzero`, zeros are drawn again (a coefficient of 0 would remove a term)."""
    size = shape or tuple(spec.shape or ())
    values = _draw_once(rng, spec, size)
    for _ in range(REDRAWS):
        if not (spec.nonzero and np.any(values == 0)):
            return values.tolist() if size else float(values)
        values = np.where(values == 0, _draw_once(rng, spec, size), values)
    raise GraphError(f"{REDRAWS} draws in a row gave 0; widen the range or allow more decimals", ("nonzero",))


def _draw_once(rng, spec, size):
    if spec.integer:
        return rng.integers(int(np.ceil(spec.low)), int(np.floor(spec.high)) + 1, size=size).astype(np.float64)
    return np.round(rng.uniform(spec.low, spec.high, size=size), spec.decimals)


def expression_variant(template, seed, settings):
    """The concrete /v1/graph request: coefficients written into the expression as numbers, inputs drawn."""
    check_expression_template(template, settings)
    rng = np.random.default_rng(seed)
    coefficients = {name: draw(rng, template.coefficients[name]) for name in sorted(template.coefficients)}
    inputs = {name: draw(rng, template.inputs[name]) for name in sorted(template.inputs)}
    tree = _Substitution(coefficients).visit(ast.parse(template.expression.replace("^", "**"), mode="eval"))
    graph = {"expression": ast.unparse(tree), "inputs": inputs}
    return graph | template.model_dump(include={"steps", "learning_rate", "trainable"}, exclude_none=True)


def check_expression_template(template, settings):
    """The engine's own checks of the expression, and a draw for every name, before anything is drawn."""
    limits.check_expression(template.expression, settings)
    nodes, _ = parse(template.expression, settings.max_expression_depth)
    names = {node["id"] for node in nodes if node["op"] == "input"}
    for name in sorted(names - set(template.coefficients) - set(template.inputs)):
        raise GraphError(f"the expression uses {name!r}, which is neither a coefficient nor an input",
                         ("inputs",))
    for family in ("coefficients", "inputs"):
        for name, spec in getattr(template, family).items():
            if name not in names:
                raise GraphError(f"{name!r} is not a name in the expression", (family, name))
            size = int(np.prod(spec.shape or ()))
            if size > settings.max_tensor_elements:
                raise too_large(f"the number of elements of {name}", size, "max_tensor_elements",
                                settings.max_tensor_elements, (family, name, "shape"))
    for name in template.coefficients:
        if template.coefficients[name].shape:
            raise GraphError("a coefficient is one number, written into the expression; give it no shape",
                             ("coefficients", name, "shape"))


class _Substitution(ast.NodeTransformer):
    def __init__(self, numbers):
        self.numbers = numbers

    def visit_Name(self, node):
        if node.id not in self.numbers:
            return node
        number = self.numbers[node.id]
        literal = ast.Constant(int(number) if float(number).is_integer() else number)
        return ast.UnaryOp(ast.USub(), ast.Constant(-literal.value)) if literal.value < 0 else literal


def mlp_variant(template, seed, settings):
    """The concrete /v1/mlp request: inputs, targets and parameters drawn for the given architecture."""
    units = tuple(layer.units for layer in template.layers)
    limits.check_network(units, (template.examples, template.features), template.steps, None, settings)
    rng = np.random.default_rng(seed)
    m, n = template.examples, template.features
    units = [layer.units for layer in template.layers]
    inputs = draw(rng, template.inputs, (m, n))
    if template.loss == "cross_entropy":
        targets = rng.integers(0, units[-1], size=m).astype(np.float64).tolist()
    elif template.loss == "binary_cross_entropy":
        targets = rng.integers(0, 2, size=(m, units[-1])).astype(np.float64).tolist()
    else:
        targets = draw(rng, template.targets, (m, units[-1]))
    parameters = {}
    fans_in = [n] + units[:-1]
    for name, (u, fan_in) in zip(parameter_names(len(units)), [(u, f) for u, f in zip(units, fans_in) for _ in (0, 1)]):
        parameters[name] = draw(rng, template.parameters, (u, fan_in) if name.startswith("W") else (u,))
    request = {"layers": [layer.model_dump() for layer in template.layers], "loss": template.loss,
               "inputs": inputs, "targets": targets, "parameters": parameters}
    return request | template.model_dump(include={"steps", "learning_rate"}, exclude_none=True)


def generate(request, settings):
    """The concrete problem of a `GenerateRequest`, with its seed and the generator that drew it."""
    template = request.template
    if template.graph is not None:
        with located(("template", "graph")):
            problem = {"graph": expression_variant(template.graph, request.seed, settings)}
    else:
        with located(("template", "mlp")):
            problem = {"mlp": mlp_variant(template.mlp, request.seed, settings)}
    GradeProblem.model_validate(problem)
    return {"problem": problem, "seed": request.seed, "generator": generator()}
