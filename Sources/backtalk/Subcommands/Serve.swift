import ArgumentParser
import Foundation

/// The JSON Lines service: requests on stdin, one reply line per request on stdout.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the JSON Lines protocol on stdin/stdout (docs/PROTOCOL.md).",
    discussion: """
      One JSON request per line on stdin, one reply per line on stdout, in order. SIGTERM, \
      SIGINT and SIGHUP stop reading, answer every line already read and exit 0. Deployment, \
      the log format and privacy: docs/DEPLOYING.md.

      Sessions live in memory unless --sessions names a store: sqlite:PATH (a file on this \
      machine) or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (shared by several \
      processes or machines; needs a build with `--traits Postgres`). With a store each \
      session is saved before its reply is written, so a killed process loses at most the \
      request in flight; a session read back from the store replies with session_status \
      "restored", and escalations are recorded for `backtalk audit`.
      """,
    version: Backtalk.versionText)

  @OptionGroup var knowledge: KnowledgeOptions

  @Option(
    help:
      "Where sessions are kept: memory, sqlite:PATH, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]."
  )
  var sessions = ServeSettings().sessions

  @Option(help: "Most sessions kept in memory (least recently used dropped first).")
  var maxSessions = ServeSettings().maxSessions

  @Option(help: "Minutes an idle session is kept.")
  var sessionTtlMinutes = ServeSettings().sessionTtlMinutes

  @Option(
    help:
      "Append every exchange as JSON Lines to this file (created with mode 0600; several processes may share it)."
  )
  var log: String?

  @Flag(help: "Leave message and reply texts out of the --log records.")
  var logRedact = false

  @Option(
    help:
      "Threads that read pipelined lines ahead (normalising, emergency check, intent ranking) while lines are answered in order (default: one per core; 1 turns it off)."
  )
  var threads: Int?

  func run() throws {
    try ServeSettings(
      knowledgeDirectory: knowledge.directory, region: knowledge.region, sessions: sessions,
      maxSessions: maxSessions, sessionTtlMinutes: sessionTtlMinutes, log: log,
      logRedact: logRedact, threads: threads
    ).run()
  }
}
