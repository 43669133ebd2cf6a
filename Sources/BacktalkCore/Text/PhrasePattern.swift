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
  ///
  /// Plain integers into ``alternatives`` rather than arrays of its own: matching reads elements
  /// in the innermost loop of every message, and an element holding arrays would be retained
  /// and released on every read.
  struct Element: Hashable, Sendable {
    /// Where this position's accepted words start in ``alternatives``, and how many there are
    /// (sorted: comparing a few small strings is cheaper than hashing).
    var wordStart: Int32
    var wordCount: Int32
    /// The accepted prefixes (`numb*`), stored right after the words.
    var prefixCount: Int32
    /// Whether the word may be absent.
    var isOptional: Bool
    /// For a gap: up to this many arbitrary tokens (0 for a word position).
    var gap: Int32

    var isGap: Bool { gap > 0 }
    var words: Range<Int> { Int(wordStart)..<Int(wordStart + wordCount) }
    var prefixes: Range<Int> {
      Int(wordStart + wordCount)..<Int(wordStart + wordCount + prefixCount)
    }
  }

  /// The pattern as written, for explanations.
  public let source: String
  let elements: [Element]
  /// Every element's words then prefixes, one after the other.
  let alternatives: [String]

  /// Every literal word of the pattern, for building typo-correction vocabularies.
  public var words: Set<String> {
    var all: Set<String> = []
    for element in elements where !element.isGap { all.formUnion(alternatives[element.words]) }
    return all
  }

  /// Parses a pattern.
  ///
  /// - Throws: ``PhrasePatternError`` when the pattern is empty or is only gaps.
  public init(parsing source: String, spellings: [String: String] = [:]) throws {
    self.source = source
    var elements: [Element] = []
    var alternatives: [String] = []
    for raw in source.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      var piece = String(raw)
      if piece == "..." {
        elements.append(
          Element(
            wordStart: Int32(alternatives.count), wordCount: 0, prefixCount: 0, isOptional: false,
            gap: 3))
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
      elements.append(
        Element(
          wordStart: Int32(alternatives.count), wordCount: Int32(words.count),
          prefixCount: Int32(prefixes.count), isOptional: optional, gap: 0))
      alternatives += words.sorted() + prefixes
    }
    guard elements.contains(where: { !$0.isGap && !$0.isOptional }) else {
      throw PhrasePatternError.noRequiredWord(source)
    }
    self.elements = elements
    self.alternatives = alternatives
  }

  /// The words and prefixes of one required element: every match contains one of them.
  ///
  /// Content words are preferred over "my" or "i", which would make every message a candidate.
  /// Nil when no required element has only indexable alternatives.
  var anchor: (words: [String], prefixes: [String])? {
    var fallback: (words: [String], prefixes: [String])?
    for element in elements where !element.isGap && !element.isOptional {
      let words = Array(alternatives[element.words])
      let prefixes = Array(alternatives[element.prefixes])
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
    let current = elements[element]
    if current.isGap {
      var p = position
      var skipped = 0
      while true {
        if let end = matchFrom(element: element + 1, tokens: tokens, position: p) { return end }
        guard skipped < current.gap, p < tokens.count, !TextNormalizer.isBreak(tokens[p]) else {
          return nil
        }
        p += 1
        skipped += 1
      }
    }
    if position < tokens.count, accepts(tokens[position], current),
      let end = matchFrom(element: element + 1, tokens: tokens, position: position + 1)
    {
      return end
    }
    if current.isOptional {
      return matchFrom(element: element + 1, tokens: tokens, position: position)
    }
    return nil
  }

  private func accepts(_ token: String, _ element: Element) -> Bool {
    for k in element.words where alternatives[k] == token { return true }
    for k in element.prefixes where token.hasPrefix(alternatives[k]) { return true }
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
    w.strings(alternatives)
    w.array(elements) { w, element in
      w.int(Int(element.wordStart))
      w.int(Int(element.wordCount))
      w.int(Int(element.prefixCount))
      w.bool(element.isOptional)
      w.int(Int(element.gap))
    }
  }

  /// Reads a pattern written by ``write(to:)``, checking that every element stays inside its
  /// alternatives.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    source = try r.string()
    alternatives = try r.strings()
    let limit = alternatives.count
    elements = try r.array { r throws(SnapshotError) -> Element in
      let start = try r.int()
      let words = try r.int()
      let prefixes = try r.int()
      let optional = try r.bool()
      let gap = try r.int()
      // Each count is bounded before they are added, so a damaged file cannot overflow.
      guard (0...limit).contains(start), (0...limit).contains(words),
        (0...limit).contains(prefixes), start + words + prefixes <= limit,
        (0...Int(Int32.max)).contains(gap), gap > 0 || words + prefixes > 0
      else { throw .corrupt("pattern element") }
      return Element(
        wordStart: Int32(start), wordCount: Int32(words), prefixCount: Int32(prefixes),
        isOptional: optional, gap: Int32(gap))
    }
  }
}
