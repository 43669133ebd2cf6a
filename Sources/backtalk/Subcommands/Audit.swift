import ArgumentParser
import BacktalkCore
import BacktalkStores
import Foundation

/// `backtalk audit`: the escalations a session store recorded, newest first.
///
/// Escalations are what someone may have to account for afterwards ("was this person told to
/// call 911, and when?"); the store keeps each with its session, time and category, also after
/// the session is ended.
struct Audit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract:
      "List the escalations a session store recorded (session, time, category), newest first.",
    discussion: """
      Reads the store `serve --sessions` wrote: sqlite:PATH or \
      postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. Times are UTC.
      """)

  @Option(
    help: "The session store: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.")
  var sessions: String

  @Option(help: "The most escalations to list.")
  var limit = 1000

  @Flag(help: "One JSON object per line: session, time, category, turn.")
  var json = false

  func run() throws {
    let entries: [EscalationEntry]
    do {
      let location = try SessionStoreLocation(parsing: sessions)
      guard let store = try location.open() else {
        throw CommandError(
          "--sessions memory keeps nothing to audit; name the store serve used (sqlite:PATH or postgres://...)"
        )
      }
      entries = try store.escalations(limit: max(0, limit))
    } catch let error as SessionStoreError {
      throw CommandError(error.description)
    }
    var out = ""
    if json {
      for e in entries {
        var w = JSONWriter()
        w.beginObject()
        w.key("session")
        w.string(e.session)
        w.key("time")
        w.string(Self.timestamp(e.time))
        w.key("category")
        w.string(e.category)
        w.key("turn")
        w.int(e.turn)
        w.endObject()
        out += w.text + "\n"
      }
    } else if entries.isEmpty {
      out = "no escalations recorded\n"
    } else {
      let width = max(7, entries.map(\.session.count).max() ?? 0)
      out =
        "time (UTC)                session".padding(
          toLength: 26 + width, withPad: " ", startingAt: 0) + "  category\n"
      for e in entries {
        out +=
          Self.timestamp(e.time) + "  "
          + e.session.padding(toLength: width, withPad: " ", startingAt: 0)
          + "  " + e.category + "\n"
      }
    }
    StandardStreams.write(out)
  }

  /// Milliseconds since 1970 as ISO 8601 UTC with milliseconds.
  static func timestamp(_ milliseconds: Int64) -> String {
    let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    return date.formatted(
      Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
  }
}
