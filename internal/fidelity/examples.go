package fidelity

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Example is one documented payload kept verbatim under
// <vendor>/testdata/docs/, described by a row of that directory's
// SOURCES.md.
type Example struct {
	// File is the file name in the directory, e.g. get-campaign.json.
	File string
	// Kind is "response", "request", "error" or "webhook" (a delivery the
	// vendor sends; Operation is then the event name).
	Kind string
	// Operation names what the payload belongs to: the facade method
	// (GetCampaign) or, for a request, the method that sends it.
	Operation string
	// Status is the documented HTTP status, or "" when the page gives none.
	Status string
	// Source is the page the payload was copied from.
	Source string
	// Body is the file's content.
	Body []byte
}

// Load reads the examples of dir. SOURCES.md lists them, one table row each:
//
//	| file | kind | operation | status | source |
//	|---|---|---|---|---|
//	| get-campaign.json | response | GetCampaign | 200 | https://… |
//
// Every row's file must exist and every .json file of dir must have a row,
// so no example is kept without its source and none is silently skipped.
func Load(dir string) ([]Example, error) {
	idx, err := os.ReadFile(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		return nil, fmt.Errorf("fidelity: %w", err)
	}
	var out []Example
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(idx))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		if len(cells) < 5 || !strings.HasSuffix(cells[0], ".json") {
			continue
		}
		ex := Example{File: cells[0], Kind: cells[1], Operation: cells[2], Status: cells[3], Source: cells[4]}
		switch ex.Kind {
		case "response", "request", "error", "webhook":
		default:
			return nil, fmt.Errorf("fidelity: SOURCES.md: %s: kind %q: want response, request, error or webhook", ex.File, ex.Kind)
		}
		if !strings.HasPrefix(ex.Source, "https://") {
			return nil, fmt.Errorf("fidelity: SOURCES.md: %s: source %q is not a URL", ex.File, ex.Source)
		}
		if seen[ex.File] {
			return nil, fmt.Errorf("fidelity: SOURCES.md: %s listed twice", ex.File)
		}
		seen[ex.File] = true
		ex.Body, err = os.ReadFile(filepath.Join(dir, ex.File))
		if err != nil {
			return nil, fmt.Errorf("fidelity: %w", err)
		}
		out = append(out, ex)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			return nil, fmt.Errorf("fidelity: %s has no row in SOURCES.md", filepath.Base(f))
		}
	}
	slices.SortFunc(out, func(a, b Example) int { return strings.Compare(a.File, b.File) })
	return out, nil
}
