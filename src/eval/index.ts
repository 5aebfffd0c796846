/**
 * Evaluation of topic models, as pure library code (no I/O, no printing):
 * - coherence: NPMI of top words by document co-occurrence, topic diversity;
 * - labels: NMI and ARI (equal to scikit-learn 1.2.1's), purity, argmax topic per document;
 * - hungarian: minimum-cost rectangular assignment with a fixed tie rule;
 * - alignment: Jaccard, stability across runs, cosine alignment of two topic-word matrices.
 * Definitions follow `../shared/bench/sklearn_ref.py`; `bench/sklearn_metrics_ref.py` produces the
 * reference values the tests pin.
 */
export { npmiCoherence, meanNpmi, topicDiversity } from "./coherence.js";
export { normalizedMutualInfo, adjustedRandIndex, purity, labelAgreement, argmaxTopics } from "./labels.js";
export { hungarian } from "./hungarian.js";
export {
  jaccard,
  topicStability,
  computeTopicSimilarity,
  alignTopics,
  type TopicWeights,
  type TopicPair,
  type TopicAlignment,
} from "./alignment.js";
