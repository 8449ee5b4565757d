/**
 * Request generation for the contract fuzz test: fast-check arbitraries built from the OpenAPI
 * document (JSON Schema 2020-12 as zod writes it) — valid values, boundary values, and hostile
 * ones (wrong types, huge and control-character strings, unknown fields, bad UUIDs, broken JSON).
 */
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export interface Operation {
  method: string;
  /** OpenAPI path under the server URL: '/suggestions/{id}'. */
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  statuses: number[];
  secured: boolean;
}

/** The strings a hostile client sends: control characters, NUL, lone surrogates, markup, SQL, huge. */
export const hostileStrings = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001f\u007f',
  '\ud800',
  '\u2028\u2029',
  '‮evil',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  ' ',
  '',
  '0',
  '-1',
  '1e309',
  'NaN',
  '９９',
  '汉字'.repeat(3000),
];
export const badUuids = [
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '123',
  '%2e%2e',
  'ffffffff-ffff-ffff-ffff-ffffffffffff-1',
  '0'.repeat(5000),
  '\u0000',
  '{}',
];

const hostileString = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'x'.repeat(n)),
);
const wrongType = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, [], {}, [null], { $gt: '' }),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

export class Generator {
  constructor(
    private components: Record<string, JsonSchema>,
    /** Real values to use for fields and parameters by name (ids that exist), mixed with random ones. */
    private pools: Record<string, string[]>,
  ) {}

  resolve(s: JsonSchema): JsonSchema {
    let out = s;
    for (let i = 0; out.$ref && i < 10; i++) out = this.components[out.$ref.split('/').pop()!] ?? {};
    return out;
  }

  /** A value the schema accepts (or, for patterns and formats, very nearly). */
  valid(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum) return fc.constantFrom(...s.enum);
    const variants = s.oneOf ?? s.anyOf;
    if (variants) return fc.oneof(...variants.map((v) => this.valid(v, name, depth + 1)));
    if (s.allOf) return this.valid(s.allOf[0]!, name, depth + 1);
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['string'];
    const nonNull = types.filter((t) => t !== 'null');
    const base = this.validOfType(s, nonNull[0] ?? 'null', name, depth);
    return types.includes('null') ? fc.oneof({ weight: 4, arbitrary: base }, fc.constant(null)) : base;
  }

  private validOfType(s: JsonSchema, type: string, name: string, depth: number): fc.Arbitrary<unknown> {
    switch (type) {
      case 'string':
        return this.validString(s, name);
      case 'integer':
      case 'number': {
        const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
        const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000);
        const lo = Math.ceil(Math.max(min, -1e9));
        const hi = Math.floor(Math.min(max, 1e9));
        return fc.oneof(fc.constantFrom(lo, hi), fc.integer({ min: lo, max: Math.max(lo, hi) }));
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (depth > 4) return fc.constant([]);
        const minItems = s.minItems ?? 0;
        return fc.array(this.valid(s.items ?? {}, name, depth + 1), {
          minLength: minItems,
          maxLength: Math.min(s.maxItems ?? 3, minItems + 3),
        });
      }
      case 'object': {
        if (depth > 4) return fc.constant({});
        const props = s.properties ?? {};
        const required = new Set(s.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) record[k] = this.valid(v, k, depth + 1);
        return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
      }
      default:
        return fc.constant(null);
    }
  }

  private validString(s: JsonSchema, name: string): fc.Arbitrary<string> {
    const pool = this.pools[name];
    if (s.format === 'uuid') return pool?.length ? fc.oneof(fc.constantFrom(...pool), fc.uuid()) : fc.uuid();
    if (s.format === 'date')
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    if (s.format === 'email') return fc.emailAddress();
    if (s.format === 'uri') return fc.webUrl({ validSchemes: ['https'] });
    if (pool?.length) return fc.constantFrom(...pool);
    if (s.pattern)
      return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 1e6));
    const min = s.minLength ?? 0;
    const max = Math.min(s.maxLength ?? 40, 20_000);
    const text = fc.string({
      unit: fc.constantFrom(...'代表建议办理abcXYZ019 ,。-'),
      minLength: min,
      maxLength: Math.min(max, min + 40),
    });
    // Boundaries: exactly the longest allowed, and one over (which must be refused, not crash).
    return fc.oneof(
      { weight: 6, arbitrary: text },
      fc.constant('建'.repeat(max)),
      fc.constant('议'.repeat(max + 1)),
    );
  }

  /** A value that is wrong for the schema in some way. */
  hostile(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const props = s.properties;
    if (props && depth < 3) {
      const valid = this.valid(s, name, depth) as fc.Arbitrary<Record<string, unknown>>;
      const keys = Object.keys(props);
      return fc.oneof(
        // One field made hostile.
        keys.length
          ? fc
              .tuple(valid, fc.constantFrom(...keys))
              .chain(([v, k]) =>
                this.hostile(props[k]!, k, depth + 1).map((bad) => ({ ...(v ?? {}), [k]: bad })),
              )
          : valid,
        // A required field left out.
        (s.required ?? []).length
          ? fc.tuple(valid, fc.constantFrom(...(s.required ?? []))).map(([v, k]) => {
              const copy = { ...(v ?? {}) };
              delete copy[k];
              return copy;
            })
          : valid,
        // Unknown fields beside valid ones.
        fc
          .tuple(
            valid,
            fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'id', 'status', 'x'.repeat(300)),
            wrongType,
          )
          // A computed key makes even '__proto__' an own property, so it is sent.
          .map(([v, k, x]) => ({ [k]: x, ...(v ?? {}) })),
        wrongType,
      );
    }
    if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...badUuids), wrongType);
    return fc.oneof(hostileString, wrongType);
  }
}

/** The operations of the document, with their parameters, body schema and documented statuses. */
export function operationsOf(doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, raw] of Object.entries(ops)) {
      const op = raw as {
        parameters?: Operation['parameters'];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
        responses: Record<string, unknown>;
        security?: unknown[];
      };
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
        statuses: Object.keys(op.responses).map(Number),
        secured: (op.security ?? []).length > 0,
      });
    }
  return out;
}
