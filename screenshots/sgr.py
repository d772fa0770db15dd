"""Make every SGR sequence of a tmux capture absolute (used by make.sh before freeze).

freeze v0.2.2 ignores SGR 39 and 49 (default foreground / background), so a colour set before
them runs on: the selected row's highlight bled across the panes to its right, and text after a
"default colour" kept the previous colour. Here each SGR becomes a reset followed by the whole
state it leaves (intensity, italic, underline, reverse, foreground, background), which freeze
does read. tmux writes each captured line from the default attributes, so each line starts
afresh.

    python3 sgr.py < pane.ansi > pane.absolute.ansi
"""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
FLAGS = {1: "bold", 2: "faint", 3: "italic", 4: "underline", 5: "blink", 7: "reverse", 9: "strike"}
OFF = {21: ("bold",), 22: ("bold", "faint"), 23: ("italic",), 24: ("underline",), 25: ("blink",),
       27: ("reverse",), 29: ("strike",)}


def colour(params, i):
    """The extended colour at params[i] (5;n or 2;r;g;b) as SGR text, and how many it used."""
    if i < len(params) and params[i] == 5 and i + 1 < len(params):
        return "5;%d" % params[i + 1], 2
    if i < len(params) and params[i] == 2 and i + 3 < len(params):
        return "2;%d;%d;%d" % tuple(params[i + 1:i + 4]), 4
    return None, len(params) - i


def apply(state, text):
    params = [int(p) if p else 0 for p in re.split("[;:]", text)] if text else [0]
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            state.clear()
        elif p in FLAGS:
            state[FLAGS[p]] = True
        elif p in OFF:
            for f in OFF[p]:
                state.pop(f, None)
        elif 30 <= p <= 37 or 90 <= p <= 97:
            state["fg"] = str(p)
        elif 40 <= p <= 47 or 100 <= p <= 107:
            state["bg"] = str(p)
        elif p in (38, 48):
            c, used = colour(params, i)
            i += used
            if c:
                state["fg" if p == 38 else "bg"] = ("38;" if p == 38 else "48;") + c
        elif p == 39:
            state.pop("fg", None)
        elif p == 49:
            state.pop("bg", None)


def absolute(state):
    codes = ["0"] + [str(k) for k, f in FLAGS.items() if state.get(f)]
    codes += [state[k] for k in ("fg", "bg") if k in state]
    return "\x1b[" + ";".join(codes) + "m"


def main():
    out = []
    for line in sys.stdin.read().split("\n"):
        # tmux writes each captured line from the default attributes; freeze would carry the
        # previous line's on, so each line starts with a reset.
        state = {}

        def sub(m):
            apply(state, m.group(1))
            return absolute(state)
        out.append("\x1b[0m" + SGR.sub(sub, line))
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
