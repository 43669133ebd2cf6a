import ArgumentParser
import BacktalkCore

/// The `backtalk` command: one binary, several faces over the same pure core.
@main
struct Backtalk: ParsableCommand {
  /// Runs `serve` directly and everything else through the command tree.
  ///
  /// Front ends spawn `backtalk serve` per conversation: parsing it as its own command skips
  /// building the whole tree (reflection over every subcommand, about 3 ms of a cold start).
  /// Everything else, `--help` included, goes through the full tree.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "serve", !arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
      Serve.main(Array(arguments.dropFirst()))
      return
    }
    main(nil)
  }

  /// What `--version` prints: the program and the protocol it speaks (`hello` says the same).
  static let versionText =
    "backtalk \(BacktalkVersion.program) (protocol \(BacktalkVersion.wireProtocol))"

  static let configuration = CommandConfiguration(
    commandName: "backtalk",
    abstract: "An information assistant for upper back pain (not a doctor).",
    discussion: """
      Answers questions from a knowledge base built from five published articles, walks you \
      through a short intake or a warning-sign checklist, and tells you to call for help at \
      once when a message shows an emergency sign.
      """,
    version: versionText,
    subcommands: [
      Chat.self, Serve.self, Replay.self, Record.self, Validate.self, IntentsCommand.self,
      Eval.self, Why.self, Bench.self, Warm.self, EchoReference.self,
    ],
    defaultSubcommand: Chat.self)
}
