import BacktalkCore
import Testing

@testable import backtalk

@Suite struct TextWrapperTests {
  @Test func linesBreakBetweenWordsAndNeverInsideOne() {
    let text =
      "Both can help, for different kinds of pain: cold suits swelling and heat suits stiffness."
    let lines = TextWrapper(width: 24).wrap(text)
    #expect(lines.allSatisfy { $0.count <= 24 })
    #expect(lines.joined(separator: " ") == text)
  }

  @Test func aWordLongerThanTheLineKeepsItsOwnLine() {
    let long = String(repeating: "x", count: 30)
    #expect(TextWrapper(width: 20).wrap("a \(long) b") == ["a", long, "b"])
  }

  @Test(arguments: [
    ("- keep moving rather than resting all day long", "  "),
    ("12. keep moving rather than resting all day long", "    "),
    ("[3] Relieving upper back pain: home remedies and therapy", "    "),
  ])
  func listItemsHangUnderTheirFirstWord(line: String, hang: String) {
    let lines = TextWrapper(width: 24).wrap(line)
    #expect(lines.count > 1)
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(hang) && !$0.hasPrefix(hang + " ") })
  }

  @Test func aSeparatorEndsItsLineRatherThanStartingTheNext() {
    let lines = TextWrapper(width: 20).wrap("You could ask: Can I stretch? | Is ice good?")
    #expect(!lines.contains { $0.hasPrefix("|") })
  }

  @Test func blankLinesAndShortLinesStayAsTheyAre() {
    #expect(TextWrapper(width: 40).wrap("one\n\ntwo") == ["one", "", "two"])
  }
}

@Suite struct ReplyRendererTests {
  let reply: Reply = {
    var reply = Reply(
      text: "Both can help, for different kinds of pain.", intent: "treatment.heat_cold",
      confidence: 0.9, kind: .answer, suggestions: ["What stretches can I do?"])
    reply.sources = [
      SourceRef(document: "a.txt", section: "Heat", title: "Twelve treatments", publisher: "Pub"),
      SourceRef(document: "b.txt", section: "Ice", title: "Home remedies"),
      SourceRef(document: "a.txt", section: "Cold", title: "Twelve treatments", publisher: "Pub"),
    ]
    return reply
  }()

  @Test func sourcesAreNumberedOncePerArticleByTitleNotFileName() {
    let text = ReplyRenderer(usesColor: false, width: nil).render(reply, label: "")
    #expect(text.contains("Sources: [1] Twelve treatments"))
    #expect(text.contains("[2] Home remedies"))
    #expect(!text.contains("[3]"))
    #expect(!text.contains(".txt"))
  }

  @Test func slashSourcesListsEverySectionWithPublisherAndFile() {
    let text = ReplyRenderer(usesColor: false, width: nil).renderSources(reply.sources)
    #expect(text.contains("[1] Twelve treatments (Pub)"))
    #expect(text.contains("\u{201C}Heat\u{201D}") && text.contains("\u{201C}Cold\u{201D}"))
    #expect(text.contains("file: b.txt"))
  }

  @Test func theBotsWordsHangUnderItsLabelWithinTheWidth() {
    var long = reply
    long.text = String(repeating: "upper back pain ", count: 12)
    let lines = ReplyRenderer(usesColor: false, width: 40).render(long, label: "bot> ")
      .split(separator: "\n")
    #expect(lines[0].hasPrefix("bot> "))
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("     ") })
    #expect(lines.allSatisfy { $0.count <= 40 })
  }

  @Test func colourOnlyWhenAsked() {
    let plain = ReplyRenderer(usesColor: false, width: 80).render(reply, label: "bot> ")
    let coloured = ReplyRenderer(usesColor: true, width: 80).render(reply, label: "bot> ")
    #expect(!plain.contains("\u{1B}["))
    #expect(coloured.contains("\u{1B}["))
  }

  @Test func noColorTurnsColourOff() {
    #expect(!TerminalInfo(environment: ["NO_COLOR": "1"]).usesColor)
  }
}

@Suite struct CommandLineTests {
  @Test func anUnknownCommandSaysSoAndListsTheCommands() throws {
    let result = try Binary.run(["frobnicate"], input: [])
    #expect(result.status == 64)
    #expect(result.stderr.contains("unknown command 'frobnicate'"))
    #expect(result.stderr.contains("serve") && result.stderr.contains("web"))
    #expect(!result.stderr.contains("USAGE: backtalk chat"))
  }

  @Test func slashHelpListsEveryCommandAndAnUnknownOneSaysSo() throws {
    let result = try Binary.run(["chat"], input: Array("/help\n/frob\n".utf8))
    for command in ["/sources", "/why", "/record", "/reset", "/help", "/quit"] {
      #expect(result.stdout.contains(command))
    }
    #expect(result.stdout.contains("unknown command /frob"))
  }
}
