// Validates SARIF logs against the official SARIF 2.1.0 JSON schema (JSON Schema draft-04), which the
// @microsoft/jest-sarif package ships as lib/schemas/sarif-2.1.0-rtm.5.json (rtm.5 = the 2.1.0 release).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

let validate: ReturnType<Ajv['compile']> | undefined;

export function sarifSchemaErrors(log: unknown): string[] {
  if (!validate) {
    const schemaPath = path.join(process.env.ZFS_DIO_ROOT!, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only the `u` flag rejects.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
