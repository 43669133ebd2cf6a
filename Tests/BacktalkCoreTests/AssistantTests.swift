import BacktalkCore
import Testing

/// Dialogue steps, TCA-style: send a message, check the reply and the state.
@Suite struct AssistantTests {
  let bot = Fixtures.assistant

  @Test func answersWithSourcesAndSuggestions() {
    var state = DialogueState()
    let reply = bot.respond(to: "is heat or ice better for my upper back?", state: &state)
    #expect(reply.kind == .answer)
    #expect(!reply.sources.isEmpty)
    #expect(reply.suggestions.count >= 2)
    #expect(reply.text.contains("20 minutes"))
  }

  @Test func intakeAsksOneSlotAtATimeThenPlans() {
    var state = DialogueState()
    var reply = bot.respond(to: "what should I do about my back pain?", state: &state)
    #expect(reply.awaiting == "location")
    reply = bot.respond(to: "between my shoulder blades", state: &state)
    #expect(reply.awaiting == "duration_days")
    reply = bot.respond(to: "about three weeks", state: &state)
    #expect(reply.slots[.durationDays] == .number(21))
    #expect(reply.awaiting == "severity")
    reply = bot.respond(to: "seven out of ten", state: &state)
    #expect(reply.awaiting == "trigger")
    reply = bot.respond(to: "skip", state: &state)
    #expect(reply.awaiting == "nerve_symptoms")
    // Everything needed is told: the plan comes now, inviting them to say who they are.
    reply = bot.respond(to: "nope", state: &state)
    #expect(reply.kind == .plan)
    #expect(reply.flow == nil)
    #expect(reply.slots[.severity] == .number(7))
    #expect(reply.text.contains("warning signs") || reply.text.contains("call 911"))
    #expect(reply.text.contains("If you're pregnant, 65 or older"))
    #expect((reply.text + (state.more ?? "")).contains("two weeks"))
    #expect(!reply.sources.isEmpty)
    reply = bot.respond(to: "none of those", state: &state)
    #expect(reply.kind == .notice)
    #expect(reply.text.contains("stands"))
  }

  @Test func everythingNeededInOneMessageGivesThePlanAtOnce() {
    var state = DialogueState()
    let reply = bot.respond(
      to:
        "what should I do? my upper back has ached for 3 weeks, maybe a 6, since I started working from my laptop",
      state: &state)
    #expect(reply.slots[.location] == .word("upper"))
    #expect(reply.slots[.durationDays] == .number(21))
    #expect(reply.slots[.severity] == .number(6))
    #expect(reply.slots[.trigger] == .word("posture"))
    #expect(reply.kind == .plan)
    #expect(reply.awaiting == nil)
    // The nerve signs it did not ask about are named in the plan instead.
    #expect((reply.text + (state.more ?? "")).contains("Numbness, tingling or weakness"))
  }

  /// A story that asks what to do gets the plan from what it told at once, and the offer to
  /// ask only what is missing; "yes" asks it.
  @Test func manySlotsFromOneMessageGiveThePlanAndAskOnlyForTheRest() {
    var state = DialogueState()
    let reply = bot.respond(
      to: "what should I do? my upper back has ached for 3 weeks since I started on a laptop",
      state: &state)
    #expect(reply.slots[.location] == .word("upper"))
    #expect(reply.slots[.durationDays] == .number(21))
    #expect(reply.slots[.trigger] == .word("posture"))
    #expect(reply.kind == .plan)
    #expect(reply.text.contains("how bad it is"))
    let next = bot.respond(to: "yes", state: &state)
    #expect(next.awaiting == "severity")
  }

  @Test func correctionsUpdateTheSlotAndSaySo() {
    var state = DialogueState()
    _ = bot.respond(to: "make me a plan", state: &state)
    _ = bot.respond(to: "upper back", state: &state)
    _ = bot.respond(to: "2 weeks", state: &state)
    let reply = bot.respond(to: "actually it's been two months", state: &state)
    #expect(reply.slots[.durationDays] == .number(60))
    #expect(reply.text.contains("updated"))
    #expect(reply.awaiting == "severity")
  }

  @Test func digressionIsAnsweredThenTheQuestionRepeated() {
    var state = DialogueState()
    _ = bot.respond(to: "help me pick a treatment", state: &state)
    let reply = bot.respond(to: "wait, does cupping work?", state: &state)
    #expect(reply.intent == "treatment.cupping")
    #expect(reply.flow == "plan.start")
    #expect(reply.awaiting == "location")
  }

  @Test func twoUnreadableAnswersMoveOn() {
    var state = DialogueState()
    _ = bot.respond(to: "make me a plan", state: &state)
    _ = bot.respond(to: "upper back", state: &state)
    _ = bot.respond(to: "a week", state: &state)
    _ = bot.respond(to: "5", state: &state)
    var reply = bot.respond(to: "purple", state: &state)
    #expect(reply.awaiting == "trigger")
    reply = bot.respond(to: "bananas", state: &state)
    #expect(reply.awaiting == "nerve_symptoms")
  }

  @Test func stopCancelsAndStartOverRestarts() {
    var state = DialogueState()
    _ = bot.respond(to: "make me a plan", state: &state)
    _ = bot.respond(to: "lower back", state: &state)
    var reply = bot.respond(to: "start over", state: &state)
    #expect(reply.awaiting == "location")
    #expect(reply.slots.isEmpty)
    reply = bot.respond(to: "never mind", state: &state)
    #expect(reply.flow == nil)
    #expect(state.mode == .idle)
  }

  @Test func seeDoctorOffersTheChecklistAndYesStartsIt() {
    var state = DialogueState()
    var reply = bot.respond(to: "when should I see a doctor about my back?", state: &state)
    #expect(reply.intent == "advice.see_doctor")
    #expect(state.mode == .offered("triage.start"))
    reply = bot.respond(to: "yep go ahead", state: &state)
    #expect(reply.flow == "triage.start")
    #expect(reply.awaiting == "duration")
  }

  @Test(arguments: [
    (["no", "nope", "nah", "not really", "no"], Reply.Kind.result, false),
    (["yes", "no", "no", "no", "no"], Reply.Kind.result, true),
    (["kind of", "no", "no", "no", "no"], Reply.Kind.result, true),
    (["no", "no", "no", "no", "yes"], Reply.Kind.result, true),
  ])
  func checklistEndings(answers: [String], kind: Reply.Kind, seeDoctor: Bool) {
    var state = DialogueState()
    _ = bot.respond(to: "go through the warning signs with me", state: &state)
    var reply = Reply(text: "", intent: nil, confidence: 0, kind: .notice)
    for answer in answers { reply = bot.respond(to: answer, state: &state) }
    #expect(reply.kind == kind)
    #expect(reply.flow == nil)
    let outcomes = Fixtures.knowledge.flows["triage.start"]?.outcomes
    let expected = seeDoctor ? outcomes?.seeDoctor.sources : outcomes?.selfCare.sources
    #expect(reply.sources == expected)
  }

  @Test func planDependsOnTheSlots() {
    func plan(_ message: String) -> Reply {
      var state = DialogueState()
      _ = bot.respond(to: "make me a plan", state: &state)
      var reply = bot.respond(to: message, state: &state)
      while reply.awaiting != nil { reply = bot.respond(to: "skip", state: &state) }
      // The plan opens short; "more" shows the rest, and the test reads the whole plan.
      if let rest = state.more {
        #expect(reply.text.contains("Say \"more\""))
        #expect(bot.respond(to: "more", state: &state).text == rest)
        reply.text += "\n" + rest
      }
      return reply
    }
    let pregnant = plan("upper back, 2 days, 3/10, lifting, no tingling, I'm pregnant")
    let desk = plan("upper back, 2 days, 3/10, no tingling, I work at a desk all day")
    let severe = plan("upper back, 5 weeks, 8/10, numbness in my hand, none")
    #expect(pregnant.kind == .plan && desk.kind == .plan && severe.kind == .plan)
    #expect(!pregnant.text.contains("ibuprofen"))
    #expect(desk.text.contains("ibuprofen") || desk.text.lowercased().contains("nsaid"))
    #expect(pregnant.text != desk.text)
    #expect(severe.text.contains("physio"))
    #expect(!desk.text.contains("physio"))
  }

  @Test func emptyAndPunctuationOnlyMessagesGetAClearReply() {
    var state = DialogueState()
    for text in ["", "   ", "???", "🙂"] {
      let reply = bot.respond(to: text, state: &state)
      #expect(!reply.text.isEmpty)
      #expect(!reply.escalate)
    }
  }

  struct Onset: Sendable, CustomTestStringConvertible {
    let duration: String
    let message: String
    let escalates: Bool
    var testDescription: String { "\(duration), then '\(message)'" }
  }

  /// A fall named as the trigger of long-lasting pain is how that pain began: the intake goes on.
  ///
  /// "Long-lasting" is longer than `acute_days` (2 for trauma in `emergencies.yaml`). A fall
  /// said to be fresh ("just", "this morning"), or pain of two days or less, still escalates
  /// (or gets the trauma safety check, where the classifier doubts the lexicon).
  @Test(arguments: [
    Onset(duration: "3 weeks", message: "I fell off a ladder", escalates: false),
    Onset(duration: "3 days", message: "I fell off a ladder", escalates: false),
    Onset(duration: "2 days", message: "I fell off a ladder", escalates: true),
    Onset(duration: "1 day", message: "I fell off a ladder", escalates: true),
    Onset(duration: "3 weeks", message: "I just fell", escalates: true),
    Onset(duration: "3 weeks", message: "I just fell off a ladder", escalates: true),
    Onset(duration: "3 weeks", message: "I just had a bad fall", escalates: true),
    Onset(duration: "3 weeks", message: "I fell off a ladder this morning", escalates: true),
    Onset(duration: "3 weeks", message: "I fell off my bike today", escalates: true),
  ])
  func aFallDuringTheIntake(_ o: Onset) {
    #expect(
      Fixtures.knowledge.emergencies.categories.first { $0.name == "trauma" }?.acuteDays == 2)
    var state = DialogueState()
    _ = bot.respond(to: "make me a plan", state: &state)
    _ = bot.respond(to: "upper back", state: &state)
    _ = bot.respond(to: o.duration, state: &state)
    var reply = bot.respond(to: "6", state: &state)
    #expect(reply.awaiting == "trigger")
    reply = bot.respond(to: o.message, state: &state, includeTrace: true)
    if o.escalates {
      // Where the classifier doubts the lexicon's sign, the safety layers ask first (a yes
      // escalates); either way the fall is not taken for the onset of the known pain.
      let checks = reply.kind == .safetyCheck && reply.safety?.category == "trauma"
      #expect(
        reply.escalation?.category == "trauma" || checks,
        "\(reply.kind): \(reply.text.prefix(80))")
    } else {
      #expect(!reply.escalate)
      #expect(reply.slots[.trigger] == .word("injury"))
      #expect(reply.awaiting == "nerve_symptoms")
    }
  }

  @Test func aFallOutsideAnIntakeEscalates() {
    var state = DialogueState()
    let reply = bot.respond(to: "I fell off a ladder", state: &state)
    #expect(reply.escalation?.category == "trauma")
  }

  /// Every region of `regions.yaml` with the numbers the README promises: in escalations (the
  /// number, and the crisis line for self-harm) and in ordinary answers that name the number.
  @Test(arguments: [
    ("us", "911", "988"), ("uk", "999", "116 123"), ("eu", "112", "116 123"),
    ("au", "000", "13 11 14"), ("ca", "911", "988"), ("ie", "112", "116 123"),
    ("nz", "111", "1737"), ("in", "112", "14416"), ("GB", "999", "116 123"),
    ("de", "112", "116 123"),
  ])
  func regionSetsTheNumbers(region: String, number: String, crisisLine: String) throws {
    #expect(
      Set(Fixtures.knowledge.regions.keys)
        == ["intl", "us", "uk", "eu", "au", "ca", "ie", "nz", "in"])
    let bot = try Fixtures.assistant.inRegion(region)
    var state = DialogueState()
    let selfHarm = bot.respond(to: "I want to kill myself", state: &state)
    #expect(selfHarm.escalation?.category == "self_harm")
    #expect(selfHarm.escalation?.number == number)
    #expect(selfHarm.escalation?.crisisLine?.contains(crisisLine) == true)
    #expect(selfHarm.text.contains(number) && selfHarm.text.contains(crisisLine))
    state = DialogueState()
    let cardiac = bot.respond(to: "crushing chest pain and my back hurts", state: &state)
    #expect(cardiac.escalation?.category == "cardiac")
    #expect(cardiac.escalation?.number == number)
    #expect(cardiac.escalation?.crisisLine == nil)
    #expect(cardiac.text.contains("Call \(number)"))
    state = DialogueState()
    let advice = bot.respond(to: "when should I see a doctor about my back?", state: &state)
    #expect(advice.intent == "advice.see_doctor")
    #expect(advice.text.contains("call \(number)."), "\(advice.text)")
    #expect(!advice.text.contains("{number}"))
    #expect(throws: AssistantError.self) { try Fixtures.assistant.inRegion("mars") }
  }
  /// A chat that knows no region (`intl`, the default) names each main region's number rather
  /// than one country's, keeps digits for a tel: link, and names no place it does not know.
  @Test func theDefaultRegionNamesEveryMainNumber() throws {
    let bot = try Fixtures.assistant.inRegion(Region.defaultCode)
    #expect(Region.defaultCode == "intl")
    var state = DialogueState()
    let cardiac = bot.respond(to: "crushing chest pain and my back hurts", state: &state)
    #expect(cardiac.escalation?.number == "112")
    for number in ["911", "999", "000", "112"] {
      #expect(cardiac.text.contains(number), "\(number): \(cardiac.text)")
    }
    #expect(cardiac.text.contains("Call your local emergency number ("))
    state = DialogueState()
    let selfHarm = bot.respond(to: "I want to kill myself", state: &state)
    for line in ["988", "116 123", "13 11 14"] {
      #expect(selfHarm.text.contains(line), "\(line): \(selfHarm.text)")
    }
    state = DialogueState()
    let asked = bot.respond(to: "what's the emergency number?", state: &state)
    #expect(asked.text.hasPrefix("For an ambulance or any emergency, call your local"))
    #expect(!asked.text.contains("INTL"))
    state = DialogueState()
    let named = bot.respond(to: "what's the emergency number in Australia?", state: &state)
    #expect(named.text.hasPrefix("In Australia, the number for an ambulance"))
    #expect(named.text.contains("000"))
  }

}
