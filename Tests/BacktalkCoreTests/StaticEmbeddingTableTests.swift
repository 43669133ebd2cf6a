import BacktalkCore
import Testing

/// The shipped table gives model2vec's sentence vectors, refuses damaged bytes, and its
/// vectors mean something.
@Suite struct StaticEmbeddingTableTests {
  @Test func vectorsMatchModel2Vec() throws {
    let table = try EmbeddingFixtures.table()
    let rows = try EmbeddingFixtures.objects("embedding_cases.jsonl")
    #expect(rows.count >= 250)
    var worst: (cosine: Float, text: String) = (1, "")
    var largestDifference: Float = 0
    for (line, row) in rows {
      let text = row["text"]?.stringValue ?? ""
      let expected = try EmbeddingFixtures.numbers(row, "vector", line: line).map { Float($0) }
      try #require(expected.count == table.dimensions, "line \(line)")
      let actual = table.embed(text)
      let isZero = expected.allSatisfy { $0 == 0 }
      let cosine =
        isZero
        ? (actual.allSatisfy { $0 == 0 } ? 1 : 0) : StaticEmbeddingTable.cosine(actual, expected)
      if cosine < worst.cosine { worst = (cosine, text) }
      for (a, e) in zip(actual, expected) { largestDifference = max(largestDifference, abs(a - e)) }
    }
    #expect(
      worst.cosine >= 0.999, "lowest cosine \(worst.cosine) for \(String(reflecting: worst.text))")
    #expect(largestDifference < 1e-4, "largest difference \(largestDifference)")
  }

  @Test func pinsAndNeedlesIsCloserToTinglingThanToMattress() throws {
    let table = try EmbeddingFixtures.table()
    let pins = table.embed("pins and needles")
    let tingling = StaticEmbeddingTable.cosine(pins, table.embed("tingling"))
    let mattress = StaticEmbeddingTable.cosine(pins, table.embed("mattress"))
    #expect(tingling > mattress + 0.1, "tingling \(tingling), mattress \(mattress)")
  }

  @Test func vectorsHaveUnitLengthOrAreZero() throws {
    let table = try EmbeddingFixtures.table()
    let vector = table.embed("my upper back hurts when I sit")
    let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    #expect(abs(length - 1) < 1e-4)
    #expect(table.embed("").allSatisfy { $0 == 0 })
    #expect(table.embed("🫠🫠").allSatisfy { $0 == 0 })
  }

  @Test func theBufferVariantWritesTheSameVector() throws {
    let table = try EmbeddingFixtures.table()
    var buffer = [Float](repeating: .nan, count: table.dimensions + 3)
    let used = buffer.withUnsafeMutableBufferPointer { table.embed("pins and needles", into: $0) }
    #expect(used == 3)
    #expect(Array(buffer.prefix(table.dimensions)) == table.embed("pins and needles"))
  }

  @Test func truncatedTablesThrow() throws {
    let bytes = try EmbeddingFixtures.tableBytes()
    for size in [0, 7, 40, 79, 80, 4096, bytes.count / 2, bytes.count - 1] {
      #expect(throws: EmbeddingTableError.self, "\(size) bytes") {
        _ = try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: Array(bytes.prefix(size))))
      }
    }
  }

  @Test func damagedHeadersAndSectionsThrow() throws {
    let bytes = try EmbeddingFixtures.tableBytes()
    func opened(_ change: (inout [UInt8]) -> Void) -> EmbeddingTableError? {
      var copy = bytes
      change(&copy)
      do {
        _ = try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: copy))
        return nil
      } catch {
        return error
      }
    }
    func setField(_ offset: Int, _ value: UInt32) -> (inout [UInt8]) -> Void {
      { bytes in
        for index in 0..<4 {
          bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
      }
    }
    #expect(opened { $0[0] = UInt8(ascii: "X") } == .notAnEmbeddingTable)
    #expect(opened(setField(8, 2)) == .unsupportedVersion(2))
    for (offset, value): (Int, UInt32) in [
      (12, 0), (16, 0), (20, 7), (24, 1000), (28, 1_000_000), (44, 3), (48, 0xFFFF_FFF0),
      (60, 96), (64, 1),
    ] {
      #expect(opened(setField(offset, value)) != nil, "field at \(offset) set to \(value)")
    }
    // A hash slot pointing past the vocabulary, and a string offset going backwards.
    let slots = Int(bytes[44]) | Int(bytes[45]) << 8 | Int(bytes[46]) << 16 | Int(bytes[47]) << 24
    let strings = Int(bytes[48]) | Int(bytes[49]) << 8 | Int(bytes[50]) << 16 | Int(bytes[51]) << 24
    #expect(opened(setField(slots, 0x00FF_FFFF)) != nil)
    #expect(opened(setField(slots + 4, 0x00FF_FFFF)) != nil)
    #expect(opened(setField(strings + 8, 0xFFFF)) != nil)
  }
}
