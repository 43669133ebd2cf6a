/// Decides, before anything else on every message, whether it shows an emergency sign.
///
/// Works in the spirit of NegEx/ConText: lexicon phrases are found first (so symptom phrases
/// that contain a negation, "can't feel my legs", count as positive signs), then each match is
/// qualified by its context: a preceding negation in the same clause ("no chest pain", scope
/// ended by "but"/"however"/punctuation), a hypothetical or informational sentence ("what are
/// the warning signs"), someone else's long-ago history ("my dad had a heart attack years ago"),
/// the person's own long-ago history, and figures of speech removed up front ("dying to know").
/// Any affirmed sign wins over negated ones. When in doubt the detector escalates: a missed
/// emergency is the worst failure this project can have.
public struct EmergencyDetector: Sendable {
  struct CompiledCategory: Sendable {
    let name: String
    let patterns: [PhrasePattern]
  }

  private let categories: [CompiledCategory]
  private let negations: [PhrasePattern]
  private let pseudoNegations: [PhrasePattern]
  private let scopeEnds: [PhrasePattern]
  private let hypothetical: [PhrasePattern]
  private let assertions: [PhrasePattern]
  private let otherPeople: [PhrasePattern]
  private let pastTense: [PhrasePattern]
  private let presentNow: [PhrasePattern]
  private let resolvedPast: [PhrasePattern]
  private let recent: [PhrasePattern]
  private let figurative: [PhrasePattern]
  private let corrector: TypoCorrector
  /// How many tokens before a sign a negation cue still applies to.
  static let negationWindow = 7

  /// Compiles the lexicon.
  ///
  /// - Parameters:
  ///   - lexicon: the categories and cues from `emergencies.yaml`.
  ///   - knownWords: the matcher's vocabulary, so that correct words are never "corrected"
  ///     into symptom words.
  /// - Throws: ``PhrasePatternError`` for a pattern that does not parse.
  public init(lexicon: EmergencyLexicon, knownWords: [String: Int] = [:]) throws {
    func compile(_ list: [String]) throws -> [PhrasePattern] {
      try list.map { try PhrasePattern(parsing: TextNormalizer().tokens($0).joined(separator: " ")) }
    }
    categories = try lexicon.categories.map {
      CompiledCategory(name: $0.name, patterns: try $0.patterns.map(PhrasePattern.init(parsing:)))
    }
    let c = lexicon.context
    negations = try compile(c.negations)
    pseudoNegations = try compile(c.pseudoNegations)
    scopeEnds = try compile(c.scopeEnds)
    hypothetical = try compile(c.hypothetical)
    assertions = try compile(c.assertions)
    otherPeople = try compile(c.otherPeople)
    pastTense = try compile(c.pastTense)
    presentNow = try compile(c.presentNow)
    resolvedPast = try compile(c.resolvedPast)
    recent = try compile(c.recent)
    figurative = try compile(c.figurative)
    var lexiconWords: [String: Int] = [:]
    for category in categories {
      for pattern in category.patterns {
        for word in pattern.words { lexiconWords[word, default: 0] += 1 }
      }
    }
    // Words the matcher knows are left alone; only unknown words are pulled toward symptoms.
    var vocabulary = lexiconWords
    for (word, count) in knownWords where vocabulary[word] == nil { vocabulary[word] = count }
    corrector = TypoCorrector(words: vocabulary)
    lexiconWordSet = Set(lexiconWords.keys)
  }

  private let lexiconWordSet: Set<String>

  /// Checks one message, already normalised into tokens.
  public func check(_ tokens: [String]) -> EmergencyFinding? {
    var tokens = tokens.map { token -> String in
      guard token.count >= 5, !corrector.contains(token),
        let fixed = corrector.correction(for: token), lexiconWordSet.contains(fixed)
      else { return token }
      return fixed
    }
    for pattern in figurative {
      for range in pattern.matches(in: tokens) {
        for i in range { tokens[i] = "_" }
      }
    }
    var affirmed: (position: Int, category: String, evidence: String)?
    var informational: String?
    let sentences = Self.sentences(of: tokens)
    // "is that normal? I have it right now": a present-tense cue anywhere in the message
    // makes every sign in it current.
    let isHappeningNow = presentNow.contains { !$0.matches(in: tokens).isEmpty }
    for sentence in sentences {
      let words = Array(tokens[sentence])
      let isHypothetical =
        !isHappeningNow
        && hypothetical.contains { !$0.matches(in: words).isEmpty }
        && !assertions.contains { !$0.matches(in: words).isEmpty }
      let isLongAgo =
        resolvedPast.contains { !$0.matches(in: words).isEmpty }
        && !recent.contains { !$0.matches(in: words).isEmpty }
      let isOtherPersonsPast =
        otherPeople.contains { !$0.matches(in: words).isEmpty }
        && pastTense.contains { !$0.matches(in: words).isEmpty }
        && !recent.contains { !$0.matches(in: words).isEmpty }
      for category in categories {
        for pattern in category.patterns {
          for range in pattern.matches(in: words) {
            let evidence = words[range].joined(separator: " ")
            if isNegated(words, before: range.lowerBound) { continue }
            // Someone else's or the person's own long-ago history is not a sign now.
            if isLongAgo || isOtherPersonsPast { continue }
            if isHypothetical {
              informational = informational ?? evidence
              continue
            }
            let position = sentence.lowerBound + range.lowerBound
            if affirmed == nil || position < affirmed?.position ?? Int.max {
              affirmed = (position, category.name, evidence)
            }
          }
        }
      }
    }
    if let affirmed { return .emergency(category: affirmed.category, evidence: affirmed.evidence) }
    if let informational { return .informational(evidence: informational) }
    return nil
  }

  /// Whether a negation cue governs the sign starting at `start`: it must stand in the same
  /// clause, within the window, with no scope-ending word between them, and not be a
  /// pseudo-negation ("not sure", "no idea").
  private func isNegated(_ words: [String], before start: Int) -> Bool {
    var lower = start
    var steps = 0
    while lower > 0 && steps < Self.negationWindow && !TextNormalizer.isBreak(words[lower - 1]) {
      lower -= 1
      steps += 1
    }
    guard lower < start else { return false }
    let window = Array(words[lower..<start])
    var blocked = Set<Int>()
    for pseudo in pseudoNegations {
      for range in pseudo.matches(in: window) { blocked.formUnion(range) }
    }
    var lastEnd = -1
    for end in scopeEnds.flatMap({ $0.matches(in: window) }) { lastEnd = max(lastEnd, end.upperBound) }
    for negation in negations {
      for range in negation.matches(in: window)
      where range.lowerBound >= lastEnd && blocked.isDisjoint(with: range) {
        return true
      }
    }
    return false
  }

  /// The sentences of a message: runs of tokens between sentence breaks.
  static func sentences(of tokens: [String]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    for (i, token) in tokens.enumerated() where token == TextNormalizer.sentenceBreak {
      if i > start { ranges.append(start..<i) }
      start = i + 1
    }
    if start < tokens.count { ranges.append(start..<tokens.count) }
    return ranges
  }
}
