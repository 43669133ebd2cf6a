import ArgumentParser
import BacktalkCore
import Foundation

/// Where the knowledge base comes from and which emergency numbers to show.
struct KnowledgeOptions: ParsableArguments {
  @Option(
    name: .customLong("knowledge"),
    help:
      "The Intents folder to load (default: the one shipped with the binary; env BACKTALK_KNOWLEDGE)."
  )
  var directory: String?

  @Option(
    help: """
      Emergency numbers to show: us (911), uk (999), eu (112), au (000), ca, ie, nz, in, \
      or a country code that regions.yaml lists as an alias (gb, de, fr...). The default, \
      intl, names each main region's number rather than guessing where the person is.
      """)
  var region: String = Region.defaultCode

  /// The folder to load, resolved without depending on the working directory.
  func knowledgeDirectory() throws -> URL { try Self.knowledgeDirectory(directory) }

  /// The folder `directory` names, else the one `BACKTALK_KNOWLEDGE` names, else the one
  /// shipped with the binary.
  static func knowledgeDirectory(_ directory: String?) throws -> URL {
    if let directory { return URL(fileURLWithPath: directory) }
    if let env = ProcessInfo.processInfo.environment["BACKTALK_KNOWLEDGE"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    // The running binary as the kernel knows it (no `Bundle`, which is slow to create).
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      .map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: CommandLine.arguments[0])
    guard let found = KnowledgeBase.bundledDirectory(executable: executable) else {
      let looked = KnowledgeBase.installedLocations(executable: executable).dropFirst()
      throw CommandError(
        "cannot find the knowledge base: looked in \(looked.map(\.path).joined(separator: " and ")); install with tools/install.sh PREFIX (docs/DEPLOYING.md), or pass --knowledge DIR or set BACKTALK_KNOWLEDGE to the Intents folder"
      )
    }
    return found
  }

  /// Loads the knowledge base.
  func loadKnowledge() throws -> KnowledgeBase {
    do {
      return try KnowledgeCache.load(directory: try knowledgeDirectory())
    } catch let error as KnowledgeBaseError {
      throw CommandError(error.description)
    }
  }

  /// Loads the knowledge base and builds the assistant.
  func makeAssistant() throws -> Assistant {
    try Self.makeAssistant(directory: directory, region: region)
  }

  /// The assistant for the knowledge base in `directory` (see ``knowledgeDirectory(_:)``).
  static func makeAssistant(directory: String?, region: String) throws -> Assistant {
    do {
      return try KnowledgeCache.assistant(
        directory: try knowledgeDirectory(directory), region: region)
    } catch let error as KnowledgeBaseError {
      throw CommandError(error.description)
    } catch let error as AssistantError {
      throw CommandError(error.description)
    }
  }
}
