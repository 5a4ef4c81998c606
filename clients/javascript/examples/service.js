// Is the service up, and which contract does it serve?
import { GradientClient } from '../gradient-client.js';

const client = new GradientClient(process.env.GRADIENT_SERVICE_URL ?? 'http://localhost:8000');

console.log('GET /healthz');
console.log(JSON.stringify(await client.healthz()));
console.log('GET /openapi.yaml, its first line:');
console.log((await client.openapi()).split('\n')[0]);
