// A class graded against the worked example: ada is right, bob dropped a chain-rule factor, and cy's answer
// has the wrong shape, so it is not graded. As JSON, then as CSV (one row per submission and item).
import { GradientClient } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

const batch = {
  problem: { graph: { expression: '(3*x + 4*y)**3', inputs: { x: 1, y: 2 } } },
  submissions: [
    { id: 'ada', answers: { gradients: { x: 1089 } } },
    { id: 'bob', answers: { gradients: { x: 363 } } },
    { id: 'cy', answers: { gradients: { x: [1089, 0] } } },
  ],
};
console.log('POST /v1/grade/batch ada, bob and cy');
console.log(JSON.stringify(await client.gradeBatch(batch)));
console.log('POST /v1/grade/batch ada, bob and cy, as CSV');
console.log((await client.gradeBatch(batch, { csv: true })).trimEnd());
