import ArgumentParser
import BacktalkCore

/// Explains how one message is understood.
struct Why: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "why",
    abstract:
      "Show the top intents for a message, with scores and the words and concepts that matched.")

  @OptionGroup var knowledge: KnowledgeOptions

  @Argument(help: "The message to explain.")
  var message: [String]

  func run() throws {
    let assistant = try knowledge.makeAssistant()
    StandardStreams.write(WhyReport.render(message.joined(separator: " "), assistant: assistant))
  }
}

/// The text of `backtalk why` and `/why`.
enum WhyReport {
  static func render(_ message: String, assistant: Assistant) -> String {
    let explanation = assistant.explain(message)
    var lines = ["message: \(message)"]
    lines.append("features: " + explanation.match.features.joined(separator: " "))
    if let emergency = explanation.emergency {
      switch emergency {
      case .emergency(let category, let evidence):
        lines.append("EMERGENCY: \(category) (\"\(evidence)\") - checked before matching")
      case .informational(let evidence):
        lines.append("warning sign mentioned as a question (\"\(evidence)\"): see-a-doctor advice")
      case .discounted(let category, let reason, let evidence):
        lines.append(
          "sign set aside by its context (\(reason)\(category.isEmpty ? "" : ", " + category)): "
            + "\"\(evidence)\"; the classifier needs to be surer")
      }
    }
    let score = assistant.emergencyScore(in: message)
    let limits = assistant.knowledge.settings.safety
    let decision =
      score.emergency >= limits.escalateAbove
      ? "escalate" : score.emergency >= limits.checkAbove ? "safety check" : "no action"
    lines.append(
      "emergency classifier: \(format2(score.emergency)) (leans \(score.category)) against "
        + "escalate >= \(format2(limits.escalateAbove)), check >= \(format2(limits.checkAbove)): "
        + "\(decision); distress \(format2(score.distress))")
    if !explanation.unknownWords.isEmpty {
      lines.append("unknown words: " + explanation.unknownWords.joined(separator: " "))
    }
    if let words = explanation.domainWords {
      lines.append(
        "no word of the back or pain; domain words: \(words.known.joined(separator: " ")); "
          + "others: \(words.foreign.joined(separator: " "))")
    }
    let tuning = assistant.knowledge.settings.matcher
    lines.append(
      "domain gate: another field's at \(format2(explanation.offTopic)) against "
        + "\(format2(tuning.offTopicGateAbove)) (consulted outside a conversation, with no word "
        + "of the back, pain, a medicine or a warning sign and one of another field)")
    lines.append("confidence: " + String(format2(explanation.match.confidence)))
    for (rank, c) in explanation.match.candidates.enumerated() {
      lines.append(
        "\(rank + 1). \(c.intent)  score \(format2(c.score))  matched: \(c.matchedFeatures.joined(separator: " "))"
      )
      lines.append("   nearest example: \(c.nearestExample)")
    }
    if !explanation.slots.isEmpty {
      lines.append(
        "slots: "
          + explanation.slots.sorted { $0.key < $1.key }
          .map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func format2(_ x: Double) -> String {
    let scaled = Int((x * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }
}
