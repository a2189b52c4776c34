// Checks the rendered Grafana dashboard ConfigMap: labelled for Grafana's sidecar, holding exactly
// the chart's dashboard JSON, every panel with a PromQL query. (Which metrics those queries name is
// checked against a real scrape by GrafanaDashboardTests.)
// Usage: node check-grafana-dashboard.mjs RENDERED_CONFIGMAP DASHBOARD_JSON
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";

const [rendered, source] = process.argv.slice(2);
const fail = (message) => {
  console.error(`${rendered}: ${message}`);
  process.exit(1);
};
const dashboard = JSON.parse(readFileSync(source, "utf8"));
const objects = parseAllDocuments(readFileSync(rendered, "utf8")).map((d) => d.toJS()).filter(Boolean);
if (objects.length !== 1 || objects[0].kind !== "ConfigMap") fail("expected one ConfigMap");
const configMap = objects[0];
if (configMap.metadata?.labels?.grafana_dashboard !== "1") fail('missing label grafana_dashboard: "1"');
const held = configMap.data?.["affinity-gateway.json"];
if (!held) fail("no affinity-gateway.json in data");
if (!isDeepStrictEqual(JSON.parse(held), dashboard)) fail(`its JSON differs from ${source}`);
const panels = dashboard.panels.filter((p) => p.type !== "row");
for (const panel of panels) {
  if (!panel.targets?.length || panel.targets.some((t) => !t.expr?.trim())) fail(`panel "${panel.title}" has no query`);
}
console.log(`grafana dashboard OK: ${panels.length} panels, ConfigMap ${configMap.metadata.name}`);
