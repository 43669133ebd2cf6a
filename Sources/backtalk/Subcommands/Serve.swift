import ArgumentParser
import BacktalkCore
import Foundation

/// The JSON Lines service: requests on stdin, one reply line per request on stdout.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the JSON Lines protocol on stdin/stdout (see README: Protocol).")

  @OptionGroup var knowledge: KnowledgeOptions

  @Option(help: "Most sessions kept in memory (least recently used dropped first).")
  var maxSessions = 50_000

  @Option(help: "Minutes an idle session is kept.")
  var sessionTtlMinutes = 30

  @Option(
    help: "Append every exchange as JSON Lines to this file (audit, turning logs into transcripts)."
  )
  var log: String?

  @Option(
    help:
      "Threads that read pipelined lines ahead (normalising, emergency check, intent ranking) while lines are answered in order (default: one per core; 1 turns it off)."
  )
  var threads: Int?

  func run() throws {
    StandardStreams.ignoreBrokenPipe()
    var limits = JSONLinesService.Limits()
    limits.sessions = max(1, maxSessions)
    limits.sessionTTL = .seconds(max(1, sessionTtlMinutes) * 60)
    var service = JSONLinesService(assistant: try knowledge.makeAssistant(), limits: limits)
    var logFile: ExchangeLog?
    if let log {
      do { logFile = try ExchangeLog(path: log) } catch {
        throw CommandError("cannot open the log file \(log): \(error.localizedDescription)")
      }
    }
    var framer = LineFramer(limit: limits.lineBytes)
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var output: [UInt8] = []
    let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, 16))
    func answer(_ frames: [LineFramer.Frame]) -> Bool {
      output.removeAll(keepingCapacity: true)
      let parsed = Self.parse(frames, with: service, workers: workers)
      for (frame, line) in zip(frames, parsed) {
        guard let reply = service.answer(line, now: .now) else { continue }
        output += reply
        output.append(0x0A)
        logFile?.record(frame: frame, reply: String(decoding: reply, as: UTF8.self))
      }
      return output.isEmpty || StandardStreams.write(output)
    }
    while true {
      let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        StandardStreams.log("backtalk serve: cannot read stdin (errno \(errno)); stopping")
        break
      }
      if n == 0 { break }
      // Every line of this chunk is answered before the next read, so a front end that sends
      // one line and waits gets its reply at once; pipelined lines share one write.
      guard answer(framer.feed(buffer[0..<n])) else { return }
    }
    _ = answer(framer.finish())
  }

  /// Parses a chunk's frames, split across `workers` threads when there are enough of them.
  ///
  /// Parsing needs no session (see ``JSONLinesService/parse(_:rankingIntents:)``), so a front
  /// end that pipelines many lines gets them read on every core; the answers, which read and
  /// write sessions, still run one by one in the order the lines came. A lone line (a person
  /// waiting for a reply) is parsed right here, with no hand-off to pay for.
  static func parse(
    _ frames: [LineFramer.Frame], with service: JSONLinesService, workers: Int
  ) -> [JSONLinesService.ParsedLine] {
    guard workers > 1, frames.count >= 8 else { return frames.map { service.parse($0) } }
    var parsed = [JSONLinesService.ParsedLine?](repeating: nil, count: frames.count)
    parsed.withUnsafeMutableBufferPointer { buffer in
      // Each thread writes only its own slice, so the unchecked sharing is safe.
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { part in
        for i in (part * frames.count / workers)..<((part + 1) * frames.count / workers) {
          out[i] = service.parse(frames[i], rankingIntents: true)
        }
      }
    }
    return parsed.compactMap { $0 }
  }
}

/// The `--log` file: one JSON object per exchange, appended.
struct ExchangeLog {
  private let handle: FileHandle

  init(path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw CocoaError(.fileWriteNoPermission)
    }
    handle.seekToEndOfFile()
    self.handle = handle
  }

  func record(frame: LineFramer.Frame, reply: String) {
    var w = JSONWriter()
    w.beginObject()
    w.key("time")
    w.string(ISO8601DateFormatter().string(from: Date()))
    w.key("request")
    switch frame {
    case .line(let bytes): w.string(String(decoding: bytes, as: UTF8.self))
    case .tooLong: w.string("(line too long, skipped)")
    }
    w.key("reply")
    w.raw(reply)
    w.endObject()
    do { try handle.write(contentsOf: Data((w.text + "\n").utf8)) } catch {
      StandardStreams.log("backtalk serve: cannot write the log: \(error.localizedDescription)")
    }
  }
}
