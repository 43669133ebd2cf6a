@testable import BacktalkCore
import Testing

@Suite struct StringTableTests {
  static let words = ["w:back", "w:pain", "g:<ba", "", "w:advil", "c:nsaid", "é", "w:pain"]

  @Test func findsEveryStringByItsFirstNumber() {
    let table = StringTable(Self.words)
    #expect(table.count == Self.words.count)
    for (i, word) in Self.words.enumerated() {
      #expect(table.id(of: word) == Int32(Self.words.firstIndex(of: word) ?? i))
      #expect(table[Int32(i)] == word)
    }
    #expect(table.id(of: "w:bac") == nil)
    #expect(table.id(of: "w:backs") == nil)
  }

  @Test func survivesASnapshotAndRefusesDamage() throws {
    var w = SnapshotWriter()
    StringTable(Self.words).write(to: &w)
    var r = SnapshotReader(w.bytes)
    let restored = try StringTable(snapshot: &r)
    #expect(Self.words.allSatisfy { restored.id(of: $0) != nil })
    var damaged = w.bytes
    damaged[damaged.count - 3] = 0x7F  // a slot pointing past the strings
    var d = SnapshotReader(damaged)
    #expect(throws: SnapshotError.self) { try StringTable(snapshot: &d) }
  }
}
