import Foundation

/// Accuracy figures in the style of `rasa test nlu`: overall accuracy, per-intent precision,
/// recall and F1, and the most frequent confusions.
public struct Evaluation: Sendable {
  /// One scored prediction.
  public struct Prediction: Sendable {
    /// The message.
    public let text: String
    /// The right intent.
    public let expected: String
    /// The intent the bot would act on (`out_of_scope` when it falls back).
    public let predicted: String
    /// The best-scoring intent, ignoring the fallback threshold.
    public let top: String
    /// The best score.
    public let score: Double
    /// The runner-up's score.
    public let runnerUp: Double
    /// The calibrated confidence.
    public let confidence: Double
  }

  /// Per-intent figures.
  public struct IntentScore: Sendable {
    /// The intent.
    public let intent: String
    /// Precision.
    public let precision: Double
    /// Recall.
    public let recall: Double
    /// F1.
    public let f1: Double
    /// How many test messages had this intent.
    public let support: Int
  }

  /// Every prediction.
  public let predictions: [Prediction]

  /// Wraps predictions.
  public init(predictions: [Prediction]) { self.predictions = predictions }

  /// The share predicted right.
  public var accuracy: Double {
    guard !predictions.isEmpty else { return 0 }
    return Double(predictions.filter { $0.expected == $0.predicted }.count)
      / Double(predictions.count)
  }

  /// The share whose best-scoring intent is right, as if there were no fallback.
  public var topAccuracy: Double {
    guard !predictions.isEmpty else { return 0 }
    return Double(predictions.filter { $0.expected == $0.top }.count) / Double(predictions.count)
  }

  /// How often the bot falls back, and how often a fallback was wrong to do so.
  public var fallbackRate: Double {
    guard !predictions.isEmpty else { return 0 }
    return Double(
      predictions.filter { $0.predicted == "out_of_scope" && $0.top != "out_of_scope" }.count)
      / Double(predictions.count)
  }

  /// Per-intent precision, recall and F1, worst F1 first.
  public var perIntent: [IntentScore] {
    let intents = Set(predictions.map(\.expected)).union(predictions.map(\.predicted))
    return intents.map { intent in
      let tp = predictions.filter { $0.expected == intent && $0.predicted == intent }.count
      let predicted = predictions.filter { $0.predicted == intent }.count
      let actual = predictions.filter { $0.expected == intent }.count
      let p = predicted == 0 ? 0 : Double(tp) / Double(predicted)
      let r = actual == 0 ? 0 : Double(tp) / Double(actual)
      let f = p + r == 0 ? 0 : 2 * p * r / (p + r)
      return IntentScore(intent: intent, precision: p, recall: r, f1: f, support: actual)
    }.sorted { $0.f1 != $1.f1 ? $0.f1 < $1.f1 : $0.intent < $1.intent }
  }

  /// The most frequent (expected, predicted) confusions.
  public func confusions(limit: Int = 10) -> [(expected: String, predicted: String, count: Int)] {
    var counts: [String: Int] = [:]
    for p in predictions where p.expected != p.predicted {
      counts[p.expected + " -> " + p.predicted, default: 0] += 1
    }
    return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(
      limit
    ).map {
      let parts = $0.key.components(separatedBy: " -> ")
      return (parts[0], parts.count > 1 ? parts[1] : "", $0.value)
    }
  }

  /// Fits the confidence calibration (`bias + a*score + b*margin`, logistic) to these
  /// predictions by gradient descent; used to set ``IntentMatcher/calibration``.
  public func fittedCalibration() -> (bias: Double, score: Double, margin: Double) {
    var w = (bias: 0.0, score: 0.0, margin: 0.0)
    let rate = 0.5
    for _ in 0..<4000 {
      var g = (0.0, 0.0, 0.0)
      for p in predictions {
        let y = p.expected == p.predicted ? 1.0 : 0.0
        let z = w.bias + w.score * p.score + w.margin * (p.score - p.runnerUp)
        let e = 1 / (1 + exp(-z)) - y
        g.0 += e
        g.1 += e * p.score
        g.2 += e * (p.score - p.runnerUp)
      }
      let n = Double(max(predictions.count, 1))
      w.bias -= rate * g.0 / n
      w.score -= rate * g.1 / n
      w.margin -= rate * g.2 / n
    }
    return w
  }
}

extension Assistant {
  /// Predicts as the bot acts: the best intent, or `out_of_scope` below the fallback threshold.
  func predict(_ match: IntentMatch, text: String, expected: String) -> Evaluation.Prediction {
    let s1 = match.candidates.first?.score ?? 0
    let s2 = match.candidates.count > 1 ? match.candidates[1].score : 0
    var predicted =
      match.confidence >= settings.fallbackBelow ? (match.best ?? "out_of_scope") : "out_of_scope"
    if isOffDomain(prepare(text), match) { predicted = "out_of_scope" }
    return Evaluation.Prediction(
      text: text, expected: expected, predicted: predicted, top: match.best ?? "out_of_scope",
      score: s1, runnerUp: s2,
      confidence: match.confidence)
  }

  /// Scores a labelled test set through the deployed matcher.
  public func evaluate(_ cases: [(text: String, intent: String)]) -> Evaluation {
    Evaluation(
      predictions: cases.map { predict(classify($0.text), text: $0.text, expected: $0.intent) })
  }

  /// Stratified k-fold cross-validation on the knowledge base's own examples: each fold is
  /// predicted by a matcher trained on the other folds.
  public func crossValidate(folds: Int) -> Evaluation {
    let k = max(2, folds)
    var labelled: [(intent: String, text: String, features: [String], fold: Int)] = []
    for intent in knowledge.intents {
      for (i, example) in intent.examples.enumerated() {
        labelled.append((intent.name, example, analyze(example).features, i % k))
      }
    }
    var predictions: [Evaluation.Prediction] = []
    for fold in 0..<k {
      let training = labelled.filter { $0.fold != fold }.map { ($0.intent, $0.text, $0.features) }
      let matcher = IntentMatcher(
        examples: training, tuning: self.matcher.tuning, embeddings: embeddings)
      for test in labelled where test.fold == fold {
        let vector = matcher.embeddingDimensions > 0 ? embeddings?.embed(test.text) ?? [] : []
        predictions.append(
          predict(
            matcher.match(test.features, embedding: vector), text: test.text,
            expected: test.intent))
      }
    }
    return Evaluation(predictions: predictions)
  }
}
