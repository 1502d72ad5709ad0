// Checks the server's OpenAPI document with a real validator (swagger-parser: the OpenAPI 3.0
// schema plus its semantic rules), and, given the server's route list, that the document and the
// server agree in both directions: every route served is documented, every documented operation
// is served. Path parameters are compared by position, not by name.
//   node check_openapi.js MODULES_DIR openapi.json [ROUTES_FILE]
'use strict';
const fs = require('fs');
const path = require('path');

const [modulesDir, documentPath, routesPath] = process.argv.slice(2);
if (!modulesDir || !documentPath) {
  console.error('usage: node check_openapi.js MODULES_DIR openapi.json [ROUTES_FILE]');
  process.exit(2);
}
let SwaggerParser;
try {
  SwaggerParser = require(path.join(modulesDir, 'node_modules', '@apidevtools', 'swagger-parser'));
} catch (error) {
  console.error(`swagger-parser is not installed under ${modulesDir} (configure installs it: ` +
                `re-run cmake --preset release, or scripts/setup.sh): ${error.message}`);
  process.exit(1);
}

const shape = (route) => route.replace(/\{[^}]+\}/g, '{}');

async function main() {
  const text = fs.readFileSync(documentPath, 'utf8');
  const api = await SwaggerParser.validate(JSON.parse(text));
  // swagger-parser checks an OpenAPI 3 document against the schema only; the rules the schema
  // cannot say are checked here: path parameters declared exactly, operation ids unique.
  const documented = new Set();
  const operationIds = new Set();
  const problems = [];
  for (const [route, item] of Object.entries(api.paths)) {
    const inRoute = [...route.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) continue;
      documented.add(`${method.toUpperCase()} ${shape(route)}`);
      const declared = [...(item.parameters || []), ...(operation.parameters || [])]
                         .filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort();
      if (JSON.stringify(declared) !== JSON.stringify(inRoute)) {
        problems.push(`${method.toUpperCase()} ${route}: path parameters [${declared}] do not match the path's [${inRoute}]`);
      }
      if (operationIds.has(operation.operationId)) problems.push(`operationId ${operation.operationId} is used twice`);
      operationIds.add(operation.operationId);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  console.log(`${documentPath}: valid OpenAPI ${api.openapi}, ${documented.size} operations`);
  if (!routesPath) return 0;

  const served = new Set(fs.readFileSync(routesPath, 'utf8').split('\n')
                           .map((line) => line.trim()).filter((line) => line.length > 0)
                           .map((line) => {
                             const [method, route] = line.split(/\s+/);
                             return `${method.toUpperCase()} ${shape(route)}`;
                           }));
  if (served.size === 0) {
    console.error(`${routesPath}: the server listed no routes`);
    return 1;
  }
  const undocumented = [...served].filter((route) => !documented.has(route));
  const unserved = [...documented].filter((route) => !served.has(route));
  for (const route of undocumented) console.error(`served but not in the document: ${route}`);
  for (const route of unserved) console.error(`in the document but not served: ${route}`);
  console.log(`${served.size} routes served, all ${undocumented.length === 0 ? '' : 'NOT '}documented`);
  return undocumented.length + unserved.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`${documentPath}: ${error.message}`);
  process.exit(1);
});
