/// A guided conversation declared as data in `Intents/flows.yaml`.
///
/// The engine knows two shapes: a slot-filling intake that ends in a plan (`slots` + `plan`)
/// and a yes/no checklist that ends in an outcome (`questions` + `outcomes`). What is asked,
/// why, how it is re-asked and what the plan says all live in the data.
public struct FlowDefinition: Codable, Hashable, Sendable {
  /// The flow's name, which is also the intent that starts it (`plan.start`).
  public var name: String
  /// What the bot says when the flow starts, before the first question.
  public var intro: String
  /// The slots of an intake, asked in order when still missing.
  public var slots: [SlotPrompt]
  /// The plan an intake ends with.
  public var plan: PlanTemplate?
  /// The questions of a checklist, asked in order.
  public var questions: [TriageQuestion]
  /// The endings of a checklist.
  public var outcomes: TriageOutcomes?

  private enum CodingKeys: String, CodingKey {
    case name, intro, slots, plan, questions, outcomes
  }

  /// Decodes a flow, defaulting the lists a flow of the other shape leaves out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    intro = try c.decodeIfPresent(String.self, forKey: .intro) ?? ""
    slots = try c.decodeIfPresent([SlotPrompt].self, forKey: .slots) ?? []
    plan = try c.decodeIfPresent(PlanTemplate.self, forKey: .plan)
    questions = try c.decodeIfPresent([TriageQuestion].self, forKey: .questions) ?? []
    outcomes = try c.decodeIfPresent(TriageOutcomes.self, forKey: .outcomes)
  }
}

/// How the intake asks for one slot.
public struct SlotPrompt: Codable, Hashable, Sendable {
  /// The slot name (`location`, `duration_days`, ...).
  public var name: String
  /// Whether "skip" is refused (asked once more, then the flow moves on anyway).
  public var required: Bool
  /// The question.
  public var prompt: String
  /// Why the bot asks, said with the question.
  public var why: String
  /// A clearer question with examples, used after an answer the bot could not read.
  public var reprompt: String
  /// Choices a front end can show as buttons.
  public var options: [String]

  private enum CodingKeys: String, CodingKey { case name, required, prompt, why, reprompt, options }

  /// Decodes a slot prompt with sensible defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
    prompt = try c.decode(String.self, forKey: .prompt)
    why = try c.decodeIfPresent(String.self, forKey: .why) ?? ""
    reprompt = try c.decodeIfPresent(String.self, forKey: .reprompt) ?? prompt
    options = try c.decodeIfPresent([String].self, forKey: .options) ?? []
  }
}

/// The plan an intake ends with: sections of rules, each kept when its condition holds.
public struct PlanTemplate: Codable, Hashable, Sendable {
  /// The opening line; `{summary}` is replaced by what the user said.
  public var intro: String
  /// The plan's sections in order.
  public var sections: [PlanSection]
  /// The closing line; `{number}` is the emergency number.
  public var closing: String
}

/// One section of a plan ("Start at home").
public struct PlanSection: Codable, Hashable, Sendable {
  /// The section heading.
  public var title: String
  /// The candidate bullets.
  public var rules: [PlanRule]
}

/// One bullet of a plan and the slots it depends on.
public struct PlanRule: Codable, Hashable, Sendable {
  /// The condition, in the small language of ``SlotCondition``.
  public var when: String
  /// The bullet text.
  public var say: String
  /// Where the bullet's facts come from.
  public var sources: [SourceRef]
  /// A line said first, under the plan's opening, when the rule holds: a reason to be seen
  /// ("it has lasted over two weeks") must not wait on the plan's second page.
  public var lead: String?
  /// The topic the bullet recommends (`treatment.medications`), when it recommends one: a
  /// person who said they would rather avoid it, or who has a condition the articles' advice
  /// on it does not cover, gets the plan without it (see `plan_condition_<topic>`).
  public var topic: String?
}

/// One yes/no question of a checklist.
public struct TriageQuestion: Codable, Hashable, Sendable {
  /// A stable id, reported as `awaiting`.
  public var id: String
  /// The question.
  public var ask: String
  /// A clearer question after an answer the bot could not read.
  public var reprompt: String
  /// The phrase used in the result when the answer is yes.
  public var finding: String
  /// When what a message tells answers the question yes.
  ///
  /// A condition on the message's slots, in the language of ``SlotCondition``: "3 weeks"
  /// answers the duration question before or without it being asked. Empty when only a yes
  /// or a no answers it.
  public var yesWhen: String = ""
  /// When what a message tells answers the question no ("no numbness" the nerve question).
  public var noWhen: String = ""

  private enum CodingKeys: String, CodingKey {
    case id, ask, reprompt, finding
    case yesWhen = "yes_when"
    case noWhen = "no_when"
  }

  /// A question; `yesWhen` and `noWhen` as described above.
  public init(
    id: String, ask: String, reprompt: String, finding: String, yesWhen: String = "",
    noWhen: String = ""
  ) {
    (self.id, self.ask, self.reprompt, self.finding) = (id, ask, reprompt, finding)
    (self.yesWhen, self.noWhen) = (yesWhen, noWhen)
  }

  /// Reads a question from `flows.yaml`, where `yes_when` and `no_when` may be absent.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id), ask: try c.decode(String.self, forKey: .ask),
      reprompt: try c.decode(String.self, forKey: .reprompt),
      finding: try c.decode(String.self, forKey: .finding),
      yesWhen: try c.decodeIfPresent(String.self, forKey: .yesWhen) ?? "",
      noWhen: try c.decodeIfPresent(String.self, forKey: .noWhen) ?? "")
  }
}

/// The two endings of the checklist.
public struct TriageOutcomes: Codable, Hashable, Sendable {
  /// At least one warning sign: see a doctor soon; `{findings}` lists them.
  public var seeDoctor: Outcome
  /// No warning sign: self-care is reasonable, and when to come back.
  public var selfCare: Outcome

  private enum CodingKeys: String, CodingKey {
    case seeDoctor = "see_doctor"
    case selfCare = "self_care"
  }
}

/// A message with its sources.
public struct Outcome: Codable, Hashable, Sendable {
  /// What the bot says.
  public var say: String
  /// Where its facts come from.
  public var sources: [SourceRef]
}
