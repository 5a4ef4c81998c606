"""The expression language: canonical node ids, `^` as `**`, float64 numbers, and the whitelist."""

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.engine import GraphError, parse


def node_ids(expression):
    nodes, _ = parse(expression, max_depth=200)
    return [node["id"] for node in nodes]


def test_ids_are_the_subexpressions_a_student_draws():
    assert set(node_ids("(3*x + 4*y)**3")) == {"x", "y", "3", "4", "3 * x", "4 * y", "3 * x + 4 * y",
                                                "(3 * x + 4 * y) ** 3"}


def test_repeated_subexpressions_are_one_node():
    assert node_ids("exp(x) * exp(x) + x") == ["x", "exp(x)", "exp(x) * exp(x)", "exp(x) * exp(x) + x"]


@pytest.mark.parametrize("caret, power", [("x^2", "x**2"), ("2^3^2", "2**3**2"), ("-x^2", "-x**2"),
                                          ("(x+1)^2^-1", "(x+1)**2**-1"), ("x^y*2", "x**y*2")])
def test_caret_is_power_with_its_precedence_and_associativity(caret, power):
    assert parse(caret, 200) == parse(power, 200)


def test_numbers_are_float64_constants():
    nodes, output = parse("2**10**10**10", 200)
    assert output == "2 ** 10 ** 10 ** 10"
    assert all(type(node["value"]).__name__ == "float64" for node in nodes if node["op"] == "const")


@pytest.mark.parametrize("expression, says", [
    ("x.real", "not allowed"), ("__import__('os')", "not a function"), ("open('f')", "not a function"),
    ("(lambda: 1)()", "not a function"), ("x[0]", "not allowed"), ("x if y else 1", "not allowed"),
    ("'text'", "not allowed"), ("x < y", "not allowed"), ("x // 2", "not allowed"), ("x % 2", "not allowed"),
    ("not x", "not allowed"), ("True", "not allowed"), ("1j", "not allowed"), ("exp", "is a function"),
    ("exp(x, y)", "exactly one argument"), ("exp(x, axis=0)", "takes no argument 'axis'"),
    ("sum(x, axis=y)", "axis must be a whole number"), ("sum(*x)", "exactly one argument"),
    ("x +", "not a valid expression"), ("1e999", "too large"), ("[x, y]", "not allowed"),
])
def test_what_is_refused(expression, says):
    with pytest.raises(GraphError) as refusal:
        parse(expression, 200)
    assert says in refusal.value.message
    assert refusal.value.location == ("expression",)


@pytest.mark.parametrize("expression", ["(" * 1000 + "x" + ")" * 1000, "-" * 5000 + "x", "x" + "**x" * 5000,
                                        "exp(" * 300 + "x" + ")" * 300])
def test_too_deep_is_refused_not_a_crash(expression):
    with pytest.raises(GraphError, match="nested|deep"):
        parse(expression, 200)


def test_depth_limit_is_enforced_by_the_parser_itself():
    parse("-" * 40 + "x", 50)
    with pytest.raises(GraphError, match="more than 30 levels"):
        parse("-" * 40 + "x", 30)


def expressions():
    """Random expressions of the language, as source text with redundant parentheses and spacing."""
    leaves = st.sampled_from(["x", "y", "w1", "3", "0.5", "1e300", "2"])
    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "^", "@"]), inner).map(
            lambda t: f"{t[0]}{t[1]}{t[2]}")
        return st.one_of(binary, binary, binary, inner.map(lambda e: f"({e})"), inner.map(lambda e: f"-{e}"),
                         inner.map(lambda e: f"+{e}"), inner.map(lambda e: f"exp({e})"),
                         inner.map(lambda e: f"sum({e}, axis=-1)"))
    return st.recursive(leaves, extend, max_leaves=16)


def expected_ids(tree):
    """The unparsed text of every subexpression that is a node: not a function's name, not an axis,
    not a unary plus (which makes no node)."""
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    not_nodes = {id(call.func) for call in calls}
    not_nodes |= {id(part) for call in calls for keyword in call.keywords for part in ast.walk(keyword.value)}
    return {ast.unparse(node) for node in ast.walk(tree)
            if isinstance(node, ast.expr) and id(node) not in not_nodes
            and not (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd))}


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_ids_are_exactly_what_ast_unparse_writes(expression):
    nodes, output = parse(expression, max_depth=200)
    tree = ast.parse(expression.replace("^", "**"), mode="eval").body
    assert {node["id"] for node in nodes} == expected_ids(tree)
    if not (isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.UAdd)):
        assert output == ast.unparse(tree)


@pytest.mark.parametrize("expression", [
    "x**y**z", "(x**y)**z", "-x**2", "(-x)**2", "2**-x", "x-(y-z)", "(x-y)-z", "x/(y*z)", "x*y/z", "x@(y@z)",
    "-(-x)", "exp(x)**-2", "sum(-x, axis=-1)**2", "x^y^z*(w-+v)", "-(x+y)*z", "(x*y)**(z/w)", "1e300*-2.5",
])
def test_tricky_precedences_match_ast_unparse(expression):
    nodes, output = parse(expression, max_depth=200)
    tree = ast.parse(expression.replace("^", "**"), mode="eval").body
    assert {node["id"] for node in nodes} == expected_ids(tree)
    assert output == ast.unparse(tree)
