package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// writePNG paints ANSI text (truecolor and 256-colour SGR only) into a PNG: braille dots as
// squares, other glyphs as a filled box, spaces as background. It exists so the chart's colours
// can be checked without a graphical terminal.
func writePNG(path, text string) error {
	const cw, ch = 8, 16
	lines := strings.Split(text, "\n")
	wmax := 0
	for _, l := range lines {
		wmax = max(wmax, ansi.StringWidth(l))
	}
	img := image.NewRGBA(image.Rect(0, 0, wmax*cw, len(lines)*ch))
	bg := color.RGBA{18, 18, 18, 255}
	for i := range img.Pix {
		img.Pix[i] = []uint8{bg.R, bg.G, bg.B, 255}[i%4]
	}
	def := color.RGBA{220, 220, 220, 255}
	for y, l := range lines {
		fg := def
		x := 0
		rs := []rune(l)
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			if r == 0x1b { // SGR
				j := i + 2
				for j < len(rs) && rs[j] != 'm' {
					j++
				}
				params := strings.Split(string(rs[i+2:j]), ";")
				i = j
				switch {
				case len(params) >= 5 && params[0] == "38" && params[1] == "2":
					r, _ := strconv.Atoi(params[2])
					g, _ := strconv.Atoi(params[3])
					b, _ := strconv.Atoi(params[4])
					fg = color.RGBA{uint8(r), uint8(g), uint8(b), 255}
				case len(params) >= 3 && params[0] == "38" && params[1] == "5":
					n, _ := strconv.Atoi(params[2])
					v := uint8(8 + (n-232)*10)
					if n < 232 {
						v = 160
					}
					fg = color.RGBA{v, v, v, 255}
				case params[0] == "" || params[0] == "0":
					fg = def
				}
				continue
			}
			px, py := x*cw, y*ch
			switch {
			case r == ' ':
			case r >= 0x2800 && r <= 0x28ff:
				b := r - 0x2800
				dots := [8][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {0, 3}, {1, 3}}
				for k, d := range dots {
					if b&(1<<k) != 0 {
						fill(img, px+1+d[0]*4, py+1+d[1]*4, 3, 3, fg)
					}
				}
			default:
				fill(img, px+2, py+4, 4, 8, fg)
			}
			x++
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

func fill(img *image.RGBA, x, y, w, h int, c color.RGBA) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+w; xx++ {
			img.SetRGBA(xx, yy, c)
		}
	}
}
