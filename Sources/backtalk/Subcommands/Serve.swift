import ArgumentParser
import BacktalkCore
import BacktalkStores
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
  var sessions = "memory"

  @Option(help: "Most sessions kept in memory (least recently used dropped first).")
  var maxSessions = 50_000

  @Option(help: "Minutes an idle session is kept.")
  var sessionTtlMinutes = 30

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
    // First, before any other thread exists: the signals must be blocked in every thread.
    let signals = ShutdownSignals.start()
    StandardStreams.ignoreBrokenPipe()
    var limits = JSONLinesService.Limits()
    limits.sessions = max(1, maxSessions)
    limits.sessionTTL = .seconds(max(1, sessionTtlMinutes) * 60)
    let store = try Self.openStore(sessions, ttl: limits.sessionTTL)
    var service = JSONLinesService(
      assistant: try knowledge.makeAssistant(), limits: limits, store: store)
    var lastPurge = ContinuousClock.now
    var logFile: ExchangeLog?
    if let log {
      do { logFile = try ExchangeLog(path: log, redact: logRedact) } catch {
        throw CommandError(error.description)
      }
    } else if logRedact {
      StandardStreams.log("backtalk serve: --log-redact has no effect without --log")
    }
    var framer = LineFramer(limit: limits.lineBytes)
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var output: [UInt8] = []
    let helpers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, 16)) - 1
    let reader = service.reader
    func answer(_ frames: [LineFramer.Frame]) -> Bool {
      output.removeAll(keepingCapacity: true)
      // Pipelined lines are read ahead on the other cores (see ReadAhead); a lone line, a person
      // waiting for a reply, is read right here with no hand-off to pay for.
      let ahead =
        helpers > 0 && frames.count >= 8
        ? ReadAhead(frames: frames, reader: reader, helpers: helpers) : nil
      for (index, frame) in frames.enumerated() {
        let line = ahead?.line(index) ?? reader.parse(frame)
        guard let reply = service.answer(line, now: .now) else { continue }
        output += reply
        output.append(0x0A)
        logFile?.record(frame: frame, reply: reply)
        // A long pipelined chunk goes out in pieces, so the first replies do not wait for
        // the last (a 64 KiB chunk holds about 900 lines, some milliseconds of work).
        if output.count >= 32 * 1024 {
          guard StandardStreams.write(output) else { return false }
          output.removeAll(keepingCapacity: true)
        }
      }
      return output.isEmpty || StandardStreams.write(output)
    }
    // stdin and the signal pipe are watched together: a signal wakes a service idle in a read,
    // and is seen between chunks, after every line read so far has been answered.
    var watched = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
    if let signals {
      watched.append(pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0))
    }
    while true {
      if poll(&watched, nfds_t(watched.count), -1) < 0 {
        if errno == EINTR { continue }
        StandardStreams.log("backtalk serve: cannot wait for stdin (errno \(errno)); stopping")
        break
      }
      if let signals, watched.count > 1, watched[1].revents != 0 {
        // A line only partly read gets no reply, like the lines still unread: the front end
        // sees the service end and retries both.
        StandardStreams.log(
          "backtalk serve: \(signals.receivedName()): stopped reading; every line read was answered"
        )
        Self.leaveAtOnce(unless: store, keeping: service)
        return
      }
      guard watched[0].revents != 0 else { continue }
      if let store, ContinuousClock.now - lastPurge > .seconds(60) {
        lastPurge = .now
        Self.purge(store, ttl: limits.sessionTTL)
      }
      let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        StandardStreams.log("backtalk serve: cannot read stdin (errno \(errno)); stopping")
        break
      }
      if n == 0 { break }
      // Every line of this chunk is answered before the next read, so a front end that sends
      // one line and waits gets its reply at once; pipelined lines share writes.
      guard answer(framer.feed(buffer[0..<n])) else {
        Self.leaveAtOnce(unless: store, keeping: service)
        return
      }
    }
    _ = answer(framer.finish())
    Self.leaveAtOnce(unless: store, keeping: service)
  }

  /// Ends the process with every reply written, without taking the service apart first.
  ///
  /// Freeing the assistant's tables and every session costs a few milliseconds of CPU that
  /// nobody waits for (a quarter of a one-message run), on every spawn of a front end that
  /// starts one `serve` per conversation. Nothing is lost: replies and log records are written
  /// whole with write(2) as they are made. With a session store the service is taken apart as
  /// usual, so the store closes its connection in an orderly way.
  static func leaveAtOnce(
    unless store: (any PersistentSessionStore)?, keeping service: JSONLinesService
  ) {
    guard store == nil else { return }
    withExtendedLifetime(service) { Foundation.exit(0) }
  }

  /// Opens `--sessions` (nil for memory) and forgets its sessions idle past the TTL.
  static func openStore(_ text: String, ttl: Duration) throws -> (any PersistentSessionStore)? {
    do {
      let store = try SessionStoreLocation(parsing: text).open()
      if let store { purge(store, ttl: ttl) }
      return store
    } catch {
      throw CommandError(error.description)
    }
  }

  /// Deletes stored sessions idle past the TTL; a failure is reported, not fatal (the next
  /// request reports the store's state for itself).
  static func purge(_ store: any PersistentSessionStore, ttl: Duration) {
    do { try store.purge(idleLongerThan: ttl) } catch {
      StandardStreams.log("backtalk serve: \(error.description)")
    }
  }
}
