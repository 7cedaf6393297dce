// `bbmesh check --format sarif`: SARIF 2.1.0 for GitHub/GitLab code scanning. A finding on a
// rendered object points at its template on disk (the region is the template line of the
// object's `kind:`, since rendered lines do not exist in the repository); a finding on a
// source file or an input file points at that file and line.
import type * as Sarif from 'sarif';
import type { CheckResult } from '../analysis/check.js';
import type { Finding, Rule, Severity } from '../analysis/rules/types.js';

const LEVEL: Record<Severity, Sarif.Result.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function ruleDescriptor(r: Rule): Sarif.ReportingDescriptor {
  const m = r.meta;
  return {
    id: m.code,
    name: m.title
      .replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))
      .replace(/^./, (ch) => ch.toUpperCase()),
    shortDescription: { text: m.title },
    fullDescription: { text: m.explanation },
    help: {
      text: `${m.explanation}\nSymptom: ${m.symptom}\nFix: ${m.hint}`,
      markdown: `${m.explanation}\n\n**Symptom:** ${m.symptom}\n\n**Fix:** ${m.hint}\n\nReads: ${m.reads.join(', ')}`,
    },
    helpUri: `https://bbmesh.dev/rules#${m.code.toLowerCase()}`,
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: [m.code.startsWith('BB') ? 'big-bang' : m.code.startsWith('K8S') ? 'kubernetes' : 'istio'],
      reads: m.reads,
      needsPackage: Boolean(m.needsPackage),
    },
  };
}

function location(f: Finding): Sarif.Location | undefined {
  const s = f.source;
  const logical: Sarif.LogicalLocation[] = [
    {
      name: f.object.name,
      kind: f.object.kind,
      fullyQualifiedName: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`,
    },
  ];
  if (!s) return { logicalLocations: logical };
  if (s.file === 'rendered') {
    if (!s.templatePath) return { logicalLocations: logical, message: { text: `rendered line ${s.line}:${s.column}` } };
    return {
      physicalLocation: {
        artifactLocation: { uri: s.templatePath, uriBaseId: '%SRCROOT%' },
        region: { startLine: s.templateLine ?? 1 },
      },
      logicalLocations: logical,
      message: {
        text: `${f.render === 'istio-disabled' ? 'render with Istio disabled' : 'render with Istio enabled'}, line ${s.line}:${s.column} of \`bbmesh render\``,
      },
    };
  }
  return {
    physicalLocation: { artifactLocation: { uri: s.file, uriBaseId: '%SRCROOT%' }, region: { startLine: s.line, startColumn: s.column } },
    logicalLocations: logical,
  };
}

export function checkToSarif(r: CheckResult, rules: Rule[], version: string): Sarif.Log {
  const index = new Map(rules.map((x, i) => [x.meta.code, i]));
  const results: Sarif.Result[] = r.findings.map((f) => {
    const loc = location(f);
    return {
      ruleId: f.code,
      ruleIndex: index.get(f.code),
      level: LEVEL[f.severity],
      message: { text: `${f.message}. Symptom: ${f.symptom}. Fix: ${f.hint}` },
      locations: loc ? [loc] : [],
      partialFingerprints: { bbmeshObject: `${f.code}/${f.object.kind}/${f.object.namespace}/${f.object.name}/${f.message}` },
      properties: {
        object: f.object,
        render: f.render ?? 'input',
        assumed: f.assumed,
        renderedLine: f.source?.file === 'rendered' ? f.source.line : undefined,
      },
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'bbmesh',
            version,
            semanticVersion: version,
            informationUri: 'https://bbmesh.dev',
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${process.cwd().replace(/\/?$/, '/')}` } },
        results,
        properties: { summary: r.summary, layout: r.layout },
      },
    ],
  };
}
