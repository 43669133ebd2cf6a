/// Many phrase patterns, indexed so a message only tries the few that could match it.
///
/// The emergency lexicon and its cue lists hold about a thousand patterns and run on every
/// message; trying each at every position would cost most of the per-message budget. Each
/// pattern is indexed under the words of one required element; a message gathers candidates
/// from its own tokens (patterns whose required element is a prefix like `numb*` are always
/// tried), so a typical message tries a few dozen patterns instead of all of them.
public struct PatternSet: Sendable {
  /// The patterns, in the order given.
  public let patterns: [PhrasePattern]
  /// The anchor words, numbered.
  ///
  /// `wordPatterns[id]` lists the patterns anchored on word `id`. A string table rather than a
  /// dictionary: this lookup runs for every token of every message against a dozen sets, and
  /// hashing bytes with FNV costs less than `Hasher`.
  private let words: StringTable
  private let wordPatterns: [[Int]]
  /// Patterns anchored on a prefix (`numb*`), under the prefix's first three letters.
  private let prefixIndex: [Substring: [(prefix: String, pattern: Int)]]
  private let alwaysTried: [Int]

  /// Indexes the patterns.
  public init(_ patterns: [PhrasePattern]) {
    self.patterns = patterns
    var wordIDs: [String: Int] = [:]
    var wordList: [String] = []
    var wordPatterns: [[Int]] = []
    var prefixIndex: [Substring: [(prefix: String, pattern: Int)]] = [:]
    var always: [Int] = []
    for (i, pattern) in patterns.enumerated() {
      guard let anchor = pattern.anchor else {
        always.append(i)
        continue
      }
      for word in anchor.words {
        if let id = wordIDs[word] {
          wordPatterns[id].append(i)
        } else {
          wordIDs[word] = wordList.count
          wordList.append(word)
          wordPatterns.append([i])
        }
      }
      for prefix in anchor.prefixes {
        prefixIndex[prefix.prefix(3), default: []].append((prefix, i))
      }
    }
    self.words = StringTable(wordList)
    self.wordPatterns = wordPatterns
    self.prefixIndex = prefixIndex
    alwaysTried = always
  }

  /// The indices of patterns that could match `tokens`, ascending.
  public func candidates(in tokens: [String]) -> [Int] {
    var found = alwaysTried
    let hasPrefixes = !prefixIndex.isEmpty
    for token in tokens {
      if let id = words.id(of: token) { found += wordPatterns[Int(id)] }
      if hasPrefixes, token.utf8.count >= 3, let list = prefixIndex[token.prefix(3)] {
        for entry in list where token.hasPrefix(entry.prefix) { found.append(entry.pattern) }
      }
    }
    if found.count < 2 { return found }
    found.sort()
    var unique: [Int] = []
    unique.reserveCapacity(found.count)
    for i in found where unique.last != i { unique.append(i) }
    return unique
  }

  /// Whether any pattern matches.
  public func matchesAny(_ tokens: [String]) -> Bool {
    candidates(in: tokens).contains { patterns[$0].match(anywhereIn: tokens) }
  }

  /// Every match of every pattern, as (pattern index, range).
  public func matches(in tokens: [String]) -> [(pattern: Int, range: Range<Int>)] {
    candidates(in: tokens).flatMap { i in patterns[i].matches(in: tokens).map { (i, $0) } }
  }
}

extension PatternSet {
  /// Writes the patterns; the index is rebuilt on reading (it is cheap and derived).
  func write(to w: inout SnapshotWriter) {
    w.array(patterns) { w, pattern in pattern.write(to: &w) }
  }

  /// Reads a set written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    self.init(try r.array { r throws(SnapshotError) in try PhrasePattern(snapshot: &r) })
  }
}
