import BacktalkCore
import Foundation
import Testing

/// The start-up snapshot must be invisible: an assistant read back from bytes answers exactly
/// like the one that was compiled, and damaged bytes are refused, never trusted or crashed on.
@Suite struct SnapshotTests {
  static let key = "test-key"
  static let bytes = Fixtures.assistant.compiled.snapshot(key: key)

  /// Every message of the fixtures: intents, emergencies and intake answers.
  static let messages: [String] =
    ["heldout_intents.jsonl", "slot_cases.jsonl"]
    .flatMap(Fixtures.jsonLines).compactMap {
      if case .string(let text)? = $0["text"] { return text } else { return nil }
    } + Fixtures.knowledge.emergencyCorpus.map(\.text)

  static func restored() throws -> Assistant {
    try Assistant(
      knowledge: Fixtures.knowledge, region: "us",
      compiled: try Assistant.Compiled(snapshot: bytes, key: key),
      embeddings: Fixtures.embeddings)
  }

  @Test func restoredAssistantAnswersExactlyLikeTheCompiledOne() throws {
    let restored = try Self.restored()
    #expect(Self.messages.count > 1000)
    // One conversation through every message (intake, checklist, digressions) and each
    // message on its own, with the matcher's trace compared too.
    var a = DialogueState()
    var b = DialogueState()
    var differing: [String] = []
    for text in Self.messages {
      var fresh1 = DialogueState()
      var fresh2 = DialogueState()
      let single1 = Fixtures.assistant.respond(to: text, state: &fresh1, includeTrace: true)
      let single2 = restored.respond(to: text, state: &fresh2, includeTrace: true)
      let turn1 = Fixtures.assistant.respond(to: text, state: &a)
      let turn2 = restored.respond(to: text, state: &b)
      if single1 != single2 || turn1 != turn2 || a != b { differing.append(text) }
    }
    #expect(differing.isEmpty, "answered differently: \(differing.prefix(5))")
  }

  @Test func aRestoredAssistantWritesTheSameBytes() throws {
    #expect(try Self.restored().compiled.snapshot(key: Self.key) == Self.bytes)
  }

  @Test func theKnowledgeBaseRoundTrips() throws {
    let kb = Fixtures.knowledge
    let bytes = kb.snapshot(key: Self.key)
    let restored = try KnowledgeBase(
      snapshot: bytes, key: Self.key, files: Fixtures.knowledgeFiles())
    #expect(restored.intents == kb.intents)
    #expect(restored.flows == kb.flows)
    #expect(restored.emergencies == kb.emergencies)
    #expect(restored.vocabulary == kb.vocabulary)
    #expect(restored.regions == kb.regions)
    #expect(restored.settings == kb.settings)
    #expect(restored.slotLexicon == kb.slotLexicon)
    #expect(restored.files == kb.files)
    #expect(restored.documents == kb.documents)
    #expect(restored.terms == kb.terms)
    #expect(!kb.terms.isEmpty)
    #expect(kb.intents.allSatisfy { restored.intent(named: $0.name) == $0 })
    #expect(restored.snapshot(key: Self.key) == bytes)
    for cut in [0, 9, bytes.count / 2, bytes.count - 1] {
      #expect(throws: SnapshotError.self) {
        try KnowledgeBase(
          snapshot: Array(bytes[..<cut]), key: Self.key, files: Fixtures.knowledgeFiles())
      }
    }
    #expect(throws: SnapshotError.stale) {
      try KnowledgeBase(snapshot: bytes, key: "other", files: [])
    }
  }

  @Test func aSnapshotUnderAnotherKeyIsStale() {
    #expect(throws: SnapshotError.stale) {
      try Assistant.Compiled(snapshot: Self.bytes, key: "another-build")
    }
  }

  @Test(arguments: [0, 1, 7, 40, 1000, 100_000, 1_000_000, -1])
  func aTruncatedSnapshotIsRefused(cut: Int) {
    let end = cut >= 0 ? min(cut, Self.bytes.count - 1) : Self.bytes.count - 1
    #expect(throws: SnapshotError.self) {
      try Assistant.Compiled(snapshot: Array(Self.bytes[..<end]), key: Self.key)
    }
  }

  @Test func garbageIsRefused() {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    var garbage = Array(Self.bytes.prefix(64))
    for _ in 0..<100_000 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1
      garbage.append(UInt8(truncatingIfNeeded: seed >> 56))
    }
    #expect(throws: SnapshotError.self) {
      try Assistant.Compiled(snapshot: garbage, key: Self.key)
    }
  }

  /// A byte changed anywhere inside the snapshot is refused or harmless, never a crash.
  ///
  /// A damaged disk, not a truncated file: it is refused or read into an assistant that still
  /// answers. There is no checksum, so the readers' own bounds checks are what stands between a flipped count or
  /// offset and a crash; 120 positions spread over the whole snapshot, each with three values.
  @Test func aChangedByteIsRefusedOrHarmless() {
    let bytes = Self.bytes
    var refused = 0
    var read = 0
    for k in 0..<120 {
      let position = 32 + (bytes.count - 33) * k / 119
      for value: UInt8 in [0x00, 0xFF, bytes[position] ^ 0x01] where value != bytes[position] {
        var damaged = bytes
        damaged[position] = value
        guard let compiled = try? Assistant.Compiled(snapshot: damaged, key: Self.key),
          let assistant = try? Assistant(
            knowledge: Fixtures.knowledge, compiled: compiled, embeddings: Fixtures.embeddings)
        else {
          refused += 1
          continue
        }
        read += 1
        var state = DialogueState()
        for text in ["hi", "is heat or ice better?", "make me a plan", "upper back, 3 weeks"] {
          _ = assistant.respond(to: text, state: &state, includeTrace: true)
        }
      }
    }
    #expect(refused + read > 300)
  }
}
