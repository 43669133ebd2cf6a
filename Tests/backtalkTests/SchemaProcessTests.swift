import BacktalkCore
import Foundation
import Testing

extension ProcessTests {
  /// Every reply `serve` gives to every transcript, the held-out and slot messages, bad lines
  /// and session commands, checked against `schema/` by a real validator: Python's
  /// `jsonschema` (pinned in `tools/schema-requirements.txt`), through `tools/check-schema.py`.
  ///
  /// `.ci/run` installs it in `.build-venv` and exports `BACKTALK_SCHEMA_PYTHON`; elsewhere the
  /// tests use `.build-venv` when it exists and skip, saying so, when it does not. On CI
  /// (`CI=true`) a missing validator is a failure, never a skip.
  @Suite(.timeLimit(.minutes(2))) struct SchemaProcessTests {
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The Python that has `jsonschema`, if any.
    static let python: URL? = {
      if let path = ProcessInfo.processInfo.environment["BACKTALK_SCHEMA_PYTHON"], !path.isEmpty {
        return URL(fileURLWithPath: path)
      }
      let venv = Repository.root.appendingPathComponent(".build-venv/bin/python")
      return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }()

    static let script = Repository.root.appendingPathComponent("tools/check-schema.py")

    /// The validator, or a failure on CI where it must exist.
    static func validator() throws -> URL {
      try #require(
        python, "CI=true but BACKTALK_SCHEMA_PYTHON is not set: .ci/run must install jsonschema")
    }

    /// Runs the validator on JSON lines; its status and output.
    static func check(_ lines: [String], against schema: String, in sandbox: Sandbox) throws
      -> Binary.Output
    {
      let file = sandbox.root.appendingPathComponent("lines-\(UUID().uuidString).jsonl")
      try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
      return try Binary.run(
        try validator(),
        [script.path, Repository.schema.appendingPathComponent(schema).path, file.path],
        in: sandbox)
    }

    /// The requests: every transcript conversation in its own session (every third line with
    /// a trace), every held-out and slot message on its own, bad lines, resets and ends.
    static func requests() throws -> [String] {
      var lines: [String] = []
      func add(_ text: String, session: String, trace: Bool = false) {
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.int(lines.count)
        w.key("session")
        w.string(session)
        w.key("text")
        w.string(text)
        if trace {
          w.key("trace")
          w.bool(true)
        }
        w.endObject()
        lines.append(w.text)
      }
      for (k, turns) in try Repository.conversations().enumerated() {
        for (n, text) in turns.enumerated() { add(text, session: "c\(k)", trace: n % 3 == 0) }
        lines.append(#"{"id":"end-\#(k)","session":"c\#(k)","type":"end"}"#)
      }
      for name in ["heldout_intents.jsonl", "slot_cases.jsonl"] {
        let file = Repository.fixtures.appendingPathComponent(name)
        for (k, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
          .enumerated()
        {
          let value = try JSONParser.parse(Array(line.utf8))
          if let text = value["text"]?.stringValue { add(text, session: "\(name)-\(k)") }
        }
      }
      let bad = Repository.fixtures.appendingPathComponent("bad_lines.jsonl")
      for line in try String(contentsOf: bad, encoding: .utf8).split(separator: "\n") {
        if let text = try JSONParser.parse(Array(line.utf8))["line"]?.stringValue {
          lines.append(text)
        }
      }
      lines.append(#"{"id":"r","session":"c0","type":"reset","extra":1}"#)
      return lines
    }

    @Test(
      .enabled(
        if: python != nil || isCI,
        "no Python with jsonschema: run .ci/run once (it creates .build-venv) or set BACKTALK_SCHEMA_PYTHON"
      ))
    func everyReplyMatchesTheReplySchema() throws {
      let sandbox = try Sandbox()
      let requests = try Self.requests()
      let served = try Binary.run(
        ["serve"], input: Array((requests.joined(separator: "\n") + "\n").utf8), in: sandbox)
      #expect(served.status == 0)
      let replies = served.stdout.split(separator: "\n").map(String.init)
      try #require(replies.count == requests.count)
      let result = try Self.check(replies, against: "reply.schema.json", in: sandbox)
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      #expect(
        result.stdout.contains("\(replies.count) of \(replies.count) lines valid"),
        "\(result.stdout)")
      // The replies span every kind of turn, errors and traces, or the check proves little.
      var kinds: Set<String> = []
      var traced = 0
      var errors = 0
      for reply in replies {
        let value = try JSONParser.parse(Array(reply.utf8))
        if let kind = value["kind"]?.stringValue { kinds.insert(kind) }
        if value["trace"] != nil { traced += 1 }
        if value["error"] != nil { errors += 1 }
      }
      #expect(
        kinds.isSuperset(of: [
          "answer", "question", "plan", "result", "fallback", "escalation", "notice",
        ]), "\(kinds)")
      #expect(traced > 50 && errors >= 12)
    }

    /// The validator is not vacuous: one defect in an otherwise valid reply, and the same for
    /// a request, is caught and named.
    @Test(
      .enabled(
        if: python != nil || isCI,
        "no Python with jsonschema: run .ci/run once (it creates .build-venv) or set BACKTALK_SCHEMA_PYTHON"
      ))
    func theValidatorRejectsADefect() throws {
      let sandbox = try Sandbox()
      let served = try Binary.run(["serve"], input: Array(#"{"id":1,"text":"hi"}"#.utf8))
      let good = served.stdout.trimmingCharacters(in: .newlines)
      let bad = good.replacingOccurrences(of: #""escalate":false"#, with: #""escalate":"no""#)
      #expect(bad != good)
      let replies = try Self.check([good, bad], against: "reply.schema.json", in: sandbox)
      #expect(replies.status == 1)
      #expect(replies.stdout.contains("line 2: escalate: 'no' is not of type 'boolean'"))
      #expect(replies.stdout.contains("1 of 2 lines valid"))
      let requests = try Self.check(
        [
          #"{"id":1,"session":"s","text":"hi","trace":true}"#,
          #"{"session":"","text":"hi"}"#,
          #"{"text":""# + String(repeating: "a", count: 8193) + #""}"#,
        ], against: "request.schema.json", in: sandbox)
      #expect(requests.status == 1)
      #expect(requests.stdout.contains("line 2: session:"), "\(requests.stdout)")
      #expect(requests.stdout.contains("line 3: text:"), "\(requests.stdout)")
      #expect(requests.stdout.contains("1 of 3 lines valid"))
    }
  }
}
