import BacktalkCore
import BacktalkReplay
import Foundation
import Testing

enum ReplayFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let transcripts = root.appendingPathComponent("Transcripts")

  static let knowledge: KnowledgeBase = {
    do { return try KnowledgeBase.load(directory: root.appendingPathComponent("Intents")) } catch {
      fatalError("the shipped knowledge base does not load: \(error)")
    }
  }()

  static let replayer: TranscriptReplayer = {
    do {
      let kb = try KnowledgeBase.load(directory: root.appendingPathComponent("Intents"))
      let url = root.appendingPathComponent("Embeddings/minilm-l6-static.bin")
      guard let data = FileManager.default.contents(atPath: url.path) else {
        fatalError("cannot read \(url.path)")
      }
      let table = try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: [UInt8](data)))
      return try TranscriptReplayer(
        knowledge: kb, regions: ["us", "uk", "eu", "au"], embeddings: table)
    } catch {
      fatalError("cannot build the replayer: \(error)")
    }
  }()

  /// Every transcript file (a test case each).
  static let files: [String] = ((try? TranscriptFiles.find([transcripts.path])) ?? []).map(
    \.lastPathComponent)
}

/// Replays every file of `Transcripts/` in-process; each file is its own test case and a
/// failure names the file, the conversation, the turn and the line.
@Suite struct TranscriptReplayTests {
  @Test func transcriptsExist() {
    #expect(ReplayFixtures.files.count >= 25, "found \(ReplayFixtures.files.count) transcripts")
  }

  @Test(arguments: ReplayFixtures.files)
  func replays(_ file: String) throws {
    let url = ReplayFixtures.transcripts.appendingPathComponent(file)
    let transcript = try TranscriptFiles.load(url)
    let results = try ReplayFixtures.replayer.replay(transcript, file: file)
    #expect(!results.isEmpty)
    for result in results {
      for failure in result.failures {
        Issue.record(
          "\(file) '\(result.conversation)': \(failure)",
          sourceLocation: SourceLocation(
            fileID: "Transcripts/\(file)", filePath: url.path, line: max(failure.line, 1), column: 1
          ))
      }
    }
  }
}

/// The replayer must be able to fail: mutated copies of a real transcript are reported with
/// the right key and diff.
@Suite struct ReplayerCanFailTests {
  static let sample = """
    title: sample
    === heat
    > is heat or ice better for sore muscles?
    intent: treatment.heat_cold
    escalate: no
    > make me a plan
    flow: plan.start
    awaiting: location
    > upper back, 3 weeks
    slots: location=upper, duration_days=21
    > i have crushing chest pain
    escalate: yes
    category: cardiac
    """

  func failures(_ text: String) throws -> [TranscriptReplayer.Failure] {
    let t = try TranscriptParser.parse(text, file: "sample.transcript")
    return try ReplayFixtures.replayer.replay(t, file: "sample.transcript").flatMap(\.failures)
  }

  @Test func theOriginalPasses() throws {
    #expect(try failures(Self.sample).isEmpty)
  }

  @Test(arguments: [
    ("intent: treatment.heat_cold", "intent: treatment.cupping", "intent"),
    ("slots: location=upper, duration_days=21", "slots: location=upper, duration_days=14", "slots"),
    ("escalate: yes", "escalate: no", "escalate"),
    ("category: cardiac", "category: trauma", "category"),
    ("awaiting: location", "!awaiting: location", "awaiting"),
  ])
  func aMutationIsReported(original: String, mutated: String, key: String) throws {
    let found = try failures(Self.sample.replacingOccurrences(of: original, with: mutated))
    #expect(found.count == 1)
    #expect(found.first?.key == key)
    #expect(found.first?.description.contains("--- expected") == true)
  }

  @Test func aChangedWordInExactTextShowsADiff() throws {
    var state = DialogueState()
    let assistant = try Assistant(
      knowledge: ReplayFixtures.knowledge, embeddings: ReplayFixtures.replayer.embeddings)
    let reply = assistant.respond(to: "hi", state: &state)
    let changed = reply.text.replacingOccurrences(of: "backtalk", with: "backchat")
    let text =
      "=== x\n> hi\n"
      + changed.split(separator: "\n", omittingEmptySubsequences: false).map { "< " + $0 }.joined(
        separator: "\n")
    let found = try failures(text)
    #expect(found.count == 1)
    #expect(found.first?.key == "text")
    #expect(found.first?.description.contains("+ ") == true)
    #expect(found.first?.description.contains("- ") == true)
  }

  @Test func recordingThenReplayingPasses() throws {
    let assistant = try Assistant(
      knowledge: ReplayFixtures.knowledge, embeddings: ReplayFixtures.replayer.embeddings)
    var recorder = TranscriptRecorder()
    var state = DialogueState()
    for message in [
      "hello", "what should I do about my back pain", "lower back",
      "no chest pain but my legs gave way",
    ] {
      recorder.append(user: message, reply: assistant.respond(to: message, state: &state))
    }
    let text = recorder.transcript(title: "round trip")
    #expect(try failures(text).isEmpty)
    let parsed = try TranscriptParser.parse(text, file: "x")
    #expect(TranscriptWriter.write(parsed) == text)
  }

  @Test func syntaxErrorsNameTheLine() {
    #expect(
      throws: TranscriptError.syntax(
        file: "f", line: 3,
        message: "unknown expectation 'colour'; use one of "
          + Transcript.keys.sorted().joined(separator: ", "))
    ) {
      try TranscriptParser.parse("=== a\n> hi\ncolour: blue\n", file: "f")
    }
  }
}
