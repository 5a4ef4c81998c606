"""Pictures of an answer: the computational graph annotated with values and gradients (DOT, laid out
by Graphviz) and the cost curve of a descent (matplotlib)."""
