"""From a validated `MlpRequest` to its answer: check the network, train it, shape the response.

The `graph` view is the network built as a computational graph and answered by `graphs.answer`,
so its nodes are computed by the same engine, and come in the same format, as `POST /v1/graph`.
"""

from schemas.graph import GraphRequest
from schemas.mlp import Init
from service import graphs, limits, metrics
from service.codec import encode_tensor
from service.engine.init import initial_parameters
from service.engine.mlp import Network, check_inputs, check_network, check_parameters, prepare_targets, train
from service.engine.network_graph import OUTPUT, scalar_nodes, tensor_nodes
from service.problems import invalid
from service.render.cost_plot import cost_plot_svg


def answer(request, settings):
    network, parameters, targets, training = compute(request, settings)
    response = _response(training, parameters, request)
    if request.graph:
        response["graph"] = _graph(network, parameters, request.inputs, targets, request, settings)
    if request.cost_plot:
        response["cost_plot"] = cost_plot_svg(training.costs)
    return response


def compute(request, settings):
    """The checked network, its initial parameters, its targets and its `Training`, before anything is
    encoded for the wire (grading reads these arrays)."""
    network = Network(tuple(layer.units for layer in request.layers),
                      tuple(layer.activation for layer in request.layers), request.loss)
    check_network(network)
    check_inputs(request.inputs)
    inputs = request.inputs
    if request.batch_size is not None and request.batch_size > inputs.shape[0]:
        raise invalid([{"location": "/batch_size", "message": f"batch_size is {request.batch_size}, but inputs has "
                                                              f"only {inputs.shape[0]} examples"}])
    parameters = check_parameters(network, inputs, request.parameters) if request.parameters is not None else None
    targets = prepare_targets(network, inputs, request.targets)
    limits.check_steps(request.steps, settings)
    limits.check_network(network.units, inputs.shape, request.steps, request.batch_size, settings)
    if request.graph and request.granularity == "scalar":
        limits.check_scalar_graph(network.units, inputs.shape, settings)
    if parameters is None:
        init = request.init or Init()
        parameters = initial_parameters(network.units, inputs.shape[1], init.scheme, init.seed, init.std)
    update, update_settings = _optimizer(request.optimizer)
    with metrics.engine_time():
        training = train(network, parameters, inputs, targets, request.learning_rate, request.steps, update,
                         update_settings, request.batch_size, request.seed)
    return network, parameters, targets, training


def _optimizer(choice):
    return choice.name, choice.model_dump(exclude={"name"})


def _response(training, parameters, request):
    return {
        "cost": encode_tensor(training.cost),
        "predictions": encode_tensor(training.predictions),
        "gradients": _named(training.gradients),
        "input_gradients": encode_tensor(training.input_gradients),
        "initial_parameters": _named(parameters),
        "descent": {
            "steps": request.steps, "learning_rate": request.learning_rate,
            "costs": encode_tensor(training.costs),
            "parameters": _named(training.parameters),
            "gradients": _named(training.final_gradients),
        },
        "diagnostics": {
            "gradient_norms": {f"W{layer}": encode_tensor(norm)
                               for layer, norm in enumerate(training.gradient_norms, start=1)},
            "warnings": training.warnings,
        },
    }


def named_parameters(pairs):
    """[(W1, b1), (W2, b2), …] as {"W1": W1, "b1": b1, …}."""
    named = {}
    for layer, (weights, bias) in enumerate(pairs, start=1):
        named[f"W{layer}"], named[f"b{layer}"] = weights, bias
    return named


def _named(pairs):
    return {name: encode_tensor(tensor) for name, tensor in named_parameters(pairs).items()}


def _graph(network, parameters, inputs, targets, request, settings):
    nodes, values = tensor_nodes(network, parameters, inputs, targets)
    if request.granularity == "scalar":
        nodes, values = scalar_nodes(nodes, values)
    view = graphs.answer(GraphRequest.model_construct(nodes=nodes, output=OUTPUT, inputs=values, trainable=[],
                                                      trace=request.trace), settings)
    return {key: view[key] for key in ("output", "nodes", "edges") if key in view}
