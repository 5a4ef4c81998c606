// The README's worked example, z = (3x + 4y)^3 at x = 1, y = 2, graded: a student who answers dz/dy = 363
// stopped the chain rule at 4y (dz/d(4y) = 363) and dropped its factor 4. Then an answer for an input the
// problem does not have.
import { GradientClient, ServiceProblem } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

const problem = { graph: { expression: '(3*x + 4*y)**3', inputs: { x: 1, y: 2 } } };
const graded = await client.grade({ problem, answers: { value: 1331, gradients: { x: 1089, y: 363 } } });
console.log('POST /v1/grade value 1331, dz/dx 1089, dz/dy 363');
console.log(JSON.stringify(graded));
for (const item of graded.items.filter((item) => !item.correct)) console.log(`${item.name} is wrong: ${item.mistake}`);

try {
  await client.grade({ problem, answers: { gradients: { z: 1 } } });
} catch (error) {
  if (!(error instanceof ServiceProblem)) throw error;
  const { type, title, status, detail, errors } = error;
  console.log(`POST /v1/grade with an answer for z: ${status} ${title}`);
  console.log(JSON.stringify({ type, title, status, detail, errors }));
}
