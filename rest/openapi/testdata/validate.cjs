// Validates OpenAPI documents with @apidevtools/swagger-parser, an
// independent implementation of the specification's schema and rules.
// Usage: NODE_PATH=<node_modules> node validate.cjs doc.json [doc.json ...]
// .ci/run installs the parser into a temporary directory and runs this on
// the documents TestWriteDocuments (rest/openapi) writes.
const SwaggerParser = require("@apidevtools/swagger-parser");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node validate.cjs doc.json [doc.json ...]");
    process.exit(2);
  }
  let failed = 0;
  for (const file of files) {
    try {
      const api = await SwaggerParser.validate(file);
      const ops = Object.values(api.paths || {}).reduce((n, item) => n + Object.keys(item).length, 0);
      console.log(`ok   ${file}: OpenAPI ${api.openapi}, ${ops} operations`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${file}: ${err.message}`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
}

main(process.argv.slice(2));
