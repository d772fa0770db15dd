#!/usr/bin/env bash
# Regenerates the PNGs in screenshots/ from the demo: runs the real binary in tmux at fixed sizes
# with a fixed seed and starting time, presses keys, captures the pane with its colours, renders it
# to SVG with freeze, puts every character on the terminal's grid (grid.py: DejaVu Sans Mono has
# no braille, and the fallback's wider braille pushed the right border off the picture) and
# renders it to PNG with rsvg-convert. demo.gif is a frame sequence rendered the same way,
# assembled with ImageMagick's convert (VHS is not needed).
#
#   screenshots/make.sh            # all of them
#   screenshots/make.sh --no-gif   # the PNGs only
#
# Needs tmux, python3, rsvg-convert (librsvg2-bin), fonts-dejavu-core, ImageMagick and freeze;
# installs what is missing (apt-get as root, `go install` for freeze).
set -euo pipefail
cd "$(dirname "$0")/.."
out=screenshots
bin=$(mktemp -d)/wsldash
go build -o "$bin" ./cmd/wsldash

missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
command -v python3 >/dev/null || missing+=(python3)
convert -version 2>/dev/null | grep -q ImageMagick || missing+=(imagemagick)
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

# fresh ends the previous picture's tmux server and waits (bounded) until it is gone: killing
# its last session left it exiting while the next new-session reached it ("server exited
# unexpectedly").
fresh() {
  tm kill-server 2>/dev/null || true
  for _ in $(seq 1 50); do tm ls >/dev/null 2>&1 || return 0; sleep 0.1; done
}

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
  fresh
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
  render "$out/$name.png" "$bg"
  echo "wrote $out/$name.png"
}

# render PNG BG [FONTSIZE]: the pane as it is now, to PNG.
render() {
  local png=$1 bg=$2 size=${3:-14} tmp
  tmp=$(mktemp -d)
  # freeze ignores SGR 39/49 (default colours): sgr.py makes every colour change absolute.
  tm capture-pane -e -p -t shot | python3 screenshots/sgr.py > "$tmp/pane.ansi"
  "$freeze" "$tmp/pane.ansi" -l ansi -o "$tmp/pane.svg" --window=false --background "$bg" \
    --padding 12 --font.size "$size" --font.family "DejaVu Sans Mono" >/dev/null
  # freeze lays the grid out at 0.6 em a cell.
  python3 screenshots/grid.py "$tmp/pane.svg" "$(awk "BEGIN{print $size*0.6}")"
  rsvg-convert "$tmp/pane.svg" -o "$png"
  rm -rf "$tmp"
}

# gif NAME WxH BG FONTSIZE [ARGS...] -- STEPS...: like shot, but every "snap" step renders a
# frame (each "snap" shows for 0.9 s, "snap2" for 1.8 s), then convert makes NAME.gif.
gif() {
  local name=$1 size=$2 bg=$3 font=$4; shift 4
  local args=() steps=() frames delays=() n=0
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  steps=("$@")
  frames=$(mktemp -d)
  fresh
  tm new-session -d -s shot -x "${size%x*}" -y "${size#*x}" \
    env TERM=xterm-256color COLORTERM=truecolor "$bin" --demo --demo-epoch 2026-11-25T09:41:00Z "${args[@]}"
  wait_for "Ubuntu-24.04"
  sleep 1.2
  for k in "${steps[@]}"; do
    case "$k" in
      wait:*) wait_for "${k#wait:}" ;;
      snap|snap2)
        n=$((n + 1))
        render "$frames/$(printf %03d $n).png" "$bg" "$font"
        if [ "$k" = snap2 ]; then delays+=(180); else delays+=(90); fi
        sleep 0.6 ;;
      *) tm send-keys -t shot "$k"; sleep 0.4 ;;
    esac
  done
  local cargs=() i=0
  for f in "$frames"/*.png; do cargs+=(-delay "${delays[$i]}" "$f"); i=$((i + 1)); done
  convert -loop 0 "${cargs[@]}" -layers Optimize "$out/$name.gif"
  rm -rf "$frames"
  echo "wrote $out/$name.gif ($n frames)"
}

shot overview         120x40 "#1e1e2e" --theme catppuccin-mocha
shot memory           120x40 "#1e1e2e" --theme catppuccin-mocha -- 2
shot help             120x40 "#1e1e2e" --theme catppuccin-mocha -- "?"
shot start-kali       120x40 "#282a36" --theme dracula -- / k a l i Enter s
shot solarized-light  120x40 "#fdf6e3" --theme solarized-light
shot small-80x24      80x24  "#2e3440" --theme nord
shot processes        120x40 "#1e1e2e" --theme catppuccin-mocha -- 3
shot mounts           120x40 "#1e1e2e" --theme catppuccin-mocha -- 4
shot config           120x40 "#1e1e2e" --theme catppuccin-mocha -- 5
shot ports            120x40 "#1e1e2e" --theme catppuccin-mocha -- 6
shot all-processes    120x40 "#1e1e2e" --theme catppuccin-mocha -- 3 a
shot vms              120x40 "#1e1e2e" --theme catppuccin-mocha -- 7
shot disks            120x40 "#1e1e2e" --theme catppuccin-mocha -- 8
shot catalogue        120x40 "#1e1e2e" --theme catppuccin-mocha -- 9
shot manage           120x40 "#1e1e2e" --theme catppuccin-mocha -- m
shot export-progress  120x40 "#1e1e2e" --theme catppuccin-mocha -- e Enter "wait:GiB/s"

[ "${1:-}" = "--no-gif" ] && exit 0
# A short tour: the overview updating, memory & reclaim, a manual reclaim (r opens the dialog,
# Enter confirms dropcache), the other views, and an export from the dashboard with its progress.
gif demo 100x30 "#1e1e2e" 12 --theme catppuccin-mocha -- \
  snap snap snap 2 snap snap r snap2 Enter snap snap snap2 3 snap2 4 snap2 5 snap2 6 snap2 8 snap2 "?" snap2 "?" 1 snap e snap Enter snap snap snap snap2 x snap
