import ArgumentParser
import BacktalkCore
import BacktalkReplay
import Foundation

/// Replays transcripts and fails on any difference.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract:
      "Replay transcripts (files or folders; default: Transcripts/) and fail on any difference.")

  @OptionGroup var knowledge: KnowledgeOptions

  @Argument(help: "Transcript files or folders.")
  var paths: [String] = []

  @Flag(help: "Print results as JSON Lines for machines.")
  var json = false

  @Flag(help: "Rewrite the expectations from what the bot now says (after an intended change).")
  var update = false

  @Flag(help: "List intents, flow steps and emergency categories no transcript exercises.")
  var coverage = false

  func run() throws {
    let knowledgeBase = try knowledge.loadKnowledge()
    let files = try TranscriptFiles.find(paths.isEmpty ? [Self.defaultFolder()] : paths)
    guard !files.isEmpty else { throw CommandError("no .transcript files found") }
    let replayer = try TranscriptReplayer(
      knowledge: knowledgeBase, embeddings: KnowledgeCache.optionalEmbeddings()?.table)
    var all: [TranscriptReplayer.Result] = []
    var failed = 0
    var passed = 0
    let clock = ContinuousClock()
    let start = clock.now
    for file in files {
      let transcript: Transcript
      let results: [TranscriptReplayer.Result]
      do {
        transcript = try TranscriptFiles.load(file)
        results = try replayer.replay(transcript, file: file.lastPathComponent)
      } catch {
        failed += 1
        report(file: file.lastPathComponent, error: "\(error)")
        continue
      }
      all += results
      for result in results {
        if result.passed { passed += 1 } else { failed += 1 }
        report(result)
      }
      if update && results.contains(where: { !$0.passed }) {
        let rewritten = TranscriptWriter.write(
          TranscriptRecorder.updated(transcript, with: results))
        try rewritten.write(to: file, atomically: true, encoding: .utf8)
        StandardStreams.log("updated \(file.path)")
      }
    }
    let elapsed = clock.now - start
    if coverage { printCoverage(Coverage(knowledge: knowledgeBase, results: all)) }
    if !json {
      StandardStreams.write(
        "replayed \(files.count) files in \(elapsed.formatted(.units(allowed: [.milliseconds])))\n")
      StandardStreams.write("\(passed) passed, \(failed) failed\n")
    }
    if failed > 0 && !update { throw ExitCode.failure }
  }

  static func defaultFolder() -> String {
    if FileManager.default.fileExists(atPath: "Transcripts") { return "Transcripts" }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Transcripts")
      .path
  }

  private func report(file: String, error: String) {
    if json {
      var w = JSONWriter()
      w.beginObject()
      w.key("file"); w.string(file)
      w.key("passed"); w.bool(false)
      w.key("error"); w.string(error)
      w.endObject()
      StandardStreams.write(w.text + "\n")
    } else {
      StandardStreams.write("FAIL \(file): \(error)\n")
    }
  }

  private func report(_ result: TranscriptReplayer.Result) {
    if json {
      var w = JSONWriter()
      w.beginObject()
      w.key("file"); w.string(result.file)
      w.key("conversation"); w.string(result.conversation)
      w.key("line"); w.int(result.line)
      w.key("turns"); w.int(result.turns)
      w.key("passed"); w.bool(result.passed)
      w.key("failures")
      w.beginArray()
      for f in result.failures {
        w.beginObject()
        w.key("turn"); w.int(f.turn)
        w.key("line"); w.int(f.line)
        w.key("key"); w.string(f.key)
        w.key("expected"); w.string(f.expected)
        w.key("actual"); w.string(f.actual)
        w.endObject()
      }
      w.endArray()
      w.endObject()
      StandardStreams.write(w.text + "\n")
      return
    }
    let status = result.passed ? "PASS" : "FAIL"
    StandardStreams.write(
      "\(status) \(result.file):\(result.line) \(result.conversation) (\(result.turns) turns)\n")
    for failure in result.failures {
      StandardStreams.write(
        failure.description.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
          + "\n")
    }
  }

  private func printCoverage(_ c: Coverage) {
    StandardStreams.write("coverage:\n")
    StandardStreams.write(
      "  intents not exercised (\(c.intents.count)): \(c.intents.joined(separator: ", "))\n")
    StandardStreams.write(
      "  flow steps not reached (\(c.flowSteps.count)): \(c.flowSteps.joined(separator: ", "))\n")
    StandardStreams.write(
      "  emergency categories not escalated (\(c.categories.count)): \(c.categories.joined(separator: ", "))\n"
    )
  }
}
