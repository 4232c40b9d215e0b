import * as ignoreModule from "@balena/dockerignore";
import type { Ignore } from "@balena/dockerignore";

/**
 * Docker's own .dockerignore matching. The package is CommonJS (`module.exports = factory`)
 * while its types declare an ES default export; under Node's ESM the factory is `default`.
 */
type Factory = (options?: { ignorecase?: boolean }) => Ignore;
export const dockerignore = (ignoreModule as unknown as { default: Factory }).default;
