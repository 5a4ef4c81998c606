"""The vanishing- and exploding-gradient lesson made measurable: warnings from gradient norms and costs.

The gradient reaching W<1> is the gradient reaching W<L> multiplied, layer after layer, by each
layer's weights and activation derivatives (sigmoid' <= 1/4). So the ratio ||dJ/dW<1>|| / ||dJ/dW<L>||
(Frobenius norms) shows whether the first layer learns much slower or much faster than the last.
"""

VANISHING_RATIO = 1e-3
EXPLODING_RATIO = 1e3


def gradient_warnings(norms):
    """Warnings for the weight-gradient norms of layers 1..L at the given parameters."""
    first, last = norms[0], norms[-1]
    if len(norms) < 2 or last == 0 or first != first or last != last:
        return []
    ratio = first / last
    if ratio < VANISHING_RATIO:
        return [f"vanishing gradient: ||dJ/dW1|| / ||dJ/dW{len(norms)}|| = {ratio:.3g}, below {VANISHING_RATIO:g}: "
                "the first layer learns far more slowly than the last (saturating activations such as sigmoid "
                "or small weights multiply the gradient down layer by layer)"]
    if ratio > EXPLODING_RATIO:
        return [f"exploding gradient: ||dJ/dW1|| / ||dJ/dW{len(norms)}|| = {ratio:.3g}, above {EXPLODING_RATIO:g}: "
                "large weights multiply the gradient up layer by layer"]
    return []


def nonfinite_gradient_warnings(norms):
    layers = [f"W{layer}" for layer, norm in enumerate(norms, start=1) if not norm < float("inf")]
    return [f"the gradients of {', '.join(layers)} are not finite at the given parameters"] if layers else []


def divergence_warning(step, cost, layer):
    """The cost stopped being finite after `step` steps (0: at the given parameters); `layer` is the
    first layer whose pre-activation was not finite then, or None if they all were."""
    where = (f"layer {layer}'s pre-activation Z{layer} is the first that is not finite" if layer
             else "every pre-activation is finite, the loss itself overflowed")
    when = "at the given parameters" if step == 0 else f"after descent step {step}"
    advice = "" if step == 0 else ": the learning rate is probably too large"
    return f"the cost is not finite ({cost}) {when}; {where}{advice}"
