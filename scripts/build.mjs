// npm run build: the demo page, the browser bundles (element, engine), the server entry with type
// declarations, and custom-elements.json. Each step is a plain command so a failure names its tool.
import { execSync } from 'node:child_process';

const steps = [
  ['demo page', 'npx vite build'],
  // Filled in as the layers land: library bundles (vite.lib.config.ts), server + types (tsconfig.build.json),
  // custom-elements.json (the element issue).
];
for (const [name, command] of steps) {
  console.log(`build: ${name}`);
  execSync(command, { stdio: 'inherit' });
}
