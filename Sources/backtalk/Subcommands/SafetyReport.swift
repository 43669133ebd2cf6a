import BacktalkCore
import Foundation

/// The figures `backtalk eval --emergency` prints: recall per category (escalations alone and
/// with safety checks), false alarms and safety checks on harmless messages, and the misses.
struct SafetyReport {
  let outcomes: [Assistant.SafetyOutcome]
  let limits: SafetySettings

  /// The report as lines.
  func lines(title: String, listMisses: Bool) -> [String] {
    let discounted = limits.classifierThresholds(discounted: true)
    var lines = [
      "== \(title)",
      "thresholds: escalate >= \(limits.escalateAbove), check >= \(limits.checkAbove), "
        + "a lexicon sign is checked below \(limits.lexiconCheckBelow); after a sign the "
        + "lexicon set aside, escalate >= \(discounted.escalate), check >= \(discounted.check)",
    ]
    let decided = outcomes.map { ($0, $0.decision(limits)) }
    let positives = decided.filter { !Self.harmless($0.0.label) }
    let categories = Set(positives.map(\.0.label)).sorted()
    lines.append("category: escalated / escalated or checked / right category (n)")
    for category in categories {
      let rows = positives.filter { $0.0.label == category }
      let escalated = rows.filter { $0.1.action == "escalate" }.count
      let caught = rows.filter { $0.1.action != "none" }.count
      let right = rows.filter { $0.1.category == category }.count
      lines.append(
        "  \(category): \(pct(escalated, rows.count)) / \(pct(caught, rows.count)) / "
          + "\(pct(right, rows.count)) (\(rows.count))")
    }
    if !positives.isEmpty {
      let escalated = positives.filter { $0.1.action == "escalate" }.count
      let caught = positives.filter { $0.1.action != "none" }.count
      let checks = positives.filter { $0.1.action == "check" }.count
      lines.append(
        "all emergencies: escalated \(pct(escalated, positives.count)), escalated or checked "
          + "\(pct(caught, positives.count)), checks instead of escalation "
          + "\(pct(checks, positives.count)) (\(positives.count))")
    }
    for origin in Set(decided.map(\.0.origin)).sorted() {
      let harmless = decided.filter { Self.harmless($0.0.label) && $0.0.origin == origin }
      guard !harmless.isEmpty else { continue }
      let alarms = harmless.filter { $0.1.action == "escalate" }.count
      let checks = harmless.filter { $0.1.action == "check" }.count
      lines.append(
        "harmless (\(origin)): escalated \(pct(alarms, harmless.count)), checked "
          + "\(pct(checks, harmless.count)) (\(harmless.count))")
    }
    let table = outcomes.filter { $0.origin == "lexicon_table" }
    if !table.isEmpty {
      // The lexicon's own regression table (EmergencyDetectorTests): it must get every row.
      var wrong: [String] = []
      for o in table {
        var found: String?
        if case .emergency(let category, _)? = o.lexicon { found = category }
        let expected = Self.harmless(o.label) ? nil : o.label
        if found != expected { wrong.append("  [\(o.label) -> \(found ?? "none")] \(o.text)") }
      }
      lines.append(
        "lexicon alone on lexicon_table: \(table.count - wrong.count)/\(table.count) right")
      if listMisses { lines += wrong }
    }
    if listMisses {
      lines.append("missed emergencies (no escalation, no check):")
      for (o, d) in positives where d.action == "none" {
        lines.append("  [\(o.label) p=\(fmt(o.score.emergency))] \(o.text)")
      }
      lines.append("emergencies only checked:")
      for (o, d) in positives where d.action == "check" {
        lines.append("  [\(o.label) p=\(fmt(o.score.emergency))] \(o.text)")
      }
      lines.append("false alarms (escalated):")
      for (o, d) in decided where Self.harmless(o.label) && d.action == "escalate" {
        lines.append(
          "  [\(o.origin) -> \(d.category ?? "") \(Self.layer(o.lexicon)) p=\(fmt(o.score.emergency))] \(o.text)"
        )
      }
      lines.append("harmless messages checked:")
      for (o, d) in decided where Self.harmless(o.label) && d.action == "check" {
        lines.append(
          "  [\(o.origin) \(Self.layer(o.lexicon)) p=\(fmt(o.score.emergency))] \(o.text)")
      }
    }
    return lines
  }

  /// Which layer a decision came from, and what the lexicon made of the context.
  static func layer(_ finding: EmergencyFinding?) -> String {
    switch finding {
    case nil: "classifier"
    case .emergency?: "lexicon"
    case .informational?: "classifier, lexicon: informational"
    case .discounted(_, let reason, _)?: "classifier, lexicon: \(reason)"
    }
  }

  /// Recall (escalate or check) against checks on harmless messages for a grid of thresholds.
  func sweep() -> [String] {
    var lines = [
      "escalate check lexicon-veto discounted-escalate discounted-check | esc.recall caught "
        + "| checks on emergencies | harmless esc. / checked"
    ]
    for e in stride(from: 0.4, through: 0.9, by: 0.05) {
      for c in stride(from: 0.1, through: min(e, 0.6), by: 0.05) {
        for v in [0.05, 0.1, 0.2, 0.3] {
          lines += sweepDiscounted(escalate: e, check: c, veto: v)
        }
      }
    }
    return lines
  }

  /// The sweep's rows for one set of ordinary thresholds, over the discounted thresholds.
  private func sweepDiscounted(escalate e: Double, check c: Double, veto v: Double) -> [String] {
    var lines: [String] = []
    for de in [0.0, 0.8, 0.9, 0.95] {
      for dc in [0.0, 0.4, 0.6, 0.8] {
        var grid = limits
        grid.escalateAbove = e
        grid.checkAbove = c
        grid.lexiconCheckBelow = v
        grid.discountedEscalateAbove = de
        grid.discountedCheckAbove = dc
        let d = outcomes.map { ($0, $0.decision(grid)) }
        let pos = d.filter { !Self.harmless($0.0.label) }
        let neg = d.filter { Self.harmless($0.0.label) && $0.0.origin != "intent_example" }
        let intents = d.filter { Self.harmless($0.0.label) && $0.0.origin == "intent_example" }
        lines.append(
          String(
            format: "%.2f %.2f %.2f %.2f %.2f | %@ %@ | %@ | %@ / %@ | intents %@ / %@", e, c,
            v, de, dc,
            pct(pos.filter { $0.1.action == "escalate" }.count, pos.count),
            pct(pos.filter { $0.1.action != "none" }.count, pos.count),
            pct(pos.filter { $0.1.action == "check" }.count, pos.count),
            pct(neg.filter { $0.1.action == "escalate" }.count, neg.count),
            pct(neg.filter { $0.1.action == "check" }.count, neg.count),
            pct(intents.filter { $0.1.action == "escalate" }.count, intents.count),
            pct(intents.filter { $0.1.action == "check" }.count, intents.count)))
      }
    }
    return lines
  }

  static func harmless(_ label: String) -> Bool {
    label == EmergencyClassifier.harmless || label == EmergencyClassifier.distress
  }

  private func pct(_ n: Int, _ total: Int) -> String {
    total == 0 ? "-" : String(format: "%.1f%%", Double(n) * 100 / Double(total))
  }

  private func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
}
