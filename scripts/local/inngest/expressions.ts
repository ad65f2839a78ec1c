// A deliberately tiny subset of Inngest's CEL expressions: enough for trigger `if`s, the
// onFailure trigger the SDK generates, idempotency/concurrency keys and waitForEvent
// matches. Anything outside the subset fails to compile, so sync can report it.

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

type Node =
  | { kind: "literal"; value: unknown }
  | { kind: "path"; root: string; keys: string[] }
  | { kind: "not"; operand: Node }
  | { kind: "binary"; op: string; left: Node; right: Node };

export interface CompiledExpression {
  source: string;
  /** Throws MissingFieldError when a path does not exist (CEL would error too). */
  evaluate(vars: Record<string, unknown>): unknown;
}

class MissingFieldError extends Error {}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(==|!=|<=|>=|&&|\|\||[<>+!().])|([A-Za-z_][\w]*))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(source);
    if (!m) throw new ExpressionError(`unsupported syntax at "${source.slice(pos, pos + 12)}"`);
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? "");
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

/** Recursive descent over: || && (== != < > <= >=) + ! literals paths parentheses. */
function parse(tokens: string[], roots: readonly string[]): Node {
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new ExpressionError(`expected "${t}"`);
  };
  const binaryLevel = (ops: string[], inner: () => Node) => (): Node => {
    let left = inner();
    while (ops.includes(peek() ?? "")) {
      const op = next()!;
      left = { kind: "binary", op, left, right: inner() };
    }
    return left;
  };
  const primary = (): Node => {
    const t = next();
    if (t === undefined) throw new ExpressionError("unexpected end of expression");
    if (t === "(") {
      const inner = orExpr();
      expect(")");
      return inner;
    }
    if (t === "!") return { kind: "not", operand: primary() };
    if (/^\d/.test(t)) return { kind: "literal", value: Number(t) };
    if (t.startsWith("'") || t.startsWith('"')) return { kind: "literal", value: unquote(t) };
    if (t === "true" || t === "false") return { kind: "literal", value: t === "true" };
    if (t === "null") return { kind: "literal", value: null };
    if (/^[A-Za-z_]/.test(t)) {
      if (!roots.includes(t)) throw new ExpressionError(`unknown variable "${t}" (supported: ${roots.join(", ")})`);
      const keys: string[] = [];
      while (peek() === ".") {
        next();
        const key = next();
        if (!key || !/^[A-Za-z_]\w*$/.test(key)) throw new ExpressionError("expected a field name after '.'");
        keys.push(key);
      }
      return { kind: "path", root: t, keys };
    }
    throw new ExpressionError(`unexpected "${t}"`);
  };
  const addExpr = binaryLevel(["+"], primary);
  const cmpExpr = binaryLevel(["==", "!=", "<", ">", "<=", ">="], addExpr);
  const andExpr = binaryLevel(["&&"], cmpExpr);
  const orExpr: () => Node = binaryLevel(["||"], andExpr);
  const tree = orExpr();
  if (i !== tokens.length) throw new ExpressionError(`unexpected "${tokens[i]}"`);
  return tree;
}

function unquote(token: string): string {
  return token.slice(1, -1).replace(/\\(.)/g, "$1");
}

function evaluate(node: Node, vars: Record<string, unknown>): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "path": {
      let value: unknown = vars[node.root];
      for (const key of node.keys) {
        if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) {
          throw new MissingFieldError(`${node.root}.${node.keys.join(".")} is missing`);
        }
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    }
    case "not":
      return !truthy(evaluate(node.operand, vars));
    case "binary": {
      if (node.op === "&&") return truthy(evaluate(node.left, vars)) && truthy(evaluate(node.right, vars));
      if (node.op === "||") return truthy(evaluate(node.left, vars)) || truthy(evaluate(node.right, vars));
      const a = evaluate(node.left, vars);
      const b = evaluate(node.right, vars);
      switch (node.op) {
        case "+":
          return typeof a === "number" && typeof b === "number" ? a + b : keyString(a) + keyString(b);
        case "==":
          return equal(a, b);
        case "!=":
          return !equal(a, b);
        default:
          return compare(node.op, a, b);
      }
    }
  }
}

function truthy(value: unknown): boolean {
  return value === true;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (!((typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string"))) {
    return false;
  }
  if (op === "<") return a < b;
  if (op === ">") return a > b;
  if (op === "<=") return a <= b;
  return a >= b;
}

/** How a value becomes part of a key: strings as-is, everything else as JSON. */
export function keyString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

export function compileExpression(source: string, roots: readonly string[] = ["event"]): CompiledExpression {
  const tree = parse(tokenize(source), roots);
  return { source, evaluate: (vars) => evaluate(tree, vars) };
}

/** A condition: true only when the expression evaluates to true; a missing field is false. */
export function matches(expr: CompiledExpression, vars: Record<string, unknown>): boolean {
  try {
    return expr.evaluate(vars) === true;
  } catch (error) {
    if (error instanceof MissingFieldError) return false;
    throw error;
  }
}

/** A key: undefined when a field is missing, so callers can decide what "no key" means. */
export function evaluateKey(expr: CompiledExpression, vars: Record<string, unknown>): string | undefined {
  try {
    return keyString(expr.evaluate(vars));
  } catch (error) {
    if (error instanceof MissingFieldError) return undefined;
    throw error;
  }
}
