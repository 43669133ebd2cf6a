#!/usr/bin/env python3
"""The chat page in a real browser: headless Chromium driven over WebDriver.

Starts `backtalk web --port 0` and Debian's chromedriver, then does what a person would:
types a question, clicks a suggestion, answers an intake question with an option button,
reaches a suggestion with the keyboard alone, sees the escalation banner with a tel: link,
reloads and finds the same conversation, and saves a desktop and a phone-width screenshot.
It also checks the page's Content-Security-Policy, that the browser reported no error (a
blocked resource or a script error), and that the first reply came within 100 ms.

Standard library only. Exits non-zero, saying why, when Chromium or chromedriver is missing.

    python3 Tests/Browser/browser_test.py [--binary .build/debug/backtalk] [--screenshots DIR]
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ENTER = "\ue007"
SHIFT = "\ue008"
TAB = "\ue004"


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few WebDriver commands the test needs, as plain HTTP."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise Failure(f"WebDriver {method} {path}: {error.code} {error.read()[:400]!r}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def start(self, chromium, width, height):
        options = {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars",
                     "--force-color-profile=srgb"],
        }
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"}}}})
        self.session = value["sessionId"]

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", f"/session/{self.session}")
            except Exception:
                pass

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def refresh(self):
        self.s("POST", "/refresh", {})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        found = self.s("POST", "/elements", {"using": "css selector", "value": css})
        return [f[ELEMENT] for f in found]

    def click(self, element):
        self.s("POST", f"/element/{element}/click", {})

    def type(self, element, text):
        self.s("POST", f"/element/{element}/value", {"text": text})

    def keys(self, *keys):
        """Presses keys on whatever has focus (a chord: all down, then all up)."""
        actions = [{"type": "keyDown", "value": k} for k in keys]
        actions += [{"type": "keyUp", "value": k} for k in reversed(keys)]
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard",
                                                  "actions": actions}]})
        self.s("DELETE", "/actions")

    def screenshot(self, path):
        png = base64.b64decode(self.s("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)

    def resize(self, width, height):
        self.s("POST", "/window/rect", {"width": width, "height": height})

    def browser_log(self):
        try:
            return self.s("POST", "/se/log", {"type": "browser"}) or []
        except Failure:
            return []


def wait_for(description, probe, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {description}")
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/debug/backtalk")
    parser.add_argument("--screenshots", default=os.path.join(tempfile.gettempdir(),
                                                              "backtalk-browser"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver")
                        or "/usr/bin/chromedriver")
    args = parser.parse_args()

    for name, path in (("chromium", args.chromium), ("chromedriver", args.chromedriver)):
        if not os.path.exists(path):
            print(f"browser test: FAILED: {name} is not installed ({path}); on Debian: "
                  "apt-get install -y chromium chromium-driver", file=sys.stderr)
            return 1
    if not os.path.exists(args.binary):
        print(f"browser test: FAILED: {args.binary} is missing; run `swift build` first",
              file=sys.stderr)
        return 1
    os.makedirs(args.screenshots, exist_ok=True)

    processes = []
    driver = None
    passed, failed = 0, 0
    cache = tempfile.mkdtemp(prefix="backtalk-browser-cache-")
    try:
        web = subprocess.Popen([args.binary, "web", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=sys.stderr, text=True,
                               env={**os.environ, "XDG_CACHE_HOME": cache})
        processes.append(web)
        line = web.stdout.readline().strip()
        if "http://" not in line:
            raise Failure(f"backtalk web did not say where it listens: {line!r}")
        url = line[line.index("http://"):]

        driver_port = free_port()
        chromedriver = subprocess.Popen([args.chromedriver, f"--port={driver_port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(chromedriver)
        driver = WebDriver(driver_port)
        wait_for("chromedriver", lambda: _ready(driver), timeout=20)
        driver.start(args.chromium, 1280, 900)

        def check(name, condition, detail=""):
            nonlocal passed, failed
            if condition:
                passed += 1
                print(f"ok - {name}")
            else:
                failed += 1
                print(f"not ok - {name} {detail}")

        # The page and its headers: nothing may load from anywhere but this server.
        with urllib.request.urlopen(url) as response:
            csp = response.headers.get("Content-Security-Policy", "")
        check("the page forbids every outside resource",
              "default-src 'none'" in csp and "connect-src 'self'" in csp, csp)

        driver.go(url)
        wait_for("the socket to open", lambda: driver.js("return window.backtalk.connected"))
        replies = lambda: len(driver.find("article.msg.bot:not(.intro)"))

        # 1. Type a question.
        box = driver.find("#message")[0]
        driver.type(box, "is heat or ice better for my upper back?" + ENTER)
        wait_for("an answer", lambda: replies() >= 1)
        answer = driver.js("""
          const a = document.querySelector('article.msg.bot:not(.intro)');
          return {text: a.querySelector('.text').textContent,
                  refs: Array.from(a.querySelectorAll('.ref summary')).map(s => s.textContent),
                  sections: Array.from(a.querySelectorAll('.ref .section')).map(s => s.textContent)};
        """)
        check("a typed question gets an answer", "cold" in answer["text"].lower(), answer["text"])
        check("sources show titles, not file names",
              answer["refs"] and all(".txt" not in r for r in answer["refs"]), answer["refs"])
        check("each source expands to its sections", any("Section" in s for s in answer["sections"]))
        latency = driver.js("return window.backtalk.latencies[0]")
        check("the first reply came within 100 ms", latency is not None and latency < 100,
              f"({latency:.1f} ms)" if latency is not None else "")
        print(f"# first reply after {latency:.1f} ms")

        # 2. Click a suggestion.
        suggestion = driver.find("article.msg.bot:not(.intro):last-of-type button.suggestion")
        check("the answer offers suggestions as buttons", bool(suggestion))
        before = replies()
        driver.click(suggestion[0])
        wait_for("the suggestion's answer", lambda: replies() > before)
        check("a clicked suggestion is sent and answered", replies() == before + 1)

        # 3. Answer an intake question with an option button.
        driver.type(box, "help me make a plan" + ENTER)
        options = wait_for("the intake's options",
                           lambda: driver.find("article.msg.bot:last-of-type button.option"))
        labels = [driver.js("return arguments[0].textContent", {ELEMENT: o}) for o in options]
        question = driver.js("return document.querySelector('article.msg.bot:last-of-type .text').textContent")
        check("an intake question shows its options as buttons", len(labels) >= 2, labels)
        # (Which question comes first depends on what the person already said: the first
        # answer mentioned the upper back, so the intake may skip straight to how long.)
        before = replies()
        driver.click(options[0])
        wait_for("the next question", lambda: replies() > before)
        nxt = driver.js("return document.querySelector('article.msg.bot:last-of-type .text').textContent")
        retired = driver.js("return arguments[0].disabled", {ELEMENT: options[1]})
        check("the option answered the question (the next question follows, old options retire)",
              nxt != question and retired and labels[0] in driver.js(
                  "return Array.from(document.querySelectorAll('article.msg.you')).pop().textContent"),
              nxt[:120])

        # The first answer's first source, opened: title, publisher and section.
        summary = driver.find("article.msg.bot:not(.intro) .ref summary")[0]
        driver.js("arguments[0].scrollIntoView({block: 'center'})", {ELEMENT: summary})
        driver.click(summary)
        opened = driver.js("""
          const d = document.querySelector('article.msg.bot:not(.intro) .ref');
          d.closest('article').scrollIntoView({block: 'start'});
          window.scrollBy(0, -90);
          return d.open && d.querySelector('.detail').offsetHeight > 0;
        """)
        check("a numbered source opens to its title and section", opened)
        driver.screenshot(os.path.join(args.screenshots, "web-desktop.png"))

        # 4. Keyboard only: Shift+Tab from the message box reaches the last reply's buttons.
        driver.click(box)
        driver.keys(SHIFT, TAB)
        focused = driver.js("const e = document.activeElement; return e.tagName + ':' + e.className")
        check("Shift+Tab from the message box reaches a reply's button",
              focused.startswith("BUTTON:"), focused)
        before = replies()
        driver.keys(ENTER)
        wait_for("the keyboard choice's reply", lambda: replies() > before)
        check("Enter on a focused button sends it", replies() == before + 1)

        # 5. An emergency: the banner with a tel: link stays in view.
        driver.type(box, "I have crushing chest pain and my left arm is numb" + ENTER)
        wait_for("the escalation banner",
                 lambda: driver.js("return !document.getElementById('alert').hidden"))
        banner = driver.js("""
          const a = document.getElementById('alert-call');
          const r = document.getElementById('alert').getBoundingClientRect();
          return {href: a.getAttribute('href'), text: a.textContent, top: r.top,
                  role: document.getElementById('alert').getAttribute('role')};
        """)
        check("an escalation shows a banner calling the region's number by tel: link",
              banner["href"] == "tel:911" and banner["text"] == "911", banner)
        driver.js("window.scrollTo(0, 0)")
        driver.js("window.scrollTo(0, document.body.scrollHeight)")
        top = driver.js("return document.getElementById('alert').getBoundingClientRect().top")
        check("the banner stays in view when the conversation scrolls", 0 <= top < 200, top)

        # 6. Reload: the same session and conversation come back.
        session = driver.js("return window.backtalk.session")
        shown = driver.js("return document.querySelectorAll('article.msg').length")
        driver.refresh()
        wait_for("the socket after reload", lambda: driver.js("return window.backtalk.connected"))
        again = driver.js("return window.backtalk.session")
        check("a reload keeps the session id", again == session, f"{session} -> {again}")
        check("a reload shows the conversation so far",
              driver.js("return document.querySelectorAll('article.msg').length") == shown)
        check("a reload keeps the escalation banner",
              driver.js("return !document.getElementById('alert').hidden"))
        before = replies()
        driver.type(driver.find("#message")[0], "continue" + ENTER)
        wait_for("a reply after reload", lambda: replies() > before)
        reply = driver.js("return document.querySelector('article.msg.bot:last-of-type .text').textContent")
        check("the server still knows the conversation after a reload",
              "911" in reply or "how long" in reply.lower(), reply[:120])

        # 7. Phone width.
        driver.resize(390, 844)
        time.sleep(0.3)
        overflow = driver.js("return document.documentElement.scrollWidth - window.innerWidth")
        check("nothing is wider than a phone screen", overflow <= 0, f"({overflow}px too wide)")
        driver.js("window.scrollTo(0, document.body.scrollHeight)")
        driver.screenshot(os.path.join(args.screenshots, "web-phone.png"))

        errors = [e for e in driver.browser_log() if e.get("level") == "SEVERE"]
        check("the browser reported no error (no blocked resource, no script error)",
              not errors, json.dumps(errors)[:600])

        # 8. A dropped connection: the server stops, the page says so, and reconnects by itself
        # when a server is back on the same port.
        driver.resize(1280, 900)
        port = url.rstrip("/").rsplit(":", 1)[1]
        web.terminate()
        web.wait(timeout=10)
        wait_for("the page to notice the dropped connection",
                 lambda: "Reconnecting" in driver.js("return document.getElementById('status').textContent"))
        check("a dropped connection is shown", True)
        web = subprocess.Popen([args.binary, "web", "--port", port], stdout=subprocess.PIPE,
                               stderr=sys.stderr, text=True,
                               env={**os.environ, "XDG_CACHE_HOME": cache})
        processes.append(web)
        web.stdout.readline()
        wait_for("the page to reconnect", lambda: driver.js("return window.backtalk.connected"),
                 timeout=20)
        before = replies()
        driver.type(driver.find("#message")[0], "what stretches can I do?" + ENTER)
        wait_for("a reply after reconnecting", lambda: replies() > before)
        check("the page reconnects by itself and chats on", replies() == before + 1)

        # 9. New chat, then a self-harm message: the banner adds the crisis line, with its number.
        driver.click(driver.find("#restart")[0])
        check("New chat clears the conversation and the banner",
              driver.js("return document.getElementById('alert').hidden")
              and replies() == 0)
        driver.type(driver.find("#message")[0], "I want to kill myself" + ENTER)
        wait_for("the crisis line", lambda: driver.js(
            "return !document.getElementById('alert-crisis').hidden"))
        crisis = driver.js("""
          const c = document.getElementById('alert-crisis');
          return {text: c.textContent, href: (c.querySelector('a') || {}).href || ''};
        """)
        check("a self-harm escalation shows the crisis line with a tel: link",
              "988" in crisis["text"] and crisis["href"] == "tel:988", crisis)

        # 10. A safety check: a copy of the knowledge base whose classifier thresholds send every
        # message the matcher cannot place surely to the check (as the core's SafetyLayerTests
        # do), so its Yes/No buttons show.
        checking = os.path.join(cache, "Intents")
        shutil.copytree(intents_folder(args.binary), checking)
        settings = os.path.join(checking, "settings.yaml")
        with open(settings) as f:
            lines = f.read().split("\n")
        lines = ["    escalate_above: 1.5" if l.startswith("    escalate_above:") else
                 "    check_above: 0.0" if l.startswith("    check_above:") else l for l in lines]
        with open(settings, "w") as f:
            f.write("\n".join(lines))
        checker = subprocess.Popen([args.binary, "web", "--port", "0", "--knowledge", checking],
                                   stdout=subprocess.PIPE, stderr=sys.stderr, text=True,
                                   env={**os.environ, "XDG_CACHE_HOME": cache})
        processes.append(checker)
        line = checker.stdout.readline()
        driver.go(line[line.index("http://"):].strip())
        wait_for("the checking server's socket", lambda: driver.js("return window.backtalk.connected"))
        # (A question the matcher knows surely, "how do I stretch my upper back?", is let go by
        # the neighbour layer even at these thresholds: the message is one it cannot place.)
        driver.type(driver.find("#message")[0], "my upper back feels a bit odd today" + ENTER)
        buttons = wait_for("the safety check's buttons",
                           lambda: driver.find("article.msg.bot[data-kind='safety_check'] button.option"))
        labels = [driver.js("return arguments[0].textContent", {ELEMENT: b}) for b in buttons]
        check("a safety check shows Yes and No as buttons", labels == ["Yes", "No"], labels)
        before = replies()
        driver.click(buttons[1])
        wait_for("the answer after No", lambda: replies() > before)
        kind = driver.js("return document.querySelector('article.msg.bot:last-of-type').dataset.kind")
        check("answering No gets the answer to the question asked", kind == "answer", kind)

        # The dark theme, from the system's preference (saved beside the others, for a look).
        driver.s("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {
            "features": [{"name": "prefers-color-scheme", "value": "dark"}]}})
        dark = driver.js("return getComputedStyle(document.body).backgroundColor")
        check("the page follows a dark system theme", dark not in ("rgb(246, 247, 249)", ""), dark)
        driver.screenshot(os.path.join(args.screenshots, "web-desktop-dark.png"))

        errors = [e for e in driver.browser_log() if e.get("level") == "SEVERE"
                  and "ERR_CONNECTION_REFUSED" not in e.get("message", "")]
        check("no other error after the outage", not errors, json.dumps(errors)[:600])
        print(f"# screenshots in {args.screenshots}")
    except Failure as error:
        failed += 1
        print(f"not ok - {error}")
    finally:
        if driver:
            driver.quit()
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(cache, ignore_errors=True)
    print(f"browser: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


def intents_folder(binary):
    """The knowledge base shipped beside the binary (the resource bundle SwiftPM makes)."""
    bundled = os.path.join(os.path.dirname(os.path.abspath(binary)),
                           "backtalk_BacktalkCore.resources", "Intents")
    if os.path.isdir(bundled):
        return bundled
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Intents")


def _ready(driver):
    try:
        return driver.call("GET", "/status").get("ready")
    except Exception:
        return False


if __name__ == "__main__":
    sys.exit(main())
