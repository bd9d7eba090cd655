package bench

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestWriteChartRowScales draws two rows whose largest seconds differ
// tenfold: each row must get its own labelled axis, and a second at its
// row's maximum must fill the panel's height in either row.
func TestWriteChartRowScales(t *testing.T) {
	flat := [][2]int64{{90, 10}, {100, 0}}
	peak := [][2]int64{{1000, 0}, {50, 0}}
	panels := []Panel{
		{Title: "rate — a", Seconds: flat, Limit: 50},
		{Title: "rate — b", Seconds: flat},
		{Title: "quota — a", Seconds: peak},
		{Title: "quota — b", Seconds: peak},
	}
	var b strings.Builder
	if err := WriteChart(&b, "rows <&>", panels, 2); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for d := xml.NewDecoder(strings.NewReader(svg)); ; {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("invalid SVG: %v", err)
		}
	}
	labels := tickLabels(svg)
	// Ticks for the four panels, in order: the rate row's 0–100 twice, then
	// the quota row's 0–1000 twice.
	rate := []string{"0", "20", "40", "60", "80", "100"}
	quota := []string{"0", "200", "400", "600", "800", "1000"}
	want := slices.Concat(rate, rate, quota, quota)
	if !slices.Equal(labels, want) {
		t.Errorf("tick labels = %v, want %v", labels, want)
	}
	// 100 accepted in the rate row and 1000 in the quota row both reach the top.
	if n := strings.Count(svg, `height="170.0" fill="#2e8b57"`); n != 4 {
		t.Errorf("%d full-height accepted bars, want 4 (one per panel)", n)
	}
}

// tickLabels returns the y-axis labels of an SVG from WriteChart, in order.
func tickLabels(svg string) []string {
	var labels []string
	for _, m := range regexp.MustCompile(`text-anchor="end">([^<]*)<`).FindAllStringSubmatch(svg, -1) {
		labels = append(labels, m[1])
	}
	return labels
}

// TestNiceAxis checks the round maxima and steps of some tops.
func TestNiceAxis(t *testing.T) {
	for _, c := range []struct{ top, max, step float64 }{
		{0, 1, 1}, {1, 1, 1}, {4.5, 5, 1}, {55, 60, 20}, {100, 100, 20},
		{110, 125, 25}, {1037, 1250, 250}, {5001, 6000, 2000},
	} {
		if a := niceAxis(c.top); a.max != c.max || a.step != c.step {
			t.Errorf("niceAxis(%v) = %+v, want max %v step %v", c.top, a, c.max, c.step)
		}
	}
}
