/**
 * A record as a comparison's column names it (the Matches review queue and cluster detail, the Gaps product drawer),
 * and the golden record's column beside them.
 */
import type { RecordView } from '../../../core/api/contract';
import { formatCount } from '../lib/format';
import { Icon } from './Icon';

/** Where a record came from: its file and line (the raw row holds every original value). */
export function Provenance({ record }: { record: RecordView }) {
  const where = `${record.file}:${record.line}`;
  return (
    <span className="provenance" title={`${record.file}, line ${formatCount(record.line)}`}>
      <Icon name="file" size={12} />
      <span className="provenance-text">{where}</span>
    </span>
  );
}

/** A record's heading in a comparison: channel, record id, file:line. */
export function RecordHeading({ record }: { record: RecordView }) {
  return (
    <div className="record-heading">
      <div className="record-heading-top">
        <span className="channel-chip">{record.channel}</span>
        <code className="record-id" title={record.recordId}>
          {record.recordId}
        </code>
      </div>
      <Provenance record={record} />
    </div>
  );
}

/** The golden record's column heading; `note` says what each value shows beside it. */
export function GoldenHeading({ note }: { note: string }) {
  return (
    <div className="record-heading">
      <div className="record-heading-top">
        <span className="golden-chip">Golden record</span>
      </div>
      <span className="heading-note">{note}</span>
    </div>
  );
}
