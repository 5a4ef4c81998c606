// A student's variant of (a*x + b*y)**3, drawn from seed 4242, and its reference answer.
import { GradientClient } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

const integers = (low, high) => ({ low, high, integer: true });
const variant = await client.generateProblem({
  template: {
    graph: {
      expression: '(a*x + b*y)**3',
      coefficients: { a: integers(1, 5), b: integers(1, 5) },
      inputs: { x: integers(-2, 2), y: integers(-2, 2) },
    },
  },
  seed: 4242,
});
console.log('POST /v1/problems/generate (a*x + b*y)**3 with seed 4242');
console.log(JSON.stringify(variant));
console.log('POST /v1/graph the variant');
console.log(JSON.stringify(await client.graph(variant.problem.graph)));
