import ArgumentParser
import BacktalkCore
import BacktalkWeb
import Foundation

/// `backtalk-web` (run as `backtalk web`): the chat page and its WebSocket.
///
/// A separate executable so that `backtalk` itself, which front ends spawn for every
/// conversation, never loads a web server; `backtalk web` execs this binary from beside itself.
@main
struct BacktalkWebCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backtalk web",
    abstract: "Serve the chat page and a WebSocket speaking the `serve` protocol.",
    discussion: """
      Open the printed address in a browser. Each WebSocket message is one request line of \
      `backtalk serve` and gets one reply message; sessions are shared by every connection.
      """)

  @Option(help: "The address to listen on (127.0.0.1 by default: only this machine).")
  var host = "127.0.0.1"

  @Option(help: "The port (0 picks a free one; the address is printed on stdout).")
  var port = 8080

  @Option(
    name: .customLong("knowledge"),
    help: "The Intents folder to load (default: the one shipped with the binary).")
  var directory: String?

  @Option(
    help: """
      Emergency numbers to show: us (911), uk (999), eu (112), au (000), ca, ie, nz, in, \
      or a country code that regions.yaml lists as an alias (gb, de, fr...).
      """)
  var region = "us"

  @Option(
    help:
      "Also accept the chat socket from this origin (e.g. https://chat.example behind a proxy); repeatable."
  )
  var allowOrigin: [String] = []

  @Option(help: "Most chat connections open at once.")
  var maxConnections = 256

  @Option(help: "Messages one connection may send per second, sustained.")
  var messagesPerSecond = 10.0

  @Option(help: "Messages one connection may send at once after a pause.")
  var burst = 30

  @Option(help: "Seconds a connection may stay silent before it is closed (the page reconnects).")
  var idleSeconds = 1800

  @Option(help: "Most sessions kept in memory (least recently used dropped first).")
  var maxSessions = 50_000

  @Option(help: "Minutes an idle session is kept.")
  var sessionTtlMinutes = 30

  func run() async throws {
    signal(SIGPIPE, SIG_IGN)
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      .map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: CommandLine.arguments[0])
    var configuration = WebServer.Configuration()
    configuration.host = host
    configuration.port = port
    configuration.extraOrigins = allowOrigin
    configuration.limits.connections = maxConnections
    configuration.limits.messagesPerSecond = messagesPerSecond
    configuration.limits.burst = burst
    configuration.limits.idleTimeout = .seconds(max(1, idleSeconds))
    configuration.limits.service.sessions = max(1, maxSessions)
    configuration.limits.service.sessionTTL = .seconds(max(1, sessionTtlMinutes) * 60)
    let server: WebServer
    do {
      let assets = try PageAssets.bundled(executable: executable)
      let assistant = try Assistant(
        knowledge: try KnowledgeBase.load(directory: knowledgeDirectory(executable)),
        region: region, embeddings: EmbeddingTableFile.load(executable: executable))
      server = try WebServer(configuration: configuration, assistant: assistant, assets: assets)
    } catch let error as WebServerError {
      throw ValidationError(error.description)
    } catch let error as KnowledgeBaseError {
      throw ValidationError(error.description)
    } catch let error as AssistantError {
      throw ValidationError(error.description)
    }
    if !["127.0.0.1", "::1", "localhost"].contains(host) {
      FileHandle.standardError.write(
        Data(
          "backtalk web: listening on \(host), not only this machine: anyone who can reach it can chat\n"
            .utf8))
    }
    try await server.run { url in
      // The one line on stdout: scripts and tests read the address from it.
      FileHandle.standardOutput.write(Data("backtalk web: \(url)\n".utf8))
    }
  }

  /// The knowledge folder: `--knowledge`, then `BACKTALK_KNOWLEDGE`, then the one shipped.
  private func knowledgeDirectory(_ executable: URL) throws -> URL {
    if let directory { return URL(fileURLWithPath: directory) }
    if let env = ProcessInfo.processInfo.environment["BACKTALK_KNOWLEDGE"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    guard let found = KnowledgeBase.bundledDirectory(executable: executable) else {
      throw ValidationError(
        "cannot find the knowledge base next to the binary; pass --knowledge DIR (the Intents folder)"
      )
    }
    return found
  }
}
