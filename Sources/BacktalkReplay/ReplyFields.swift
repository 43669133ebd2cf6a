import Foundation
import BacktalkCore

/// How each transcript key reads a reply, in the spelling transcripts use.
enum ReplyFields {
  static func value(_ key: String, of reply: Reply) -> String {
    switch key {
    case "text", "contains", "matches": return reply.text
    case "intent": return reply.intent ?? "none"
    case "kind": return reply.kind.rawValue
    case "confidence": return String(reply.confidence)
    case "escalate": return reply.escalate ? "yes" : "no"
    case "category": return reply.escalation?.category ?? "none"
    case "flow": return reply.flow ?? "none"
    case "awaiting": return reply.awaiting ?? "none"
    case "slots", "slot":
      let parts = reply.slots.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }
      return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    case "suggestions", "suggestion":
      return reply.suggestions.isEmpty ? "none" : reply.suggestions.joined(separator: " | ")
    case "sources", "source":
      let parts = reply.sources.map { "\($0.document)#\($0.section)" }
      return parts.isEmpty ? "none" : parts.joined(separator: " | ")
    case "options": return reply.options.isEmpty ? "none" : reply.options.joined(separator: " | ")
    default: return ""
    }
  }

  /// Whether `reply` meets one expectation (before negation).
  static func holds(_ e: Transcript.Expectation, for reply: Reply) -> Bool {
    let actual = value(e.key, of: reply)
    switch e.key {
    case "contains":
      return actual.lowercased().contains(e.value.lowercased())
    case "matches":
      return actual.range(of: e.value, options: [.regularExpression, .caseInsensitive]) != nil
    case "confidence":
      return compare(reply.confidence, e.value)
    case "escalate":
      let wanted = ["yes", "true"].contains(e.value.lowercased())
      return reply.escalate == wanted
    case "slot":
      let parts = e.value.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
      guard parts.count == 2, let name = SlotName(rawValue: parts[0]) else { return false }
      return reply.slots[name]?.description == parts[1]
    case "suggestion":
      return reply.suggestions.contains(e.value)
    case "source":
      return reply.sources.contains {
        "\($0.document)#\($0.section)" == e.value || $0.document == e.value
      }
    default:
      return actual == e.value
    }
  }

  /// `>= 0.5`, `< 0.3`, `0.5` (meaning at least).
  static func compare(_ x: Double, _ spec: String) -> Bool {
    let s = spec.trimmingSpaces()
    for op in [">=", "<=", ">", "<", "=="] where s.hasPrefix(op) {
      guard let v = Double(String(s.dropFirst(op.count)).trimmingSpaces()) else { return false }
      switch op {
      case ">=": return x >= v
      case "<=": return x <= v
      case ">": return x > v
      case "<": return x < v
      default: return abs(x - v) < 0.0005
      }
    }
    guard let v = Double(s) else { return false }
    return x >= v
  }

  /// The exhaustive expectations `record` writes for a reply.
  static func recorded(_ reply: Reply) -> [Transcript.Expectation] {
    var list: [Transcript.Expectation] = [Transcript.Expectation(key: "text", value: reply.text)]
    for key in ["intent", "kind", "escalate"] {
      list.append(Transcript.Expectation(key: key, value: value(key, of: reply)))
    }
    if reply.escalate {
      list.append(Transcript.Expectation(key: "category", value: value("category", of: reply)))
    }
    for key in ["flow", "awaiting", "slots", "suggestions", "sources", "options"] {
      list.append(Transcript.Expectation(key: key, value: value(key, of: reply)))
    }
    return list
  }
}
