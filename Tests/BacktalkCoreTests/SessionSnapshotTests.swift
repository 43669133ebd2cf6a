import BacktalkCore
import Testing

/// The stored form of a session, field by field: every mode (nested ones too) comes back
/// equal, and what cannot be read is refused with a reason, never half-read.
@Suite struct SessionSnapshotTests {
  /// A state that sets every field, with a safety check interrupting an intake.
  static var full: DialogueState {
    var intake = IntakeProgress(flow: "plan.start")
    intake.slots = [
      .location: .word("upper"), .durationDays: .number(21), .nerveSymptoms: .flag(false),
    ]
    intake.skipped = [.trigger, .population]
    intake.awaiting = .severity
    intake.misses = 1
    var check = SafetyCheck(
      category: "cardiac", text: "my chest feels \"odd\"\n", resume: .intake(intake))
    check.misses = 2
    var state = DialogueState()
    state.mode = .safetyCheck(check)
    var checklist = ChecklistProgress(flow: "triage.start")
    checklist.index = 3
    checklist.findings = ["nerve", "duration"]
    state.suspended = .checklist(checklist)
    state.turn = 9
    state.topic = "treatment.heat_cold"
    state.previousTopic = "exercise.stretches"
    state.lastFacet = "how"
    state.given = ["treatment.heat_cold#overview", "exercise.stretches#how"]
    state.profile.population = "pregnant"
    state.profile.populationIsOthers = true
    state.profile.location = "upper"
    state.profile.durationDays = 21
    state.profile.severity = 6
    state.profile.trigger = "lifting"
    state.profile.nerveSymptoms = false
    state.profile.tried = ["treatment.massage"]
    state.profile.avoid = ["treatment.surgery"]
    state.profile.conditions = ["blood_thinners"]
    state.profile.allergies = ["ibuprofen"]
    state.more = "- line one\n- line two"
    return state
  }

  @Test(arguments: [
    DialogueState.Mode.idle, .clarifying(["a", "b"]), .offered("plan.start"),
    .checklist(ChecklistProgress(flow: "triage.start")),
    .intake(IntakeProgress(flow: "plan.start")),
  ])
  func everyModeRoundTrips(_ mode: DialogueState.Mode) throws {
    var state = Self.full
    state.mode = mode
    let back = try SessionSnapshot(
      decoding: SessionSnapshot(region: "uk", dialogue: state).encoded())
    #expect(back == SessionSnapshot(region: "uk", dialogue: state))
  }

  @Test func aFullStateRoundTrips() throws {
    let snapshot = SessionSnapshot(region: "au", dialogue: Self.full)
    #expect(try SessionSnapshot(decoding: snapshot.encoded()) == snapshot)
  }

  /// A new stored property of the dialogue state must be added to the snapshot (and its
  /// version considered): this count fails until someone has looked.
  @Test func theSnapshotCoversEveryStoredPropertyOfTheState() {
    let names = Mirror(reflecting: DialogueState()).children.compactMap(\.label)
    #expect(
      names == [
        "mode", "suspended", "escalations", "turn", "emergency", "topic", "previousTopic",
        "lastFacet", "given", "profile", "more",
      ], "DialogueState changed: update SessionSnapshot (and its version) to match")
    #expect(
      Mirror(reflecting: Profile()).children.compactMap(\.label) == [
        "population", "populationIsOthers", "location", "durationDays", "severity", "trigger",
        "nerveSymptoms", "tried", "avoid", "allergies", "conditions",
      ])
  }

  @Test func theFormatIsVersioned() throws {
    let text = String(
      decoding: SessionSnapshot(region: "us", dialogue: DialogueState()).encoded(), as: UTF8.self)
    #expect(text.hasPrefix(#"{"v":1,"region":"us","turn":0,"mode":{"type":"idle"}"#))
  }

  @Test(arguments: [
    ("not json", SessionSnapshotError.notJSON("")),
    (#"{"v":2,"region":"us"}"#, .unsupportedVersion(2)),
    (#"{"region":"us"}"#, .invalidField("v")),
    (#"{"v":1,"region":"us","turn":"3"}"#, .invalidField("turn")),
    (
      #"{"v":1,"region":"us","turn":1,"mode":{"type":"intake","flow":"f","slots":{"colour":"red"},"skipped":[],"awaiting":null,"misses":0}}"#,
      .invalidField("mode.slots")
    ),
    (#"{"v":1,"region":"us","turn":1,"mode":{"type":"dancing"}}"#, .invalidField("mode.type")),
  ])
  func whatCannotBeReadIsRefusedWithAReason(_ text: String, _ expected: SessionSnapshotError) {
    #expect {
      _ = try SessionSnapshot(decoding: Array(text.utf8))
    } throws: { thrown in
      guard let thrown = thrown as? SessionSnapshotError else { return false }
      if case .notJSON = expected, case .notJSON = thrown { return true }
      return thrown == expected
    }
  }
}
