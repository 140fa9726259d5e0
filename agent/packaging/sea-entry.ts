// Entry of the single executable: the normal CLI (esbuild bundles it with native.ts' shims).
import '../src/cli.js';
