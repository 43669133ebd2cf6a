/// Normalises a message once and derives what the matcher, the detector and the slot
/// extractor need from it.
///
/// Built from the knowledge base so that the vocabulary (for typo correction), the stopwords
/// and the synonym sets are all data from `Intents/`.
public struct TextAnalyzer: Sendable {
  /// The normaliser, with the spelling folds of `concepts.yaml`.
  public let normalizer: TextNormalizer
  /// Words left out of the features.
  ///
  /// String tables rather than sets here: these lookups run for every token of every message,
  /// and FNV over a few bytes costs less than `Hasher`.
  private let stopwords: StringTable
  private let corrector: TypoCorrector
  /// Concept phrases indexed by their first stem.
  private let concepts: StringMap<[ConceptEntry]>

  /// Builds the analyzer and returns the matcher features of each of `texts`, in order.
  ///
  /// The texts' own words are the vocabulary, so they need no typo correction: their features
  /// come straight from the tokens normalised for the vocabulary (no second pass at start-up).
  public static func build(
    vocabulary: Vocabulary, stopwords: [String], texts: [String], extraWords: [String] = []
  ) -> (analyzer: TextAnalyzer, textFeatures: [[String]]) {
    let normalizer = TextNormalizer(spellings: vocabulary.spellings)
    var counts: [String: Int] = [:]
    let tokenized = texts.map(normalizer.tokens)
    for tokens in tokenized {
      for token in tokens where !TextNormalizer.isBreak(token) { counts[token, default: 0] += 1 }
    }
    var index: [String: [ConceptEntry]] = [:]
    for concept in vocabulary.concepts {
      for term in concept.terms {
        let words = normalizer.tokens(term).filter { !TextNormalizer.isBreak($0) }
        guard let first = words.first else { continue }
        for word in words { counts[word, default: 0] += 1 }
        index[Stemmer.stem(first), default: []].append(
          ConceptEntry(stems: words.map(Stemmer.stem), concept: concept.name))
      }
    }
    for word in extraWords { counts[word, default: 0] += 1 }
    // A shorthand the normaliser folds ("physio" to "physiotherapy") is a word people misspell
    // too ("phsyio"): it is known to the corrector, whose correction is then folded the same
    // way (see ``analyze(_:isEnglish:)``). (Thirty-eighth session, after v62 was scored, from
    // its intent misses: "phsyio for back" had been read off-topic.)
    for (word, folded) in vocabulary.spellings
    where word.utf8.count >= 5 && !folded.contains(" ") && !word.contains("'") {
      counts[word, default: 0] += 1
    }
    let analyzer = TextAnalyzer(
      normalizer: normalizer, stopwords: stopwords, corrector: TypoCorrector(words: counts),
      conceptIndex: index)
    return (analyzer, tokenized.map(analyzer.features(of:)))
  }

  private init(
    normalizer: TextNormalizer, stopwords: [String], corrector: TypoCorrector,
    conceptIndex: [String: [ConceptEntry]]
  ) {
    self.normalizer = normalizer
    self.stopwords = StringTable(Array(Set(stopwords)).sorted())
    self.corrector = corrector
    concepts = StringMap(conceptIndex)
  }

  /// A concept phrase under its first stem.
  struct ConceptEntry: Sendable {
    let stems: [String]
    let concept: String
  }

  /// Analyses one message.
  ///
  /// `isEnglish` names words English knows whole: such a word is no typo even when the
  /// knowledge base never used it ("bleed" is not "blend", "washing" not "wishing").
  public func analyze(_ text: String, isEnglish: (String) -> Bool = { _ in false }) -> Analysis {
    let raw = normalizer.tokens(text)
    let tokens = raw.map { token -> String in
      if TextNormalizer.isBreak(token) || corrector.contains(token) { return token }
      // A letter held for emphasis ("heyyy", "sooo", "goooood") is the word said once or twice.
      if let word = Self.unstretched(token, known: corrector.contains) { return word }
      if token.count < 5 { return token }
      // A known word with an ending ("needing" from "need") is no typo: correcting it by one
      // letter would make it "needling".
      if corrector.contains(Stemmer.stem(token)) { return token }
      guard let corrected = corrector.correction(for: token) else { return token }
      // An English word is kept unless the correction only inflects it ("examine" is the
      // known "examined", "sweaty" the known "sweat").
      if isEnglish(token), !corrected.hasPrefix(token), !token.hasPrefix(corrected) {
        return token
      }
      return normalizer.spellings[corrected] ?? corrected
    }
    return Analysis(text: text, rawTokens: raw, tokens: tokens, features: features(of: tokens))
  }

  /// A word held for emphasis, said as the known word it stretches.
  ///
  /// Each run of three or more of a letter is cut to two letters or to one, whichever is a
  /// known word ("goooood" -> good, "heyyy" -> hey). Only lower-case letters (the normaliser
  /// has folded case): "99999 years" is a number.
  public static func unstretched(_ token: String, known: (String) -> Bool) -> String? {
    // Bytes, not characters: this runs for every word the vocabulary does not know, and a
    // run of three equal ASCII letters is all it looks for.
    let bytes = Array(token.utf8)
    guard bytes.count >= 3, bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7a }) else { return nil }
    var runs = false
    for i in 2..<bytes.count where bytes[i] == bytes[i - 1] && bytes[i] == bytes[i - 2] {
      runs = true
      break
    }
    guard runs else { return nil }
    for keep in [2, 1] {
      var word: [UInt8] = []
      var length = 0
      for (i, byte) in bytes.enumerated() {
        length = i > 0 && bytes[i - 1] == byte ? length + 1 : 1
        if length <= keep { word.append(byte) }
      }
      let candidate = String(decoding: word, as: UTF8.self)
      if known(candidate) { return candidate }
    }
    return nil
  }

  /// Whether a token is one of the knowledge base's stopwords.
  public func isStopword(_ token: String) -> Bool {
    stopwords.id(of: token) != nil
  }

  /// The words of a message that carry content (not stopwords, breaks or numbers), and how many
  /// of them no intent example, concept or data file has ever used.
  public func contentWords(_ tokens: [String]) -> (count: Int, unknown: Int) {
    var count = 0
    var unknown = 0
    for token in tokens where !TextNormalizer.isBreak(token) && token.count >= 3 {
      guard stopwords.id(of: token) == nil, !token.allSatisfy(\.isNumber) else { continue }
      count += 1
      if !corrector.contains(token) { unknown += 1 }
    }
    return (count, unknown)
  }

  /// The words of a message, as typed, that no intent example, concept or data file has ever
  /// used and that typo correction left alone ("tens", "kinesiology"): names of things the
  /// knowledge base does not know.
  public func unknownWords(_ analysis: Analysis) -> [String] {
    var unknown: [String] = []
    for (raw, token) in zip(analysis.rawTokens, analysis.tokens)
    where raw == token && !TextNormalizer.isBreak(token) && token.count >= 3 {
      guard stopwords.id(of: token) == nil, !token.contains(where: \.isNumber),
        !corrector.contains(token), !corrector.contains(Stemmer.stem(token))
      else { continue }
      unknown.append(token)
    }
    return unknown
  }

  /// The matcher features of already-normalised tokens.
  public func features(of tokens: [String]) -> [String] {
    var features: [String] = []
    var stems: [String] = []
    var allStems: [String] = []
    for token in tokens {
      if TextNormalizer.isBreak(token) {
        allStems.append(token)
        continue
      }
      let stem = Stemmer.stem(token)
      allStems.append(stem)
      if stopwords.id(of: token) != nil { continue }
      features.append("w:" + stem)
      stems.append(stem)
    }
    if stems.count > 1 {
      for i in 0..<(stems.count - 1) { features.append("b:" + stems[i] + "_" + stems[i + 1]) }
    }
    var i = 0
    while i < allStems.count {
      var advanced = false
      guard let entries = concepts[allStems[i]] else {
        i += 1
        continue
      }
      for entry in entries where i + entry.stems.count <= allStems.count {
        if allStems[i..<(i + entry.stems.count)].elementsEqual(entry.stems) {
          features.append("c:" + entry.concept)
          if entry.stems.count > 1 {
            i += entry.stems.count
            advanced = true
            break
          }
        }
      }
      if !advanced { i += 1 }
    }
    return features
  }

  /// Writes the analyzer's compiled parts.
  func write(to w: inout SnapshotWriter) {
    w.stringMap(normalizer.spellings)
    stopwords.write(to: &w)
    corrector.write(to: &w)
    concepts.write(to: &w) { w, entries in
      w.array(entries) { w, entry in
        w.strings(entry.stems)
        w.string(entry.concept)
      }
    }
  }

  /// Reads an analyzer written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    normalizer = TextNormalizer(spellings: try r.stringMap())
    stopwords = try StringTable(snapshot: &r)
    corrector = try TypoCorrector(snapshot: &r)
    concepts = try StringMap(snapshot: &r) { r throws(SnapshotError) in
      try r.array { r throws(SnapshotError) in
        ConceptEntry(stems: try r.strings(), concept: try r.string())
      }
    }
  }
}
