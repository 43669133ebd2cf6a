import ArgumentParser
import BacktalkCore
import Foundation

/// Measures the matcher like `rasa test nlu`.
struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract:
      "Cross-validate the matcher on the knowledge base's examples and/or score a labelled JSONL test file ({\"text\",\"intent\"} per line)."
  )

  @OptionGroup var knowledge: KnowledgeOptions

  @Option(help: "Number of cross-validation folds (0 to skip).")
  var folds = 5

  @Option(help: "A labelled JSONL file to score.")
  var test: String?

  @Flag(help: "Print the misclassified messages.")
  var errors = false

  @Flag(help: "Fit and print confidence calibration coefficients from the cross-validation.")
  var calibrate = false

  @Flag(
    help:
      "Measure the safety layers instead: cross-validate the emergency classifier on Intents/emergency_corpus.yaml (with the lexicon beside it), and score --test files labelled {\"text\",\"category\"} (null for harmless)."
  )
  var emergency = false

  @Flag(help: "With --emergency: print recall and checks for a grid of thresholds.")
  var sweep = false

  @Option(
    name: .customLong("set"),
    help:
      "Override a matcher knob of settings.yaml for this run, e.g. --set concept_weight=1.2 (repeatable)."
  )
  var overrides: [String] = []

  func run() throws {
    if emergency { return try runSafety() }
    let kb = try knowledge.loadKnowledge()
    var tuning = kb.settings.matcher
    for override in overrides {
      let parts = override.split(separator: "=")
      guard parts.count == 2, let value = Double(parts[1]), tuning.set(String(parts[0]), value)
      else {
        throw CommandError(
          "--set expects name=number with a knob of settings.yaml's matcher block, got '\(override)'"
        )
      }
    }
    let assistant = try Assistant(
      knowledge: kb, region: knowledge.region, tuning: tuning,
      embeddings: KnowledgeCache.optionalEmbeddings()?.table)
    if folds > 0 {
      let cv = assistant.crossValidate(folds: folds)
      report("\(folds)-fold cross-validation on \(cv.predictions.count) examples", cv)
      if calibrate {
        let c = cv.fittedCalibration()
        StandardStreams.write("calibration: bias \(c.bias), score \(c.score), margin \(c.margin)\n")
      }
    }
    if let test {
      guard let data = FileManager.default.contents(atPath: test) else {
        throw CommandError("cannot read \(test)")
      }
      var cases: [(text: String, intent: String)] = []
      for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
        guard let value = try? JSONParser.parse(Array(line.utf8)),
          case .string(let text)? = value["text"], case .string(let intent)? = value["intent"]
        else {
          throw CommandError("\(test):\(n + 1): expected {\"text\": ..., \"intent\": ...}")
        }
        cases.append((text, intent))
      }
      report("test set \(test) (\(cases.count) messages)", assistant.evaluate(cases))
    }
  }

  /// The self-harm model's cross-validated recall and false alarms at a grid of thresholds,
  /// with the two in force marked.
  private func selfHarmModelReport(
    _ rows: [(label: String, probability: Double)], limits: SafetySettings
  ) -> String {
    let positives = rows.filter { $0.label == "self_harm" }
    let others = rows.filter { $0.label != "self_harm" }
    var lines = [
      "== \(folds)-fold cross-validation of the self-harm model (\(positives.count) self-harm rows, "
        + "\(others.count) others; in force: asks at \(limits.selfHarmModelCheckAbove), escalates "
        + "at \(limits.selfHarmModelEscalateAbove))",
      "threshold: self-harm recall | others above (all / despair / ordinary turns and examples)",
    ]
    for threshold in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95] {
      let recall = positives.filter { $0.probability >= threshold }.count
      let above = others.filter { $0.probability >= threshold }
      let despair = above.filter { $0.label == EmergencyClassifier.distress }.count
      let ordinary = above.filter { $0.label == EmergencyClassifier.harmless }.count
      let mark =
        threshold == limits.selfHarmModelEscalateAbove
        ? " (escalates)" : threshold == limits.selfHarmModelCheckAbove ? " (asks)" : ""
      lines.append(
        "  \(threshold)\(mark): \(recall)/\(positives.count) | \(above.count) / \(despair) / "
          + "\(ordinary) of \(others.filter { $0.label == EmergencyClassifier.harmless }.count)")
    }
    return lines.joined(separator: "\n") + "\n\n"
  }

  private func runSafety() throws {
    let kb = try knowledge.loadKnowledge()
    let assistant = try Assistant(
      knowledge: kb, region: knowledge.region,
      embeddings: ProcessInfo.processInfo.environment["BACKTALK_NO_EMBEDDINGS"] == nil
        ? KnowledgeCache.optionalEmbeddings()?.table : nil)
    let limits = kb.settings.safety
    func show(_ title: String, _ outcomes: [Assistant.SafetyOutcome]) {
      let report = SafetyReport(outcomes: outcomes, limits: limits)
      var lines = report.lines(title: title, listMisses: errors)
      if sweep { lines += report.sweep() }
      StandardStreams.write(lines.joined(separator: "\n") + "\n\n")
    }
    if folds > 0 {
      show(
        "\(folds)-fold cross-validation of the emergency classifier",
        assistant.safetyCrossValidation(folds: folds))
      StandardStreams.write(
        selfHarmModelReport(assistant.selfHarmModelCrossValidation(folds: folds), limits: limits))
    }
    if let test {
      guard let data = FileManager.default.contents(atPath: test) else {
        throw CommandError("cannot read \(test)")
      }
      var rows: [(text: String, label: String)] = []
      for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
        guard let value = try? JSONParser.parse(Array(line.utf8)),
          case .string(let text)? = value["text"]
        else {
          throw CommandError("\(test):\(n + 1): expected {\"text\": ..., \"category\": ...}")
        }
        let category: String
        switch value["category"] {
        case .string(let c)?: category = c
        case .null?, nil: category = EmergencyClassifier.harmless
        default: throw CommandError("\(test):\(n + 1): category must be a string or null")
        }
        rows.append((text, category))
      }
      show(
        "test set \(test) (\(rows.count) messages)", assistant.safetyOutcomes(rows, origin: "test"))
      StandardStreams.write(dialogueReport(test, rows: rows, assistant: assistant))
    }
  }

  /// The same messages through the whole dialogue, each as the first of a conversation: what
  /// a person would actually get.
  private func dialogueReport(
    _ test: String, rows: [(text: String, label: String)], assistant: Assistant
  ) -> String {
    var lines = ["== \(test) through the dialogue (a fresh conversation per message)"]
    var counts: [String: [Int]] = [:]
    var missed: [String] = []
    for row in rows {
      var state = DialogueState()
      let reply = assistant.respond(to: row.text, state: &state)
      let key = SafetyReport.harmless(row.label) ? "harmless" : row.label
      var entry = counts[key] ?? [0, 0, 0, 0]
      entry[0] += 1
      if reply.kind == .escalation { entry[1] += 1 }
      if reply.kind == .safetyCheck { entry[2] += 1 }
      if reply.escalation?.category == row.label { entry[3] += 1 }
      counts[key] = entry
      if key != "harmless" && reply.kind != .escalation && reply.kind != .safetyCheck {
        missed.append("  [\(row.label) -> \(reply.kind.rawValue)] \(row.text)")
      }
    }
    for (label, e) in counts.sorted(by: { $0.key < $1.key }) {
      lines.append(
        "  \(label): escalated \(e[1])/\(e[0]), safety check \(e[2])/\(e[0]), "
          + "escalated in its own category \(e[3])/\(e[0])")
    }
    if errors { lines += ["missed (neither escalated nor checked):"] + missed }
    return lines.joined(separator: "\n") + "\n\n"
  }

  private func report(_ title: String, _ e: Evaluation) {
    var lines = [
      "== \(title)", "accuracy: \(pct(e.accuracy))",
      "top-1 accuracy ignoring the fallback threshold: \(pct(e.topAccuracy)); fell back on \(pct(e.fallbackRate))",
    ]
    let scores = e.perIntent
    let macro = scores.isEmpty ? 0 : scores.map(\.f1).reduce(0, +) / Double(scores.count)
    lines.append("macro F1: \(pct(macro))")
    lines.append("weakest intents (precision / recall / F1 / support):")
    for s in scores.prefix(12) {
      lines.append(
        "  \(s.intent): \(pct(s.precision)) / \(pct(s.recall)) / \(pct(s.f1)) / \(s.support)")
    }
    lines.append("top confusions (expected -> predicted):")
    for c in e.confusions() { lines.append("  \(c.count)x \(c.expected) -> \(c.predicted)") }
    if errors {
      lines.append("misclassified:")
      for p in e.predictions where p.expected != p.predicted {
        lines.append("  [\(p.expected) -> \(p.predicted) @\(pct(p.confidence))] \(p.text)")
      }
    }
    StandardStreams.write(lines.joined(separator: "\n") + "\n\n")
  }

  private func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
