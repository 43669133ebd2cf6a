import BacktalkCore
import BacktalkStores
import Foundation
import Testing

extension ProcessTests {
  /// `serve --sessions sqlite:PATH` as a deployment sees it: SIGKILL in the middle of an
  /// intake, a restart that carries on, acknowledged replies never lost under load, two
  /// processes sharing the file, `backtalk audit`, and errors for a bad `--sessions`.
  @Suite struct SessionStoreProcessTests {
    /// SIGKILL mid-intake, restart on the same file: the conversation continues where it was,
    /// the first reply says `restored`, and every reply is the one a single process gives.
    @Test func killedMidIntakeARestartContinuesTheConversation() throws {
      let sandbox = try Sandbox()
      let store = "sqlite:" + sandbox.root.appendingPathComponent("sessions.db").path
      let texts = Conversation.intake
      let expected = try Conversation.reference(texts, session: "p1")
      try #require(expected.count == texts.count)
      let first = try Binary.start(["serve", "--sessions", store], in: sandbox)
      var replies: [JSONValue] = []
      for n in 0..<3 {
        replies.append(try Conversation.send(first, id: n, session: "p1", text: texts[n]))
      }
      #expect(replies.last?["awaiting"] == .string("severity"))
      kill(first.pid, SIGKILL)
      #expect(first.wait().signal == SIGKILL)
      let second = try Binary.start(["serve", "--sessions", store], in: sandbox)
      for n in 3..<texts.count {
        replies.append(try Conversation.send(second, id: n, session: "p1", text: texts[n]))
      }
      second.closeInput()
      #expect(second.wait().status == 0)
      #expect(
        replies.map { $0["session_status"]?.stringValue ?? "?" } == ["new"]
          + Array(repeating: "continued", count: 2) + ["restored"]
          + Array(repeating: "continued", count: texts.count - 4))
      for (n, (got, want)) in zip(replies, expected).enumerated() {
        #expect(
          Conversation.content(got) == Conversation.content(want), "turn \(n + 1): \(texts[n])")
      }
      #expect(replies[3]["slots"]?["duration_days"] == .number("21"))
    }

    /// Many sessions pipelined, SIGKILL mid-stream: for every session, the stored turn is at
    /// least the replies the front end received (a reply is written only once its session is
    /// saved) and at most the messages it sent; and the file is readable afterwards.
    @Test func aKillUnderLoadLosesNoAcknowledgedMessage() throws {
      let sandbox = try Sandbox()
      let path = sandbox.root.appendingPathComponent("sessions.db").path
      let sessions = 40
      let texts = Conversation.intake
      var input = ""
      var sent: [String: Int] = [:]
      for n in 0..<(sessions * texts.count * 3) {
        let session = "k\(n % sessions)"
        let turn = sent[session, default: 0]
        input += requestLine(id: n, session: session, text: texts[turn % texts.count])
        sent[session] = turn + 1
      }
      let file = sandbox.root.appendingPathComponent("load.jsonl")
      try input.write(to: file, atomically: true, encoding: .utf8)
      let child = try Binary.start(
        ["serve", "--sessions", "sqlite:" + path, "--threads", "1"], in: sandbox,
        streams: .inputFile(file))
      let early = child.read(until: { $0.split(separator: "\n").count >= 60 })
      kill(child.pid, SIGKILL)
      let rest = child.readToEnd().stdout
      #expect(child.wait().signal == SIGKILL)
      let text = early + String(decoding: rest, as: UTF8.self)
      // The last line may be cut by the kill: only whole lines were received.
      let whole =
        text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n") ?? text.startIndex)])
      var acknowledged: [String: Int] = [:]
      for reply in try parsedLines(whole) {
        if let session = reply["session"]?.stringValue { acknowledged[session, default: 0] += 1 }
      }
      let total = acknowledged.values.reduce(0, +)
      #expect(total >= 60 && total < sent.values.reduce(0, +), "\(total) replies before the kill")
      let store = try SQLiteSessionStore(path: path)
      for n in 0..<sessions {
        let session = "k\(n)"
        let stored = try store.load(session).map { try SessionSnapshot(decoding: $0.snapshot) }
        let turn = stored?.dialogue.turn ?? 0
        #expect(
          turn >= acknowledged[session, default: 0], "\(session) lost an acknowledged message")
        #expect(turn <= sent[session, default: 0])
      }
    }

    /// Two processes on one SQLite file, alternating the messages of one session, give the
    /// replies of one process; each switch reads the session back (`restored`).
    @Test func twoProcessesOnOneFileGiveTheRepliesOfOne() throws {
      let sandbox = try Sandbox()
      let store = "sqlite:" + sandbox.root.appendingPathComponent("shared.db").path
      try Self.alternate(store: store, session: "shared", in: sandbox)
    }

    /// Escalations are recorded with their session and time, and `audit` lists them newest
    /// first, as a table and as JSON Lines.
    @Test func auditListsRecordedEscalationsNewestFirst() throws {
      let sandbox = try Sandbox()
      let store = "sqlite:" + sandbox.root.appendingPathComponent("audit.db").path
      let lines =
        requestLine(id: 1, session: "alice", text: "I have crushing chest pain")
        + requestLine(id: 2, session: "alice", text: "is it really that serious?")
        + requestLine(id: 3, session: "bob", text: "hello")
        + requestLine(id: 4, session: "bob", text: "I can't feel my legs and I wet myself")
        + #"{"id":5,"session":"alice","type":"end"}"# + "\n"
      let served = try Binary.run(
        ["serve", "--sessions", store], input: Array(lines.utf8), in: sandbox)
      #expect(served.status == 0)
      let replies = try parsedLines(served.stdout)
      #expect(
        replies.map { $0["escalate"] } == [
          .bool(true), .bool(true), .bool(false), .bool(true), .bool(false),
        ])
      let bobCategory = try #require(replies[3]["escalation"]?["category"]?.stringValue)
      let table = try Binary.run(["audit", "--sessions", store], in: sandbox)
      #expect(table.status == 0, "\(table.stderr)")
      let rows = table.stdout.split(separator: "\n").map(String.init)
      #expect(rows.count == 3, "\(table.stdout)")
      #expect(rows.first?.hasPrefix("time (UTC)") == true)
      #expect(rows.dropFirst().first?.contains("bob") == true)
      #expect(rows.last?.contains("alice") == true && rows.last?.contains("cardiac") == true)
      let json = try Binary.run(["audit", "--sessions", store, "--json"], in: sandbox)
      let entries = try parsedLines(json.stdout)
      #expect(entries.map { $0["session"] } == [.string("bob"), .string("alice")])
      #expect(entries.map { $0["category"] } == [.string(bobCategory), .string("cardiac")])
      #expect(entries.map { $0["turn"] } == [.number("2"), .number("1")])
      let time = try #require(entries.first?["time"]?.stringValue)
      #expect(time.hasSuffix("Z") && time.count == 24, "\(time)")
    }

    /// Replies from a process with a store (`hello` naming it, `restored` after a restart)
    /// match `schema/reply.schema.json`.
    @Test(
      .enabled(
        if: SchemaProcessTests.python != nil || SchemaProcessTests.isCI,
        "no Python with jsonschema: run .ci/run once (it creates .build-venv) or set BACKTALK_SCHEMA_PYTHON"
      ))
    func storeRepliesMatchTheSchema() throws {
      let sandbox = try Sandbox()
      let store = "sqlite:" + sandbox.root.appendingPathComponent("schema.db").path
      let first = try Binary.run(
        ["serve", "--sessions", store],
        input: Array(
          (#"{"id":0,"type":"hello"}"# + "\n"
            + requestLine(id: 1, session: "s", text: "make me a plan")).utf8),
        in: sandbox)
      let second = try Binary.run(
        ["serve", "--sessions", store],
        input: Array(
          (requestLine(id: 2, session: "s", text: "upper back")
            + #"{"id":3,"session":"s","type":"end"}"# + "\n").utf8),
        in: sandbox)
      let replies = (first.stdout + second.stdout).split(separator: "\n").map(String.init)
      try #require(replies.count == 4)
      #expect(replies[0].contains(#""session_store":"sqlite""#))
      #expect(replies[2].contains(#""session_status":"restored""#))
      let result = try SchemaProcessTests.check(replies, against: "reply.schema.json", in: sandbox)
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    struct BadStore: Sendable, CustomTestStringConvertible {
      let arguments: [String]
      let message: String
      var testDescription: String { arguments.joined(separator: " ") }
    }

    /// A bad `--sessions` ends the command at once with a message that says what to do; no
    /// protocol line is written, nothing crashes.
    @Test(arguments: [
      BadStore(
        arguments: ["serve", "--sessions", "redis://h/1"], message: "unknown kind of store"),
      BadStore(arguments: ["serve", "--sessions", "sqlite:"], message: "no file after 'sqlite:'"),
      BadStore(
        arguments: ["serve", "--sessions", "sqlite:/nonexistent-backtalk-dir/s.db"],
        message: "does its folder exist"),
      BadStore(
        arguments: ["audit", "--sessions", "postgres://nobody@localhost"], message: "no '/DATABASE'"
      ),
      BadStore(arguments: ["audit", "--sessions", "memory"], message: "keeps nothing to audit"),
    ])
    func aBadStoreIsAClearError(_ bad: BadStore) throws {
      let run = try Binary.run(bad.arguments, input: Array(#"{"id":1,"text":"hi"}"#.utf8))
      #expect(run.status == 1)
      #expect(run.termination.signal == nil)
      #expect(run.stdout.isEmpty)
      #expect(run.stderr.contains(bad.message), "\(run.stderr)")
    }

    /// A PostgreSQL URL nobody answers (or a build without the Postgres trait) is refused
    /// before any line is read, saying which.
    @Test func anUnreachablePostgresIsAClearError() throws {
      let run = try Binary.run(
        ["serve", "--sessions", "postgres://backtalk@127.0.0.1:1/backtalk?sslmode=disable"],
        input: Array(#"{"id":1,"text":"hi"}"#.utf8))
      #expect(run.status == 1)
      #expect(run.stdout.isEmpty)
      #expect(
        run.stderr.contains("cannot open the session store")
          || run.stderr.contains("this build has no PostgreSQL store"), "\(run.stderr)")
    }

    /// Alternates ``Conversation/intake`` between two `serve` processes on `store` and
    /// compares every reply with one in-memory process.
    static func alternate(store: String, session: String, in sandbox: Sandbox) throws {
      let texts = Conversation.intake
      let expected = try Conversation.reference(texts, session: session)
      try #require(expected.count == texts.count)
      let processes = [
        try Binary.start(["serve", "--sessions", store], in: sandbox),
        try Binary.start(["serve", "--sessions", store], in: sandbox),
      ]
      var statuses: [String] = []
      for (n, text) in texts.enumerated() {
        let reply = try Conversation.send(processes[n % 2], id: n, session: session, text: text)
        #expect(
          Conversation.content(reply) == Conversation.content(expected[n]), "turn \(n + 1): \(text)"
        )
        statuses.append(reply["session_status"]?.stringValue ?? "?")
      }
      #expect(statuses == ["new"] + Array(repeating: "restored", count: texts.count - 1))
      for process in processes {
        process.closeInput()
        #expect(process.wait().status == 0)
      }
    }
  }
}
