import { dirname, relative } from 'node:path';
import ts from 'typescript';

/**
 * The types an entry's exports mention that the entry does not export itself: a user sees
 * them in hover and errors but cannot import them to annotate a variable. Walks the declared
 * types of every export (parameters, return types, properties, `extends`, type arguments; the
 * inferred type where none is written), and on through each type it reaches, with the
 * TypeScript checker, so a name is matched by symbol rather than by spelling.
 *
 * Only types of this project count (interfaces, type aliases, classes, enums under `sourceRoot`):
 * zod's or Node's are the user's to import from there. Values reached through `typeof` are not
 * types a user names, and private class members are not part of the surface.
 */
export function unexportedTypes(entryFiles: readonly string[], sourceRoot: string, tsconfig: string): Record<string, string[]> {
  const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfig));
  const program = ts.createProgram([...entryFiles], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const TYPE_FLAGS = ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

  const resolve = (symbol: ts.Symbol): ts.Symbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const isOurs = (symbol: ts.Symbol) =>
    (symbol.declarations ?? []).some((declaration) => !relative(sourceRoot, declaration.getSourceFile().fileName).startsWith('..'));

  const result: Record<string, string[]> = {};
  for (const file of entryFiles) {
    const sourceFile = program.getSourceFile(file);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) throw new Error(`${file} is not a module`);
    const exported = new Set(checker.getExportsOfModule(moduleSymbol).map(resolve));
    const missing = new Set<string>();
    const seen = new Set<ts.Symbol>();
    const queue = [...exported];

    const reach = (found: ts.Symbol | undefined) => {
      if (!found) return;
      const symbol = resolve(found);
      if (!(symbol.flags & TYPE_FLAGS) || !isOurs(symbol)) return;
      if (!exported.has(symbol)) missing.add(symbol.name);
      queue.push(symbol);
    };
    const reachType = (type: ts.Type, depth = 0) => {
      if (depth > 3) return;
      reach(type.aliasSymbol);
      for (const argument of type.aliasTypeArguments ?? []) reachType(argument, depth + 1);
      if (type.isUnionOrIntersection()) for (const part of type.types) reachType(part, depth + 1);
      const symbol = type.getSymbol();
      if (symbol && symbol.flags & TYPE_FLAGS) reach(symbol);
      if (type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
        for (const argument of checker.getTypeArguments(type as ts.TypeReference)) reachType(argument, depth + 1);
      }
    };
    const isPrivate = (node: ts.Node) =>
      (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword)) ||
      ((ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node)) && ts.isPrivateIdentifier(node.name));
    const walk = (node: ts.Node): void => {
      if (ts.isBlock(node) || isPrivate(node)) return;
      if (ts.isTypeReferenceNode(node)) reach(checker.getSymbolAtLocation(node.typeName));
      else if (ts.isExpressionWithTypeArguments(node)) reach(checker.getSymbolAtLocation(node.expression));
      if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) {
        // Only the declared type is the surface; an initializer is the implementation.
        if (node.type) walk(node.type);
        else reachType(checker.getTypeAtLocation(node.name));
        return;
      }
      if (ts.isFunctionLike(node) && !node.type && !ts.isConstructorDeclaration(node)) {
        const signature = checker.getSignatureFromDeclaration(node);
        if (signature) reachType(checker.getReturnTypeOfSignature(signature));
      }
      ts.forEachChild(node, walk);
    };

    while (queue.length > 0) {
      const symbol = queue.pop()!;
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      for (const declaration of symbol.declarations ?? []) {
        if (relative(sourceRoot, declaration.getSourceFile().fileName).startsWith('..')) continue;
        walk(declaration);
      }
    }
    result[file] = [...missing].sort();
  }
  return result;
}
