/// Maps a misspelled word onto a word of the knowledge base's vocabulary ("heatin" -> "heating").
///
/// Symmetric deletes (SymSpell), built for start-up speed: every vocabulary word is indexed
/// under itself and its one-character deletions, hashed to integers (no strings are built), and
/// a query generates its own deletions up to distance 2. A candidate found this way is then
/// checked with a real edit distance, so hash collisions cost nothing but a comparison. The
/// allowed distance grows with word length (1 from 5 letters, 2 from 9) because short words
/// have too many neighbours to correct safely.
public struct TypoCorrector: Sendable {
  private let words: [[UInt8]]
  private let frequency: [Int]
  private let known: [String: Int]
  private let index: [UInt64: [Int32]]

  /// Indexes `words` with their frequencies (higher wins ties).
  public init(words counts: [String: Int]) {
    var words: [[UInt8]] = []
    var frequency: [Int] = []
    var known: [String: Int] = [:]
    var index: [UInt64: [Int32]] = [:]
    index.reserveCapacity(counts.count * 8)
    for (word, count) in counts.sorted(by: { $0.key < $1.key }) {
      let bytes = Array(word.utf8)
      let id = Int32(words.count)
      known[word] = Int(id)
      words.append(bytes)
      frequency.append(count)
      guard bytes.count >= 4 else { continue }
      index[Self.hash(bytes, skipping: -1, -1), default: []].append(id)
      for i in bytes.indices { index[Self.hash(bytes, skipping: i, -1), default: []].append(id) }
    }
    self.words = words
    self.frequency = frequency
    self.known = known
    self.index = index
  }

  /// Whether the word is known as is.
  public func contains(_ word: String) -> Bool { known[word] != nil }

  /// The closest known word within the allowed distance, or nil.
  public func correction(for word: String) -> String? {
    if known[word] != nil { return word }
    let bytes = Array(word.utf8)
    let n = bytes.count
    guard n >= 5, bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return nil }
    let limit = Self.maxDistance(n)
    var best: (distance: Int, rarity: Int, id: Int32)?
    var seen = Set<Int32>()
    func probe(_ key: UInt64) {
      for id in index[key] ?? [] where seen.insert(id).inserted {
        let candidate = words[Int(id)]
        let allowed = min(limit, Self.maxDistance(max(candidate.count, 5)))
        guard abs(candidate.count - n) <= allowed else { continue }
        let d = Self.distance(bytes, candidate)
        guard d <= allowed else { continue }
        let key = (distance: d, rarity: -frequency[Int(id)], id: id)
        if let current = best, current <= key { continue }
        best = key
      }
    }
    probe(Self.hash(bytes, skipping: -1, -1))
    for i in 0..<n {
      probe(Self.hash(bytes, skipping: i, -1))
      if limit >= 2 {
        for j in (i + 1)..<max(i + 1, n) where j < n { probe(Self.hash(bytes, skipping: i, j)) }
      }
    }
    return best.map { String(decoding: words[Int($0.id)], as: UTF8.self) }
  }

  static func maxDistance(_ length: Int) -> Int {
    length >= 9 ? 2 : (length >= 5 ? 1 : 0)
  }

  /// FNV-1a of the bytes without the ones at positions `a` and `b` (-1: none).
  @inline(__always)
  static func hash(_ bytes: [UInt8], skipping a: Int, _ b: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for (i, byte) in bytes.enumerated() where i != a && i != b {
      h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return h
  }

  /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
  static func distance(_ x: [UInt8], _ y: [UInt8]) -> Int {
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
