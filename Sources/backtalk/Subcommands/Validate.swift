import ArgumentParser
import BacktalkCore
import Foundation

/// Lints the knowledge base against the catalogue and the seeds.
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract:
      "Check the knowledge base: catalogue complete, sources exist in the seeds, no duplicate or conflicting examples, suggestions lead somewhere, answers short."
  )

  @OptionGroup var knowledge: KnowledgeOptions

  @Option(help: "The seed articles folder (default: ../shared/seeds beside the project).")
  var seeds: String?

  func run() throws {
    let assistant = try knowledge.makeAssistant()
    let seedFiles = SeedFolder.load(seeds)
    if seedFiles == nil {
      StandardStreams.write("seed checks skipped: no seeds folder found (pass --seeds DIR)\n")
    }
    let problems = KnowledgeValidator(assistant: assistant).problems(seeds: seedFiles?.files)
    for problem in problems { StandardStreams.write("\(problem)\n") }
    let k = assistant.knowledge
    let examples = k.intents.reduce(0) { $0 + $1.examples.count }
    let sources = Set(k.intents.flatMap(\.sources)).count
    StandardStreams.write(
      "\(k.intents.count) intents, \(examples) examples, \(sources) distinct sources, "
        + "\(k.emergencies.categories.reduce(0) { $0 + $1.patterns.count }) emergency phrases"
        + (seedFiles.map { ", seeds from \($0.path)" } ?? "") + "\n")
    if problems.isEmpty {
      StandardStreams.write("knowledge base OK\n")
    } else {
      StandardStreams.write("\(problems.count) problem(s)\n")
      throw ExitCode.failure
    }
  }
}

/// The seed articles, read from `--seeds` or `../shared/seeds` beside the project.
enum SeedFolder {
  static func load(_ path: String?) -> (path: String, files: [String: String])? {
    var candidates: [String] = []
    if let path { candidates.append(path) }
    candidates.append("../shared/seeds")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.deletingLastPathComponent().appendingPathComponent("shared/seeds").path)
    for candidate in candidates {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: candidate) else {
        if path != nil && candidate == path { return nil }
        continue
      }
      var files: [String: String] = [:]
      for name in names where name.hasSuffix(".txt") {
        if let data = FileManager.default.contents(atPath: candidate + "/" + name) {
          files[name] = String(decoding: data, as: UTF8.self)
        }
      }
      if !files.isEmpty { return (candidate, files) }
    }
    return nil
  }
}
