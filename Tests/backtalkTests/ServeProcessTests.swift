import BacktalkCore
import Foundation
import Testing

extension ProcessTests {
  /// `backtalk serve` over pipes: the protocol as a front end sees it.
  @Suite(.timeLimit(.minutes(2))) struct ServeProcessTests {
    static func replies(_ output: Binary.Output) throws -> [JSONValue] {
      try output.stdout.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    }

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
      try #require(lines.count == 5, "\(lines)")
      #expect(lines[0].hasPrefix(#"{"id":1,"session":"a","text":"#))
      // Nothing of these three lines could be read, so their ids are null.
      #expect(lines[1].hasPrefix(#"{"id":null,"error":{"code":"invalid_json","message":"#))
      #expect(lines[2].hasPrefix(#"{"id":null,"error":{"code":"invalid_utf8","message":"#))
      #expect(lines[3].hasPrefix(#"{"id":null,"error":{"code":"line_too_long","message":"#))
      #expect(lines[4].hasPrefix(#"{"id":"last","session":"default","#))
      #expect(lines[4].contains(#""intent":"treatment.heat_cold""#))
      #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    /// Every bad line of `Tests/Fixtures/bad_lines.jsonl`, sent with CRLF endings and each
    /// followed by a good line, gets its error code, a message, and the id and session it
    /// carried whenever the line could be read as an object; the good line after it is
    /// answered with its id echoed as sent (strings and numbers alike).
    @Test func badLinesGetErrorsAndTheNextLineIsAnswered() throws {
      let file = Repository.fixtures.appendingPathComponent("bad_lines.jsonl")
      let table = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        .map { try JSONParser.parse(Array($0.utf8)) }
      #expect(table.count >= 13)
      var input: [UInt8] = []
      struct Expected {
        var code: String?
        var id: JSONValue
        var session: JSONValue?
      }
      var expected: [Expected] = []
      for (k, entry) in table.enumerated() {
        let code = try #require(
          entry["code"].flatMap { if case .string(let s) = $0 { s } else { nil } })
        var line: [UInt8] = []
        if case .string(let text)? = entry["line"] {
          line = Array(text.utf8)
        } else if case .string(let bytes)? = entry["bytes"] {
          line = bytes.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        }
        input += line + [0x0D, 0x0A]
        // What the line says of itself, when it is a JSON object.
        let request = try? JSONParser.parse(line)
        var id: JSONValue = .null
        if case .object? = request, let sent = request?["id"] {
          switch sent {
          case .string, .number: id = sent
          default: break
          }
        }
        var session: JSONValue?
        if case .string? = request?["session"] { session = request?["session"] }
        expected.append(Expected(code: code, id: id, session: session))
        let good: JSONValue = k % 2 == 0 ? .number(String(k)) : .string("after-\(k)")
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.value(good)
        w.key("text")
        w.string("hi")
        w.endObject()
        input += w.bytes + [0x0D, 0x0A]
        expected.append(Expected(code: nil, id: good, session: .string("default")))
      }
      let result = try Binary.run(["serve"], input: input)
      #expect(result.status == 0)
      let replies = try Self.replies(result)
      try #require(replies.count == expected.count)
      for (reply, want) in zip(replies, expected) {
        #expect(reply["id"] == want.id)
        #expect(reply["session"] == want.session)
        if let code = want.code {
          #expect(reply["error"]?["code"] == .string(code))
          if case .string(let message)? = reply["error"]?["message"] {
            #expect(message.count > 10, "\(code): '\(message)'")
          } else {
            Issue.record("\(code): no message")
          }
        } else {
          #expect(reply["error"] == nil)
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
      let replies = try Self.replies(result)
      try #require(replies.count == lines.count)
      // b, still kept, read its answer as the location.
      #expect(replies[2]["awaiting"] == .string("duration_days"))
      // a was dropped when c arrived: "upper back" no longer answers its question (and a's
      // return drops b, now the least recently used).
      #expect(replies[4]["flow"] == .null)
      // `end` always reports the session closed (forgotten, whether or not it was there);
      // `reset` keeps the session, so it is never "closed" (docs/PROTOCOL.md).
      #expect(replies[5]["closed"] == .bool(true))
      #expect(replies[6]["closed"] == .bool(true))
      #expect(replies[7]["closed"] == .bool(false))
      // b's intake was dropped with it.
      #expect(replies[8]["flow"] == .null)
    }

    /// `--log FILE` appends each exchange (request and reply) as JSON Lines and nothing of it
    /// reaches stdout; a second run appends.
    @Test func logWritesEachExchangeToItsFileOnly() throws {
      let sandbox = try Sandbox()
      let log = sandbox.root.appendingPathComponent("exchanges.jsonl")
      let input = Array("{\"id\":1,\"text\":\"hi\"}\nnot json\n".utf8)
      let first = try Binary.run(["serve", "--log", log.path], input: input, in: sandbox)
      let second = try Binary.run(["serve", "--log", log.path], input: input, in: sandbox)
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
      let sandbox = try Sandbox(warm: false)
      let input = Array(#"{"id":1,"text":"is heat or ice better for my upper back?"}"#.utf8) + [10]
      let first = try Binary.run(["serve"], input: input, in: sandbox, timeout: .seconds(120))
      let folder = sandbox.cacheFolder
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      let compiled = folder.appendingPathComponent(
        try #require(names.first { $0.hasPrefix("compiled-") && $0.hasSuffix(".bin") }))
      let decoded = folder.appendingPathComponent(
        try #require(names.first { $0.hasPrefix("knowledge-") && $0.hasSuffix(".bin") }))
      // The two caches and, beside each, the lock that lets one process compile for a crowd.
      #expect(names.filter { $0.hasSuffix(".bin") }.count == 2, "\(names)")
      #expect(first.stdout.contains(#""intent":"treatment.heat_cold""#))
      func modified(_ url: URL) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
      }
      let written = (try modified(compiled), try modified(decoded))
      let second = try Binary.run(["serve"], input: input, in: sandbox)
      #expect(second.stdout == first.stdout)
      #expect(second.stderr.isEmpty, "\(second.stderr)")
      // Read, not rewritten.
      #expect(try modified(compiled) == written.0 && modified(decoded) == written.1)
      // Damage both caches: the reply must not change, each is reported and rewritten.
      try Data([1, 2, 3]).write(to: compiled)
      try Data("{".utf8).write(to: decoded)
      let third = try Binary.run(["serve"], input: input, in: sandbox, timeout: .seconds(120))
      #expect(third.status == 0)
      #expect(third.stdout == first.stdout)
      let warnings = third.stderr.split(separator: "\n")
      #expect(warnings.count == 2, "\(third.stderr)")
      #expect(warnings.contains { $0.contains("ignoring the knowledge cache") })
      #expect(warnings.contains { $0.contains("compiled-model cache") })
      for file in [compiled, decoded] {
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
        #expect((size ?? 0) > 1000, "\(file.lastPathComponent) was not rewritten")
      }
      let fourth = try Binary.run(["serve"], input: input, in: sandbox)
      #expect(fourth.stdout == first.stdout)
      #expect(fourth.stderr.isEmpty, "the rewritten caches are not read back: \(fourth.stderr)")
    }

    /// A start that knows its key from the note left by the last one reads no YAML file; an
    /// edit that keeps the file's size and puts its modification time back must still be
    /// served (the change time moves with any write), and the edit's own note is used next.
    @Test func anEditedKnowledgeFileIsServedDespiteTheStartUpNote() throws {
      let sandbox = try Sandbox()
      let intents = sandbox.root.appendingPathComponent("Intents")
      try FileManager.default.copyItem(
        at: Repository.root.appendingPathComponent("Intents"), to: intents)
      let input = Array(#"{"id":1,"text":"hi"}"#.utf8) + [10]
      let environment = ["BACKTALK_KNOWLEDGE": intents.path]
      func notes() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: sandbox.cacheFolder.path)
          .filter { $0.hasPrefix("start-") }.count
      }
      let notesBefore = try notes()
      let first = try Binary.run(
        ["serve"], input: input, environment: environment, in: sandbox, timeout: .seconds(120))
      #expect(first.stdout.contains("Hi, I'm backtalk"))
      // (Another folder, another inode for each file: a note of its own.)
      #expect(try notes() == notesBefore + 1)
      let file = intents.appendingPathComponent("conversation.yaml")
      var before = stat()
      #expect(stat(file.path, &before) == 0)
      let text = try String(contentsOf: file, encoding: .utf8)
      try text.replacingOccurrences(of: "Hi, I'm backtalk", with: "Yo, I'm backtalk")
        .write(to: file, atomically: false, encoding: .utf8)
      // The modification time put back to the nanosecond: only the change time differs.
      let times = [before.st_atim, before.st_mtim]
      #expect(utimensat(AT_FDCWD, file.path, times, 0) == 0)
      var after = stat()
      #expect(stat(file.path, &after) == 0)
      #expect(after.st_size == before.st_size && after.st_ino == before.st_ino)
      #expect(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
      let second = try Binary.run(
        ["serve"], input: input, environment: environment, in: sandbox, timeout: .seconds(120))
      #expect(second.stdout.contains("Yo, I'm backtalk"), "\(second.stdout)")
      let third = try Binary.run(["serve"], input: input, environment: environment, in: sandbox)
      #expect(third.stdout == second.stdout)
      #expect(third.stderr.isEmpty, "\(third.stderr)")
    }

    /// Two processes cold-starting on one cache folder at the same time both compile, both
    /// answer, and leave exactly one file per cache (each writes a temporary file of its own
    /// and renames it into place); the start that writes also prunes files unused for a week,
    /// and only those.
    @Test func concurrentColdStartsShareOneCacheFolder() throws {
      let sandbox = try Sandbox(warm: false)
      let folder = sandbox.cacheFolder
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let day: TimeInterval = 24 * 3600
      for (name, age) in [
        ("knowledge-old.bin", 8 * day), ("compiled-old.bin", 30 * day),
        ("compiled-recent.bin", 6 * day), ("notes.txt", 60 * day),
      ] {
        let file = folder.appendingPathComponent(name)
        try Data("x".utf8).write(to: file)
        try FileManager.default.setAttributes(
          [.modificationDate: Date(timeIntervalSinceNow: -age)], ofItemAtPath: file.path)
      }
      let input = sandbox.root.appendingPathComponent("input")
      try Data(#"{"id":1,"text":"is heat or ice better?"}"#.utf8 + [10]).write(to: input)
      let children = try (0..<2).map { _ in
        try Binary.start(["serve"], in: sandbox, streams: .inputFile(input), timeout: .seconds(120))
      }
      let outputs = children.map { $0.readToEnd() }
      for child in children { #expect(child.wait().status == 0) }
      let replies = outputs.map { String(decoding: $0.stdout, as: UTF8.self) }
      #expect(replies[0] == replies[1])
      #expect(replies[0].contains(#""intent":"treatment.heat_cold""#))
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
      #expect(names.filter { $0.contains(".tmp") }.isEmpty, "\(names)")
      let caches = names.filter { $0.hasSuffix(".bin") }
      #expect(caches.filter { $0.hasPrefix("compiled-") && $0 != "compiled-recent.bin" }.count == 1)
      #expect(caches.filter { $0.hasPrefix("knowledge-") }.count == 1, "\(names)")
      #expect(!names.contains("knowledge-old.bin") && !names.contains("compiled-old.bin"))
      #expect(names.contains("compiled-recent.bin") && names.contains("notes.txt"))
      let warm = try Binary.run(["serve"], input: Array(#"{"id":1,"text":"hi"}"#.utf8), in: sandbox)
      #expect(warm.stderr.isEmpty, "\(warm.stderr)")
    }

    /// A cache folder that cannot be created (its parent is a file, which even root cannot
    /// write into) costs a warning per cache, and serve still answers, once.
    @Test func anUnwritableCacheIsReportedOnceAndServeRunsOnce() throws {
      let sandbox = try Sandbox(warm: false)
      let file = sandbox.root.appendingPathComponent("not-a-folder")
      try Data("x".utf8).write(to: file)
      let input = Array(#"{"id":1,"text":"hello"}"#.utf8) + [10]
      let result = try Binary.run(
        ["serve"], input: input, environment: ["XDG_CACHE_HOME": file.path], in: sandbox,
        timeout: .seconds(120))
      #expect(result.status == 0)
      #expect(result.stdout.split(separator: "\n").count == 1)
      // One line per cache (knowledge base, compiled model); more would mean serve ran twice.
      let warnings = result.stderr.split(separator: "\n").filter {
        $0.contains("cannot write the start-up cache")
      }
      #expect(warnings.count == 2, "\(result.stderr)")
    }

    /// Pipelined lines are read ahead on several threads and answered in order: every recorded
    /// conversation, interleaved line by line across sessions with bad lines, resets and blank
    /// lines mixed in, gets byte for byte the replies of a one-thread run, in the order sent.
    @Test(arguments: ["2", "3"])
    func pipelinedLinesGetTheRepliesOfOneThread(threads: String) throws {
      let conversations = try Repository.conversations()
      #expect(conversations.count > 30)
      enum Line {
        case message(id: Int, session: String)
        case broken
        case reset(id: Int, session: String)
      }
      var input = ""
      var sent: [Line] = []
      let longest = conversations.map(\.count).max() ?? 0
      // Three rounds make the input span several 64 KiB reads.
      for round in 0..<3 {
        for turn in 0..<longest {
          for (k, turns) in conversations.enumerated() where turn < turns.count {
            var w = JSONWriter()
            w.beginObject()
            w.key("id")
            w.int(sent.count)
            w.key("session")
            w.string("r\(round)c\(k)")
            w.key("text")
            w.string(turns[turn])
            w.endObject()
            input += w.text + "\n"
            sent.append(.message(id: sent.count, session: "r\(round)c\(k)"))
          }
          input += #"{"id":\#(sent.count),"text":"# + "\n\n"
          sent.append(.broken)
          input += #"{"id":\#(sent.count),"session":"r\#(round)c\#(turn)","type":"reset"}"# + "\n"
          sent.append(.reset(id: sent.count, session: "r\(round)c\(turn)"))
        }
      }
      let one = try Binary.run(["serve", "--threads", "1"], input: Array(input.utf8))
      let many = try Binary.run(["serve", "--threads", threads], input: Array(input.utf8))
      #expect(one.status == 0 && many.status == 0)
      // Nothing on stderr: under the thread sanitizer (.ci/run), a data race would show here.
      #expect(many.stderr.isEmpty, "\(many.stderr.prefix(2000))")
      #expect(many.stdout == one.stdout)
      let replies = try Self.replies(many)
      try #require(replies.count == sent.count)
      var errors = 0
      for (reply, line) in zip(replies, sent) {
        switch line {
        case .message(let id, let session):
          #expect(reply["error"] == nil, "\(reply)")
          #expect(reply["id"] == .number(String(id)) && reply["session"] == .string(session))
        case .reset(let id, let session):
          #expect(reply["id"] == .number(String(id)) && reply["session"] == .string(session))
          #expect(reply["kind"] == .string("notice"))
          #expect(reply["closed"] != nil)
        case .broken:
          errors += 1
          // Cut off mid-object: nothing of it can be read, not even its id.
          #expect(reply["id"] == .null)
          #expect(reply["error"]?["code"] == .string("invalid_json"))
          #expect(reply["error"]?["message"]?.stringValue?.contains("byte") == true)
        }
      }
      #expect(errors == 3 * longest)
    }

    /// Random strings of the oddities in `Tests/Fixtures/fuzz_words.txt` get every reply.
    ///
    /// NaN, huge numbers, control characters, other scripts, emergency words and flow commands,
    /// in 30 sessions: the service answers every line in order and exits 0. A line gets an
    /// error exactly when it is not a valid request (the words allow JSON escapes, and some
    /// of those make a line invalid), and every other line a reply in its session. It found
    /// "for nan days" trapping in the slot reader and a 300-letter word costing 80 ms in the
    /// typo corrector.
    @Test(arguments: [1, 2, 3])
    func survivesRandomMessages(seed: UInt64) throws {
      let file = Repository.fixtures.appendingPathComponent("fuzz_words.txt")
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
      var sessions: [String] = []
      var valid: [Bool] = []
      for id in 0..<count {
        let text = (0..<next(15)).map { _ in words[next(words.count)] }.joined(separator: " ")
        let session = "s\(next(30))"
        let line = #"{"id":\#(id),"session":"\#(session)","text":"\#(text)"}"#
        input += line + "\n"
        sessions.append(session)
        valid.append((try? JSONParser.parse(Array(line.utf8))) != nil)
      }
      // Most lines must be real messages, or the test would exercise nothing but errors.
      #expect(valid.filter { $0 }.count > count * 9 / 10)
      let result = try Binary.run(["serve"], input: Array(input.utf8))
      #expect(result.status == 0)
      let replies = try Self.replies(result)
      try #require(replies.count == count)
      var kinds: Set<String> = []
      for (n, reply) in replies.enumerated() {
        if valid[n] {
          #expect(reply["error"] == nil, "line \(n): \(reply)")
          #expect(reply["id"] == .number(String(n)))
          #expect(reply["session"] == .string(sessions[n]))
          if let kind = reply["kind"]?.stringValue { kinds.insert(kind) }
        } else {
          #expect(reply["id"] == .null)
          #expect(reply["error"]?["code"] == .string("invalid_json"), "line \(n): \(reply)")
          #expect(reply["error"]?["message"]?.stringValue?.isEmpty == false)
        }
      }
      // The words reach the flows and the safety layers, not only fallbacks.
      #expect(kinds.isSuperset(of: ["answer", "question", "escalation", "fallback"]), "\(kinds)")
    }

    @Test func repliesBeforeStdinCloses() throws {
      let sandbox = try Sandbox()
      let child = try Binary.start(["serve"], in: sandbox)
      child.write(#"{"id":1,"text":"hi"}"# + "\n")
      let line = child.read(until: { $0.contains("\n") }, timeout: .seconds(60))
      #expect(line.contains(#""intent":"greet""#))
      // And again: the second line of the same session while stdin stays open.
      child.write(#"{"id":2,"text":"is heat or ice better?"}"# + "\n")
      let next = child.read(until: { $0.contains("\n") }, timeout: .seconds(30))
      #expect(next.hasPrefix(#"{"id":2,"#))
      child.closeInput()
      let rest = child.readToEnd()
      #expect(rest.stdout.isEmpty)
      #expect(child.wait().status == 0)
    }

    @Test func quietWhenTheReaderGoesAway() throws {
      let sandbox = try Sandbox()
      let child = try Binary.start(["serve"], in: sandbox)
      child.closeOutput()
      let lines = String(repeating: #"{"text":"hi"}"# + "\n", count: 2000)
      child.write(lines)
      child.closeInput()
      let rest = child.readToEnd()
      let end = child.wait()
      #expect(end.status == 0 && end.signal == nil, "\(end)")
      let err = String(decoding: rest.stderr, as: UTF8.self)
      #expect(!err.contains("Fatal") && !err.contains("Crash"), "\(err)")
    }

    /// Every region's numbers in an escalation, from a process whose caches a US start wrote
    /// (the compiled model does not depend on the region; the numbers must).
    @Test(arguments: [
      ("us", "911", "988"), ("uk", "999", "116 123"), ("eu", "112", "116 123"),
      ("au", "000", "13 11 14"),
    ])
    func regionSetsTheNumbersOfAServe(region: String, number: String, crisisLine: String) throws {
      let input = [
        #"{"id":1,"text":"I want to kill myself"}"#,
        #"{"id":2,"session":"b","text":"crushing chest pain and my back hurts"}"#,
      ].joined(separator: "\n")
      let result = try Binary.run(["serve", "--region", region], input: Array(input.utf8))
      #expect(result.status == 0)
      #expect(result.stderr.isEmpty, "a US cache should serve every region: \(result.stderr)")
      let replies = try Self.replies(result)
      try #require(replies.count == 2)
      let selfHarm = replies[0]["escalation"]
      #expect(selfHarm?["category"] == .string("self_harm"))
      #expect(selfHarm?["number"] == .string(number))
      #expect(selfHarm?["crisis_line"]?.stringValue?.contains(crisisLine) == true)
      #expect(replies[0]["text"]?.stringValue?.contains(crisisLine) == true)
      let cardiac = replies[1]["escalation"]
      #expect(cardiac?["category"] == .string("cardiac"))
      #expect(cardiac?["number"] == .string(number))
      #expect(replies[1]["text"]?.stringValue?.contains(number) == true)
    }
  }
}
