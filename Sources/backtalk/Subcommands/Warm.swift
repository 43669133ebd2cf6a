import ArgumentParser
import BacktalkCore
import Foundation

/// Builds the start-up caches ahead, so that the first processes after an install or upgrade
/// start from them instead of compiling the knowledge base.
struct Warm: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "warm",
    abstract:
      "Compile the knowledge base and write the start-up caches now (run it after installing or upgrading)."
  )

  @OptionGroup var knowledge: KnowledgeOptions

  func run() throws {
    _ = try knowledge.makeAssistant()
    StandardStreams.write("start-up caches ready in \(KnowledgeCache.directory().path)\n")
  }
}
