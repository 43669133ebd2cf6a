import BacktalkCore
import Foundation
import Testing

/// A temporary file or folder removed when the test ends.
struct Scratch {
  let url: URL

  init(_ name: String) {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("backtalk-\(name)-\(UUID().uuidString)")
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// One serve request line.
func requestLine(id: Int, session: String, text: String) -> String {
  var w = JSONWriter()
  w.beginObject()
  w.key("id")
  w.int(id)
  w.key("session")
  w.string(session)
  w.key("text")
  w.string(text)
  w.endObject()
  return w.text + "\n"
}

/// Every line of a JSON Lines text, parsed (a line that does not parse fails the test).
func parsedLines(_ text: String) throws -> [JSONValue] {
  try text.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
}

extension ProcessTests {
  /// What an integrator deploys against: signals, the shared log, the handshake.
  @Suite struct ServeLifecycleProcessTests {
    struct SignalCase: Sendable, CustomTestStringConvertible {
      let number: Int32
      let name: String
      var testDescription: String { name }
    }

    static let signals = [
      SignalCase(number: SIGTERM, name: "SIGTERM"), SignalCase(number: SIGINT, name: "SIGINT"),
      SignalCase(number: SIGHUP, name: "SIGHUP"),
    ]

    /// A signal in the middle of a long pipelined stream: serve stops reading, answers every
    /// line it had read, logs each, and exits 0.
    ///
    /// stdin is a regular file, so the offset the child leaves in the shared open file says
    /// exactly how many bytes it read: the replies must be the lines those bytes complete.
    @Test(arguments: signals)
    func aSignalMidStreamAnswersEveryLineRead(_ signal: SignalCase) throws {
      let input = Scratch("signal-in")
      let log = Scratch("signal-log")
      let errors = Scratch("signal-err")
      defer {
        input.remove()
        log.remove()
        errors.remove()
      }
      let texts = [
        "is heat or ice better?", "make me a plan", "upper back", "2 weeks", "6/10", "hello",
        "what stretches help", "when should I see a doctor",
      ]
      let total = 20_000
      var bytes: [UInt8] = []
      for id in 0..<total {
        bytes += Array(requestLine(id: id, session: "s\(id % 40)", text: texts[id % 8]).utf8)
      }
      try Data(bytes).write(to: input.url)
      _ = FileManager.default.createFile(atPath: errors.url.path, contents: nil)
      let stdin = try FileHandle(forReadingFrom: input.url)
      defer { try? stdin.close() }
      let stdout = Pipe()
      let process = Process()
      process.executableURL = Binary.url
      process.arguments = ["serve", "--log", log.url.path]
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = try FileHandle(forWritingTo: errors.url)
      Binary.ignoreBrokenPipe()
      try process.run()
      // The first reply proves the service is reading; then the signal, mid-stream.
      let first = try Binary.readLine(stdout.fileHandleForReading)
      kill(process.processIdentifier, signal.number)
      let rest = try stdout.fileHandleForReading.readToEnd() ?? Data()
      process.waitUntilExit()
      #expect(process.terminationReason == .exit)
      #expect(process.terminationStatus == 0)
      let consumed = Int(lseek(stdin.fileDescriptor, 0, SEEK_CUR))
      try #require(consumed > 0 && consumed <= bytes.count)
      let linesRead = bytes[0..<consumed].filter { $0 == 0x0A }.count
      let replies = try parsedLines(first + String(decoding: rest, as: UTF8.self))
      #expect(replies.count == linesRead)
      #expect(linesRead < total, "the signal came after the last line; nothing was tested")
      for (n, reply) in replies.enumerated() {
        #expect(reply["id"] == .number(String(n)))
      }
      let records = try parsedLines(try String(contentsOf: log.url, encoding: .utf8))
      #expect(records.count == linesRead)
      let stderr = try String(contentsOf: errors.url, encoding: .utf8)
      #expect(stderr.contains("\(signal.name): stopped reading"))
    }

    /// A service idle in a read wakes on the signal and ends at once; a line only partly read
    /// gets no reply (the front end retries it with the ones never read).
    @Test(arguments: signals)
    func aSignalWakesAnIdleServiceWhichExitsZero(_ signal: SignalCase) throws {
      let process = Process()
      process.executableURL = Binary.url
      process.arguments = ["serve"]
      let stdin = Pipe()
      let stdout = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = FileHandle.nullDevice
      Binary.ignoreBrokenPipe()
      try process.run()
      let sent = requestLine(id: 1, session: "a", text: "hi") + #"{"id":2,"text":"half a li"#
      try stdin.fileHandleForWriting.write(contentsOf: Data(sent.utf8))
      let line = try Binary.readLine(stdout.fileHandleForReading)
      #expect(line.contains(#""intent":"greet""#))
      kill(process.processIdentifier, signal.number)
      let rest = try stdout.fileHandleForReading.readToEnd() ?? Data()
      process.waitUntilExit()
      try? stdin.fileHandleForWriting.close()
      #expect(process.terminationReason == .exit)
      #expect(process.terminationStatus == 0)
      #expect(rest.isEmpty)
    }

    /// Two processes append to one log at once: every record is whole (6,000 parse, 3,000 from
    /// each process), and the file was created readable by its owner only.
    @Test func twoProcessesShareOneLogWithoutLosingRecords() throws {
      let log = Scratch("shared-log")
      let inputs = [Scratch("shared-in-a"), Scratch("shared-in-b")]
      defer {
        log.remove()
        inputs.forEach { $0.remove() }
      }
      var processes: [Process] = []
      for (k, input) in inputs.enumerated() {
        var text = ""
        // Records from a few hundred bytes to several KiB, so writes of different sizes race.
        for id in 0..<3000 {
          let words = String(repeating: "my upper back hurts ", count: (id * 7 + k) % 160)
          text += requestLine(id: id, session: "p\(k)-\(id % 20)", text: words + "help")
        }
        try Data(text.utf8).write(to: input.url)
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["serve", "--log", log.url.path]
        process.standardInput = try FileHandle(forReadingFrom: input.url)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        processes.append(process)
      }
      for process in processes { try process.run() }
      for process in processes {
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
      }
      let records = try parsedLines(try String(contentsOf: log.url, encoding: .utf8))
      #expect(records.count == 6000)
      let pids = Dictionary(grouping: records) { record -> String in
        if case .number(let pid)? = record["pid"] { return pid }
        return "none"
      }
      #expect(pids.count == 2)
      #expect(pids.values.allSatisfy { $0.count == 3000 })
      let attributes = try FileManager.default.attributesOfItem(atPath: log.url.path)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    /// `--log-redact` keeps what happened (ids, sessions, intents, kinds, escalations, byte
    /// counts) and leaves out what was said, in both directions.
    @Test func aRedactedLogHoldsNoMessageOrReplyText() throws {
      let log = Scratch("redacted-log")
      defer { log.remove() }
      let input =
        requestLine(id: 1, session: "a", text: "hello zebracorn")
        + #"{"id":2,"session":"a","text":"I want to kill myself","trace":true}"# + "\n"
        + "not json\n"
      let result = try Binary.run(
        ["serve", "--log", log.url.path, "--log-redact"], input: Array(input.utf8))
      #expect(result.status == 0)
      let replies = try parsedLines(result.stdout)
      #expect(replies.count == 3)
      let text = try String(contentsOf: log.url, encoding: .utf8)
      for said in ["zebracorn", "kill myself", "Hi, I'm backtalk", "not json"] {
        #expect(!text.contains(said), "the log holds '\(said)'")
      }
      for reply in replies.prefix(2) {
        if case .string(let words)? = reply["text"] { #expect(!text.contains(words)) }
      }
      let records = try parsedLines(text)
      #expect(records.count == 3)
      #expect(records[0]["redacted"] == .bool(true))
      #expect(records[0]["request"]?["text_bytes"] == .number("15"))
      #expect(records[0]["reply"]?["intent"] == .string("greet"))
      #expect(records[1]["reply"]?["escalation"]?["category"] == .string("self_harm"))
      #expect(records[1]["reply"]?["trace"] == nil)
      #expect(records[2]["request"] == .null)
      #expect(records[2]["request_bytes"] == .number("8"))
      #expect(records[2]["reply"]?["error"]?["code"] == .string("invalid_json"))
    }

    @Test func versionAndHelloAgree() throws {
      let version = try Binary.run(["--version"], input: [])
      #expect(version.status == 0)
      #expect(
        version.stdout
          == "backtalk \(BacktalkVersion.program) (protocol \(BacktalkVersion.wireProtocol))\n")
      let hello = try Binary.run(
        ["serve", "--region", "uk"], input: Array(#"{"id":0,"type":"hello"}"#.utf8))
      let reply = try #require(try parsedLines(hello.stdout).first)
      #expect(reply["version"] == .string(BacktalkVersion.program))
      #expect(reply["protocol"] == .string(BacktalkVersion.wireProtocol))
      #expect(reply["region"] == .string("uk"))
    }
  }
}
