"""The expression language: Python-like arithmetic parsed with `ast` and a whitelist, never `eval`.

Each distinct subexpression becomes one node whose id is its canonical source text (as
`ast.unparse` writes it), so `(3*x + 4*y)**3` yields the nodes a student draws: x, y, 3, 4, 3 * x,
4 * y, 3 * x + 4 * y and (3 * x + 4 * y) ** 3. `^` means `**` (students write x^2): the language has
no other use for it, so replacing it before parsing gives it the same precedence and associativity.
Numbers become float64 constants, so `2**10**10**10` overflows to Infinity at once instead of
making Python compute a giant integer.
"""

import ast

import numpy as np

from service.engine.errors import GraphError
from service.engine.graph import CONST, INPUT
from service.engine.ops import OPERATIONS

LOCATION = ("expression",)
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow", ast.MatMult: "matmul"}
FUNCTIONS = {name for name, op in OPERATIONS.items() if op.arity == 1}
# The precedences `ast.unparse` gives the operators of the language (CPython's ast._Precedence).
ARITH, TERM, FACTOR, POWER, ATOM = range(5)
PRECEDENCE = {ast.Add: ARITH, ast.Sub: ARITH, ast.Mult: TERM, ast.Div: TERM, ast.MatMult: TERM, ast.Pow: POWER}
SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@", ast.Pow: "**"}


def parse(expression, max_depth):
    """Node specifications (arguments first) for `Graph.from_nodes`, and the id of the output node."""
    tree = _syntax_tree(expression.replace("^", "**"))
    nodes, seen, node_ids, texts = [], set(), {}, {}
    stack = [(tree, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        if depth > max_depth:
            raise GraphError(f"the expression is nested more than {max_depth} levels deep", LOCATION)
        children = _operands(node)
        if not children_done and children:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in reversed(children))
            continue
        texts[id(node)] = _canonical_text(node, [texts[id(child)] for child in children])
        spec = _node_spec(node, texts[id(node)], [node_ids[id(child)] for child in children])
        node_ids[id(node)] = spec["id"]
        if spec["id"] not in seen and spec["op"] is not None:
            seen.add(spec["id"])
            nodes.append(spec)
    return nodes, node_ids[id(tree)]


def _syntax_tree(source):
    try:
        return ast.parse(source, mode="eval").body
    except SyntaxError as error:
        raise GraphError(f"not a valid expression: {error.msg} (column {error.offset})", LOCATION) from None
    except (RecursionError, MemoryError):
        raise GraphError("the expression is nested too deeply to parse", LOCATION) from None


def _operands(node):
    """The subexpressions a node is computed from; raises for anything outside the whitelist."""
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return [node.operand]
    if isinstance(node, ast.Call):
        return [_call_argument(node)]
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise GraphError(f"{node.id} is a function: call it as {node.id}(...)", LOCATION)
        return []
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return []
    raise GraphError(f"{_text(node)!r} is not allowed: an expression may use numbers, names, + - * / ** ^ @, "
                     f"parentheses and the functions {', '.join(sorted(FUNCTIONS))}", LOCATION)


def _call_argument(call):
    name = call.func.id if isinstance(call.func, ast.Name) else None
    if name not in FUNCTIONS:
        raise GraphError(f"{_text(call.func)!r} is not a function here; the functions are "
                         f"{', '.join(sorted(FUNCTIONS))}", LOCATION)
    if len(call.args) != 1 or isinstance(call.args[0], ast.Starred):
        raise GraphError(f"{name}() takes exactly one argument: {_text(call)!r}", LOCATION)
    allowed = {"axis"} if OPERATIONS[name].takes_axis else set()
    for keyword in call.keywords:
        if keyword.arg not in allowed:
            raise GraphError(f"{name}() takes no argument {keyword.arg or '**'!r}: {_text(call)!r}", LOCATION)
        if _axis(keyword.value) is None:
            raise GraphError(f"axis must be a whole number such as 0 or -1: {_text(call)!r}", LOCATION)
    return call.args[0]


def _axis(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _axis(node.operand)
        return None if inner is None else -inner
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


def _node_spec(node, node_id, argument_ids):
    """The specification of one node, given its id and its arguments' ids. Unary plus makes no node (op None)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return {"id": argument_ids[0], "op": None}
    if isinstance(node, ast.Name):
        return {"id": node_id, "op": INPUT}
    if isinstance(node, ast.Constant):
        return {"id": node_id, "op": CONST, "value": _number(node)}
    if isinstance(node, ast.BinOp):
        return {"id": node_id, "op": BINARY[type(node.op)], "args": argument_ids}
    if isinstance(node, ast.UnaryOp):
        return {"id": node_id, "op": "neg", "args": argument_ids}
    axis = next((_axis(k.value) for k in node.keywords), None)
    return {"id": node_id, "op": node.func.id, "args": argument_ids, "axis": axis}


def _canonical_text(node, operand_texts):
    """The text `ast.unparse` writes for a node, built from its operands' texts.

    Calling `ast.unparse` on every subexpression would cost time quadratic in the depth (and was
    most of the time of a small request); this follows the same precedence rules in constant time
    per node, and tests/test_expression.py checks it against `ast.unparse` on random expressions.
    """
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        return repr(node.value)
    if isinstance(node, ast.BinOp):
        own = PRECEDENCE[type(node.op)]
        left_needs, right_needs = (own + 1, own) if isinstance(node.op, ast.Pow) else (own, own + 1)
        return (f"{_parenthesised(operand_texts[0], node.left, left_needs)} {SYMBOLS[type(node.op)]} "
                f"{_parenthesised(operand_texts[1], node.right, right_needs)}")
    if isinstance(node, ast.UnaryOp):
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return sign + _parenthesised(operand_texts[0], node.operand, FACTOR)
    keywords = "".join(f", {keyword.arg}={ast.unparse(keyword.value)}" for keyword in node.keywords)
    return f"{node.func.id}({operand_texts[0]}{keywords})"


def _parenthesised(text, node, needed):
    return f"({text})" if _precedence(node) < needed else text


def _precedence(node):
    if isinstance(node, ast.BinOp):
        return PRECEDENCE[type(node.op)]
    return FACTOR if isinstance(node, ast.UnaryOp) else ATOM


def _number(node):
    try:
        value = np.float64(float(node.value))
    except OverflowError:
        value = np.float64(np.inf)
    if not np.isfinite(value):
        raise GraphError("a number in the expression is too large for float64 (it would be Infinity)", LOCATION)
    return value


def _text(node):
    return ast.unparse(node)
