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

  /// The shipped sentence-embedding table, as the binary uses it.
  static let embeddings: StaticEmbeddingTable = {
    let url = root.appendingPathComponent("Embeddings/minilm-l6-static.bin")
    do {
      guard let data = FileManager.default.contents(atPath: url.path) else {
        fatalError("cannot read \(url.path)")
      }
      return try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: [UInt8](data)))
    } catch {
      fatalError("cannot read \(url.path): \(error)")
    }
  }()

  /// The shipped assistant (region us), compiled once for this test target.
  static let assistant: Assistant = {
    do { return try Assistant(knowledge: knowledge, region: "us", embeddings: embeddings) } catch {
      fatalError("the shipped assistant does not build: \(error)")
    }
  }()

  /// Every region's assistant, all sharing the one compiled above.
  static let replayer: TranscriptReplayer = {
    do {
      return try TranscriptReplayer(assistant: assistant, regions: ["us", "uk", "eu", "au"])
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

  struct Mutation: Sendable, CustomTestStringConvertible {
    let original: String
    let mutated: String
    /// The whole report: turn, line of the expectation, key, and the two values.
    let report: String
    var testDescription: String { mutated }
  }

  @Test(arguments: [
    Mutation(
      original: "intent: treatment.heat_cold", mutated: "intent: treatment.cupping",
      report: "turn 1 (line 4): intent\n--- expected\n+++ actual\n- treatment.cupping\n"
        + "+ treatment.heat_cold"),
    Mutation(
      original: "slots: location=upper, duration_days=21",
      mutated: "slots: location=upper, duration_days=14",
      report: "turn 3 (line 10): slots\n--- expected\n+++ actual\n"
        + "- location=upper, duration_days=14\n+ location=upper, duration_days=21"),
    Mutation(
      original: "escalate: yes", mutated: "escalate: no",
      report: "turn 4 (line 12): escalate\n--- expected\n+++ actual\n- no\n+ yes"),
    Mutation(
      original: "category: cardiac", mutated: "category: trauma",
      report: "turn 4 (line 13): category\n--- expected\n+++ actual\n- trauma\n+ cardiac"),
    Mutation(
      original: "awaiting: location", mutated: "!awaiting: location",
      report: "turn 2 (line 8): awaiting\n--- expected\n+++ actual\n- !location\n+ location"),
  ])
  func aMutationIsReported(_ m: Mutation) throws {
    let found = try failures(Self.sample.replacingOccurrences(of: m.original, with: m.mutated))
    try #require(found.count == 1)
    #expect(found[0].description == m.report)
  }

  /// One changed line in a multi-line reply: the report points at the first `<` line of the
  /// turn and shows a line diff whose only changed line is that one.
  @Test func aChangedLineInExactTextShowsADiff() throws {
    var state = DialogueState()
    let message = "why does my upper back hurt so much"
    let reply = ReplayFixtures.assistant.respond(to: message, state: &state)
    let lines = reply.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    try #require(lines.count >= 3, "the answer should span lines: \(reply.text)")
    var changed = lines
    changed[1] += " (edited)"
    let text = "title: t\n=== x\n> \(message)\n" + changed.map { "< " + $0 }.joined(separator: "\n")
    let found = try failures(text)
    try #require(found.count == 1)
    #expect(found[0].key == "text")
    #expect(found[0].turn == 1 && found[0].line == 4)
    var diff = ["--- expected", "+++ actual"]
    for (k, line) in lines.enumerated() {
      diff += k == 1 ? ["- " + changed[k], "+ " + line] : ["  " + line]
    }
    #expect(
      found[0].description == "turn 1 (line 4): text differs\n" + diff.joined(separator: "\n"))
  }

  /// A recorded transcript passes against the assistant that recorded it, and fails, with the
  /// line and the text diff, against one whose knowledge base says something else.
  @Test func aRecordingFailsAgainstAChangedKnowledgeBase() throws {
    var recorder = TranscriptRecorder()
    var state = DialogueState()
    for message in [
      "hello", "what should I do about my back pain", "lower back",
      "no chest pain but my legs gave way",
    ] {
      recorder.append(
        user: message, reply: ReplayFixtures.assistant.respond(to: message, state: &state))
    }
    let text = recorder.transcript(title: "round trip")
    let parsed = try TranscriptParser.parse(text, file: "x")
    #expect(TranscriptWriter.write(parsed) == text)
    #expect(try failures(text).isEmpty)

    // The same assistant, but its greeting says "backchat": only the first turn's text differs.
    let files = ReplayFixtures.knowledge.files.sorted { $0.key < $1.key }.map { name, contents in
      (
        name,
        name == "conversation.yaml"
          ? contents.replacingOccurrences(of: "Hi, I'm backtalk,", with: "Hi, I'm backchat,")
          : contents
      )
    }
    let changedKnowledge = try KnowledgeBase(files: files)
    let changed = try TranscriptReplayer(
      assistant: try Assistant(
        knowledge: changedKnowledge, compiled: ReplayFixtures.assistant.compiled,
        embeddings: ReplayFixtures.embeddings))
    let results = try changed.replay(parsed, file: "x")
    let found = results.flatMap(\.failures)
    try #require(found.count == 1, "\(found)")
    #expect(found[0].key == "text" && found[0].turn == 1)
    let firstReplyLine = text.split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.hasPrefix("< ") }
    #expect(found[0].line == firstReplyLine.map { $0 + 1 })
    #expect(found[0].description.contains("\n- Hi, I'm backtalk,"))
    #expect(found[0].description.contains("\n+ Hi, I'm backchat,"))
    #expect(results.map(\.passed) == [false])
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
