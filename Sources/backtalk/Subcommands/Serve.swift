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
    var output = ""
    func answer(_ frames: [LineFramer.Frame]) -> Bool {
      output.removeAll(keepingCapacity: true)
      for frame in frames {
        guard let reply = service.handle(frame, now: .now) else { continue }
        output += reply
        output += "\n"
        logFile?.record(frame: frame, reply: reply)
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
