/// Maps a misspelled word onto a word of the knowledge base's vocabulary ("heatin" -> "heating").
///
/// Uses symmetric deletes (SymSpell): every vocabulary word is indexed under its one- and
/// two-character deletions at build time, so a lookup costs a few hash probes instead of an
/// edit-distance scan of the whole vocabulary; the per-message budget is tens of microseconds.
/// The allowed distance grows with word length (1 from 5 letters, 2 from 9) because short words
/// have too many neighbours to correct safely.
public struct TypoCorrector: Sendable {
  private let vocabulary: [String: Int]
  private var deletes: [String: [String]] = [:]

  /// Indexes `words` with their frequencies (higher wins ties).
  public init(words: [String: Int]) {
    vocabulary = words
    for word in words.keys where word.count >= 5 {
      for d in Self.deletions(of: word, depth: Self.maxDistance(word.count)) {
        deletes[d, default: []].append(word)
      }
    }
  }

  /// Whether the word is known as is.
  public func contains(_ word: String) -> Bool { vocabulary[word] != nil }

  /// The closest known word within the allowed distance, or nil.
  public func correction(for word: String) -> String? {
    if vocabulary[word] != nil { return word }
    let n = word.count
    guard n >= 5, word.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) else {
      return nil
    }
    let limit = Self.maxDistance(n)
    var best: (distance: Int, rarity: Int, word: String)?
    func consider(_ candidate: String, allowed: Int) {
      let d = Self.distance(word, candidate)
      guard d <= allowed else { return }
      let key = (distance: d, rarity: -(vocabulary[candidate] ?? 0), word: candidate)
      if let current = best, current <= key { return }
      best = key
    }
    var probes = Self.deletions(of: word, depth: limit)
    probes.insert(word)
    for probe in probes {
      for candidate in deletes[probe] ?? [] {
        consider(candidate, allowed: min(limit, Self.maxDistance(candidate.count)))
      }
      if vocabulary[probe] != nil { consider(probe, allowed: limit) }
    }
    return best?.word
  }

  static func maxDistance(_ length: Int) -> Int {
    length >= 9 ? 2 : (length >= 5 ? 1 : 0)
  }

  static func deletions(of word: String, depth: Int) -> Set<String> {
    var result: Set<String> = []
    var frontier: Set<String> = [word]
    for _ in 0..<depth {
      var next: Set<String> = []
      for w in frontier {
        let chars = Array(w)
        guard chars.count > 1 else { continue }
        for i in chars.indices {
          var c = chars
          c.remove(at: i)
          next.insert(String(c))
        }
      }
      result.formUnion(next)
      frontier = next
    }
    return result
  }

  /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
  static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev2 = [Int](repeating: 0, count: y.count + 1)
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      cur[0] = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
          cur[j] = min(cur[j], prev2[j - 2] + 1)
        }
      }
      prev2 = prev
      prev = cur
    }
    return prev[y.count]
  }
}
