/**
 * A small pipeline runner: named stages, each a function from a typed input to a typed output, run in order over
 * one state (each stage's output joins it). Between stages it checks cancellation; it reports each stage's start
 * as progress and times it. Adding a stage is one line: `.then(stage)`.
 */
import { cancelled } from '../model/errors.js';
import type { ProgressListener } from './progress.js';

export interface StageContext {
  signal: AbortSignal | undefined;
  /** Progress within the stage (phase = the stage's name); also checks cancellation. */
  progress(message: string, done?: number, total?: number): void;
  /** Seconds per stage so far (the running one up to now), the total and the CPU seconds. */
  seconds(): Record<string, number>;
}

export interface Stage<I, O extends object> {
  readonly name: string;
  /** What the stage does, as progress shows it. */
  readonly message: string;
  readonly run: (input: I, ctx: StageContext) => O | Promise<O>;
}

export interface PipelineOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** Defines a stage (types inferred from `run`). */
export function stage<I, O extends object>(
  name: string,
  message: string,
  run: (input: I, ctx: StageContext) => O | Promise<O>,
): Stage<I, O> {
  return { name, message, run };
}

type Merge<S, O> = Omit<S, keyof O> & O;

class Clock {
  readonly times: Record<string, number> = {};
  private readonly started = performance.now();
  private readonly cpu = process.cpuUsage();
  private stageStart = performance.now();
  private current: string | null = null;
  begin(name: string): void {
    this.current = name;
    this.stageStart = performance.now();
  }
  end(): void {
    if (this.current !== null)
      this.times[this.current] = round3((performance.now() - this.stageStart) / 1000);
    this.current = null;
  }
  seconds(): Record<string, number> {
    const out = { ...this.times };
    if (this.current !== null) out[this.current] = round3((performance.now() - this.stageStart) / 1000);
    const cpu = process.cpuUsage(this.cpu);
    out.total = round3((performance.now() - this.started) / 1000);
    out.cpu = round3((cpu.user + cpu.system) / 1e6);
    return out;
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export class Pipeline<In extends object, S extends object> {
  private constructor(private readonly stages: readonly Stage<never, object>[]) {}

  /** A pipeline whose state starts as `In`. */
  static from<In extends object>(): Pipeline<In, In> {
    return new Pipeline<In, In>([]);
  }

  /** Appends a stage reading the state so far; its output joins the state. */
  then<O extends object>(next: Stage<S, O>): Pipeline<In, Merge<S, O>> {
    return new Pipeline<In, Merge<S, O>>([...this.stages, next as Stage<never, object>]);
  }

  /** The stage names, in order. */
  get names(): string[] {
    return this.stages.map((s) => s.name);
  }

  /** Runs every stage; returns the final state and the seconds per stage (with total and cpu). */
  async run(
    input: In,
    options: PipelineOptions = {},
  ): Promise<{ state: S; seconds: Record<string, number> }> {
    const clock = new Clock();
    let state: object = input;
    for (const s of this.stages) {
      const ctx = this.enter(s, clock, options);
      state = { ...state, ...(await (s.run as (i: object, c: StageContext) => object)(state, ctx)) };
      clock.end();
    }
    return { state: state as S, seconds: clock.seconds() };
  }

  /** Runs every stage synchronously (inside a transaction): a stage returning a promise is an error. */
  runSync(input: In, options: PipelineOptions = {}): { state: S; seconds: Record<string, number> } {
    const clock = new Clock();
    let state: object = input;
    for (const s of this.stages) {
      const ctx = this.enter(s, clock, options);
      const out = (s.run as (i: object, c: StageContext) => object)(state, ctx);
      if (out instanceof Promise) throw new Error(`stage ${s.name} is asynchronous: use run()`);
      state = { ...state, ...out };
      clock.end();
    }
    return { state: state as S, seconds: clock.seconds() };
  }

  private enter(s: Stage<never, object>, clock: Clock, options: PipelineOptions): StageContext {
    const { signal, onProgress } = options;
    const progress = (message: string, done = 0, total = 0): void => {
      if (signal?.aborted) throw cancelled();
      onProgress?.({ phase: s.name, message, done, total });
    };
    progress(s.message);
    clock.begin(s.name);
    return { signal, progress, seconds: () => clock.seconds() };
  }
}
