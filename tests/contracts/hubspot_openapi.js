// An OpenAPI 3.0 description of HubSpot's API, rebuilt from the generated code that npm
// @hubspot/api-client ships (lib/codegen/**: request factories in apis/*.js, models in
// models/*.js + *.d.ts): the package ships no OpenAPI JSON itself, but its code is
// OpenAPI-generator output of HubSpot's own descriptions. The HubSpot contract tests judge
// requests by it. An operation two areas or API classes both declare (the email statistics
// histogram in BasicApi and StatisticsApi) is one operation with the parameters of both.
// Usage: node hubspot_openapi.js <node_modules dir> > openapi.json
const fs = require('fs');
const path = require('path');

const root = path.join(path.resolve(process.argv[2] || 'node_modules'), '@hubspot/api-client/lib/codegen');
const spec = { openapi: '3.0.3', info: { title: 'HubSpot (from @hubspot/api-client codegen)', version: require(path.join(root, '../../package.json')).version }, paths: {}, components: { schemas: {} } };
let merged = 0;

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

// A codegen module: the directory holding apis/ and models/ (e.g. crm/objects, marketing/emails).
const modules = walk(root).filter((f) => /\/apis\/[A-Za-z]+Api\.js$/.test(f)).map((f) => path.dirname(path.dirname(f)));
const uniqueModules = [...new Set(modules)];
const ref = (mod, model) => ({ $ref: `#/components/schemas/${mod.replace(/[^A-Za-z0-9]+/g, '_')}__${model}` });

// The top-level members of a union type (`string | null`), not splitting inside `<>` or `{}`.
function unionMembers(type) {
  const members = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    if ('<{('.includes(type[i])) depth++;
    else if ('>})'.includes(type[i])) depth--;
    else if (type[i] === '|' && depth === 0) {
      members.push(type.slice(start, i));
      start = i + 1;
    }
  }
  members.push(type.slice(start));
  return members.map((member) => member.trim());
}

function typeSchema(mod, type, format, enums) {
  type = type.trim();
  let m;
  const members = unionMembers(type);
  if (members.length > 1 && !members.every((member) => /^'.*'$/.test(member))) {
    return { anyOf: members.map((member) => (member === 'null' ? { type: 'null' } : typeSchema(mod, member, format, enums))) };
  }
  if ((m = /^Array<(.+)>$/.exec(type))) return { type: 'array', items: typeSchema(mod, m[1], format, enums) };
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: 'object', additionalProperties: typeSchema(mod, m[1], format, enums) };
  if (/^'.*'$/.test(type)) return { type: 'string', enum: type.split('|').map((s) => s.trim().replace(/^'|'$/g, '')) };
  switch (type) {
    case 'string': return format === 'date-time' ? { type: 'string', format: 'date-time' } : { type: 'string' };
    case 'Date': return { type: 'string', format: 'date-time' };
    case 'number': return format === 'int32' || format === 'int64' ? { type: 'integer' } : { type: 'number' };
    case 'boolean': return { type: 'boolean' };
    case 'any': case 'object': return {};
    // The generator renames a model named `Error` (every area's error body).
    case 'Error': return ref(mod, 'ModelError');
  }
  if (enums[type]) return { type: 'string', enum: enums[type] };
  return ref(mod, type);
}

for (const mod of uniqueModules) {
  const rel = path.relative(root, mod);
  // Models: attributeTypeMap (names, types), the .d.ts (which are optional), enums.
  const modelsDir = path.join(mod, 'models');
  const enums = {};
  const models = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).filter((f) => f.endsWith('.js') && !['all.js', 'ObjectSerializer.js'].includes(f)) : [];
  for (const file of models) {
    const exported = require(path.join(modelsDir, file));
    for (const [name, value] of Object.entries(exported)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) enums[name] = Object.values(value);
    }
  }
  for (const file of models) {
    const exported = require(path.join(modelsDir, file));
    const name = file.replace(/\.js$/, '');
    const cls = exported[name];
    if (!cls || !cls.attributeTypeMap) continue;
    const dts = fs.readFileSync(path.join(modelsDir, `${name}.d.ts`), 'utf8');
    // The .d.ts names properties as TypeScript does (`hubId`); the wire name is `baseName`.
    const wire = Object.fromEntries(cls.attributeTypeMap.map((attr) => [attr.name, attr.baseName]));
    const required = [...dts.matchAll(/^\s+'([^']+)': /gm)].map((x) => wire[x[1]] || x[1]);
    const properties = {};
    for (const attr of cls.attributeTypeMap) properties[attr.baseName] = typeSchema(rel, attr.type, attr.format, enums);
    spec.components.schemas[ref(rel, name).$ref.split('/').pop()] = { type: 'object', properties, required: required.length ? required : undefined, additionalProperties: false };
  }
  // Request factories: one method per operation; response processors: what each answers.
  for (const file of fs.readdirSync(path.join(mod, 'apis')).filter((f) => /Api\.js$/.test(f))) {
    const source = fs.readFileSync(path.join(mod, 'apis', file), 'utf8');
    const answers = {};
    const processor = /class \w+ResponseProcessor[\s\S]*?\n}\n/.exec(source);
    for (const block of processor ? processor[0].split(/\n    (?=[A-Za-z0-9_]+WithHttpInfo\(response\) \{)/).slice(1) : []) {
      const name = /^([A-Za-z0-9_]+)WithHttpInfo\(/.exec(block)[1];
      const responses = {};
      for (const r of block.matchAll(/isCodeInRange\)\("(\d+)", response\.httpStatusCode\)\) \{\s*(?:const body = [^;]*?deserialize\([^;]*?, "([^"]+)", ""\))?/g)) {
        const status = r[1] === '0' ? 'default' : r[1];
        responses[status] = { description: status };
        if (r[2]) responses[status].content = { 'application/json': { schema: typeSchema(rel, r[2], '', {}) } };
      }
      answers[name] = responses;
    }
    const factory = /class \w+RequestFactory[\s\S]*?\n}\n/.exec(source);
    if (!factory) continue;
    for (const block of factory[0].split(/\n    (?=[A-Za-z0-9_]+\([^)]*_options\) \{)/).slice(1)) {
      const operationId = /^([A-Za-z0-9_]+)\(/.exec(block)[1];
      const route = /localVarPath = '([^']+)'/.exec(block);
      const verb = /HttpMethod\.([A-Z]+)/.exec(block);
      if (!route || !verb) continue;
      const required = new Set([...block.matchAll(/RequiredError\("\w+", "\w+", "(\w+)"\)/g)].map((x) => x[1]));
      const parameters = [...route[1].matchAll(/\{(\w+)\}/g)].map((x) => ({ name: x[1], in: 'path', required: true, schema: { type: 'string' } }));
      for (const q of block.matchAll(/setQueryParam\("(\w+)", ObjectSerializer_1\.ObjectSerializer\.serialize\((\w+), "([^"]*)", "([^"]*)"\)\)/g)) {
        parameters.push({ name: q[1], in: 'query', required: required.has(q[2]), schema: typeSchema(rel, q[3], q[4], {}) });
      }
      for (const q of block.matchAll(/serialize\((\w+), "(Array<[^"]*)", "([^"]*)"\);\s*for \(const serializedParam of serializedParams\) \{\s*requestContext\.appendQueryParam\("(\w+)"/g)) {
        parameters.push({ name: q[4], in: 'query', required: required.has(q[1]), explode: true, schema: typeSchema(rel, q[2], q[3], {}) });
      }
      const body = /stringify\(ObjectSerializer_1\.ObjectSerializer\.serialize\((\w+), "([^"]*)", "([^"]*)"\)/.exec(block);
      const operation = { operationId: `${rel}/${file.replace(/\.js$/, '')}.${operationId}`, parameters, responses: answers[operationId] || {} };
      if (body) operation.requestBody = { required: required.has(body[1]), content: { 'application/json': { schema: typeSchema(rel, body[2], body[3], {}) } } };
      const item = (spec.paths[route[1]] ||= {});
      const method = verb[1].toLowerCase();
      const known = item[method];
      if (!known) item[method] = operation;
      else {
        merged += 1;
        for (const parameter of operation.parameters) {
          if (!known.parameters.some((p) => p.name === parameter.name && p.in === parameter.in)) known.parameters.push(parameter);
        }
        known.requestBody ||= operation.requestBody;
      }
    }
  }
}
process.stderr.write(`${Object.keys(spec.paths).length} paths, ${Object.values(spec.paths).reduce((n, i) => n + Object.keys(i).length, 0)} operations, ${Object.keys(spec.components.schemas).length} schemas; ${merged} declarations of an operation already declared (parameters merged)\n`);
process.stdout.write(JSON.stringify(spec, null, 1));
