// The realistic corpus (corpus.ts, corpus-more.ts): every package is correct, so (a) it renders with Istio
// on and off, and off renders nothing Istio-specific; (b) `check` reports no warning or error, and only the
// infos listed for it; (c) `trace` gives the right verdict for every exposed host.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPackage } from '../../src/analysis/check.js';
import { asArray, asObject, at } from '../../src/manifest/json.js';
import type { Manifest } from '../../src/manifest/types.js';
import { renderPackage } from '../../src/sources/render/index.js';
import { PACKAGES } from './corpus.js';
import { MORE_PACKAGES } from './corpus-more.js';
import { FIXTURES } from './fixtures-dir.js';
import { assertTrace, showFindings } from './trace-case.js';

const ISTIO_GROUP = /(^|\.)istio\.io\//;
const isIstio = (m: Manifest) => ISTIO_GROUP.test(`${m.apiVersion}`);
const own = (ms: Manifest[]) => ms.filter((m) => m.origin.stage !== 'platform');

function dependsOnNames(ms: Manifest[], name: string): string[] {
  const hr = ms.find((m) => m.kind === 'HelmRelease' && m.name === name);
  assert.ok(hr, `HelmRelease ${name} is rendered`);
  return asArray(at(hr.obj, 'spec', 'dependsOn'))
    .map((d) => String(asObject(d).name))
    .sort();
}

function injectionLabel(ms: Manifest[], ns: string): string | null {
  const n = ms.find((m) => m.kind === 'Namespace' && m.name === ns);
  if (!n) return null;
  const v = n.obj.metadata?.labels?.['istio-injection'];
  return typeof v === 'string' ? v : 'none';
}

const ALL = [...PACKAGES, ...MORE_PACKAGES];

test('the corpus has at least 14 packages', () => {
  assert.ok(ALL.length >= 14, `${ALL.length} packages`);
});

for (const pkg of ALL) {
  const dir = join(FIXTURES, pkg.name);
  const name = pkg.pkg ?? pkg.ns;
  const injection = pkg.injection === undefined ? 'enabled' : pkg.injection;

  describe(pkg.name, () => {
    test('renders with Istio enabled: VirtualServices, Istio objects, injection, dependsOn', async () => {
      const r = await renderPackage(dir, { set: ['istio.enabled=true'] });
      const ms = own(r.manifests);
      assert.equal(r.packageName, name);
      assert.deepEqual(
        r.releases.map((x) => [x.releaseName, x.namespace]),
        [[`${pkg.ns}-${name}`, pkg.ns]],
      );
      const vs = ms.filter((m) => m.kind === 'VirtualService');
      assert.deepEqual(vs.map((m) => m.name).sort(), [...pkg.virtualServices].sort());
      for (const v of vs) {
        assert.equal(v.namespace, pkg.ns);
        for (const h of asArray(at(v.obj, 'spec', 'hosts'))) assert.match(String(h), /\.bigbang\.dev$/, `host of ${v.name}`);
        for (const g of asArray(at(v.obj, 'spec', 'gateways')))
          assert.doesNotMatch(String(g), /\/main$/, `gateway ${String(g)} of ${v.name} is the package default`);
      }
      const others = ms
        .filter((m) => isIstio(m) && m.kind !== 'VirtualService')
        .map((m) => `${m.kind}/${m.name}`)
        .sort();
      assert.deepEqual(others, [...pkg.istioObjects].sort());
      assert.equal(injectionLabel(ms, pkg.ns), injection);
      assert.deepEqual(dependsOnNames(ms, name), [...pkg.dependsOn.on].sort());
    });

    test('renders with Istio disabled: no Istio object, no injection, no dependsOn istio', async () => {
      const r = await renderPackage(dir, { set: ['istio.enabled=false'] });
      const ms = own(r.manifests);
      const istio = ms.filter(isIstio).map((m) => `${m.apiVersion} ${m.kind} ${m.namespace}/${m.name}`);
      assert.deepEqual(istio, [], `Istio objects rendered with istio.enabled=false:\n${istio.join('\n')}`);
      assert.notEqual(injectionLabel(ms, pkg.ns), 'enabled');
      assert.deepEqual(dependsOnNames(ms, name), [...pkg.dependsOn.off].sort());
      // The workloads (or the custom resources their operator runs) and Services are still there.
      assert.ok(ms.some((m) => m.origin.stage === 'package' && m.kind !== 'Secret'));
    });

    test(`check: no warning or error; infos: ${(pkg.infos ?? []).join(', ') || 'none'}`, async () => {
      const res = await checkPackage(dir);
      const show = showFindings(res.findings);
      assert.deepEqual(
        res.findings.filter((f) => f.severity !== 'info'),
        [],
        `false alarms on a correct package:\n${show}`,
      );
      assert.deepEqual(res.findings.map((f) => f.code).sort(), [...(pkg.infos ?? [])].sort(), `infos on a correct package:\n${show}`);
      assert.equal(res.exitCode, 0);
      assert.deepEqual(res.summary.renders, ['istio-enabled', 'istio-disabled']);
    });

    describe('trace', () => {
      for (const c of pkg.traces) {
        const title = `${c.url}${c.set ? ` [${c.set.join(' ')}]` : ''} -> ${c.status}${c.destinationPort ? ` via port ${c.destinationPort}` : ''}`;
        test(title, () => assertTrace(dir, c));
      }
    });
  });
}
