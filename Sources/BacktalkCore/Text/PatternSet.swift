/// Many phrase patterns, indexed so a message only tries the few that could match it.
///
/// The emergency lexicon and its cue lists hold about a thousand patterns and run on every
/// message; trying each at every position would cost most of the per-message budget. Each
/// pattern is indexed under the words of one required element (a prefix like `numb*` under its
/// first three letters); a message gathers candidates from its own tokens, so a typical message
/// tries a few dozen patterns instead of all of them.
public struct PatternSet: Sendable {
  /// The index, behind one reference.
  ///
  /// Sets are read out of their map hundreds of times a message (`cueSets["more"]`); a struct
  /// of four arrays and maps retained and released each of them on every copy, about a
  /// twentieth of the time of a reply in profiles of `serve`.
  private final class Storage: Sendable {
    let patterns: [PhrasePattern]
    /// The patterns anchored on each word, ascending.
    ///
    /// A string map rather than a dictionary: this lookup runs for every token of every
    /// message against a dozen sets, and most of those lookups miss, which the map answers
    /// without hashing.
    let wordPatterns: StringMap<[Int]>
    /// Patterns anchored on a prefix (`numb*`), under the prefix's first three bytes.
    let prefixPatterns: StringMap<[(prefix: String, pattern: Int)]>
    let alwaysTried: [Int]

    init(
      patterns: [PhrasePattern], wordPatterns: StringMap<[Int]>,
      prefixPatterns: StringMap<[(prefix: String, pattern: Int)]>, alwaysTried: [Int]
    ) {
      self.patterns = patterns
      self.wordPatterns = wordPatterns
      self.prefixPatterns = prefixPatterns
      self.alwaysTried = alwaysTried
    }
  }

  private let storage: Storage

  /// The patterns, in the order given.
  public var patterns: [PhrasePattern] { storage.patterns }

  /// Indexes the patterns.
  public init(_ patterns: [PhrasePattern]) {
    var wordPatterns: [String: [Int]] = [:]
    var prefixPatterns: [String: [(prefix: String, pattern: Int)]] = [:]
    var always: [Int] = []
    for (i, pattern) in patterns.enumerated() {
      // A prefix is indexed under its first three bytes, which must be whole characters.
      guard let anchor = pattern.anchor,
        anchor.prefixes.allSatisfy({ $0.utf8.prefix(3).allSatisfy { $0 < 0x80 } })
      else {
        always.append(i)
        continue
      }
      for word in anchor.words { wordPatterns[word, default: []].append(i) }
      for prefix in anchor.prefixes {
        let key = String(decoding: prefix.utf8.prefix(3), as: UTF8.self)
        prefixPatterns[key, default: []].append((prefix, i))
      }
    }
    storage = Storage(
      patterns: patterns, wordPatterns: StringMap(wordPatterns),
      prefixPatterns: StringMap(prefixPatterns), alwaysTried: always)
  }

  /// The indices of patterns that could match `tokens`, ascending.
  public func candidates(in tokens: [String]) -> [Int] {
    let wordPatterns = storage.wordPatterns
    let prefixPatterns = storage.prefixPatterns
    var found = storage.alwaysTried
    let hasPrefixes = prefixPatterns.count > 0
    for token in tokens {
      var bytes = token
      bytes.withUTF8 { utf8 in
        if let list = wordPatterns[bytes: utf8] { found += list }
        if hasPrefixes, utf8.count >= 3,
          let list = prefixPatterns[bytes: UnsafeBufferPointer(rebasing: utf8[0..<3])]
        {
          for entry in list where token.hasPrefix(entry.prefix) { found.append(entry.pattern) }
        }
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
    let patterns = storage.patterns
    return candidates(in: tokens).contains { patterns[$0].match(anywhereIn: tokens) }
  }

  /// Every match of every pattern, as (pattern index, range).
  public func matches(in tokens: [String]) -> [(pattern: Int, range: Range<Int>)] {
    let patterns = storage.patterns
    return candidates(in: tokens).flatMap { i in patterns[i].matches(in: tokens).map { (i, $0) } }
  }
}

extension PatternSet {
  /// Writes the patterns and their index: rebuilding the index on every start (hashing each
  /// anchor word into a dictionary, then into a string map) was a fifth of a cold start.
  func write(to w: inout SnapshotWriter) {
    w.array(patterns) { w, pattern in pattern.write(to: &w) }
    storage.wordPatterns.write(to: &w) { w, list in w.raw(list.map { Int32($0) }) }
    storage.prefixPatterns.write(to: &w) { w, list in
      w.array(list) { w, entry in
        w.string(entry.prefix)
        w.int(entry.pattern)
      }
    }
    w.raw(storage.alwaysTried.map { Int32($0) })
  }

  /// Reads a set written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    let patterns = try r.array { r throws(SnapshotError) in try PhrasePattern(snapshot: &r) }
    let count = patterns.count
    func index(_ i: Int) throws(SnapshotError) -> Int {
      guard (0..<count).contains(i) else { throw .corrupt("a pattern index") }
      return i
    }
    let wordPatterns = try StringMap(snapshot: &r) { r throws(SnapshotError) in
      var list: [Int] = []
      for i in try r.raw(Int32.self) { list.append(try index(Int(i))) }
      return list
    }
    let prefixPatterns: StringMap<[(prefix: String, pattern: Int)]> = try StringMap(
      snapshot: &r
    ) { r throws(SnapshotError) in
      try r.array { r throws(SnapshotError) in (try r.string(), try index(try r.int())) }
    }
    var always: [Int] = []
    for i in try r.raw(Int32.self) { always.append(try index(Int(i))) }
    storage = Storage(
      patterns: patterns, wordPatterns: wordPatterns, prefixPatterns: prefixPatterns,
      alwaysTried: always)
  }
}
