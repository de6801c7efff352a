/**
 * The one API contract (DESIGN.md "Process architecture"): every method's name with zod schemas for its params
 * and result. The worker implements it (core/app/handlers.ts, composed from each domain's handlers.ts); the renderer client, the preload bridge, the web
 * server and the CLI derive their types from it. This file imports only zod and core/model, so every
 * environment may use it.
 */
import { z } from 'zod';
import { EDGE_TYPES, NODE_TYPES } from '../model/graph.js';
import { ERROR_CODES } from '../model/errors.js';

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
/** What a person can do about an error (`details.remedy`), worded by each host in its own terms. */
export { REMEDY_KINDS, remedyOf, type Remedy } from '../model/remedy.js';

export const ProgressSchema = z.object({
  done: z.number(),
  total: z.number(),
  phase: z.string(),
  message: z.string(),
});

export const JobStateSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  progress: ProgressSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.unknown().optional(),
  error: ApiErrorSchema.optional(),
});
export type JobState = z.infer<typeof JobStateSchema>;

export const WorkspaceInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number(),
  channels: z.array(z.object({ name: z.string(), priority: z.number() })),
  counts: z.object({ sources: z.number(), records: z.number(), rows: z.number() }),
  /** Per action that needs records, why it cannot run on this workspace yet (null: it can); core/app/readiness.ts. */
  blocked: z.object({
    align: z.string().nullable(),
    detectGaps: z.string().nullable(),
    trainEncoder: z.string().nullable(),
  }),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

export const SourceSummarySchema = z.object({
  id: z.number(),
  channel: z.string(),
  kind: z.string(),
  format: z.string(),
  encoding: z.string(),
  file: z.string(),
  sha256: z.string(),
  importedAt: z.string(),
  rows: z.number(),
  records: z.number(),
  warnings: z.number(),
});
export type SourceSummary = z.infer<typeof SourceSummarySchema>;

/** A recoverable problem of one row of an imported file (`code` is its kind: core/model/record.ts WARNING_CODES). */
export const SourceWarningSchema = z.object({
  sourceId: z.number(),
  /** The source's file name. */
  file: z.string(),
  line: z.number(),
  field: z.string(),
  code: z.string(),
  message: z.string(),
});

export const FormatSchema = z.enum(['shopify', 'woocommerce', 'gmc', 'amazon', 'csv', 'jsonl']);
export type Format = z.infer<typeof FormatSchema>;
/** The formats a channel exports itself (previewed by name, written back as fix lists); csv and jsonl are generic. */
export const CHANNEL_FORMATS = [
  'shopify',
  'woocommerce',
  'gmc',
  'amazon',
] as const satisfies readonly Format[];
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];
/** A record's channel when the import names none (DESIGN.md "Record identity"): Google's feed is `google`. */
export const DEFAULT_CHANNEL_BY_FORMAT = {
  shopify: 'shopify',
  woocommerce: 'woocommerce',
  gmc: 'google',
  amazon: 'amazon',
  csv: 'csv',
  jsonl: 'jsonl',
} as const satisfies Record<Format, string>;
export const defaultChannelOf = (format: string): string =>
  DEFAULT_CHANNEL_BY_FORMAT[format as Format] ?? format;
/**
 * The Content-Security-Policy of every page, Electron's app protocol and the web server alike. Same-origin only: no
 * remote origins, no inline or evaluated script. Inline styles are allowed because React sets `style` attributes;
 * images may be data:/blob: (charts, thumbnails generated locally). `connect` adds sources (the web server's socket).
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connect].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export const SourceKindSchema = z.enum(['products', 'interactions', 'orders', 'reviews']);

/**
 * A later row whose record id the file already had (core/ingest/recordIds.ts): warn (the format's fallback identity,
 * else keep the first; one warning each), first / last (keep that one, quietly), error (refuse the file).
 */
export const OnDuplicateSchema = z.enum(['warn', 'first', 'last', 'error']);
export type OnDuplicate = z.infer<typeof OnDuplicateSchema>;
export type SourceKind = z.infer<typeof SourceKindSchema>;

/** A file the worker may read: an absolute path (Electron, CLI) or an upload id (web mode). */
export const FileRefSchema = z.union([
  z.object({ path: z.string().min(1) }),
  z.object({ uploadId: z.string().regex(/^[a-f0-9]{32}$/) }),
]);
export type FileRef = z.infer<typeof FileRefSchema>;

export const ImportPreviewSchema = z.object({
  file: z.string(),
  sizeBytes: z.number(),
  container: z.enum(['delimited', 'xml', 'jsonl']),
  encoding: z.string(),
  encodingConfidence: z.number(),
  format: z.string().nullable(),
  formatConfidence: z.number(),
  ranking: z.array(z.object({ format: z.string(), confidence: z.number() })),
  header: z.array(z.string()),
  /** First rows, as text cells (never markup). */
  rows: z.array(z.object({ line: z.number(), cells: z.array(z.string()) })),
  /** Present when the preview itself found the file unreadable. */
  error: ApiErrorSchema.optional(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ImportResultSchema = z.object({
  sourceId: z.number(),
  channel: z.string(),
  kind: z.string(),
  format: z.string(),
  formatConfidence: z.number(),
  encoding: z.string(),
  encodingConfidence: z.number(),
  file: z.string(),
  sha256: z.string(),
  rows: z.number(),
  records: z.number(),
  warnings: z.number(),
  /** Row warnings by kind (`concord warnings --kind`). */
  warningsByKind: z.record(z.string(), z.number()),
  /** Rows whose record id an earlier row of the file had (handled by `onDuplicate`). */
  duplicates: z.number(),
  replaced: z.array(z.number()),
  seconds: z.number(),
});

/** A channel record as the Matches page shows it: display fields and where it came from (file, line). */
export const RecordViewSchema = z.object({
  id: z.number(),
  channel: z.string(),
  recordId: z.string(),
  sourceId: z.number(),
  file: z.string(),
  line: z.number(),
  /** Display values by field: title, brand, gtin, mpn, sku, price, salePrice, availability, weight, category, image, … */
  fields: z.record(z.string(), z.string().nullable()),
});
export type RecordView = z.infer<typeof RecordViewSchema>;

export const MatchLabelSchema = z.enum(['match', 'no_match']);

export const PairViewSchema = z.object({
  a: RecordViewSchema,
  b: RecordViewSchema,
  /** Calibrated match probability from the current model. */
  probability: z.number(),
  label: MatchLabelSchema.nullable(),
  /** Fields whose values differ after normalization. */
  differing: z.array(z.string()),
  /** Gap detection found `b`'s channel missing the product, but this record close: review before calling it absent. */
  possible: z.boolean().optional(),
});
export type PairView = z.infer<typeof PairViewSchema>;

export const AlignSummarySchema = z.object({
  records: z.number(),
  clusters: z.number(),
  /** Records in a cluster with at least one other record. */
  matchedRecords: z.number(),
  threshold: z.number(),
  labels: z.number(),
  blocking: z.object({
    candidatePairs: z.number(),
    /** Kept pairs / all cross-channel pairs. */
    keptFraction: z.number(),
    /** Against ground truth, when the workspace has one. */
    recall: z.number().nullable(),
  }),
  model: z.object({ trainingPairs: z.number(), positives: z.number(), validF1: z.number().nullable() }),
  seconds: z.record(z.string(), z.number()),
  alignedAt: z.string(),
});
export type AlignSummary = z.infer<typeof AlignSummarySchema>;

/** Scored pairs of one source (validation pairs or hand labels) by threshold, for the threshold tool. */
export const ScoreCurveSchema = z.object({
  pairs: z.number(),
  matches: z.number(),
  /** Thresholds 0, 0.01, …, 1; precision null where no pair scores at or above the threshold. */
  points: z.array(
    z.object({
      threshold: z.number(),
      precision: z.number().nullable(),
      recall: z.number(),
      matchesAbove: z.number(),
      nonMatchesAbove: z.number(),
    }),
  ),
  histogram: z.array(
    z.object({ from: z.number(), to: z.number(), matches: z.number(), nonMatches: z.number() }),
  ),
});

export const ClusterSummarySchema = z.object({
  clusterId: z.string(),
  size: z.number(),
  channels: z.array(z.string()),
  title: z.string().nullable(),
  /** The golden record's variant options (`Size: M / Color: Heather Grey`): what tells look-alike clusters apart. */
  options: z.string().nullable(),
  /** Lowest match probability inside the cluster (1 for singletons). */
  confidence: z.number(),
});

export const GoldenValueSchema = z.object({
  value: z.string().nullable(),
  channel: z.string().nullable(),
  recordId: z.string().nullable(),
  /** The survivorship rule that chose it: priority | completeness | majority. */
  rule: z.string(),
});

// ---------------------------------------------------------------------------------------------------------------
// Consistency (DESIGN.md "Gaps"): the gap vocabulary, statuses, assortment rules, tolerances, completeness.

export const GAP_KINDS = [
  'missing_in_channel',
  'variant_missing',
  'price_mismatch',
  'sale_price_mismatch',
  'availability_mismatch',
  'title_mismatch',
  'category_mismatch',
  'weight_mismatch',
  'invalid_gtin',
  'missing_gtin',
  'missing_image',
] as const;
export const GapKindSchema = z.enum(GAP_KINDS);
export type GapKind = z.infer<typeof GapKindSchema>;

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * open: to fix; accepted: an intended difference (e.g. channel-specific pricing); ignored: not worth fixing;
 * fixed: gone since an earlier detection (after a re-import); excluded: an assortment rule explains the absence.
 */
export const GAP_STATUSES = ['open', 'accepted', 'ignored', 'fixed', 'excluded'] as const;
export const GapStatusSchema = z.enum(GAP_STATUSES);
export type GapStatus = z.infer<typeof GapStatusSchema>;
/** The statuses a user may set. */
export const UserGapStatusSchema = z.enum(['open', 'accepted', 'ignored']);

export const RecordRefSchema = z.object({ channel: z.string(), recordId: z.string() });
export type RecordRef = z.infer<typeof RecordRefSchema>;

/** One gap in DESIGN.md's gap JSON schema, plus its status (and the rule, for excluded absences). */
export const GapSchema = z.object({
  kind: GapKindSchema,
  channel: z.string(),
  recordId: z.string().nullable(),
  productId: z.string(),
  field: z.string().nullable(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  severity: SeveritySchema,
  presentIn: z.array(RecordRefSchema),
  status: GapStatusSchema,
  rule: z.string().nullable().optional(),
});
export type Gap = z.infer<typeof GapSchema>;

/** A gap as the Gaps page lists it: its row id, its cluster, and the product's title. */
export const GapRowSchema = GapSchema.extend({
  id: z.number(),
  clusterId: z.string(),
  title: z.string().nullable(),
});
export type GapRow = z.infer<typeof GapRowSchema>;

export const GapFilterSchema = z
  .object({
    channels: z.array(z.string()).optional(),
    kinds: z.array(GapKindSchema).optional(),
    severities: z.array(SeveritySchema).optional(),
    /** Default: every status but excluded and fixed. */
    statuses: z.array(GapStatusSchema).optional(),
    /** Text search over record id, product id, title, expected and actual values. */
    query: z.string().max(200).optional(),
    clusterId: z.string().optional(),
    /** Gaps of products with these quality grades. */
    grades: z.array(z.enum(['A', 'B', 'C', 'D', 'E'])).optional(),
  })
  .strict();
export type GapFilter = z.infer<typeof GapFilterSchema>;

export const GAP_SORT_COLUMNS = [
  'severity',
  'kind',
  'channel',
  'recordId',
  'productId',
  'title',
  'status',
] as const;
export const GapSortSchema = z
  .object({ column: z.enum(GAP_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) })
  .strict();

/** Relative tolerances in percent: differences within them are rounding drift, not gaps. */
export const TolerancesSchema = z
  .object({
    pricePct: z.number().min(0).max(100),
    salePricePct: z.number().min(0).max(100),
    weightPct: z.number().min(0).max(100),
  })
  .strict();
export type Tolerances = z.infer<typeof TolerancesSchema>;

/** The tests a rule's condition makes, and the normalized fields it may test (`tags` a list, `category` a path). */
export const RULE_OPS = ['equals', 'contains', 'startsWith', 'matches'] as const;
export const RULE_FIELDS = [
  'title',
  'brand',
  'gtin',
  'mpn',
  'sku',
  'status',
  'tags',
  'category',
  'availability',
  'condition',
  'recordId',
  'parentId',
] as const;

/** DESIGN.md "Assortment rules". */
export const AssortmentRuleSchema = z
  .object({
    name: z.string().min(1).max(200),
    when: z
      .object({
        channel: z.string().min(1),
        field: z.union([z.string().min(1), z.object({ column: z.string().min(1) }).strict()]),
        op: z.enum(RULE_OPS),
        value: z.string(),
      })
      .strict(),
    notExpectedIn: z.array(z.string().min(1)).min(1).optional(),
    onlyIn: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type AssortmentRule = z.infer<typeof AssortmentRuleSchema>;

export const RulesSettingsSchema = z.object({
  rules: z.array(AssortmentRuleSchema),
  /** The built-in rule: a Shopify product whose Status is draft or archived is expected on Shopify only. */
  builtinStatusRule: z.boolean(),
});
export type RulesSettings = z.infer<typeof RulesSettingsSchema>;

export const ChannelCompletenessSchema = z.object({
  channel: z.string(),
  format: z.string(),
  records: z.number(),
  /** Share of required attributes present, over all the channel's records (0-100). */
  requiredPct: z.number(),
  recommendedPct: z.number(),
  /** Records with every required attribute. */
  completeRecords: z.number(),
  attributes: z.array(
    z.object({ attribute: z.string(), required: z.boolean(), present: z.number(), pct: z.number() }),
  ),
  /**
   * Attributes the channel's export carries for no record at all (no column, or empty throughout): reported once
   * here, not as a gap per record.
   */
  notExported: z.array(z.string()).default([]),
});
export type ChannelCompleteness = z.infer<typeof ChannelCompletenessSchema>;

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export const GradeSchema = z.enum(GRADES);

export const GapsSummarySchema = z.object({
  detectedAt: z.string(),
  runId: z.number(),
  seconds: z.number(),
  records: z.number(),
  products: z.number(),
  /** Gaps by status (all kinds). */
  byStatus: z.record(z.string(), z.number()),
  /** Open gaps by channel and kind. */
  matrix: z.array(z.object({ channel: z.string(), kind: GapKindSchema, count: z.number() })),
  bySeverity: z.record(z.string(), z.number()),
  completeness: z.array(ChannelCompletenessSchema),
  /** Products per quality grade. */
  grades: z.record(z.string(), z.number()),
  /** Absences not reported because the channel has a close record: pairs to review on the Matches page. */
  possibleMatches: z.number().default(0),
  /** Every detection so far, oldest first: open gaps by kind after each. */
  trend: z.array(
    z.object({
      runId: z.number(),
      detectedAt: z.string(),
      sources: z.number(),
      open: z.number(),
      byKind: z.record(z.string(), z.number()),
    }),
  ),
  tolerances: TolerancesSchema,
});
export type GapsSummary = z.infer<typeof GapsSummarySchema>;

export const CategoryMappingSchema = z.object({
  channel: z.string(),
  /** The channel's category path (` > ` joined). */
  category: z.string(),
  /** The reference taxonomy's path it maps to; null: not mapped (never a gap). */
  mapsTo: z.string().nullable(),
  /** Matched products the mapping was learned from. */
  support: z.number(),
  source: z.enum(['learned', 'user']),
});
export type CategoryMapping = z.infer<typeof CategoryMappingSchema>;

/** A channel's own category value, as its records carry it, with its mapping when it has one. */
export const ChannelCategorySchema = z.object({
  category: z.string(),
  /** The channel's records filed under it. */
  records: z.number(),
  mapsTo: z.string().nullable(),
  source: z.enum(['learned', 'user']).nullable(),
});
export type ChannelCategory = z.infer<typeof ChannelCategorySchema>;

/** Gaps per value of each filter, each counted under the other filters (as OpenRefine's facets count). */
export const GapFacetsSchema = z.object({
  channels: z.record(z.string(), z.number()),
  kinds: z.record(z.string(), z.number()),
  severities: z.record(z.string(), z.number()),
  statuses: z.record(z.string(), z.number()),
  grades: z.record(z.string(), z.number()),
});
export type GapFacets = z.infer<typeof GapFacetsSchema>;

export const ProductDetailSchema = z.object({
  clusterId: z.string(),
  productId: z.string(),
  grade: GradeSchema,
  completenessPct: z.number(),
  golden: z.record(z.string(), GoldenValueSchema),
  records: z.array(RecordViewSchema),
  /** records.id -> fields that differ from the golden record after normalization. */
  differing: z.record(z.string(), z.array(z.string())),
  gaps: z.array(GapRowSchema),
});
export type ProductDetail = z.infer<typeof ProductDetailSchema>;

export const FixListSchema = z.object({
  channel: z.string(),
  format: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  content: z.string(),
  /** Data rows written. */
  rows: z.number(),
  /** Gaps the file corrects. */
  gaps: z.number(),
  /** Gaps of the selection a fix list cannot correct (absences, values no record has), with why. */
  skipped: z.array(z.object({ id: z.number(), reason: z.string() })),
  /**
   * Cells that start with = + - @, tab or CR, which a spreadsheet would run as formulas. A fix list for upload keeps
   * them exactly (the channel reads the file as data); `spreadsheetSafe` prefixes them with an apostrophe instead.
   */
  formulaCells: z.number(),
  /** The copy for opening in a spreadsheet (not for upload: the channel would keep the apostrophes). */
  spreadsheetSafe: z.boolean(),
});
export type FixList = z.infer<typeof FixListSchema>;

/** What a fix list would hold before it is written (fixlist.count): counted by the code that writes it. */
export const FixListCountSchema = z.object({
  channel: z.string(),
  format: z.string(),
  /** Gaps selected (the channel's open gaps, the filter's, or the ids given). */
  selected: z.number(),
  /** Of those, the gaps the file would correct. */
  fixable: z.number(),
  /** Data rows the file would have. */
  rows: z.number(),
  /** Why the others cannot go in a fix list, most frequent first. */
  skipped: z.array(z.object({ reason: z.string(), gaps: z.number() })),
});
export type FixListCount = z.infer<typeof FixListCountSchema>;

/** Which gaps a fix list is for: exactly `ids`, or the channel's open gaps (those `filter` selects, when given). */
const FixListSelectionSchema = z.object({
  channel: z.string(),
  ids: z.array(z.number().int()).optional(),
  /** Narrows the channel's open gaps (kinds, severities, search…); its channels and statuses are not used. */
  filter: GapFilterSchema.optional(),
});

/** Whether the gaps shown are older than the alignment or the imports they were detected from. */
export const GapsStalenessSchema = z.object({
  stale: z.boolean(),
  detectedAt: z.string(),
  /** What changed since the detection, in words, e.g. "the alignment changed (merge)". */
  reasons: z.array(
    z.object({ kind: z.enum(['alignment', 'imports']), message: z.string(), at: z.string().nullable() }),
  ),
});
export type GapsStaleness = z.infer<typeof GapsStalenessSchema>;

export const DetectSettingsSchema = z
  .object({
    /** Run gap detection after every alignment job (align, retrain). */
    autoDetectAfterAlign: z.boolean(),
  })
  .strict();
export type DetectSettings = z.infer<typeof DetectSettingsSchema>;

// ---- Knowledge graph (core/graph; DESIGN.md "Knowledge graph") ----
/** The graph's vocabulary and the cluster-name reader, for the renderer (which imports only this contract). */
export { EDGE_TYPES, NODE_TYPES, nodeKey, type EdgeType, type NodeType } from '../model/graph.js';
export { clusterIdOf } from '../model/ids.js';
export const GraphNodeTypeSchema = z.enum(NODE_TYPES);
export const GraphEdgeTypeSchema = z.enum(EDGE_TYPES);

/** A node as queries return it: its stable key (core/model/graph.ts nodeKey), type, label and properties. */
export const GraphNodeSchema = z.object({
  key: z.string(),
  type: GraphNodeTypeSchema,
  label: z.string(),
  props: z.record(z.string(), z.unknown()),
  /** Edges at this node in the whole graph, so a view can say how many it has not shown. */
  degree: z.number().int().optional(),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const GraphEdgeSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  target: z.string(),
  type: GraphEdgeTypeSchema,
  props: z.record(z.string(), z.unknown()),
});
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

export const SubgraphSchema = z.object({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
  /** Nodes that matched but were left out by the limit. */
  more: z.number().int(),
});
export type Subgraph = z.infer<typeof SubgraphSchema>;

export const GraphStatsSchema = z.object({
  nodes: z.record(z.string(), z.number().int()),
  edges: z.record(z.string(), z.number().int()),
  components: z.number().int(),
  largestComponent: z.number().int(),
  buildMs: z.number(),
  full: z.boolean(),
  builtAt: z.string(),
});
export type GraphStats = z.infer<typeof GraphStatsSchema>;

/** A property filter on a node or an edge (props, or label / key). */
export const GraphFilterSchema = z
  .object({
    prop: z.string().min(1),
    op: z.enum(['eq', 'ne', 'contains', 'lt', 'gt', 'in']),
    value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]),
  })
  .strict();

/** A pattern query: start nodes, then a chain of edge hops, each with filters on the edge and the node reached. */
export const PatternQuerySchema = z
  .object({
    start: z.object({ type: GraphNodeTypeSchema, where: z.array(GraphFilterSchema).default([]) }).strict(),
    hops: z
      .array(
        z
          .object({
            edge: GraphEdgeTypeSchema,
            direction: z.enum(['out', 'in', 'any']).default('out'),
            where: z.array(GraphFilterSchema).default([]),
            node: z
              .object({ type: GraphNodeTypeSchema.optional(), where: z.array(GraphFilterSchema).default([]) })
              .strict()
              .default({ where: [] }),
            /**
             * Only edges later (props.ts) than another hop's edge: true = the hop listed just before, a number = hop
             * number n (1 = the first hop). "Bought A and later B".
             */
            after: z.union([z.boolean(), z.number().int().min(1)]).default(false),
            /**
             * The node this hop leaves from: 0 = the start node, n = the node hop n reached; default the node the
             * hop listed just before reached (a chain). Naming an earlier node makes the pattern a tree: "a product
             * of brand X (hop 1 from 0) whose offer (hop 2 from 0) is in category Y".
             */
            from: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .max(6)
      .default([]),
    /** Which node of each match to return: the start's or the last hop's. */
    return: z.enum(['start', 'end']).default('start'),
    limit: z.number().int().min(1).max(10000).default(200),
    /** Skip this many matching nodes (for "show N more"). */
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type PatternQuery = z.infer<typeof PatternQuerySchema>;

export const GraphPathSchema = z.object({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
  /** The path in words: "Trail Shoe is offered as … which is listed on Google". */
  words: z.string(),
});
export type GraphPath = z.infer<typeof GraphPathSchema>;

export const GRAPH_EXPORT_FORMATS = ['json', 'graphml', 'neo4j'] as const;
export const GraphExportSchema = z.object({
  format: z.enum(GRAPH_EXPORT_FORMATS),
  /** The files written (absolute paths). */
  files: z.array(z.string()),
  nodes: z.number().int(),
  edges: z.number().int(),
});
export type GraphExport = z.infer<typeof GraphExportSchema>;

const empty = z.object({}).strict();
const jobStarted = z.object({ jobId: z.string() });

/** Method name -> { params, result }. Add a method here and in its domain's handlers.ts (composed in core/app/handlers.ts); every host follows. */
export const API = {
  'app.info': {
    params: empty,
    result: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'web', 'cli', 'test']),
      executionProviders: z.array(z.object({ name: z.string(), available: z.boolean(), note: z.string() })),
    }),
  },
  'workspace.current': { params: empty, result: WorkspaceInfoSchema.nullable() },
  'workspace.open': { params: z.object({ path: z.string().min(1) }).strict(), result: WorkspaceInfoSchema },
  'workspace.create': { params: z.object({ path: z.string().min(1) }).strict(), result: WorkspaceInfoSchema },
  'sources.list': { params: empty, result: z.array(SourceSummarySchema) },
  /** Row warnings of one source or of all, in source and line order; a page of them from `offset`. */
  'sources.warnings': {
    params: z
      .object({
        /** Absent: every source's. */
        sourceId: z.number().int().optional(),
        /** Only warnings of this kind. */
        code: z.string().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10000).default(200),
      })
      .strict(),
    result: z.array(SourceWarningSchema),
  },
  'import.preview': {
    params: z
      .object({
        file: FileRefSchema,
        encoding: z.string().optional(),
        rows: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
    result: ImportPreviewSchema,
  },
  'import.start': {
    params: z
      .object({
        file: FileRefSchema,
        channel: z.string().min(1).max(100),
        format: FormatSchema.optional(),
        kind: SourceKindSchema.optional(),
        encoding: z.string().optional(),
        mapping: z.record(z.string(), z.string()).optional(),
        replace: z.boolean().optional(),
        /** Rows repeating a record id (default warn). */
        onDuplicate: OnDuplicateSchema.optional(),
      })
      .strict(),
    result: jobStarted,
  },
  'jobs.list': { params: empty, result: z.array(JobStateSchema) },
  'jobs.cancel': {
    params: z.object({ jobId: z.string() }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  /** Forgets finished jobs (a failed one read and dealt with); running ones stay. Returns the ids forgotten. */
  'jobs.dismiss': {
    params: z.object({ jobIds: z.array(z.string()).min(1).max(1000) }).strict(),
    result: z.object({ dismissed: z.array(z.string()) }),
  },

  /**
   * Trains the built-in text encoder on the workspace's records, registers it and embeds every record (a job whose
   * result says which model, which execution provider, and the training metrics). Alignment then uses the
   * embeddings.
   */
  'embed.start': {
    params: z
      .object({
        timeBudgetSeconds: z.number().min(1).max(3600).default(120),
        /** Passes over the records (default: chosen from the record count). */
        epochs: z.number().int().min(1).optional(),
        providers: z
          .array(z.enum(['cuda', 'dml', 'coreml', 'cpu']))
          .min(1)
          .optional(),
        /** Use this sentence-transformers style folder (model.onnx + tokenizer.json) instead of training. */
        modelFolder: z.string().min(1).optional(),
      })
      .strict(),
    result: jobStarted,
  },

  // Alignment (entity resolution): DESIGN.md "Alignment".
  /**
   * A job whose result is an AlignSummary (with `truth`: precision, recall, F1 and blocking recall against a ground
   * truth file, when one is given).
   */
  'align.start': {
    params: z
      .object({
        threshold: z.number().min(0).max(1).optional(),
        /** A CSV/TSV of match labels (channelA,recordIdA,channelB,recordIdB,label) stored first. */
        labelsFile: z.string().min(1).optional(),
        /** The fixture generator's truth.json, to measure the alignment against. */
        truthFile: z.string().min(1).optional(),
      })
      .strict(),
    result: jobStarted,
  },
  'align.summary': { params: empty, result: AlignSummarySchema.nullable() },
  /** Re-cluster with another threshold from the stored pair probabilities (fast; no retraining). */
  'align.recluster': {
    params: z.object({ threshold: z.number().min(0).max(1) }).strict(),
    result: AlignSummarySchema,
  },
  /** The most uncertain unlabelled pairs first (active learning). */
  'matches.queue': {
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    result: z.array(PairViewSchema),
  },
  'matches.label': {
    params: z
      .object({ a: z.number().int(), b: z.number().int(), label: z.enum(['match', 'no_match', 'skip']) })
      .strict(),
    result: z.object({ labels: z.number() }),
  },
  /** Takes back the last label. */
  'matches.undo': {
    params: empty,
    result: z.object({
      undone: z.object({ a: z.number(), b: z.number(), label: z.string() }).nullable(),
      labels: z.number(),
    }),
  },
  /** Retrains the matcher from the labels (and sure pairs), then re-clusters: a job whose result is an AlignSummary. */
  'matches.retrain': { params: empty, result: jobStarted },
  /**
   * Precision/recall by threshold and the scores by outcome, from the matcher's validation pairs (held out from
   * training; null when the alignment had no matcher) and from the hand labels (null when there are none).
   */
  'matches.curve': {
    params: empty,
    result: z.object({
      validation: ScoreCurveSchema.extend({
        /** `train` when there were too few validation pairs and the matcher was calibrated on its training pairs. */
        split: z.enum(['valid', 'train']),
        /** The matcher's decision threshold on these pairs, with the figures of the summary's valid F1. */
        best: z.object({ threshold: z.number(), precision: z.number(), recall: z.number(), f1: z.number() }),
      }).nullable(),
      labels: ScoreCurveSchema.nullable(),
    }),
  },
  /** What align.recluster at this threshold would change, without changing anything. */
  'align.previewThreshold': {
    params: z.object({ threshold: z.number().min(0).max(1) }).strict(),
    result: z.object({
      threshold: z.number(),
      clusters: z.object({ before: z.number(), after: z.number() }),
      matchedRecords: z.object({ before: z.number(), after: z.number() }),
      /** Current products that would be joined with another, and how many products they would form. */
      merging: z.number(),
      mergedInto: z.number(),
      /** Current products whose records would come apart. */
      splitting: z.number(),
    }),
  },
  /** Every product record with its product (cluster) id, singletons included, in channel priority order. */
  'matches.export': {
    params: empty,
    result: z.array(z.object({ channel: z.string(), recordId: z.string(), clusterId: z.string() })),
  },
  'clusters.list': {
    params: z
      .object({
        query: z.string().max(200).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        multiOnly: z.boolean().default(false),
      })
      .strict(),
    result: z.object({ total: z.number(), items: z.array(ClusterSummarySchema) }),
  },
  'clusters.get': {
    params: z.object({ clusterId: z.string() }).strict(),
    result: z.object({
      clusterId: z.string(),
      records: z.array(RecordViewSchema),
      golden: z.record(z.string(), GoldenValueSchema),
      /** records.id -> fields that differ from the golden record (consistency/differs.ts). */
      differing: z.record(z.string(), z.array(z.string())),
    }),
  },
  /** Moves records out of their cluster into a new one (stored as no-match labels). `editId`: for clusters.undo. */
  'clusters.split': {
    params: z.object({ clusterId: z.string(), recordIds: z.array(z.number().int()).min(1) }).strict(),
    result: z.object({ clusterIds: z.array(z.string()), editId: z.number() }),
  },
  /** Merges clusters (stored as match labels). `editId`: for clusters.undo. */
  'clusters.merge': {
    params: z.object({ clusterIds: z.array(z.string()).min(2) }).strict(),
    result: z.object({ clusterId: z.string(), editId: z.number() }),
  },
  /** What merging these clusters would break, each conflict with a sentence for people (reads only). */
  'clusters.mergePreview': {
    params: z.object({ clusterIds: z.array(z.string()).min(2) }).strict(),
    result: z.object({
      clusters: z.number(),
      records: z.number(),
      conflicts: z.array(
        z.object({
          kind: z.enum(['channel', 'gtin', 'option']),
          message: z.string(),
          channel: z.string().optional(),
          records: z.number().optional(),
          option: z.string().optional(),
          values: z.array(z.string()).optional(),
        }),
      ),
    }),
  },
  /** Undoes a merge or split: its labels, clusters and golden records back as they were before it. */
  'clusters.undo': {
    params: z.object({ editId: z.number().int() }).strict(),
    result: z.object({ kind: z.enum(['merge', 'split']), clusterIds: z.array(z.string()) }),
  },

  // Consistency: DESIGN.md "Gaps".
  /**
   * Detects gaps from the current alignment: a job whose result is a GapsSummary. Unaligned records are refused
   * (CONFLICT) unless `align` is set: then alignment runs first, as a job of its own that detection waits for.
   */
  'gaps.detect': { params: z.object({ align: z.boolean().optional() }).strict(), result: jobStarted },
  /** Every current gap (open, accepted, ignored; excluded ones on request) in the gap schema, for export. */
  'gaps.export': {
    params: z.object({ includeExcluded: z.boolean().default(false) }).strict(),
    result: z.array(GapSchema),
  },
  'gaps.summary': { params: empty, result: GapsSummarySchema.nullable() },
  'gaps.list': {
    params: z
      .object({
        filter: GapFilterSchema.default({}),
        sort: GapSortSchema.default({ column: 'severity', direction: 'desc' }),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    result: z.object({ total: z.number(), rows: z.array(GapRowSchema) }),
  },
  /** Sets the status of the gaps with these ids, or of every gap the filter selects. Undone by gaps.undoStatus. */
  'gaps.setStatus': {
    params: z
      .object({
        ids: z.array(z.number().int()).max(1_000_000).optional(),
        filter: GapFilterSchema.optional(),
        status: UserGapStatusSchema,
      })
      .strict(),
    result: z.object({ updated: z.number() }),
  },
  /** Takes back the last gaps.setStatus. */
  'gaps.undoStatus': { params: empty, result: z.object({ restored: z.number() }) },
  'gaps.product': { params: z.object({ clusterId: z.string() }).strict(), result: ProductDetailSchema },
  'gaps.tolerances': { params: empty, result: TolerancesSchema },
  'gaps.setTolerances': { params: TolerancesSchema, result: TolerancesSchema },
  'rules.get': { params: empty, result: RulesSettingsSchema },
  /** Replaces the assortment rules; a bad rule is refused (BAD_INPUT naming the rule's index and problem). */
  'rules.set': {
    params: z
      .object({
        /** The rules (absent: keep the stored ones and change only builtinStatusRule). */
        rules: z.unknown(),
        builtinStatusRule: z.boolean().optional(),
        /** Where the rules came from (a file name), named in error messages. */
        source: z.string().optional(),
      })
      .strict(),
    result: RulesSettingsSchema,
  },
  /**
   * Checks rules as rules.set would, storing nothing: the first problem with its rule's index and the field's path
   * (`when.value`, `onlyIn.2`…), or null.
   */
  'rules.check': {
    params: z.object({ rules: z.unknown() }).strict(),
    result: z.object({
      problem: z.object({ index: z.number(), field: z.string(), message: z.string() }).nullable(),
    }),
  },
  'categories.map': {
    params: z.object({ channel: z.string().optional() }).strict(),
    result: z.array(CategoryMappingSchema),
  },
  /** Edits one mapping (mapsTo null: never compare this category). */
  'categories.setMapping': {
    params: z.object({ channel: z.string(), category: z.string(), mapsTo: z.string().nullable() }).strict(),
    result: CategoryMappingSchema,
  },
  /** For each filter (channel, kind, severity, status, grade): gaps per value under the filter's other parts. */
  'gaps.facets': {
    params: z.object({ filter: GapFilterSchema.default({}) }).strict(),
    result: GapFacetsSchema,
  },
  /**
   * A channel's own category values from its records (most records first; `query` narrows them by substring), at
   * most `limit`, with the total, and the reference categories (the golden records') a mapping may point to.
   */
  'categories.values': {
    params: z
      .object({
        channel: z.string(),
        query: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    result: z.object({
      total: z.number(),
      values: z.array(ChannelCategorySchema),
      references: z.array(z.string()),
    }),
  },
  /** The corrections for one channel in its own import format (its open gaps, the filter's, or the selected ones). */
  'fixlist.export': {
    params: FixListSelectionSchema.extend({
      /** Formula-safe cells, for opening in a spreadsheet (default: values exactly, for upload). */
      spreadsheetSafe: z.boolean().optional(),
    }).strict(),
    result: FixListSchema,
  },
  /** How many of the gaps fixlist.export would correct, and in how many rows (read-only; nothing is written). */
  'fixlist.count': { params: FixListSelectionSchema.strict(), result: FixListCountSchema },
  /** Null before the first detection. */
  'gaps.staleness': { params: empty, result: GapsStalenessSchema.nullable() },
  'gaps.detectSettings': { params: empty, result: DetectSettingsSchema },
  'gaps.setDetectSettings': { params: DetectSettingsSchema, result: DetectSettingsSchema },
  /** Build or update the knowledge graph (a job): only the parts whose sources changed unless `full`. */
  'graph.build': { params: z.object({ full: z.boolean().default(false) }).strict(), result: jobStarted },
  'graph.stats': { params: empty, result: GraphStatsSchema.nullable() },
  /** Text search over node labels and aliases (FTS5), best first. */
  'graph.search': {
    params: z
      .object({
        text: z.string().min(1),
        types: z.array(GraphNodeTypeSchema).optional(),
        limit: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
    result: z.array(GraphNodeSchema),
  },
  /** One node with its properties and provenance (which sources said what, and which value won). */
  'graph.node': { params: z.object({ key: z.string().min(1) }).strict(), result: GraphNodeSchema },
  /** The nodes within `depth` hops of a node, over the edge and node types asked for, up to `limit` nodes. */
  'graph.neighbourhood': {
    params: z
      .object({
        key: z.string().min(1),
        depth: z.number().int().min(1).max(3).default(1),
        edgeTypes: z.array(GraphEdgeTypeSchema).optional(),
        nodeTypes: z.array(GraphNodeTypeSchema).optional(),
        limit: z.number().int().min(1).max(5000).default(200),
        /** Skip this many neighbours (for "show N more"). */
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: SubgraphSchema,
  },
  /** explainPath: the best few short paths between two nodes, each in words. */
  'graph.path': {
    params: z
      .object({
        from: z.string().min(1),
        to: z.string().min(1),
        max: z.number().int().min(1).max(10).default(3),
        edgeTypes: z.array(GraphEdgeTypeSchema).optional(),
      })
      .strict(),
    result: z.array(GraphPathSchema),
  },
  'graph.query': {
    params: PatternQuerySchema,
    result: z.object({ nodes: z.array(GraphNodeSchema), more: z.number().int() }),
  },
  /** Write the whole graph to `out` (a file for json and graphml, a folder for neo4j's CSV files and README). */
  'graph.export': {
    params: z.object({ format: z.enum(GRAPH_EXPORT_FORMATS), out: z.string().min(1) }).strict(),
    result: GraphExportSchema,
  },
} as const;

export type Api = typeof API;
export type MethodName = keyof Api;

export type Params<M extends MethodName> = z.input<Api[M]['params']>;
export type Result<M extends MethodName> = z.output<Api[M]['result']>;

/**
 * The params that name a file or folder on this machine, by method (dotted paths into the params). Only local
 * callers (the desktop app, the CLI) may pass them: web mode takes upload ids and works on the workspace
 * `concord serve` opened, and dispatch refuses these fields from it (FORBIDDEN naming the field).
 */
export const PATH_PARAMS: { readonly [M in MethodName]?: readonly string[] } = {
  'workspace.open': ['path'],
  'workspace.create': ['path'],
  'import.preview': ['file.path'],
  'import.start': ['file.path'],
  'embed.start': ['modelFolder'],
  'align.start': ['labelsFile', 'truthFile'],
  'graph.export': ['out'],
};

/** Messages on the wire between a client and the worker (over MessagePort, child-process IPC or WebSocket). */
export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int(),
  method: z.string(),
  params: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export const ResponseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    type: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(false),
    error: ApiErrorSchema,
  }),
]);
export type ResponseMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: ApiError };

/** Client → server: the caller gave up on request `id` (its answer, if any, is dropped). */
export const CancelMessageSchema = z.object({ type: z.literal('cancel'), id: z.number().int() });
export type CancelMessage = z.infer<typeof CancelMessageSchema>;

/** Pushed to every client: a job changed. */
export const JobEventMessageSchema = z.object({
  type: z.literal('event'),
  event: z.literal('job'),
  job: JobStateSchema,
});
export type JobEventMessage = z.infer<typeof JobEventMessageSchema>;
/** Pushed to every client: the worker restarted after a crash, or the workspace changed. */
export const NoticeEventMessageSchema = z.object({
  type: z.literal('event'),
  event: z.literal('notice'),
  level: z.enum(['info', 'error']),
  message: z.string(),
});
export type NoticeEventMessage = z.infer<typeof NoticeEventMessageSchema>;
/** Every event a client may receive; checked where it arrives (core/rpc/client.ts). */
export const EventMessageSchema = z.discriminatedUnion('event', [
  JobEventMessageSchema,
  NoticeEventMessageSchema,
]);
export type EventMessage = z.infer<typeof EventMessageSchema>;
export type ServerMessage = ResponseMessage | EventMessage;

export function isMethod(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(API, name);
}
