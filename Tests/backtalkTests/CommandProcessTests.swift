import Foundation
import Testing

extension ProcessTests {
  /// The other subcommands, run from a directory that is not the project.
  @Suite(.timeLimit(.minutes(2))) struct CommandProcessTests {
    @Test func replayFailsOnABrokenTranscript() throws {
      let sandbox = try Sandbox()
      let dir = sandbox.root.appendingPathComponent("transcripts")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let good = dir.appendingPathComponent("good.transcript")
      try "=== ok\n> hi\nintent: greet\n".write(to: good, atomically: true, encoding: .utf8)
      #expect(try Binary.run(["replay", good.path], in: sandbox).status == 0)
      let bad = dir.appendingPathComponent("bad.transcript")
      try "=== broken\n> hi\nintent: goodbye\n".write(to: bad, atomically: true, encoding: .utf8)
      let result = try Binary.run(["replay", dir.path], in: sandbox)
      #expect(result.status != 0)
      #expect(result.stdout.contains("FAIL bad.transcript"))
      #expect(result.stdout.contains("1 passed, 1 failed"))
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
