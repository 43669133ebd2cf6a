import BacktalkCore
import Testing

/// The phrasings table in `Tests/Fixtures/slot_cases.jsonl`.
@Suite struct SlotExtractorTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let awaiting: SlotName?
    let slots: [String: String]
    var testDescription: String { (awaiting.map { "[\($0.rawValue)] " } ?? "") + text }
  }

  static let cases: [Case] = Fixtures.jsonLines("slot_cases.jsonl").compactMap { value in
    guard let text = value["text"]?.stringValue, case .object(let members)? = value["slots"] else {
      return nil
    }
    var slots: [String: String] = [:]
    for (key, v) in members {
      switch v {
      case .string(let s): slots[key] = s
      case .number(let n): slots[key] = n
      case .bool(let b): slots[key] = b ? "true" : "false"
      default: break
      }
    }
    return Case(
      text: text, awaiting: value["awaiting"]?.stringValue.flatMap(SlotName.init(rawValue:)),
      slots: slots)
  }

  @Test func everyRowOfTheTableIsACase() {
    #expect(Self.cases.count == Fixtures.lineCount("slot_cases.jsonl"))
    #expect(Self.cases.count >= 190)
  }

  @Test(arguments: cases)
  func extracts(_ c: Case) {
    let found = Fixtures.assistant.slots(in: c.text, awaiting: c.awaiting)
    let actual = Dictionary(
      uniqueKeysWithValues: found.map { ($0.key.rawValue, $0.value.description) })
    #expect(actual == c.slots)
  }

  @Test func conditionsCompareSlots() throws {
    let c = try SlotCondition(
      parsing: "severity >= 7 or nerve_symptoms == true and location == upper")
    #expect(c.holds(for: [.severity: .number(8)]))
    #expect(c.holds(for: [.nerveSymptoms: .flag(true), .location: .word("upper")]))
    #expect(!c.holds(for: [.nerveSymptoms: .flag(true), .location: .word("lower")]))
    #expect(!c.holds(for: [:]))
    #expect(try SlotCondition(parsing: "always").holds(for: [:]))
    #expect(throws: SlotConditionError.self) { try SlotCondition(parsing: "mood == happy") }
    #expect(throws: SlotConditionError.self) { try SlotCondition(parsing: "severity >=") }
  }
}
