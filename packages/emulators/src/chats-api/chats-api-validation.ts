import { RequestValidationError, type ValidationIssue } from './chats-api-errors.js';
import { parseUuid } from './chats-api-ids.js';

type Loc = Array<string | number>;

/** Rules of a `str` / `Optional[str]` field. */
export interface StringRule {
  /** Absent is an error (`missing`) rather than `null`. */
  required?: boolean;
  /** `null` is accepted (`Optional[str]`). */
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  /** A regex searched in the value, as pydantic's `pattern=` does. */
  pattern?: string;
  /** pydantic's `EmailStr`. */
  email?: boolean;
}

/** Rules of an integer query parameter (`Query(ge=…, le=…)`). */
export interface IntRule {
  default: number;
  ge?: number;
  le?: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Validates request parts the way FastAPI + pydantic v2 do: every problem is collected (not just the
 * first), each with pydantic's `type`, `loc`, `msg`, `input` and `ctx`, then {@link Validator.done}
 * throws them all as one {@link RequestValidationError}.
 */
export class Validator {
  readonly issues: ValidationIssue[] = [];

  private fail(
    type: string,
    loc: Loc,
    msg: string,
    input: unknown,
    ctx?: Record<string, unknown>,
  ): undefined {
    this.issues.push(ctx ? { type, loc, msg, input, ctx } : { type, loc, msg, input });
    return undefined;
  }

  /** A required value that is absent: pydantic reports the enclosing object (or `null`) as input. */
  missing(loc: Loc, parent: unknown = null): undefined {
    return this.fail('missing', loc, 'Field required', parent);
  }

  /** An integer query parameter (lax mode: the raw string must be a whole number). */
  int(loc: Loc, raw: string | undefined, rule: IntRule): number {
    if (raw === undefined) return rule.default;
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
      this.fail(
        'int_parsing',
        loc,
        'Input should be a valid integer, unable to parse string as an integer',
        raw,
      );
      return rule.default;
    }
    const value = Number.parseInt(raw, 10);
    if (rule.ge !== undefined && value < rule.ge) {
      this.fail('greater_than_equal', loc, `Input should be greater than or equal to ${rule.ge}`, raw, {
        ge: rule.ge,
      });
      return rule.default;
    }
    if (rule.le !== undefined && value > rule.le) {
      this.fail('less_than_equal', loc, `Input should be less than or equal to ${rule.le}`, raw, {
        le: rule.le,
      });
      return rule.default;
    }
    return value;
  }

  /** A `uuid.UUID` value; returns the canonical form, or `undefined` after recording the issue. */
  uuid(loc: Loc, raw: unknown): string | undefined {
    if (typeof raw !== 'string')
      return this.fail('uuid_type', loc, 'UUID input should be a string, bytes or UUID object', raw);
    const parsed = parseUuid(raw);
    if (parsed) return parsed;
    const bad = [...raw].findIndex((ch) => !/[0-9a-fA-F-]/.test(ch));
    const error =
      bad >= 0
        ? `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${raw[bad]}\` at ${bad + 1}`
        : `invalid length: expected length 32 for simple format, found ${raw.replaceAll('-', '').length}`;
    return this.fail('uuid_parsing', loc, `Input should be a valid UUID, ${error}`, raw, { error });
  }

  /** A `str` / `Optional[str]` field; `undefined` when absent (or invalid, after recording the issue). */
  string(loc: Loc, raw: unknown, rule: StringRule, parent: unknown = null): string | null | undefined {
    if (raw === undefined) return rule.required ? this.missing(loc, parent) : undefined;
    if (raw === null && rule.nullable) return null;
    if (typeof raw !== 'string') return this.fail('string_type', loc, 'Input should be a valid string', raw);
    const length = [...raw].length;
    if (rule.minLength !== undefined && length < rule.minLength)
      return this.fail(
        'string_too_short',
        loc,
        `String should have at least ${plural(rule.minLength, 'character')}`,
        raw,
        { min_length: rule.minLength },
      );
    if (rule.maxLength !== undefined && length > rule.maxLength)
      return this.fail(
        'string_too_long',
        loc,
        `String should have at most ${plural(rule.maxLength, 'character')}`,
        raw,
        {
          max_length: rule.maxLength,
        },
      );
    if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(raw))
      return this.fail('string_pattern_mismatch', loc, `String should match pattern '${rule.pattern}'`, raw, {
        pattern: rule.pattern,
      });
    if (rule.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw)) {
      const reason = raw.includes('@')
        ? 'The part after the @-sign is not valid. It should have a period.'
        : 'An email address must have an @-sign.';
      return this.fail('value_error', loc, `value is not a valid email address: ${reason}`, raw, { reason });
    }
    return raw;
  }

  /** A `List[uuid.UUID]` field. */
  uuidList(loc: Loc, raw: unknown, parent: unknown): string[] | undefined {
    if (raw === undefined) return this.missing(loc, parent);
    if (!Array.isArray(raw)) return this.fail('list_type', loc, 'Input should be a valid list', raw);
    const ids = raw.map((item, i) => this.uuid([...loc, i], item));
    return ids.every((id) => id !== undefined) ? (ids as string[]) : undefined;
  }

  /** A request body model: `undefined` body is `missing`, a non-object is `model_attributes_type`. */
  object(loc: Loc, raw: unknown): Record<string, unknown> | undefined {
    if (raw === undefined) return this.missing(loc);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return this.fail(
        'model_attributes_type',
        loc,
        'Input should be a valid dictionary or object to extract fields from',
        raw,
      );
    return raw as Record<string, unknown>;
  }

  /**
   * The JSON body of a route whose only input it is: when it is not an object, validation ends there
   * (pydantic does not look at the fields of something that is not a model).
   */
  body(raw: unknown): Record<string, unknown> {
    return this.object(['body'], raw) ?? this.abort();
  }

  /** Throws every collected issue as one {@link RequestValidationError}. */
  done(): void {
    if (this.issues.length > 0) this.abort();
  }

  private abort(): never {
    throw new RequestValidationError(this.issues);
  }
}

/**
 * Reads a JSON body as FastAPI does: empty → `undefined` (the body is "missing"); a JSON content type
 * that does not parse → 422 `json_invalid` at once; another content type → the raw text (which then
 * fails model validation).
 * @throws {RequestValidationError} on malformed JSON.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length === 0) return undefined;
  const contentType = request.headers.get('content-type');
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    throw new RequestValidationError([
      {
        type: 'json_invalid',
        loc: ['body', position],
        msg: 'JSON decode error',
        input: {},
        ctx: { error: error instanceof Error ? error.message : String(error) },
      },
    ]);
  }
}
