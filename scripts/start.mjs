// npm start: build what the demo needs (npm run build), then serve it with the upload handler.
// Settings come from the environment: PORT, HOST, UPLOAD_DIR, UPLOAD_TOKEN_SECRET, CORS_ORIGINS, S3_*.
import { execSync } from 'node:child_process';

try {
  execSync('npm run build --silent', { stdio: 'inherit' });
} catch {
  console.error('npm start: the build failed (see above); nothing was started.');
  process.exit(1);
}
const { main } = await import('../dist/cli/serve.js');
await main();
