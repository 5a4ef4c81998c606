// The worked example's computational graph drawn as SVG and PNG, a one-unit network's as DOT text, and a
// picture format the service does not draw.
import { createHash } from 'node:crypto';
import { GradientClient, ServiceProblem } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');
const described = (bytes) => `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`;
const text = (bytes) => new TextDecoder().decode(bytes);

const worked = { expression: '(3*x + 4*y)**3', inputs: { x: 1, y: 2 } };
const svg = await client.graphRender({ ...worked, format: 'svg' });
console.log('POST /v1/graph/render (3*x + 4*y)**3 at x = 1, y = 2, as SVG');
console.log(`${described(svg)}, contains 1331: ${text(svg).includes('1331')}`);
console.log('POST /v1/graph/render the same, as PNG');
console.log(described(await client.graphRender({ ...worked, format: 'png' })));

const dot = await client.mlpRender({
  layers: [{ units: 1, activation: 'linear' }],
  loss: 'mse',
  inputs: [[1, 2]],
  targets: [[1]],
  parameters: { W1: [[0.5, -0.25]], b1: [0.1] },
  format: 'dot',
});
console.log('POST /v1/mlp/render one linear unit at x = (1, 2), target 1, as DOT');
console.log(`${described(dot)}, contains the cost 0.81: ${text(dot).includes('value 0.81')}`);

try {
  await client.graphRender({ ...worked, format: 'gif' });
} catch (error) {
  if (!(error instanceof ServiceProblem)) throw error;
  const { type, title, status, detail, errors } = error;
  console.log(`POST /v1/graph/render as GIF: ${status} ${title}`);
  console.log(JSON.stringify({ type, title, status, detail, errors }));
}
