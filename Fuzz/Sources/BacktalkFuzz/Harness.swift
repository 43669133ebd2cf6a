import BacktalkCore
import Foundation

/// The libFuzzer harness: every input is fed to the service as protocol lines and to the
/// assistant as the messages of one conversation, with traces on.
///
/// Anything that traps (an overflow, an index out of range, a force unwrap) or that the address
/// sanitizer catches is a finding; so is a broken promise of the protocol, which the harness
/// checks itself: one reply per non-blank line, each a JSON object with an `id`.
enum Harness {
  /// The shipped assistant with the shipped embedding table, as the binary builds it, once
  /// per process.
  static let assistant: Assistant = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let intents = root.appendingPathComponent("Intents")
    let table = root.appendingPathComponent("Embeddings/minilm-l6-static.bin")
    do {
      guard let bytes = FileManager.default.contents(atPath: table.path) else {
        fatalError("cannot read \(table.path)")
      }
      return try Assistant(
        knowledge: try KnowledgeBase.load(directory: intents),
        embeddings: try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: [UInt8](bytes))))
    } catch {
      fatalError("the shipped knowledge base does not load from \(intents.path): \(error)")
    }
  }()

  /// One input: protocol lines, then the lines as messages of one conversation.
  static func run(_ bytes: [UInt8]) {
    var service = JSONLinesService(assistant: assistant)
    var framer = LineFramer(limit: service.limits.lineBytes)
    let now = ContinuousClock.now
    for frame in framer.feed(bytes[...]) + framer.finish() {
      let blank: Bool
      switch frame {
      case .line(let line): blank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
      case .tooLong: blank = false
      }
      let reply = service.handle(frame, now: now)
      guard let reply else {
        if !blank { fatalError("no reply to a line that is not blank: \(frame)") }
        continue
      }
      guard let value = try? JSONParser.parse(Array(reply.utf8)), value["id"] != nil else {
        fatalError("a reply that is not a JSON object with an id: \(reply)")
      }
      if reply.contains("\n") || reply.contains("\u{2028}") {
        fatalError("a reply that a line reader would split: \(reply)")
      }
    }
    var state = DialogueState()
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      let reply = assistant.respond(
        to: String(decoding: line, as: UTF8.self), state: &state, includeTrace: true)
      if reply.text.isEmpty { fatalError("an empty reply to \(Array(line))") }
    }
  }
}
