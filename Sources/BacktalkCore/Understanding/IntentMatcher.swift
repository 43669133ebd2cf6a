import Foundation

/// Finds the intent a message means, with a calibrated confidence.
///
/// A TF-IDF model over stems, stem bigrams and concepts (synonym sets from `concepts.yaml`),
/// scored two ways and blended: similarity to the nearest example (precise for phrasings close
/// to an example) and to the intent's centroid (robust for wordings that share a few words
/// with many examples). Inverted indexes keep a message to a few thousand multiply-adds, so
/// matching costs microseconds. The confidence is a logistic function of the best score and
/// its margin over the runner-up, fitted on cross-validation of the shipped examples
/// (`backtalk eval`), so 0.8 means roughly "right four times in five".
public struct IntentMatcher: Sendable {
  /// The intents in index order.
  public let intentNames: [String]
  private let exampleTexts: [String]
  private let exampleIntent: [Int]
  private let idf: [String: Double]
  private let examplePostings: [String: [(example: Int, weight: Double)]]
  private let centroidPostings: [String: [(intent: Int, weight: Double)]]
  private let nearestOnly: Set<Int>
  /// A discriminative model over the same vectors, blended in when `linear_weight` > 0.
  private let linear: LinearModel?
  /// The model's knobs (from `settings.yaml`, `matcher:`).
  public let tuning: MatcherTuning

  /// Trains the model on labelled feature lists.
  ///
  /// - Parameters:
  ///   - examples: `(intent, text, features)` triples; texts are kept for explanations.
  ///   - tuning: the model's knobs.
  public init(
    examples: [(intent: String, text: String, features: [String])],
    tuning: MatcherTuning = MatcherTuning()
  ) {
    self.tuning = tuning
    var names: [String] = []
    var nameIndex: [String: Int] = [:]
    var exampleIntent: [Int] = []
    var documentFrequency: [String: Int] = [:]
    var intentsWithFeature: [String: Set<String>] = [:]
    for example in examples {
      for feature in example.features {
        intentsWithFeature[feature, default: []].insert(example.intent)
      }
      if nameIndex[example.intent] == nil {
        nameIndex[example.intent] = names.count
        names.append(example.intent)
      }
      exampleIntent.append(nameIndex[example.intent] ?? 0)
      for feature in Set(example.features) { documentFrequency[feature, default: 0] += 1 }
    }
    let n = Double(max(examples.count, 1))
    var idf: [String: Double] = [:]
    let intentCount = Double(max(names.count, 1))
    for (feature, df) in documentFrequency
    where tuning.charGramWeight > 0 || !feature.hasPrefix("g:") {
      var weight = log((n + 1) / (Double(df) + 0.5))
      // Inverse intent frequency: a word spread over many intents says little about which one
      // is meant, however rare it is among examples.
      let spread = Double(intentsWithFeature[feature]?.count ?? 1)
      weight *= 1 + tuning.intentSpreadWeight * log(intentCount / spread)
      if feature.hasPrefix("c:") { weight *= tuning.conceptWeight }
      if feature.hasPrefix("b:") { weight *= tuning.bigramWeight }
      if feature.hasPrefix("g:") { weight *= tuning.charGramWeight }
      idf[feature] = max(weight, 0.01)
    }
    var examplePostings: [String: [(example: Int, weight: Double)]] = [:]
    var centroids = [[String: Double]](repeating: [:], count: names.count)
    for (i, example) in examples.enumerated() {
      let vector = Self.vector(example.features, idf: idf)
      for (feature, weight) in vector {
        examplePostings[feature, default: []].append((i, weight))
        centroids[exampleIntent[i]][feature, default: 0] += weight
      }
    }
    var centroidPostings: [String: [(intent: Int, weight: Double)]] = [:]
    for (intent, centroid) in centroids.enumerated() {
      let norm = centroid.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0 else { continue }
      for (feature, weight) in centroid {
        centroidPostings[feature, default: []].append((intent, weight / norm))
      }
    }
    self.intentNames = names
    self.nearestOnly = Set(tuning.nearestOnly.compactMap { nameIndex[$0] })
    self.exampleTexts = examples.map(\.text)
    self.exampleIntent = exampleIntent
    self.idf = idf
    self.examplePostings = examplePostings
    self.centroidPostings = centroidPostings
    self.linear =
      tuning.linearWeight > 0
      ? LinearModel(
        vectors: examples.map { Self.vector($0.features, idf: idf) }, labels: exampleIntent,
        classes: names.count, epochs: 8)
      : nil
  }

  /// Sublinear-tf TF-IDF vector, L2-normalised; unknown features are dropped.
  static func vector(_ features: [String], idf: [String: Double]) -> [String: Double] {
    var counts: [String: Int] = [:]
    for feature in features where idf[feature] != nil { counts[feature, default: 0] += 1 }
    var vector: [String: Double] = [:]
    var norm = 0.0
    for (feature, count) in counts {
      let w = (1 + log(Double(count))) * (idf[feature] ?? 0)
      vector[feature] = w
      norm += w * w
    }
    norm = norm.squareRoot()
    guard norm > 0 else { return [:] }
    for key in vector.keys { vector[key, default: 0] /= norm }
    return vector
  }

  /// Ranks the intents for a message's features.
  ///
  /// - Parameters:
  ///   - features: the message's features.
  ///   - restrictedTo: when set, only these intents compete (used to read the answer to "did
  ///     you mean A or B?").
  /// - Returns: the ranked candidates with a calibrated confidence.
  public func match(_ features: [String], restrictedTo: Set<String>? = nil) -> IntentMatch {
    let query = Self.vector(features, idf: idf)
    guard !query.isEmpty else {
      return IntentMatch(candidates: [], confidence: 0, features: features)
    }
    // Dense accumulators: a common feature ("back") has hundreds of postings, and dictionary
    // updates would dominate the per-message time.
    var exampleScores = [Double](repeating: 0, count: exampleIntent.count)
    for (feature, q) in query {
      for posting in examplePostings[feature] ?? [] {
        exampleScores[posting.example] += q * posting.weight
      }
    }
    var centroidScores = [Double](repeating: 0, count: intentNames.count)
    for (feature, q) in query {
      for posting in centroidPostings[feature] ?? [] {
        centroidScores[posting.intent] += q * posting.weight
      }
    }
    var bestExample = [Int](repeating: -1, count: intentNames.count)
    var bestExampleScore = [Double](repeating: 0, count: intentNames.count)
    for (example, score) in exampleScores.enumerated() where score > 0 {
      let intent = exampleIntent[example]
      if score > bestExampleScore[intent]
        || (score == bestExampleScore[intent] && example < bestExample[intent])
      {
        bestExampleScore[intent] = score
        bestExample[intent] = example
      }
    }
    let linearScores = linear?.probabilities(query) ?? []
    var ranked: [(intent: Int, score: Double)] = []
    for intent in intentNames.indices where bestExample[intent] >= 0 {
      if let allowed = restrictedTo, !allowed.contains(intentNames[intent]) { continue }
      var score =
        nearestOnly.contains(intent)
        ? bestExampleScore[intent] * tuning.nearestOnlyScale
        : tuning.exampleWeight * bestExampleScore[intent]
          + (1 - tuning.exampleWeight) * centroidScores[intent]
      if !linearScores.isEmpty {
        score = (1 - tuning.linearWeight) * score + tuning.linearWeight * linearScores[intent]
      }
      ranked.append((intent, score))
    }
    ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.intent < $1.intent }
    let top = ranked.prefix(5).map { entry -> IntentMatch.Candidate in
      let example = bestExample[entry.intent]
      let contributing = query.keys.filter { feature in
        (centroidPostings[feature] ?? []).contains { $0.intent == entry.intent }
      }.sorted { (query[$0] ?? 0) > (query[$1] ?? 0) }
      return IntentMatch.Candidate(
        intent: intentNames[entry.intent], score: entry.score,
        nearestExample: example >= 0 ? exampleTexts[example] : "",
        matchedFeatures: contributing)
    }
    let s1 = top.first?.score ?? 0
    let s2 = top.count > 1 ? top[1].score : 0
    return IntentMatch(
      candidates: top, confidence: tuning.confidence(best: s1, runnerUp: s2), features: features)
  }

}
