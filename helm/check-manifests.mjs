// Checks a rendered manifest for what the chart promises. Usage:
//   node check-manifests.mjs rbac MANIFEST none|namespaced:NS[,NS...]|cluster
//     the discovery RBAC objects exist exactly as expected, each granting exactly get/list/watch on
//     discovery.k8s.io endpointslices to the gateway's ServiceAccount, and the pod mounts the
//     API token exactly when discovery is on
//   node check-manifests.mjs services MANIFEST ID[,ID...]
//     the application.yml holds exactly these services: routes, static instances, affinity entries
//   node check-manifests.mjs checksum MANIFEST
//     prints the Deployment's checksum/secret annotation
import { readFileSync } from "node:fs";
import { parseAllDocuments, parse } from "yaml";

const [command, file, expected = ""] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
const fail = (message) => {
  console.error(`${file}: ${message}`);
  process.exit(1);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const deployment = objects.find((o) => o.kind === "Deployment");

if (command === "rbac") {
  const rbac = objects.filter((o) => o.apiVersion?.startsWith("rbac.authorization.k8s.io/"));
  const kinds = (k) => rbac.filter((o) => o.kind === k);
  const serviceAccount = deployment.spec.template.spec.serviceAccountName;
  const rules = [{ apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] }];
  const automount = deployment.spec.template.spec.automountServiceAccountToken;
  if (expected === "none") {
    if (rbac.length) fail(`expected no RBAC objects, found ${rbac.map((o) => o.kind).join(", ")}`);
    if (automount !== false) fail("the API token must not be mounted without Kubernetes discovery");
    console.log("rbac: none, token not mounted");
    process.exit(0);
  }
  if (automount !== true) fail("Kubernetes discovery needs the API token mounted");
  const [roleKind, bindingKind, namespaces] = expected === "cluster"
    ? ["ClusterRole", "ClusterRoleBinding", [undefined]]
    : ["Role", "RoleBinding", expected.replace(/^namespaced:/, "").split(",")];
  const others = rbac.filter((o) => o.kind !== roleKind && o.kind !== bindingKind);
  if (others.length) fail(`unexpected ${others.map((o) => o.kind).join(", ")}`);
  const roles = kinds(roleKind);
  const bindings = kinds(bindingKind);
  if (!same(roles.map((r) => r.metadata.namespace), namespaces)) {
    fail(`${roleKind}s in ${roles.map((r) => r.metadata.namespace)}, expected ${namespaces}`);
  }
  for (const role of roles) {
    if (!same(role.rules, rules)) fail(`${roleKind} ${role.metadata.name} grants ${JSON.stringify(role.rules)}`);
    const binding = bindings.find((b) => b.metadata.namespace === role.metadata.namespace);
    if (!binding) fail(`no ${bindingKind} beside ${roleKind} ${role.metadata.name}`);
    if (!same(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: role.metadata.name })) {
      fail(`${bindingKind} ${binding.metadata.name} refers to ${JSON.stringify(binding.roleRef)}`);
    }
    if (!same(binding.subjects.map((s) => [s.kind, s.name]), [["ServiceAccount", serviceAccount]])) {
      fail(`${bindingKind} ${binding.metadata.name} binds ${JSON.stringify(binding.subjects)}`);
    }
  }
  if (bindings.length !== roles.length) fail(`${bindings.length} ${bindingKind}s for ${roles.length} ${roleKind}s`);
  console.log(`rbac: ${roleKind} get/list/watch endpointslices in ${namespaces.map((n) => n ?? "all namespaces")}`);
} else if (command === "services") {
  const configMap = objects.find((o) => o.kind === "ConfigMap" && o.data?.["application.yml"]);
  const config = parse(configMap.data["application.yml"]);
  const ids = expected.split(",").sort();
  const routes = (config.spring?.cloud?.gateway?.server?.webflux?.routes ?? []).map((r) => r.id).sort();
  const instances = Object.keys(config.spring?.cloud?.discovery?.client?.simple?.instances ?? {}).sort();
  const affinity = Object.keys(config.affinity?.services ?? {}).sort();
  if (!same(routes, ids)) fail(`routes ${routes}, expected exactly ${ids}`);
  if (!same(instances, ids)) fail(`static instances for ${instances}, expected exactly ${ids}`);
  if (!same(affinity, ids)) fail(`affinity services ${affinity}, expected exactly ${ids}`);
  for (const id of ids) {
    const inherited = config.affinity.services[id]?.failover;
    if (inherited) fail(`affinity.services.${id}.failover = ${JSON.stringify(inherited)} was not in the user's values`);
  }
  console.log(`services: exactly ${ids}`);
} else if (command === "checksum") {
  console.log(deployment.spec.template.metadata.annotations["checksum/secret"]);
} else {
  fail(`unknown command ${command}`);
}
