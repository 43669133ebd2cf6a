import Foundation

/// A statistical second opinion on every message: softmax regression over hashed word and
/// character n-grams, trained at compile time on `Intents/emergency_corpus.yaml`.
///
/// The lexicon (``EmergencyDetector``) is precise and explainable but knows only the phrases
/// someone listed; measured on messages written by others it caught 73-84% of emergencies.
/// People say "my hand won't grip" or "I've been saving up my tablets" in words no list
/// holds. A model over the whole message generalises from many phrasings to the next one:
/// stems carry the meaning, character n-grams carry typos and word forms, and words inside a
/// negation's scope are separate features, so "no chest pain" does not look like "chest pain".
/// Its probability is used with two thresholds chosen on cross-validation (see
/// ``SafetySettings``): escalate above one, ask a yes/no safety check between the two.
public struct EmergencyClassifier: Sendable {
  /// The label of harmless messages.
  public static let harmless = "none"
  /// The label of despair about the pain with no emergency sign.
  public static let distress = "distress"
  /// Feature hashing: 2^17 buckets keep collisions rare for a corpus of a few thousand
  /// messages, and the weights (4.7 MB) are read in place from the start-up snapshot.
  static let bucketBits = 17
  static var bucketCount: Int { 1 << bucketBits }
  /// Words that open a negation's scope, and how many words it covers.
  static let negators: Set<String> = [
    "no", "not", "never", "without", "nothing", "none", "nor", "neither", "zero", "negative",
    "denies", "free", "isnt", "dont", "didnt", "havent", "hasnt", "wasnt", "arent", "aint",
  ]
  static let negationScope = 3
  /// The time, person and mood of a sentence, read from cue words the way negation is.
  ///
  /// A stem in a sentence that says "last year", "my dad", "what if" or "fine since" is also
  /// a feature of its own, marked with the cue's kind, so "chest pain" said of the past or of
  /// someone else need not look like chest pain now (a linear model cannot otherwise combine a
  /// sign's words with the words that put it in another time). "Now", "today" and "again"
  /// mark the present, so a past history with a new sign keeps its own features.
  enum ContextCue: Int, CaseIterable {
    case past, resolved, hypothetical, otherPerson, informational, present
  }
  static let contextCues: [String: ContextCue] = {
    var cues: [String: ContextCue] = [:]
    let lists: [(ContextCue, [String])] = [
      (
        .past,
        [
          "ago", "years", "decade", "decades", "previously", "childhood", "once", "history",
          "teen", "teenager", "kid", "used", "ages", "twenties", "thirties", "uni", "school",
          "anymore",
        ]
      ),
      (
        .resolved,
        [
          "fine", "settled", "resolved", "cleared", "recovered", "healed", "better", "sorted",
          "normal", "okay", "ok", "nothing", "clear", "since", "away", "longer", "passed",
        ]
      ),
      (
        .hypothetical,
        [
          "if", "whether", "would", "could", "might", "suppose", "hypothetically", "case",
          "curious", "wondering", "wonder", "worried", "worry", "scared", "afraid", "ever",
          "someday", "future",
        ]
      ),
      (
        .otherPerson,
        [
          "dad", "father", "mom", "mother", "husband", "wife", "partner", "friend", "mate",
          "grandma", "grandmother", "grandpa", "grandfather", "grandad", "granddad", "nan",
          "nana", "granny", "son", "daughter", "brother", "sister", "uncle", "aunt", "cousin",
          "boyfriend", "girlfriend", "colleague", "coworker", "boss", "neighbour", "neighbor",
          "he", "she", "they", "his", "her", "him", "them", "someone", "somebody", "child",
          "baby", "parents", "family", "fiance", "fiancee", "flatmate", "roommate", "patient",
          "client", "people", "person",
        ]
      ),
      (
        .informational,
        [
          "signs", "sign", "symptoms", "symptom", "warning", "flags", "flag", "mean", "means",
          "difference", "cause", "causes", "tell", "know", "explain", "read", "article",
        ]
      ),
      (
        .present,
        [
          "now", "today", "tonight", "currently", "just", "suddenly", "minutes", "mins", "hour",
          "hours", "again", "started", "starting", "still", "happening", "rn", "morning",
          "yesterday", "keeps", "moment",
        ]
      ),
    ]
    for (cue, words) in lists { for word in words { cues[word] = cue } }
    return cues
  }()
  /// "last year", "last summer": `last` marks the past only before one of these.
  static let pastAfterLast: Set<String> = [
    "year", "years", "month", "months", "summer", "winter", "spring", "autumn", "fall",
    "christmas", "time", "decade",
  ]
  /// How far apart two words of a sentence still make a pair feature, and its weight.
  static let pairWindow = 4
  static let pairWeight = 0.5
  static let emergencyRepeats = 1
  static let biasFeature: Int32 = 0

  /// Class names: `none`, `distress`, then the emergency categories.
  public let labels: [String]
  private let model: LinearModel
  private let charGramWeight: Double
  /// Weight of the context-marked stems (0: none).
  private let contextWeight: Double
  /// Dimensions of the sentence embedding appended to the hashed features (0 without one).
  ///
  /// The semantic half: "my hand won't grip" lies near "weakness in my arm" although they
  /// share no word.
  public let embeddingDimensions: Int
  private let embeddingWeight: Double

  /// Trains on labelled analyses.
  ///
  /// - Parameters:
  ///   - examples: each message's analysis and its label (`none`, `distress` or a category).
  ///   - categories: the emergency categories, in the lexicon's order.
  ///   - epochs: SGD epochs.
  ///   - charGramWeight: weight of character n-grams against words.
  ///   - embeddings: each example's sentence vector, in order, or empty for none.
  ///   - embeddingWeight: the weight of the sentence vector against the hashed features.
  ///   - contextWeight: the weight of stems marked with their sentence's time, person or mood.
  public init(
    examples: [(analysis: Analysis, label: String)], categories: [String], epochs: Int,
    charGramWeight: Double, embeddings: [[Float]] = [], embeddingWeight: Double = 1,
    contextWeight: Double = 0
  ) {
    let labels = [Self.harmless, Self.distress] + categories
    let index = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let dimensions = embeddings.count == examples.count ? embeddings.first?.count ?? 0 : 0
    var rows: [[(Int32, Double)]] = []
    var classes: [Int] = []
    for (i, example) in examples.enumerated() {
      guard let label = index[example.label] else { continue }
      let row = Self.features(
        example.analysis, charGramWeight: charGramWeight,
        embedding: dimensions > 0 ? embeddings[i] : [], embeddingWeight: embeddingWeight,
        contextWeight: contextWeight)
      // Emergencies are a few hundred rows per category against thousands of harmless ones:
      // each is seen several times an epoch, so a rare phrasing still moves the weights.
      for _ in 0..<(label >= 2 ? Self.emergencyRepeats : 1) {
        rows.append(row)
        classes.append(label)
      }
    }
    self.labels = labels
    self.charGramWeight = charGramWeight
    self.contextWeight = contextWeight
    self.embeddingDimensions = dimensions
    self.embeddingWeight = embeddingWeight
    model = LinearModel(
      rows: rows, labels: classes, features: Self.bucketCount + dimensions,
      classes: labels.count, epochs: epochs)
  }

  private init(
    labels: [String], model: LinearModel, charGramWeight: Double, contextWeight: Double,
    embeddingDimensions: Int, embeddingWeight: Double
  ) {
    self.labels = labels
    self.model = model
    self.charGramWeight = charGramWeight
    self.contextWeight = contextWeight
    self.embeddingDimensions = embeddingDimensions
    self.embeddingWeight = embeddingWeight
  }

  /// The class probabilities of one message, summarised; `embedding` is its sentence vector
  /// (ignored unless the classifier was trained with one of the same size).
  public func score(_ analysis: Analysis, embedding: [Float] = []) -> EmergencyScore {
    summary(model.probabilities(features(analysis, embedding: embedding)))
  }

  /// This classifier's reading of a message and `other`'s, from one row of features when both
  /// read the same ones (the self-harm model beside the classifier, on every message: hashing
  /// a message's words and character n-grams is most of a reading's cost).
  public func scores(
    _ analysis: Analysis, embedding: [Float], alongside other: EmergencyClassifier
  ) -> (EmergencyScore, EmergencyScore) {
    let row = features(analysis, embedding: embedding)
    guard
      other.charGramWeight == charGramWeight, other.contextWeight == contextWeight,
      other.embeddingDimensions == embeddingDimensions,
      other.embeddingWeight == embeddingWeight
    else { return (summary(model.probabilities(row)), other.score(analysis, embedding: embedding)) }
    return (summary(model.probabilities(row)), other.summary(other.model.probabilities(row)))
  }

  /// The message's features as this classifier reads them.
  private func features(_ analysis: Analysis, embedding: [Float]) -> [(Int32, Double)] {
    Self.features(
      analysis, charGramWeight: charGramWeight,
      embedding: embedding.count == embeddingDimensions ? embedding : [],
      embeddingWeight: embeddingWeight, contextWeight: contextWeight)
  }

  /// The class probabilities, summarised.
  private func summary(_ probabilities: [Double]) -> EmergencyScore {
    var best = 2
    for i in 2..<labels.count where probabilities[i] > probabilities[best] { best = i }
    return EmergencyScore(
      emergency: max(0, 1 - probabilities[0] - probabilities[1]),
      category: labels.count > 2 ? labels[best] : Self.harmless,
      categoryProbability: labels.count > 2 ? probabilities[best] : 0,
      distress: probabilities[1])
  }

  /// The context cues of each sentence (tokens between `.` or `?`), as one bit per
  /// ``ContextCue`` for every token.
  static func contextMasks(_ tokens: [String]) -> [UInt8] {
    var masks = [UInt8](repeating: 0, count: tokens.count)
    var start = 0
    var mask: UInt8 = 0
    func close(_ end: Int) {
      if mask != 0 { for i in start..<end { masks[i] = mask } }
      start = end + 1
      mask = 0
    }
    for (i, token) in tokens.enumerated() {
      if token == TextNormalizer.sentenceBreak || token == TextNormalizer.questionBreak {
        close(i)
        continue
      }
      if let cue = contextCues[token] {
        mask |= 1 << UInt8(cue.rawValue)
      } else if token == "last", i + 1 < tokens.count, pastAfterLast.contains(tokens[i + 1]) {
        mask |= 1 << UInt8(ContextCue.past.rawValue)
      } else if token.utf8.count == 4, let year = Int(token), (1950...2024).contains(year) {
        mask |= 1 << UInt8(ContextCue.past.rawValue)
      }
    }
    close(tokens.count)
    return masks
  }

  /// The hashed features of a message, L2-normalised: stems (marked when negated), stem
  /// bigrams, stems marked with their sentence's context cues, and character 3-5-grams of
  /// each word as typed.
  static func features(
    _ analysis: Analysis, charGramWeight: Double, embedding: [Float] = [],
    embeddingWeight: Double = 1, contextWeight: Double = 0
  ) -> [(Int32, Double)] {
    var hashes: [(UInt64, Double)] = []
    hashes.reserveCapacity(analysis.tokens.count * 16)
    let masks = contextWeight > 0 ? contextMasks(analysis.tokens) : []
    var lastMask: UInt8 = 0
    var negatedFor = 0
    // The last few words of the sentence, for bigrams and for pairs a few words apart ("fever
    // ... gone", "dizzy ... passed"), which carry time and resolution beyond adjacent words.
    var recent: [UInt64] = []
    for (i, token) in analysis.tokens.enumerated() {
      if TextNormalizer.isBreak(token) {
        negatedFor = 0
        recent.removeAll(keepingCapacity: true)
        continue
      }
      let isNegated = negatedFor > 0
      negatedFor = max(0, negatedFor - 1)
      if negators.contains(token) { negatedFor = negationScope }
      let stem = Stemmer.stem(token)
      let word = Self.hash(stem, seed: isNegated ? 2 : 1)
      hashes.append((word, 1))
      if !masks.isEmpty, masks[i] != 0 {
        let mask = masks[i]
        for cue in 0..<UInt8(ContextCue.allCases.count) where mask & (1 << cue) != 0 {
          hashes.append((word &* 0x9e37_79b9_7f4a_7c15 &+ UInt64(cue) &+ 0x3c, contextWeight))
        }
        // The sentence's combination of cues, once: "my dad ... years ago" differs from
        // "years ago ... now".
        if mask != lastMask { hashes.append((0xc0ffee &+ UInt64(mask) &* 0x1_0000_0001, 1)) }
      }
      if !masks.isEmpty { lastMask = masks[i] }
      for (distance, earlier) in recent.reversed().enumerated() {
        let mixed = (earlier &* 0x100_0000_01b3) ^ word &+ (distance == 0 ? 0x51 : 0x77)
        hashes.append((mixed, distance == 0 ? 1 : pairWeight))
      }
      recent.append(word)
      if recent.count > pairWindow { recent.removeFirst() }
      guard charGramWeight > 0, i < analysis.rawTokens.count else { continue }
      var raw = "<" + analysis.rawTokens[i] + ">"
      raw.withUTF8 { bytes in
        for n in 3...5 where bytes.count >= n {
          for start in 0...(bytes.count - n) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(n) &+ (isNegated ? 97 : 0)
            for k in start..<(start + n) { h = (h ^ UInt64(bytes[k])) &* 0x100_0000_01b3 }
            hashes.append((h, charGramWeight))
          }
        }
      }
    }
    var norm = 0.0
    for (_, value) in hashes { norm += value * value }
    let scale = norm > 0 ? 1 / norm.squareRoot() : 0
    let mask = UInt64(bucketCount - 1)
    // The intercept stays at full weight whatever the length: normalised with the rest, it
    // would dominate a short message and push it to the classes' prior.
    var row: [(Int32, Double)] = [(Self.biasFeature, 1)]
    row.reserveCapacity(hashes.count + 1 + embedding.count)
    for (hash, value) in hashes {
      row.append((Int32(truncatingIfNeeded: (hash ^ (hash >> 29)) & mask), value * scale))
    }
    for (d, value) in embedding.enumerated() where value != 0 {
      row.append((Int32(bucketCount + d), Double(value) * embeddingWeight))
    }
    return row
  }

  static func hash(_ text: String, seed: UInt64) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
    for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return h
  }

  /// Out-of-fold scores for every example: each fold is scored by a model trained on the
  /// others, so thresholds chosen on them are not chosen on training data.
  public static func crossValidate(
    examples: [(analysis: Analysis, label: String)], categories: [String], epochs: Int,
    charGramWeight: Double, folds: Int, embeddings: [[Float]] = [], embeddingWeight: Double = 1,
    contextWeight: Double = 0
  ) -> [EmergencyScore] {
    var scores = [EmergencyScore?](repeating: nil, count: examples.count)
    let dense = embeddings.count == examples.count
    for fold in 0..<folds {
      let indices = examples.indices.filter { $0 % folds != fold }
      let model = EmergencyClassifier(
        examples: indices.map { examples[$0] }, categories: categories, epochs: epochs,
        charGramWeight: charGramWeight, embeddings: dense ? indices.map { embeddings[$0] } : [],
        embeddingWeight: embeddingWeight, contextWeight: contextWeight)
      for i in examples.indices where i % folds == fold {
        scores[i] = model.score(examples[i].analysis, embedding: dense ? embeddings[i] : [])
      }
    }
    return scores.map { $0 ?? EmergencyScore(emergency: 0, category: harmless) }
  }

  /// Writes the trained classifier (see ``SnapshotWriter``).
  func write(to w: inout SnapshotWriter) {
    w.strings(labels)
    w.double(charGramWeight)
    w.double(contextWeight)
    w.int(embeddingDimensions)
    w.double(embeddingWeight)
    w.aligned(model.trainedWeights)
  }

  /// Reads a classifier written by ``write(to:)``; the weights are used in place.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    let labels = try r.strings()
    let charGramWeight = try r.double()
    let contextWeight = try r.double()
    let dimensions = try r.int()
    let embeddingWeight = try r.double()
    let weights = try r.view(Float.self)
    guard labels.count >= 2, (0...4096).contains(dimensions),
      weights.count == (Self.bucketCount + dimensions) * labels.count
    else {
      throw .corrupt("the emergency classifier's weights")
    }
    self.init(
      labels: labels, model: LinearModel(weights: .snapshot(weights), classes: labels.count),
      charGramWeight: charGramWeight, contextWeight: contextWeight,
      embeddingDimensions: dimensions, embeddingWeight: embeddingWeight)
  }
}

/// What the emergency classifier thinks of one message.
public struct EmergencyScore: Equatable, Sendable {
  /// The probability that the message shows an emergency sign (any category).
  public var emergency: Double
  /// The most likely emergency category.
  public var category: String
  /// That category's own probability.
  public var categoryProbability: Double = 0
  /// The probability of despair about the pain (no emergency sign).
  public var distress: Double = 0
  /// The dedicated self-harm model's own probability (0 when it was not read).
  public var selfHarmModel: Double = 0
  /// Whether ``emergency`` and ``category`` are the self-harm model's reading, mapped onto
  /// the classifier's scale, rather than the classifier's.
  public var bySelfHarmModel = false
}
