/// Numbered strings in flat arrays with an open-addressing hash index.
///
/// The matcher's feature names and the typo corrector's vocabulary hold thousands of strings
/// each. As `[String]` plus `[String: Int]` they are rebuilt string by string when a snapshot
/// is read, several milliseconds of every cold start; here they are three arrays that load with
/// one copy each, and a lookup hashes the query's UTF-8 once (FNV-1a) and compares bytes.
struct StringTable: Sendable {
  private let bytes: [UInt8]
  /// String `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
  private let offsets: [Int32]
  /// A power-of-two table of string ids, -1 where empty.
  private let slots: [Int32]
  /// The length in bytes of the longest string (derived, not stored in snapshots).
  let longest: Int
  /// Which (length, first byte) shapes occur: bit `first & 63` of `shapes[min(length, 15)]`.
  ///
  /// Most lookups are misses (a message's words against a small set of phrase anchors), and
  /// this answers most of them without hashing.
  private let shapes: [UInt64]

  /// Numbers `strings` in order; a repeated string keeps its first number.
  init(_ strings: [String]) {
    var bytes: [UInt8] = []
    var offsets: [Int32] = [0]
    for string in strings {
      bytes.append(contentsOf: string.utf8)
      offsets.append(Int32(bytes.count))
    }
    var size = 1
    while size < strings.count * 2 { size *= 2 }
    var slots = [Int32](repeating: -1, count: size)
    bytes.withUnsafeBufferPointer { all in
      for id in strings.indices {
        let entry = UnsafeBufferPointer(
          rebasing: all[Int(offsets[id])..<Int(offsets[id + 1])])
        var slot = Int(Self.hash(entry) & UInt64(size - 1))
        var duplicate = false
        while slots[slot] >= 0 {
          let other = Int(slots[slot])
          if entry.elementsEqual(all[Int(offsets[other])..<Int(offsets[other + 1])]) {
            duplicate = true
            break
          }
          slot = (slot + 1) & (size - 1)
        }
        if !duplicate { slots[slot] = Int32(id) }
      }
    }
    self.init(bytes: bytes, offsets: offsets, slots: slots)
  }

  private init(bytes: [UInt8], offsets: [Int32], slots: [Int32]) {
    self.bytes = bytes
    self.offsets = offsets
    self.slots = slots
    var longest = 0
    var shapes = [UInt64](repeating: 0, count: 16)
    for i in offsets.indices.dropFirst() {
      let length = Int(offsets[i] - offsets[i - 1])
      longest = max(longest, length)
      shapes[min(length, 15)] |= Self.shapeBit(length > 0 ? bytes[Int(offsets[i - 1])] : 0)
    }
    self.longest = longest
    self.shapes = shapes
  }

  /// How many strings there are.
  var count: Int { offsets.count - 1 }

  /// String number `id`.
  subscript(id: Int32) -> String {
    withBytes(id) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the UTF-8 of string number `id`.
  func withBytes<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    bytes.withUnsafeBufferPointer {
      body(UnsafeBufferPointer(rebasing: $0[Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])]))
    }
  }

  /// The number of `string`, if it is in the table.
  func id(of string: String) -> Int32? {
    var string = string
    return string.withUTF8 { id(of: $0) }
  }

  /// The number of the string with these UTF-8 bytes, if it is in the table.
  func id(of query: UnsafeBufferPointer<UInt8>) -> Int32? {
    guard shapes[min(query.count, 15)] & Self.shapeBit(query.first ?? 0) != 0 else { return nil }
    let mask = slots.count - 1
    var slot = Int(Self.hash(query) & UInt64(mask))
    return bytes.withUnsafeBufferPointer { all in
      while true {
        let id = Int(slots[slot])
        if id < 0 { return nil }
        let start = Int(offsets[id])
        let end = Int(offsets[id + 1])
        if end - start == query.count && query.elementsEqual(all[start..<end]) {
          return Int32(id)
        }
        slot = (slot + 1) & mask
      }
    }
  }

  @inline(__always)
  private static func shapeBit(_ first: UInt8) -> UInt64 { 1 << UInt64(first & 63) }

  /// FNV-1a, 64 bits.
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return h
  }

  /// Writes the three arrays.
  func write(to w: inout SnapshotWriter) {
    w.raw(bytes)
    w.raw(offsets)
    w.raw(slots)
  }

  /// Reads a table written by ``write(to:)``, checking every index a lookup will follow.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    let bytes = try r.raw(UInt8.self)
    let offsets = try r.raw(Int32.self)
    let slots = try r.raw(Int32.self)
    let count = offsets.count - 1
    guard count >= 0, offsets.first == 0, offsets.last.map(Int.init) == bytes.count,
      zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
      slots.count > count, slots.count & (slots.count - 1) == 0,
      slots.allSatisfy({ $0 >= -1 && Int($0) < count }), slots.contains(-1)
    else { throw .corrupt("a string table") }
    self.init(bytes: bytes, offsets: offsets, slots: slots)
  }
}
