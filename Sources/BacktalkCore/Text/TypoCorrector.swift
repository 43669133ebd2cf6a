/// Maps a misspelled word onto a word of the knowledge base's vocabulary ("heatin" -> "heating").
///
/// Symmetric deletes (SymSpell), built for start-up speed: every vocabulary word is indexed
/// under itself and its one-character deletions, hashed to integers (no strings are built), and
/// a query generates its own deletions up to distance 2. A candidate found this way is then
/// checked with a real edit distance, so hash collisions cost nothing but a comparison. The
/// allowed distance grows with word length (1 from 5 letters, 2 from 9) because short words
/// have too many neighbours to correct safely.
public struct TypoCorrector: Sendable {
  /// The vocabulary, numbered in sorted order.
  private let words: StringTable
  private let frequency: [Int]
  /// The delete index in sorted arrays.
  ///
  /// The word ids under `keys[k]` are `ids[offsets[k]..<offsets[k + 1]]`. Sorted arrays load
  /// from a snapshot with one copy, where a dictionary of arrays is rebuilt entry by entry.
  private let keys: [UInt64]
  private let offsets: [Int32]
  private let ids: [Int32]

  /// Indexes `words` with their frequencies (higher wins ties).
  public init(words counts: [String: Int]) {
    var words: [[UInt8]] = []
    var frequency: [Int] = []
    var entries: [(key: UInt64, id: Int32)] = []
    entries.reserveCapacity(counts.count * 8)
    for (word, count) in counts.sorted(by: { $0.key < $1.key }) {
      let bytes = Array(word.utf8)
      let id = Int32(words.count)
      words.append(bytes)
      frequency.append(count)
      guard bytes.count >= 4 else { continue }
      entries.append((Self.hash(bytes, skipping: -1, -1), id))
      for i in bytes.indices { entries.append((Self.hash(bytes, skipping: i, -1), id)) }
    }
    self.init(words: words, frequency: frequency, entries: entries)
  }

  private init(words: [[UInt8]], frequency: [Int], entries: [(key: UInt64, id: Int32)]) {
    let sorted = entries.sorted { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }
    var keys: [UInt64] = []
    var offsets: [Int32] = []
    var ids: [Int32] = []
    for entry in sorted {
      if keys.last != entry.key {
        keys.append(entry.key)
        offsets.append(Int32(ids.count))
      }
      if ids.last != entry.id || offsets.last == Int32(ids.count) { ids.append(entry.id) }
    }
    offsets.append(Int32(ids.count))
    self.init(
      words: StringTable(words.map { String(decoding: $0, as: UTF8.self) }),
      frequency: frequency, keys: keys, offsets: offsets, ids: ids)
  }

  private init(
    words: StringTable, frequency: [Int], keys: [UInt64], offsets: [Int32], ids: [Int32]
  ) {
    self.words = words
    self.frequency = frequency
    self.keys = keys
    self.offsets = offsets
    self.ids = ids
  }

  /// The word ids indexed under `key` (binary search).
  private func lookup(_ key: UInt64) -> Range<Int> {
    var low = 0
    var high = keys.count
    while low < high {
      let mid = (low + high) / 2
      if keys[mid] < key { low = mid + 1 } else { high = mid }
    }
    guard low < keys.count, keys[low] == key else { return 0..<0 }
    return Int(offsets[low])..<Int(offsets[low + 1])
  }

  /// Whether the word is known as is.
  public func contains(_ word: String) -> Bool { words.id(of: word) != nil }

  /// The closest known word within the allowed distance, or nil.
  public func correction(for word: String) -> String? {
    if words.id(of: word) != nil { return word }
    let bytes = Array(word.utf8)
    let n = bytes.count
    // A word more than two letters longer than every known word has no neighbour; without
    // this bound a 300-letter token would cost 45,000 probes (tens of milliseconds).
    guard n >= 5, n <= words.longest + 2, bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else {
      return nil
    }
    let limit = Self.maxDistance(n)
    var best: (distance: Int, rarity: Int, id: Int32)?
    var seen = Set<Int32>()
    func probe(_ key: UInt64) {
      for k in lookup(key) where seen.insert(ids[k]).inserted {
        let id = ids[k]
        let candidate = words.withBytes(id) { Array($0) }
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
    return best.map { words[$0.id] }
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

  /// Writes the vocabulary and the delete index.
  func write(to w: inout SnapshotWriter) {
    words.write(to: &w)
    w.raw(frequency)
    w.raw(keys)
    w.raw(offsets)
    w.raw(ids)
  }

  /// Reads a corrector written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    let words = try StringTable(snapshot: &r)
    let frequency = try r.raw(Int.self)
    let keys = try r.raw(UInt64.self)
    let offsets = try r.raw(Int32.self)
    let ids = try r.raw(Int32.self)
    guard frequency.count == words.count, offsets.count == keys.count + 1,
      offsets.last.map(Int.init) == ids.count,
      offsets.allSatisfy({ $0 >= 0 && Int($0) <= ids.count }),
      ids.allSatisfy({ $0 >= 0 && Int($0) < words.count })
    else { throw .corrupt("the typo index") }
    self.init(words: words, frequency: frequency, keys: keys, offsets: offsets, ids: ids)
  }
}
