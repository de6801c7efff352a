/** Embeddings: the built-in encoder, user transformer models, sessions, the model registry and ANN indexes. */
export {
  DEFAULT_FEATURIZER,
  FEATURIZER_VERSION,
  featurize,
  featurizeBatch,
  featureStrings,
  normalizeTitle,
} from './featurize.js';
export type { FeatureBatch, FeaturizerConfig } from './featurize.js';
export { DEFAULT_ENCODER, encodeIds, encodeTexts, initEncoder } from './encoder.js';
export type { EncoderConfig, EncoderWeights } from './encoder.js';
export { evaluateEncoder, trainEncoder } from './train.js';
export type { EncoderMetrics, TrainInput, TrainOptions, TrainResult } from './train.js';
export { EncoderRuntime } from './runtime.js';
export { TransformerEncoder, readTransformerFolder } from './transformer.js';
export { WordPieceTokenizer } from './tokenizer.js';
export { createSession, describeChoice } from './session.js';
export type { ProviderChoice, SessionOptions } from './session.js';
export {
  EXECUTION_PROVIDERS,
  defaultProviderPreference,
  listExecutionProviders,
  parseProviderPreference,
} from './providers.js';
export type { ExecutionProvider, ProviderStatus } from './providers.js';
export {
  getModel,
  listEmbeddings,
  listModels,
  MODEL_KINDS,
  loadEmbeddings,
  modelPath,
  readModelBytes,
  registerModel,
  registerTransformerFolder,
  saveEmbeddings,
} from './registry.js';
export type { EmbeddingRecord, ModelKind, ModelRecord } from './registry.js';
export {
  createAnnIndex,
  exactSearch,
  loadAnnIndex,
  recallAtK,
  recallAtKByScore,
  usearchStatus,
} from './ann.js';
export type { AnnIndex, AnnOptions, SearchResult } from './ann.js';
export { embedWorkspace, readRecordTexts, trainWorkspaceEncoder } from './pipeline.js';
export type { TrainWorkspaceOptions, TrainWorkspaceResult } from './pipeline.js';
