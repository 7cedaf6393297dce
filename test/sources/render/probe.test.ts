// The domain probe (BB007) re-runs stage 2 only, with the passdown's domain swapped: hosts built from
// the domain anywhere (chart values, the passdown's own helpers) follow it; literal ones stay and are
// reported. check starts two stage-1 renders (Istio on and off), not three.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkPackage } from '../../../src/analysis/check.js';
import { onCommand } from '../../../src/sources/render/helm.js';
import { passedDomains, PROBE_DOMAIN, swapDomains } from '../../../src/sources/render/probe.js';
import { prefetchBranches } from '../../../src/sources/index.js';
import { mutatedCopy } from '../../check/helpers.js';

test('the domain is swapped at label boundaries only, in every string of the values', () => {
  const swapped = swapDomains(
    { a: 'podinfo.bigbang.dev', b: ['https://keycloak.bigbang.dev/auth', 'notbigbang.dev'], c: { d: 'BIGBANG.DEV' }, n: 3 },
    ['bigbang.dev'],
    PROBE_DOMAIN,
  );
  assert.deepEqual(swapped, {
    a: `podinfo.${PROBE_DOMAIN}`,
    b: [`https://keycloak.${PROBE_DOMAIN}/auth`, 'notbigbang.dev'],
    c: { d: PROBE_DOMAIN },
    n: 3,
  });
  assert.deepEqual(passedDomains({ domain: 'bigbang.dev', hostname: 'apps.bigbang.dev' }), ['apps.bigbang.dev', 'bigbang.dev']);
  assert.deepEqual(passedDomains({ domain: '' }), []);
});

test('property: a host made of a label and the domain always follows it; a label that only ends like it never does', () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  fc.assert(
    fc.property(label, label, (sub, glued) => {
      const domains = ['bigbang.dev'];
      assert.equal(swapDomains(`${sub}.bigbang.dev`, domains, PROBE_DOMAIN), `${sub}.${PROBE_DOMAIN}`);
      assert.equal(swapDomains(`${glued}bigbang.dev`, domains, PROBE_DOMAIN), `${glued}bigbang.dev`);
    }),
  );
});

async function bb007(edits: Parameters<typeof mutatedCopy>[0]): Promise<{ hosts: string[]; stage1: number }> {
  const pkg = mutatedCopy(edits);
  const commands: string[] = [];
  onCommand((c) => commands.push(c));
  try {
    const r = await checkPackage(pkg.dir);
    const hosts = r.findings.filter((f) => f.code === 'BB007').map((f) => /host "([^"]+)"/.exec(f.message)?.[1] ?? '');
    return { hosts, stage1: commands.filter((c) => c.includes(' template bigbang-')).length };
  } finally {
    onCommand(undefined);
    pkg.cleanup();
  }
}

test('a host the passdown builds from the domain is not hard-coded; a literal one in the chart is; two stage-1 renders', async () => {
  // The passdown computes the host itself: the probe's swap reaches it as Helm would have.
  const built = await bb007([
    { file: 'bigbang/templates/podinfo/values.yaml', from: 'domain: {{', to: 'host: podinfo.{{ .Values.domain }}\ndomain: {{' },
    { file: 'chart/values.yaml', from: '    - podinfo.{{ .Values.domain }}', to: '    - "{{ .Values.host }}"' },
  ]);
  assert.deepEqual(built.hosts, []);
  assert.equal(built.stage1, 2, 'Istio on and off: the probe reuses stage 1');
  const literal = await bb007([{ file: 'chart/values.yaml', from: '    - podinfo.{{ .Values.domain }}', to: '    - podinfo.bigbang.dev' }]);
  assert.deepEqual(literal.hosts, ['podinfo.bigbang.dev']);
});

test('check <dir> as the CLI starts it (branches prefetched, the probe from stage 1) renders five times and finds the same', async () => {
  const edits = [{ file: 'chart/values.yaml', from: '    - podinfo.{{ .Values.domain }}', to: '    - podinfo.bigbang.dev' }];
  const plain = await bb007(edits);
  const pkg = mutatedCopy(edits);
  const commands: string[] = [];
  onCommand((c) => commands.push(c));
  try {
    await prefetchBranches(pkg.dir);
    const r = await checkPackage(pkg.dir);
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'BB007').map((f) => /host "([^"]+)"/.exec(f.message)?.[1]),
      plain.hosts,
    );
    assert.equal(commands.filter((c) => c.includes(' template bigbang-')).length, 2, 'stage 1: Istio on and off');
    assert.equal(commands.filter((c) => c.includes(' template podinfo-')).length, 3, 'stage 2: on, off and the probe, each once');
  } finally {
    onCommand(undefined);
    pkg.cleanup();
  }
});
