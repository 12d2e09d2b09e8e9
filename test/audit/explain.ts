import type { Prisma } from '#libs/database';

/** What EXPLAIN (ANALYZE, BUFFERS) says of one run of a query, summed over its plan's nodes. */
export interface PlanFacts {
  /** Every node as "Node Type on relation (index)", for failure messages. */
  nodes: string[];
  /** Rows an index or table scan read and then threw away. */
  removed: number;
  /** Index and heap pages of `invoice` the scans touched: a walk over a lane's history shows here. */
  invoiceBlocks: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

type Run = (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export async function explain(run: Run, sql: Prisma.Sql): Promise<PlanFacts> {
  const { rows } = await run(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`, sql.values);
  const [{ Plan: root }] = rows[0]!['QUERY PLAN'] as [{ Plan: PlanNode }];
  const facts: PlanFacts = { nodes: [], removed: 0, invoiceBlocks: 0 };
  const visit = (node: PlanNode) => {
    const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
    facts.nodes.push(`${node['Node Type']}${on}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`);
    facts.removed += node['Rows Removed by Filter'] ?? 0;
    // A scan's buffers include its children's; only leaves and bitmap heap scans name the relation.
    if (node['Relation Name'] === 'invoice') {
      facts.invoiceBlocks += (node['Shared Hit Blocks'] ?? 0) + (node['Shared Read Blocks'] ?? 0);
    }
    node.Plans?.forEach(visit);
  };
  visit(root);
  return facts;
}
