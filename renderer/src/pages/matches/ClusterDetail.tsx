/**
 * One cluster: its golden record (each value with the channel and survivorship rule that chose it) beside every
 * record, fields in rows, differing fields highlighted. Tick records and split them off into their own cluster.
 */
import { useAction } from '../../lib/useAction';
import { useMemo, useState } from 'react';
import type { Result } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { DetailHeader } from '../../components/DetailHeader';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { isLongText, orderedFields } from './fields';
import { Icon } from '../../components/Icon';
import { GoldenHeading, RecordHeading } from '../../components/RecordHeading';
import { confirmWithUndo } from './clusterUndo';
import { clustersEdited, dataVersion } from './matchesState';
import { CompareRow, CompareTable, FieldValue } from './parts';
import { diffAgainst } from '../../lib/tokenDiff';

type Cluster = Result<'clusters.get'>;

/**
 * Width of the field-name column and the least a value column gets before the table scrolls sideways: four
 * channels' records fit beside the golden record at 1440 px.
 */
const FIELD_WIDTH = 104;
const COLUMN_MIN = 136;
const GOLDEN_WIDTH = 176;
type Golden = Cluster['golden'][string];

const RULES: Record<string, string> = {
  priority: 'channel priority',
  completeness: 'most complete',
  majority: 'majority',
};

function GoldenCell({ golden }: { golden: Golden | undefined }) {
  if (!golden || golden.value === null) {
    return <FieldValue value={null} />;
  }
  const rule = RULES[golden.rule] ?? golden.rule;
  return (
    <div className="golden-cell">
      <FieldValue value={golden.value} />
      <span
        className="golden-source"
        title={
          golden.recordId
            ? `From ${golden.channel ?? '?'} record ${golden.recordId}, chosen by ${rule}`
            : rule
        }
      >
        {golden.channel ?? '—'} · {rule}
      </span>
    </div>
  );
}

function useCluster(clusterId: string) {
  const version = useStore(dataVersion);
  // The previous cluster stays on screen while the next one loads.
  const { data, error, loading } = useQuery('clusters.get', { clusterId }, `${version}|${clusterId}`);
  return { cluster: data, error, loading };
}

export function ClusterDetail({
  clusterId,
  onSplit,
}: {
  clusterId: string;
  onSplit: (keptId: string) => void;
}) {
  const { cluster, error, loading } = useCluster(clusterId);
  // Ticked records, for this cluster only.
  const [ticked, setTicked] = useState<{ clusterId: string; ids: readonly number[] }>({ clusterId, ids: [] });
  const picked = ticked.clusterId === clusterId && cluster?.clusterId === clusterId ? ticked.ids : [];
  const [splitting, runSplit] = useAction('Could not split the cluster');

  const rows = useMemo(() => {
    if (!cluster) return [];
    const goldenValues: Record<string, string | null> = {};
    for (const [f, g] of Object.entries(cluster.golden)) goldenValues[f] = g.value;
    return orderedFields([goldenValues, ...cluster.records.map((r) => r.fields)]).map((field) => {
      const values = cluster.records.map((r) => r.fields[field] ?? null);
      const golden = cluster.golden[field];
      // Which records differ from the golden record is the server's decision (consistency/differs.ts).
      const flagged = cluster.records.map((r) => (cluster.differing[String(r.id)] ?? []).includes(field));
      const differs = flagged.some(Boolean);
      const reference = golden?.value ?? null;
      const segments = values.map((v, i) =>
        flagged[i] && v && reference ? diffAgainst(v, reference) : null,
      );
      return { field, values, golden, differs, segments };
    });
  }, [cluster]);

  if (error && !cluster) return <ErrorBlock title="Could not load the cluster" error={error} />;
  if (!cluster) return <div className="card cluster-detail cluster-detail-loading" aria-busy="true" />;

  const toggle = (id: number, on: boolean) =>
    setTicked({
      clusterId,
      ids: on ? [...picked.filter((x) => x !== id), id] : picked.filter((x) => x !== id),
    });
  const canSplit = picked.length > 0 && picked.length < cluster.records.length;
  const differing = rows.filter((r) => r.differs).length;
  const title = cluster.golden.title?.value ?? cluster.records[0]?.fields.title ?? 'Untitled product';

  const split = async () => {
    await runSplit(async () => {
      const r = await invoke('clusters.split', { clusterId, recordIds: [...picked] });
      confirmWithUndo(
        'Records split off',
        `${picked.length} record${picked.length === 1 ? '' : 's'} moved to a cluster of their own (stored as labels).`,
        r.editId,
        onSplit,
      );
      setTicked({ clusterId, ids: [] });
      // Re-clustering may renumber: follow the cluster the remaining records are in (the split names it first),
      // even when it no longer has the several records the list is filtered to.
      onSplit(r.clusterIds[0] ?? clusterId);
      clustersEdited();
    });
  };

  return (
    <section
      className={`card cluster-detail${loading ? ' is-loading' : ''}`}
      aria-labelledby="cluster-title"
      aria-busy={loading}
      data-testid="cluster-detail"
    >
      <DetailHeader
        id="cluster-title"
        title={title}
        className="cluster-detail-head"
        sub={
          <>
            <span data-testid="cluster-size">
              {formatCount(cluster.records.length)} record{cluster.records.length === 1 ? '' : 's'}
            </span>{' '}
            · {differing} differing field{differing === 1 ? '' : 's'} ·{' '}
            <code data-testid="cluster-id">{cluster.clusterId}</code>
          </>
        }
      >
        {picked.length > 0 && (
          <span className="text-muted num">
            {picked.length} of {cluster.records.length} selected
          </span>
        )}
        <button
          type="button"
          className="btn btn-sm"
          disabled={!canSplit || splitting}
          onClick={() => void split()}
          title={
            cluster.records.length < 2
              ? 'A single record cannot be split'
              : 'Tick the records that are a different product, then split them off'
          }
        >
          <Icon name="split" />
          {splitting ? 'Splitting…' : picked.length > 1 ? `Split off ${picked.length} records` : 'Split off'}
        </button>
      </DetailHeader>
      <CompareTable
        className="compare-table cluster-table"
        style={{ minWidth: FIELD_WIDTH + GOLDEN_WIDTH + COLUMN_MIN * cluster.records.length }}
        caption="Golden record and the cluster's records; differing fields highlighted"
        columns={
          <>
            <col style={{ width: FIELD_WIDTH }} />
            <col style={{ width: GOLDEN_WIDTH }} />
            {cluster.records.map((r) => (
              <col key={r.id} />
            ))}
          </>
        }
        heads={
          <>
            <th scope="col" className="golden-head">
              <GoldenHeading note="each value: channel · rule" />
            </th>
            {cluster.records.map((r) => (
              <th scope="col" key={r.id} className={picked.includes(r.id) ? 'is-picked' : undefined}>
                <label className="record-pick">
                  <input
                    type="checkbox"
                    checked={picked.includes(r.id)}
                    onChange={(e) => toggle(r.id, e.target.checked)}
                    disabled={cluster.records.length < 2}
                    aria-label={`Select ${r.channel} record ${r.recordId} to split off`}
                  />
                  <RecordHeading record={r} />
                </label>
              </th>
            ))}
          </>
        }
      >
        {rows.map((row) => (
          <CompareRow key={row.field} field={row.field} differs={row.differs}>
            <td className="golden-col">
              <GoldenCell golden={row.golden} />
            </td>
            {row.values.map((v, i) => (
              <td
                key={cluster.records[i].id}
                className={picked.includes(cluster.records[i].id) ? 'is-picked' : undefined}
              >
                <FieldValue value={v} segments={row.segments[i]} clamp={isLongText(row.field)} />
              </td>
            ))}
          </CompareRow>
        ))}
      </CompareTable>
    </section>
  );
}
