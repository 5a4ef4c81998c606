// The README's worked example, z = (3x + 4y)^3 at x = 1, y = 2, and a request the service refuses.
import { GradientClient, ServiceProblem } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

const answer = await client.graph({ expression: '(3*x + 4*y)**3', inputs: { x: 1, y: 2 } });
console.log('POST /v1/graph (3*x + 4*y)**3 at x = 1, y = 2');
console.log(JSON.stringify(answer));

try {
  await client.graph({ expression: '(3*x + 4*y)**3', inputs: { x: 1 } });
} catch (error) {
  if (!(error instanceof ServiceProblem)) throw error;
  const { type, title, status, detail, errors } = error;
  console.log(`POST /v1/graph without a value for y: ${status} ${title}`);
  console.log(JSON.stringify({ type, title, status, detail, errors }));
}
