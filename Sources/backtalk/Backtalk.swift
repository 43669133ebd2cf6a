import ArgumentParser
import BacktalkCore
import Foundation

/// The `backtalk` command: one binary, several faces over the same pure core.
@main
struct Backtalk: ParsableCommand {
  /// Runs `serve` directly and everything else through the command tree.
  ///
  /// Front ends spawn `backtalk serve` per conversation: parsing it as its own command skips
  /// building the whole tree (reflection over every subcommand, about 3 ms of a cold start),
  /// and a bare `serve` is not parsed at all (see ``ServeSettings``). Everything else,
  /// `--help` included, goes through the full tree.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments == ["serve"] {
      do { try ServeSettings().run() } catch { Serve.exit(withError: error) }
      return
    }
    if arguments.first == "serve", !arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
      Serve.main(Array(arguments.dropFirst()))
      return
    }
    // `chat` is the default, so ArgumentParser would read `backtalk frobnicate` as a chat
    // argument and print the chat's usage; say what is wrong instead.
    if let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) {
      StandardStreams.log(
        "backtalk: unknown command '\(first)'\n\n" + commandList
          + "\nRun `backtalk help COMMAND` for a command's options.")
      Foundation.exit(64)
    }
    main(nil)
  }

  /// What `--version` prints: the program and the protocol it speaks (`hello` says the same).
  static let versionText =
    "backtalk \(BacktalkVersion.program) (protocol \(BacktalkVersion.wireProtocol))"

  /// Every subcommand's name (and `help`, which ArgumentParser adds).
  static var commandNames: Set<String> {
    Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
  }

  /// One line per command: its name and what it does.
  static var commandList: String {
    let names = configuration.subcommands.map { $0.configuration.commandName ?? "" }
    let width = names.map(\.count).max() ?? 0
    return "Commands:\n"
      + zip(names, configuration.subcommands).map { name, command in
        "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
          + command.configuration.abstract
      }.joined(separator: "\n")
  }

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
      Chat.self, Serve.self, Web.self, Replay.self, Record.self, Validate.self, IntentsCommand.self,
      Eval.self, Why.self, Bench.self, Warm.self, Audit.self, EchoReference.self,
    ],
    defaultSubcommand: Chat.self)
}
