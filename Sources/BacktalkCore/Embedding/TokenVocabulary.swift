/// The token strings of a ``StaticEmbeddingTable`` and their ids, read in place.
///
/// A token's id is found straight from the mapped bytes through the table's open-addressing
/// hash (FNV-1a 64 of the token's UTF-8 bytes, linear probing), so opening a table builds no
/// dictionary: thirty thousand strings would otherwise cost milliseconds at every start.
/// ``StaticEmbeddingTable/init(buffer:)`` has checked every slot and string offset, so the
/// reads here stay in bounds.
struct TokenVocabulary: Sendable {
  /// The WordPiece continuation prefix, `##`.
  static let continuationPrefix: [UInt8] = [0x23, 0x23]
  /// The value of an empty hash slot.
  static let emptySlot = UInt32.max

  let buffer: SnapshotBuffer
  /// The number of tokens.
  let count: Int
  /// The id of `[UNK]`.
  let unknownID: UInt32
  /// Ids `0..<literalCount` are matched verbatim in the raw text, before normalisation.
  let literalCount: Int
  let slotMask: Int
  let slotsOffset: Int
  let stringOffsetsOffset: Int
  let stringBytesOffset: Int

  private var bytes: UnsafeRawBufferPointer { buffer.bytes }

  /// The UTF-8 bytes of token `id` (which must be below ``count``) as offsets into the file.
  func range(of id: Int) -> Range<Int> {
    let start = bytes.load(fromByteOffset: stringOffsetsOffset + 4 * id, as: UInt32.self)
    let end = bytes.load(fromByteOffset: stringOffsetsOffset + 4 * id + 4, as: UInt32.self)
    let base = stringBytesOffset
    return (base + Int(UInt32(littleEndian: start)))..<(base + Int(UInt32(littleEndian: end)))
  }

  /// The text of token `id`, or nil if there is no such token.
  func token(_ id: UInt32) -> String? {
    guard Int(id) < count else { return nil }
    return String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[range(of: Int(id))]), as: UTF8.self)
  }

  /// The id of the token spelled by `word` (after `##` when `continuation`), or nil.
  func id(of word: UnsafeBufferPointer<UInt8>, continuation: Bool) -> UInt32? {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let prefix = continuation ? 2 : 0
    if continuation {
      for byte in Self.continuationPrefix { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    for byte in word { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    var slot = Int(truncatingIfNeeded: hash) & slotMask
    while true {
      let raw = bytes.load(fromByteOffset: slotsOffset + 4 * slot, as: UInt32.self)
      let id = UInt32(littleEndian: raw)
      if id == Self.emptySlot { return nil }
      let range = range(of: Int(id))
      if range.count == prefix + word.count && matches(range, word, prefix: prefix) { return id }
      slot = (slot + 1) & slotMask
    }
  }

  private func matches(_ range: Range<Int>, _ word: UnsafeBufferPointer<UInt8>, prefix: Int)
    -> Bool
  {
    var at = range.lowerBound
    if prefix > 0 {
      guard bytes[at] == 0x23, bytes[at + 1] == 0x23 else { return false }
      at += 2
    }
    for byte in word {
      if bytes[at] != byte { return false }
      at += 1
    }
    return true
  }

  /// The literal token (`[PAD]`, `[UNK]`) spelled at the start of `text`, with its length.
  func literal(at text: UnsafeBufferPointer<UInt8>) -> (id: UInt32, length: Int)? {
    for id in 0..<literalCount {
      let range = range(of: id)
      guard !range.isEmpty, range.count <= text.count else { continue }
      var same = true
      for (offset, index) in range.enumerated() where bytes[index] != text[offset] {
        same = false
        break
      }
      if same { return (UInt32(id), range.count) }
    }
    return nil
  }
}
