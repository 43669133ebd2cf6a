/// A static sentence-embedding table (all-MiniLM-L6-v2 distilled by model2vec), read in place.
///
/// The file is made by `tools/embeddings/distill.py` and meant to be memory-mapped: opening it
/// checks the header and the lookup sections (well under a millisecond) and copies nothing;
/// rows are read from the mapping when a sentence needs them.
///
/// A sentence's vector is model2vec's (`StaticModel.encode`, version 0.10.0): the text is cut
/// to ``maxCharacters`` Unicode scalars, tokenised (``WordPieceTokenizer``, no `[CLS]`/`[SEP]`)
/// and cut to ``maxTokens`` ids; `[UNK]` ids are dropped; the vector is the mean of the other
/// ids' rows (their SIF weights are already folded in), divided by its L2 norm plus 1e-32. A
/// text without known tokens gives the zero vector.
///
/// ## File layout (version 1, little-endian)
///
/// | offset | field |
/// |---|---|
/// | 0 | magic `BTEMB001` (8 bytes) |
/// | 8 | u32 version (1) |
/// | 12 | u32 vocabulary count |
/// | 16 | u32 dimensions |
/// | 20 | u32 quant kind: 0 float32, 1 float16, 2 int8 with a float32 scale per row |
/// | 24 | u32 hash slot count (a power of two, more than the vocabulary count) |
/// | 28 | u32 id of `[UNK]` |
/// | 32 | u32 literal token count n: ids 0..<n (`[PAD]`, `[UNK]`, ASCII) match the raw text |
/// | 36 | u32 max tokens per sentence (512) |
/// | 40 | u32 max characters per sentence (512 x median token length = 3072) |
/// | 44 | u32 offset of the hash slots |
/// | 48 | u32 offset of the string offsets |
/// | 52 | u32 offset of the string bytes |
/// | 56 | u32 offset of the row scales (0 unless int8) |
/// | 60 | u32 offset of the rows |
/// | 64 | u32 string byte count |
/// | 68 | 12 bytes reserved (zero) |
///
/// Sections, each starting at a multiple of 16: hash slots (u32 token id, or 0xFFFFFFFF when
/// empty; slot = FNV-1a 64 of the token's UTF-8 bytes masked by slot count - 1, then linear
/// probing); string offsets (u32, vocabulary count + 1, into the string bytes); string bytes
/// (UTF-8, `##` continuations spelled out); scales (float32 per row, int8 tables only); rows
/// (vocabulary count x dimensions values). The file ends with the rows.
public struct StaticEmbeddingTable: Sendable {
  /// The format version this build reads.
  public static let version: UInt32 = 1
  static let magic: [UInt8] = Array("BTEMB001".utf8)
  static let headerSize = 80

  private let buffer: SnapshotBuffer
  /// The number of values in a sentence vector.
  public let dimensions: Int
  /// How the rows are stored.
  public let quantization: EmbeddingQuantization
  /// Texts are cut to this many Unicode scalars before tokenising (as model2vec does).
  public let maxCharacters: Int
  /// Sentences are cut to this many tokens, `[UNK]` included.
  public let maxTokens: Int
  /// The tokenizer whose ids index this table's rows.
  public let tokenizer: WordPieceTokenizer
  private let scalesOffset: Int
  private let rowsOffset: Int

  /// The number of tokens (rows).
  public var vocabularyCount: Int { tokenizer.vocabulary.count }

  /// Opens the table in `buffer` (typically a mapped file), checking its header, its offsets,
  /// every hash slot and every string offset.
  ///
  /// - Throws: ``EmbeddingTableError`` when the bytes are not a whole, undamaged table.
  public init(buffer: SnapshotBuffer) throws(EmbeddingTableError) {
    let bytes = buffer.bytes
    guard bytes.count >= Self.headerSize else {
      throw .truncated(size: bytes.count, needed: Self.headerSize)
    }
    guard bytes.prefix(8).elementsEqual(Self.magic) else { throw .notAnEmbeddingTable }
    func field(_ offset: Int) -> Int {
      Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
    guard UInt32(field(8)) == Self.version else { throw .unsupportedVersion(UInt32(field(8))) }
    let count = field(12)
    let dimensions = field(16)
    guard let quantization = EmbeddingQuantization(rawValue: UInt32(field(20))) else {
      throw .corrupt("unknown quant kind \(field(20))")
    }
    let slots = field(24)
    let unknownID = field(28)
    let literalCount = field(32)
    let maxTokens = field(36)
    let maxCharacters = field(40)
    let (slotsOffset, stringOffsetsOffset, stringBytesOffset) = (field(44), field(48), field(52))
    let (scalesOffset, rowsOffset, stringByteCount) = (field(56), field(60), field(64))
    guard count > 0, (1...65_536).contains(dimensions) else {
      throw .corrupt("\(count) tokens of \(dimensions) dimensions")
    }
    guard slots > count, slots & (slots - 1) == 0 else {
      throw .corrupt("\(slots) hash slots for \(count) tokens")
    }
    guard unknownID < count, literalCount <= count, maxTokens > 0, maxCharacters > 0 else {
      throw .corrupt("token id or limit out of range")
    }
    // Every section in bounds and aligned: the reads after this need no checks.
    let hasScales = quantization == .int8
    let sections: [(name: String, offset: Int, size: Int)] = [
      ("hash slots", slotsOffset, 4 * slots),
      ("string offsets", stringOffsetsOffset, 4 * (count + 1)),
      ("string bytes", stringBytesOffset, stringByteCount),
      ("scales", hasScales ? scalesOffset : Self.headerSize, hasScales ? 4 * count : 0),
      ("rows", rowsOffset, count * dimensions * quantization.bytesPerValue),
    ]
    for section in sections {
      guard section.offset >= Self.headerSize, section.offset % 16 == 0 else {
        throw .corrupt("\(section.name) at offset \(section.offset)")
      }
      let end = section.offset + section.size
      guard end <= bytes.count else { throw .truncated(size: bytes.count, needed: end) }
    }
    let end = rowsOffset + count * dimensions * quantization.bytesPerValue
    guard end == bytes.count else { throw .corrupt("\(bytes.count - end) bytes after the rows") }
    guard hasScales || scalesOffset == 0 else {
      throw .corrupt("scales in a \(quantization) table")
    }

    var previous = 0
    for id in 0...count {
      let offset = field(stringOffsetsOffset + 4 * id)
      guard offset >= previous, offset <= stringByteCount, id > 0 || offset == 0 else {
        throw .corrupt("string offset \(offset) of token \(id)")
      }
      previous = offset
    }
    guard previous == stringByteCount else { throw .corrupt("string bytes left over") }
    var used = 0
    for slot in 0..<slots {
      let id = field(slotsOffset + 4 * slot)
      if id == Int(TokenVocabulary.emptySlot) { continue }
      guard id < count else { throw .corrupt("hash slot \(slot) holds token \(id)") }
      used += 1
    }
    guard used == count else { throw .corrupt("\(used) hash slots used for \(count) tokens") }
    for id in 0..<literalCount {
      let start = field(stringOffsetsOffset + 4 * id)
      let length = field(stringOffsetsOffset + 4 * id + 4) - start
      let text = bytes[(stringBytesOffset + start)..<(stringBytesOffset + start + length)]
      guard length > 0, length <= 64, text.allSatisfy({ $0 < 0x80 }) else {
        throw .corrupt("literal token \(id) is not short ASCII")
      }
    }
    if hasScales {
      for id in 0..<count {
        let scale = bytes.load(fromByteOffset: scalesOffset + 4 * id, as: Float.self)
        guard scale.isFinite else { throw .corrupt("the scale of row \(id) is \(scale)") }
      }
    }

    self.buffer = buffer
    self.dimensions = dimensions
    self.quantization = quantization
    self.maxCharacters = maxCharacters
    self.maxTokens = maxTokens
    self.scalesOffset = scalesOffset
    self.rowsOffset = rowsOffset
    tokenizer = WordPieceTokenizer(
      vocabulary: TokenVocabulary(
        buffer: buffer, count: count, unknownID: UInt32(unknownID), literalCount: literalCount,
        slotMask: slots - 1, slotsOffset: slotsOffset, stringOffsetsOffset: stringOffsetsOffset,
        stringBytesOffset: stringBytesOffset))
  }

  /// The sentence vector of `text` (``dimensions`` values; unit length, or all zero when no
  /// token of the text is known).
  public func embed(_ text: String) -> [Float] {
    [Float](unsafeUninitializedCapacity: dimensions) { vector, initialized in
      embed(text, into: vector)
      initialized = dimensions
    }
  }

  /// Writes the sentence vector of `text` into `vector` (at least ``dimensions`` long) and
  /// returns how many token rows it averaged; allocates nothing for ASCII text.
  @discardableResult
  public func embed(_ text: String, into vector: UnsafeMutableBufferPointer<Float>) -> Int {
    precondition(vector.count >= dimensions, "the vector is shorter than the table's rows")
    let output = UnsafeMutableBufferPointer(rebasing: vector[0..<dimensions])
    output.initialize(repeating: 0)
    var seen = 0
    var used = 0
    let unknown = tokenizer.unknownID
    tokenizer.forEachTokenID(in: text, maxCharacters: maxCharacters) { id in
      seen += 1
      if id != unknown {
        addRow(Int(id), to: output)
        used += 1
      }
      return seen < maxTokens
    }
    guard used > 0 else { return 0 }
    let count = Float(used)
    var squares: Float = 0
    for index in 0..<dimensions {
      output[index] /= count
      squares += output[index] * output[index]
    }
    let norm = squares.squareRoot() + 1e-32
    for index in 0..<dimensions { output[index] /= norm }
    return used
  }

  /// Adds row `id`, dequantised, to `output`.
  private func addRow(_ id: Int, to output: UnsafeMutableBufferPointer<Float>) {
    let bytes = buffer.bytes
    let start = rowsOffset + id * dimensions * quantization.bytesPerValue
    switch quantization {
    case .int8:
      let scale = bytes.load(fromByteOffset: scalesOffset + 4 * id, as: Float.self)
      let row = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + dimensions)])
        .assumingMemoryBound(to: Int8.self)
      for index in 0..<dimensions { output[index] += Float(row[index]) * scale }
    case .float16:
      let row = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 2 * dimensions)])
        .assumingMemoryBound(to: UInt16.self)
      for index in 0..<dimensions {
        output[index] += Float(Float16(bitPattern: UInt16(littleEndian: row[index])))
      }
    case .float32:
      let row = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 4 * dimensions)])
        .assumingMemoryBound(to: Float.self)
      for index in 0..<dimensions { output[index] += row[index] }
    }
  }

  /// The cosine similarity of two vectors of the same length (0 when either is all zero).
  public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "cosine of vectors of different lengths")
    var dot: Float = 0
    var normA: Float = 0
    var normB: Float = 0
    for index in a.indices {
      dot += a[index] * b[index]
      normA += a[index] * a[index]
      normB += b[index] * b[index]
    }
    guard normA > 0, normB > 0 else { return 0 }
    return dot / (normA.squareRoot() * normB.squareRoot())
  }
}
