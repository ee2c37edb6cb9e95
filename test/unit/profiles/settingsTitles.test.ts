import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configurationSchema } from '../../../src/core/profiles/settingsSchema';

/**
 * The Settings editor words a setting's title from its key ("gpuContainers.gpus.refreshInterval" →
 * "Gpu Containers › Gpus: Refresh Interval") and drops the part of the key its section's `id` matches. Each
 * section's id is therefore the prefix of every key in it: under "GPU Containers › GPUs" the title reads
 * "Refresh Interval" (issue 28; scripts/run-ui-tests.mjs checks the rendered titles).
 */
void describe('Settings editor titles', () => {
  void it('every configuration section has an id that prefixes each of its keys', () => {
    const sections = configurationSchema as Array<{ id?: string; properties: Record<string, unknown> }>;
    for (const s of sections) {
      assert.ok(s.id, 'a section without an id keeps "Gpu Containers" in its titles');
      const root = s.id.split('.')[0];
      for (const key of Object.keys(s.properties)) {
        const rest = key.startsWith(`${s.id}.`) ? key.slice(s.id.length + 1) : key.slice(root.length + 1);
        assert.ok(key.startsWith(`${root}.`), `${key} is outside ${root}`);
        assert.ok(!rest.includes('.'), `${key} keeps a category under section ${s.id}: give it a section of its own`);
      }
    }
  });
});
