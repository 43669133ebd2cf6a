import BacktalkCore
import BacktalkReplay
import Foundation
import Testing

/// The stored form of a session (``SessionSnapshot``) loses nothing: every state of every
/// recorded conversation comes back equal, and a conversation continued from states that went
/// through the store at every turn gets exactly the replies of one that never left memory.
@Suite struct SessionSnapshotReplayTests {
  @Test(arguments: ReplayFixtures.files)
  func everyTurnRoundTripsAndTheConversationContinuesIdentically(_ file: String) throws {
    let url = ReplayFixtures.transcripts.appendingPathComponent(file)
    let transcript = try TranscriptFiles.load(url)
    let assistant =
      transcript.region == ReplayFixtures.assistant.region.code
      ? ReplayFixtures.assistant : try ReplayFixtures.assistant.inRegion(transcript.region)
    for conversation in transcript.conversations {
      var kept = DialogueState()
      var stored = DialogueState()
      for (index, turn) in conversation.turns.enumerated() {
        let expected = assistant.respond(to: turn.user, state: &kept)
        let reply = assistant.respond(to: turn.user, state: &stored)
        #expect(reply == expected, "\(file) '\(conversation.name)' turn \(index + 1)")
        let bytes = SessionSnapshot(region: transcript.region, dialogue: stored).encoded()
        let back = try SessionSnapshot(decoding: bytes)
        #expect(back.dialogue == stored, "\(file) '\(conversation.name)' turn \(index + 1)")
        #expect(back.region == transcript.region)
        // Encoding is canonical: the same state always gives the same bytes.
        #expect(back.encoded() == bytes)
        stored = back.dialogue
      }
      #expect(stored == kept)
    }
  }

  /// The transcripts reach every kind of mode the snapshot writes, or the test above proves
  /// less than it seems.
  @Test func theTranscriptsReachEveryMode() throws {
    var modes: Set<String> = []
    for file in ReplayFixtures.files {
      let transcript = try TranscriptFiles.load(
        ReplayFixtures.transcripts.appendingPathComponent(file))
      let assistant =
        transcript.region == ReplayFixtures.assistant.region.code
        ? ReplayFixtures.assistant : try ReplayFixtures.assistant.inRegion(transcript.region)
      for conversation in transcript.conversations {
        var state = DialogueState()
        for turn in conversation.turns {
          _ = assistant.respond(to: turn.user, state: &state)
          let json = try JSONParser.parse(
            SessionSnapshot(region: "us", dialogue: state).encoded())
          if case .string(let type)? = json["mode"]?["type"] { modes.insert(type) }
          if state.suspended != nil { modes.insert("suspended") }
          if state.emergency != nil { modes.insert("emergency") }
          if !state.given.isEmpty { modes.insert("given") }
          if state.more != nil { modes.insert("more") }
        }
      }
    }
    #expect(
      modes.isSuperset(of: [
        "idle", "intake", "checklist", "offered", "suspended", "emergency", "given", "more",
      ]), "\(modes.sorted())")
  }
}
