#!/usr/bin/env python3
"""Drives Debian's chromium, headless, through the DevTools protocol: the browser test of
campusguard's web page (Tests/CampusGuardIntegrationTests/Web/WebBrowserTests.swift).

    web_browser.py --steps steps.json [--chromium /usr/bin/chromium] [--timeout 120]

The protocol runs over a pipe (--remote-debugging-pipe: JSON messages ended by a NUL byte on
file descriptors 3 and 4), so there is no port to find and nothing but the standard library.

Steps, a JSON list run in order; the first that fails ends the run with exit status 1:
  {"viewport": [WIDTH, HEIGHT], "mobile": BOOL}
  {"goto": URL}                                   loads the page and waits for it
  {"fill": SELECTOR, "value": TEXT}               focuses the field and types TEXT
  {"click": SELECTOR}                             a mouse press at the element's centre; waits for the new page
  {"wait": SELECTOR, "timeout": S, "reload": S}   until an element matches, reloading every S seconds (optional)
  {"text": SELECTOR, "contains": TEXT}            the element's text must contain TEXT
  {"absent": SELECTOR}                            no element may match
  {"check": EXPRESSION, "what": TEXT}             a JavaScript expression that must be true (TEXT says what)
  {"attribute": SELECTOR, "name": ATTR, "as": KEY}  prints {"KEY": value}
  {"screenshot": PATH, "full": BOOL}              a PNG of the page (the whole page when full)
  {"touch": PATH}                                 creates a file: tells the test a point has been reached
Prints one JSON line per step on stdout, then {"done": true} or {"error": "..."}. Chromium and
its children are killed when the script ends, whichever way it ends.
"""
import argparse
import base64
import ctypes
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


class StepFailed(Exception):
    pass


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def die_with_parent():
    """In the child before exec: SIGKILL when this script dies, even by SIGKILL (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Browser:
    def __init__(self, chromium, deadline):
        self.deadline = deadline
        self.profile = tempfile.mkdtemp(prefix="campusguard-chromium-")
        cmd_read, self.cmd_write = os.pipe()
        self.res_read, res_write = os.pipe()
        args = [
            "--headless=new", "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--mute-audio", "--hide-scrollbars", "--lang=zh-CN",
            "--password-store=basic", "--use-mock-keychain",
        ]
        if os.geteuid() == 0:
            args.append("--no-sandbox")  # chromium refuses to run as root with its sandbox
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            # bash, not sh: dash takes only one-digit descriptors in a redirection, and a test
            # process may hand this script enough open files to push the pipes past 9.
            ["/bin/bash", "-c", 'exec "$0" "$@" 3<&%d 4>&%d' % (cmd_read, res_write), chromium] + args + ["about:blank"],
            pass_fds=(cmd_read, res_write), stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True, preexec_fn=die_with_parent,
        )
        os.close(cmd_read)
        os.close(res_write)
        self.messages = queue.Queue()
        self.events = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.session = None

    def _read(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self.res_read, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                self.messages.put(json.loads(raw))

    def remaining(self, limit=None):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise StepFailed("the run's time limit is over")
        return left if limit is None else min(left, limit)

    def call(self, method, params=None, session=True, timeout=15):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        try:
            os.write(self.cmd_write, json.dumps(message).encode() + b"\0")
        except OSError as error:
            raise StepFailed("chromium is gone (%s): %s" % (error, self.chromium_log()))
        end = time.monotonic() + self.remaining(timeout)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise StepFailed("no answer to %s within %ss" % (method, timeout))
            try:
                reply = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if reply is None:
                raise StepFailed("chromium closed the DevTools pipe: %s" % self.chromium_log())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise StepFailed("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply["method"])

    def chromium_log(self):
        try:
            with open(os.path.join(self.profile, "chromium.log"), "rb") as f:
                return f.read()[-2000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def open_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
            "sessionId"
        ]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise StepFailed("script error: %s" % result["exceptionDetails"].get("text"))
        return result.get("result", {}).get("value")

    def mark(self):
        """Marks the current document, so that a new one can be told from it."""
        self.evaluate("window.__campusguardOld = true")

    def wait_new_document(self, timeout=20):
        end = time.monotonic() + self.remaining(timeout)
        while time.monotonic() < end:
            try:
                if self.evaluate("!window.__campusguardOld && document.readyState === 'complete'"):
                    return
            except StepFailed:
                pass  # the old document went away mid-call
            time.sleep(0.05)
        raise StepFailed("the page did not load within %ss" % timeout)

    def goto(self, url):
        self.mark()
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise StepFailed("cannot load %s: %s" % (url, result["errorText"]))
        self.wait_new_document()

    def reload(self):
        self.mark()
        self.call("Page.reload", {"ignoreCache": True})
        self.wait_new_document()

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=3)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its renderers and helpers as well
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        os.close(self.cmd_write)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def q(selector):
    return "document.querySelector(%s)" % json.dumps(selector)


def run_step(b, step):
    if "viewport" in step:
        width, height = step["viewport"]
        mobile = bool(step.get("mobile"))
        b.call("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": height, "deviceScaleFactor": 2 if mobile else 1, "mobile": mobile})
        return {"viewport": [width, height]}
    if "goto" in step:
        b.goto(step["goto"])
        return {"url": b.evaluate("location.href")}
    if "fill" in step:
        if not b.evaluate("(e => { if (!e) return false; e.focus(); e.value = ''; return true })(%s)" % q(step["fill"])):
            raise StepFailed("no field %s" % step["fill"])
        b.call("Input.insertText", {"text": step["value"]})
        return {"filled": step["fill"]}
    if "click" in step:
        centre = b.evaluate(
            "(e => { if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2] })(%s)" % q(step["click"]))
        if not centre:
            raise StepFailed("nothing to click: %s" % step["click"])
        b.mark()
        x, y = centre
        b.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            b.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        b.wait_new_document()
        return {"clicked": step["click"], "url": b.evaluate("location.href")}
    if "wait" in step:
        timeout = float(step.get("timeout", 10))
        every = step.get("reload")
        end = time.monotonic() + b.remaining(timeout)
        last_reload = time.monotonic()
        while True:
            if b.evaluate("!!%s" % q(step["wait"])):
                return {"found": step["wait"]}
            if time.monotonic() >= end:
                raise StepFailed("%s did not appear within %ss; page text: %s" % (
                    step["wait"], timeout, (b.evaluate("document.body ? document.body.innerText : ''") or "")[:1500]))
            if every and time.monotonic() - last_reload >= every:
                b.reload()
                last_reload = time.monotonic()
            time.sleep(0.1)
    if "text" in step:
        text = b.evaluate("(e => e ? e.innerText : null)(%s)" % q(step["text"]))
        if text is None or step["contains"] not in text:
            raise StepFailed("%s: %r does not contain %r" % (step["text"], text, step["contains"]))
        return {"text": text}
    if "absent" in step:
        if b.evaluate("!!%s" % q(step["absent"])):
            raise StepFailed("%s is on the page" % step["absent"])
        return {"absent": step["absent"]}
    if "check" in step:
        if b.evaluate(step["check"]) is not True:
            raise StepFailed("not so: %s (%s)" % (step.get("what", ""), step["check"]))
        return {"checked": step.get("what", step["check"])}
    if "attribute" in step:
        value = b.evaluate("(e => e ? e.getAttribute(%s) : null)(%s)" % (json.dumps(step["name"]), q(step["attribute"])))
        if value is None:
            raise StepFailed("no %s on %s" % (step["name"], step["attribute"]))
        return {step.get("as", step["name"]): value}
    if "screenshot" in step:
        shot = b.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": bool(step.get("full"))},
                      timeout=30)
        os.makedirs(os.path.dirname(step["screenshot"]) or ".", exist_ok=True)
        with open(step["screenshot"], "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return {"screenshot": step["screenshot"]}
    if "touch" in step:
        with open(step["touch"], "w") as f:
            f.write("ready\n")
        return {"touched": step["touch"]}
    raise StepFailed("unknown step %r" % step)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    with open(args.steps) as f:
        steps = json.load(f)

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    browser = None
    try:
        browser = Browser(args.chromium, time.monotonic() + args.timeout)
        browser.open_page()
        for index, step in enumerate(steps):
            result = run_step(browser, step)
            result["step"] = index
            emit(result)
        emit({"done": True})
        return 0
    except StepFailed as error:
        emit({"error": str(error)})
        return 1
    finally:
        if browser:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
