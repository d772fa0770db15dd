#!/usr/bin/env bash
# Regenerates the PNGs in screenshots/ from the demo: runs the real binary in tmux at fixed sizes
# with a fixed seed and starting time, presses keys, captures the pane with its colours, renders it
# to SVG with freeze and to PNG with rsvg-convert (DejaVu Sans Mono has the braille glyphs).
#
#   screenshots/make.sh            # all of them
#
# Needs tmux, rsvg-convert (librsvg2-bin), fonts-dejavu-core and freeze; installs what is missing
# (apt-get as root, `go install` for freeze).
set -euo pipefail
cd "$(dirname "$0")/.."
out=screenshots
bin=$(mktemp -d)/wsldash
go build -o "$bin" ./cmd/wsldash

missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
freeze=$(command -v freeze || true)
if [ -z "$freeze" ]; then
  GOBIN="$(dirname "$bin")" go install github.com/charmbracelet/freeze@v0.2.2
  freeze="$(dirname "$bin")/freeze"
fi

sock="wsldash-shots-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT

# wait_for TEXT: poll the pane (bounded) until TEXT shows.
wait_for() {
  for _ in $(seq 1 100); do
    tm capture-pane -p -t shot | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2; tm capture-pane -p -t shot >&2; return 1
}

# shot NAME WxH BG [ARGS...] -- KEYS...: start the demo, press KEYS (each "wait:TEXT" waits), capture.
shot() {
  local name=$1 size=$2 bg=$3; shift 3
  local args=() keys=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  keys=("$@")
  tm kill-session -t shot 2>/dev/null || true
  tm new-session -d -s shot -x "${size%x*}" -y "${size#*x}" \
    env TERM=xterm-256color COLORTERM=truecolor "$bin" --demo --demo-epoch 2026-11-25T09:41:00Z "${args[@]}"
  wait_for "Ubuntu-24.04"
  sleep 1.2 # let one more sample arrive so the graphs are drawn (this is a picture, not a test)
  for k in "${keys[@]}"; do
    case "$k" in
      wait:*) wait_for "${k#wait:}" ;;
      *) tm send-keys -t shot "$k"; sleep 0.3 ;;
    esac
  done
  tm capture-pane -e -p -t shot > "$out/$name.ansi"
  "$freeze" "$out/$name.ansi" -l ansi -o "$out/$name.svg" --window=false --background "$bg" \
    --padding 12 --font.size 14 --font.family "DejaVu Sans Mono" >/dev/null
  rsvg-convert "$out/$name.svg" -o "$out/$name.png"
  rm -f "$out/$name.ansi" "$out/$name.svg"
  echo "wrote $out/$name.png"
}

shot overview         120x40 "#1e1e2e" --theme catppuccin-mocha
shot memory           120x40 "#1e1e2e" --theme catppuccin-mocha -- 2
shot help             120x40 "#1e1e2e" --theme catppuccin-mocha -- "?"
shot start-kali       120x40 "#282a36" --theme dracula -- / k a l i Enter s
shot solarized-light  120x40 "#fdf6e3" --theme solarized-light
shot small-80x24      80x24  "#2e3440" --theme nord
