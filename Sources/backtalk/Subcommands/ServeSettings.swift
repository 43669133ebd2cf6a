import BacktalkCore
import BacktalkStores
import Foundation

/// What `serve` runs with, as plain values, and the service loop itself.
///
/// Front ends spawn a bare `backtalk serve` per conversation. Parsing even that through
/// ArgumentParser reflects over every option and looks up protocol conformances across the
/// whole binary (about 2 ms of a 20 ms cold start), so ``Backtalk/main()`` runs a bare `serve`
/// with these defaults directly; with any option it goes through ``Serve``, which fills these
/// in.
struct ServeSettings {
  /// `--knowledge`: the Intents folder, or nil for the shipped one.
  var knowledgeDirectory: String?
  /// `--region`: whose emergency numbers to show.
  var region = Region.defaultCode
  /// `--sessions`: memory, sqlite:PATH or a postgres:// URL.
  var sessions = "memory"
  /// `--max-sessions`: most sessions kept in memory.
  var maxSessions = 50_000
  /// `--session-ttl-minutes`: how long an idle session is kept.
  var sessionTtlMinutes = 30
  /// `--log`: where every exchange is appended, if anywhere.
  var log: String?
  /// `--log-redact`: leave texts out of the log.
  var logRedact = false
  /// `--threads`: readers of pipelined lines (nil: one per core).
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
      assistant: try KnowledgeOptions.makeAssistant(directory: knowledgeDirectory, region: region),
      limits: limits, store: store)
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
