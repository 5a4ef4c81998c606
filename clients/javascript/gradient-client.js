// A client for the backpropagation service: one method per endpoint, Node 20+ and its built-in fetch.
// An answer other than 2xx is thrown as a ServiceProblem. Numbers that are not finite arrive as the
// strings "NaN", "Infinity" and "-Infinity", which Number() reads as they are.

export class ServiceProblem extends Error {
  // An RFC 9457 problem the service answered: `errors` lists {location, message} for a 422.
  constructor({ type = 'about:blank', title, status, detail, errors = null }) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'ServiceProblem';
    Object.assign(this, { type, title, status, detail, errors });
  }
}

export class GradientClient {
  constructor(baseUrl, { timeoutMs = 60_000 } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  // POST /v1/graph: {expression} or {nodes}, with inputs; a field left out takes the service's default.
  graph(request) {
    return this.#post('/v1/graph', request);
  }

  // POST /v1/mlp: {layers, loss, inputs, targets, ...}.
  mlp(request) {
    return this.#post('/v1/mlp', request);
  }

  // POST /v1/grade: {problem: {graph} or {mlp}, answers, tolerance, weights, reveal, format}.
  grade(request) {
    return this.#post('/v1/grade', request);
  }

  // POST /v1/grade/batch: {problem, submissions, ...}; with {csv: true} the answer is CSV text, one row per
  // submission and item.
  async gradeBatch(request, { csv = false } = {}) {
    if (!csv) return this.#post('/v1/grade/batch', request);
    return (await this.#send('/v1/grade/batch', this.#postInit(request, { Accept: 'text/csv' }))).text();
  }

  // POST /v1/problems/generate: {template, seed}.
  generateProblem(request) {
    return this.#post('/v1/problems/generate', request);
  }

  // POST /v1/graph/render: a /v1/graph body plus format (svg, png or dot); the picture as bytes (a Uint8Array).
  graphRender(request) {
    return this.#picture('/v1/graph/render', request);
  }

  // POST /v1/mlp/render: a /v1/mlp body plus format (svg, png or dot); the picture as bytes (a Uint8Array).
  mlpRender(request) {
    return this.#picture('/v1/mlp/render', request);
  }

  async healthz() {
    return (await this.#send('/healthz', { method: 'GET' })).json();
  }

  async readyz() {
    return (await this.#send('/readyz', { method: 'GET' })).json();
  }

  // Prometheus metrics, as text.
  async metrics() {
    return (await this.#send('/metrics', { method: 'GET' })).text();
  }

  // The contract, openapi.yaml, as text.
  async openapi() {
    return (await this.#send('/openapi.yaml', { method: 'GET' })).text();
  }

  async #post(path, request) {
    return (await this.#send(path, this.#postInit(request))).json();
  }

  async #picture(path, request) {
    return new Uint8Array(await (await this.#send(path, this.#postInit(request))).arrayBuffer());
  }

  #postInit(request, headers = {}) {
    return { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(request) };
  }

  async #send(path, init) {
    const response = await fetch(this.baseUrl + path, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    if (response.ok) return response;
    const text = await response.text();
    let problem = {};
    try {
      problem = JSON.parse(text);
    } catch {
      // not from the service itself: a proxy's error page, say
    }
    if (problem === null || typeof problem !== 'object' || Array.isArray(problem)) problem = {};
    throw new ServiceProblem({
      status: response.status, title: response.statusText, detail: text.slice(0, 500), ...problem,
    });
  }
}
