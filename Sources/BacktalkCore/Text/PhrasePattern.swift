/// A phrase with word variants, optional words and gaps, matched against normalised tokens.
///
/// The emergency lexicon and its context cues are written in this small language so that
/// clinicians can cover "lost control of my bladder" and "losing bladder control" without
/// regular expressions:
///
/// - `a|b|c`: any one of these words;
/// - `word?`: an optional word (also `a|b?`);
/// - `...`: a gap of 0 to 3 tokens (never across a clause break);
/// - `numb*`: any word starting with `numb`.
///
/// Example: `lose|lost|losing|loss control of? my? bladder|bowel|bowels`.
public struct PhrasePattern: Hashable, Sendable {
  /// One position of the pattern.
  enum Element: Hashable, Sendable {
    /// A word position: the accepted words, accepted prefixes, and whether it may be absent.
    /// Words are a short sorted array: comparing a few small strings is cheaper than hashing.
    case word(words: [String], prefixes: [String], isOptional: Bool)
    /// Up to this many arbitrary tokens.
    case gap(Int)
  }

  /// The pattern as written, for explanations.
  public let source: String
  let elements: [Element]

  /// Every literal word of the pattern, for building typo-correction vocabularies.
  public var words: Set<String> {
    var all: Set<String> = []
    for case .word(let words, _, _) in elements { all.formUnion(words) }
    return all
  }

  /// Parses a pattern.
  ///
  /// - Throws: ``PhrasePatternError`` when the pattern is empty or is only gaps.
  public init(parsing source: String, spellings: [String: String] = [:]) throws {
    self.source = source
    var elements: [Element] = []
    for raw in source.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      var piece = String(raw)
      if piece == "..." {
        elements.append(.gap(3))
        continue
      }
      var optional = false
      if piece.hasSuffix("?") {
        optional = true
        piece.removeLast()
      }
      var words: Set<String> = []
      var prefixes: [String] = []
      for alternative in piece.split(separator: "|", omittingEmptySubsequences: false) {
        if alternative.isEmpty { throw PhrasePatternError.emptyAlternative(source) }
        // Alternatives go through the same normaliser as messages ("can't" -> can not is not
        // allowed inside one alternative, so keep the first token).
        if alternative.hasSuffix("*") {
          prefixes.append(String(alternative.dropLast()))
        } else {
          let word = String(alternative).replacingApostrophes()
          words.insert(spellings[word] ?? word)
        }
      }
      if words.isEmpty && prefixes.isEmpty { throw PhrasePatternError.emptyAlternative(source) }
      elements.append(.word(words: words.sorted(), prefixes: prefixes, isOptional: optional))
    }
    guard
      elements.contains(where: {
        if case .word(_, _, false) = $0 { return true } else { return false }
      })
    else { throw PhrasePatternError.noRequiredWord(source) }
    self.elements = elements
  }

  /// The words and prefixes of one required element: every match contains one of them.
  ///
  /// Content words are preferred over "my" or "i", which would make every message a candidate.
  /// Nil when no required element has only indexable alternatives.
  var anchor: (words: [String], prefixes: [String])? {
    var fallback: (words: [String], prefixes: [String])?
    for case .word(let words, let prefixes, let optional) in elements where !optional {
      guard prefixes.allSatisfy({ $0.count >= 3 }) else { continue }
      if Self.functionWords.isDisjoint(with: words) { return (words, prefixes) }
      if fallback == nil { fallback = (words, prefixes) }
    }
    return fallback
  }

  /// Words too common to index a pattern under.
  static let functionWords: Set<String> = [
    "a", "an", "the", "i", "my", "me", "myself", "to", "of", "in", "on", "at", "and", "or", "is",
    "am", "are", "was", "were", "be", "been", "not", "no", "can", "do", "does", "did", "have",
    "has", "had", "it", "he", "she", "they", "his", "her", "their", "with", "for", "so", "just",
    "up", "out", "off", "down", "from", "by", "that", "this", "all", "will", "would", "could",
  ]

  /// The end (exclusive) of the longest match starting exactly at `start`, or nil.
  public func match(_ tokens: [String], at start: Int) -> Int? {
    matchFrom(element: 0, tokens: tokens, position: start)
  }

  /// Whether the pattern matches anywhere (stops at the first match).
  public func match(anywhereIn tokens: [String]) -> Bool {
    for i in tokens.indices { if let end = match(tokens, at: i), end > i { return true } }
    return false
  }

  /// Every match in `tokens` as half-open ranges, leftmost first, not overlapping.
  public func matches(in tokens: [String]) -> [Range<Int>] {
    var found: [Range<Int>] = []
    var i = 0
    while i < tokens.count {
      if let end = match(tokens, at: i), end > i {
        found.append(i..<end)
        i = end
      } else {
        i += 1
      }
    }
    return found
  }

  private func matchFrom(element: Int, tokens: [String], position: Int) -> Int? {
    if element == elements.count { return position }
    switch elements[element] {
    case .gap(let maximum):
      var best: Int?
      var p = position
      var skipped = 0
      while true {
        if let end = matchFrom(element: element + 1, tokens: tokens, position: p) {
          best = max(best ?? end, end)
          return best
        }
        guard skipped < maximum, p < tokens.count, !TextNormalizer.isBreak(tokens[p]) else {
          return best
        }
        p += 1
        skipped += 1
      }
    case .word(let words, let prefixes, let optional):
      if position < tokens.count, Self.accepts(tokens[position], words: words, prefixes: prefixes),
        let end = matchFrom(element: element + 1, tokens: tokens, position: position + 1)
      {
        return end
      }
      if optional { return matchFrom(element: element + 1, tokens: tokens, position: position) }
      return nil
    }
  }

  private static func accepts(_ token: String, words: [String], prefixes: [String]) -> Bool {
    if words.contains(token) { return true }
    for prefix in prefixes where token.hasPrefix(prefix) { return true }
    return false
  }
}

/// Why a phrase pattern is rejected.
public enum PhrasePatternError: Error, Equatable, CustomStringConvertible {
  /// `a||b` or a lone `|`.
  case emptyAlternative(String)
  /// A pattern made only of gaps and optional words would match everything.
  case noRequiredWord(String)

  /// A message that says how to fix the pattern.
  public var description: String {
    switch self {
    case .emptyAlternative(let p):
      return "pattern '\(p)' has an empty alternative; remove the stray '|'"
    case .noRequiredWord(let p):
      return "pattern '\(p)' has no required word; it would match any message"
    }
  }
}

extension String {
  /// The string with curly apostrophes folded to straight ones.
  func replacingApostrophes() -> String {
    String(unicodeScalars.map { $0 == "\u{2019}" ? "'" : Character($0) })
  }
}

extension PhrasePattern {
  /// Writes the parsed pattern (see ``SnapshotWriter``).
  func write(to w: inout SnapshotWriter) {
    w.string(source)
    w.array(elements) { w, element in
      switch element {
      case .word(let words, let prefixes, let isOptional):
        w.int(0)
        w.strings(words)
        w.strings(prefixes)
        w.bool(isOptional)
      case .gap(let maximum):
        w.int(1)
        w.int(maximum)
      }
    }
  }

  /// Reads a pattern written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    source = try r.string()
    elements = try r.array { r throws(SnapshotError) -> Element in
      switch try r.int() {
      case 0:
        return .word(words: try r.strings(), prefixes: try r.strings(), isOptional: try r.bool())
      case 1: return .gap(try r.int())
      case let tag: throw .corrupt("pattern element tag \(tag)")
      }
    }
  }
}
