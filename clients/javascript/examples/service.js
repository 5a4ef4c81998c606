// Is the service up and ready, what has it counted, and which contract does it serve?
import { GradientClient } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

console.log('GET /healthz');
console.log(JSON.stringify(await client.healthz()));
console.log('GET /readyz');
console.log(JSON.stringify(await client.readyz()));
console.log('GET /metrics, its request counter:');
console.log((await client.metrics()).split('\n').find((line) => line.startsWith('# TYPE backprop_requests_total')));
console.log('GET /openapi.yaml, its first line:');
console.log((await client.openapi()).split('\n')[0]);
