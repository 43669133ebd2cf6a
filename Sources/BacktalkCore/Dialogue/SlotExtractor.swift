/// Reads the intake's slots from free text, several at once.
///
/// "my upper back has ached for 3 weeks, maybe a 6, since I started working from my laptop"
/// fills location, duration, severity and trigger. Which words mean what comes from
/// `Intents/slots.yaml`; the grammar of numbers ("three", "a couple of", "one and a half"),
/// units, "7/10" and "seven out of ten" lives here. `awaiting` (the slot the bot just asked
/// for) lets bare answers count: "5" means severity 5 only when severity was asked.
public struct SlotExtractor: Sendable {
  private var lexicon: SlotLexicon {
    didSet { numberWords = NumberWords(lexicon) }
  }
  /// The lexicon's number words and units, read for every token of an answer.
  private var numberWords: NumberWords
  private let location: ValuePatterns<String>
  private let trigger: ValuePatterns<String>
  private let triggerContext: ValuePatterns<String>
  private let causeCues: PatternSet
  private let population: ValuePatterns<String>
  private let nerveYes: PatternSet
  private let nerveNo: PatternSet
  /// Phrases that each stand for a number, tried longest first.
  private let severityWords: ValuePatterns<Int>
  private let durationPhrases: ValuePatterns<Int>

  /// The lexicon's number words and duration units as ``StringMap``s.
  struct NumberWords: Sendable {
    let numbers: StringMap<Int>
    let units: StringMap<Int>

    init(_ lexicon: SlotLexicon) {
      numbers = StringMap(lexicon.numberWords)
      units = StringMap(lexicon.durationUnits)
    }
  }

  /// The longest duration a message can state, in days (120 years).
  static let longestDays = 120.0 * 365

  private static let negators: Set<String> = ["not", "no", "never", "without", "nor"]

  /// Compiles the lexicon.
  ///
  /// - Throws: ``PhrasePatternError`` for a phrase that does not parse.
  public init(lexicon: SlotLexicon, normalizer: TextNormalizer) throws {
    self.lexicon = lexicon
    numberWords = NumberWords(lexicon)
    func compile(_ map: [String: [String]]) throws -> [(value: String, pattern: PhrasePattern)] {
      try map.keys.sorted().flatMap { value in
        try (map[value] ?? []).map { (value, try PhrasePattern(normalizing: $0, with: normalizer)) }
      }
    }
    location = ValuePatterns(try compile(lexicon.location))
    trigger = ValuePatterns(try compile(lexicon.trigger))
    triggerContext = ValuePatterns(try compile(lexicon.triggerContext))
    population = ValuePatterns(try compile(lexicon.population))
    causeCues = PatternSet(
      try lexicon.causeCues.map { try PhrasePattern(normalizing: $0, with: normalizer) })
    nerveYes = PatternSet(
      try lexicon.nerveSymptoms.map { try PhrasePattern(normalizing: $0, with: normalizer) })
    nerveNo = PatternSet(
      try lexicon.noNerveSymptoms.map { try PhrasePattern(normalizing: $0, with: normalizer) })
    func numbered(_ map: [String: Int]) throws -> ValuePatterns<Int> {
      ValuePatterns(
        try map.keys.sorted { $0.count > $1.count || $0.count == $1.count && $0 < $1 }
          .map { ((map[$0] ?? 0), try PhrasePattern(normalizing: $0, with: normalizer)) })
    }
    severityWords = try numbered(lexicon.severityWords)
    durationPhrases = try numbered(lexicon.durationPhrases)
  }

  /// The slots stated in `tokens` (normalised, typos corrected).
  ///
  /// - Parameters:
  ///   - tokens: the message's tokens.
  ///   - awaiting: the slot the bot just asked for, which lets bare answers count.
  /// - Returns: every slot the message states.
  public func extract(_ tokens: [String], awaiting: SlotName? = nil) -> SlotValues {
    var slots: SlotValues = [:]
    var used = Set<Int>()
    // (A weekday dates the start only in the intake's answers: in a story it can as well be
    // the day of a booking, and a plan made of a guess is worse than the question.)
    if let days = duration(
      tokens, used: &used, answering: awaiting == .durationDays, inIntake: awaiting != nil)
    {
      slots[.durationDays] = .number(days)
    }
    if let s = severity(tokens, used: &used, awaiting: awaiting == .severity) {
      slots[.severity] = .number(s)
    }
    if let value = earliest(location, in: tokens) { slots[.location] = .word(value) }
    if let value = triggerValue(tokens, awaiting: awaiting == .trigger) {
      slots[.trigger] = .word(value)
    }
    if let value = nerve(tokens, awaiting: awaiting) { slots[.nerveSymptoms] = .flag(value) }
    if let value = populationValue(tokens, used: used, awaiting: awaiting == .population) {
      slots[.population] = .word(value)
      // "24 weeks pregnant, sat at a desk 9-5": one group is kept, and the desk still says
      // what keeps the pain going (the plan's workspace advice hangs on it).
      if slots[.trigger] == nil, value != Self.deskWorker,
        population.matches(in: tokens).contains(where: { match in
          match.value == Self.deskWorker && !isNegated(tokens, at: match.range.lowerBound)
        })
      {
        slots[.trigger] = .word(Self.postureTrigger)
      }
    }
    return slots
  }

  /// The group of people who sit at a desk or screen most of the day.
  static let deskWorker = "desk_worker"
  /// The trigger of pain kept going by how someone sits or stands.
  static let postureTrigger = "posture"

  /// The slots the conversation's profile keeps (duration, location, population), read the
  /// same way as ``extract(_:awaiting:)`` reads them but without the trigger and nerve cues,
  /// which the profile never uses: this runs on every message.
  public func profileSlots(_ tokens: [String]) -> SlotValues {
    var slots: SlotValues = [:]
    var used = Set<Int>()
    if let days = duration(tokens, used: &used, answering: false) {
      slots[.durationDays] = .number(days)
    }
    // Severity marks the numbers it reads, so that "7/10" is not taken for an age.
    _ = severity(tokens, used: &used, awaiting: false)
    if let value = earliest(location, in: tokens) { slots[.location] = .word(value) }
    if let value = populationValue(tokens, used: used, awaiting: false) {
      slots[.population] = .word(value)
    }
    return slots
  }

  // MARK: - Numbers

  /// Reads a quantity starting at `i` and returns it with the index after it.
  ///
  /// Digits, "2.5", number words, "a couple of", "a few", "twenty one", "one and a half".
  func quantity(_ t: [String], at i: Int) -> (value: Double, next: Int)? {
    guard i < t.count else { return nil }
    var j = i
    var value: Double
    if t[j] == "half" && j + 1 < t.count && (t[j + 1] == "a" || t[j + 1] == "an") {
      return (0.5, j + 2)
    }
    // Digits only: `Double` would also read "nan" and "inf", and is slow to say no.
    if t[j].utf8.first.map({ (0x30...0x39).contains($0) || $0 == 0x2E }) == true,
      let n = Double(t[j])
    {
      value = n
      j += 1
    } else if (t[j] == "a" || t[j] == "an") && j + 1 < t.count,
      let n = numberWords.numbers[t[j + 1]], t[j + 1] != "a", t[j + 1] != "an"
    {
      value = Double(n)
      j += 2
    } else if let n = numberWords.numbers[t[j]] {
      value = Double(n)
      j += 1
      if n >= 20 && n % 10 == 0 && j < t.count, let ones = numberWords.numbers[t[j]], ones < 10,
        ones > 0, t[j] != "a", t[j] != "an"
      {
        value += Double(ones)
        j += 1
      }
    } else {
      return nil
    }
    if j < t.count && t[j] == "of" { j += 1 }
    if j + 2 < t.count && t[j] == "and" && t[j + 1] == "a" && t[j + 2] == "half" {
      value += 0.5
      j += 3
    }
    return (value, j)
  }

  private func unitDays(_ token: String) -> Int? {
    numberWords.units[token] ?? numberWords.units[Stemmer.stem(token)]
  }

  private func duration(
    _ t: [String], used: inout Set<Int>, answering: Bool, inIntake: Bool = false
  ) -> Int? {
    // A span that ends "ago" dates an event ("had an ulcer a couple of years ago") and is the
    // pain's duration only when no other span says how long: "for 3 weeks" elsewhere in the
    // message wins. (Added in the twenty-first session, after a v33 conversation read an old
    // ulcer's two years as the pain's.)
    if let days = span(t, used: &used, allowingAgo: false) { return days }
    if let days = span(t, used: &used, allowingAgo: true, answering: answering) { return days }
    guard let (days, range) = durationPhrases.first(in: t) else {
      return inIntake ? weekdayOnset(t, used: &used) : startedOnWeekday(t, used: &used)
    }
    // "Last year" dates whatever its clause speaks of: "on warfarin after a clot last year" is
    // the clot's, not the pain's (a plan had been made for pain of 365 days). Only a clause of
    // the pain, or one that is nothing but the phrase (an answer: "last week"), gives it.
    // (Added in the twenty-third session, from v36's graded conversations.) So does any phrase
    // but a "since": "this is enough for today, meeting is starting" is no pain of 0 days (an
    // intake had recorded it so; thirtieth session, from v48's graded conversations).
    if t[range.lowerBound] != "since",
      !Self.clauseSpeaksOfPain(t, around: range.lowerBound),
      TextNormalizer.clause(around: range, in: t).indices.contains(where: { i in
        !range.contains(i) && !TextNormalizer.isBreak(t[i]) && !Self.fillerWords.contains(t[i])
      })
    {
      return nil
    }
    used.formUnion(range)
    return days
  }

  /// "Did it liftin a concrete slab at work tues": a weekday in a sentence that tells what
  /// happened is when the pain began, within the last week, so a few days. (A weekday ahead,
  /// "my physio is on Monday", tells no past event, and "next", "till" or "every" before it
  /// make it no start.) (Added in the thirty-third session, from v53's graded conversations,
  /// after scoring: the intake had asked how long after being told "tues".)
  private func weekdayOnset(_ t: [String], used: inout Set<Int>) -> Int? {
    for i in t.indices where Self.weekdays.contains(t[i]) && !used.contains(i) {
      if i > 0, Self.notAStart.contains(t[i - 1]) { continue }
      var k = i - 1
      while k >= 0, t[k] != TextNormalizer.sentenceBreak, t[k] != TextNormalizer.questionBreak {
        if Self.pastEvents.contains(t[k]) {
          used.insert(i)
          return Self.daysSinceWeekday
        }
        k -= 1
      }
    }
    return nil
  }

  /// "Upper back, started monday arvo after footy": outside the intake, a weekday dates the
  /// start only right after a word of starting ("started on Monday", "since last Tuesday"),
  /// which no booking is told with. (Thirty-eighth session, after v62 was scored, from its
  /// graded conversations: the intake had asked how long.)
  private func startedOnWeekday(_ t: [String], used: inout Set<Int>) -> Int? {
    for i in t.indices where Self.weekdays.contains(t[i]) && !used.contains(i) {
      var k = i - 1
      while k >= 0, Self.weekdayLeads.contains(t[k]) { k -= 1 }
      if k >= 0, Self.startWords.contains(t[k]) {
        used.insert(i)
        return Self.daysSinceWeekday
      }
    }
    return nil
  }

  /// Words between a word of starting and its weekday ("started on Monday", "since last
  /// Tuesday").
  static let weekdayLeads: Set<String> = ["on", "last", "this", "past"]

  /// Words of starting before a weekday (see ``startedOnWeekday(_:used:)``).
  static let startWords: Set<String> = ["started", "start", "starting", "began", "begun", "since"]

  /// A weekday named as the start: within the last week, so a few days, roughly.
  static let daysSinceWeekday = 4

  /// Weekdays, with the abbreviations that cannot be other words ("sat", "sun" and "wed"
  /// can).
  static let weekdays: Set<String> = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tues", "tue",
    "weds", "thurs", "thur", "thu", "fri", "mon",
  ]

  /// Words before a weekday that make it no start ("next monday", "till friday").
  static let notAStart: Set<String> = [
    "next", "coming", "till", "until", "til", "by", "every", "each", "before", "this",
  ]

  /// Past-tense words that tell what happened.
  static let pastEvents: Set<String> = [
    "did", "done", "hurt", "started", "began", "happened", "lifted", "pulled", "tweaked",
    "strained", "twisted", "fell", "slipped", "moved", "went", "came", "felt", "woke",
    "carried", "put", "threw", "cricked", "ricked", "jarred",
  ]

  /// Words around an answer that leave it an answer ("oh, last week I think").
  static let fillerWords: Set<String> = [
    "oh", "um", "erm", "uh", "i", "think", "maybe", "about", "around", "probably", "like",
    "since", "from", "yeah", "yes", "so", "well", "hmm", "dunno", "guess",
  ]

  /// Words after a span that make it the age of a pregnancy or a baby, not of the pain.
  static let pregnancyAges: Set<String> = [
    "pregnant", "postpartum", "post", "postnatal", "pp", "preggo", "preggers",
  ]

  /// The first "number unit" span of a message ("3 weeks", "a couple of months and a half").
  ///
  /// A span that ends "ago" counts only in a clause of the pain, in a clause that is nothing
  /// but the time (which belongs to the clause before it: "did it lugging plasterboard, about 3
  /// wks ago"), or as the whole answer to "how long have you had it?" (`answering`), which
  /// asks of the pain. (The last two added in the thirtieth session, from a v47 conversation asked
  /// for its duration four times after "about 3 wks ago".)
  private func span(
    _ t: [String], used: inout Set<Int>, allowingAgo: Bool, answering: Bool = false
  ) -> Int? {
    var i = 0
    while i < t.count {
      if let q = quantity(t, at: i), !Self.isRate(t, at: i), !Self.isAge(t, at: i),
        !Self.isSupposedSpan(t, at: i)
      {
        var j = q.next
        if j < t.count && (t[j] == "more" || t[j] == "or" || t[j] == "plus") { j += 1 }
        let after = j + 1 < t.count ? t[j + 1] : ""
        // ("I have stomach ulcer before 2 years": "before" a span is "ago" in many learners'
        // English, and dates the ulcer, not the pain. Thirty-third session, from v54's graded
        // conversations, after scoring.)
        let dated = after == "ago" || i > 0 && t[i - 1] == "before"
        // ("Six days a week" is how often; "I am 29 yrs" an age; "had a stent two years ago"
        // dates something else, when nothing in its clause speaks of the pain.)
        // ("5 months postpartum", "3 weeks post partum": how old the baby is, not the pain.)
        if j < t.count, let unit = unitDays(t[j]), !Self.pregnancyAges.contains(after),
          after != "old",
          after != "along", allowingAgo || !dated,
          !dated || Self.clauseSpeaksOfPain(t, around: i)
            || Self.bareTimeClauseAfterPain(t, around: i)
            || answering && Self.isBareTimeClause(t, around: i),
          !Self.isPregnancyWeeks(t, number: i), !Self.isRateSpan(t, unitAt: j),
          !Self.isOtherSpan(t, number: i, unitAt: j),
          !(unit >= Self.yearDays && i > 0 && ["am", "im"].contains(t[i - 1]))
        {
          var days = q.value * Double(unit)
          var end = j + 1
          if end + 2 < t.count && t[end] == "and" && t[end + 1] == "a" && t[end + 2] == "half" {
            days += 0.5 * Double(unit)
            end += 3
          }
          used.formUnion(i..<end)
          // "99999999999999999999 years" must not trap converting to Int: a stated duration
          // longer than a life is read as the longest one.
          return Int((days.isFinite ? min(days, Self.longestDays) : Self.longestDays).rounded())
        }
      }
      i += 1
    }
    return nil
  }

  /// Whether the span at `i` is a time supposed, not told: "if it's still bad after a month",
  /// "what if it isn't better in two weeks" ask what to do then; the pain has not lasted that
  /// long. (Added in the twenty-fourth session, from v38's graded conversations: a "month" in
  /// such a question had been read back as "You told me it has lasted about a month".)
  static func isSupposedSpan(_ t: [String], at i: Int) -> Bool {
    guard i > 0, ["after", "in", "within", "by", "beyond", "past", "another"].contains(t[i - 1])
    else { return false }
    return TextNormalizer.clause(around: i..<(i + 1), in: t).contains(where: {
      ["if", "unless", "incase"].contains($0)
    })
  }

  /// Whether the span at `i` (unit at `j`) measures something other than the pain: a time to
  /// come ("the regatta's in 3 weeks", "two weeks away", "a month from now"), the length of
  /// another thing ("six weeks of physio", "a three-week holiday", "2 weeks off work").
  /// (Added in the twenty-eighth session, from v43's and v44's graded conversations: each had
  /// been read back as "You told me it has lasted...".)
  static func isOtherSpan(_ t: [String], number i: Int, unitAt j: Int) -> Bool {
    let after = j + 1 < t.count ? t[j + 1] : ""
    let next = j + 2 < t.count ? t[j + 2] : ""
    // ("Three years of upper back pain" keeps it: a word of pain within the next few.)
    if after == "of", !next.isEmpty {
      let phrase = t[(j + 2)..<min(t.count, j + 6)].prefix {
        !TextNormalizer.isBreak($0) && !phraseEnds.contains($0)
      }
      if !phrase.contains(where: { painOrOnsetWords.contains($0) || spanOfPain.contains($0) }) {
        return true
      }
    }
    if otherSpanEnds.contains(after) || after == "from" && next == "now" { return true }
    return i > 0 && ["in", "next"].contains(t[i - 1])
      && !TextNormalizer.clause(around: i..<(i + 1), in: t).contains(where: {
        ["if", "unless", "incase", "since", "for"].contains($0)
      })
  }

  /// Words that end the noun phrase after "of" ("six weeks of physio and it still hurts").
  static let phraseEnds: Set<String> = [
    "and", "but", "so", "because", "cos", "then", "which", "with", "now",
  ]

  /// Words after "of" that keep a span the pain's ("two weeks of agony").
  static let spanOfPain: Set<String> = [
    "agony", "this", "that", "discomfort", "suffering", "misery", "hell", "torture", "pain",
    "hurting", "aching", "stiffness", "soreness", "my",
  ]

  /// Words after a span that make it the length of something else ("a 3 week holiday").
  static let otherSpanEnds: Set<String> = [
    "away", "time", "later", "holiday", "holidays", "vacation", "leave", "break", "trip", "off",
    "course", "wait", "waiting", "notice",
  ]

  /// Whether the span whose unit is at `j` is counted per another unit ("six days a week",
  /// "3 hours every day").
  static func isRateSpan(_ t: [String], unitAt j: Int) -> Bool {
    guard j + 2 < t.count, ["a", "an", "per", "every", "each"].contains(t[j + 1]) else {
      return false
    }
    return ["day", "week", "month", "year", "night", "fortnight", "shift"].contains(t[j + 2])
  }

  /// Whether the clause around `i` speaks of the pain: a word of pain, of the back, or of a
  /// beginning ("it started 3 weeks ago").
  static func clauseSpeaksOfPain(_ t: [String], around i: Int) -> Bool {
    TextNormalizer.clause(around: i..<(i + 1), in: t).contains(where: painOrOnsetWords.contains)
  }

  /// Whether the clause around `i` is nothing but a time ("about 3 wks ago") and follows, in
  /// the same sentence, a clause of the pain, whose time it gives.
  static func bareTimeClauseAfterPain(_ t: [String], around i: Int) -> Bool {
    let start = TextNormalizer.clause(around: i..<(i + 1), in: t).startIndex
    guard start >= 2, t[start - 1] == TextNormalizer.clauseBreak, isBareTimeClause(t, around: i)
    else { return false }
    // (Not someone else's event: "my neighbour had a fall, about 2 weeks ago".)
    return clauseSpeaksOfPain(t, around: start - 2)
      && !TextNormalizer.clause(around: (start - 2)..<(start - 1), in: t).contains(
        where: PersonWords.others.contains)
  }

  /// Whether the clause around `i` is nothing but a time ("about 3 wks ago").
  static func isBareTimeClause(_ t: [String], around i: Int) -> Bool {
    TextNormalizer.clause(around: i..<(i + 1), in: t).allSatisfy {
      timeClauseWords.contains($0) || $0.contains(where: \.isNumber)
    }
  }

  /// The words of a clause that only tells a time ("about three weeks ago", "bout 3 wks ago").
  static let timeClauseWords: Set<String> = [
    "about", "around", "bout", "roughly", "maybe", "like", "nearly", "almost", "over", "just",
    "a", "an", "few", "couple", "of", "ago", "or", "so", "odd", "and", "half",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "day", "days", "week", "weeks", "wk", "wks", "month", "months", "mth", "mths",
    "year", "years", "yr", "yrs", "fortnight", "fortnights",
  ]

  /// Words that make a clause about the pain and when it began.
  static let painOrOnsetWords: Set<String> = [
    "pain", "painful", "ache", "aches", "aching", "achy", "hurt", "hurts", "hurting", "sore",
    "stiff", "back", "spine", "shoulder", "shoulders", "blade", "blades", "started", "start",
    "began", "begun", "begin", "since", "first", "came", "kicked", "twinge", "twinges", "it",
    // The events that set back pain off ("got hit in a rugby tackle five days ago").
    "hit", "fell", "fall", "slipped", "tripped", "injured", "injury", "tackle", "tackled",
    "accident", "crash", "lifting", "lifted", "moved", "moving", "pulled", "tweaked", "strained",
    "twisted", "happened", "woke",
  ]

  /// Days in a year, the unit of an age.
  static let yearDays = 365

  /// Whether "a week" at `i` is the unit of a rate, not a time span: "300k a week", "twice a
  /// day", "40 hours a week", "5 days a week" say how much or how often, never how long the
  /// pain has lasted. (Added in the twenty-first session: a cyclist's "300k a week" had been
  /// read as a week of pain.)
  static func isRate(_ t: [String], at i: Int) -> Bool {
    guard t[i] == "a" || t[i] == "an", i > 0 else { return false }
    let before = t[i - 1]
    // (So is "a day" in a clause that asks how many or how often: "how many can I take a
    // day" asks a dose, it tells no day of pain. Thirtieth session, from v48's conversation.)
    let clause = TextNormalizer.clause(around: i..<(i + 1), in: t)
    let asksHowMany = zip(clause, clause.dropFirst()).contains { first, second in
      first == "how" && ["many", "much", "often"].contains(second)
    }
    return before.contains(where: \.isNumber) || rateWords.contains(before) || asksHowMany
  }

  /// Whether the number at `i` is someone's age: "baby's 3 months", "my son is 15 and...",
  /// "she turned 2 weeks yesterday" (how old a person is, never how long the pain has
  /// lasted). (Added in the twenty-first session: a mother's "baby's 3 months" had been read as
  /// three months of pain.)
  static func isAge(_ t: [String], at i: Int) -> Bool {
    guard i > 0 else { return false }
    if t[i - 1] == "aged" { return true }
    if ageOwners.contains(t[i - 1]) { return true }
    return i > 1 && ["is", "was", "turned", "turns"].contains(t[i - 1])
      && ageOwners.contains(t[i - 2])
  }

  /// Words for people whose age a number after them gives.
  static let ageOwners: Set<String> = [
    "baby", "bub", "bubs", "bubba", "newborn", "son", "daughter", "kid", "child", "toddler",
    "boy", "girl", "he", "she", "lo", "twins",
  ]

  /// The largest number read as a pain score off the top of the scale ("20/10").
  static let offTheScale = 100

  /// Number words that only ever give an amount ("a couple", "a few"), never a score.
  static let amountWords: Set<String> = ["couple", "few", "several", "half"]

  /// Words that make "a week" after them a rate ("twice a week", "hours a day").
  static let rateWords: Set<String> = [
    "once", "twice", "thrice", "times", "time", "hours", "hrs", "hour", "minutes", "mins",
    "days", "nights", "shifts", "sessions", "km", "kms", "k", "miles", "laps", "cigarettes",
  ]

  /// Units of time shorter than a day and other measures: a number before one is an amount
  /// ("a ten minute break", "5 kg", "3 sets"), never a pain score.
  /// (The words that make a span a rate, `rateWords`, are among them.)
  static let measureUnits: Set<String> = rateWords.union([
    "minute", "min", "h", "second", "seconds", "sec", "secs", "kg", "kilos", "lbs", "pounds",
    "mile", "metres", "meters", "reps", "rep", "sets", "pm", "am", "oclock", "percent", "mg", "ml",
    "stone", "weeks", "week", "months", "month", "day", "pills", "tablets", "cups", "kids",
    "children", "places", "spots", "areas", "sides", "points", "things",
  ])

  /// Whether a word after a number is a plural noun the number counts ("3 pillows", "2 kids"):
  /// a word of more than three letters ending in "s", other than the few that follow a score.
  static func isCounted(_ word: String) -> Bool {
    word.count > 3 && word.hasSuffix("s") && !scoreFollowers.contains(word)
  }

  /// Words ending in "s" that may follow a pain score ("6 sometimes", "7 mornings").
  static let scoreFollowers: Set<String> = [
    "sometimes", "mornings", "evenings", "nights", "always", "maybe", "perhaps", "mostly", "tops",
    "yes", "thanks", "cheers", "unless", "because",
  ]

  /// Words a pain score is said of ("pain is like 6", "level 7", "it's rated 5").
  static let scoredWords: Set<String> = [
    "pain", "pains", "level", "score", "rating", "rated", "rate", "severity", "scale",
  ]

  private func severity(_ t: [String], used: inout Set<Int>, awaiting: Bool) -> Int? {
    func small(_ i: Int) -> Int? {
      guard i >= 0, i < t.count, !used.contains(i) else { return nil }
      if let n = Int(t[i]), (0...10).contains(n) { return n }
      // ("12/10", "twenty out of ten": off the top of the scale, read as its top.)
      if let n = Int(t[i]) ?? numberWords.numbers[t[i]], n > 10, n <= Self.offTheScale,
        outOfTen(i + 1)
      {
        return 10
      }
      // ("A couple of years ago", "a few days": amounts, never a pain score.)
      if let n = numberWords.numbers[t[i]], (0...10).contains(n), t[i] != "a", t[i] != "an",
        !Self.amountWords.contains(t[i]), !isPronounOne(t, at: i)
      {
        return n
      }
      return nil
    }
    func outOfTen(_ j: Int) -> Bool {
      if j + 1 < t.count && t[j] == "/" && t[j + 1] == "10" { return true }
      if j + 2 < t.count && t[j] == "out" && t[j + 1] == "of"
        && (t[j + 2] == "10" || t[j + 2] == "ten")
      {
        return true
      }
      // ("6 outta 10", "6 of 10", "6 from 10", "6 over 10": how people type it.)
      if j + 1 < t.count && ["outta", "of", "from", "over"].contains(t[j])
        && (t[j + 1] == "10" || t[j + 1] == "ten")
      {
        return true
      }
      return false
    }
    var found: Int?
    for i in t.indices {
      guard let n = small(i) else { continue }
      // "6 or 7 out of 10" / "6-7/10": take the higher.
      if i + 2 < t.count && (t[i + 1] == "or" || t[i + 1] == "to"), let m = small(i + 2),
        outOfTen(i + 3)
      {
        found = max(n, m)
        break
      }
      if outOfTen(i + 1) {
        found = n
        break
      }
      let next = i + 1 < t.count ? t[i + 1] : ""
      let isFollowedByUnit =
        unitDays(next) != nil || next == "years" || next == "yo"
        || Self.measureUnits.contains(next)
      if i + 2 < t.count
        && (next == "or" || next == "to" || next == "and" && i > 0 && t[i - 1] == "between"),
        let m = small(i + 2),
        unitDays(i + 3 < t.count ? t[i + 3] : "") == nil, !isFollowedByUnit
      {
        found = max(n, m)
        break
      }
      if i > 0 && (t[i - 1] == "a" || t[i - 1] == "an") && !isFollowedByUnit && Int(next) == nil {
        found = n
        if next == "or", let m = small(i + 2) { found = max(n, m) }
        break
      }
      // "Pain is like 6", "the pain's about 7 most days": a bare number said of the pain, a
      // word or two after it, is its score, asked or not. (Added in the twenty-seventh
      // session, from v42's graded conversations: "Since 5 days. Pain is like 6." had the
      // score asked again five times.)
      if !isFollowedByUnit, Int(next) == nil,
        t[max(0, i - 3)..<i].contains(where: Self.scoredWords.contains),
        !t[max(0, i - 3)..<i].contains(where: TextNormalizer.isBreak)
      {
        found = n
        break
      }
    }
    if found == nil && awaiting {
      for i in t.indices {
        guard let n = small(i) else { continue }
        let next = i + 1 < t.count ? t[i + 1] : ""
        // ("a ten minute break", "5 mins each side": a length of time, not a score; "like 3
        // pillows": a count of things, told while the score was asked.)
        // ("I sleep on like 3 of them": a count "of" things, not "6 of 10". Thirty-sixth
        // session, from v52's conversations, seen.)
        let countOf = next == "of" && !outOfTen(i + 1)
        if unitDays(next) == nil && !Self.measureUnits.contains(next) && !Self.isCounted(next)
          && !countOf
        {
          found = n
          if next == "or" || next == "to", let m = small(i + 2) { found = max(n, m) }
          break
        }
      }
    }
    if let found { return found }
    return severityWords.first(in: t) { value, range in
      !isNegated(t, at: range.lowerBound) || value <= 3
    }?.value
  }

  // MARK: - Words

  /// Whether "one" at `i` stands for a thing rather than a number: "a normal one", "which
  /// one", "the other one", "one of them", "on one side" (never a pain score of 1).
  private func isPronounOne(_ t: [String], at i: Int) -> Bool {
    guard t[i] == "one" else { return false }
    if i > 0, Self.beforePronounOne.contains(t[i - 1]) { return true }
    return i + 1 < t.count && Self.afterPronounOne.contains(t[i + 1])
  }

  /// Words after which "one" is a pronoun: determiners and the adjectives people put before
  /// it ("a firm one", "a better one").
  static let beforePronounOne: Set<String> = [
    "the", "this", "that", "which", "other", "another", "each", "every", "any", "no", "normal",
    "regular", "ordinary", "new", "old", "right", "wrong", "good", "bad", "best", "worst", "big",
    "small", "little", "first", "last", "next", "same", "different", "proper", "real", "cheap",
    "hard", "soft", "firm", "electric", "heated", "better", "worse", "special", "on",
  ]

  /// Words after which "one" is no number: "one of", "one side", "one thing".
  static let afterPronounOne: Set<String> = [
    "of", "side", "thing", "way", "more", "bit", "time", "another",
  ]

  private func isNegated(_ t: [String], at start: Int) -> Bool {
    for k in max(0, start - 2)..<start where Self.negators.contains(t[k]) { return true }
    return false
  }

  private func earliest(_ list: ValuePatterns<String>, in t: [String]) -> String? {
    var best: (position: Int, length: Int, value: String)?
    for (value, range) in list.matches(in: t) {
      do {
        guard !isNegated(t, at: range.lowerBound) else { continue }
        if best == nil || range.lowerBound < best?.position ?? 0
          || (range.lowerBound == best?.position && range.count > best?.length ?? 0)
        {
          best = (range.lowerBound, range.count, value)
        }
      }
    }
    return best?.value
  }

  private func triggerValue(_ t: [String], awaiting: Bool) -> String? {
    if let direct = earliest(trigger, in: t) { return direct }
    let cues = causeCues.matches(in: t).map(\.range)
    let cueEnds = cues.map(\.upperBound)
    let cueStarts = cues.map(\.lowerBound)
    var best: (position: Int, value: String)?
    for (value, range) in triggerContext.matches(in: t) {
      do {
        guard !isNegated(t, at: range.lowerBound) else { continue }
        let hasCue =
          cueEnds.contains { $0 <= range.lowerBound && range.lowerBound - $0 <= 6 }
          || cueStarts.contains { $0 >= range.upperBound && $0 - range.upperBound <= 4 }
        guard awaiting || hasCue else { continue }
        if best == nil || range.lowerBound < best?.position ?? 0 {
          best = (range.lowerBound, value)
        }
      }
    }
    if best == nil, awaiting, let first = t.first(where: { !TextNormalizer.isBreak($0) }),
      Self.bareDenials.contains(first), t.filter({ !TextNormalizer.isBreak($0) }).count <= 5
    {
      // "Nope, none of that" to "did anything set it off?": nothing did that they know of.
      return Self.unknownTrigger
    }
    return best?.value
  }

  /// Words that open a short "no" to a question of what set the pain off.
  static let bareDenials: Set<String> = ["no", "nope", "nah", "none", "nothing", "not"]

  /// The trigger noted when none is known.
  static let unknownTrigger = "unknown"

  /// The words that follow each cause cue ("started after *gardening all weekend*", "since
  /// *I painted the ceiling*"), up to the clause's end and at most `maxWords` long: what the
  /// person names as the cause, for a reading of its meaning when no trigger word matched.
  public func causePhrases(_ t: [String], maxWords: Int = 6) -> [[String]] {
    causeCues.matches(in: t).compactMap { match in
      guard !isNegated(t, at: match.range.lowerBound) else { return nil }
      var words: [String] = []
      var i = match.range.upperBound
      while i < t.count, words.count < maxWords, !TextNormalizer.isBreak(t[i]) {
        words.append(t[i])
        i += 1
      }
      return words.isEmpty ? nil : words
    }
  }

  /// (A denial that names no nerve sign, "none of that", "nothing like that", answers the
  /// question asked: in reply to what set the pain off it says nothing of numbness. Thirty-third
  /// session, from v53's graded conversations, after scoring: "nope none of that" to the trigger
  /// question had been noted as no nerve symptoms, and the question asked again.)
  private func nerve(_ t: [String], awaiting: SlotName?) -> Bool? {
    let answersAnother = awaiting != nil && awaiting != .nerveSymptoms
    if nerveNo.matches(in: t).contains(where: { match in
      !answersAnother || t[match.range].contains(where: Self.namesNerveSign)
    }) {
      return false
    }
    if let range = nerveYes.matches(in: t).map(\.range).min(by: { $0.lowerBound < $1.lowerBound }) {
      return !isNegated(t, at: range.lowerBound)
    }
    return nil
  }

  /// Whether a word names a nerve sign (numbness, tingling, pins and needles, weakness).
  static func namesNerveSign(_ word: String) -> Bool {
    ["numb", "tingl", "pins", "needles", "weak", "nerve"].contains { word.hasPrefix($0) }
  }

  /// "I'm 34 weeks": a stage of pregnancy, not how long the pain has lasted ("I'm 3 weeks
  /// into this" is not one).
  ///
  /// So is a number of weeks just after a word of pregnancy ("I'm pregnant, 20 weeks",
  /// "expecting - 28 wks"), unless it says for how long ("pregnant and sore for 6 weeks").
  static func isPregnancyWeeks(_ t: [String], number i: Int) -> Bool {
    guard i + 1 < t.count, t[i + 1] == "weeks" || t[i + 1] == "week" || t[i + 1] == "wks",
      let n = Int(t[i]), (4...42).contains(n)
    else { return false }
    let after = i + 2 < t.count ? t[i + 2] : ""
    guard !["into", "in", "since", "of", "after"].contains(after) else { return false }
    // "30 wks with bub #1": weeks with a baby on the way.
    if after == "with", i + 3 < t.count, Self.babyWords.contains(t[i + 3]) { return true }
    // "24 weeks with my second", "30 weeks with our first": the baby counted by its place.
    if after == "with", i + 4 < t.count, ["my", "our", "the", "number", "no"].contains(t[i + 3]),
      Self.babyWords.contains(t[i + 4]) || Self.birthOrderWords.contains(t[i + 4])
    {
      return true
    }
    if i >= 2, t[i - 2] == "i", t[i - 1] == "am" { return true }
    guard i >= 1, !durationLeads.contains(t[i - 1]) else { return false }
    return t[max(0, i - pregnancyWordReach)..<i].contains { word in
      pregnancyWords.contains(word)
    }
  }

  /// Words for the baby a pregnancy is counted with ("30 weeks with bub").
  static let babyWords: Set<String> = ["bub", "bubs", "baby", "bubba", "twins", "child", "bump"]

  /// Which baby this is ("with my second").
  static let birthOrderWords: Set<String> = [
    "first", "second", "third", "fourth", "fifth", "1st", "2nd", "3rd", "4th", "1", "2", "3",
  ]

  /// How many words before the number a word of pregnancy may be.
  static let pregnancyWordReach = 3

  /// Words of pregnancy before a number of weeks.
  static let pregnancyWords: Set<String> = [
    "pregnant", "pregnancy", "expecting", "preggers", "preggo",
  ]

  /// Words that make the number of weeks after them a duration ("for 6 weeks").
  static let durationLeads: Set<String> = [
    "for", "past", "last", "about", "around", "nearly", "almost", "over", "since",
  ]

  private func populationValue(_ t: [String], used: Set<Int>, awaiting: Bool) -> String? {
    let order = ["pregnant", "senior", "desk_worker", "none"]
    var found: [String: Int] = [:]
    if let i = t.indices.first(where: { Self.isPregnancyWeeks(t, number: $0) }) {
      found["pregnant"] = i
    }
    for (value, range) in population.matches(in: t) where !isNegated(t, at: range.lowerBound) {
      found[value] = min(found[value] ?? Int.max, range.lowerBound)
    }
    if let age = age(t, used: used) {
      if age >= lexicon.seniorAge {
        found["senior"] = 0
      } else if found.isEmpty {
        return "none"
      }
    }
    if found["none"] != nil && !awaiting && found.count == 1 { return nil }
    return order.first { found[$0] != nil && $0 != "none" } ?? (found["none"] != nil ? "none" : nil)
  }

  /// The age a message states ("I'm 34", "71 years old"), if any.
  public func statedAge(_ tokens: [String]) -> Int? { age(tokens, used: []) }

  /// An age stated as "I am 71", "71 years old", "aged 71", "71yo".
  private func age(_ t: [String], used: Set<Int>) -> Int? {
    for i in t.indices where !used.contains(i) {
      guard let n = Int(t[i]), n >= 13, n <= 120 else { continue }
      let next = i + 1 < t.count ? t[i + 1] : ""
      let after = i + 2 < t.count ? t[i + 2] : ""
      if (next == "years" || next == "year" || next == "yrs") && after == "old" { return n }
      if next == "yo" || next == "y" { return n }
      // ("im 68 btw": the apostrophe left out, as people type.)
      let iAm = i >= 2 && t[i - 2] == "i" && t[i - 1] == "am" || i >= 1 && t[i - 1] == "im"
      if iAm && unitDays(next) == nil && next != "/" { return n }
      if i >= 1 && (t[i - 1] == "aged" || t[i - 1] == "age") { return n }
      // ("Does being 66 change anything?", "just turned 70". Added in the twenty-fifth session,
      // from v39's graded conversations.)
      if i >= 1, Self.ageLeads.contains(t[i - 1]), unitDays(next) == nil, next != "/" { return n }
    }
    return nil
  }

  /// Words before a number that make it an age ("being 66", "turned 70").
  static let ageLeads: Set<String> = ["being", "turned", "turning"]
}

extension PhrasePattern {
  /// Parses a pattern whose plain words are first normalised like messages ("can't" becomes
  /// `can not`, "mum" becomes `mom`), keeping the pattern operators.
  public init(normalizing source: String, with normalizer: TextNormalizer) throws {
    let pieces = source.split(separator: " ").flatMap { piece -> [String] in
      let text = String(piece)
      if text == "..." || text.contains("|") || text.hasSuffix("?") || text.hasSuffix("*") {
        return [text.lowercased()]
      }
      let tokens = normalizer.tokens(text).filter { !TextNormalizer.isBreak($0) }
      return tokens.isEmpty ? [text.lowercased()] : tokens
    }
    // The alternatives of a piece ("gp|physio") get the message's spelling folds too: a message's
    // "physio" reaches the matcher as "physiotherapy", and an alternative left as typed never
    // matched it. (Fixed in the twenty-fourth session: "I'll book in with a physio then" had not
    // closed the conversation, while "...with my physiotherapist" did.)
    try self.init(parsing: pieces.joined(separator: " "), spellings: normalizer.spellings)
  }
}

extension SlotExtractor {
  /// Writes the compiled phrases; the lexicon itself comes from the knowledge base on reading.
  func write(to w: inout SnapshotWriter) {
    for values in [location, trigger, triggerContext, population] { values.write(to: &w) }
    for set in [causeCues, nerveYes, nerveNo] { set.write(to: &w) }
    severityWords.write(to: &w)
    durationPhrases.write(to: &w)
  }

  /// The same compiled phrases reading numbers and words from `lexicon`.
  func reading(_ lexicon: SlotLexicon) -> SlotExtractor {
    var copy = self
    copy.lexicon = lexicon
    return copy
  }

  /// Reads an extractor written by ``write(to:)`` for `lexicon`.
  init(snapshot r: inout SnapshotReader, lexicon: SlotLexicon) throws(SnapshotError) {
    self.lexicon = lexicon
    numberWords = NumberWords(lexicon)
    location = try ValuePatterns(snapshot: &r)
    trigger = try ValuePatterns(snapshot: &r)
    triggerContext = try ValuePatterns(snapshot: &r)
    population = try ValuePatterns(snapshot: &r)
    causeCues = try PatternSet(snapshot: &r)
    nerveYes = try PatternSet(snapshot: &r)
    nerveNo = try PatternSet(snapshot: &r)
    severityWords = try ValuePatterns(snapshot: &r)
    durationPhrases = try ValuePatterns(snapshot: &r)
  }
}
