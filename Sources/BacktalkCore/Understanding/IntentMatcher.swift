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
  private let exampleIntent: [Int32]
  /// Each intent's examples as one index range (examples are stored intent by intent), so the
  /// nearest example per intent is a branch-free maximum over its range.
  private let intentExamples: [Range<Int>]
  /// Every feature the examples use, numbered; the arrays below are indexed by that number.
  private let features: StringTable
  private let idf: [Double]
  /// Postings per feature in compressed rows: feature `f`'s entries are
  /// `offsets[f]..<offsets[f + 1]` of `entries` and `weights`.
  private let examplePostings: Postings
  private let centroidPostings: Postings
  private let nearestOnly: [Bool]
  /// The character trigram features of each word feature (`w:` stem), as compressed rows
  /// indexed by feature id: derived here rather than by the analyzer, so a message costs one
  /// lookup per word instead of building and hashing a string per trigram.
  private let wordGrams: Postings
  /// A discriminative model over the same vectors, blended in when `linear_weight` > 0.
  private let linear: LinearModel?
  /// Dimensions of the sentence embedding the regression model reads after the word
  /// features (0 when it reads words only).
  let embeddingDimensions: Int
  /// The model's knobs (from `settings.yaml`, `matcher:`).
  public private(set) var tuning: MatcherTuning

  /// Inverted lists in compressed sparse rows: flat arrays cost no allocation per feature and
  /// are read sequentially when a message's scores are accumulated.
  struct Postings: Sendable {
    var offsets: [Int32]
    var entries: [Int32]
    var weights: [Double]

    init(offsets: [Int32], entries: [Int32], weights: [Double]) {
      self.offsets = offsets
      self.entries = entries
      self.weights = weights
    }

    init(rows: [[(Int32, Double)]]) {
      offsets = [0]
      entries = []
      weights = []
      offsets.reserveCapacity(rows.count + 1)
      for row in rows {
        for (entry, weight) in row {
          entries.append(entry)
          weights.append(weight)
        }
        offsets.append(Int32(entries.count))
      }
    }

    func row(_ feature: Int32) -> Range<Int> {
      Int(offsets[Int(feature)])..<Int(offsets[Int(feature) + 1])
    }
  }

  /// Trains the model on labelled feature lists.
  ///
  /// - Parameters:
  ///   - examples: `(intent, text, features)` triples; texts are kept for explanations.
  ///   - regressionOnly: more triples that only the regression model learns from: never a
  ///     nearest example, never in a centroid (see ``Intent/moreExamples``).
  ///   - tuning: the model's knobs.
  ///   - embeddings: a sentence-embedding table; with `embedding_weight` > 0 the regression
  ///     model also reads each text's vector.
  public init(
    examples: [(intent: String, text: String, features: [String])],
    regressionOnly: [(intent: String, text: String, features: [String])] = [],
    tuning: MatcherTuning = MatcherTuning(), embeddings: StaticEmbeddingTable? = nil
  ) {
    self.tuning = tuning
    let examples = Self.groupedByIntent(examples)
    var names: [String] = []
    var nameIndex: [String: Int] = [:]
    var exampleIntent: [Int32] = []
    var featureIDs: [String: Int32] = [:]
    var featureNames: [String] = []
    var documentFrequency: [Int] = []
    var intentsWithFeature: [Set<Int>] = []
    var exampleFeatures: [[Int32]] = []
    exampleFeatures.reserveCapacity(examples.count)
    let useGrams = tuning.charGramWeight > 0
    // Numbers an example's features (new ones join the table) and counts them once each for
    // its intent.
    func count(_ features: [String], intent: Int) -> [Int32] {
      var ids: [Int32] = []
      ids.reserveCapacity(features.count)
      for feature in useGrams ? Self.withCharGrams(features) : features {
        if let known = featureIDs[feature] {
          ids.append(known)
        } else {
          let id = Int32(featureNames.count)
          featureIDs[feature] = id
          featureNames.append(feature)
          documentFrequency.append(0)
          intentsWithFeature.append([])
          ids.append(id)
        }
      }
      for id in Set(ids) {
        documentFrequency[Int(id)] += 1
        intentsWithFeature[Int(id)].insert(intent)
      }
      return ids
    }
    for example in examples {
      if nameIndex[example.intent] == nil {
        nameIndex[example.intent] = names.count
        names.append(example.intent)
      }
      let intent = nameIndex[example.intent] ?? 0
      exampleIntent.append(Int32(intent))
      exampleFeatures.append(count(example.features, intent: intent))
    }
    // The regression-only examples share the feature table and its frequencies, so that the
    // words only they use get weights a message can reach.
    var extraIntent: [Int] = []
    var extraFeatures: [[Int32]] = []
    var extraTexts: [String] = []
    for example in regressionOnly {
      guard let intent = nameIndex[example.intent] else { continue }
      extraTexts.append(example.text)
      extraIntent.append(intent)
      extraFeatures.append(count(example.features, intent: intent))
    }
    let n = Double(max(examples.count + extraFeatures.count, 1))
    let intentCount = Double(max(names.count, 1))
    var idf = [Double](repeating: 0, count: featureNames.count)
    for (id, feature) in featureNames.enumerated() {
      var weight = log((n + 1) / (Double(documentFrequency[id]) + 0.5))
      // Inverse intent frequency: a word spread over many intents says little about which one
      // is meant, however rare it is among examples.
      let spread = Double(max(intentsWithFeature[id].count, 1))
      weight *= 1 + tuning.intentSpreadWeight * log(intentCount / spread)
      if feature.hasPrefix("c:") { weight *= tuning.conceptWeight }
      if feature.hasPrefix("b:") { weight *= tuning.bigramWeight }
      if feature.hasPrefix("g:") { weight *= tuning.charGramWeight }
      idf[id] = max(weight, 0.01)
    }
    let vectors = exampleFeatures.map { Self.vector($0, idf: idf) }
    // Character trigrams feed the regression model only, unless asked for: their posting
    // lists are long, and in the similarity scores they cost more time than they earn.
    let isCharGram = featureNames.map { $0.hasPrefix("g:") }
    let similarityVectors =
      tuning.similarityCharGrams || !isCharGram.contains(true)
      ? vectors
      : exampleFeatures.map { Self.vector($0.filter { !isCharGram[Int($0)] }, idf: idf) }
    var exampleRows = [[(Int32, Double)]](repeating: [], count: featureNames.count)
    var centroids = [[Int32: Double]](repeating: [:], count: names.count)
    for (i, vector) in similarityVectors.enumerated() {
      for (feature, weight) in vector {
        exampleRows[Int(feature)].append((Int32(i), weight))
        centroids[Int(exampleIntent[i])][feature, default: 0] += weight
      }
    }
    var centroidRows = [[(Int32, Double)]](repeating: [], count: featureNames.count)
    for (intent, centroid) in centroids.enumerated() {
      let norm = centroid.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0 else { continue }
      for (feature, weight) in centroid.sorted(by: { $0.key < $1.key }) {
        centroidRows[Int(feature)].append((Int32(intent), weight / norm))
      }
    }
    self.intentNames = names
    self.nearestOnly = names.map { tuning.nearestOnly.contains($0) }
    self.exampleTexts = examples.map(\.text)
    self.exampleIntent = exampleIntent
    self.intentExamples = Self.ranges(exampleIntent, intents: names.count) ?? []
    self.features = StringTable(featureNames)
    self.idf = idf
    self.wordGrams = Self.wordGrams(featureNames: featureNames, ids: featureIDs, enabled: useGrams)
    self.examplePostings = Postings(rows: exampleRows)
    self.centroidPostings = Postings(rows: centroidRows)
    let table = tuning.embeddingWeight > 0 ? embeddings : nil
    let dimensions = table?.dimensions ?? 0
    self.embeddingDimensions = dimensions
    var rows = vectors + extraFeatures.map { Self.vector($0, idf: idf) }
    if let table {
      for (i, text) in (examples.map(\.text) + extraTexts).enumerated() {
        rows[i] += Self.dense(table.embed(text), offset: featureNames.count, tuning: tuning)
      }
    }
    self.linear =
      tuning.linearWeight > 0
      ? LinearModel(
        rows: rows, labels: exampleIntent.map(Int.init) + extraIntent,
        features: featureNames.count + dimensions, classes: names.count, epochs: 8,
        balance: tuning.classBalance)
      : nil
  }

  /// A sentence vector as features numbered from `offset`, weighted.
  static func dense(_ vector: [Float], offset: Int, tuning: MatcherTuning) -> [(Int32, Double)] {
    vector.enumerated().compactMap { d, value in
      value == 0 ? nil : (Int32(offset + d), Double(value) * tuning.embeddingWeight)
    }
  }

  /// The `g:` trigram features of a stem of four letters or more, `<` and `>` marking its ends.
  static func charGrams(of stem: Substring) -> [String] {
    guard stem.count >= 4 else { return [] }
    let chars = Array("<" + stem + ">")
    return (0...(chars.count - 3)).map { "g:" + String(chars[$0..<($0 + 3)]) }
  }

  /// The known trigram ids of a `w:` feature, as ``charGrams(of:)`` names them.
  ///
  /// Most unknown words are ASCII: their `g:abc` names are assembled in a small byte buffer
  /// and looked up without making a string each (which cost more than the rest of the match).
  private func appendGramIDs(of feature: String, to grams: inout [Int32]) {
    var word = feature
    let done = word.withUTF8 { utf8 -> Bool in
      guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
      let stem = UnsafeBufferPointer(rebasing: utf8[2...])
      guard stem.count >= 4 else { return true }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stem.count + 2) { marked in
        marked[0] = 0x3C  // <
        for (i, byte) in stem.enumerated() { marked[i + 1] = byte }
        marked[stem.count + 1] = 0x3E  // >
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 5) { name in
          name[0] = 0x67  // g
          name[1] = 0x3A  // :
          for start in 0...(stem.count - 1) {
            name[2] = marked[start]
            name[3] = marked[start + 1]
            name[4] = marked[start + 2]
            if let id = features.id(of: UnsafeBufferPointer(name)) { grams.append(id) }
          }
        }
      }
      return true
    }
    guard !done else { return }
    for gram in Self.charGrams(of: feature.dropFirst(2)) {
      if let id = features.id(of: gram) { grams.append(id) }
    }
  }

  /// Features with each word feature followed by its trigrams.
  static func withCharGrams(_ features: [String]) -> [String] {
    var out: [String] = []
    for feature in features {
      out.append(feature)
      if feature.hasPrefix("w:") { out += charGrams(of: feature.dropFirst(2)) }
    }
    return out
  }

  /// The trigram ids of every known word feature (empty rows when trigrams are off).
  static func wordGrams(featureNames: [String], ids: [String: Int32], enabled: Bool)
    -> Postings
  {
    let rows = featureNames.map { name -> [(Int32, Double)] in
      guard enabled, name.hasPrefix("w:") else { return [] }
      return charGrams(of: name.dropFirst(2)).compactMap { gram in ids[gram].map { ($0, 1) } }
    }
    return Postings(rows: rows)
  }

  /// Sublinear-tf TF-IDF vector, L2-normalised, in order of first occurrence.
  static func vector(_ features: [Int32], idf: [Double]) -> [(Int32, Double)] {
    var vector: [(Int32, Double)] = []
    var counts: [Int] = []
    vector.reserveCapacity(features.count)
    counts.reserveCapacity(features.count)
    for feature in features {
      if let k = vector.firstIndex(where: { $0.0 == feature }) {
        counts[k] += 1
      } else {
        vector.append((feature, 0))
        counts.append(1)
      }
    }
    var norm = 0.0
    for k in vector.indices {
      let w = (1 + log(Double(counts[k]))) * idf[Int(vector[k].0)]
      vector[k].1 = w
      norm += w * w
    }
    norm = norm.squareRoot()
    guard norm > 0 else { return [] }
    for k in vector.indices { vector[k].1 /= norm }
    return vector
  }

  /// Ranks the intents for a message's features.
  ///
  /// - Parameters:
  ///   - features: the message's features.
  ///   - restrictedTo: when set, only these intents compete (used to read the answer to "did
  ///     you mean A or B?").
  ///   - explain: fill each candidate's `matchedFeatures` (for `why` and traces).
  ///   - embedding: the message's sentence vector, when the model reads one.
  /// - Returns: the ranked candidates with a calibrated confidence.
  public func match(
    _ features: [String], restrictedTo: Set<String>? = nil, explain: Bool = false,
    embedding: [Float] = []
  ) -> IntentMatch {
    var ids: [Int32] = []
    var grams: [Int32] = []
    ids.reserveCapacity(features.count)
    let useGrams = wordGrams.entries.count > 0
    for feature in features {
      if let id = self.features.id(of: feature) {
        ids.append(id)
        if useGrams { for k in wordGrams.row(id) { grams.append(wordGrams.entries[k]) } }
      } else if useGrams, feature.hasPrefix("w:") {
        // A word the examples never used: its trigrams may still be known.
        appendGramIDs(of: feature, to: &grams)
      }
    }
    let query = Self.vector(ids + grams, idf: idf)
    guard !query.isEmpty else {
      return IntentMatch(candidates: [], confidence: 0, features: features)
    }
    let similarityQuery =
      tuning.similarityCharGrams || grams.isEmpty ? query : Self.vector(ids, idf: idf)
    // Dense accumulators: a common feature ("back") has hundreds of postings.
    let intents = intentNames.count
    var exampleScores = [Double](repeating: 0, count: exampleIntent.count)
    var centroidScores = [Double](repeating: 0, count: intents)
    examplePostings.entries.withUnsafeBufferPointer { entries in
      examplePostings.weights.withUnsafeBufferPointer { weights in
        exampleScores.withUnsafeMutableBufferPointer { scores in
          for (feature, q) in similarityQuery {
            for k in examplePostings.row(feature) { scores[Int(entries[k])] += q * weights[k] }
          }
        }
      }
    }
    for (feature, q) in similarityQuery {
      for k in centroidPostings.row(feature) {
        centroidScores[Int(centroidPostings.entries[k])] += q * centroidPostings.weights[k]
      }
    }
    // The nearest example of each intent, lowest index first on ties.
    var bestExample = [Int](repeating: -1, count: intents)
    var bestExampleScore = [Double](repeating: 0, count: intents)
    exampleScores.withUnsafeBufferPointer { scores in
      // Most scores are zero or small and scattered: a data-dependent branch per example
      // mispredicts often, so take each intent's maximum without one, then find where it is.
      for (intent, range) in intentExamples.enumerated() {
        let top = Self.maximum(scores, range)
        guard top > 0 else { continue }
        bestExampleScore[intent] = top
        bestExample[intent] = range.first { scores[$0] == top } ?? -1
      }
    }
    let linearQuery =
      embeddingDimensions > 0 && embedding.count == embeddingDimensions
      ? query + Self.dense(embedding, offset: self.features.count, tuning: tuning) : query
    let linearScores = linear?.probabilities(linearQuery) ?? []
    var ranked: [(intent: Int, score: Double)] = []
    ranked.reserveCapacity(intents)
    for intent in 0..<intents where bestExample[intent] >= 0 {
      if let allowed = restrictedTo, !allowed.contains(intentNames[intent]) { continue }
      var score =
        nearestOnly[intent]
        ? bestExampleScore[intent] * tuning.nearestOnlyScale
        : tuning.exampleWeight * bestExampleScore[intent]
          + (1 - tuning.exampleWeight) * centroidScores[intent]
      if !linearScores.isEmpty {
        score = (1 - tuning.linearWeight) * score + tuning.linearWeight * linearScores[intent]
      }
      ranked.append((intent, score))
    }
    let top = Self.best(5, of: ranked).map { entry -> IntentMatch.Candidate in
      let example = bestExample[entry.intent]
      return IntentMatch.Candidate(
        intent: intentNames[entry.intent], score: entry.score,
        nearestExample: example >= 0 ? exampleTexts[example] : "",
        matchedFeatures: explain ? contributing(similarityQuery, to: entry.intent) : [])
    }
    return IntentMatch(ranked: top, features: features, tuning: tuning)
  }

  /// The `k` highest scores, best first (lower intent index first on ties): one pass with a
  /// small sorted buffer instead of sorting all 55 intents for every message.
  static func best(_ k: Int, of ranked: [(intent: Int, score: Double)])
    -> [(intent: Int, score: Double)]
  {
    func before(_ a: (intent: Int, score: Double), _ b: (intent: Int, score: Double)) -> Bool {
      a.score != b.score ? a.score > b.score : a.intent < b.intent
    }
    var top: [(intent: Int, score: Double)] = []
    top.reserveCapacity(k + 1)
    for entry in ranked {
      if top.count == k, let last = top.last, !before(entry, last) { continue }
      var i = top.count
      while i > 0 && before(entry, top[i - 1]) { i -= 1 }
      top.insert(entry, at: i)
      if top.count > k { top.removeLast() }
    }
    return top
  }

  /// The largest of `scores[range]` and 0, with four running maxima (one chain of dependent
  /// comparisons would wait on each other; the maximum is the same whatever the grouping).
  @inline(__always)
  static func maximum(_ scores: UnsafeBufferPointer<Double>, _ range: Range<Int>) -> Double {
    var m0 = 0.0
    var m1 = 0.0
    var m2 = 0.0
    var m3 = 0.0
    var i = range.lowerBound
    while i + 4 <= range.upperBound {
      m0 = scores[i] > m0 ? scores[i] : m0
      m1 = scores[i + 1] > m1 ? scores[i + 1] : m1
      m2 = scores[i + 2] > m2 ? scores[i + 2] : m2
      m3 = scores[i + 3] > m3 ? scores[i + 3] : m3
      i += 4
    }
    while i < range.upperBound {
      m0 = scores[i] > m0 ? scores[i] : m0
      i += 1
    }
    return max(max(m0, m1), max(m2, m3))
  }

  /// The examples intent by intent, intents in the order they first appear, each intent's in
  /// the order given (a knowledge base already lists them so): each intent's examples are then
  /// one range.
  static func groupedByIntent(_ examples: [(intent: String, text: String, features: [String])])
    -> [(intent: String, text: String, features: [String])]
  {
    var firstSeen: [String: Int] = [:]
    for example in examples where firstSeen[example.intent] == nil {
      firstSeen[example.intent] = firstSeen.count
    }
    func key(_ entry: (offset: Int, element: (intent: String, text: String, features: [String])))
      -> (Int, Int)
    {
      (firstSeen[entry.element.intent] ?? 0, entry.offset)
    }
    return examples.enumerated().sorted { key($0) < key($1) }.map(\.element)
  }

  /// Each intent's examples as a range, or nil when some intent's examples are not adjacent
  /// (only a damaged snapshot).
  static func ranges(_ owners: [Int32], intents: Int) -> [Range<Int>]? {
    var ranges = [Range<Int>](repeating: 0..<0, count: intents)
    guard !owners.isEmpty else { return ranges }
    var start = 0
    for i in 1...owners.count where i == owners.count || owners[i] != owners[i - 1] {
      let intent = Int(owners[start])
      guard ranges[intent].isEmpty else { return nil }
      ranges[intent] = start..<i
      start = i
    }
    return ranges
  }

  /// Whether any example of `intent` uses `feature` (a concept such as "c:injection").
  ///
  /// What a follow-up reads to tell a thing of the current topic ("is the needle thin?" after
  /// acupuncture) from a thing of another ("what about the injections?" after chiropractic).
  public func intent(_ intent: String, uses feature: String) -> Bool {
    guard let id = features.id(of: feature), let index = intentNames.firstIndex(of: intent)
    else { return false }
    return centroidPostings.row(id).contains {
      centroidPostings.entries[$0] == Int32(index)
    }
  }

  /// How many intents have an example that uses `feature`: a word of few intents says which
  /// topic is meant, a word of many ("last", "help") only what kind of question it is.
  public func intentCount(using feature: String) -> Int {
    guard let id = features.id(of: feature) else { return 0 }
    return centroidPostings.row(id).count
  }

  /// Whether an example of any intent but `except` uses `feature`: whether a word belongs to
  /// the domain's own questions rather than only to the off-topic examples.
  public func anyIntent(except: String, uses feature: String) -> Bool {
    guard let id = features.id(of: feature) else { return false }
    let excluded = intentNames.firstIndex(of: except).map(Int32.init) ?? -1
    return centroidPostings.row(id).contains { centroidPostings.entries[$0] != excluded }
  }

  /// The query features found in an intent's centroid, strongest first.
  private func contributing(_ query: [(Int32, Double)], to intent: Int) -> [String] {
    query.filter { feature, _ in
      centroidPostings.row(feature).contains { centroidPostings.entries[$0] == Int32(intent) }
    }
    .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    .map { features[$0.0] }
  }

  /// The same trained model scored with other knobs (the ones it was trained with, restored
  /// from the knowledge base after reading a snapshot).
  func retuned(_ tuning: MatcherTuning) -> IntentMatcher {
    var copy = self
    copy.tuning = tuning
    return copy
  }

  /// Writes the trained model; `tuning` is not written (the caller restores it with the
  /// knowledge base's settings, which the snapshot's key covers).
  func write(to w: inout SnapshotWriter) {
    w.strings(intentNames)
    w.strings(exampleTexts)
    w.raw(exampleIntent)
    features.write(to: &w)
    w.raw(idf)
    for postings in [examplePostings, centroidPostings] {
      w.raw(postings.offsets)
      w.raw(postings.entries)
      w.raw(postings.weights)
    }
    w.raw(nearestOnly)
    w.raw(wordGrams.offsets)
    w.raw(wordGrams.entries)
    w.int(embeddingDimensions)
    w.bool(linear != nil)
    if let linear { w.aligned(linear.trainedWeights) }
  }

  /// Reads a model written by ``write(to:)``, checking every index it will follow.
  init(snapshot r: inout SnapshotReader, tuning: MatcherTuning) throws(SnapshotError) {
    self.tuning = tuning
    intentNames = try r.strings()
    exampleTexts = try r.strings()
    exampleIntent = try r.raw(Int32.self)
    features = try StringTable(snapshot: &r)
    idf = try r.raw(Double.self)
    let intents = intentNames.count
    let features = self.features.count
    func postings(entries limit: Int) throws(SnapshotError) -> Postings {
      let p = Postings(
        offsets: try r.raw(Int32.self), entries: try r.raw(Int32.self),
        weights: try r.raw(Double.self))
      guard p.offsets.count == features + 1, p.entries.count == p.weights.count,
        p.offsets.first == 0, p.offsets.last.map(Int.init) == p.entries.count,
        zip(p.offsets, p.offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
        p.entries.allSatisfy({ $0 >= 0 && Int($0) < limit })
      else { throw .corrupt("the matcher's postings") }
      return p
    }
    examplePostings = try postings(entries: exampleTexts.count)
    centroidPostings = try postings(entries: intents)
    nearestOnly = try r.raw(Bool.self)
    let gramOffsets = try r.raw(Int32.self)
    let gramEntries = try r.raw(Int32.self)
    guard gramOffsets.count == features + 1, gramOffsets.first == 0,
      gramOffsets.last.map(Int.init) == gramEntries.count,
      zip(gramOffsets, gramOffsets.dropFirst()).allSatisfy({ $0 <= $1 }),
      gramEntries.allSatisfy({ $0 >= 0 && Int($0) < features })
    else { throw .corrupt("the trigram table") }
    wordGrams = Postings(
      offsets: gramOffsets, entries: gramEntries,
      weights: [Double](repeating: 1, count: gramEntries.count))
    guard exampleIntent.count == exampleTexts.count,
      exampleIntent.allSatisfy({ $0 >= 0 && Int($0) < intents }), idf.count == features,
      nearestOnly.count == intents
    else { throw .corrupt("the matcher's tables") }
    guard let ranges = Self.ranges(exampleIntent, intents: intents) else {
      throw .corrupt("the matcher's example order")
    }
    intentExamples = ranges
    let dimensions = try r.int()
    guard (0...4096).contains(dimensions) else { throw .corrupt("the embedding size") }
    embeddingDimensions = dimensions
    if try r.bool() {
      let weights = try r.view(Float.self)
      guard weights.count == (features + dimensions) * intents else {
        throw .corrupt("the regression weights")
      }
      linear = LinearModel(weights: .snapshot(weights), classes: intents)
    } else {
      linear = nil
    }
  }
}
