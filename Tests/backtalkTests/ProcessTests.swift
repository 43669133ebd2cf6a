import BacktalkCore
import Foundation
import Testing

/// Drives the real binary over pipes: what only a process can get wrong (flushing each line,
/// stdout holding only protocol lines, exit codes, bytes that are not UTF-8, piped chat).
enum Binary {
  static let url: URL = {
    let dir =
      Bundle.main.bundleURL.hasDirectoryPath
      ? Bundle.main.bundleURL : Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [
      dir.appendingPathComponent("backtalk"),
      dir.deletingLastPathComponent().appendingPathComponent("backtalk"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? candidates[0]
  }()

  /// Runs the binary with stdin bytes, from a directory that is not the project.
  static func run(_ arguments: [String], input: [UInt8], environment: [String: String] = [:])
    throws -> (status: Int32, stdout: String, stderr: String)
  {
    ignoreBrokenPipe()
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.currentDirectoryURL = FileManager.default.temporaryDirectory
    let stdout = Pipe()
    process.standardOutput = stdout
    // stdin and stderr are files, so no pipe can fill up and block either side.
    let dir = FileManager.default.temporaryDirectory
    let inputFile = dir.appendingPathComponent("backtalk-in-\(UUID().uuidString)")
    let errorFile = dir.appendingPathComponent("backtalk-err-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(at: inputFile)
      try? FileManager.default.removeItem(at: errorFile)
    }
    try Data(input).write(to: inputFile)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardInput = try FileHandle(forReadingFrom: inputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let out = (try stdout.fileHandleForReading.readToEnd()) ?? Data()
    process.waitUntilExit()
    let err = FileManager.default.contents(atPath: errorFile.path) ?? Data()
    return (
      process.terminationStatus, String(decoding: out, as: UTF8.self),
      String(decoding: err, as: UTF8.self)
    )
  }

  /// A write to a child that has exited must fail with EPIPE, not kill the test runner.
  static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }

  /// Reads one line (up to the first newline) from a pipe, taking whatever each read returns
  /// (`FileHandle.read(upToCount:)` would wait for the full count).
  static func readLine(_ handle: FileHandle) throws -> String {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !received.contains(0x0A) {
      let n = buffer.withUnsafeMutableBytes {
        read(handle.fileDescriptor, $0.baseAddress, $0.count)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      received += buffer[0..<n]
    }
    return String(decoding: received, as: UTF8.self)
  }
}

/// One serialized suite: children spawned in parallel inherit each other's pipe ends, so a
/// child could wait forever for an EOF that another test's child holds open.
@Suite(.serialized) struct ProcessTests {
  @Suite struct ServeProcessTests {
    @Test func answersEveryLineInOrderAndExitsZeroAtEOF() throws {
      var input = Array(#"{"id":1,"session":"a","text":"hello"}"#.utf8) + [0x0A]
      input += Array("not json\n".utf8)
      input += [0x7B, 0xFF, 0x7D, 0x0A]
      input += Array(
        ("{\"id\":\"big\",\"text\":\"" + String(repeating: "x", count: 70 * 1024) + "\"}\n").utf8)
      input += Array("\n".utf8)
      input += Array(#"{"id":"last","text":"is heat or ice better?"}"#.utf8)
      let result = try Binary.run(["serve"], input: input)
      #expect(result.status == 0)
      let lines = result.stdout.split(separator: "\n").map(String.init)
      #expect(lines.count == 5, "\(lines)")
      #expect(lines[0].hasPrefix(#"{"id":1,"session":"a","text":"#))
      #expect(lines[1].contains(#""code":"invalid_json""#))
      #expect(lines[2].contains(#""code":"invalid_utf8""#))
      #expect(lines[3].contains(#""code":"line_too_long""#))
      #expect(lines[4].contains(#""intent":"treatment.heat_cold""#))
    }

    /// Every bad line of `Tests/Fixtures/bad_lines.jsonl`, sent to the binary with CRLF endings
    /// and each followed by a good line, gets its error code, and the good line is answered
    /// with its id echoed as sent (strings and numbers alike).
    @Test func badLinesGetErrorsAndTheNextLineIsAnswered() throws {
      let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/bad_lines.jsonl")
      let table = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        .map { try JSONParser.parse(Array($0.utf8)) }
      #expect(table.count >= 13)
      var input: [UInt8] = []
      var expected: [(code: String?, id: JSONValue?)] = []
      for (k, entry) in table.enumerated() {
        guard case .string(let code)? = entry["code"] else { continue }
        if case .string(let line)? = entry["line"] {
          input += Array(line.utf8)
        } else if case .string(let bytes)? = entry["bytes"] {
          input += bytes.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        }
        input += [0x0D, 0x0A]
        expected.append((code, nil))
        let id: JSONValue = k % 2 == 0 ? .number(String(k)) : .string("after-\(k)")
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.value(id)
        w.key("text")
        w.string("hi")
        w.endObject()
        input += w.bytes + [0x0D, 0x0A]
        expected.append((nil, id))
      }
      let result = try Binary.run(["serve"], input: input)
      #expect(result.status == 0)
      let replies = try result.stdout.split(separator: "\n").map {
        try JSONParser.parse(Array($0.utf8))
      }
      #expect(replies.count == expected.count)
      for (reply, want) in zip(replies, expected) {
        if let code = want.code {
          #expect(reply["error"]?["code"] == .string(code))
        } else {
          #expect(reply["id"] == want.id)
          #expect(reply["intent"] == .string("greet"))
        }
      }
      #expect(!result.stdout.contains("\r"))
    }

    /// Over pipes: `end` and `reset` close sessions, and `--max-sessions` drops the least
    /// recently used one, whose next message starts afresh.
    @Test func sessionsAreBoundedAndCanBeClosed() throws {
      let lines = [
        #"{"id":1,"session":"a","text":"make me a plan"}"#,
        #"{"id":2,"session":"b","text":"make me a plan"}"#,
        #"{"id":3,"session":"b","text":"upper back"}"#,
        #"{"id":4,"session":"c","text":"hello"}"#,
        #"{"id":5,"session":"a","text":"upper back"}"#,
        #"{"id":6,"session":"a","type":"end"}"#,
        #"{"id":7,"session":"a","type":"end"}"#,
        #"{"id":8,"session":"c","type":"reset"}"#,
        #"{"id":9,"session":"b","text":"2 weeks"}"#,
      ]
      let result = try Binary.run(
        ["serve", "--max-sessions", "2"], input: Array((lines.joined(separator: "\n")).utf8))
      #expect(result.status == 0)
      let replies = try result.stdout.split(separator: "\n").map {
        try JSONParser.parse(Array($0.utf8))
      }
      try #require(replies.count == lines.count)
      // b, still kept, read its answer as the location.
      #expect(replies[2]["awaiting"] == .string("duration_days"))
      // a was dropped when c arrived: "upper back" no longer answers its question (and a's
      // return drops b, now the least recently used).
      #expect(replies[4]["flow"] == .null)
      #expect(replies[5]["closed"] == .bool(true))
      #expect(replies[5]["session_status"] == .string("continued"))
      // Ending a session that is already gone still leaves it closed; the status says so.
      #expect(replies[6]["closed"] == .bool(true))
      #expect(replies[6]["session_status"] == .string("new"))
      // A reset starts over and keeps the session.
      #expect(replies[7]["closed"] == .bool(false))
      #expect(replies[7]["session_status"] == .string("continued"))
      // b's intake was dropped with it.
      #expect(replies[8]["flow"] == .null)
    }

    /// `--log FILE` appends each exchange (request and reply) as JSON Lines and nothing of it
    /// reaches stdout; a second run appends.
    @Test func logWritesEachExchangeToItsFileOnly() throws {
      let log = FileManager.default.temporaryDirectory
        .appendingPathComponent("backtalk-log-\(UUID().uuidString).jsonl")
      defer { try? FileManager.default.removeItem(at: log) }
      let input = Array("{\"id\":1,\"text\":\"hi\"}\nnot json\n".utf8)
      let first = try Binary.run(["serve", "--log", log.path], input: input)
      let second = try Binary.run(["serve", "--log", log.path], input: input)
      #expect(first.status == 0 && second.status == 0)
      let replies = first.stdout.split(separator: "\n").map(String.init)
      #expect(replies.count == 2)
      let entries = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
        try JSONParser.parse(Array($0.utf8))
      }
      #expect(entries.count == 4)
      #expect(entries[0]["request"] == .string("{\"id\":1,\"text\":\"hi\"}"))
      #expect(entries[1]["request"] == .string("not json"))
      for (entry, reply) in zip(entries, replies) {
        #expect(entry["time"] != nil)
        #expect(entry["reply"] == (try JSONParser.parse(Array(reply.utf8))))
      }
    }

    @Test func startupCachesAreReusedAndDamagedOnesRebuilt() throws {
      let cache = FileManager.default.temporaryDirectory
        .appendingPathComponent("backtalk-cache-test-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: cache) }
      let env = ["XDG_CACHE_HOME": cache.path]
      let input = Array(#"{"id":1,"text":"is heat or ice better for my upper back?"}"#.utf8) + [10]
      let first = try Binary.run(["serve"], input: input, environment: env)
      let folder = cache.appendingPathComponent("backtalk")
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      // The caches, not the locks beside them.
      let compiled = try #require(names.first { $0.hasPrefix("compiled-") && $0.hasSuffix(".bin") })
      let decoded = try #require(
        names.first { $0.hasPrefix("knowledge-") && $0.hasSuffix(".bin") })
      #expect(first.stdout.contains(#""intent":"treatment.heat_cold""#))
      let second = try Binary.run(["serve"], input: input, environment: env)
      #expect(second.stdout == first.stdout)
      #expect(second.stderr.isEmpty)
      // Damage both caches: the reply must not change, and both are rewritten.
      try Data([1, 2, 3]).write(to: folder.appendingPathComponent(compiled))
      try Data("{".utf8).write(to: folder.appendingPathComponent(decoded))
      let third = try Binary.run(["serve"], input: input, environment: env)
      #expect(third.status == 0)
      #expect(third.stdout == first.stdout)
      #expect(third.stderr.contains("cache"))
      let rewritten =
        try FileManager.default.attributesOfItem(
          atPath: folder.appendingPathComponent(compiled).path)[.size] as? Int
      #expect((rewritten ?? 0) > 1000)
    }

    @Test func anUnwritableCacheIsReportedOnceAndServeRunsOnce() throws {
      let input = Array(#"{"id":1,"text":"hello"}"#.utf8) + [10]
      let result = try Binary.run(
        ["serve"], input: input, environment: ["XDG_CACHE_HOME": "/proc/backtalk-no-such-dir"])
      #expect(result.status == 0)
      #expect(result.stdout.split(separator: "\n").count == 1)
      // One line per cache (knowledge base, compiled model); more would mean serve ran twice.
      let warnings = result.stderr.split(separator: "\n").filter {
        $0.contains("cannot write the start-up cache")
      }
      #expect(warnings.count == 2)
    }

    /// Pipelined lines are read ahead on several threads and answered in order: every recorded
    /// conversation, interleaved line by line across sessions with bad lines, resets and blank
    /// lines mixed in, gets byte for byte the replies of a one-thread run, in the order sent.
    @Test(arguments: ["2", "3"])
    func pipelinedLinesGetTheRepliesOfOneThread(threads: String) throws {
      let transcripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
          "Transcripts")
      var conversations: [[String]] = []
      for file in try FileManager.default.contentsOfDirectory(atPath: transcripts.path).sorted()
      where file.hasSuffix(".transcript") {
        let text = try String(
          contentsOf: transcripts.appendingPathComponent(file), encoding: .utf8)
        for part in text.components(separatedBy: "\n=== ").dropFirst() {
          conversations.append(
            part.split(separator: "\n").filter { $0.hasPrefix("> ") }.map {
              String($0.dropFirst(2))
            })
        }
      }
      #expect(conversations.count > 30)
      var input = ""
      var id = 0
      func add(_ line: String) {
        input += line + "\n"
        id += 1
      }
      let longest = conversations.map(\.count).max() ?? 0
      // Three rounds make the input span several 64 KiB reads.
      for round in 0..<3 {
        for turn in 0..<longest {
          for (k, turns) in conversations.enumerated() where turn < turns.count {
            var w = JSONWriter()
            w.beginObject()
            w.key("id")
            w.int(id)
            w.key("session")
            w.string("r\(round)c\(k)")
            w.key("text")
            w.string(turns[turn])
            w.endObject()
            add(w.text)
          }
          add(#"{"id":\#(id),"text":"#)
          input += "\n"
          add(#"{"id":\#(id),"session":"r\#(round)c\#(turn)","type":"reset"}"#)
        }
      }
      let one = try Binary.run(["serve", "--threads", "1"], input: Array(input.utf8))
      let many = try Binary.run(["serve", "--threads", threads], input: Array(input.utf8))
      #expect(one.status == 0 && many.status == 0)
      let lines = many.stdout.split(separator: "\n")
      #expect(lines.count == id)
      #expect(many.stdout == one.stdout)
      for (n, line) in lines.enumerated() {
        let reply = try JSONParser.parse(Array(line.utf8))
        if reply["error"] == nil { #expect(reply["id"] == .number(String(n))) }
      }
    }

    /// Random strings of the oddities in `Tests/Fixtures/fuzz_words.txt` get every reply.
    ///
    /// NaN, huge numbers, control characters, other scripts, emergency words and flow commands,
    /// in 30 sessions: the service answers every line and exits 0. It found "for nan days"
    /// trapping in the slot reader and a 300-letter word costing 80 ms in the typo corrector.
    @Test(arguments: [1, 2, 3])
    func survivesRandomMessages(seed: UInt64) throws {
      let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz_words.txt")
      let words = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        .filter { !$0.hasPrefix("#") }
      #expect(words.count > 100)
      var state = seed &* 0x9E37_79B9_7F4A_7C15
      func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
      }
      let count = 3000
      var input = ""
      for id in 0..<count {
        let text = (0..<next(15)).map { _ in words[next(words.count)] }.joined(separator: " ")
        input += #"{"id":\#(id),"session":"s\#(next(30))","text":"\#(text)"}"# + "\n"
      }
      let result = try Binary.run(["serve"], input: Array(input.utf8))
      #expect(result.status == 0)
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.count == count)
      for (n, line) in lines.enumerated() {
        let reply = try JSONParser.parse(Array(line.utf8))
        if reply["error"] == nil { #expect(reply["id"] == .number(String(n))) }
      }
    }

    @Test func repliesBeforeStdinCloses() throws {
      let process = Process()
      process.executableURL = Binary.url
      process.arguments = ["serve"]
      let stdin = Pipe()
      let stdout = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = Pipe()
      Binary.ignoreBrokenPipe()
      try process.run()
      try stdin.fileHandleForWriting.write(contentsOf: Data(#"{"id":1,"text":"hi"}"#.utf8 + [0x0A]))
      let line = try Binary.readLine(stdout.fileHandleForReading)
      #expect(line.contains(#""intent":"greet""#))
      try stdin.fileHandleForWriting.close()
      _ = try stdout.fileHandleForReading.readToEnd()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }

    @Test func quietWhenTheReaderGoesAway() throws {
      let process = Process()
      process.executableURL = Binary.url
      process.arguments = ["serve"]
      let stdin = Pipe()
      let stdout = Pipe()
      let stderr = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = stderr
      Binary.ignoreBrokenPipe()
      try process.run()
      try stdout.fileHandleForReading.close()
      let lines = String(repeating: #"{"text":"hi"}"# + "\n", count: 2000)
      try? stdin.fileHandleForWriting.write(contentsOf: Data(lines.utf8))
      try? stdin.fileHandleForWriting.close()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      #expect(process.terminationReason == .exit)
      let err = String(
        decoding: (try stderr.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)
      #expect(!err.contains("Fatal") && !err.contains("Crash"))
    }
  }

  @Suite struct ChatProcessTests {
    @Test func pipedChatDoesNotEchoInputOrPrintEscapes() throws {
      let result = try Binary.run(
        ["chat"], input: Array("hi\nmy chest hurts and my back too\n".utf8))
      #expect(result.status == 0)
      #expect(!result.stdout.contains("my chest hurts and my back too"))
      #expect(!result.stdout.contains("\u{1B}["))
      #expect(result.stdout.contains("EMERGENCY"))
    }
  }

  @Suite struct CommandProcessTests {
    @Test func replayFailsOnABrokenTranscript() throws {
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "backtalk-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let good = dir.appendingPathComponent("good.transcript")
      try "=== ok\n> hi\nintent: greet\n".write(to: good, atomically: true, encoding: .utf8)
      #expect(try Binary.run(["replay", good.path], input: []).status == 0)
      let bad = dir.appendingPathComponent("bad.transcript")
      try "=== broken\n> hi\nintent: goodbye\n".write(to: bad, atomically: true, encoding: .utf8)
      let result = try Binary.run(["replay", dir.path], input: [])
      #expect(result.status != 0)
      #expect(result.stdout.contains("FAIL bad.transcript"))
      #expect(result.stdout.contains("1 passed, 1 failed"))
    }

    @Test func validateAndIntentsWorkFromAnotherDirectory() throws {
      let validate = try Binary.run(["validate"], input: [])
      #expect(validate.status == 0, "\(validate.stdout)")
      let intents = try Binary.run(["intents", "--json"], input: [])
      #expect(intents.stdout.split(separator: "\n").count >= 55)
    }
  }
}
