import BacktalkCore

/// What the transcripts exercise, and what they leave untested.
public struct Coverage: Sendable {
  /// Intents never reported by any reply.
  public var intents: [String]
  /// Flow steps (`flow:slot`, `flow:question`, `flow:end`) never reached.
  public var flowSteps: [String]
  /// Emergency categories never escalated.
  public var categories: [String]

  /// Computes coverage of the knowledge base by replay results.
  public init(knowledge: KnowledgeBase, results: [TranscriptReplayer.Result]) {
    var seenIntents = Set<String>()
    var seenSteps = Set<String>()
    var seenCategories = Set<String>()
    for result in results {
      for reply in result.replies {
        if let intent = reply.intent { seenIntents.insert(intent) }
        if let flow = reply.flow, let awaiting = reply.awaiting {
          seenSteps.insert("\(flow):\(awaiting)")
        }
        if reply.kind == .plan || reply.kind == .result, let intent = reply.intent {
          seenSteps.insert("\(intent):end")
          // A slot the plan was made with is a step exercised, asked or not: who the person is
          // is told after the plan, which is then made again with it.
          for slot in reply.slots.keys { seenSteps.insert("\(intent):\(slot.rawValue)") }
        }
        if let category = reply.escalation?.category { seenCategories.insert(category) }
      }
    }
    intents = knowledge.intents.map(\.name).filter { !seenIntents.contains($0) }
    var steps: [String] = []
    for flow in knowledge.flows.values.sorted(by: { $0.name < $1.name }) {
      steps += flow.slots.map { "\(flow.name):\($0.name)" }
      steps += flow.questions.map { "\(flow.name):\($0.id)" }
      steps.append("\(flow.name):end")
    }
    flowSteps = steps.filter { !seenSteps.contains($0) }
    categories = knowledge.emergencies.categories.map(\.name).filter {
      !seenCategories.contains($0)
    }
  }

  /// Whether everything is exercised.
  public var isComplete: Bool { intents.isEmpty && flowSteps.isEmpty && categories.isEmpty }
}
