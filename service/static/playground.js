// The playground: builds a request from the form, calls the public API, and shows the annotated
// graph, the gradients and the cost curve, or each problem next to the field it names.
"use strict";

const EXAMPLES = {
  linear: {mode: "graph", expression: "2*x + 4", inputs: {x: 5}, steps: 0, learning_rate: 0.01},
  cube: {mode: "graph", expression: "(3*x + 4*y)**3", inputs: {x: 1, y: 2}, steps: 0, learning_rate: 0.01},
  descent: {mode: "graph", expression: "(w - 3)**2", inputs: {w: 0}, trainable: "w", steps: 3, learning_rate: 0.25},
  network: {
    mode: "mlp",
    layers: [{units: 2, activation: "linear"}, {units: 1, activation: "linear"}],
    loss: "mse",
    inputs: [[1, 2]],
    targets: [[1]],
    parameters: {W1: [[0.1, 0.2], [0.3, 0.4]], b1: [0, 0], W2: [[0.5, 0.6]], b2: [0]},
    granularity: "scalar",
    steps: 0,
    learning_rate: 0.01,
  },
};

const $ = (selector, root = document) => root.querySelector(selector);

function mode() {
  return $('input[name="mode"]:checked').value;
}

function showMode() {
  $("#graph-fields").hidden = mode() !== "graph";
  $("#mlp-fields").hidden = mode() !== "mlp";
}

function fill(example) {
  $(`input[name="mode"][value="${example.mode}"]`).checked = true;
  showMode();
  if (example.mode === "graph") {
    $("#expression").value = example.expression;
    $("#graph-inputs").value = JSON.stringify(example.inputs);
    $("#trainable").value = example.trainable || "";
  } else {
    $("#layers").value = JSON.stringify(example.layers);
    $("#loss").value = example.loss;
    $("#mlp-inputs").value = JSON.stringify(example.inputs);
    $("#targets").value = JSON.stringify(example.targets);
    $("#parameters").value = JSON.stringify(example.parameters);
    $("#granularity").value = example.granularity;
  }
  $("#steps").value = example.steps;
  $("#learning_rate").value = example.learning_rate;
}

// A field the form could not turn into JSON: reported next to it, as the API would.
class FieldError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function json(id, field, required = true) {
  const text = $(`#${id}`).value.trim();
  if (!text && !required) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FieldError(field, `this is not JSON (${error.message})`);
  }
}

function number(id) {
  const text = $(`#${id}`).value.trim();
  return text === "" ? undefined : Number(text);
}

function requestBody() {
  const body = {};
  if (mode() === "graph") {
    body.expression = $("#expression").value;
    body.inputs = json("graph-inputs", "inputs");
    const trainable = $("#trainable").value.split(",").map((name) => name.trim()).filter(Boolean);
    if (trainable.length) body.trainable = trainable;
  } else {
    body.layers = json("layers", "layers");
    body.loss = $("#loss").value;
    body.inputs = json("mlp-inputs", "inputs");
    body.targets = json("targets", "targets");
    const parameters = json("parameters", "parameters", false);
    if (parameters !== undefined) body.parameters = parameters;
    body.graph = true;
    body.granularity = $("#granularity").value;
  }
  for (const field of ["steps", "learning_rate"]) {
    const value = number(field);
    if (value !== undefined) body[field] = value;
  }
  return body;
}

async function call(path, body, read) {
  const headers = {"Content-Type": "application/json"};
  const key = $("#api-key").value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(path, {method: "POST", headers, body: JSON.stringify(body)});
  } catch (error) {
    return {problem: {title: "No answer", detail: `the service could not be reached (${error.message})`}};
  }
  if (response.ok) return {answer: read === "json" ? await response.json() : await response.text()};
  try {
    return {problem: await response.json()};
  } catch {
    return {problem: {title: response.statusText, detail: `the service answered ${response.status}`}};
  }
}

function clearErrors() {
  for (const element of document.querySelectorAll(".error")) element.textContent = "";
  for (const element of document.querySelectorAll(".field.invalid")) element.classList.remove("invalid");
}

function fieldFor(location) {
  const name = location.split("/")[1]?.replaceAll("~1", "/").replaceAll("~0", "~");
  if (!name) return null;
  const fieldsets = [mode() === "graph" ? "#graph-fields" : "#mlp-fields", "#descent-fields"];
  for (const fieldset of fieldsets) {
    const field = $(`${fieldset} .field[data-field="${name}"]`);
    if (field) return field;
  }
  return null;
}

function showError(field, message) {
  field.classList.add("invalid");
  const error = $(".error", field);
  error.textContent = error.textContent ? `${error.textContent}; ${message}` : message;
}

// Each error of a problem goes next to the field its location names; the rest above the results.
function showProblem(problem) {
  const unplaced = [];
  for (const error of problem.errors || []) {
    const field = fieldFor(error.location);
    const deeper = error.location.split("/").length > 2 ? `at ${error.location}: ` : "";
    if (field) showError(field, deeper + error.message);
    else unplaced.push(error.message);
  }
  if (!problem.errors || unplaced.length) {
    $("#form-error").textContent = `${problem.title}: ${unplaced.length ? unplaced.join("; ") : problem.detail}`;
  }
}

function format(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return String(Number(value.toPrecision(6)));
  if (typeof value === "string") return value;
  const text = `[${value.map(format).join(", ")}]`;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function table(headings, rows) {
  const element = document.createElement("table");
  const head = element.createTHead().insertRow();
  for (const heading of headings) head.appendChild(document.createElement("th")).textContent = heading;
  const body = element.createTBody();
  for (const row of rows) {
    const line = body.insertRow();
    for (const cell of row) line.insertCell().textContent = cell;
  }
  return element;
}

function showGradients(answer) {
  const container = $("#gradients");
  if (mode() === "graph") {
    const caption = document.createElement("p");
    caption.textContent = `Cost J = ${format(answer.value)} (the output node ${answer.output})`;
    const rows = answer.nodes.map((node) => [node.id, node.op, format(node.value), format(node.gradient)]);
    container.replaceChildren(caption, table(["node", "operation", "value", "gradient dJ/d(node)"], rows));
  } else {
    const caption = document.createElement("p");
    caption.textContent = `Cost J = ${format(answer.cost)}`;
    const rows = Object.entries(answer.gradients).map(
      ([name, gradient]) => [name, format(answer.initial_parameters[name]), format(gradient)]);
    container.replaceChildren(caption, table(["parameter", "value", "gradient dJ/d(parameter)"], rows));
  }
}

function showSvg(container, text) {
  const picture = new DOMParser().parseFromString(text, "image/svg+xml");
  if (picture.querySelector("parsererror")) {
    container.textContent = "The picture could not be read.";
    return;
  }
  container.replaceChildren(document.importNode(picture.documentElement, true));
}

function showMessage(container, text) {
  const message = document.createElement("p");
  message.className = "hint";
  message.textContent = text;
  container.replaceChildren(message);
}

async function run(event) {
  event.preventDefault();
  clearErrors();
  let body;
  try {
    body = requestBody();
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    showError(fieldFor(`/${error.field}`), error.message);
    return;
  }
  const path = mode() === "graph" ? "/v1/graph" : "/v1/mlp";
  const descends = body.steps > 0;
  $("#run").disabled = true;
  showMessage($("#graph"), "Computing…");
  try {
    const computed = await call(path, descends ? {...body, cost_plot: true} : body, "json");
    if (computed.problem) {
      showProblem(computed.problem);
      showMessage($("#graph"), "No graph: the request has a problem (see the form).");
      $("#gradients").replaceChildren();
      $("#cost-section").hidden = true;
      return;
    }
    showGradients(computed.answer);
    $("#cost-section").hidden = !descends;
    if (descends) showSvg($("#cost-plot"), computed.answer.cost_plot);
    const drawn = await call(`${path}/render`, {...body, format: "svg"}, "text");
    if (drawn.problem) showMessage($("#graph"), `${drawn.problem.title}: ${drawn.problem.detail}`);
    else showSvg($("#graph"), drawn.answer);
  } finally {
    $("#run").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#form").addEventListener("submit", run);
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener("change", showMode);
  $("#example").addEventListener("change", (event) => {
    if (EXAMPLES[event.target.value]) fill(EXAMPLES[event.target.value]);
  });
  fill(EXAMPLES.cube);
});
