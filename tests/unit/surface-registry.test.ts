/**
 * Every server action and every route handler under app/ is in the registry
 * of tests/support/surface.ts (which the hostile-input test walks), and the
 * registry names nothing that no longer exists. Found by reading the source,
 * so a new action or route cannot be forgotten.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { actionModules, actions, routes } from "../support/surface";

const root = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx|js|jsx|mjs)$/.test(entry.name) ? [relative] : [];
  });
}

/** The names a module exports (declarations and `export { a as b }` lists). */
function exportedNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      names.push(...statement.exportClause.elements.map((e) => e.name.text));
      continue;
    }
    if (ts.isExportDeclaration(statement)) names.push("*");
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) names.push(...statement.declarationList.declarations.map((d) => d.name.getText(source)));
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.push(statement.name.text);
  }
  return names;
}

/** A "use server" directive at the top of the file (a module of actions). */
function isActionModule(source: ts.SourceFile): boolean {
  const first = source.statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === "use server";
}

function scan() {
  const found = { actions: [] as string[], routes: [] as string[], inlineServerFunctions: [] as string[] };
  for (const file of sourceFiles("app")) {
    const text = readFileSync(path.join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    if (isActionModule(source)) {
      found.actions.push(...exportedNames(source).map((name) => `${file}#${name}`));
    } else if (/["']use server["']/.test(text)) {
      found.inlineServerFunctions.push(file);
    }
    if (path.posix.basename(file).startsWith("route.")) {
      found.routes.push(...exportedNames(source).filter((name) => HTTP_METHODS.has(name)).map((name) => `${file}#${name}`));
    }
  }
  return found;
}

describe("the surface registry", () => {
  const found = scan();

  it("finds the actions and routes it should (the scan itself works)", () => {
    expect(found.actions).toContain("app/admin/resellers/money-actions.ts#addBalanceAction");
    expect(found.routes).toContain("app/api/auth/[...nextauth]/route.ts#POST");
    expect(found.routes).toContain("app/api/payments/stripe/webhook/route.ts#POST");
  });

  it("lists every server action (add a row to `actions` in tests/support/surface.ts)", () => {
    expect(found.actions.filter((name) => !(name in actions))).toEqual([]);
  });

  it("lists every route handler (add a row to `routes` in tests/support/surface.ts)", () => {
    expect(found.routes.filter((name) => !(name in routes))).toEqual([]);
  });

  it("lists nothing that is gone", () => {
    expect(Object.keys(actions).filter((name) => !found.actions.includes(name))).toEqual([]);
    expect(Object.keys(routes).filter((name) => !found.routes.includes(name))).toEqual([]);
  });

  it("loads every action file it lists (add a line to `actionModules`)", () => {
    const files = new Set(found.actions.map((name) => name.split("#")[0]!));
    expect([...files].filter((file) => !(file in actionModules)).sort()).toEqual([]);
    expect(Object.keys(actionModules).filter((file) => !files.has(file))).toEqual([]);
  });

  it("has no server function declared inside a page or component: actions live in \"use server\" files, where the registry sees them", () => {
    expect(found.inlineServerFunctions).toEqual([]);
  });
});
