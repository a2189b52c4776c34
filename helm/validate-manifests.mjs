// Validates every object of a rendered multi-document manifest against the Kubernetes schemas
// shipped by the kubernetes-models npm package, offline. Usage: node validate-manifests.mjs FILE...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const CRDS = {
  // No schema ships for Prometheus Operator CRDs: check the fields the operator needs.
  "monitoring.coreos.com/v1/ServiceMonitor": (o) => {
    const problems = [];
    if (!o.spec?.selector?.matchLabels) problems.push("spec.selector.matchLabels missing");
    if (!Array.isArray(o.spec?.endpoints) || o.spec.endpoints.length === 0) problems.push("spec.endpoints empty");
    for (const e of o.spec?.endpoints ?? []) if (!e.port || !e.path) problems.push("endpoint without port or path");
    if (problems.length) throw new Error(problems.join("; "));
  },
};

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const { apiVersion, kind } = object;
    const where = `${file}: ${apiVersion}/${kind} ${object.metadata?.name}`;
    try {
      const crd = CRDS[`${apiVersion}/${kind}`];
      if (crd) {
        crd(object);
      } else {
        const module = await import(`kubernetes-models/${apiVersion}`);
        const Model = module[kind];
        if (!Model) throw new Error(`no schema for kind ${kind}`);
        new Model(object).validate();
      }
      checked++;
    } catch (error) {
      console.error(`${where}: INVALID: ${error.message}`);
      failures++;
    }
  }
}
console.log(`validated ${checked} Kubernetes objects, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
