// Writes the application.yml held by the rendered ConfigMap to OUT. Usage: node extract-application-yaml.mjs MANIFEST OUT
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseAllDocuments } from "yaml";

const [manifest, out] = process.argv.slice(2);
const configMaps = parseAllDocuments(readFileSync(manifest, "utf8"))
  .map((doc) => doc.toJS())
  .filter((o) => o?.kind === "ConfigMap" && o.data?.["application.yml"]);
if (configMaps.length !== 1) {
  console.error(`${manifest}: expected one ConfigMap with application.yml, found ${configMaps.length}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, configMaps[0].data["application.yml"]);
console.log(`wrote ${out}`);
