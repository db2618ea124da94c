/**
 * Grammar check of PromQL and LogQL expressions with the parsers Grafana's own query editors use
 * (`@prometheus-io/lezer-promql`, `@grafana/lezer-logql`). Lezer parsers recover from errors by
 * inserting error nodes (`⚠`) rather than failing, so a parse is valid only if the tree holds none.
 */
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import type { QueryKind } from './queries.js';
import { substituteVariables } from './template-variables.js';

/** One syntax error: position and the text around it. */
export interface GrammarError {
  /** Offset in the parsed (substituted) expression. */
  readonly from: number;
  /** The parsed expression around the error. */
  readonly near: string;
}

/** Result of {@link checkGrammar}. */
export interface GrammarResult {
  /** The expression after template-variable substitution, as parsed. */
  readonly parsed: string;
  /** Error nodes found; empty when the expression parses cleanly. */
  readonly errors: GrammarError[];
  /** Name of the top node under the root (e.g. `PromQL` → `AggregateExpr`), for diagnostics. */
  readonly topNode: string;
}

/** Parses `expr` (after substituting template variables) and collects every error node. */
export function checkGrammar(
  kind: QueryKind,
  expr: string,
  variables: Readonly<Record<string, string>> = {},
): GrammarResult {
  const parsed = substituteVariables(expr, variables);
  const tree = (kind === 'promql' ? promqlParser : logqlParser).parse(parsed);
  const errors: GrammarError[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push({ from: node.from, near: parsed.slice(Math.max(0, node.from - 15), node.to + 15) });
    },
  });
  const top = tree.topNode.firstChild;
  if (parsed.trim() === '') errors.push({ from: 0, near: '' });
  return { parsed, errors, topNode: top ? top.name : '' };
}
