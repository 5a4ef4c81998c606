// One linear unit, y = 0.5 x1 - 0.25 x2 + 0.1: its mean squared error at x = (1, 2), target 1, and a
// request with a loss the service does not know.
import { GradientClient, ServiceProblem } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

const network = {
  layers: [{ units: 1, activation: 'linear' }],
  loss: 'mse',
  inputs: [[1, 2]],
  targets: [[1]],
  parameters: { W1: [[0.5, -0.25]], b1: [0.1] },
};
console.log('POST /v1/mlp one linear unit at x = (1, 2), target 1');
console.log(JSON.stringify(await client.mlp(network)));

try {
  await client.mlp({ ...network, loss: 'hinge' });
} catch (error) {
  if (!(error instanceof ServiceProblem)) throw error;
  const { type, title, status, detail, errors } = error;
  console.log(`POST /v1/mlp with loss hinge: ${status} ${title}`);
  console.log(JSON.stringify({ type, title, status, detail, errors }));
}
