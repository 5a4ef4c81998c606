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

  async healthz() {
    return (await this.#send('/healthz', { method: 'GET' })).json();
  }

  // The contract, openapi.yaml, as text.
  async openapi() {
    return (await this.#send('/openapi.yaml', { method: 'GET' })).text();
  }

  async #post(path, request) {
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) };
    return (await this.#send(path, init)).json();
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
