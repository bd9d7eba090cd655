package bench

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Panel is one contender's accepted and refused requests per second.
type Panel struct {
	Title   string
	Seconds [][2]int64 // [accepted, refused]
	Limit   float64    // the vendor's allowed rate, drawn as a dashed line (0: none)
}

// WriteChart draws panels as an SVG grid of cols columns: accepted
// requests per second in green, refused ones stacked above in red. Each
// row of the grid has its own y scale, from 0 to a round number with
// labelled ticks, so that a row's panels (storm puts the contenders of one
// scenario in one row) compare side by side without another row's larger
// counts flattening them.
func WriteChart(w io.Writer, title string, panels []Panel, cols int) error {
	const pw, ph, pad, top = 330, 170, 40, 40
	rows := (len(panels) + cols - 1) / cols
	width, height := cols*(pw+pad)+pad, top+rows*(ph+pad+20)
	axes := rowAxes(panels, cols)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="22" font-size="14" font-weight="bold">%s</text>`+"\n", pad, esc(title))
	fmt.Fprintf(&b, `<rect x="%d" y="28" width="10" height="10" fill="#2e8b57"/><text x="%d" y="37">accepted/s</text>`, width-260, width-246)
	fmt.Fprintf(&b, `<rect x="%d" y="28" width="10" height="10" fill="#d9534f"/><text x="%d" y="37">refused/s</text>`, width-170, width-156)
	fmt.Fprintf(&b, `<line x1="%d" y1="33" x2="%d" y2="33" stroke="#333" stroke-dasharray="4 3"/><text x="%d" y="37">R</text>`+"\n", width-80, width-60, width-55)
	for i, p := range panels {
		x0 := pad + (i%cols)*(pw+pad)
		y0 := top + 20 + (i/cols)*(ph+pad+20)
		a := axes[i/cols]
		y := func(v float64) float64 { return float64(y0+ph) - v/a.max*float64(ph) }
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", x0, y0-6, esc(p.Title))
		writeTicks(&b, a, x0, pw, y)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`+"\n", x0, y0, pw, ph)
		n := max(len(p.Seconds), 1)
		bw := float64(pw) / float64(n)
		for j, s := range p.Seconds {
			x := float64(x0) + float64(j)*bw
			acc, ref := float64(s[0]), float64(s[1])
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2e8b57"/>`, x+0.5, y(acc), bw-1, float64(y0+ph)-y(acc))
			if ref > 0 {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#d9534f"/>`, x+0.5, y(acc+ref), bw-1, y(acc)-y(acc+ref))
			}
		}
		b.WriteString("\n")
		if p.Limit > 0 {
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333" stroke-dasharray="4 3"/>`+"\n", x0, y(p.Limit), x0+pw, y(p.Limit))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">seconds</text>`+"\n", x0+pw/2, y0+ph+14)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// axis is a y scale from 0 to max, labelled every step.
type axis struct{ max, step float64 }

// rowAxes returns the y scale of each row of cols panels: a niceAxis over
// the row's largest second (accepted and refused) and limit.
func rowAxes(panels []Panel, cols int) []axis {
	var axes []axis
	for i := 0; i < len(panels); i += cols {
		top := 0.0
		for _, p := range panels[i:min(i+cols, len(panels))] {
			top = max(top, p.Limit*1.1)
			for _, s := range p.Seconds {
				top = max(top, float64(s[0]+s[1]))
			}
		}
		axes = append(axes, niceAxis(top))
	}
	return axes
}

// niceAxis returns the axis that reaches top (at least 1) in at most 5
// steps of the smallest 1, 2, 2.5 or 5 × 10ⁿ (n ≥ 0) that does.
func niceAxis(top float64) axis {
	top = max(top, 1)
	for mag := 1.0; ; mag *= 10 {
		for _, m := range []float64{1, 2, 2.5, 5} {
			if steps := math.Ceil(top / (m * mag)); steps <= 5 {
				return axis{max: steps * m * mag, step: m * mag}
			}
		}
	}
}

// writeTicks writes a's labelled ticks, with light grid lines across the
// panel of width pw at x0; y maps a value to its height in the panel.
func writeTicks(b *strings.Builder, a axis, x0, pw int, y func(float64) float64) {
	for k := 0.0; k*a.step <= a.max; k++ {
		v := k * a.step
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e4e4e4"/><text x="%d" y="%.1f" text-anchor="end">%g</text>`,
			x0, y(v), x0+pw, y(v), x0-3, y(v)+4, v)
	}
	b.WriteString("\n")
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
