import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/realistic. */
export const FIXTURES = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'test', 'fixtures', 'realistic');
