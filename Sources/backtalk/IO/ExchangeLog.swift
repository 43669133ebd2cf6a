import BacktalkCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The `--log` file: one JSON object per exchange, appended (format in `docs/DEPLOYING.md`).
///
/// Several `serve` processes may share one file, so each record is one `write(2)` on a
/// descriptor opened with `O_APPEND`: the kernel moves to the end and writes the whole record
/// in one step, and records from different processes never splice (on a local file system;
/// not on NFS). The file is created with mode 0600 because it holds what people said about
/// their health; with `redact`, the message and reply texts are left out altogether.
struct ExchangeLog {
  /// Why the log cannot be used.
  struct OpenError: Error, CustomStringConvertible {
    /// What went wrong, for the operator.
    let description: String
  }

  private let descriptor: Int32
  private let redact: Bool

  /// Opens (or creates, mode 0600) the log for appending; warns on stderr when an existing file
  /// can be read by other users.
  init(path: String, redact: Bool) throws(OpenError) {
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw OpenError(
        description: "cannot open the log file \(path): \(String(cString: strerror(errno)))")
    }
    var info = stat()
    if fstat(fd, &info) == 0, info.st_mode & 0o077 != 0 {
      StandardStreams.log(
        "backtalk serve: the log file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); it holds what people said: chmod 600 it"
      )
    }
    descriptor = fd
    self.redact = redact
  }

  /// Appends the record of one exchange.
  func record(frame: LineFramer.Frame, reply: [UInt8]) {
    var w = JSONWriter()
    w.beginObject()
    w.key("time")
    w.string(Self.timestamp())
    w.key("pid")
    w.int(Int(getpid()))
    if redact {
      w.key("redacted")
      w.bool(true)
      Self.writeRedacted(frame: frame, reply: reply, to: &w)
    } else {
      w.key("request")
      switch frame {
      case .line(let bytes): w.string(String(decoding: bytes, as: UTF8.self))
      case .tooLong: w.null()
      }
      w.key("reply")
      w.raw(String(decoding: reply, as: UTF8.self))
    }
    w.endObject()
    // One write(2) for the whole record, newline included: that is what keeps records whole
    // when processes share the file.
    guard StandardStreams.write(w.bytes + [0x0A], to: descriptor) else {
      StandardStreams.log(
        "backtalk serve: cannot write the log: \(String(cString: strerror(errno)))")
      return
    }
  }

  /// The request without `text` (its length instead) and the reply without `text`, `trace`
  /// and the safety layer's matched words: what happened, not what was said.
  private static func writeRedacted(
    frame: LineFramer.Frame, reply: [UInt8], to w: inout JSONWriter
  ) {
    w.key("request")
    let request: JSONValue?
    switch frame {
    case .line(let bytes): request = try? JSONParser.parse(bytes)
    case .tooLong: request = nil
    }
    if case .object(let members)? = request {
      w.beginObject()
      // Only the protocol's own fields: an unknown one could hold anything.
      for (key, value) in members where ["id", "session", "type", "trace", "region"].contains(key) {
        w.key(key)
        w.value(value)
      }
      if case .string(let text)? = request?["text"] {
        w.key("text_bytes")
        w.int(text.utf8.count)
      }
      w.endObject()
    } else {
      w.null()
    }
    w.key("request_bytes")
    switch frame {
    case .line(let bytes): w.int(bytes.count)
    case .tooLong: w.null()
    }
    w.key("reply")
    guard case .object(let members)? = try? JSONParser.parse(reply) else {
      w.null()
      return
    }
    w.beginObject()
    for (key, value) in members where key != "text" && key != "trace" {
      w.key(key)
      if key == "safety", case .object(let safety) = value {
        w.value(.object(safety.filter { $0.0 != "evidence" }))
      } else {
        w.value(value)
      }
    }
    w.endObject()
  }

  /// The wall-clock time in UTC with milliseconds, `2026-12-01T09:30:12.345Z`.
  ///
  /// Formatted by hand: `ISO8601DateFormatter` cost more than the rest of a record.
  static func timestamp() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var seconds = now.tv_sec
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-"
      + pad(parts.tm_mday, 2) + "T" + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":"
      + pad(parts.tm_sec, 2) + "." + pad(Int32(now.tv_nsec / 1_000_000), 3) + "Z"
  }
}
