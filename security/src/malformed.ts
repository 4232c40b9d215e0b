import fc from "fast-check";
import type { z } from "zod";

/** The JSON kind a field of a contract schema expects, seen through `.optional()` and defaults. */
const kindOf = (schema: z.ZodType): string => {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
  if ((def.type === "optional" || def.type === "default") && def.innerType) {
    return kindOf(def.innerType);
  }
  return def.type === "enum" ? "string" : def.type;
};

export const shapeOf = (schema: z.ZodType): Record<string, z.ZodType> => {
  const def = (
    schema as unknown as { def: { type: string; innerType?: z.ZodType; shape?: unknown } }
  ).def;
  if (def.type === "default" && def.innerType) return shapeOf(def.innerType);
  return (def.shape ?? {}) as Record<string, z.ZodType>;
};

const isOptional = (schema: z.ZodType) =>
  ["optional", "default"].includes((schema as unknown as { def: { type: string } }).def.type);

/** A value of every JSON kind, so one of another kind can be picked for any field. */
const byKind: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 40 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 5,
  }),
};

const wrongKindFor = (kind: string) =>
  fc.oneof(
    ...Object.entries(byKind)
      .filter(([k]) => k !== kind)
      .map(([, arb]) => arb),
  );

/** Strings an attacker or a broken client sends: empty, huge, control characters, odd unicode. */
const hostileString = fc.oneof(
  fc.constantFrom(
    "",
    "   ",
    "\u0000",
    "\ud800",
    "\udfff\ud800",
    "\u202e\u2066",
    "\ufeff",
    "../../../etc/passwd",
    "' OR 1=1 --",
    "${7*7}",
    "{{constructor.constructor('return process')()}}",
    "<script>alert(1)</script>",
    "%00%0d%0a",
    "null",
    "undefined",
    "NaN",
    "00000000-0000-0000-0000-00000000000g",
  ),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.integer({ min: 129, max: 30_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 20_001, max: 25_000 }).map((n) => "é".repeat(n)),
);

/** Numbers of the right kind that no seq, page size or capacity can be. */
const hostileNumber = fc.constantFrom(-1, -0.5, 1.5, 2 ** 53, -(2 ** 31), 1e308, Number.MIN_VALUE);

const hostileOfKind = (kind: string): fc.Arbitrary<unknown> =>
  kind === "string"
    ? hostileString
    : kind === "number"
      ? hostileNumber
      : kind === "boolean"
        ? fc.constantFrom("true", "false", 0, 1, "yes")
        : wrongKindFor(kind);

/** Arrays inside objects inside arrays, as deep as a parser might choke on. */
const nestedGarbage = fc.integer({ min: 10, max: 400 }).map((depth) => {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { deeper: value };
  return value;
});

/** Sets `__proto__` and `constructor` as own keys, the way JSON.parse on the server will. */
const withPollution = (payload: Record<string, unknown>) => {
  const polluted: Record<string, unknown> = { ...payload };
  Object.defineProperty(polluted, "__proto__", {
    value: { isAdmin: true, role: "admin", isFromSupport: true },
    enumerable: true,
  });
  polluted["constructor"] = { prototype: { isAdmin: true } };
  return polluted;
};

const without = (payload: Record<string, unknown>, field: string) => {
  const copy = { ...payload };
  delete copy[field];
  return copy;
};

/** Anything that is not an object at all. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 8 }),
);

/**
 * Payloads derived from a contract schema and one valid example of it: not an object, a
 * required field missing, a field of the wrong kind, a field of the right kind with a hostile
 * value, a field of deep garbage, plus prototype-pollution keys or hundreds of extra keys. Only
 * what the schema itself refuses is kept, and nothing larger than `maxBytes` once serialized.
 */
export const malformedFrom = (
  schema: z.ZodType,
  valid: Record<string, unknown>,
  maxBytes = 60_000,
): fc.Arbitrary<unknown> => {
  const shape = shapeOf(schema);
  const fields = Object.keys(shape);
  const required = fields.filter((f) => !isOptional(shape[f]!));
  const field = fc.constantFrom(...fields);
  const replaced = (value: (kind: string) => fc.Arbitrary<unknown>) =>
    field.chain((f) => value(kindOf(shape[f]!)).map((v) => ({ ...valid, [f]: v })));
  const broken = fc.oneof(
    { arbitrary: replaced(wrongKindFor), weight: 3 },
    { arbitrary: replaced(hostileOfKind), weight: 3 },
    { arbitrary: replaced(() => nestedGarbage), weight: 1 },
    ...(required.length > 0
      ? [{ arbitrary: fc.constantFrom(...required).map((f) => without(valid, f)), weight: 2 }]
      : []),
  );
  return fc
    .oneof(
      { arbitrary: notAnObject, weight: 1 },
      { arbitrary: broken, weight: 6 },
      { arbitrary: broken.map(withPollution), weight: 1 },
      {
        arbitrary: fc
          .tuple(
            broken,
            fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), {
              minKeys: 100,
              maxKeys: 400,
            }),
          )
          .map(([b, extra]) => ({ ...extra, ...(b as object) })),
        weight: 1,
      },
    )
    .filter((v) => !schema.safeParse(v).success)
    .filter((v) => (JSON.stringify(v) ?? "").length <= maxBytes);
};
