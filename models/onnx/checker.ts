/**
 * A structural checker for the ONNX models Concord writes, following the rules of onnx's `checker.check_model`
 * that can be verified without onnx's operator schemas in full:
 * - `ir_version` set, an opset import for the default domain, and an IR version that allows that opset;
 * - a named graph; graph inputs and outputs with a tensor element type and a shape;
 * - initializers named, uniquely, with a data type and data whose length matches their dims;
 * - nodes in topological order: every input is a graph input, an initializer or an earlier node's output;
 *   every output name is produced once (SSA) and does not shadow an input or initializer;
 * - every graph output is produced; operators are known default-domain ops with their arity and required
 *   attributes.
 * Returns the problems found (empty: the model passes).
 */
import type { OnnxNs } from './proto.js';
import { ELEM_SIZE, toNumber } from './proto.js';

interface OpRule {
  /** First opset with the signature used here. */
  since: number;
  inputs: [number, number];
  outputs: [number, number];
  required?: string[];
}

/** Operators Concord's graphs use (default domain, opset 13+ signatures). */
const OPS: Record<string, OpRule> = {
  Gather: { since: 13, inputs: [2, 2], outputs: [1, 1] },
  ReduceSum: { since: 13, inputs: [1, 2], outputs: [1, 1] },
  ReduceMean: { since: 1, inputs: [1, 1], outputs: [1, 1] },
  Less: { since: 13, inputs: [2, 2], outputs: [1, 1] },
  Cast: { since: 13, inputs: [1, 1], outputs: [1, 1], required: ['to'] },
  Max: { since: 13, inputs: [1, Infinity], outputs: [1, 1] },
  Div: { since: 14, inputs: [2, 2], outputs: [1, 1] },
  Mul: { since: 14, inputs: [2, 2], outputs: [1, 1] },
  Add: { since: 14, inputs: [2, 2], outputs: [1, 1] },
  Sub: { since: 14, inputs: [2, 2], outputs: [1, 1] },
  MatMul: { since: 13, inputs: [2, 2], outputs: [1, 1] },
  Sqrt: { since: 13, inputs: [1, 1], outputs: [1, 1] },
  Tanh: { since: 13, inputs: [1, 1], outputs: [1, 1] },
  Relu: { since: 14, inputs: [1, 1], outputs: [1, 1] },
  Unsqueeze: { since: 13, inputs: [2, 2], outputs: [1, 1] },
  Identity: { since: 16, inputs: [1, 1], outputs: [1, 1] },
};

/** The lowest IR version each opset needs (onnx/helper.py VERSION_TABLE). */
function minIrForOpset(opset: number): number {
  if (opset >= 23) return 11;
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 12) return 7;
  if (opset >= 11) return 6;
  if (opset >= 10) return 5;
  if (opset >= 9) return 4;
  return 3;
}

function checkValueInfo(v: OnnxNs.IValueInfoProto, what: string, problems: string[]): void {
  if (!v.name) problems.push(`${what} has no name`);
  const t = v.type?.tensorType;
  if (!t) {
    problems.push(`${what} ${v.name}: no tensor type`);
    return;
  }
  if (!t.elemType) problems.push(`${what} ${v.name}: element type not set`);
  if (!t.shape) problems.push(`${what} ${v.name}: no shape`);
  for (const d of t.shape?.dim ?? []) {
    if (d.dimParam == null && d.dimValue == null)
      problems.push(`${what} ${v.name}: a dimension has neither value nor name`);
    if (d.dimValue != null && toNumber(d.dimValue) < 0)
      problems.push(`${what} ${v.name}: negative dimension`);
  }
}

function tensorLength(t: OnnxNs.ITensorProto): number | null {
  const size = ELEM_SIZE[t.dataType ?? 0];
  if (t.rawData && t.rawData.length > 0) return size ? t.rawData.length / size : null;
  const lists = [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data, t.stringData];
  for (const l of lists) if (l && l.length > 0) return l.length;
  return 0;
}

export function checkModel(model: OnnxNs.IModelProto): string[] {
  const problems: string[] = [];
  const ir = toNumber(model.irVersion);
  if (!ir) problems.push('ir_version is not set');
  const opsets = model.opsetImport ?? [];
  const defaultOpset = opsets.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!defaultOpset) problems.push('no opset import for the default domain');
  const opset = toNumber(defaultOpset?.version);
  if (defaultOpset && opset < 1) problems.push('default-domain opset version is not set');
  if (ir && opset && ir < minIrForOpset(opset))
    problems.push(`ir_version ${ir} is too old for opset ${opset} (needs ${minIrForOpset(opset)})`);
  const domains = new Set<string>();
  for (const o of opsets) {
    const d = o.domain || '';
    if (domains.has(d)) problems.push(`opset for domain "${d}" imported twice`);
    domains.add(d);
  }

  const g = model.graph;
  if (!g) return [...problems, 'model has no graph'];
  if (!g.name) problems.push('graph has no name');

  const known = new Set<string>();
  for (const v of g.input ?? []) {
    checkValueInfo(v, 'graph input', problems);
    if (v.name && known.has(v.name)) problems.push(`graph input ${v.name} declared twice`);
    if (v.name) known.add(v.name);
  }
  const initNames = new Set<string>();
  for (const t of g.initializer ?? []) {
    if (!t.name) {
      problems.push('an initializer has no name');
      continue;
    }
    if (initNames.has(t.name)) problems.push(`initializer ${t.name} declared twice`);
    initNames.add(t.name);
    known.add(t.name);
    if (!t.dataType) problems.push(`initializer ${t.name}: data type not set`);
    const dims = (t.dims ?? []).map(toNumber);
    if (dims.some((d) => d < 0)) problems.push(`initializer ${t.name}: negative dimension`);
    const expected = dims.reduce((a, b) => a * b, 1);
    const actual = tensorLength(t);
    if (actual === null)
      problems.push(`initializer ${t.name}: raw data for an unsupported data type ${t.dataType}`);
    else if (actual !== expected)
      problems.push(
        `initializer ${t.name}: dims [${dims.join(', ')}] need ${expected} values, data has ${actual}`,
      );
  }

  const produced = new Set<string>();
  (g.node ?? []).forEach((n, i) => {
    const where = `node ${i} (${n.opType ?? '?'}${n.name ? ` "${n.name}"` : ''})`;
    if (!n.opType) {
      problems.push(`${where}: no op_type`);
      return;
    }
    if (n.domain && n.domain !== 'ai.onnx') {
      if (!domains.has(n.domain)) problems.push(`${where}: domain ${n.domain} has no opset import`);
    } else {
      const rule = OPS[n.opType];
      const nIn = (n.input ?? []).length;
      const nOut = (n.output ?? []).length;
      if (!rule) problems.push(`${where}: unknown operator for this checker`);
      else {
        if (opset && rule.since > opset)
          problems.push(`${where}: this signature needs opset ${rule.since}, model imports ${opset}`);
        if (nIn < rule.inputs[0] || nIn > rule.inputs[1])
          problems.push(`${where}: ${nIn} inputs, expected ${rule.inputs[0]}..${rule.inputs[1]}`);
        if (nOut < rule.outputs[0] || nOut > rule.outputs[1])
          problems.push(`${where}: ${nOut} outputs, expected ${rule.outputs[0]}..${rule.outputs[1]}`);
        for (const a of rule.required ?? []) {
          if (!(n.attribute ?? []).some((x) => x.name === a))
            problems.push(`${where}: required attribute ${a} missing`);
        }
      }
    }
    const attrNames = new Set<string>();
    for (const a of n.attribute ?? []) {
      if (!a.name) problems.push(`${where}: an attribute has no name`);
      else if (attrNames.has(a.name)) problems.push(`${where}: attribute ${a.name} set twice`);
      else attrNames.add(a.name);
      if (!a.type) problems.push(`${where}: attribute ${a.name} has no type`);
    }
    for (const input of n.input ?? []) {
      if (input === '') continue; // an omitted optional input
      if (!known.has(input))
        problems.push(`${where}: input ${input} is not a graph input, an initializer or an earlier output`);
    }
    for (const output of n.output ?? []) {
      if (!output) continue;
      if (produced.has(output)) problems.push(`${where}: output ${output} is produced twice`);
      else if (known.has(output))
        problems.push(`${where}: output ${output} shadows a graph input or initializer`);
      produced.add(output);
      known.add(output);
    }
  });

  for (const v of g.output ?? []) {
    checkValueInfo(v, 'graph output', problems);
    if (v.name && !known.has(v.name)) problems.push(`graph output ${v.name} is not produced by any node`);
  }
  if ((g.output ?? []).length === 0) problems.push('graph has no outputs');
  return problems;
}
