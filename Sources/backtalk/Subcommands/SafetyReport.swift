import BacktalkCore
import Foundation

/// The figures `backtalk eval --emergency` prints: recall per category (escalations alone and
/// with safety checks), false alarms and safety checks on harmless messages, and the misses.
struct SafetyReport {
  let outcomes: [Assistant.SafetyOutcome]
  let escalateAbove: Double
  let checkAbove: Double
  let lexiconCheckBelow: Double

  /// The report as lines.
  func lines(title: String, listMisses: Bool) -> [String] {
    var lines = [
      "== \(title)",
      "thresholds: escalate >= \(escalateAbove), check >= \(checkAbove), "
        + "a lexicon sign is checked below \(lexiconCheckBelow)",
    ]
    let decided = outcomes.map {
      (
        $0,
        $0.decision(
          escalateAbove: escalateAbove, checkAbove: checkAbove, lexiconCheckBelow: lexiconCheckBelow
        )
      )
    }
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
          "  [\(o.origin) -> \(d.category ?? "") \(o.lexicon == nil ? "classifier" : "lexicon") p=\(fmt(o.score.emergency))] \(o.text)"
        )
      }
      lines.append("harmless messages checked:")
      for (o, d) in decided where Self.harmless(o.label) && d.action == "check" {
        lines.append("  [\(o.origin) p=\(fmt(o.score.emergency))] \(o.text)")
      }
    }
    return lines
  }

  /// Recall (escalate or check) against checks on harmless messages for a grid of thresholds.
  func sweep() -> [String] {
    var lines = [
      "escalate check lexicon-veto | esc.recall caught | checks on emergencies | harmless esc. / checked"
    ]
    for e in stride(from: 0.3, through: 0.9, by: 0.1) {
      for c in stride(from: 0.05, through: min(e, 0.5), by: 0.05) {
        for v in [0.0, 0.02, 0.05, 0.1] {
          let d = outcomes.map {
            ($0, $0.decision(escalateAbove: e, checkAbove: c, lexiconCheckBelow: v))
          }
          let pos = d.filter { !Self.harmless($0.0.label) }
          let neg = d.filter { Self.harmless($0.0.label) }
          lines.append(
            String(
              format: "%.2f %.2f %.2f | %@ %@ | %@ | %@ / %@", e, c, v,
              pct(pos.filter { $0.1.action == "escalate" }.count, pos.count),
              pct(pos.filter { $0.1.action != "none" }.count, pos.count),
              pct(pos.filter { $0.1.action == "check" }.count, pos.count),
              pct(neg.filter { $0.1.action == "escalate" }.count, neg.count),
              pct(neg.filter { $0.1.action == "check" }.count, neg.count)))
        }
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
