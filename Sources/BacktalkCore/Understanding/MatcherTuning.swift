import Foundation

/// The intent matcher's knobs, read from `settings.yaml` (`matcher:`) so they are tuned by
/// data and cross-validation (`backtalk eval --set key=value`), not by editing Swift.
public struct MatcherTuning: Codable, Hashable, Sendable {
  /// Weight of the nearest-example similarity in the blend (the rest is the intent centroid).
  public var exampleWeight = 0.55
  /// IDF multiplier of concept features (synonym sets) relative to words.
  public var conceptWeight = 1.6
  /// IDF multiplier of stem bigrams.
  public var bigramWeight = 0.7
  /// How much a feature's spread over intents discounts it (0 = plain TF-IDF).
  public var intentSpreadWeight = 0.0
  /// Weight of the discriminative (softmax regression) score in the blend; 0 turns it off.
  public var linearWeight = 0.0
  /// IDF multiplier of character trigrams (0 turns them off).
  public var charGramWeight = 0.0
  /// Whether character trigrams also enter the similarity scores (otherwise only the
  /// regression model sees them).
  public var similarityCharGrams = false
  /// Intents scored by their nearest example only: a catch-all such as `out_of_scope` has no
  /// coherent centroid, and its centroid would attract every generic word.
  public var nearestOnly: [String] = ["out_of_scope"]
  /// Scale of a nearest-only intent's score.
  public var nearestOnlyScale = 0.9
  /// Weight of the sentence embedding in the regression model's features (0: words only).
  ///
  /// The semantic half: "pins and needles" near "tingling", "PT" near "physio".
  public var embeddingWeight = 0.0
  /// How far the regression model weighs an intent with many times the median number of
  /// examples as a typical one (see ``LinearModel``), from 0 (each example counts once) to 1: a
  /// catch-all with hundreds of examples of other fields learns their words without pulling
  /// every uncertain question of the domain to itself.
  public var classBalance = 0.0
  /// Confidence calibration: logistic of `bias + score * best + margin * (best - runner-up)`,
  /// fitted on cross-validation (`backtalk eval --calibrate`).
  public var calibrationBias = -4.0
  /// See ``calibrationBias``.
  public var calibrationScore = 9.0
  /// See ``calibrationBias``.
  public var calibrationMargin = 8.0
  /// The domain gate's off-topic probability (see ``DomainGate``) at or above which a message
  /// with no word of the back, the body or pain is another field's question; 0 turns it off.
  public var offTopicGateAbove = 0.0
  /// The gate's probability at or above which it is sure: a message with no word of another
  /// field is still another field's when the matcher placed it nowhere either ("what's 17
  /// times 23"); 0 turns it off.
  public var offTopicGateSure = 0.0
  /// Weight of the sentence vector in the gate's features.
  public var gateEmbeddingWeight = 1.0
  /// Training epochs of the gate.
  public var gateEpochs = 12

  private enum CodingKeys: String, CodingKey {
    case exampleWeight = "example_weight"
    case conceptWeight = "concept_weight"
    case bigramWeight = "bigram_weight"
    case charGramWeight = "char_gram_weight"
    case similarityCharGrams = "similarity_char_grams"
    case linearWeight = "linear_weight"
    case intentSpreadWeight = "intent_spread_weight"
    case calibrationBias = "calibration_bias"
    case calibrationScore = "calibration_score"
    case calibrationMargin = "calibration_margin"
    case nearestOnly = "nearest_only"
    case nearestOnlyScale = "nearest_only_scale"
    case embeddingWeight = "embedding_weight"
    case classBalance = "class_balance"
    case offTopicGateAbove = "off_topic_gate_above"
    case offTopicGateSure = "off_topic_gate_sure"
    case gateEmbeddingWeight = "gate_embedding_weight"
    case gateEpochs = "gate_epochs"
  }

  /// The defaults.
  public init() {}

  /// Decodes the knobs, keeping the default of any left out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = MatcherTuning()
    exampleWeight = try c.decodeIfPresent(Double.self, forKey: .exampleWeight) ?? d.exampleWeight
    conceptWeight = try c.decodeIfPresent(Double.self, forKey: .conceptWeight) ?? d.conceptWeight
    bigramWeight = try c.decodeIfPresent(Double.self, forKey: .bigramWeight) ?? d.bigramWeight
    charGramWeight = try c.decodeIfPresent(Double.self, forKey: .charGramWeight) ?? d.charGramWeight
    similarityCharGrams =
      try c.decodeIfPresent(Bool.self, forKey: .similarityCharGrams) ?? d.similarityCharGrams
    linearWeight = try c.decodeIfPresent(Double.self, forKey: .linearWeight) ?? d.linearWeight
    intentSpreadWeight =
      try c.decodeIfPresent(Double.self, forKey: .intentSpreadWeight) ?? d.intentSpreadWeight
    calibrationBias =
      try c.decodeIfPresent(Double.self, forKey: .calibrationBias) ?? d.calibrationBias
    calibrationScore =
      try c.decodeIfPresent(Double.self, forKey: .calibrationScore) ?? d.calibrationScore
    calibrationMargin =
      try c.decodeIfPresent(Double.self, forKey: .calibrationMargin) ?? d.calibrationMargin
    nearestOnly = try c.decodeIfPresent([String].self, forKey: .nearestOnly) ?? d.nearestOnly
    nearestOnlyScale =
      try c.decodeIfPresent(Double.self, forKey: .nearestOnlyScale) ?? d.nearestOnlyScale
    embeddingWeight =
      try c.decodeIfPresent(Double.self, forKey: .embeddingWeight) ?? d.embeddingWeight
    classBalance = try c.decodeIfPresent(Double.self, forKey: .classBalance) ?? d.classBalance
    offTopicGateAbove =
      try c.decodeIfPresent(Double.self, forKey: .offTopicGateAbove) ?? d.offTopicGateAbove
    offTopicGateSure =
      try c.decodeIfPresent(Double.self, forKey: .offTopicGateSure) ?? d.offTopicGateSure
    gateEmbeddingWeight =
      try c.decodeIfPresent(Double.self, forKey: .gateEmbeddingWeight) ?? d.gateEmbeddingWeight
    gateEpochs = try c.decodeIfPresent(Int.self, forKey: .gateEpochs) ?? d.gateEpochs
  }

  /// Sets one knob by its YAML name (for `eval --set`); false if the name is unknown.
  public mutating func set(_ name: String, _ value: Double) -> Bool {
    switch name {
    case "example_weight": exampleWeight = value
    case "concept_weight": conceptWeight = value
    case "bigram_weight": bigramWeight = value
    case "char_gram_weight": charGramWeight = value
    case "similarity_char_grams": similarityCharGrams = value != 0
    case "linear_weight": linearWeight = value
    case "intent_spread_weight": intentSpreadWeight = value
    case "calibration_bias": calibrationBias = value
    case "calibration_score": calibrationScore = value
    case "calibration_margin": calibrationMargin = value
    case "nearest_only_scale": nearestOnlyScale = value
    case "embedding_weight": embeddingWeight = value
    case "class_balance": classBalance = value
    case "off_topic_gate_above": offTopicGateAbove = value
    case "gate_embedding_weight": gateEmbeddingWeight = value
    case "gate_epochs": gateEpochs = Int(value)
    default: return false
    }
    return true
  }

  /// Maps the best score and its margin over the runner-up to a probability-like confidence.
  public func confidence(best: Double, runnerUp: Double) -> Double {
    let z = calibrationBias + calibrationScore * best + calibrationMargin * (best - runnerUp)
    return 1 / (1 + exp(-z))
  }
}
