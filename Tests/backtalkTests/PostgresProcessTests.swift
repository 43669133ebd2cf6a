import BacktalkCore
import BacktalkTestSupport
import Foundation
import Testing

extension ProcessTests {
  /// `serve --sessions postgres://...` as several processes share it.
  ///
  /// Two processes alternating the messages of one session give the replies of one process, a process
  /// killed mid-intake is replaced by another that carries on, and `audit` lists what they
  /// escalated. Needs a server (BACKTALK_TEST_POSTGRES) and a build with `--traits Postgres`.
  @Suite(
    .enabled(
      if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
  struct PostgresProcessTests {
    func url() throws -> String {
      if let reason = PostgresTestServer.unavailable {
        Issue.record("CI=true, and the PostgreSQL tests cannot run: \(reason)")
      }
      return try #require(PostgresTestServer.url)
    }

    @Test func twoProcessesAlternatingGiveTheRepliesOfOne() throws {
      let sandbox = try Sandbox()
      try SessionStoreProcessTests.alternate(
        store: try url(), session: "alternate-\(UUID().uuidString)", in: sandbox)
    }

    @Test func aKilledProcessIsReplacedAndTheConversationContinues() throws {
      let sandbox = try Sandbox()
      let store = try url()
      let session = "killed-\(UUID().uuidString)"
      let texts = Conversation.intake
      let expected = try Conversation.reference(texts, session: session)
      try #require(expected.count == texts.count)
      let first = try Binary.start(["serve", "--sessions", store], in: sandbox)
      var replies: [JSONValue] = []
      for n in 0..<5 {
        replies.append(try Conversation.send(first, id: n, session: session, text: texts[n]))
      }
      kill(first.pid, SIGKILL)
      #expect(first.wait().signal == SIGKILL)
      let second = try Binary.start(["serve", "--sessions", store], in: sandbox)
      for n in 5..<texts.count {
        replies.append(try Conversation.send(second, id: n, session: session, text: texts[n]))
      }
      second.closeInput()
      #expect(second.wait().status == 0)
      #expect(replies[5]["session_status"] == .string("restored"))
      for (n, (got, want)) in zip(replies, expected).enumerated() {
        #expect(
          Conversation.content(got) == Conversation.content(want), "turn \(n + 1): \(texts[n])")
      }
      let audit = try Binary.run(["audit", "--sessions", store, "--json"], in: sandbox)
      #expect(audit.status == 0, "\(audit.stderr)")
      let ours = try parsedLines(audit.stdout).filter { $0["session"] == .string(session) }
      #expect(ours.map { $0["category"] } == [.string("cardiac")])
      #expect(ours.first?["turn"] == .number("5"))
      let end = try Binary.run(
        ["serve", "--sessions", store],
        input: Array((#"{"id":1,"type":"end","session":"\#(session)"}"# + "\n").utf8), in: sandbox)
      #expect(try parsedLines(end.stdout).first?["session_status"] == .string("restored"))
    }

    @Test func helloSaysPostgres() throws {
      let run = try Binary.run(
        ["serve", "--sessions", try url()], input: Array(#"{"type":"hello"}"#.utf8))
      #expect(try parsedLines(run.stdout).first?["session_store"] == .string("postgres"))
    }
  }
}
