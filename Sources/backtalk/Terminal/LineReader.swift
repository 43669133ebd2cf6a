/// Something that reads one line of user input at a time; nil means end of input.
protocol LineReader {
  mutating func readLine(prompt: String) -> String?
}

/// Reads plain lines from a pipe or file: no prompt echo, no escape codes.
struct PlainLineReader: LineReader {
  mutating func readLine(prompt: String) -> String? {
    Swift.readLine(strippingNewline: true)
  }
}
