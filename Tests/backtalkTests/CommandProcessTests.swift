import BacktalkCore
import Foundation
import Testing

extension ProcessTests {
  /// The other subcommands, run from a directory that is not the project.
  @Suite(.timeLimit(.minutes(2))) struct CommandProcessTests {
    /// A folder of three transcripts: one that passes, one whose expectation is wrong, one
    /// that does not parse.
    static func transcripts(in sandbox: Sandbox) throws -> URL {
      let dir = sandbox.root.appendingPathComponent("transcripts")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for (name, text) in [
        ("good", "=== ok\n> hi\nintent: greet\n"),
        ("bad", "=== broken\n> hi\nintent: goodbye\n"),
        ("syntax", "=== x\n> hi\ncolour: blue\n"),
      ] {
        try text.write(
          to: dir.appendingPathComponent("\(name).transcript"), atomically: true, encoding: .utf8)
      }
      return dir
    }

    /// A failure names the file, the conversation and its line, then each failed expectation
    /// with its turn and line and the two values, indented; the totals count both failures.
    @Test func replayReportsEachFailureWithItsLine() throws {
      let sandbox = try Sandbox()
      let dir = try Self.transcripts(in: sandbox)
      let good = try Binary.run(
        ["replay", dir.appendingPathComponent("good.transcript").path], in: sandbox)
      #expect(good.status == 0)
      #expect(good.stdout.hasPrefix("PASS good.transcript:1 ok (1 turns)\n"))
      let result = try Binary.run(["replay", dir.path], in: sandbox)
      #expect(result.status == 1)
      let report = """
        FAIL bad.transcript:1 broken (1 turns)
            turn 1 (line 3): intent
            --- expected
            +++ actual
            - goodbye
            + greet
        PASS good.transcript:1 ok (1 turns)
        FAIL syntax.transcript: syntax.transcript:3: unknown expectation 'colour'; use one of
        """
      #expect(result.stdout.hasPrefix(report), "\(result.stdout)")
      #expect(result.stdout.hasSuffix("1 passed, 2 failed\n"))
      #expect(result.stdout.contains("\nreplayed 3 files in "))
    }

    /// `--json`: one object per conversation (or per file that does not parse), nothing else.
    @Test func replayJSONIsOneObjectPerConversation() throws {
      let sandbox = try Sandbox()
      let dir = try Self.transcripts(in: sandbox)
      let result = try Binary.run(["replay", "--json", dir.path], in: sandbox)
      #expect(result.status == 1)
      let lines = result.stdout.split(separator: "\n").map(String.init)
      try #require(lines.count == 3, "\(result.stdout)")
      #expect(
        lines[0]
          == #"{"file":"bad.transcript","conversation":"broken","line":1,"turns":1,"passed":false,"#
          + #""failures":[{"turn":1,"line":3,"key":"intent","expected":"goodbye","actual":"greet"}]}"#
      )
      #expect(
        lines[1]
          == #"{"file":"good.transcript","conversation":"ok","line":1,"turns":1,"passed":true,"#
          + #""failures":[]}"#)
      let syntax = try JSONParser.parse(Array(lines[2].utf8))
      #expect(syntax["file"] == .string("syntax.transcript"))
      #expect(syntax["passed"] == .bool(false))
      #expect(
        syntax["error"]?.stringValue?.hasPrefix("syntax.transcript:3: unknown expectation") == true)
    }

    /// `--coverage` lists what a set of transcripts leaves untested; the shipped transcripts
    /// leave nothing.
    @Test func replayCoverageListsWhatNoTranscriptExercises() throws {
      let sandbox = try Sandbox()
      let dir = try Self.transcripts(in: sandbox)
      let intents = try Binary.run(["intents", "--json"], in: sandbox).stdout
        .split(separator: "\n").count
      let one = try Binary.run(
        ["replay", "--coverage", dir.appendingPathComponent("good.transcript").path], in: sandbox)
      #expect(one.status == 0)
      #expect(one.stdout.contains("\ncoverage:\n  intents not exercised (\(intents - 1)): "))
      #expect(one.stdout.contains("treatment.cupping"))
      #expect(!one.stdout.contains(" greet"))
      #expect(one.stdout.contains("plan.start:location, plan.start:duration_days"))
      #expect(
        one.stdout.contains(
          "  emergency categories not escalated (7): cauda_equina, cardiac, neurological, "
            + "sudden_severe, abdominal_infection, trauma, self_harm\n"))
      let shipped = try Binary.run(
        ["replay", "--coverage", Repository.transcripts.path], in: sandbox)
      #expect(shipped.status == 0, "\(shipped.stdout)")
      #expect(
        shipped.stdout.contains(
          "coverage:\n  intents not exercised (0): \n  flow steps not reached (0): \n"
            + "  emergency categories not escalated (0): \n"), "\(shipped.stdout)")
    }

    /// `--update` rewrites a failing transcript from what the bot now says (and does not fail
    /// the run); the rewritten file then passes, and a passing file is left alone.
    @Test func replayUpdateRewritesFailingTranscripts() throws {
      let sandbox = try Sandbox()
      let dir = try Self.transcripts(in: sandbox)
      try FileManager.default.removeItem(at: dir.appendingPathComponent("syntax.transcript"))
      let bad = dir.appendingPathComponent("bad.transcript")
      let good = dir.appendingPathComponent("good.transcript")
      let before = try String(contentsOf: good, encoding: .utf8)
      let update = try Binary.run(["replay", "--update", dir.path], in: sandbox)
      #expect(update.status == 0, "\(update.stdout)")
      #expect(update.stderr == "updated \(bad.path)\n")
      let rewritten = try String(contentsOf: bad, encoding: .utf8)
      #expect(rewritten.contains("=== broken\n> hi\n< Hi, I'm backtalk"))
      #expect(rewritten.contains("\nintent: greet\n") && !rewritten.contains("goodbye"))
      #expect(try String(contentsOf: good, encoding: .utf8) == before)
      let again = try Binary.run(["replay", dir.path], in: sandbox)
      #expect(again.status == 0, "\(again.stdout)")
      #expect(again.stdout.hasSuffix("2 passed, 0 failed\n"))
    }

    /// `record` answers a script (conversations split by `===`) and writes a transcript with
    /// every expectation filled in, which then replays; `--region` is written into it.
    @Test func recordWritesATranscriptThatReplays() throws {
      let sandbox = try Sandbox()
      let file = sandbox.root.appendingPathComponent("recorded.transcript")
      let script =
        "=== plan\nmake me a plan\nupper back\n# a comment\n=== alarm\nI want to kill myself\n"
      let result = try Binary.run(
        ["record", "--region", "uk", "--title", "t", file.path], input: Array(script.utf8),
        in: sandbox)
      #expect(result.status == 0)
      #expect(result.stderr == "wrote 3 turns to \(file.path)\n")
      let text = try String(contentsOf: file, encoding: .utf8)
      #expect(text.hasPrefix("title: t\nregion: uk\n"), "\(text.prefix(80))")
      #expect(text.contains("=== plan\n> make me a plan\n") && text.contains("=== alarm\n"))
      #expect(
        text.contains("\nawaiting: duration_days\n") && text.contains("\ncategory: self_harm\n"))
      #expect(text.contains("999") && !text.contains("# a comment"))
      let replay = try Binary.run(["replay", file.path], in: sandbox)
      #expect(replay.status == 0, "\(replay.stdout)")
      #expect(replay.stdout.hasSuffix("2 passed, 0 failed\n"))
    }

    @Test func whyShowsTheRankingAndTheWordsThatMatched() throws {
      let result = try Binary.run(["why", "advil for my back"])
      #expect(result.status == 0)
      #expect(result.stdout.hasPrefix("message: advil for my back\n"))
      #expect(result.stdout.contains("\n1. treatment.medications  score "))
      #expect(result.stdout.contains("c:nsaid"))
    }

    /// `eval --test` scores a labelled file through the shipped binary: the same figure as the
    /// in-process floor test, above the same floor.
    @Test func evalScoresALabelledFile() throws {
      let file = Repository.fixtures.appendingPathComponent("heldout_intents.jsonl")
      let result = try Binary.run(["eval", "--folds", "0", "--test", file.path])
      #expect(result.status == 0)
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.contains { $0.hasPrefix("== test set ") && $0.hasSuffix("(472 messages)") })
      let accuracy = lines.first { $0.hasPrefix("accuracy: ") }
        .flatMap { Double($0.dropFirst(10).dropLast()) }
      #expect((accuracy ?? 0) >= 96.2, "\(result.stdout)")
    }

    /// `bench --startup-only` runs to its end (it once failed reading back its own snapshot
    /// without the embedding table the model was compiled with).
    @Test func benchTimesTheStartUpPhases() throws {
      let result = try Binary.run(["bench", "--startup-only"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.hasPrefix("start-up in process (fastest of several runs): "))
      #expect(result.stdout.contains("\nclassify: median "))
    }

    /// `validate` says whether it checked the seeds: with `../shared/seeds` present it must
    /// have, and with a folder that does not exist it must say it skipped them.
    @Test func validateSaysWhetherItCheckedTheSeeds() throws {
      let missing = try Binary.run(["validate", "--seeds", "/nonexistent/seeds"])
      #expect(missing.status == 0, "\(missing.stdout)")
      #expect(missing.stdout.contains("seed checks skipped"))
      #expect(missing.stdout.contains("knowledge base OK"))
      let found = try Binary.run(["validate"])
      #expect(found.status == 0, "\(found.stdout)")
      if Repository.hasSeeds {
        #expect(found.stdout.contains("seeds from "), "\(found.stdout)")
        #expect(!found.stdout.contains("seed checks skipped"))
      } else {
        #expect(found.stdout.contains("seed checks skipped"), "\(found.stdout)")
      }
    }

    @Test func intentsListsTheCatalogue() throws {
      let intents = try Binary.run(["intents", "--json"])
      #expect(intents.status == 0)
      #expect(intents.stdout.split(separator: "\n").count >= 55)
    }
  }
}
