import ArgumentParser
import Foundation

/// `backtalk web`: runs `backtalk-web` from beside this binary with the same arguments.
///
/// The web server is a separate executable so that this one, which front ends spawn per
/// conversation, links and loads none of it; `exec` replaces this process, so signals and the
/// exit status are the server's own.
struct Web: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "web",
    abstract: "Serve the chat page in a browser (runs backtalk-web; see backtalk-web --help).",
    discussion: """
      Options: --host (127.0.0.1), --port (8080; 0 picks one), --knowledge DIR, --region, \
      --allow-origin ORIGIN, --max-connections, --messages-per-second, --burst, --idle-seconds, \
      --max-sessions, --session-ttl-minutes.
      """)

  @Argument(parsing: .allUnrecognized, help: "Options for backtalk-web.")
  var arguments: [String] = []

  func run() throws {
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    let web = URL(fileURLWithPath: executable).deletingLastPathComponent()
      .appendingPathComponent("backtalk-web").path
    guard FileManager.default.isExecutableFile(atPath: web) else {
      throw CommandError(
        "backtalk-web is not next to this binary (\(web)); build it with `swift build --product backtalk-web` (a plain `swift build` builds both)"
      )
    }
    let argv = [web] + arguments
    var cArguments = argv.map { strdup($0) } + [nil]
    execv(web, &cArguments)
    throw CommandError("cannot run \(web): \(String(cString: strerror(errno)))")
  }
}
